// SPDX-License-Identifier: MPL-2.0
// Clocks and sleeping: clock_gettime and friends, nanosleep, clock_nanosleep.
#include <aster/errno.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "process/internal.h"
#include "syscall/syscall.h"
#include "uapi/time.h"

/*
 * The CPU clocks of clock_getcpuclockid and pthread_getcpuclockid: a
 * negative id, ~pid << 3 | kind (0 user+system, 1 user, 2 scheduler time),
 * bit 2 for a thread of the caller's own process.
 */

static int cpu_clock_now(int64_t id, uint64_t *ns)
{
	pid_t pid = (pid_t)~(id >> 3);
	struct process *p;
	uint64_t ut, st;
	int err = 0;

	if ((id & 3) == 3)
		return -EINVAL;
	if (id & CPUCLOCK_PERTHREAD) {
		p = current_process();
		err = thread_times_of(p, pid ? pid : current_thread()->tid, &ut, &st);
	} else {
		p = pid ? process_find(pid) : current_process();
		if (!p)
			return -EINVAL;
		process_times(p, &ut, &st);
		if (pid)
			process_put(p);
	}
	if (err)
		return -EINVAL;	/* Linux's answer for a clock of no (reachable) task */
	*ns = (id & 3) == CPUCLOCK_VIRT ? ut : ut + st;
	return 0;
}

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
		thread_times(t, &ut, &st);
		*ns = ut + st;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		process_times(t->proc, &ut, &st);
		*ns = ut + st;
		return 0;
	default:
		return id < 0 ? cpu_clock_now(id, ns) : -EINVAL;
	}
}

static int put_timespec(uaddr_t ua, uint64_t ns)
{
	int64_t ts[2] = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };

	return copy_to_user(ua, ts, sizeof(ts)) ? -EFAULT : 0;
}

static int get_timespec(uaddr_t ua, uint64_t *ns)
{
	int64_t ts[2];

	if (copy_from_user(ts, ua, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts[0] > UINT64_MAX / NSEC_PER_SEC - 1)
		*ns = UINT64_MAX;
	else
		*ns = (uint64_t)ts[0] * NSEC_PER_SEC + (uint64_t)ts[1];
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
				     NSEC_PER_SEC / 100 : 1);
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
	int64_t tv[2] = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000) };
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
	clock_realtime_set((uint64_t)tv[0] * NSEC_PER_SEC + (uint64_t)tv[1] * 1000);
	return 0;
}

long sys_time(const struct syscall_args *a)
{
	int64_t now = (int64_t)(clock_realtime_ns() / NSEC_PER_SEC);

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
