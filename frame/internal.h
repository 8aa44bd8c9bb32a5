/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: what the machine-independent parts of the framework
 * need from the architecture (frame/arch/<arch>/) and from each other.
 */
#ifndef ASTER_FRAME_INTERNAL_H
#define ASTER_FRAME_INTERNAL_H

#include <aster/boot.h>
#include <aster/types.h>
#include "arch/x86_64/percpu_arch.h"	/* arch_cpu_id(): the calling CPU, inline */

struct trap_frame;

/* Architecture services. */
uint64_t arch_irq_save(void);
void arch_irq_restore(uint64_t flags);
void arch_delay_ms(uint64_t ms);
void arch_console_write(const char *s, size_t n);
/* Print the registers of a trapped context. */
void arch_dump_frame(const struct trap_frame *tf);
/* Print "Call trace:" from a trapped context, or from the caller when tf is NULL. */
void arch_backtrace(const struct trap_frame *tf);

/* The direct map: every managed physical page has a kernel address. */
void *arch_phys_to_virt(uint64_t phys);
uint64_t arch_virt_to_phys(const void *p);	/* UINT64_MAX if not direct-mapped */
uint64_t arch_direct_map_limit(void);		/* physical bytes it covers */

/* Memory management bring-up. */
void frame_alloc_init(void);
void frames_release_boot_range(uint64_t base, uint64_t len);

/* Boot information, filled by the architecture's boot code. */
struct boot_info *boot_info_mut(void);

/* Command-line parameters: run every BOOT_PARAM handler. */
void boot_params_apply(const char *cmdline);

/* Symbols: name of the function containing addr, and the offset into it. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
/*
 * An invalid-opcode exception in the kernel at rip: if it is a bounds
 * check's ud2 (the link's trap table), report it as the UBSan handler
 * would and panic; otherwise return.
 */
void ubsan_trap(uint64_t rip);

/* Panic policy (panic=N) after a report has been printed. */
__noreturn void panic_finish(void);
/* Start a panic: returns false if one is already under way. */
bool panic_begin(void);

/* Time and the watchdog. */
void timer_tick(const struct trap_frame *tf, bool busy_in_kernel, bool from_user);
uint64_t clock_monotonic_ns(void);
void watchdog_touch(void);
/* Timer interrupts taken since boot. */
uint64_t tick_count(void);
/* The local APIC tick's frequency (the coarse clocks' resolution is its period). */
#define TICK_HZ		100
/* The clock counter user mode reads too (the TSC): the vvar page's formula's input. */
uint64_t arch_clock_counter(void);
/* Publication of the clock in the vvar page (time/vvar.c; aster/vvar.h). */
void vvar_set_tsc(uint64_t tsc_base, uint64_t mult_q32);
void vvar_set_wall_offset(uint64_t offset_ns);
void vvar_tick(uint64_t mono_ns);

/*
 * User contexts (arch): memory [p, p+len) is being freed or moved; if it
 * holds the context whose FPU state the CPU has, save it there and forget
 * it.  The heap's kfree and krealloc and the task stacks call it, so a
 * context's FPU state lives exactly as long as the context's memory.
 */
void arch_user_memory_freed(const void *p, size_t len);
/* For ktests: the CPU's FPU state belongs to a context in [p, p+len). */
bool arch_user_fpu_owned_in(const void *p, size_t len);

/*
 * Start the other CPUs (arch; after the frame allocator, the ACPI tables
 * and the clock): they idle and serve cross-CPU calls (aster/percpu.h).
 */
void arch_smp_init(void);

/* Tasks: make the boot code a task, start the idle task. */
void task_init(void);
/*
 * Timer tick: wake timed sleepers, sample the current task's mode for CPU
 * time accounting, ask the policy about preemption.
 */
void sched_tick(uint64_t now_ns, bool from_user);
/* End of an interrupt: preempt the interrupted task if it is due. */
void sched_preempt_point(bool interrupted_with_irqs_on);
/*
 * Enter the frame allocator's reclaim callback: true when the caller may
 * sleep (a task, preemption on, interrupts on, not in an interrupt or a
 * softirq handler, no spinlock held as far as frame can tell) and is not
 * already inside the callback; then task_reclaim_end() must follow.
 */
bool task_reclaim_begin(void);
void task_reclaim_end(void);
/* Wait for an interrupt with interrupts enabled (the idle loop's body). */
void arch_idle(void);

/* Run the ktests when the command line asks for them; does not return then. */
void ktest_run_if_requested(void);

/* The deliberate faults of the aster.test= switch (boot tests only). */
void boot_run_test_switch(void);

/*
 * The fixed-width entry points of a device accessor family, each a call of
 * one width-parameterised body:
 *
 *	uintN_t PREFIX_readN(HANDLE h, OFF off)          returns (uintN_t)RD(h, off, N / 8)
 *	int     PREFIX_writeN(HANDLE h, OFF off, uintN_t v) returns WR(h, off, N / 8, v)
 *
 * Used for io_read8/16/32 (io_port.c), mmio_read8/.../64 (mmio.c) and
 * pci_cfg_read8/16/32 (bus/pci.c); their prototypes are in <aster/io.h> and
 * <aster/pci.h>.
 */
#define DEFINE_WIDTH_ACCESSORS(PREFIX, HANDLE, OFF, RD, WR, N)				\
	uint##N##_t PREFIX##_read##N(HANDLE h, OFF off)					\
	{										\
		return (uint##N##_t)RD(h, off, (N) / 8);				\
	}										\
	int PREFIX##_write##N(HANDLE h, OFF off, uint##N##_t v)				\
	{										\
		return WR(h, off, (N) / 8, v);						\
	}

#endif
