/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The block layer.  A driver registers a disk with its request function;
 * the layer gives it block devices (the whole disk and the partitions its
 * MBR or GPT table describes), device nodes in devtmpfs, and a request
 * queue that merges adjacent I/O into one request per contiguous run.
 *
 * Drivers (see kernel/drivers/virtio/blk.c):
 *
 *	static const struct blk_disk_ops ops = { .queue_rq = mydisk_queue_rq };
 *	struct blk_disk_info info = { .nr_sectors = n, .logical_block_size = 512,
 *				      .max_segments = 32, .flush = true };
 *	err = blk_disk_add(&ops, drv, &info, &disk);	names it vda, vdb, ...
 *	... queue_rq(drv, rq) starts rq: the segments blk_rq_segment() lists;
 *	... from its interrupt: blk_rq_complete(rq, 0 or -EIO).
 *
 * File systems and the page cache submit frame-sized I/O and wait:
 *
 *	err = blk_submit(bdev, BLK_READ, sector, frame, 0, PAGE_SIZE, 0);
 *
 * or build several bios and submit them as one batch (they are merged
 * when adjacent) and wait for each:
 *
 *	struct bio *b = bio_alloc(bdev, BLK_WRITE, sector, BLK_FUA);
 *	bio_add_frame(b, f, 0, PAGE_SIZE);
 *	bio_submit_batch(&b, 1);
 *	err = bio_wait(b);
 *	bio_free(b);
 *
 * Sectors are always 512 bytes (as Linux's); an I/O's sector, offset and
 * length must be multiples of the device's logical block size.  Errors:
 * -EINVAL (misaligned, beyond the device), -EROFS (write to a read-only
 * device), -EIO (the device failed or broke), -ENOMEM.
 */
#ifndef KERNEL_BLOCK_BLKDEV_H
#define KERNEL_BLOCK_BLKDEV_H
#include <aster/frame.h>
#include <aster/list.h>
#include <aster/sync.h>
#include <aster/types.h>

#define SECTOR_SHIFT	9
#define SECTOR_SIZE	512
/*
 * Segments one bio or one request carries at most (a disk may allow fewer:
 * its max_segments; 128 pages is 512 KiB, a whole readahead window in two
 * requests).
 */
#define BLK_MAX_SEGS	128
/* Minors per disk: the disk and 15 partitions (Linux virtblk's PART_BITS 4). */
#define BLK_MINORS	16

enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH };
#define BLK_FUA		0x1	/* on the medium when it completes */

struct block_device;
struct blk_disk;
struct bio;
struct file;

struct blk_seg {
	struct frame *frame;	/* a reference while in a bio */
	uint32_t off, len;
};

/* ---- for file systems and the page cache ---- */

/* One frame-range I/O, submitted and waited for. */
int blk_submit(struct block_device *bdev, enum blk_op op, uint64_t sector, struct frame *f,
	       size_t off, size_t len, unsigned int flags);
/* Make completed writes durable (a no-op without a write cache). */
int blk_flush(struct block_device *bdev);
/* sync(2): flush every disk. */
void blk_sync_all(void);

struct bio *bio_alloc(struct block_device *bdev, enum blk_op op, uint64_t sector,
		      unsigned int flags);
/*
 * Add len bytes of f at off.  A range that continues the last segment in
 * the same frame extends it.  -ENOSPC past the disk's max_segments (at
 * most BLK_MAX_SEGS): the caller starts another bio; -EINVAL for a range
 * outside the frame.
 */
int bio_add_frame(struct bio *b, struct frame *f, size_t off, size_t len);
/* Queue every bio, then start the queue once (so neighbours merge). */
void bio_submit_batch(struct bio **bios, unsigned int n);
/* Sleep until b completed: its status. */
int bio_wait(struct bio *b);
void bio_free(struct bio *b);

/* The device behind a block special file's rdev, with a reference, or NULL. */
struct block_device *bdev_get(uint32_t rdev);
void bdev_put(struct block_device *bdev);
uint64_t bdev_nr_sectors(const struct block_device *bdev);
unsigned int bdev_logical_block_size(const struct block_device *bdev);
bool bdev_read_only(const struct block_device *bdev);
const char *bdev_name(const struct block_device *bdev);
/* A partition's PARTUUID (Linux's form, lower case), "" for a whole disk. */
const char *bdev_part_uuid(const struct block_device *bdev);
uint32_t bdev_dev(const struct block_device *bdev);

/*
 * Exclusive use by a holder (a file system type, as Linux's mount_bdev;
 * the pointer only names it): 0, or -EBUSY when bdev or an overlapping
 * device (the whole disk and any of its partitions) is held by another
 * holder.  A holder
 * may claim the same device again; each claim is ended by one
 * bdev_release.  Opening the device node is not a claim (as Linux
 * without O_EXCL).
 */
int bdev_claim(struct block_device *bdev, const void *holder);
void bdev_release(struct block_device *bdev, const void *holder);

/* ---- for drivers ---- */

struct request;

struct blk_disk_ops {
	/*
	 * Start rq (any context where sleeping is allowed; no lock of the
	 * layer held): 0, or -EBUSY when the device has no room now (the
	 * layer retries after the next completion), or -EIO.
	 */
	int (*queue_rq)(void *drv, struct request *rq);
	/* Optional: reap completions without an interrupt (a lost one). */
	void (*poll)(void *drv);
};

struct blk_disk_info {
	uint64_t nr_sectors;		/* 512-byte sectors */
	unsigned int logical_block_size, physical_block_size;
	unsigned int max_segments;	/* per request, <= BLK_MAX_SEGS */
	bool read_only;
	bool flush;			/* has a write cache that needs flushing */
};

/* Register a disk named <prefix><letter> ("vd" -> vda, vdb, ...) and scan its partitions. */
int blk_disk_add(const char *prefix, uint32_t major, const struct blk_disk_ops *ops, void *drv,
		 const struct blk_disk_info *info, struct blk_disk **out);

/* A request: one operation on one contiguous run of sectors. */
enum blk_op blk_rq_op(const struct request *rq);
uint64_t blk_rq_sector(const struct request *rq);	/* absolute on the disk */
uint32_t blk_rq_sectors(const struct request *rq);
unsigned int blk_rq_nr_segments(const struct request *rq);
/* The i-th data segment, in order. */
const struct blk_seg *blk_rq_segment(const struct request *rq, unsigned int i);
/* Any context (interrupts too): the request finished with status (0, -EIO). */
void blk_rq_complete(struct request *rq, int status);

/* ---- for /proc and /sys ---- */

/* /proc/partitions and /proc/diskstats text (Linux's formats): its length. */
size_t blk_partitions_text(char *buf, size_t size);
size_t blk_diskstats_text(char *buf, size_t size);
/* Visit each block device, disks before their partitions; stop on nonzero. */
int blk_for_each(int (*fn)(struct block_device *bdev, void *arg), void *arg);
/* For sysfs: the whole disk, the partition number (0 for the disk), its start. */
struct block_device *bdev_whole(struct block_device *bdev);
unsigned int bdev_partno(const struct block_device *bdev);
uint64_t bdev_start_sector(const struct block_device *bdev);
unsigned int bdev_physical_block_size(const struct block_device *bdev);

/* ---- block special files ---- */
int blkdev_open(struct file *f, uint32_t rdev);

#endif
