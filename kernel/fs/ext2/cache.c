// SPDX-License-Identifier: MPL-2.0
// ext2's metadata block cache: superblock-adjacent tables, bitmaps, inode
// table blocks, indirect blocks and directory blocks, by block number.  A
// buffer is pinned while a caller uses it (ext2_bread .. ext2_brelse) and
// marked dirty when changed; ext2_cache_flush writes the dirty ones back.
// Beyond cache_max buffers the least recently used unpinned one is evicted
// (written first if dirty), so memory stays bounded whatever the workload.
// Callers check block numbers before they get here (super.c); this file
// checks them again against the block count so no request leaves the image.
#include <aster/heap.h>
#include <aster/string.h>
#include "ext2_int.h"

static unsigned int hash_of(uint64_t blk)
{
	return (unsigned int)((blk * 0x9E3779B97F4A7C15ULL) >> 56) % EXT2_HASH;
}

static struct ext2_buf *find(struct ext2_fs *fs, uint64_t blk)
{
	for (struct ext2_buf *b = fs->hash[hash_of(blk)]; b; b = b->hnext)
		if (b->blk == blk)
			return b;
	return NULL;
}

static void unhash(struct ext2_fs *fs, struct ext2_buf *b)
{
	struct ext2_buf **pp = &fs->hash[hash_of(b->blk)];

	while (*pp && *pp != b)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = b->hnext;
	b->hnext = NULL;
}

static int write_buf(struct ext2_fs *fs, struct ext2_buf *b)
{
	int err;

	if (b->blk >= fs->blocks_count || fs->rdonly)
		return -EIO;
	err = fs->io.write(fs->io.ctx, b->blk * fs->block_size, b->data, fs->block_size);
	if (err < 0) {
		pr_err("ext2: write error on block %llu: %d\n", (unsigned long long)b->blk, err);
		return err;
	}
	b->dirty = false;
	return 0;
}

static void free_buf(struct ext2_fs *fs, struct ext2_buf *b)
{
	unhash(fs, b);
	list_del(&b->lru);
	fs->nbufs--;
	kfree(b->data);
	kfree(b);
}

/* Evict unpinned buffers, oldest first, until there is room for one more. */
static void shrink(struct ext2_fs *fs)
{
	struct ext2_buf *b, *tmp;

	list_for_each_entry_safe(b, tmp, &fs->lru, lru) {
		if (fs->nbufs < fs->cache_max)
			return;
		if (b->pins)
			continue;
		if (b->dirty && write_buf(fs, b) < 0)
			continue;	/* keep it: its change must not be lost */
		free_buf(fs, b);
	}
}

static struct ext2_buf *new_buf(struct ext2_fs *fs, uint64_t blk)
{
	struct ext2_buf *b;
	unsigned int h = hash_of(blk);

	shrink(fs);
	b = kzalloc(sizeof(*b));
	if (!b)
		return NULL;
	b->data = kmalloc(fs->block_size);
	if (!b->data) {
		kfree(b);
		return NULL;
	}
	b->blk = blk;
	b->hnext = fs->hash[h];
	fs->hash[h] = b;
	list_add_tail(&fs->lru, &b->lru);
	fs->nbufs++;
	return b;
}

static void touch(struct ext2_fs *fs, struct ext2_buf *b)
{
	list_del(&b->lru);
	list_add_tail(&fs->lru, &b->lru);
	b->pins++;
}

int ext2_bread(struct ext2_fs *fs, uint64_t blk, struct ext2_buf **out)
{
	struct ext2_buf *b;
	int err;

	if (blk >= fs->blocks_count)
		return ext2_corrupt(fs, "block %llu beyond the file system's %llu",
				    (unsigned long long)blk, (unsigned long long)fs->blocks_count);
	b = find(fs, blk);
	if (!b) {
		b = new_buf(fs, blk);
		if (!b)
			return -ENOMEM;
		err = fs->io.read(fs->io.ctx, blk * fs->block_size, b->data, fs->block_size);
		if (err < 0) {
			pr_err("ext2: read error on block %llu: %d\n", (unsigned long long)blk, err);
			free_buf(fs, b);
			return err;
		}
	}
	touch(fs, b);
	*out = b;
	return 0;
}

int ext2_bzero(struct ext2_fs *fs, uint64_t blk, struct ext2_buf **out)
{
	struct ext2_buf *b;

	if (blk >= fs->blocks_count)
		return ext2_corrupt(fs, "new block %llu out of range", (unsigned long long)blk);
	b = find(fs, blk);
	if (!b) {
		b = new_buf(fs, blk);
		if (!b)
			return -ENOMEM;
	}
	memset(b->data, 0, fs->block_size);
	touch(fs, b);
	ext2_bdirty(fs, b);
	*out = b;
	return 0;
}

void ext2_brelse(struct ext2_fs *fs, struct ext2_buf *b)
{
	(void)fs;
	if (b && b->pins)
		b->pins--;
}

void ext2_bdirty(struct ext2_fs *fs, struct ext2_buf *b)
{
	(void)fs;
	b->dirty = true;
	b->dir_checked = false;
}

/* A freed block: its cached contents must never be written over new data. */
void ext2_bforget(struct ext2_fs *fs, uint64_t blk)
{
	struct ext2_buf *b = find(fs, blk);

	if (!b)
		return;
	b->dirty = false;
	if (!b->pins)
		free_buf(fs, b);
}

int ext2_cache_flush(struct ext2_fs *fs)
{
	struct ext2_buf *b;
	int ret = 0;

	list_for_each_entry(b, &fs->lru, lru) {
		if (b->dirty) {
			int err = write_buf(fs, b);

			if (err < 0 && !ret)
				ret = err;
		}
	}
	return ret;
}

/* Unmount: everything goes, written or not (the caller flushed first). */
void ext2_cache_drop(struct ext2_fs *fs)
{
	struct ext2_buf *b, *tmp;

	list_for_each_entry_safe(b, tmp, &fs->lru, lru)
		free_buf(fs, b);
}
