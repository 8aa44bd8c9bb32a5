// SPDX-License-Identifier: MPL-2.0
// ext2 inodes: decoding and encoding the on-disk inode (only the fields
// ext2 defines are rewritten; the rest of a 256-byte inode, like Linux
// ext2, is left as it is), attributes, and the lifetime of unlinked inodes:
// a file whose last link goes while it is open (ext2_iget) keeps its
// blocks until the last ext2_iput or ext2_evict, then is truncated, given
// its deletion time and returned to the bitmap, as Linux's ext2_evict_inode.
#include <aster/heap.h>
#include <aster/string.h>
#include "ext2_int.h"

static int locate(struct ext2_fs *fs, uint32_t ino, uint64_t *blk, uint32_t *off)
{
	uint32_t g, idx;
	uint64_t byte;

	if (ino < 1 || ino > fs->inodes_count)
		return ext2_corrupt(fs, "inode number %u out of range", ino);
	g = (ino - 1) / fs->inodes_per_group;
	idx = (ino - 1) % fs->inodes_per_group;
	byte = (uint64_t)idx * fs->inode_size;
	*blk = fs->group[g].inode_table + byte / fs->block_size;
	*off = (uint32_t)(byte % fs->block_size);
	return 0;
}

static void decode(const struct ext2_fs *fs, const uint8_t *r, struct ext2_inode *in)
{
	(void)fs;
	memset(in, 0, sizeof(*in));
	in->mode = get_unaligned_le16(r);
	in->uid = get_unaligned_le16(r + I_UID) | (uint32_t)get_unaligned_le16(r + I_UID_HIGH) << 16;
	in->gid = get_unaligned_le16(r + I_GID) | (uint32_t)get_unaligned_le16(r + I_GID_HIGH) << 16;
	in->size = get_unaligned_le32(r + I_SIZE);
	if (ext2_is_reg(in) || ext2_is_dir(in))
		in->size |= (uint64_t)get_unaligned_le32(r + I_SIZE_HIGH) << 32;
	in->atime = get_unaligned_le32(r + I_ATIME);
	in->ctime = get_unaligned_le32(r + I_CTIME);
	in->mtime = get_unaligned_le32(r + I_MTIME);
	in->dtime = get_unaligned_le32(r + I_DTIME);
	in->links = get_unaligned_le16(r + I_LINKS);
	in->blocks = get_unaligned_le32(r + I_BLOCKS);
	in->flags = get_unaligned_le32(r + I_FLAGS);
	for (int i = 0; i < EXT2_N_BLOCKS; i++)
		in->block[i] = get_unaligned_le32(r + I_BLOCK + 4 * i);
	in->generation = get_unaligned_le32(r + I_GENERATION);
	in->file_acl = get_unaligned_le32(r + I_FILE_ACL);
}

static void encode(const struct ext2_fs *fs, uint8_t *r, const struct ext2_inode *in)
{
	bool old = get_unaligned_le32(fs->sb + SB_REV_LEVEL) == EXT2_GOOD_OLD_REV;

	put_unaligned_le16(r, in->mode);
	put_unaligned_le16(r + I_UID, (uint16_t)in->uid);
	put_unaligned_le16(r + I_GID, (uint16_t)in->gid);
	/* Linux ext2 stores the high words unless mounted with nouid32. */
	put_unaligned_le16(r + I_UID_HIGH, (uint16_t)(in->uid >> 16));
	put_unaligned_le16(r + I_GID_HIGH, (uint16_t)(in->gid >> 16));
	put_unaligned_le32(r + I_SIZE, (uint32_t)in->size);
	if (ext2_is_reg(in) || (ext2_is_dir(in) && !old))
		put_unaligned_le32(r + I_SIZE_HIGH, (uint32_t)(in->size >> 32));
	put_unaligned_le32(r + I_ATIME, in->atime);
	put_unaligned_le32(r + I_CTIME, in->ctime);
	put_unaligned_le32(r + I_MTIME, in->mtime);
	put_unaligned_le32(r + I_DTIME, in->dtime);
	put_unaligned_le16(r + I_LINKS, in->links);
	put_unaligned_le32(r + I_BLOCKS, in->blocks);
	put_unaligned_le32(r + I_FLAGS, in->flags);
	for (int i = 0; i < EXT2_N_BLOCKS; i++)
		put_unaligned_le32(r + I_BLOCK + 4 * i, in->block[i]);
	put_unaligned_le32(r + I_GENERATION, in->generation);
	put_unaligned_le32(r + I_FILE_ACL, in->file_acl);
}

int ext2_iread(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	struct ext2_buf *b;
	uint64_t blk;
	uint32_t off;
	int err = locate(fs, ino, &blk, &off);

	if (!err)
		err = ext2_bread(fs, blk, &b);
	if (err)
		return err;
	decode(fs, b->data + off, in);
	ext2_brelse(fs, b);
	/*
	 * A live file longer than the block map can address: Linux's iget
	 * refuses it too ("bad i_size value").  Freed inodes keep whatever
	 * they held and are not checked, so they can still be reused.
	 */
	if (in->links && (ext2_is_reg(in) || ext2_is_dir(in)) &&
	    in->size > ext2_max_blocks(fs) << fs->log_block_size)
		return ext2_corrupt(fs, "inode %u: size %llu past the largest file", ino,
				    (unsigned long long)in->size);
	return 0;
}

static int store(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in, bool fresh)
{
	struct ext2_buf *b;
	uint64_t blk;
	uint32_t off;
	int err = ext2_need_write(fs);

	if (!err)
		err = locate(fs, ino, &blk, &off);
	if (!err)
		err = ext2_bread(fs, blk, &b);
	if (err)
		return err;
	if (fresh)	/* as Linux ext2 does for a new inode: the whole record zeroed */
		memset(b->data + off, 0, fs->inode_size);
	encode(fs, b->data + off, in);
	ext2_bdirty(fs, b);
	ext2_brelse(fs, b);
	return 0;
}

int ext2_iwrite(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
	return store(fs, ino, in, false);
}

int ext2_iinit(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
	return store(fs, ino, in, true);
}

unsigned int ext2_mode_ftype(uint16_t mode)
{
	switch (mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG: return EXT2_FT_REG_FILE;
	case EXT2_S_IFDIR: return EXT2_FT_DIR;
	case EXT2_S_IFCHR: return EXT2_FT_CHRDEV;
	case EXT2_S_IFBLK: return EXT2_FT_BLKDEV;
	case EXT2_S_IFIFO: return EXT2_FT_FIFO;
	case EXT2_S_IFSOCK: return EXT2_FT_SOCK;
	case EXT2_S_IFLNK: return EXT2_FT_SYMLINK;
	default: return EXT2_FT_UNKNOWN;
	}
}

/* Fast symlinks keep the target in i_block: no blocks (an EA block aside). */
static bool is_fast_symlink(const struct ext2_fs *fs, const struct ext2_inode *in)
{
	uint32_t ea = in->file_acl ? fs->block_size / 512 : 0;

	return ext2_is_lnk(in) && in->blocks == ea;
}

bool ext2_has_blocks(const struct ext2_fs *fs, const struct ext2_inode *in)
{
	return ext2_is_reg(in) || ext2_is_dir(in) || (ext2_is_lnk(in) && !is_fast_symlink(fs, in));
}

static struct ext2_ref *find_ref(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_ref *r;

	list_for_each_entry(r, &fs->ref_hash[ino % EXT2_REF_HASH], hnode)
		if (r->ino == ino)
			return r;
	return NULL;
}

void ext2_ref_unlink(struct ext2_ref *r)
{
	list_del(&r->node);
	list_del(&r->hnode);
}

bool ext2_iref_held(struct ext2_fs *fs, uint32_t ino)
{
	return find_ref(fs, ino) != NULL;
}

#define EA_MAGIC	0xEA020000u
#define EA_REFCOUNT	4

/*
 * The extended attribute block goes with its last user (blocks are shared
 * between inodes with equal attributes, counted in h_refcount), as
 * Linux's ext2_xattr_delete_inode.
 */
static int drop_xattr_block(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	uint64_t blk = in->file_acl;
	struct ext2_buf *b;
	uint32_t refs;
	int err = ext2_check_data_block(fs, blk, ino);

	if (!err)
		err = ext2_bread(fs, blk, &b);
	if (err)
		return err;
	refs = get_unaligned_le32(b->data + EA_REFCOUNT);
	if (get_unaligned_le32(b->data) != EA_MAGIC || !refs) {
		ext2_brelse(fs, b);
		return ext2_corrupt(fs, "inode %u: bad extended attribute block %llu", ino,
				    (unsigned long long)blk);
	}
	if (refs > 1) {
		put_unaligned_le32(b->data + EA_REFCOUNT, refs - 1);
		ext2_bdirty(fs, b);
	}
	ext2_brelse(fs, b);
	if (refs == 1)
		ext2_free_block(fs, blk);
	in->file_acl = 0;
	return 0;
}

/* Free the inode: its blocks, then the bitmap bit, with dtime set. */
int ext2_idelete(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	bool dir = ext2_is_dir(in), blocks = ext2_has_blocks(fs, in);
	uint32_t per = fs->block_size / 512;
	int err = 0;

	/* A bad attribute block is reported and left alone. */
	if (in->file_acl && !drop_xattr_block(fs, ino, in))
		in->blocks = in->blocks >= per ? in->blocks - per : 0;
	if (blocks)
		err = ext2_itruncate(fs, ino, in, 0);
	in->dtime = (uint32_t)ext2_now(fs);
	in->size = 0;
	if (!err)
		err = ext2_iwrite(fs, ino, in);
	if (!err)
		ext2_free_inode(fs, ino, dir);
	return err;
}

int ext2_inode_release(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_inode in;
	int err;

	if (fs->rdonly || ext2_iref_held(fs, ino))
		return 0;
	err = ext2_iread(fs, ino, &in);
	if (err || in.links || in.dtime || !in.mode)
		return err;
	return ext2_idelete(fs, ino, &in);
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_ref *r = find_ref(fs, ino);
	struct ext2_inode in;
	int err;

	if (r) {
		r->count++;
		return 0;
	}
	err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	if (!in.links || !in.mode)
		return ext2_corrupt(fs, "inode %u is not in use", ino);
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ino = ino;
	r->count = 1;
	list_add_tail(&fs->refs, &r->node);
	list_add_tail(&fs->ref_hash[ino % EXT2_REF_HASH], &r->hnode);
	return 0;
}

int ext2_iput(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_ref *r = find_ref(fs, ino);

	if (!r)
		return -EINVAL;
	if (--r->count)
		return 0;
	ext2_ref_unlink(r);
	kfree(r);
	return ext2_inode_release(fs, ino);
}

int ext2_evict(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_ref *r = find_ref(fs, ino);

	if (r) {
		ext2_ref_unlink(r);
		kfree(r);
	}
	return ext2_inode_release(fs, ino);
}

static void decode_dev(const struct ext2_inode *in, struct ext2_stat *st)
{
	uint32_t x = in->block[0];

	if (x) {		/* old encoding: 8-bit major and minor */
		st->rdev_major = (x >> 8) & 0xff;
		st->rdev_minor = x & 0xff;
		return;
	}
	x = in->block[1];
	st->rdev_major = (x & 0xfff00) >> 8;
	st->rdev_minor = (x & 0xff) | ((x >> 12) & 0xfff00);
}

int ext2_getattr(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st)
{
	struct ext2_inode in;
	uint16_t type;
	int err = ext2_iread(fs, ino, &in);

	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->ino = ino;
	st->mode = in.mode;
	st->nlink = in.links;
	st->uid = in.uid;
	st->gid = in.gid;
	st->size = in.size;
	st->blocks = in.blocks;
	st->atime = in.atime;
	st->mtime = in.mtime;
	st->ctime = in.ctime;
	st->flags = in.flags;
	st->generation = in.generation;
	st->blksize = fs->block_size;
	type = in.mode & EXT2_S_IFMT;
	if (type == EXT2_S_IFCHR || type == EXT2_S_IFBLK)
		decode_dev(&in, st);
	return 0;
}

int ext2_setattr(struct ext2_fs *fs, uint32_t ino, const struct ext2_setattr *a)
{
	struct ext2_inode in;
	int err = ext2_need_write(fs);

	if (!err && (a->valid & EXT2_SET_SIZE))
		err = ext2_truncate(fs, ino, a->size);
	if (!err)
		err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	if (a->valid & EXT2_SET_MODE)
		in.mode = (uint16_t)((in.mode & EXT2_S_IFMT) | (a->mode & 07777));
	if (a->valid & EXT2_SET_UID)
		in.uid = a->uid;
	if (a->valid & EXT2_SET_GID)
		in.gid = a->gid;
	if (a->valid & EXT2_SET_ATIME)
		in.atime = (uint32_t)a->atime;
	if (a->valid & EXT2_SET_MTIME)
		in.mtime = (uint32_t)a->mtime;
	if (a->valid & EXT2_SET_CTIME)
		in.ctime = (uint32_t)a->ctime;
	if (a->valid & EXT2_SET_FLAGS)
		in.flags = a->flags;
	return ext2_iwrite(fs, ino, &in);
}
