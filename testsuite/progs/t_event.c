/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_event -- event file descriptors: eventfd/eventfd2 (counter, semaphore
 * mode, EAGAIN, EINVAL, the overflow limit, blocking reads woken by a
 * process and by a thread), timerfd_create/settime/gettime (one-shot and
 * interval expiry counts, absolute times, old values, errors), signalfd/
 * signalfd4 (blocked signals read as records, mask updates, a blocking
 * read woken by another process), and epoll on pipes, eventfd, timerfd,
 * signalfd and nested epoll: level-triggered, EPOLLET, EPOLLONESHOT,
 * EPOLLHUP, items leaving with their last close, fairness with a small
 * maxevents, epoll_pwait's signal mask, epoll_pwait2, and epoll_ctl's and
 * epoll_wait's errors.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long wr64(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v));
}

/* Read 8 bytes; the value, or -1 with errno. */
static int64_t rd64(int fd)
{
	uint64_t v;
	long n = read(fd, &v, sizeof(v));
	return n == 8 ? (int64_t)v : -1;
}

/* What /proc/self/fd/FD links to must be WANT. */
static void check_link(int fd, const char *want)
{
	char path[64], buf[128];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	long n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(n > 0 && strcmp(buf, want) == 0, want, "readlink %s: %ld \"%s\"", path, n, buf);
}

static void *thread_writes(void *arg)
{
	sleep_ms(50);
	wr64(*(int *)arg, 9);
	return NULL;
}

static void test_eventfd(void)
{
	char small[4];
	int st;

	int e = CHECK_OK(eventfd(0, 0), "eventfd");
	check_link(e, "anon_inode:[eventfd]");
	CHECK_RET(wr64(e, 3), 8, "eventfd write 3");
	CHECK_RET(wr64(e, 4), 8, "eventfd write 4");
	CHECK_RET(rd64(e), 7, "eventfd read takes the sum");
	CHECK_ERR(read(e, small, sizeof small), EINVAL, "eventfd read of 4 bytes EINVAL");
	CHECK_ERR(write(e, small, sizeof small), EINVAL, "eventfd write of 4 bytes EINVAL");
	CHECK_ERR(wr64(e, UINT64_MAX), EINVAL, "eventfd write of 2^64-1 EINVAL");
	CHECK_RET(fcntl(e, F_GETFD), 0, "eventfd without EFD_CLOEXEC");
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		_exit(wr64(e, 5) == 8 ? 0 : 1);
	}
	CHECK_RET(rd64(e), 5, "blocking eventfd read woken by a child's write");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "child wrote", "status %#x", st);
	pthread_t th;
	pthread_create(&th, NULL, thread_writes, &e);
	CHECK_RET(rd64(e), 9, "blocking eventfd read woken by a thread's write");
	pthread_join(th, NULL);
	close(e);

	e = CHECK_OK(eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC), "eventfd2 all flags");
	CHECK_RET(fcntl(e, F_GETFD), FD_CLOEXEC, "EFD_CLOEXEC");
	CHECK(fcntl(e, F_GETFL) & O_NONBLOCK, "EFD_NONBLOCK", "flags %#x", fcntl(e, F_GETFL));
	CHECK_RET(rd64(e), 1, "semaphore read 1 (of 3)");
	CHECK_RET(rd64(e), 1, "semaphore read 1 (of 2)");
	CHECK_RET(rd64(e), 1, "semaphore read 1 (of 1)");
	CHECK_ERR(rd64(e), EAGAIN, "semaphore at 0 EAGAIN");
	struct pollfd pf = { e, POLLIN | POLLOUT, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT, "eventfd at 0 polls writable only",
	      "revents %#x", pf.revents);
	CHECK_RET(wr64(e, UINT64_MAX - 1), 8, "eventfd write up to 2^64-2");
	CHECK_ERR(wr64(e, 1), EAGAIN, "eventfd write past 2^64-2 EAGAIN");
	pf.revents = 0;
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "full eventfd polls readable only",
	      "revents %#x", pf.revents);
	close(e);
	CHECK_ERR(eventfd(0, 0x10), EINVAL, "eventfd2 unknown flag EINVAL");
	e = CHECK_OK(syscall(SYS_eventfd, 2), "legacy eventfd syscall");
	CHECK_RET(rd64(e), 2, "legacy eventfd initial value");
	close(e);
}

static void test_timerfd(void)
{
	struct itimerspec its, old;
	char small[4];

	CHECK_ERR(timerfd_create(42, 0), EINVAL, "timerfd_create unknown clock EINVAL");
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, 0x10), EINVAL, "timerfd_create unknown flag EINVAL");
	int b = CHECK_OK(timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC), "timerfd CLOCK_BOOTTIME");
	CHECK_RET(fcntl(b, F_GETFD), FD_CLOEXEC, "TFD_CLOEXEC");
	close(b);
	int t = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK), "timerfd_create MONOTONIC");
	check_link(t, "anon_inode:[timerfd]");
	CHECK_RET(timerfd_gettime(t, &its), 0, "timerfd_gettime disarmed");
	CHECK(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0 && its.it_interval.tv_nsec == 0,
	      "disarmed timer reads zero", "%ld.%09ld", (long)its.it_value.tv_sec, its.it_value.tv_nsec);
	CHECK_ERR(rd64(t), EAGAIN, "disarmed non-blocking timerfd EAGAIN");
	CHECK_ERR(read(t, small, sizeof small), EINVAL, "timerfd read of 4 bytes EINVAL");

	/* one-shot, 60 ms */
	its = (struct itimerspec){ { 0, 0 }, { 0, 60000000 } };
	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_RET(timerfd_settime(t, 0, &its, NULL), 0, "timerfd_settime one-shot 60 ms");
	CHECK_ERR(rd64(t), EAGAIN, "not expired yet EAGAIN");
	CHECK_RET(timerfd_gettime(t, &its), 0, "timerfd_gettime armed");
	CHECK(its.it_value.tv_sec == 0 && its.it_value.tv_nsec > 0 && its.it_value.tv_nsec <= 60000000,
	      "time left is in (0, 60 ms]", "%ld.%09ld", (long)its.it_value.tv_sec, its.it_value.tv_nsec);
	struct pollfd pf = { t, POLLIN, 0 };
	CHECK_RET(poll(&pf, 1, 5000), 1, "poll waits for the expiry");
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 60000000ULL, "expiry not early", "after %llu ns",
	      (unsigned long long)(now_ns(CLOCK_MONOTONIC) - t0));
	CHECK_RET(rd64(t), 1, "one expiry");
	CHECK_ERR(rd64(t), EAGAIN, "count reset by read");
	CHECK_RET(timerfd_gettime(t, &its), 0, "timerfd_gettime after expiry");
	CHECK(its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0, "expired one-shot reads zero",
	      "%ld.%09ld", (long)its.it_value.tv_sec, its.it_value.tv_nsec);

	/* interval: 20 ms period */
	its = (struct itimerspec){ { 0, 20000000 }, { 0, 20000000 } };
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_RET(timerfd_settime(t, 0, &its, NULL), 0, "timerfd_settime interval 20 ms");
	sleep_ms(110);
	int64_t n = rd64(t);
	uint64_t el = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(n >= 1 && (uint64_t)n <= el / 20000000 && n >= 2, "interval timer counts expiries",
	      "%lld expiries in %llu ns", (long long)n, (unsigned long long)el);
	CHECK_RET(timerfd_settime(t, 0, &(struct itimerspec){ { 0, 0 }, { 0, 0 } }, &old), 0,
		  "disarm returns the old setting");
	CHECK(old.it_interval.tv_sec == 0 && old.it_interval.tv_nsec == 20000000 &&
	      old.it_value.tv_sec == 0 && old.it_value.tv_nsec <= 20000000,
	      "old setting", "interval %ld value %ld", old.it_interval.tv_nsec, old.it_value.tv_nsec);
	sleep_ms(30);
	CHECK_ERR(rd64(t), EAGAIN, "disarmed timer stops counting");
	close(t);

	/* absolute times */
	int r = CHECK_OK(timerfd_create(CLOCK_REALTIME, 0), "timerfd_create REALTIME");
	its = (struct itimerspec){ { 0, 0 }, { 1, 0 } };
	CHECK_RET(timerfd_settime(r, TFD_TIMER_ABSTIME, &its, NULL), 0, "absolute time in the past");
	CHECK_RET(rd64(r), 1, "a past absolute time expires");
	close(r);
	int m = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, 0), "timerfd_create blocking");
	t0 = now_ns(CLOCK_MONOTONIC);
	uint64_t at = t0 + 40000000ULL;
	its = (struct itimerspec){ { 0, 0 }, { (time_t)(at / 1000000000ULL), (long)(at % 1000000000ULL) } };
	CHECK_RET(timerfd_settime(m, TFD_TIMER_ABSTIME, &its, NULL), 0, "absolute MONOTONIC +40 ms");
	CHECK_RET(rd64(m), 1, "blocking read returns the expiry");
	CHECK(now_ns(CLOCK_MONOTONIC) >= at, "absolute expiry not early", "early by %lld ns",
	      (long long)(at - now_ns(CLOCK_MONOTONIC)));

	/* errors */
	its = (struct itimerspec){ { 0, 0 }, { 0, 1000000000 } };
	CHECK_ERR(timerfd_settime(m, 0, &its, NULL), EINVAL, "tv_nsec of 1e9 EINVAL");
	its = (struct itimerspec){ { 0, 0 }, { -1, 0 } };
	CHECK_ERR(timerfd_settime(m, 0, &its, NULL), EINVAL, "negative time EINVAL");
	its = (struct itimerspec){ { 0, 0 }, { 1, 0 } };
	CHECK_ERR(timerfd_settime(m, 0x4, &its, NULL), EINVAL, "unknown settime flag EINVAL");
	CHECK_ERR(timerfd_settime(m, 0, BADPTR, NULL), EFAULT, "bad new value EFAULT");
	/* Linux reads the value before it looks at the flags. */
	CHECK_ERR(timerfd_settime(m, 0x4, BADPTR, NULL), EFAULT, "bad value and bad flag: EFAULT first");
	CHECK_ERR(timerfd_settime(999, 0, &its, NULL), EBADF, "settime on a closed fd EBADF");
	int p[2];
	pipe(p);
	CHECK_ERR(timerfd_settime(p[0], 0, &its, NULL), EINVAL, "settime on a pipe EINVAL");
	CHECK_ERR(timerfd_gettime(p[0], &its), EINVAL, "gettime on a pipe EINVAL");
	CHECK_ERR(timerfd_gettime(999, &its), EBADF, "gettime on a closed fd EBADF");
	CHECK_ERR(wr64(m, 1), EINVAL, "write to a timerfd EINVAL");
	close(p[0]);
	close(p[1]);
	close(m);
}

static void test_signalfd(void)
{
	struct signalfd_siginfo ssi[2];
	sigset_t set, usr1;
	int st;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	int s = CHECK_OK(signalfd(-1, &usr1, SFD_NONBLOCK | SFD_CLOEXEC), "signalfd4 SIGUSR1");
	CHECK_RET(fcntl(s, F_GETFD), FD_CLOEXEC, "SFD_CLOEXEC");
	check_link(s, "anon_inode:[signalfd]");
	CHECK_ERR(read(s, ssi, sizeof ssi[0]), EAGAIN, "nothing pending EAGAIN");
	CHECK_ERR(read(s, ssi, 100), EINVAL, "read of less than 128 bytes EINVAL");
	struct pollfd pf = { s, POLLIN, 0 };
	CHECK_RET(poll(&pf, 1, 0), 0, "signalfd not readable yet");
	kill(getpid(), SIGUSR1);
	CHECK_RET(poll(&pf, 1, 0), 1, "a pending SIGUSR1 makes it readable");
	CHECK_RET(read(s, ssi, sizeof ssi), 128, "read one record");
	CHECK(ssi[0].ssi_signo == SIGUSR1 && ssi[0].ssi_code == SI_USER &&
	      ssi[0].ssi_pid == (uint32_t)getpid() && ssi[0].ssi_uid == getuid(),
	      "record of kill(getpid(), SIGUSR1)", "signo %u code %d pid %u uid %u",
	      ssi[0].ssi_signo, ssi[0].ssi_code, ssi[0].ssi_pid, ssi[0].ssi_uid);
	sigpending(&set);
	CHECK(!sigismember(&set, SIGUSR1), "read dequeues the signal", "still pending");

	kill(getpid(), SIGUSR2);
	CHECK_ERR(read(s, ssi, sizeof ssi), EAGAIN, "SIGUSR2 is not in the mask");
	sigaddset(&usr1, SIGUSR2);
	CHECK_RET(signalfd(s, &usr1, 0), s, "signalfd updates the mask in place");
	kill(getpid(), SIGUSR1);
	CHECK_RET(read(s, ssi, sizeof ssi), 256, "two records in one read");
	CHECK(ssi[0].ssi_signo == SIGUSR1 && ssi[1].ssi_signo == SIGUSR2, "lowest signal first",
	      "%u then %u", ssi[0].ssi_signo, ssi[1].ssi_signo);
	close(s);

	s = CHECK_OK(syscall(SYS_signalfd, -1, &usr1, 8), "legacy signalfd syscall");
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	CHECK_RET(read(s, ssi, sizeof ssi[0]), 128, "blocking read woken by a child's kill");
	CHECK(ssi[0].ssi_signo == SIGUSR2 && ssi[0].ssi_pid == (uint32_t)pid, "record names the child",
	      "signo %u pid %u (child %d)", ssi[0].ssi_signo, ssi[0].ssi_pid, pid);
	waitpid(pid, &st, 0);

	int e = eventfd(0, 0);
	CHECK_ERR(signalfd(e, &usr1, 0), EINVAL, "signalfd on an eventfd EINVAL");
	CHECK_ERR(signalfd(999, &usr1, 0), EBADF, "signalfd on a closed fd EBADF");
	CHECK_ERR(syscall(SYS_signalfd4, -1, &usr1, 4, 0), EINVAL, "sizemask 4 EINVAL");
	CHECK_ERR(syscall(SYS_signalfd4, -1, &usr1, 8, 0x10), EINVAL, "unknown flag EINVAL");
	CHECK_ERR(syscall(SYS_signalfd4, -1, BADPTR, 8, 0), EFAULT, "bad mask EFAULT");
	close(e);
	close(s);
}

/* Wait with timeout ms; the one event's data in *data. */
static int wait1(int ep, int ms, uint64_t *data, uint32_t *events)
{
	struct epoll_event ev = { 0, { 0 } };
	int n = epoll_wait(ep, &ev, 1, ms);
	if (n == 1) {
		*data = ev.data.u64;
		*events = ev.events;
	}
	return n;
}

static void epoll_errors(void)
{
	struct epoll_event ev = { EPOLLIN, { .u64 = 0 } };
	int p[2];

	CHECK_ERR(syscall(SYS_epoll_create, 0), EINVAL, "epoll_create(0) EINVAL");
	CHECK_ERR(epoll_create1(0x10), EINVAL, "epoll_create1 unknown flag EINVAL");
	int ep = CHECK_OK(epoll_create1(EPOLL_CLOEXEC), "epoll_create1(EPOLL_CLOEXEC)");
	CHECK_RET(fcntl(ep, F_GETFD), FD_CLOEXEC, "EPOLL_CLOEXEC");
	check_link(ep, "anon_inode:[eventpoll]");
	int old = CHECK_OK(epoll_create(1), "epoll_create(1)");
	pipe(p);
	CHECK_RET(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0, "EPOLL_CTL_ADD");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST, "add twice EEXIST");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), ENOENT, "MOD of an absent fd ENOENT");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), ENOENT, "DEL of an absent fd ENOENT");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL, "epoll in itself EINVAL");
	CHECK_ERR(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev), EINVAL, "epfd not an epoll EINVAL");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF, "closed fd EBADF");
	CHECK_ERR(epoll_ctl(999, EPOLL_CTL_ADD, p[0], &ev), EBADF, "closed epfd EBADF");
	CHECK_ERR(epoll_ctl(ep, 99, p[1], &ev), EINVAL, "unknown op EINVAL");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], BADPTR), EFAULT, "bad event pointer EFAULT");
	int reg = open("/progs/run.sh", O_RDONLY);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev), EPERM, "regular file EPERM");
	close(reg);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL, "MOD with EPOLLEXCLUSIVE EINVAL");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, old, &ev), EINVAL, "EPOLLEXCLUSIVE on an epoll EINVAL");
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev), EINVAL, "EPOLLEXCLUSIVE with ONESHOT EINVAL");
	ev.events = EPOLLOUT | EPOLLEXCLUSIVE;
	CHECK_RET(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev), 0, "EPOLLEXCLUSIVE add");
	ev.events = EPOLLOUT;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), EINVAL, "MOD of an exclusive item EINVAL");
	CHECK_RET(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), 0, "EPOLL_CTL_DEL");

	struct epoll_event out[4];
	CHECK_ERR(epoll_wait(ep, out, 0, 0), EINVAL, "maxevents 0 EINVAL");
	CHECK_ERR(epoll_wait(999, out, 1, 0), EBADF, "epoll_wait closed fd EBADF");
	CHECK_ERR(epoll_wait(p[0], out, 1, 0), EINVAL, "epoll_wait on a pipe EINVAL");
	CHECK_RET(epoll_wait(ep, out, 4, 0), 0, "nothing ready, timeout 0");
	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_RET(epoll_wait(ep, out, 4, 50), 0, "nothing ready, timeout 50 ms");
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 50000000ULL, "timeout not early", "after %llu ns",
	      (unsigned long long)(now_ns(CLOCK_MONOTONIC) - t0));
	write(p[1], "x", 1);
	CHECK_ERR(syscall(SYS_epoll_wait, ep, BADPTR, 4, 0), EFAULT, "bad events pointer EFAULT");
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, out, 4, &bad, NULL, 8), EINVAL,
		  "epoll_pwait2 bad timespec EINVAL");
	struct timespec zero = { 0, 0 };
	CHECK_RET(syscall(SYS_epoll_pwait2, ep, out, 4, &zero, NULL, 8), 1, "epoll_pwait2 finds the pipe");
	sigset_t none;
	sigemptyset(&none);
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, out, 4, 0, &none, 4), EINVAL, "epoll_pwait sigsetsize 4 EINVAL");

	/* nesting: old in ep is fine, ep in old would be a loop */
	ev.events = EPOLLIN;
	CHECK_RET(epoll_ctl(ep, EPOLL_CTL_ADD, old, &ev), 0, "epoll in epoll");
	CHECK_ERR(epoll_ctl(old, EPOLL_CTL_ADD, ep, &ev), ELOOP, "a loop of epolls ELOOP");
	close(old);
	close(ep);
	close(p[0]);
	close(p[1]);
}

static void epoll_triggers(void)
{
	struct epoll_event ev;
	uint64_t d = 0;
	uint32_t evs = 0;
	char buf[16];
	int p[2];

	int ep = epoll_create1(0);
	pipe2(p, O_NONBLOCK);
	/* level-triggered */
	ev = (struct epoll_event){ EPOLLIN, { .u64 = 7 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	write(p[1], "ab", 2);
	CHECK(wait1(ep, 1000, &d, &evs) == 1 && d == 7 && evs == EPOLLIN, "LT: pipe readable",
	      "data %llu events %#x", (unsigned long long)d, evs);
	CHECK_RET(wait1(ep, 0, &d, &evs), 1, "LT: still reported while data is there");
	read(p[0], buf, sizeof buf);
	CHECK_RET(wait1(ep, 0, &d, &evs), 0, "LT: not after the data is read");

	/* edge-triggered */
	ev = (struct epoll_event){ EPOLLIN | EPOLLET, { .u64 = 8 } };
	CHECK_RET(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0, "MOD to EPOLLET");
	write(p[1], "a", 1);
	CHECK(wait1(ep, 1000, &d, &evs) == 1 && d == 8, "ET: first write reported", "data %llu", (unsigned long long)d);
	CHECK_RET(wait1(ep, 0, &d, &evs), 0, "ET: no second report without a new event");
	write(p[1], "b", 1);
	CHECK_RET(wait1(ep, 1000, &d, &evs), 1, "ET: another write is a new edge");
	CHECK_RET(read(p[0], buf, sizeof buf), 2, "ET: drain");
	write(p[1], "c", 1);
	CHECK_RET(wait1(ep, 1000, &d, &evs), 1, "ET: write after a drain reported");
	read(p[0], buf, sizeof buf);

	/* one-shot */
	ev = (struct epoll_event){ EPOLLIN | EPOLLONESHOT, { .u64 = 9 } };
	CHECK_RET(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0, "MOD to EPOLLONESHOT");
	write(p[1], "d", 1);
	CHECK_RET(wait1(ep, 1000, &d, &evs), 1, "ONESHOT: reported once");
	CHECK_RET(wait1(ep, 0, &d, &evs), 0, "ONESHOT: then disabled, data or not");
	CHECK_RET(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0, "ONESHOT: re-armed by MOD");
	CHECK_RET(wait1(ep, 0, &d, &evs), 1, "ONESHOT: reported again after MOD");

	/* hang-up: the writer goes */
	ev = (struct epoll_event){ EPOLLIN, { .u64 = 10 } };
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
	read(p[0], buf, sizeof buf);
	close(p[1]);
	CHECK(wait1(ep, 1000, &d, &evs) == 1 && evs == EPOLLHUP, "EPOLLHUP when the writer closes",
	      "events %#x", evs);
	close(p[0]);
	CHECK_RET(wait1(ep, 0, &d, &evs), 0, "a closed fd leaves the set");

	/* watching the write end does not keep the pipe open */
	pipe2(p, O_NONBLOCK);
	ev = (struct epoll_event){ EPOLLOUT, { .u64 = 11 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev);
	close(p[1]);
	CHECK_RET(read(p[0], buf, sizeof buf), 0, "EOF although epoll watched the write end");
	close(p[0]);

	/* fairness: with maxevents 1, two ready items take turns */
	int e1 = eventfd(1, 0), e2 = eventfd(1, 0);
	ev = (struct epoll_event){ EPOLLIN, { .u64 = 1 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, e1, &ev);
	ev.data.u64 = 2;
	epoll_ctl(ep, EPOLL_CTL_ADD, e2, &ev);
	uint64_t d1 = 0, d2 = 0;
	wait1(ep, 0, &d1, &evs);
	wait1(ep, 0, &d2, &evs);
	CHECK(d1 + d2 == 3, "maxevents 1: both items reported in turn", "%llu then %llu",
	      (unsigned long long)d1, (unsigned long long)d2);
	struct epoll_event out[4];
	CHECK_RET(epoll_wait(ep, out, 4, 0), 2, "both with room for 4");
	close(e1);
	close(e2);
	close(ep);
}

static void sigusr1_handler(int sig)
{
	(void)sig;
}

static void epoll_sources(void)
{
	struct epoll_event ev, out[8];
	uint64_t d = 0;
	uint32_t evs = 0;
	int st;

	int ep = epoll_create1(0);
	int e = eventfd(0, EFD_NONBLOCK);
	int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	sigset_t usr2;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	int s = signalfd(-1, &usr2, SFD_NONBLOCK);
	ev = (struct epoll_event){ EPOLLIN, { .u64 = 100 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
	ev.data.u64 = 200;
	epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev);
	ev.data.u64 = 300;
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	CHECK_RET(epoll_wait(ep, out, 8, 0), 0, "eventfd, timerfd, signalfd: none ready");
	struct itimerspec its = { { 0, 0 }, { 0, 30000000 } };
	timerfd_settime(t, 0, &its, NULL);
	CHECK(wait1(ep, 5000, &d, &evs) == 1 && d == 200, "epoll_wait sleeps until the timerfd expires",
	      "data %llu", (unsigned long long)d);
	rd64(t);
	pthread_t th;
	pthread_create(&th, NULL, thread_writes, &e);
	CHECK(wait1(ep, 5000, &d, &evs) == 1 && d == 100, "epoll_wait woken by a thread's eventfd write",
	      "data %llu", (unsigned long long)d);
	pthread_join(th, NULL);
	rd64(e);
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	CHECK(wait1(ep, 5000, &d, &evs) == 1 && d == 300, "epoll_wait woken by a signal for the signalfd",
	      "data %llu", (unsigned long long)d);
	waitpid(pid, &st, 0);
	struct signalfd_siginfo ssi;
	CHECK_RET(read(s, &ssi, sizeof ssi), 128, "signalfd read after epoll");
	CHECK_RET(epoll_wait(ep, out, 8, 0), 0, "all drained");

	/* nested: the inner epoll is readable when its eventfd is */
	int outer = epoll_create1(0);
	ev = (struct epoll_event){ EPOLLIN, { .u64 = 400 } };
	epoll_ctl(outer, EPOLL_CTL_ADD, ep, &ev);
	CHECK_RET(epoll_wait(outer, out, 8, 0), 0, "nested: inner has nothing");
	wr64(e, 1);
	CHECK(wait1(outer, 1000, &d, &evs) == 1 && d == 400 && evs == EPOLLIN,
	      "nested: inner epoll reported readable", "data %llu events %#x", (unsigned long long)d, evs);
	struct pollfd pf = { ep, POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN), "poll on an epoll fd", "revents %#x", pf.revents);
	rd64(e);
	CHECK_RET(epoll_wait(outer, out, 8, 0), 0, "nested: drained");
	close(outer);

	/* epoll_pwait: a signal unblocked only during the wait interrupts it */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sigusr1_handler;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t blk, none, cur;
	sigemptyset(&blk);
	sigaddset(&blk, SIGUSR1);
	sigprocmask(SIG_BLOCK, &blk, NULL);
	sigemptyset(&none);
	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	CHECK_ERR(epoll_pwait(ep, out, 8, 5000, &none), EINTR, "epoll_pwait interrupted by an unblocked signal");
	waitpid(pid, &st, 0);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1), "epoll_pwait restores the mask", "SIGUSR1 unblocked");
	close(s);
	close(t);
	close(e);
	close(ep);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_eventfd();
	test_timerfd();
	test_signalfd();
	epoll_errors();
	epoll_triggers();
	epoll_sources();
	return check_done();
}
