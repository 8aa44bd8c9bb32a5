// SPDX-License-Identifier: MPL-2.0
// Directory syscalls: getdents, mkdir, rmdir, unlink, rename, link,
// symlink, readlink, mknod, chdir, getcwd, chroot.
#include "fs/syscalls/sys.h"
#include "process/process.h"
#include "process/capability.h"

struct getdents_ctx {
	struct dir_emit e;
	uaddr_t buf;
	size_t size, used;
	bool is64;
	int err;
};

static int put_dirent(struct dir_emit *e, const char *name, size_t len, uint64_t ino,
		      unsigned int dtype, uint64_t next)
{
	struct getdents_ctx *c = container_of(e, struct getdents_ctx, e);
	uint8_t rec[24 + NAME_MAX + 8];
	size_t reclen;
	uint16_t rl;

	memset(rec, 0, sizeof(rec));
	reclen = c->is64 ? ALIGN_UP(19 + len + 1, 8) : ALIGN_UP(18 + len + 2, 8);
	if (c->used + reclen > c->size) {
		if (!c->used)
			c->err = -EINVAL;
		return 1;
	}
	rl = (uint16_t)reclen;
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &next, 8);
	memcpy(rec + 16, &rl, 2);
	if (c->is64) {
		rec[18] = (uint8_t)dtype;
		memcpy(rec + 19, name, len);
	} else {
		memcpy(rec + 18, name, len);
		rec[reclen - 1] = (uint8_t)dtype;
	}
	if (copy_to_user(c->buf + c->used, rec, reclen)) {
		c->err = -EFAULT;
		return 1;
	}
	c->used += reclen;
	e->pos = next;
	return 0;
}

static long do_getdents(int fd, uaddr_t buf, uint64_t size, bool is64)
{
	struct file *f = fget(fd);
	struct getdents_ctx c = { .e = { .emit = put_dirent }, .buf = buf, .is64 = is64 };
	int err;

	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode)) {
		file_put(f);
		return -ENOTDIR;
	}
	c.size = size > INT32_MAX ? INT32_MAX : (size_t)size;
	mutex_lock(&f->pos_lock);
	c.e.pos = f->pos;
	err = vfs_readdir(f, &c.e);
	f->pos = c.e.pos;
	mutex_unlock(&f->pos_lock);
	file_accessed(f);	/* as Linux's iterate_dir, whatever it found */
	file_put(f);
	if (c.used)
		return (long)c.used;
	return c.err ? c.err : err;
}

long sys_getdents64(int fd, uaddr_t dirp, unsigned int count)
{
	return do_getdents(fd, dirp, count, true);
}

long sys_getdents(int fd, uaddr_t dirp, unsigned int count)
{
	return do_getdents(fd, dirp, count, false);
}

/* Run fn on a user path. */
#define WITH_PATH(ua, expr)					\
	({							\
		NOINIT_BYTES(small_, PATHNAME_INLINE);		\
		struct pathname pn_;				\
		long r_ = getname_short((ua), &small_, &pn_);	\
		if (!r_) {					\
			const char *kpath = pn_.name;		\
			r_ = (expr);				\
			putname(&pn_);				\
		}						\
		r_;						\
	})

long sys_mkdir(uaddr_t pathname, unsigned int mode)
{
	return WITH_PATH(pathname, vfs_mkdir(AT_FDCWD, kpath, mode));
}

long sys_mkdirat(int dirfd, uaddr_t pathname, unsigned int mode)
{
	return WITH_PATH(pathname, vfs_mkdir(dirfd, kpath, mode));
}

long sys_rmdir(uaddr_t pathname)
{
	return WITH_PATH(pathname, vfs_rmdir(AT_FDCWD, kpath));
}

long sys_unlink(uaddr_t pathname)
{
	return WITH_PATH(pathname, vfs_unlink(AT_FDCWD, kpath));
}

long sys_unlinkat(int dirfd, uaddr_t pathname, unsigned int flags)
{

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if (flags & AT_REMOVEDIR)
		return WITH_PATH(pathname, vfs_rmdir(dirfd, kpath));
	return WITH_PATH(pathname, vfs_unlink(dirfd, kpath));
}

static long rename_common(int od, uaddr_t op, int nd, uaddr_t np, unsigned int flags)
{
	char *newpath;
	long r = getname(np, &newpath);

	if (r)
		return r;
	r = WITH_PATH(op, vfs_rename(od, kpath, nd, newpath, flags));
	kfree(newpath);
	return r;
}

long sys_rename(uaddr_t oldpath, uaddr_t newpath)
{
	return rename_common(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

long sys_renameat(int olddirfd, uaddr_t oldpath, int newdirfd, uaddr_t newpath)
{
	return rename_common(olddirfd, oldpath, newdirfd, newpath, 0);
}

long sys_renameat2(int olddirfd, uaddr_t oldpath, int newdirfd, uaddr_t newpath, unsigned int flags)
{
	return rename_common(olddirfd, oldpath, newdirfd, newpath,
			     flags);
}

static long link_common(int od, uaddr_t op, int nd, uaddr_t np, int flags)
{
	char *newpath;
	long r;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = getname(np, &newpath);
	if (r)
		return r;
	r = WITH_PATH(op, vfs_link(od, kpath, nd, newpath, flags));
	kfree(newpath);
	return r;
}

long sys_link(uaddr_t oldpath, uaddr_t newpath)
{
	return link_common(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

long sys_linkat(int olddirfd, uaddr_t oldpath, int newdirfd, uaddr_t newpath, unsigned int flags)
{
	return link_common(olddirfd, oldpath, newdirfd, newpath, (int)flags);
}

static long symlink_common(uaddr_t target, int nd, uaddr_t np)
{
	char *t;
	long r = getname(target, &t);

	if (r)
		return r;
	r = WITH_PATH(np, vfs_symlink(t, nd, kpath));
	kfree(t);
	return r;
}

long sys_symlink(uaddr_t target, uaddr_t linkpath)
{
	return symlink_common(target, AT_FDCWD, linkpath);
}

long sys_symlinkat(uaddr_t target, int newdirfd, uaddr_t linkpath)
{
	return symlink_common(target, newdirfd, linkpath);
}

static long readlink_common(int dirfd, uaddr_t up, uaddr_t buf, int64_t size)
{
	struct dentry *d;
	struct mount *m;
	char *target;
	long r;

	if (size <= 0)
		return -EINVAL;
	r = WITH_PATH(up, vfs_lookup_mnt(dirfd, kpath, LOOKUP_EMPTY, &d, &m));
	if (r)
		return r;
	target = kmalloc(PATH_MAX);
	if (!target) {
		dentry_put(d);
		mount_put(m);
		return -ENOMEM;
	}
	r = -EINVAL;
	if (S_ISLNK(d->inode->mode)) {
		touch_atime(m, d->inode);
		r = vfs_readlink(d, target, PATH_MAX);
	}
	dentry_put(d);
	mount_put(m);
	if (r >= 0) {
		r = MIN(r, size);
		if (copy_to_user(buf, target, (size_t)r))
			r = -EFAULT;
	}
	kfree(target);
	return r;
}

long sys_readlink(uaddr_t pathname, uaddr_t buf, int bufsiz)
{
	return readlink_common(AT_FDCWD, pathname, buf, (int64_t)bufsiz);
}

long sys_readlinkat(int dirfd, uaddr_t pathname, uaddr_t buf, int bufsiz)
{
	return readlink_common(dirfd, pathname, buf, (int64_t)bufsiz);
}

static long mknod_common(int dirfd, uaddr_t up, uint32_t mode, uint64_t dev)
{
	struct dentry *d;
	long r;

	if (S_ISDIR(mode) || S_ISLNK(mode))
		return -EINVAL;
	r = WITH_PATH(up, vfs_mknod(dirfd, kpath, mode, dev_decode(dev), &d));
	if (!r)
		dentry_put(d);
	return r;
}

long sys_mknod(uaddr_t pathname, unsigned int mode, unsigned int dev)
{
	return mknod_common(AT_FDCWD, pathname, mode, dev);
}

long sys_mknodat(int dirfd, uaddr_t pathname, unsigned int mode, unsigned int dev)
{
	return mknod_common(dirfd, pathname, mode, dev);
}

/* Consumes the references on m and d. */
static long set_dir(struct mount *m, struct dentry *d, bool root)
{
	struct fs_context *c;
	long r = S_ISDIR(d->inode->mode) ? inode_permission(d->inode, MAY_EXEC) : -ENOTDIR;

	if (!r) {
		c = vfs_current_fs();
		if (!c) {
			r = -ENOENT;
		} else {
			if (root)
				fs_context_set_root(c, m, d);
			else
				fs_context_set_cwd(c, m, d);
			fs_context_put(c);
		}
	}
	dentry_put(d);
	mount_put(m);
	return r;
}

long sys_chdir(uaddr_t path)
{
	struct dentry *d;
	struct mount *m;
	long r = WITH_PATH(path, vfs_lookup_mnt(AT_FDCWD, kpath, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
						&d, &m));

	return r ? r : set_dir(m, d, false);
}

long sys_fchdir(int fd)
{
	struct file *f = fget(fd);
	struct dentry *d;
	struct mount *m;

	if (!f)
		return -EBADF;
	d = f->dentry;
	if (!d) {
		file_put(f);
		return -ENOTDIR;
	}
	dentry_get(d);
	m = f->mnt;
	mount_get(m);
	file_put(f);
	return set_dir(m, d, false);
}

long sys_chroot(uaddr_t path)
{
	struct dentry *d;
	struct mount *m;
	long r;

	if (!capable(CAP_SYS_CHROOT))
		return -EPERM;
	r = WITH_PATH(path, vfs_lookup_mnt(AT_FDCWD, kpath, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
					   &d, &m));
	return r ? r : set_dir(m, d, true);
}

long sys_getcwd(uaddr_t buf, size_t size)
{
	struct fs_context *c = vfs_current_fs();
	struct dentry *cwd, *root;
	struct mount *cm, *rm;
	char *kbuf;
	long n;

	if (!c)
		return -ENOENT;
	kbuf = kmalloc(PATH_MAX);
	if (!kbuf) {
		fs_context_put(c);
		return -ENOMEM;
	}
	cwd = fs_context_get_cwd_mnt(c, &cm);
	root = fs_context_get_root_mnt(c, &rm);
	fs_context_put(c);
	if (!cwd->cached) {
		n = -ENOENT;
	} else {
		mutex_lock(&vfs_ns_lock);
		n = mount_path_locked(cm, cwd, rm, root, kbuf, PATH_MAX);
		mutex_unlock(&vfs_ns_lock);
	}
	dentry_put(cwd);
	dentry_put(root);
	mount_put(cm);
	mount_put(rm);
	if (n >= 0 && (uint64_t)n + 1 > size)
		n = -ERANGE;
	else if (n >= 0 && copy_to_user(buf, kbuf, (size_t)n + 1))
		n = -EFAULT;
	else if (n >= 0)
		n = n + 1;
	kfree(kbuf);
	return n;
}
