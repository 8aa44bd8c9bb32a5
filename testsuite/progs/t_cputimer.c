// SPDX-License-Identifier: MPL-2.0
/*
 * t_cputimer -- POSIX timers and sleeps on CPU-time clocks:
 * timer_create on CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID and
 * the clocks of clock_getcpuclockid (another process) and
 * pthread_getcpuclockid (another thread), expiring on consumed CPU time
 * (not while the target sleeps), with SIGEV_SIGNAL, SIGEV_THREAD_ID and
 * SIGEV_NONE, intervals, overruns and TIMER_ABSTIME; clock_nanosleep and
 * clock_getres on them; the EINVAL/EOPNOTSUPP cases of each.
 * CPU timers here are 10-30 ms, so the whole program burns ~0.2 s of CPU.
 */
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define MS 1000000LL
/* Linux's encoding of CPU clock ids (include/linux/posix-timers.h, not exported). */
#define CPUCLOCK_PROF	0
#define CPUCLOCK_SCHED	2
#define CPUCLOCK_THREAD	4
#define MAKE_CLOCK(pid, kind)	((clockid_t)((~(unsigned int)(pid) << 3) | (kind)))

struct k_sigevent {
	union sigval value;
	int signo;
	int notify;
	int tid;
	int pad[12];
};

static volatile sig_atomic_t hits, last_code, last_value, last_overrun;
static volatile sig_atomic_t max_overrun, max_getoverrun, cur_id = -1;
static volatile long long hit_cpu;	/* CLOCK_PROCESS_CPUTIME_ID at the last signal */

static long long clock_ns(clockid_t c);

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	hits++;
	last_code = si->si_code;
	last_value = si->si_value.sival_int;
	last_overrun = si->si_overrun;
	if (si->si_overrun > max_overrun)
		max_overrun = si->si_overrun;
	/* In the handler: the count of the signal just taken. */
	if (cur_id >= 0 && syscall(SYS_timer_getoverrun, (int)cur_id) > max_getoverrun)
		max_getoverrun = (sig_atomic_t)syscall(SYS_timer_getoverrun, (int)cur_id);
	hit_cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long clock_ns(clockid_t c)
{
	struct timespec t;

	if (clock_gettime(c, &t))
		return -1;
	return ns_of(&t);
}

/* Spin on the CPU until want hits arrived or limit ns of this thread's CPU time passed (2 s wall at most). */
static void burn(int want, long long limit)
{
	long long c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID), w0 = clock_ns(CLOCK_MONOTONIC);

	while (hits < want && clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0 < limit &&
	       clock_ns(CLOCK_MONOTONIC) - w0 < 2000 * MS)
		;
}

static long tcreate(clockid_t clock, int notify, int signo, int value, int tid, int *id)
{
	struct k_sigevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.notify = notify;
	ev.signo = signo;
	ev.value.sival_int = value;
	ev.tid = tid;
	return syscall(SYS_timer_create, clock, &ev, id);
}

static long tset(int id, int flags, long long value, long long interval)
{
	struct itimerspec it = { { interval / 1000000000LL, interval % 1000000000LL },
				 { value / 1000000000LL, value % 1000000000LL } };

	return syscall(SYS_timer_settime, id, flags, &it, NULL);
}

static long long tleft(int id, long long *interval)
{
	struct itimerspec it;

	if (syscall(SYS_timer_gettime, id, &it))
		return -1;
	if (interval)
		*interval = ns_of(&it.it_interval);
	return ns_of(&it.it_value);
}

static void test_process_clock(void)
{
	long long c0, left, iv;
	int id;

	hits = 0;
	CHECK_RET(tcreate(CLOCK_PROCESS_CPUTIME_ID, SIGEV_SIGNAL, SIGUSR1, 42, 0, &id), 0,
		  "timer_create CLOCK_PROCESS_CPUTIME_ID SIGEV_SIGNAL");
	c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK_RET(tset(id, 0, 20 * MS, 0), 0, "timer_settime 20 ms of process CPU time");
	left = tleft(id, &iv);
	CHECK(left > 0 && left <= 20 * MS && iv == 0, "timer_gettime while armed", "left %lld interval %lld",
	      left, iv);
	burn(1, 1000 * MS);
	CHECK(hits == 1, "the timer fires once the process has used 20 ms", "hits %d", (int)hits);
	CHECK(hit_cpu - c0 >= 20 * MS, "not before 20 ms of CPU time", "at %lld ns (armed at %lld, left %lld)",
	      hit_cpu - c0, c0, left);
	CHECK(last_code == SI_TIMER && last_value == 42, "si_code SI_TIMER, si_value from the sigevent",
	      "code %d value %d", (int)last_code, (int)last_value);
	CHECK_RET(tleft(id, NULL), 0, "a one-shot timer is disarmed after it fired");

	/* A sleeping process uses no CPU time: the timer waits. */
	hits = 0;
	CHECK_RET(tset(id, 0, 30 * MS, 0), 0, "re-arm for 30 ms");
	usleep(60000);
	CHECK(hits == 0, "no expiry while the process sleeps 60 ms", "hits %d", (int)hits);
	left = tleft(id, NULL);
	CHECK(left > 0 && left <= 30 * MS, "still armed after the sleep", "left %lld", left);
	/* TIMER_ABSTIME: a point of the clock. */
	CHECK_RET(tset(id, TIMER_ABSTIME, clock_ns(CLOCK_PROCESS_CPUTIME_ID) + 10 * MS, 0), 0,
		  "timer_settime TIMER_ABSTIME now + 10 ms");
	burn(1, 1000 * MS);
	CHECK(hits == 1, "the absolute timer fires", "hits %d", (int)hits);
	CHECK_RET(syscall(SYS_timer_delete, id), 0, "timer_delete");
}

static void test_thread_clock(void)
{
	long long iv;
	sigset_t set, old;
	int id, n;

	hits = 0;
	CHECK_RET(tcreate(CLOCK_THREAD_CPUTIME_ID, SIGEV_THREAD_ID, SIGUSR1, 7, (int)syscall(SYS_gettid), &id),
		  0, "timer_create CLOCK_THREAD_CPUTIME_ID SIGEV_THREAD_ID");
	CHECK_RET(tset(id, 0, 10 * MS, 10 * MS), 0, "timer_settime 10 ms every 10 ms");
	tleft(id, &iv);
	CHECK_RET(iv, 10 * MS, "timer_gettime reports the interval");
	burn(3, 1000 * MS);
	CHECK(hits >= 3 && last_value == 7, "an interval timer fires again and again", "hits %d value %d",
	      (int)hits, (int)last_value);

	/* Expiries while the signal is blocked and pending are overruns. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	CHECK_RET(tset(id, 0, 2 * MS, 2 * MS), 0, "re-arm: 2 ms every 2 ms");
	burn(1000, 30 * MS);
	n = hits;
	cur_id = id;
	sigprocmask(SIG_SETMASK, &old, NULL);
	cur_id = -1;
	CHECK(hits > n && max_overrun > 0, "the signal after 30 ms blocked has si_overrun > 0",
	      "signals %d overrun %d", (int)(hits - n), (int)max_overrun);
	CHECK(max_getoverrun > 0, "timer_getoverrun in its handler > 0", "%d", (int)max_getoverrun);
	CHECK_RET(syscall(SYS_timer_delete, id), 0, "timer_delete");

	/* SIGEV_NONE: expires without a signal. */
	hits = 0;
	CHECK_RET(tcreate(CLOCK_THREAD_CPUTIME_ID, SIGEV_NONE, 0, 0, 0, &id), 0, "timer_create SIGEV_NONE");
	CHECK_RET(tset(id, 0, 10 * MS, 0), 0, "arm SIGEV_NONE 10 ms");
	burn(1, 15 * MS);
	CHECK(hits == 0 && tleft(id, NULL) == 0, "SIGEV_NONE expires silently", "hits %d left %lld", (int)hits,
	      tleft(id, NULL));
	CHECK_RET(syscall(SYS_timer_delete, id), 0, "timer_delete SIGEV_NONE");
}

static volatile int spin_stop;

static void *spinner(void *arg)
{
	(void)arg;
	while (!spin_stop)
		;
	return NULL;
}

/* Wait (asleep) for signal sig, up to 2 s; what sigtimedwait returns. */
static int wait_signal(int sig, siginfo_t *si)
{
	struct timespec two = { 2, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigtimedwait(&set, si, &two);
}

static void test_other_thread(void)
{
	struct timespec req = { 0, 10 * MS };
	pthread_t th;
	clockid_t clk;
	siginfo_t si;
	sigset_t set;
	long long c0;
	int id;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	spin_stop = 0;
	if (pthread_create(&th, NULL, spinner, NULL)) {
		check_skip("another thread's CPU clock", "no thread");
		return;
	}
	CHECK_RET(pthread_getcpuclockid(th, &clk), 0, "pthread_getcpuclockid");
	CHECK_RET(tcreate(clk, SIGEV_SIGNAL, SIGUSR2, 5, 0, &id), 0, "timer_create on another thread's clock");
	CHECK_RET(tset(id, 0, 20 * MS, 0), 0, "arm 20 ms of the spinning thread's time");
	CHECK(wait_signal(SIGUSR2, &si) == SIGUSR2 && si.si_code == SI_TIMER && si.si_value.sival_int == 5,
	      "the sleeping caller gets the signal of the spinner's clock", "code %d", si.si_code);
	CHECK_RET(syscall(SYS_timer_delete, id), 0, "timer_delete");
	/* clock_nanosleep on the process clock: the spinner moves it while we sleep. */
	c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK_RET(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL), 0,
		  "clock_nanosleep 10 ms of CLOCK_PROCESS_CPUTIME_ID");
	CHECK(clock_ns(CLOCK_PROCESS_CPUTIME_ID) - c0 >= 9 * MS, "it lasts 10 ms of process CPU time",
	      "%lld ns", clock_ns(CLOCK_PROCESS_CPUTIME_ID) - c0);
	/* Another thread's clock sleeps too; only the caller's own thread clock cannot. */
	CHECK_RET(syscall(SYS_clock_nanosleep, clk, 0, &req, NULL), 0,
		  "clock_nanosleep on another thread's clock");
	spin_stop = 1;
	pthread_join(th, NULL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static void test_other_process(void)
{
	struct timespec req = { 0, 10 * MS }, res;
	clockid_t clk;
	siginfo_t si;
	sigset_t set;
	pid_t child;
	int id, st;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	child = fork();
	if (child == 0) {
		long long w0 = clock_ns(CLOCK_MONOTONIC);

		while (clock_ns(CLOCK_MONOTONIC) - w0 < 3000 * MS)
			;
		_exit(0);
	}
	CHECK_RET(clock_getcpuclockid(child, &clk), 0, "clock_getcpuclockid of a child");
	CHECK_RET(tcreate(clk, SIGEV_SIGNAL, SIGUSR2, 9, 0, &id), 0, "timer_create on the child's CPU clock");
	CHECK_RET(tset(id, 0, 20 * MS, 0), 0, "arm 20 ms of the child's CPU time");
	CHECK(wait_signal(SIGUSR2, &si) == SIGUSR2 && si.si_value.sival_int == 9,
	      "the parent gets the signal as the child spins", "code %d", si.si_code);
	CHECK_RET(syscall(SYS_clock_nanosleep, clk, 0, &req, NULL), 0,
		  "clock_nanosleep 10 ms of the child's CPU clock");
	CHECK(clock_getres(clk, &res) == 0 && res.tv_sec == 0 && res.tv_nsec == 1,
	      "clock_getres of the child's clock: 1 ns", "%ld", res.tv_nsec);
	CHECK(syscall(SYS_clock_getres, MAKE_CLOCK(child, CPUCLOCK_PROF), &res) == 0 && res.tv_nsec >= 1 &&
	      res.tv_nsec <= 10 * MS, "clock_getres of a CPUCLOCK_PROF clock: a tick", "%ld", res.tv_nsec);
	/* A thread clock must name a thread of the caller's own process. */
	CHECK_ERR(tcreate(MAKE_CLOCK(child, CPUCLOCK_SCHED | CPUCLOCK_THREAD), SIGEV_NONE, 0, 0, 0, &id), EINVAL,
		  "timer_create on another process's thread clock EINVAL");
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	CHECK_ERR(tcreate(clk, SIGEV_NONE, 0, 0, 0, &id), EINVAL, "timer_create on a reaped process's clock EINVAL");
	CHECK_ERR(syscall(SYS_clock_getres, clk, &res), EINVAL, "clock_getres of a reaped process's clock EINVAL");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void test_errors(void)
{
	struct timespec req = { 0, 1 * MS }, res;
	int id;

	CHECK_ERR(tcreate(MAKE_CLOCK(0, 3), SIGEV_NONE, 0, 0, 0, &id), EOPNOTSUPP,
		  "timer_create on a clock of kind 3 (a CLOCKFD clock) EOPNOTSUPP");
	CHECK_ERR(syscall(SYS_timer_create, CLOCK_PROCESS_CPUTIME_ID, NULL, (int *)8), EFAULT,
		  "timer_create CPU clock, bad id pointer EFAULT");
	CHECK_ERR(tcreate(CLOCK_PROCESS_CPUTIME_ID, 99, SIGUSR1, 0, 0, &id), EINVAL,
		  "timer_create CPU clock, bad sigev_notify EINVAL");
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EOPNOTSUPP,
		  "clock_nanosleep CLOCK_THREAD_CPUTIME_ID EOPNOTSUPP");
	CHECK_ERR(syscall(SYS_clock_nanosleep, MAKE_CLOCK(0, CPUCLOCK_SCHED | CPUCLOCK_THREAD), 0, &req, NULL),
		  EINVAL, "clock_nanosleep on the caller's own thread clock EINVAL");
	CHECK_ERR(syscall(SYS_clock_nanosleep, MAKE_CLOCK(syscall(SYS_gettid), CPUCLOCK_SCHED | CPUCLOCK_THREAD), 0,
			  &req, NULL), EINVAL, "clock_nanosleep on the caller's thread clock by tid EINVAL");
	req.tv_sec = 0;
	req.tv_nsec = 1000;
	CHECK_RET(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &req, NULL), 0,
		  "clock_nanosleep TIMER_ABSTIME in the CPU-time past returns at once");
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, (void *)8, NULL), EFAULT,
		  "clock_nanosleep CPU clock, bad request EFAULT");
	CHECK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res) == 0 && res.tv_nsec == 1,
	      "clock_getres CLOCK_PROCESS_CPUTIME_ID 1 ns", "%ld", res.tv_nsec);
	CHECK(clock_getres(CLOCK_THREAD_CPUTIME_ID, &res) == 0 && res.tv_nsec == 1,
	      "clock_getres CLOCK_THREAD_CPUTIME_ID 1 ns", "%ld", res.tv_nsec);
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	(void)argc;
	check_init(argv[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_timer;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	test_process_clock();
	test_thread_clock();
	test_other_thread();
	test_other_process();
	test_errors();
	return check_done();
}
