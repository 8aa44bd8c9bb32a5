/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_fsx -- the file features programs use beyond read and write:
 * memfd_create and seals, splice, tee, vmsplice, copy_file_range,
 * sendfile, statx's extras, fallocate, O_DIRECT, posix_fadvise and the
 * syncs, with Linux 6.1's results (tmpfs and its memfds are the oracle).
 * Scratch files live in a tmpfs mounted on /tmp/t_fsx.
 */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define TOP	"/tmp/t_fsx"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef SYS_statx
#define SYS_statx 332
#endif
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10
#endif

/* struct statx of <linux/stat.h>, with its own name: musl 1.2.3 has none. */
struct t_statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t pad;
};
struct t_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct t_statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint64_t spare[14];
};
#define T_STATX_BASIC_STATS	0x7ffU
#define T_STATX_SIZE		0x200U
#define T_STATX_BTIME		0x800U
#define T_STATX_MNT_ID		0x1000U
#define T_STATX_ATTR_MOUNT_ROOT	0x2000
#define T_AT_STATX_FORCE_SYNC	0x2000
#define T_AT_STATX_DONT_SYNC	0x4000

static int t_statx(int dirfd, const char *path, int flags, unsigned int mask, struct t_statx *sx)
{
	return (int)syscall(SYS_statx, dirfd, path, flags, mask, sx);
}

static int make_file(const char *path, const char *s)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0 && write(fd, s, strlen(s)) != (ssize_t)strlen(s)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_memfd(void)
{
	char name[300], buf[16] = { 0 }, link[64], target[128];
	struct stat st;
	char *p;
	int fd, fd2;
	ssize_t n;

	fd = memfd_create("t_fsx", 0);
	CHECK_OK(fd, "memfd_create: a file");
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0777 &&
	      st.st_size == 0 && st.st_nlink == 0, "memfd: regular, 0777, empty, no link",
	      "mode %o size %ld nlink %lu", st.st_mode, (long)st.st_size, (unsigned long)st.st_nlink);
	CHECK_RET(fcntl(fd, F_GETFD), 0, "memfd: no FD_CLOEXEC without MFD_CLOEXEC");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = 0;
	CHECK(strcmp(target, "/memfd:t_fsx (deleted)") == 0, "memfd: /proc/self/fd names it",
	      "got '%s'", target);
	CHECK_RET(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL, "memfd: sealed against seals without MFD_ALLOW_SEALING");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM, "memfd: F_ADD_SEALS is EPERM then");
	CHECK_RET(write(fd, "hello", 5), 5, "memfd: write");
	CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0, "memfd: read back", "got '%s'", buf);
	close(fd);

	fd = memfd_create("c", MFD_CLOEXEC);
	CHECK_RET(fcntl(fd, F_GETFD), FD_CLOEXEC, "memfd: MFD_CLOEXEC");
	close(fd);
	CHECK_ERR(memfd_create("x", 0x100), EINVAL, "memfd: unknown flags EINVAL");
	memset(name, 'n', sizeof(name));
	name[250] = 0;
	CHECK_ERR(memfd_create(name, 0), EINVAL, "memfd: a 250-byte name is EINVAL");
	name[249] = 0;
	fd = memfd_create(name, 0);
	CHECK_OK(fd, "memfd: a 249-byte name works");
	close(fd);
	CHECK_ERR(syscall(SYS_memfd_create, (void *)8, 0), EFAULT, "memfd: a bad name pointer EFAULT");

	fd = memfd_create("seal", MFD_ALLOW_SEALING);
	CHECK_RET(fcntl(fd, F_GET_SEALS), 0, "seals: none with MFD_ALLOW_SEALING");
	CHECK_RET(ftruncate(fd, 8192), 0, "seals: size 8192");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, 0x100), EINVAL, "seals: unknown seal EINVAL");
	CHECK_RET(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), 0, "seals: F_SEAL_SHRINK");
	CHECK_ERR(ftruncate(fd, 4096), EPERM, "seals: SHRINK refuses shrinking");
	CHECK_RET(ftruncate(fd, 12288), 0, "seals: SHRINK lets it grow");
	CHECK_RET(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), 0, "seals: F_SEAL_GROW");
	CHECK_ERR(ftruncate(fd, 16384), EPERM, "seals: GROW refuses growing");
	CHECK_ERR(pwrite(fd, "x", 1, 12288), EPERM, "seals: GROW refuses a write past the end");
	CHECK_ERR(fallocate(fd, 0, 12288, 4096), EPERM, "seals: GROW refuses fallocate past the end");
	CHECK_RET(pwrite(fd, "in", 2, 100), 2, "seals: GROW allows writes inside");
	CHECK_RET(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW, "seals: F_GET_SEALS");

	/* F_SEAL_WRITE waits for no shared writable mapping: EBUSY while there is one. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "seals: a shared writable mapping", "errno %d", errno);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY, "seals: WRITE with a writable mapping EBUSY");
	munmap(p, 4096);
	CHECK_RET(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), 0, "seals: F_SEAL_WRITE once unmapped");
	CHECK_ERR(pwrite(fd, "x", 1, 0), EPERM, "seals: WRITE refuses writes");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p == MAP_FAILED && errno == EPERM, "seals: WRITE refuses shared writable mmap (EPERM)",
	      "errno %d", errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && p[100] == 'i', "seals: a private read mapping still works",
	      "errno %d", errno);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	CHECK_RET(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), 0, "seals: F_SEAL_SEAL");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM, "seals: none after F_SEAL_SEAL");
	close(fd);

	/* F_SEAL_FUTURE_WRITE: the mappings there are keep writing, nothing new may. */
	fd = memfd_create("future", MFD_ALLOW_SEALING);
	CHECK_RET(ftruncate(fd, 4096), 0, "future: size");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_RET(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), 0,
		  "future: F_SEAL_FUTURE_WRITE with a writable mapping");
	CHECK_ERR(pwrite(fd, "x", 1, 0), EPERM, "future: write() is EPERM");
	if (p != MAP_FAILED) {
		p[0] = 'm';
		CHECK(pread(fd, buf, 1, 0) == 1 && buf[0] == 'm', "future: the old mapping still writes",
		      "got %c", buf[0]);
		munmap(p, 4096);
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p == MAP_FAILED && errno == EPERM, "future: a new shared writable mmap is EPERM",
	      "errno %d", errno);
	close(fd);

	/* Files of a tmpfs take seals; their default is F_SEAL_SEAL. Pipes take none. */
	fd2 = make_file(TOP "/sealtest", "x");
	CHECK_RET(fcntl(fd2, F_GET_SEALS), F_SEAL_SEAL, "seals: a tmpfs file has F_SEAL_SEAL");
	close(fd2);
	{
		int pf[2];

		CHECK_RET(pipe(pf), 0, "seals: a pipe");
		CHECK_ERR(fcntl(pf[0], F_GET_SEALS), EINVAL, "seals: F_GET_SEALS on a pipe EINVAL");
		close(pf[0]);
		close(pf[1]);
	}
}

static void test_splice(void)
{
	char buf[64] = { 0 };
	loff_t off;
	int pf[2], pg[2], fd, out;
	struct iovec iov;

	fd = make_file(TOP "/in", "0123456789abcdef");
	out = open(TOP "/out", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_RET(pipe(pf), 0, "splice: a pipe");
	off = 4;
	CHECK_RET(splice(fd, &off, pf[1], NULL, 6, 0), 6, "splice: file at offset 4 into the pipe");
	CHECK(off == 10, "splice: the offset moved", "off %ld", (long)off);
	CHECK_RET(lseek(fd, 0, SEEK_CUR), 16, "splice: the file position did not");
	off = 2;
	CHECK_RET(splice(pf[0], NULL, out, &off, 64, 0), 6, "splice: pipe to the file at offset 2");
	CHECK(off == 8, "splice: out offset moved", "off %ld", (long)off);
	CHECK(pread(out, buf, 8, 0) == 8 && memcmp(buf + 2, "456789", 6) == 0 && buf[0] == 0,
	      "splice: the data arrived (a hole before)", "got '%s'", buf + 2);
	CHECK_RET(lseek(fd, 0, SEEK_SET), 0, "splice: rewind");
	CHECK_RET(splice(fd, NULL, pf[1], NULL, 3, SPLICE_F_MOVE | SPLICE_F_MORE), 3,
		  "splice: at the file position");
	CHECK_RET(lseek(fd, 0, SEEK_CUR), 3, "splice: which moved");
	CHECK_RET(pipe(pg), 0, "splice: a second pipe");
	CHECK_RET(splice(pf[0], NULL, pg[1], NULL, 64, 0), 3, "splice: pipe to pipe");
	CHECK(read(pg[0], buf, sizeof(buf)) == 3 && memcmp(buf, "012", 3) == 0, "splice: through both",
	      "got '%.3s'", buf);
	CHECK_ERR(splice(pf[0], NULL, pf[1], NULL, 1, 0), EINVAL, "splice: a pipe into itself EINVAL");
	CHECK_ERR(splice(fd, NULL, out, NULL, 1, 0), EINVAL, "splice: no pipe at all EINVAL");
	off = 0;
	CHECK_ERR(splice(pf[0], &off, out, NULL, 1, 0), ESPIPE, "splice: an offset for a pipe ESPIPE");
	CHECK_ERR(splice(pf[0], NULL, out, NULL, 1, SPLICE_F_NONBLOCK), EAGAIN,
		  "splice: SPLICE_F_NONBLOCK on an empty pipe EAGAIN");
	CHECK_ERR(splice(pf[0], NULL, out, NULL, 1, 0x100), EINVAL, "splice: unknown flags EINVAL");
	CHECK_RET(splice(pf[0], NULL, out, NULL, 0, 0), 0, "splice: length 0 is 0");
	CHECK_ERR(splice(99, NULL, out, NULL, 1, 0), EBADF, "splice: a bad fd EBADF");
	CHECK_ERR(splice(pf[1], NULL, out, NULL, 1, 0), EBADF, "splice: from a write end EBADF");
	{
		int app = open(TOP "/out", O_WRONLY | O_APPEND);

		CHECK_RET(write(pf[1], "a", 1), 1, "splice: a byte to move");
		CHECK_ERR(splice(pf[0], NULL, app, NULL, 1, 0), EINVAL, "splice: to an O_APPEND file EINVAL");
		close(app);
		(void)read(pf[0], buf, 1);
	}
	/* Fill the pipe: file to pipe with SPLICE_F_NONBLOCK is EAGAIN then. */
	{
		static char big[65536];
		int fl = fcntl(pf[1], F_GETFL);

		fcntl(pf[1], F_SETFL, fl | O_NONBLOCK);
		while (write(pf[1], big, sizeof(big)) > 0)
			;
		fcntl(pf[1], F_SETFL, fl);
		off = 0;
		CHECK_ERR(splice(fd, &off, pf[1], NULL, 4, SPLICE_F_NONBLOCK), EAGAIN,
			  "splice: into a full pipe with SPLICE_F_NONBLOCK EAGAIN");
		close(pf[0]);
		CHECK_RET(pipe(pf + 0) == 0 ? 0 : -1, 0, "splice: a fresh pipe");
	}
	close(pf[1]);
	CHECK_RET(pipe(pf), 0, "tee: a pipe");
	CHECK_RET(write(pf[1], "teedata", 7), 7, "tee: data in");
	CHECK_RET(tee(pf[0], pg[1], 64, 0), 7, "tee: duplicated into the other pipe");
	CHECK(read(pg[0], buf, sizeof(buf)) == 7 && memcmp(buf, "teedata", 7) == 0,
	      "tee: the copy", "got '%.7s'", buf);
	CHECK(read(pf[0], buf, sizeof(buf)) == 7 && memcmp(buf, "teedata", 7) == 0,
	      "tee: the original stays", "got '%.7s'", buf);
	CHECK_ERR(tee(pf[0], pg[1], 64, SPLICE_F_NONBLOCK), EAGAIN, "tee: empty and SPLICE_F_NONBLOCK EAGAIN");
	CHECK_ERR(tee(fd, pg[1], 1, 0), EINVAL, "tee: from a file EINVAL");
	CHECK_ERR(tee(pf[0], pf[1], 1, 0), EINVAL, "tee: into the same pipe EINVAL");
	CHECK_ERR(tee(pf[0], pg[1], 1, 0x100), EINVAL, "tee: unknown flags EINVAL");

	iov.iov_base = "vmspliced";
	iov.iov_len = 9;
	CHECK_RET(vmsplice(pf[1], &iov, 1, 0), 9, "vmsplice: user memory into the pipe");
	iov.iov_base = buf;
	iov.iov_len = 9;
	memset(buf, 0, sizeof(buf));
	CHECK_RET(vmsplice(pf[0], &iov, 1, 0), 9, "vmsplice: out of the pipe into user memory");
	CHECK(memcmp(buf, "vmspliced", 9) == 0, "vmsplice: the data", "got '%.9s'", buf);
	CHECK_ERR(vmsplice(fd, &iov, 1, 0), EBADF, "vmsplice: not a pipe EBADF");
	CHECK_ERR(vmsplice(pf[1], &iov, 1, 0x100), EINVAL, "vmsplice: unknown flags EINVAL");
	CHECK_ERR(vmsplice(pf[0], &iov, 1, SPLICE_F_NONBLOCK), EAGAIN, "vmsplice: empty, nonblocking EAGAIN");
	close(pf[0]);
	close(pf[1]);
	close(pg[0]);
	close(pg[1]);
	close(fd);
	close(out);
}

static void test_copy(void)
{
	char buf[32] = { 0 };
	loff_t oi, oo;
	int in, out, other;

	in = make_file(TOP "/cin", "abcdefghij");
	out = open(TOP "/cout", O_RDWR | O_CREAT | O_TRUNC, 0644);
	oi = 2;
	oo = 0;
	CHECK_RET(copy_file_range(in, &oi, out, &oo, 5, 0), 5, "copy_file_range: 5 bytes at offsets");
	CHECK(oi == 7 && oo == 5, "copy_file_range: both offsets moved", "%ld %ld", (long)oi, (long)oo);
	CHECK(pread(out, buf, 5, 0) == 5 && memcmp(buf, "cdefg", 5) == 0, "copy_file_range: the data",
	      "got '%.5s'", buf);
	CHECK_RET(lseek(in, 0, SEEK_SET), 0, "copy_file_range: rewind");
	CHECK_RET(copy_file_range(in, NULL, out, NULL, 100, 0), 10,
		  "copy_file_range: at the positions, cut at the end of the source");
	CHECK_RET(lseek(in, 0, SEEK_CUR), 10, "copy_file_range: the position moved");
	oi = 20;
	CHECK_RET(copy_file_range(in, &oi, out, NULL, 5, 0), 0, "copy_file_range: past the end is 0");
	oi = 0;
	CHECK_ERR(copy_file_range(in, &oi, out, NULL, 5, 1), EINVAL, "copy_file_range: flags EINVAL");
	oi = 0;
	oo = 2;
	CHECK_ERR(copy_file_range(in, &oi, in, &oo, 5, 0), EINVAL,
		  "copy_file_range: overlapping in one file EINVAL");
	oi = 0;
	oo = 5;
	CHECK_RET(copy_file_range(in, &oi, in, &oo, 5, 0), 5, "copy_file_range: disjoint in one file");
	other = make_file("/tmp/t_fsx_other", "z");
	oi = 0;
	CHECK_ERR(copy_file_range(in, &oi, other, NULL, 1, 0), EXDEV,
		  "copy_file_range: across file systems EXDEV");
	close(other);
	unlink("/tmp/t_fsx_other");
	{
		int ro = open(TOP "/cout", O_RDONLY), ap = open(TOP "/cout", O_WRONLY | O_APPEND);
		int dir = open(TOP, O_RDONLY | O_DIRECTORY), pf[2];

		oi = 0;
		CHECK_ERR(copy_file_range(in, &oi, ro, NULL, 1, 0), EBADF, "copy_file_range: to read-only EBADF");
		CHECK_ERR(copy_file_range(in, &oi, ap, NULL, 1, 0), EBADF, "copy_file_range: to O_APPEND EBADF");
		CHECK_ERR(copy_file_range(dir, NULL, out, NULL, 1, 0), EISDIR, "copy_file_range: a directory EISDIR");
		CHECK_RET(pipe(pf), 0, "copy_file_range: a pipe");
		CHECK_ERR(copy_file_range(in, &oi, pf[1], NULL, 1, 0), EINVAL, "copy_file_range: a pipe EINVAL");
		CHECK_ERR(copy_file_range(99, NULL, out, NULL, 1, 0), EBADF, "copy_file_range: a bad fd EBADF");
		close(pf[0]);
		close(pf[1]);
		close(ro);
		close(ap);
		close(dir);
	}

	/* sendfile: offsets as Linux. */
	oi = 3;
	CHECK_RET(lseek(out, 0, SEEK_SET), 0, "sendfile: rewind out");
	CHECK_RET(lseek(in, 1, SEEK_SET), 1, "sendfile: in at 1");
	CHECK_RET(sendfile(out, in, &oi, 4), 4, "sendfile: 4 bytes at offset 3");
	CHECK(oi == 7, "sendfile: the offset moved", "off %ld", (long)oi);
	CHECK_RET(lseek(in, 0, SEEK_CUR), 1, "sendfile: not the position of in");
	/* in is "abcdeabcde" since the copy within it. */
	CHECK(pread(out, buf, 4, 0) == 4 && memcmp(buf, "deab", 4) == 0, "sendfile: the data",
	      "got '%.4s'", buf);
	CHECK_RET(sendfile(out, in, NULL, 2), 2, "sendfile: at the position");
	CHECK_RET(lseek(in, 0, SEEK_CUR), 3, "sendfile: which moved");
	{
		int ap = open(TOP "/cout", O_WRONLY | O_APPEND), wo = open(TOP "/cin", O_WRONLY), pf[2];

		CHECK_ERR(sendfile(ap, in, NULL, 1), EINVAL, "sendfile: to O_APPEND EINVAL");
		CHECK_ERR(sendfile(out, wo, NULL, 1), EBADF, "sendfile: from write-only EBADF");
		CHECK_RET(pipe(pf), 0, "sendfile: a pipe");
		oi = 0;
		CHECK_ERR(sendfile(out, pf[0], &oi, 1), ESPIPE, "sendfile: an offset on a pipe ESPIPE");
		oi = -1;
		CHECK_ERR(sendfile(out, in, &oi, 1), EINVAL, "sendfile: a negative offset EINVAL");
		CHECK_RET(sendfile(pf[1], in, NULL, 3), 3, "sendfile: into a pipe");
		close(pf[0]);
		close(pf[1]);
		close(ap);
		close(wo);
	}
	close(in);
	close(out);
}

static void test_statx(void)
{
	struct t_statx sx, sx2;
	int fd;

	CHECK_RET(t_statx(AT_FDCWD, TOP, 0, T_STATX_BASIC_STATS | T_STATX_BTIME, &sx), 0, "statx: the mount root");
	CHECK((sx.stx_mask & T_STATX_BASIC_STATS) == T_STATX_BASIC_STATS && (sx.stx_mask & T_STATX_MNT_ID),
	      "statx: basic stats and the mount id", "mask %#x", sx.stx_mask);
	CHECK((sx.stx_attributes_mask & T_STATX_ATTR_MOUNT_ROOT) && (sx.stx_attributes & T_STATX_ATTR_MOUNT_ROOT),
	      "statx: STATX_ATTR_MOUNT_ROOT", "attrs %#llx mask %#llx",
	      (unsigned long long)sx.stx_attributes, (unsigned long long)sx.stx_attributes_mask);
	if (sx.stx_mask & T_STATX_BTIME)
		CHECK(sx.stx_btime.tv_sec > 0 && sx.stx_btime.tv_sec <= sx.stx_ctime.tv_sec,
		      "statx: stx_btime no later than ctime", "btime %lld ctime %lld",
		      (long long)sx.stx_btime.tv_sec, (long long)sx.stx_ctime.tv_sec);
	fd = make_file(TOP "/sx", "12345");
	CHECK_RET(t_statx(fd, "", AT_EMPTY_PATH | T_AT_STATX_FORCE_SYNC, T_STATX_SIZE, &sx2), 0,
		  "statx: AT_EMPTY_PATH, AT_STATX_FORCE_SYNC");
	CHECK(sx2.stx_size == 5 && sx2.stx_mnt_id == sx.stx_mnt_id &&
	      !(sx2.stx_attributes & T_STATX_ATTR_MOUNT_ROOT), "statx: a file of the same mount",
	      "size %llu mnt %llu/%llu", (unsigned long long)sx2.stx_size,
	      (unsigned long long)sx2.stx_mnt_id, (unsigned long long)sx.stx_mnt_id);
	CHECK_RET(t_statx(AT_FDCWD, "/tmp", T_AT_STATX_DONT_SYNC, T_STATX_BASIC_STATS, &sx2), 0,
		  "statx: AT_STATX_DONT_SYNC");
	CHECK(sx2.stx_mnt_id != sx.stx_mnt_id, "statx: another mount, another id", "both %llu",
	      (unsigned long long)sx.stx_mnt_id);
	CHECK_ERR(t_statx(AT_FDCWD, TOP, T_AT_STATX_FORCE_SYNC | T_AT_STATX_DONT_SYNC, T_STATX_BASIC_STATS, &sx),
		  EINVAL, "statx: both sync modes EINVAL");
	CHECK_ERR(t_statx(AT_FDCWD, TOP, 0, 0x80000000U, &sx), EINVAL, "statx: STATX__RESERVED EINVAL");
	CHECK_ERR(t_statx(AT_FDCWD, TOP, 0x10000, T_STATX_BASIC_STATS, &sx), EINVAL, "statx: unknown flags EINVAL");
	close(fd);
}

static void test_misc(void)
{
	struct stat st;
	char buf[8] = { 0 };
	int fd, pf[2];

	fd = make_file(TOP "/fa", "");
	CHECK_RET(fallocate(fd, 0, 0, 10000), 0, "fallocate: mode 0");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 10000 && st.st_blocks >= 24,
	      "fallocate: size and blocks", "size %ld blocks %ld", (long)st.st_size, (long)st.st_blocks);
	CHECK_RET(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 20000), 0, "fallocate: KEEP_SIZE");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 10000, "fallocate: KEEP_SIZE keeps the size",
	      "size %ld", (long)st.st_size);
	CHECK_RET(pwrite(fd, "xyz", 3, 5000), 3, "fallocate: data to punch");
	CHECK_RET(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4999, 3), 0,
		  "fallocate: PUNCH_HOLE|KEEP_SIZE");
	CHECK(pread(fd, buf, 3, 5000) == 3 && buf[0] == 0 && buf[1] == 0 && buf[2] == 'z',
	      "fallocate: the hole reads zeros", "got %d %d %c", buf[0], buf[1], buf[2]);
	CHECK_ERR(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1), EOPNOTSUPP,
		  "fallocate: PUNCH_HOLE without KEEP_SIZE EOPNOTSUPP");
	CHECK_ERR(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 1), EOPNOTSUPP, "fallocate: ZERO_RANGE on tmpfs EOPNOTSUPP");
	CHECK_ERR(fallocate(fd, 0, 0, 0), EINVAL, "fallocate: length 0 EINVAL");
	CHECK_ERR(fallocate(fd, 0, -1, 1), EINVAL, "fallocate: negative offset EINVAL");
	CHECK_ERR(fallocate(fd, 0x80, 0, 1), EOPNOTSUPP, "fallocate: unknown mode EOPNOTSUPP");
	CHECK_RET(pipe(pf), 0, "fallocate: a pipe");
	CHECK_ERR(fallocate(pf[1], 0, 0, 1), ESPIPE, "fallocate: a pipe ESPIPE");
	{
		int ro = open(TOP "/fa", O_RDONLY);

		CHECK_ERR(fallocate(ro, 0, 0, 1), EBADF, "fallocate: read-only EBADF");
		CHECK_RET(syscall(SYS_fadvise64, ro, 0, 0, POSIX_FADV_SEQUENTIAL), 0, "fadvise: SEQUENTIAL");
		CHECK_RET(syscall(SYS_fadvise64, ro, 0, 4096, POSIX_FADV_DONTNEED), 0, "fadvise: DONTNEED");
		CHECK_ERR(syscall(SYS_fadvise64, ro, 0, 0, 99), EINVAL, "fadvise: bad advice EINVAL");
		CHECK_RET(syscall(SYS_fadvise64, ro, 0, -1, POSIX_FADV_NORMAL), 0,
			  "fadvise: tmpfs does not check the length");
		close(ro);
	}
	CHECK_ERR(syscall(SYS_fadvise64, pf[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE, "fadvise: a pipe ESPIPE");
	CHECK_ERR(syscall(SYS_fadvise64, 99, 0, 0, POSIX_FADV_NORMAL), EBADF, "fadvise: a bad fd EBADF");
	CHECK_RET(fsync(fd), 0, "fsync: 0 on tmpfs");
	CHECK_RET(fdatasync(fd), 0, "fdatasync: 0 on tmpfs");
	CHECK_RET(syncfs(fd), 0, "syncfs: 0 on tmpfs");
	CHECK_ERR(fsync(pf[0]), EINVAL, "fsync: a pipe EINVAL");
	sync();
	close(pf[0]);
	close(pf[1]);

	/* O_DIRECT: Linux 6.1's tmpfs has no direct I/O: EINVAL at open and F_SETFL. */
	CHECK_ERR(open(TOP "/fa", O_RDONLY | O_DIRECT), EINVAL, "O_DIRECT: open on tmpfs EINVAL");
	CHECK_ERR(fcntl(fd, F_SETFL, O_DIRECT), EINVAL, "O_DIRECT: F_SETFL on tmpfs EINVAL");
	close(fd);
}

/* The next event of buf at *off: its fields, advancing *off; 0 at the end. */
static int next_event(const char *buf, ssize_t len, ssize_t *off, struct inotify_event *ev,
		      char *name)
{
	if (*off + (ssize_t)sizeof(*ev) > len)
		return 0;
	memcpy(ev, buf + *off, sizeof(*ev));
	name[0] = 0;
	if (ev->len)
		snprintf(name, 64, "%s", buf + *off + sizeof(*ev));
	*off += sizeof(*ev) + ev->len;
	return 1;
}

/* Read the queue and check it is exactly want[] (mask, wd, name); names "" for none. */
struct want_ev {
	uint32_t mask;
	int wd;
	const char *name;
};

static void expect_events(int in, const struct want_ev *want, int n, const char *desc,
			  uint32_t *cookie)
{
	char buf[1024] __attribute__((aligned(8))), name[64];
	struct inotify_event ev;
	ssize_t len = read(in, buf, sizeof(buf)), off = 0;
	int k = 0, good = len > 0;
	char why[256] = "";

	while (good && next_event(buf, len, &off, &ev, name)) {
		if (k >= n || ev.mask != want[k].mask || ev.wd != want[k].wd ||
		    strcmp(name, want[k].name) != 0) {
			snprintf(why, sizeof(why), "event %d: mask %#x wd %d name '%s'", k, ev.mask,
				 ev.wd, name);
			good = 0;
		}
		if (cookie && k < 2)
			cookie[k] = ev.cookie;
		k++;
	}
	if (good && k != n) {
		snprintf(why, sizeof(why), "%d events, want %d", k, n);
		good = 0;
	}
	CHECK(good, desc, "%s (read %ld)", why, (long)len);
}

static void test_inotify(void)
{
	char small[16];
	uint32_t cookies[2] = { 0, 0 };
	struct pollfd pfd;
	int in, wd, wd2, fd, avail = 0;

	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	CHECK_OK(in, "inotify_init1: IN_NONBLOCK|IN_CLOEXEC");
	CHECK_RET(fcntl(in, F_GETFD), FD_CLOEXEC, "inotify: IN_CLOEXEC");
	CHECK_ERR(inotify_init1(0x1), EINVAL, "inotify_init1: unknown flags EINVAL");
	CHECK_ERR(read(in, small, sizeof(small)), EAGAIN, "inotify: empty, nonblocking EAGAIN");
	CHECK_RET(mkdir(TOP "/w", 0755), 0, "inotify: a directory to watch");
	fd = make_file(TOP "/w/h", "h");
	close(fd);
	wd = inotify_add_watch(in, TOP "/w", IN_ALL_EVENTS);
	CHECK(wd >= 1, "inotify_add_watch: a directory", "wd %d errno %d", wd, errno);
	CHECK_RET(inotify_add_watch(in, TOP "/w", IN_CREATE), wd, "inotify_add_watch: same inode, same wd");
	CHECK_RET(inotify_add_watch(in, TOP "/w", IN_DELETE | IN_MOVE | IN_MASK_ADD), wd,
		  "inotify_add_watch: IN_MASK_ADD");
	CHECK_ERR(inotify_add_watch(in, TOP "/w", IN_CREATE | IN_MASK_CREATE), EEXIST,
		  "inotify_add_watch: IN_MASK_CREATE on a watch EEXIST");
	CHECK_ERR(inotify_add_watch(in, TOP "/w", IN_CREATE | IN_MASK_CREATE | IN_MASK_ADD), EINVAL,
		  "inotify_add_watch: IN_MASK_CREATE|IN_MASK_ADD EINVAL");
	CHECK_ERR(inotify_add_watch(in, TOP "/w", 0), EINVAL, "inotify_add_watch: no events EINVAL");
	CHECK_ERR(inotify_add_watch(in, TOP "/w/h", IN_ATTRIB | IN_ONLYDIR), ENOTDIR,
		  "inotify_add_watch: IN_ONLYDIR on a file ENOTDIR");
	CHECK_ERR(inotify_add_watch(in, TOP "/w/none", IN_ATTRIB), ENOENT, "inotify_add_watch: ENOENT");
	CHECK_ERR(inotify_add_watch(99, TOP "/w", IN_ATTRIB), EBADF, "inotify_add_watch: bad fd EBADF");
	CHECK_ERR(inotify_add_watch(0, TOP "/w", IN_ATTRIB), EINVAL, "inotify_add_watch: not inotify EINVAL");

	fd = open(TOP "/w/f", O_WRONLY | O_CREAT, 0644);
	close(fd);
	CHECK(ioctl(in, FIONREAD, &avail) == 0 && avail == 32, "inotify: FIONREAD counts the event",
	      "avail %d", avail);
	pfd.fd = in;
	pfd.events = POLLIN;
	CHECK_RET(poll(&pfd, 1, 0), 1, "inotify: poll says readable");
	CHECK_ERR(read(in, small, sizeof(small)), EINVAL, "inotify: a buffer too small EINVAL");
	{
		struct want_ev w[] = { { IN_CREATE, wd, "f" } };

		expect_events(in, w, 1, "inotify: IN_CREATE with the name", NULL);
	}
	CHECK_RET(rename(TOP "/w/f", TOP "/w/g"), 0, "inotify: rename");
	CHECK_RET(mkdir(TOP "/w/sub", 0755), 0, "inotify: mkdir");
	CHECK_RET(unlink(TOP "/w/g"), 0, "inotify: unlink");
	CHECK_RET(rmdir(TOP "/w/sub"), 0, "inotify: rmdir");
	{
		struct want_ev w[] = {
			{ IN_MOVED_FROM, wd, "f" }, { IN_MOVED_TO, wd, "g" },
			{ IN_CREATE | IN_ISDIR, wd, "sub" }, { IN_DELETE, wd, "g" },
			{ IN_DELETE | IN_ISDIR, wd, "sub" },
		};

		expect_events(in, w, 5, "inotify: moves (a cookie), mkdir, unlink, rmdir", cookies);
		CHECK(cookies[0] != 0 && cookies[0] == cookies[1], "inotify: MOVED_FROM and MOVED_TO share a cookie",
		      "cookies %u %u", cookies[0], cookies[1]);
	}

	/* A file's own events; consecutive identical ones merge. */
	wd2 = inotify_add_watch(in, TOP "/w/h", IN_OPEN | IN_MODIFY | IN_CLOSE | IN_ATTRIB | IN_DELETE_SELF);
	CHECK(wd2 > wd, "inotify_add_watch: a file, a new wd", "wd2 %d", wd2);
	fd = open(TOP "/w/h", O_WRONLY);
	CHECK_RET(write(fd, "1", 1), 1, "inotify: a write");
	CHECK_RET(write(fd, "2", 1), 1, "inotify: another write");
	close(fd);
	CHECK_RET(chmod(TOP "/w/h", 0600), 0, "inotify: chmod");
	fd = open(TOP "/w/h", O_RDONLY);
	close(fd);
	{
		struct want_ev w[] = {
			{ IN_OPEN, wd2, "" }, { IN_MODIFY, wd2, "" }, { IN_CLOSE_WRITE, wd2, "" },
			{ IN_ATTRIB, wd2, "" }, { IN_OPEN, wd2, "" }, { IN_CLOSE_NOWRITE, wd2, "" },
		};

		expect_events(in, w, 6, "inotify: open, modify (merged), close_write, attrib, open, close_nowrite",
			      NULL);
	}
	CHECK_RET(unlink(TOP "/w/h"), 0, "inotify: unlink the watched file");
	{
		struct want_ev w[] = {
			{ IN_ATTRIB, wd2, "" }, { IN_DELETE_SELF, wd2, "" },
			{ IN_IGNORED, wd2, "" }, { IN_DELETE, wd, "h" },
		};

		expect_events(in, w, 4, "inotify: attrib, delete_self, ignored, delete", NULL);
	}
	CHECK_ERR(inotify_rm_watch(in, wd2), EINVAL, "inotify_rm_watch: a watch gone already EINVAL");

	/* IN_ONESHOT: one event, then the watch goes. */
	fd = make_file(TOP "/w/o", "o");
	close(fd);
	{
		char drain[512];

		while (read(in, drain, sizeof(drain)) > 0)
			;
	}
	wd2 = inotify_add_watch(in, TOP "/w/o", IN_ATTRIB | IN_ONESHOT);
	CHECK_RET(chmod(TOP "/w/o", 0600), 0, "IN_ONESHOT: chmod");
	CHECK_RET(chmod(TOP "/w/o", 0644), 0, "IN_ONESHOT: chmod again");
	{
		struct want_ev w[] = { { IN_ATTRIB, wd2, "" }, { IN_IGNORED, wd2, "" } };

		expect_events(in, w, 2, "IN_ONESHOT: one event, then IN_IGNORED", NULL);
	}
	CHECK_RET(inotify_rm_watch(in, wd), 0, "inotify_rm_watch: the directory watch");
	{
		struct want_ev w[] = { { IN_IGNORED, wd, "" } };

		expect_events(in, w, 1, "inotify_rm_watch: IN_IGNORED", NULL);
	}
	CHECK_ERR(inotify_rm_watch(in, wd), EINVAL, "inotify_rm_watch: twice EINVAL");
	CHECK_ERR(inotify_rm_watch(0, 1), EINVAL, "inotify_rm_watch: not inotify EINVAL");
	unlink(TOP "/w/o");
	rmdir(TOP "/w");
	close(in);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	mkdir(TOP, 0755);
	if (mount("t_fsx", TOP, "tmpfs", 0, "size=4m") != 0) {
		check_printf("# mount tmpfs on " TOP ": errno %d\n", errno);
		return 1;
	}
	test_memfd();
	test_splice();
	test_copy();
	test_statx();
	test_misc();
	test_inotify();
	umount2(TOP, MNT_DETACH);
	rmdir(TOP);
	return check_done();
}
