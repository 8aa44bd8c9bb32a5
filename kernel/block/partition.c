// SPDX-License-Identifier: MPL-2.0
// Partition tables, read the way Linux's block/partitions/{msdos,efi}.c
// read them: an MBR with primary partitions 1-4 and logical ones from 5 in
// the extended partition's chain of EBRs (the extended partition itself
// shown as 2 sectors), or, behind a protective MBR, a GPT whose header and
// entry array pass their CRCs (the primary at LBA 1, else the backup at the
// last LBA), numbered by entry.  A table that lies (entries beyond the
// disk, a looping EBR chain) gives fewer partitions, never a bad access.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/unaligned.h>
#include "block/block_internal.h"

#define MBR_SIZE	512
#define MBR_PART_OFF	446
#define TYPE_EMPTY	0x00
#define TYPE_GPT_PMBR	0xee
#define MAX_EBRS	128
#define GPT_MAX_ENTRIES	1024

struct reader {
	struct blk_disk *disk;
	struct block_device *bd;
	struct frame *frame;
	unsigned int lbs;
	uint32_t disksig;	/* the MBR's disk signature, for PARTUUIDs */
};

/* len bytes at byte offset off of the disk into buf (within one page-aligned read). */
static int read_bytes(struct reader *r, uint64_t off, uint8_t *buf, size_t len)
{
	uint64_t disk_bytes = r->bd->nr_sectors << SECTOR_SHIFT;

	while (len) {
		uint64_t page = off & ~(uint64_t)(PAGE_SIZE - 1);
		size_t in = (size_t)(off - page), n = MIN(len, PAGE_SIZE - in);
		uint64_t chunk;
		int err;

		if (page >= disk_bytes)
			return -EINVAL;
		chunk = MIN((uint64_t)PAGE_SIZE, disk_bytes - page);
		chunk &= ~(uint64_t)(r->lbs - 1);
		if (in + n > chunk)
			return -EINVAL;
		err = blk_submit(r->bd, BLK_READ, page >> SECTOR_SHIFT, r->frame, 0, (size_t)chunk, 0);
		if (!err)
			err = frame_read(r->frame, in, buf, n);
		if (err)
			return err;
		off += n;
		buf += n;
		len -= n;
	}
	return 0;
}

static bool in_disk(struct reader *r, uint64_t start, uint64_t count)
{
	uint64_t total = r->bd->nr_sectors;

	return count && start < total && count <= total - start;
}

static void add(struct reader *r, unsigned int partno, uint64_t start, uint64_t count,
		const char *uuid)
{
	if (!in_disk(r, start, count)) {
		pr_warn("%s: partition %u beyond the end of the disk: ignored\n", r->disk->name,
			partno);
		return;
	}
	if (blk_add_partition(r->disk, partno, start, count, uuid) == -ENOSPC)
		pr_warn("%s: partition %u: too many partitions\n", r->disk->name, partno);
}

/* ---- MBR ---- */

/* An MBR partition's PARTUUID, as Linux's msdos.c: the disk signature and the number. */
static void add_mbr(struct reader *r, unsigned int partno, uint64_t start, uint64_t count)
{
	char uuid[16];

	snprintf(uuid, sizeof(uuid), "%08x-%02x", r->disksig, partno);
	add(r, partno, start, count, uuid);
}

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

struct mbr_entry {
	uint8_t boot, type;
	uint32_t start, count;
};

static struct mbr_entry mbr_entry(const uint8_t *mbr, unsigned int i)
{
	const uint8_t *e = mbr + MBR_PART_OFF + 16 * i;

	return (struct mbr_entry){ e[0], e[4], get_unaligned_le32(e + 8),
				   get_unaligned_le32(e + 12) };
}

static bool mbr_valid(const uint8_t *mbr)
{
	if (mbr[510] != 0x55 || mbr[511] != 0xaa)
		return false;
	for (unsigned int i = 0; i < 4; i++) {
		uint8_t boot = mbr_entry(mbr, i).boot;

		if (boot != 0 && boot != 0x80)
			return false;	/* a boot sector, not a partition table */
	}
	return true;
}

/* The logical partitions in the EBR chain of the extended partition at ext. */
static void parse_extended(struct reader *r, uint8_t *buf, uint64_t ext, uint64_t ext_size)
{
	uint64_t this = ext;
	unsigned int partno = 5;

	for (int loops = 0; loops < MAX_EBRS && partno < BLK_MINORS; loops++) {
		uint64_t next = 0;

		if (!in_disk(r, this, 1) || read_bytes(r, this << SECTOR_SHIFT, buf, MBR_SIZE) ||
		    buf[510] != 0x55 || buf[511] != 0xaa)
			return;
		for (unsigned int i = 0; i < 4; i++) {
			struct mbr_entry e = mbr_entry(buf, i);

			if (e.type == TYPE_EMPTY || !e.count || is_extended(e.type))
				continue;
			add_mbr(r, partno++, this + e.start, e.count);
			break;	/* one data partition per EBR, as Linux takes */
		}
		for (unsigned int i = 0; i < 4; i++) {
			struct mbr_entry e = mbr_entry(buf, i);

			if (is_extended(e.type) && e.count) {
				next = ext + e.start;
				break;
			}
		}
		if (!next || next == this || next < ext || next >= ext + ext_size)
			return;
		this = next;
	}
	pr_warn("%s: logical partitions beyond minor %u or EBR %u: the rest ignored\n",
		r->disk->name, BLK_MINORS - 1, MAX_EBRS);
}

static void parse_mbr(struct reader *r, uint8_t *mbr)
{
	uint8_t *ebr = kmalloc(MBR_SIZE);
	struct mbr_entry ext = { 0 };

	for (unsigned int i = 0; i < 4; i++) {
		struct mbr_entry e = mbr_entry(mbr, i);

		if (e.type == TYPE_EMPTY || !e.count)
			continue;
		if (is_extended(e.type)) {
			/* Keep mkfs away from it; Linux shows 2 sectors. */
			add(r, i + 1, e.start, MIN(e.count, 2U), "");	/* no PARTUUID, as Linux */
			if (!ext.count)
				ext = e;
			continue;
		}
		add_mbr(r, i + 1, e.start, e.count);
	}
	if (ext.count && ebr)
		parse_extended(r, ebr, ext.start, ext.count);
	kfree(ebr);
}

/* ---- GPT ---- */

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffff;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
	}
	return ~crc;
}

struct gpt {
	uint64_t first_usable, last_usable, entries_lba;
	uint32_t nr_entries, entry_size, entries_crc;
};

/* The GPT header at lba, checked as Linux's is_gpt_valid checks it. */
static bool gpt_header(struct reader *r, uint64_t lba, struct gpt *g)
{
	uint64_t last_lba = r->bd->nr_sectors / (r->lbs / SECTOR_SIZE) - 1;
	uint8_t h[92];
	uint32_t size, crc;

	if (read_bytes(r, lba * r->lbs, h, sizeof(h)) || memcmp(h, "EFI PART", 8))
		return false;
	size = get_unaligned_le32(h + 12);
	if (size != sizeof(h))
		return false;	/* bigger headers are legal but not seen in practice */
	crc = get_unaligned_le32(h + 16);
	memset(h + 16, 0, 4);
	if (crc32(h, size) != crc || get_unaligned_le64(h + 24) != lba)
		return false;
	g->first_usable = get_unaligned_le64(h + 40);
	g->last_usable = get_unaligned_le64(h + 48);
	g->entries_lba = get_unaligned_le64(h + 72);
	g->nr_entries = get_unaligned_le32(h + 80);
	g->entry_size = get_unaligned_le32(h + 84);
	g->entries_crc = get_unaligned_le32(h + 88);
	return g->first_usable <= g->last_usable && g->last_usable <= last_lba &&
	       g->entry_size >= 128 && g->entry_size <= 4096 && g->entry_size % 8 == 0 &&
	       g->nr_entries && g->nr_entries <= GPT_MAX_ENTRIES && g->entries_lba <= last_lba;
}

/* A GUID as text (Linux's %pUl): the first three fields little-endian. */
static void guid_str(const uint8_t *g, char *buf, size_t size)
{
	snprintf(buf, size, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 get_unaligned_le32(g), get_unaligned_le16(g + 4), get_unaligned_le16(g + 6),
		 g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static void parse_gpt_entries(struct reader *r, const struct gpt *g, const uint8_t *ents)
{
	static const uint8_t unused[16];
	unsigned int limit = MIN(g->nr_entries, BLK_MINORS - 1U);
	uint64_t per = r->lbs / SECTOR_SIZE;

	for (unsigned int i = 0; i < limit; i++) {
		const uint8_t *e = ents + (size_t)i * g->entry_size;
		uint64_t first = get_unaligned_le64(e + 32), last = get_unaligned_le64(e + 40);
		char uuid[37];

		if (!memcmp(e, unused, 16))
			continue;
		if (first > last || first < g->first_usable || last > g->last_usable) {
			pr_warn("%s: GPT entry %u out of the usable range: ignored\n",
				r->disk->name, i + 1);
			continue;
		}
		guid_str(e + 16, uuid, sizeof(uuid));	/* the unique partition GUID */
		add(r, i + 1, first * per, (last - first + 1) * per, uuid);
	}
}

static bool parse_gpt(struct reader *r)
{
	uint64_t last_lba = r->bd->nr_sectors / (r->lbs / SECTOR_SIZE) - 1;
	struct gpt g;
	size_t bytes;
	uint8_t *ents;
	bool ok;

	if (!gpt_header(r, 1, &g) && !gpt_header(r, last_lba, &g))
		return false;
	bytes = (size_t)g.nr_entries * g.entry_size;
	ents = kmalloc(bytes);
	if (!ents)
		return false;
	ok = !read_bytes(r, g.entries_lba * r->lbs, ents, bytes) &&
	     crc32(ents, bytes) == g.entries_crc;
	if (ok)
		parse_gpt_entries(r, &g, ents);
	else
		pr_warn("%s: GPT partition entries fail their CRC: ignored\n", r->disk->name);
	kfree(ents);
	return ok;
}

static bool has_pmbr(const uint8_t *mbr)
{
	for (unsigned int i = 0; i < 4; i++) {
		if (mbr_entry(mbr, i).type == TYPE_GPT_PMBR)
			return true;
	}
	return false;
}

bool blk_scan_partitions(struct blk_disk *disk)
{
	struct reader r = { disk, disk->parts[0], frame_alloc(0), disk->info.logical_block_size, 0 };
	uint8_t *mbr = kmalloc(MBR_SIZE);
	bool found = false;

	if (r.frame && mbr && disk->info.nr_sectors * SECTOR_SIZE >= 2 * PAGE_SIZE &&
	    !read_bytes(&r, 0, mbr, MBR_SIZE) && mbr_valid(mbr)) {
		/* Behind a protective MBR only the GPT counts (Linux's msdos skips it). */
		if (has_pmbr(mbr)) {
			found = parse_gpt(&r);
		} else {
			r.disksig = get_unaligned_le32(mbr + 440);
			parse_mbr(&r, mbr);
			found = true;
		}
	}
	kfree(mbr);
	frame_put(r.frame);
	return found;
}
