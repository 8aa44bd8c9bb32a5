// SPDX-License-Identifier: MPL-2.0
// mount, umount2 and pivot_root: copying their strings in (as Linux's
// copy_mount_string and copy_mount_options), the rest in vfs/mount_ops.c.
#include "fs/syscalls/sys.h"

/* An optional string argument (NULL stays NULL), up to PATH_MAX: a kmalloc'ed copy. */
static int opt_string(uaddr_t ua, char **out)
{
	*out = NULL;
	if (!ua)
		return 0;
	return getname(ua, out);
}

/*
 * The option page: up to a page, read as a string (a longer one is cut
 * there, as Linux keeps one page); an unreadable pointer is -EFAULT.
 */
static int opt_data(uaddr_t ua, char **out)
{
	char *p;
	long n;

	*out = NULL;
	if (!ua)
		return 0;
	p = kmalloc(PAGE_SIZE);
	if (!p)
		return -ENOMEM;
	n = strncpy_from_user(p, ua, PAGE_SIZE);
	if (n < 0 && n != -ENAMETOOLONG) {
		kfree(p);
		return (int)n;
	}
	p[PAGE_SIZE - 1] = 0;
	*out = p;
	return 0;
}

long sys_mount(uaddr_t source, uaddr_t target, uaddr_t filesystemtype, unsigned long mountflags,
	       uaddr_t data)
{
	char *src = NULL, *type = NULL, *opts = NULL, *kpath = NULL;
	long r;

	r = opt_string(filesystemtype, &type);
	if (!r)
		r = opt_string(source, &src);
	if (!r)
		r = opt_data(data, &opts);
	if (!r)
		r = getname(target, &kpath);
	if (!r)
		r = vfs_mount(src, AT_FDCWD, kpath, type, mountflags, opts);
	kfree(src);
	kfree(type);
	kfree(opts);
	kfree(kpath);
	return r;
}

long sys_umount2(uaddr_t target, unsigned int flags)
{
	char *kpath;
	long r = getname(target, &kpath);

	if (r)
		return r;
	r = vfs_umount(AT_FDCWD, kpath, (int)flags);
	kfree(kpath);
	return r;
}

long sys_pivot_root(uaddr_t new_root, uaddr_t put_old)
{
	char *n, *o;
	long r = getname(new_root, &n);

	if (r)
		return r;
	r = getname(put_old, &o);
	if (!r) {
		r = vfs_pivot_root(n, o);
		kfree(o);
	}
	kfree(n);
	return r;
}
