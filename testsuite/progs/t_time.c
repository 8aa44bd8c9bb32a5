/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_time -- clocks and sleeping: clock_gettime (through libc, which may use
 * the vDSO, and through the raw syscall) for every clock, clock_getres,
 * gettimeofday, time, nanosleep and clock_nanosleep (relative and
 * TIMER_ABSTIME) sleeping at least the requested time, and EINVAL for bad
 * clock ids and bad timespecs.
 */
#include "check.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#ifndef CLOCK_BOOTTIME
#define CLOCK_BOOTTIME 7
#endif

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static const struct { clockid_t id; const char *name; } clocks[] = {
	{ CLOCK_REALTIME, "CLOCK_REALTIME" },
	{ CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
	{ CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID" },
	{ CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID" },
	{ CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW" },
	{ CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE" },
	{ CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE" },
	{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
};

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	char d[128];
	struct timespec a, b, r;

	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
		clockid_t id = clocks[i].id;
		snprintf(d, sizeof d, "clock_gettime %s", clocks[i].name);
		CHECK_RET(clock_gettime(id, &a), 0, d);
		snprintf(d, sizeof d, "raw clock_gettime %s", clocks[i].name);
		CHECK_RET(syscall(SYS_clock_gettime, id, &b), 0, d);
		snprintf(d, sizeof d, "%s: valid and non-decreasing", clocks[i].name);
		CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && b.tv_nsec >= 0 &&
		      b.tv_nsec < 1000000000 && ns(&b) >= ns(&a) - 20000000LL, d,
		      "first %lld.%09ld, then %lld.%09ld", (long long)a.tv_sec, a.tv_nsec,
		      (long long)b.tv_sec, b.tv_nsec);
		snprintf(d, sizeof d, "clock_getres %s", clocks[i].name);
		r.tv_sec = -1;
		CHECK_RET(clock_getres(id, &r), 0, d);
		snprintf(d, sizeof d, "%s resolution in (0, 1 s]", clocks[i].name);
		CHECK(ns(&r) > 0 && ns(&r) <= 1000000000LL, d, "got %lld.%09ld", (long long)r.tv_sec, r.tv_nsec);
	}
	CHECK_RET(syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL), 0, "clock_getres NULL res");

	/* relations between clocks */
	struct timespec rt, mono, boot;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	CHECK(rt.tv_sec > 1000000000, "CLOCK_REALTIME is after 2001", "got %lld", (long long)rt.tv_sec);
	CHECK(ns(&boot) >= ns(&mono) - 1000000, "CLOCK_BOOTTIME >= CLOCK_MONOTONIC",
	      "boot %lld mono %lld", ns(&boot), ns(&mono));
	struct timeval tv;
	CHECK_RET(gettimeofday(&tv, NULL), 0, "gettimeofday");
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000 && llabs((long long)tv.tv_sec - rt.tv_sec) <= 2,
	      "gettimeofday agrees with CLOCK_REALTIME", "tv %lld.%06ld rt %lld", (long long)tv.tv_sec,
	      (long)tv.tv_usec, (long long)rt.tv_sec);
	CHECK_RET(syscall(SYS_gettimeofday, &tv, NULL), 0, "raw gettimeofday");
	time_t t1 = 0, t2 = time(&t1);
	CHECK(t1 == t2 && llabs((long long)t2 - rt.tv_sec) <= 2, "time agrees with CLOCK_REALTIME",
	      "time %lld/%lld rt %lld", (long long)t1, (long long)t2, (long long)rt.tv_sec);
	CHECK(llabs(syscall(SYS_time, NULL) - (long long)rt.tv_sec) <= 2, "raw time(NULL)", "differs");

	/* sleeping */
	struct timespec req = { 0, 100000000 }, rem = { 9, 9 };
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK_RET(nanosleep(&req, &rem), 0, "nanosleep 100 ms");
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK(ns(&b) - ns(&a) >= 100000000LL, "nanosleep slept at least 100 ms", "slept %lld ns",
	      ns(&b) - ns(&a));
	CHECK(ns(&b) - ns(&a) < 5000000000LL, "nanosleep 100 ms took less than 5 s", "slept %lld ns",
	      ns(&b) - ns(&a));
	req.tv_nsec = 50000000;
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK_RET(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0, "clock_nanosleep relative 50 ms");
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK(ns(&b) - ns(&a) >= 50000000LL, "clock_nanosleep slept at least 50 ms", "slept %lld ns",
	      ns(&b) - ns(&a));
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += 80000000;
	if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
	CHECK_RET(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL), 0,
		  "clock_nanosleep TIMER_ABSTIME");
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK(ns(&b) >= ns(&until), "TIMER_ABSTIME sleeps until the deadline", "woke %lld ns early",
	      ns(&until) - ns(&b));
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec -= 10;
	CHECK_RET(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL), 0,
		  "clock_nanosleep to a past deadline returns at once");
	req.tv_sec = 0;
	req.tv_nsec = 0;
	CHECK_RET(nanosleep(&req, NULL), 0, "nanosleep 0");

	/* error paths */
	CHECK_ERR(syscall(SYS_clock_gettime, 12345, &a), EINVAL, "clock_gettime bad clock EINVAL");
	CHECK_ERR(syscall(SYS_clock_gettime, -100000, &a), EINVAL, "clock_gettime negative clock EINVAL");
	CHECK_ERR(syscall(SYS_clock_getres, 12345, &a), EINVAL, "clock_getres bad clock EINVAL");
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR(syscall(SYS_nanosleep, &bad, NULL), EINVAL, "nanosleep tv_nsec 1e9 EINVAL");
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	CHECK_ERR(syscall(SYS_nanosleep, &bad, NULL), EINVAL, "nanosleep negative tv_sec EINVAL");
	bad.tv_sec = 0;
	bad.tv_nsec = -1;
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL,
		  "clock_nanosleep negative tv_nsec EINVAL");
	req.tv_nsec = 1000;
	CHECK_ERR(syscall(SYS_clock_nanosleep, 12345, 0, &req, NULL), EINVAL,
		  "clock_nanosleep bad clock EINVAL");
	/* The man page says EINVAL; Linux says EOPNOTSUPP (no nsleep for the
	 * thread CPU clock). */
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EOPNOTSUPP,
		  "clock_nanosleep CLOCK_THREAD_CPUTIME_ID EOPNOTSUPP");
	CHECK_ERR(syscall(SYS_clock_settime, CLOCK_MONOTONIC, &rt), EINVAL,
		  "clock_settime CLOCK_MONOTONIC EINVAL");
	bad.tv_sec = 0;
	bad.tv_nsec = 1000000000;
	CHECK_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, &bad), EINVAL,
		  "clock_settime bad tv_nsec EINVAL");
	return check_done();
}
