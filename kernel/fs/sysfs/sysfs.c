// SPDX-License-Identifier: MPL-2.0
// A minimal sysfs: a read-only-by-mode ramfs holding what user space
// probes at boot (BusyBox cttyhack reads /sys/class/tty/console/active).
#include <aster/errno.h>
#include <aster/string.h>
#include "fs/sysfs/block.h"
#include "fs/vfs.h"
#include "uapi/magic.h"

static int add(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out)
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

static int populate(struct super_block *sb)
{
	static const char *const dirs[] = { "class", "tty", "console" };
	struct dentry *d = sb->root, *n, *f;
	int err = 0;

	dentry_get(d);
	mutex_lock(&vfs_ns_lock);
	for (size_t i = 0; i < ARRAY_SIZE(dirs) && !err; i++) {
		err = add(d, dirs[i], S_IFDIR | 0755, &n);
		if (!err) {
			dentry_put(d);
			d = n;
		}
	}
	if (!err)
		err = add(d, "active", S_IFREG | 0444, &f);
	mutex_unlock(&vfs_ns_lock);
	dentry_put(d);
	if (err)
		return err;
	err = ramfs_set_data(f->inode, "ttyS0\n", 6);
	dentry_put(f);
	/* These directories may be looked at, not changed. */
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
	return err ? err : sysfs_block_populate(*out);
}

const struct fs_type sysfs_type = { .name = "sysfs", .magic = SYSFS_MAGIC, .mount = sysfs_mount };
