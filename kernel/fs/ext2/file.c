// SPDX-License-Identifier: MPL-2.0
// ext2 file data: reads and writes by byte range through the block map,
// straight to the device (no data caching here: the page cache sits on
// top through ext2_bmap, which leaves new blocks to it), holes read as
// zeros, new blocks zero-filled around a partial ext2_file_write, and
// truncation that zeroes the tail of the new last block so that a later
// extension reads zeros there (as Linux does).
// Symbolic links: fast ones (target in i_block) and slow ones (one block).
#include <aster/string.h>
#include "ext2_int.h"

static int zero_range(struct ext2_fs *fs, uint64_t blk, uint32_t from, uint32_t to);

int ext2_bmap(struct ext2_fs *fs, uint32_t ino, uint64_t file_block, bool create,
	      uint64_t *disk_block)
{
	struct ext2_inode in;
	bool fresh;
	uint32_t before;
	int err = ext2_iread(fs, ino, &in);

	if (err)
		return err;
	if (!ext2_has_blocks(fs, &in))
		return -EINVAL;
	before = in.blocks;
	err = ext2_imap(fs, ino, &in, file_block, create, disk_block, &fresh);
	if (in.blocks != before) {
		int werr = ext2_iwrite(fs, ino, &in);

		if (!err)
			err = werr;
	}
	/*
	 * A new data block is not zeroed: the caller (the page cache) holds
	 * the whole block and writes it all before anything reads it from
	 * the disk, as Linux's ext2 get_block leaves it to the page.
	 */
	(void)fresh;
	return err;
}

/* Bytes [from, to) of a data block set to zero on the device. */
static int zero_range(struct ext2_fs *fs, uint64_t blk, uint32_t from, uint32_t to)
{
	static const uint8_t zeros[512];
	uint64_t off = blk * fs->block_size + from;

	while (from < to) {
		uint32_t n = MIN(to - from, (uint32_t)sizeof(zeros));
		int err = fs->io.write(fs->io.ctx, off, zeros, n);

		if (err < 0)
			return err;
		from += n;
		off += n;
	}
	return 0;
}

ssize_t ext2_file_read(struct ext2_fs *fs, uint32_t ino, uint64_t off, uint8_t *buf, size_t len)
{
	struct ext2_inode in;
	size_t done = 0;
	int err = ext2_iread(fs, ino, &in);

	if (err)
		return err;
	if (ext2_is_dir(&in))
		return -EISDIR;
	if (!ext2_is_reg(&in) && !ext2_has_blocks(fs, &in))
		return -EINVAL;		/* devices, fast symlinks: no data blocks */
	if (off >= in.size)
		return 0;
	len = (size_t)MIN((uint64_t)len, in.size - off);
	while (done < len) {
		uint64_t pos = off + done, pblk;
		uint32_t boff = (uint32_t)(pos & (fs->block_size - 1));
		size_t n = MIN(len - done, (size_t)(fs->block_size - boff));
		bool fresh;

		err = ext2_imap(fs, ino, &in, pos >> fs->log_block_size, false, &pblk, &fresh);
		if (err)
			return done ? (ssize_t)done : err;
		if (!pblk)
			memset(buf + done, 0, n);
		else if ((err = fs->io.read(fs->io.ctx, pblk * fs->block_size + boff, buf + done, n)))
			return done ? (ssize_t)done : err;
		done += n;
	}
	return (ssize_t)done;
}

static int write_block(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t pos,
		       const uint8_t *src, size_t n)
{
	uint32_t boff = (uint32_t)(pos & (fs->block_size - 1));
	uint64_t pblk;
	bool fresh;
	int err = ext2_imap(fs, ino, in, pos >> fs->log_block_size, true, &pblk, &fresh);

	if (err)
		return err;
	if (fresh) {
		/* A new block: what the write does not cover must read as zeros. */
		err = zero_range(fs, pblk, 0, boff);
		if (!err)
			err = zero_range(fs, pblk, boff + (uint32_t)n, fs->block_size);
		if (err)
			return err;
	}
	return fs->io.write(fs->io.ctx, pblk * fs->block_size + boff, src, n);
}

static void set_large_file(struct ext2_fs *fs, uint64_t size)
{
	if (size > 0x7fffffffu && !(fs->feature_ro_compat & RO_COMPAT_LARGE_FILE))
		fs->feature_ro_compat |= RO_COMPAT_LARGE_FILE;
}

ssize_t ext2_file_write(struct ext2_fs *fs, uint32_t ino, uint64_t off, const uint8_t *buf,
			size_t len)
{
	struct ext2_inode in;
	uint64_t limit;
	size_t done = 0;
	int err = ext2_need_write(fs), werr;

	if (!err)
		err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	if (!ext2_is_reg(&in))
		return ext2_is_dir(&in) ? -EISDIR : -EINVAL;
	limit = ext2_max_blocks(fs) << fs->log_block_size;
	if (get_unaligned_le32(fs->sb + SB_REV_LEVEL) == EXT2_GOOD_OLD_REV)
		limit = MIN(limit, (uint64_t)0x7fffffff);
	if (off >= limit)
		return len ? -EFBIG : 0;
	len = (size_t)MIN((uint64_t)len, limit - off);
	while (done < len) {
		uint64_t pos = off + done;
		size_t n = MIN(len - done, (size_t)(fs->block_size - (pos & (fs->block_size - 1))));

		err = write_block(fs, ino, &in, pos, buf + done, n);
		if (err)
			break;
		done += n;
	}
	if (off + done > in.size) {
		in.size = off + done;
		set_large_file(fs, in.size);
	}
	if (done)
		in.mtime = in.ctime = (uint32_t)ext2_now(fs);
	/* Blocks may have been allocated even when the write failed. */
	werr = ext2_iwrite(fs, ino, &in);
	if (done)
		return werr ? werr : (ssize_t)done;
	return err ? err : werr;
}

int ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t new_size)
{
	struct ext2_inode in;
	int err = ext2_need_write(fs), werr;

	if (!err)
		err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	if (ext2_is_dir(&in))
		return -EISDIR;
	if (!ext2_is_reg(&in))
		return -EINVAL;
	if (new_size > ext2_max_blocks(fs) << fs->log_block_size)
		return -EFBIG;
	if (new_size < in.size) {
		uint32_t tail = (uint32_t)(new_size & (fs->block_size - 1));
		uint64_t pblk;
		bool fresh;

		if (tail && !ext2_imap(fs, ino, &in, new_size >> fs->log_block_size, false, &pblk,
				       &fresh) && pblk) {
			err = zero_range(fs, pblk, tail, fs->block_size);
			if (err)
				return err;
		}
		err = ext2_itruncate(fs, ino, &in, new_size);
	}
	in.size = new_size;
	set_large_file(fs, new_size);
	in.mtime = in.ctime = (uint32_t)ext2_now(fs);
	werr = ext2_iwrite(fs, ino, &in);
	return err ? err : werr;
}

ssize_t ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t size)
{
	struct ext2_inode in;
	size_t n;
	int err = ext2_iread(fs, ino, &in);

	if (err)
		return err;
	if (!ext2_is_lnk(&in))
		return -EINVAL;
	if (!in.size || in.size >= fs->block_size)
		return ext2_corrupt(fs, "symlink inode %u: bad size %llu", ino,
				    (unsigned long long)in.size);
	n = (size_t)MIN((uint64_t)size, in.size);
	if (!ext2_has_blocks(fs, &in)) {
		uint8_t raw[EXT2_N_BLOCKS * 4];

		if (in.size > sizeof(raw))
			return ext2_corrupt(fs, "fast symlink inode %u: size %llu", ino,
					    (unsigned long long)in.size);
		for (int i = 0; i < EXT2_N_BLOCKS; i++)
			put_unaligned_le32(raw + 4 * i, in.block[i]);
		/* A NUL inside the target: the size lies (Linux's "invalid fast symlink length"). */
		if (strnlen((const char *)raw, (size_t)in.size) != in.size)
			return ext2_corrupt(fs, "fast symlink inode %u: size %llu past its target",
					    ino, (unsigned long long)in.size);
		memcpy(buf, raw, n);
		return (ssize_t)n;
	}
	return ext2_file_read(fs, ino, 0, (uint8_t *)buf, n);
}
