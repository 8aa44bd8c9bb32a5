// SPDX-License-Identifier: MPL-2.0
/*
 * t_futex_waitv -- futex_waitv(2): a wake-up of one of three futexes
 * returns its index, private and shared waiters (shared across fork), an
 * absolute timeout on CLOCK_MONOTONIC and CLOCK_REALTIME (ETIMEDOUT),
 * a value mismatch (EAGAIN), a signal (EINTR), and each EINVAL/EFAULT
 * path: flags, counts 0 and 129, NULL waiters, a waiter's size flag,
 * unknown flag or reserved field, a misaligned or unmapped word, a bad
 * clock, a bad timespec.
 */
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define T_FUTEX_32		2
#define T_FUTEX_WAKE		1
#define T_FUTEX_PRIVATE		128

struct t_waitv {
	uint64_t val, uaddr;
	uint32_t flags, reserved;
};

static long waitv(struct t_waitv *w, unsigned int n, unsigned int flags, struct timespec *ts, int clk)
{
	return syscall(SYS_futex_waitv, w, n, flags, ts, clk);
}

static void set(struct t_waitv *w, uint32_t *word, uint32_t val, uint32_t flags)
{
	w->val = val;
	w->uaddr = (uintptr_t)word;
	w->flags = flags;
	w->reserved = 0;
}

static struct timespec after_ms(int clk, long ms)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	ts.tv_nsec += ms * 1000000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return ts;
}

static uint32_t words[3];

static void *waker(void *arg)
{
	(void)arg;
	usleep(100000);
	words[1] = 1;
	/* Until the waiter is there to be woken. */
	for (int i = 0; i < 200; i++) {
		if (syscall(SYS_futex, &words[1], T_FUTEX_WAKE | T_FUTEX_PRIVATE, 1, NULL, NULL, 0) == 1)
			break;
		usleep(10000);
	}
	return NULL;
}

static void test_wake_second(void)
{
	struct t_waitv w[3];
	pthread_t th;

	for (int i = 0; i < 3; i++)
		set(&w[i], &words[i], 0, T_FUTEX_32 | T_FUTEX_PRIVATE);
	pthread_create(&th, NULL, waker, NULL);
	CHECK_RET(waitv(w, 3, 0, NULL, 0), 1, "a wake-up of the second of three returns 1");
	pthread_join(th, NULL);
}

static void test_timeout_mismatch(void)
{
	uint32_t a = 5, b = 7;
	struct t_waitv w[2];
	struct timespec ts;

	set(&w[0], &a, 5, T_FUTEX_32 | T_FUTEX_PRIVATE);
	set(&w[1], &b, 7, T_FUTEX_32);
	ts = after_ms(CLOCK_MONOTONIC, 50);
	CHECK_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), ETIMEDOUT, "CLOCK_MONOTONIC deadline: ETIMEDOUT");
	ts = after_ms(CLOCK_REALTIME, 50);
	CHECK_ERR(waitv(w, 2, 0, &ts, CLOCK_REALTIME), ETIMEDOUT, "CLOCK_REALTIME deadline: ETIMEDOUT");
	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	CHECK_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), ETIMEDOUT, "a past deadline: ETIMEDOUT");
	w[1].val = 8;
	CHECK_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), EAGAIN, "a value mismatch beats the past deadline: EAGAIN");
	CHECK_ERR(waitv(w, 2, 0, NULL, 0), EAGAIN, "a value mismatch: EAGAIN");
}

static void test_errors(void)
{
	uint32_t a = 0;
	struct t_waitv w[129];
	struct timespec ts = { 0, 0 };

	for (int i = 0; i < 129; i++)
		set(&w[i], &a, 1, T_FUTEX_32);
	CHECK_ERR(waitv(w, 1, 1, NULL, 0), EINVAL, "flags != 0: EINVAL");
	CHECK_ERR(waitv(w, 0, 0, NULL, 0), EINVAL, "no waiters: EINVAL");
	CHECK_ERR(waitv(w, 129, 0, NULL, 0), EINVAL, "129 waiters: EINVAL");
	CHECK_ERR(waitv(w, 128, 0, NULL, 0), EAGAIN, "128 waiters are fine (EAGAIN: mismatch)");
	CHECK_ERR(waitv(NULL, 1, 0, NULL, 0), EINVAL, "NULL waiters: EINVAL");
	CHECK_ERR(waitv(BADPTR, 1, 0, NULL, 0), EFAULT, "unmapped waiters: EFAULT");
	CHECK_ERR(waitv(w, 1, 0, &ts, 7 /* CLOCK_BOOTTIME */), EINVAL, "a clock other than REALTIME/MONOTONIC: EINVAL");
	CHECK_ERR(waitv(w, 1, 0, BADPTR, CLOCK_MONOTONIC), EFAULT, "unmapped timeout: EFAULT");
	ts.tv_nsec = 1000000000;
	CHECK_ERR(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC), EINVAL, "tv_nsec of 1e9: EINVAL");
	ts.tv_nsec = 0;
	ts.tv_sec = -1;
	CHECK_ERR(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC), EINVAL, "a negative tv_sec: EINVAL");
	w[1].flags = 0;
	CHECK_ERR(waitv(w, 2, 0, NULL, 0), EINVAL, "a waiter without FUTEX_32: EINVAL");
	w[1].flags = T_FUTEX_32 | 0x4;
	CHECK_ERR(waitv(w, 2, 0, NULL, 0), EINVAL, "an unknown waiter flag: EINVAL");
	w[1].flags = T_FUTEX_32;
	w[1].reserved = 1;
	CHECK_ERR(waitv(w, 2, 0, NULL, 0), EINVAL, "a nonzero reserved field: EINVAL");
	w[1].reserved = 0;
	w[1].uaddr = (uintptr_t)&a + 1;
	CHECK_ERR(waitv(w, 2, 0, NULL, 0), EINVAL, "a misaligned word: EINVAL");
	w[0].val = 0;	/* a's value: the second word is the one that fails */
	w[1].uaddr = 4;
	CHECK_ERR(waitv(w, 2, 0, NULL, 0), EFAULT, "an unmapped word: EFAULT");
	w[1].flags = T_FUTEX_32 | T_FUTEX_PRIVATE;
	CHECK_ERR(waitv(w, 2, 0, NULL, 0), EFAULT, "an unmapped private word: EFAULT");
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_signal(void)
{
	struct sigaction sa;
	uint32_t a = 3;
	struct t_waitv w;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	set(&w, &a, 3, T_FUTEX_32 | T_FUTEX_PRIVATE);
	ualarm(50000, 0);
	CHECK_ERR(waitv(&w, 1, 0, NULL, 0), EINTR, "a signal without SA_RESTART: EINTR");
}

/* A child waits on a word of a shared mapping; the parent wakes it with a shared FUTEX_WAKE. */
static void test_shared_fork(void)
{
	uint32_t *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint32_t other = 9;
	int status = 0, woke = 0;
	pid_t pid;

	*word = 0;
	pid = fork();
	if (pid == 0) {
		struct t_waitv w[2];

		set(&w[0], &other, 9, T_FUTEX_32 | T_FUTEX_PRIVATE);
		set(&w[1], word, 0, T_FUTEX_32);
		_exit((int)waitv(w, 2, 0, NULL, 0) == 1 ? 0 : 1);
	}
	usleep(100000);
	*word = 1;
	for (int i = 0; i < 200 && !woke; i++) {
		woke = (int)syscall(SYS_futex, word, T_FUTEX_WAKE, 1, NULL, NULL, 0);
		if (!woke)
			usleep(10000);
	}
	CHECK_RET(woke, 1, "a shared FUTEX_WAKE in the parent finds the child's waiter");
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's futex_waitv returned 1 (its shared waiter)",
	      "status 0x%x", status);
	munmap(word, 4096);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_wake_second();
	test_timeout_mismatch();
	test_errors();
	test_signal();
	test_shared_fork();
	return check_done();
}
