/* SPDX-License-Identifier: MPL-2.0 */
/*
 * check.h -- tiny TAP-like checking helpers shared by the syscall test
 * programs in testsuite/progs.  Header-only: each program includes it once.
 *
 * Output (unbuffered, written with write(2) so that fork() never duplicates
 * pending output):
 *     ok N - DESC
 *     not ok N - DESC: got X, want Y
 *     # a comment
 *     PROG: P passed, F failed          (from check_done)
 * check_done() returns the exit status: 0 only when nothing failed.
 *
 *     CHECK_RET(expr, want, desc)   expr (a long) must equal want
 *     CHECK_OK(expr, desc)          expr must be >= 0
 *     CHECK_ERR(expr, err, desc)    expr must be -1 with errno == err
 *     CHECK(cond, desc, fmt, ...)   cond must be true; fmt explains a failure
 *     check_in_child(fn), check_wait_status(pid)   run or wait for a child: its status
 */
#ifndef ASTER_PROGS_CHECK_H
#define ASTER_PROGS_CHECK_H

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"

static int check_n, check_failed;
static const char *check_prog = "test";

/* Write all of BUF to fd 1, retrying on short writes and EINTR. */
__attribute__((unused)) static void check_write(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(1, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		len -= (size_t)w;
	}
}

__attribute__((format(printf, 1, 2)))
__attribute__((unused)) static void check_printf(const char *fmt, ...)
{
	char buf[1024];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	check_write(buf, (size_t)n);
	errno = saved;
}

__attribute__((unused)) static void check_init(const char *prog)
{
	const char *slash = strrchr(prog, '/');
	check_prog = slash ? slash + 1 : prog;
	check_printf("# %s: start\n", check_prog);
}

__attribute__((unused)) static const char *check_errname(int e)
{
	switch (e) {
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG)
	E(ENOEXEC) E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES)
	E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR)
	E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY)
	E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM)
	E(ERANGE) E(EDEADLK) E(ENAMETOOLONG) E(ENOSYS) E(ENOTEMPTY)
	E(ELOOP) E(EOVERFLOW) E(EOPNOTSUPP) E(ETIMEDOUT) E(EDQUOT)
	E(ENOKEY) E(EKEYEXPIRED) E(EKEYREVOKED) E(EKEYREJECTED)
#undef E
	case 0: return "0";
	default: return "E?";
	}
}

/* Record one result; WHY (may be NULL) is printed after a failure. */
__attribute__((unused)) static int check_result(int good, const char *desc, const char *why)
{
	check_n++;
	if (good) {
		check_printf("ok %d - %s\n", check_n, desc);
	} else {
		check_failed++;
		check_printf("not ok %d - %s: %s\n", check_n, desc,
			     why ? why : "failed");
	}
	return good;
}

__attribute__((unused)) static int check_ret(long got, int err, long want, const char *desc)
{
	char why[200];
	if (got == want)
		return check_result(1, desc, NULL);
	if (got == -1)
		snprintf(why, sizeof why, "got -1 (errno %s %d), want %ld",
			 check_errname(err), err, want);
	else
		snprintf(why, sizeof why, "got %ld, want %ld", got, want);
	return check_result(0, desc, why);
}

__attribute__((unused)) static int check_ok(long got, int err, const char *desc)
{
	char why[200];
	if (got >= 0)
		return check_result(1, desc, NULL);
	snprintf(why, sizeof why, "got %ld (errno %s %d), want >= 0", got,
		 check_errname(err), err);
	return check_result(0, desc, why);
}

__attribute__((unused)) static int check_err(long got, int err, int want, const char *desc)
{
	char why[200];
	if (got == -1 && err == want)
		return check_result(1, desc, NULL);
	if (got == -1)
		snprintf(why, sizeof why, "got -1 errno %s (%d), want -1 errno %s (%d)",
			 check_errname(err), err, check_errname(want), want);
	else
		snprintf(why, sizeof why, "got %ld, want -1 errno %s (%d)", got,
			 check_errname(want), want);
	return check_result(0, desc, why);
}

#define CHECK_RET(expr, want, desc) \
	({ errno = 0; long check_r_ = (long)(expr); \
	   check_ret(check_r_, errno, (long)(want), (desc)); })
#define CHECK_OK(expr, desc) \
	({ errno = 0; long check_r_ = (long)(expr); \
	   check_ok(check_r_, errno, (desc)); check_r_; })
#define CHECK_ERR(expr, err, desc) \
	({ errno = 0; long check_r_ = (long)(expr); \
	   check_err(check_r_, errno, (err), (desc)); })
#define CHECK(cond, desc, ...) \
	({ char check_why_[300]; int check_c_ = !!(cond); \
	   if (!check_c_) snprintf(check_why_, sizeof check_why_, __VA_ARGS__); \
	   check_result(check_c_, (desc), check_c_ ? NULL : check_why_); })

__attribute__((unused)) static void check_skip(const char *desc, const char *why)
{
	check_n++;
	check_printf("ok %d - %s # SKIP %s\n", check_n, desc, why);
}

__attribute__((unused)) static int check_done(void)
{
	check_printf("%s: %d passed, %d failed\n", check_prog,
		     check_n - check_failed, check_failed);
	return check_failed ? 1 : 0;
}

/* The whole of a file into buf (NUL-terminated): its length, or -1 with errno. */
__attribute__((unused)) static long check_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	buf[0] = 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return n < 0 ? -1 : len;
}

/* Write s to path in one write: 0, or -1 with the write's errno. */
__attribute__((unused)) static int check_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), e;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	e = errno;
	close(fd);
	errno = e;
	return n < 0 ? -1 : 0;
}

/* Wait for pid: its exit status, 128 + the signal that killed it, or -1. */
__attribute__((unused)) static int check_wait_status(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run fn in a child: its exit status (0: every step as expected, else the failed step's number). */
__attribute__((unused)) static int check_in_child(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	return pid < 0 ? -1 : check_wait_status(pid);
}

/* A pointer that is never mapped in user space. */
#define BADPTR ((void *)1)

#endif
