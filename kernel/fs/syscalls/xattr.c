// SPDX-License-Identifier: MPL-2.0
// Extended attributes: the twelve *xattr syscalls.  No file system here
// stores extended attributes (Linux's ramfs does not either), so after
// Linux's argument checks and the path or fd lookup, reading, setting and
// removing an attribute is EOPNOTSUPP and the list of names is empty.
#include <aster/heap.h>
#include "fs/syscalls/sys.h"
#include "uapi/xattr.h"
#include "uapi/limits.h"

/* The attribute name: ERANGE when empty or longer than XATTR_NAME_MAX. */
static long check_name(uaddr_t ua)
{
	char *name = kmalloc(XATTR_NAME_MAX + 1);
	long n;

	if (!name)
		return -ENOMEM;
	n = strncpy_from_user(name, ua, XATTR_NAME_MAX + 1);
	kfree(name);
	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? n : 0;
}

/* The inode a path names (follow: the last symlink too), just to report lookup errors. */
static long check_path(uaddr_t path, bool follow)
{
	struct dentry *d;
	char *p;
	long r = getname(path, &p);

	if (r)
		return r;
	r = vfs_lookup(AT_FDCWD, p, follow ? LOOKUP_FOLLOW : 0, &d);
	kfree(p);
	if (!r)
		dentry_put(d);
	return r;
}

static long check_fd(int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/* path: the path's address, or the fd when by_fd. */
static long do_setxattr(uint64_t target, int how, uaddr_t name, uint64_t size, int flags)
{
	long r;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	r = check_name(name);
	if (!r && size > XATTR_SIZE_MAX)
		r = -E2BIG;
	if (!r)
		r = how == 2 ? check_fd((int)target) : check_path(target, how == 0);
	return r ? r : -EOPNOTSUPP;
}

/* getxattr and removexattr look the file up first, then read the name (Linux's order). */
static long do_getxattr(uint64_t target, int how, uaddr_t name)
{
	long r = how == 2 ? check_fd((int)target) : check_path(target, how == 0);

	if (!r)
		r = check_name(name);
	return r ? r : -EOPNOTSUPP;
}

static long do_listxattr(uint64_t target, int how)
{
	long r = how == 2 ? check_fd((int)target) : check_path(target, how == 0);

	return r ? r : 0;	/* no names */
}

/* how: 0 follows symlinks, 1 does not (l*), 2 is an fd (f*). */
long sys_setxattr(const struct syscall_args *a)
{
	return do_setxattr(a->a[0], 0, a->a[1], a->a[3], (int)a->a[4]);
}

long sys_lsetxattr(const struct syscall_args *a)
{
	return do_setxattr(a->a[0], 1, a->a[1], a->a[3], (int)a->a[4]);
}

long sys_fsetxattr(const struct syscall_args *a)
{
	return do_setxattr(a->a[0], 2, a->a[1], a->a[3], (int)a->a[4]);
}

long sys_getxattr(const struct syscall_args *a)
{
	return do_getxattr(a->a[0], 0, a->a[1]);
}

long sys_lgetxattr(const struct syscall_args *a)
{
	return do_getxattr(a->a[0], 1, a->a[1]);
}

long sys_fgetxattr(const struct syscall_args *a)
{
	return do_getxattr(a->a[0], 2, a->a[1]);
}

long sys_listxattr(const struct syscall_args *a)
{
	return do_listxattr(a->a[0], 0);
}

long sys_llistxattr(const struct syscall_args *a)
{
	return do_listxattr(a->a[0], 1);
}

long sys_flistxattr(const struct syscall_args *a)
{
	return do_listxattr(a->a[0], 2);
}

long sys_removexattr(const struct syscall_args *a)
{
	return do_getxattr(a->a[0], 0, a->a[1]);
}

long sys_lremovexattr(const struct syscall_args *a)
{
	return do_getxattr(a->a[0], 1, a->a[1]);
}

long sys_fremovexattr(const struct syscall_args *a)
{
	return do_getxattr(a->a[0], 2, a->a[1]);
}
