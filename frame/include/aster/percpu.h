/* SPDX-License-Identifier: MPL-2.0 */
/*
 * CPUs: which one runs the caller, how many are online, per-CPU variables,
 * and cross-CPU calls (inter-processor interrupts).
 *
 *	DEFINE_PER_CPU(uint64_t, hits);
 *	(*this_cpu_ptr(hits))++;		// interrupts off, or preemption off
 *	for (unsigned int c = 0; c < CPU_MAX; c++)
 *		if (cpu_is_online(c))
 *			sum += *per_cpu_ptr(hits, c);
 *
 *	static void poke(void *arg) { (*(int *)arg)++; }
 *	int n = 0;
 *	int err = cpu_call(1, poke, &n);	// runs poke on CPU 1, waits
 *
 * CPU numbers are dense: the boot CPU is 0, the others are numbered in the
 * order the firmware's MADT lists them, skipping those that did not start.
 * A CPU is online once it has started and answers interrupts; CPUs never
 * go offline.
 *
 * Today only CPU 0 schedules tasks: the others idle with interrupts on and
 * serve cpu_call.  So the calling task is on CPU 0, and cpu_current_id()
 * can change under a caller only once tasks migrate (a later step): read it
 * with interrupts or preemption off when the answer must stay true.
 *
 * Errors (negative errno): -EINVAL for a CPU number >= CPU_MAX or a NULL
 * function, -ENODEV for a CPU that is not online, -ETIMEDOUT when the
 * target did not run the call within CPU_CALL_TIMEOUT_MS (the call is then
 * withdrawn and will not run later), -EDEADLK when called with interrupts
 * off (two CPUs calling each other that way would wait forever), -EIO when
 * the local APIC did not accept the interrupt (the call did not run).
 */
#ifndef ASTER_PERCPU_H
#define ASTER_PERCPU_H

#include <aster/types.h>

/* CPUs beyond this many are reported at boot and left alone. */
#define CPU_MAX			64
#define CPU_CALL_TIMEOUT_MS	1000

/* The calling CPU's number: 0 (the boot CPU) .. cpu_count_online() - 1. */
unsigned int cpu_current_id(void);
/* CPUs started and answering interrupts, the boot CPU included (>= 1). */
unsigned int cpu_count_online(void);
bool cpu_is_online(unsigned int cpu);
/*
 * The CPUs the firmware listed as enabled, online or not (failed to start,
 * unreachable), capped at CPU_MAX.
 */
unsigned int cpu_count_present(void);
/* The local APIC id of an online CPU (UINT32_MAX if it is not online). */
uint32_t cpu_apic_id(unsigned int cpu);

/*
 * Per-CPU variables: one slot per possible CPU, each on its own cache line
 * so that CPUs updating their own slot do not share lines.  A slot belongs
 * to its CPU: touch another CPU's slot only for reading statistics or
 * through cpu_call on that CPU.
 */
#define PER_CPU_ALIGN		64
#define DEFINE_PER_CPU(type, name)						\
	struct percpu_slot_##name {						\
		type v;								\
	} __attribute__((aligned(PER_CPU_ALIGN)));				\
	static struct percpu_slot_##name percpu_##name[CPU_MAX]
#define per_cpu_ptr(name, cpu)	(&percpu_##name[(cpu) < CPU_MAX ? (cpu) : 0].v)
#define this_cpu_ptr(name)	per_cpu_ptr(name, cpu_current_id())

/*
 * Run fn(arg) on CPU `cpu` in interrupt context (interrupts off, no
 * sleeping) and wait for it to return.  On the calling CPU itself it runs
 * directly, with interrupts off.  One call at a time per target; others
 * wait their turn.
 */
typedef void (*cpu_call_fn)(void *arg);
int cpu_call(unsigned int cpu, cpu_call_fn fn, void *arg);
/*
 * The same on every other online CPU, one after the other.  Returns 0, or
 * the first error (the remaining CPUs are still called).
 */
int cpu_call_others(cpu_call_fn fn, void *arg);
/* Cross-CPU interrupts this CPU has served since boot. */
uint64_t cpu_ipi_count(unsigned int cpu);

#endif
