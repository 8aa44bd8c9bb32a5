// SPDX-License-Identifier: MPL-2.0
// Directory syscalls: getdents, mkdir, rmdir, unlink, rename, link,
// symlink, readlink, mknod, chdir, getcwd, chroot.
#include "fs/syscalls/sys.h"
#include "process/process.h"

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
	file_put(f);
	if (c.used)
		return (long)c.used;
	return c.err ? c.err : err;
}

long sys_getdents64(const struct syscall_args *a)
{
	return do_getdents(arg_int(a->a[0]), a->a[1], a->a[2], true);
}

long sys_getdents(const struct syscall_args *a)
{
	return do_getdents(arg_int(a->a[0]), a->a[1], a->a[2], false);
}

/* Run fn on a user path. */
#define WITH_PATH(ua, expr)					\
	({							\
		struct pathname pn_;				\
		long r_ = getname_short((ua), &pn_);		\
		if (!r_) {					\
			const char *path = pn_.name;		\
			r_ = (expr);				\
			putname(&pn_);				\
		}						\
		r_;						\
	})

long sys_mkdir(const struct syscall_args *a)
{
	return WITH_PATH(a->a[0], vfs_mkdir(AT_FDCWD, path, (uint32_t)a->a[1]));
}

long sys_mkdirat(const struct syscall_args *a)
{
	return WITH_PATH(a->a[1], vfs_mkdir(arg_int(a->a[0]), path, (uint32_t)a->a[2]));
}

long sys_rmdir(const struct syscall_args *a)
{
	return WITH_PATH(a->a[0], vfs_rmdir(AT_FDCWD, path));
}

long sys_unlink(const struct syscall_args *a)
{
	return WITH_PATH(a->a[0], vfs_unlink(AT_FDCWD, path));
}

long sys_unlinkat(const struct syscall_args *a)
{
	int flags = arg_int(a->a[2]);

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if (flags & AT_REMOVEDIR)
		return WITH_PATH(a->a[1], vfs_rmdir(arg_int(a->a[0]), path));
	return WITH_PATH(a->a[1], vfs_unlink(arg_int(a->a[0]), path));
}

static long rename_common(int od, uaddr_t op, int nd, uaddr_t np, unsigned int flags)
{
	char *newpath;
	long r = getname(np, &newpath);

	if (r)
		return r;
	r = WITH_PATH(op, vfs_rename(od, path, nd, newpath, flags));
	kfree(newpath);
	return r;
}

long sys_rename(const struct syscall_args *a)
{
	return rename_common(AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0);
}

long sys_renameat(const struct syscall_args *a)
{
	return rename_common(arg_int(a->a[0]), a->a[1], arg_int(a->a[2]), a->a[3], 0);
}

long sys_renameat2(const struct syscall_args *a)
{
	return rename_common(arg_int(a->a[0]), a->a[1], arg_int(a->a[2]), a->a[3],
			     (unsigned int)a->a[4]);
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
	r = WITH_PATH(op, vfs_link(od, path, nd, newpath, flags));
	kfree(newpath);
	return r;
}

long sys_link(const struct syscall_args *a)
{
	return link_common(AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0);
}

long sys_linkat(const struct syscall_args *a)
{
	return link_common(arg_int(a->a[0]), a->a[1], arg_int(a->a[2]), a->a[3], arg_int(a->a[4]));
}

static long symlink_common(uaddr_t target, int nd, uaddr_t np)
{
	char *t;
	long r = getname(target, &t);

	if (r)
		return r;
	r = WITH_PATH(np, vfs_symlink(t, nd, path));
	kfree(t);
	return r;
}

long sys_symlink(const struct syscall_args *a)
{
	return symlink_common(a->a[0], AT_FDCWD, a->a[1]);
}

long sys_symlinkat(const struct syscall_args *a)
{
	return symlink_common(a->a[0], arg_int(a->a[1]), a->a[2]);
}

static long readlink_common(int dirfd, uaddr_t up, uaddr_t buf, int64_t size)
{
	struct dentry *d;
	char *target;
	long r;

	if (size <= 0)
		return -EINVAL;
	r = WITH_PATH(up, vfs_lookup(dirfd, path, LOOKUP_EMPTY, &d));
	if (r)
		return r;
	target = kmalloc(PATH_MAX);
	if (!target) {
		dentry_put(d);
		return -ENOMEM;
	}
	r = S_ISLNK(d->inode->mode) ? vfs_readlink(d, target, PATH_MAX) : -EINVAL;
	dentry_put(d);
	if (r >= 0) {
		r = MIN(r, size);
		if (copy_to_user(buf, target, (size_t)r))
			r = -EFAULT;
	}
	kfree(target);
	return r;
}

long sys_readlink(const struct syscall_args *a)
{
	return readlink_common(AT_FDCWD, a->a[0], a->a[1], (int64_t)(int32_t)a->a[2]);
}

long sys_readlinkat(const struct syscall_args *a)
{
	return readlink_common(arg_int(a->a[0]), a->a[1], a->a[2], (int64_t)(int32_t)a->a[3]);
}

static long mknod_common(int dirfd, uaddr_t up, uint32_t mode, uint64_t dev)
{
	struct dentry *d;
	long r;

	if (S_ISDIR(mode) || S_ISLNK(mode))
		return -EINVAL;
	r = WITH_PATH(up, vfs_mknod(dirfd, path, mode, dev_decode(dev), &d));
	if (!r)
		dentry_put(d);
	return r;
}

long sys_mknod(const struct syscall_args *a)
{
	return mknod_common(AT_FDCWD, a->a[0], (uint32_t)a->a[1], (uint32_t)a->a[2]);
}

long sys_mknodat(const struct syscall_args *a)
{
	return mknod_common(arg_int(a->a[0]), a->a[1], (uint32_t)a->a[2], (uint32_t)a->a[3]);
}

static long set_dir(struct dentry *d, bool root)
{
	struct fs_context *c;
	long r = S_ISDIR(d->inode->mode) ? inode_permission(d->inode, MAY_EXEC) : -ENOTDIR;

	if (!r) {
		c = vfs_current_fs();
		if (!c) {
			r = -ENOENT;
		} else {
			if (root)
				fs_context_set_root(c, d);
			else
				fs_context_set_cwd(c, d);
			fs_context_put(c);
		}
	}
	dentry_put(d);
	return r;
}

long sys_chdir(const struct syscall_args *a)
{
	struct dentry *d;
	long r = WITH_PATH(a->a[0], vfs_lookup(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &d));

	return r ? r : set_dir(d, false);
}

long sys_fchdir(const struct syscall_args *a)
{
	struct file *f = fget(arg_int(a->a[0]));
	struct dentry *d;

	if (!f)
		return -EBADF;
	d = f->dentry;
	if (!d) {
		file_put(f);
		return -ENOTDIR;
	}
	dentry_get(d);
	file_put(f);
	return set_dir(d, false);
}

long sys_chroot(const struct syscall_args *a)
{
	struct dentry *d;
	long r;

	if (vfs_current_fsuid() != 0)
		return -EPERM;
	r = WITH_PATH(a->a[0], vfs_lookup(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &d));
	return r ? r : set_dir(d, true);
}

long sys_getcwd(const struct syscall_args *a)
{
	struct fs_context *c = vfs_current_fs();
	struct dentry *cwd;
	char *buf;
	long n;

	if (!c)
		return -ENOENT;
	buf = kmalloc(PATH_MAX);
	if (!buf) {
		fs_context_put(c);
		return -ENOMEM;
	}
	cwd = fs_context_cwd(c);
	if (!cwd->cached)
		n = -ENOENT;
	else
		n = dentry_path(cwd, fs_context_root(c), buf, PATH_MAX);
	fs_context_put(c);
	if (n >= 0 && (uint64_t)n + 1 > a->a[1])
		n = -ERANGE;
	else if (n >= 0 && copy_to_user(a->a[0], buf, (size_t)n + 1))
		n = -EFAULT;
	else if (n >= 0)
		n = n + 1;
	kfree(buf);
	return n;
}
