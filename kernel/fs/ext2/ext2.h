/* SPDX-License-Identifier: MPL-2.0 */
/*
 * ext2: the on-disk core as a library (doc/ext2.md).  It knows nothing of
 * the VFS, the page cache or the block layer: it reads and writes the
 * device through struct ext2_io (byte offsets), keeps its own bounded cache
 * of metadata blocks, and names inodes by number.  The VFS glue maps its
 * calls onto these; the host tests (tests/unit/test_ext2.c) drive it on
 * images made by mke2fs and check them with e2fsck.
 *
 *	struct ext2_io io = { .ctx = dev, .read = rd, .write = wr,
 *			      .flush = fl, .now = now, .size = bytes };
 *	struct ext2_fs *fs;
 *	int err = ext2_mount(&io, 0, &fs);
 *	uint32_t ino;
 *	err = ext2_lookup(fs, EXT2_ROOT_INO, "etc", 3, &ino);
 *	...
 *	ext2_unmount(fs);		(syncs, marks the file system clean)
 *
 * Contract:
 *  - Every call returns 0 (or a count) or a negative errno.  A structure
 *    found corrupt gives -EUCLEAN (Linux's EFSCORRUPTED) with a log line,
 *    and marks the file system as having errors (s_state) at the next sync;
 *    a failed device transfer gives what the io callback returned (-EIO).
 *  - No block number read from the disk is used before it is checked to lie
 *    inside the file system (and, for data, outside its metadata), so a
 *    corrupt image never makes the library write outside its own blocks.
 *    Every walk (directory blocks, indirect chains) is bounded.
 *  - Not thread-safe: the caller serializes every call on one file system
 *    (one lock per mount in the glue).
 *  - Changes live in the metadata cache and the device until ext2_sync()
 *    writes the dirty metadata back and flushes the device.  File data goes
 *    to the device directly (ext2_file_write) or through the page cache
 *    using ext2_bmap().
 *  - Inodes with a link count of 0 are freed when the last reference taken
 *    with ext2_iget() is dropped (ext2_iput) or at ext2_evict(); unlinking a
 *    file nobody holds frees it at once.
 */
#ifndef ASTER_KERNEL_FS_EXT2_H
#define ASTER_KERNEL_FS_EXT2_H

#include <aster/types.h>

struct ext2_io {
	void *ctx;
	/* Whole transfers or a negative errno (short transfers are errors). */
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	int (*write)(void *ctx, uint64_t off, const void *buf, size_t len);
	int (*flush)(void *ctx);		/* may be NULL */
	int64_t (*now)(void *ctx);		/* seconds since the epoch; may be NULL (0) */
	uint64_t size;				/* the device's size in bytes */
};

/* ext2_mount flags */
#define EXT2_MOUNT_RDONLY	0x1u	/* never write the device */
#define EXT2_MOUNT_RESERVED	0x2u	/* allocations may use the root-reserved blocks */

#define EXT2_ROOT_INO		2
#define EXT2_NAME_LEN		255
#define EXT2_DEFAULT_CACHE	1024	/* metadata blocks kept (least recently used evicted first) */

/* File types of directory entries (ext2_readdir), as on disk. */
enum ext2_ftype {
	EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV, EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK,
};

/* Mode bits as stored in i_mode (they equal Linux's S_IF* values). */
#define EXT2_S_IFMT	0170000
#define EXT2_S_IFSOCK	0140000
#define EXT2_S_IFLNK	0120000
#define EXT2_S_IFREG	0100000
#define EXT2_S_IFBLK	0060000
#define EXT2_S_IFDIR	0040000
#define EXT2_S_IFCHR	0020000
#define EXT2_S_IFIFO	0010000

struct ext2_fs;

struct ext2_stat {
	uint32_t ino;
	uint16_t mode;
	uint16_t nlink;
	uint32_t uid, gid;
	uint64_t size;
	uint64_t blocks;		/* in 512-byte units, metadata blocks included */
	int64_t atime, mtime, ctime;
	uint32_t rdev_major, rdev_minor;
	uint32_t flags;			/* i_flags */
	uint32_t generation;
	uint32_t blksize;
};

/* ext2_setattr: which fields of struct ext2_setattr to apply. */
#define EXT2_SET_MODE	0x01u	/* permission bits only: the type stays */
#define EXT2_SET_UID	0x02u
#define EXT2_SET_GID	0x04u
#define EXT2_SET_SIZE	0x08u	/* ext2_truncate */
#define EXT2_SET_ATIME	0x10u
#define EXT2_SET_MTIME	0x20u
#define EXT2_SET_CTIME	0x40u
#define EXT2_SET_FLAGS	0x80u

struct ext2_setattr {
	uint32_t valid;
	uint16_t mode;
	uint32_t uid, gid;
	uint64_t size;
	int64_t atime, mtime, ctime;
	uint32_t flags;
};

struct ext2_statfs {
	uint64_t block_size;
	uint64_t blocks, free_blocks, avail_blocks;	/* avail: free minus reserved */
	uint64_t reserved_blocks;			/* s_r_blocks_count */
	uint64_t inodes, free_inodes;
	uint32_t name_len;
	uint8_t uuid[16];
};

/* Mount and unmount; ext2_sync writes every dirty metadata block back. */
int ext2_mount(const struct ext2_io *io, unsigned int flags, struct ext2_fs **out);
int ext2_unmount(struct ext2_fs *fs);
int ext2_sync(struct ext2_fs *fs);
/*
 * Remount: read-only (everything synced, the file system marked clean as
 * at unmount; -EBUSY while unlinked inodes are still referenced) or
 * read-write again (marked in use, the mount count raised; -EROFS when it
 * has read-only features this driver lacks).  0 or -errno.
 */
int ext2_set_rdonly(struct ext2_fs *fs, bool rdonly);
bool ext2_is_rdonly(const struct ext2_fs *fs);
void ext2_set_cache_limit(struct ext2_fs *fs, unsigned int blocks);
void ext2_statfs(struct ext2_fs *fs, struct ext2_statfs *st);
uint32_t ext2_block_size(const struct ext2_fs *fs);

/* Inodes. */
int ext2_getattr(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st);
int ext2_setattr(struct ext2_fs *fs, uint32_t ino, const struct ext2_setattr *a);
int ext2_iget(struct ext2_fs *fs, uint32_t ino);		/* a reference for an open file */
int ext2_iput(struct ext2_fs *fs, uint32_t ino);		/* frees an unlinked inode at the last */
int ext2_evict(struct ext2_fs *fs, uint32_t ino);		/* the VFS forgot it: drop all refs */

/*
 * Blocks and file data.  ext2_bmap: the disk block of a file block (0 for
 * a hole unless create); a block it allocates is not zeroed on the disk:
 * the caller writes all of it before the device is read there.
 */
int ext2_bmap(struct ext2_fs *fs, uint32_t ino, uint64_t file_block, bool create,
	      uint64_t *disk_block);
int ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t new_size);
ssize_t ext2_file_read(struct ext2_fs *fs, uint32_t ino, uint64_t off, uint8_t *buf, size_t len);
ssize_t ext2_file_write(struct ext2_fs *fs, uint32_t ino, uint64_t off, const uint8_t *buf,
			size_t len);
ssize_t ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t size);

/* Directories.  Names are (pointer, length), not NUL-terminated. */
typedef int (*ext2_filldir_t)(void *ctx, const char *name, size_t len, uint32_t ino,
			      unsigned int ftype, uint64_t next_pos);
/*
 * The caller knows dir has no entry called name (it holds all of dir's
 * names): the next create of it there skips its walk for duplicates.
 * Forgotten as soon as any entry is added.
 */
void ext2_note_absent(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len);
int ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len, uint32_t *ino);
/*
 * Calls fill for each entry from *pos (a byte offset, as Linux's f_pos) on;
 * stops early when fill returns nonzero, leaving *pos at that entry.  At the
 * end *pos is the directory's size.
 */
int ext2_readdir(struct ext2_fs *fs, uint32_t dir, uint64_t *pos, ext2_filldir_t fill, void *ctx);
int ext2_dir_is_empty(struct ext2_fs *fs, uint32_t dir);	/* 1, 0 or -errno */

/* Namespace operations (permission checks are the VFS's). */
int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len, uint16_t mode,
		uint32_t rdev_major, uint32_t rdev_minor, uint32_t uid, uint32_t gid,
		uint32_t *ino);
int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len, uint16_t mode,
	       uint32_t uid, uint32_t gid, uint32_t *ino);
int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		 const char *target, size_t tlen, uint32_t uid, uint32_t gid, uint32_t *ino);
int ext2_link(struct ext2_fs *fs, uint32_t ino, uint32_t dir, const char *name, size_t len);
int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len);
int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len);
/* Linux rename(2) semantics on one file system (no RENAME_* flags). */
int ext2_rename(struct ext2_fs *fs, uint32_t odir, const char *oname, size_t olen,
		uint32_t ndir, const char *nname, size_t nlen);

#endif
