/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/time.h>: clock ids, timer flags, interval timers.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_TIME_H
#define ASTER_UAPI_TIME_H

#include <aster/types.h>

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

#define ITIMER_REAL		0
#define ITIMER_VIRTUAL		1
#define ITIMER_PROF		2

/* struct timespec and struct timeval (x86-64: 64-bit seconds and fraction). */
struct user_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct user_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

/*
 * The encoding of dynamic CPU-time clock ids (clock_getcpuclockid,
 * pthread_getcpuclockid): Linux keeps it in include/linux/posix-timers.h,
 * which is not exported, so the host test cannot check it.
 */
#define CPUCLOCK_PROF		0
#define CPUCLOCK_VIRT		1
#define CPUCLOCK_SCHED		2
#define CPUCLOCK_CLOCK_MASK	3
#define CPUCLOCK_PERTHREAD	4
/* CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID are these with pid 0. */
#define MAKE_CPUCLOCK(pid, kind)	((int64_t)~(int64_t)(pid) * 8 | (kind))
/* A dynamic (PTP) clock: ~fd << 3 | CLOCKFD. */
#define CLOCKFD			3
#define CLOCKFD_MASK		7

#endif
