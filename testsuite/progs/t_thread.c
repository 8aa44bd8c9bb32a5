/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_thread -- threads and futexes: pthread create/join with distinct tids
 * and thread-local storage, mutex and condition variable handoffs, raw
 * futex wait/wake (EAGAIN, ETIMEDOUT, EINVAL) and FUTEX_WAKE_OP, private
 * and shared between
 * processes through a MAP_SHARED page, robust mutexes whose owner died (a
 * thread, and a whole process) giving EOWNERDEAD, execve from a thread
 * other than the leader (the other threads end, the pid stays), exit_group
 * from a thread, clone3: a fork-like child, CLONE_CLEAR_SIGHAND, and each
 * argument check; membarrier's commands and registration; closing a
 * descriptor while another thread (or a CLONE_FILES process) is blocked
 * reading it: the read goes on; getcwd and /proc/self/cwd while another
 * thread moves the shared cwd into removed directories and out.
 */
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

/* From <linux/futex.h>, which musl-gcc does not see. */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_WAKE_OP		5
#define FUTEX_WAIT_PRIVATE	(FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE	(FUTEX_WAKE | FUTEX_PRIVATE_FLAG)

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

static __thread int tls_value = 1;

static void *thread_body(void *arg)
{
	long *out = arg;

	tls_value = 42;
	out[0] = syscall(SYS_gettid);
	out[1] = getpid();
	return (void *)0x1234;
}

static void test_create_join(void)
{
	pthread_t th;
	long out[2] = { 0, 0 };
	void *ret = NULL;

	CHECK_RET(pthread_create(&th, NULL, thread_body, out), 0, "pthread_create");
	CHECK_RET(pthread_join(th, &ret), 0, "pthread_join");
	CHECK(ret == (void *)0x1234, "pthread_join returns the thread's value", "got %p", ret);
	CHECK(out[1] == getpid() && out[0] != getpid() && out[0] > 0,
	      "a thread shares the pid and has its own tid", "tid %ld pid %ld (ours %d)", out[0], out[1],
	      (int)getpid());
	CHECK(tls_value == 1, "thread-local storage is per thread", "main thread sees %d", tls_value);
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&counter_lock);
		counter++;
		if (i % 1000 == 0)
			sched_yield();
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cv_turn, cv_rounds;

/* Two threads take turns 0/1 through a condition variable. */
static void *ping_pong(void *arg)
{
	int me = (int)(intptr_t)arg;

	for (int i = 0; i < 200; i++) {
		pthread_mutex_lock(&cv_lock);
		while (cv_turn != me)
			pthread_cond_wait(&cv, &cv_lock);
		cv_turn = !me;
		cv_rounds++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&cv_lock);
	}
	return NULL;
}

static void test_sync(void)
{
	pthread_t th[4];

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, count_up, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK(counter == 80000, "a mutex serialises four threads", "counter %ld", counter);
	pthread_create(&th[0], NULL, ping_pong, (void *)0);
	pthread_create(&th[1], NULL, ping_pong, (void *)1);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	CHECK(cv_rounds == 400, "a condition variable hands off 400 turns", "rounds %d", cv_rounds);
}

static uint32_t word;

static void *wake_word_later(void *arg)
{
	struct timespec ts = { 0, 50000000 };

	(void)arg;
	nanosleep(&ts, NULL);
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL);
	return NULL;
}

static void test_raw_futex(void)
{
	struct timespec ts = { 0, 20000000 };
	pthread_t th;

	word = 5;
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL), EAGAIN, "FUTEX_WAIT on a changed value EAGAIN");
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 5, &ts), ETIMEDOUT, "FUTEX_WAIT times out ETIMEDOUT");
	CHECK_ERR(futex((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 5, &ts), EINVAL,
		  "FUTEX_WAIT on a misaligned word EINVAL");
	CHECK_ERR(futex((uint32_t *)8, FUTEX_WAIT, 0, &ts), EFAULT, "FUTEX_WAIT on a bad address EFAULT");
	CHECK_RET(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL), 0, "FUTEX_WAKE with no waiter wakes 0");
	word = 0;
	pthread_create(&th, NULL, wake_word_later, NULL);
	long r;
	while ((r = futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL)) == 0 && word == 0)
		;
	CHECK(word == 1 && (r == 0 || errno == EAGAIN), "FUTEX_WAIT returns after another thread's FUTEX_WAKE",
	      "word %u r %ld", word, r);
	pthread_join(th, NULL);
}

/* FUTEX_WAKE_OP's val3: operation, its argument, comparison, its argument. */
#define WAKE_OP(op, oparg, cmp, cmparg) \
	((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

static uint32_t op_word1, op_word2;

static void *wait_on_word2(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&op_word2, __ATOMIC_SEQ_CST) == 8)
		futex(&op_word2, FUTEX_WAIT, 8, NULL);
	return NULL;
}

static long wake_op(uint32_t *w1, int n1, int n2, uint32_t *w2, uint32_t val3)
{
	return syscall(SYS_futex, w1, FUTEX_WAKE_OP, n1, (void *)(long)n2, w2, val3);
}

static void test_wake_op(void)
{
	struct timespec nap = { 0, 10000000 };
	pthread_t th;
	long r = 0;

	op_word2 = 5;
	CHECK_RET(wake_op(&op_word1, 1, 1, &op_word2, WAKE_OP(1, 3, 0, 5)), 0,
		  "FUTEX_WAKE_OP with nobody waiting wakes 0");
	CHECK(op_word2 == 8, "FUTEX_WAKE_OP applies its operation (add 3)", "word %u", op_word2);
	pthread_create(&th, NULL, wait_on_word2, NULL);
	/* Until the waiter is asleep on the word and gets woken by the comparison's branch. */
	for (int i = 0; i < 500 && r == 0; i++) {
		nanosleep(&nap, NULL);
		op_word2 = 8;
		r = wake_op(&op_word1, 1, 1, &op_word2, WAKE_OP(0, 9, 0, 8));
	}
	CHECK(r == 1 && op_word2 == 9, "FUTEX_WAKE_OP sets the word and wakes its waiter when old == 8",
	      "woke %ld, word %u", r, op_word2);
	pthread_join(th, NULL);
	op_word2 = 1;
	CHECK_RET(wake_op(&op_word1, 1, 1, &op_word2, WAKE_OP(8 | 0, 4, 0, 0)), 0,
		  "FUTEX_WAKE_OP with FUTEX_OP_OPARG_SHIFT");
	CHECK(op_word2 == 16, "FUTEX_OP_OPARG_SHIFT sets 1 << 4", "word %u", op_word2);
	CHECK_ERR(wake_op(&op_word1, 1, 1, &op_word2, WAKE_OP(7, 1, 0, 0)), ENOSYS,
		  "FUTEX_WAKE_OP bad operation ENOSYS");
	CHECK_ERR(wake_op(&op_word1, 1, 1, (uint32_t *)8, WAKE_OP(0, 1, 0, 0)), EFAULT,
		  "FUTEX_WAKE_OP bad second address EFAULT");
}

/*
 * Two processes, one futex word in a MAP_SHARED page (mapped at different
 * addresses in each, to be sure the key is not the address): the child
 * sleeps on it, the parent wakes it.
 */
static void test_shared_futex(void)
{
	uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status = -1;
	long woken = 0;

	CHECK(page != MAP_FAILED, "mmap a shared page for a futex", "errno %d", errno);
	if (page == MAP_FAILED)
		return;
	page[0] = 0;
	page[1] = 0;
	pid_t pid = fork();
	if (pid == 0) {
		uint32_t *again = mremap(page, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)page + 0x100000);
		struct timespec ts = { 10, 0 };

		if (again == MAP_FAILED)
			_exit(3);
		__atomic_store_n(&again[1], 1, __ATOMIC_SEQ_CST);	/* "about to wait" */
		long r = futex(&again[0], FUTEX_WAIT, 0, &ts);
		_exit(r == 0 ? 0 : (errno == ETIMEDOUT ? 1 : 2));
	}
	/* Wake until the child has been woken (it may not be asleep yet). */
	struct timespec nap = { 0, 10000000 };
	for (int i = 0; i < 500 && woken == 0; i++) {
		nanosleep(&nap, NULL);
		if (__atomic_load_n(&page[1], __ATOMIC_SEQ_CST))
			woken = futex(&page[0], FUTEX_WAKE, 1, NULL);
	}
	waitpid(pid, &status, 0);
	CHECK(woken == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "FUTEX_WAKE reaches a waiter in another process on a shared page", "woken %ld status 0x%x",
	      woken, status);
	munmap(page, 4096);
}

static void init_robust(pthread_mutex_t *m, int pshared)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	if (pshared)
		pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

static void *lock_and_exit(void *arg)
{
	pthread_mutex_lock(arg);
	return NULL;	/* ends holding it */
}

static void test_robust_mutex(void)
{
	pthread_mutex_t m;
	pthread_t th;
	int status = -1;

	init_robust(&m, 0);
	pthread_create(&th, NULL, lock_and_exit, &m);
	pthread_join(th, NULL);
	CHECK_RET(pthread_mutex_lock(&m), EOWNERDEAD, "robust mutex of an exited thread: EOWNERDEAD");
	CHECK_RET(pthread_mutex_consistent(&m), 0, "pthread_mutex_consistent");
	CHECK_RET(pthread_mutex_unlock(&m), 0, "unlock the recovered mutex");
	CHECK_RET(pthread_mutex_lock(&m), 0, "the recovered mutex locks normally");
	pthread_mutex_unlock(&m);

	pthread_mutex_t *sm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sm == MAP_FAILED)
		return;
	init_robust(sm, 1);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(sm);
		_exit(0);	/* the process ends holding it */
	}
	waitpid(pid, &status, 0);
	CHECK_RET(pthread_mutex_lock(sm), EOWNERDEAD, "process-shared robust mutex of a dead process: EOWNERDEAD");
	pthread_mutex_consistent(sm);
	pthread_mutex_unlock(sm);

	/* A waiter blocked in the lock is woken by the owner's death. */
	pid = fork();
	if (pid == 0) {
		struct timespec nap = { 0, 200000000 };

		pthread_mutex_lock(sm);
		nanosleep(&nap, NULL);
		_exit(0);
	}
	struct timespec nap = { 0, 20000000 };
	while (pthread_mutex_trylock(sm) == 0) {	/* until the child holds it */
		pthread_mutex_unlock(sm);
		nanosleep(&nap, NULL);
	}
	CHECK_RET(pthread_mutex_lock(sm), EOWNERDEAD, "a blocked waiter wakes with EOWNERDEAD when the owner dies");
	waitpid(pid, &status, 0);
	munmap(sm, 4096);
}

/* After the exec from a non-leader thread: one thread, tid == pid. */
static int dethread_child(void)
{
	char buf[2048];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	char *th;

	if (n <= 0)
		return 2;
	buf[n] = 0;
	th = strstr(buf, "Threads:");
	if (!th || atoi(th + 8) != 1)
		return 3;
	return syscall(SYS_gettid) == getpid() ? 0 : 4;
}

static void *exec_from_thread(void *arg)
{
	char *argv[] = { "t_thread", "dethread-child", NULL };

	(void)arg;
	execv("/proc/self/exe", argv);
	_exit(10);
}

static void *sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void test_exec_dethread(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t a, b;

		pthread_create(&a, NULL, sleep_forever, NULL);
		pthread_create(&b, NULL, exec_from_thread, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "execve from a non-leader thread: one thread left, with the pid as tid", "status 0x%x", status);
}

static void *exit_group_from_thread(void *arg)
{
	(void)arg;
	exit(7);
}

static void test_exit_group(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t a, b;

		pthread_create(&a, NULL, sleep_forever, NULL);
		pthread_create(&b, NULL, exit_group_from_thread, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "exit from one thread ends every thread",
	      "status 0x%x", status);
}

static long clone3(struct clone_args_v2 *ca, size_t size)
{
	return syscall(SYS_clone3, ca, size);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void test_clone3(void)
{
	struct clone_args_v2 ca;
	unsigned char big[128];
	int status = -1;
	long pid;

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	pid = clone3(&ca, 64);
	if (pid == 0)
		_exit(getppid() > 0 ? 21 : 22);
	CHECK(pid > 0, "clone3 like fork", "returned %ld errno %d", pid, errno);
	if (pid > 0) {
		waitpid((pid_t)pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 21, "clone3 child runs and is waited for",
		      "status 0x%x", status);
	}

	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	ca.flags = CLONE_CLEAR_SIGHAND;
	pid = clone3(&ca, sizeof(ca));
	if (pid == 0) {
		struct sigaction s1, s2;

		sigaction(SIGUSR1, NULL, &s1);
		sigaction(SIGUSR2, NULL, &s2);
		_exit(s1.sa_handler == SIG_DFL && s2.sa_handler == SIG_IGN ? 0 : 1);
	}
	status = -1;
	if (pid > 0)
		waitpid((pid_t)pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "CLONE_CLEAR_SIGHAND: handlers reset, ignored signals stay ignored", "pid %ld status 0x%x", pid,
	      status);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	CHECK_ERR(clone3(&ca, 63), EINVAL, "clone3 size below 64 EINVAL");
	CHECK_ERR(clone3(&ca, 8192), E2BIG, "clone3 size above a page E2BIG");
	memset(big, 0, sizeof(big));
	memcpy(big, &ca, sizeof(ca));
	big[120] = 1;
	CHECK_ERR(syscall(SYS_clone3, big, sizeof(big)), E2BIG, "clone3 unknown nonzero fields E2BIG");
	CHECK_ERR(clone3((struct clone_args_v2 *)8, 64), EFAULT, "clone3 bad pointer EFAULT");
	ca.exit_signal = 100;
	CHECK_ERR(clone3(&ca, 64), EINVAL, "clone3 bad exit_signal EINVAL");
	ca.exit_signal = 0;
	ca.flags = SIGCHLD;
	CHECK_ERR(clone3(&ca, 64), EINVAL, "clone3 CSIGNAL bits in flags EINVAL");
	ca.flags = 0;
	ca.stack = 0x10000;
	CHECK_ERR(clone3(&ca, 64), EINVAL, "clone3 stack without stack_size EINVAL");
	ca.stack = 0;
	ca.flags = CLONE_THREAD;
	CHECK_ERR(clone3(&ca, 64), EINVAL, "clone3 CLONE_THREAD without CLONE_SIGHAND EINVAL");
	ca.flags = CLONE_SIGHAND;
	CHECK_ERR(clone3(&ca, 64), EINVAL, "clone3 CLONE_SIGHAND without CLONE_VM EINVAL");
	ca.flags = CLONE_CLEAR_SIGHAND | CLONE_SIGHAND | CLONE_VM;
	CHECK_ERR(clone3(&ca, 64), EINVAL, "clone3 CLONE_CLEAR_SIGHAND with CLONE_SIGHAND EINVAL");
	ca.flags = CLONE_PARENT;
	ca.exit_signal = SIGCHLD;
	CHECK_ERR(clone3(&ca, 64), EINVAL, "clone3 CLONE_PARENT with an exit_signal EINVAL");
	ca.flags = 1ULL << 40;
	ca.exit_signal = 0;
	CHECK_ERR(clone3(&ca, 64), EINVAL, "clone3 unknown flag EINVAL");
}

#ifndef SYS_membarrier
#define SYS_membarrier 324
#endif

static void test_membarrier(void)
{
	long q = syscall(SYS_membarrier, 0, 0);

	CHECK(q > 0 && (q & 1) && (q & 8) && (q & 16), "membarrier QUERY lists GLOBAL and PRIVATE_EXPEDITED",
	      "got %#lx errno %d", q, errno);
	CHECK_RET(syscall(SYS_membarrier, 1, 0), 0, "membarrier GLOBAL");
	CHECK_ERR(syscall(SYS_membarrier, 8, 0), EPERM, "membarrier PRIVATE_EXPEDITED unregistered EPERM");
	CHECK_RET(syscall(SYS_membarrier, 16, 0), 0, "membarrier REGISTER_PRIVATE_EXPEDITED");
	CHECK_RET(syscall(SYS_membarrier, 8, 0), 0, "membarrier PRIVATE_EXPEDITED once registered");
	CHECK_ERR(syscall(SYS_membarrier, 1 << 20, 0), EINVAL, "membarrier unknown command EINVAL");
	CHECK_ERR(syscall(SYS_membarrier, 1, 1), EINVAL, "membarrier bad flags EINVAL");
}

/* A reader blocked in read(2) on a pipe while someone else closes the descriptor. */
struct pipe_reader {
	int fd;
	int started;
	ssize_t n;
	int err;
	char c;
};

static void *blocked_reader(void *arg)
{
	struct pipe_reader *r = arg;

	__atomic_store_n(&r->started, 1, __ATOMIC_SEQ_CST);
	r->n = read(r->fd, &r->c, 1);
	r->err = errno;
	return NULL;
}

/*
 * 1: the read was in flight when fd was closed and got the byte written
 * afterwards (Linux: close does not end a read in progress); 0: the close
 * came first (EBADF), try again with a longer wait; -1: anything else.
 */
static int read_outcome(const struct pipe_reader *r)
{
	if (r->n == 1 && r->c == 'x')
		return 1;
	if (r->n == -1 && r->err == EBADF)
		return 0;
	check_printf("# read returned %zd errno %d\n", r->n, r->err);
	return -1;
}

static void test_close_during_read_thread(void)
{
	int res = 0;

	signal(SIGPIPE, SIG_IGN);
	for (int attempt = 0; attempt < 6 && res == 0; attempt++) {
		struct pipe_reader r = { .n = -2 };
		pthread_t t;
		int p[2];

		if (pipe(p) != 0)
			break;
		r.fd = p[0];
		if (pthread_create(&t, NULL, blocked_reader, &r) != 0)
			break;
		while (!__atomic_load_n(&r.started, __ATOMIC_SEQ_CST))
			sched_yield();
		usleep(20000U << attempt);	/* let it block in read */
		close(p[0]);
		(void)!write(p[1], "x", 1);
		pthread_join(t, NULL);
		close(p[1]);
		res = read_outcome(&r);
	}
	signal(SIGPIPE, SIG_DFL);
	CHECK(res == 1, "close from another thread during a blocked read: the read gets the data",
	      "outcome %d", res);
}

static int closer_child(void *arg)
{
	int *p = arg;

	usleep((useconds_t)p[2]);	/* let the parent block in read */
	close(p[0]);
	(void)!write(p[1], "x", 1);
	return 0;
}

static void test_close_during_read_clone_files(void)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	int res = 0;

	signal(SIGPIPE, SIG_IGN);
	for (int attempt = 0; attempt < 6 && res == 0; attempt++) {
		struct pipe_reader r = { .n = -2 };
		int p[3], status = -1;
		pid_t pid;

		if (pipe(p) != 0)
			break;
		p[2] = (int)(20000U << attempt);
		pid = clone(closer_child, stack + sizeof(stack), CLONE_FILES | SIGCHLD, p);
		if (pid < 0)
			break;
		r.fd = p[0];
		r.n = read(p[0], &r.c, 1);
		r.err = errno;
		waitpid(pid, &status, 0);
		close(p[1]);
		res = read_outcome(&r);
	}
	signal(SIGPIPE, SIG_DFL);
	CHECK(res == 1, "close from a CLONE_FILES process during a blocked read: the read gets the data",
	      "outcome %d", res);
}

/*
 * The threads share one cwd.  The churner makes a directory, moves into it,
 * removes it and moves back out: that chdir drops the last reference to
 * the removed directory.  getcwd and /proc/self/cwd in the other thread
 * must work on their own reference to the cwd they walk, whichever of the
 * two it is (the kernel's checked build reports a use after free else).
 */
static char churn_base[64];
static int churn_stop, churn_err;

static void *cwd_churn(void *arg)
{
	char name[96];

	(void)arg;
	for (int i = 0; !__atomic_load_n(&churn_stop, __ATOMIC_RELAXED); i++) {
		snprintf(name, sizeof name, "%s/r%d", churn_base, i);
		if (mkdir(name, 0755) || chdir(name) || rmdir(name) || chdir(churn_base)) {
			churn_err = errno;
			break;
		}
	}
	return NULL;
}

/* A cwd name is the base, or a directory below it, perhaps " (deleted)" (Linux's readlink). */
static bool cwd_name_ok(const char *buf)
{
	return strncmp(buf, churn_base, strlen(churn_base)) == 0;
}

static void test_cwd_race(void)
{
	pthread_t t;
	struct timespec start, now;
	char buf[256];
	long rounds = 0, bad = 0, n;

	snprintf(churn_base, sizeof churn_base, "/tmp/t_thread_cwd.%d", (int)getpid());
	if (mkdir(churn_base, 0755) || chdir(churn_base)) {
		CHECK(0, "cwd race: setup", "errno %d", errno);
		return;
	}
	pthread_create(&t, NULL, cwd_churn, NULL);
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		n = syscall(SYS_getcwd, buf, sizeof buf);
		if (n > 0 ? !cwd_name_ok(buf) : errno != ENOENT)
			bad++;
		n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
		if (n > 0)
			buf[n] = 0;
		if (n > 0 ? !cwd_name_ok(buf) : errno != ENOENT)
			bad++;
		rounds++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < 1);
	__atomic_store_n(&churn_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	CHECK(churn_err == 0, "cwd race: the churning thread's mkdir/chdir/rmdir", "errno %d",
	      churn_err);
	CHECK(bad == 0, "cwd race: getcwd and /proc/self/cwd name the base or ENOENT",
	      "%ld bad of %ld rounds", bad, rounds);
	chdir("/tmp");
	rmdir(churn_base);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "dethread-child") == 0)
		return dethread_child();
	check_init(argv[0]);
	test_create_join();
	test_sync();
	test_raw_futex();
	test_wake_op();
	test_shared_futex();
	test_robust_mutex();
	test_exec_dethread();
	test_exit_group();
	test_clone3();
	test_membarrier();
	test_close_during_read_thread();
	test_close_during_read_clone_files();
	test_cwd_race();
	return check_done();
}
