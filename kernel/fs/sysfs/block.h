/* SPDX-License-Identifier: MPL-2.0 */
/* Private to kernel/fs/sysfs/: the block devices' part of sysfs. */
#ifndef KERNEL_FS_SYSFS_BLOCK_H
#define KERNEL_FS_SYSFS_BLOCK_H
#include "fs/vfs.h"

/*
 * /sys/block/<disk>/{dev,size,ro,removable,queue/...,<part>/...},
 * /sys/class/block/<name> and /sys/dev/block/<major>:<minor> (symlinks to
 * the directories under /sys/block), as of the devices registered when sb
 * is mounted.  0 or -errno.
 */
int sysfs_block_populate(struct super_block *sb);

#endif
