// SPDX-License-Identifier: MPL-2.0
// ktests of the block layer on a RAM disk driver that records what it is
// asked: adjacent bios submitted together become one request, FUA becomes
// a write and a flush, bad bios are refused before the driver sees them,
// and partition tables that lie (an EBR chain that loops, a partition past
// the end) end in a bounded set of partitions, and BLKRRPART re-reads them.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/unaligned.h>
#include "block/block_internal.h"

#define RD_SECTORS	256	/* 128 KiB */
#define KTEST_MAJOR	240	/* Linux's first "local/experimental" major */

struct ramdisk {
	uint8_t *data;
	unsigned int requests, flushes, last_nsegs;
	uint64_t last_sector;
	uint32_t last_nsect;
};

static int rd_queue_rq(void *drv, struct request *rq)
{
	struct ramdisk *rd = drv;
	uint64_t at = blk_rq_sector(rq) * SECTOR_SIZE;
	int err = 0;

	if (blk_rq_op(rq) == BLK_FLUSH) {
		rd->flushes++;
		blk_rq_complete(rq, 0);
		return 0;
	}
	rd->requests++;
	rd->last_sector = blk_rq_sector(rq);
	rd->last_nsect = blk_rq_sectors(rq);
	rd->last_nsegs = blk_rq_nr_segments(rq);
	for (unsigned int i = 0; i < blk_rq_nr_segments(rq) && !err; i++) {
		const struct blk_seg *s = blk_rq_segment(rq, i);

		if (blk_rq_op(rq) == BLK_READ)
			err = frame_write(s->frame, s->off, rd->data + at, s->len);
		else
			err = frame_read(s->frame, s->off, rd->data + at, s->len);
		at += s->len;
	}
	blk_rq_complete(rq, err ? -EIO : 0);
	return 0;
}

static const struct blk_disk_ops rd_ops = { .queue_rq = rd_queue_rq };

/* Disks live forever, so their RAM disks do too. */
static struct ramdisk *rd_new(void)
{
	struct ramdisk *rd = kzalloc(sizeof(*rd));

	if (rd)
		rd->data = kzalloc(RD_SECTORS * SECTOR_SIZE);
	return rd && rd->data ? rd : NULL;
}

static struct blk_disk *rd_add(struct ramdisk *rd, bool ro, bool flush)
{
	struct blk_disk_info info = { RD_SECTORS, 512, 512, 8, ro, flush };
	struct blk_disk *disk;

	if (blk_disk_add("kt", KTEST_MAJOR, &rd_ops, rd, &info, &disk))
		return NULL;
	return disk;
}

static void mbr_entry(uint8_t *sector, unsigned int i, uint8_t type, uint32_t start,
		      uint32_t count)
{
	uint8_t *e = sector + 446 + 16 * i;

	e[4] = type;
	put_unaligned_le32(e + 8, start);
	put_unaligned_le32(e + 12, count);
	sector[510] = 0x55;
	sector[511] = 0xaa;
}

KTEST(blk_adjacent_bios_merge)
{
	struct ramdisk *rd = rd_new();
	struct blk_disk *disk;
	struct frame *f = frame_alloc(FRAME_ZERO);
	struct bio *b[4];
	/* Submitted out of order: sectors 24, 16, 32, 40, one page each. */
	static const uint64_t sectors[4] = { 24, 16, 32, 40 };

	KT_ASSERT(rd && f);
	disk = rd_add(rd, false, false);
	KT_ASSERT(disk != NULL);
	for (int i = 0; i < 4; i++) {
		b[i] = bio_alloc(disk->parts[0], BLK_WRITE, sectors[i], 0);
		KT_ASSERT(b[i] && bio_add_frame(b[i], f, 0, PAGE_SIZE) == 0);
	}
	rd->requests = 0;
	bio_submit_batch(b, 4);
	for (int i = 0; i < 4; i++) {
		KT_ASSERT(bio_wait(b[i]) == 0);
		bio_free(b[i]);
	}
	KT_ASSERT(rd->requests == 1);
	KT_ASSERT(rd->last_sector == 16 && rd->last_nsect == 32 && rd->last_nsegs == 4);
	KT_ASSERT(disk->parts[0]->stats.merges[1] == 3);
	frame_put(f);
}

/*
 * A bio holds no more segments than its disk takes in one request (8
 * here): a longer one could never be sent.  Ranges that continue the last
 * segment in the same frame extend it instead of taking another.
 */
KTEST(blk_bio_segments_bounded_by_the_disk)
{
	struct ramdisk *rd = rd_new();
	struct blk_disk *disk;
	struct frame *f[9] = { NULL };
	struct bio *b, *c;
	bool ok = rd != NULL;

	for (int i = 0; i < 9; i++) {
		f[i] = frame_alloc(FRAME_ZERO);
		ok = ok && f[i];
	}
	KT_ASSERT(ok);
	disk = rd_add(rd, false, false);
	KT_ASSERT(disk != NULL);
	b = bio_alloc(disk->parts[0], BLK_READ, 0, 0);
	c = bio_alloc(disk->parts[0], BLK_READ, 64, 0);
	KT_ASSERT(b && c);
	for (int i = 0; i < 8; i++)
		KT_EXPECT(bio_add_frame(b, f[i], 0, PAGE_SIZE) == 0);
	KT_EXPECT(bio_add_frame(b, f[8], 0, PAGE_SIZE) == -ENOSPC);
	/* Four 1 KiB blocks of one frame, in order: one segment. */
	for (int i = 0; i < 4; i++)
		KT_EXPECT(bio_add_frame(c, f[8], (size_t)i * 1024, 1024) == 0);
	/* Not contiguous with the last one: a segment of its own. */
	KT_EXPECT(bio_add_frame(c, f[0], 1024, 1024) == 0);
	rd->requests = 0;
	bio_submit_batch(&b, 1);
	KT_EXPECT(bio_wait(b) == 0);
	KT_EXPECT(rd->last_nsegs == 8 && rd->last_nsect == 64);
	bio_submit_batch(&c, 1);
	KT_EXPECT(bio_wait(c) == 0);
	KT_EXPECT(rd->last_nsegs == 2 && rd->last_nsect == 10);
	KT_EXPECT(rd->requests == 2);
	bio_free(b);
	bio_free(c);
	for (int i = 0; i < 9; i++)
		frame_put(f[i]);
}

KTEST(blk_refuses_bad_bios)
{
	struct ramdisk *rd = rd_new();
	struct blk_disk *disk, *ro;
	struct frame *f = frame_alloc(FRAME_ZERO);

	KT_ASSERT(rd && f);
	disk = rd_add(rd, false, true);
	ro = rd_add(rd, true, false);
	KT_ASSERT(disk && ro);
	rd->requests = rd->flushes = 0;
	KT_ASSERT(blk_submit(disk->parts[0], BLK_READ, 0, f, 100, 512, 0) == -EINVAL);
	KT_ASSERT(blk_submit(disk->parts[0], BLK_READ, 0, f, 0, 100, 0) == -EINVAL);
	KT_ASSERT(blk_submit(disk->parts[0], BLK_READ, RD_SECTORS - 1, f, 0, 1024, 0) == -EINVAL);
	KT_ASSERT(blk_submit(disk->parts[0], BLK_READ, ~0ULL, f, 0, 512, 0) == -EINVAL);
	KT_ASSERT(blk_submit(ro->parts[0], BLK_WRITE, 0, f, 0, 512, 0) == -EROFS);
	KT_ASSERT(rd->requests == 0);
	/* FUA on a disk with a write cache: the write, then a flush. */
	KT_ASSERT(blk_submit(disk->parts[0], BLK_WRITE, 8, f, 0, 512, BLK_FUA) == 0);
	KT_ASSERT(rd->requests == 1 && rd->flushes == 1);
	/* No write cache: a flush is done without the driver. */
	KT_ASSERT(blk_flush(ro->parts[0]) == 0 && rd->flushes == 1);
	KT_ASSERT(blk_flush(disk->parts[0]) == 0 && rd->flushes == 2);
	frame_put(f);
}

KTEST(blk_partition_tables_that_lie)
{
	struct ramdisk *rd = rd_new();
	struct blk_disk *disk;

	KT_ASSERT(rd != NULL);
	/* Primary 1 fine, 2 past the end, 3 an extended partition at 64. */
	mbr_entry(rd->data, 0, 0x83, 8, 16);
	mbr_entry(rd->data, 1, 0x83, 200, 100);
	mbr_entry(rd->data, 2, 0x05, 64, 128);
	/* EBR at 64: logical at 66; next EBR at 64 + 32 = 96. */
	mbr_entry(rd->data + 64 * 512, 0, 0x83, 2, 8);
	mbr_entry(rd->data + 64 * 512, 1, 0x05, 32, 32);
	/* EBR at 96: logical at 98; next EBR back at 64: a loop. */
	mbr_entry(rd->data + 96 * 512, 0, 0x83, 2, 8);
	mbr_entry(rd->data + 96 * 512, 1, 0x05, 0, 32);
	disk = rd_add(rd, false, false);
	KT_ASSERT(disk != NULL && disk->nparts >= 5);
	KT_ASSERT(disk->parts[1]->partno == 1 && disk->parts[1]->start == 8);
	KT_ASSERT(disk->parts[2]->partno == 3 && disk->parts[2]->nr_sectors == 2);
	KT_ASSERT(disk->parts[3]->partno == 5 && disk->parts[3]->start == 66);
	KT_ASSERT(disk->parts[4]->partno == 6 && disk->parts[4]->start == 98);
	/* The loop gave at most the 15 numbers there are, and stopped. */
	KT_ASSERT(disk->nparts <= BLK_MINORS);
	for (unsigned int i = 1; i < disk->nparts; i++)
		KT_ASSERT(disk->parts[i]->start + disk->parts[i]->nr_sectors <= RD_SECTORS);
}

/* Claims: partitions apart are independent, the whole disk overlaps them all. */
KTEST(blk_claims_exclude_overlapping_holders)
{
	static const char a, b;	/* two holders; only their addresses matter */
	struct ramdisk *rd = rd_new();
	struct blk_disk *disk;
	struct block_device *whole, *p1, *p2;

	KT_ASSERT(rd != NULL);
	disk = rd_add(rd, false, false);
	KT_ASSERT(disk != NULL);
	KT_ASSERT(blk_add_partition(disk, 1, 64, 64, "") == 0);
	KT_ASSERT(blk_add_partition(disk, 2, 128, 64, "") == 0);
	whole = disk->parts[0];
	p1 = disk->parts[1];
	p2 = disk->parts[2];
	KT_ASSERT(bdev_claim(p1, &a) == 0);
	KT_ASSERT(bdev_claim(p2, &b) == 0);
	KT_EXPECT(bdev_claim(p1, &b) == -EBUSY);
	KT_EXPECT(bdev_claim(whole, &b) == -EBUSY);	/* a holds p1 */
	KT_EXPECT(bdev_claim(whole, &a) == -EBUSY);	/* b holds p2 */
	KT_EXPECT(bdev_claim(p1, &a) == 0);		/* the same holder again */
	bdev_release(p2, &b);
	KT_EXPECT(bdev_claim(whole, &b) == -EBUSY);
	KT_EXPECT(bdev_claim(whole, &a) == 0);
	KT_EXPECT(bdev_claim(p2, &b) == -EBUSY);	/* a holds the whole disk */
	bdev_release(whole, &a);
	bdev_release(p1, &a);
	KT_EXPECT(bdev_claim(whole, &b) == -EBUSY);	/* one claim of p1 is left */
	bdev_release(p1, &a);
	bdev_release(p1, &b);				/* not b's: ignored */
	KT_EXPECT(bdev_claim(whole, &b) == 0);
	bdev_release(whole, &b);
}

/*
 * BLKRRPART: EINVAL on a partition, EBUSY while a partition is open or
 * claimed or the whole disk claimed; a new table drops, adds and moves
 * partitions, and a number that comes back reuses its block device.
 */
KTEST(blk_reread_partitions)
{
	static const char holder;
	struct ramdisk *rd = rd_new();
	struct blk_disk *disk;
	struct block_device *whole, *p1, *p2, *opened;

	KT_ASSERT(rd != NULL);
	mbr_entry(rd->data, 0, 0x83, 16, 32);
	mbr_entry(rd->data, 1, 0x83, 64, 32);
	disk = rd_add(rd, false, false);
	KT_ASSERT(disk != NULL && disk->nparts == 3);
	whole = disk->parts[0];
	p1 = disk->parts[1];
	p2 = disk->parts[2];
	KT_EXPECT(blk_reread_partitions(p1) == -EINVAL);
	opened = bdev_open_get(p2->dev);
	KT_ASSERT(opened == p2);
	KT_EXPECT(blk_reread_partitions(whole) == -EBUSY);
	bdev_open_put(opened);
	KT_ASSERT(bdev_claim(p1, &holder) == 0);
	KT_EXPECT(blk_reread_partitions(whole) == -EBUSY);
	bdev_release(p1, &holder);
	KT_ASSERT(bdev_claim(whole, &holder) == 0);
	KT_EXPECT(blk_reread_partitions(whole) == -EBUSY);
	bdev_release(whole, &holder);
	KT_EXPECT(!bdev_gone(p2) && p2->start == 64);	/* nothing changed meanwhile */
	/* Open whole-disk files do not count: BLKRRPART is issued on one. */
	opened = bdev_open_get(whole->dev);
	KT_ASSERT(opened == whole);
	/* New table: 1 moves, 2 goes, 3 comes. */
	memset(rd->data + 446, 0, 64);
	mbr_entry(rd->data, 0, 0x83, 8, 8);
	mbr_entry(rd->data, 2, 0x83, 128, 64);
	KT_EXPECT(blk_reread_partitions(whole) == 0);
	bdev_open_put(opened);
	KT_EXPECT(disk->parts[1] == p1 && p1->start == 8 && p1->nr_sectors == 8);
	KT_EXPECT(bdev_gone(p2) && bdev_get(p2->dev) == NULL && bdev_open_get(p2->dev) == NULL);
	KT_ASSERT(disk->nparts == 4 && disk->parts[3]->partno == 3);
	KT_EXPECT(disk->parts[3]->start == 128 && bdev_get(disk->parts[3]->dev) == disk->parts[3]);
	/* 2 comes back: the same block device. */
	mbr_entry(rd->data, 1, 0x83, 32, 16);
	KT_EXPECT(blk_reread_partitions(whole) == 0);
	KT_EXPECT(disk->nparts == 4 && !bdev_gone(p2) && p2->start == 32 && bdev_get(p2->dev) == p2);
}
