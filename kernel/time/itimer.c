// SPDX-License-Identifier: MPL-2.0
// Interval timers and the CPU-time limit: alarm, setitimer and getitimer
// for ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF, and RLIMIT_CPU.
//
// ITIMER_REAL is a frame timer that sends SIGALRM.  The CPU-time timers
// expire at a point of the process's CPU time (frame's accounting of its
// threads' tasks); the run loop checks them at every kernel entry of any
// of its threads while one is armed: each syscall, fault and timer tick.
#include <aster/errno.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "process/process.h"
#include "process/signal.h"
#include "time/time.h"
#include "time/timespec.h"
#include "syscall/syscall.h"
#include "uapi/time.h"
#include "uapi/resource.h"

/* ITIMER_REAL: the pending frame timer holds a reference on the process. */
static void itimer_fire(void *arg)
{
	struct process *p = arg;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool rearm = p->itimer_interval && p->state == PROCESS_ALIVE;

	p->alarm_timer = 0;
	if (rearm) {
		p->alarm_deadline += p->itimer_interval;
		p->alarm_timer = timer_add(p->itimer_interval, false, itimer_fire, p);
		if (p->alarm_timer < 0)
			p->alarm_timer = 0;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	(void)signal_send(p, SIGALRM);
	if (!p->alarm_timer)
		process_put(p);
}

/* Stop the real timer; returns the time that was left (0 if none). */
uint64_t itimer_real_cancel(struct process *p)
{
	uint64_t now = clock_monotonic_ns(), left = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool had = p->alarm_timer && timer_cancel(p->alarm_timer) == 0;

	if (had)
		left = p->alarm_deadline > now ? p->alarm_deadline - now : 1;
	p->alarm_timer = 0;
	spin_unlock_irqrestore(&process_table_lock, f);
	if (had)
		process_put(p);
	return left;
}

static int itimer_real_arm(struct process *p, uint64_t value, uint64_t interval)
{
	irqflags_t f;

	p->itimer_interval = interval;
	if (!value)
		return 0;
	process_get(p);
	f = spin_lock_irqsave(&process_table_lock);
	p->alarm_deadline = clock_monotonic_ns() + value;
	p->alarm_timer = timer_add(value, false, itimer_fire, p);
	if (p->alarm_timer < 0) {
		p->alarm_timer = 0;
		spin_unlock_irqrestore(&process_table_lock, f);
		process_put(p);
		return -ENOMEM;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return 0;
}

static uint64_t real_left(struct process *p)
{
	uint64_t now = clock_monotonic_ns();

	if (!p->alarm_timer)
		return 0;
	return p->alarm_deadline > now ? p->alarm_deadline - now : 1;
}

/*
 * RLIMIT_CPU: SIGXCPU once the soft limit is reached and then once per
 * CPU second, SIGKILL at the hard limit.  A soft limit of 0 acts as 1 s,
 * as on Linux.
 */
static void rlimit_cpu_check(struct process *p, uint64_t cpu_ns)
{
	uint64_t soft = p->rlimits[RLIMIT_CPU].cur, hard = p->rlimits[RLIMIT_CPU].max;
	uint64_t secs = cpu_ns / NSEC_PER_SEC;

	if (hard != RLIM_INFINITY && secs >= hard) {
		(void)signal_send(p, SIGKILL);
		return;
	}
	if (soft != RLIM_INFINITY && secs >= MAX(soft, 1ULL) && secs + 1 > p->xcpu_sent_s) {
		p->xcpu_sent_s = secs + 1;
		(void)signal_send(p, SIGXCPU);
	}
}

/* Has the timer reached its expiry at CPU time now?  Reloads it if so. */
static bool cpu_itimer_expired(struct cpu_itimer *it, uint64_t now)
{
	if (!it->expires || now < it->expires)
		return false;
	if (!it->interval) {
		it->expires = 0;
		return true;
	}
	/* Overruns are not queued: the next expiry is the next period ahead. */
	it->expires += it->interval * ((now - it->expires) / it->interval + 1);
	return true;
}

void cpu_timers_check(struct process *p)
{
	uint64_t ut, st;
	bool vtalrm, prof;
	irqflags_t f;

	process_times(p, &ut, &st);
	f = spin_lock_irqsave(&process_table_lock);
	vtalrm = cpu_itimer_expired(&p->cpu_itimer[0], ut);
	prof = cpu_itimer_expired(&p->cpu_itimer[1], ut + st);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (vtalrm)
		(void)signal_send(p, SIGVTALRM);
	if (prof)
		(void)signal_send(p, SIGPROF);
	posix_cpu_timers_check(p);
	rlimit_cpu_check(p, ut + st);
}

/* The CPU time timer idx counts: user time (VIRTUAL) or all of it (PROF). */
static uint64_t cpu_itimer_clock(struct process *p, int idx)
{
	uint64_t ut, st;

	process_times(p, &ut, &st);
	return idx == 0 ? ut : ut + st;
}

long sys_alarm(unsigned int seconds)
{
	struct process *p = current_process();
	uint64_t left = itimer_real_cancel(p);
	uint32_t secs = seconds;

	(void)itimer_real_arm(p, secs * NSEC_PER_SEC, 0);
	/* Rounded to the nearest second, and never 0 for an alarm that was pending. */
	if (!left)
		return 0;
	return (long)MAX((left + NSEC_PER_SEC / 2) / NSEC_PER_SEC, 1ULL);
}

/* What is left of CPU timer it at CPU time now (0 when disarmed). */
static uint64_t cpu_itimer_left(const struct cpu_itimer *it, uint64_t now)
{
	if (!it->expires)
		return 0;
	return it->expires > now ? it->expires - now : 1;
}

long sys_getitimer(int which, uaddr_t curr_value)
{
	struct process *p = current_process();
	struct cpu_itimer it;
	uint64_t now;
	irqflags_t f;

	if (which == ITIMER_REAL)
		return itimerval_to_user(curr_value, p->itimer_interval, real_left(p));
	if (which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	now = cpu_itimer_clock(p, which - ITIMER_VIRTUAL);
	f = spin_lock_irqsave(&process_table_lock);
	it = p->cpu_itimer[which - ITIMER_VIRTUAL];
	spin_unlock_irqrestore(&process_table_lock, f);
	return itimerval_to_user(curr_value, it.interval, cpu_itimer_left(&it, now));
}

static long setitimer_real(struct process *p, uint64_t interval, uint64_t value, uaddr_t old_ua)
{
	uint64_t old_interval = p->itimer_interval;
	uint64_t left = itimer_real_cancel(p);

	if (old_ua && itimerval_to_user(old_ua, old_interval, left))
		return -EFAULT;
	return itimer_real_arm(p, value, interval);
}

static long setitimer_cpu(struct process *p, int idx, uint64_t interval, uint64_t value,
			  uaddr_t old_ua)
{
	uint64_t now = cpu_itimer_clock(p, idx);
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct cpu_itimer old = p->cpu_itimer[idx];

	p->cpu_itimer[idx] = (struct cpu_itimer){ value ? now + value : 0, value ? interval : 0 };
	spin_unlock_irqrestore(&process_table_lock, f);
	if (old_ua && itimerval_to_user(old_ua, old.interval, cpu_itimer_left(&old, now)))
		return -EFAULT;
	return 0;
}

long sys_setitimer(int which, uaddr_t new_value, uaddr_t old_value)
{
	struct process *p = current_process();
	uint64_t interval, value;
	int err;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	interval = value = 0;	/* NULL reads as zero, as Linux allows */
	err = new_value ? itimerval_from_user(new_value, &interval, &value) : 0;
	if (err)
		return err;
	if (which == ITIMER_REAL)
		return setitimer_real(p, interval, value, old_value);
	return setitimer_cpu(p, which - ITIMER_VIRTUAL, interval, value, old_value);
}
