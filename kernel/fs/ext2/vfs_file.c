// SPDX-License-Identifier: MPL-2.0
// The ext2 VFS glue: regular files through the page cache (doc/ext2.md).
// read_pages and write_pages map each page's blocks with ext2_bmap and
// move runs of contiguous disk blocks as one bio; holes and the bytes past
// the end of the file read as zeros; writeback allocates the blocks a
// shared mapping wrote into a hole.  write(2) allocates its blocks at once
// so a full disk is ENOSPC there, not at writeback.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/ext2/vfs_glue.h"
#include "uapi/fcntl.h"
#include "process/capability.h"

/* Bios a transfer of n pages may build: one per block at worst (1 KiB blocks). */
#define EXT2V_MAX_BIOS(n)	((n) * (PAGE_SIZE / 1024))

struct xfer {
	struct ext2_mount *m;
	enum blk_op op;
	struct bio **bios;
	unsigned int nbios, max_bios;
	struct bio *cur;
	uint64_t next_disk;	/* the disk block that would extend cur */
};

/* Add block dblk's bytes (frame f at off) to the transfer: 0 or -ENOMEM. */
static int xfer_add(struct xfer *x, uint64_t dblk, struct frame *f, size_t off, size_t bs)
{
	if (x->cur && x->next_disk == dblk && bio_add_frame(x->cur, f, off, bs) == 0) {
		x->next_disk++;
		return 0;
	}
	if (x->nbios == x->max_bios)
		return -ENOMEM;
	x->cur = bio_alloc(x->m->bdev, x->op, dblk * (bs >> SECTOR_SHIFT), 0);
	if (!x->cur)
		return -ENOMEM;
	x->bios[x->nbios++] = x->cur;
	x->next_disk = dblk + 1;
	return bio_add_frame(x->cur, f, off, bs);
}

/* Wait for what was submitted, free it: the first error. */
static int xfer_wait(struct xfer *x, int err)
{
	for (unsigned int b = 0; b < x->nbios; b++) {
		int e = bio_wait(x->bios[b]);

		if (!err)
			err = e;
		bio_free(x->bios[b]);
	}
	kfree(x->bios);
	return err;
}

/* Submit what was built, wait for it all: the first error. */
static int xfer_finish(struct xfer *x, int err)
{
	if (x->nbios)
		bio_submit_batch(x->bios, x->nbios);
	return xfer_wait(x, err);
}

/* Pages past the end of the file read as zeros, whatever the block holds. */
static int zero_tail(uint64_t size, uint64_t index, struct frame **frames, unsigned int n)
{
	uint64_t last;

	if (!n || (index + n) * PAGE_SIZE <= size || size / PAGE_SIZE < index)
		return 0;
	last = size / PAGE_SIZE - index;
	if (last >= n)
		return 0;
	return frame_fill(frames[last], size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
}

/*
 * Map the blocks of pages [index, index + n) into x's bios, not yet
 * submitted (mount lock held): holes read as zeros at once.
 */
static int ext2v_map(struct ext2_vnode *v, bool wr, uint64_t index, struct frame **frames,
		     unsigned int n, struct xfer *x)
{
	struct ext2_mount *m = ext2v_mount(v->vfs->sb);
	uint32_t bs = ext2_block_size(m->fs);
	uint32_t per = PAGE_SIZE / bs;
	uint64_t size = v->vfs->size;
	int err = 0;

	/*
	 * What a shared mapping wrote past the end of the file never reaches
	 * the disk (as Linux zeroes it in writepage): a later extension of the
	 * file must read zeros there.
	 */
	if (wr && size % PAGE_SIZE && size / PAGE_SIZE >= index && size / PAGE_SIZE < index + n)
		frame_fill(frames[size / PAGE_SIZE - index], size % PAGE_SIZE, 0,
			   PAGE_SIZE - size % PAGE_SIZE);
	for (unsigned int p = 0; p < n && !err; p++) {
		for (uint32_t b = 0; b < per && !err; b++) {
			uint64_t fblk = (index + p) * per + b, dblk = 0;

			if (fblk * bs < size)
				err = ext2_bmap(m->fs, v->ino, fblk, wr, &dblk);
			if (!err && dblk)
				err = xfer_add(x, dblk, frames[p], (size_t)b * bs, bs);
			else if (!err && !wr)
				err = frame_fill(frames[p], (size_t)b * bs, 0, bs);
		}
	}
	return err;
}

/* Map the blocks of pages [index, index + n) and move them (mount lock held). */
static int ext2v_xfer(struct ext2_vnode *v, bool wr, uint64_t index, struct frame **frames,
		      unsigned int n)
{
	struct xfer x = { .m = ext2v_mount(v->vfs->sb), .op = wr ? BLK_WRITE : BLK_READ,
			  .max_bios = EXT2V_MAX_BIOS(n) };
	int err;

	x.bios = kcalloc(x.max_bios, sizeof(*x.bios));
	if (!x.bios)
		return -ENOMEM;
	err = xfer_finish(&x, ext2v_map(v, wr, index, frames, n, &x));
	if (!err && !wr)
		err = zero_tail(v->vfs->size, index, frames, n);
	return err;
}

static struct ext2_vnode *vnode_of(struct page_cache *pc)
{
	return container_of(pc, struct ext2_vnode, pc);
}

static int ext2v_pc_io(struct page_cache *pc, bool wr, uint64_t index, struct frame **frames,
		       unsigned int n)
{
	struct ext2_vnode *v = vnode_of(pc);
	struct ext2_mount *m = ext2v_mount(v->vfs->sb);
	int err;

	/* Held across the I/O so a truncate cannot free the blocks meanwhile. */
	mutex_lock(&m->lock);
	err = ext2v_xfer(v, wr, index, frames, n);
	mutex_unlock(&m->lock);
	return err;
}

static int ext2v_read_pages(struct page_cache *pc, uint64_t index, struct frame **frames,
			    unsigned int n)
{
	return ext2v_pc_io(pc, false, index, frames, n);
}

static int ext2v_write_pages(struct page_cache *pc, uint64_t index, struct frame **frames,
			     unsigned int n)
{
	return ext2v_pc_io(pc, true, index, frames, n);
}

/* A read in flight for the page cache's asynchronous readahead. */
struct ext2v_read {
	struct xfer x;
	uint64_t size, index;		/* the file's size when mapped; the first page */
	unsigned int n;
	struct frame *frames[PAGE_CACHE_RA_MAX];
};

/*
 * The blocks are mapped under the mount lock but read after it is
 * dropped: a truncate cannot free them meanwhile because it first waits
 * for these busy pages in page_cache_truncate, and an unlinked inode's
 * blocks are freed only after page_cache_destroy did the same.
 */
static int ext2v_read_start(struct page_cache *pc, uint64_t index, struct frame **frames,
			    unsigned int n, void **io)
{
	struct ext2_vnode *v = vnode_of(pc);
	struct ext2_mount *m = ext2v_mount(v->vfs->sb);
	struct ext2v_read *r = kzalloc(sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	if (n > PAGE_CACHE_RA_MAX) {
		kfree(r);
		return -EINVAL;
	}
	r->x = (struct xfer){ .m = m, .op = BLK_READ, .max_bios = EXT2V_MAX_BIOS(n) };
	r->x.bios = kcalloc(r->x.max_bios, sizeof(*r->x.bios));
	if (!r->x.bios) {
		kfree(r);
		return -ENOMEM;
	}
	r->index = index;
	r->n = n;
	for (unsigned int i = 0; i < n; i++)
		r->frames[i] = frames[i];
	mutex_lock(&m->lock);
	r->size = v->vfs->size;
	err = ext2v_map(v, false, index, frames, n, &r->x);
	mutex_unlock(&m->lock);
	if (err) {
		xfer_wait(&r->x, err);	/* nothing submitted: only frees */
		kfree(r);
		return err;
	}
	if (r->x.nbios)
		bio_submit_batch(r->x.bios, r->x.nbios);
	*io = r;
	return 0;
}

static int ext2v_read_end(struct page_cache *pc, void *io)
{
	struct ext2v_read *r = io;
	int err = xfer_wait(&r->x, 0);

	(void)pc;
	if (!err)
		err = zero_tail(r->size, r->index, r->frames, r->n);
	kfree(r);
	return err;
}

const struct page_cache_ops ext2v_pc_ops = {
	.read_pages = ext2v_read_pages,
	.write_pages = ext2v_write_pages,
	.read_start = ext2v_read_start,
	.read_end = ext2v_read_end,
};

/* ---- file operations ---- */

/*
 * O_DIRECT: buffer, position and length must be multiples of the device's
 * logical block size (else EINVAL, as Linux).  The data goes through the
 * page cache, which is written back before a read and right after a
 * write, so it is on the disk when write returns and the cache stays
 * coherent with it (Linux's direct I/O semantics, without bypassing it).
 */
static int ext2v_direct_check(struct file *f, const struct iobuf *buf, uint64_t pos)
{
	uint64_t mask = bdev_logical_block_size(ext2v_mount(f->inode->sb)->bdev) - 1;
	uint64_t addr = buf->user ? buf->ua : 0;

	if (!(f->flags & O_DIRECT))
		return 0;
	return ((pos | buf->len | addr) & mask) ? -EINVAL : 1;
}

static ssize_t ext2v_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct inode *i = f->inode;
	struct ext2_vnode *v = i->priv;
	int direct = ext2v_direct_check(f, buf, *pos);
	ssize_t n;

	if (direct < 0)
		return direct;
	if (direct && buf->len) {
		int err = page_cache_writeback(&v->pc, *pos / PAGE_SIZE,
					       (*pos + buf->len - 1) / PAGE_SIZE);

		if (err)
			return err;
	}
	n = page_cache_read(&v->pc, buf, *pos, buf->len, i->size);

	if (n > 0) {
		*pos += (uint64_t)n;
		file_accessed(f);
	}
	return n;
}

/* Allocate the blocks of [pos, end) and record the new size (mount lock taken). */
static int ext2v_commit_write(struct inode *i, uint64_t pos, uint64_t end)
{
	struct ext2_mount *m = ext2v_mount(i->sb);
	uint32_t bs;
	int err = 0;

	mutex_lock(&m->lock);
	bs = ext2_block_size(m->fs);
	for (uint64_t b = pos / bs; b * bs < end && !err; b++) {
		uint64_t dblk;

		err = ext2_bmap(m->fs, (uint32_t)i->ino, b, true, &dblk);
	}
	if (!err) {
		struct ext2_stat st;

		err = ext2_getattr(m->fs, (uint32_t)i->ino, &st);
		if (!err && end > st.size)
			err = ext2_truncate(m->fs, (uint32_t)i->ino, end);
	}
	ext2v_refresh(m, i);
	mutex_unlock(&m->lock);
	return err;
}

/* A failed write's blocks past the old end go again. */
static void ext2v_undo_grow(struct inode *i, uint64_t old)
{
	struct ext2_mount *m = ext2v_mount(i->sb);

	mutex_lock(&m->lock);
	ext2_truncate(m->fs, (uint32_t)i->ino, old);
	mutex_unlock(&m->lock);
}

static ssize_t ext2v_buffered_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct inode *i = f->inode;
	struct ext2_vnode *v = i->priv;
	uint64_t old, end;
	ssize_t n;
	int err;

	mutex_lock(&i->lock);
	if (f->flags & O_APPEND)
		*pos = i->size;
	old = i->size;
	end = *pos + buf->len;
	if (end < *pos || !buf->len) {
		mutex_unlock(&i->lock);
		return buf->len ? -EFBIG : 0;
	}
	/*
	 * The new size first: a writeback of these pages meanwhile (the
	 * flusher) then writes, and allocates, every block they cover.
	 */
	if (end > old)
		i->size = end;
	n = page_cache_write(&v->pc, buf, *pos, buf->len, old);
	end = *pos + (uint64_t)(n > 0 ? n : 0);
	err = n > 0 ? ext2v_commit_write(i, *pos, end) : 0;
	if (err || n <= 0) {
		/* No room (or nothing copied): what went past the old end is dropped. */
		i->size = old;
		if (end > old)
			page_cache_truncate(&v->pc, old);
		if (err)
			ext2v_undo_grow(i, old);
		mutex_unlock(&i->lock);
		return err ? err : n;
	}
	*pos = end;
	/* A short copy: the size is where the data ends. */
	i->size = MAX(old, end);
	inode_touch(i, false, true, true);
	if (!capable(CAP_FSETID))
		i->mode &= ~(uint32_t)(S_ISUID | S_ISGID);
	mutex_unlock(&i->lock);
	return n;
}

static ssize_t ext2v_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct ext2_vnode *v = f->inode->priv;
	int direct = ext2v_direct_check(f, buf, *pos);
	uint64_t start;
	ssize_t n;
	int err;

	if (direct < 0)
		return direct;
	start = (f->flags & O_APPEND) ? f->inode->size : *pos;
	n = ext2v_buffered_write(f, buf, pos);
	if (!direct || n <= 0)
		return n;
	err = page_cache_writeback(&v->pc, start / PAGE_SIZE, (*pos - 1) / PAGE_SIZE);
	return err ? err : n;
}

/* truncate(2) (i->lock held by the VFS). */
int ext2v_file_setsize(struct inode *i, uint64_t size)
{
	struct ext2_mount *m = ext2v_mount(i->sb);
	struct ext2_vnode *v = i->priv;
	int err;

	if (size < i->size) {
		/* Writeback must not reach past the new end while the blocks go. */
		i->size = size;
		err = page_cache_truncate(&v->pc, size);
		if (err)
			return err;
	}
	mutex_lock(&m->lock);
	err = ext2_truncate(m->fs, v->ino, size);
	ext2v_refresh(m, i);
	if (!err)
		i->size = size;
	mutex_unlock(&m->lock);
	return err;
}

static int64_t ext2v_llseek(struct file *f, int64_t off, int whence)
{
	return vfs_generic_llseek(f, off, whence);
}

/*
 * mmap.  A shared writable mapping gets its pages read-only; the first
 * store faults and the fault path marks the page dirty in ext2v_page_cache's
 * cache (Linux's page_mkwrite), and writeback write-protects it again.
 */
static int ext2v_get_page(struct file *f, uint64_t pgoff, struct frame **out)
{
	struct ext2_vnode *v = f->inode->priv;

	return page_cache_get_page(&v->pc, pgoff, f->inode->size, out);
}

static struct page_cache *ext2v_page_cache(struct file *f)
{
	struct ext2_vnode *v = f->inode->priv;

	return &v->pc;
}

static int ext2v_fsync(struct file *f)
{
	struct inode *i = f->inode;
	struct ext2_vnode *v = i->priv;
	int err = 0;

	if (S_ISREG(i->mode))
		err = page_cache_writeback(&v->pc, 0, UINT64_MAX);
	if (!err)
		err = ext2v_sync_inode(i);
	return err;
}

const struct file_ops ext2v_file_ops = {
	.read = ext2v_read,
	.write = ext2v_write,
	.llseek = ext2v_llseek,
	.get_page = ext2v_get_page,
	.page_cache = ext2v_page_cache,
	.fsync = ext2v_fsync,
	.direct_io = true,
};

const struct file_ops ext2v_dir_ops = {
	.llseek = ext2v_llseek,
	.fsync = ext2v_fsync,
	.direct_io = true,	/* open(O_DIRECT) of a directory succeeds, as on Linux */
};
