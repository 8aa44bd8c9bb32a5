// SPDX-License-Identifier: MPL-2.0
// Exception and interrupt dispatch, and the report printed when the kernel
// itself faults.
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/percpu.h>
#include <aster/sync.h>
#include "../../internal.h"
#include "../../irq/irq_internal.h"
#include "cpu.h"
#include "mm/fixup.h"
#include "trap_frame.h"
#include "user_internal.h"

static const char *const exception_names[32] = {
	"#DE (divide error)", "#DB (debug)", "NMI", "#BP (breakpoint)",
	"#OF (overflow)", "#BR (bound range)", "#UD (invalid opcode)",
	"#NM (device not available)", "#DF (double fault)",
	"coprocessor segment overrun", "#TS (invalid TSS)",
	"#NP (segment not present)", "#SS (stack fault)",
	"#GP (general protection)", "#PF (page fault)", "reserved 15",
	"#MF (x87 floating point)", "#AC (alignment check)",
	"#MC (machine check)", "#XM (SIMD floating point)",
	"#VE (virtualization)", "#CP (control protection)",
};

/* The CPU waits in arch_idle: its ticks count as idle, not busy. */
DEFINE_PER_CPU(bool, in_idle);

void arch_dump_frame(const struct trap_frame *tf)
{
	uint64_t off;
	const char *sym = ksym_lookup(tf->rip, &off);

	printk(LOG_EMERG, "RIP: %04lx:0x%016lx <%s+0x%lx>\n", tf->cs, tf->rip, sym ? sym : "?", off);
	printk(LOG_EMERG, "RSP: %04lx:0x%016lx RFLAGS: 0x%08lx\n", tf->ss, tf->rsp, tf->rflags);
	printk(LOG_EMERG, "RAX: 0x%016lx RBX: 0x%016lx RCX: 0x%016lx\n", tf->rax, tf->rbx, tf->rcx);
	printk(LOG_EMERG, "RDX: 0x%016lx RSI: 0x%016lx RDI: 0x%016lx\n", tf->rdx, tf->rsi, tf->rdi);
	printk(LOG_EMERG, "RBP: 0x%016lx R08: 0x%016lx R09: 0x%016lx\n", tf->rbp, tf->r8, tf->r9);
	printk(LOG_EMERG, "R10: 0x%016lx R11: 0x%016lx R12: 0x%016lx\n", tf->r10, tf->r11, tf->r12);
	printk(LOG_EMERG, "R13: 0x%016lx R14: 0x%016lx R15: 0x%016lx\n", tf->r13, tf->r14, tf->r15);
	printk(LOG_EMERG, "CR2: 0x%016lx CR3: 0x%016lx\n", read_cr2(), read_cr3());
}

static void describe_page_fault(uint64_t err)
{
	printk(LOG_EMERG, "BUG: unable to handle page fault for address: 0x%016lx\n", read_cr2());
	printk(LOG_EMERG, "#PF: %s %s access in %s mode\n",
	       err & 0x10 ? "instruction fetch" : err & 2 ? "write" : "read",
	       err & 1 ? "protection-violating" : "not-present",
	       err & 4 ? "user" : "kernel");
}

static __noreturn void kernel_exception(struct trap_frame *tf)
{
	const char *name = tf->vector < 32 && exception_names[tf->vector] ?
			   exception_names[tf->vector] : "unknown exception";

	if (tf->vector == VEC_INVALID_OPCODE)
		ubsan_trap(tf->rip);
	if (!panic_begin())
		panic_finish();
	if (ktest_current())
		printk(LOG_EMERG, "ktest: FAIL %s: fatal exception\n", ktest_current());
	if (tf->vector == VEC_PAGE_FAULT)
		describe_page_fault(tf->error_code);
	printk(LOG_EMERG, "Oops: %s, error code 0x%lx, vector %lu\n", name, tf->error_code,
	       tf->vector);
	arch_dump_frame(tf);
	arch_backtrace(tf);
	printk(LOG_EMERG, "Kernel panic - not syncing: Fatal exception %s in kernel mode\n", name);
	panic_finish();
}

/* Interrupts (vector >= 32), from kernel or user mode. */
static void irq_dispatch(struct trap_frame *tf)
{
	if (tf->vector == VEC_LAPIC_TIMER) {
		bool busy = !(tf->cs & 3) && !*this_cpu_ptr(in_idle);

		lapic_eoi();
		timer_tick(tf, busy, tf->cs & 3);
		timers_tick(clock_monotonic_ns());
		return;
	}
	if (tf->vector == VEC_IPI_CALL) {
		lapic_eoi();
		smp_call_interrupt();
		return;
	}
	if (tf->vector == VEC_IPI_TLB) {
		lapic_eoi();
		tlb_shootdown_poll();
		return;
	}
	if (tf->vector == VEC_SPURIOUS)
		return;
	/* Spurious vectors of the masked legacy PIC (IRQ 7 and 15) need no EOI. */
	if (tf->vector == VEC_IRQ_BASE + 7 || tf->vector == VEC_IRQ_BASE + 15)
		return;
	/* A device line: its handlers run, then the EOI. */
	if (irq_line_dispatch(tf->vector))
		return;
	lapic_eoi();
}

void trap_dispatch(struct trap_frame *tf)
{
	bool from_user = tf->cs & 3;

	if (tf->vector < VEC_IRQ_BASE) {
		/* Exceptions in user mode go to kernel/ through user_run(). */
		if (from_user)
			user_trap_exit(tf, true);
		/* mm: user-memory accessors resume at their fixup (-EFAULT). */
		if (arch_fixup_exception(tf))
			return;
		kernel_exception(tf);
	}
	irq_enter();
	irq_dispatch(tf);
	irq_exit();	/* softirqs run here, interrupts enabled */
	if (from_user)
		user_trap_exit(tf, false);
	sched_preempt_point(tf->rflags & RFLAGS_IF);
}

void arch_idle(void)
{
	bool *idle = this_cpu_ptr(in_idle);

	*idle = true;
	cpu_idle_wait();
	*idle = false;
	watchdog_touch();
}

uint64_t arch_irq_save(void)
{
	return irq_save();
}

void arch_irq_restore(uint64_t flags)
{
	irq_restore(flags);
}

void arch_console_write(const char *s, size_t n)
{
	serial_write(s, n);
}

irqflags_t irq_local_save(void)
{
	return irq_save();
}

void irq_local_restore(irqflags_t flags)
{
	irq_restore(flags);
}

void cpu_spin_hint(void)
{
	/* A CPU spinning with interrupts off still answers TLB shootdowns. */
	tlb_shootdown_poll();
	cpu_relax();
}
