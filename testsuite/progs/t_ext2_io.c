/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_ext2_io DIR MNT DEV -- file I/O features on an ext2 file system: the
 * device DEV mounted at MNT, DIR a directory in it (run by
 * testsuite/blk/ext2-guest.sh for testsuite/aster.guest/ext2.exp, on both
 * kernels).  Shared mappings reaching the disk across writebacks (the
 * mount is taken down and up again to read what the disk has), two
 * mappings and read(2) agreeing, MAP_PRIVATE not writing through, msync's
 * error paths, fallocate, posix_fadvise, O_DIRECT, remounting read-only
 * and back, and the mount options.
 */
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>

#define PG 4096

static const char *dir, *mnt, *dev;

static const char *P(const char *name)
{
	static char b[4][PATH_MAX];
	static int n;
	char *p = b[n++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

/* Unmount and mount again: what is read next comes from the disk. */
static int remount_from_disk(void)
{
	if (umount2(mnt, 0) < 0)
		return -1;
	return mount(dev, mnt, "ext2", 0, NULL);
}

/* The bytes of NAME at off equal s (read with pread). */
static int file_has(const char *name, off_t off, const char *s)
{
	char buf[64] = { 0 };
	int fd = open(P(name), O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = pread(fd, buf, strlen(s), off);
	close(fd);
	return n == (ssize_t)strlen(s) && memcmp(buf, s, strlen(s)) == 0;
}

static void test_shared_writeback(void)
{
	int fd = open(P("shared"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[16] = { 0 };

	CHECK_OK(fd, "create the shared file");
	CHECK_RET(ftruncate(fd, 3 * PG), 0, "ftruncate to 3 pages");
	char *m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *m2 = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED && m2 != MAP_FAILED && p != MAP_FAILED, "three mappings", "errno %d", errno);
	if (m == MAP_FAILED || m2 == MAP_FAILED || p == MAP_FAILED)
		return;
	memcpy(m + 10, "first", 5);
	CHECK_RET(msync(m, 3 * PG, MS_SYNC), 0, "msync MS_SYNC");
	/* The same page again, after its writeback: it must be dirtied again. */
	memcpy(m + 100, "second", 6);
	memcpy(m + PG + 5, "third", 5);
	CHECK_RET(fsync(fd), 0, "fsync after stores past the writeback");
	memcpy(m + 200, "fourth", 6);
	CHECK_RET(msync(m, PG, MS_ASYNC), 0, "msync MS_ASYNC");
	CHECK_RET(msync(m, PG, MS_INVALIDATE), 0, "msync MS_INVALIDATE");
	memcpy(m + 300, "fifth", 5);
	CHECK_RET(msync(m + PG, PG, MS_SYNC | MS_INVALIDATE), 0, "msync MS_SYNC|MS_INVALIDATE of another page");
	CHECK(memcmp(m2 + 100, "second", 6) == 0, "the second mapping sees the first's store",
	      "got '%.6s'", m2 + 100);
	memcpy(m2 + 2 * PG + 7, "fromtwo", 7);
	CHECK(memcmp(m + 2 * PG + 7, "fromtwo", 7) == 0, "the first mapping sees the second's store",
	      "got '%.7s'", m + 2 * PG + 7);
	CHECK_RET(pread(fd, buf, 7, 2 * PG + 7), 7, "pread");
	CHECK(memcmp(buf, "fromtwo", 7) == 0, "read(2) sees a mapped store", "got '%.7s'", buf);
	CHECK(memcmp(p + 100, "second", 6) == 0, "MAP_PRIVATE sees the file before its own store",
	      "got '%.6s'", p + 100);
	memcpy(p + 400, "private", 7);
	CHECK(memcmp(m + 400, "private", 7) != 0, "a MAP_PRIVATE store does not reach the shared mapping", "it does");
	CHECK_RET(msync(p, 3 * PG, MS_SYNC), 0, "msync of a private file mapping");
	CHECK_RET(msync(m, 3 * PG, MS_SYNC), 0, "msync MS_SYNC of everything");
	memcpy(m + 500, "sixth", 5);	/* only the unmount writes this one */
	munmap(m, 3 * PG);
	munmap(m2, 3 * PG);
	munmap(p, 3 * PG);
	close(fd);
	CHECK_RET(remount_from_disk(), 0, "umount and mount again");
	CHECK(file_has("shared", 10, "first"), "the disk has the store before msync", "missing");
	CHECK(file_has("shared", 100, "second"), "the disk has the store after msync's writeback", "missing");
	CHECK(file_has("shared", PG + 5, "third"), "the disk has the store to the second page", "missing");
	CHECK(file_has("shared", 200, "fourth"), "the disk has the store after fsync's writeback", "missing");
	CHECK(file_has("shared", 300, "fifth"), "the disk has the store after MS_INVALIDATE", "missing");
	CHECK(file_has("shared", 2 * PG + 7, "fromtwo"), "the disk has the second mapping's store", "missing");
	CHECK(file_has("shared", 500, "sixth"), "the disk has the store the unmount wrote", "missing");
	CHECK(!file_has("shared", 400, "private"), "the disk lacks the MAP_PRIVATE store", "it has it");
}

/* Writes through a mapping many times with writebacks between: each reaches the disk. */
static void test_rewrite_loop(void)
{
	int fd = open(P("loop"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *m;
	int i;

	CHECK_OK(fd, "create the loop file");
	CHECK_RET(ftruncate(fd, PG), 0, "ftruncate to a page");
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap the loop file", "errno %d", errno);
	if (m == MAP_FAILED)
		return;
	for (i = 0; i < 20; i++) {
		snprintf(m, 16, "round %02d", i);
		if (msync(m, PG, MS_SYNC) < 0)
			break;
	}
	CHECK_RET(i, 20, "20 stores each followed by msync");
	munmap(m, PG);
	close(fd);
	CHECK_RET(remount_from_disk(), 0, "umount and mount again");
	CHECK(file_has("loop", 0, "round 19"), "the disk has the last round", "missing");
	fd = open(P("loop"), O_RDWR);
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap the loop file again", "errno %d", errno);
	if (m == MAP_FAILED)
		return;
	memcpy(m + 32, "dirty", 5);
	CHECK_RET(msync(m, PG, MS_SYNC), 0, "msync");
	/* mprotect back and forth must not make a clean page writable unseen. */
	CHECK_RET(mprotect(m, PG, PROT_READ), 0, "mprotect read-only");
	CHECK_RET(mprotect(m, PG, PROT_READ | PROT_WRITE), 0, "mprotect read-write");
	memcpy(m + 64, "after mprotect", 14);
	CHECK_RET(fsync(fd), 0, "fsync");
	munmap(m, PG);
	close(fd);
	CHECK_RET(remount_from_disk(), 0, "umount and mount again");
	CHECK(file_has("loop", 32, "dirty"), "the disk has the store before mprotect", "missing");
	CHECK(file_has("loop", 64, "after mprotect"), "the disk has the store after mprotect", "missing");
}

static void test_msync_errors(void)
{
	char *a = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(a != MAP_FAILED, "mmap 3 anonymous pages", "errno %d", errno);
	if (a == MAP_FAILED)
		return;
	CHECK_ERR(msync(a + 1, PG, MS_SYNC), EINVAL, "msync at an unaligned address");
	CHECK_ERR(msync(a, PG, MS_SYNC | MS_ASYNC), EINVAL, "msync MS_SYNC|MS_ASYNC");
	CHECK_ERR(msync(a, PG, 0x100), EINVAL, "msync with an unknown flag");
	CHECK_RET(msync(a, 0, MS_SYNC), 0, "msync of nothing");
	CHECK_RET(munmap(a + PG, PG), 0, "munmap the middle page");
	CHECK_ERR(msync(a, 3 * PG, MS_SYNC), ENOMEM, "msync MS_SYNC over a hole");
	CHECK_ERR(msync(a + PG, PG, MS_ASYNC), ENOMEM, "msync MS_ASYNC of an unmapped page");
	CHECK_RET(msync(a, PG, MS_ASYNC), 0, "msync MS_ASYNC of a mapped page");
	munmap(a, 3 * PG);
}

/* Linux's ext4 driver, mounting an ext2 image, preallocates only for extent files. */
static void test_fallocate(void)
{
	int fd = open(P("falloc"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	struct stat st;

	CHECK_OK(fd, "create a file to fallocate");
	CHECK_ERR(fallocate(fd, 0, 0, 8 * PG), EOPNOTSUPP, "fallocate mode 0");
	CHECK_ERR(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8 * PG), EOPNOTSUPP, "fallocate KEEP_SIZE");
	CHECK_ERR(fallocate(fd, 0, -1, PG), EINVAL, "fallocate at a negative offset");
	CHECK_ERR(fallocate(fd, 0, 0, 0), EINVAL, "fallocate of no bytes");
	CHECK_RET(fstat(fd, &st), 0, "fstat");
	CHECK(st.st_size == 0 && st.st_blocks == 0, "the file is still empty",
	      "size %lld blocks %lld", (long long)st.st_size, (long long)st.st_blocks);
	close(fd);
	fd = open(P("falloc"), O_RDONLY);
	CHECK_ERR(fallocate(fd, 0, 0, PG), EBADF, "fallocate on a read-only descriptor");
	close(fd);
}

/* Pages of the NAME's first n pages in the page cache (mincore of a fresh mapping). */
static int resident(int fd, int n)
{
	unsigned char vec[16];
	int count = 0;
	void *m = mmap(NULL, (size_t)n * PG, PROT_READ, MAP_SHARED, fd, 0);

	if (m == MAP_FAILED)
		return -1;
	if (mincore(m, (size_t)n * PG, vec) == 0)
		for (int i = 0; i < n; i++)
			count += vec[i] & 1;
	munmap(m, (size_t)n * PG);
	return count;
}

static void test_fadvise(void)
{
	int fd = open(P("advised"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[8 * PG];
	int pfd[2], r = -1;

	CHECK_OK(fd, "create a file to advise");
	memset(buf, 'a', sizeof(buf));
	CHECK_RET(write(fd, buf, sizeof(buf)), (long)sizeof(buf), "write 8 pages");
	CHECK_RET(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0, "DONTNEED of dirty pages");
	CHECK_RET(fsync(fd), 0, "fsync");
	CHECK_RET(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0, "DONTNEED of the whole file");
	CHECK_RET(resident(fd, 8), 0, "DONTNEED dropped the pages from the cache");
	CHECK_RET(posix_fadvise(fd, 0, 4 * PG, POSIX_FADV_WILLNEED), 0, "WILLNEED of 4 pages");
	/* Linux reads ahead asynchronously: give it a moment. */
	for (int i = 0; i < 100 && (r = resident(fd, 8)) < 4; i++)
		usleep(10000);
	CHECK(r >= 4, "WILLNEED read the pages in", "%d resident", r);
	CHECK_RET(pread(fd, buf, PG, 3 * PG), PG, "read after WILLNEED");
	CHECK(buf[0] == 'a' && buf[PG - 1] == 'a', "the data is the file's", "got %c", buf[0]);
	CHECK_RET(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0, "SEQUENTIAL");
	CHECK_RET(posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM), 0, "RANDOM");
	CHECK_RET(posix_fadvise(fd, 0, 0, POSIX_FADV_NOREUSE), 0, "NOREUSE");
	CHECK_RET(posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL), 0, "NORMAL");
	CHECK_RET(posix_fadvise(fd, 0, 0, 99), EINVAL, "an unknown advice");
	CHECK_RET(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL), EINVAL, "a negative length");
	close(fd);
	CHECK_RET(posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL), EBADF, "a closed descriptor");
	CHECK_OK(pipe(pfd), "pipe");
	CHECK_RET(posix_fadvise(pfd[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE, "a pipe");
	close(pfd[0]);
	close(pfd[1]);
}

static void test_direct(void)
{
	int fd = open(P("direct"), O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	char *buf = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int bfd;

	CHECK_OK(fd, "open O_DIRECT");
	if (fd < 0 || buf == MAP_FAILED)
		return;
	CHECK(fcntl(fd, F_GETFL) & O_DIRECT, "F_GETFL shows O_DIRECT", "flags %#x", fcntl(fd, F_GETFL));
	memset(buf, 'd', 2 * PG);
	CHECK_RET(pwrite(fd, buf, 2 * PG, 0), 2 * PG, "an aligned direct write");
	CHECK_ERR(pwrite(fd, buf + 1, PG, 0), EINVAL, "a direct write from an unaligned buffer");
	CHECK_ERR(pwrite(fd, buf, PG, 100), EINVAL, "a direct write at an unaligned offset");
	CHECK_ERR(pwrite(fd, buf, 100, 0), EINVAL, "a direct write of an unaligned length");
	CHECK_ERR(pread(fd, buf, PG, 7), EINVAL, "a direct read at an unaligned offset");
	memset(buf, 0, 2 * PG);
	CHECK_RET(pread(fd, buf, 2 * PG, 0), 2 * PG, "an aligned direct read");
	CHECK(buf[0] == 'd' && buf[2 * PG - 1] == 'd', "it reads what was written", "got %d", buf[0]);
	/* A buffered descriptor of the same file sees the direct write, and the other way round. */
	bfd = open(P("direct"), O_RDWR);
	CHECK_RET(pwrite(bfd, "buffered", 8, PG), 8, "a buffered write");
	CHECK_RET(pread(fd, buf, PG, PG), PG, "a direct read of it");
	CHECK(memcmp(buf, "buffered", 8) == 0, "the direct read sees the buffered write", "got '%.8s'", buf);
	close(bfd);
	CHECK_RET(fcntl(fd, F_SETFL, 0), 0, "F_SETFL clears O_DIRECT");
	CHECK_RET(pwrite(fd, "x", 1, 3), 1, "an unaligned buffered write");
	CHECK_RET(fcntl(fd, F_SETFL, O_DIRECT), 0, "F_SETFL sets O_DIRECT");
	close(fd);
	munmap(buf, 4 * PG);
	CHECK_RET(remount_from_disk(), 0, "umount and mount again");
	CHECK(file_has("direct", 0, "ddd") && file_has("direct", 3, "x") && file_has("direct", PG, "buffered"),
	      "the disk has the direct and buffered writes", "missing");
}

/* The options /proc/mounts shows for MNT, or "". */
static const char *mount_opts(void)
{
	static char line[512], opts[256];
	FILE *f = fopen("/proc/mounts", "r");
	char want[PATH_MAX + 2];

	opts[0] = 0;
	snprintf(want, sizeof(want), " %s ", mnt);
	while (f && fgets(line, sizeof(line), f)) {
		char d[128], m[256], t[32], o[256];

		if (!strstr(line, want) || sscanf(line, "%127s %255s %31s %255s", d, m, t, o) != 4)
			continue;
		snprintf(opts, sizeof(opts), "%s", o);
	}
	if (f)
		fclose(f);
	return opts;
}

/*
 * Mount with opt (after an unmount): the errno (0: mounted) and whether
 * /proc/mounts shows `shown` among the options.  Mounted plainly again
 * when refused.
 */
static int mount_with(const char *opt, const char *shown, int *has)
{
	int r, e;

	umount2(mnt, 0);
	r = mount(dev, mnt, "ext2", 0, opt);
	e = r < 0 ? errno : 0;
	*has = r == 0 && strstr(mount_opts(), shown) != NULL;
	if (r < 0)
		mount(dev, mnt, "ext2", 0, NULL);
	return e;
}

/* Debian's Linux (ext4 mounting an ext2 image made with s_errors "continue"). */
static void test_options(void)
{
	int has;

	CHECK_RET(mount_with("errors=continue", "errors=", &has), 0, "mount -o errors=continue");
	CHECK(!has, "errors=continue, the superblock's default, is not shown", "shown: %s", mount_opts());
	CHECK_RET(mount_with("errors=remount-ro", "errors=remount-ro", &has), 0, "mount -o errors=remount-ro");
	CHECK(has, "/proc/mounts shows errors=remount-ro", "got %s", mount_opts());
	CHECK_RET(mount_with("user_xattr,errors=panic", "errors=panic", &has), 0, "mount -o user_xattr,errors=panic");
	CHECK(has, "/proc/mounts shows errors=panic", "got %s", mount_opts());
	CHECK_RET(mount(NULL, mnt, NULL, MS_REMOUNT, "errors=continue"), 0, "remount -o errors=continue");
	CHECK(!strstr(mount_opts(), "errors="), "errors= is gone from /proc/mounts", "got %s", mount_opts());
	CHECK_RET(mount_with("acl", "acl", &has), 0, "mount -o acl");
	CHECK(!has, "acl, a default, is not shown", "got %s", mount_opts());
	CHECK_RET(mount_with("errors=bogus", "", &has), EINVAL, "mount -o errors=bogus");
	CHECK_RET(mount_with("nouser_xattr", "", &has), EINVAL, "mount -o nouser_xattr");
	CHECK_RET(mount_with("noacl", "", &has), EINVAL, "mount -o noacl");
	CHECK_RET(mount_with("bogus", "", &has), EINVAL, "mount -o bogus");
	CHECK_ERR(mount(NULL, mnt, NULL, MS_REMOUNT, "bogus"), EINVAL, "remount -o bogus");
	CHECK_RET(mount_with("", "", &has), 0, "mount with an empty option string");
}

static void test_remount(void)
{
	int fd = open(P("remount"), O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK_OK(fd, "create a file");
	CHECK_RET(write(fd, "before", 6), 6, "write");
	CHECK_ERR(mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY,
		  "remount read-only with a file open for writing");
	close(fd);
	fd = open(P("unlinked"), O_RDONLY | O_CREAT, 0644);
	CHECK_RET(unlink(P("unlinked")), 0, "unlink an open file");
	CHECK_ERR(mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY,
		  "remount read-only with an open unlinked file");
	close(fd);
	CHECK_RET(mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0, "remount read-only");
	CHECK(strncmp(mount_opts(), "ro", 2) == 0, "/proc/mounts shows ro", "got %s", mount_opts());
	CHECK_ERR(open(P("new"), O_RDWR | O_CREAT, 0644), EROFS, "create on the read-only mount");
	CHECK(file_has("remount", 0, "before"), "the file reads back", "missing");
	CHECK_RET(mount(NULL, mnt, NULL, MS_REMOUNT, NULL), 0, "remount read-write");
	CHECK(strncmp(mount_opts(), "rw", 2) == 0, "/proc/mounts shows rw", "got %s", mount_opts());
	fd = open(P("new"), O_RDWR | O_CREAT, 0644);
	CHECK_OK(fd, "create on the read-write mount");
	close(fd);
}

int main(int argc, char **argv)
{
	check_init(argv[0]);
	if (argc != 4) {
		fprintf(stderr, "usage: t_ext2_io DIR MNT DEV\n");
		return 2;
	}
	dir = argv[1];
	mnt = argv[2];
	dev = argv[3];
	test_shared_writeback();
	test_rewrite_loop();
	test_msync_errors();
	test_fallocate();
	test_fadvise();
	test_direct();
	test_remount();
	test_options();
	return check_done();
}
