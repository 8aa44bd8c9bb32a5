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
long sys_setxattr(uaddr_t path, uaddr_t name, uaddr_t value, size_t size, int flags)
{
	return do_setxattr(path, 0, name, size, flags);
}

long sys_lsetxattr(uaddr_t path, uaddr_t name, uaddr_t value, size_t size, int flags)
{
	return do_setxattr(path, 1, name, size, flags);
}

long sys_fsetxattr(int fd, uaddr_t name, uaddr_t value, size_t size, int flags)
{
	return do_setxattr(fd, 2, name, size, flags);
}

long sys_getxattr(uaddr_t path, uaddr_t name, uaddr_t value, size_t size)
{
	return do_getxattr(path, 0, name);
}

long sys_lgetxattr(uaddr_t path, uaddr_t name, uaddr_t value, size_t size)
{
	return do_getxattr(path, 1, name);
}

long sys_fgetxattr(int fd, uaddr_t name, uaddr_t value, size_t size)
{
	return do_getxattr(fd, 2, name);
}

long sys_listxattr(uaddr_t path, uaddr_t list, size_t size)
{
	return do_listxattr(path, 0);
}

long sys_llistxattr(uaddr_t path, uaddr_t list, size_t size)
{
	return do_listxattr(path, 1);
}

long sys_flistxattr(int fd, uaddr_t list, size_t size)
{
	return do_listxattr(fd, 2);
}

long sys_removexattr(uaddr_t path, uaddr_t name)
{
	return do_getxattr(path, 0, name);
}

long sys_lremovexattr(uaddr_t path, uaddr_t name)
{
	return do_getxattr(path, 1, name);
}

long sys_fremovexattr(int fd, uaddr_t name)
{
	return do_getxattr(fd, 2, name);
}
