// SPDX-License-Identifier: MPL-2.0
// The ext2 VFS glue: inode operations (lookup, readdir, the namespace
// operations the VFS hands to the file system, readlink, truncate) over
// the library (doc/ext2.md); file data is vfs_file.c's.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/ext2/vfs_glue.h"
#include "process/process.h"
#include "uapi/mount.h"

static struct ext2_mount *mnt_of(struct inode *i)
{
	return ext2v_mount(i->sb);
}

static int ext2v_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct ext2_mount *m = mnt_of(dir);
	uint32_t ino;
	int err;

	mutex_lock(&m->lock);
	err = ext2_lookup(m->fs, (uint32_t)dir->ino, name, strlen(name), &ino);
	if (!err)
		err = ext2v_iget(m, ino, out);
	mutex_unlock(&m->lock);
	return err;
}

/*
 * readdir copies to the caller's buffer, which may be a mapping of a file
 * on this very file system (a fault there takes the mount lock): so the
 * entries are gathered in batches under the lock and emitted after it.
 * The VFS emits "." and ".." at positions 0 and 1; ext2's byte offsets
 * follow, shifted by 2.
 */
#define RD_BATCH	16

struct rd_entry {
	uint64_t start;		/* the entry's own offset */
	uint64_t next;		/* the offset after it */
	uint32_t ino;
	uint8_t dt, len;
	char name[EXT2_NAME_LEN];
};

struct rd_batch {
	uint64_t cur;		/* the offset of the entry fill_one sees next */
	unsigned int n;
	bool full;
	struct rd_entry e[RD_BATCH];
};

static unsigned int ext2_dtype(unsigned int ftype)
{
	static const unsigned char dtypes[] = {
		[EXT2_FT_UNKNOWN] = DT_UNKNOWN, [EXT2_FT_REG_FILE] = DT_REG,
		[EXT2_FT_DIR] = DT_DIR, [EXT2_FT_CHRDEV] = DT_CHR, [EXT2_FT_BLKDEV] = DT_BLK,
		[EXT2_FT_FIFO] = DT_FIFO, [EXT2_FT_SOCK] = DT_SOCK, [EXT2_FT_SYMLINK] = DT_LNK,
	};

	return ftype < ARRAY_SIZE(dtypes) ? dtypes[ftype] : DT_UNKNOWN;
}

static int fill_one(void *arg, const char *name, size_t len, uint32_t ino, unsigned int ftype,
		    uint64_t next_pos)
{
	struct rd_batch *b = arg;
	struct rd_entry *e;

	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) {
		b->cur = next_pos;
		return 0;
	}
	if (b->n == RD_BATCH || len > EXT2_NAME_LEN) {
		b->full = b->n == RD_BATCH;
		return b->full ? 1 : 0;	/* a longer name cannot be on disk: skip it */
	}
	e = &b->e[b->n++];
	e->start = b->cur;
	e->next = next_pos;
	e->ino = ino;
	e->dt = (uint8_t)ext2_dtype(ftype);
	e->len = (uint8_t)len;
	memcpy(e->name, name, len);
	b->cur = next_pos;
	return 0;
}

/* Emit b's entries (no lock held): false when the caller's buffer is full. */
static bool emit_batch(struct dir_emit *ctx, const struct rd_batch *b)
{
	for (unsigned int k = 0; k < b->n; k++) {
		const struct rd_entry *e = &b->e[k];

		if (ctx->emit(ctx, e->name, e->len, e->ino, e->dt, e->next + 2)) {
			ctx->pos = e->start + 2;
			return false;
		}
		ctx->pos = e->next + 2;
	}
	return true;
}

static int ext2v_readdir(struct inode *dir, struct dir_emit *ctx)
{
	struct ext2_mount *m = mnt_of(dir);
	struct rd_batch *b = kmalloc(sizeof(*b));
	int err = 0;

	if (!b)
		return -ENOMEM;
	for (;;) {
		uint64_t pos = ctx->pos - 2;

		b->cur = pos;
		b->n = 0;
		b->full = false;
		mutex_lock(&m->lock);
		err = ext2_readdir(m->fs, (uint32_t)dir->ino, &pos, fill_one, b);
		mutex_unlock(&m->lock);
		/* What was read before an error is still emitted, as Linux's. */
		if (!emit_batch(ctx, b) || err)
			break;
		if (!b->full) {
			ctx->pos = pos + 2;	/* the end: the directory's size */
			break;
		}
	}
	kfree(b);
	return err;
}

/* After a library call that made ino: its VFS inode, and dir's new counts and times. */
static int made(struct ext2_mount *m, struct inode *dir, int err, uint32_t ino,
		struct inode **out)
{
	if (!err)
		err = ext2v_iget(m, ino, out);
	ext2v_refresh(m, dir);
	mutex_unlock(&m->lock);
	return err;
}

static int ext2v_create(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev,
			uint32_t uid, uint32_t gid, struct inode **out)
{
	struct ext2_mount *m = mnt_of(dir);
	size_t len = strlen(name);
	uint32_t ino;
	int err;

	mutex_lock(&m->lock);
	/* The VFS's cache holds every name of dir and found none: no walk to check. */
	if (dir->names_cached)
		ext2_note_absent(m->fs, (uint32_t)dir->ino, name, len);
	if (S_ISDIR(mode))
		err = ext2_mkdir(m->fs, (uint32_t)dir->ino, name, len, (uint16_t)mode, uid, gid,
				 &ino);
	else
		err = ext2_create(m->fs, (uint32_t)dir->ino, name, len, (uint16_t)mode,
				  MAJOR(rdev), MINOR(rdev), uid, gid, &ino);
	return made(m, dir, err, ino, out);
}

static int ext2v_symlink(struct inode *dir, const char *name, const char *target, uint32_t uid,
			 uint32_t gid, struct inode **out)
{
	struct ext2_mount *m = mnt_of(dir);
	uint32_t ino;
	int err;

	mutex_lock(&m->lock);
	err = ext2_symlink(m->fs, (uint32_t)dir->ino, name, strlen(name), target, strlen(target),
			   uid, gid, &ino);
	return made(m, dir, err, ino, out);
}

static int ext2v_link(struct inode *dir, const char *name, struct inode *i)
{
	struct ext2_mount *m = mnt_of(dir);
	int err;

	mutex_lock(&m->lock);
	err = ext2_link(m->fs, (uint32_t)i->ino, (uint32_t)dir->ino, name, strlen(name));
	ext2v_refresh(m, i);
	ext2v_refresh(m, dir);
	mutex_unlock(&m->lock);
	return err;
}

static int ext2v_unlink(struct inode *dir, const char *name, struct inode *i)
{
	struct ext2_mount *m = mnt_of(dir);
	int err;

	mutex_lock(&m->lock);
	/* The library keeps the attributes of an unlinked inode: store ours first. */
	ext2v_write_inode(m, i);
	err = ext2_unlink(m->fs, (uint32_t)dir->ino, name, strlen(name));
	ext2v_refresh(m, i);
	ext2v_refresh(m, dir);
	mutex_unlock(&m->lock);
	return err;
}

static int ext2v_rmdir(struct inode *dir, const char *name, struct inode *i)
{
	struct ext2_mount *m = mnt_of(dir);
	int err;

	mutex_lock(&m->lock);
	err = ext2_rmdir(m->fs, (uint32_t)dir->ino, name, strlen(name));
	ext2v_refresh(m, i);
	ext2v_refresh(m, dir);
	mutex_unlock(&m->lock);
	return err;
}

static int ext2v_rename(struct inode *odir, const char *oname, struct inode *ndir,
			const char *nname, struct inode *src, struct inode *victim)
{
	struct ext2_mount *m = mnt_of(odir);
	int err;

	mutex_lock(&m->lock);
	if (victim)
		ext2v_write_inode(m, victim);
	err = ext2_rename(m->fs, (uint32_t)odir->ino, oname, strlen(oname), (uint32_t)ndir->ino,
			  nname, strlen(nname));
	ext2v_refresh(m, odir);
	ext2v_refresh(m, ndir);
	ext2v_refresh(m, src);
	if (victim)
		ext2v_refresh(m, victim);
	mutex_unlock(&m->lock);
	return err;
}

static int ext2v_readlink(struct inode *i, char *buf, size_t size)
{
	struct ext2_mount *m = mnt_of(i);
	ssize_t n;

	mutex_lock(&m->lock);
	n = ext2_readlink(m->fs, (uint32_t)i->ino, buf, size);
	mutex_unlock(&m->lock);
	return (int)n;
}

/* truncate(2) and ftruncate(2) (i->lock held). */
static int ext2v_setsize(struct inode *i, uint64_t size)
{
	if (i->sb->flags & MS_RDONLY)
		return -EROFS;
	return ext2v_file_setsize(i, size);
}

static const struct inode_ops ext2v_iops = {
	.lookup = ext2v_lookup,
	.readdir = ext2v_readdir,
	.readlink = ext2v_readlink,
	.setsize = ext2v_setsize,
	.create_named = ext2v_create,
	.symlink = ext2v_symlink,
	.link_named = ext2v_link,
	.unlink_named = ext2v_unlink,
	.rmdir_named = ext2v_rmdir,
	.rename_named = ext2v_rename,
};

void ext2v_set_ops(struct inode *i)
{
	i->iops = &ext2v_iops;
	if (S_ISREG(i->mode))
		i->fops = &ext2v_file_ops;
	else if (S_ISDIR(i->mode))
		i->fops = &ext2v_dir_ops;
}
