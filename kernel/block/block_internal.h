/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/block/: disks, their block devices (the disk and its
 * partitions), bios and requests.  Locking: disk->lock (a spinlock, taken
 * from interrupts too) guards the pending list, the request pool and the
 * statistics.  Disks and block devices are never freed (no hot-unplug).
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
	uint32_t dev;
	uint64_t start, nr_sectors;	/* in 512-byte sectors */
	struct disk_stats stats;
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
int blk_add_partition(struct blk_disk *disk, unsigned int partno, uint64_t start,
		      uint64_t nr_sectors);
/* partition.c: read the table on the whole disk and add what it describes; false: none. */
bool blk_scan_partitions(struct blk_disk *disk);

#endif
