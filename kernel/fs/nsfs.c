// SPDX-License-Identifier: MPL-2.0
// nsfs (Linux's fs/nsfs.c): the files /proc/PID/ns/NAME open.  Each is an
// inode of an internal super block whose number is the namespace's inode
// number and which holds the namespace while it lives (so an open file
// keeps it alive, as on Linux); its ioctls say the namespace's type, owner
// and parent.  The super block is never mounted where user space can see
// it; its internal mount is what the magic links resolve into.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/sync.h>
#include <aster/uaccess.h>
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "ns/ns.h"
#include "process/process.h"
#include "uapi/fcntl.h"
#include "uapi/nsfs.h"
#include "uapi/stat.h"

static const struct fs_type nsfs_type = { .name = "nsfs", .magic = NSFS_MAGIC };
static struct mutex nsfs_lock = MUTEX_INIT;
static struct super_block *nsfs_sb;
static struct mount *nsfs_mnt;

static long ns_ioctl(struct file *f, unsigned int cmd, uint64_t arg);
static const struct file_ops ns_file_ops = { .ioctl = ns_ioctl };

/* The inode's namespace reference goes with it. */
static void nsfs_evict(struct inode *i)
{
	if (S_ISREG(i->mode) && i->priv)
		ns_put(i->priv);
	i->priv = NULL;
}

static int nsfs_get(struct super_block **sb, struct mount **m)
{
	int err = 0;

	mutex_lock(&nsfs_lock);
	if (!nsfs_sb) {
		struct super_block *s;

		err = ramfs_new_sb(&nsfs_type, &s);
		if (!err) {
			s->evict = nsfs_evict;
			err = vfs_kern_mount(s, "nsfs", &nsfs_mnt);
			/* A super block that failed stays unreachable, as mqueue's. */
			if (!err)
				nsfs_sb = s;
		}
	}
	*sb = nsfs_sb;
	*m = nsfs_mnt;
	mutex_unlock(&nsfs_lock);
	return err;
}

int ns_link_text(struct ns_common *ns, char *buf, size_t size)
{
	return snprintf(buf, size, "%s:[%u]", ns->ops->name, ns->inum);
}

int nsfs_get_link(struct ns_common *ns, struct mount **m, struct dentry **d)
{
	struct super_block *sb;
	struct mount *mnt;
	struct inode *i;
	char name[32];
	int err = nsfs_get(&sb, &mnt);

	if (err)
		return err;
	err = inode_new(sb, S_IFREG | 0444, &i);
	if (err)
		return err;
	i->ino = ns->inum;
	i->uid = i->gid = 0;
	i->fops = &ns_file_ops;
	ns_get(ns);
	i->priv = ns;
	/* An anonymous dentry under the root (not linked into it): Linux's d_alloc_pseudo. */
	err = dentry_new(sb->root, name, (size_t)ns_link_text(ns, name, sizeof(name)), i, d);
	inode_put(i);
	if (err)
		return err;
	mount_get(mnt);
	*m = mnt;
	return 0;
}

struct ns_common *nsfs_file_ns(struct file *f)
{
	if (!f->inode || !nsfs_sb || f->inode->sb != nsfs_sb || !S_ISREG(f->inode->mode))
		return NULL;
	return f->inode->priv;
}

/* Linux's open_related_ns: a new read-only, close-on-exec nsfs descriptor for ns. */
static long open_ns_fd(struct ns_common *ns)
{
	struct dentry *d;
	struct mount *m;
	struct file *f;
	int err = nsfs_get_link(ns, &m, &d);

	if (err)
		return err;
	err = vfs_open_path(m, d, O_RDONLY, &f);
	dentry_put(d);
	mount_put(m);
	if (err)
		return err;
	/* The table takes the reference. */
	err = fd_install(current_files(), f, FD_CLOEXEC);
	if (err < 0)
		file_put(f);
	return err;
}

/*
 * There is one user namespace, the initial one, which owns every
 * namespace: NS_GET_USERNS gives it, except for itself (its owner would be
 * its parent, which it has not: -EPERM, as Linux).  Only pid and user
 * namespaces are hierarchical (else -EINVAL); the initial ones have no
 * parent the caller may see (-EPERM).
 */
static long ns_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	struct ns_common *ns = nsfs_file_ns(f);
	struct ns_common *user;

	if (!ns)
		return -ENOTTY;
	switch (cmd) {
	case NS_GET_NSTYPE:
		return ns->ops->type;
	case NS_GET_USERNS:
		if (ns->ops->type == CLONE_NEWUSER)
			return -EPERM;
		user = process_ns_get(current_process(), NS_USER);
		if (!user)
			return -ESRCH;
		arg = (uint64_t)open_ns_fd(user);
		ns_put(user);
		return (long)arg;
	case NS_GET_PARENT:
		if (ns->ops->type == CLONE_NEWPID) {
			long err = pid_ns_get_parent(ns, &user);

			if (err)
				return err;
			err = open_ns_fd(user);
			ns_put(user);
			return err;
		}
		return ns->ops->hierarchical ? -EPERM : -EINVAL;
	case NS_GET_OWNER_UID:
		if (ns->ops->type != CLONE_NEWUSER)
			return -EINVAL;
		return put_user_u32(arg, 0) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}
