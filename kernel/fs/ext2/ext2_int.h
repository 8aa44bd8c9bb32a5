/* SPDX-License-Identifier: MPL-2.0 */
/*
 * ext2's private interfaces: the on-disk layout (byte offsets, read with
 * <aster/unaligned.h> from block buffers, so nothing is cast onto disk
 * bytes), the mounted file system, the metadata block cache and the
 * internal helpers shared by the files of kernel/fs/ext2/.
 */
#ifndef ASTER_KERNEL_FS_EXT2_INT_H
#define ASTER_KERNEL_FS_EXT2_INT_H

#include <aster/errno.h>
#include <aster/list.h>
#include <aster/log.h>
#include <aster/types.h>
#include <aster/unaligned.h>
#include "ext2.h"

/*
 * Fields at offset 0 are read at the base pointer itself: the safe-C
 * checker takes `p + 0` for arithmetic on a null pointer.
 */

/* The superblock: 1024 bytes at byte 1024. */
#define SB_OFFSET		1024
#define SB_SIZE			1024
#define SB_INODES_COUNT		0
#define SB_BLOCKS_COUNT		4
#define SB_R_BLOCKS_COUNT	8
#define SB_FREE_BLOCKS		12
#define SB_FREE_INODES		16
#define SB_FIRST_DATA_BLOCK	20
#define SB_LOG_BLOCK_SIZE	24
#define SB_LOG_FRAG_SIZE	28
#define SB_BLOCKS_PER_GROUP	32
#define SB_FRAGS_PER_GROUP	36
#define SB_INODES_PER_GROUP	40
#define SB_MTIME		44
#define SB_WTIME		48
#define SB_MNT_COUNT		52
#define SB_MAX_MNT_COUNT	54
#define SB_MAGIC		56
#define SB_STATE		58
#define SB_REV_LEVEL		76
#define SB_DEF_RESUID		80
#define SB_DEF_RESGID		82
#define SB_FIRST_INO		84
#define SB_INODE_SIZE		88
#define SB_FEATURE_COMPAT	92
#define SB_FEATURE_INCOMPAT	96
#define SB_FEATURE_RO_COMPAT	100
#define SB_UUID			104
#define SB_RESERVED_GDT		206

#define EXT2_MAGIC		0xEF53
#define EXT2_VALID_FS		0x0001
#define EXT2_ERROR_FS		0x0002
#define EXT2_GOOD_OLD_REV	0
#define EXT2_DYNAMIC_REV	1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO	11

#define COMPAT_RESIZE_INODE	0x0010u
#define INCOMPAT_FILETYPE	0x0002u
#define RO_COMPAT_SPARSE_SUPER	0x0001u
#define RO_COMPAT_LARGE_FILE	0x0002u
#define RO_COMPAT_BTREE_DIR	0x0004u
#define INCOMPAT_SUPPORTED	INCOMPAT_FILETYPE
#define RO_COMPAT_SUPPORTED	(RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE | RO_COMPAT_BTREE_DIR)

/* A group descriptor: 32 bytes in the table after the superblock. */
#define GD_SIZE			32
#define GD_BLOCK_BITMAP		0
#define GD_INODE_BITMAP		4
#define GD_INODE_TABLE		8
#define GD_FREE_BLOCKS		12
#define GD_FREE_INODES		14
#define GD_USED_DIRS		16

/* An inode: 128 bytes, more in rev 1 (kept as they are). */
#define I_MODE			0
#define I_UID			2
#define I_SIZE			4
#define I_ATIME			8
#define I_CTIME			12
#define I_MTIME			16
#define I_DTIME			20
#define I_GID			24
#define I_LINKS			26
#define I_BLOCKS		28
#define I_FLAGS			32
#define I_BLOCK			40
#define I_GENERATION		100
#define I_FILE_ACL		104
#define I_SIZE_HIGH		108
#define I_UID_HIGH		120
#define I_GID_HIGH		122

#define EXT2_NDIR_BLOCKS	12
#define EXT2_IND_BLOCK		12
#define EXT2_DIND_BLOCK		13
#define EXT2_TIND_BLOCK		14
#define EXT2_N_BLOCKS		15
#define EXT2_INDEX_FL		0x00001000u	/* hashed-indexed directory */

/* A directory entry: inode, rec_len, name_len, file_type, name. */
#define DE_INODE		0
#define DE_REC_LEN		4
#define DE_NAME_LEN		6
#define DE_FILE_TYPE		7
#define DE_NAME			8
#define DE_REC(n)		((8u + (n) + 3u) & ~3u)

/* The decoded inode; the raw bytes it came from keep every other field. */
struct ext2_inode {
	uint16_t mode;
	uint16_t links;
	uint32_t uid, gid;
	uint64_t size;
	uint32_t atime, ctime, mtime, dtime;
	uint32_t blocks;		/* 512-byte units */
	uint32_t flags;
	uint32_t block[EXT2_N_BLOCKS];
	uint32_t generation;
	uint32_t file_acl;
};

/* A cached metadata block. */
struct ext2_buf {
	struct list_node lru;		/* fs->lru: least recently used first */
	struct ext2_buf *hnext;		/* hash chain */
	uint64_t blk;
	uint8_t *data;			/* block_size bytes */
	unsigned int pins;
	bool dirty;
	/*
	 * Its directory entries passed dir.c's check since it last changed
	 * (ext2_bdirty clears it): walks of a big directory need not parse
	 * every block twice.
	 */
	bool dir_checked;
};

struct ext2_group {
	uint32_t block_bitmap, inode_bitmap, inode_table;
	uint32_t free_blocks, free_inodes, used_dirs;
};

/* An inode referenced by open files (ext2_iget). */
struct ext2_ref {
	struct list_node node;		/* in fs->refs */
	struct list_node hnode;		/* in fs->ref_hash[ino % EXT2_REF_HASH] */
	uint32_t ino;
	unsigned int count;
};

#define EXT2_HASH		256
/* Buckets of held inodes: a mount with every file of a big tree cached holds one each. */
#define EXT2_REF_HASH		1024

struct ext2_fs {
	struct ext2_io io;
	unsigned int flags;
	bool rdonly;
	bool errors;			/* corruption seen: s_state gets EXT2_ERROR_FS */
	uint8_t sb[SB_SIZE];		/* the primary superblock, as on disk */
	uint16_t saved_state;		/* s_state at mount, restored at unmount */

	uint32_t block_size, log_block_size;
	uint64_t blocks_count;
	uint32_t inodes_count;
	uint32_t first_data_block;
	uint32_t blocks_per_group, inodes_per_group;
	uint32_t groups;
	uint32_t desc_blocks;
	uint32_t reserved_gdt;
	uint32_t inode_size, first_ino;
	uint32_t itb_per_group;		/* inode table blocks per group */
	uint32_t ptrs;			/* block numbers per indirect block */
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	uint64_t r_blocks;
	uint64_t free_blocks, free_inodes;
	uint32_t next_generation;
	struct ext2_group *group;

	struct ext2_buf *hash[EXT2_HASH];
	struct list_node lru;
	unsigned int nbufs, cache_max;
	struct list_node refs;		/* struct ext2_ref */
	struct list_node ref_hash[EXT2_REF_HASH];

	/*
	 * Directory hints (dir.c), so that a create walks its directory once
	 * rather than three times: the last name a lookup did not find (a
	 * create looks its name up first; any added entry forgets it), and
	 * the block where the last entry went in (room for the next one is
	 * looked for there first).
	 */
	bool miss_valid;
	uint8_t miss_len;
	uint32_t miss_dir;
	char miss_name[EXT2_NAME_LEN];
	uint32_t room_dir;
	uint64_t room_lblk;
};

/*
 * Corruption: log it, remember it, and give -EUCLEAN (a macro, so that
 * every caller, and the analyzer, sees the result is an error).
 */
void ext2_report(struct ext2_fs *fs, const char *fmt, ...) __printf(2, 3);
#define ext2_corrupt(fs, ...)	(ext2_report((fs), __VA_ARGS__), -EUCLEAN)
int64_t ext2_now(struct ext2_fs *fs);

/* cache.c */
int ext2_bread(struct ext2_fs *fs, uint64_t blk, struct ext2_buf **out);
int ext2_bzero(struct ext2_fs *fs, uint64_t blk, struct ext2_buf **out);	/* new block */
void ext2_brelse(struct ext2_fs *fs, struct ext2_buf *b);
void ext2_bdirty(struct ext2_fs *fs, struct ext2_buf *b);
void ext2_bforget(struct ext2_fs *fs, uint64_t blk);
int ext2_cache_flush(struct ext2_fs *fs);
void ext2_cache_drop(struct ext2_fs *fs);

/* super.c */
bool ext2_group_has_super(const struct ext2_fs *fs, uint32_t g);
uint64_t ext2_group_first(const struct ext2_fs *fs, uint32_t g);
uint32_t ext2_group_nblocks(const struct ext2_fs *fs, uint32_t g);
bool ext2_block_is_meta(const struct ext2_fs *fs, uint64_t blk);
int ext2_check_data_block(struct ext2_fs *fs, uint64_t blk, uint32_t ino);
int ext2_need_write(struct ext2_fs *fs);

/* alloc.c */
int ext2_new_block(struct ext2_fs *fs, uint64_t goal, uint64_t *out);
void ext2_free_block(struct ext2_fs *fs, uint64_t blk);
int ext2_new_inode(struct ext2_fs *fs, uint32_t dir, bool is_dir, uint32_t *out);
void ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool is_dir);

/* inode.c */
int ext2_iread(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);
int ext2_iwrite(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);
int ext2_iinit(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);	/* a new inode */
int ext2_idelete(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);
bool ext2_iref_held(struct ext2_fs *fs, uint32_t ino);
unsigned int ext2_mode_ftype(uint16_t mode);
int ext2_inode_release(struct ext2_fs *fs, uint32_t ino);
/* Take r off fs->refs and its hash bucket (the caller frees it). */
void ext2_ref_unlink(struct ext2_ref *r);	/* links 0 and no refs: free */

/* bmap.c */
int ext2_imap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t lblk,
	      bool create, uint64_t *pblk, bool *fresh);
int ext2_itruncate(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t size);
uint64_t ext2_max_blocks(const struct ext2_fs *fs);

/* dir.c */
int ext2_dir_find(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		  size_t len, uint32_t *ino);
int ext2_dir_add(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		 size_t len, uint32_t ino, unsigned int ftype);
int ext2_dir_remove(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		    size_t len);
int ext2_dir_set(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		 size_t len, uint32_t ino, unsigned int ftype);
int ext2_dir_init(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint32_t parent);
int ext2_dir_empty(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din);
int ext2_dir_parent(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, uint32_t *parent);

static inline bool ext2_is_dir(const struct ext2_inode *in)
{
	return (in->mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

static inline bool ext2_is_reg(const struct ext2_inode *in)
{
	return (in->mode & EXT2_S_IFMT) == EXT2_S_IFREG;
}

static inline bool ext2_is_lnk(const struct ext2_inode *in)
{
	return (in->mode & EXT2_S_IFMT) == EXT2_S_IFLNK;
}

/* Modes whose i_block holds block pointers (not a device number or a fast link). */
bool ext2_has_blocks(const struct ext2_fs *fs, const struct ext2_inode *in);

#endif
