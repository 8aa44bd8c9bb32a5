// SPDX-License-Identifier: MPL-2.0
// ext2 block and inode allocation from the groups' bitmaps.  Blocks are
// taken at or after a goal (the block before, so files stay contiguous),
// then in the following groups; inodes of directories go to a group with
// more free inodes and blocks than average (spreading the tree, as Linux's
// Orlov allocator does at the top), files near their parent.  Free counts
// of the groups and the totals move with every bit; a bitmap that offers a
// metadata block or an inode still in use is corruption, not an allocation.
#include <aster/string.h>
#include "ext2_int.h"

static bool test_bit(const uint8_t *map, uint32_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

static void set_bit(uint8_t *map, uint32_t i)
{
	map[i >> 3] = (uint8_t)(map[i >> 3] | (1u << (i & 7)));
}

static void clear_bit(uint8_t *map, uint32_t i)
{
	map[i >> 3] = (uint8_t)(map[i >> 3] & ~(1u << (i & 7)));
}

/* The first clear bit in [from, n), wrapping to [0, from); n if none. */
static uint32_t find_clear(const uint8_t *map, uint32_t n, uint32_t from)
{
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = from + k < n ? from + k : from + k - n;

		if ((i & 7) == 0 && map[i >> 3] == 0xff && i + 8 <= n) {
			k += 7;		/* a full byte: skip it */
			continue;
		}
		if (!test_bit(map, i))
			return i;
	}
	return n;
}

static int alloc_in_group(struct ext2_fs *fs, uint32_t g, uint32_t from, uint64_t *out)
{
	struct ext2_group *gr = &fs->group[g];
	uint32_t n = ext2_group_nblocks(fs, g), i;
	struct ext2_buf *b;
	uint64_t blk;
	int err;

	if (!gr->free_blocks)
		return -ENOSPC;
	err = ext2_bread(fs, gr->block_bitmap, &b);
	if (err)
		return err;
	i = find_clear(b->data, n, from < n ? from : 0);
	if (i == n) {
		ext2_brelse(fs, b);
		return ext2_corrupt(fs, "group %u: %u free blocks counted, none in the bitmap", g,
				    gr->free_blocks);
	}
	blk = ext2_group_first(fs, g) + i;
	if (ext2_block_is_meta(fs, blk)) {
		ext2_brelse(fs, b);
		return ext2_corrupt(fs, "group %u: bitmap frees metadata block %llu", g,
				    (unsigned long long)blk);
	}
	set_bit(b->data, i);
	ext2_bdirty(fs, b);
	ext2_brelse(fs, b);
	gr->free_blocks--;
	fs->free_blocks--;
	*out = blk;
	return 0;
}

int ext2_new_block(struct ext2_fs *fs, uint64_t goal, uint64_t *out)
{
	uint32_t g = 0, from = 0;
	int err = ext2_need_write(fs);

	if (err)
		return err;
	if (!fs->free_blocks ||
	    (fs->free_blocks <= fs->r_blocks && !(fs->flags & EXT2_MOUNT_RESERVED)))
		return -ENOSPC;
	if (goal >= fs->first_data_block && goal < fs->blocks_count) {
		g = (uint32_t)((goal - fs->first_data_block) / fs->blocks_per_group);
		from = (uint32_t)(goal - ext2_group_first(fs, g));
	}
	for (uint32_t k = 0; k < fs->groups; k++) {
		uint32_t gg = (g + k) % fs->groups;

		err = alloc_in_group(fs, gg, k ? 0 : from, out);
		if (err != -ENOSPC && err != -EUCLEAN)
			return err;
	}
	return -ENOSPC;
}

void ext2_free_block(struct ext2_fs *fs, uint64_t blk)
{
	uint32_t g, i;
	struct ext2_buf *b;

	if (ext2_block_is_meta(fs, blk)) {
		ext2_report(fs, "freeing metadata or out-of-range block %llu",
			     (unsigned long long)blk);
		return;
	}
	ext2_bforget(fs, blk);
	g = (uint32_t)((blk - fs->first_data_block) / fs->blocks_per_group);
	i = (uint32_t)(blk - ext2_group_first(fs, g));
	if (ext2_bread(fs, fs->group[g].block_bitmap, &b))
		return;
	if (!test_bit(b->data, i)) {
		ext2_brelse(fs, b);
		ext2_report(fs, "freeing free block %llu", (unsigned long long)blk);
		return;
	}
	clear_bit(b->data, i);
	ext2_bdirty(fs, b);
	ext2_brelse(fs, b);
	fs->group[g].free_blocks++;
	fs->free_blocks++;
}

static bool group_ok(const struct ext2_fs *fs, uint32_t g)
{
	return fs->group[g].free_inodes && fs->group[g].free_blocks;
}

/* Directories: the emptiest group among those above average in free inodes. */
static uint32_t find_group_dir(const struct ext2_fs *fs)
{
	uint64_t avg = fs->free_inodes / fs->groups;
	uint32_t best = fs->groups;

	for (uint32_t g = 0; g < fs->groups; g++) {
		const struct ext2_group *gr = &fs->group[g];

		if (!gr->free_inodes || gr->free_inodes < avg)
			continue;
		if (best == fs->groups || gr->free_blocks > fs->group[best].free_blocks)
			best = g;
	}
	return best;
}

/* Files: the parent's group, then a quadratic probe, then any (as Linux). */
static uint32_t find_group_other(const struct ext2_fs *fs, uint32_t parent_group)
{
	uint32_t g = parent_group;

	if (group_ok(fs, g))
		return g;
	for (uint32_t i = 1; i < fs->groups; i <<= 1) {
		g = (g + i) % fs->groups;
		if (group_ok(fs, g))
			return g;
	}
	for (uint32_t i = 0; i < fs->groups; i++) {
		g = (parent_group + i) % fs->groups;
		if (fs->group[g].free_inodes)
			return g;
	}
	return fs->groups;
}

static int take_inode(struct ext2_fs *fs, uint32_t g, uint32_t *out)
{
	struct ext2_group *gr = &fs->group[g];
	uint64_t base = (uint64_t)g * fs->inodes_per_group;
	uint32_t start = 0, i;
	struct ext2_buf *b;
	int err;

	/* Inodes below s_first_ino are reserved, whatever the bitmap says. */
	if (base + 1 < fs->first_ino)
		start = (uint32_t)MIN(fs->first_ino - 1 - base, (uint64_t)fs->inodes_per_group);
	err = ext2_bread(fs, gr->inode_bitmap, &b);
	if (err)
		return err;
	i = find_clear(b->data, fs->inodes_per_group, start);
	if (i == fs->inodes_per_group || i < start) {
		ext2_brelse(fs, b);
		return ext2_corrupt(fs, "group %u: free inodes counted, none in the bitmap", g);
	}
	set_bit(b->data, i);
	ext2_bdirty(fs, b);
	ext2_brelse(fs, b);
	*out = (uint32_t)(base + i + 1);
	return 0;
}

int ext2_new_inode(struct ext2_fs *fs, uint32_t dir, bool is_dir, uint32_t *out)
{
	uint32_t g;
	struct ext2_inode old;
	int err = ext2_need_write(fs);

	if (err)
		return err;
	if (!fs->free_inodes)
		return -ENOSPC;
	g = is_dir ? find_group_dir(fs) : find_group_other(fs, (dir - 1) / fs->inodes_per_group);
	if (g >= fs->groups)
		return -ENOSPC;
	err = take_inode(fs, g, out);
	if (err)
		return err;
	fs->group[g].free_inodes--;
	fs->free_inodes--;
	if (is_dir)
		fs->group[g].used_dirs++;
	err = ext2_iread(fs, *out, &old);
	if (err)
		return err;
	if (old.links)
		return ext2_corrupt(fs, "inode bitmap frees inode %u, which has %u links", *out,
				    old.links);
	return 0;
}

void ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool is_dir)
{
	uint32_t g = (ino - 1) / fs->inodes_per_group, i = (ino - 1) % fs->inodes_per_group;
	struct ext2_buf *b;

	if (ino < fs->first_ino || ino > fs->inodes_count) {
		ext2_report(fs, "freeing reserved or nonexistent inode %u", ino);
		return;
	}
	if (ext2_bread(fs, fs->group[g].inode_bitmap, &b))
		return;
	if (!test_bit(b->data, i)) {
		ext2_brelse(fs, b);
		ext2_report(fs, "freeing free inode %u", ino);
		return;
	}
	clear_bit(b->data, i);
	ext2_bdirty(fs, b);
	ext2_brelse(fs, b);
	fs->group[g].free_inodes++;
	fs->free_inodes++;
	if (is_dir && fs->group[g].used_dirs)
		fs->group[g].used_dirs--;
}
