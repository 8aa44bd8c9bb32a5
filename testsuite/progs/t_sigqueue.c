/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_sigqueue -- rt_sigqueueinfo(2) and rt_tgsigqueueinfo(2): sigqueue(3)'s
 * values and siginfo reach the handler, real-time signals queue in order,
 * and the documented errors: EPERM for posing as kill() towards another
 * task or for signalling another user's process, ESRCH, EINVAL, EFAULT,
 * and E2BIG for unknown siginfo layouts with bytes Linux would drop.
 */
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_sig, got_code, got_val, got_pid, got_tid;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_val = si->si_value.sival_int;
	got_pid = si->si_pid;
	got_tid = (sig_atomic_t)syscall(SYS_gettid);
}

static long qinfo(pid_t pid, int sig, siginfo_t *si)
{
	return syscall(SYS_rt_sigqueueinfo, pid, sig, si);
}

static long tgqinfo(pid_t tgid, pid_t tid, int sig, siginfo_t *si)
{
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, si);
}

static void make_info(siginfo_t *si, int code, int value)
{
	memset(si, 0, sizeof(*si));
	si->si_code = code;
	si->si_pid = getpid();
	si->si_uid = getuid();
	si->si_value.sival_int = value;
}

static void reset(void)
{
	got_sig = got_code = got_val = got_pid = got_tid = 0;
}

static void test_self(void)
{
	siginfo_t si;
	union sigval v = { .sival_int = 42 };

	reset();
	CHECK_RET(sigqueue(getpid(), SIGUSR1, v), 0, "sigqueue to self");
	CHECK(got_sig == SIGUSR1 && got_code == SI_QUEUE && got_val == 42 && got_pid == getpid(),
	      "handler saw SIGUSR1, SI_QUEUE, value 42 and our pid", "sig %d code %d val %d pid %d",
	      (int)got_sig, (int)got_code, (int)got_val, (int)got_pid);

	reset();
	make_info(&si, SI_USER, 7);
	CHECK_RET(qinfo(getpid(), SIGUSR1, &si), 0, "SI_USER towards oneself is allowed");
	CHECK(got_sig == SIGUSR1 && got_code == SI_USER, "handler saw SI_USER", "sig %d code %d",
	      (int)got_sig, (int)got_code);

	reset();
	make_info(&si, SI_QUEUE, 9);
	si.si_signo = SIGUSR2;	/* the kernel uses the sig argument, not this */
	CHECK_RET(qinfo(getpid(), SIGUSR1, &si), 0, "si_signo differing from sig");
	CHECK(got_sig == SIGUSR1 && got_val == 9, "the signal sent is the sig argument", "sig %d val %d",
	      (int)got_sig, (int)got_val);

	make_info(&si, SI_QUEUE, 0);
	CHECK_RET(qinfo(getpid(), 0, &si), 0, "sig 0 checks only");
}

static void test_queue_order(void)
{
	sigset_t set, old;
	siginfo_t si;
	int ok = 1;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (int i = 1; i <= 3; i++) {
		make_info(&si, SI_QUEUE, i);
		if (qinfo(getpid(), SIGRTMIN, &si) != 0)
			ok = 0;
	}
	CHECK(ok, "three SIGRTMIN queued", "a queue call failed: %s", check_errname(errno));
	for (int i = 1; i <= 3; i++) {
		memset(&si, 0, sizeof(si));
		int s = sigwaitinfo(&set, &si);
		CHECK(s == SIGRTMIN && si.si_value.sival_int == i && si.si_code == SI_QUEUE,
		      "real-time signals arrive in order with their values", "#%d: sig %d value %d code %d", i, s,
		      si.si_value.sival_int, si.si_code);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_errors(void)
{
	siginfo_t si;

	make_info(&si, SI_QUEUE, 1);
	CHECK_ERR(qinfo(getpid(), SIGUSR1, (siginfo_t *)8), EFAULT, "bad siginfo pointer: EFAULT");
	CHECK_ERR(qinfo(getpid(), 65, &si), EINVAL, "signal 65: EINVAL");
	CHECK_ERR(qinfo(getpid(), -1, &si), EINVAL, "signal -1: EINVAL");
	CHECK_ERR(qinfo(0x3ffffff0, SIGUSR1, &si), ESRCH, "no such process: ESRCH");
	CHECK_ERR(qinfo(0x3ffffff0, 65, &si), ESRCH, "no such process comes before a bad signal");
	CHECK_ERR(qinfo(-1, SIGUSR1, &si), ESRCH, "pid -1 is no process group broadcast: ESRCH");
	CHECK_ERR(qinfo(0, SIGUSR1, &si), ESRCH, "pid 0: ESRCH");

	/* An unknown si_code: bytes past the 48 Linux keeps must be zero. */
	make_info(&si, -100, 1);
	((unsigned char *)&si)[100] = 1;
	CHECK_ERR(qinfo(getpid(), SIGUSR1, &si), E2BIG, "unknown layout with trailing bytes: E2BIG");
	((unsigned char *)&si)[100] = 0;
	reset();
	CHECK_RET(qinfo(getpid(), SIGUSR1, &si), 0, "unknown layout, trailing bytes zero: sent");
	CHECK(got_sig == SIGUSR1 && got_code == -100, "handler saw si_code -100", "sig %d code %d",
	      (int)got_sig, (int)got_code);
}

/* A child that reports the first SIGUSR1's code and value through a pipe. */
static pid_t spawn_receiver(int *rfd)
{
	int p[2];
	sigset_t set;
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid = fork();
	if (pid == 0) {
		siginfo_t si;
		int msg[2];

		close(p[0]);
		(void)write(p[1], "r", 1);
		if (sigwaitinfo(&set, &si) != SIGUSR1)
			_exit(1);
		msg[0] = si.si_code;
		msg[1] = si.si_value.sival_int;
		(void)write(p[1], msg, sizeof(msg));
		_exit(0);
	}
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	close(p[1]);
	char c;
	(void)read(p[0], &c, 1);
	*rfd = p[0];
	return pid;
}

static void test_other_process(void)
{
	siginfo_t si;
	int rfd, msg[2] = { 0, 0 }, st;
	pid_t child = spawn_receiver(&rfd);

	CHECK(child > 0, "receiver started", "fork/pipe failed");
	if (child <= 0)
		return;
	make_info(&si, SI_USER, 5);
	CHECK_ERR(qinfo(child, SIGUSR1, &si), EPERM, "posing as kill() towards another process: EPERM");
	make_info(&si, SI_TKILL, 5);
	CHECK_ERR(qinfo(child, SIGUSR1, &si), EPERM, "posing as tkill() towards another process: EPERM");
	make_info(&si, SI_KERNEL, 5);
	CHECK_ERR(qinfo(child, SIGUSR1, &si), EPERM, "posing as the kernel: EPERM");
	make_info(&si, SI_QUEUE, 77);
	CHECK_RET(qinfo(child, SIGUSR1, &si), 0, "SI_QUEUE towards another process");
	CHECK_RET(read(rfd, msg, sizeof(msg)), (long)sizeof(msg), "receiver reported");
	CHECK(msg[0] == SI_QUEUE && msg[1] == 77, "receiver got SI_QUEUE with value 77", "code %d value %d", msg[0],
	      msg[1]);
	CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 0, "receiver exited 0",
	      "status %#x", st);
	close(rfd);
}

static void test_other_user(void)
{
	int st;
	pid_t parent = getpid();
	pid_t child;

	if (geteuid() != 0) {
		check_printf("# not root: skipping the other-user check\n");
		return;
	}
	child = fork();
	if (child == 0) {
		siginfo_t si;

		if (setuid(65534) != 0)
			_exit(2);
		make_info(&si, SI_QUEUE, 1);
		if (qinfo(parent, 0, &si) == -1 && errno == EPERM)
			_exit(0);
		_exit(1);
	}
	CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "an unprivileged user queueing to root's process: EPERM", "status %#x", st);
}

/*
 * RLIMIT_SIGPENDING bounds the real-time instances queued for a user:
 * sigqueue(3) past it fails with EAGAIN, kill(2) still makes the signal
 * pending, with a bare siginfo.  Run in a child as a user of its own so
 * that nothing else is counted.  Exit code: the number of the failed step.
 */
static int limit_child(void)
{
	struct rlimit rl = { 4, 4 };
	struct timespec zero = { 0, 0 };
	sigset_t set;
	siginfo_t si;
	union sigval v;

	if (setresgid(4242, 4242, 4242) != 0 || setresuid(4242, 4242, 4242) != 0)
		return 1;
	if (setrlimit(RLIMIT_SIGPENDING, &rl) != 0)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < 4; i++) {
		v.sival_int = i;
		if (sigqueue(getpid(), SIGRTMIN, v) != 0)
			return 3;
	}
	v.sival_int = 4;
	if (sigqueue(getpid(), SIGRTMIN, v) != -1 || errno != EAGAIN)
		return 4;
	if (kill(getpid(), SIGRTMIN) != 0)
		return 5;
	for (int i = 0; i < 4; i++)
		if (sigtimedwait(&set, &si, &zero) != SIGRTMIN || si.si_code != SI_QUEUE || si.si_value.sival_int != i)
			return 6;
	/* The kill's instance had no queue entry: it ended with the last queued one. */
	if (sigtimedwait(&set, &si, &zero) != -1 || errno != EAGAIN)
		return 7;
	/* Fill the limit with SIGRTMIN+1; a kill of SIGRTMIN is then pending with a bare siginfo. */
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < 4; i++) {
		v.sival_int = 10 + i;
		if (sigqueue(getpid(), SIGRTMIN + 1, v) != 0)	/* taken ones no longer count */
			return 8;
	}
	if (kill(getpid(), SIGRTMIN) != 0)
		return 9;
	sigdelset(&set, SIGRTMIN + 1);
	if (sigtimedwait(&set, &si, &zero) != SIGRTMIN || si.si_code != SI_USER || si.si_pid != 0)
		return 10;
	return 0;
}

static void test_limit(void)
{
	int st;
	pid_t child;

	if (geteuid() != 0) {
		check_printf("# not root: skipping the RLIMIT_SIGPENDING check\n");
		return;
	}
	child = fork();
	if (child == 0)
		_exit(limit_child());
	CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "RLIMIT_SIGPENDING: 4 queued, the 5th EAGAIN, kill pends with a bare siginfo, order kept",
	      "child failed at step %d (status %#x)", WIFEXITED(st) ? WEXITSTATUS(st) : -1, st);
}

static volatile int thread_tid;
static volatile int thread_stop;

static void *idle_thread(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	while (!thread_stop)
		usleep(1000);
	return NULL;
}

static void test_thread(void)
{
	pthread_t th;
	siginfo_t si;
	pid_t me = getpid();
	int tid;

	thread_tid = 0;
	thread_stop = 0;
	if (pthread_create(&th, NULL, idle_thread, NULL) != 0) {
		CHECK(0, "pthread_create", "failed");
		return;
	}
	while (!thread_tid)
		usleep(1000);
	tid = thread_tid;

	make_info(&si, SI_QUEUE, 11);
	reset();
	CHECK_RET(tgqinfo(me, tid, SIGUSR2, &si), 0, "rt_tgsigqueueinfo to a thread");
	for (int i = 0; i < 2000 && !got_sig; i++)
		usleep(1000);
	CHECK(got_sig == SIGUSR2 && got_tid == tid && got_val == 11, "that thread ran the handler with the value",
	      "sig %d tid %d (want %d) val %d", (int)got_sig, (int)got_tid, tid, (int)got_val);

	make_info(&si, SI_USER, 1);
	CHECK_ERR(tgqinfo(me, tid, SIGUSR2, &si), EPERM, "SI_USER towards another thread: EPERM");
	reset();
	CHECK_RET(tgqinfo(me, (pid_t)syscall(SYS_gettid), SIGUSR2, &si), 0, "SI_USER towards the calling thread");
	CHECK(got_sig == SIGUSR2 && got_code == SI_USER, "the caller's handler ran", "sig %d code %d",
	      (int)got_sig, (int)got_code);

	make_info(&si, SI_QUEUE, 1);
	CHECK_ERR(tgqinfo(0, tid, SIGUSR2, &si), EINVAL, "tgid 0: EINVAL");
	CHECK_ERR(tgqinfo(me, 0, SIGUSR2, &si), EINVAL, "tid 0: EINVAL");
	CHECK_ERR(tgqinfo(me, -5, SIGUSR2, &si), EINVAL, "negative tid: EINVAL");
	CHECK_ERR(tgqinfo(me + 100000, tid, SIGUSR2, &si), ESRCH, "thread of another group: ESRCH");
	CHECK_ERR(tgqinfo(me, 0x3ffffff0, SIGUSR2, &si), ESRCH, "no such thread: ESRCH");
	CHECK_ERR(tgqinfo(me, tid, 65, &si), EINVAL, "signal 65: EINVAL");
	CHECK_ERR(tgqinfo(me, tid, SIGUSR2, (siginfo_t *)8), EFAULT, "bad siginfo pointer: EFAULT");
	CHECK_RET(tgqinfo(me, tid, 0, &si), 0, "sig 0 checks only");

	thread_stop = 1;
	pthread_join(th, NULL);
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	(void)argc;
	check_init(argv[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);

	test_self();
	test_queue_order();
	test_errors();
	test_other_process();
	test_other_user();
	test_limit();
	test_thread();
	return check_done();
}
