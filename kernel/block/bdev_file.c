// SPDX-License-Identifier: MPL-2.0
// Block special files: read and write at any byte offset through bounce
// frames (a partial first or last block is read, patched and written
// back), one request per contiguous run of up to BOUNCE_PAGES pages;
// seeking within the device (SEEK_SET, SEEK_CUR, SEEK_END); fsync as a cache flush; the BLK* ioctls
// (BLKRRPART re-reads the table; the open count it checks is kept here).
// As Linux 6.1: a write to a read-only device is EPERM, a write starting
// at the end is ENOSPC, a read there is 0 bytes.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "block/block_internal.h"
#include "fs/file.h"
#include "process/process.h"
#include "uapi/fs.h"
#include "process/capability.h"

#define BOUNCE_PAGES	32

struct bounce {
	struct block_device *bd;
	struct frame *f[BOUNCE_PAGES];
	unsigned int pages;
	uint64_t base;		/* device byte offset of f[0] */
};

static struct block_device *bd_of(struct file *f)
{
	return f->priv;
}

static uint64_t bd_bytes(const struct block_device *bd)
{
	return bd->nr_sectors << SECTOR_SHIFT;
}

static unsigned int bounce_max(const struct block_device *bd)
{
	return MIN((unsigned int)BOUNCE_PAGES, bd->disk->info.max_segments);
}

static int bounce_get(struct bounce *b, unsigned int pages)
{
	while (b->pages < pages) {
		b->f[b->pages] = frame_alloc(0);
		if (!b->f[b->pages])
			return -ENOMEM;
		b->pages++;
	}
	return 0;
}

static void bounce_put(struct bounce *b)
{
	for (unsigned int i = 0; i < b->pages; i++)
		frame_put(b->f[i]);
}

/* Read or write device bytes [from, from+len) to/from the bounce frames: one bio. */
static int bounce_io(struct bounce *b, enum blk_op op, uint64_t from, uint64_t len)
{
	struct bio *bio = bio_alloc(b->bd, op, from >> SECTOR_SHIFT, 0);
	int err = bio ? 0 : -ENOMEM;

	while (!err && len) {
		uint64_t rel = from - b->base;
		size_t in = (size_t)(rel % PAGE_SIZE), n = (size_t)MIN(len, PAGE_SIZE - in);

		err = bio_add_frame(bio, b->f[rel / PAGE_SIZE], in, n);
		from += n;
		len -= n;
	}
	if (!err) {
		bio_submit_batch(&bio, 1);
		err = bio_wait(bio);
	}
	bio_free(bio);
	return err;
}

/* Copy between the user's buffer at done and the bounce at device offset off. */
static int bounce_copy(struct bounce *b, struct iobuf *buf, size_t done, uint64_t off, size_t n,
		       bool to_user)
{
	while (n) {
		uint64_t rel = off - b->base;
		size_t in = (size_t)(rel % PAGE_SIZE), k = MIN(n, PAGE_SIZE - in);
		struct frame *f = b->f[rel / PAGE_SIZE];
		int err = to_user ? iobuf_write_frame(buf, done, f, in, k) :
				    iobuf_read_frame(buf, done, f, in, k);

		if (err)
			return err;
		off += k;
		done += k;
		n -= k;
	}
	return 0;
}

/* The block-aligned window [*start, *end) for bytes from off on, left bytes wanted. */
static void window(struct bounce *b, uint64_t off, uint64_t left, uint64_t *start, uint64_t *end)
{
	unsigned int lbs = b->bd->disk->info.logical_block_size;
	uint64_t span = (uint64_t)bounce_max(b->bd) * PAGE_SIZE;

	*start = off & ~(uint64_t)(lbs - 1);
	*end = MIN(ALIGN_UP(off + left, (uint64_t)lbs), *start + span);
	*end = MIN(*end, bd_bytes(b->bd));
	b->base = *start;
}

static ssize_t blkdev_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct bounce b = { .bd = bd_of(f) };
	uint64_t size = bd_bytes(b.bd), len, start, end;
	size_t done = 0;
	int err = 0;

	if (*pos >= size || buf->len == 0)
		return 0;
	len = MIN((uint64_t)buf->len, size - *pos);
	while (!err && done < len) {
		uint64_t off = *pos + done;
		size_t n;

		window(&b, off, len - done, &start, &end);
		n = (size_t)MIN(end - off, len - done);
		err = bounce_get(&b, (unsigned int)((end - start + PAGE_SIZE - 1) / PAGE_SIZE));
		if (!err)
			err = bounce_io(&b, BLK_READ, start, end - start);
		if (!err)
			err = bounce_copy(&b, buf, done, off, n, true);
		if (!err)
			done += n;
	}
	bounce_put(&b);
	*pos += done;
	return done ? (ssize_t)done : err;
}

/* Fill the partial blocks at the edges of [start, end) that [off, off+n) leaves. */
static int read_edges(struct bounce *b, uint64_t start, uint64_t end, uint64_t off, size_t n)
{
	unsigned int lbs = b->bd->disk->info.logical_block_size;
	int err = 0;

	if (off != start)
		err = bounce_io(b, BLK_READ, start, lbs);
	if (!err && off + n != end && (end - lbs != start || off == start))
		err = bounce_io(b, BLK_READ, end - lbs, lbs);
	return err;
}

static ssize_t blkdev_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct bounce b = { .bd = bd_of(f) };
	uint64_t size = bd_bytes(b.bd), len, start, end;
	size_t done = 0;
	int err = 0;

	if (bdev_read_only(b.bd))
		return -EPERM;
	if (buf->len == 0)
		return 0;
	if (*pos >= size)
		return -ENOSPC;
	len = MIN((uint64_t)buf->len, size - *pos);
	while (!err && done < len) {
		uint64_t off = *pos + done;
		size_t n;

		window(&b, off, len - done, &start, &end);
		n = (size_t)MIN(end - off, len - done);
		err = bounce_get(&b, (unsigned int)((end - start + PAGE_SIZE - 1) / PAGE_SIZE));
		if (!err)
			err = read_edges(&b, start, end, off, n);
		if (!err)
			err = bounce_copy(&b, buf, done, off, n, false);
		if (!err)
			err = bounce_io(&b, BLK_WRITE, start, end - start);
		if (!err)
			done += n;
	}
	bounce_put(&b);
	*pos += done;
	if (done && (f->flags & (O_SYNC | O_DSYNC)))
		err = blk_flush(b.bd);
	return done && !err ? (ssize_t)done : err;
}

static int64_t blkdev_llseek(struct file *f, int64_t off, int whence)
{
	int64_t size = (int64_t)bd_bytes(bd_of(f)), base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		base = size;
		break;
	default:	/* SEEK_DATA and SEEK_HOLE too, as Linux's fixed_size_llseek */
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, off, &base) || base < 0 || base > size)
		return -EINVAL;
	f->pos = (uint64_t)base;
	return base;
}

static int blkdev_fsync(struct file *f)
{
	return blk_flush(bd_of(f));
}

static bool admin(void)
{
	return capable(CAP_SYS_ADMIN);
}

static long blkdev_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	struct block_device *bd = bd_of(f);

	switch (cmd) {
	case BLKGETSIZE64:
		return put_user_u64(arg, bd_bytes(bd)) ? -EFAULT : 0;
	case BLKGETSIZE:
		return put_user_u64(arg, bd->nr_sectors) ? -EFAULT : 0;
	case BLKSSZGET:
		return put_user_u32(arg, bdev_logical_block_size(bd)) ? -EFAULT : 0;
	case BLKPBSZGET:
		return put_user_u32(arg, bdev_physical_block_size(bd)) ? -EFAULT : 0;
	case BLKROGET:
		return put_user_u32(arg, bdev_read_only(bd)) ? -EFAULT : 0;
	case BLKFLSBUF:
		/* No buffer cache to drop yet: write back what the device caches. */
		return admin() ? blk_flush(bd) : -EACCES;
	case BLKRRPART:
		return admin() ? blk_reread_partitions(bd) : -EACCES;
	default:
		return -ENOTTY;
	}
}

static void blkdev_release(struct file *f)
{
	bdev_open_put(bd_of(f));
}

static const struct file_ops blkdev_ops = {
	.release = blkdev_release,
	.read = blkdev_read,
	.write = blkdev_write,
	.llseek = blkdev_llseek,
	.ioctl = blkdev_ioctl,
	.fsync = blkdev_fsync,
};

int blkdev_open(struct file *f, uint32_t rdev)
{
	struct block_device *bd = bdev_open_get(rdev);

	if (!bd)
		return -ENXIO;
	f->ops = &blkdev_ops;
	f->priv = bd;
	return 0;
}
