// SPDX-License-Identifier: MPL-2.0
/*
 * t_pidfd -- pidfds: pidfd_open (flags, ESRCH, EINVAL for a thread),
 * pidfd_send_signal (with and without a siginfo, its checks, EPERM,
 * ESRCH once reaped), pidfd_getfd (the same file, close-on-exec, EBADF,
 * EPERM, ESRCH once exited), poll and epoll (readable once the process
 * exits), waitid(P_PIDFD) (blocking, PIDFD_NONBLOCK's EAGAIN, ECHILD),
 * clone and clone3 with CLONE_PIDFD (EINVAL with CLONE_THREAD or
 * CLONE_PARENT_SETTID, EFAULT), /proc/self/fdinfo's "Pid:" line, and
 * kcmp (KCMP_FILE, VM, FILES, FS, SIGHAND: 0 when shared, else 1 or 2
 * consistently; ESRCH, EBADF, EINVAL, EPERM).
 */
#include "check.h"
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#define T_PIDFD_NONBLOCK O_NONBLOCK
#define T_P_PIDFD 3
/* <linux/kcmp.h>'s enum kcmp_type. */
enum { T_KCMP_FILE, T_KCMP_VM, T_KCMP_FILES, T_KCMP_FS, T_KCMP_SIGHAND, T_KCMP_TYPES = 8 };

/* struct clone_args of <linux/sched.h>, CLONE_ARGS_SIZE_VER0 (64 bytes). */
struct t_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags);
}

static int pidfd_getfd(int pidfd, int fd, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_getfd, pidfd, fd, flags);
}

static int waitid_pidfd(int pidfd, siginfo_t *si, int options)
{
	return (int)syscall(SYS_waitid, T_P_PIDFD, pidfd, si, options, NULL);
}

/* A child that waits for a signal. */
static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* A child that exits with code at once. */
static pid_t spawn_exiter(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

static void reap(pid_t pid)
{
	int st;

	waitpid(pid, &st, 0);
}

/* Wait until pid is a zombie (its /proc/PID/stat says Z), at most 5 s. */
static int wait_zombie(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	for (int i = 0; i < 500; i++) {
		if (check_read_file(path, buf, sizeof buf) > 0) {
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'Z')
				return 1;
		}
		usleep(10000);
	}
	return 0;
}

/* The "Pid:" value of /proc/self/fdinfo/fd, or -100 when there is none. */
static int fdinfo_pid(int fd)
{
	char path[64], buf[1024], *p;

	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	if (check_read_file(path, buf, sizeof buf) < 0)
		return -100;
	p = strstr(buf, "\nPid:\t");
	return p ? atoi(p + 6) : -100;
}

static void test_open(void)
{
	pid_t pid = spawn_sleeper();
	int fd, fd2, flags;
	char path[64], link[64];
	ssize_t n;

	fd = CHECK_OK(pidfd_open(pid, 0), "pidfd_open of a child");
	flags = fcntl(fd, F_GETFD);
	CHECK(flags >= 0 && (flags & FD_CLOEXEC), "a pidfd is close-on-exec", "F_GETFD %d", flags);
	flags = fcntl(fd, F_GETFL);
	CHECK(flags >= 0 && (flags & O_ACCMODE) == O_RDWR && !(flags & O_NONBLOCK),
	      "a pidfd is O_RDWR and blocking", "F_GETFL %#x", flags);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(strcmp(link, "anon_inode:[pidfd]") == 0, "/proc/self/fd shows anon_inode:[pidfd]",
	      "link '%s'", link);
	CHECK_RET(fdinfo_pid(fd), pid, "fdinfo of a pidfd: Pid: is the process's pid");
	fd2 = CHECK_OK(pidfd_open(pid, T_PIDFD_NONBLOCK), "pidfd_open(PIDFD_NONBLOCK)");
	flags = fcntl(fd2, F_GETFL);
	CHECK(flags >= 0 && (flags & O_NONBLOCK), "PIDFD_NONBLOCK sets O_NONBLOCK", "F_GETFL %#x", flags);
	close(fd2);
	CHECK_ERR(pidfd_open(pid, 1), EINVAL, "pidfd_open with unknown flags: EINVAL");
	CHECK_ERR(pidfd_open(pid, O_CLOEXEC), EINVAL, "pidfd_open(O_CLOEXEC): EINVAL");
	CHECK_ERR(pidfd_open(0, 0), EINVAL, "pidfd_open(0): EINVAL");
	CHECK_ERR(pidfd_open(-1, 0), EINVAL, "pidfd_open(-1): EINVAL");
	fd2 = CHECK_OK(pidfd_open(getpid(), 0), "pidfd_open of oneself");
	close(fd2);

	kill(pid, SIGKILL);
	CHECK(wait_zombie(pid), "the child is a zombie", "no");
	fd2 = CHECK_OK(pidfd_open(pid, 0), "pidfd_open of a zombie");
	close(fd2);
	reap(pid);
	CHECK_ERR(pidfd_open(pid, 0), ESRCH, "pidfd_open of a reaped process: ESRCH");
	CHECK_RET(fdinfo_pid(fd), -1, "fdinfo once reaped: Pid: -1");
	close(fd);
}

/* A thread that stays alive (blocked on go[0]) while the main thread opens its tid. */
static int tid_pipe[2], go[2];

static void *thread_wait(void *arg)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	char c;

	(void)arg;
	if (write(tid_pipe[1], &tid, sizeof tid) != sizeof tid)
		return NULL;
	(void)!read(go[0], &c, 1);
	return NULL;
}

/* A thread that leads no process has no pidfd in Linux 6.1 (no PIDFD_THREAD): EINVAL. */
static void test_open_thread(void)
{
	pthread_t th;
	pid_t tid = 0;

	if (pipe(tid_pipe) || pipe(go))
		return;
	pthread_create(&th, NULL, thread_wait, NULL);
	if (read(tid_pipe[0], &tid, sizeof tid) == sizeof tid)
		CHECK_ERR(pidfd_open(tid, 0), EINVAL, "pidfd_open of a thread that is no leader: EINVAL");
	(void)!write(go[1], "g", 1);
	pthread_join(th, NULL);
	close(tid_pipe[0]);
	close(tid_pipe[1]);
	close(go[0]);
	close(go[1]);
}

static volatile sig_atomic_t got_sig, got_code, got_value;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
}

static void test_send_signal(void)
{
	pid_t pid = spawn_sleeper();
	int fd = pidfd_open(pid, 0), self, nul, st = 0;
	siginfo_t si;
	struct sigaction sa;

	CHECK_RET(pidfd_send_signal(fd, 0, NULL, 0), 0, "pidfd_send_signal(sig 0) to a live child");
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, NULL, 1), EINVAL, "pidfd_send_signal flags 1: EINVAL");
	CHECK_ERR(pidfd_send_signal(-1, SIGTERM, NULL, 0), EBADF, "pidfd_send_signal(-1): EBADF");
	nul = open("/dev/null", O_RDONLY);
	CHECK_ERR(pidfd_send_signal(nul, SIGTERM, NULL, 0), EBADF,
		  "pidfd_send_signal on a file that is no pidfd: EBADF");
	close(nul);
	CHECK_ERR(pidfd_send_signal(fd, 100, NULL, 0), EINVAL, "pidfd_send_signal(sig 100): EINVAL");
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, (siginfo_t *)8, 0), EFAULT,
		  "pidfd_send_signal with a bad siginfo pointer: EFAULT");
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, &si, 0), EINVAL,
		  "pidfd_send_signal: si_signo other than sig: EINVAL");
	si.si_signo = SIGTERM;
	si.si_code = SI_USER;
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, &si, 0), EPERM,
		  "pidfd_send_signal: si_code SI_USER to another process: EPERM");
	si.si_code = SI_TKILL;
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, &si, 0), EPERM,
		  "pidfd_send_signal: si_code SI_TKILL to another process: EPERM");
	CHECK_RET(pidfd_send_signal(fd, SIGTERM, NULL, 0), 0, "pidfd_send_signal(SIGTERM) to a child");
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "the child died of SIGTERM", "status %#x", st);
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, NULL, 0), ESRCH,
		  "pidfd_send_signal to a reaped process: ESRCH");
	CHECK_ERR(pidfd_send_signal(fd, 0, NULL, 0), ESRCH,
		  "pidfd_send_signal(sig 0) to a reaped process: ESRCH");
	close(fd);

	/* A zombie still takes (and drops) signals. */
	pid = spawn_exiter(0);
	fd = pidfd_open(pid, 0);
	CHECK(wait_zombie(pid), "the child is a zombie", "no");
	CHECK_RET(pidfd_send_signal(fd, SIGTERM, NULL, 0), 0, "pidfd_send_signal to a zombie: 0");
	reap(pid);
	close(fd);

	/* Oneself, with a queued siginfo that the handler sees. */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	self = pidfd_open(getpid(), 0);
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 42;
	CHECK_RET(pidfd_send_signal(self, SIGUSR1, &si, 0), 0, "pidfd_send_signal to oneself with a siginfo");
	for (int i = 0; i < 100 && !got_sig; i++)
		usleep(1000);
	CHECK(got_sig == SIGUSR1 && got_code == SI_QUEUE && got_value == 42,
	      "the handler gets the siginfo given", "sig %d code %d value %d", (int)got_sig,
	      (int)got_code, (int)got_value);
	got_sig = 0;
	si.si_code = SI_USER;
	CHECK_RET(pidfd_send_signal(self, SIGUSR1, &si, 0), 0,
		  "pidfd_send_signal to oneself may claim SI_USER");
	for (int i = 0; i < 100 && !got_sig; i++)
		usleep(1000);
	CHECK(got_sig == SIGUSR1 && got_code == SI_USER, "delivered with SI_USER", "sig %d code %d",
	      (int)got_sig, (int)got_code);
	signal(SIGUSR1, SIG_DFL);

	/* Someone else's process: EPERM, for a child that dropped root. */
	pid = fork();
	if (pid == 0) {
		int e;

		if (setgid(65534) || setuid(65534))
			_exit(99);
		e = pidfd_send_signal(self, SIGUSR2, NULL, 0) == -1 ? errno : 0;
		_exit(e == EPERM ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "pidfd_send_signal to another user's process: EPERM", "child status %#x", st);
	close(self);
}

static void test_getfd(void)
{
	int ready[2], fd, got, st, self, flags;
	struct stat a, b;
	pid_t pid;
	char c, buf[8] = "";

	if (pipe(ready))
		return;
	pid = fork();
	if (pid == 0) {
		int m = (int)syscall(SYS_memfd_create, "t_pidfd", 0);

		if (m < 0 || dup2(m, 100) != 100 || write(100, "hello", 5) != 5)
			_exit(1);
		close(m);
		(void)!write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	close(ready[1]);
	(void)!read(ready[0], &c, 1);
	close(ready[0]);
	fd = pidfd_open(pid, 0);
	got = CHECK_OK(pidfd_getfd(fd, 100, 0), "pidfd_getfd of a child's fd 100");
	flags = fcntl(got, F_GETFD);
	CHECK(flags >= 0 && (flags & FD_CLOEXEC), "the new fd is close-on-exec", "F_GETFD %d", flags);
	CHECK(pread(got, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0,
	      "it is the child's file (what the child wrote)", "read '%s'", buf);
	CHECK(lseek(got, 0, SEEK_CUR) == 5, "and shares its file offset", "offset %ld",
	      (long)lseek(got, 0, SEEK_CUR));
	close(got);
	CHECK_ERR(pidfd_getfd(fd, 100, 1), EINVAL, "pidfd_getfd flags 1: EINVAL");
	CHECK_ERR(pidfd_getfd(-1, 100, 0), EBADF, "pidfd_getfd(-1): EBADF");
	CHECK_ERR(pidfd_getfd(0, 100, 0), EBADF, "pidfd_getfd on a file that is no pidfd: EBADF");
	CHECK_ERR(pidfd_getfd(fd, 200, 0), EBADF, "pidfd_getfd of a closed fd: EBADF");
	CHECK_ERR(pidfd_getfd(fd, -1, 0), EBADF, "pidfd_getfd of fd -1: EBADF");
	kill(pid, SIGKILL);
	CHECK(wait_zombie(pid), "the child is a zombie", "no");
	CHECK_ERR(pidfd_getfd(fd, 100, 0), ESRCH, "pidfd_getfd of a zombie: ESRCH");
	reap(pid);
	CHECK_ERR(pidfd_getfd(fd, 100, 0), ESRCH, "pidfd_getfd of a reaped process: ESRCH");
	close(fd);

	/* Oneself: always allowed. */
	self = pidfd_open(getpid(), 0);
	got = CHECK_OK(pidfd_getfd(self, 1, 0), "pidfd_getfd of one's own fd 1");
	CHECK(fstat(got, &a) == 0 && fstat(1, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev,
	      "it is the same file as fd 1", "inodes %lu %lu", (unsigned long)a.st_ino,
	      (unsigned long)b.st_ino);
	close(got);
	/* Not as another user (PTRACE_MODE_ATTACH_REALCREDS): EPERM. */
	pid = fork();
	if (pid == 0) {
		int e;

		if (setgid(65534) || setuid(65534))
			_exit(99);
		e = pidfd_getfd(self, 1, 0) == -1 ? errno : 0;
		_exit(e == EPERM ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pidfd_getfd of another user's process: EPERM",
	      "child status %#x", st);
	close(self);
}

static void test_poll(void)
{
	pid_t pid = spawn_sleeper();
	int fd = pidfd_open(pid, 0), ep, n;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct epoll_event ev = { .events = EPOLLIN }, out;

	CHECK_RET(poll(&pfd, 1, 0), 0, "poll: a live process's pidfd is not readable");
	ep = epoll_create1(0);
	ev.data.fd = fd;
	CHECK_RET(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0, "epoll_ctl ADD of a pidfd");
	CHECK_RET(epoll_wait(ep, &out, 1, 0), 0, "epoll_wait: nothing while it lives");
	kill(pid, SIGKILL);
	pfd.revents = 0;
	n = poll(&pfd, 1, 5000);
	CHECK(n == 1 && (pfd.revents & POLLIN), "poll: readable once the process exited",
	      "poll %d revents %#x", n, pfd.revents);
	n = epoll_wait(ep, &out, 1, 5000);
	CHECK(n == 1 && (out.events & EPOLLIN) && out.data.fd == fd, "epoll_wait reports it",
	      "n %d events %#x", n, n > 0 ? out.events : 0);
	reap(pid);
	pfd.revents = 0;
	n = poll(&pfd, 1, 0);
	CHECK(n == 1 && (pfd.revents & POLLIN), "poll: still readable once reaped", "poll %d revents %#x",
	      n, pfd.revents);
	close(ep);
	close(fd);
}

static void test_waitid(void)
{
	pid_t pid = spawn_sleeper();
	int fd = pidfd_open(pid, T_PIDFD_NONBLOCK), fd2, self, nul;
	siginfo_t si;

	memset(&si, 0, sizeof si);
	CHECK_ERR(waitid_pidfd(fd, &si, WEXITED), EAGAIN,
		  "waitid(P_PIDFD) on a PIDFD_NONBLOCK pidfd of a live child: EAGAIN");
	si.si_pid = 1;
	CHECK_RET(waitid_pidfd(fd, &si, WEXITED | WNOHANG), 0, "waitid(P_PIDFD, WNOHANG): 0");
	CHECK_RET(si.si_pid, 0, "and no child reported");
	kill(pid, SIGKILL);
	fd2 = pidfd_open(pid, 0);
	memset(&si, 0, sizeof si);
	CHECK_RET(waitid_pidfd(fd2, &si, WEXITED), 0, "waitid(P_PIDFD) waits for the child");
	CHECK(si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGKILL,
	      "it reports the child killed by SIGKILL", "pid %d code %d status %d", si.si_pid,
	      si.si_code, si.si_status);
	CHECK_ERR(waitid_pidfd(fd2, &si, WEXITED), ECHILD, "waitid(P_PIDFD) once reaped: ECHILD");
	close(fd);
	close(fd2);

	pid = spawn_exiter(7);
	fd = pidfd_open(pid, T_PIDFD_NONBLOCK);
	wait_zombie(pid);
	memset(&si, 0, sizeof si);
	CHECK_RET(waitid_pidfd(fd, &si, WEXITED), 0, "waitid on a PIDFD_NONBLOCK pidfd of a zombie: 0");
	CHECK(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 7,
	      "it reports exit status 7", "pid %d code %d status %d", si.si_pid, si.si_code,
	      si.si_status);
	close(fd);

	CHECK_ERR(waitid_pidfd(-1, &si, WEXITED), EINVAL, "waitid(P_PIDFD, -1): EINVAL");
	nul = open("/dev/null", O_RDONLY);
	CHECK_ERR(waitid_pidfd(nul, &si, WEXITED), EBADF, "waitid(P_PIDFD) on a file that is no pidfd: EBADF");
	close(nul);
	CHECK_ERR(waitid_pidfd(1000, &si, WEXITED), EBADF, "waitid(P_PIDFD) on a closed fd: EBADF");
	self = pidfd_open(getpid(), 0);
	CHECK_ERR(waitid_pidfd(self, &si, WEXITED | WNOHANG), ECHILD,
		  "waitid(P_PIDFD) of a process that is not a child: ECHILD");
	close(self);
}

static void test_clone_pidfd(void)
{
	struct t_clone_args ca;
	int pidfd = -1, flags, ptid = 0;
	pid_t pid;
	siginfo_t si;

	pid = (pid_t)syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
	if (pid == 0)
		_exit(3);
	CHECK(pid > 0 && pidfd >= 0, "clone(CLONE_PIDFD) puts a pidfd at parent_tid", "pid %d pidfd %d",
	      pid, pidfd);
	flags = fcntl(pidfd, F_GETFD);
	CHECK(flags >= 0 && (flags & FD_CLOEXEC), "it is close-on-exec", "F_GETFD %d", flags);
	CHECK_RET(fdinfo_pid(pidfd), pid, "its fdinfo names the child");
	memset(&si, 0, sizeof si);
	CHECK_RET(waitid_pidfd(pidfd, &si, WEXITED), 0, "waitid(P_PIDFD) on it");
	CHECK(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 3, "the child exited 3",
	      "pid %d code %d status %d", si.si_pid, si.si_code, si.si_status);
	close(pidfd);

	memset(&ca, 0, sizeof ca);
	pidfd = -1;
	ca.flags = CLONE_PIDFD;
	ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
	ca.exit_signal = SIGCHLD;
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		_exit(4);
	CHECK(pid > 0 && pidfd >= 0, "clone3(CLONE_PIDFD) puts a pidfd at clone_args.pidfd",
	      "pid %d pidfd %d", pid, pidfd);
	memset(&si, 0, sizeof si);
	CHECK_RET(waitid_pidfd(pidfd, &si, WEXITED), 0, "waitid(P_PIDFD) on clone3's pidfd");
	CHECK(si.si_pid == pid && si.si_status == 4, "the clone3 child exited 4", "pid %d status %d",
	      si.si_pid, si.si_status);
	close(pidfd);

	/* clone3 may return the pid too (parent_tid) alongside the pidfd. */
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_PIDFD | CLONE_PARENT_SETTID;
	ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
	ca.parent_tid = (uint64_t)(uintptr_t)&ptid;
	ca.exit_signal = SIGCHLD;
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0 && ptid == pid && fdinfo_pid(pidfd) == pid,
	      "clone3: CLONE_PIDFD with CLONE_PARENT_SETTID", "pid %d ptid %d", pid, ptid);
	reap(pid);
	close(pidfd);

	CHECK_ERR(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &pidfd, 0, 0),
		  EINVAL, "clone: CLONE_PIDFD with CLONE_PARENT_SETTID: EINVAL");
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_PIDFD | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
	CHECK_ERR(syscall(SYS_clone3, &ca, sizeof ca), EINVAL, "clone3: CLONE_PIDFD with CLONE_THREAD: EINVAL");
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_PIDFD;
	ca.pidfd = 8;
	ca.exit_signal = SIGCHLD;
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		_exit(0);
	CHECK(pid == -1 && errno == EFAULT, "clone3 with an unwritable pidfd address: EFAULT",
	      "got %d errno %d", pid, errno);
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD, "and no child was made");
}

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2)
{
	return syscall(SYS_kcmp, a, b, type, i1, i2);
}

static void test_kcmp(void)
{
	pid_t me = getpid(), pid;
	int d = dup(1), other = open("/dev/null", O_RDONLY), ready[2], st;
	long ab, ba;
	char c;

	CHECK_RET(kcmp(me, me, T_KCMP_FILE, 1, (unsigned long)d), 0, "kcmp KCMP_FILE: fd 1 and its dup");
	ab = kcmp(me, me, T_KCMP_FILE, 1, (unsigned long)other);
	ba = kcmp(me, me, T_KCMP_FILE, (unsigned long)other, 1);
	CHECK((ab == 1 && ba == 2) || (ab == 2 && ba == 1), "kcmp KCMP_FILE of two files: 1 and 2, consistently",
	      "got %ld and %ld", ab, ba);
	CHECK_ERR(kcmp(me, me, T_KCMP_FILE, 1, 1000), EBADF, "kcmp KCMP_FILE of a closed fd: EBADF");
	CHECK_RET(kcmp(me, me, T_KCMP_VM, 0, 0), 0, "kcmp KCMP_VM of oneself");

	if (pipe(ready))
		return;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		(void)!write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	close(ready[1]);
	(void)!read(ready[0], &c, 1);
	close(ready[0]);
	CHECK_RET(kcmp(me, pid, T_KCMP_FILE, 1, 1), 0, "kcmp KCMP_FILE: a forked child's fd 1 is ours");
	CHECK(kcmp(me, pid, T_KCMP_VM, 0, 0) > 0, "kcmp KCMP_VM: a forked child has its own", "same");
	CHECK(kcmp(me, pid, T_KCMP_FILES, 0, 0) > 0, "kcmp KCMP_FILES: its own table", "same");
	CHECK(kcmp(me, pid, T_KCMP_FS, 0, 0) > 0, "kcmp KCMP_FS: its own fs context", "same");
	CHECK(kcmp(me, pid, T_KCMP_SIGHAND, 0, 0) > 0, "kcmp KCMP_SIGHAND: its own handlers", "same");
	CHECK_ERR(kcmp(me, pid, T_KCMP_TYPES, 0, 0), EINVAL, "kcmp with type KCMP_TYPES: EINVAL");
	CHECK_ERR(kcmp(me, pid, -1, 0, 0), EINVAL, "kcmp with type -1: EINVAL");
	kill(pid, SIGKILL);
	reap(pid);
	CHECK_ERR(kcmp(me, pid, T_KCMP_VM, 0, 0), ESRCH, "kcmp of a reaped process: ESRCH");
	CHECK_ERR(kcmp(0, me, T_KCMP_VM, 0, 0), ESRCH, "kcmp of pid 0: ESRCH");

	/* A vfork child shares our memory (and nothing else). */
	pid = vfork();
	if (pid == 0) {
		long vm = syscall(SYS_kcmp, getppid(), getpid(), T_KCMP_VM, 0, 0);
		long files = syscall(SYS_kcmp, getppid(), getpid(), T_KCMP_FILES, 0, 0);

		_exit(vm == 0 && files > 0 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "kcmp: a vfork child shares KCMP_VM, not KCMP_FILES",
	      "status %#x", st);

	/* PTRACE_MODE_READ_REALCREDS: another user may not compare root's (init's) resources. */
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(99);
		_exit(syscall(SYS_kcmp, getpid(), 1, T_KCMP_VM, 0, 0) == -1 && errno == EPERM ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "kcmp of another user's process: EPERM",
	      "status %#x", st);
	close(d);
	close(other);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_open();
	test_open_thread();
	test_send_signal();
	test_getfd();
	test_poll();
	test_waitid();
	test_clone_pidfd();
	test_kcmp();
	return check_done();
}
