// SPDX-License-Identifier: MPL-2.0
// The mqueue file system (see fs/mqueue.h): a super block per IPC namespace whose root
// (mode 01777, sticky) holds a regular file per POSIX message queue, in
// the dentry cache like devpts.  The inode of a queue owns it (inode->priv,
// freed when the inode goes); its mode, uid and gid are the queue's
// permissions, so chmod and chown there change who may mq_open it.  Linux
// gives a queue's inode a size of 80 (FILENT_SIZE), and so does this.
// Creating a regular file there (open O_CREAT) makes a queue with the
// default attributes; mkdir, mknod, symlink and link are EPERM.  rename
// within it is not refused (the VFS has no hook for that; Linux: EPERM).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/mqueue.h"
#include "fs/vfs.h"
#include "ipc/ipc.h"
#include "uapi/magic.h"

#define MQ_FILENT_SIZE	80

static struct mutex mqfs_lock = MUTEX_INIT;	/* making a super block; before vfs_ns_lock */
/* mq_open's attributes for the queue it creates now (vfs_ns_lock held), NULL: defaults. */
static const struct mq_attr *mqfs_create_attr;

static int mqfs_file_open(struct file *f)
{
	f->priv = f->inode->priv;
	return 0;
}

/* A queue has one name: Linux's mqueue has no link operation (EPERM). */
static int mqfs_link(struct inode *dir, struct inode *inode)
{
	(void)dir;
	(void)inode;
	return -EPERM;
}

static const struct inode_ops mqfs_queue_iops = { .open = mqfs_file_open, .link = mqfs_link };

/* A new queue's inode for the root (vfs_ns_lock held): regular files only, as Linux's mqueue_create. */
static int mqfs_create(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out)
{
	struct mqueue *q;
	struct inode *i;
	int err;

	(void)rdev;
	if (!S_ISREG(mode))
		return -EPERM;
	err = mq_queue_new(mqfs_create_attr, &q);
	if (err)
		return err;
	err = inode_new(dir->sb, mode, &i);
	if (err) {
		mq_queue_free(q);
		return err;
	}
	i->iops = &mqfs_queue_iops;
	i->fops = &mq_file_ops;
	i->priv = q;
	i->size = MQ_FILENT_SIZE;
	inode_touch(dir, false, true, true);
	*out = i;
	return 0;
}

static const struct inode_ops mqfs_root_iops = { .create = mqfs_create };

static void mqfs_evict(struct inode *i)
{
	if (S_ISREG(i->mode) && i->priv)
		mq_queue_free(i->priv);
}

static int mqfs_statfs(struct super_block *sb, struct linux_statfs *st)
{
	(void)sb;
	st->f_bsize = 4096;
	st->f_namelen = NAME_MAX;
	return 0;
}

const struct fs_type mqueue_type;

static void mqfs_destroy(struct super_block *sb)
{
	kfree(sb);
}

/*
 * The IPC namespace went: its internal mount goes, and with it the super
 * block and its queues unless a mount(2) of it still shows them (Linux's
 * mq_put_mnt).
 */
static void mqfs_release(struct ipc_mq_fs *fs)
{
	mount_put(fs->mnt);
	fs->mnt = NULL;
	fs->sb = NULL;
}

/*
 * The caller's IPC namespace's super block, made at first use, with its
 * internal mount, which the namespace keeps until it goes (Linux's one
 * mqueue super block per IPC namespace).
 */
static int mqfs_get(struct super_block **sb, struct mount **m)
{
	struct ipc_mq_fs *fs;
	int err = 0;

	mutex_lock(&mqfs_lock);
	fs = ipc_ns_mq_fs();
	if (!fs->sb) {
		struct super_block *s;

		err = ramfs_new_sb(&mqueue_type, &s);
		if (!err) {
			s->evict = mqfs_evict;
			s->statfs = mqfs_statfs;
			s->kill = dentry_kill_tree;
			s->destroy = mqfs_destroy;
			s->root->inode->mode = S_IFDIR | 01777;
			s->root->inode->iops = &mqfs_root_iops;
			err = vfs_kern_mount(s, "mqueue", &fs->mnt);
			/* A super block that failed stays unreachable, as devpts's. */
			if (!err) {
				fs->sb = s;
				fs->release = mqfs_release;
			}
		}
	}
	*sb = fs->sb;
	if (m)
		*m = fs->mnt;
	mutex_unlock(&mqfs_lock);
	return err;
}

/* Linux's oflag2acc: what each access mode asks of the queue's bits. */
static int acc_mask(int oflag)
{
	static const int acc[3] = { MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE };

	return acc[oflag & O_ACCMODE];
}

/* Find or make the queue's dentry (vfs_ns_lock held): Linux's prepare_open. */
static int mqfs_lookup_create(struct dentry *root, const char *name, int oflag, uint32_t mode,
			      const struct mq_attr *attr, struct dentry **out)
{
	int err = dentry_lookup(root, name, strlen(name), out);

	if (!err) {
		if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			err = -EEXIST;
		else if ((oflag & O_ACCMODE) == O_ACCMODE)
			err = -EINVAL;
		else
			err = inode_permission((*out)->inode, acc_mask(oflag));
		if (err)
			dentry_put(*out);
		return err;
	}
	if (!(oflag & O_CREAT))
		return -ENOENT;
	err = inode_permission(root->inode, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	mqfs_create_attr = attr;
	err = vfs_create_child(root, name, S_IFREG | (mode & 0777 & ~vfs_current_umask()), 0, out);
	mqfs_create_attr = NULL;
	return err;
}

int mqfs_open(const char *name, int oflag, uint32_t mode, const struct mq_attr *attr,
	      struct file **out)
{
	struct super_block *sb;
	struct dentry *d;
	struct mount *m;
	int err = mqfs_get(&sb, &m);

	if (err)
		return err;
	mutex_lock(&vfs_ns_lock);
	err = mqfs_lookup_create(sb->root, name, oflag, mode, attr, &d);
	mutex_unlock(&vfs_ns_lock);
	if (err)
		return err;
	/* Only the access mode and O_NONBLOCK stay on the file, as Linux's. */
	err = vfs_open_path(m, d, (unsigned int)oflag & (O_ACCMODE | O_NONBLOCK), out);
	dentry_put(d);
	return err;
}

/* Linux's may_delete in the sticky root: the file's or the directory's owner, or CAP_FOWNER. */
static int mqfs_may_delete(struct dentry *root, struct dentry *victim)
{
	int err = inode_permission(root->inode, MAY_WRITE | MAY_EXEC);

	return err ? err : vfs_sticky_check(root->inode, victim->inode);
}

int mqfs_unlink(const char *name)
{
	struct super_block *sb;
	struct dentry *d;
	int err = mqfs_get(&sb, NULL);

	if (err)
		return err;
	mutex_lock(&vfs_ns_lock);
	err = dentry_lookup(sb->root, name, strlen(name), &d);
	if (!err) {
		err = mqfs_may_delete(sb->root, d);
		if (!err) {
			d->inode->nlink = 0;
			inode_touch(d->inode, false, false, true);
			inode_touch(sb->root->inode, false, true, true);
			dentry_detach(d);
		}
		dentry_put(d);
	}
	mutex_unlock(&vfs_ns_lock);
	return err;
}

/* mount -t mqueue: the caller's IPC namespace's super block (Linux's one per IPC namespace). */
static int mqfs_mount_data(const char *source, uint64_t flags, const char *data,
			   struct super_block **out)
{
	int err;

	(void)source;
	(void)flags;
	if (data && data[0])
		return -EINVAL;		/* mqueue takes no options */
	err = mqfs_get(out, NULL);
	if (err)
		return err;
	return sb_mount_get_live(*out) ? 1 : -ENODEV;
}

static int mqfs_mount(const char *source, uint64_t flags, struct super_block **out)
{
	return mqfs_mount_data(source, flags, NULL, out);
}

const struct fs_type mqueue_type = {
	.name = "mqueue", .magic = MQUEUE_MAGIC, .mount = mqfs_mount,
	.mount_data = mqfs_mount_data,
};
