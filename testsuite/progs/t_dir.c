/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_dir -- directories and names: mkdir/mkdirat/rmdir, unlink/unlinkat,
 * rename/renameat2, link, symlink/readlink, getdents64, ELOOP,
 * chdir/fchdir/getcwd, stat/lstat/fstat/newfstatat/statx, access/faccessat,
 * chmod/fchmod, truncate/ftruncate, utimensat; the name cache: lookups
 * after rename, unlink and mount/umount, many names in one directory, and
 * path lengths around the kernel's short-path buffer and PATH_MAX.
 */
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

/* struct statx as in <linux/stat.h> (musl-gcc has no kernel headers). */
struct t_statx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t pad; };
struct t_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct t_statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};
#define T_STATX_BASIC_STATS 0x7ffU
#define T_RENAME_NOREPLACE 1
#define T_RENAME_EXCHANGE 2

struct t_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int write_file(const char *name, const char *data)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, data, strlen(data));
	close(fd);
	return n == (ssize_t)strlen(data) ? 0 : -1;
}

static int read_file(const char *name, char *buf, size_t len)
{
	int fd = open(name, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return (int)n;
}

/* A path of exactly len characters naming target: "./" repeated, then target. */
static char *padded_path(size_t len, const char *target)
{
	size_t t = strlen(target), i = 0;
	char *p = malloc(len + 1);

	if (!p || len < t + 2)
		return p;
	if ((len - t) % 2) {
		memcpy(p, ".//", 3);	/* an odd length: one doubled slash */
		i = 3;
	}
	for (; i + t < len; i += 2)
		memcpy(p + i, "./", 2);
	memcpy(p + i, target, t + 1);
	return p;
}

/* Names found, renamed, removed and hidden by mounts; long paths. Runs in the scratch dir. */
static void test_name_cache(void)
{
	struct stat st;
	char name[32];
	int ok = 1;

	CHECK_RET(mkdir("nc", 0755), 0, "name cache: mkdir");
	CHECK_RET(write_file("nc/a", "a"), 0, "name cache: create nc/a");
	CHECK_RET(stat("nc/a", &st), 0, "name cache: stat nc/a");
	CHECK_RET(rename("nc/a", "nc/b"), 0, "name cache: rename a to b");
	CHECK_ERR(stat("nc/a", &st), ENOENT, "name cache: old name gone after rename");
	CHECK_RET(stat("nc/b", &st), 0, "name cache: new name found after rename");
	CHECK_RET(rename("nc", "nc2"), 0, "name cache: rename the directory");
	CHECK_ERR(stat("nc/b", &st), ENOENT, "name cache: old directory name gone");
	CHECK_RET(stat("nc2/b", &st), 0, "name cache: child found under the new directory name");
	CHECK_RET(unlink("nc2/b"), 0, "name cache: unlink");
	CHECK_ERR(stat("nc2/b", &st), ENOENT, "name cache: unlinked name gone");

	/* Many names in one directory: each found, a missing one not. */
	for (int i = 0; i < 200 && ok; i++) {
		snprintf(name, sizeof name, "nc2/n%d", i);
		ok = write_file(name, "x") == 0;
	}
	for (int i = 0; i < 200 && ok; i++) {
		snprintf(name, sizeof name, "nc2/n%d", i);
		ok = stat(name, &st) == 0 && st.st_size == 1;
	}
	CHECK(ok, "name cache: 200 names in one directory each found", "failed at %s", name);
	CHECK_ERR(stat("nc2/n200", &st), ENOENT, "name cache: a name not created is not found");
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "nc2/n%d", i);
		unlink(name);
	}

	/* Path lengths: 255, 256 and 257 characters, 4095 (PATH_MAX - 1), 4096. */
	CHECK_RET(write_file("nc2/t", "t"), 0, "long paths: create nc2/t");
	size_t lens[] = { 255, 256, 257, PATH_MAX - 1 };
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		char *p = padded_path(lens[i], "nc2/t"), desc[64];

		snprintf(desc, sizeof desc, "long paths: stat through a path of %zu chars", lens[i]);
		CHECK(p && strlen(p) == lens[i] && stat(p, &st) == 0 && st.st_size == 1, desc,
		      "errno %d", errno);
		free(p);
	}
	char *p = padded_path(PATH_MAX, "nc2/t");
	CHECK_ERR(p ? stat(p, &st) : -1, ENAMETOOLONG, "long paths: PATH_MAX chars ENAMETOOLONG");
	int fd = p ? open(p, O_RDONLY) : 0;
	CHECK(fd < 0 && errno == ENAMETOOLONG, "long paths: open of PATH_MAX chars ENAMETOOLONG",
	      "fd %d errno %d", fd, errno);
	free(p);
	unlink("nc2/t");

	/* A mount hides the directory's names; umount shows them again. */
	CHECK_RET(mkdir("nc2/m", 0755), 0, "mounts: mkdir nc2/m");
	CHECK_RET(write_file("nc2/m/under", "u"), 0, "mounts: a file under the mount point");
	if (mount("t_dir", "nc2/m", "tmpfs", 0, "size=1m") != 0) {
		check_printf("# mount tmpfs: errno %d, skipping the mount checks\n", errno);
	} else {
		CHECK_ERR(stat("nc2/m/under", &st), ENOENT, "mounts: the mount hides the name under it");
		CHECK_RET(write_file("nc2/m/over", "o"), 0, "mounts: create a file on the mounted fs");
		CHECK_RET(stat("nc2/m/over", &st), 0, "mounts: found on the mounted fs");
		CHECK_RET(umount("nc2/m"), 0, "mounts: umount");
		CHECK_ERR(stat("nc2/m/over", &st), ENOENT, "mounts: the mounted fs's name gone after umount");
		CHECK_RET(stat("nc2/m/under", &st), 0, "mounts: the name under it found again");
	}
	unlink("nc2/m/under");
	rmdir("nc2/m");
	CHECK_RET(rmdir("nc2"), 0, "name cache: rmdir (empty again)");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	char dir[64] = "/tmp/t_dir.XXXXXX", buf[PATH_MAX];
	if (!mkdtemp(dir) || chdir(dir) != 0) {
		check_printf("not ok 1 - scratch directory: errno %d\n", errno);
		return 1;
	}

	/* getcwd, chdir, fchdir */
	CHECK(syscall(SYS_getcwd, buf, sizeof buf) > 0 && strcmp(buf, dir) == 0,
	      "getcwd after chdir", "got '%s', want '%s'", buf, dir);
	CHECK_ERR(syscall(SYS_getcwd, buf, 2), ERANGE, "getcwd small buffer ERANGE");
	CHECK_ERR(chdir("nonexistent"), ENOENT, "chdir missing ENOENT");
	write_file("f", "0123456789");
	CHECK_ERR(chdir("f"), ENOTDIR, "chdir to file ENOTDIR");
	int dfd = open(".", O_RDONLY | O_DIRECTORY);

	/* mkdir, mkdirat, rmdir */
	CHECK_RET(mkdir("d", 0755), 0, "mkdir");
	CHECK_ERR(mkdir("d", 0755), EEXIST, "mkdir existing EEXIST");
	CHECK_ERR(mkdir("f", 0755), EEXIST, "mkdir over file EEXIST");
	CHECK_ERR(mkdir("none/x", 0755), ENOENT, "mkdir missing parent ENOENT");
	CHECK_ERR(mkdir("f/x", 0755), ENOTDIR, "mkdir under file ENOTDIR");
	CHECK_RET(mkdirat(dfd, "d/sub", 0700), 0, "mkdirat");
	CHECK_RET(chdir("d/sub"), 0, "chdir into subdir");
	snprintf(buf, sizeof buf, "%s/d/sub", dir);
	char cwd[PATH_MAX];
	CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, buf) == 0, "getcwd in subdir",
	      "got '%s', want '%s'", cwd, buf);
	CHECK_RET(chdir(".."), 0, "chdir ..");
	CHECK_RET(fchdir(dfd), 0, "fchdir back");
	CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0, "getcwd after fchdir",
	      "got '%s'", cwd);
	int ffd = open("f", O_RDONLY);
	CHECK_ERR(fchdir(ffd), ENOTDIR, "fchdir to file ENOTDIR");
	CHECK_ERR(fchdir(9999), EBADF, "fchdir bad fd EBADF");
	CHECK_ERR(rmdir("d"), ENOTEMPTY, "rmdir non-empty ENOTEMPTY");
	CHECK_ERR(rmdir("f"), ENOTDIR, "rmdir file ENOTDIR");
	CHECK_ERR(rmdir("nonexistent"), ENOENT, "rmdir missing ENOENT");
	CHECK_ERR(rmdir("d/sub/."), EINVAL, "rmdir ending in . EINVAL");
	CHECK_ERR(unlink("d"), EISDIR, "unlink directory EISDIR");
	CHECK_ERR(unlinkat(dfd, "d/sub", 0), EISDIR, "unlinkat directory without AT_REMOVEDIR EISDIR");
	CHECK_RET(unlinkat(dfd, "d/sub", AT_REMOVEDIR), 0, "unlinkat AT_REMOVEDIR");
	CHECK_ERR(unlinkat(dfd, "f", AT_REMOVEDIR), ENOTDIR, "unlinkat AT_REMOVEDIR on file ENOTDIR");
	CHECK_ERR(unlinkat(dfd, "f", 0x1234), EINVAL, "unlinkat bad flags EINVAL");

	/* link, stat fields, unlink */
	struct stat st, st2;
	CHECK_RET(link("f", "g"), 0, "link");
	CHECK_ERR(link("f", "g"), EEXIST, "link to existing name EEXIST");
	CHECK_ERR(link("nonexistent", "h"), ENOENT, "link missing source ENOENT");
	CHECK_RET(stat("f", &st), 0, "stat");
	CHECK(st.st_nlink == 2, "st_nlink is 2 after link", "got %lu", (unsigned long)st.st_nlink);
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644, "st_mode regular 0644",
	      "got %o", st.st_mode);
	CHECK(st.st_size == 10, "st_size", "got %lld", (long long)st.st_size);
	CHECK(st.st_uid == getuid() && st.st_gid == getgid(), "st_uid/st_gid are ours",
	      "got %u/%u", st.st_uid, st.st_gid);
	CHECK(st.st_blksize > 0, "st_blksize > 0", "got %ld", (long)st.st_blksize);
	CHECK_RET(stat("g", &st2), 0, "stat the link");
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev, "link shares the inode",
	      "ino %lu vs %lu", (unsigned long)st.st_ino, (unsigned long)st2.st_ino);
	CHECK_RET(fstat(ffd, &st2), 0, "fstat");
	CHECK(st.st_ino == st2.st_ino, "fstat matches stat", "ino %lu vs %lu",
	      (unsigned long)st.st_ino, (unsigned long)st2.st_ino);
	CHECK_RET(syscall(SYS_newfstatat, dfd, "f", &st2, 0), 0, "newfstatat");
	CHECK(st.st_ino == st2.st_ino, "newfstatat matches stat", "ino differs");
	CHECK_RET(syscall(SYS_newfstatat, ffd, "", &st2, AT_EMPTY_PATH), 0, "newfstatat AT_EMPTY_PATH");
	CHECK_ERR(syscall(SYS_newfstatat, dfd, "f", &st2, 0x12340000), EINVAL, "newfstatat bad flags EINVAL");
	CHECK_ERR(syscall(SYS_stat, "f", BADPTR), EFAULT, "stat bad buffer EFAULT");
	CHECK_ERR(stat("nonexistent", &st2), ENOENT, "stat missing ENOENT");
	CHECK_ERR(stat("f/x", &st2), ENOTDIR, "stat through file ENOTDIR");
	CHECK_RET(stat(".", &st2), 0, "stat directory");
	CHECK(S_ISDIR(st2.st_mode), "directory S_ISDIR", "mode %o", st2.st_mode);
	CHECK(st2.st_nlink >= 2, "directory st_nlink >= 2", "got %lu", (unsigned long)st2.st_nlink);
	struct t_statx sx;
	memset(&sx, 0, sizeof sx);
	CHECK_RET(syscall(SYS_statx, dfd, "f", 0, T_STATX_BASIC_STATS, &sx), 0, "statx");
	CHECK((sx.stx_mask & 0x7ff) == 0x7ff || (sx.stx_mask & 0x1ff) == 0x1ff,
	      "statx mask has the basic fields", "mask %#x", sx.stx_mask);
	CHECK(sx.stx_ino == st.st_ino && sx.stx_size == 10 && sx.stx_nlink == 2 &&
	      (sx.stx_mode & 0xffff) == (st.st_mode & 0xffff),
	      "statx fields match stat", "ino %llu size %llu nlink %u mode %o",
	      (unsigned long long)sx.stx_ino, (unsigned long long)sx.stx_size,
	      sx.stx_nlink, sx.stx_mode);
	CHECK((long long)sx.stx_mtime.tv_sec == (long long)st.st_mtime, "statx mtime matches stat",
	      "%lld vs %lld", (long long)sx.stx_mtime.tv_sec, (long long)st.st_mtime);
	CHECK_ERR(syscall(SYS_statx, dfd, "f", 0, 0x80000000U, &sx), EINVAL, "statx reserved mask bit EINVAL");
	CHECK_ERR(syscall(SYS_statx, dfd, "f", 0, T_STATX_BASIC_STATS, BADPTR), EFAULT, "statx bad buffer EFAULT");
	CHECK_RET(unlink("g"), 0, "unlink");
	CHECK_ERR(unlink("g"), ENOENT, "unlink missing ENOENT");
	CHECK_RET(fstat(ffd, &st2), 0, "fstat after unlink of the other name");
	CHECK(st2.st_nlink == 1, "st_nlink back to 1", "got %lu", (unsigned long)st2.st_nlink);

	/* symlink, readlink, lstat, ELOOP */
	CHECK_RET(symlink("f", "s"), 0, "symlink");
	CHECK_ERR(symlink("f", "s"), EEXIST, "symlink existing EEXIST");
	memset(buf, 0, sizeof buf);
	CHECK_RET(readlink("s", buf, sizeof buf), 1, "readlink length");
	CHECK(strcmp(buf, "f") == 0, "readlink target", "got '%s'", buf);
	CHECK_ERR(syscall(SYS_readlink, "s", buf, 0), EINVAL, "readlink size 0 EINVAL");
	CHECK_ERR(readlink("f", buf, sizeof buf), EINVAL, "readlink on a file EINVAL");
	CHECK_ERR(readlink("nonexistent", buf, sizeof buf), ENOENT, "readlink missing ENOENT");
	CHECK_RET(lstat("s", &st2), 0, "lstat");
	CHECK(S_ISLNK(st2.st_mode) && st2.st_size == 1, "lstat sees the symlink",
	      "mode %o size %lld", st2.st_mode, (long long)st2.st_size);
	CHECK_RET(stat("s", &st2), 0, "stat follows the symlink");
	CHECK(S_ISREG(st2.st_mode) && st2.st_ino == st.st_ino, "stat of symlink is the target",
	      "mode %o", st2.st_mode);
	CHECK_RET(symlink("loop2", "loop1"), 0, "symlink loop1");
	CHECK_RET(symlink("loop1", "loop2"), 0, "symlink loop2");
	CHECK_ERR(open("loop1", O_RDONLY), ELOOP, "open symlink loop ELOOP");
	CHECK_ERR(stat("loop1", &st2), ELOOP, "stat symlink loop ELOOP");
	CHECK_ERR(open("s", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on symlink ELOOP");
	CHECK_RET(symlink("nonexistent", "dangling"), 0, "dangling symlink");
	CHECK_ERR(stat("dangling", &st2), ENOENT, "stat dangling symlink ENOENT");
	CHECK_RET(lstat("dangling", &st2), 0, "lstat dangling symlink");

	/* rename, renameat2 */
	write_file("r1", "one");
	write_file("r2", "two");
	CHECK_RET(rename("r1", "r3"), 0, "rename");
	CHECK_ERR(stat("r1", &st2), ENOENT, "old name gone after rename");
	CHECK(read_file("r3", buf, sizeof buf) == 3 && strcmp(buf, "one") == 0,
	      "new name has the data", "got '%s'", buf);
	CHECK_RET(rename("r3", "r2"), 0, "rename over existing file");
	CHECK(read_file("r2", buf, sizeof buf) == 3 && strcmp(buf, "one") == 0,
	      "rename replaced the target", "got '%s'", buf);
	CHECK_ERR(rename("nonexistent", "x"), ENOENT, "rename missing ENOENT");
	CHECK_ERR(rename("r2", "d"), EISDIR, "rename file over directory EISDIR");
	mkdir("e", 0755);
	write_file("e/x", "x");
	CHECK_ERR(rename("d", "e"), ENOTEMPTY, "rename dir over non-empty dir ENOTEMPTY");
	CHECK_ERR(rename("d", "r2"), ENOTDIR, "rename dir over file ENOTDIR");
	CHECK_ERR(rename("d", "d/inside"), EINVAL, "rename dir into itself EINVAL");
	write_file("r4", "four");
	CHECK_ERR(syscall(SYS_renameat2, dfd, "r4", dfd, "r2", T_RENAME_NOREPLACE), EEXIST,
		  "renameat2 RENAME_NOREPLACE existing EEXIST");
	CHECK_RET(syscall(SYS_renameat2, dfd, "r4", dfd, "r5", T_RENAME_NOREPLACE), 0,
		  "renameat2 RENAME_NOREPLACE to new name");
	CHECK_RET(syscall(SYS_renameat2, dfd, "r5", dfd, "r2", T_RENAME_EXCHANGE), 0,
		  "renameat2 RENAME_EXCHANGE");
	CHECK(read_file("r2", buf, sizeof buf) == 4 && strcmp(buf, "four") == 0,
	      "RENAME_EXCHANGE swapped the files", "got '%s'", buf);
	CHECK_ERR(syscall(SYS_renameat2, dfd, "r5", dfd, "r2", 3), EINVAL,
		  "renameat2 NOREPLACE|EXCHANGE EINVAL");

	/* getdents64 */
	int gfd = open("e", O_RDONLY | O_DIRECTORY);
	write_file("e/y", "y");
	mkdir("e/z", 0755);
	char dbuf[1024];
	long n = CHECK_OK(syscall(SYS_getdents64, gfd, dbuf, sizeof dbuf), "getdents64");
	int seen = 0, total = 0, zdir = 0;
	for (long off = 0; off < n;) {
		struct t_dirent64 *de = (struct t_dirent64 *)(dbuf + off);
		total++;
		if (!strcmp(de->d_name, ".")) seen |= 1;
		else if (!strcmp(de->d_name, "..")) seen |= 2;
		else if (!strcmp(de->d_name, "x")) seen |= 4;
		else if (!strcmp(de->d_name, "y")) seen |= 8;
		else if (!strcmp(de->d_name, "z")) { seen |= 16; zdir = de->d_type == 4; }
		if (de->d_reclen == 0) break;
		off += de->d_reclen;
	}
	CHECK(seen == 31 && total == 5, "getdents64 lists . .. x y z", "seen mask %#x, %d entries", seen, total);
	CHECK(zdir, "getdents64 d_type DT_DIR for a directory", "z is not DT_DIR");
	CHECK_RET(syscall(SYS_getdents64, gfd, dbuf, sizeof dbuf), 0, "getdents64 at end returns 0");
	CHECK_ERR(syscall(SYS_getdents64, ffd, dbuf, sizeof dbuf), ENOTDIR, "getdents64 on file ENOTDIR");
	CHECK_ERR(syscall(SYS_getdents64, 9999, dbuf, sizeof dbuf), EBADF, "getdents64 bad fd EBADF");
	CHECK_RET(lseek(gfd, 0, SEEK_SET), 0, "lseek directory to 0");
	CHECK_ERR(syscall(SYS_getdents64, gfd, dbuf, 1), EINVAL, "getdents64 tiny buffer EINVAL");
	CHECK_ERR(syscall(SYS_getdents64, gfd, BADPTR, sizeof dbuf), EFAULT, "getdents64 bad buffer EFAULT");
	close(gfd);

	/* access, faccessat, chmod, fchmod */
	CHECK_RET(access("f", F_OK), 0, "access F_OK");
	CHECK_RET(access("f", R_OK | W_OK), 0, "access R_OK|W_OK");
	CHECK_ERR(access("nonexistent", F_OK), ENOENT, "access missing ENOENT");
	CHECK_ERR(access("f", X_OK), EACCES, "access X_OK on 0644 file EACCES");
	CHECK_ERR(access("f", 0x40), EINVAL, "access bad mode EINVAL");
	CHECK_RET(chmod("f", 0755), 0, "chmod 0755");
	CHECK_RET(faccessat(dfd, "f", X_OK, 0), 0, "faccessat X_OK after chmod");
	CHECK_RET(stat("f", &st2), 0, "stat after chmod");
	CHECK((st2.st_mode & 07777) == 0755, "chmod changed the mode", "got %o", st2.st_mode);
	CHECK_RET(fchmod(ffd, 0600), 0, "fchmod 0600");
	CHECK_RET(stat("f", &st2), 0, "stat after fchmod");
	CHECK((st2.st_mode & 07777) == 0600, "fchmod changed the mode", "got %o", st2.st_mode);
	CHECK_ERR(chmod("nonexistent", 0644), ENOENT, "chmod missing ENOENT");
	CHECK_ERR(fchmod(9999, 0644), EBADF, "fchmod bad fd EBADF");

	/* truncate, ftruncate */
	CHECK_RET(truncate("f", 4), 0, "truncate shrink");
	CHECK_RET(stat("f", &st2), 0, "stat after truncate");
	CHECK(st2.st_size == 4, "truncate set the size", "got %lld", (long long)st2.st_size);
	CHECK_ERR(truncate("d", 0), EISDIR, "truncate directory EISDIR");
	CHECK_ERR(truncate("f", -1), EINVAL, "truncate negative EINVAL");
	int wfd = open("f", O_RDWR);
	CHECK_RET(ftruncate(wfd, 8192), 0, "ftruncate grow");
	CHECK_RET(fstat(wfd, &st2), 0, "fstat after ftruncate");
	CHECK(st2.st_size == 8192, "ftruncate set the size", "got %lld", (long long)st2.st_size);
	buf[0] = 1;
	CHECK(pread(wfd, buf, 1, 8000) == 1 && buf[0] == 0, "grown part reads zeros",
	      "byte 8000 is %d", buf[0]);
	CHECK_ERR(ftruncate(ffd, 0), EINVAL, "ftruncate read-only fd EINVAL");
	CHECK_ERR(ftruncate(dfd, 0), EINVAL, "ftruncate directory fd EINVAL");
	close(wfd);

	/* utimensat */
	struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 123456789 } };
	CHECK_RET(utimensat(dfd, "f", ts, 0), 0, "utimensat explicit times");
	CHECK_RET(stat("f", &st2), 0, "stat after utimensat");
	CHECK(st2.st_atim.tv_sec == 1000000000 && st2.st_mtim.tv_sec == 1200000000 &&
	      st2.st_mtim.tv_nsec == 123456789, "utimensat set atime and mtime",
	      "atime %lld mtime %lld.%09ld", (long long)st2.st_atim.tv_sec,
	      (long long)st2.st_mtim.tv_sec, (long)st2.st_mtim.tv_nsec);
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	time_t now = time(NULL);
	CHECK_RET(utimensat(dfd, "f", omit, 0), 0, "utimensat UTIME_OMIT/UTIME_NOW");
	CHECK_RET(stat("f", &st2), 0, "stat after UTIME_NOW");
	CHECK(st2.st_atim.tv_sec == 1000000000 && st2.st_mtim.tv_sec >= now - 2,
	      "UTIME_OMIT kept atime, UTIME_NOW set mtime", "atime %lld mtime %lld now %lld",
	      (long long)st2.st_atim.tv_sec, (long long)st2.st_mtim.tv_sec, (long long)now);
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	CHECK_ERR(syscall(SYS_utimensat, dfd, "f", bad, 0), EINVAL, "utimensat bad tv_nsec EINVAL");
	CHECK_ERR(syscall(SYS_utimensat, dfd, "nonexistent", ts, 0), ENOENT, "utimensat missing ENOENT");
	CHECK_RET(utimensat(dfd, "s", ts, AT_SYMLINK_NOFOLLOW), 0, "utimensat AT_SYMLINK_NOFOLLOW");

	test_name_cache();

	/* cleanup */
	close(ffd);
	const char *files[] = { "f", "s", "loop1", "loop2", "dangling", "r2", "r5", "e/x", "e/y" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		unlink(files[i]);
	rmdir("e/z"); rmdir("e"); rmdir("d");
	CHECK_RET(chdir("/"), 0, "chdir /");
	close(dfd);
	CHECK_RET(rmdir(dir), 0, "cleanup: rmdir scratch dir");
	return check_done();
}
