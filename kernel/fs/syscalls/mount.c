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

long sys_mount(const struct syscall_args *a)
{
	char src[256], type[64];
	bool has_src, has_type;
	char *target;
	long r;

	r = opt_string(a->a[0], src, sizeof(src), &has_src);
	if (!r)
		r = opt_string(a->a[2], type, sizeof(type), &has_type);
	if (r)
		return r;
	r = getname(a->a[1], &target);
	if (r)
		return r;
	if (!has_type && !(a->a[3] & 32))
		r = -EINVAL;
	else
		r = vfs_mount(has_src ? src : "none", AT_FDCWD, target, has_type ? type : "",
			      a->a[3]);
	kfree(target);
	return r;
}

long sys_umount2(const struct syscall_args *a)
{
	char *target;
	long r = getname(a->a[0], &target);

	if (r)
		return r;
	r = vfs_umount(AT_FDCWD, target, arg_int(a->a[1]));
	kfree(target);
	return r;
}
