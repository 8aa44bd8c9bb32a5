/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_fsinfo -- sysfs(2) and ustat(2): sysfs numbers the file-system types
 * in /proc/filesystems' order (name to index, index to name, count), and
 * ustat gives the free blocks and inodes statfs reports for a mounted
 * device; with EINVAL for unknown names, indexes, options and devices, and
 * EFAULT for bad pointers.
 */
#include "check.h"
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

struct k_ustat {
	int32_t f_tfree;
	uint64_t f_tinode;
	char f_fname[6];
	char f_fpack[6];
};

/* The type names of /proc/filesystems, in order. */
static int proc_filesystems(char names[][32], int max)
{
	char buf[4096], *line, *save = NULL;
	int fd = open("/proc/filesystems", O_RDONLY), n = 0;
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = 0;
	for (line = strtok_r(buf, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');

		snprintf(names[n++], 32, "%s", tab ? tab + 1 : line);
	}
	return n;
}

static void test_sysfs(void)
{
	char names[64][32], buf[64];
	int n = proc_filesystems(names, 64), ok = 1;

	CHECK(n > 3, "/proc/filesystems lists types", "%d", n);
	if (n <= 0)
		return;
	CHECK_RET(syscall(SYS_sysfs, 3), n, "sysfs(3): as many types as /proc/filesystems");
	for (int i = 0; i < n; i++) {
		memset(buf, 'x', sizeof(buf));
		if (syscall(SYS_sysfs, 2, i, buf) != 0 || strcmp(buf, names[i]) != 0) {
			check_printf("# index %d: got '%.32s', want '%s'\n", i, buf, names[i]);
			ok = 0;
		}
		if (syscall(SYS_sysfs, 1, names[i]) != i) {
			check_printf("# name %s: index %ld, want %d\n", names[i], syscall(SYS_sysfs, 1, names[i]), i);
			ok = 0;
		}
	}
	CHECK(ok, "sysfs(2, i) and sysfs(1, name) follow /proc/filesystems", "mismatch above");
	CHECK_ERR(syscall(SYS_sysfs, 2, n, buf), EINVAL, "sysfs(2) past the last index: EINVAL");
	CHECK_ERR(syscall(SYS_sysfs, 2, -1, buf), EINVAL, "sysfs(2, -1): EINVAL");
	CHECK_ERR(syscall(SYS_sysfs, 1, "no-such-fs"), EINVAL, "sysfs(1) of an unknown name: EINVAL");
	CHECK_ERR(syscall(SYS_sysfs, 1, ""), ENOENT, "sysfs(1) of an empty name: ENOENT (read as a path)");
	CHECK_ERR(syscall(SYS_sysfs, 1, (char *)8), EFAULT, "sysfs(1) with a bad pointer: EFAULT");
	CHECK_ERR(syscall(SYS_sysfs, 2, 0, (char *)8), EFAULT, "sysfs(2) with a bad buffer: EFAULT");
	CHECK_ERR(syscall(SYS_sysfs, 0), EINVAL, "option 0: EINVAL");
	CHECK_ERR(syscall(SYS_sysfs, 4), EINVAL, "option 4: EINVAL");
}

static void test_ustat(void)
{
	struct stat st;
	struct statfs sf;
	struct k_ustat u;

	if (stat("/proc", &st) != 0 || statfs("/proc", &sf) != 0) {
		CHECK(0, "stat /proc", "%s", check_errname(errno));
		return;
	}
	memset(&u, 0x55, sizeof(u));
	CHECK_RET(syscall(SYS_ustat, (unsigned)st.st_dev, &u), 0, "ustat of /proc's device");
	CHECK(u.f_tfree == (int32_t)sf.f_bfree && u.f_tinode == (uint64_t)sf.f_ffree,
	      "its free blocks and inodes are statfs's", "tfree %d tinode %lu, statfs %lu %lu", u.f_tfree,
	      (unsigned long)u.f_tinode, (unsigned long)sf.f_bfree, (unsigned long)sf.f_ffree);
	CHECK(u.f_fname[0] == 0 && u.f_fpack[0] == 0, "the names are empty", "'%.6s' '%.6s'", u.f_fname,
	      u.f_fpack);
	CHECK_ERR(syscall(SYS_ustat, (unsigned)st.st_dev, (void *)8), EFAULT, "bad buffer: EFAULT");
	/* major 4095, minor 1048575: no such device here, and no mounted file system on it. */
	CHECK_ERR(syscall(SYS_ustat, 0xffffffffu, &u), EINVAL, "a device with nothing mounted: EINVAL");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_sysfs();
	test_ustat();
	return check_done();
}
