/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_file -- file descriptors and regular-file I/O: open/openat/creat/close,
 * read/write/pread64/pwrite64/readv/writev, lseek, dup/dup2/dup3, fcntl,
 * O_CLOEXEC/O_APPEND/O_TRUNC/O_EXCL, RLIMIT_FSIZE (short writes, EFBIG,
 * SIGXFSZ), extended attributes (unsupported by these file systems, as by
 * Linux's tmpfs for user.*), preadv2/pwritev2, fallocate, readahead,
 * sync_file_range, utime, and the documented error paths.
 */
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <utime.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static char dir[64];

static void path(char *buf, const char *name)
{
	snprintf(buf, 128, "%s/%s", dir, name);
}

/* RLIMIT_FSIZE of 1000 bytes, in a child: 0 or the failing step. */
static int child_fsize(const char *p)
{
	struct rlimit rl = { 1000, RLIM_INFINITY };
	static char buf[1500];
	struct stat st;
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || setrlimit(RLIMIT_FSIZE, &rl))
		return 1;
	signal(SIGXFSZ, SIG_IGN);
	if (write(fd, buf, sizeof(buf)) != 1000)
		return 2;	/* cut to what fits */
	if (write(fd, buf, 1) != -1 || errno != EFBIG)
		return 3;
	if (pwrite(fd, buf, 10, 995) != 5)
		return 4;
	if (ftruncate(fd, 2000) != -1 || errno != EFBIG)
		return 5;
	if (ftruncate(fd, 500) || fstat(fd, &st) || st.st_size != 500)
		return 6;	/* shrinking is always allowed */
	if (pwrite(fd, buf, 10, 2000) != -1 || errno != EFBIG)
		return 7;
	signal(SIGXFSZ, SIG_DFL);
	lseek(fd, 1000, SEEK_SET);
	(void)write(fd, buf, 1);	/* SIGXFSZ's default action ends us here */
	return 8;
}

/* fcntl's file owner and signal: kept and reported as Linux, with its errors. */
static void test_owner(const char *path_name)
{
	struct f_owner_ex ex = { 7, 7 };
	int fd = open(path_name, O_RDWR | O_CREAT, 0644);

	if (!CHECK(fd >= 0, "open for the owner checks", "%s", check_errname(errno)))
		return;
	CHECK_RET(fcntl(fd, F_GETOWN), 0, "F_GETOWN: no owner at first");
	CHECK(fcntl(fd, F_GETOWN_EX, &ex) == 0 && ex.type == F_OWNER_TID && ex.pid == 0,
	      "F_GETOWN_EX: no owner at first", "type %d pid %d", ex.type, ex.pid);
	CHECK_RET(fcntl(fd, F_SETOWN, getpid()), 0, "F_SETOWN our pid");
	CHECK_RET(fcntl(fd, F_GETOWN), getpid(), "F_GETOWN gives it back");
	CHECK(fcntl(fd, F_GETOWN_EX, &ex) == 0 && ex.type == F_OWNER_PID && ex.pid == getpid(),
	      "F_GETOWN_EX: F_OWNER_PID", "type %d pid %d", ex.type, ex.pid);
	CHECK_RET(fcntl(fd, F_SETOWN, -getpgrp()), 0, "F_SETOWN our process group");
	CHECK_RET(fcntl(fd, F_GETOWN), -getpgrp(), "F_GETOWN: minus the group");
	CHECK_ERR(fcntl(fd, F_SETOWN, 0x3ffffff0), ESRCH, "F_SETOWN of no such process ESRCH");
	CHECK_ERR(fcntl(fd, F_SETOWN, -0x3ffffff0), ESRCH, "F_SETOWN of no such group ESRCH");
	ex.type = F_OWNER_TID;
	ex.pid = (pid_t)syscall(SYS_gettid);
	CHECK_RET(fcntl(fd, F_SETOWN_EX, &ex), 0, "F_SETOWN_EX F_OWNER_TID");
	memset(&ex, 0x55, sizeof(ex));
	CHECK(fcntl(fd, F_GETOWN_EX, &ex) == 0 && ex.type == F_OWNER_TID && ex.pid == (pid_t)syscall(SYS_gettid),
	      "F_GETOWN_EX gives the thread back", "type %d pid %d", ex.type, ex.pid);
	ex.type = 3;
	CHECK_ERR(fcntl(fd, F_SETOWN_EX, &ex), EINVAL, "F_SETOWN_EX bad type EINVAL");
	ex.type = F_OWNER_PID;
	ex.pid = 0x3ffffff0;
	CHECK_ERR(fcntl(fd, F_SETOWN_EX, &ex), ESRCH, "F_SETOWN_EX no such process ESRCH");
	CHECK_ERR(fcntl(fd, F_SETOWN_EX, (void *)8), EFAULT, "F_SETOWN_EX bad pointer EFAULT");
	CHECK_ERR(fcntl(fd, F_GETOWN_EX, (void *)8), EFAULT, "F_GETOWN_EX bad pointer EFAULT");
	CHECK_RET(fcntl(fd, F_GETSIG), 0, "F_GETSIG: 0 at first");
	CHECK_RET(fcntl(fd, F_SETSIG, SIGUSR1), 0, "F_SETSIG SIGUSR1");
	CHECK_RET(fcntl(fd, F_GETSIG), SIGUSR1, "F_GETSIG gives it back");
	CHECK_ERR(fcntl(fd, F_SETSIG, 65), EINVAL, "F_SETSIG 65 EINVAL");
	close(fd);
	unlink(path_name);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	char p[128], q[128], buf[64];
	strcpy(dir, "/tmp/t_file.XXXXXX");
	if (!mkdtemp(dir)) {
		check_printf("not ok 1 - mkdtemp: errno %d\n", errno);
		return 1;
	}

	/* open, write, read back, close. */
	path(p, "a");
	int fd = CHECK_OK(syscall(SYS_open, p, O_CREAT | O_RDWR, 0644), "open O_CREAT");
	CHECK_RET(write(fd, "hello world", 11), 11, "write 11 bytes");
	CHECK_RET(lseek(fd, 0, SEEK_CUR), 11, "lseek SEEK_CUR after write");
	CHECK_RET(lseek(fd, 0, SEEK_SET), 0, "lseek SEEK_SET 0");
	memset(buf, 0, sizeof buf);
	CHECK_RET(read(fd, buf, sizeof buf), 11, "read returns 11");
	CHECK(memcmp(buf, "hello world", 11) == 0, "read data", "got '%.11s'", buf);
	CHECK_RET(read(fd, buf, sizeof buf), 0, "read at EOF returns 0");
	CHECK_RET(lseek(fd, -5, SEEK_END), 6, "lseek SEEK_END -5");
	CHECK_RET(read(fd, buf, 5), 5, "read after SEEK_END");
	CHECK(memcmp(buf, "world", 5) == 0, "read data after SEEK_END", "got '%.5s'", buf);
	CHECK_RET(lseek(fd, 100, SEEK_SET), 100, "lseek past EOF");
	CHECK_RET(write(fd, "X", 1), 1, "write past EOF");
	struct stat st;
	CHECK_RET(fstat(fd, &st), 0, "fstat");
	CHECK(st.st_size == 101, "file size after sparse write", "got %lld, want 101", (long long)st.st_size);
	CHECK_RET(pread(fd, buf, 4, 50), 4, "pread64 inside hole");
	CHECK(buf[0] == 0 && buf[3] == 0, "hole reads as zeros", "got %d %d", buf[0], buf[3]);
	CHECK_RET(pwrite(fd, "HE", 2, 0), 2, "pwrite64 at 0");
	CHECK_RET(lseek(fd, 0, SEEK_CUR), 101, "pwrite64 keeps the offset");
	CHECK_RET(pread(fd, buf, 5, 0), 5, "pread64 at 0");
	CHECK(memcmp(buf, "HEllo", 5) == 0, "pread64 sees pwrite64 data", "got '%.5s'", buf);
	CHECK_ERR(lseek(fd, 0, 42), EINVAL, "lseek bad whence EINVAL");
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "lseek negative offset EINVAL");
	CHECK_ERR(pread(fd, buf, 1, -1), EINVAL, "pread64 negative offset EINVAL");
	CHECK_RET(lseek(fd, 0, SEEK_SET), 0, "rewind before EFAULT checks");
	CHECK_ERR(syscall(SYS_read, fd, BADPTR, 5), EFAULT, "read into bad pointer EFAULT");
	CHECK_ERR(syscall(SYS_write, fd, BADPTR, 5), EFAULT, "write from bad pointer EFAULT");

	/* readv / writev */
	struct iovec iov[3] = {
		{ .iov_base = "ab", .iov_len = 2 },
		{ .iov_base = "", .iov_len = 0 },
		{ .iov_base = "cde", .iov_len = 3 },
	};
	CHECK_RET(ftruncate(fd, 0), 0, "ftruncate to 0");
	CHECK_RET(lseek(fd, 0, SEEK_SET), 0, "rewind");
	CHECK_RET(writev(fd, iov, 3), 5, "writev 3 iovecs");
	char r1[3] = {0}, r2[4] = {0};
	struct iovec riov[2] = { { r1, 2 }, { r2, 3 } };
	CHECK_RET(lseek(fd, 0, SEEK_SET), 0, "rewind for readv");
	CHECK_RET(readv(fd, riov, 2), 5, "readv 2 iovecs");
	CHECK(strcmp(r1, "ab") == 0 && strcmp(r2, "cde") == 0, "readv data",
	      "got '%s' '%s'", r1, r2);
	CHECK_ERR(syscall(SYS_readv, fd, riov, -1), EINVAL, "readv negative count EINVAL");
	CHECK_ERR(syscall(SYS_writev, fd, BADPTR, 1), EFAULT, "writev bad iovec EFAULT");
	CHECK_ERR(syscall(SYS_readv, fd, riov, 1025), EINVAL, "readv past IOV_MAX EINVAL");
	CHECK_ERR(syscall(SYS_readv, 999, riov, 1025), EBADF, "readv on a bad fd: EBADF before the count");
	struct iovec kiov = { (void *)0xffff800000000000UL, 1 };
	CHECK_ERR(readv(fd, &kiov, 1), EFAULT, "readv into the kernel half EFAULT");
	struct iovec niov = { r1, (size_t)-1 };
	CHECK_ERR(readv(fd, &niov, 1), EINVAL, "readv of a negative length EINVAL");
	CHECK_RET(close(fd), 0, "close");
	CHECK_ERR(close(fd), EBADF, "close twice EBADF");
	CHECK_ERR(read(fd, buf, 1), EBADF, "read closed fd EBADF");
	CHECK_ERR(write(-1, buf, 1), EBADF, "write fd -1 EBADF");
	CHECK_ERR(read(9999, buf, 1), EBADF, "read fd 9999 EBADF");

	/* O_EXCL, O_TRUNC, O_APPEND, creat, O_RDONLY write */
	CHECK_ERR(open(p, O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST, "O_CREAT|O_EXCL on existing EEXIST");
	fd = CHECK_OK(open(p, O_WRONLY | O_APPEND), "open O_APPEND");
	CHECK_RET(lseek(fd, 0, SEEK_SET), 0, "seek to 0 with O_APPEND");
	CHECK_RET(write(fd, "Z", 1), 1, "append write");
	CHECK_RET(fstat(fd, &st), 0, "fstat after append");
	CHECK(st.st_size == 6, "O_APPEND writes at the end", "size %lld, want 6", (long long)st.st_size);
	CHECK_RET(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_WRONLY | O_APPEND, "F_GETFL shows O_WRONLY|O_APPEND");
	CHECK_RET(fcntl(fd, F_SETFL, 0), 0, "F_SETFL clears O_APPEND");
	CHECK_RET(fcntl(fd, F_GETFL) & O_APPEND, 0, "F_GETFL after F_SETFL");
	CHECK_ERR(read(fd, buf, 1), EBADF, "read on O_WRONLY fd EBADF");
	close(fd);
	fd = CHECK_OK(open(p, O_RDONLY), "open O_RDONLY");
	CHECK_ERR(write(fd, "x", 1), EBADF, "write on O_RDONLY fd EBADF");
	close(fd);
	fd = CHECK_OK(open(p, O_RDWR | O_TRUNC), "open O_TRUNC");
	CHECK_RET(fstat(fd, &st), 0, "fstat after O_TRUNC");
	CHECK(st.st_size == 0, "O_TRUNC empties the file", "size %lld", (long long)st.st_size);
	close(fd);
	path(q, "c");
	fd = CHECK_OK(syscall(SYS_creat, q, 0600), "creat");
	CHECK_RET(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY, "creat opens O_WRONLY");
	CHECK_RET(fstat(fd, &st), 0, "fstat creat file");
	CHECK(S_ISREG(st.st_mode), "creat makes a regular file", "mode %o", st.st_mode);
	close(fd);

	/* openat relative to a directory fd */
	int dfd = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY), "open directory O_DIRECTORY");
	fd = CHECK_OK(openat(dfd, "a", O_RDONLY), "openat relative");
	close(fd);
	CHECK_ERR(openat(dfd, "nonexistent", O_RDONLY), ENOENT, "openat missing ENOENT");
	CHECK_ERR(openat(9999, "a", O_RDONLY), EBADF, "openat bad dirfd EBADF");
	CHECK_ERR(openat(fd, "a", O_RDONLY), EBADF, "openat closed dirfd EBADF");
	int rfd = open(p, O_RDONLY);
	CHECK_ERR(openat(rfd, "a", O_RDONLY), ENOTDIR, "openat file dirfd ENOTDIR");
	close(rfd);
	CHECK_ERR(write(dfd, "x", 1), EBADF, "write on directory fd EBADF");
	CHECK_ERR(read(dfd, buf, 1), EISDIR, "read directory EISDIR");
	CHECK_ERR(open(dir, O_WRONLY), EISDIR, "open directory O_WRONLY EISDIR");
	CHECK_ERR(open(p, O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on file ENOTDIR");
	snprintf(q, sizeof q, "%s/a/b", dir);
	CHECK_ERR(open(q, O_RDONLY), ENOTDIR, "path through file ENOTDIR");
	CHECK_ERR(open("/nonexistent/x", O_RDONLY), ENOENT, "missing dir ENOENT");
	CHECK_ERR(open("", O_RDONLY), ENOENT, "empty path ENOENT");
	CHECK_ERR(syscall(SYS_open, BADPTR, O_RDONLY), EFAULT, "open bad path pointer EFAULT");
	char longname[NAME_MAX + 20];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	CHECK_ERR(openat(dfd, longname, O_RDONLY | O_CREAT, 0644), ENAMETOOLONG, "name > NAME_MAX ENAMETOOLONG");
	static char longpath[PATH_MAX + 100];
	for (size_t i = 0; i + 2 < sizeof longpath; i += 2)
		memcpy(longpath + i, "./", 2);
	longpath[sizeof longpath - 1] = 0;
	CHECK_ERR(open(longpath, O_RDONLY), ENAMETOOLONG, "path > PATH_MAX ENAMETOOLONG");

	/* dup family and fd flags */
	fd = open(p, O_RDWR);
	int d = CHECK_OK(dup(fd), "dup");
	CHECK(d > fd, "dup returns a new lowest fd", "got %d, fd %d", d, fd);
	CHECK_RET(write(fd, "0123456789", 10), 10, "write via original");
	CHECK_RET(lseek(d, 0, SEEK_CUR), 10, "dup shares the file offset");
	CHECK_RET(dup2(fd, 50), 50, "dup2 to 50");
	CHECK_RET(dup2(fd, fd), fd, "dup2 to itself returns fd");
	CHECK_ERR(dup2(9999, 51), EBADF, "dup2 bad oldfd EBADF");
	CHECK_ERR(dup2(fd, -1), EBADF, "dup2 newfd -1 EBADF");
	CHECK_ERR(syscall(SYS_dup3, fd, fd, 0), EINVAL, "dup3 same fd EINVAL");
	CHECK_ERR(syscall(SYS_dup3, fd, 52, 0x4000), EINVAL, "dup3 bad flags EINVAL");
	CHECK_RET(dup3(fd, 52, O_CLOEXEC), 52, "dup3 O_CLOEXEC");
	CHECK_RET(fcntl(52, F_GETFD), FD_CLOEXEC, "dup3 O_CLOEXEC sets FD_CLOEXEC");
	CHECK_RET(fcntl(50, F_GETFD), 0, "dup2 clears FD_CLOEXEC");
	CHECK_RET(fcntl(fd, F_SETFD, FD_CLOEXEC), 0, "F_SETFD FD_CLOEXEC");
	CHECK_RET(fcntl(fd, F_GETFD), FD_CLOEXEC, "F_GETFD sees FD_CLOEXEC");
	CHECK_RET(fcntl(d, F_GETFD), 0, "FD_CLOEXEC is per descriptor");
	CHECK_RET(fcntl(fd, F_DUPFD, 60), 60, "F_DUPFD 60");
	CHECK_RET(fcntl(fd, F_DUPFD, 60), 61, "F_DUPFD takes the lowest free >= 60");
	CHECK_RET(fcntl(fd, F_DUPFD_CLOEXEC, 70), 70, "F_DUPFD_CLOEXEC");
	CHECK_RET(fcntl(70, F_GETFD), FD_CLOEXEC, "F_DUPFD_CLOEXEC sets FD_CLOEXEC");
	CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL, "F_DUPFD negative EINVAL");
	CHECK_ERR(fcntl(9999, F_GETFD), EBADF, "fcntl bad fd EBADF");
	CHECK_ERR(fcntl(fd, 0x7fff), EINVAL, "fcntl bad cmd EINVAL");
	int cfd = CHECK_OK(open(p, O_RDONLY | O_CLOEXEC), "open O_CLOEXEC");
	CHECK_RET(fcntl(cfd, F_GETFD), FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
	close(cfd); close(50); close(52); close(60); close(61); close(70); close(d);
	close(fd);
	close(dfd);

	/* preadv2/pwritev2, fallocate, readahead, sync_file_range, utime */
	{
		char b2[8];
		struct iovec v = { b2, 4 };	/* the raw calls: fd, iov, cnt, pos low, pos high, flags */
		struct stat fs2;
		int f2 = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);

		CHECK(f2 >= 0 && write(f2, "abcdefgh", 8) == 8, "a file for the *v2 calls", "errno %d", errno);
		CHECK_RET(syscall(SYS_preadv2, f2, &v, 1L, 2L, 0L, 0L), 4, "preadv2 at offset 2");
		CHECK(memcmp(b2, "cdef", 4) == 0, "preadv2 reads at the offset", "'%.4s'", b2);
		lseek(f2, 1, SEEK_SET);
		CHECK_RET(syscall(SYS_preadv2, f2, &v, 1L, -1L, -1L, 0L), 4, "preadv2 offset -1 uses the position");
		CHECK(memcmp(b2, "bcde", 4) == 0 && lseek(f2, 0, SEEK_CUR) == 5, "and moves it", "'%.4s'", b2);
		memcpy(b2, "WXYZ", 4);
		CHECK_RET(syscall(SYS_pwritev2, f2, &v, 1L, 0L, 0L, 0x10L /* RWF_APPEND */), 4, "pwritev2 RWF_APPEND");
		CHECK(fstat(f2, &fs2) == 0 && fs2.st_size == 12, "RWF_APPEND writes at the end", "size %ld",
		      (long)fs2.st_size);
		CHECK_ERR(syscall(SYS_preadv2, f2, &v, 1L, 0L, 0L, 0x1000L), EOPNOTSUPP, "preadv2 unknown flag EOPNOTSUPP");
		CHECK_RET(fallocate(f2, 0, 0, 100), 0, "fallocate to 100 bytes");
		CHECK(fstat(f2, &fs2) == 0 && fs2.st_size == 100, "fallocate extends the file", "size %ld",
		      (long)fs2.st_size);
		CHECK_RET(fallocate(f2, FALLOC_FL_KEEP_SIZE, 0, 200), 0, "fallocate FALLOC_FL_KEEP_SIZE");
		CHECK(fstat(f2, &fs2) == 0 && fs2.st_size == 100, "FALLOC_FL_KEEP_SIZE keeps the size", "size %ld",
		      (long)fs2.st_size);
		CHECK_ERR(fallocate(f2, 0, 0, 0), EINVAL, "fallocate length 0 EINVAL");
		CHECK_ERR(fallocate(f2, 0, -1, 10), EINVAL, "fallocate negative offset EINVAL");
		CHECK_ERR(fallocate(9999, 0, 0, 10), EBADF, "fallocate bad fd EBADF");
		CHECK_RET(readahead(f2, 0, 4096), 0, "readahead");
		CHECK_RET(sync_file_range(f2, 0, 0, 7), 0, "sync_file_range");
		CHECK_ERR(sync_file_range(f2, 0, 0, 8), EINVAL, "sync_file_range bad flags EINVAL");
		int pp[2];
		if (pipe(pp) == 0) {
			CHECK_ERR(fallocate(pp[1], 0, 0, 10), ESPIPE, "fallocate on a pipe ESPIPE");
			CHECK_ERR(readahead(pp[0], 0, 10), EINVAL, "readahead on a pipe EINVAL");
			CHECK_ERR(readahead(pp[1], 0, 10), EBADF, "readahead on a write-only fd EBADF");
			close(pp[0]);
			close(pp[1]);
		}
		close(f2);
		int opath = open(p, O_PATH);
		CHECK_ERR(readahead(opath, 0, 10), EBADF, "readahead on an O_PATH fd EBADF");
		close(opath);
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);
		CHECK_ERR(readahead(dfd, 0, 10), EINVAL, "readahead on a directory EINVAL");
		close(dfd);
		struct utimbuf ub = { 1000000000, 1234567890 };
		CHECK_RET(utime(p, &ub), 0, "utime");
		CHECK(stat(p, &fs2) == 0 && fs2.st_mtime == 1234567890 && fs2.st_atime == 1000000000,
		      "utime sets both times", "atime %ld mtime %ld", (long)fs2.st_atime, (long)fs2.st_mtime);
		CHECK_ERR(utime("/nonexistent/x", &ub), ENOENT, "utime missing file ENOENT");
	}

	/* extended attributes */
	path(p, "a");
	char xv[64];
	CHECK_ERR(getxattr(p, "user.test", xv, sizeof(xv)), EOPNOTSUPP, "getxattr user.* EOPNOTSUPP");
	CHECK_ERR(lgetxattr(p, "user.test", xv, sizeof(xv)), EOPNOTSUPP, "lgetxattr user.* EOPNOTSUPP");
	CHECK_ERR(setxattr(p, "user.test", "v", 1, 0), EOPNOTSUPP, "setxattr user.* EOPNOTSUPP");
	CHECK_ERR(removexattr(p, "user.test"), EOPNOTSUPP, "removexattr user.* EOPNOTSUPP");
	CHECK(listxattr(p, xv, sizeof(xv)) >= 0, "listxattr", "errno %d", errno);
	CHECK_ERR(setxattr(p, "user.test", "v", 1, 4), EINVAL, "setxattr bad flags EINVAL");
	CHECK_ERR(getxattr(p, "", xv, sizeof(xv)), ERANGE, "getxattr empty name ERANGE");
	CHECK_ERR(getxattr("/nonexistent/x", "user.test", xv, sizeof(xv)), ENOENT, "getxattr missing file ENOENT");
	CHECK_ERR(fgetxattr(9999, "user.test", xv, sizeof(xv)), EBADF, "fgetxattr bad fd EBADF");
	CHECK_ERR(flistxattr(9999, xv, sizeof(xv)), EBADF, "flistxattr bad fd EBADF");

	/* RLIMIT_FSIZE */
	path(p, "big");
	int fst = -1;
	pid_t fp = fork();
	if (fp == 0)
		_exit(child_fsize(p));
	waitpid(fp, &fst, 0);
	CHECK(WIFSIGNALED(fst) && WTERMSIG(fst) == SIGXFSZ,
	      "RLIMIT_FSIZE: writes cut to fit, then EFBIG; truncate up EFBIG; SIGXFSZ kills by default",
	      "status %#x (exit code = failing step)", fst);
	unlink(p);

	path(p, "owner");
	test_owner(p);

	/* cleanup */
	path(p, "a"); unlink(p);
	path(p, "c"); unlink(p);
	CHECK_RET(rmdir(dir), 0, "cleanup: rmdir scratch dir");
	return check_done();
}
