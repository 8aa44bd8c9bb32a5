// SPDX-License-Identifier: MPL-2.0
// The request queue: bios wait on the disk's pending list; dispatching
// takes the oldest and merges every pending bio that continues it (or that
// it continues) into one request, so a batch of adjacent pages is one
// device request.  Completions come from the driver's interrupt; waiters
// restart the queue, so a full device ring only delays.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "block/block_internal.h"

/* Waiters check back this often in case an interrupt was lost. */
#define POLL_NS	(1000 * NSEC_PER_MSEC)

void blk_disk_queue_init(struct blk_disk *disk)
{
	spin_lock_init(&disk->lock);
	list_init(&disk->pending);
	wait_queue_init(&disk->wait);
	for (unsigned int i = 0; i < BLK_POOL; i++) {
		disk->pool[i].next_free = disk->free_rq;
		disk->free_rq = &disk->pool[i];
	}
}

/* ---- accessors for drivers ---- */

enum blk_op blk_rq_op(const struct request *rq)
{
	return rq->op;
}

uint64_t blk_rq_sector(const struct request *rq)
{
	return rq->sector;
}

uint32_t blk_rq_sectors(const struct request *rq)
{
	return rq->nsect;
}

unsigned int blk_rq_nr_segments(const struct request *rq)
{
	return rq->nsegs;
}

const struct blk_seg *blk_rq_segment(const struct request *rq, unsigned int i)
{
	return i < rq->nsegs ? rq->segs[i] : NULL;
}

/* ---- statistics (disk->lock held) ---- */

static unsigned int stat_op(enum blk_op op)
{
	return op == BLK_READ ? 0 : op == BLK_WRITE ? 1 : 2;
}

static void stats_start(struct disk_stats *s, uint64_t now)
{
	if (s->in_flight++ == 0)
		s->busy_since = now;
}

static void stats_done(struct disk_stats *s, const struct bio *b, uint64_t now)
{
	unsigned int op = stat_op(b->op);

	s->ios[op]++;
	s->sectors[op] += b->bytes >> SECTOR_SHIFT;
	s->nsecs[op] += now - b->start_ns;
	if (s->in_flight && --s->in_flight == 0)
		s->busy_ns += now - s->busy_since;
}

/* Linux counts a partition's I/O on the whole disk as well. */
static void account(struct bio *b, uint64_t now, bool start)
{
	struct block_device *bd = b->bdev, *whole = bd->disk->parts[0];

	if (start) {
		stats_start(&bd->stats, now);
		if (bd != whole)
			stats_start(&whole->stats, now);
		return;
	}
	stats_done(&bd->stats, b, now);
	if (bd != whole)
		stats_done(&whole->stats, b, now);
}

static void account_merge(struct bio *b)
{
	b->bdev->stats.merges[stat_op(b->op)]++;
	if (b->bdev->partno)
		b->bdev->disk->parts[0]->stats.merges[stat_op(b->op)]++;
}

/* ---- bios ---- */

struct bio *bio_alloc(struct block_device *bdev, enum blk_op op, uint64_t sector,
		      unsigned int flags)
{
	struct bio *b = kzalloc(sizeof(*b));

	if (!b)
		return NULL;
	b->bdev = bdev;
	b->op = op;
	b->rel_sector = sector;
	b->flags = flags;
	return b;
}

/*
 * A bio longer than the disk takes in one request could never be sent: the
 * queue would put it back at the head for ever.  So the disk's limit is
 * enforced here, where the caller can still start another bio.
 */
static unsigned int bio_max_segs(const struct bio *b)
{
	unsigned int m = b->bdev && b->bdev->disk ? b->bdev->disk->info.max_segments : 0;

	return m && m < BLK_MAX_SEGS ? m : BLK_MAX_SEGS;
}

int bio_add_frame(struct bio *b, struct frame *f, size_t off, size_t len)
{
	struct blk_seg *last = b->nsegs ? &b->segs[b->nsegs - 1] : NULL;

	if (!f || len == 0 || off > PAGE_SIZE || len > PAGE_SIZE - off)
		return -EINVAL;
	if (last && last->frame == f && last->off + last->len == off) {
		last->len += (uint32_t)len;
		b->bytes += (uint32_t)len;
		return 0;
	}
	if (b->nsegs >= bio_max_segs(b))
		return -ENOSPC;
	frame_get(f);
	b->segs[b->nsegs++] = (struct blk_seg){ f, (uint32_t)off, (uint32_t)len };
	b->bytes += (uint32_t)len;
	return 0;
}

void bio_free(struct bio *b)
{
	if (!b)
		return;
	for (unsigned int i = 0; i < b->nsegs; i++)
		frame_put(b->segs[i].frame);
	kfree(b);
}

static void bio_end(struct bio *b, int status)
{
	b->status = status;
	smp_wmb();	/* the status before the flag a waiter reads first */
	atomic_set(&b->done, 1);
}

/* -errno when b cannot be queued as it is. */
static int bio_check(struct bio *b)
{
	struct block_device *bd = b->bdev;
	unsigned int lbs = bd->disk->info.logical_block_size;
	uint64_t nsect = b->bytes >> SECTOR_SHIFT;

	if (b->op == BLK_FLUSH)
		return b->nsegs ? -EINVAL : 0;
	if (b->op != BLK_READ && b->op != BLK_WRITE)
		return -EINVAL;
	if (b->bytes == 0 || b->bytes % lbs || (b->rel_sector << SECTOR_SHIFT) % lbs)
		return -EINVAL;
	for (unsigned int i = 0; i < b->nsegs; i++) {
		if (b->segs[i].off % SECTOR_SIZE || b->segs[i].len % SECTOR_SIZE)
			return -EINVAL;
	}
	if (b->rel_sector > bd->nr_sectors || nsect > bd->nr_sectors - b->rel_sector)
		return -EINVAL;
	if (b->op == BLK_WRITE && bd->disk->info.read_only)
		return -EROFS;
	return 0;
}

void bio_submit_batch(struct bio **bios, unsigned int n)
{
	struct blk_disk *disk = NULL;
	uint64_t now = clock_monotonic_ns();

	for (unsigned int i = 0; i < n; i++) {
		struct bio *b = bios[i];
		int err = bio_check(b);
		irqflags_t fl;

		if (!err && b->op == BLK_FLUSH && !b->bdev->disk->info.flush)
			err = 1;	/* nothing to flush: done at once */
		if (err) {
			bio_end(b, err > 0 ? 0 : err);
			continue;
		}
		disk = b->bdev->disk;
		b->sector = b->bdev->start + b->rel_sector;
		b->start_ns = now;
		fl = spin_lock_irqsave(&disk->lock);
		account(b, now, true);
		list_add_tail(&disk->pending, &b->node);
		spin_unlock_irqrestore(&disk->lock, fl);
	}
	if (disk)
		blk_run_queue(disk);
}

/* ---- requests ---- */

static bool mergeable(const struct request *rq, const struct bio *b, unsigned int max_segs)
{
	if (rq->op != b->op || rq->op == BLK_FLUSH || (rq->bios->flags != b->flags))
		return false;
	if (rq->nsegs + b->nsegs > max_segs)
		return false;
	return b->sector == rq->sector + rq->nsect || b->sector + (b->bytes >> SECTOR_SHIFT) ==
	       rq->sector;
}

static void rq_append(struct request *rq, struct bio *b)
{
	for (unsigned int i = 0; i < b->nsegs; i++)
		rq->segs[rq->nsegs++] = &b->segs[i];
	rq->tail->rq_next = b;
	rq->tail = b;
	rq->nsect += b->bytes >> SECTOR_SHIFT;
}

static void rq_prepend(struct request *rq, struct bio *b)
{
	memmove(&rq->segs[b->nsegs], &rq->segs[0], rq->nsegs * sizeof(rq->segs[0]));
	for (unsigned int i = 0; i < b->nsegs; i++)
		rq->segs[i] = &b->segs[i];
	rq->nsegs += b->nsegs;
	b->rq_next = rq->bios;
	rq->bios = b;
	rq->sector = b->sector;
	rq->nsect += b->bytes >> SECTOR_SHIFT;
}

/* Take the oldest pending bio and everything that merges with it (lock held). */
static struct request *rq_build(struct blk_disk *disk)
{
	struct request *rq = disk->free_rq;
	struct bio *b, *tmp;
	bool merged = true;

	if (!rq || list_empty(&disk->pending))
		return NULL;
	disk->free_rq = rq->next_free;
	b = list_entry(disk->pending.next, struct bio, node);
	list_del(&b->node);
	*rq = (struct request){ .disk = disk, .op = b->op, .sector = b->sector,
				.bios = b, .tail = b };
	b->rq_next = NULL;
	for (unsigned int i = 0; i < b->nsegs; i++)
		rq->segs[rq->nsegs++] = &b->segs[i];
	rq->nsect = b->bytes >> SECTOR_SHIFT;
	while (merged) {
		merged = false;
		list_for_each_entry_safe(b, tmp, &disk->pending, node) {
			if (!mergeable(rq, b, disk->info.max_segments))
				continue;
			list_del(&b->node);
			b->rq_next = NULL;
			if (b->sector == rq->sector + rq->nsect)
				rq_append(rq, b);
			else
				rq_prepend(rq, b);
			account_merge(b);
			merged = true;
		}
	}
	return rq;
}

/* Put a request the device had no room for back at the head, in order. */
static void rq_requeue(struct blk_disk *disk, struct request *rq)
{
	struct list_node *at = &disk->pending;

	for (struct bio *b = rq->bios, *next; b; b = next) {
		next = b->rq_next;
		list_insert_between(&b->node, at, at->next);
		at = &b->node;
	}
	rq->next_free = disk->free_rq;
	disk->free_rq = rq;
}

void blk_rq_complete(struct request *rq, int status)
{
	struct blk_disk *disk = rq->disk;
	uint64_t now = clock_monotonic_ns();
	irqflags_t fl = spin_lock_irqsave(&disk->lock);

	for (struct bio *b = rq->bios, *next; b; b = next) {
		next = b->rq_next;
		account(b, now, false);
		bio_end(b, status);
	}
	rq->bios = NULL;
	rq->next_free = disk->free_rq;
	disk->free_rq = rq;
	spin_unlock_irqrestore(&disk->lock, fl);
	atomic64_add(&disk->completions, 1);
	wake_up_all(&disk->wait);
}

void blk_run_queue(struct blk_disk *disk)
{
	for (;;) {
		irqflags_t fl = spin_lock_irqsave(&disk->lock);
		struct request *rq = rq_build(disk);
		int err;

		spin_unlock_irqrestore(&disk->lock, fl);
		if (!rq)
			return;
		err = disk->ops->queue_rq(disk->drv, rq);
		if (err == -EBUSY) {
			fl = spin_lock_irqsave(&disk->lock);
			rq_requeue(disk, rq);
			spin_unlock_irqrestore(&disk->lock, fl);
			return;
		}
		if (err)
			blk_rq_complete(rq, -EIO);
	}
}

/* ---- waiting ---- */

struct wait_arg {
	struct bio *bio;
	struct blk_disk *disk;
	int64_t gen;
};

static bool progress(void *arg)
{
	struct wait_arg *w = arg;

	return atomic_read(&w->bio->done) || atomic64_read(&w->disk->completions) != w->gen;
}

int bio_wait(struct bio *b)
{
	struct blk_disk *disk = b->bdev->disk;
	struct wait_arg w = { b, disk, 0 };

	while (!atomic_read(&b->done)) {
		w.gen = atomic64_read(&disk->completions);
		blk_run_queue(disk);
		if (wait_event_timeout(&disk->wait, progress, &w, POLL_NS) == -ETIMEDOUT &&
		    disk->ops->poll)
			disk->ops->poll(disk->drv);
	}
	smp_rmb();
	if (!b->status && (b->flags & BLK_FUA) && b->op == BLK_WRITE)
		return blk_flush(b->bdev);
	return b->status;
}

int blk_flush(struct block_device *bdev)
{
	struct bio *b = bio_alloc(bdev, BLK_FLUSH, 0, 0);
	int err;

	if (!b)
		return -ENOMEM;
	bio_submit_batch(&b, 1);
	err = bio_wait(b);
	bio_free(b);
	return err;
}

int blk_submit(struct block_device *bdev, enum blk_op op, uint64_t sector, struct frame *f,
	       size_t off, size_t len, unsigned int flags)
{
	struct bio *b;
	int err;

	if (op == BLK_FLUSH)
		return blk_flush(bdev);
	b = bio_alloc(bdev, op, sector, flags);
	if (!b)
		return -ENOMEM;
	err = bio_add_frame(b, f, off, len);
	if (!err) {
		bio_submit_batch(&b, 1);
		err = bio_wait(b);
	}
	bio_free(b);
	return err;
}
