// SPDX-License-Identifier: MPL-2.0
// sysfs: a ramfs laid out as Linux's /sys, holding what user space probes:
// the top-level directories, /sys/kernel's counters, and one directory per
// device with a dev attribute (sysfs_add_device), so BusyBox `mdev -s`
// can populate /dev:
//
//	/sys/class/CLASS/NAME/{dev,uevent,subsystem}	dev is "MAJ:MIN\n"
//	/sys/dev/{char,block}/MAJ:MIN -> ../../class/CLASS/NAME
//	/sys/block/NAME -> ../class/block/NAME		(whole disks)
//
// Devices registered before a mount appear in it, later ones in every
// mounted instance, as devtmpfs does with its nodes.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "fs/sysfs/attr.h"
#include "fs/sysfs/block.h"
#include "fs/sysfs/net.h"
#include "fs/vfs.h"
#include "uapi/magic.h"

#define MAX_SYSFS_DEVS	128
#define MAX_SYSFS_SB	8
#define SYSFS_NAME_MAX	32

struct sysfs_dev {
	char cls[SYSFS_NAME_MAX];
	char name[SYSFS_NAME_MAX];
	uint32_t rdev;
	unsigned int flags;
};

static struct sysfs_dev devs[MAX_SYSFS_DEVS];
static size_t nr_devs;
static struct super_block *sbs[MAX_SYSFS_SB];
static size_t nr_sbs;
static struct mutex sysfs_lock = MUTEX_INIT;

static const char *const top_dirs[] = {
	"block", "bus", "class", "dev", "devices", "firmware", "fs", "kernel", "module", "power",
};
static const char *const sub_dirs[][2] = {
	{ "class", "block" }, { "class", "net" }, { "class", "tty" }, { "dev", "block" },
	{ "dev", "char" }, { "fs", "cgroup" }, { "kernel", "mm" }, { "kernel", "debug" },
	{ "kernel", "security" }, { "kernel", "config" },
};

/* The child name of dir, created with mode when missing (ns lock held): a reference. */
static int child(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out)
{
	struct dentry *d = dentry_find_child(dir, name, strlen(name));
	int err = 0;

	if (!d)
		err = vfs_create_child(dir, name, mode, 0, &d);
	if (err)
		return err;
	d->inode->uid = d->inode->gid = 0;
	d->inode->mode = mode;
	*out = d;
	return 0;
}

/* dir/a/b... for the NULL-terminated names (ns lock held): a reference. */
static int walk(struct dentry *dir, const char *const *names, struct dentry **out)
{
	struct dentry *d = dir, *n;
	int err = 0;

	dentry_get(d);
	for (; *names && !err; names++) {
		err = child(d, *names, S_IFDIR | 0755, &n);
		dentry_put(d);
		d = err ? NULL : n;
	}
	if (err)
		return err;
	*out = d;
	return 0;
}

/* A file (an attribute of kind) or symlink name in dir holding data (ns lock held). */
static int leaf(struct dentry *dir, const char *name, uint32_t mode, enum sysfs_attr_kind kind,
		const char *data)
{
	struct dentry *d;
	int err = child(dir, name, mode, &d);

	if (err)
		return err;
	err = ramfs_set_data(d->inode, data, strlen(data));
	if (!err && S_ISREG(mode))
		sysfs_attr_init(d->inode, kind);
	dentry_put(d);
	return err;
}

static int leaf_at(struct dentry *root, const char *const *dirs, const char *name, uint32_t mode,
		   enum sysfs_attr_kind kind, const char *data)
{
	struct dentry *d;
	int err = walk(root, dirs, &d);

	if (err)
		return err;
	err = leaf(d, name, mode, kind, data);
	dentry_put(d);
	return err;
}

/* One device's directory and links in one sysfs (ns lock held). */
static int add_dev(struct super_block *sb, const struct sysfs_dev *v)
{
	const char *const dir[] = { "class", v->cls, v->name, NULL };
	bool block = v->flags & SYSFS_DEV_BLOCK;
	const char *const devdir[] = { "dev", block ? "block" : "char", NULL };
	const char *const blockdir[] = { "block", NULL };
	char buf[96], num[24];
	int err;

	snprintf(num, sizeof(num), "%u:%u", MAJOR(v->rdev), MINOR(v->rdev));
	snprintf(buf, sizeof(buf), "%s\n", num);
	err = leaf_at(sb->root, dir, "dev", S_IFREG | 0444, SYSFS_ATTR_RO, buf);
	snprintf(buf, sizeof(buf), "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n", MAJOR(v->rdev),
		 MINOR(v->rdev), v->name);
	if (!err)
		err = leaf_at(sb->root, dir, "uevent", S_IFREG | 0644, SYSFS_ATTR_UEVENT, buf);
	snprintf(buf, sizeof(buf), "../../../class/%s", v->cls);
	if (!err)
		err = leaf_at(sb->root, dir, "subsystem", S_IFLNK | 0777, SYSFS_ATTR_RO, buf);
	snprintf(buf, sizeof(buf), "../../class/%s/%s", v->cls, v->name);
	if (!err)
		err = leaf_at(sb->root, devdir, num, S_IFLNK | 0777, SYSFS_ATTR_RO, buf);
	snprintf(buf, sizeof(buf), "../class/%s/%s", v->cls, v->name);
	if (!err && (v->flags & SYSFS_DEV_DISK))
		err = leaf_at(sb->root, blockdir, v->name, S_IFLNK | 0777, SYSFS_ATTR_RO, buf);
	return err;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < SYSFS_NAME_MAX && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

int sysfs_add_device(const char *cls, const char *name, uint32_t rdev, unsigned int flags)
{
	struct sysfs_dev *v;
	int err = 0;

	if (!valid_name(cls) || !valid_name(name))
		return -EINVAL;
	mutex_lock(&sysfs_lock);
	if (nr_devs == MAX_SYSFS_DEVS) {
		mutex_unlock(&sysfs_lock);
		return -ENOSPC;
	}
	v = &devs[nr_devs++];
	strlcpy(v->cls, cls, sizeof(v->cls));
	strlcpy(v->name, name, sizeof(v->name));
	v->rdev = rdev;
	v->flags = flags;
	mutex_lock(&vfs_ns_lock);
	for (size_t i = 0; i < nr_sbs && !err; i++)
		err = add_dev(sbs[i], v);
	mutex_unlock(&vfs_ns_lock);
	mutex_unlock(&sysfs_lock);
	return err;
}

static int populate_dirs(struct super_block *sb)
{
	struct dentry *d;
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(top_dirs) && !err; i++) {
		const char *const path[] = { top_dirs[i], NULL };

		err = walk(sb->root, path, &d);
		if (!err)
			dentry_put(d);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sub_dirs) && !err; i++) {
		const char *const path[] = { sub_dirs[i][0], sub_dirs[i][1], NULL };

		err = walk(sb->root, path, &d);
		if (!err)
			dentry_put(d);
	}
	return err;
}

static int populate(struct super_block *sb)
{
	const char *const kernel[] = { "kernel", NULL };
	const char *const console[] = { "class", "tty", "console", NULL };
	int err;

	mutex_lock(&sysfs_lock);
	mutex_lock(&vfs_ns_lock);
	err = populate_dirs(sb);
	if (!err)
		err = leaf_at(sb->root, kernel, "uevent_seqnum", S_IFREG | 0444, SYSFS_ATTR_RO, "0\n");
	if (!err)
		err = leaf_at(sb->root, kernel, "uevent_helper", S_IFREG | 0644, SYSFS_ATTR_HELPER, "\n");
	/* BusyBox cttyhack reads which terminal the console is. */
	if (!err)
		err = leaf_at(sb->root, console, "active", S_IFREG | 0444, SYSFS_ATTR_RO, "ttyS0\n");
	for (size_t i = 0; i < nr_devs && !err; i++)
		err = add_dev(sb, &devs[i]);
	mutex_unlock(&vfs_ns_lock);
	if (!err && nr_sbs < MAX_SYSFS_SB)
		sbs[nr_sbs++] = sb;
	mutex_unlock(&sysfs_lock);
	return err;
}

static int sysfs_mount(const char *source, uint64_t flags, struct super_block **out)
{
	int err = ramfs_new_sb(&sysfs_type, out);

	(void)source;
	(void)flags;
	if (err)
		return err;
	(*out)->root->inode->mode = S_IFDIR | 0555;
	err = populate(*out);
	err = err ? err : sysfs_block_populate(*out);
	return err ? err : sysfs_net_populate(*out);
}

const struct fs_type sysfs_type = {
	.name = "sysfs", .magic = SYSFS_MAGIC, .mount = sysfs_mount, .fixed_names = true,
};
