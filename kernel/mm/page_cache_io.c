// SPDX-License-Identifier: MPL-2.0
// The page cache's I/O: reading a missing page with readahead, and
// writing dirty pages back, in runs of consecutive pages so the file
// system can send one request per run.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include "mm/page_cache.h"
#include "mm/page_cache_internal.h"
#include "mm/vmar.h"

/* Pages of a file of `size` bytes. */
static uint64_t pages_of(uint64_t size)
{
	return (size + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* How many pages to read at a miss at index, and the window for the next. */
static unsigned int ra_size(struct page_cache *pc, uint64_t index, uint64_t size)
{
	uint64_t left = pages_of(size) - index;
	unsigned int n;

	if (index == pc->ra_next && pc->ra_window < PC_RA_MAX)
		pc->ra_window *= 2;
	else if (index != pc->ra_next)
		pc->ra_window = PC_RA_MIN;
	n = (unsigned int)MIN(MIN((uint64_t)pc->ra_window, left), (uint64_t)PAGE_CACHE_BATCH);
	return n ? n : 1;
}

/*
 * Insert busy pages for the missing run starting at index (pc->lock
 * held): the first is the one asked for, the others stop at the first
 * page already cached.  Their number.
 */
static unsigned int insert_run(struct page_cache *pc, uint64_t index, unsigned int want,
			       struct cached_page **run)
{
	unsigned int n = 0;

	while (n < want && !pc_lookup(pc, index + n)) {
		struct cached_page *pg = pc_insert(pc, index + n);

		if (!pg)
			break;
		run[n++] = pg;
	}
	return n;
}

/* A window of pages read ahead asynchronously (pc->ra_io). */
struct pc_async {
	void *io;				/* read_start's record */
	unsigned int n;
	struct cached_page *pages[PAGE_CACHE_RA_MAX];
	struct frame *frames[PAGE_CACHE_RA_MAX];	/* read_start's argument */
};

/* The pages of a failed read leave the cache (each held once by its I/O); a later read tries again. */
static void run_failed(struct page_cache *pc, struct cached_page **run, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		run[i]->users++;
	pc_io_end(pc, run, n, 0, 0);
	for (unsigned int i = 0; i < n; i++)
		pc_drop_held(pc, run[i]);
}

/*
 * Start reading pages [first, first + window) ahead (pc->lock held,
 * dropped meanwhile), up to the first page already cached.  Nothing is
 * started when the file system cannot, another window is in flight or
 * memory is short: readahead is only ever a hint.
 */
static void ra_start(struct page_cache *pc, uint64_t first, uint64_t size)
{
	struct pc_async *ra;
	uint64_t end = pages_of(size);
	unsigned int want, n;
	int err;

	if (!pc->ops->read_start || pc->ra_io || first >= end)
		return;
	ra = kzalloc(sizeof(*ra));
	if (!ra)
		return;
	/* Each window read ahead is twice the last, up to the most, as the synchronous ones. */
	if (pc->ra_window < PC_RA_MAX)
		pc->ra_window *= 2;
	want = (unsigned int)MIN((uint64_t)pc->ra_window, end - first);
	n = insert_run(pc, first, want, ra->pages);
	if (!n) {
		kfree(ra);
		return;
	}
	ra->n = n;
	for (unsigned int i = 0; i < n; i++)
		ra->frames[i] = ra->pages[i]->frame;
	pc->ra_mark = first;
	pc->ra_async_end = first + n;
	/*
	 * The pages are busy but not yet PG_ASYNC: a reader that needs one
	 * meanwhile waits for io_done like any busy page.
	 */
	mutex_unlock(&pc->lock);
	err = pc->ops->read_start(pc, first, ra->frames, n, &ra->io);
	mutex_lock(&pc->lock);
	if (err) {
		run_failed(pc, ra->pages, n);
		kfree(ra);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		atomic_set(&ra->pages[i]->state, (int32_t)(pg_state(ra->pages[i]) | PG_ASYNC));
	pc->ra_io = ra;
	wake_up_all(&pc->io_done);	/* waiters now end the I/O themselves */
}

void pc_ra_finish(struct page_cache *pc)
{
	struct pc_async *ra = pc->ra_io;
	int err;

	if (!ra)
		return;
	/* Taken: the pages are plain busy pages again until their I/O ends here. */
	pc->ra_io = NULL;
	for (unsigned int i = 0; i < ra->n; i++)
		atomic_set(&ra->pages[i]->state,
			   (int32_t)(pg_state(ra->pages[i]) & ~(unsigned int)PG_ASYNC));
	mutex_unlock(&pc->lock);
	err = pc->ops->read_end(pc, ra->io);
	mutex_lock(&pc->lock);
	if (err) {
		run_failed(pc, ra->pages, ra->n);
		printk(LOG_ERR, "page cache: readahead of page %lu failed (%d)\n",
		       ra->pages[0]->index, err);
	} else {
		pc_io_end(pc, ra->pages, ra->n, PG_UPTODATE, 0);
	}
	kfree(ra);
}

void pc_ra_reached(struct page_cache *pc, uint64_t index, uint64_t size)
{
	if (index == pc->ra_mark && pc->ra_async_end > index)
		ra_start(pc, pc->ra_async_end, size);
}

/* Read a run of inserted pages (pc->lock held, dropped during the I/O). */
static int read_run(struct page_cache *pc, struct cached_page **run, unsigned int n)
{
	struct frame *frames[PAGE_CACHE_BATCH];
	int err;

	for (unsigned int i = 0; i < n; i++)
		frames[i] = run[i]->frame;
	mutex_unlock(&pc->lock);
	err = pc->ops->read_pages(pc, run[0]->index, frames, n);
	mutex_lock(&pc->lock);
	return err;
}

int pc_get_uptodate(struct page_cache *pc, uint64_t index, uint64_t size,
		    struct cached_page **out)
{
	struct cached_page *run[PAGE_CACHE_BATCH];
	struct cached_page *pg;
	bool sequential, retried = false;
	unsigned int n;
	int err;

	mutex_lock(&pc->lock);
again:
	pg = pc_lookup(pc, index);
	if (pg) {
		pc_hold(pg);
		/*
		 * A page under writeback is up to date and usable: a fault
		 * (which holds its vmar's lock) must not wait for a writeback
		 * that waits for that lock to write-protect the page.
		 */
		if (!(pg_state(pg) & PG_UPTODATE))
			pc_wait_idle(pc, pg);
		if (pg_state(pg) & PG_UPTODATE) {
			if (index + 1 == pc->ra_next || index == pc->ra_next)
				pc->ra_next = index + 1;
			pc_ra_reached(pc, index, size);
			mutex_unlock(&pc->lock);
			*out = pg;
			return 0;
		}
		/*
		 * Its read (another reader's, or readahead) failed and the page
		 * left the cache: read it once more ourselves, as Linux does
		 * after a failed readahead, and report that read's error.
		 */
		pc_put_locked(pc, pg);
		if (!retried) {
			retried = true;
			goto again;
		}
		mutex_unlock(&pc->lock);
		return -EIO;
	}
	sequential = index == pc->ra_next;
	n = insert_run(pc, index, ra_size(pc, index, size), run);
	if (!n) {
		mutex_unlock(&pc->lock);
		return -ENOMEM;
	}
	pc->ra_next = index + n;
	run[0]->users++;	/* the caller's hold, beside the I/O's */
	err = read_run(pc, run, n);
	if (err) {
		/* Not up to date: the pages leave the cache; a later read tries again. */
		run_failed(pc, run, n);
		pc_put_locked(pc, run[0]);
		mutex_unlock(&pc->lock);
		printk(LOG_ERR, "page cache: read of page %lu failed (%d)\n", index, err);
		return err;
	}
	pc_io_end(pc, run, n, PG_UPTODATE, 0);
	/* A sequential reader: the next window goes to the disk while this one is copied. */
	if (sequential)
		ra_start(pc, index + n, size);
	mutex_unlock(&pc->lock);
	*out = run[0];
	return 0;
}

static bool writable_dirty(const struct cached_page *pg, uint64_t from, uint64_t last)
{
	return pg && (pg_state(pg) & PG_DIRTY) && !(pg_state(pg) & PG_BUSY) && pg->index >= from &&
	       pg->index <= last;
}

/*
 * The dirty, idle page with the lowest index in [from, last], or NULL
 * (pc->lock held).  A writeback mostly goes on where its last run ended,
 * so that page is tried first; a range smaller than the cache is looked
 * up index by index; else one pass over every page.
 */
static struct cached_page *first_dirty(struct page_cache *pc, uint64_t from, uint64_t last)
{
	struct cached_page *pg = pc_lookup(pc, from), *best = NULL;

	if (writable_dirty(pg, from, last))
		return pg;
	if (last - from < pc->npages) {
		for (uint64_t i = from + 1; i <= last && i > from; i++) {
			pg = pc_lookup(pc, i);
			if (writable_dirty(pg, from, last))
				return pg;
		}
		return NULL;
	}
	list_for_each_entry(pg, &pc->pages, node)
		if (writable_dirty(pg, from, last) && (!best || pg->index < best->index))
			best = pg;
	return best;
}

/*
 * Collect the next run of consecutive dirty idle pages in [first, last]
 * at or after *from (pc->lock held): they become busy and clean, each
 * held.  Their number (0: none left).
 */
static unsigned int take_dirty_run(struct page_cache *pc, uint64_t *from, uint64_t last,
				   struct cached_page **run)
{
	struct cached_page *pg, *best;
	unsigned int n = 0;

	if (!pc->ndirty)
		return 0;
	best = first_dirty(pc, *from, last);
	if (!best)
		return 0;
	for (pg = best; pg && n < PAGE_CACHE_BATCH; pg = pc_lookup(pc, pg->index + 1)) {
		if (!(pg_state(pg) & PG_DIRTY) || (pg_state(pg) & PG_BUSY) || pg->index > last)
			break;
		pc_hold(pg);
		pc_clear_dirty(pc, pg);
		atomic_set(&pg->state, (int32_t)(pg_state(pg) | PG_BUSY));
		run[n++] = pg;
		if (pg->index == UINT64_MAX)
			break;
	}
	*from = run[n - 1]->index + 1;
	return n;
}

int page_cache_writeback(struct page_cache *pc, uint64_t first, uint64_t last)
{
	struct cached_page *run[PAGE_CACHE_BATCH];
	struct frame *frames[PAGE_CACHE_BATCH];
	uint64_t from = first;
	unsigned int n;
	int err = 0;

	mutex_lock(&pc->lock);
	while (from <= last && (n = take_dirty_run(pc, &from, last, run))) {
		int e;

		for (unsigned int i = 0; i < n; i++)
			frames[i] = run[i]->frame;
		mutex_unlock(&pc->lock);
		/*
		 * Clean now, so read-only in every mapping: a store from here on
		 * faults and dirties the page again (it may reach this write or
		 * not; the next writeback has it).
		 */
		vmar_wrprotect_cache(pc, run[0]->index, run[n - 1]->index);
		e = pc->ops->write_pages(pc, run[0]->index, frames, n);
		mutex_lock(&pc->lock);
		/* As Linux: the pages stay clean, the error goes to the next fsync. */
		if (e && !pc->wb_error)
			pc->wb_error = e;
		pc_io_end(pc, run, n, 0, 0);
		if (from == 0)
			break;		/* wrapped past UINT64_MAX */
	}
	/* Pages another writeback had busy: wait for them, their errors count too. */
	err = pc->wb_error;
	pc->wb_error = 0;
	mutex_unlock(&pc->lock);
	return err;
}

int page_cache_readahead(struct page_cache *pc, uint64_t first, uint64_t last, uint64_t size)
{
	uint64_t end = pages_of(size);

	for (uint64_t index = first; index <= last && index < end; index++) {
		struct cached_page *pg;
		bool cached;
		int err;

		mutex_lock(&pc->lock);
		cached = pc_lookup(pc, index) != NULL;
		mutex_unlock(&pc->lock);
		if (cached)
			continue;
		err = pc_get_uptodate(pc, index, size, &pg);
		if (err)
			return err;
		pc_put(pc, pg);
	}
	return 0;
}
