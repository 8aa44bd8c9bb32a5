// SPDX-License-Identifier: MPL-2.0
// O_TMPFILE: a regular file with no name, in the file system of a
// directory; linkat(fd, "", dir, name, AT_EMPTY_PATH) may name it later
// unless it was opened with O_EXCL.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "security/landlock/landlock.h"
#include "fs/vfs.h"
#include "uapi/mount.h"

static int tmpfile_checks(struct mount *m, struct dentry *dir)
{
	struct inode *di = dir->inode;
	int err;

	if (!S_ISDIR(di->mode))
		return -ENOTDIR;
	err = inode_permission(di, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if ((dir->sb->type && dir->sb->type->dynamic) || !di->iops || !di->iops->create)
		return -EOPNOTSUPP;
	if (di->nlink == 0)
		return -ENOENT;
	return mount_want_write(m);
}

int vfs_open_tmpfile(int dirfd, const char *path, unsigned int flags, uint32_t mode,
		     unsigned int resolve, struct file **out)
{
	unsigned int acc = flags & O_ACCMODE;
	struct dentry *dir, *d;
	struct mount *m;
	struct inode *i;
	char name[32];
	int err;

	/* Linux's build_open_flags: O_TMPFILE means O_DIRECTORY too, no O_CREAT, and writing. */
	if ((flags & (__O_TMPFILE | O_DIRECTORY | O_CREAT)) != (__O_TMPFILE | O_DIRECTORY))
		return -EINVAL;
	if (acc != O_WRONLY && acc != O_RDWR)
		return -EINVAL;
	err = vfs_lookup_mnt(dirfd, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY | resolve, &dir, &m);
	if (err)
		return err;
	err = tmpfile_checks(m, dir);
	if (!err)
		err = dir->inode->iops->create(dir->inode,
					       S_IFREG | (mode & 07777 & ~vfs_current_umask()), 0, &i);
	if (err)
		goto out;
	i->nlink = 0;
	i->linkable = !(flags & O_EXCL);
	(void)snprintf(name, sizeof(name), "#%lu", (unsigned long)i->ino);
	err = dentry_new(dir, name, strlen(name), i, &d);
	inode_put(i);
	if (!err) {
		uint16_t ll_denied;

		err = landlock_file_open(m, d, flags, false, &ll_denied);
		if (!err)
			err = vfs_open_path(m, d,
					    flags & ~(unsigned int)(__O_TMPFILE | O_DIRECTORY | O_EXCL), out);
		if (!err)
			(*out)->landlock_denied = ll_denied;
		dentry_put(d);
	}
out:
	dentry_put(dir);
	mount_put(m);
	return err;
}
