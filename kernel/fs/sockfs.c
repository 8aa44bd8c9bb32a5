// SPDX-License-Identifier: MPL-2.0
// sockfs: the anonymous inode behind every socket file (fstat shows
// S_IFSOCK, /proc/PID/fd shows socket:[ino], as Linux), and the socket
// nodes that bind(2) of a pathname Unix socket makes in the file system.
#include <aster/errno.h>
#include <aster/heap.h>
#include "fs/vfs.h"

static const struct fs_type sockfs_type = { .name = "sockfs", .magic = 0x534F434B };
static struct super_block *sockfs_sb;
static spinlock_t sockfs_lock = SPINLOCK_INIT;

/* Made on first use: a super block nothing mounts, whose inodes only sockets hold. */
static int sockfs_get_sb(struct super_block **out)
{
	struct super_block *sb;
	irqflags_t fl;

	if (sockfs_sb) {
		*out = sockfs_sb;
		return 0;
	}
	sb = kzalloc(sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	sb->type = &sockfs_type;
	sb->dev = vfs_new_dev();
	atomic_set(&sb->refs, 1);
	fl = spin_lock_irqsave(&sockfs_lock);
	if (!sockfs_sb) {
		sockfs_sb = sb;
		sb = NULL;
	}
	spin_unlock_irqrestore(&sockfs_lock, fl);
	kfree(sb);
	*out = sockfs_sb;
	return 0;
}

int sockfs_file_alloc(const struct file_ops *ops, unsigned int flags, void *priv,
		      struct file **out, uint64_t *ino)
{
	struct super_block *sb;
	struct inode *i;
	struct file *f;
	int err = sockfs_get_sb(&sb);

	if (err)
		return err;
	err = inode_new(sb, S_IFSOCK | 0777, &i);
	if (err)
		return err;
	f = file_alloc(ops, O_RDWR | flags, priv);
	if (!f) {
		inode_put(i);
		return -ENOMEM;
	}
	f->inode = i;
	*ino = i->ino;
	*out = f;
	return 0;
}

bool file_is_sockfs(struct file *f)
{
	return f->inode && f->inode->sb == sockfs_sb && sockfs_sb;
}

int sockfs_mknod(const char *path, struct dentry **out)
{
	int err = vfs_mknod(AT_FDCWD, path, S_IFSOCK | 0777, 0, out);

	return err == -EEXIST ? -EADDRINUSE : err;
}

int sockfs_lookup(const char *path, struct dentry **out, const void **key)
{
	struct dentry *d;
	int err = vfs_lookup(AT_FDCWD, path, LOOKUP_FOLLOW, &d);

	if (err)
		return err;
	err = inode_permission(d->inode, MAY_WRITE);
	if (!err && !S_ISSOCK(d->inode->mode))
		err = -ECONNREFUSED;
	if (err) {
		dentry_put(d);
		return err;
	}
	*out = d;
	*key = d->inode;
	return 0;
}

const void *sockfs_key(struct dentry *d)
{
	return d->inode;
}

void sockfs_put(struct dentry *d)
{
	if (d)
		dentry_put(d);
}
