// SPDX-License-Identifier: MPL-2.0
// The two old file-system information calls Linux keeps: sysfs(2), which
// numbers the registered file-system types in /proc/filesystems' order,
// and ustat(2), the free blocks and inodes of a mounted device.
#include <aster/string.h>
#include "fs/syscalls/sys.h"
#include "uapi/statfs.h"

/* Linux reads the name as a path (getname): EFAULT, ENOENT when empty, ENAMETOOLONG past PATH_MAX. */
static long fs_index(uaddr_t name_ua)
{
	NOINIT_BYTES(small, PATHNAME_INLINE);
	struct pathname pn;
	const struct fs_type *ft;
	long ret = getname_short(name_ua, &small, &pn);

	if (ret)
		return ret;
	ret = pn.name[0] ? -EINVAL : -ENOENT;
	for (size_t i = 0; ret == -EINVAL && (ft = fs_type_nth(i)) != NULL; i++)
		if (!strcmp(ft->name, pn.name))
			ret = (long)i;
	putname(&pn);
	return ret;
}

static long fs_name(uint64_t index, uaddr_t buf)
{
	const struct fs_type *ft = index <= UINT32_MAX ? fs_type_nth((size_t)index) : NULL;

	if (!ft)
		return -EINVAL;
	return copy_to_user(buf, ft->name, strlen(ft->name) + 1) ? -EFAULT : 0;
}

long sys_sysfs(int option, unsigned long arg1, unsigned long arg2)
{
	size_t n = 0;

	switch (option) {
	case SYSFS_INDEX:
		return fs_index(arg1);
	case SYSFS_NAME:
		/* Linux takes the index as an unsigned int. */
		return fs_name((uint32_t)arg1, arg2);
	case SYSFS_COUNT:
		while (fs_type_nth(n))
			n++;
		return (long)n;
	default:
		return -EINVAL;
	}
}

/* A mount of the super block whose device is kdev, with a reference, or NULL. */
static struct mount *mount_of_dev(uint32_t kdev)
{
	struct mount *m, *found = NULL;

	mutex_lock(&vfs_ns_lock);
	list_for_each_entry(m, &mount_list, node) {
		if (m->sb->dev == kdev) {
			mount_get(m);
			found = m;
			break;
		}
	}
	mutex_unlock(&vfs_ns_lock);
	return found;
}

long sys_ustat(unsigned long dev, uaddr_t ubuf)
{
	struct linux_ustat u;
	struct linux_statfs st;
	struct mount *m = mount_of_dev(dev_decode((uint32_t)dev));
	long err;

	if (!m)
		return -EINVAL;
	err = vfs_statfs(m, m->sb, &st);
	mount_put(m);
	if (err)
		return err;
	memset(&u, 0, sizeof(u));
	u.f_tfree = (int32_t)st.f_bfree;
	u.f_tinode = st.f_ffree;
	return copy_to_user(ubuf, &u, sizeof(u)) ? -EFAULT : 0;
}
