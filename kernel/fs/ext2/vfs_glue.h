/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The ext2 VFS glue's private parts (doc/ext2.md): a mount holds the
 * library's file system, its block device and one lock around every
 * library call; a vnode ties a VFS inode to an ext2 inode number (one VFS
 * inode per ext2 inode, so hard links share it).
 *
 * Lock order: vfs_ns_lock, inode->lock, then the mount's lock.  No user
 * memory is touched under the mount's lock (file data goes through the
 * page cache, readdir through batches emitted after it): a fault on a
 * mapping of this file system takes it.
 */
#ifndef KERNEL_FS_EXT2_VFS_GLUE_H
#define KERNEL_FS_EXT2_VFS_GLUE_H
#include <aster/sync.h>
#include "block/blkdev.h"
#include "fs/ext2/ext2.h"
#include "fs/vfs.h"
#include "mm/page_cache.h"

#define EXT2V_BUCKETS	1024

struct ext2_vnode {
	struct ext2_vnode *next;	/* in its hash bucket */
	struct inode *vfs;		/* not a reference: evict unhashes it */
	uint32_t ino;
	struct page_cache pc;		/* a regular file's data */
};

struct ext2_mount {
	struct mutex lock;
	struct ext2_fs *fs;
	struct block_device *bdev;
	struct frame *bounce;		/* one page for the byte-offset I/O */
	struct super_block *sb;
	struct ext2_vnode *hash[EXT2V_BUCKETS];
	struct ext2_mount *next_live;	/* in the list of mounted devices */
	uint16_t errors;		/* errors= (EXT2V_ERRORS_*), 0: not given */
	uint16_t def_errors;		/* the superblock's s_errors */
};

/* s_errors and errors=: what a corruption does (vfs_options.c). */
#define EXT2V_ERRORS_CONTINUE	1
#define EXT2V_ERRORS_RO		2
#define EXT2V_ERRORS_PANIC	3
/* Byte offset of s_errors (le16) on the device: the superblock at 1024, field at 60. */
#define EXT2V_SB_ERRORS		(1024 + 60)

static inline struct ext2_mount *ext2v_mount(struct super_block *sb)
{
	return sb->priv;
}

/* The VFS inode of ext2 inode ino, with a reference (mount lock held). */
int ext2v_iget(struct ext2_mount *m, uint32_t ino, struct inode **out);
/* Reload nlink, times and (not for regular files) size of i (mount lock held). */
void ext2v_refresh(struct ext2_mount *m, struct inode *i);
/* Store the VFS's mode, owner and times of i (mount lock held). */
int ext2v_write_inode(struct ext2_mount *m, struct inode *i);
/* fsync after the data: the inode, the metadata, a device flush (takes the mount lock). */
int ext2v_sync_inode(struct inode *i);
void ext2v_set_ops(struct inode *i);
/* vfs_file.c: regular files through the page cache. */
extern const struct page_cache_ops ext2v_pc_ops;
extern const struct file_ops ext2v_file_ops, ext2v_dir_ops;
int ext2v_file_setsize(struct inode *i, uint64_t size);
/* vfs_remount.c: sb->set_rdonly (remount ro or rw). */
int ext2v_set_rdonly(struct super_block *sb, bool rdonly);

/* vfs_options.c: mount(2)'s option string (NULL: none): 0 or -EINVAL. */
int ext2v_parse_options(const char *data, uint16_t *errors);
size_t ext2v_show_options(struct super_block *sb, char *buf, size_t size);
int ext2v_remount_options(struct super_block *sb, const char *data);

extern const struct fs_type ext2_type;

#endif
