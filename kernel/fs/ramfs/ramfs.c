// SPDX-License-Identifier: MPL-2.0
// ramfs (and the data side of tmpfs, whose limits are in tmpfs.c):
// everything lives in memory.  Directories are the dentry cache itself;
// regular files are arrays of page frames (so mmap shares them through
// get_page); symlinks keep their target in a kmalloc'ed string.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/ramfs/tmpfs.h"
#include "fs/vfs.h"
#include "uapi/falloc.h"
#include "uapi/fcntl.h"
#include "uapi/magic.h"
#include "process/capability.h"

/* Largest file: 2^36 bytes (keeps the page array sane). */
#define RAMFS_MAX_PAGES	(1ULL << 24)

struct ramfs_file {
	struct frame **pages;
	uint64_t cap;		/* slots in pages */
};

/*
 * Locking.  An inode's own lock (i->lock) serialises read, write and
 * truncate, which copy to and from user memory while holding it; a copy may
 * fault and take the address space's lock.  A fault on a mapping of the
 * file arrives holding that lock, so it must not wait for i->lock (the two
 * orders together could deadlock two threads).  The page arrays and the
 * sizes of regular files therefore have a lock of their own, always taken
 * last -- i->lock, then the address space, then ramfs_pages_lock -- and no
 * user memory is touched while it is held.
 */
static struct mutex ramfs_pages_lock = MUTEX_INIT;
/* Pages of every ramfs and tmpfs file, for /proc/meminfo (Shmem, Cached). */
static atomic64_t ramfs_pages;

static const struct inode_ops ramfs_iops;
static const struct file_ops ramfs_file_ops;
static const struct file_ops ramfs_dir_ops;
static const uint8_t zero_page[PAGE_SIZE];

static struct ramfs_file *rf(struct inode *i)
{
	return i->priv;
}

static int ensure_cap(struct inode *i, uint64_t npages)
{
	struct ramfs_file *r = rf(i);
	uint64_t cap;
	struct frame **p;

	if (npages > RAMFS_MAX_PAGES)
		return -EFBIG;
	if (!r) {
		r = kzalloc(sizeof(*r));
		if (!r)
			return -ENOMEM;
		i->priv = r;
	}
	if (npages <= r->cap)
		return 0;
	cap = r->cap ? r->cap : 4;
	while (cap < npages)
		cap *= 2;
	p = kcalloc(cap, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (uint64_t k = 0; k < r->cap; k++)
		p[k] = r->pages[k];
	kfree(r->pages);
	r->pages = p;
	r->cap = cap;
	return 0;
}

/* The frame for page pgoff, allocated (zeroed) on demand. */
static int page_for(struct inode *i, uint64_t pgoff, struct frame **out)
{
	struct ramfs_file *r;
	int err = ensure_cap(i, pgoff + 1);

	if (err)
		return err;
	r = rf(i);
	if (!r->pages[pgoff]) {
		err = tmpfs_charge_blocks(i->sb, 1);
		if (err)
			return err;
		r->pages[pgoff] = frame_alloc(FRAME_ZERO);
		if (!r->pages[pgoff]) {
			tmpfs_uncharge_blocks(i->sb, 1);
			return -ENOMEM;
		}
		atomic64_add(&ramfs_pages, 1);
	}
	*out = r->pages[pgoff];
	return 0;
}

static struct frame *page_peek(struct inode *i, uint64_t pgoff)
{
	struct ramfs_file *r = rf(i);

	return r && pgoff < r->cap ? r->pages[pgoff] : NULL;
}

/* Free the pages [first, end) (ramfs_pages_lock held). */
static void free_pages(struct inode *i, uint64_t first, uint64_t end)
{
	struct ramfs_file *r = rf(i);
	uint64_t freed = 0;

	for (uint64_t k = first; r && k < end && k < r->cap; k++) {
		if (r->pages[k])
			freed++;
		frame_put(r->pages[k]);
		r->pages[k] = NULL;
	}
	tmpfs_uncharge_blocks(i->sb, freed);
	atomic64_add(&ramfs_pages, -(int64_t)freed);
}

uint64_t ramfs_total_pages(void)
{
	return (uint64_t)atomic64_read(&ramfs_pages);
}

static int ramfs_setsize(struct inode *i, uint64_t size)
{
	struct ramfs_file *r = rf(i);
	uint64_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;

	if (size > RAMFS_MAX_PAGES * PAGE_SIZE)
		return -EFBIG;
	/* memfd seals (Linux's shmem_setattr). */
	if ((size < i->size && (i->seals & F_SEAL_SHRINK)) ||
	    (size > i->size && (i->seals & F_SEAL_GROW)))
		return -EPERM;
	mutex_lock(&ramfs_pages_lock);
	if (size < i->size && r) {
		free_pages(i, keep, r->cap);
		/* Zero the tail of the last page so growing again reads zeros. */
		if (size % PAGE_SIZE && page_peek(i, size / PAGE_SIZE))
			frame_fill(page_peek(i, size / PAGE_SIZE), size % PAGE_SIZE, 0,
				   PAGE_SIZE - size % PAGE_SIZE);
	}
	i->size = size;
	mutex_unlock(&ramfs_pages_lock);
	return 0;
}

/*
 * The page holding pos, referenced, or NULL for a hole; *n is cut
 * to what lies before the end of the file, 0 at or past it.
 */
static struct frame *read_page(struct inode *i, uint64_t pos, size_t *n)
{
	struct frame *fr = NULL;

	mutex_lock(&ramfs_pages_lock);
	*n = pos < i->size ? MIN(*n, i->size - pos) : 0;
	if (*n) {
		fr = page_peek(i, pos / PAGE_SIZE);
		if (fr)
			frame_get(fr);
	}
	mutex_unlock(&ramfs_pages_lock);
	return fr;
}

/* The page at pgoff for writing (allocated if needed), referenced. */
static int write_page(struct inode *i, uint64_t pgoff, struct frame **out)
{
	int err;

	mutex_lock(&ramfs_pages_lock);
	err = page_for(i, pgoff, out);
	if (!err)
		frame_get(*out);
	mutex_unlock(&ramfs_pages_lock);
	return err;
}

ssize_t ramfs_read_file(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct inode *i = f->inode;
	size_t done = 0;
	int err = 0;

	mutex_lock(&i->lock);
	while (done < buf->len) {
		uint64_t off = *pos % PAGE_SIZE;
		size_t n = MIN(buf->len - done, PAGE_SIZE - off);
		struct frame *fr = read_page(i, *pos, &n);

		if (!n)
			break;	/* end of file */
		if (fr)
			err = iobuf_write_frame(buf, done, fr, off, n);
		else
			err = iobuf_write(buf, done, zero_page, n);
		frame_put(fr);
		if (err)
			break;
		done += n;
		*pos += n;
	}
	if (done)
		file_accessed(f);
	mutex_unlock(&i->lock);
	return done ? (ssize_t)done : err;
}

static ssize_t ramfs_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct inode *i = f->inode;
	size_t done = 0;
	int err = 0;

	mutex_lock(&i->lock);
	if (f->flags & O_APPEND)
		*pos = i->size;
	if (*pos + buf->len < *pos || *pos + buf->len > RAMFS_MAX_PAGES * PAGE_SIZE)
		err = -EFBIG;
	/* memfd seals (Linux's shmem_write_begin). */
	if (i->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		err = -EPERM;
	while (!err && done < buf->len) {
		uint64_t pg = *pos / PAGE_SIZE, off = *pos % PAGE_SIZE;
		size_t n = MIN(buf->len - done, PAGE_SIZE - off);
		struct frame *fr;

		if ((i->seals & F_SEAL_GROW) && *pos + n > i->size) {
			err = -EPERM;
			break;
		}
		err = write_page(i, pg, &fr);
		if (err)
			break;
		err = iobuf_read_frame(buf, done, fr, off, n);
		frame_put(fr);
		if (err)
			break;
		done += n;
		*pos += n;
		if (*pos > i->size) {
			mutex_lock(&ramfs_pages_lock);
			i->size = *pos;
			mutex_unlock(&ramfs_pages_lock);
		}
	}
	if (done) {
		inode_touch(i, false, true, true);
		/* Writing drops set-user-ID and set-group-ID, as on Linux. */
		if (!capable(CAP_FSETID))
			i->mode &= ~(uint32_t)(S_ISUID | S_ISGID);
	}
	mutex_unlock(&i->lock);
	return done ? (ssize_t)done : err;
}

static int64_t ramfs_llseek(struct file *f, int64_t off, int whence)
{
	return vfs_generic_llseek(f, off, whence);
}

static int ramfs_get_page(struct file *f, uint64_t pgoff, struct frame **out)
{
	struct inode *i = f->inode;
	struct frame *fr;
	int err;

	/* The fault path, holding the address space: not i->lock (see the top). */
	mutex_lock(&ramfs_pages_lock);
	if (pgoff >= (i->size + PAGE_SIZE - 1) / PAGE_SIZE) {
		mutex_unlock(&ramfs_pages_lock);
		return -ENXIO;
	}
	err = page_for(i, pgoff, &fr);
	if (!err) {
		frame_get(fr);
		*out = fr;
	}
	mutex_unlock(&ramfs_pages_lock);
	return err;
}

static int ramfs_create(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out)
{
	struct inode *i;
	int err = tmpfs_charge_inode(dir->sb);

	if (err)
		return err;
	err = inode_new(dir->sb, mode, &i);
	if (err) {
		tmpfs_uncharge_inode(dir->sb);
		return err;
	}
	i->iops = &ramfs_iops;
	/* tmpfs files take seals; F_SEAL_SEAL until memfd_create allows more. */
	if (S_ISREG(mode) && tmpfs_sb(dir->sb)) {
		i->sealable = true;
		i->seals = F_SEAL_SEAL;
	}
	if (S_ISREG(mode))
		i->fops = &ramfs_file_ops;
	else if (S_ISDIR(mode)) {
		i->fops = &ramfs_dir_ops;
		i->nlink = 2;
	}
	if (S_ISCHR(mode) || S_ISBLK(mode))
		i->rdev = rdev;
	*out = i;
	return 0;
}

static int ramfs_readlink(struct inode *i, char *buf, size_t size)
{
	size_t n = MIN(size, i->size);

	if (!i->priv)
		return 0;
	memcpy(buf, i->priv, n);
	return (int)n;
}

/* Called without i->lock, on an inode nobody else uses yet (initramfs, symlink, sysfs). */
int ramfs_set_data(struct inode *i, const void *data, size_t len)
{
	char *t;

	if (S_ISLNK(i->mode)) {
		if (len > PATH_MAX)
			return -ENAMETOOLONG;
		t = kmalloc(len + 1);
		if (!t)
			return -ENOMEM;
		memcpy(t, data, len);
		t[len] = 0;
		mutex_lock(&i->lock);
		kfree(i->priv);
		i->priv = t;
		i->size = len;
		mutex_unlock(&i->lock);
		return 0;
	}
	if (!S_ISREG(i->mode))
		return -EINVAL;
	mutex_lock(&i->lock);
	ramfs_setsize(i, 0);
	mutex_unlock(&i->lock);
	return ramfs_write_data(i, 0, data, len);
}

/* Called without i->lock, on a regular file nobody else uses yet (the initramfs). */
int ramfs_write_data(struct inode *i, uint64_t off, const void *data, size_t len)
{
	struct iobuf b = { .user = false, .kbuf = (void *)data, .len = len };
	struct file tmp;
	uint64_t pos = off;
	ssize_t n;

	if (!S_ISREG(i->mode))
		return -EINVAL;
	/* The write path through a throwaway file. */
	memset(&tmp, 0, sizeof(tmp));
	tmp.inode = i;
	n = ramfs_write(&tmp, &b, &pos);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -ENOSPC;
}

static void ramfs_evict(struct inode *i)
{
	struct ramfs_file *r;

	tmpfs_uncharge_inode(i->sb);
	if (S_ISLNK(i->mode)) {
		kfree(i->priv);
		return;
	}
	r = rf(i);
	if (!r || !S_ISREG(i->mode))
		return;
	mutex_lock(&ramfs_pages_lock);
	free_pages(i, 0, r->cap);
	mutex_unlock(&ramfs_pages_lock);
	kfree(r->pages);
	kfree(r);
}

/* tmpfs counts every extra name as an inode (its dentry pins memory), as Linux. */
static int ramfs_link(struct inode *dir, struct inode *i)
{
	return i->nlink ? tmpfs_charge_inode(dir->sb) : 0;
}

static void ramfs_unlink(struct inode *dir, struct inode *i)
{
	if (i->nlink > 1 && !S_ISDIR(i->mode))
		tmpfs_uncharge_inode(dir->sb);
}

/* Pages of [first, end) not allocated yet (ramfs_pages_lock held). */
static uint64_t missing_pages(struct inode *i, uint64_t first, uint64_t end)
{
	uint64_t n = 0;

	for (uint64_t k = first; k < end; k++)
		if (!page_peek(i, k))
			n++;
	return n;
}

/* Allocate the pages of [off, off+len): all or, past tmpfs's size=, none (ENOSPC). */
static int allocate_range(struct inode *i, uint64_t off, uint64_t len)
{
	uint64_t first = off / PAGE_SIZE, end = (off + len + PAGE_SIZE - 1) / PAGE_SIZE;
	struct frame *fr;
	int err = 0;

	if (end > RAMFS_MAX_PAGES)
		return -EFBIG;
	mutex_lock(&ramfs_pages_lock);
	if (missing_pages(i, first, end) > tmpfs_free_blocks(i->sb))
		err = -ENOSPC;
	for (uint64_t k = first; !err && k < end; k++)
		err = page_for(i, k, &fr);
	mutex_unlock(&ramfs_pages_lock);
	return err;
}

/* Zero [off, off+len) and free the whole pages inside it (PUNCH_HOLE). */
static void punch_range(struct inode *i, uint64_t off, uint64_t len)
{
	uint64_t end = off + len;
	uint64_t first_full = (off + PAGE_SIZE - 1) / PAGE_SIZE, end_full = end / PAGE_SIZE;

	mutex_lock(&ramfs_pages_lock);
	for (uint64_t pos = off; pos < end;) {
		uint64_t pg = pos / PAGE_SIZE, po = pos % PAGE_SIZE;
		uint64_t n = MIN(end - pos, PAGE_SIZE - po);
		struct frame *fr = page_peek(i, pg);

		if (fr && (pg < first_full || pg >= end_full))
			frame_fill(fr, po, 0, n);
		pos += n;
	}
	if (end_full > first_full)
		free_pages(i, first_full, end_full);
	mutex_unlock(&ramfs_pages_lock);
}

/*
 * fallocate as Linux's tmpfs: mode 0 and KEEP_SIZE allocate (ENOSPC past
 * size=, nothing kept then), PUNCH_HOLE|KEEP_SIZE frees; seals apply.
 */
static int ramfs_fallocate(struct inode *i, int mode, uint64_t off, uint64_t len)
{
	int err;

	if (mode & FALLOC_FL_PUNCH_HOLE) {
		if (mode != (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
		if (i->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
			return -EPERM;
		if (off < i->size)
			punch_range(i, off, MIN(len, i->size - off));
		return 0;
	}
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && (i->seals & F_SEAL_GROW) && off + len > i->size)
		return -EPERM;
	err = allocate_range(i, off, len);
	if (!err && !(mode & FALLOC_FL_KEEP_SIZE) && off + len > i->size)
		err = ramfs_setsize(i, off + len);
	return err;
}

static const struct inode_ops ramfs_iops = {
	.create = ramfs_create,
	.readlink = ramfs_readlink,
	.setsize = ramfs_setsize,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.fallocate = ramfs_fallocate,
};

static const struct file_ops ramfs_file_ops = {
	.read = ramfs_read_file,
	.write = ramfs_write,
	.llseek = ramfs_llseek,
	.get_page = ramfs_get_page,
};

static const struct file_ops ramfs_dir_ops = {
	.llseek = ramfs_llseek,
};

int ramfs_new_sb(const struct fs_type *type, struct super_block **out)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct inode *root;
	int err;

	if (!sb)
		return -ENOMEM;
	sb->type = type;
	sb->dev = vfs_new_dev();
	sb->evict = ramfs_evict;
	err = inode_new(sb, S_IFDIR | (type == &ramfs_type ? 0755 : 01777), &root);
	if (err) {
		kfree(sb);
		return err;
	}
	root->uid = root->gid = 0;
	root->nlink = 2;
	root->iops = &ramfs_iops;
	root->fops = &ramfs_dir_ops;
	err = dentry_new_root(sb, root, &sb->root);
	inode_put(root);
	if (err) {
		kfree(sb);
		return err;
	}
	*out = sb;
	return 0;
}

static int ramfs_mount(const char *source, uint64_t flags, struct super_block **out)
{
	(void)source;
	(void)flags;
	return ramfs_new_sb(&ramfs_type, out);
}

const struct fs_type ramfs_type = { .name = "ramfs", .magic = RAMFS_MAGIC, .mount = ramfs_mount };
