// SPDX-License-Identifier: MPL-2.0
// mount and umount2.
#include "fs/syscalls/sys.h"

static int opt_string(uaddr_t ua, char *buf, size_t size, bool *present)
{
	long n;

	*present = ua != 0;
	if (!ua)
		return 0;
	n = strncpy_from_user(buf, ua, size);
	return n < 0 ? (int)n : 0;
}

/*
 * mount(2)'s data as a string: as Linux, at most a page is read (a longer
 * string is cut there).  *out is NULL without data; kfree it.
 */
static int mount_data(uaddr_t ua, char **out)
{
	char *buf;
	long n;

	*out = NULL;
	if (!ua)
		return 0;
	buf = kmalloc(PAGE_SIZE);
	if (!buf)
		return -ENOMEM;
	n = strncpy_from_user(buf, ua, PAGE_SIZE);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	buf[MIN((size_t)n, PAGE_SIZE - 1)] = 0;
	*out = buf;
	return 0;
}

long sys_mount(uaddr_t source, uaddr_t target, uaddr_t filesystemtype, unsigned long mountflags,
	       uaddr_t data)
{
	char src[256], type[64];
	bool has_src, has_type;
	char *kpath, *kdata;
	long r;

	r = opt_string(source, src, sizeof(src), &has_src);
	if (!r)
		r = opt_string(filesystemtype, type, sizeof(type), &has_type);
	if (r)
		return r;
	r = getname(target, &kpath);
	if (r)
		return r;
	r = mount_data(data, &kdata);
	if (r) {
		kfree(kpath);
		return r;
	}
	if (!has_type && !(mountflags & 32))
		r = -EINVAL;
	else
		r = vfs_mount_data(has_src ? src : "none", AT_FDCWD, kpath, has_type ? type : "",
				   mountflags, kdata);
	kfree(kdata);
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
