/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_sysfs -- /sys as Linux's kernfs keeps it, even for root: every name is
 * the kernel's (creating a file EACCES; mkdir, mknod of a device, symlink,
 * link, unlink, rmdir and rename EPERM), an attribute whose mode has no
 * write bit cannot be opened for writing (EACCES), one without a store
 * method takes no writes (EIO),
 * truncate succeeds and changes nothing, a uevent file takes an action and
 * keeps its text (EINVAL for an unknown action), mmap fails (ENODEV), and
 * modes and owners can be changed and put back.  Runs as root.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#define SYSFS_MAGIC	0x62656572

static char buf[8192], before[8192];

/* The whole of a (small) file into dst (NUL-terminated): its length, or -1 with errno. */
static long slurp(const char *path, char *dst, size_t size)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	dst[0] = 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, dst + len, size - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	dst[len] = 0;
	return n < 0 ? -1 : len;
}

static void test_names(void)
{
	CHECK_ERR(open("/sys/kernel/t_sysfs", O_WRONLY | O_CREAT, 0644), EACCES,
		  "open O_CREAT of a new name: EACCES");
	CHECK_ERR(mknod("/sys/kernel/t_sysfs", S_IFREG | 0644, 0), EACCES,
		  "mknod of a regular file: EACCES");
	CHECK_ERR(mknod("/sys/kernel/t_sysfs", S_IFCHR | 0644, makedev(1, 3)), EPERM,
		  "mknod of a device: EPERM");
	CHECK_ERR(mknod("/sys/kernel/t_sysfs", S_IFIFO | 0644, 0), EPERM, "mknod of a fifo: EPERM");
	CHECK_ERR(mkdir("/sys/kernel/t_sysfs", 0755), EPERM, "mkdir: EPERM");
	CHECK_ERR(symlink("x", "/sys/kernel/t_sysfs"), EPERM, "symlink: EPERM");
	CHECK_ERR(link("/sys/kernel/uevent_seqnum", "/sys/kernel/t_sysfs"), EPERM, "link: EPERM");
	CHECK_ERR(rename("/sys/kernel/uevent_seqnum", "/sys/kernel/t_sysfs"), EPERM,
		  "rename of a file: EPERM");
	CHECK_ERR(rename("/sys/kernel/mm", "/sys/kernel/t_sysfs"), EPERM, "rename of a directory: EPERM");
	CHECK_ERR(unlink("/sys/kernel/uevent_seqnum"), EPERM, "unlink: EPERM");
	CHECK_ERR(rmdir("/sys/kernel/mm"), EPERM, "rmdir: EPERM");
	CHECK_ERR(access("/sys/kernel/t_sysfs", F_OK), ENOENT, "nothing was made");
	CHECK_OK(access("/sys/kernel/uevent_seqnum", F_OK), "nothing was removed");
}

static void test_read_only_attr(void)
{
	const char *p = "/sys/kernel/uevent_seqnum";
	struct stat st, st2;
	int fd;

	CHECK(slurp(p, before, sizeof(before)) > 0 && strchr(before, '\n'), "uevent_seqnum reads",
	      "'%s'", before);
	CHECK_ERR(open(p, O_WRONLY), EACCES, "a read-only attribute: open O_WRONLY EACCES");
	CHECK_ERR(open(p, O_RDWR), EACCES, "a read-only attribute: open O_RDWR EACCES");
	CHECK_OK(stat(p, &st), "stat");
	CHECK_OK(chmod(p, 0666), "chmod 0666 works");
	fd = open(p, O_WRONLY);
	CHECK(fd >= 0, "at mode 0666 it opens for writing", "errno %d", errno);
	CHECK_ERR(write(fd, "7\n", 2), EIO, "a write without a store method: EIO");
	close(fd);
	CHECK_OK(chown(p, 65534, 65534), "chown works");
	CHECK(stat(p, &st2) == 0 && (st2.st_mode & 07777) == 0666 && st2.st_uid == 65534 &&
	      st2.st_gid == 65534, "the mode and owner stick", "mode %o uid %u", st2.st_mode,
	      st2.st_uid);
	CHECK_OK(chmod(p, st.st_mode & 07777), "chmod back");
	CHECK_OK(chown(p, st.st_uid, st.st_gid), "chown back");
	CHECK_OK(truncate(p, 12345), "truncate succeeds");
	CHECK(stat(p, &st2) == 0 && st2.st_size == st.st_size, "truncate leaves the size",
	      "%lld then %lld", (long long)st.st_size, (long long)st2.st_size);
	CHECK(slurp(p, buf, sizeof(buf)) > 0 && strcmp(buf, before) == 0,
	      "truncate leaves the text", "'%s' then '%s'", before, buf);
}

static void test_uevent(void)
{
	const char *p = "/sys/class/tty/console/uevent";
	int fd;
	void *m;

	CHECK(slurp(p, before, sizeof(before)) > 0 && strstr(before, "MAJOR=5\n") &&
	      strstr(before, "MINOR=1\n"), "the console's uevent", "'%s'", before);
	fd = open(p, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0, "a uevent file opens for writing, O_TRUNC too", "errno %d", errno);
	CHECK_RET(write(fd, "change", 6), 6, "write an action: its length");
	CHECK_ERR(write(fd, "bogus", 5), EINVAL, "write an unknown action: EINVAL");
	close(fd);
	CHECK(slurp(p, buf, sizeof(buf)) > 0 && strcmp(buf, before) == 0,
	      "the uevent text stays as it was", "'%s' then '%s'", before, buf);
	fd = open(p, O_RDONLY);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m == MAP_FAILED && errno == ENODEV, "mmap of an attribute: ENODEV", "%p errno %d", m,
	      errno);
	close(fd);
}

int main(int argc, char **argv)
{
	struct statfs sf;

	(void)argc;
	check_init(argv[0]);
	CHECK(statfs("/sys", &sf) == 0 && sf.f_type == SYSFS_MAGIC, "/sys is a sysfs",
	      "f_type %lx", (long)sf.f_type);
	test_names();
	test_read_only_attr();
	test_uevent();
	return check_done();
}
