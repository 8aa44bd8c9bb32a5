// SPDX-License-Identifier: MPL-2.0
// The page cache's I/O: reading a missing page with readahead, and
// writing dirty pages back, in runs of consecutive pages so the file
// system can send one request per run.
#include <aster/errno.h>
#include <aster/log.h>
#include "mm/page_cache.h"
#include "mm/page_cache_internal.h"

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
	n = (unsigned int)MIN((uint64_t)pc->ra_window, left);
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
	unsigned int n;
	int err;

	mutex_lock(&pc->lock);
	pg = pc_lookup(pc, index);
	if (pg) {
		pc_hold(pg);
		pc_wait_idle(pc, pg);
		if (pg_state(pg) & PG_UPTODATE) {
			if (index + 1 == pc->ra_next || index == pc->ra_next)
				pc->ra_next = index + 1;
			mutex_unlock(&pc->lock);
			*out = pg;
			return 0;
		}
		/* Another reader's read of it failed (the page left the cache). */
		pc_put_locked(pc, pg);
		mutex_unlock(&pc->lock);
		return -EIO;
	}
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
		for (unsigned int i = 0; i < n; i++)
			run[i]->users++;
		pc_io_end(pc, run, n, 0, 0);
		for (unsigned int i = 0; i < n; i++)
			pc_drop_held(pc, run[i]);
		pc_put_locked(pc, run[0]);
		mutex_unlock(&pc->lock);
		printk(LOG_ERR, "page cache: read of page %lu failed (%d)\n", index, err);
		return err;
	}
	pc_io_end(pc, run, n, PG_UPTODATE, 0);
	mutex_unlock(&pc->lock);
	*out = run[0];
	return 0;
}

/*
 * Collect the next run of consecutive dirty idle pages in [first, last]
 * at or after *from (pc->lock held): they become busy and clean, each
 * held.  Their number (0: none left).
 */
static unsigned int take_dirty_run(struct page_cache *pc, uint64_t *from, uint64_t last,
				   struct cached_page **run)
{
	struct cached_page *pg, *best = NULL;
	unsigned int n = 0;

	/* The dirty page with the lowest index at or after *from. */
	list_for_each_entry(pg, &pc->pages, node)
		if ((pg_state(pg) & PG_DIRTY) && !(pg_state(pg) & PG_BUSY) &&
		    pg->index >= *from && pg->index <= last && (!best || pg->index < best->index))
			best = pg;
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
