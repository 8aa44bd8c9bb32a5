// SPDX-License-Identifier: MPL-2.0
// The page cache (page_cache.h): a hash of cached pages per file, a global
// LRU of the clean ones for reclaim, and a list of the caches holding dirty
// pages for sync and the flusher.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/boot.h>
#include <aster/task.h>
#include <aster/timer.h>
#include "fs/file.h"
#include "mm/page_cache.h"
#include "mm/page_cache_internal.h"

#define MIN_BUCKETS	16
/* The flusher: every 5 s, caches whose oldest dirty page is 30 s old. */
#define FLUSH_INTERVAL_NS	(5 * 1000000000ULL)
#define DIRTY_EXPIRE_NS		(30 * 1000000000ULL)

/* Clean, idle pages nobody holds, oldest first (taken before a cache's lock only by trylock). */
static struct mutex lru_lock = MUTEX_INIT;
static struct list_node lru_list = LIST_INIT(lru_list);
/*
 * Caches with dirty pages.  A cache joins and leaves the list under
 * dirty_lock, taken inside its own lock when ndirty moves from or to 0.
 * The flusher pins a cache (pc->wb_pins, under dirty_lock) while it writes
 * it back without dirty_lock; page_cache_destroy waits for the pins.
 */
static struct mutex dirty_lock = MUTEX_INIT;
static struct list_node dirty_caches = LIST_INIT(dirty_caches);
static struct wait_queue unpinned = WAIT_QUEUE_INIT;
static uint64_t flush_pass;		/* under dirty_lock */
static atomic64_t total_pages, total_dirty;

void page_cache_init(struct page_cache *pc, const struct page_cache_ops *ops)
{
	memset(pc, 0, sizeof(*pc));
	pc->ops = ops;
	mutex_init(&pc->lock);
	wait_queue_init(&pc->io_done);
	list_init(&pc->pages);
	list_init(&pc->dirty_link);
	pc->ra_window = PC_RA_MIN;
}

static uint32_t bucket_of(const struct page_cache *pc, uint64_t index)
{
	return (uint32_t)((index * 0x9e3779b97f4a7c15ULL) >> 32) & (pc->nbuckets - 1);
}

struct cached_page *pc_lookup(struct page_cache *pc, uint64_t index)
{
	struct cached_page *pg;

	if (!pc->nbuckets)
		return NULL;
	for (pg = pc->buckets[bucket_of(pc, index)]; pg; pg = pg->hash_next)
		if (pg->index == index)
			return pg;
	return NULL;
}

/* Double the table when it is full; failing to grow only makes chains longer. */
static void maybe_grow(struct page_cache *pc)
{
	uint32_t n = pc->nbuckets ? pc->nbuckets * 2 : MIN_BUCKETS;
	struct cached_page **nb, **old = pc->buckets;
	uint32_t oldn = pc->nbuckets;

	if (pc->npages < pc->nbuckets)
		return;
	nb = kcalloc(n, sizeof(*nb));
	if (!nb)
		return;
	pc->buckets = nb;
	pc->nbuckets = n;
	for (uint32_t i = 0; i < oldn; i++) {
		while (old[i]) {
			struct cached_page *pg = old[i];
			uint32_t b = bucket_of(pc, pg->index);

			old[i] = pg->hash_next;
			pg->hash_next = nb[b];
			nb[b] = pg;
		}
	}
	kfree(old);
}

static void unhash(struct page_cache *pc, struct cached_page *pg)
{
	struct cached_page **pp = &pc->buckets[bucket_of(pc, pg->index)];

	while (*pp != pg)
		pp = &(*pp)->hash_next;
	*pp = pg->hash_next;
}

/* ---- the LRU (pc->lock held) ---- */

static void lru_del(struct cached_page *pg)
{
	if (!pg->on_lru)
		return;
	mutex_lock(&lru_lock);
	list_del(&pg->lru);
	pg->on_lru = false;
	mutex_unlock(&lru_lock);
}

/* A page that is clean, idle and unused may be reclaimed. */
static void lru_consider(struct cached_page *pg)
{
	if (pg->on_lru || pg->users || (pg_state(pg) & (PG_DIRTY | PG_BUSY | PG_DETACHED)) ||
	    !(pg_state(pg) & PG_UPTODATE))
		return;
	mutex_lock(&lru_lock);
	list_add_tail(&lru_list, &pg->lru);
	pg->on_lru = true;
	mutex_unlock(&lru_lock);
}

/* Take pg out of the index and the lists (pc->lock held). */
static void page_detach(struct page_cache *pc, struct cached_page *pg)
{
	lru_del(pg);
	if (pg_state(pg) & PG_DIRTY)
		pc_clear_dirty(pc, pg);
	unhash(pc, pg);
	list_del(&pg->node);
	pc->npages--;
	atomic64_add(&total_pages, -1);
	atomic_set(&pg->state, (int32_t)(pg_state(pg) | PG_DETACHED));
}

static void page_release(struct cached_page *pg)
{
	frame_put(pg->frame);
	kfree(pg);
}

/* Drop pg from the cache: now, or at its last holder's pc_put. */
static void page_drop(struct page_cache *pc, struct cached_page *pg)
{
	page_detach(pc, pg);
	if (!pg->users)
		page_release(pg);
}

/* ---- allocation ---- */

/* A new busy, not up-to-date page at index (pc->lock held), or NULL. */
struct cached_page *pc_insert(struct page_cache *pc, uint64_t index)
{
	struct cached_page *pg = kzalloc(sizeof(*pg));

	if (!pg)
		return NULL;
	/* On exhaustion this reclaims clean pages first (page_cache_reclaim_init). */
	pg->frame = frame_alloc(0);
	if (!pg->frame) {
		kfree(pg);
		return NULL;
	}
	maybe_grow(pc);
	if (!pc->nbuckets) {
		frame_put(pg->frame);
		kfree(pg);
		return NULL;
	}
	pg->index = index;
	pg->pc = pc;
	atomic_set(&pg->state, PG_BUSY);
	pg->users = 1;
	pg->hash_next = pc->buckets[bucket_of(pc, index)];
	pc->buckets[bucket_of(pc, index)] = pg;
	list_add_tail(&pc->pages, &pg->node);
	pc->npages++;
	atomic64_add(&total_pages, 1);
	return pg;
}

/* ---- using pages ---- */

static bool page_idle(void *arg)
{
	const struct cached_page *pg = arg;

	unsigned int st = pg_state(pg);

	return !(st & PG_BUSY) || (st & PG_ASYNC);
}

/* A page read ahead stays busy until a waiter ends its I/O (PG_ASYNC: it is in pc->ra_io). */
void pc_wait_idle(struct page_cache *pc, struct cached_page *pg)
{
	while (pg_state(pg) & PG_BUSY) {
		if (pg_state(pg) & PG_ASYNC) {
			pc_ra_finish(pc);
			continue;
		}
		mutex_unlock(&pc->lock);
		wait_event(&pc->io_done, page_idle, pg);
		mutex_lock(&pc->lock);
	}
}

/* Take a user's hold on pg (pc->lock held): it stays in the cache until pc_put. */
void pc_hold(struct cached_page *pg)
{
	pg->users++;
	lru_del(pg);
}

void pc_put_locked(struct page_cache *pc, struct cached_page *pg)
{
	pg->users--;
	if (!pg->users && (pg_state(pg) & PG_DETACHED)) {
		page_release(pg);
		return;
	}
	lru_consider(pg);
}

void pc_drop_held(struct page_cache *pc, struct cached_page *pg)
{
	if (!(pg_state(pg) & PG_DETACHED))
		page_detach(pc, pg);
	pc_put_locked(pc, pg);
}

void pc_put(struct page_cache *pc, struct cached_page *pg)
{
	mutex_lock(&pc->lock);
	pc_put_locked(pc, pg);
	mutex_unlock(&pc->lock);
}

/* End I/O on busy pages (pc->lock held): set or clear the given state bits. */
void pc_io_end(struct page_cache *pc, struct cached_page **pages, unsigned int n,
	       unsigned int set, unsigned int clear)
{
	for (unsigned int i = 0; i < n; i++) {
		struct cached_page *pg = pages[i];

		unsigned int st = pg_state(pg);

		if ((set & PG_DIRTY) && !(st & PG_DIRTY))
			pc_set_dirty(pc, pg);
		if ((clear & PG_DIRTY) && (st & PG_DIRTY))
			pc_clear_dirty(pc, pg);
		st = pg_state(pg);
		atomic_set(&pg->state, (int32_t)((st | (set & ~PG_DIRTY)) &
						 ~((clear & ~PG_DIRTY) | PG_BUSY)));
		pc_put_locked(pc, pg);
	}
	wake_up_all(&pc->io_done);
}

void pc_set_dirty(struct page_cache *pc, struct cached_page *pg)
{
	if (pg_state(pg) & PG_DIRTY)
		return;
	atomic_set(&pg->state, (int32_t)(pg_state(pg) | PG_DIRTY));
	lru_del(pg);
	atomic64_add(&total_dirty, 1);
	if (pc->ndirty++)
		return;
	mutex_lock(&dirty_lock);
	if (!pc->on_dirty_list) {
		list_add_tail(&dirty_caches, &pc->dirty_link);
		pc->on_dirty_list = true;
		pc->dirtied_ns = clock_monotonic_ns();
	}
	mutex_unlock(&dirty_lock);
}

void pc_clear_dirty(struct page_cache *pc, struct cached_page *pg)
{
	atomic_set(&pg->state, (int32_t)(pg_state(pg) & ~PG_DIRTY));
	atomic64_add(&total_dirty, -1);
	if (--pc->ndirty)
		return;
	mutex_lock(&dirty_lock);
	if (pc->on_dirty_list) {
		list_del(&pc->dirty_link);
		pc->on_dirty_list = false;
	}
	mutex_unlock(&dirty_lock);
}

void page_cache_mark_dirty(struct page_cache *pc, uint64_t index)
{
	struct cached_page *pg;

	mutex_lock(&pc->lock);
	pg = pc_lookup(pc, index);
	if (pg && (pg_state(pg) & PG_UPTODATE))
		pc_set_dirty(pc, pg);
	mutex_unlock(&pc->lock);
}

int page_cache_get_page(struct page_cache *pc, uint64_t index, uint64_t size,
			struct frame **out)
{
	struct cached_page *pg;
	int err;

	if (index >= (size + PAGE_SIZE - 1) / PAGE_SIZE)
		return -ENXIO;
	err = pc_get_uptodate(pc, index, size, &pg);
	if (err)
		return err;
	frame_get(pg->frame);
	*out = pg->frame;
	pc_put(pc, pg);
	return 0;
}

/* Pages a warm read holds at once: one lock round trip for the lot. */
#define READ_BATCH	16

/*
 * Hold the up-to-date pages from index on, up to n of them, as long as
 * they are cached (pc->lock taken here): how many.  A sequential reader
 * moves the readahead mark along, as pc_get_uptodate does.
 */
static unsigned int hold_cached_run(struct page_cache *pc, uint64_t index, unsigned int n,
				    uint64_t size, struct cached_page **run)
{
	unsigned int got = 0;

	mutex_lock(&pc->lock);
	for (; got < n; got++, index++) {
		struct cached_page *pg = pc_lookup(pc, index);

		if (!pg || !(pg_state(pg) & PG_UPTODATE))
			break;
		pc_hold(pg);
		if (index + 1 == pc->ra_next || index == pc->ra_next)
			pc->ra_next = index + 1;
		pc_ra_reached(pc, index, size);
		run[got] = pg;
	}
	mutex_unlock(&pc->lock);
	return got;
}

static void put_run(struct page_cache *pc, struct cached_page **run, unsigned int n)
{
	mutex_lock(&pc->lock);
	for (unsigned int i = 0; i < n; i++)
		pc_put_locked(pc, run[i]);
	mutex_unlock(&pc->lock);
}

ssize_t page_cache_read(struct page_cache *pc, struct iobuf *buf, uint64_t pos, size_t len,
			uint64_t size)
{
	struct cached_page *run[READ_BATCH];
	size_t done = 0;

	if (pos >= size)
		return 0;
	len = (size_t)MIN((uint64_t)len, size - pos);
	while (done < len) {
		uint64_t index = (pos + done) / PAGE_SIZE;
		uint64_t last = (pos + len - 1) / PAGE_SIZE;
		unsigned int n = hold_cached_run(pc, index, (unsigned int)MIN(last - index + 1,
									(uint64_t)READ_BATCH), size, run);
		int err = 0;

		/* A miss: read it (and what follows) the slow way. */
		if (!n) {
			err = pc_get_uptodate(pc, index, size, &run[0]);
			if (err)
				return done ? (ssize_t)done : err;
			n = 1;
		}
		/* Copied with only holds: a fault on this file may take pc->lock. */
		for (unsigned int i = 0; i < n && !err; i++) {
			size_t off = (pos + done) % PAGE_SIZE;
			size_t chunk = MIN(PAGE_SIZE - off, len - done);

			err = iobuf_write_frame(buf, done, run[i]->frame, off, chunk);
			if (!err)
				done += chunk;
		}
		put_run(pc, run, n);
		if (err)
			return done ? (ssize_t)done : err;
	}
	return (ssize_t)done;
}

/* The page at index, held, for writing [off, off + n): read first only if old data stays. */
static int get_for_write(struct page_cache *pc, uint64_t index, size_t off, size_t n,
			 uint64_t size, struct cached_page **out)
{
	uint64_t start = index * PAGE_SIZE;
	/* Nothing of the old data survives in the page: no need to read it. */
	bool fresh = start >= size || (off == 0 && (n == PAGE_SIZE || start + n >= size));
	struct cached_page *pg;

	if (!fresh)
		return pc_get_uptodate(pc, index, size, out);
	/* Entirely past the old end: a zeroed page, nothing to read. */
	mutex_lock(&pc->lock);
	pg = pc_lookup(pc, index);
	if (pg) {
		pc_hold(pg);
		pc_wait_idle(pc, pg);
		if (pg_state(pg) & PG_UPTODATE) {
			mutex_unlock(&pc->lock);
			*out = pg;
			return 0;
		}
		pc_put_locked(pc, pg);
		mutex_unlock(&pc->lock);
		return pc_get_uptodate(pc, index, size, out);
	}
	pg = pc_insert(pc, index);
	if (!pg) {
		mutex_unlock(&pc->lock);
		return -ENOMEM;
	}
	frame_fill(pg->frame, 0, 0, PAGE_SIZE);
	pg->users++;		/* the caller's, beside the busy state's */
	pc_io_end(pc, &pg, 1, PG_UPTODATE, 0);
	mutex_unlock(&pc->lock);
	*out = pg;
	return 0;
}

ssize_t page_cache_write(struct page_cache *pc, struct iobuf *buf, uint64_t pos, size_t len,
			 uint64_t size)
{
	size_t done = 0;

	while (done < len) {
		uint64_t index = (pos + done) / PAGE_SIZE;
		size_t off = (pos + done) % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - off, len - done);
		struct cached_page *pg;
		int err = get_for_write(pc, index, off, n, size, &pg);

		if (!err) {
			err = iobuf_read_frame(buf, done, pg->frame, off, n);
			mutex_lock(&pc->lock);
			if (!err && !(pg_state(pg) & PG_DETACHED))
				pc_set_dirty(pc, pg);
			pc_put_locked(pc, pg);
			mutex_unlock(&pc->lock);
		}
		if (err)
			return done ? (ssize_t)done : err;
		done += n;
		if (pos + done > size)
			size = pos + done;
	}
	return (ssize_t)done;
}

int page_cache_truncate(struct page_cache *pc, uint64_t new_size)
{
	uint64_t keep = (new_size + PAGE_SIZE - 1) / PAGE_SIZE;
	struct cached_page *pg, *tmp;
	bool again = true;

	mutex_lock(&pc->lock);
	while (again) {
		again = false;
		list_for_each_entry_safe(pg, tmp, &pc->pages, node) {
			if (pg->index < keep)
				continue;
			if (pg_state(pg) & PG_BUSY) {
				/* Let its I/O finish, then look again: the list may have changed. */
				pc_hold(pg);
				pc_wait_idle(pc, pg);
				pc_put_locked(pc, pg);
				again = true;
				break;
			}
			page_drop(pc, pg);
		}
	}
	pg = new_size % PAGE_SIZE ? pc_lookup(pc, new_size / PAGE_SIZE) : NULL;
	if (pg && (pg_state(pg) & PG_UPTODATE))
		frame_fill(pg->frame, new_size % PAGE_SIZE, 0, PAGE_SIZE - new_size % PAGE_SIZE);
	mutex_unlock(&pc->lock);
	return 0;
}

bool page_cache_resident(struct page_cache *pc, uint64_t index)
{
	struct cached_page *pg;
	bool r;

	mutex_lock(&pc->lock);
	pg = pc_lookup(pc, index);
	r = pg && (pg_state(pg) & PG_UPTODATE);
	mutex_unlock(&pc->lock);
	return r;
}

int page_cache_invalidate(struct page_cache *pc, uint64_t first, uint64_t last)
{
	struct cached_page *pg, *tmp;
	int dropped = 0;

	mutex_lock(&pc->lock);
	list_for_each_entry_safe(pg, tmp, &pc->pages, node) {
		/* Mapped in user space: more frame references than the cache's. */
		if (pg->index < first || pg->index > last || pg->users ||
		    frame_refcount(pg->frame) != 1 || (pg_state(pg) & (PG_DIRTY | PG_BUSY)))
			continue;
		page_drop(pc, pg);
		dropped++;
	}
	mutex_unlock(&pc->lock);
	return dropped;
}

static bool no_pins(void *arg)
{
	const struct page_cache *pc = arg;

	return !atomic_read(&pc->wb_pins);
}

void page_cache_destroy(struct page_cache *pc)
{
	struct cached_page *pg, *tmp;

	mutex_lock(&dirty_lock);
	if (pc->on_dirty_list) {
		list_del(&pc->dirty_link);
		pc->on_dirty_list = false;
	}
	while (atomic_read(&pc->wb_pins)) {
		mutex_unlock(&dirty_lock);
		wait_event(&unpinned, no_pins, pc);
		mutex_lock(&dirty_lock);
	}
	mutex_unlock(&dirty_lock);
	mutex_lock(&pc->lock);
	/* First the window read ahead: ending it may take pages out of the list. */
	if (pc->ra_io)
		pc_ra_finish(pc);
	list_for_each_entry_safe(pg, tmp, &pc->pages, node) {
		pc_hold(pg);
		pc_wait_idle(pc, pg);
		pg->users--;
		page_drop(pc, pg);
	}
	/* The dirty pages dropped above may have put it back on the list. */
	mutex_lock(&dirty_lock);
	if (pc->on_dirty_list) {
		list_del(&pc->dirty_link);
		pc->on_dirty_list = false;
	}
	mutex_unlock(&dirty_lock);
	kfree(pc->buckets);
	pc->buckets = NULL;
	pc->nbuckets = 0;
	mutex_unlock(&pc->lock);
}

uint64_t page_cache_pages(const struct page_cache *pc)
{
	return pc->npages;
}

uint64_t page_cache_dirty_pages(const struct page_cache *pc)
{
	return pc->ndirty;
}

uint64_t page_cache_total_pages(void)
{
	return (uint64_t)atomic64_read(&total_pages);
}

uint64_t page_cache_total_dirty(void)
{
	return (uint64_t)atomic64_read(&total_dirty);
}

size_t page_cache_reclaim(size_t want)
{
	struct cached_page *pg, *tmp;
	size_t freed = 0;

	mutex_lock(&lru_lock);
	list_for_each_entry_safe(pg, tmp, &lru_list, lru) {
		struct page_cache *pc = pg->pc;

		if (freed >= want)
			break;
		/* The LRU lock comes after a cache's: only try, never wait. */
		if (!mutex_trylock(&pc->lock))
			continue;
		/* A frame mapped in user space has more references than the cache's. */
		if (!pg->users && frame_refcount(pg->frame) == 1 &&
		    !(pg_state(pg) & (PG_DIRTY | PG_BUSY))) {
			list_del(&pg->lru);
			pg->on_lru = false;
			mutex_unlock(&lru_lock);
			page_drop(pc, pg);
			mutex_unlock(&pc->lock);
			freed++;
			/* The list may have changed while it was unlocked: start over. */
			mutex_lock(&lru_lock);
			tmp = list_entry(lru_list.next, struct cached_page, lru);
			continue;
		}
		mutex_unlock(&pc->lock);
	}
	mutex_unlock(&lru_lock);
	return freed;
}

/* The next cache of this pass dirtied before `before` ns (all if 0), or NULL (dirty_lock held). */
static struct page_cache *next_dirty(uint64_t pass, uint64_t before)
{
	struct page_cache *pc;

	list_for_each_entry(pc, &dirty_caches, dirty_link)
		if (pc->flush_pass != pass && (!before || pc->dirtied_ns < before))
			return pc;
	return NULL;
}

/*
 * Write back the caches on the dirty list, each once per pass: one that
 * is written to all along is not written back forever.  Each is pinned
 * while dirty_lock is dropped for its writeback.
 */
int pc_flush_dirty(uint64_t before)
{
	struct page_cache *pc;
	uint64_t pass;
	int first = 0;

	mutex_lock(&dirty_lock);
	pass = ++flush_pass;
	while ((pc = next_dirty(pass, before))) {
		int err;

		pc->flush_pass = pass;
		atomic_inc(&pc->wb_pins);
		mutex_unlock(&dirty_lock);
		err = page_cache_writeback(pc, 0, UINT64_MAX);
		if (err && !first)
			first = err;
		mutex_lock(&dirty_lock);
		atomic_dec(&pc->wb_pins);
		wake_up_all(&unpinned);
	}
	mutex_unlock(&dirty_lock);
	return first;
}

int page_cache_sync_all(void)
{
	return pc_flush_dirty(0);
}

static void flusher_main(void *arg)
{
	for (;;) {
		uint64_t now;

		task_sleep_ns(FLUSH_INTERVAL_NS);
		now = clock_monotonic_ns();
		if (now > DIRTY_EXPIRE_NS)
			pc_flush_dirty(now - DIRTY_EXPIRE_NS);
	}
}

/*
 * Any allocation that may sleep reclaims clean pages before failing.  The
 * callback only waits for lru_lock, which nobody holds while allocating.
 */
static int page_cache_reclaim_init(void)
{
	frame_set_reclaim(page_cache_reclaim);
	return 0;
}
KERNEL_INIT(page_cache_reclaim_init);

static int page_cache_flusher_init(void)
{
	return task_create("flush", flusher_main, NULL) ? 0 : -ENOMEM;
}
KERNEL_INIT(page_cache_flusher_init);
