// SPDX-License-Identifier: MPL-2.0
// The block devices in sysfs, as Linux lays them out for what user space
// reads (lsblk, mdev -s, udev rules): a directory per disk under
// /sys/block with its partitions inside, each with dev, size, ro, and
// start/partition for partitions; /sys/class/block and /sys/dev/block
// name them through symlinks.  Linux's /sys/block entries are themselves
// symlinks into /sys/devices; here they are the directories.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "block/blkdev.h"
#include "fs/file.h"
#include "fs/sysfs/attr.h"
#include "fs/sysfs/block.h"

#define MAX_BDEVS	(26 * 16)	/* the block layer's disks and minors */

/* The child name of dir with mode (found or made), with a reference. */
static int child(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out)
{
	struct dentry *d;
	int err = 0;

	mutex_lock(&vfs_ns_lock);
	d = dentry_find_child(dir, name, strlen(name));
	if (!d)
		err = vfs_create_child(dir, name, mode, 0, &d);
	mutex_unlock(&vfs_ns_lock);
	if (err)
		return err;
	d->inode->uid = d->inode->gid = 0;
	d->inode->mode = mode;
	*out = d;
	return 0;
}

/* A file (S_IFREG) or symlink (S_IFLNK) named name in dir holding text. */
static int leaf(struct dentry *dir, const char *name, uint32_t mode, const char *text)
{
	struct dentry *d;
	int err = child(dir, name, mode, &d);

	if (err)
		return err;
	err = ramfs_set_data(d->inode, text, strlen(text));
	if (!err && S_ISREG(mode))
		sysfs_attr_init(d->inode, SYSFS_ATTR_RO);
	dentry_put(d);
	return err;
}

static int leaf_u64(struct dentry *dir, const char *name, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu\n", (unsigned long long)v);
	return leaf(dir, name, S_IFREG | 0444, buf);
}

/* dir's path down from the root: a/b/c, each found or made. */
static int path_dirs(struct super_block *sb, const char *const *names, size_t n,
		     struct dentry **out)
{
	struct dentry *d = sb->root, *next;
	int err = 0;

	dentry_get(d);
	for (size_t i = 0; i < n && !err; i++) {
		err = child(d, names[i], S_IFDIR | 0755, &next);
		dentry_put(d);
		d = err ? NULL : next;
	}
	if (err)
		return err;
	*out = d;
	return 0;
}

static int queue_dir(struct dentry *dir, struct block_device *bd)
{
	struct dentry *q;
	int err = child(dir, "queue", S_IFDIR | 0755, &q);

	if (err)
		return err;
	err = leaf_u64(q, "logical_block_size", bdev_logical_block_size(bd));
	if (!err)
		err = leaf_u64(q, "physical_block_size", bdev_physical_block_size(bd));
	if (!err)
		err = leaf_u64(q, "hw_sector_size", bdev_logical_block_size(bd));
	if (!err)
		err = leaf_u64(q, "rotational", 0);
	dentry_put(q);
	return err;
}

struct walk {
	struct super_block *sb;
	struct dentry *block, *class_block, *dev_block;
};

static int common_files(struct dentry *d, struct block_device *bd)
{
	char dev[24];
	int err;

	snprintf(dev, sizeof(dev), "%u:%u\n", MAJOR(bdev_dev(bd)), MINOR(bdev_dev(bd)));
	err = leaf(d, "dev", S_IFREG | 0444, dev);
	if (!err)
		err = leaf_u64(d, "size", bdev_nr_sectors(bd));
	if (!err)
		err = leaf_u64(d, "ro", bdev_read_only(bd));
	return err;
}

/* The links to d from /sys/class/block and /sys/dev/block. */
static int links(struct walk *w, struct block_device *bd, const char *rel)
{
	char target[64], name[24];
	int err;

	snprintf(target, sizeof(target), "../../block/%s", rel);
	err = leaf(w->class_block, bdev_name(bd), S_IFLNK | 0777, target);
	snprintf(name, sizeof(name), "%u:%u", MAJOR(bdev_dev(bd)), MINOR(bdev_dev(bd)));
	if (!err)
		err = leaf(w->dev_block, name, S_IFLNK | 0777, target);
	return err;
}

static int add_bdev(struct block_device *bd, void *arg)
{
	struct walk *w = arg;
	struct block_device *whole = bdev_whole(bd);
	struct dentry *disk, *d;
	char rel[56];
	int err = child(w->block, bdev_name(whole), S_IFDIR | 0755, &disk);

	if (err)
		return err;
	if (bd == whole) {
		d = disk;
		strlcpy(rel, bdev_name(bd), sizeof(rel));
		err = common_files(d, bd);
		if (!err)
			err = leaf_u64(d, "removable", 0);
		if (!err)
			err = queue_dir(d, bd);
	} else {
		err = child(disk, bdev_name(bd), S_IFDIR | 0755, &d);
		dentry_put(disk);
		if (err)
			return err;
		snprintf(rel, sizeof(rel), "%s/%s", bdev_name(whole), bdev_name(bd));
		err = common_files(d, bd);
		if (!err)
			err = leaf_u64(d, "start", bdev_start_sector(bd));
		if (!err)
			err = leaf_u64(d, "partition", bdev_partno(bd));
	}
	if (!err)
		err = links(w, bd, rel);
	dentry_put(d);
	return err;
}

struct bdev_list {
	struct block_device *bd[MAX_BDEVS];
	unsigned int n;
};

/* Block devices are never freed, so the list may outlive the walk. */
static int collect(struct block_device *bd, void *arg)
{
	struct bdev_list *l = arg;

	if (l->n == MAX_BDEVS)
		return -ENOSPC;
	l->bd[l->n++] = bd;
	return 0;
}

int sysfs_block_populate(struct super_block *sb)
{
	static const char *const block[] = { "block" };
	static const char *const class_block[] = { "class", "block" };
	static const char *const dev_block[] = { "dev", "block" };
	struct walk w = { sb, NULL, NULL, NULL };
	struct bdev_list *list = kzalloc(sizeof(*list));
	int err = list ? path_dirs(sb, block, 1, &w.block) : -ENOMEM;

	if (!err)
		err = path_dirs(sb, class_block, 2, &w.class_block);
	if (!err)
		err = path_dirs(sb, dev_block, 2, &w.dev_block);
	/* Not under the block layer's lock: vfs_ns_lock is taken inside. */
	if (!err)
		err = blk_for_each(collect, list);
	for (unsigned int i = 0; !err && i < list->n; i++)
		err = add_bdev(list->bd[i], &w);
	kfree(list);
	if (w.block)
		dentry_put(w.block);
	if (w.class_block)
		dentry_put(w.class_block);
	if (w.dev_block)
		dentry_put(w.dev_block);
	return err;
}
