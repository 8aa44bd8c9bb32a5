/* SPDX-License-Identifier: MPL-2.0 */
/*
 * What kernel/process/ uses of kernel/time/: the timers a process owns
 * (ITIMER_REAL, the CPU-time timers and RLIMIT_CPU, POSIX timers) end with
 * it or with exec, and the run loop checks the CPU-time ones.
 */
#ifndef KERNEL_TIME_TIME_H
#define KERNEL_TIME_TIME_H
#include "process/process.h"
#include "process/signal.h"

/* Stop ITIMER_REAL/alarm; the time that was left. */
uint64_t itimer_real_cancel(struct process *p);
/*
 * ITIMER_VIRTUAL, ITIMER_PROF, a POSIX timer on p's CPU clocks or a
 * finite RLIMIT_CPU is set (a cheap test for every kernel entry); cpu_timers_check then sends the signals of
 * those that p's CPU time has reached.
 */
static inline bool cpu_timers_armed(const struct process *p)
{
	return p->cpu_itimer[0].expires || p->cpu_itimer[1].expires || p->posix_cpu_timers ||
	       p->rlimits[RLIMIT_CPU].cur != UINT64_MAX || p->rlimits[RLIMIT_CPU].max != UINT64_MAX;
}
void cpu_timers_check(struct process *p);
/* The POSIX timers on p's CPU clocks (posix_timer.c), for cpu_timers_check. */
void posix_cpu_timers_check(struct process *p);

/* POSIX timers: all of p's end (exec, exit); a SI_TIMER signal was taken (fills si_overrun). */
void posix_timers_delete_all(struct process *p);
void posix_timer_taken_locked(struct process *p, struct k_siginfo *info);

#endif
