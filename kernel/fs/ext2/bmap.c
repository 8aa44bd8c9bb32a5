// SPDX-License-Identifier: MPL-2.0
// ext2 block mapping: twelve direct blocks, then single, double and triple
// indirect blocks of block_size / 4 pointers each.  A zero pointer is a
// hole (reads as zeros).  Mapping with create allocates near the block
// before (Linux's ext2_find_near) and zeroes new indirect blocks; truncate
// frees every block past the new end, indirect ones included, at every
// level.  Every pointer is checked before use: inside the file system, not
// metadata, and not already on the chain that led to it (a loop), so a
// corrupt inode can neither make a walk unbounded nor redirect a write.
#include <aster/string.h>
#include "ext2_int.h"

#define MAX_DEPTH	4

uint64_t ext2_max_blocks(const struct ext2_fs *fs)
{
	uint64_t p = fs->ptrs;
	uint64_t tree = EXT2_NDIR_BLOCKS + p + p * p + p * p * p;
	/* i_blocks counts 512-byte sectors in 32 bits, indirect blocks included. */
	uint64_t by_iblocks = (0xffffffffull / (fs->block_size / 512)) * p / (p + 1);

	return tree < by_iblocks ? tree : by_iblocks;
}

static int to_path(const struct ext2_fs *fs, uint64_t lblk, uint32_t idx[MAX_DEPTH])
{
	uint64_t p = fs->ptrs;

	if (lblk < EXT2_NDIR_BLOCKS) {
		idx[0] = (uint32_t)lblk;
		return 1;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	if (lblk < p) {
		idx[0] = EXT2_IND_BLOCK;
		idx[1] = (uint32_t)lblk;
		return 2;
	}
	lblk -= p;
	if (lblk < p * p) {
		idx[0] = EXT2_DIND_BLOCK;
		idx[1] = (uint32_t)(lblk / p);
		idx[2] = (uint32_t)(lblk % p);
		return 3;
	}
	lblk -= p * p;
	if (lblk < p * p * p) {
		idx[0] = EXT2_TIND_BLOCK;
		idx[1] = (uint32_t)(lblk / (p * p));
		idx[2] = (uint32_t)(lblk / p % p);
		idx[3] = (uint32_t)(lblk % p);
		return 4;
	}
	return -EFBIG;
}

/* A pointer met on a chain: valid, and not one the chain already went through. */
static int check_ptr(struct ext2_fs *fs, uint32_t ino, uint64_t blk, const uint64_t *chain,
		     int n)
{
	int err = ext2_check_data_block(fs, blk, ino);

	if (err)
		return err;
	for (int i = 0; i < n; i++)
		if (chain[i] == blk)
			return ext2_corrupt(fs, "inode %u: indirect block %llu loops", ino,
					    (unsigned long long)blk);
	return 0;
}

static uint64_t inode_goal(const struct ext2_fs *fs, uint32_t ino)
{
	uint32_t g = (ino - 1) / fs->inodes_per_group;

	return ext2_group_first(fs, g);
}

/* The nearest used pointer before slot i of a block (or the block itself). */
static uint64_t near_goal(const uint8_t *data, uint32_t i, uint64_t self)
{
	while (i-- > 0) {
		uint32_t v = get_unaligned_le32(data + 4 * i);

		if (v)
			return (uint64_t)v + 1;
	}
	return self + 1;
}

static int grab(struct ext2_fs *fs, struct ext2_inode *in, uint64_t goal, bool indirect,
		uint64_t *blk)
{
	uint32_t per = fs->block_size / 512;
	struct ext2_buf *b;
	int err;

	if (in->blocks > 0xffffffffu - per)
		return -EFBIG;
	err = ext2_new_block(fs, goal, blk);
	if (err)
		return err;
	in->blocks += per;
	if (!indirect)
		return 0;
	err = ext2_bzero(fs, *blk, &b);
	if (err)
		return err;
	ext2_brelse(fs, b);
	return 0;
}

int ext2_imap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t lblk,
	      bool create, uint64_t *pblk, bool *fresh)
{
	uint32_t idx[MAX_DEPTH];
	uint64_t chain[MAX_DEPTH];
	uint64_t cur;
	int depth = to_path(fs, lblk, idx), err;

	*pblk = 0;
	*fresh = false;
	if (depth < 0)
		return depth;
	if (create && (err = ext2_need_write(fs)))
		return err;
	cur = in->block[idx[0]];
	if (!cur) {
		uint64_t goal = inode_goal(fs, ino);

		if (!create)
			return 0;
		for (uint32_t i = idx[0]; i-- > 0;)
			if (in->block[i]) {
				goal = (uint64_t)in->block[i] + 1;
				break;
			}
		err = grab(fs, in, goal, depth > 1, &cur);
		if (err)
			return err;
		in->block[idx[0]] = (uint32_t)cur;
		*fresh = depth == 1;
	} else if ((err = check_ptr(fs, ino, cur, chain, 0))) {
		return err;
	}
	chain[0] = cur;
	for (int level = 1; level < depth; level++) {
		struct ext2_buf *b;
		uint8_t *slot;
		uint64_t next;

		err = ext2_bread(fs, cur, &b);
		if (err)
			return err;
		slot = b->data + 4 * idx[level];
		next = get_unaligned_le32(slot);
		if (!next) {
			if (!create) {
				ext2_brelse(fs, b);
				return 0;
			}
			err = grab(fs, in, near_goal(b->data, idx[level], cur), level < depth - 1,
				   &next);
			if (!err) {
				put_unaligned_le32(slot, (uint32_t)next);
				ext2_bdirty(fs, b);
				*fresh = level == depth - 1;
			}
		} else {
			err = check_ptr(fs, ino, next, chain, level);
		}
		ext2_brelse(fs, b);
		if (err)
			return err;
		chain[level] = next;
		cur = next;
	}
	*pblk = cur;
	return 0;
}

static void drop_block(struct ext2_fs *fs, struct ext2_inode *in, uint64_t blk)
{
	uint32_t per = fs->block_size / 512;

	ext2_free_block(fs, blk);
	in->blocks = in->blocks >= per ? in->blocks - per : 0;
}

static uint64_t span_of(const struct ext2_fs *fs, int level)
{
	uint64_t s = 1;

	while (level-- > 0)
		s *= fs->ptrs;
	return s;
}

/*
 * Free what lies at or past `keep` (in blocks, relative to this subtree)
 * below indirect block blk of the given level (1: it points to data).
 */
static void trim(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t blk,
		 int level, uint64_t keep, uint64_t *chain, int depth)
{
	uint64_t child_span = span_of(fs, level - 1);
	struct ext2_buf *b;

	if (ext2_bread(fs, blk, &b))
		return;
	chain[depth] = blk;
	for (uint32_t i = 0; i < fs->ptrs; i++) {
		uint8_t *slot = b->data + 4 * i;
		uint64_t child = get_unaligned_le32(slot), start = i * child_span;

		if (!child || start + child_span <= keep)
			continue;
		if (check_ptr(fs, ino, child, chain, depth + 1))
			continue;	/* a bad pointer is left alone, not freed */
		if (level > 1)
			trim(fs, ino, in, child, level - 1, keep > start ? keep - start : 0, chain,
			     depth + 1);
		if (keep <= start) {
			drop_block(fs, in, child);
			put_unaligned_le32(slot, 0);
			ext2_bdirty(fs, b);
		}
	}
	ext2_brelse(fs, b);
}

int ext2_itruncate(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t size)
{
	uint64_t keep = (size + fs->block_size - 1) >> fs->log_block_size;
	uint64_t base = EXT2_NDIR_BLOCKS;
	uint64_t chain[MAX_DEPTH];
	int err = ext2_need_write(fs);

	if (err)
		return err;
	for (uint32_t i = 0; i < EXT2_NDIR_BLOCKS; i++) {
		if (i < keep || !in->block[i])
			continue;
		if (!ext2_check_data_block(fs, in->block[i], ino))
			drop_block(fs, in, in->block[i]);
		in->block[i] = 0;
	}
	for (int level = 1; level <= 3; level++) {
		uint32_t *root = &in->block[EXT2_IND_BLOCK + level - 1];
		uint64_t span = span_of(fs, level);

		if (*root && keep < base + span && !check_ptr(fs, ino, *root, chain, 0)) {
			uint64_t k = keep > base ? keep - base : 0;

			trim(fs, ino, in, *root, level, k, chain, 0);
			if (!k) {
				drop_block(fs, in, *root);
				*root = 0;
			}
		}
		base += span;
	}
	in->size = size;
	return 0;
}
