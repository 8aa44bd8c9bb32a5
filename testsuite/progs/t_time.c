/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_time -- clocks and sleeping: clock_gettime (through libc, which may use
 * the vDSO, and through the raw syscall) for every clock, clock_getres,
 * gettimeofday, time, nanosleep and clock_nanosleep (relative and
 * TIMER_ABSTIME) sleeping at least the requested time (a relative one
 * whatever happens to the clock meanwhile), setting the clock, and EINVAL
 * for bad clock ids and bad timespecs.  Interval timers: alarm, ITIMER_REAL, the
 * CPU-time timers ITIMER_VIRTUAL (user time) and ITIMER_PROF (user and
 * system time) with reloads, not inherited by fork, and RLIMIT_CPU (SIGXCPU
 * at the soft limit, SIGKILL at the hard limit).  getrusage and wait4's
 * usage: page faults, voluntary switches, a child's CPU time.  POSIX timers
 * (timer_create and friends): signals with SI_TIMER and the timer's value,
 * overruns while the signal is blocked, SIGEV_NONE, SIGEV_THREAD_ID,
 * absolute times, not inherited by fork, and the error paths.  The CPU
 * clocks of clock_getcpuclockid and pthread_getcpuclockid.  Times of the
 * largest second count saturate (Linux's KTIME_MAX, about 292 years)
 * rather than wrap: setitimer, timer_settime, timerfd_settime and an
 * interrupted nanosleep all read back about 9223372036 seconds.
 */
#include "check.h"
#include <signal.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/time.h>
#include <sys/wait.h>
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

static volatile sig_atomic_t alarms, vtalrms, profs;

static void on_timer_signal(int sig)
{
	if (sig == SIGALRM)
		alarms++;
	else if (sig == SIGVTALRM)
		vtalrms++;
	else if (sig == SIGPROF)
		profs++;
}

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ns(&t);
}

static long long tv_ns(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000000LL + tv->tv_usec * 1000LL;
}

/* Arm timer WHICH with VALUE and INTERVAL in microseconds (raw syscall). */
static long arm(int which, long value_us, long interval_us)
{
	struct itimerval it = { { interval_us / 1000000, interval_us % 1000000 },
				{ value_us / 1000000, value_us % 1000000 } };

	return syscall(SYS_setitimer, which, &it, NULL);
}

/* Burn CPU time in user mode until *counter reaches want or 30 s pass. */
static void spin_until(volatile sig_atomic_t *counter, int want, int with_syscalls)
{
	long long end = now_ns() + 30000000000LL;
	volatile unsigned long x = 0;

	while (*counter < want && now_ns() < end) {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
		if (with_syscalls)
			for (int i = 0; i < 100; i++)
				syscall(SYS_getppid);
	}
}

static void test_real_timer(void)
{
	struct itimerval it, old;
	struct timespec ts = { 0, 10000000 };

	alarms = 0;
	/* 5 s, so that a loaded host cannot make it expire before it is read. */
	CHECK_RET(arm(ITIMER_REAL, 5000000, 0), 0, "setitimer ITIMER_REAL 5 s");
	CHECK_RET(syscall(SYS_getitimer, ITIMER_REAL, &it), 0, "getitimer ITIMER_REAL");
	CHECK(tv_ns(&it.it_value) > 0 && tv_ns(&it.it_value) <= 5000000000LL && tv_ns(&it.it_interval) == 0,
	      "ITIMER_REAL reads as running, no interval", "value %lld ns, interval %lld ns",
	      tv_ns(&it.it_value), tv_ns(&it.it_interval));
	CHECK_RET(arm(ITIMER_REAL, 50000, 0), 0, "setitimer ITIMER_REAL 50 ms");
	for (int i = 0; i < 1000 && !alarms; i++)
		nanosleep(&ts, NULL);
	CHECK(alarms == 1, "SIGALRM when ITIMER_REAL expires", "%d signals", (int)alarms);
	CHECK_RET(syscall(SYS_getitimer, ITIMER_REAL, &it), 0, "getitimer after expiry");
	CHECK(tv_ns(&it.it_value) == 0, "an expired one-shot timer reads as stopped", "value %lld ns",
	      tv_ns(&it.it_value));
	CHECK_RET(alarm(100), 0, "alarm with none pending returns 0");
	CHECK_RET(alarm(0), 100, "alarm(0) returns the seconds left");
	CHECK_RET(arm(ITIMER_REAL, 5000000, 2000000), 0, "setitimer ITIMER_REAL 5 s every 2 s");
	memset(&old, 0xff, sizeof(old));
	CHECK_RET(syscall(SYS_setitimer, ITIMER_REAL, NULL, &old), 0, "setitimer NULL disarms");
	CHECK(tv_ns(&old.it_interval) == 2000000000LL && tv_ns(&old.it_value) > 4000000000LL,
	      "setitimer returns the old interval and value", "interval %lld ns, value %lld ns",
	      tv_ns(&old.it_interval), tv_ns(&old.it_value));
}

static void test_cpu_timers(void)
{
	struct itimerval it;
	struct timespec ts = { 0, 300000000 };

	vtalrms = 0;
	CHECK_RET(arm(ITIMER_VIRTUAL, 20000, 20000), 0, "setitimer ITIMER_VIRTUAL 20 ms every 20 ms");
	CHECK_RET(syscall(SYS_getitimer, ITIMER_VIRTUAL, &it), 0, "getitimer ITIMER_VIRTUAL");
	/* Linux adds one scheduler tick (up to 10 ms) to the first period. */
	CHECK(tv_ns(&it.it_interval) == 20000000LL && tv_ns(&it.it_value) > 0 &&
	      tv_ns(&it.it_value) <= 30000000LL, "ITIMER_VIRTUAL reads back", "value %lld ns, interval %lld ns",
	      tv_ns(&it.it_value), tv_ns(&it.it_interval));
	spin_until(&vtalrms, 3, 0);
	CHECK(vtalrms >= 3, "ITIMER_VIRTUAL reloads: SIGVTALRM three times while spinning", "%d signals",
	      (int)vtalrms);
	CHECK_RET(arm(ITIMER_VIRTUAL, 0, 0), 0, "setitimer ITIMER_VIRTUAL 0 disarms");
	CHECK_RET(syscall(SYS_getitimer, ITIMER_VIRTUAL, &it), 0, "getitimer disarmed ITIMER_VIRTUAL");
	CHECK(tv_ns(&it.it_value) == 0 && tv_ns(&it.it_interval) == 0, "disarmed ITIMER_VIRTUAL reads 0",
	      "value %lld ns, interval %lld ns", tv_ns(&it.it_value), tv_ns(&it.it_interval));

	vtalrms = 0;
	CHECK_RET(arm(ITIMER_VIRTUAL, 200000, 0), 0, "setitimer ITIMER_VIRTUAL 200 ms");
	nanosleep(&ts, NULL);
	CHECK_RET(syscall(SYS_getitimer, ITIMER_VIRTUAL, &it), 0, "getitimer after sleeping");
	CHECK(vtalrms == 0 && tv_ns(&it.it_value) > 100000000LL, "sleeping uses no ITIMER_VIRTUAL time",
	      "%d signals, %lld ns left", (int)vtalrms, tv_ns(&it.it_value));
	CHECK_RET(arm(ITIMER_VIRTUAL, 0, 0), 0, "disarm ITIMER_VIRTUAL");

	profs = 0;
	CHECK_RET(arm(ITIMER_PROF, 30000, 0), 0, "setitimer ITIMER_PROF 30 ms");
	spin_until(&profs, 1, 1);
	CHECK(profs == 1, "SIGPROF once from a one-shot ITIMER_PROF", "%d signals", (int)profs);
	CHECK_RET(syscall(SYS_getitimer, ITIMER_PROF, &it), 0, "getitimer ITIMER_PROF");
	CHECK(tv_ns(&it.it_value) == 0, "expired ITIMER_PROF reads as stopped", "value %lld ns",
	      tv_ns(&it.it_value));
}

/* Sleeping is not CPU time: neither user nor system time grows much over a 300 ms sleep. */
static void test_sleep_is_not_cpu_time(void)
{
	struct timespec ts = { 0, 300000000 }, c0, c1;
	struct rusage r0, r1;

	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	nanosleep(&ts, NULL);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	getrusage(RUSAGE_SELF, &r1);
	long long used = tv_ns(&r1.ru_utime) + tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_utime) - tv_ns(&r0.ru_stime);
	CHECK(used < 100000000LL, "getrusage: a 300 ms sleep uses little CPU time", "%lld ns", used);
	CHECK(ns(&c1) - ns(&c0) < 100000000LL, "CLOCK_PROCESS_CPUTIME_ID barely moves over a 300 ms sleep",
	      "%lld ns", ns(&c1) - ns(&c0));
}

static void test_rusage_counts(void)
{
	struct rusage r0, r1, rc;
	/* Long enough that an emulated Linux cannot finish the sleep before it schedules. */
	struct timespec nap = { 0, 20000000 };
	char buf[4096], *v;
	int st = -1, fd;
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 64 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(m != MAP_FAILED, "mmap 64 pages", "errno %d", errno);
	if (m == MAP_FAILED)
		return;
	madvise(m, 64 * pg, 15 /* MADV_NOHUGEPAGE: one fault per page on Linux too */);
	getrusage(RUSAGE_SELF, &r0);
	for (int i = 0; i < 64; i++)
		m[i * pg] = 1;
	for (int i = 0; i < 3; i++)
		nanosleep(&nap, NULL);
	getrusage(RUSAGE_SELF, &r1);
	CHECK(r1.ru_minflt - r0.ru_minflt >= 64, "ru_minflt counts first touches of 64 pages", "%ld more",
	      r1.ru_minflt - r0.ru_minflt);
	CHECK(r1.ru_nvcsw - r0.ru_nvcsw >= 3, "ru_nvcsw counts three sleeps", "%ld more",
	      r1.ru_nvcsw - r0.ru_nvcsw);
	munmap(m, 64 * pg);

	pid_t pid = fork();
	if (pid == 0) {
		char *cm = mmap(NULL, 32 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long long end = now_ns() + 200000000LL;
		volatile unsigned long x = 0;

		if (cm != MAP_FAILED) {
			madvise(cm, 32 * pg, 15);
			for (int i = 0; i < 32; i++)
				cm[i * pg] = 1;
		}
		while (now_ns() < end)
			x++;
		_exit(0);
	}
	CHECK(wait4(pid, &st, 0, &rc) == pid, "wait4 with a rusage", "errno %d", errno);
	CHECK(tv_ns(&rc.ru_utime) + tv_ns(&rc.ru_stime) >= 100000000LL && rc.ru_minflt >= 32,
	      "wait4's rusage: the child's CPU time and page faults", "%lld ns, %ld faults",
	      tv_ns(&rc.ru_utime) + tv_ns(&rc.ru_stime), rc.ru_minflt);
	CHECK(rc.ru_maxrss > 0, "wait4's rusage: ru_maxrss", "%ld KiB", rc.ru_maxrss);
	getrusage(RUSAGE_CHILDREN, &r1);
	CHECK(tv_ns(&r1.ru_utime) + tv_ns(&r1.ru_stime) >= 100000000LL,
	      "RUSAGE_CHILDREN includes the waited-for child", "%lld ns",
	      tv_ns(&r1.ru_utime) + tv_ns(&r1.ru_stime));

	fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	v = strstr(buf, "voluntary_ctxt_switches:");
	CHECK(v && atol(v + 24) >= 3, "/proc/self/status: voluntary_ctxt_switches", "%s",
	      v ? v : "missing");
	CHECK_ERR(syscall(SYS_getrusage, 99, &r0), EINVAL, "getrusage bad who EINVAL");
	CHECK_ERR(syscall(SYS_getrusage, RUSAGE_SELF, (void *)8), EFAULT, "getrusage bad pointer EFAULT");
}

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

/* struct sigevent as the kernel reads it (the C libraries' differ in naming). */
struct k_sigevent {
	union { int i; void *p; } value;
	int signo, notify, tid;
	int pad[11];
};

static volatile sig_atomic_t ptimer_hits, ptimer_code, ptimer_overrun, ptimer_value;
static volatile sig_atomic_t ptimer_id = -1, ptimer_getoverrun;

/* Records the first signal after ptimer_hits was reset (later ones keep coming). */
static void on_ptimer(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (ptimer_hits++)
		return;
	ptimer_code = si->si_code;
	ptimer_overrun = si->si_overrun;
	ptimer_value = si->si_value.sival_int;
	/* Inside the handler no other signal of this timer is taken: this is its count. */
	if (ptimer_id >= 0)
		ptimer_getoverrun = (sig_atomic_t)syscall(SYS_timer_getoverrun, (int)ptimer_id);
}

static long ptimer_create(int clock, struct k_sigevent *ev, int *id)
{
	return syscall(SYS_timer_create, clock, ev, id);
}

static long ptimer_set(int id, int flags, long long value_ns, long long interval_ns, struct itimerspec *old)
{
	struct itimerspec it = { { interval_ns / 1000000000LL, interval_ns % 1000000000LL },
				 { value_ns / 1000000000LL, value_ns % 1000000000LL } };

	return syscall(SYS_timer_settime, id, flags, &it, old);
}

static void wait_hits(int want)
{
	struct timespec nap = { 0, 5000000 };

	for (int i = 0; i < 2000 && ptimer_hits < want; i++)
		nanosleep(&nap, NULL);
}

static void test_posix_timers(void)
{
	struct sigaction sa;
	struct k_sigevent ev;
	struct itimerspec it;
	struct timespec rt;
	sigset_t block;
	int id = -1, id2 = -1, st = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_ptimer;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);

	CHECK_RET(ptimer_create(CLOCK_MONOTONIC, NULL, &id), 0, "timer_create CLOCK_MONOTONIC, no sigevent");
	ptimer_hits = 0;
	CHECK_RET(ptimer_set(id, 0, 30000000, 0, NULL), 0, "timer_settime 30 ms");
	wait_hits(1);
	CHECK(ptimer_hits == 1 && ptimer_code == SI_TIMER && ptimer_value == id,
	      "the timer's SIGALRM: SI_TIMER, si_value is the timer id", "hits %d code %d value %d",
	      (int)ptimer_hits, (int)ptimer_code, (int)ptimer_value);
	CHECK(syscall(SYS_timer_gettime, id, &it) == 0 && it.it_value.tv_sec == 0 && it.it_value.tv_nsec == 0,
	      "an expired one-shot timer reads as disarmed", "%ld.%09ld", (long)it.it_value.tv_sec,
	      it.it_value.tv_nsec);

	memset(&ev, 0, sizeof(ev));
	ev.notify = SIGEV_SIGNAL;
	ev.signo = SIGUSR1;
	ev.value.i = 0x1234;
	CHECK_RET(ptimer_create(CLOCK_MONOTONIC, &ev, &id2), 0, "timer_create SIGEV_SIGNAL SIGUSR1");
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	ptimer_hits = 0;
	ptimer_id = id2;
	CHECK_RET(ptimer_set(id2, 0, 20000000, 20000000, NULL), 0, "timer_settime every 20 ms");
	struct timespec nap = { 0, 300000000 };
	nanosleep(&nap, NULL);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	CHECK(ptimer_hits >= 1 && ptimer_value == 0x1234 && ptimer_overrun >= 5,
	      "expiries while the signal is blocked are overruns; si_value as given",
	      "hits %d overrun %d value %#x", (int)ptimer_hits, (int)ptimer_overrun, (int)ptimer_value);
	CHECK(ptimer_getoverrun == ptimer_overrun, "timer_getoverrun: the overrun of the signal just taken",
	      "got %d, si_overrun %d", (int)ptimer_getoverrun, (int)ptimer_overrun);
	ptimer_id = -1;
	CHECK(syscall(SYS_timer_gettime, id2, &it) == 0 && it.it_interval.tv_nsec == 20000000,
	      "timer_gettime reads the interval", "interval %ld ns", it.it_interval.tv_nsec);
	CHECK_RET(syscall(SYS_timer_delete, id2), 0, "timer_delete");
	CHECK_ERR(syscall(SYS_timer_delete, id2), EINVAL, "timer_delete twice EINVAL");

	/* Deleting an interval timer while its expiry is due: the expiry must not re-arm it. */
	{
		int bad = 0;

		memset(&ev, 0, sizeof(ev));
		ev.notify = SIGEV_NONE;
		for (int i = 0; i < 300 && !bad; i++) {
			struct timespec spin = { 0, 900000 + (i % 7) * 30000 };

			bad |= ptimer_create(CLOCK_MONOTONIC, &ev, &id2) != 0;
			bad |= ptimer_set(id2, 0, 1000000, 1000000, NULL) != 0;
			nanosleep(&spin, NULL);
			bad |= syscall(SYS_timer_delete, id2) != 0;
		}
		CHECK(!bad, "300 interval timers deleted around their expiry", "a call failed");
	}

	memset(&ev, 0, sizeof(ev));
	ev.notify = SIGEV_NONE;
	CHECK_RET(ptimer_create(CLOCK_BOOTTIME, &ev, &id2), 0, "timer_create SIGEV_NONE CLOCK_BOOTTIME");
	ptimer_set(id2, 0, 1000000000, 0, NULL);
	CHECK(syscall(SYS_timer_gettime, id2, &it) == 0 && it.it_value.tv_sec == 0 && it.it_value.tv_nsec > 0,
	      "SIGEV_NONE: the timer runs without a signal", "%ld.%09ld", (long)it.it_value.tv_sec,
	      it.it_value.tv_nsec);
	syscall(SYS_timer_delete, id2);

	memset(&ev, 0, sizeof(ev));
	ev.notify = SIGEV_THREAD_ID;
	ev.signo = SIGUSR1;
	ev.tid = (int)syscall(SYS_gettid);
	CHECK_RET(ptimer_create(CLOCK_REALTIME, &ev, &id2), 0, "timer_create SIGEV_THREAD_ID CLOCK_REALTIME");
	clock_gettime(CLOCK_REALTIME, &rt);
	long long abs_ns = (long long)rt.tv_sec * 1000000000LL + rt.tv_nsec + 30000000LL;
	ptimer_hits = 0;
	CHECK_RET(ptimer_set(id2, TIMER_ABSTIME, abs_ns, 0, NULL), 0, "timer_settime TIMER_ABSTIME");
	wait_hits(1);
	CHECK(ptimer_hits == 1, "an absolute CLOCK_REALTIME timer fires for this thread", "hits %d",
	      (int)ptimer_hits);
	syscall(SYS_timer_delete, id2);

	CHECK_RET(ptimer_set(id, 0, 5000000000LL, 0, NULL), 0, "arm a 5 s timer before fork");
	pid_t pid = fork();
	if (pid == 0)
		_exit(syscall(SYS_timer_gettime, id, &it) == -1 && errno == EINVAL ? 0 : 1);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a forked child has no timers", "status %#x", st);

	CHECK_ERR(ptimer_create(99, NULL, &id2), EINVAL, "timer_create bad clock EINVAL");
	memset(&ev, 0, sizeof(ev));
	ev.notify = 99;
	CHECK_ERR(ptimer_create(CLOCK_MONOTONIC, &ev, &id2), EINVAL, "timer_create bad sigev_notify EINVAL");
	ev.notify = SIGEV_SIGNAL;
	ev.signo = 0;
	CHECK_ERR(ptimer_create(CLOCK_MONOTONIC, &ev, &id2), EINVAL, "timer_create signal 0 EINVAL");
	ev.notify = SIGEV_THREAD_ID;
	ev.signo = SIGUSR1;
	ev.tid = 1;
	CHECK_ERR(ptimer_create(CLOCK_MONOTONIC, &ev, &id2), EINVAL,
		  "timer_create SIGEV_THREAD_ID of another process EINVAL");
	CHECK_ERR(ptimer_create(CLOCK_MONOTONIC, NULL, (int *)8), EFAULT, "timer_create bad id pointer EFAULT");
	CHECK_ERR(ptimer_set(12345, 0, 1000, 0, NULL), EINVAL, "timer_settime unknown timer EINVAL");
	CHECK_ERR(syscall(SYS_timer_settime, id, 0, (void *)8, NULL), EFAULT, "timer_settime bad pointer EFAULT");
	struct itimerspec bad = { { 0, 0 }, { 0, 1000000000 } };
	CHECK_ERR(syscall(SYS_timer_settime, id, 0, &bad, NULL), EINVAL, "timer_settime tv_nsec 1e9 EINVAL");
	CHECK_ERR(syscall(SYS_timer_gettime, 12345, &it), EINVAL, "timer_gettime unknown timer EINVAL");
	CHECK_ERR(syscall(SYS_timer_getoverrun, 12345), EINVAL, "timer_getoverrun unknown timer EINVAL");
	syscall(SYS_timer_delete, id);
	signal(SIGALRM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

static void test_cpu_clock_ids(void)
{
	struct timespec a, b;
	clockid_t cid;
	int pf[2], st = -1;
	char c;

	CHECK_RET(pthread_getcpuclockid(pthread_self(), &cid), 0, "pthread_getcpuclockid");
	CHECK(clock_gettime(cid, &a) == 0 && clock_gettime(cid, &b) == 0 && ns(&b) >= ns(&a) && ns(&a) > 0,
	      "the thread's CPU clock reads and advances", "%lld then %lld", ns(&a), ns(&b));
	CHECK(pipe(pf) == 0, "pipe", "errno %d", errno);
	pid_t pid = fork();
	if (pid == 0) {
		long long end = now_ns() + 150000000LL;
		volatile unsigned long x = 0;

		while (now_ns() < end)
			x++;
		if (write(pf[1], "s", 1) != 1)
			_exit(1);
		pause();	/* until the parent has read our clock */
		_exit(0);
	}
	CHECK(read(pf[0], &c, 1) == 1, "the child spun", "errno %d", errno);
	CHECK_RET(clock_getcpuclockid(pid, &cid), 0, "clock_getcpuclockid of a child");
	CHECK(clock_gettime(cid, &a) == 0 && ns(&a) >= 75000000LL, "the child's CPU clock shows its spin",
	      "%lld ns errno %d", ns(&a), errno);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	close(pf[0]);
	close(pf[1]);
	/* The kernel says EINVAL; glibc turns it into ESRCH, musl passes it on. */
	int gerr = clock_getcpuclockid(999999, &cid);
	CHECK(gerr == ESRCH || gerr == EINVAL, "clock_getcpuclockid of no process fails", "got %d", gerr);
	CHECK_ERR(syscall(SYS_clock_gettime, (clockid_t)((~999999 << 3) | 2), &a), EINVAL,
		  "clock_gettime on the CPU clock of no process EINVAL");
}

static void test_itimer_fork(void)
{
	struct itimerval it;
	int status = -1;

	CHECK_RET(arm(ITIMER_VIRTUAL, 10000000, 0), 0, "arm ITIMER_VIRTUAL 10 s before fork");
	pid_t pid = fork();
	if (pid == 0) {
		if (syscall(SYS_getitimer, ITIMER_VIRTUAL, &it) != 0)
			_exit(2);
		_exit(tv_ns(&it.it_value) == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child does not inherit itimers",
	      "status 0x%x", status);
	CHECK_RET(arm(ITIMER_VIRTUAL, 0, 0), 0, "disarm ITIMER_VIRTUAL after fork");
}

static void test_itimer_errors(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 1000000 } };

	CHECK_ERR(syscall(SYS_setitimer, 3, &it, NULL), EINVAL, "setitimer bad which EINVAL");
	CHECK_ERR(syscall(SYS_getitimer, -1, &it), EINVAL, "getitimer bad which EINVAL");
	CHECK_ERR(syscall(SYS_setitimer, ITIMER_VIRTUAL, &it, NULL), EINVAL, "setitimer tv_usec 1000000 EINVAL");
	it.it_value.tv_usec = 0;
	it.it_value.tv_sec = -1;
	CHECK_ERR(syscall(SYS_setitimer, ITIMER_PROF, &it, NULL), EINVAL, "setitimer negative tv_sec EINVAL");
	CHECK_ERR(syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL), EFAULT, "setitimer bad new pointer EFAULT");
	CHECK_ERR(syscall(SYS_getitimer, ITIMER_PROF, (void *)8), EFAULT, "getitimer bad pointer EFAULT");
}

/* A child spinning under RLIMIT_CPU {soft, hard}: how it ended. */
static int spin_under_cpu_limit(rlim_t soft, rlim_t hard, int ignore_xcpu)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit rl = { soft, hard };
		volatile unsigned long x = 0;

		if (ignore_xcpu)
			signal(SIGXCPU, SIG_IGN);
		if (setrlimit(RLIMIT_CPU, &rl) != 0)
			_exit(2);
		for (long long end = now_ns() + 60000000000LL; now_ns() < end;)
			for (int i = 0; i < 100000; i++)
				x += (unsigned long)i;
		_exit(3);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void test_rlimit_cpu(void)
{
	int status = spin_under_cpu_limit(1, 10, 0);

	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU,
	      "RLIMIT_CPU soft limit: SIGXCPU ends a spinning child", "status 0x%x", status);
	status = spin_under_cpu_limit(1, 2, 1);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "RLIMIT_CPU hard limit: SIGKILL when SIGXCPU is ignored", "status 0x%x", status);
}

/* A time of 2^63-1 seconds is about KTIME_MAX ns, minus the time since boot. */
static int near_max(long long sec)
{
	return sec > 9223372036LL - 10000000LL && sec <= 9223372036LL;
}

static void on_alarm_only(int sig)
{
	(void)sig;
}

static void test_saturation(void)
{
	struct itimerval it = { { 0, 0 }, { 0x7fffffffffffffffLL, 0 } }, got;
	struct itimerspec its = { { 0, 0 }, { 0x7fffffffffffffffLL, 0 } }, gits;
	struct timespec huge = { 0x7fffffffffffffffLL, 0 }, rem = { 0, 0 };
	struct sigaction sa = { .sa_handler = on_alarm_only };
	int id = -1, fd;

	CHECK_RET(syscall(SYS_setitimer, ITIMER_REAL, &it, NULL), 0, "setitimer 2^63-1 s");
	CHECK_RET(syscall(SYS_getitimer, ITIMER_REAL, &got), 0, "getitimer after 2^63-1 s");
	CHECK(near_max(got.it_value.tv_sec), "setitimer 2^63-1 s saturates, not wraps",
	      "reads %lld s", (long long)got.it_value.tv_sec);
	arm(ITIMER_REAL, 0, 0);

	CHECK_RET(ptimer_create(CLOCK_MONOTONIC, NULL, &id), 0, "timer_create for 2^63-1 s");
	CHECK_RET(syscall(SYS_timer_settime, id, 0, &its, NULL), 0, "timer_settime 2^63-1 s");
	CHECK_RET(syscall(SYS_timer_gettime, id, &gits), 0, "timer_gettime after 2^63-1 s");
	CHECK(near_max(gits.it_value.tv_sec), "timer_settime 2^63-1 s saturates, not wraps",
	      "reads %lld s", (long long)gits.it_value.tv_sec);
	syscall(SYS_timer_delete, id);

	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	CHECK(fd >= 0, "timerfd_create for 2^63-1 s", "errno %d", errno);
	CHECK_RET(timerfd_settime(fd, 0, &its, NULL), 0, "timerfd_settime 2^63-1 s");
	CHECK_RET(timerfd_gettime(fd, &gits), 0, "timerfd_gettime after 2^63-1 s");
	CHECK(near_max(gits.it_value.tv_sec), "timerfd_settime 2^63-1 s saturates, not wraps",
	      "reads %lld s", (long long)gits.it_value.tv_sec);
	close(fd);

	sigaction(SIGALRM, &sa, NULL);
	arm(ITIMER_REAL, 50000, 0);
	CHECK_ERR(syscall(SYS_nanosleep, &huge, &rem), EINTR, "nanosleep 2^63-1 s, interrupted");
	CHECK(near_max(rem.tv_sec), "nanosleep 2^63-1 s: what is left saturates, not wraps",
	      "left %lld s", (long long)rem.tv_sec);
	arm(ITIMER_REAL, 0, 0);
	signal(SIGALRM, SIG_DFL);
}

static void test_itimers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGVTALRM, &sa, NULL);
	sigaction(SIGPROF, &sa, NULL);
	test_real_timer();
	test_cpu_timers();
	test_sleep_is_not_cpu_time();
	test_rusage_counts();
	test_posix_timers();
	test_cpu_clock_ids();
	test_itimer_fork();
	test_itimer_errors();
	test_rlimit_cpu();
	test_saturation();
	signal(SIGALRM, SIG_DFL);
	signal(SIGVTALRM, SIG_DFL);
	signal(SIGPROF, SIG_DFL);
}

/* CLOCK_REALTIME in seconds. */
static long long realtime_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec;
}

/*
 * Setting the clock (as root): clock_settime and settimeofday set what
 * they were given (ours once set 1970 whatever they were given: the new
 * time was read in an argument evaluated after the one passing it on).  A
 * relative sleep on CLOCK_REALTIME lasts what it asked for even when the
 * clock is set back meanwhile (POSIX: setting the clock has no effect on
 * relative sleeps); ours once measured it against the realtime clock.
 * Trinity as root, setting the clock, left our fuzzing init asleep for
 * good.  The child sleeps 300 ms; the parent sets the clock back an hour,
 * gives the child 3 s, and puts the clock right again.
 */
static void test_settime_and_relative_sleep(void)
{
	struct timespec req = { 0, 300000000 }, t;
	long long start = now_ns(), before = realtime_s(), got;
	struct timeval tv;
	int st = -1, done = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(clock_nanosleep(CLOCK_REALTIME, 0, &req, NULL) == 0 ? 0 : 1);
	usleep(50000);
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec -= 3600;
	CHECK_RET(clock_settime(CLOCK_REALTIME, &t), 0, "clock_settime an hour back (root)");
	got = realtime_s();
	CHECK(got >= t.tv_sec && got <= t.tv_sec + 2, "CLOCK_REALTIME reads what clock_settime set",
	      "set %lld, read %lld", (long long)t.tv_sec, got);
	while (!done && now_ns() - start < 3000000000LL) {
		done = waitpid(pid, &st, WNOHANG) == pid;
		usleep(20000);
	}
	gettimeofday(&tv, NULL);
	tv.tv_sec += 3600;
	CHECK_RET(settimeofday(&tv, NULL), 0, "settimeofday an hour forward (root)");
	got = realtime_s();
	CHECK(got >= before && got <= before + 5, "CLOCK_REALTIME reads what settimeofday set",
	      "set %lld, read %lld", (long long)tv.tv_sec, got);
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	CHECK(done && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "relative clock_nanosleep(CLOCK_REALTIME) unaffected by setting the clock back",
	      "%s (status %#x)", done ? "failed" : "still asleep after 3 s", st);
}

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
	test_itimers();
	test_settime_and_relative_sleep();
	return check_done();
}
