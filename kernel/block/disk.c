// SPDX-License-Identifier: MPL-2.0
// Disks and their block devices: registration by drivers, names and
// device numbers (16 minors a disk, as Linux's virtblk), the device nodes
// in devtmpfs, lookup by device number, and the /proc texts.
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

int blk_add_partition(struct blk_disk *disk, unsigned int partno, uint64_t start,
		      uint64_t nr_sectors)
{
	struct block_device *whole = disk->parts[0], *bd;
	unsigned int at;

	if (partno == 0 || partno >= BLK_MINORS || disk->nparts >= BLK_MINORS)
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
	/* Keep parts[] in partition-number order, as /proc lists them. */
	at = disk->nparts;

	while (at > 1 && disk->parts[at - 1]->partno > partno) {
		disk->parts[at] = disk->parts[at - 1];
		at--;
	}
	disk->parts[at] = bd;
	disk->nparts++;
	return devfs_add_node(bd->name, S_IFBLK | 0660, bd->dev);
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
	log_partitions(disk, blk_scan_partitions(disk));
	*out = disk;
	return 0;
}

/* ---- lookup ---- */

int blk_for_each(int (*fn)(struct block_device *bdev, void *arg), void *arg)
{
	int r = 0;

	mutex_lock(&disks_lock);
	for (unsigned int i = 0; i < nr_disks && !r; i++) {
		for (unsigned int p = 0; p < disks[i]->nparts && !r; p++)
			r = fn(disks[i]->parts[p], arg);
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
