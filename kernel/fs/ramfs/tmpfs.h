/* SPDX-License-Identifier: MPL-2.0 */
/*
 * tmpfs's limits, shared by ramfs.c (which stores the data) and tmpfs.c
 * (options, statfs).  Private to kernel/fs/ramfs/.
 */
#ifndef KERNEL_FS_RAMFS_TMPFS_H
#define KERNEL_FS_RAMFS_TMPFS_H
#include "fs/vfs.h"

/* sb->priv of a tmpfs; ramfs has none and no limits. */
struct tmpfs_info {
	uint64_t max_blocks, used_blocks;	/* pages; max 0: no limit */
	uint64_t max_inodes, used_inodes;	/* max 0: no limit */
	uint32_t mode, uid, gid;		/* of the root directory */
};

/* Take or give back n pages (ramfs_pages_lock held): 0 or -ENOSPC. */
int tmpfs_charge_blocks(struct super_block *sb, uint64_t n);
void tmpfs_uncharge_blocks(struct super_block *sb, uint64_t n);
/* One inode (a file, directory, link...): 0 or -ENOSPC. */
int tmpfs_charge_inode(struct super_block *sb);
void tmpfs_uncharge_inode(struct super_block *sb);
/* Pages free under the limit (UINT64_MAX: none). */
uint64_t tmpfs_free_blocks(struct super_block *sb);
/* Is sb a tmpfs (or memfd's): its files take seals. */
bool tmpfs_sb(struct super_block *sb);
/* A new super block with tmpfs's defaults (no limits when unlimited). */
int tmpfs_new_sb(bool unlimited, struct super_block **out);

#endif
