// SPDX-License-Identifier: MPL-2.0
// ext2 directories: linear lists of variable-length entries in whole
// blocks.  Every block is checked entry by entry before it is used (as
// Linux's ext2_check_page): rec_len at least 12, a multiple of 4, large
// enough for the name, inside the block, entries ending exactly at the
// block's end, inode numbers in range.  Indexed (htree) directories are
// read as linear ones (their index blocks look like empty entries); any
// change clears EXT2_INDEX_FL as Linux ext2 does, so the stale index is
// never trusted again.  A removed entry is merged into the one before it.
#include <aster/string.h>
#include "ext2_int.h"

#define DIR_MIN_REC	12

struct dirent {
	uint32_t ino;
	uint32_t rec;
	uint32_t name_len;
	const uint8_t *name;
};

static void get_de(const uint8_t *d, struct dirent *de)
{
	de->ino = get_unaligned_le32(d);
	de->rec = get_unaligned_le16(d + DE_REC_LEN);
	de->name_len = d[DE_NAME_LEN];
	de->name = d + DE_NAME;
}

static int check_block(struct ext2_fs *fs, uint32_t dir, uint64_t lblk, const uint8_t *data)
{
	uint32_t off = 0;

	while (off < fs->block_size) {
		struct dirent de;

		if (fs->block_size - off < DIR_MIN_REC)
			return ext2_corrupt(fs, "directory %u block %llu: entry at %u crosses the end",
					    dir, (unsigned long long)lblk, off);
		get_de(data + off, &de);
		if (de.rec < DIR_MIN_REC || de.rec % 4 || de.rec > fs->block_size - off ||
		    de.rec < DE_REC(de.name_len) || de.ino > fs->inodes_count)
			return ext2_corrupt(fs, "directory %u block %llu: bad entry at %u (rec_len %u, "
					    "name_len %u, inode %u)", dir, (unsigned long long)lblk,
					    off, de.rec, de.name_len, de.ino);
		off += de.rec;
	}
	return 0;
}

static int nblocks(struct ext2_fs *fs, uint32_t dir, const struct ext2_inode *din, uint64_t *n)
{
	if (din->size & (fs->block_size - 1) ||
	    (din->size >> fs->log_block_size) > ext2_max_blocks(fs))
		return ext2_corrupt(fs, "directory %u: bad size %llu", dir,
				    (unsigned long long)din->size);
	*n = din->size >> fs->log_block_size;
	return 0;
}

static int get_block(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, uint64_t lblk,
		     struct ext2_buf **out)
{
	uint64_t pblk;
	bool fresh;
	int err = ext2_imap(fs, dir, din, lblk, false, &pblk, &fresh);

	if (err)
		return err;
	if (!pblk)
		return ext2_corrupt(fs, "directory %u: hole at block %llu", dir,
				    (unsigned long long)lblk);
	err = ext2_bread(fs, pblk, out);
	if (err || (*out)->dir_checked)
		return err;
	err = check_block(fs, dir, lblk, (*out)->data);
	if (err)
		ext2_brelse(fs, *out);
	else
		(*out)->dir_checked = true;
	return err;
}

static bool name_is(const struct dirent *de, const char *name, size_t len)
{
	return de->ino && de->name_len == len && !memcmp(de->name, name, len);
}

/* The entry called name: its block (pinned), offset and the previous entry's. */
struct where {
	struct ext2_buf *b;
	uint32_t off, prev;		/* prev == off: first entry of the block */
	uint32_t ino;
};

static int find(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		size_t len, struct where *w)
{
	uint64_t n;
	int err = nblocks(fs, dir, din, &n);

	if (err)
		return err;
	for (uint64_t lblk = 0; lblk < n; lblk++) {
		uint32_t off = 0, prev = 0;

		err = get_block(fs, dir, din, lblk, &w->b);
		if (err)
			return err;
		while (off < fs->block_size) {
			struct dirent de;

			get_de(w->b->data + off, &de);
			if (name_is(&de, name, len)) {
				w->off = off;
				w->prev = prev;
				w->ino = de.ino;
				return 0;
			}
			prev = off;
			off += de.rec;
		}
		ext2_brelse(fs, w->b);
	}
	return -ENOENT;
}

static bool known_missing(const struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	return fs->miss_valid && fs->miss_dir == dir && fs->miss_len == len &&
	       !memcmp(fs->miss_name, name, len);
}

static void remember_missing(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	if (len > sizeof(fs->miss_name))
		return;
	fs->miss_valid = true;
	fs->miss_dir = dir;
	fs->miss_len = (uint8_t)len;
	memcpy(fs->miss_name, name, len);
}

void ext2_note_absent(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	remember_missing(fs, dir, name, len);
}

int ext2_dir_find(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		  size_t len, uint32_t *ino)
{
	struct where w;
	int err;

	if (known_missing(fs, dir, name, len))
		return -ENOENT;
	err = find(fs, dir, din, name, len, &w);
	if (err == -ENOENT)
		remember_missing(fs, dir, name, len);
	if (err)
		return err;
	ext2_brelse(fs, w.b);
	if (!w.ino)
		return ext2_corrupt(fs, "directory %u: entry with inode 0", dir);
	*ino = w.ino;
	return 0;
}

static void put_de(struct ext2_fs *fs, uint8_t *d, uint32_t ino, uint32_t rec, const char *name,
		   size_t len, unsigned int ftype)
{
	put_unaligned_le32(d, ino);
	put_unaligned_le16(d + DE_REC_LEN, (uint16_t)rec);
	d[DE_NAME_LEN] = (uint8_t)len;
	d[DE_FILE_TYPE] = (fs->feature_incompat & INCOMPAT_FILETYPE) ? (uint8_t)ftype : 0;
	memcpy(d + DE_NAME, name, len);
}

static int touch_dir(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din)
{
	din->mtime = din->ctime = (uint32_t)ext2_now(fs);
	din->flags &= ~EXT2_INDEX_FL;
	return ext2_iwrite(fs, dir, din);
}

/* Room for an entry of `need` bytes in this block: its offset, or bs if none. */
static uint32_t find_room(struct ext2_fs *fs, const uint8_t *data, uint32_t need)
{
	uint32_t off = 0;

	while (off < fs->block_size) {
		struct dirent de;
		uint32_t used;

		get_de(data + off, &de);
		used = de.ino ? DE_REC(de.name_len) : 0;
		if (de.rec - used >= need)
			return off;
		off += de.rec;
	}
	return fs->block_size;
}

static int append_block(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, uint64_t lblk,
			struct ext2_buf **out)
{
	uint64_t pblk;
	bool fresh;
	int err = ext2_imap(fs, dir, din, lblk, true, &pblk, &fresh);

	if (err) {
		ext2_iwrite(fs, dir, din);	/* indirect blocks it may have allocated */
		return err;
	}
	err = ext2_bzero(fs, pblk, out);
	if (err)
		return err;
	put_unaligned_le16((*out)->data + DE_REC_LEN, (uint16_t)fs->block_size);
	din->size += fs->block_size;
	return 0;
}

int ext2_dir_add(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		 size_t len, uint32_t ino, unsigned int ftype)
{
	uint32_t need = DE_REC(len), off = 0;
	struct ext2_buf *b = NULL;
	uint64_t n, lblk = 0, start;
	int err = nblocks(fs, dir, din, &n);

	if (err)
		return err;
	/* The name now exists: a remembered miss may be this very name. */
	fs->miss_valid = false;
	/* From the block the last entry went into, round to it again. */
	start = fs->room_dir == dir && fs->room_lblk < n ? fs->room_lblk : 0;
	for (uint64_t k = 0; k < n; k++) {
		lblk = (start + k) % n;
		err = get_block(fs, dir, din, lblk, &b);
		if (err)
			return err;
		off = find_room(fs, b->data, need);
		if (off < fs->block_size)
			break;
		ext2_brelse(fs, b);
		b = NULL;
	}
	if (!b) {
		lblk = n;
		err = append_block(fs, dir, din, n, &b);
		if (err)
			return err;
		off = 0;
	}
	fs->room_dir = dir;
	fs->room_lblk = lblk;
	{
		struct dirent de;
		uint8_t *d = b->data + off;

		get_de(d, &de);
		if (de.ino) {	/* split: the old entry keeps what it uses */
			uint32_t used = DE_REC(de.name_len);

			put_unaligned_le16(d + DE_REC_LEN, (uint16_t)used);
			put_de(fs, d + used, ino, de.rec - used, name, len, ftype);
		} else {
			put_de(fs, d, ino, de.rec, name, len, ftype);
		}
	}
	ext2_bdirty(fs, b);
	ext2_brelse(fs, b);
	return touch_dir(fs, dir, din);
}

int ext2_dir_remove(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		    size_t len)
{
	struct where w;
	int err = find(fs, dir, din, name, len, &w);

	if (err)
		return err;
	if (w.prev != w.off) {
		uint8_t *p = w.b->data + w.prev;
		uint32_t rec = get_unaligned_le16(w.b->data + w.off + DE_REC_LEN);

		put_unaligned_le16(p + DE_REC_LEN, (uint16_t)(get_unaligned_le16(p + DE_REC_LEN) + rec));
	}
	put_unaligned_le32(w.b->data + w.off, 0);
	ext2_bdirty(fs, w.b);
	ext2_brelse(fs, w.b);
	return touch_dir(fs, dir, din);
}

/* Point an existing entry at another inode (rename over a name, "..": Linux's ext2_set_link). */
int ext2_dir_set(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, const char *name,
		 size_t len, uint32_t ino, unsigned int ftype)
{
	struct where w;
	uint8_t *d;
	int err = find(fs, dir, din, name, len, &w);

	if (err)
		return err;
	d = w.b->data + w.off;
	put_unaligned_le32(d, ino);
	d[DE_FILE_TYPE] = (fs->feature_incompat & INCOMPAT_FILETYPE) ? (uint8_t)ftype : 0;
	ext2_bdirty(fs, w.b);
	ext2_brelse(fs, w.b);
	return touch_dir(fs, dir, din);
}

/* The first block of a new directory: "." and "..". */
int ext2_dir_init(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint32_t parent)
{
	struct ext2_buf *b;
	int err;

	/* The inode may have been another directory: forget what was known of it. */
	if (fs->miss_dir == ino)
		fs->miss_valid = false;
	if (fs->room_dir == ino)
		fs->room_dir = 0;
	err = append_block(fs, ino, in, 0, &b);

	if (err)
		return err;
	put_de(fs, b->data, ino, DIR_MIN_REC, ".", 1, EXT2_FT_DIR);
	put_de(fs, b->data + DIR_MIN_REC, parent, fs->block_size - DIR_MIN_REC, "..", 2,
	       EXT2_FT_DIR);
	ext2_brelse(fs, b);
	return 0;
}

static bool is_dot(const struct dirent *de)
{
	return (de->name_len == 1 && de->name[0] == '.') ||
	       (de->name_len == 2 && de->name[0] == '.' && de->name[1] == '.');
}

int ext2_dir_empty(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din)
{
	uint64_t n;
	int err = nblocks(fs, dir, din, &n);

	if (err)
		return err;
	for (uint64_t lblk = 0; lblk < n; lblk++) {
		struct ext2_buf *b;
		uint32_t off = 0;

		err = get_block(fs, dir, din, lblk, &b);
		if (err)
			return err;
		while (off < fs->block_size) {
			struct dirent de;

			get_de(b->data + off, &de);
			if (de.ino && !is_dot(&de)) {
				ext2_brelse(fs, b);
				return 0;
			}
			off += de.rec;
		}
		ext2_brelse(fs, b);
	}
	return 1;
}

/* The ".." entry: the second entry of the first block. */
int ext2_dir_parent(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *din, uint32_t *parent)
{
	struct ext2_buf *b;
	struct dirent dot, dotdot = { 0 };
	bool ok = false;
	int err;

	if (din->size < fs->block_size)
		return ext2_corrupt(fs, "directory %u is empty", dir);
	err = get_block(fs, dir, din, 0, &b);
	if (err)
		return err;
	get_de(b->data, &dot);
	if (dot.rec < fs->block_size) {
		get_de(b->data + dot.rec, &dotdot);
		ok = dotdot.name_len == 2 && dotdot.name[0] == '.' && dotdot.name[1] == '.' &&
		     dotdot.ino;
	}
	ext2_brelse(fs, b);
	if (!ok)
		return ext2_corrupt(fs, "directory %u: no \"..\" entry", dir);
	*parent = dotdot.ino;
	return 0;
}

int ext2_readdir(struct ext2_fs *fs, uint32_t dir, uint64_t *pos, ext2_filldir_t fill, void *ctx)
{
	struct ext2_inode din;
	uint64_t n;
	int err = ext2_iread(fs, dir, &din);

	if (err)
		return err;
	if (!ext2_is_dir(&din))
		return -ENOTDIR;
	err = nblocks(fs, dir, &din, &n);
	if (err || *pos >= din.size)
		return err;	/* at or past the end: nothing, pos untouched (as Linux) */
	for (uint64_t lblk = *pos >> fs->log_block_size; lblk < n; lblk++) {
		uint32_t start = (uint32_t)(*pos & (fs->block_size - 1)), off = 0;
		struct ext2_buf *b;

		err = get_block(fs, dir, &din, lblk, &b);
		if (err)
			return err;
		while (off < fs->block_size) {
			struct dirent de;
			uint64_t here = (lblk << fs->log_block_size) + off;
			unsigned int ftype = 0;

			get_de(b->data + off, &de);
			if (fs->feature_incompat & INCOMPAT_FILETYPE)
				ftype = b->data[off + DE_FILE_TYPE];
			off += de.rec;
			if (off - de.rec < start || !de.ino)	/* resume at an entry start */
				continue;
			if (fill(ctx, (const char *)de.name, de.name_len, de.ino, ftype, here + de.rec)) {
				*pos = here;
				ext2_brelse(fs, b);
				return 0;
			}
			*pos = here + de.rec;
		}
		ext2_brelse(fs, b);
		*pos = (lblk + 1) << fs->log_block_size;
	}
	*pos = din.size;
	return 0;
}
