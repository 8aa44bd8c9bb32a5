// SPDX-License-Identifier: MPL-2.0
// Clocks and sleeping: clock_gettime and friends, nanosleep, alarm.
#include <aster/errno.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "process/internal.h"
#include "syscall/syscall.h"

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_TAI			11
#define TIMER_ABSTIME			1

#define NSEC	1000000000ULL

static int clock_now(int64_t id, uint64_t *ns)
{
	struct thread *t = current_thread();
	uint64_t ut, st;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*ns = clock_monotonic_ns();
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		thread_account(t, false);
		*ns = t->utime_ns + t->stime_ns;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID: {
		struct thread *it;
		irqflags_t f;

		thread_account(t, false);
		f = spin_lock_irqsave(&process_table_lock);
		ut = t->proc->utime_ns;
		st = t->proc->stime_ns;
		list_for_each_entry(it, &t->proc->threads, proc_node) {
			ut += it->utime_ns;
			st += it->stime_ns;
		}
		spin_unlock_irqrestore(&process_table_lock, f);
		*ns = ut + st;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int put_timespec(uaddr_t ua, uint64_t ns)
{
	int64_t ts[2] = { (int64_t)(ns / NSEC), (int64_t)(ns % NSEC) };

	return copy_to_user(ua, ts, sizeof(ts)) ? -EFAULT : 0;
}

static int get_timespec(uaddr_t ua, uint64_t *ns)
{
	int64_t ts[2];

	if (copy_from_user(ts, ua, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC)
		return -EINVAL;
	if ((uint64_t)ts[0] > UINT64_MAX / NSEC - 1)
		*ns = UINT64_MAX;
	else
		*ns = (uint64_t)ts[0] * NSEC + (uint64_t)ts[1];
	return 0;
}

long sys_clock_gettime(const struct syscall_args *a)
{
	uint64_t ns;
	int err = clock_now((int64_t)(int32_t)a->a[0], &ns);

	if (err)
		return err;
	return put_timespec(a->a[1], ns);
}

long sys_clock_getres(const struct syscall_args *a)
{
	uint64_t ns;
	int64_t id = (int32_t)a->a[0];
	int err = clock_now(id, &ns);

	if (err)
		return err;
	if (!a->a[1])
		return 0;
	/* The coarse clocks tick with the scheduler (100 Hz); the rest are precise. */
	return put_timespec(a->a[1], id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE ?
				     NSEC / 100 : 1);
}

long sys_clock_settime(const struct syscall_args *a)
{
	uint64_t ns;
	int err;

	if ((int32_t)a->a[0] != CLOCK_REALTIME)
		return -EINVAL;
	err = get_timespec(a->a[1], &ns);
	if (err)
		return err;
	if (current_process()->cred.euid != 0)
		return -EPERM;
	clock_realtime_set(ns);
	return 0;
}

long sys_gettimeofday(const struct syscall_args *a)
{
	uint64_t ns = clock_realtime_ns();
	int64_t tv[2] = { (int64_t)(ns / NSEC), (int64_t)(ns % NSEC / 1000) };
	int32_t tz[2] = { 0, 0 };

	if (a->a[0] && copy_to_user(a->a[0], tv, sizeof(tv)))
		return -EFAULT;
	if (a->a[1] && copy_to_user(a->a[1], tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

long sys_settimeofday(const struct syscall_args *a)
{
	int64_t tv[2];

	if (!a->a[0])
		return 0;
	if (copy_from_user(tv, a->a[0], sizeof(tv)))
		return -EFAULT;
	if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
		return -EINVAL;
	if (current_process()->cred.euid != 0)
		return -EPERM;
	clock_realtime_set((uint64_t)tv[0] * NSEC + (uint64_t)tv[1] * 1000);
	return 0;
}

long sys_time(const struct syscall_args *a)
{
	int64_t now = (int64_t)(clock_realtime_ns() / NSEC);

	if (a->a[0] && put_user_u64(a->a[0], (uint64_t)now))
		return -EFAULT;
	return now;
}

/* Sleep until the clock reads `until`; on a signal, *left is what remained. */
static int sleep_until(bool realtime, uint64_t until, uint64_t *left)
{
	for (;;) {
		uint64_t now = realtime ? clock_realtime_ns() : clock_monotonic_ns();
		int err;

		if (now >= until)
			return 0;
		err = sleep_interruptible(until - now);
		if (err == -ERESTARTSYS) {
			now = realtime ? clock_realtime_ns() : clock_monotonic_ns();
			*left = until > now ? until - now : 0;
			return err;
		}
	}
}

static long do_nanosleep(int64_t clock, bool absolute, uaddr_t req, uaddr_t rem)
{
	bool realtime = clock == CLOCK_REALTIME || clock == CLOCK_TAI;
	uint64_t ns, now, until, left = 0;
	int err = get_timespec(req, &ns);

	if (err)
		return err;
	if (clock == CLOCK_THREAD_CPUTIME_ID)
		return -EOPNOTSUPP;
	if (clock_now(clock, &now))
		return -EINVAL;
	if (!realtime)
		now = clock_monotonic_ns();
	until = absolute ? ns : (ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
	err = sleep_until(realtime, until, &left);
	if (err != -ERESTARTSYS)
		return 0;
	/* Interrupted: report what is left; the syscall is not restarted after a handler. */
	if (!absolute && rem && put_timespec(rem, left))
		return -EFAULT;
	return absolute ? -ERESTARTNOHAND : -EINTR;
}

long sys_nanosleep(const struct syscall_args *a)
{
	return do_nanosleep(CLOCK_MONOTONIC, false, a->a[0], a->a[1]);
}

long sys_clock_nanosleep(const struct syscall_args *a)
{
	long err;

	if ((int32_t)a->a[1] & ~TIMER_ABSTIME)
		return -EINVAL;
	err = do_nanosleep((int32_t)a->a[0], a->a[1] & TIMER_ABSTIME, a->a[2], a->a[3]);
	/* clock_nanosleep returns the error number itself, as the syscall does on Linux too. */
	return err;
}

/*
 * ITIMER_REAL (alarm and setitimer): SIGALRM when it expires, re-armed
 * with the interval.  The pending timer holds a reference on the process.
 */
#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

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

long sys_alarm(const struct syscall_args *a)
{
	struct process *p = current_process();
	uint64_t left = itimer_real_cancel(p);
	uint32_t secs = (uint32_t)a->a[0];

	(void)itimer_real_arm(p, secs * NSEC, 0);
	/* Rounded to the nearest second, and never 0 for an alarm that was pending. */
	if (!left)
		return 0;
	return (long)MAX((left + NSEC / 2) / NSEC, 1ULL);
}

/* struct itimerval: interval then value, each a timeval. */
static int put_itimerval(uaddr_t ua, uint64_t interval, uint64_t value)
{
	int64_t v[4] = { (int64_t)(interval / NSEC), (int64_t)(interval % NSEC / 1000),
			 (int64_t)(value / NSEC), (int64_t)(value % NSEC / 1000) };

	/* A running timer never reads as stopped. */
	if (value && !v[2] && !v[3])
		v[3] = 1;
	return copy_to_user(ua, v, sizeof(v)) ? -EFAULT : 0;
}

static uint64_t real_left(struct process *p)
{
	uint64_t now = clock_monotonic_ns();

	if (!p->alarm_timer)
		return 0;
	return p->alarm_deadline > now ? p->alarm_deadline - now : 1;
}

long sys_getitimer(const struct syscall_args *a)
{
	struct process *p = current_process();

	if ((int)a->a[0] == ITIMER_VIRTUAL || (int)a->a[0] == ITIMER_PROF)
		return put_itimerval(a->a[1], 0, 0);
	if ((int)a->a[0] != ITIMER_REAL)
		return -EINVAL;
	return put_itimerval(a->a[1], p->itimer_interval, real_left(p));
}

long sys_setitimer(const struct syscall_args *a)
{
	struct process *p = current_process();
	uint64_t old_interval = p->itimer_interval, left;
	int64_t v[4];

	if ((int)a->a[0] != ITIMER_REAL)
		return -EINVAL;	/* CPU-time timers are not implemented */
	if (a->a[1] && copy_from_user(v, a->a[1], sizeof(v)))
		return -EFAULT;
	if (a->a[1] && (v[0] < 0 || v[1] < 0 || v[1] >= 1000000 || v[2] < 0 || v[3] < 0 || v[3] >= 1000000))
		return -EINVAL;
	left = itimer_real_cancel(p);
	if (a->a[2] && put_itimerval(a->a[2], old_interval, left))
		return -EFAULT;
	if (!a->a[1]) {
		p->itimer_interval = 0;
		return 0;
	}
	return itimer_real_arm(p, (uint64_t)v[2] * NSEC + (uint64_t)v[3] * 1000,
			       (uint64_t)v[0] * NSEC + (uint64_t)v[1] * 1000);
}
