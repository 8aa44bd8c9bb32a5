/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_blk RW-DEV RO-DEV -- block special files, on two disks the host made
 * with testsuite/blk/mkdisk.py pattern (byte i of the disk is
 * (i * 7 + 3) & 255): the BLK* ioctls and their errors, seeking within
 * the device, reads and writes at any byte offset (partial sectors are
 * read, patched and written back), the end of the device, fsync, and a
 * read-only disk (QEMU readonly=on).  Not run by run.sh (it needs the
 * disks): testsuite/aster.guest/virtio-blk.exp runs it.  The bytes it
 * writes are put back, so the host can still check the pattern.
 */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#if __has_include(<linux/fs.h>)
#include <linux/fs.h>
#else				/* musl-gcc has no kernel headers: <linux/fs.h>'s values */
#define BLKROGET	_IO(0x12, 94)
#define BLKGETSIZE	_IO(0x12, 96)
#define BLKFLSBUF	_IO(0x12, 97)
#define BLKSSZGET	_IO(0x12, 104)
#define BLKGETSIZE64	_IOR(0x12, 114, size_t)
#define BLKPBSZGET	_IO(0x12, 123)
#endif
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* A bad user address the compiler cannot see through. */
static void *volatile bad_ptr = (void *)8;

static unsigned char pattern(off_t i)
{
	return (unsigned char)((i * 7 + 3) & 255);
}

static int matches(const unsigned char *buf, off_t at, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != pattern(at + (off_t)i))
			return 0;
	}
	return 1;
}

static void ioctls(int fd, uint64_t *size)
{
	unsigned long sectors = 0;
	unsigned int pbs = 0;
	int ssz = 0, ro = -1;

	CHECK_OK(ioctl(fd, BLKGETSIZE64, size), "BLKGETSIZE64");
	CHECK(*size >= 1 << 20 && *size % 512 == 0, "BLKGETSIZE64 is a whole number of sectors",
	      "got %llu", (unsigned long long)*size);
	CHECK_OK(ioctl(fd, BLKGETSIZE, &sectors), "BLKGETSIZE");
	CHECK(sectors == *size / 512, "BLKGETSIZE is BLKGETSIZE64 / 512", "got %lu", sectors);
	CHECK_OK(ioctl(fd, BLKSSZGET, &ssz), "BLKSSZGET");
	CHECK(ssz == 512, "BLKSSZGET is 512", "got %d", ssz);
	CHECK_OK(ioctl(fd, BLKPBSZGET, &pbs), "BLKPBSZGET");
	CHECK(pbs >= 512 && (pbs & (pbs - 1)) == 0, "BLKPBSZGET is a power of two", "got %u", pbs);
	CHECK_OK(ioctl(fd, BLKROGET, &ro), "BLKROGET");
	CHECK(ro == 0, "BLKROGET of a writable disk is 0", "got %d", ro);
	CHECK_ERR(ioctl(fd, BLKGETSIZE64, bad_ptr), EFAULT, "BLKGETSIZE64 to a bad pointer");
	CHECK_ERR(ioctl(fd, BLKSSZGET, bad_ptr), EFAULT, "BLKSSZGET to a bad pointer");
	CHECK_ERR(ioctl(fd, _IO(0x12, 200), 0), ENOTTY, "an unknown block ioctl");
	CHECK_ERR(ioctl(fd, 0x5401 /* TCGETS */, &ro), ENOTTY, "TCGETS on a disk");
	CHECK_OK(ioctl(fd, BLKFLSBUF, 0), "BLKFLSBUF as root");
}

static void seeking(int fd, off_t size)
{
	CHECK_RET(lseek(fd, 0, SEEK_END), size, "SEEK_END is the device size");
	CHECK_RET(lseek(fd, -512, SEEK_END), size - 512, "SEEK_END - 512");
	CHECK_RET(lseek(fd, 100, SEEK_CUR), size - 412, "SEEK_CUR");
	CHECK_ERR(lseek(fd, size + 1, SEEK_SET), EINVAL, "seek past the end");
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "seek before the start");
	CHECK_ERR(lseek(fd, 4096, SEEK_DATA), EINVAL, "SEEK_DATA is not for devices");
	CHECK_ERR(lseek(fd, 4096, SEEK_HOLE), EINVAL, "SEEK_HOLE is not for devices");
	CHECK_RET(lseek(fd, 0, SEEK_CUR), size - 412, "a refused seek keeps the position");
}

static void reading(int fd, off_t size)
{
	static unsigned char buf[300000];
	ssize_t n;

	n = pread(fd, buf, 512, 0);
	CHECK(n == 512 && matches(buf, 0, 512), "pread of sector 0", "n=%zd", n);
	n = pread(fd, buf, 10000, 777);
	CHECK(n == 10000 && matches(buf, 777, 10000), "pread at an odd offset across pages",
	      "n=%zd", n);
	n = pread(fd, buf, sizeof(buf), 3);
	CHECK(n == (ssize_t)sizeof(buf) && matches(buf, 3, sizeof(buf)),
	      "pread of 300000 bytes (several requests)", "n=%zd", n);
	n = pread(fd, buf, 1000, size - 100);
	CHECK(n == 100 && matches(buf, size - 100, 100), "pread across the end is short",
	      "n=%zd", n);
	CHECK_RET(pread(fd, buf, 10, size), 0, "pread at the end reads nothing");
	CHECK_RET(lseek(fd, 5, SEEK_SET), 5, "seek to 5");
	n = read(fd, buf, 3);
	CHECK(n == 3 && matches(buf, 5, 3), "read at the file position", "n=%zd", n);
	CHECK_RET(lseek(fd, 0, SEEK_CUR), 8, "read moved the position");
	CHECK_ERR(pread(fd, bad_ptr, 512, 0), EFAULT, "pread into a bad buffer");
}

/* Write data at off, read it back with its neighbours, then put the pattern back. */
static void write_at(int fd, off_t off, size_t len, const char *desc)
{
	static unsigned char data[70000], back[72000], orig[70000];
	size_t ctx = 1000;
	off_t from = off >= (off_t)ctx ? off - (off_t)ctx : 0;
	ssize_t n;
	int good;

	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)(0xa5 ^ i);
	n = pwrite(fd, data, len, off);
	CHECK(n == (ssize_t)len, desc, "pwrite returned %zd", n);
	n = pread(fd, back, (size_t)(off - from) + len + ctx, from);
	good = n == (ssize_t)((size_t)(off - from) + len + ctx) &&
	       matches(back, from, (size_t)(off - from)) &&
	       memcmp(back + (off - from), data, len) == 0 &&
	       matches(back + (off - from) + len, off + (off_t)len, ctx);
	CHECK(good, "the write reads back, its neighbours unchanged", "n=%zd", n);
	for (size_t i = 0; i < len; i++)
		orig[i] = pattern(off + (off_t)i);
	CHECK_RET(pwrite(fd, orig, len, off), (long)len, "the pattern written back");
}

static void writing(int fd, off_t size)
{
	char c = 'x';
	unsigned char last = pattern(size - 1);

	write_at(fd, 1000, 10, "pwrite of 10 bytes inside one sector");
	write_at(fd, 4090, 20, "pwrite across a page boundary");
	write_at(fd, 8192, 4096, "pwrite of one aligned page");
	write_at(fd, 12345, 65000, "pwrite of 65000 bytes at an odd offset");
	CHECK_RET(pwrite(fd, &c, 1, size - 1), 1, "pwrite of the last byte");
	CHECK_RET(pwrite(fd, &last, 1, size - 1), 1, "the last byte put back");
	CHECK_ERR(pwrite(fd, &c, 1, size), ENOSPC, "pwrite at the end");
	CHECK_ERR(pwrite(fd, bad_ptr, 512, 0), EFAULT, "pwrite from a bad buffer");
	CHECK_OK(fsync(fd), "fsync");
	CHECK_OK(fdatasync(fd), "fdatasync");
}

static void read_only(const char *dev)
{
	unsigned char buf[512];
	int ro = -1, fd = open(dev, O_RDONLY);

	CHECK_OK(fd, "open the read-only disk O_RDONLY");
	if (fd < 0)
		return;
	CHECK_OK(ioctl(fd, BLKROGET, &ro), "BLKROGET of the read-only disk");
	CHECK(ro == 1, "BLKROGET says read-only", "got %d", ro);
	CHECK(pread(fd, buf, 512, 512) == 512 && matches(buf, 512, 512), "read the read-only disk",
	      "mismatch");
	CHECK_ERR(write(fd, buf, 512), EBADF, "write to an O_RDONLY descriptor");
	close(fd);
	fd = open(dev, O_RDWR);
	CHECK_OK(fd, "open the read-only disk O_RDWR (Linux allows it)");
	if (fd < 0)
		return;
	CHECK_ERR(pwrite(fd, buf, 512, 0), EPERM, "write to the read-only disk");
	close(fd);
}

int main(int argc, char **argv)
{
	struct stat st;
	uint64_t size = 0;
	int fd;

	check_init(argv[0]);
	if (argc != 3) {
		check_printf("usage: t_blk RW-DEV RO-DEV\n");
		return 2;
	}
	CHECK_OK(stat(argv[1], &st), "stat the disk");
	CHECK(S_ISBLK(st.st_mode), "it is a block device", "mode %o", st.st_mode);
	CHECK(minor(st.st_rdev) % 16 == 0, "a whole disk's minor is a multiple of 16", "minor %u",
	      minor(st.st_rdev));
	fd = open(argv[1], O_RDWR);
	CHECK_OK(fd, "open the disk O_RDWR");
	if (fd < 0)
		return check_done();
	ioctls(fd, &size);
	seeking(fd, (off_t)size);
	reading(fd, (off_t)size);
	writing(fd, (off_t)size);
	close(fd);
	read_only(argv[2]);
	return check_done();
}
