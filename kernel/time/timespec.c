// SPDX-License-Identifier: MPL-2.0
// Time values between user memory and nanoseconds (see timespec.h).
#include <aster/errno.h>
#include "time/timespec.h"

int timespec_from_user(uaddr_t ua, uint64_t *ns)
{
	struct user_timespec ts;

	if (copy_from_user(&ts, ua, sizeof(ts)))
		return -EFAULT;
	if (!timespec_valid(ts.tv_sec, ts.tv_nsec))
		return -EINVAL;
	*ns = time_to_ns(ts.tv_sec, ts.tv_nsec);
	return 0;
}

int timeval_from_user(uaddr_t ua, uint64_t *ns)
{
	struct user_timeval tv;

	if (copy_from_user(&tv, ua, sizeof(tv)))
		return -EFAULT;
	if (!timeval_valid(tv.tv_sec, tv.tv_usec))
		return -EINVAL;
	*ns = time_to_ns(tv.tv_sec, tv.tv_usec * (int64_t)NSEC_PER_USEC);
	return 0;
}

int itimerspec_from_user(uaddr_t ua, uint64_t *interval, uint64_t *value)
{
	struct user_timespec its[2];

	if (copy_from_user(its, ua, sizeof(its)))
		return -EFAULT;
	if (!timespec_valid(its[0].tv_sec, its[0].tv_nsec) ||
	    !timespec_valid(its[1].tv_sec, its[1].tv_nsec))
		return -EINVAL;
	*interval = time_to_ns(its[0].tv_sec, its[0].tv_nsec);
	*value = time_to_ns(its[1].tv_sec, its[1].tv_nsec);
	return 0;
}

int itimerval_from_user(uaddr_t ua, uint64_t *interval, uint64_t *value)
{
	struct user_timeval itv[2];

	if (copy_from_user(itv, ua, sizeof(itv)))
		return -EFAULT;
	if (!timeval_valid(itv[0].tv_sec, itv[0].tv_usec) ||
	    !timeval_valid(itv[1].tv_sec, itv[1].tv_usec))
		return -EINVAL;
	*interval = time_to_ns(itv[0].tv_sec, itv[0].tv_usec * (int64_t)NSEC_PER_USEC);
	*value = time_to_ns(itv[1].tv_sec, itv[1].tv_usec * (int64_t)NSEC_PER_USEC);
	return 0;
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
