/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: the fixed layout of the kernel's address space, the
 * interrupt-flag save/restore built on insn.h (the instruction wrappers,
 * included here), and the arch-internal entry points.
 */
#ifndef ASTER_ARCH_CPU_H
#define ASTER_ARCH_CPU_H

#include <aster/types.h>
#include "insn.h"

#define KERNEL_VMA_BASE		0xffffffff80000000UL
#define DIRECT_MAP_BASE		0xffff800000000000UL
#define DIRECT_MAP_BOOT_SIZE	GiB(4)	/* what boot_pml4 maps there */

#define RFLAGS_IF		0x200

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

static inline uint64_t kernel_virt_to_phys(const void *va)
{
	return (uint64_t)va - KERNEL_VMA_BASE;
}

static inline uint64_t irq_save(void)
{
	uint64_t flags = read_rflags();

	irq_disable();
	return flags;
}

static inline void irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		irq_enable();
}

/* Linker-script symbols. */
extern char __image_start[], __text_start[], __text_end[], __bss_start[], __bss_end[];
extern char boot_stack_bottom[], boot_stack_top[];

/* Set up by cpu.c */
void cpu_init_tables(void);
/* serial.c */
void serial_init(void);
void serial_write(const char *s, size_t n);
/* trap.c */
struct trap_frame;
void trap_init(void);
/* apic.c */
void lapic_init(void);
void lapic_eoi(void);
void lapic_init_ap(void);
bool lapic_send_icr(uint32_t apic_id, uint32_t low);
/*
 * The LAPIC timer is calibrated over the same PIT window as the TSC
 * (tsc_calibrate), so boot waits once: begin, the window, end.
 */
void lapic_calibrate_begin(void);
void lapic_calibrate_end(uint32_t window_ms);
void timer_init(void);
/* time.c */
void tsc_calibrate(void);
uint64_t tsc_khz(void);
void delay_ms(uint64_t ms);
void delay_us(uint64_t us);
/* selftest.c: the command line has aster.test=name (boot tests only). */
bool boot_test_switch_is(const char *name);
/* smp.c: a cross-CPU call interrupt arrived (trap.c, after the EOI). */
void smp_call_interrupt(void);
/* Send interrupt `vector` to an online CPU; false if the local APIC refused. */
bool smp_send_ipi(unsigned int cpu, uint8_t vector);
/* Serve the TLB shootdown requests waiting for this CPU (mm/tlb.c). */
void tlb_shootdown_poll(void);

#endif
