/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_ext2 DIR -- file syscalls on an ext2 file system mounted at DIR (run by
 * testsuite/blk/ext2-guest.sh for testsuite/aster.guest/ext2.exp, on both
 * kernels): shared mappings and read/write seeing each other, sparse files,
 * truncation, an unlinked open file, hard links, attributes, readdir, and
 * the namespace operations' error paths.
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

static char path_buf[8][PATH_MAX];
static int path_n;

/* DIR/NAME in one of a few rotating buffers. */
static const char *P(const char *dir, const char *name)
{
	char *b = path_buf[path_n++ % 8];

	snprintf(b, PATH_MAX, "%s/%s", dir, name);
	return b;
}

static void test_mmap(const char *d)
{
	const char *f = P(d, "mapped");
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[64] = { 0 };

	CHECK_OK(fd, "create a file to map");
	CHECK_RET(ftruncate(fd, 3 * 4096), 0, "ftruncate to 3 pages");
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap MAP_SHARED", "errno %d", errno);
	if (m == MAP_FAILED)
		return;
	memcpy(m + 4096 + 10, "through the map", 15);
	CHECK_RET(msync(m, 3 * 4096, MS_SYNC), 0, "msync");
	CHECK_RET(pread(fd, buf, 15, 4096 + 10), 15, "pread after a mapped write");
	CHECK(memcmp(buf, "through the map", 15) == 0, "read sees the mapped write", "got '%.15s'", buf);
	CHECK_RET(pwrite(fd, "by write", 8, 2 * 4096), 8, "pwrite");
	CHECK(memcmp(m + 2 * 4096, "by write", 8) == 0, "the mapping sees write(2)", "got '%.8s'", m + 2 * 4096);
	CHECK(m[0] == 0 && m[4095] == 0, "the first page reads as zeros", "got %d %d", m[0], m[4095]);
	CHECK_RET(munmap(m, 3 * 4096), 0, "munmap");
	CHECK_RET(fsync(fd), 0, "fsync");
	CHECK_RET(fdatasync(fd), 0, "fdatasync");
	close(fd);
}

static void test_sparse_truncate(const char *d)
{
	const char *f = P(d, "sparse");
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[4096];
	struct stat st;
	int zero = 1;

	CHECK_OK(fd, "create a sparse file");
	CHECK_RET(pwrite(fd, "end", 3, 5 << 20), 3, "write 5 MiB in");
	CHECK_RET(fstat(fd, &st), 0, "fstat the sparse file");
	CHECK(st.st_size == (5 << 20) + 3, "its size", "got %lld", (long long)st.st_size);
	CHECK(st.st_blocks < 64, "its blocks (a hole)", "got %lld", (long long)st.st_blocks);
	CHECK_RET(pread(fd, buf, sizeof(buf), 1 << 20), sizeof(buf), "read in the hole");
	for (size_t i = 0; i < sizeof(buf); i++)
		zero &= buf[i] == 0;
	CHECK(zero, "the hole reads as zeros", "%s", "non-zero byte");
	CHECK_RET(pwrite(fd, "abcdefgh", 8, 100), 8, "write near the start");
	CHECK_RET(ftruncate(fd, 104), 0, "ftruncate shrinks");
	CHECK_RET(ftruncate(fd, 8192), 0, "ftruncate grows");
	memset(buf, 'x', sizeof(buf));
	CHECK_RET(pread(fd, buf, 16, 100), 16, "read across the old end");
	CHECK(memcmp(buf, "abcd\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0, "what was cut reads as zeros",
	      "got '%.4s'", buf);
	CHECK_ERR(ftruncate(fd, -1), EINVAL, "ftruncate -1: EINVAL");
	close(fd);
	int afd = open(f, O_WRONLY | O_APPEND);
	CHECK_RET(write(afd, "tail", 4), 4, "O_APPEND write");
	CHECK_RET(stat(f, &st), 0, "stat after append");
	CHECK(st.st_size == 8196, "O_APPEND wrote at the end", "size %lld", (long long)st.st_size);
	close(afd);
}

static void test_unlinked_open(const char *d)
{
	const char *f = P(d, "unlinked");
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[16] = { 0 };
	struct stat st;

	CHECK_RET(write(fd, "still here", 10), 10, "write a file to unlink");
	CHECK_RET(unlink(f), 0, "unlink it while open");
	CHECK_ERR(access(f, F_OK), ENOENT, "the name is gone");
	CHECK_RET(pread(fd, buf, 10, 0), 10, "read the unlinked open file");
	CHECK(memcmp(buf, "still here", 10) == 0, "its data", "got '%s'", buf);
	CHECK_RET(fstat(fd, &st), 0, "fstat the unlinked file");
	CHECK(st.st_nlink == 0, "its link count is 0", "got %lu", (unsigned long)st.st_nlink);
	CHECK_RET(write(fd, " and more", 9), 9, "write to the unlinked file");
	close(fd);
}

static void test_links_attrs(const char *d)
{
	const char *a = P(d, "orig"), *b = P(d, "second");
	struct stat sa, sb;
	struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
	int fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	close(fd);
	CHECK_RET(link(a, b), 0, "link");
	CHECK_RET(stat(a, &sa), 0, "stat the original");
	CHECK_RET(stat(b, &sb), 0, "stat the link");
	CHECK(sa.st_ino == sb.st_ino && sa.st_nlink == 2, "one inode, two links",
	      "ino %lu/%lu nlink %lu", (unsigned long)sa.st_ino, (unsigned long)sb.st_ino,
	      (unsigned long)sa.st_nlink);
	CHECK_RET(chmod(b, 0751), 0, "chmod");
	CHECK_RET(utimensat(AT_FDCWD, a, ts, 0), 0, "utimensat");
	CHECK_RET(stat(a, &sa), 0, "stat after chmod and utimensat");
	CHECK((sa.st_mode & 07777) == 0751, "the mode", "got %o", sa.st_mode & 07777);
	CHECK(sa.st_mtime == 1234567890 && sa.st_atime == 1000000000, "the times",
	      "got %ld %ld", (long)sa.st_atime, (long)sa.st_mtime);
	CHECK_RET(unlink(a), 0, "unlink one name");
	CHECK_RET(stat(b, &sb), 0, "stat the other");
	CHECK(sb.st_nlink == 1, "one link left", "got %lu", (unsigned long)sb.st_nlink);
	CHECK_ERR(link(d, P(d, "dirlink")), EPERM, "link to a directory: EPERM");
	CHECK_ERR(link(a, P(d, "x")), ENOENT, "link from a missing name: ENOENT");
	CHECK_ERR(link(b, b), EEXIST, "link onto an existing name: EEXIST");
}

static void test_namespace_errors(const char *d)
{
	char name[300];
	struct statfs sf;

	CHECK_RET(mkdir(P(d, "dd"), 0755), 0, "mkdir");
	CHECK_ERR(mkdir(P(d, "dd"), 0755), EEXIST, "mkdir an existing name: EEXIST");
	CHECK_RET(mkdir(P(d, "dd/sub"), 0755), 0, "mkdir a subdirectory");
	CHECK_ERR(rmdir(P(d, "dd")), ENOTEMPTY, "rmdir a non-empty directory: ENOTEMPTY");
	CHECK_ERR(unlink(P(d, "dd")), EISDIR, "unlink a directory: EISDIR");
	close(open(P(d, "ff"), O_WRONLY | O_CREAT, 0644));
	CHECK_ERR(rmdir(P(d, "ff")), ENOTDIR, "rmdir a file: ENOTDIR");
	CHECK_ERR(open(P(d, "ff"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST,
		  "O_CREAT|O_EXCL on an existing file: EEXIST");
	CHECK_ERR(rename(P(d, "dd"), P(d, "dd/sub/in")), EINVAL,
		  "rename a directory below itself: EINVAL");
	CHECK_ERR(rename(P(d, "ff"), P(d, "dd")), EISDIR, "rename a file over a directory: EISDIR");
	CHECK_RET(mkdir(P(d, "ee"), 0755), 0, "mkdir another");
	CHECK_ERR(rename(P(d, "ee"), P(d, "dd")), ENOTEMPTY,
		  "rename over a non-empty directory: ENOTEMPTY");
	CHECK_ERR(rename(P(d, "ee"), P(d, "ff")), ENOTDIR, "rename a directory over a file: ENOTDIR");
	CHECK_RET(rename(P(d, "ee"), P(d, "dd/sub")), 0, "rename over an empty directory");
	CHECK_RET(rename(P(d, "ff"), P(d, "dd/moved")), 0, "rename into another directory");
	CHECK_RET(access(P(d, "dd/moved"), F_OK), 0, "the moved file is there");
	CHECK_ERR(access(P(d, "ff"), F_OK), ENOENT, "and not at its old name");
	CHECK_ERR(open(P(d, "missing"), O_RDONLY), ENOENT, "open a missing name: ENOENT");
	memset(name, 'n', 256);
	name[256] = 0;
	CHECK_ERR(open(P(d, name), O_WRONLY | O_CREAT, 0644), ENAMETOOLONG,
		  "a 256-byte name: ENAMETOOLONG");
	name[255] = 0;
	int fd = open(P(d, name), O_WRONLY | O_CREAT, 0644);
	CHECK_OK(fd, "a 255-byte name");
	close(fd);
	CHECK_RET(unlink(P(d, name)), 0, "unlink the 255-byte name");
	CHECK_RET(symlink("dd/moved", P(d, "sl")), 0, "symlink");
	CHECK_RET(readlink(P(d, "sl"), name, sizeof(name)), 8, "readlink");
	CHECK_RET(statfs(d, &sf), 0, "statfs");
	CHECK(sf.f_type == 0xEF53, "f_type is EXT2_SUPER_MAGIC", "got %lx", (long)sf.f_type);
	CHECK_RET(mknod(P(d, "fifo"), S_IFIFO | 0644, 0), 0, "mknod a FIFO");
	struct stat st;
	CHECK_RET(stat(P(d, "fifo"), &st), 0, "stat the FIFO");
	CHECK(S_ISFIFO(st.st_mode), "it is a FIFO", "mode %o", st.st_mode);
}

static void test_readdir(const char *d)
{
	char dir[PATH_MAX];
	int seen = 0, dots = 0;
	char n[32];

	snprintf(dir, sizeof(dir), "%s/listing", d);
	CHECK_RET(mkdir(dir, 0755), 0, "mkdir for readdir");
	for (int i = 0; i < 200; i++) {
		snprintf(n, sizeof(n), "entry-%03d", i);
		close(open(P(dir, n), O_WRONLY | O_CREAT, 0644));
	}
	for (int i = 0; i < 200; i += 2) {
		snprintf(n, sizeof(n), "entry-%03d", i);
		unlink(P(dir, n));
	}
	DIR *dp = opendir(dir);
	struct dirent *e;

	CHECK(dp != NULL, "opendir", "errno %d", errno);
	while (dp && (e = readdir(dp))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			dots++;
		else if (e->d_type == DT_REG && !strncmp(e->d_name, "entry-", 6) &&
			 atoi(e->d_name + 6) % 2 == 1)
			seen++;
	}
	if (dp)
		closedir(dp);
	CHECK(seen == 100 && dots == 2, "readdir lists what is left once",
	      "seen %d, dots %d", seen, dots);
}

/*
 * getdents into a buffer that is a shared mapping of a file on the same
 * file system, not yet faulted in: the fault reads the file while the
 * listing is in progress (a lock held across the copy would deadlock).
 */
static void test_readdir_into_mapping(const char *d)
{
	int fd = open(P(d, "dentbuf"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	int dfd = open(d, O_RDONLY | O_DIRECTORY);
	long n = -1, total = 0;
	char *buf = MAP_FAILED;

	CHECK(fd >= 0 && dfd >= 0 && ftruncate(fd, 65536) == 0, "a file and a directory for the listing",
	      "errno %d", errno);
	if (fd >= 0)
		buf = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(buf != MAP_FAILED, "map the buffer file", "errno %d", errno);
	if (buf != MAP_FAILED && dfd >= 0) {
		while ((n = syscall(SYS_getdents64, dfd, buf + total, 65536 - total)) > 0)
			total += n;
		CHECK(n == 0 && total > 0, "getdents64 into a mapping of a file on the same file system",
		      "returned %ld (errno %d) after %ld bytes", n, errno, total);
		munmap(buf, 65536);
	}
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	unlink(P(d, "dentbuf"));
}

int main(int argc, char **argv)
{
	check_init(argv[0]);
	if (argc != 2) {
		fprintf(stderr, "usage: t_ext2 DIR\n");
		return 2;
	}
	test_mmap(argv[1]);
	test_sparse_truncate(argv[1]);
	test_unlinked_open(argv[1]);
	test_links_attrs(argv[1]);
	test_namespace_errors(argv[1]);
	test_readdir(argv[1]);
	test_readdir_into_mapping(argv[1]);
	return check_done();
}
