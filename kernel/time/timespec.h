/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Time values from and to user memory: struct timespec, timeval,
 * itimerspec and itimerval, validated and converted in one place.  Every
 * syscall that takes a time (clock_*, nanosleep, futex, rt_sigtimedwait,
 * poll/select, epoll_pwait2, timerfd, POSIX and interval timers, utimes)
 * goes through here, so they all reject and saturate alike.
 *
 *	uint64_t ns;
 *	int err = timespec_from_user(ts_ua, &ns);
 *	if (err)
 *		return err;		(-EFAULT or -EINVAL)
 *
 * Inside the kernel a time is a uint64_t count of nanoseconds.  Validation
 * is Linux's timespec64_valid / timeval_valid: a negative second or a
 * fraction outside [0, 1 s) is -EINVAL.  Conversion saturates at
 * TIME_NS_MAX (Linux's KTIME_MAX), so "now + value" never wraps either.
 */
#ifndef KERNEL_TIME_TIMESPEC_H
#define KERNEL_TIME_TIMESPEC_H

#include <aster/timer.h>
#include <aster/types.h>
#include <aster/uaccess.h>
#include "uapi/time.h"

#define TIME_NS_MAX	((uint64_t)INT64_MAX)

static inline bool timespec_valid(int64_t sec, int64_t nsec)
{
	return sec >= 0 && nsec >= 0 && nsec < (int64_t)NSEC_PER_SEC;
}

static inline bool timeval_valid(int64_t sec, int64_t usec)
{
	return sec >= 0 && usec >= 0 && usec < (int64_t)(NSEC_PER_SEC / NSEC_PER_USEC);
}

/* sec (>= 0) seconds and nsec (< 1 s) nanoseconds, saturating at TIME_NS_MAX. */
static inline uint64_t time_to_ns(int64_t sec, int64_t nsec)
{
	if ((uint64_t)sec >= TIME_NS_MAX / NSEC_PER_SEC)
		return TIME_NS_MAX;
	return (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

static inline struct user_timespec ns_to_timespec(uint64_t ns)
{
	return (struct user_timespec){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
}

/* Microseconds, rounded down as Linux's ns_to_timeval does. */
static inline struct user_timeval ns_to_timeval(uint64_t ns)
{
	return (struct user_timeval){ (int64_t)(ns / NSEC_PER_SEC),
				      (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

/* Each: 0, -EFAULT, or -EINVAL for a value timespec_valid/timeval_valid rejects. */
int timespec_from_user(uaddr_t ua, uint64_t *ns);
int timeval_from_user(uaddr_t ua, uint64_t *ns);
/* struct itimerspec / itimerval: the interval, then the value. */
int itimerspec_from_user(uaddr_t ua, uint64_t *interval, uint64_t *value);
int itimerval_from_user(uaddr_t ua, uint64_t *interval, uint64_t *value);

/* Each: 0 or -EFAULT. */
int timespec_to_user(uaddr_t ua, uint64_t ns);
int timeval_to_user(uaddr_t ua, uint64_t ns);
int itimerspec_to_user(uaddr_t ua, uint64_t interval, uint64_t value);
int itimerval_to_user(uaddr_t ua, uint64_t interval, uint64_t value);

#endif
