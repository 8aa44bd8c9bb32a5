/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The page cache: the pages of a file (or of a block device) kept in
 * memory, shared by read, write and mmap.  A file system embeds a
 * struct page_cache in its inode and gives it two operations that move
 * runs of whole pages between frames and the disk:
 *
 *	static const struct page_cache_ops myfs_pc_ops = {
 *		.read_pages = myfs_read_pages, .write_pages = myfs_write_pages,
 *	};
 *	page_cache_init(&mi->pc, &myfs_pc_ops);
 *
 *	read(2):   n = page_cache_read(&mi->pc, buf, pos, len, i_size);
 *	write(2):  n = page_cache_write(&mi->pc, buf, pos, len, i_size);
 *	           (under the inode's lock; the caller then grows i_size)
 *	mmap:      page_cache_get_page(&mi->pc, pgoff, i_size, &frame)
 *	           page_cache_mark_dirty(&mi->pc, pgoff)   on a shared write fault
 *	           (the fault path does it for files whose file_ops give
 *	           page_cache; writeback then write-protects the pages it
 *	           writes in every mapping, vmar_wrprotect_cache, so the next
 *	           store faults and marks them dirty again)
 *	fsync:     page_cache_writeback(&mi->pc, 0, UINT64_MAX)
 *	truncate:  page_cache_truncate(&mi->pc, new_size)
 *	evict:     page_cache_writeback, then page_cache_destroy(&mi->pc)
 *
 * The operations get the page_cache pointer and find their inode with
 * container_of.  read_pages fills each frame completely (zeros past the end
 * of the file or in a hole); write_pages writes whole pages, the file
 * system clipping the last one at its size.  Both may sleep; they are
 * called with no lock of the cache held, for at most PAGE_CACHE_BATCH
 * consecutive pages.
 *
 * A file system may also give read_start and read_end, the two halves of
 * read_pages, for at most PAGE_CACHE_RA_MAX pages: read_start maps the
 * pages and submits their I/O without waiting (*io is its own record of it), read_end waits for that I/O,
 * finishes the frames as read_pages would and frees the record; it is
 * called exactly once for each read_start that returned 0.  With them a
 * sequential reader keeps one window of pages in flight ahead of the one
 * it copies (asynchronous readahead, as Linux's PG_readahead marker does):
 * the disk works while the reader copies.  The pages of that window stay
 * busy until the first one who needs one of them, or truncate or destroy,
 * calls read_end.
 *
 * Locking: each cache's lock protects its index and its pages' states.
 * No user memory is touched under it, so a page fault on a mapping of the
 * same file (which takes it) cannot deadlock with read or write.  A page
 * under I/O is marked busy; others wait for it on the cache's queue.
 * Writers and truncation are serialised by the caller (the inode's lock).
 *
 * Memory: clean pages nobody uses sit on a global LRU list;
 * page_cache_reclaim() frees the oldest (the cache calls it itself when a
 * frame allocation fails).  Dirty pages are written back by fsync, by
 * page_cache_sync_all() (sync(2)) and by a flusher task every 5 seconds
 * for pages dirty longer than 30 seconds (Linux's dirty_writeback and
 * dirty_expire defaults).
 *
 * Errors: -ENOMEM, -EFAULT (user buffer), and what the operations return
 * (-EIO).  A failed writeback is remembered and returned once by the next
 * page_cache_writeback of that cache (as Linux reports it to fsync).
 */
#ifndef KERNEL_MM_PAGE_CACHE_H
#define KERNEL_MM_PAGE_CACHE_H
#include <aster/frame.h>
#include <aster/list.h>
#include <aster/sync.h>
#include <aster/types.h>
#include <aster/wait.h>

/* The longest run of pages handed to one read_pages or write_pages. */
#define PAGE_CACHE_BATCH	32
/*
 * The longest run handed to one read_start: an asynchronous readahead
 * window, 1 MiB (a disk streams best with large requests in flight while
 * the reader copies; Linux's default read_ahead_kb is 128 KiB, but its
 * windows grow to the device's max_sectors_kb for sequential reads).
 */
#define PAGE_CACHE_RA_MAX	256

struct iobuf;
struct cached_page;
struct page_cache;

struct page_cache_ops {
	int (*read_pages)(struct page_cache *pc, uint64_t index, struct frame **frames,
			  unsigned int n);
	int (*write_pages)(struct page_cache *pc, uint64_t index, struct frame **frames,
			   unsigned int n);
	/* Optional, both or neither: read_pages split at the wait (above). */
	int (*read_start)(struct page_cache *pc, uint64_t index, struct frame **frames,
			  unsigned int n, void **io);
	int (*read_end)(struct page_cache *pc, void *io);
};

struct pc_async;

struct page_cache {
	const struct page_cache_ops *ops;
	struct mutex lock;
	struct wait_queue io_done;	/* a busy page became idle */
	struct cached_page **buckets;	/* hash of index -> page */
	uint32_t nbuckets;
	uint64_t npages, ndirty;
	struct list_node pages;		/* every page, in no order */
	/* In the global list of caches with dirty pages (under its own lock). */
	struct list_node dirty_link;
	bool on_dirty_list;
	atomic_t wb_pins;		/* flushers writing it back (changed under dirty_lock) */
	uint64_t flush_pass;		/* the flusher pass that last visited it */
	uint64_t dirtied_ns;		/* when it joined the dirty list */
	uint64_t ra_next;		/* readahead: the page after the last read */
	uint32_t ra_window;		/* pages to read ahead on the next miss */
	struct pc_async *ra_io;		/* the window read ahead in flight, or NULL */
	uint64_t ra_mark;		/* reading this page starts the next window */
	uint64_t ra_async_end;		/* the page after the last window started */
	int wb_error;			/* a failed writeback not yet reported */
};

void page_cache_init(struct page_cache *pc, const struct page_cache_ops *ops);
/* Drop every page (dirty ones are lost: write them back first). */
void page_cache_destroy(struct page_cache *pc);

/* Copy [pos, pos + len) of a file of `size` bytes into buf: bytes copied or -errno. */
ssize_t page_cache_read(struct page_cache *pc, struct iobuf *buf, uint64_t pos, size_t len,
			uint64_t size);
/* Copy buf into [pos, pos + len) and mark it dirty: bytes copied or -errno. */
ssize_t page_cache_write(struct page_cache *pc, struct iobuf *buf, uint64_t pos, size_t len,
			 uint64_t size);
/* The up-to-date frame of page index, with a reference for the caller. */
int page_cache_get_page(struct page_cache *pc, uint64_t index, uint64_t size,
			struct frame **out);
/* A cached page was written through a shared mapping. */
void page_cache_mark_dirty(struct page_cache *pc, uint64_t index);
/* Write back the dirty pages of [first, last] and wait: 0 or the first error. */
int page_cache_writeback(struct page_cache *pc, uint64_t first, uint64_t last);
/*
 * Read the pages of [first, last] below the end of a file of `size` bytes
 * into the cache (POSIX_FADV_WILLNEED): 0 or the first read error.
 */
int page_cache_readahead(struct page_cache *pc, uint64_t first, uint64_t last, uint64_t size);
/*
 * Drop the clean, idle, unmapped pages of [first, last]
 * (POSIX_FADV_DONTNEED, after a writeback): how many were dropped.
 */
int page_cache_invalidate(struct page_cache *pc, uint64_t first, uint64_t last);
/* Page index is cached and up to date (mincore). */
bool page_cache_resident(struct page_cache *pc, uint64_t index);
/* Drop the pages past new_size and zero the tail of the last one. */
int page_cache_truncate(struct page_cache *pc, uint64_t new_size);
/* Pages cached and dirty. */
uint64_t page_cache_pages(const struct page_cache *pc);
uint64_t page_cache_dirty_pages(const struct page_cache *pc);

/* Free up to `want` clean unused pages of any cache: how many were freed. */
size_t page_cache_reclaim(size_t want);
/* Write back every cache (sync(2)): 0 or the first error. */
int page_cache_sync_all(void);
/* Every cached page and every dirty one, for /proc/meminfo (Cached, Dirty). */
uint64_t page_cache_total_pages(void);
uint64_t page_cache_total_dirty(void);

#endif
