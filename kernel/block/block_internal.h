/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/block/: disks, their block devices (the disk and its
 * partitions), bios and requests.  Locking: disk->lock (a spinlock, taken
 * from interrupts too) guards the pending list, the request pool and the
 * statistics.  Disks and block devices are never freed (no hot-unplug):
 * a partition that a re-read table (BLKRRPART) no longer lists stays as a
 * block device of 0 sectors, hidden from /proc and opened as -ENXIO, and is
 * reused if its number comes back.
 */
#ifndef KERNEL_BLOCK_INTERNAL_H
#define KERNEL_BLOCK_INTERNAL_H
#include <aster/sync.h>
#include <aster/wait.h>
#include "block/blkdev.h"

#define BLK_POOL	64	/* requests in flight per disk at most */
#define NR_STAT_OPS	3	/* read, write, flush (Linux's STAT_* without discard) */

struct disk_stats {
	uint64_t ios[NR_STAT_OPS], merges[NR_STAT_OPS], sectors[NR_STAT_OPS];
	uint64_t nsecs[NR_STAT_OPS];
	uint64_t busy_ns, busy_since;	/* io_ticks: time with I/O in flight */
	uint32_t in_flight;
};

struct block_device {
	struct blk_disk *disk;
	unsigned int partno;		/* 0: the whole disk */
	char name[24];
	/* A partition's PARTUUID as Linux makes it ("" for a disk): MBR "sssssss-pp", GPT the entry's GUID. */
	char uuid[37];
	uint32_t dev;
	uint64_t start, nr_sectors;	/* in 512-byte sectors */
	struct disk_stats stats;
	const void *holder;		/* under disks_lock; see bdev_claim */
	unsigned int claims;
	unsigned int opens;		/* open block special files, under disks_lock */
	bool has_node;			/* its /dev node exists (under rescan_lock) */
};

struct bio {
	struct block_device *bdev;
	enum blk_op op;
	unsigned int flags;
	uint64_t sector;		/* absolute on the disk once submitted */
	uint64_t rel_sector;		/* as given, inside bdev */
	uint32_t bytes;
	unsigned int nsegs;
	struct blk_seg segs[BLK_MAX_SEGS];
	int status;
	atomic_t done;
	uint64_t start_ns;
	struct list_node node;		/* in disk->pending */
	struct bio *rq_next;		/* in its request */
};

struct request {
	struct blk_disk *disk;
	enum blk_op op;
	uint64_t sector;
	uint32_t nsect;
	unsigned int nsegs;
	const struct blk_seg *segs[BLK_MAX_SEGS];
	struct bio *bios, *tail;
	struct request *next_free;
};

struct blk_disk {
	char name[16];
	const struct blk_disk_ops *ops;
	void *drv;
	struct blk_disk_info info;
	spinlock_t lock;
	struct list_node pending;
	struct request pool[BLK_POOL];
	struct request *free_rq;
	struct wait_queue wait;
	atomic64_t completions;		/* moves at every completion */
	struct block_device *parts[BLK_MINORS];
	unsigned int nparts;		/* parts[0..nparts) are set; parts[0] the disk */
};

/* queue.c */
void blk_disk_queue_init(struct blk_disk *disk);
/* Dispatch pending bios while the driver takes them (task context). */
void blk_run_queue(struct blk_disk *disk);
/* disk.c */
/* Record partition partno (the caller holds disks_lock or owns the new disk). */
int blk_add_partition(struct blk_disk *disk, unsigned int partno, uint64_t start,
		      uint64_t nr_sectors, const char *uuid);
/* A partition that is not (or no longer) in the table. */
static inline bool bdev_gone(const struct block_device *bd)
{
	return bd->partno && !bd->nr_sectors;
}
/* The block device rdev with an open reference (bdev_file.c), or NULL. */
struct block_device *bdev_open_get(uint32_t rdev);
void bdev_open_put(struct block_device *bd);
/* BLKRRPART on the whole disk bd: -EINVAL on a partition, -EBUSY when in use. */
int blk_reread_partitions(struct block_device *bd);
/* partition.c: read the table on the whole disk and add what it describes; false: none. */
bool blk_scan_partitions(struct blk_disk *disk);

#endif
