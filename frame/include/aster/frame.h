/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Physical page frames.  kernel/ holds frames through `struct frame *`
 * handles (reference counted) and touches their contents only through the
 * bounds-checked accessors below: it never learns a physical address or a
 * pointer into a frame.
 *
 *	struct frame *f = frame_alloc(FRAME_ZERO);
 *	if (!f)
 *		return -ENOMEM;
 *	frame_write(f, 0, "hello", 5);
 *	frame_put(f);
 *
 * A segment is a run of physically contiguous frames (for DMA buffers and
 * large kernel allocations), with the same kind of accessors.  Each of its
 * frames is also an ordinary reference-counted frame (segment_frame), so a
 * segment can be mapped into user space page by page.
 *
 * Errors: allocation failure is NULL; a NULL handle or a range outside
 * the frame (segment) is -EINVAL from the accessors.  Handles are not
 * pointers: they carry the frame's generation, which frame/ bumps when the
 * frame is freed, and every function here checks it.  So using a handle
 * after its last frame_put (segment_put) is a panic report ("stale frame
 * handle ... in frame_write: ... it is now a page table"), whatever the
 * frame became, never an access to it; so is a value frame/ did not make
 * ("bad frame handle").  Page tables and kernel stacks are frames no
 * handle can name.  Two handles to one live frame compare equal.
 */
#ifndef ASTER_FRAME_H
#define ASTER_FRAME_H

#include <aster/types.h>

#define PAGE_SIZE	4096UL
#define PAGE_SHIFT	12

#define FRAME_ZERO	0x1	/* fill with zeros */

struct frame;
struct segment;

/* One frame with a reference count of 1, or NULL when memory is exhausted. */
struct frame *frame_alloc(unsigned int flags);
void frame_get(struct frame *f);
/* Drop a reference; the frame is freed with the last one.  NULL is fine. */
void frame_put(struct frame *f);
unsigned int frame_refcount(const struct frame *f);

/* Accessors: 0, or -EINVAL when f is NULL or [off, off+len) is not inside the frame. */
int frame_read(const struct frame *f, size_t off, void *buf, size_t len);
int frame_write(struct frame *f, size_t off, const void *buf, size_t len);
int frame_fill(struct frame *f, size_t off, uint8_t byte, size_t len);
/* Copy the whole of src into dst. */
int frame_copy(struct frame *dst, const struct frame *src);

/* nframes contiguous frames (at most 65536), or NULL; one reference. */
struct segment *segment_alloc(size_t nframes, unsigned int flags);
void segment_get(struct segment *s);
/* Drop a reference; with the last, each frame drops the segment's reference. */
void segment_put(struct segment *s);
size_t segment_size(const struct segment *s);	/* bytes */
size_t segment_nframes(const struct segment *s);
/* The i-th frame (borrowed: frame_get it to keep it beyond the segment), or NULL. */
struct frame *segment_frame(struct segment *s, size_t i);
int segment_read(const struct segment *s, size_t off, void *buf, size_t len);
int segment_write(struct segment *s, size_t off, const void *buf, size_t len);
int segment_fill(struct segment *s, size_t off, uint8_t byte, size_t len);

/*
 * Reclaim under memory pressure.  kernel/ registers one callback that frees
 * memory it can rebuild (clean cached pages), typically from KERNEL_INIT:
 *
 *	static size_t cache_reclaim(size_t want) { ...free up to want frames...; return freed; }
 *	frame_set_reclaim(cache_reclaim);
 *
 * When frame_alloc or segment_alloc finds no free block, it calls fn(want)
 * (want is at least the frames asked for) and, if fn freed anything, tries
 * once more; NULL is still possible.  fn is called only where the caller
 * may sleep: from a task, not in an interrupt or softirq handler, with
 * interrupts on (so with no spinlock held), without preempt_disable, and
 * never from inside fn itself (an allocation in fn just fails instead).
 * So fn may take mutexes and sleep, but must not wait for memory or for a
 * lock its callers may hold while allocating: only try those.  kmalloc
 * calls it too, under the same rules and never under the heap's own lock.
 * A later call replaces fn; NULL removes it.
 */
void frame_set_reclaim(size_t (*fn)(size_t want));

/* Frame counts, for /proc/meminfo and leak checks. */
size_t frames_total(void);
size_t frames_free(void);

#endif
