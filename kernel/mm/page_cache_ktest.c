// SPDX-License-Identifier: MPL-2.0
// ktests of the page cache against a fake disk in memory that counts its
// requests and can be told to fail.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/task.h>
#include "fs/file.h"
#include "mm/page_cache.h"
#include "mm/page_cache_internal.h"

#define DISK_PAGES	64

struct fake_file {
	struct page_cache pc;
	uint8_t *disk;			/* DISK_PAGES pages */
	unsigned int reads, writes;	/* read_pages / write_pages calls */
	unsigned int pages_read, pages_written;
	int fail;			/* the next calls' result */
	unsigned int starts, ends;	/* read_start / read_end calls */
	int fail_end;			/* the next read_end calls' result */
};

static struct fake_file *fake_of(struct page_cache *pc)
{
	return container_of(pc, struct fake_file, pc);
}

static int fake_read(struct page_cache *pc, uint64_t index, struct frame **frames, unsigned int n)
{
	struct fake_file *ff = fake_of(pc);

	ff->reads++;
	if (ff->fail)
		return ff->fail;
	for (unsigned int i = 0; i < n; i++) {
		if (index + i >= DISK_PAGES)
			return -EIO;
		frame_write(frames[i], 0, ff->disk + (index + i) * PAGE_SIZE, PAGE_SIZE);
	}
	ff->pages_read += n;
	return 0;
}

static int fake_write(struct page_cache *pc, uint64_t index, struct frame **frames,
		      unsigned int n)
{
	struct fake_file *ff = fake_of(pc);

	ff->writes++;
	if (ff->fail)
		return ff->fail;
	for (unsigned int i = 0; i < n; i++) {
		if (index + i >= DISK_PAGES)
			return -EIO;
		frame_read(frames[i], 0, ff->disk + (index + i) * PAGE_SIZE, PAGE_SIZE);
	}
	ff->pages_written += n;
	return 0;
}

static const struct page_cache_ops fake_ops = { .read_pages = fake_read,
						.write_pages = fake_write };

/*
 * The asynchronous halves: read_start only records the request, the data
 * "arrives" in read_end, so a page read ahead is visible only once
 * someone ended its I/O.
 */
struct fake_io {
	uint64_t index;
	unsigned int n;
	struct frame *frames[PAGE_CACHE_RA_MAX];
};

static int fake_read_start(struct page_cache *pc, uint64_t index, struct frame **frames,
			   unsigned int n, void **io)
{
	struct fake_file *ff = fake_of(pc);
	struct fake_io *fi = kzalloc(sizeof(*fi));

	if (!fi)
		return -ENOMEM;
	ff->starts++;
	fi->index = index;
	fi->n = n;
	for (unsigned int i = 0; i < n; i++)
		fi->frames[i] = frames[i];
	*io = fi;
	return 0;
}

static int fake_read_end(struct page_cache *pc, void *io)
{
	struct fake_file *ff = fake_of(pc);
	struct fake_io *fi = io;
	int err = ff->fail_end;

	ff->ends++;
	if (!err)
		err = fake_read(pc, fi->index, fi->frames, fi->n);
	kfree(fi);
	return err;
}

static const struct page_cache_ops fake_async_ops = {
	.read_pages = fake_read, .write_pages = fake_write,
	.read_start = fake_read_start, .read_end = fake_read_end,
};

static struct fake_file *fake_new_ops(const struct page_cache_ops *ops)
{
	struct fake_file *ff = kzalloc(sizeof(*ff));

	if (!ff)
		return NULL;
	ff->disk = kmalloc(DISK_PAGES * PAGE_SIZE);
	if (!ff->disk) {
		kfree(ff);
		return NULL;
	}
	for (size_t i = 0; i < DISK_PAGES * PAGE_SIZE; i++)
		ff->disk[i] = (uint8_t)(i / PAGE_SIZE + i * 7);
	page_cache_init(&ff->pc, ops);
	return ff;
}

static struct fake_file *fake_new(void)
{
	return fake_new_ops(&fake_ops);
}

static void fake_free(struct fake_file *ff)
{
	page_cache_destroy(&ff->pc);
	kfree(ff->disk);
	kfree(ff);
}

#define FILE_SIZE	(DISK_PAGES * PAGE_SIZE)

KTEST(page_cache_read_and_readahead)
{
	struct fake_file *ff = fake_new();
	uint8_t *buf = kmalloc(PAGE_SIZE);
	struct iobuf b;

	KT_ASSERT(ff && buf);
	/* Sixteen sequential pages: the window grows 4, 8, 16, so few requests. */
	for (uint64_t i = 0; i < 16; i++) {
		b = iobuf_kernel(buf, PAGE_SIZE);
		KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, i * PAGE_SIZE, PAGE_SIZE, FILE_SIZE),
			     PAGE_SIZE);
		KT_ASSERT(memcmp(buf, ff->disk + i * PAGE_SIZE, PAGE_SIZE) == 0);
	}
	KT_ASSERT(ff->reads <= 4);
	KT_ASSERT_EQ(ff->pages_read, page_cache_pages(&ff->pc));
	/* Cached now: reading again asks the disk for nothing. */
	ff->reads = 0;
	b = iobuf_kernel(buf, 100);
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 5 * PAGE_SIZE + 10, 100, FILE_SIZE), 100);
	KT_ASSERT(memcmp(buf, ff->disk + 5 * PAGE_SIZE + 10, 100) == 0);
	KT_ASSERT_EQ(ff->reads, 0);
	/* Past the end of the file: nothing; up to it: clipped. */
	b = iobuf_kernel(buf, 100);
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, FILE_SIZE, 100, FILE_SIZE), 0);
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 1000, 100, 1050), 50);
	kfree(buf);
	fake_free(ff);
}

static int read_page(struct fake_file *ff, uint8_t *buf, uint64_t i)
{
	struct iobuf b = iobuf_kernel(buf, PAGE_SIZE);
	ssize_t n = page_cache_read(&ff->pc, &b, i * PAGE_SIZE, PAGE_SIZE, FILE_SIZE);

	if (n != PAGE_SIZE)
		return n < 0 ? (int)n : -EIO;
	return memcmp(buf, ff->disk + i * PAGE_SIZE, PAGE_SIZE) == 0 ? 0 : -EINVAL;
}

KTEST(page_cache_async_readahead)
{
	struct fake_file *ff = fake_new_ops(&fake_async_ops);
	uint8_t *buf = kmalloc(PAGE_SIZE);

	KT_ASSERT(ff && buf);
	/* A sequential reader sees every page right, with windows read ahead. */
	for (uint64_t i = 0; i < DISK_PAGES; i++)
		KT_ASSERT_EQ(read_page(ff, buf, i), 0);
	KT_ASSERT(ff->starts >= 2);
	KT_ASSERT_EQ(ff->ends, ff->starts);
	KT_ASSERT_EQ(ff->pages_read, DISK_PAGES);
	KT_ASSERT_EQ(page_cache_pages(&ff->pc), DISK_PAGES);
	fake_free(ff);

	/* A window left in flight is ended by destroy. */
	ff = fake_new_ops(&fake_async_ops);
	KT_ASSERT(ff);
	KT_ASSERT_EQ(read_page(ff, buf, 0), 0);
	KT_ASSERT_EQ(ff->starts, 1);
	KT_ASSERT_EQ(ff->ends, 0);
	fake_free(ff);

	/* ...and by a truncate that cuts into it. */
	ff = fake_new_ops(&fake_async_ops);
	KT_ASSERT(ff);
	KT_ASSERT_EQ(read_page(ff, buf, 0), 0);
	KT_ASSERT_EQ(page_cache_truncate(&ff->pc, PAGE_SIZE), 0);
	KT_ASSERT_EQ(ff->ends, ff->starts);
	KT_ASSERT_EQ(page_cache_pages(&ff->pc), 1);
	fake_free(ff);

	/* A failed readahead: its pages leave, the reader reads them itself. */
	ff = fake_new_ops(&fake_async_ops);
	KT_ASSERT(ff);
	KT_ASSERT_EQ(read_page(ff, buf, 0), 0);
	KT_ASSERT_EQ(ff->starts, 1);
	ff->fail_end = -EIO;
	for (uint64_t i = 1; i < 16; i++)
		KT_ASSERT_EQ(read_page(ff, buf, i), 0);
	KT_ASSERT(ff->ends >= 1);
	/* A disk that fails everything: EIO, not stale data. */
	ff->fail = -EIO;
	{
		struct iobuf b = iobuf_kernel(buf, PAGE_SIZE);

		KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 40 * PAGE_SIZE, PAGE_SIZE, FILE_SIZE),
			     -EIO);
	}
	ff->fail = 0;
	ff->fail_end = 0;
	KT_ASSERT_EQ(read_page(ff, buf, 40), 0);
	kfree(buf);
	fake_free(ff);
}

KTEST(page_cache_write_back)
{
	struct fake_file *ff = fake_new();
	uint8_t data[300];
	struct iobuf b;

	KT_ASSERT(ff);
	memset(data, 0xab, sizeof(data));
	b = iobuf_kernel(data, sizeof(data));
	/* A write across a page boundary reads both pages first (partial pages). */
	KT_ASSERT_EQ(page_cache_write(&ff->pc, &b, 2 * PAGE_SIZE - 100, sizeof(data), FILE_SIZE),
		     sizeof(data));
	KT_ASSERT_EQ(page_cache_dirty_pages(&ff->pc), 2);
	KT_ASSERT(ff->disk[2 * PAGE_SIZE - 100] != 0xab);
	KT_ASSERT_EQ(page_cache_writeback(&ff->pc, 0, UINT64_MAX), 0);
	KT_ASSERT_EQ(page_cache_dirty_pages(&ff->pc), 0);
	KT_ASSERT_EQ(ff->writes, 1);	/* two adjacent pages: one request */
	KT_ASSERT_EQ(ff->disk[2 * PAGE_SIZE - 100], 0xab);
	KT_ASSERT_EQ(ff->disk[2 * PAGE_SIZE + 199], 0xab);
	KT_ASSERT(ff->disk[2 * PAGE_SIZE + 200] != 0xab);
	/* Nothing dirty: nothing written. */
	KT_ASSERT_EQ(page_cache_writeback(&ff->pc, 0, UINT64_MAX), 0);
	KT_ASSERT_EQ(ff->writes, 1);
	fake_free(ff);
}

KTEST(page_cache_write_past_end_reads_nothing)
{
	struct fake_file *ff = fake_new();
	uint8_t data[10] = "0123456789";
	uint8_t back[PAGE_SIZE / 4];
	struct iobuf b = iobuf_kernel(data, sizeof(data));

	KT_ASSERT(ff);
	/* A file of one page grows by a write into its fourth page. */
	KT_ASSERT_EQ(page_cache_write(&ff->pc, &b, 3 * PAGE_SIZE + 5, 10, PAGE_SIZE), 10);
	KT_ASSERT_EQ(ff->reads, 0);
	b = iobuf_kernel(back, sizeof(back));
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 3 * PAGE_SIZE, sizeof(back),
				     3 * PAGE_SIZE + 15), 15);
	KT_ASSERT_EQ(back[0], 0);
	KT_ASSERT(memcmp(back + 5, "0123456789", 10) == 0);
	page_cache_truncate(&ff->pc, 0);
	fake_free(ff);
}

KTEST(page_cache_truncate_drops_and_zeroes)
{
	struct fake_file *ff = fake_new();
	uint8_t buf[64];
	struct iobuf b = iobuf_kernel(buf, sizeof(buf));

	KT_ASSERT(ff);
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 0, sizeof(buf), FILE_SIZE), sizeof(buf));
	KT_ASSERT(page_cache_pages(&ff->pc) >= 4);
	KT_ASSERT_EQ(page_cache_truncate(&ff->pc, 100), 0);
	KT_ASSERT_EQ(page_cache_pages(&ff->pc), 1);
	/* The tail of the kept page reads as zeros (the file regrows with a hole). */
	b = iobuf_kernel(buf, sizeof(buf));
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 100, sizeof(buf), PAGE_SIZE), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		KT_ASSERT_EQ(buf[i], 0);
	fake_free(ff);
}

KTEST(page_cache_read_error_is_not_cached)
{
	struct fake_file *ff = fake_new();
	uint8_t buf[16];
	struct iobuf b = iobuf_kernel(buf, sizeof(buf));

	KT_ASSERT(ff);
	ff->fail = -EIO;
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 0, sizeof(buf), FILE_SIZE), -EIO);
	KT_ASSERT_EQ(page_cache_pages(&ff->pc), 0);
	ff->fail = 0;
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 0, sizeof(buf), FILE_SIZE), sizeof(buf));
	KT_ASSERT(memcmp(buf, ff->disk, sizeof(buf)) == 0);
	fake_free(ff);
}

KTEST(page_cache_write_error_reported_once)
{
	struct fake_file *ff = fake_new();
	uint8_t data[8] = "abcdefg";
	struct iobuf b = iobuf_kernel(data, sizeof(data));

	KT_ASSERT(ff);
	KT_ASSERT_EQ(page_cache_write(&ff->pc, &b, 0, sizeof(data), FILE_SIZE), sizeof(data));
	ff->fail = -EIO;
	KT_ASSERT_EQ(page_cache_writeback(&ff->pc, 0, UINT64_MAX), -EIO);
	ff->fail = 0;
	KT_ASSERT_EQ(page_cache_writeback(&ff->pc, 0, UINT64_MAX), 0);
	fake_free(ff);
}

KTEST(page_cache_mmap_page_and_sync_all)
{
	struct fake_file *ff = fake_new();
	struct frame *f;

	KT_ASSERT(ff);
	KT_ASSERT_EQ(page_cache_get_page(&ff->pc, 7, FILE_SIZE, &f), 0);
	KT_ASSERT_EQ(page_cache_get_page(&ff->pc, DISK_PAGES, FILE_SIZE, &f), -ENXIO);
	/* A store through a shared mapping, then the fault's mark_dirty. */
	frame_write(f, 0, "mapped", 6);
	page_cache_mark_dirty(&ff->pc, 7);
	KT_ASSERT_EQ(page_cache_dirty_pages(&ff->pc), 1);
	KT_ASSERT(page_cache_total_dirty() >= 1);
	KT_ASSERT_EQ(page_cache_sync_all(), 0);
	KT_ASSERT_EQ(page_cache_dirty_pages(&ff->pc), 0);
	KT_ASSERT(memcmp(ff->disk + 7 * PAGE_SIZE, "mapped", 6) == 0);
	/* Mapped (an extra frame reference): reclaim leaves it alone. */
	page_cache_reclaim(DISK_PAGES);
	KT_ASSERT_EQ(page_cache_pages(&ff->pc), 1);
	frame_put(f);
	fake_free(ff);
}

KTEST(page_cache_reclaim_clean_only)
{
	struct fake_file *ff = fake_new();
	uint8_t buf[8];
	struct iobuf b = iobuf_kernel(buf, sizeof(buf));
	uint64_t before;

	KT_ASSERT(ff);
	KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, 0, sizeof(buf), FILE_SIZE), sizeof(buf));
	b = iobuf_kernel(buf, sizeof(buf));
	KT_ASSERT_EQ(page_cache_write(&ff->pc, &b, 20 * PAGE_SIZE, sizeof(buf), FILE_SIZE),
		     sizeof(buf));
	before = page_cache_pages(&ff->pc);
	KT_ASSERT(before >= 2);
	page_cache_reclaim(1000);
	/* Only the dirty page stays; it is still there to write back. */
	KT_ASSERT_EQ(page_cache_pages(&ff->pc), 1);
	KT_ASSERT_EQ(page_cache_writeback(&ff->pc, 0, UINT64_MAX), 0);
	KT_ASSERT_EQ(ff->disk[20 * PAGE_SIZE], buf[0]);
	fake_free(ff);
}

/* Every free frame, taken as the largest segments that fit (few: buddy blocks). */
#define HOG_MAX		1024
static struct segment *hogged[HOG_MAX];

static void hog_all(void)
{
	size_t n = 65536, k = 0;

	while (n && frames_free() && k < HOG_MAX) {
		while (n > 1 && n > frames_free())
			n /= 2;
		hogged[k] = segment_alloc(n, 0);
		if (hogged[k])
			k++;
		else
			n /= 2;
	}
}

static void release_all(void)
{
	for (size_t k = 0; k < HOG_MAX; k++) {
		segment_put(hogged[k]);
		hogged[k] = NULL;
	}
}

KTEST(page_cache_reclaimed_when_memory_runs_out)
{
	struct fake_file *ff = fake_new();
	uint8_t *buf = kmalloc(PAGE_SIZE);
	struct frame *f;
	uint64_t cached;

	KT_ASSERT(ff && buf);
	for (uint64_t i = 0; i < DISK_PAGES; i++) {
		struct iobuf b = iobuf_kernel(buf, PAGE_SIZE);

		KT_ASSERT_EQ(page_cache_read(&ff->pc, &b, i * PAGE_SIZE, PAGE_SIZE, FILE_SIZE),
			     PAGE_SIZE);
	}
	kfree(buf);
	KT_ASSERT_EQ(page_cache_pages(&ff->pc), DISK_PAGES);
	/* Fill the rest of memory atomically: nothing may be reclaimed there. */
	cached = page_cache_total_pages();
	preempt_disable();
	hog_all();
	KT_EXPECT(frames_free() == 0);
	KT_EXPECT(frame_alloc(0) == NULL);
	preempt_enable();
	KT_EXPECT(page_cache_total_pages() == cached);
	KT_EXPECT(page_cache_pages(&ff->pc) == DISK_PAGES);
	/* An ordinary allocation now succeeds by dropping clean cached pages. */
	f = frame_alloc(FRAME_ZERO);
	KT_EXPECT(f != NULL);
	KT_EXPECT(page_cache_total_pages() < cached);
	frame_put(f);
	release_all();
	fake_free(ff);
}
