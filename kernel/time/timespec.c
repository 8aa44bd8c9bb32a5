// SPDX-License-Identifier: MPL-2.0
// Time values between user memory and nanoseconds (see timespec.h).
#include <aster/errno.h>
#include "time/timespec.h"

/* The nanoseconds of a user timespec/timeval, or -EINVAL. */
static int timespec_ns(const struct user_timespec *ts, uint64_t *ns)
{
	if (!timespec_valid(ts->tv_sec, ts->tv_nsec))
		return -EINVAL;
	*ns = time_to_ns(ts->tv_sec, ts->tv_nsec);
	return 0;
}

static int timeval_ns(const struct user_timeval *tv, uint64_t *ns)
{
	if (!timeval_valid(tv->tv_sec, tv->tv_usec))
		return -EINVAL;
	*ns = time_to_ns(tv->tv_sec, tv->tv_usec * (int64_t)NSEC_PER_USEC);
	return 0;
}

int timespec_from_user(uaddr_t ua, uint64_t *ns)
{
	struct user_timespec ts;

	if (copy_from_user(&ts, ua, sizeof(ts)))
		return -EFAULT;
	return timespec_ns(&ts, ns);
}

int timeval_from_user(uaddr_t ua, uint64_t *ns)
{
	struct user_timeval tv;

	if (copy_from_user(&tv, ua, sizeof(tv)))
		return -EFAULT;
	return timeval_ns(&tv, ns);
}

int itimerspec_from_user(uaddr_t ua, uint64_t *interval, uint64_t *value)
{
	struct user_timespec its[2];
	int err;

	if (copy_from_user(its, ua, sizeof(its)))
		return -EFAULT;
	err = timespec_ns(&its[0], interval);
	return err ? err : timespec_ns(&its[1], value);
}

int itimerval_from_user(uaddr_t ua, uint64_t *interval, uint64_t *value)
{
	struct user_timeval itv[2];
	int err;

	if (copy_from_user(itv, ua, sizeof(itv)))
		return -EFAULT;
	err = timeval_ns(&itv[0], interval);
	return err ? err : timeval_ns(&itv[1], value);
}

int timespec_to_user(uaddr_t ua, uint64_t ns)
{
	struct user_timespec ts = ns_to_timespec(ns);

	return copy_to_user(ua, &ts, sizeof(ts)) ? -EFAULT : 0;
}

int timeval_to_user(uaddr_t ua, uint64_t ns)
{
	struct user_timeval tv = ns_to_timeval(ns);

	return copy_to_user(ua, &tv, sizeof(tv)) ? -EFAULT : 0;
}

int itimerspec_to_user(uaddr_t ua, uint64_t interval, uint64_t value)
{
	struct user_timespec its[2] = { ns_to_timespec(interval), ns_to_timespec(value) };

	return copy_to_user(ua, its, sizeof(its)) ? -EFAULT : 0;
}

int itimerval_to_user(uaddr_t ua, uint64_t interval, uint64_t value)
{
	struct user_timeval itv[2] = { ns_to_timeval(interval), ns_to_timeval(value) };

	/* A running timer never reads as stopped (Linux rounds up to 1 us). */
	if (value && !itv[1].tv_sec && !itv[1].tv_usec)
		itv[1].tv_usec = 1;
	return copy_to_user(ua, itv, sizeof(itv)) ? -EFAULT : 0;
}
