// SPDX-License-Identifier: MPL-2.0
// Opening files by path, reading and writing through file_ops, seeking,
// and listing directories.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/locks.h"
#include "block/blkdev.h"
#include "security/landlock/landlock.h"
#include "fs/vfs.h"
#include "process/process.h"
#include "uapi/fs.h"
#include "uapi/inotify.h"
#include "uapi/mount.h"

static const struct file_ops path_only_ops = { 0 };

static bool acc_reads(unsigned int flags)
{
	return (flags & O_ACCMODE) == O_RDONLY || (flags & O_ACCMODE) == O_RDWR;
}

static bool acc_writes(unsigned int flags)
{
	return (flags & O_ACCMODE) == O_WRONLY || (flags & O_ACCMODE) == O_RDWR;
}

static bool special(uint32_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

int vfs_open_dentry(struct dentry *d, unsigned int flags, struct file **out)
{
	return vfs_open_path(NULL, d, flags, out);
}

int vfs_open_path(struct mount *m, struct dentry *d, unsigned int flags, struct file **out)
{
	struct inode *i = d->inode;
	struct file *f;
	int err = 0;

	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	/* O_NOCTTY stays for the device's open (a tty), as on Linux; dropped after. */
	f = file_alloc((flags & O_PATH) ? &path_only_ops : i->fops,
		       flags & ~(unsigned int)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC), NULL);
	if (!f)
		return -ENOMEM;
	dentry_get(d);
	inode_get(i);
	f->dentry = d;
	f->inode = i;
	if (m)
		mount_get(m);
	else
		m = mount_of_dentry(d);
	f->mnt = m;
	/* A writer of a file (not a device) keeps its mount from turning read-only. */
	if (!(flags & O_PATH) && acc_writes(f->flags) && !special(i->mode)) {
		err = mount_get_write(m);
		if (err) {
			f->flags &= ~(unsigned int)O_ACCMODE;
			file_put(f);
			return err;
		}
	}
	if (S_ISREG(i->mode) && acc_writes(f->flags)) {
		mutex_lock(&i->lock);
		if (i->writers < 0)
			err = -ETXTBSY;
		else
			i->writers++;
		mutex_unlock(&i->lock);
		if (err) {
			/* Not counted: keep file_put from uncounting. */
			f->flags &= ~(unsigned int)O_ACCMODE;
			file_put(f);
			return err;
		}
	}
	if (S_ISREG(i->mode) && !(flags & O_PATH) && !acc_writes(f->flags)) {
		mutex_lock(&i->lock);
		i->readers++;
		mutex_unlock(&i->lock);
		f->counted_reader = true;
	}
	if (!(flags & O_PATH)) {
		if (S_ISCHR(i->mode))
			err = chrdev_open(f, i->rdev);
		else if (S_ISBLK(i->mode))
			err = blkdev_open(f, i->rdev);
		else if (S_ISSOCK(i->mode))
			err = -ENXIO;
		else if (S_ISFIFO(i->mode))
			err = fifo_open(f);
		else if (i->iops && i->iops->open)
			err = i->iops->open(f);
	}
	if (err) {
		file_put(f);
		return err;
	}
	f->flags &= ~(unsigned int)O_NOCTTY;
	if (!(flags & O_PATH))
		fsnotify_dentry(d, IN_OPEN);
	*out = f;
	return 0;
}

/* Find or create the last component for O_CREAT (resolve: LOOKUP_RESOLVE bits). */
static int open_create(int dirfd, const char *path, unsigned int flags, uint32_t mode,
		       unsigned int resolve, struct dentry **out, struct mount **out_mnt,
		       bool *created)
{
	struct nameparent np;
	struct dentry *d;
	struct mount *m = NULL;
	int err = vfs_lookup_parent_flags(dirfd, path, resolve, &np);

	*created = false;
	if (err)
		return err;
	if (np.dots || np.trailing_slash) {
		nameparent_release(&np);
		return -EISDIR;
	}
	mutex_lock(&vfs_ns_lock);
	err = dentry_lookup(np.dir, np.last, strlen(np.last), &d);
	if (err == -ENOENT) {
		err = inode_permission(np.dir->inode, MAY_WRITE | MAY_EXEC);
		if (!err && (!np.dir->inode->iops || (np.dir->sb->type && np.dir->sb->type->fixed_names) ||
			     (!np.dir->inode->iops->create && !inode_fs_names(np.dir->inode))))
			err = -EACCES;
		if (!err && np.dir->inode->nlink == 0)
			err = -ENOENT;
		if (!err)
			err = mount_want_write(np.mnt);
		if (!err)
			err = landlock_path_mknod(np.mnt, np.dir, S_IFREG);
		if (!err)
			err = vfs_create_child(np.dir, np.last,
					       S_IFREG | (mode & 07777 & ~vfs_current_umask()), 0,
					       &d);
		*created = !err;
		if (!err) {
			m = np.mnt;
			mount_get(m);
		}
	} else if (!err && (flags & O_EXCL)) {
		dentry_put(d);
		err = -EEXIST;
	} else if (!err && S_ISLNK(d->inode->mode) && !(flags & O_NOFOLLOW)) {
		/* Resolve through the link below, with the whole walk's rules. */
		dentry_put(d);
		d = NULL;
	} else if (!err && mount_lookup(np.mnt, d) && (resolve & LOOKUP_NO_XDEV)) {
		dentry_put(d);
		err = -EXDEV;
	} else if (!err) {
		m = np.mnt;
		mount_get(m);
		mount_follow(&m, &d);
	}
	mutex_unlock(&vfs_ns_lock);
	nameparent_release(&np);
	if (err)
		return err;
	if (!d)
		return vfs_lookup_mnt(dirfd, path, LOOKUP_FOLLOW | resolve, out, out_mnt);
	*out = d;
	*out_mnt = m;
	return 0;
}

static int open_checks(struct mount *m, struct dentry *d, unsigned int flags, bool created)
{
	struct inode *i = d->inode;
	int mask = 0;
	int err;

	if (flags & O_PATH)
		return (flags & O_DIRECTORY) && !S_ISDIR(i->mode) ? -ENOTDIR : 0;
	if (S_ISLNK(i->mode))
		return -ELOOP;
	if ((flags & O_DIRECTORY) && !S_ISDIR(i->mode))
		return -ENOTDIR;
	if (S_ISDIR(i->mode) && (acc_writes(flags) || (flags & (O_TRUNC | O_CREAT))))
		return -EISDIR;
	if ((flags & O_ACCMODE) == 3)
		return -EINVAL;
	if (created)
		return 0;
	/* nodev: device nodes do not open at all (before the permission bits, as Linux). */
	if ((S_ISCHR(i->mode) || S_ISBLK(i->mode)) && m && (m->flags & MS_NODEV))
		return -EACCES;
	if (acc_reads(flags))
		mask |= MAY_READ;
	if (acc_writes(flags) || (flags & O_TRUNC))
		mask |= MAY_WRITE;
	err = inode_permission(i, mask);
	if (!err && (mask & MAY_WRITE) && !special(i->mode))
		err = mount_want_write(m);
	/* Leaving atime alone is the owner's choice (Linux: owner or CAP_FOWNER). */
	if (!err && (flags & O_NOATIME) && !vfs_owner_or_capable(i))
		err = -EPERM;
	return err;
}

int vfs_open_resolve(int dirfd, const char *path, unsigned int flags, uint32_t mode,
		     unsigned int resolve, struct file **out)
{
	struct dentry *d;
	struct mount *m;
	bool created = false;
	uint16_t ll_denied = 0;
	int err;

	resolve &= LOOKUP_RESOLVE;
	if ((flags & __O_TMPFILE) == __O_TMPFILE)
		return vfs_open_tmpfile(dirfd, path, flags, mode, resolve, out);
	if ((flags & O_CREAT) && !(flags & O_PATH))
		err = open_create(dirfd, path, flags, mode, resolve, &d, &m, &created);
	else
		err = vfs_lookup_mnt(dirfd, path,
				     ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
				     ((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0) | resolve, &d, &m);
	if (err)
		return err;
	err = open_checks(m, d, flags, created);
	/* A conflicting lease is broken before the open (and its truncation) goes on. */
	if (!err && !(flags & O_PATH) && S_ISREG(d->inode->mode))
		err = lease_break(d->inode, flags);
	if (!err && (flags & O_DIRECT) && !(flags & O_PATH) &&
	    !(d->inode->fops && d->inode->fops->direct_io))
		err = -EINVAL;	/* as Linux where the file has no direct I/O (6.1's tmpfs, ramfs, devices) */
	if (!err)
		err = landlock_file_open(m, d, flags, false, &ll_denied);
	if (!err && (flags & O_TRUNC) && !(flags & O_PATH) && S_ISREG(d->inode->mode) &&
	    acc_writes(flags)) {
		err = created ? 0 : landlock_file_truncate(ll_denied);
		if (!err)
			err = vfs_truncate_inode(d->inode, 0);
	}
	if (!err)
		err = vfs_open_path(m, d, flags, out);
	if (!err)
		(*out)->landlock_denied = ll_denied;
	dentry_put(d);
	mount_put(m);
	return err;
}

int vfs_open(int dirfd, const char *path, unsigned int flags, uint32_t mode, struct file **out)
{
	return vfs_open_resolve(dirfd, path, flags, mode, 0, out);
}

int vfs_open_kernel(const char *path, unsigned int flags, uint32_t mode, struct file **out)
{
	return vfs_open(AT_FDCWD, path, flags, mode, out);
}

int vfs_unlink_kernel(const char *path)
{
	return vfs_unlink(AT_FDCWD, path);
}

int vfs_open_exec(int dirfd, const char *path, int at_flags, struct file **out)
{
	struct dentry *d;
	struct mount *m;
	unsigned int lf = (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	uint16_t ll_denied;
	int err;

	if (at_flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = vfs_lookup_mnt(dirfd, path, lf, &d, &m);
	if (err)
		return err;
	if (S_ISLNK(d->inode->mode))
		err = -ELOOP;
	else if (!S_ISREG(d->inode->mode))
		err = -EACCES;
	else if (m && (m->flags & MS_NOEXEC))
		err = -EACCES;
	else
		err = inode_permission(d->inode, MAY_EXEC);
	if (!err && d->inode->writers > 0)
		err = -ETXTBSY;
	if (!err)
		err = landlock_file_open(m, d, O_RDONLY, true, &ll_denied);
	if (!err)
		err = vfs_open_path(m, d, O_RDONLY, out);
	if (!err)
		(*out)->landlock_denied = ll_denied;
	dentry_put(d);
	mount_put(m);
	return err;
}

ssize_t vfs_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	ssize_t n;

	if ((f->flags & O_PATH) || !acc_reads(f->flags))
		return -EBADF;
	if (f->inode && S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!f->ops || !f->ops->read)
		return -EINVAL;
	if (buf->len == 0)
		return 0;
	n = f->ops->read(f, buf, pos);
	if (n > 0 && f->dentry)
		fsnotify_dentry(f->dentry, IN_ACCESS);
	return n;
}

ssize_t vfs_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	ssize_t n;

	if ((f->flags & O_PATH) || !acc_writes(f->flags))
		return -EBADF;
	if (!f->ops || !f->ops->write)
		return -EINVAL;
	if (buf->len == 0 && f->inode && S_ISREG(f->inode->mode))
		return 0;
	if (f->inode && S_ISREG(f->inode->mode)) {
		/* RLIMIT_FSIZE: cut the write to what fits; nothing fits is EFBIG. */
		uint64_t limit = process_fsize_limit();
		uint64_t at = (f->flags & O_APPEND) ? f->inode->size : *pos;

		if (limit != UINT64_MAX && at >= limit)
			return process_fsize_exceeded();
		if (limit != UINT64_MAX && buf->len > limit - at)
			buf->len = limit - at;
	}
	n = f->ops->write(f, buf, pos);
	if (n > 0 && f->dentry)
		fsnotify_dentry(f->dentry, IN_MODIFY);
	return n;
}

int64_t vfs_generic_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base, size = f->inode ? (int64_t)f->inode->size : 0;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		base = size;
		break;
	case SEEK_DATA:
		if (off < 0 || off >= size)
			return -ENXIO;
		base = 0;
		break;
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		base = 0;
		off = size;
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return base + off;
}

int vfs_readdir(struct file *f, struct dir_emit *ctx)
{
	struct dentry *d = f->dentry, *c, *p;
	struct inode *i;
	int err = 0;

	if (!d || !S_ISDIR(d->inode->mode))
		return -ENOTDIR;
	i = d->inode;
	mutex_lock(&vfs_ns_lock);
	if (ctx->pos == 0) {
		if (ctx->emit(ctx, ".", 1, i->ino, DT_DIR, 1))
			goto out;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct mount *m = f->mnt;

		p = m ? mount_ns_parent(&m, d) : d->parent;
		if (ctx->emit(ctx, "..", 2, p ? p->inode->ino : i->ino, DT_DIR, 2))
			goto out;
		ctx->pos = 2;
	}
	if (i->nlink == 0)
		goto out;
	if (i->iops && i->iops->readdir) {
		err = i->iops->readdir(i, ctx);
		goto out;
	}
	for (struct list_node *n_ = (&d->children)->next; n_ != (&d->children); n_ = n_->next) {
		c = container_of(n_, struct dentry, sibling);
		if (c->seq < ctx->pos)
			continue;
		if (ctx->emit(ctx, c->name, strlen(c->name), c->inode->ino,
			      mode_to_dtype(c->inode->mode), c->seq + 1))
			break;
		ctx->pos = c->seq + 1;
	}
out:
	mutex_unlock(&vfs_ns_lock);
	return err;
}
