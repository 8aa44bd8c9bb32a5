// SPDX-License-Identifier: MPL-2.0
// Clocks and sleeping: clock_gettime and friends, nanosleep, clock_nanosleep.
#include <aster/errno.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "process/process.h"
#include "process/signal.h"
#include "time/time.h"
#include "time/timespec.h"
#include "syscall/syscall.h"
#include "uapi/time.h"
#include "process/capability.h"

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
	case CLOCK_REALTIME_COARSE:
		/* The last tick's time, the value the vDSO reads from the vvar page. */
		*ns = clock_realtime_coarse_ns();
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		*ns = clock_monotonic_coarse_ns();
		return 0;
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
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

long sys_clock_gettime(int clockid, uaddr_t tp)
{
	uint64_t ns;
	int err = clock_now((int64_t)clockid, &ns);

	if (err)
		return err;
	return timespec_to_user(tp, ns);
}

long sys_clock_getres(int clockid, uaddr_t res)
{
	uint64_t ns;
	int64_t id = clockid;
	int err = clock_now(id, &ns);

	if (err)
		return err;
	if (!res)
		return 0;
	/*
	 * The coarse clocks tick with the scheduler, and so do the
	 * CPUCLOCK_PROF and CPUCLOCK_VIRT clocks of clock ids made by hand
	 * (Linux: one jiffy); the rest, CPUCLOCK_SCHED ones included, are
	 * precise.
	 */
	return timespec_to_user(res, id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE ||
				     (id < 0 && (id & CPUCLOCK_CLOCK_MASK) != CPUCLOCK_SCHED) ?
				     clock_coarse_resolution_ns() : 1);
}

/* clock_settime and settimeofday: setting the wall clock needs CAP_SYS_TIME. */
static long realtime_set(uint64_t ns)
{
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	clock_realtime_set(ns);
	return 0;
}

long sys_clock_settime(int clockid, uaddr_t tp)
{
	uint64_t ns = 0;
	int err;

	if (clockid != CLOCK_REALTIME)
		return -EINVAL;
	/* Read first: an argument list would not order the read before the use of ns. */
	err = timespec_from_user(tp, &ns);
	return err ? err : realtime_set(ns);
}

long sys_gettimeofday(uaddr_t tv, uaddr_t tz)
{
	int32_t ktz[2] = { 0, 0 };

	if (tv && timeval_to_user(tv, clock_realtime_ns()))
		return -EFAULT;
	if (tz && copy_to_user(tz, ktz, sizeof(ktz)))
		return -EFAULT;
	return 0;
}

long sys_settimeofday(uaddr_t tv, uaddr_t tz)
{
	uint64_t ns = 0;
	int err;

	if (!tv)
		return 0;
	err = timeval_from_user(tv, &ns);
	return err ? err : realtime_set(ns);
}

long sys_time(uaddr_t tloc)
{
	int64_t now = (int64_t)(clock_realtime_ns() / NSEC_PER_SEC);

	if (tloc && put_user_u64(tloc, (uint64_t)now))
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

/* Wake-ups of a sleep on a CPU clock, which no timer tracks: it is sampled this often. */
#define CPU_SLEEP_STEP_NS	1000000ULL

/*
 * clock_nanosleep on a CPU clock, as Linux: CLOCK_THREAD_CPUTIME_ID has no
 * sleep (EOPNOTSUPP; glibc says EINVAL itself), nor does a thread clock of
 * the caller itself (EINVAL), which could never advance.  The others
 * (this or another process, another thread of this one) are sampled until
 * they reach the deadline; a clock whose task has gone ends the sleep.
 */
static long cpu_nanosleep(int64_t clock, bool absolute, uint64_t ns, uaddr_t rem)
{
	pid_t pid = (pid_t)~(clock >> 3);
	uint64_t now, until;

	if (clock == CLOCK_THREAD_CPUTIME_ID)
		return -EOPNOTSUPP;
	if (clock < 0 && (clock & CPUCLOCK_PERTHREAD) && (!pid || pid == current_thread()->tid))
		return -EINVAL;
	if (clock_now(clock, &now))
		return -EINVAL;
	until = absolute ? ns : (ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
	while (now < until) {
		if (sleep_interruptible(MIN(until - now, CPU_SLEEP_STEP_NS)) == -ERESTARTSYS) {
			if (!absolute && rem && timespec_to_user(rem, until - now))
				return -EFAULT;
			return absolute ? -ERESTARTNOHAND : -EINTR;
		}
		if (clock_now(clock, &now))
			return 0;
	}
	return 0;
}

static long do_nanosleep(int64_t clock, bool absolute, uaddr_t req, uaddr_t rem)
{
	bool realtime = clock == CLOCK_REALTIME || clock == CLOCK_TAI;
	uint64_t ns, now, until, left = 0;
	int err;

	/* Clocks without a sleep, before the request is read, as Linux. */
	if (clock == CLOCK_THREAD_CPUTIME_ID || (clock < 0 && (clock & CLOCKFD_MASK) == CLOCKFD))
		return -EOPNOTSUPP;
	err = timespec_from_user(req, &ns);
	if (err)
		return err;
	if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID || clock < 0)
		return cpu_nanosleep(clock, absolute, ns, rem);
	if (clock_now(clock, &now))
		return -EINVAL;
	/*
	 * Only an absolute deadline follows the realtime clock when it is set;
	 * a relative sleep lasts ns whatever happens to it (POSIX), so it is
	 * measured on the monotonic clock.
	 */
	if (!absolute)
		realtime = false;
	if (!realtime)
		now = clock_monotonic_ns();
	until = absolute ? ns : (ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
	err = sleep_until(realtime, until, &left);
	if (err != -ERESTARTSYS)
		return 0;
	/* Interrupted: report what is left; the syscall is not restarted after a handler. */
	if (!absolute && rem && timespec_to_user(rem, left))
		return -EFAULT;
	return absolute ? -ERESTARTNOHAND : -EINTR;
}

long sys_nanosleep(uaddr_t req, uaddr_t rem)
{
	return do_nanosleep(CLOCK_MONOTONIC, false, req, rem);
}

long sys_clock_nanosleep(int clockid, int flags, uaddr_t request, uaddr_t remain)
{
	long err;

	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	err = do_nanosleep(clockid, flags & TIMER_ABSTIME, request, remain);
	/* clock_nanosleep returns the error number itself, as the syscall does on Linux too. */
	return err;
}
