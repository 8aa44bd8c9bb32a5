// SPDX-License-Identifier: MPL-2.0
// Mounting the root file system from a disk when there is no initramfs
// init, as Linux's init/do_mounts.c: root=, rootfstype=, rootflags=, ro,
// rw, rootwait, rootdelay= and devtmpfs.mount= (doc/boot-disk.md).  The
// disk is mounted on /root of the rootfs as /dev/root, moved onto / and
// chrooted into; init then starts there.
#include <aster/cmdline.h>
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/timer.h>
#include <aster/wait.h>
#include "block/blkdev.h"
#include "fs/file.h"
#include "init/do_mounts.h"
#include "uapi/mount.h"
#include "uapi/stat.h"

#define ROOT_NAME_MAX	64
#define FS_NAMES_MAX	128

static const char *saved_root_name = "";	/* root= */
static const char *root_fs_names;		/* rootfstype= */
static const char *root_mount_data;		/* rootflags= */
static uint64_t root_mountflags = MS_RDONLY | MS_SILENT;
static int64_t root_wait_ms;			/* rootwait: -1 for ever, 0 no wait */
static uint64_t root_delay;			/* rootdelay=, seconds */
static bool devtmpfs_automount;			/* Debian's CONFIG_DEVTMPFS_MOUNT is off */

/* simple_strtoul's base 0 (0x hex, 0 octal, else decimal), the whole word: 0 or -EINVAL. */
static int parse_ulong(const char *s, unsigned int base, uint64_t *out)
{
	uint64_t v = 0;

	if (base == 0) {
		base = 10;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			s += 2;
		} else if (s[0] == '0' && s[1]) {
			base = 8;
		}
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static int set_root(const char *v)
{
	if (!v)
		return -EINVAL;
	saved_root_name = v;
	return 0;
}
BOOT_PARAM("root", set_root);

static int set_rootfstype(const char *v)
{
	if (!v)
		return -EINVAL;
	root_fs_names = v;
	return 0;
}
BOOT_PARAM("rootfstype", set_rootfstype);

static int set_rootflags(const char *v)
{
	if (!v)
		return -EINVAL;
	root_mount_data = v;
	return 0;
}
BOOT_PARAM("rootflags", set_rootflags);

static int set_ro(const char *v)
{
	if (v)
		return -EINVAL;
	root_mountflags |= MS_RDONLY;
	return 0;
}
BOOT_PARAM("ro", set_ro);

static int set_rw(const char *v)
{
	if (v)
		return -EINVAL;
	root_mountflags &= ~(uint64_t)MS_RDONLY;
	return 0;
}
BOOT_PARAM("rw", set_rw);

/* rootwait waits for ever, rootwait=SECONDS at most that long (Linux 6.5). */
static int set_rootwait(const char *v)
{
	uint64_t sec;

	root_wait_ms = -1;
	if (!v)
		return 0;
	if (parse_ulong(v, 0, &sec)) {
		pr_warn("ignoring invalid rootwait value\n");
		return 0;
	}
	if (sec > INT64_MAX / 1000) {
		pr_warn("ignoring excessive rootwait value\n");
		return 0;
	}
	root_wait_ms = (int64_t)(sec * 1000);
	return 0;
}
BOOT_PARAM("rootwait", set_rootwait);

static int set_rootdelay(const char *v)
{
	if (!v || parse_ulong(v, 0, &root_delay))
		return -EINVAL;
	return 0;
}
BOOT_PARAM("rootdelay", set_rootdelay);

static int set_devtmpfs_mount(const char *v)
{
	uint64_t n;

	if (!v || parse_ulong(v, 0, &n))
		return -EINVAL;
	devtmpfs_automount = n != 0;
	return 0;
}
BOOT_PARAM("devtmpfs.mount", set_devtmpfs_mount);

/* ---- root= to a device number ---- */

struct find_bdev {
	const char *name;
	bool whole;		/* only whole disks */
	uint32_t dev;
};

static int match_bdev(struct block_device *bdev, void *arg)
{
	struct find_bdev *fb = arg;

	if (fb->whole && bdev_partno(bdev))
		return 0;
	if (strcmp(bdev_name(bdev), fb->name))
		return 0;
	fb->dev = bdev_dev(bdev);
	return 1;
}

static uint32_t lookup_bdev_name(const char *name, bool whole)
{
	struct find_bdev fb = { .name = name, .whole = whole };

	blk_for_each(match_bdev, &fb);
	return fb.dev;
}

/*
 * A /dev name: the block device of that name, else (a partition the table
 * lacks) the number it would have on its disk, as Linux's blk_lookup_devt:
 * mounting it then fails with -ENXIO and reports the number.
 */
static uint32_t dev_from_dev_name(const char *name)
{
	char s[ROOT_NAME_MAX];
	size_t n = strlen(name), p;
	uint64_t part;
	uint32_t disk;

	if (n >= sizeof(s))
		return 0;
	memcpy(s, name, n + 1);
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/')
			s[i] = '!';
	disk = lookup_bdev_name(s, false);
	if (disk)
		return disk;
	for (p = n; p > 0 && s[p - 1] >= '0' && s[p - 1] <= '9'; p--)
		;
	if (p == 0 || p == n || s[p] == '0' || parse_ulong(s + p, 10, &part))
		return 0;
	s[p] = '\0';
	disk = lookup_bdev_name(s, true);
	if (!disk || part >= BLK_MINORS)
		return 0;
	return MKDEV(MAJOR(disk), MINOR(disk) + (uint32_t)part);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The first len bytes of uuid equal the whole of b, ignoring case (Linux's strcasecmp). */
static bool uuid_eq(const char *uuid, size_t len, const char *b)
{
	if (strlen(b) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (lower(uuid[i]) != lower(b[i]))
			return false;
	return true;
}

struct find_uuid {
	const char *uuid;
	size_t len;
	int64_t offset;
	uint32_t dev;
	struct block_device *found;
};

static int match_uuid(struct block_device *bdev, void *arg)
{
	struct find_uuid *fu = arg;

	if (!bdev_partno(bdev) || !uuid_eq(fu->uuid, fu->len, bdev_part_uuid(bdev)))
		return 0;
	fu->found = bdev;
	return 1;
}

/* The partition partno of the disk of fu->found, if there is one. */
static int match_partno(struct block_device *bdev, void *arg)
{
	struct find_uuid *fu = arg;
	int64_t want = (int64_t)bdev_partno(fu->found) + fu->offset;

	if (bdev_whole(bdev) != bdev_whole(fu->found) ||
	    (int64_t)bdev_partno(bdev) != want)
		return 0;
	fu->dev = bdev_dev(bdev);
	return 1;
}

/* PARTUUID=UUID[/PARTNROFF=N], as Linux's devt_from_partuuid: 0 when unknown. */
static uint32_t dev_from_partuuid(const char *s)
{
	struct find_uuid fu = { .uuid = s, .len = strlen(s) };
	const char *slash = strchr(s, '/');
	uint64_t off;

	if (slash) {
		const char *v = slash + 1;
		bool neg = false;

		if (strncmp(v, "PARTNROFF=", 10))
			goto invalid;
		v += 10;
		if (*v == '-') {
			neg = true;
			v++;
		}
		if (parse_ulong(v, 10, &off) || off > BLK_MINORS)
			goto invalid;
		fu.offset = neg ? -(int64_t)off : (int64_t)off;
		fu.len = (size_t)(slash - s);
	}
	blk_for_each(match_uuid, &fu);
	if (!fu.found)
		goto invalid;
	if (!fu.offset)
		return bdev_dev(fu.found);
	blk_for_each(match_partno, &fu);
	return fu.dev;
invalid:
	pr_err("VFS: PARTUUID= is invalid.\nExpected PARTUUID=<valid-uuid-id>[/PARTNROFF=%%d]\n");
	if (root_wait_ms)
		pr_err("Disabling rootwait; root= is invalid.\n");
	root_wait_ms = 0;
	return 0;
}

/* Linux's name_to_dev_t: /dev/NAME, PARTUUID=, MAJOR:MINOR or a hex number; 0 when unknown. */
static uint32_t name_to_dev(const char *name)
{
	uint64_t v, ma, mi;
	const char *colon;
	char num[24];

	if (strncmp(name, "PARTUUID=", 9) == 0)
		return dev_from_partuuid(name + 9);
	if (strncmp(name, "/dev/", 5) == 0)
		return dev_from_dev_name(name + 5);
	colon = strchr(name, ':');
	if (colon) {
		size_t n = (size_t)(colon - name);

		if (n == 0 || n >= sizeof(num))
			return 0;
		memcpy(num, name, n);
		num[n] = '\0';
		if (parse_ulong(num, 10, &ma) || parse_ulong(colon + 1, 10, &mi) ||
		    ma > 0xfff || mi > 0xfffff)
			return 0;
		return MKDEV(ma, mi);
	}
	if (!name[0] || parse_ulong(name, 16, &v) || v > UINT32_MAX)
		return 0;
	/* new_decode_dev: major in bits 8-19, minor in 0-7 and 20-31. */
	return MKDEV((v & 0xfff00) >> 8, (v & 0xff) | ((v >> 12) & 0xfff00));
}

/* ---- reports ---- */

/* Linux's bdevt_str: "fe01" for small numbers, else "103:00001". */
static void devt_str(uint32_t dev, char *buf, size_t size)
{
	if (MAJOR(dev) <= 0xff && MINOR(dev) <= 0xff)
		snprintf(buf, size, "%02x%02x", MAJOR(dev), MINOR(dev));
	else
		snprintf(buf, size, "%03x:%05x", MAJOR(dev), MINOR(dev));
}

static int print_partition(struct block_device *bdev, void *arg)
{
	char devt[16];

	(void)arg;
	devt_str(bdev_dev(bdev), devt, sizeof(devt));
	/* Linux's printk_all_partitions, less its "driver:" note on disks. */
	if (bdev_partno(bdev))
		pr_warn("  %s %10llu %s %s\n", devt, (unsigned long long)(bdev_nr_sectors(bdev) >> 1),
			bdev_name(bdev), bdev_part_uuid(bdev));
	else
		pr_warn("%s %10llu %s\n", devt, (unsigned long long)(bdev_nr_sectors(bdev) >> 1),
			bdev_name(bdev));
	return 0;
}

static void print_all_partitions(void)
{
	blk_for_each(print_partition, NULL);
}

/* ---- mounting ---- */

/*
 * The file-system types to try: rootfstype='s comma-separated list, or
 * every registered type that mounts a device.  ext3 and ext4 are served by
 * the ext2 driver, which refuses an image whose features it lacks (as
 * Linux's ext4 driver serves ext2).  Returns how many, NUL-separated in buf.
 */
static int fs_names(char *buf, size_t size)
{
	size_t used = 0;
	int n = 0;

	if (root_fs_names) {
		/* Linux's split_fs_names: one name per comma-separated piece (empty ones skipped later). */
		strlcpy(buf, root_fs_names, size);
		n = 1;
		for (char *p = buf; *p; p++) {
			if (*p == ',') {
				*p = '\0';
				n++;
			}
		}
		return n;
	}
	for (size_t i = 0;; i++) {
		bool dev;
		const char *t = init_fs_type_nth(i, &dev);
		size_t len;

		if (!t)
			break;
		len = strlen(t);
		if (!dev || used + len + 2 > size)
			continue;
		memcpy(buf + used, t, len + 1);
		used += len + 1;
		n++;
	}
	buf[used] = '\0';
	return n;
}

static const char *driver_for(const char *fs)
{
	if (strcmp(fs, "ext3") == 0 || strcmp(fs, "ext4") == 0)
		return "ext2";
	return fs;
}

static int do_mount_root(const char *name, const char *fs, uint64_t flags, const char *data)
{
	const char *type;
	uint32_t dev;
	bool rdonly;
	int err = init_mount(name, "/root", driver_for(fs), flags, data);

	if (err)
		return err;
	init_chdir("/root");
	if (!init_cwd_sb(&type, &dev, &rdonly))
		pr_info("VFS: Mounted root (%s filesystem)%s on device %u:%u.\n", type,
			rdonly ? " readonly" : "", MAJOR(dev), MINOR(dev));
	return 0;
}

static __noreturn void cannot_open(const char *b, int err)
{
	pr_warn("VFS: Cannot open root device \"%s\" or %s: error %d\n", saved_root_name, b, err);
	pr_warn("Please append a correct \"root=\" boot option; here are the available partitions:\n");
	print_all_partitions();
	panic("VFS: Unable to mount root fs on %s", b);
}

static void mount_block_root(const char *name, uint32_t root_dev, uint64_t flags)
{
	char names[FS_NAMES_MAX], tried[FS_NAMES_MAX + 16], b[32];
	int num = fs_names(names, sizeof(names));
	size_t used = 0;
	const char *p;
	int i;

	snprintf(b, sizeof(b), "unknown-block(%u,%u)", MAJOR(root_dev), MINOR(root_dev));
	for (;;) {
		for (i = 0, p = names; i < num; i++, p += strlen(p) + 1) {
			int err;

			if (!*p)
				continue;
			err = do_mount_root(name, p, flags, root_mount_data);
			if (err == 0)
				return;
			if (err != -EACCES && err != -EINVAL)
				cannot_open(b, err);
		}
		if (flags & MS_RDONLY)
			break;
		flags |= MS_RDONLY;	/* a device that refuses writing may still be read */
	}
	pr_warn("List of all partitions:\n");
	print_all_partitions();
	tried[0] = '\0';
	for (i = 0, p = names; i < num; i++, p += strlen(p) + 1)
		if (used < sizeof(tried))
			used += (size_t)snprintf(tried + used, sizeof(tried) - used, " %s", p);
	pr_warn("No filesystem could mount root, tried: %s\n", tried);
	panic("VFS: Unable to mount root fs on %s", b);
}

static void mount_root(uint32_t root_dev)
{
	int err;

	init_unlink("/dev/root");
	err = init_mknod("/dev/root", S_IFBLK | 0600, root_dev);
	if (err < 0)
		pr_emerg("Failed to create /dev/root: %d\n", err);
	mount_block_root("/dev/root", root_dev, root_mountflags);
}

/* Linux's wait_for_root: poll for the name every 5 ms, for ever or root_wait_ms. */
static uint32_t wait_for_root(const char *name)
{
	uint64_t end = clock_monotonic_ns() + (uint64_t)(root_wait_ms > 0 ? root_wait_ms : 0) *
				       NSEC_PER_MSEC;
	uint32_t dev;

	pr_info("Waiting for root device %s...\n", name);
	while ((dev = name_to_dev(name)) == 0) {
		task_sleep_ns(5 * NSEC_PER_MSEC);
		if (root_wait_ms > 0 && clock_monotonic_ns() > end)
			break;
	}
	return dev;
}

static void devtmpfs_mount(void)
{
	int err;

	if (!devtmpfs_automount)
		return;
	err = init_mount("devtmpfs", "dev", "devtmpfs", MS_SILENT, NULL);
	if (err)
		pr_info("devtmpfs: error mounting %d\n", err);
	else
		pr_info("devtmpfs: mounted\n");
}

void prepare_namespace(void)
{
	const char *name = saved_root_name;
	uint32_t root_dev;

	if (root_delay) {
		pr_info("Waiting %llu sec before mounting root device...\n",
			(unsigned long long)root_delay);
		task_sleep_ns(root_delay * NSEC_PER_SEC);
	}
	root_dev = name_to_dev(name);
	if (strncmp(name, "/dev/", 5) == 0)
		saved_root_name = name + 5;	/* the reports name the device without /dev/ */
	if (root_dev == 0 && root_wait_ms)
		root_dev = wait_for_root(name);
	mount_root(root_dev);
	devtmpfs_mount();
	init_mount(".", "/", NULL, MS_MOVE, NULL);
	init_chroot(".");
}
