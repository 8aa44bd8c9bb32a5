/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_mount -- mount(2), umount2(2), pivot_root(2), statfs(2), /proc/mounts,
 * tmpfs's options and limits, the memory it gives back on umount, and
 * O_TMPFILE, on scratch directories in /tmp (cleaned up at the end).  Linux's tmpfs is the oracle: every
 * figure checked here is what Linux 6.1 gives.  Runs as root.
 */
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

#define TMPFS_MAGIC	0x01021994
#define TOP		"/tmp/t_mount"
#define ST_FLAGS	(ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC)

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* The line of /proc/mounts whose mount point is dir, or "" (static buffer). */
static const char *mounts_line(const char *dir)
{
	static char buf[65536], line[1024];
	char key[256];
	int fd = open("/proc/mounts", O_RDONLY);
	ssize_t n, len = 0;
	char *p;

	line[0] = 0;
	if (fd < 0)
		return line;
	while (len < (ssize_t)sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	snprintf(key, sizeof(key), " %s ", dir);
	/* The last mount on dir is the visible one. */
	for (p = buf; (p = strstr(p, key)) != NULL; p++) {
		char *start = p, *end = strchr(p, '\n');

		while (start > buf && start[-1] != '\n')
			start--;
		if (end && end - start < (long)sizeof(line)) {
			memcpy(line, start, end - start);
			line[end - start] = 0;
		}
	}
	return line;
}

static void test_statfs_limits(void)
{
	struct statfs sf;
	struct stat st;
	char big[8192];
	int fd;

	CHECK_RET(mount("t_mount", TOP "/a", "tmpfs", 0, "size=64k,nr_inodes=4,mode=0750,uid=1,gid=2"), 0,
		  "tmpfs: mount with size=, nr_inodes=, mode=, uid=, gid=");
	CHECK_RET(statfs(TOP "/a", &sf), 0, "statfs: on the tmpfs");
	CHECK(sf.f_type == TMPFS_MAGIC, "statfs: f_type is TMPFS_MAGIC", "got %#lx", (long)sf.f_type);
	CHECK(sf.f_bsize == 4096 && sf.f_frsize == 4096, "statfs: f_bsize and f_frsize a page",
	      "got %ld %ld", (long)sf.f_bsize, (long)sf.f_frsize);
	CHECK(sf.f_blocks == 16 && sf.f_bfree == 16 && sf.f_bavail == 16,
	      "statfs: size=64k is 16 blocks, all free", "got %lu %lu %lu",
	      (unsigned long)sf.f_blocks, (unsigned long)sf.f_bfree, (unsigned long)sf.f_bavail);
	CHECK(sf.f_files == 4 && sf.f_ffree == 3, "statfs: nr_inodes=4, the root takes one",
	      "got %lu %lu", (unsigned long)sf.f_files, (unsigned long)sf.f_ffree);
	CHECK(sf.f_namelen == 255, "statfs: f_namelen 255", "got %ld", (long)sf.f_namelen);
	CHECK((sf.f_flags & ST_FLAGS) == 0, "statfs: no ST_RDONLY/NOSUID/NODEV/NOEXEC",
	      "got %#lx", (long)sf.f_flags);
	CHECK_RET(stat(TOP "/a", &st), 0, "tmpfs: stat the root");
	CHECK(st.st_mode == (S_IFDIR | 0750) && st.st_uid == 1 && st.st_gid == 2,
	      "tmpfs: mode=, uid=, gid= on the root", "mode %o uid %u gid %u", st.st_mode,
	      st.st_uid, st.st_gid);
	CHECK(strstr(mounts_line(TOP "/a"), "t_mount " TOP "/a tmpfs rw") == mounts_line(TOP "/a"),
	      "/proc/mounts: source, mount point, type, rw", "line '%s'", mounts_line(TOP "/a"));
	CHECK(strstr(mounts_line(TOP "/a"), ",size=64k,nr_inodes=4,mode=750,uid=1,gid=2") != NULL,
	      "/proc/mounts: tmpfs options", "line '%s'", mounts_line(TOP "/a"));

	/* Data beyond size=: a short write, then ENOSPC. */
	memset(big, 'x', sizeof(big));
	fd = open(TOP "/a/f", O_RDWR | O_CREAT, 0644);
	CHECK_OK(fd, "tmpfs: create a file");
	for (int i = 0; i < 7; i++)
		(void)write(fd, big, sizeof(big));
	CHECK_RET(write(fd, big, sizeof(big)), 8192, "tmpfs: the 8th 8 KiB fills the 64 KiB");
	CHECK_ERR(write(fd, big, 1), ENOSPC, "tmpfs: a write beyond size= is ENOSPC");
	CHECK_RET(statfs(TOP "/a", &sf), 0, "statfs: when full");
	CHECK(sf.f_bfree == 0 && sf.f_ffree == 2, "statfs: no block free, one more inode used",
	      "got %lu %lu", (unsigned long)sf.f_bfree, (unsigned long)sf.f_ffree);
	CHECK_ERR(fallocate(fd, 0, 65536, 4096), ENOSPC, "fallocate: beyond size= is ENOSPC");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 65536, "fallocate: a failed one keeps the size",
	      "size %ld", (long)st.st_size);
	CHECK_RET(ftruncate(fd, 1 << 20), 0, "tmpfs: truncate beyond size= is sparse (no ENOSPC)");
	CHECK_RET(ftruncate(fd, 4096), 0, "tmpfs: truncate down frees blocks");
	CHECK_RET(statfs(TOP "/a", &sf), 0, "statfs: after truncate");
	CHECK(sf.f_bfree == 15, "statfs: 15 blocks free again", "got %lu", (unsigned long)sf.f_bfree);
	close(fd);

	/* Remount: a smaller size than in use is EINVAL, a larger one shows. */
	CHECK_ERR(mount(NULL, TOP "/a", NULL, MS_REMOUNT, "size=0k,nr_inodes=1"), EINVAL,
		  "tmpfs: remount below the inodes in use is EINVAL");
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT, "size=128k"), 0, "tmpfs: remount size=128k");
	CHECK(statfs(TOP "/a", &sf) == 0 && sf.f_blocks == 32, "statfs: the new size shows",
	      "got %lu", (unsigned long)sf.f_blocks);

	/* nr_inodes: the root, f, and two more. */
	CHECK_RET(mkdir(TOP "/a/d", 0755), 0, "tmpfs: mkdir (3rd inode)");
	CHECK_RET(write_file(TOP "/a/g", "g"), 0, "tmpfs: create (4th inode)");
	CHECK_ERR(open(TOP "/a/h", O_WRONLY | O_CREAT, 0644), ENOSPC,
		  "tmpfs: a file beyond nr_inodes= is ENOSPC");
	CHECK_ERR(mkdir(TOP "/a/e", 0755), ENOSPC, "tmpfs: a directory beyond nr_inodes= is ENOSPC");
	CHECK_ERR(link(TOP "/a/g", TOP "/a/g2"), ENOSPC, "tmpfs: a hard link counts as an inode");
	CHECK_RET(unlink(TOP "/a/g"), 0, "tmpfs: unlink frees an inode");
	CHECK_RET(write_file(TOP "/a/h", "h"), 0, "tmpfs: create again");
	unlink(TOP "/a/h");
	unlink(TOP "/a/f");
	rmdir(TOP "/a/d");
	CHECK_RET(umount(TOP "/a"), 0, "umount: the tmpfs");

	CHECK_ERR(mount("t_mount", TOP "/a", "tmpfs", 0, "size=12q"), EINVAL, "tmpfs: bad size= is EINVAL");
	CHECK_ERR(mount("t_mount", TOP "/a", "tmpfs", 0, "bogus=1"), EINVAL, "tmpfs: unknown option is EINVAL");
	CHECK_RET(mount("t_mount", TOP "/a", "tmpfs", 0, "size=1m"), 0, "tmpfs: size=1m");
	CHECK(statfs(TOP "/a", &sf) == 0 && sf.f_blocks == 256, "statfs: size=1m is 256 blocks",
	      "got %lu", (unsigned long)sf.f_blocks);
	CHECK_RET(umount(TOP "/a"), 0, "umount: size=1m");
}

static void test_flags(void)
{
	struct statfs sf;
	struct stat st;
	char *p;
	int fd;

	CHECK_RET(mount("t_ro", TOP "/a", "tmpfs", 0, NULL), 0, "mount: rw tmpfs");
	CHECK_RET(write_file(TOP "/a/f", "data"), 0, "mount: a file before going read-only");
	CHECK_RET(mkdir(TOP "/a/d", 0755), 0, "mount: a directory before going read-only");
	fd = open(TOP "/a/f", O_WRONLY);
	CHECK_ERR(mount(NULL, TOP "/a", NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY,
		  "remount ro: a file open for writing is EBUSY");
	close(fd);
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT | MS_RDONLY, NULL), 0, "remount ro");
	CHECK(statfs(TOP "/a", &sf) == 0 && (sf.f_flags & ST_RDONLY), "statfs: ST_RDONLY",
	      "flags %#lx", (long)sf.f_flags);
	CHECK(strstr(mounts_line(TOP "/a"), " tmpfs ro") != NULL, "/proc/mounts: ro",
	      "line '%s'", mounts_line(TOP "/a"));
	CHECK_ERR(open(TOP "/a/g", O_WRONLY | O_CREAT, 0644), EROFS, "ro: create is EROFS");
	CHECK_ERR(open(TOP "/a/f", O_WRONLY), EROFS, "ro: open for writing is EROFS");
	CHECK_ERR(open(TOP "/a/f", O_RDONLY | O_TRUNC), EROFS, "ro: O_TRUNC is EROFS");
	fd = open(TOP "/a/f", O_RDONLY);
	CHECK_OK(fd, "ro: open for reading works");
	close(fd);
	CHECK_ERR(open(TOP "/a/f", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST, "ro: O_EXCL on a name is EEXIST first");
	CHECK_ERR(mkdir(TOP "/a/e", 0755), EROFS, "ro: mkdir is EROFS");
	CHECK_ERR(mkdir(TOP "/a/d", 0755), EEXIST, "ro: mkdir of a name is EEXIST first");
	CHECK_ERR(unlink(TOP "/a/f"), EROFS, "ro: unlink is EROFS");
	CHECK_ERR(rmdir(TOP "/a/d"), EROFS, "ro: rmdir is EROFS");
	CHECK_ERR(rename(TOP "/a/f", TOP "/a/f2"), EROFS, "ro: rename is EROFS");
	CHECK_ERR(symlink("x", TOP "/a/l"), EROFS, "ro: symlink is EROFS");
	CHECK_ERR(link(TOP "/a/f", TOP "/a/f3"), EROFS, "ro: link is EROFS");
	CHECK_ERR(chmod(TOP "/a/f", 0600), EROFS, "ro: chmod is EROFS");
	CHECK_ERR(chown(TOP "/a/f", 1, 1), EROFS, "ro: chown is EROFS");
	CHECK_ERR(truncate(TOP "/a/f", 0), EROFS, "ro: truncate is EROFS");
	CHECK_ERR(utimensat(AT_FDCWD, TOP "/a/f", NULL, 0), EROFS, "ro: utimensat is EROFS");
	CHECK_ERR(access(TOP "/a/f", W_OK), EROFS, "ro: access(W_OK) is EROFS");
	CHECK_RET(access(TOP "/a/f", R_OK), 0, "ro: access(R_OK) works");
	CHECK_ERR(open(TOP "/a", O_RDWR | O_TMPFILE, 0600), EROFS, "ro: O_TMPFILE is EROFS");
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT, NULL), 0, "remount rw");
	CHECK_RET(write_file(TOP "/a/g", "g"), 0, "rw again: create works");

	/* A read-only bind mount beside the writable original. */
	CHECK_RET(mount(TOP "/a", TOP "/b", NULL, MS_BIND, NULL), 0, "bind: mount --bind");
	CHECK_RET(stat(TOP "/b/g", &st), 0, "bind: the files show through");
	CHECK_RET(mount(NULL, TOP "/b", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), 0,
		  "bind: remount,bind,ro");
	CHECK_ERR(write_file(TOP "/b/h", "h"), EROFS, "bind: the ro bind refuses writes");
	CHECK_RET(write_file(TOP "/a/h", "h"), 0, "bind: the original stays writable");
	CHECK(statfs(TOP "/b", &sf) == 0 && (sf.f_flags & ST_RDONLY), "bind: statfs ST_RDONLY on the bind",
	      "flags %#lx", (long)sf.f_flags);
	CHECK(statfs(TOP "/a", &sf) == 0 && !(sf.f_flags & ST_RDONLY), "bind: not on the original",
	      "flags %#lx", (long)sf.f_flags);
	CHECK_RET(mount(NULL, TOP "/b", NULL, MS_REMOUNT | MS_BIND, NULL), 0, "bind: remount,bind,rw");
	CHECK_ERR(link(TOP "/a/g", TOP "/b/g2"), EXDEV, "bind: link across two mounts is EXDEV");
	CHECK_ERR(rename(TOP "/a/g", TOP "/b/g2"), EXDEV, "bind: rename across two mounts is EXDEV");
	CHECK_RET(umount(TOP "/b"), 0, "bind: umount the bind");

	/* A bind of a subdirectory: ".." at its root leaves the bind mount. */
	CHECK_RET(mount(TOP "/a/d", TOP "/b", NULL, MS_BIND, NULL), 0, "bind: a subdirectory");
	CHECK_RET(write_file(TOP "/b/in_d", "x"), 0, "bind: a file through the bind");
	CHECK_RET(stat(TOP "/a/d/in_d", &st), 0, "bind: shows in the original directory");
	CHECK_RET(stat(TOP "/b/../c", &st), 0, "bind: '..' at the bind's root is its mount point's parent");
	CHECK_RET(umount(TOP "/b"), 0, "bind: umount the subdirectory bind");
	unlink(TOP "/a/d/in_d");

	/* nosuid, nodev, noexec. */
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL), 0,
		  "remount nosuid,nodev,noexec");
	CHECK(statfs(TOP "/a", &sf) == 0 && (sf.f_flags & ST_FLAGS) == (ST_NOSUID | ST_NODEV | ST_NOEXEC),
	      "statfs: ST_NOSUID|ST_NODEV|ST_NOEXEC", "flags %#lx", (long)sf.f_flags);
	CHECK(strstr(mounts_line(TOP "/a"), "rw,nosuid,nodev,noexec") != NULL,
	      "/proc/mounts: rw,nosuid,nodev,noexec", "line '%s'", mounts_line(TOP "/a"));
	CHECK_RET(mknod(TOP "/a/null", S_IFCHR | 0666, makedev(1, 3)), 0, "nodev: mknod still works");
	CHECK_ERR(open(TOP "/a/null", O_WRONLY), EACCES, "nodev: a device node does not open (EACCES)");
	CHECK_RET(write_file(TOP "/a/s.sh", "#!/bin/sh\nexit 7\n"), 0, "noexec: a script");
	CHECK_RET(chmod(TOP "/a/s.sh", 0755), 0, "noexec: chmod +x");
	CHECK_ERR(execl(TOP "/a/s.sh", "s.sh", (char *)NULL), EACCES, "noexec: execve is EACCES");
	fd = open(TOP "/a/s.sh", O_RDONLY);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	CHECK(p == MAP_FAILED && errno == EPERM, "noexec: mmap PROT_EXEC is EPERM", "errno %d", errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "noexec: mmap PROT_READ works", "errno %d", errno);
	if (p != MAP_FAILED) {
		CHECK_ERR(mprotect(p, 4096, PROT_READ | PROT_EXEC), EACCES,
			  "noexec: mprotect PROT_EXEC is EACCES");
		munmap(p, 4096);
	}
	close(fd);
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT, NULL), 0, "remount without the flags");
	fd = open(TOP "/a/null", O_WRONLY);
	CHECK_OK(fd, "dev: the node opens again");
	close(fd);
	{
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			execl(TOP "/a/s.sh", "s.sh", (char *)NULL);
			_exit(99);
		}
		waitpid(pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "exec: the script runs again",
		      "status %#x", status);
	}
	unlink(TOP "/a/null");
	unlink(TOP "/a/s.sh");
	unlink(TOP "/a/f");
	unlink(TOP "/a/g");
	unlink(TOP "/a/h");
	rmdir(TOP "/a/d");
	CHECK_RET(umount(TOP "/a"), 0, "umount: flags test");
}

static void test_umount(void)
{
	struct stat st;
	int fd;

	CHECK_RET(mount("t_um", TOP "/a", "tmpfs", 0, NULL), 0, "umount: a tmpfs to unmount");
	fd = open(TOP "/a/f", O_RDWR | O_CREAT, 0644);
	CHECK_ERR(umount(TOP "/a"), EBUSY, "umount: an open file makes it EBUSY");
	CHECK_ERR(umount2(TOP "/a", MNT_FORCE), EBUSY, "umount: MNT_FORCE on tmpfs is still EBUSY");
	close(fd);
	CHECK_RET(chdir(TOP "/a"), 0, "umount: chdir inside");
	CHECK_ERR(umount(TOP "/a"), EBUSY, "umount: a cwd inside makes it EBUSY");
	CHECK_RET(chdir("/tmp"), 0, "umount: chdir out");
	CHECK_RET(mount("t_sub", TOP "/a/f", "tmpfs", 0, NULL) == 0 ? 0 : errno, ENOTDIR,
		  "mount: a directory on a file is ENOTDIR");
	CHECK_RET(mkdir(TOP "/a/sub", 0755), 0, "umount: a submount point");
	CHECK_RET(mount("t_sub", TOP "/a/sub", "tmpfs", 0, NULL), 0, "umount: a submount");
	CHECK_ERR(umount(TOP "/a"), EBUSY, "umount: a submount makes it EBUSY");
	CHECK_RET(umount(TOP "/a/sub"), 0, "umount: the submount first");
	CHECK_ERR(umount2(TOP "/a", 0x100), EINVAL, "umount2: unknown flags are EINVAL");
	CHECK_ERR(umount2(TOP "/a", MNT_EXPIRE | MNT_DETACH), EINVAL, "umount2: MNT_EXPIRE|MNT_DETACH is EINVAL");
	CHECK_ERR(umount2(TOP "/a", MNT_EXPIRE), EAGAIN, "umount2: MNT_EXPIRE marks first (EAGAIN)");
	CHECK_RET(umount2(TOP "/a", MNT_EXPIRE), 0, "umount2: MNT_EXPIRE then unmounts");
	CHECK_ERR(umount(TOP "/a"), EINVAL, "umount: not a mount point is EINVAL");
	CHECK_ERR(umount(TOP "/nonexistent"), ENOENT, "umount: a missing path is ENOENT");

	/* Lazy: gone from the namespace at once, alive for its open files. */
	CHECK_RET(mount("t_lazy", TOP "/a", "tmpfs", 0, NULL), 0, "MNT_DETACH: mount");
	CHECK_RET(write_file(TOP "/a/f", "lazy"), 0, "MNT_DETACH: a file");
	fd = open(TOP "/a/f", O_RDONLY);
	CHECK_RET(umount2(TOP "/a", MNT_DETACH), 0, "MNT_DETACH: busy, detached anyway");
	CHECK_ERR(stat(TOP "/a/f", &st), ENOENT, "MNT_DETACH: the name is gone");
	{
		char b[8] = { 0 };

		CHECK_RET(read(fd, b, sizeof(b)), 4, "MNT_DETACH: the open file still reads");
		CHECK(strcmp(b, "lazy") == 0, "MNT_DETACH: its data", "got '%s'", b);
	}
	close(fd);

	/* UMOUNT_NOFOLLOW: a symlink to a mount point is not one. */
	CHECK_RET(mount("t_nf", TOP "/a", "tmpfs", 0, NULL), 0, "UMOUNT_NOFOLLOW: mount");
	CHECK_RET(symlink(TOP "/a", TOP "/lnk"), 0, "UMOUNT_NOFOLLOW: a symlink to it");
	CHECK_ERR(umount2(TOP "/lnk", UMOUNT_NOFOLLOW), EINVAL, "UMOUNT_NOFOLLOW: the link is EINVAL");
	CHECK_RET(umount2(TOP "/lnk", 0), 0, "umount2: through the link without it");
	unlink(TOP "/lnk");
}

static void test_move_rec(void)
{
	struct stat st;

	CHECK_RET(mount("t_mv", TOP "/a", "tmpfs", 0, NULL), 0, "MS_MOVE: mount at a");
	CHECK_RET(write_file(TOP "/a/f", "m"), 0, "MS_MOVE: a file");
	CHECK_RET(mkdir(TOP "/a/in", 0755), 0, "MS_MOVE: a directory inside");
	CHECK_ERR(mount(TOP "/a", TOP "/a/in", NULL, MS_MOVE, NULL), ELOOP,
		  "MS_MOVE: into itself is ELOOP");
	CHECK_ERR(mount(TOP "/a/in", TOP "/b", NULL, MS_MOVE, NULL), EINVAL,
		  "MS_MOVE: not a mount root is EINVAL");
	CHECK_RET(mount(TOP "/a", TOP "/b", NULL, MS_MOVE, NULL), 0, "MS_MOVE: a to b");
	CHECK_RET(stat(TOP "/b/f", &st), 0, "MS_MOVE: the file is at b");
	CHECK_ERR(stat(TOP "/a/f", &st), ENOENT, "MS_MOVE: not at a");

	/* Recursive bind: submounts come along; a plain bind leaves them out. */
	CHECK_RET(mount("t_rec", TOP "/b/in", "tmpfs", 0, NULL), 0, "MS_REC: a submount");
	CHECK_RET(write_file(TOP "/b/in/deep", "d"), 0, "MS_REC: a file on the submount");
	CHECK_RET(mount(TOP "/b", TOP "/a", NULL, MS_BIND | MS_REC, NULL), 0, "MS_REC: rbind b on a");
	CHECK_RET(stat(TOP "/a/in/deep", &st), 0, "MS_REC: the submount shows");
	CHECK_RET(umount2(TOP "/a", MNT_DETACH), 0, "MS_REC: detach the tree");
	CHECK_RET(mount(TOP "/b", TOP "/a", NULL, MS_BIND, NULL), 0, "MS_BIND: plain bind");
	CHECK_ERR(stat(TOP "/a/in/deep", &st), ENOENT, "MS_BIND: no submount");
	CHECK_RET(umount(TOP "/a"), 0, "MS_BIND: umount");
	CHECK_RET(umount(TOP "/b/in"), 0, "MS_REC: umount the submount");
	CHECK_RET(umount(TOP "/b"), 0, "MS_MOVE: umount at b");

	CHECK_ERR(mount("x", TOP "/nonexistent", "tmpfs", 0, NULL), ENOENT, "mount: missing target ENOENT");
	CHECK_ERR(mount("x", TOP "/a", "no_such_fs", 0, NULL), ENODEV, "mount: unknown type ENODEV");
	CHECK_ERR(mount("x", TOP "/a", NULL, 0, NULL), EINVAL, "mount: no type is EINVAL");
	CHECK_ERR(mount(TOP "/nonexistent", TOP "/a", NULL, MS_BIND, NULL), ENOENT,
		  "mount: bind of a missing source ENOENT");
	CHECK_ERR(mount(NULL, TOP "/a", NULL, MS_REMOUNT, NULL), EINVAL,
		  "mount: remount of a non-mount-point EINVAL");
	CHECK_RET(mount("none", TOP "/a", "tmpfs", MS_MGC_VAL, NULL), 0, "mount: MS_MGC_VAL is ignored");
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_PRIVATE, NULL), 0, "mount: MS_PRIVATE");
	CHECK_RET(umount(TOP "/a"), 0, "mount: umount");
	{
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			if (setuid(65534) != 0)
				_exit(2);
			if (mount("x", TOP "/a", "tmpfs", 0, NULL) == 0 || errno != EPERM)
				_exit(3);
			if (umount("/proc") == 0 || errno != EPERM)
				_exit(4);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "mount, umount: EPERM for a user", "status %#x", status);
	}
}

/* In a child (it changes the root): chroot into a tmpfs, pivot to another. */
static int pivot_child(void)
{
	struct stat st;

	if (chroot(TOP "/a") != 0 || chdir("/") != 0)
		return 10;
	if (syscall(SYS_pivot_root, "/new/sub", "/new/sub") == 0 || errno != EINVAL)
		return 11;	/* new_root is not a mount point */
	if (syscall(SYS_pivot_root, "/new", "/plain") == 0 || errno != EBUSY)
		return 12;	/* put_old on the current root's mount */
	if (syscall(SYS_pivot_root, "/plain", "/new/old") == 0 || errno != EBUSY)
		return 16;	/* new_root on the current root's mount */
	if (syscall(SYS_pivot_root, "/new", "/new/old") != 0)
		return 13;
	if (stat("/marker", &st) != 0)
		return 14;	/* the new root */
	if (stat("/old/plain", &st) != 0)
		return 15;	/* the old root under put_old */
	return 0;
}

static void test_pivot_root(void)
{
	int status = 0;
	pid_t pid;

	CHECK_ERR(syscall(SYS_pivot_root, "/tmp", "/tmp"), EINVAL,
		  "pivot_root: from the rootfs root (no parent mount) EINVAL");
	CHECK_RET(mount("t_pr", TOP "/a", "tmpfs", 0, NULL), 0, "pivot_root: the old root");
	mkdir(TOP "/a/new", 0755);
	mkdir(TOP "/a/plain", 0755);
	CHECK_RET(mount("t_pr_new", TOP "/a/new", "tmpfs", 0, NULL), 0, "pivot_root: the new root");
	mkdir(TOP "/a/new/old", 0755);
	mkdir(TOP "/a/new/sub", 0755);
	write_file(TOP "/a/new/marker", "n");
	pid = fork();
	if (pid == 0)
		_exit(pivot_child());
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "pivot_root: errors, then new_root is / and the old root at put_old",
	      "status %#x", status);
	/* The tree is now a(new) with old(the first tmpfs) under it. */
	CHECK_RET(umount2(TOP "/a/old", MNT_DETACH), 0, "pivot_root: detach the old root");
	CHECK_RET(umount2(TOP "/a", MNT_DETACH), 0, "pivot_root: detach the new root");
}

static void test_tmpfile(void)
{
	char path[64], b[8] = { 0 };
	struct stat st;
	int fd;

	CHECK_RET(mount("t_tmpf", TOP "/a", "tmpfs", 0, NULL), 0, "O_TMPFILE: a tmpfs");
	fd = open(TOP "/a", O_TMPFILE | O_RDWR, 0600);
	CHECK_OK(fd, "O_TMPFILE: an unnamed file");
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 0 &&
	      (st.st_mode & 0777) == 0600, "O_TMPFILE: regular, mode 0600, no links",
	      "mode %o nlink %lu", st.st_mode, (unsigned long)st.st_nlink);
	CHECK_RET(write(fd, "tmp", 3), 3, "O_TMPFILE: write");
	CHECK_RET(linkat(fd, "", AT_FDCWD, TOP "/a/named", AT_EMPTY_PATH), 0,
		  "O_TMPFILE: linkat AT_EMPTY_PATH names it");
	CHECK(stat(TOP "/a/named", &st) == 0 && st.st_nlink == 1 && st.st_size == 3,
	      "O_TMPFILE: the name has the data and one link", "nlink %lu size %ld",
	      (unsigned long)st.st_nlink, (long)st.st_size);
	close(fd);
	fd = open(TOP "/a/named", O_RDONLY);
	CHECK(read(fd, b, sizeof(b)) == 3 && strcmp(b, "tmp") == 0, "O_TMPFILE: read back by name",
	      "got '%s'", b);
	close(fd);
	fd = open(TOP "/a", O_TMPFILE | O_RDWR | O_EXCL, 0600);
	CHECK_OK(fd, "O_TMPFILE|O_EXCL: opens");
	CHECK_ERR(linkat(fd, "", AT_FDCWD, TOP "/a/never", AT_EMPTY_PATH), ENOENT,
		  "O_TMPFILE|O_EXCL: never linkable (ENOENT)");
	close(fd);
	CHECK_ERR(open(TOP "/a", O_TMPFILE | O_RDONLY, 0600), EINVAL, "O_TMPFILE: read-only is EINVAL");
	CHECK_ERR(open(TOP "/a", O_TMPFILE | O_RDWR | O_CREAT, 0600), EINVAL,
		  "O_TMPFILE: with O_CREAT is EINVAL");
	CHECK_ERR(open(TOP "/a/named", O_TMPFILE | O_RDWR, 0600), ENOTDIR,
		  "O_TMPFILE: on a file is ENOTDIR");
	CHECK_ERR(open("/proc", O_TMPFILE | O_RDWR, 0600), EOPNOTSUPP,
		  "O_TMPFILE: procfs is EOPNOTSUPP");
	snprintf(path, sizeof(path), "%s", TOP "/a/nonexistent");
	CHECK_ERR(open(path, O_TMPFILE | O_RDWR, 0600), ENOENT, "O_TMPFILE: missing directory ENOENT");
	unlink(TOP "/a/named");
	CHECK_RET(umount(TOP "/a"), 0, "O_TMPFILE: umount (the unnamed files are gone)");
}

static long memfree_kb(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return -1;
	return (long)((unsigned long long)si.freeram * si.mem_unit / 1024);
}

/* The last umount of a tmpfs frees its files, directories and pages. */
static void test_umount_frees_memory(void)
{
	static char block[256 * 1024];
	long before, during, after;
	bool wrote = true;
	int fd;

	memset(block, 'm', sizeof(block));
	CHECK_RET(mount("t_mount", TOP "/c", "tmpfs", 0, NULL), 0, "tmpfs: mount for the memory test");
	before = memfree_kb();
	fd = open(TOP "/c/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(fd, "tmpfs: create a file");
	for (int i = 0; i < 128; i++)	/* 32 MiB */
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			wrote = false;
	close(fd);
	CHECK_RET(mkdir(TOP "/c/d", 0755), 0, "tmpfs: mkdir");
	CHECK_RET(mkdir(TOP "/c/d/e", 0755), 0, "tmpfs: mkdir in it");
	CHECK_RET(write_file(TOP "/c/d/e/f", "small"), 0, "tmpfs: a file two levels down");
	CHECK_RET(link(TOP "/c/d/e/f", TOP "/c/d/g"), 0, "tmpfs: a hard link");
	during = memfree_kb();
	CHECK(wrote && before - during >= 30 * 1024, "tmpfs: 32 MiB written take free memory",
	      "free %ld kB before, %ld kB after writing", before, during);
	CHECK_RET(umount(TOP "/c"), 0, "tmpfs: umount");
	after = memfree_kb();
	CHECK(after >= 0 && before - after < 4 * 1024, "tmpfs: umount gives its memory back",
	      "free %ld kB before, %ld kB with the files, %ld kB after umount", before, during,
	      after);
}

/* The atime of path after a 10 ms pause and a one-byte read (or a listing, for a directory). */
static struct timespec atime_after_read(const char *path)
{
	struct timespec pause = { 0, 10000000 }, none = { -1, -1 };
	struct stat st;
	char c;
	int fd;

	nanosleep(&pause, NULL);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return none;
	if (read(fd, &c, 1) < 0) {
		/* A directory: list it. */
		char buf[4096];

		(void)syscall(SYS_getdents64, fd, buf, sizeof(buf));
	}
	close(fd);
	return stat(path, &st) == 0 ? st.st_atim : none;
}

static bool ts_eq(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* Make path's atime older than its mtime (and both older than its ctime, which becomes now). */
static void age_times(const char *path)
{
	struct timespec now, t[2];

	clock_gettime(CLOCK_REALTIME, &now);
	t[0] = (struct timespec){ now.tv_sec - 200, 0 };	/* atime */
	t[1] = (struct timespec){ now.tv_sec - 100, 0 };	/* mtime */
	(void)utimensat(AT_FDCWD, path, t, 0);
}

/* relatime (the default), strictatime, noatime, nodiratime, O_NOATIME. */
static void test_atime(void)
{
	struct statvfs sv;
	struct timespec a1, a2;
	int fd;

	CHECK_RET(mount("t_atime", TOP "/a", "tmpfs", 0, NULL), 0, "atime: mount tmpfs, no flags");
	CHECK(strstr(mounts_line(TOP "/a"), " tmpfs rw,relatime") != NULL,
	      "atime: relatime is the default in /proc/mounts", "line '%s'", mounts_line(TOP "/a"));
	CHECK(statvfs(TOP "/a", &sv) == 0 && (sv.f_flag & ST_RELATIME) && !(sv.f_flag & ST_NOATIME),
	      "atime: statvfs ST_RELATIME", "flags %#lx", (long)sv.f_flag);
	CHECK_RET(write_file(TOP "/a/f", "data"), 0, "atime: a file");
	age_times(TOP "/a/f");
	a1 = atime_after_read(TOP "/a/f");
	CHECK(a1.tv_sec >= time(NULL) - 5, "relatime: an atime older than mtime is updated",
	      "atime %ld, now %ld", (long)a1.tv_sec, (long)time(NULL));
	a2 = atime_after_read(TOP "/a/f");
	CHECK(ts_eq(a1, a2), "relatime: a newer atime stays on the next read",
	      "%ld.%09ld then %ld.%09ld", (long)a1.tv_sec, a1.tv_nsec, (long)a2.tv_sec, a2.tv_nsec);
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT | MS_STRICTATIME, NULL), 0,
		  "strictatime: remount");
	CHECK(strstr(mounts_line(TOP "/a"), "relatime") == NULL && strstr(mounts_line(TOP "/a"), "noatime") == NULL,
	      "strictatime: neither relatime nor noatime in /proc/mounts", "line '%s'", mounts_line(TOP "/a"));
	a2 = atime_after_read(TOP "/a/f");
	CHECK(!ts_eq(a1, a2), "strictatime: every read updates atime", "stayed %ld.%09ld",
	      (long)a2.tv_sec, a2.tv_nsec);
	a1 = atime_after_read(TOP "/a");
	CHECK(!ts_eq(a1, a2) && a1.tv_sec >= a2.tv_sec, "strictatime: a listing updates the directory's atime",
	      "%ld.%09ld", (long)a1.tv_sec, a1.tv_nsec);
	fd = open(TOP "/a/f", O_RDONLY | O_NOATIME);
	CHECK_OK(fd, "O_NOATIME: the owner may open with it");
	if (fd >= 0) {
		struct stat st0, st1;
		char c;

		fstat(fd, &st0);
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		(void)read(fd, &c, 1);
		fstat(fd, &st1);
		CHECK(ts_eq(st0.st_atim, st1.st_atim), "O_NOATIME: a read leaves atime", "changed");
		close(fd);
	}
	{
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			int e1, e2, f2;

			chmod(TOP "/a/f", 0644);
			if (setgid(65534) || setuid(65534))
				_exit(99);
			e1 = open(TOP "/a/f", O_RDONLY | O_NOATIME) < 0 ? errno : 0;
			f2 = open(TOP "/a/f", O_RDONLY);
			e2 = fcntl(f2, F_SETFL, O_NOATIME) < 0 ? errno : 0;
			_exit(e1 == EPERM && e2 == EPERM ? 0 : 1);
		}
		waitpid(pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "O_NOATIME: open and F_SETFL by another user are EPERM", "status %#x", status);
	}
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT | MS_NOATIME | MS_NODIRATIME, NULL), 0,
		  "noatime: remount noatime,nodiratime");
	CHECK(strstr(mounts_line(TOP "/a"), " tmpfs rw,noatime,nodiratime") != NULL,
	      "noatime: /proc/mounts", "line '%s'", mounts_line(TOP "/a"));
	CHECK(statvfs(TOP "/a", &sv) == 0 && (sv.f_flag & ST_NOATIME) && (sv.f_flag & ST_NODIRATIME) &&
	      !(sv.f_flag & ST_RELATIME), "noatime: statvfs ST_NOATIME|ST_NODIRATIME", "flags %#lx",
	      (long)sv.f_flag);
	age_times(TOP "/a/f");
	a1 = atime_after_read(TOP "/a/f");
	CHECK(a1.tv_sec < time(NULL) - 150, "noatime: even an old atime stays", "atime %ld, now %ld",
	      (long)a1.tv_sec, (long)time(NULL));
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT, NULL), 0, "remount naming no atime flag");
	CHECK(strstr(mounts_line(TOP "/a"), "noatime") != NULL, "remount: keeps noatime",
	      "line '%s'", mounts_line(TOP "/a"));
	unlink(TOP "/a/f");
	CHECK_RET(umount(TOP "/a"), 0, "umount: atime test");
}

/* nosymfollow: links on the mount are read but not followed. */
static void test_nosymfollow(void)
{
	struct statvfs sv;
	char buf[64];
	ssize_t n;
	int fd;

	CHECK_RET(mount("t_nsf", TOP "/a", "tmpfs", MS_NOSYMFOLLOW, NULL), 0, "nosymfollow: mount");
	CHECK(strstr(mounts_line(TOP "/a"), " tmpfs rw,relatime,nosymfollow") != NULL,
	      "nosymfollow: /proc/mounts", "line '%s'", mounts_line(TOP "/a"));
	CHECK(statvfs(TOP "/a", &sv) == 0 && (sv.f_flag & 0x2000), "nosymfollow: statvfs ST_NOSYMFOLLOW",
	      "flags %#lx", (long)sv.f_flag);
	CHECK_RET(write_file(TOP "/a/target", "t"), 0, "nosymfollow: a file");
	CHECK_RET(symlink("target", TOP "/a/link"), 0, "nosymfollow: making a link works");
	CHECK_ERR(open(TOP "/a/link", O_RDONLY), ELOOP, "nosymfollow: opening through the link is ELOOP");
	CHECK_RET(mkdir(TOP "/a/d", 0755), 0, "nosymfollow: a directory");
	CHECK_RET(symlink("d", TOP "/a/dlink"), 0, "nosymfollow: a link to it");
	CHECK_ERR(open(TOP "/a/dlink/x", O_RDONLY | O_CREAT, 0644), ELOOP,
		  "nosymfollow: a link in the middle of a path is ELOOP");
	n = readlink(TOP "/a/link", buf, sizeof(buf));
	CHECK(n == 6 && memcmp(buf, "target", 6) == 0, "nosymfollow: readlink works", "got %zd", n);
	fd = open(TOP "/a/link", O_RDONLY | O_NOFOLLOW | O_PATH);
	CHECK_OK(fd, "nosymfollow: O_PATH|O_NOFOLLOW opens the link itself");
	if (fd >= 0)
		close(fd);
	CHECK_RET(mount(NULL, TOP "/a", NULL, MS_REMOUNT, NULL), 0, "nosymfollow: remount without it");
	fd = open(TOP "/a/link", O_RDONLY);
	CHECK_OK(fd, "nosymfollow: the link is followed again");
	if (fd >= 0)
		close(fd);
	unlink(TOP "/a/link");
	unlink(TOP "/a/dlink");
	unlink(TOP "/a/target");
	rmdir(TOP "/a/d");
	CHECK_RET(umount(TOP "/a"), 0, "umount: nosymfollow test");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	mkdir(TOP, 0755);
	mkdir(TOP "/a", 0755);
	mkdir(TOP "/b", 0755);
	mkdir(TOP "/c", 0755);
	test_umount_frees_memory();
	test_statfs_limits();
	test_flags();
	test_umount();
	test_move_rec();
	test_pivot_root();
	test_tmpfile();
	test_atime();
	test_nosymfollow();
	/* Leave nothing behind, even after a failure. */
	umount2(TOP "/a", MNT_DETACH);
	umount2(TOP "/b", MNT_DETACH);
	rmdir(TOP "/a/in");
	rmdir(TOP "/a");
	rmdir(TOP "/b");
	rmdir(TOP "/c");
	rmdir(TOP);
	return check_done();
}
