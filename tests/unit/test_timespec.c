// SPDX-License-Identifier: MPL-2.0
// Host tests of kernel/time/timespec.h: Linux's validity rules for
// timespec and timeval, and conversions that saturate instead of wrapping.
#include "tap.h"
#include "time/timespec.h"

static void test_valid(void)
{
	ok(timespec_valid(0, 0), "timespec 0.0 is valid");
	ok(timespec_valid(INT64_MAX, 999999999), "the largest timespec is valid");
	ok(!timespec_valid(-1, 0), "a negative second is EINVAL");
	ok(!timespec_valid(0, -1), "a negative nanosecond is EINVAL");
	ok(!timespec_valid(0, 1000000000), "a whole second of nanoseconds is EINVAL");
	ok(timeval_valid(5, 999999), "timeval 5.999999 is valid");
	ok(!timeval_valid(0, 1000000), "a whole second of microseconds is EINVAL");
	ok(!timeval_valid(-1, 0), "a negative timeval second is EINVAL");
}

static void test_to_ns(void)
{
	ok(time_to_ns(0, 0) == 0, "0 s is 0 ns");
	ok(time_to_ns(1, 5) == 1000000005ULL, "1 s 5 ns");
	ok(time_to_ns(9223372035, 999999999) == 9223372035999999999ULL,
	   "the last second below the limit converts exactly");
	ok(time_to_ns(9223372036, 0) == TIME_NS_MAX, "from 2^63 ns on it saturates");
	ok(time_to_ns(INT64_MAX, 999999999) == TIME_NS_MAX, "2^63-1 s saturates, not wraps");
	ok(TIME_NS_MAX + TIME_NS_MAX + 1 == UINT64_MAX, "a deadline now + TIME_NS_MAX cannot wrap");
}

static void test_from_ns(void)
{
	struct user_timespec ts = ns_to_timespec(3000000007ULL);
	struct user_timeval tv = ns_to_timeval(3000001999ULL);

	ok(ts.tv_sec == 3 && ts.tv_nsec == 7, "ns_to_timespec splits seconds and nanoseconds");
	ok(tv.tv_sec == 3 && tv.tv_usec == 1, "ns_to_timeval rounds microseconds down");
	ts = ns_to_timespec(TIME_NS_MAX);
	ok(ts.tv_sec == 9223372036 && ts.tv_nsec == 854775807, "TIME_NS_MAX reads as Linux's KTIME_MAX");
}

int main(void)
{
	plan(17);
	test_valid();
	test_to_ns();
	test_from_ns();
	return done();
}
