/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_lock -- file locks and path-resolution restrictions: fcntl POSIX record
 * locks (F_GETLK/F_SETLK/F_SETLKW: ranges, splitting, merging, upgrades,
 * contention with a child, blocking, EINTR, EDEADLK, release on close and
 * exit), OFD locks, flock(2), openat2 RESOLVE_* and close_range
 * CLOSE_RANGE_UNSHARE.
 *
 * A lock's own owner never conflicts with it, so what a process holds is
 * seen through a forked child's F_GETLK (probe()).  Children report through
 * their exit status (0 or an errno) or a pipe, never through check.h, so
 * the numbering and the summary line stay the parent's.
 */
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef F_OFD_GETLK
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#endif
#ifndef SYS_openat2
#define SYS_openat2	437
#endif
#ifndef SYS_close_range
#define SYS_close_range	436
#endif
#define CLOSE_RANGE_UNSHARE_	2
#define RESOLVE_NO_XDEV_	0x01
#define RESOLVE_NO_MAGICLINKS_	0x02
#define RESOLVE_NO_SYMLINKS_	0x04
#define RESOLVE_BENEATH_	0x08
#define RESOLVE_IN_ROOT_	0x10
#define RESOLVE_CACHED_		0x20

struct how {
	uint64_t flags, mode, resolve;
};

static char dir[64], lockfile[128];

static void path(char *buf, const char *name)
{
	snprintf(buf, 128, "%s/%s", dir, name);
}

static long lk(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };
	return syscall(SYS_fcntl, fd, cmd, &fl);
}

/* The exit status of a child (0..255), or -1 if it did not exit normally. */
static int reap(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

enum op { OP_LK, OP_FLOCK };
struct req {
	enum op op;
	int cmd;		/* fcntl command, or flock operation */
	short type;
	off_t start, len;
	int fd;			/* -1: open lockfile afresh (another description) */
};

/* Run r in a child: 0 when it succeeded, else its errno. */
static int child_do(struct req r)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = r.fd >= 0 ? r.fd : open(lockfile, O_RDWR);
		long ret;
		if (fd < 0)
			_exit(200);
		errno = 0;
		if (r.op == OP_FLOCK)
			ret = flock(fd, r.cmd);
		else
			ret = lk(fd, r.cmd, r.type, SEEK_SET, r.start, r.len);
		_exit(ret == 0 ? 0 : errno ? errno : 201);
	}
	return reap(pid);
}

/* F_GETLK of [start, start+len) as type, from a child with its own description. */
static int probe(short type, off_t start, off_t len, struct flock *out)
{
	int p[2];
	if (pipe(p))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(lockfile, O_RDWR);
		struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
		if (fd < 0 || syscall(SYS_fcntl, fd, F_GETLK, &fl))
			fl.l_type = -1;
		write(p[1], &fl, sizeof fl);
		_exit(0);
	}
	close(p[1]);
	ssize_t n = read(p[0], out, sizeof *out);
	close(p[0]);
	reap(pid);
	return n == (ssize_t)sizeof *out ? 0 : -1;
}

/* What a child sees at [start, start+len) probing as type: want_type over [ws, ws+wl). */
static void expect_lock(short type, off_t start, off_t len, short want_type, off_t ws, off_t wl,
			const char *desc)
{
	struct flock fl;
	if (probe(type, start, len, &fl)) {
		check_result(0, desc, "probe child failed");
		return;
	}
	if (want_type == F_UNLCK) {
		CHECK(fl.l_type == F_UNLCK, desc, "got type %d [%lld,+%lld) pid %d, want unlocked",
		      fl.l_type, (long long)fl.l_start, (long long)fl.l_len, fl.l_pid);
		return;
	}
	CHECK(fl.l_type == want_type && fl.l_whence == SEEK_SET && fl.l_start == ws &&
	      fl.l_len == wl && fl.l_pid == getpid(), desc,
	      "got type %d whence %d [%lld,+%lld) pid %d, want type %d [%lld,+%lld) pid %d",
	      fl.l_type, fl.l_whence, (long long)fl.l_start, (long long)fl.l_len, fl.l_pid,
	      want_type, (long long)ws, (long long)wl, getpid());
}

/* Nothing to read on fd within 100 ms: a child is (still) blocked. */
static int quiet(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 100) == 0;
}

static void test_posix_basic(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	CHECK_RET(syscall(SYS_fcntl, fd, F_GETLK, &fl), 0, "F_GETLK on an unlocked file");
	CHECK(fl.l_type == F_UNLCK && fl.l_start == 0 && fl.l_len == 10, "F_GETLK reports F_UNLCK, rest unchanged",
	      "type %d start %lld len %lld", fl.l_type, (long long)fl.l_start, (long long)fl.l_len);
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "F_SETLK F_WRLCK [0,10)");
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	CHECK_RET(syscall(SYS_fcntl, fd, F_GETLK, &fl), 0, "F_GETLK over own lock");
	CHECK(fl.l_type == F_UNLCK, "own locks never conflict", "type %d", fl.l_type);
	expect_lock(F_RDLCK, 5, 1, F_WRLCK, 0, 10, "child F_GETLK sees [0,10) F_WRLCK with our l_pid");
	expect_lock(F_WRLCK, 10, 5, F_UNLCK, 0, 0, "child F_GETLK next to the lock: unlocked");
	CHECK_RET(child_do((struct req){ OP_LK, F_SETLK, F_WRLCK, 9, 1, -1 }), EAGAIN,
		  "child F_SETLK F_WRLCK on a locked byte: EAGAIN");
	CHECK_RET(child_do((struct req){ OP_LK, F_SETLK, F_RDLCK, 0, 1, -1 }), EAGAIN,
		  "child F_SETLK F_RDLCK under a write lock: EAGAIN");
	CHECK_RET(child_do((struct req){ OP_LK, F_SETLK, F_WRLCK, 10, 10, -1 }), 0,
		  "child F_SETLK beside the lock succeeds");

	/* Split: unlock the middle. */
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100), 0, "F_SETLK F_WRLCK [0,100)");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 20), 0, "F_UNLCK [40,60) splits it");
	expect_lock(F_WRLCK, 40, 20, F_UNLCK, 0, 0, "the hole [40,60) is unlocked");
	expect_lock(F_WRLCK, 30, 1, F_WRLCK, 0, 40, "the head is [0,40)");
	expect_lock(F_WRLCK, 70, 1, F_WRLCK, 60, 40, "the tail is [60,100)");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "F_UNLCK of the whole file");
	expect_lock(F_WRLCK, 0, 0, F_UNLCK, 0, 0, "everything unlocked");

	/* Merge adjacent locks of one type. */
	CHECK_RET(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 10), 0, "F_RDLCK [0,10)");
	CHECK_RET(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 10), 0, "F_RDLCK [10,20)");
	expect_lock(F_WRLCK, 15, 1, F_RDLCK, 0, 20, "adjacent read locks merge into [0,20)");
	expect_lock(F_RDLCK, 0, 20, F_UNLCK, 0, 0, "read locks do not block a reader");
	/* Upgrade the middle. */
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 5), 0, "upgrade [5,10) to F_WRLCK");
	expect_lock(F_RDLCK, 0, 5, F_UNLCK, 0, 0, "[0,5) is still a read lock");
	expect_lock(F_RDLCK, 5, 5, F_WRLCK, 5, 5, "[5,10) is a write lock");
	expect_lock(F_WRLCK, 12, 1, F_RDLCK, 10, 10, "[10,20) is still a read lock");
	/* Downgrade it again: the three pieces merge back. */
	CHECK_RET(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 5), 0, "downgrade [5,10) to F_RDLCK");
	expect_lock(F_WRLCK, 7, 1, F_RDLCK, 0, 20, "downgraded pieces merge into [0,20)");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "unlock all");

	/* Ranges: to EOF, negative length, SEEK_CUR, SEEK_END. */
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 50, 0), 0, "l_len 0 locks to EOF and beyond");
	expect_lock(F_RDLCK, 1000000, 1, F_WRLCK, 50, 0, "[50,EOF) reported with l_len 0");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "unlock all");
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, -10), 0, "negative l_len locks [10,20)");
	expect_lock(F_RDLCK, 0, 0, F_WRLCK, 10, 10, "negative l_len reported as [10,20)");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "unlock all");
	CHECK_RET(lseek(fd, 30, SEEK_SET), 30, "lseek to 30");
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, 5, 5), 0, "SEEK_CUR +5 locks [35,40)");
	expect_lock(F_RDLCK, 0, 0, F_WRLCK, 35, 5, "SEEK_CUR lock reported as [35,40)");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "unlock all");
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_END, -10, 10), 0, "SEEK_END -10 locks [90,100)");
	expect_lock(F_RDLCK, 0, 0, F_WRLCK, 90, 10, "SEEK_END lock reported as [90,100)");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "unlock all");
}

static void test_posix_errors(int fd)
{
	char p[128];
	path(p, "lockfile");
	int ro = CHECK_OK(open(p, O_RDONLY), "open read-only");
	int wo = CHECK_OK(open(p, O_WRONLY), "open write-only");
	int op = CHECK_OK(open(p, O_PATH), "open O_PATH");
	CHECK_ERR(lk(-1, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF, "F_SETLK on a bad fd: EBADF");
	CHECK_ERR(lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF, "F_WRLCK on a read-only fd: EBADF");
	CHECK_ERR(lk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF, "F_RDLCK on a write-only fd: EBADF");
	CHECK_ERR(lk(op, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF, "F_SETLK on an O_PATH fd: EBADF");
	CHECK_RET(lk(ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), 0, "F_RDLCK on a read-only fd");
	CHECK_RET(lk(wo, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0, "F_WRLCK on a write-only fd");
	CHECK_ERR(lk(fd, F_SETLK, 7, SEEK_SET, 0, 1), EINVAL, "bad l_type: EINVAL");
	CHECK_ERR(lk(fd, F_SETLK, F_RDLCK, 9, 0, 1), EINVAL, "bad l_whence: EINVAL");
	CHECK_ERR(lk(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1), EINVAL, "F_GETLK with F_UNLCK: EINVAL");
	CHECK_ERR(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, -1, 1), EINVAL, "start before 0: EINVAL");
	CHECK_ERR(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, -10), EINVAL, "negative l_len before 0: EINVAL");
	CHECK_ERR(syscall(SYS_fcntl, fd, F_SETLK, BADPTR), EFAULT, "F_SETLK bad pointer: EFAULT");
	CHECK_ERR(syscall(SYS_fcntl, fd, F_GETLK, BADPTR), EFAULT, "F_GETLK bad pointer: EFAULT");
	CHECK_RET(lseek(fd, 30, SEEK_SET), 30, "lseek to 30");
	CHECK_ERR(lk(fd, F_SETLK, F_RDLCK, SEEK_CUR, LLONG_MAX, 1), EOVERFLOW, "l_start past OFFSET_MAX: EOVERFLOW");
	CHECK_ERR(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, LLONG_MAX), EOVERFLOW, "l_len past OFFSET_MAX: EOVERFLOW");
	close(ro);
	close(wo);
	close(op);
}

/* The lock goes when we close any descriptor of the file, and when the holder exits. */
static void test_posix_release(int fd)
{
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "F_SETLK [0,10) before closing another fd");
	int other = CHECK_OK(open(lockfile, O_RDONLY), "open the file again");
	CHECK_RET(close(other), 0, "close the other descriptor");
	expect_lock(F_WRLCK, 0, 0, F_UNLCK, 0, 0, "closing another fd of the file drops our locks");
	int dup_fd = CHECK_OK(dup(fd), "dup");
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "F_SETLK again");
	CHECK_RET(close(dup_fd), 0, "close a dup");
	expect_lock(F_WRLCK, 0, 0, F_UNLCK, 0, 0, "closing a dup drops our locks too");

	int ready[2], go[2];
	if (pipe(ready) || pipe(go)) {
		check_result(0, "pipes", "pipe failed");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		int cfd = open(lockfile, O_RDWR);
		close(ready[0]);
		close(go[1]);
		if (cfd < 0 || lk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 20, 5))
			_exit(1);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	char c;
	CHECK_RET(read(ready[0], &c, 1), 1, "child locked [20,25)");
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	CHECK_RET(syscall(SYS_fcntl, fd, F_GETLK, &fl), 0, "F_GETLK over the child's lock");
	CHECK(fl.l_type == F_WRLCK && fl.l_start == 20 && fl.l_len == 5 && fl.l_pid == pid,
	      "F_GETLK reports the child's lock and l_pid", "type %d [%lld,+%lld) pid %d, want pid %d",
	      fl.l_type, (long long)fl.l_start, (long long)fl.l_len, fl.l_pid, pid);
	CHECK_ERR(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 24, 1), EAGAIN, "F_SETLK against the child: EAGAIN");
	write(go[1], "g", 1);
	CHECK_RET(reap(pid), 0, "child exits");
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	CHECK_RET(syscall(SYS_fcntl, fd, F_GETLK, &fl), 0, "F_GETLK after the child exited");
	CHECK(fl.l_type == F_UNLCK, "the child's locks went with it", "type %d", fl.l_type);
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 5), 0, "F_SETLK the child's range now");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "unlock all");
	close(ready[0]);
	close(go[1]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * The parent closes the write ends of the pipes its children report on, so
 * a child that dies early gives EOF instead of a hang.
 */
static void test_posix_wait(int fd)
{
	int ready[2], res[2];
	char c;
	if (pipe(ready) || pipe(res)) {
		check_result(0, "pipes", "pipe failed");
		return;
	}
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "F_SETLK [0,10) for the waiter");
	pid_t pid = fork();
	if (pid == 0) {
		int cfd = open(lockfile, O_RDWR);
		write(ready[1], "r", 1);
		if (cfd < 0 || lk(cfd, F_SETLKW, F_WRLCK, SEEK_SET, 5, 1))
			_exit(1);
		write(res[1], "1", 1);
		_exit(0);
	}
	close(ready[1]);
	close(res[1]);
	CHECK_RET(read(ready[0], &c, 1), 1, "child is about to F_SETLKW");
	CHECK(quiet(res[0]), "F_SETLKW blocks while we hold the lock", "the child got the lock");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 10), 0, "unlock");
	CHECK_RET(read(res[0], &c, 1), 1, "F_SETLKW returns once we unlock");
	CHECK_RET(reap(pid), 0, "the waiter exits");
	close(ready[0]);
	close(res[0]);

	/* A signal without SA_RESTART interrupts F_SETLKW: EINTR. */
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "F_SETLK [0,10) again");
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_alarm };
		int cfd = open(lockfile, O_RDWR);
		sigaction(SIGALRM, &sa, NULL);
		alarm(1);
		long r = lk(cfd, F_SETLKW, F_RDLCK, SEEK_SET, 0, 1);
		_exit(r == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK_RET(reap(pid), 0, "F_SETLKW interrupted by a signal: EINTR");
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "unlock all");

	/* Two owners each waiting for the other: one of them gets EDEADLK. */
	if (pipe(ready)) {
		check_result(0, "pipe", "pipe failed");
		return;
	}
	CHECK_RET(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0, "we hold byte 0");
	pid = fork();
	if (pid == 0) {
		int cfd = open(lockfile, O_RDWR);
		if (cfd < 0 || lk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1))
			_exit(100);
		write(ready[1], "r", 1);
		long r = lk(cfd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
		_exit(r == 0 ? 0 : errno);
	}
	close(ready[1]);
	if (!CHECK_RET(read(ready[0], &c, 1), 1, "child holds byte 1")) {
		reap(pid);
		close(ready[0]);
		return;
	}
	close(ready[0]);
	errno = 0;
	long r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
	int e = errno;
	if (r == -1 && e == EDEADLK)
		lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
	int cs = reap(pid);
	CHECK((r == -1 && e == EDEADLK && cs == 0) || (r == 0 && cs == EDEADLK),
	      "a two-process lock cycle: the second waiter gets EDEADLK",
	      "we got %ld (%s), the child %d", r, check_errname(e), cs);
	CHECK_RET(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "unlock all");
}

static void test_ofd(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10, .l_pid = 1 };
	CHECK_ERR(syscall(SYS_fcntl, fd, F_OFD_SETLK, &fl), EINVAL, "F_OFD_SETLK with l_pid != 0: EINVAL");
	CHECK_ERR(syscall(SYS_fcntl, fd, F_OFD_GETLK, &fl), EINVAL, "F_OFD_GETLK with l_pid != 0: EINVAL");
	int a = CHECK_OK(open(lockfile, O_RDWR), "open description A");
	int b = CHECK_OK(open(lockfile, O_RDWR), "open description B");
	CHECK_RET(lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "F_OFD_SETLK on A");
	CHECK_ERR(lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1), EAGAIN,
		  "F_OFD_SETLK on B in the same process: EAGAIN");
	CHECK_ERR(lk(b, F_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN, "a POSIX lock conflicts with the OFD lock");
	CHECK_RET(lk(a, F_OFD_SETLKW, F_WRLCK, SEEK_SET, 0, 20), 0, "F_OFD_SETLKW extends A's lock");
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	CHECK_RET(syscall(SYS_fcntl, b, F_OFD_GETLK, &fl), 0, "F_OFD_GETLK on B");
	CHECK(fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 20 && fl.l_pid == -1,
	      "F_OFD_GETLK reports A's lock with l_pid -1", "type %d [%lld,+%lld) pid %d",
	      fl.l_type, (long long)fl.l_start, (long long)fl.l_len, fl.l_pid);
	CHECK_RET(child_do((struct req){ OP_LK, F_OFD_SETLK, F_WRLCK, 0, 1, a }), 0,
		  "a child shares A's description and its OFD lock");
	CHECK_RET(child_do((struct req){ OP_LK, F_OFD_SETLK, F_WRLCK, 0, 1, -1 }), EAGAIN,
		  "a child's own description conflicts: EAGAIN");
	int a2 = CHECK_OK(dup(a), "dup A");
	CHECK_RET(close(a), 0, "close A (a dup is left)");
	CHECK_ERR(lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), EAGAIN, "OFD lock lives while a dup is open");
	CHECK_RET(close(a2), 0, "close the last descriptor of A");
	CHECK_RET(lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0, "OFD lock released with the description");
	CHECK_RET(lk(b, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "F_OFD_SETLK F_UNLCK");
	close(b);
}

static void test_flock(void)
{
	int a = CHECK_OK(open(lockfile, O_RDONLY), "open description A");
	int b = CHECK_OK(open(lockfile, O_RDONLY), "open description B");
	int op = CHECK_OK(open(lockfile, O_PATH), "open O_PATH");
	CHECK_ERR(flock(-1, LOCK_SH), EBADF, "flock on a bad fd: EBADF");
	CHECK_ERR(flock(op, LOCK_SH), EBADF, "flock on an O_PATH fd: EBADF");
	CHECK_ERR(flock(a, 0), EINVAL, "flock without an operation: EINVAL");
	CHECK_ERR(flock(a, LOCK_SH | LOCK_EX), EINVAL, "flock LOCK_SH|LOCK_EX: EINVAL");
	CHECK_RET(flock(a, LOCK_EX), 0, "flock A LOCK_EX");
	CHECK_RET(flock(a, LOCK_EX | LOCK_NB), 0, "flock A LOCK_EX again");
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "flock B LOCK_EX|LOCK_NB: EWOULDBLOCK");
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "flock B LOCK_SH|LOCK_NB: EWOULDBLOCK");
	CHECK_RET(child_do((struct req){ OP_LK, F_SETLK, F_WRLCK, 0, 0, -1 }), 0,
		  "flock does not block POSIX record locks");
	CHECK_RET(child_do((struct req){ OP_FLOCK, LOCK_EX | LOCK_NB, 0, 0, 0, a }), 0,
		  "a child shares A's description and its flock");
	CHECK_RET(child_do((struct req){ OP_FLOCK, LOCK_SH | LOCK_NB, 0, 0, 0, -1 }), EWOULDBLOCK,
		  "a child's own description: EWOULDBLOCK");
	CHECK_RET(flock(a, LOCK_SH), 0, "convert A to LOCK_SH");
	CHECK_RET(flock(b, LOCK_SH | LOCK_NB), 0, "B LOCK_SH beside A's");
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "B cannot upgrade while A shares");
	CHECK_RET(flock(a, LOCK_UN), 0, "A LOCK_UN");
	CHECK_RET(flock(b, LOCK_EX | LOCK_NB), 0, "B upgrades once alone");
	CHECK_RET(flock(b, LOCK_UN), 0, "B LOCK_UN");
	CHECK_RET(flock(a, LOCK_UN), 0, "LOCK_UN without a lock");

	/* Held by the description: a dup keeps it, the last close drops it. */
	CHECK_RET(flock(a, LOCK_EX), 0, "A LOCK_EX");
	int a2 = CHECK_OK(dup(a), "dup A");
	CHECK_RET(close(a), 0, "close A (a dup is left)");
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "flock lives while a dup is open");

	/* A blocking flock waits for the holder. */
	int ready[2], res[2];
	char c;
	if (pipe(ready) || pipe(res)) {
		check_result(0, "pipes", "pipe failed");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		int cfd = open(lockfile, O_RDONLY);
		/* Our inherited copy would keep A's description (and its lock) alive. */
		close(a2);
		write(ready[1], "r", 1);
		if (cfd < 0 || flock(cfd, LOCK_EX))
			_exit(1);
		write(res[1], "1", 1);
		_exit(0);
	}
	close(ready[1]);
	close(res[1]);
	CHECK_RET(read(ready[0], &c, 1), 1, "child is about to flock");
	CHECK(quiet(res[0]), "a blocking flock waits", "the child got the lock");
	CHECK_RET(close(a2), 0, "close the last descriptor of A");
	CHECK_RET(read(res[0], &c, 1), 1, "the child's flock returns after the last close");
	CHECK_RET(reap(pid), 0, "the child exits");
	CHECK_RET(flock(b, LOCK_EX | LOCK_NB), 0, "the child's flock went with it");
	close(b);
	close(op);
	close(ready[0]);
	close(res[0]);
}

static long oat2(int dfd, const char *p, uint64_t flags, uint64_t resolve)
{
	struct how h = { .flags = flags, .resolve = resolve };
	return syscall(SYS_openat2, dfd, p, &h, sizeof h);
}

/* fd names the same inode as path (closes fd). */
static int same_file(long fd, const char *p)
{
	struct stat a, b;
	int ok = fd >= 0 && fstat((int)fd, &a) == 0 && stat(p, &b) == 0 &&
		 a.st_ino == b.st_ino && a.st_dev == b.st_dev;
	if (fd >= 0)
		close((int)fd);
	return ok;
}

static void test_resolve(void)
{
	char sub[128], file[128], p[128];
	path(sub, "sub");
	path(file, "sub/file");
	CHECK_RET(mkdir(sub, 0755), 0, "mkdir sub");
	path(p, "sub/inner");
	CHECK_RET(mkdir(p, 0755), 0, "mkdir sub/inner");
	close(CHECK_OK(open(file, O_CREAT | O_WRONLY, 0644), "create sub/file"));
	path(p, "sub/rel");
	CHECK_RET(symlink("file", p), 0, "symlink sub/rel -> file");
	path(p, "sub/up");
	CHECK_RET(symlink("../sub/file", p), 0, "symlink sub/up -> ../sub/file");
	path(p, "sub/abs");
	CHECK_RET(symlink("/file", p), 0, "symlink sub/abs -> /file");
	path(p, "sub/esc");
	CHECK_RET(symlink("../../", p), 0, "symlink sub/esc -> ../../");
	int d = CHECK_OK(open(sub, O_PATH | O_DIRECTORY), "open sub O_PATH");

	CHECK(same_file(oat2(d, "rel", O_RDONLY, 0), file), "openat2 follows links by default", "no");
	CHECK_ERR(oat2(d, "rel", O_RDONLY, RESOLVE_NO_SYMLINKS_), ELOOP, "RESOLVE_NO_SYMLINKS: ELOOP");
	CHECK_ERR(oat2(d, "inner/../rel", O_RDONLY, RESOLVE_NO_SYMLINKS_), ELOOP,
		  "RESOLVE_NO_SYMLINKS after ..: ELOOP");
	CHECK(same_file(oat2(d, "file", O_RDONLY, RESOLVE_NO_SYMLINKS_), file),
	      "RESOLVE_NO_SYMLINKS without links opens", "no");
	long l = oat2(d, "rel", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS_);
	CHECK(l >= 0, "RESOLVE_NO_SYMLINKS with O_PATH|O_NOFOLLOW opens the link itself", "errno %d", errno);
	if (l >= 0)
		close((int)l);

	CHECK_ERR(oat2(AT_FDCWD, "/proc/self/exe", O_RDONLY, RESOLVE_NO_MAGICLINKS_), ELOOP,
		  "RESOLVE_NO_MAGICLINKS: /proc/self/exe ELOOP");
	CHECK_ERR(oat2(AT_FDCWD, "/proc/self/fd/0", O_RDONLY, RESOLVE_NO_MAGICLINKS_), ELOOP,
		  "RESOLVE_NO_MAGICLINKS: /proc/self/fd/0 ELOOP");
	CHECK_ERR(oat2(AT_FDCWD, "/proc/self/cwd", O_RDONLY | O_DIRECTORY, RESOLVE_NO_SYMLINKS_), ELOOP,
		  "RESOLVE_NO_SYMLINKS refuses magic links too");
	l = oat2(AT_FDCWD, "/proc/self/status", O_RDONLY, RESOLVE_NO_MAGICLINKS_);
	CHECK(l >= 0, "RESOLVE_NO_MAGICLINKS: /proc/self is an ordinary link", "errno %d", errno);
	if (l >= 0)
		close((int)l);
	CHECK(same_file(oat2(d, "up", O_RDONLY, RESOLVE_NO_MAGICLINKS_), file),
	      "RESOLVE_NO_MAGICLINKS follows ordinary links", "no");

	CHECK(same_file(oat2(d, "file", O_RDONLY, RESOLVE_BENEATH_), file), "RESOLVE_BENEATH: file opens", "no");
	CHECK(same_file(oat2(d, "inner/../rel", O_RDONLY, RESOLVE_BENEATH_), file),
	      "RESOLVE_BENEATH: inner/../rel stays beneath", "no");
	CHECK_ERR(oat2(d, "../sub/file", O_RDONLY, RESOLVE_BENEATH_), EXDEV, "RESOLVE_BENEATH: ../ EXDEV");
	CHECK_ERR(oat2(d, file, O_RDONLY, RESOLVE_BENEATH_), EXDEV, "RESOLVE_BENEATH: absolute path EXDEV");
	CHECK_ERR(oat2(d, "abs", O_RDONLY, RESOLVE_BENEATH_), EXDEV, "RESOLVE_BENEATH: absolute link EXDEV");
	CHECK_ERR(oat2(d, "up", O_RDONLY, RESOLVE_BENEATH_), EXDEV, "RESOLVE_BENEATH: link through .. EXDEV");
	CHECK_ERR(oat2(d, "new", O_CREAT | O_WRONLY, RESOLVE_BENEATH_ | RESOLVE_IN_ROOT_), EINVAL,
		  "RESOLVE_BENEATH|RESOLVE_IN_ROOT: EINVAL");
	CHECK_ERR(oat2(d, "../new", O_CREAT | O_WRONLY, RESOLVE_BENEATH_), EXDEV,
		  "RESOLVE_BENEATH: O_CREAT through .. EXDEV");

	CHECK(same_file(oat2(d, "/file", O_RDONLY, RESOLVE_IN_ROOT_), file),
	      "RESOLVE_IN_ROOT: /file is sub/file", "no");
	CHECK(same_file(oat2(d, "../../file", O_RDONLY, RESOLVE_IN_ROOT_), file),
	      "RESOLVE_IN_ROOT: .. stops at the root", "no");
	CHECK(same_file(oat2(d, "abs", O_RDONLY, RESOLVE_IN_ROOT_), file),
	      "RESOLVE_IN_ROOT: absolute links resolve in the root", "no");
	CHECK(same_file(oat2(d, "esc", O_RDONLY | O_DIRECTORY, RESOLVE_IN_ROOT_), sub),
	      "RESOLVE_IN_ROOT: ../../ link stays at the root", "no");
	CHECK_ERR(oat2(d, "abs", O_RDONLY, 0), ENOENT, "without RESOLVE_IN_ROOT /file is missing");

	int procfd = CHECK_OK(open("/proc", O_PATH | O_DIRECTORY), "open /proc O_PATH");
	CHECK_ERR(oat2(AT_FDCWD, "/proc/self/status", O_RDONLY, RESOLVE_NO_XDEV_), EXDEV,
		  "RESOLVE_NO_XDEV: crossing into /proc EXDEV");
	l = oat2(procfd, "self/status", O_RDONLY, RESOLVE_NO_XDEV_);
	CHECK(l >= 0, "RESOLVE_NO_XDEV inside one mount opens", "errno %d", errno);
	if (l >= 0)
		close((int)l);
	CHECK_ERR(oat2(procfd, "..", O_RDONLY | O_DIRECTORY, RESOLVE_NO_XDEV_), EXDEV,
		  "RESOLVE_NO_XDEV: .. out of a mount EXDEV");
	CHECK(same_file(oat2(d, "up", O_RDONLY, RESOLVE_NO_XDEV_), file), "RESOLVE_NO_XDEV: same mount opens", "no");
	close(procfd);

	CHECK(same_file(oat2(d, "file", O_RDONLY, RESOLVE_CACHED_), file), "RESOLVE_CACHED: a cached path opens", "no");
	CHECK_ERR(oat2(d, "new", O_CREAT | O_WRONLY, RESOLVE_CACHED_), EAGAIN, "RESOLVE_CACHED with O_CREAT: EAGAIN");
	CHECK_ERR(oat2(d, "file", O_WRONLY | O_TRUNC, RESOLVE_CACHED_), EAGAIN, "RESOLVE_CACHED with O_TRUNC: EAGAIN");
	CHECK_ERR(oat2(d, "file", O_RDONLY, 0x40), EINVAL, "unknown resolve flag: EINVAL");
	close(d);
}

static void test_close_range_unshare(void)
{
	int fd = CHECK_OK(open(lockfile, O_RDONLY), "open a descriptor to share");
	/* Control: with a shared table, the child's close closes ours. */
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(syscall(SYS_close_range, fd, fd, 0) == 0 ? 0 : 1);
	CHECK_RET(reap(pid), 0, "CLONE_FILES child close_range");
	CHECK_ERR(fcntl(fd, F_GETFD), EBADF, "the shared table lost the descriptor");

	fd = CHECK_OK(open(lockfile, O_RDONLY), "open another descriptor");
	pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		if (syscall(SYS_close_range, fd, fd, CLOSE_RANGE_UNSHARE_))
			_exit(1);
		/* Our copy lost it; the directory opened in its place stays ours. */
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			_exit(2);
		_exit(open("/", O_RDONLY | O_DIRECTORY) == fd ? 0 : 3);
	}
	CHECK_RET(reap(pid), 0, "CLONE_FILES child close_range CLOSE_RANGE_UNSHARE");
	struct stat st;
	CHECK_RET(fstat(fd, &st), 0, "CLOSE_RANGE_UNSHARE left our descriptor open");
	CHECK(S_ISREG(st.st_mode), "our descriptor is still the lock file, not the child's new one",
	      "mode %o", st.st_mode);
	CHECK_RET(close(fd), 0, "close it");
	CHECK_ERR(syscall(SYS_close_range, 5, 4, 0), EINVAL, "close_range first > last: EINVAL");
	CHECK_ERR(syscall(SYS_close_range, 0, 0, 1), EINVAL, "close_range unknown flag: EINVAL");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	strcpy(dir, "/tmp/t_lock.XXXXXX");
	if (!mkdtemp(dir)) {
		check_printf("not ok 1 - mkdtemp: errno %d\n", errno);
		return 1;
	}
	path(lockfile, "lockfile");
	int fd = CHECK_OK(open(lockfile, O_CREAT | O_RDWR, 0644), "create the lock file");
	char zero[100] = { 0 };
	CHECK_RET(write(fd, zero, sizeof zero), 100, "100 bytes");

	test_posix_basic(fd);
	test_posix_errors(fd);
	test_posix_release(fd);
	test_posix_wait(fd);
	test_ofd(fd);
	test_flock();
	test_resolve();
	test_close_range_unshare();
	close(fd);
	return check_done();
}
