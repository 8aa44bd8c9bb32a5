/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The page cache's insides, shared by page_cache.c (the index, the LRU,
 * the dirty list), page_cache_io.c (reading, readahead, writeback) and the
 * ktests.  Private to kernel/mm/.
 */
#ifndef KERNEL_MM_PAGE_CACHE_INTERNAL_H
#define KERNEL_MM_PAGE_CACHE_INTERNAL_H
#include <aster/sync.h>
#include "mm/page_cache.h"

/* Readahead window, in pages: the first miss reads this many... */
#define PC_RA_MIN	4
/*
 * ...and each sequential miss or window read ahead doubles it up to this.
 * A synchronous read takes at most PAGE_CACHE_BATCH pages of the window;
 * an asynchronous one takes all of it.
 */
#define PC_RA_MAX	PAGE_CACHE_RA_MAX

/* A page's state bits (pg->state; changed under pc->lock, read anywhere). */
#define PG_UPTODATE	0x1	/* holds the file's data */
#define PG_DIRTY	0x2	/* newer than the disk */
#define PG_BUSY		0x4	/* under I/O: others wait on pc->io_done */
#define PG_DETACHED	0x8	/* truncated away while held: freed at the last put */
#define PG_ASYNC	0x10	/* busy in pc->ra_io: a waiter ends that I/O itself */

struct cached_page {
	uint64_t index;
	struct frame *frame;		/* the cache's reference */
	struct page_cache *pc;
	struct cached_page *hash_next;
	struct list_node node;		/* in pc->pages */
	struct list_node lru;		/* in the LRU while on_lru */
	bool on_lru;
	atomic_t state;
	uint32_t users;			/* holds between a lookup and pc_put */
};

static inline unsigned int pg_state(const struct cached_page *pg)
{
	return (unsigned int)atomic_read(&pg->state);
}

/* Lookup and insertion (pc->lock held). */
struct cached_page *pc_lookup(struct page_cache *pc, uint64_t index);
/* A new page at index, busy, not up to date, with one hold; NULL without memory. */
struct cached_page *pc_insert(struct page_cache *pc, uint64_t index);
void pc_hold(struct cached_page *pg);
/* Wait until pg is not busy; drops and retakes pc->lock (pg must be held). */
void pc_wait_idle(struct page_cache *pc, struct cached_page *pg);
/* Drop a hold (takes pc->lock). */
void pc_put(struct page_cache *pc, struct cached_page *pg);
/* Drop a hold with pc->lock held. */
void pc_put_locked(struct page_cache *pc, struct cached_page *pg);
/* End I/O on n busy pages (pc->lock held): set and clear state bits, drop their holds. */
void pc_io_end(struct page_cache *pc, struct cached_page **pages, unsigned int n,
	       unsigned int set, unsigned int clear);
/* Take a held page out of the cache and drop the hold (pc->lock held). */
void pc_drop_held(struct page_cache *pc, struct cached_page *pg);
void pc_set_dirty(struct page_cache *pc, struct cached_page *pg);
/* A page stopped being dirty (pc->lock held); the cache may leave the dirty list. */
void pc_clear_dirty(struct page_cache *pc, struct cached_page *pg);

/* page_cache_io.c: the up-to-date page at index, held (read and readahead). */
int pc_get_uptodate(struct page_cache *pc, uint64_t index, uint64_t size,
		    struct cached_page **out);
/* A reader holds page index of a file of size bytes (pc->lock held): maybe read the next window ahead. */
void pc_ra_reached(struct page_cache *pc, uint64_t index, uint64_t size);
/* Wait for the window in flight and end its pages' I/O (pc->lock held, dropped meanwhile). */
void pc_ra_finish(struct page_cache *pc);

/* The flusher's pass: write back caches dirtied before `before` ns (0: all). */
int pc_flush_dirty(uint64_t before);

#endif
