// SPDX-License-Identifier: MPL-2.0
// ext2 remounted read-only or read-write (mount -o remount,ro|rw): the
// VFS's sb->set_rdonly over the library's ext2_set_rdonly.  A root booted
// read-only (the kernel's default) is made writable this way by init.
#include <aster/errno.h>
#include "fs/ext2/vfs_glue.h"

int ext2v_set_rdonly(struct super_block *sb, bool rdonly)
{
	struct ext2_mount *m = ext2v_mount(sb);
	int err = 0;

	/* As Linux's reconfigure_super: a read-only device stays read-only. */
	if (!rdonly && bdev_read_only(m->bdev))
		return -EACCES;
	/* Going read-only: the data and the inodes' attributes to the disk first. */
	if (rdonly && sb->sync)
		err = sb->sync(sb);
	if (err)
		return err;
	mutex_lock(&m->lock);
	err = ext2_set_rdonly(m->fs, rdonly);
	mutex_unlock(&m->lock);
	return err;
}
