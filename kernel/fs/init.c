// SPDX-License-Identifier: MPL-2.0
// The kernel's own path operations at boot, as Linux's fs/init.c: what
// kernel/init/ uses to mount a disk root and decide what init is, before
// there is a process.  Paths start at the kernel's context (vfs_current_fs
// without a process), which init_chdir and init_chroot move; init inherits
// it (fs_context_create_boot).
#include <aster/errno.h>
#include "fs/vfs.h"
#include "uapi/mount.h"

int init_mount(const char *source, const char *target, const char *type, uint64_t flags,
	       const char *data)
{
	return vfs_mount(source, AT_FDCWD, target, type, flags, data);
}

static int init_set_dir(const char *path, bool root)
{
	struct fs_context *c;
	struct dentry *d;
	struct mount *m;
	int err = vfs_lookup_mnt(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &d, &m);

	if (err)
		return err;
	err = inode_permission(d->inode, MAY_EXEC);
	c = vfs_current_fs();
	if (!c)
		err = -ENOENT;
	if (!err && root)
		fs_context_set_root(c, m, d);
	else if (!err)
		fs_context_set_cwd(c, m, d);
	fs_context_put(c);
	dentry_put(d);
	mount_put(m);
	return err;
}

int init_chdir(const char *path)
{
	return init_set_dir(path, false);
}

int init_chroot(const char *path)
{
	return init_set_dir(path, true);
}

int init_eaccess(const char *path)
{
	struct dentry *d;
	int err = vfs_lookup(AT_FDCWD, path, LOOKUP_FOLLOW, &d);

	if (err)
		return err;
	err = inode_permission(d->inode, MAY_EXEC);
	dentry_put(d);
	return err;
}

int init_mknod(const char *path, uint32_t mode, uint32_t rdev)
{
	return vfs_mknod(AT_FDCWD, path, mode, rdev, NULL);
}

int init_unlink(const char *path)
{
	return vfs_unlink(AT_FDCWD, path);
}

const char *init_fs_type_nth(size_t i, bool *requires_dev)
{
	const struct fs_type *t = fs_type_nth(i);

	if (!t)
		return NULL;
	*requires_dev = t->requires_dev;
	return t->name;
}

int init_cwd_sb(const char **type, uint32_t *dev, bool *rdonly)
{
	struct fs_context *c = vfs_current_fs();
	struct dentry *d;

	if (!c)
		return -ENOENT;
	d = fs_context_get_cwd(c);
	*type = d->sb->type->name;
	*dev = d->sb->dev;
	*rdonly = d->sb->flags & MS_RDONLY;
	dentry_put(d);
	fs_context_put(c);
	return 0;
}
