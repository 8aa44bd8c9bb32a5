// SPDX-License-Identifier: MPL-2.0
// ext2 mount, unmount and sync: the superblock and the group descriptor
// table are checked field by field before anything else is read (as Linux's
// ext2_fill_super and ext2_check_descriptors do), the descriptors are kept
// in memory (free counts included) and written back by ext2_sync, and the
// superblock's state, mount count and times follow Linux: a read-write
// mount clears EXT2_VALID_FS until the clean unmount sets it again.
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "ext2_int.h"

void ext2_report(struct ext2_fs *fs, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("EXT2-fs error: %s\n", msg);
	fs->errors = true;
}

int64_t ext2_now(struct ext2_fs *fs)
{
	return fs->io.now ? fs->io.now(fs->io.ctx) : 0;
}

int ext2_need_write(struct ext2_fs *fs)
{
	return fs->rdonly ? -EROFS : 0;
}

static bool is_power_of(uint32_t n, uint32_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* sparse_super: backups only in groups 0, 1 and powers of 3, 5 and 7. */
bool ext2_group_has_super(const struct ext2_fs *fs, uint32_t g)
{
	if (!(fs->feature_ro_compat & RO_COMPAT_SPARSE_SUPER) || g <= 1)
		return true;
	if (!(g & 1))
		return false;
	return is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7);
}

uint64_t ext2_group_first(const struct ext2_fs *fs, uint32_t g)
{
	return fs->first_data_block + (uint64_t)g * fs->blocks_per_group;
}

uint32_t ext2_group_nblocks(const struct ext2_fs *fs, uint32_t g)
{
	uint64_t left = fs->blocks_count - ext2_group_first(fs, g);

	return left < fs->blocks_per_group ? (uint32_t)left : fs->blocks_per_group;
}

/* Superblock, descriptor and reserved descriptor blocks at a group's start. */
static uint32_t group_super_blocks(const struct ext2_fs *fs, uint32_t g)
{
	if (!ext2_group_has_super(fs, g))
		return 0;
	return 1 + fs->desc_blocks + fs->reserved_gdt;
}

bool ext2_block_is_meta(const struct ext2_fs *fs, uint64_t blk)
{
	uint32_t g;
	const struct ext2_group *gr;
	uint64_t first;

	if (blk < fs->first_data_block || blk >= fs->blocks_count)
		return true;
	g = (uint32_t)((blk - fs->first_data_block) / fs->blocks_per_group);
	first = ext2_group_first(fs, g);
	gr = &fs->group[g];
	if (blk < first + group_super_blocks(fs, g))
		return true;
	if (blk == gr->block_bitmap || blk == gr->inode_bitmap)
		return true;
	return blk >= gr->inode_table && blk < (uint64_t)gr->inode_table + fs->itb_per_group;
}

/* A block number read from an inode or an indirect block, before use. */
int ext2_check_data_block(struct ext2_fs *fs, uint64_t blk, uint32_t ino)
{
	if (ext2_block_is_meta(fs, blk))
		return ext2_corrupt(fs, "inode %u: block %llu is out of range or metadata", ino,
				    (unsigned long long)blk);
	return 0;
}

/*
 * A superblock that cannot describe this device: the mount is refused with
 * -EINVAL, as Linux's ext2 and ext4 fill_super do for every superblock
 * check ("bad geometry", "invalid log block size", "inodes count not
 * valid"); only the descriptors and the root inode are -EUCLEAN.  Nothing
 * is marked on the disk.
 */
static int bad_super(const char *fmt, ...) __printf(1, 2);
static int bad_super(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("EXT2-fs: %s\n", msg);
	return -EINVAL;
}

static int check_super(struct ext2_fs *fs)
{
	const uint8_t *sb = fs->sb;
	uint32_t rev = get_unaligned_le32(sb + SB_REV_LEVEL);
	uint32_t log_bs = get_unaligned_le32(sb + SB_LOG_BLOCK_SIZE);
	uint64_t groups;

	if (get_unaligned_le16(sb + SB_MAGIC) != EXT2_MAGIC) {
		/* Not ext2 at all: nothing to mark, but say so as Linux does. */
		pr_err("EXT2-fs: can't find an ext2 filesystem on dev\n");
		return -EINVAL;
	}
	if (log_bs > 2)
		return bad_super("unsupported block size 2^%u KiB", log_bs);
	fs->log_block_size = 10 + log_bs;
	fs->block_size = 1024u << log_bs;
	fs->ptrs = fs->block_size / 4;
	fs->blocks_count = get_unaligned_le32(sb + SB_BLOCKS_COUNT);
	fs->inodes_count = get_unaligned_le32(sb);
	fs->r_blocks = get_unaligned_le32(sb + SB_R_BLOCKS_COUNT);
	fs->first_data_block = get_unaligned_le32(sb + SB_FIRST_DATA_BLOCK);
	fs->blocks_per_group = get_unaligned_le32(sb + SB_BLOCKS_PER_GROUP);
	fs->inodes_per_group = get_unaligned_le32(sb + SB_INODES_PER_GROUP);
	if (rev == EXT2_GOOD_OLD_REV) {
		fs->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else if (rev == EXT2_DYNAMIC_REV) {
		fs->inode_size = get_unaligned_le16(sb + SB_INODE_SIZE);
		fs->first_ino = get_unaligned_le32(sb + SB_FIRST_INO);
		fs->feature_compat = get_unaligned_le32(sb + SB_FEATURE_COMPAT);
		fs->feature_incompat = get_unaligned_le32(sb + SB_FEATURE_INCOMPAT);
		fs->feature_ro_compat = get_unaligned_le32(sb + SB_FEATURE_RO_COMPAT);
		if (fs->feature_compat & COMPAT_RESIZE_INODE)
			fs->reserved_gdt = get_unaligned_le16(sb + SB_RESERVED_GDT);
	} else {
		return bad_super("unknown revision level %u", rev);
	}
	if (fs->feature_incompat & ~INCOMPAT_SUPPORTED) {
		pr_err("EXT2-fs: unsupported incompatible features %#x\n",
		       fs->feature_incompat & ~INCOMPAT_SUPPORTED);
		return -EINVAL;
	}
	if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE || fs->inode_size > fs->block_size ||
	    (fs->inode_size & (fs->inode_size - 1)))
		return bad_super("bad inode size %u", fs->inode_size);
	if (fs->first_data_block != (fs->block_size == 1024 ? 1u : 0u))
		return bad_super("bad first data block %u", fs->first_data_block);
	if (fs->blocks_count <= fs->first_data_block ||
	    fs->blocks_count > fs->io.size / fs->block_size)
		return bad_super("blocks count %llu does not fit the device (%llu bytes)",
				    (unsigned long long)fs->blocks_count,
				    (unsigned long long)fs->io.size);
	if (fs->blocks_per_group < 8 || fs->blocks_per_group > fs->block_size * 8 ||
	    fs->blocks_per_group % 8)
		return bad_super("bad blocks per group %u", fs->blocks_per_group);
	if (fs->inodes_per_group < fs->block_size / fs->inode_size ||
	    fs->inodes_per_group > fs->block_size * 8 ||
	    fs->inodes_per_group % (fs->block_size / fs->inode_size))
		return bad_super("bad inodes per group %u", fs->inodes_per_group);
	groups = (fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1) /
		 fs->blocks_per_group;
	if ((uint64_t)fs->inodes_per_group * groups != fs->inodes_count)
		return bad_super("inodes count %u is not %llu groups of %u", fs->inodes_count,
				    (unsigned long long)groups, fs->inodes_per_group);
	if (fs->first_ino < EXT2_GOOD_OLD_FIRST_INO || fs->first_ino >= fs->inodes_count)
		return bad_super("bad first inode %u", fs->first_ino);
	if (fs->r_blocks > fs->blocks_count)
		return bad_super("reserved blocks %llu > blocks count",
				    (unsigned long long)fs->r_blocks);
	fs->groups = (uint32_t)groups;
	fs->desc_blocks = (fs->groups + fs->block_size / GD_SIZE - 1) / (fs->block_size / GD_SIZE);
	fs->itb_per_group = fs->inodes_per_group / (fs->block_size / fs->inode_size);
	if (fs->reserved_gdt > fs->block_size / 4)
		return bad_super("bad reserved GDT blocks %u", fs->reserved_gdt);
	if (fs->first_data_block + 1ull + fs->desc_blocks + fs->reserved_gdt >
	    ext2_group_first(fs, 0) + ext2_group_nblocks(fs, 0))
		return bad_super("group descriptor table out of range");
	return 0;
}

static bool range_in_group(const struct ext2_fs *fs, uint32_t g, uint64_t start, uint64_t n)
{
	uint64_t first = ext2_group_first(fs, g) + group_super_blocks(fs, g);
	uint64_t end = ext2_group_first(fs, g) + ext2_group_nblocks(fs, g);

	return start >= first && start < end && n <= end - start;
}

static int load_group(struct ext2_fs *fs, uint32_t g, const uint8_t *d)
{
	struct ext2_group *gr = &fs->group[g];
	uint64_t it_end;

	gr->block_bitmap = get_unaligned_le32(d);
	gr->inode_bitmap = get_unaligned_le32(d + GD_INODE_BITMAP);
	gr->inode_table = get_unaligned_le32(d + GD_INODE_TABLE);
	gr->free_blocks = get_unaligned_le16(d + GD_FREE_BLOCKS);
	gr->free_inodes = get_unaligned_le16(d + GD_FREE_INODES);
	gr->used_dirs = get_unaligned_le16(d + GD_USED_DIRS);
	it_end = (uint64_t)gr->inode_table + fs->itb_per_group;
	if (!range_in_group(fs, g, gr->block_bitmap, 1) ||
	    !range_in_group(fs, g, gr->inode_bitmap, 1) ||
	    !range_in_group(fs, g, gr->inode_table, fs->itb_per_group))
		return ext2_corrupt(fs, "group %u: bitmap or inode table not in group", g);
	if ((gr->block_bitmap >= gr->inode_table && gr->block_bitmap < it_end) ||
	    (gr->inode_bitmap >= gr->inode_table && gr->inode_bitmap < it_end) ||
	    gr->block_bitmap == gr->inode_bitmap)
		return ext2_corrupt(fs, "group %u: bitmaps overlap", g);
	if (gr->free_blocks > ext2_group_nblocks(fs, g) || gr->free_inodes > fs->inodes_per_group ||
	    gr->used_dirs > fs->inodes_per_group)
		return ext2_corrupt(fs, "group %u: free counts out of range", g);
	fs->free_blocks += gr->free_blocks;
	fs->free_inodes += gr->free_inodes;
	return 0;
}

static int load_groups(struct ext2_fs *fs)
{
	uint32_t per = fs->block_size / GD_SIZE;

	fs->group = kcalloc(fs->groups, sizeof(*fs->group));
	if (!fs->group)
		return -ENOMEM;
	for (uint32_t i = 0; i < fs->desc_blocks; i++) {
		struct ext2_buf *b;
		int err = ext2_bread(fs, fs->first_data_block + 1ull + i, &b);

		if (err)
			return err;
		for (uint32_t j = 0; j < per && i * per + j < fs->groups; j++) {
			err = load_group(fs, i * per + j, b->data + j * GD_SIZE);
			if (err) {
				ext2_brelse(fs, b);
				return err;
			}
		}
		ext2_brelse(fs, b);
	}
	return 0;
}

static int store_groups(struct ext2_fs *fs)
{
	uint32_t per = fs->block_size / GD_SIZE;

	for (uint32_t g = 0; g < fs->groups; g++) {
		struct ext2_buf *b;
		uint8_t *d;
		int err = ext2_bread(fs, fs->first_data_block + 1ull + g / per, &b);

		if (err)
			return err;
		d = b->data + (g % per) * GD_SIZE;
		if (get_unaligned_le16(d + GD_FREE_BLOCKS) != fs->group[g].free_blocks ||
		    get_unaligned_le16(d + GD_FREE_INODES) != fs->group[g].free_inodes ||
		    get_unaligned_le16(d + GD_USED_DIRS) != fs->group[g].used_dirs) {
			put_unaligned_le16(d + GD_FREE_BLOCKS, (uint16_t)fs->group[g].free_blocks);
			put_unaligned_le16(d + GD_FREE_INODES, (uint16_t)fs->group[g].free_inodes);
			put_unaligned_le16(d + GD_USED_DIRS, (uint16_t)fs->group[g].used_dirs);
			ext2_bdirty(fs, b);
		}
		ext2_brelse(fs, b);
	}
	return 0;
}

static int write_super(struct ext2_fs *fs)
{
	uint8_t *sb = fs->sb;

	put_unaligned_le32(sb + SB_FREE_BLOCKS, (uint32_t)fs->free_blocks);
	put_unaligned_le32(sb + SB_FREE_INODES, (uint32_t)fs->free_inodes);
	put_unaligned_le32(sb + SB_WTIME, (uint32_t)ext2_now(fs));
	put_unaligned_le32(sb + SB_FEATURE_RO_COMPAT, fs->feature_ro_compat);
	if (fs->errors)
		put_unaligned_le16(sb + SB_STATE, get_unaligned_le16(sb + SB_STATE) | EXT2_ERROR_FS);
	return fs->io.write(fs->io.ctx, SB_OFFSET, sb, SB_SIZE);
}

int ext2_sync(struct ext2_fs *fs)
{
	int err;

	if (fs->rdonly)
		return 0;
	err = store_groups(fs);
	if (!err)
		err = ext2_cache_flush(fs);
	if (!err)
		err = write_super(fs);
	if (!err && fs->io.flush)
		err = fs->io.flush(fs->io.ctx);
	return err;
}

static void free_fs(struct ext2_fs *fs)
{
	ext2_cache_drop(fs);
	while (!list_empty(&fs->refs)) {
		struct ext2_ref *r = list_entry(fs->refs.next, struct ext2_ref, node);

		ext2_ref_unlink(r);
		kfree(r);
	}
	kfree(fs->group);
	kfree(fs);
}

static int check_root(struct ext2_fs *fs)
{
	struct ext2_inode root;
	int err = ext2_iread(fs, EXT2_ROOT_INO, &root);

	if (err)
		return err;
	if (!ext2_is_dir(&root) || !root.links || !root.size)
		return ext2_corrupt(fs, "root inode is not a directory");
	return 0;
}

static int start_rw(struct ext2_fs *fs)
{
	uint8_t *sb = fs->sb;
	uint16_t state = get_unaligned_le16(sb + SB_STATE);
	int16_t max = (int16_t)get_unaligned_le16(sb + SB_MAX_MNT_COUNT);
	uint16_t count = get_unaligned_le16(sb + SB_MNT_COUNT);

	if (!(state & EXT2_VALID_FS))
		pr_warn("EXT2-fs warning: mounting unchecked fs, running e2fsck is recommended\n");
	else if (state & EXT2_ERROR_FS)
		pr_warn("EXT2-fs warning: mounting fs with errors, running e2fsck is recommended\n");
	else if (max >= 0 && count >= (uint16_t)max)
		pr_warn("EXT2-fs warning: maximal mount count reached, running e2fsck is recommended\n");
	fs->saved_state = state;
	put_unaligned_le16(sb + SB_STATE, state & (uint16_t)~EXT2_VALID_FS);
	put_unaligned_le16(sb + SB_MNT_COUNT, (uint16_t)(count + 1));
	put_unaligned_le32(sb + SB_MTIME, (uint32_t)ext2_now(fs));
	return ext2_sync(fs);
}

int ext2_mount(const struct ext2_io *io, unsigned int flags, struct ext2_fs **out)
{
	struct ext2_fs *fs = kzalloc(sizeof(*fs));
	int err;

	if (!fs)
		return -ENOMEM;
	fs->io = *io;
	fs->flags = flags;
	fs->rdonly = true;	/* until everything checked out */
	fs->cache_max = EXT2_DEFAULT_CACHE;
	fs->next_generation = 1;
	list_init(&fs->lru);
	list_init(&fs->refs);
	for (size_t h = 0; h < EXT2_REF_HASH; h++)
		list_init(&fs->ref_hash[h]);
	err = -EINVAL;
	if (io->size >= SB_OFFSET + SB_SIZE)
		err = io->read(io->ctx, SB_OFFSET, fs->sb, SB_SIZE);
	if (!err)
		err = check_super(fs);
	if (!err)
		err = load_groups(fs);
	if (!err && (fs->free_blocks > fs->blocks_count || fs->free_inodes > fs->inodes_count))
		err = ext2_corrupt(fs, "free counts exceed the totals");
	if (!err)
		err = check_root(fs);
	if (err) {
		free_fs(fs);
		return err;
	}
	fs->rdonly = (flags & EXT2_MOUNT_RDONLY) != 0;
	if (!fs->rdonly && (fs->feature_ro_compat & ~RO_COMPAT_SUPPORTED)) {
		pr_warn("EXT2-fs: unsupported read-only features %#x: mounting read-only\n",
			fs->feature_ro_compat & ~RO_COMPAT_SUPPORTED);
		fs->rdonly = true;
	}
	if (!fs->rdonly) {
		err = start_rw(fs);
		if (err) {
			free_fs(fs);
			return err;
		}
	}
	*out = fs;
	return 0;
}

/* Inodes still unlinked but referenced are freed now: nothing can reach them. */
static void release_refs(struct ext2_fs *fs)
{
	while (!list_empty(&fs->refs)) {
		struct ext2_ref *r = list_entry(fs->refs.next, struct ext2_ref, node);
		uint32_t ino = r->ino;

		ext2_ref_unlink(r);
		kfree(r);
		(void)ext2_inode_release(fs, ino);
	}
}

int ext2_unmount(struct ext2_fs *fs)
{
	int err = 0;

	if (!fs->rdonly) {
		release_refs(fs);
		put_unaligned_le16(fs->sb + SB_STATE, fs->saved_state);
		err = ext2_sync(fs);
	}
	free_fs(fs);
	return err;
}

/*
 * -EBUSY while an unlinked inode is still referenced (open): read-only, its
 * last put could not free it (Linux refuses such a remount too).
 */
static int unlinked_held(struct ext2_fs *fs)
{
	struct ext2_ref *r;

	list_for_each_entry(r, &fs->refs, node) {
		struct ext2_inode in;
		int err = ext2_iread(fs, r->ino, &in);

		if (err)
			return err;
		if (!in.links)
			return -EBUSY;
	}
	return 0;
}

int ext2_set_rdonly(struct ext2_fs *fs, bool rdonly)
{
	int err;

	if (rdonly == fs->rdonly)
		return 0;
	if (!rdonly) {
		if (fs->feature_ro_compat & ~RO_COMPAT_SUPPORTED) {
			pr_warn("EXT2-fs: couldn't remount RDWR because of unsupported optional features (%x)\n",
				fs->feature_ro_compat & ~RO_COMPAT_SUPPORTED);
			return -EROFS;
		}
		fs->rdonly = false;
		err = start_rw(fs);
		if (err)
			fs->rdonly = true;
		return err;
	}
	err = unlinked_held(fs);
	if (err)
		return err;
	put_unaligned_le16(fs->sb + SB_STATE, fs->saved_state);
	err = ext2_sync(fs);
	if (!err)
		fs->rdonly = true;
	return err;
}

bool ext2_is_rdonly(const struct ext2_fs *fs)
{
	return fs->rdonly;
}

void ext2_set_cache_limit(struct ext2_fs *fs, unsigned int blocks)
{
	fs->cache_max = blocks < 16 ? 16 : blocks;
}

uint32_t ext2_block_size(const struct ext2_fs *fs)
{
	return fs->block_size;
}

/* As Linux's ext2_statfs with the default "bsddf": metadata overhead left out. */
void ext2_statfs(struct ext2_fs *fs, struct ext2_statfs *st)
{
	uint64_t overhead = fs->first_data_block;

	for (uint32_t g = 0; g < fs->groups; g++)
		overhead += group_super_blocks(fs, g) + 2 + fs->itb_per_group;
	memset(st, 0, sizeof(*st));
	st->block_size = fs->block_size;
	st->blocks = fs->blocks_count > overhead ? fs->blocks_count - overhead : 0;
	st->free_blocks = fs->free_blocks;
	st->avail_blocks = fs->free_blocks > fs->r_blocks ? fs->free_blocks - fs->r_blocks : 0;
	st->reserved_blocks = fs->r_blocks;
	st->inodes = fs->inodes_count;
	st->free_inodes = fs->free_inodes;
	st->name_len = EXT2_NAME_LEN;
	memcpy(st->uuid, fs->sb + SB_UUID, sizeof(st->uuid));
}
