// SPDX-License-Identifier: MPL-2.0
// Disks and their block devices: registration by drivers, names and
// device numbers (16 minors a disk, as Linux's virtblk), the device nodes
// in devtmpfs, lookup by device number, re-reading the partition table
// (BLKRRPART), and the /proc texts.
//
// Locks: rescan_lock serializes the partition scans of all disks (so a
// disk's parts[] only changes under it), then disks_lock guards the disk
// list, parts[], claims and open counts.  Device nodes are made after
// disks_lock is dropped: devfs takes vfs_ns_lock, which an open holds
// around bdev_open_get.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "block/block_internal.h"
#include "fs/file.h"
#include "uapi/stat.h"

#define MAX_DISKS	26

static struct blk_disk *disks[MAX_DISKS];
static unsigned int nr_disks;
static struct mutex disks_lock = MUTEX_INIT;
static struct mutex rescan_lock = MUTEX_INIT;

static void log_partitions(struct blk_disk *disk, bool found);

/* A partition number the table lists again: its old block device, refilled. */
static int reuse_partition(struct blk_disk *disk, struct block_device *bd, uint64_t start,
			   uint64_t nr_sectors, const char *uuid)
{
	irqflags_t fl;

	if (!bdev_gone(bd))
		return -EEXIST;		/* listed twice in one table */
	fl = spin_lock_irqsave(&disk->lock);
	memset(&bd->stats, 0, sizeof(bd->stats));
	spin_unlock_irqrestore(&disk->lock, fl);
	bd->start = start;
	bd->nr_sectors = nr_sectors;
	strlcpy(bd->uuid, uuid, sizeof(bd->uuid));
	return 0;
}

int blk_add_partition(struct blk_disk *disk, unsigned int partno, uint64_t start,
		      uint64_t nr_sectors, const char *uuid)
{
	struct block_device *whole = disk->parts[0], *bd;
	unsigned int at;

	if (partno == 0 || partno >= BLK_MINORS)
		return -ENOSPC;
	for (unsigned int i = 1; i < disk->nparts; i++) {
		if (disk->parts[i]->partno == partno)
			return reuse_partition(disk, disk->parts[i], start, nr_sectors, uuid);
	}
	if (disk->nparts >= BLK_MINORS)
		return -ENOSPC;
	bd = kzalloc(sizeof(*bd));
	if (!bd)
		return -ENOMEM;
	bd->disk = disk;
	bd->partno = partno;
	bd->dev = whole->dev + partno;
	bd->start = start;
	bd->nr_sectors = nr_sectors;
	snprintf(bd->name, sizeof(bd->name), "%s%u", disk->name, partno);
	strlcpy(bd->uuid, uuid, sizeof(bd->uuid));
	/* Keep parts[] in partition-number order, as /proc lists them. */
	at = disk->nparts;

	while (at > 1 && disk->parts[at - 1]->partno > partno) {
		disk->parts[at] = disk->parts[at - 1];
		at--;
	}
	disk->parts[at] = bd;
	disk->nparts++;
	return 0;
}

/* Device nodes for the partitions that have none yet (rescan_lock held). */
static void add_nodes(struct blk_disk *disk)
{
	for (unsigned int i = 1; i < disk->nparts; i++) {
		struct block_device *bd = disk->parts[i];
		int err;

		if (bd->has_node || bdev_gone(bd))
			continue;
		err = devfs_add_node(bd->name, S_IFBLK | 0660, bd->dev);
		if (err)
			pr_warn("%s: no device node (%d)\n", bd->name, err);
		bd->has_node = true;
	}
}

static bool disk_busy(const struct blk_disk *disk);

/*
 * Read the table (rescan_lock held): forget the old partitions, add what it
 * lists.  -EBUSY, and nothing changed, when busy(disk); checked under the
 * same disks_lock as the change, so no open or claim slips in between.
 */
static int scan(struct blk_disk *disk, bool (*busy)(const struct blk_disk *disk))
{
	bool found;

	mutex_lock(&disks_lock);
	if (busy && busy(disk)) {
		mutex_unlock(&disks_lock);
		return -EBUSY;
	}
	for (unsigned int i = 1; i < disk->nparts; i++) {
		disk->parts[i]->nr_sectors = 0;
		disk->parts[i]->start = 0;
		disk->parts[i]->uuid[0] = 0;	/* a gone partition has no PARTUUID */
	}
	found = blk_scan_partitions(disk);
	mutex_unlock(&disks_lock);
	add_nodes(disk);
	log_partitions(disk, found);
	return 0;
}

static int whole_new(struct blk_disk *disk, uint32_t dev)
{
	struct block_device *bd = kzalloc(sizeof(*bd));

	if (!bd)
		return -ENOMEM;
	bd->disk = disk;
	bd->dev = dev;
	bd->nr_sectors = disk->info.nr_sectors;
	strlcpy(bd->name, disk->name, sizeof(bd->name));
	disk->parts[0] = bd;
	disk->nparts = 1;
	return 0;
}

/* The next free index among disks named with prefix (lock held). */
static unsigned int prefix_index(const char *prefix)
{
	unsigned int n = 0;
	size_t len = strlen(prefix);

	for (unsigned int i = 0; i < nr_disks; i++)
		n += strncmp(disks[i]->name, prefix, len) == 0 && strlen(disks[i]->name) == len + 1;
	return n;
}

/* " vdc: vdc1 vdc2 vdc3 < vdc5 vdc6 >", as Linux logs a scanned table. */
static void log_partitions(struct blk_disk *disk, bool found)
{
	char line[256];
	size_t len = (size_t)snprintf(line, sizeof(line), " %s:", disk->name);
	bool logical = false;

	for (unsigned int i = 1; i < disk->nparts && len < sizeof(line); i++) {
		const char *open = !logical && disk->parts[i]->partno >= 5 ? " <" : "";

		if (bdev_gone(disk->parts[i]))
			continue;

		logical = logical || *open;
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s %s", open,
					disk->parts[i]->name);
	}
	if (logical && len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, " >");
	else if (!found && len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, " unknown partition table");
	pr_info("%s\n", line);
}

static bool info_ok(const struct blk_disk_info *info)
{
	unsigned int lbs = info->logical_block_size;

	return lbs >= SECTOR_SIZE && lbs <= PAGE_SIZE && (lbs & (lbs - 1)) == 0 &&
	       info->max_segments >= 1 && info->max_segments <= BLK_MAX_SEGS;
}

int blk_disk_add(const char *prefix, uint32_t major, const struct blk_disk_ops *ops, void *drv,
		 const struct blk_disk_info *info, struct blk_disk **out)
{
	struct blk_disk *disk;
	unsigned int idx;
	int err;

	if (!ops || !ops->queue_rq || !info_ok(info) || strlen(prefix) > 8)
		return -EINVAL;
	disk = kzalloc(sizeof(*disk));
	if (!disk)
		return -ENOMEM;
	disk->ops = ops;
	disk->drv = drv;
	disk->info = *info;
	if (disk->info.physical_block_size < info->logical_block_size)
		disk->info.physical_block_size = info->logical_block_size;
	blk_disk_queue_init(disk);
	mutex_lock(&disks_lock);
	idx = prefix_index(prefix);
	if (nr_disks == MAX_DISKS || idx >= 26) {
		mutex_unlock(&disks_lock);
		kfree(disk);
		return -ENOSPC;
	}
	snprintf(disk->name, sizeof(disk->name), "%s%c", prefix, 'a' + idx);
	err = whole_new(disk, MKDEV(major, idx * BLK_MINORS));
	if (err) {
		mutex_unlock(&disks_lock);
		kfree(disk);
		return err;
	}
	disks[nr_disks++] = disk;
	mutex_unlock(&disks_lock);
	pr_info("%s: %llu %u-byte logical blocks (%llu MB)%s\n", disk->name,
		(unsigned long long)(info->nr_sectors * SECTOR_SIZE / info->logical_block_size),
		info->logical_block_size,
		(unsigned long long)(info->nr_sectors * SECTOR_SIZE / 1000000),
		info->read_only ? ", read-only" : "");
	err = devfs_add_node(disk->name, S_IFBLK | 0660, disk->parts[0]->dev);
	if (err)
		pr_warn("%s: no device node (%d)\n", disk->name, err);
	mutex_lock(&rescan_lock);
	scan(disk, NULL);
	mutex_unlock(&rescan_lock);
	*out = disk;
	return 0;
}

/* ---- lookup ---- */

int blk_for_each(int (*fn)(struct block_device *bdev, void *arg), void *arg)
{
	int r = 0;

	mutex_lock(&disks_lock);
	for (unsigned int i = 0; i < nr_disks && !r; i++) {
		for (unsigned int p = 0; p < disks[i]->nparts && !r; p++) {
			if (!bdev_gone(disks[i]->parts[p]))
				r = fn(disks[i]->parts[p], arg);
		}
	}
	mutex_unlock(&disks_lock);
	return r;
}

struct find_arg {
	uint32_t dev;
	struct block_device *found;
};

static int match_dev(struct block_device *bd, void *arg)
{
	struct find_arg *a = arg;

	if (bd->dev != a->dev)
		return 0;
	a->found = bd;
	return 1;
}

struct block_device *bdev_get(uint32_t rdev)
{
	struct find_arg a = { rdev, NULL };

	blk_for_each(match_dev, &a);
	return a.found;
}

void bdev_put(struct block_device *bdev)
{
	(void)bdev;	/* block devices live as long as the kernel (no hot-unplug) */
}

struct block_device *bdev_open_get(uint32_t rdev)
{
	struct find_arg a = { rdev, NULL };

	mutex_lock(&disks_lock);
	for (unsigned int i = 0; i < nr_disks && !a.found; i++) {
		for (unsigned int p = 0; p < disks[i]->nparts && !a.found; p++) {
			if (!bdev_gone(disks[i]->parts[p]))
				match_dev(disks[i]->parts[p], &a);
		}
	}
	if (a.found)
		a.found->opens++;
	mutex_unlock(&disks_lock);
	return a.found;
}

void bdev_open_put(struct block_device *bd)
{
	mutex_lock(&disks_lock);
	if (bd->opens)
		bd->opens--;
	mutex_unlock(&disks_lock);
}

/*
 * As Linux's disk_scan_partitions: busy while a partition is open or
 * claimed (mounted), or the whole disk is claimed; opens of the whole disk
 * (the caller's own among them) do not count.
 */
static bool disk_busy(const struct blk_disk *disk)
{
	if (disk->parts[0]->claims)
		return true;
	for (unsigned int p = 1; p < disk->nparts; p++) {
		if (disk->parts[p]->claims || disk->parts[p]->opens)
			return true;
	}
	return false;
}

int blk_reread_partitions(struct block_device *bd)
{
	int err;

	if (bd->partno)
		return -EINVAL;
	mutex_lock(&rescan_lock);
	err = scan(bd->disk, disk_busy);
	mutex_unlock(&rescan_lock);
	return err;
}

/* Is bd, or a device that shares sectors with it, held by someone other than holder? */
static bool claimed_by_other(const struct block_device *bd, const void *holder)
{
	const struct blk_disk *disk = bd->disk;

	for (unsigned int p = 0; p < disk->nparts; p++) {
		const struct block_device *o = disk->parts[p];
		bool overlaps = o == bd || o->partno == 0 || bd->partno == 0;

		if (overlaps && o->claims && o->holder != holder)
			return true;
	}
	return false;
}

int bdev_claim(struct block_device *bdev, const void *holder)
{
	int err = 0;

	mutex_lock(&disks_lock);
	if (claimed_by_other(bdev, holder)) {
		err = -EBUSY;
	} else {
		bdev->holder = holder;
		bdev->claims++;
	}
	mutex_unlock(&disks_lock);
	return err;
}

void bdev_release(struct block_device *bdev, const void *holder)
{
	mutex_lock(&disks_lock);
	if (bdev->claims && bdev->holder == holder && --bdev->claims == 0)
		bdev->holder = NULL;
	mutex_unlock(&disks_lock);
}

uint64_t bdev_nr_sectors(const struct block_device *bdev)
{
	return bdev->nr_sectors;
}

unsigned int bdev_logical_block_size(const struct block_device *bdev)
{
	return bdev->disk->info.logical_block_size;
}

unsigned int bdev_physical_block_size(const struct block_device *bdev)
{
	return bdev->disk->info.physical_block_size;
}

bool bdev_read_only(const struct block_device *bdev)
{
	return bdev->disk->info.read_only;
}

const char *bdev_name(const struct block_device *bdev)
{
	return bdev->name;
}

const char *bdev_part_uuid(const struct block_device *bdev)
{
	return bdev->uuid;
}

uint32_t bdev_dev(const struct block_device *bdev)
{
	return bdev->dev;
}

struct block_device *bdev_whole(struct block_device *bdev)
{
	return bdev->disk->parts[0];
}

unsigned int bdev_partno(const struct block_device *bdev)
{
	return bdev->partno;
}

uint64_t bdev_start_sector(const struct block_device *bdev)
{
	return bdev->start;
}

static int flush_whole(struct block_device *bd, void *arg)
{
	(void)arg;
	if (!bd->partno)
		blk_flush(bd);
	return 0;
}

void blk_sync_all(void)
{
	blk_for_each(flush_whole, NULL);
}

/* ---- /proc/partitions and /proc/diskstats ---- */

struct text {
	char *buf;
	size_t size, len;
};

static void text_add(struct text *t, const char *fmt, ...) __printf(2, 3);
static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = MIN(t->len + (size_t)n, t->size - 1);
}

static int partition_line(struct block_device *bd, void *arg)
{
	if (bd->nr_sectors)
		text_add(arg, "%4u  %7u %10llu %s\n", MAJOR(bd->dev), MINOR(bd->dev),
			 (unsigned long long)(bd->nr_sectors >> 1), bd->name);
	return 0;
}

size_t blk_partitions_text(char *buf, size_t size)
{
	struct text t = { buf, size, 0 };

	if (size == 0)
		return 0;
	buf[0] = 0;
	text_add(&t, "major minor  #blocks  name\n\n");
	blk_for_each(partition_line, &t);
	return t.len;
}

static unsigned int ms(uint64_t ns)
{
	return (unsigned int)(ns / NSEC_PER_MSEC);
}

static int diskstats_line(struct block_device *bd, void *arg)
{
	struct disk_stats s;
	uint64_t now = clock_monotonic_ns();
	irqflags_t fl = spin_lock_irqsave(&bd->disk->lock);

	s = bd->stats;
	spin_unlock_irqrestore(&bd->disk->lock, fl);
	if (s.in_flight)
		s.busy_ns += now - s.busy_since;
	if (bd->partno && !bd->nr_sectors)
		return 0;
	text_add(arg, "%4u %7u %s %lu %lu %lu %u %lu %lu %lu %u %u %u %u %lu %lu %lu %u %lu %u\n",
		 MAJOR(bd->dev), MINOR(bd->dev), bd->name,
		 (unsigned long)s.ios[0], (unsigned long)s.merges[0], (unsigned long)s.sectors[0],
		 ms(s.nsecs[0]),
		 (unsigned long)s.ios[1], (unsigned long)s.merges[1], (unsigned long)s.sectors[1],
		 ms(s.nsecs[1]),
		 s.in_flight, ms(s.busy_ns), ms(s.nsecs[0] + s.nsecs[1] + s.nsecs[2]),
		 0UL, 0UL, 0UL, 0U,
		 (unsigned long)s.ios[2], ms(s.nsecs[2]));
	return 0;
}

size_t blk_diskstats_text(char *buf, size_t size)
{
	struct text t = { buf, size, 0 };

	if (size == 0)
		return 0;
	buf[0] = 0;
	blk_for_each(diskstats_line, &t);
	return t.len;
}
