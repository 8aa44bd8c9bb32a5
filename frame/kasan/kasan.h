/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: the runtime of the checked build (configure
 * --enable-kasan, objects *.kasan.k.o, image vmlinuz-kasan).  kernel/ is
 * compiled there with -fsanitize=kernel-address (outline: every load and
 * store calls __asan_*), -fsanitize=undefined's memory and arithmetic
 * checks and -finstrument-functions; frame/ is not instrumented and
 * provides what those calls need: shadow memory, heap red zones and a
 * quarantine, frame poisoning, a stack guard and the reports.  frame/kasan/
 * is only built with -DASTER_KASAN; see doc/safe-c.md.
 *
 * The allocators (frame/mm/heap.c, frame/mm/frame_alloc.c) call the hooks
 * below unconditionally: without ASTER_KASAN they are the no-op static
 * inlines at the end of this file, which compile away.  This header is the
 * only place that tests ASTER_KASAN.
 */
#ifndef ASTER_FRAME_KASAN_H
#define ASTER_FRAME_KASAN_H

#include <aster/types.h>

/*
 * Shadow memory: one byte per 8-byte granule of the direct map (where the
 * heap and every frame live).  0: all 8 bytes accessible; 1..7: only the
 * first k; a poison value below: none.
 */
#define KASAN_GRANULE		8
#define KASAN_HEAP_REDZONE	0xfc	/* a heap block's red zones, or a never-used block */
#define KASAN_HEAP_FREED	0xfb	/* a freed heap object (in quarantine or on a free list) */
#define KASAN_PAGE_FREE		0xff	/* a frame on the frame allocator's free lists */

/* [p, p+size): p granule-aligned; the last partial granule is poisoned whole. */
void kasan_poison(const void *p, size_t size, uint8_t value);
/* [p, p+size) accessible, the rest of its last granule not. */
void kasan_unpoison(const void *p, size_t size);
/* The shadow byte of addr, or NULL if addr is not covered (then never checked). */
int8_t *kasan_shadow(uint64_t addr);

/* frame_alloc.c: poison every free block (once, at kasan_init). */
void frames_kasan_poison_free(void);

/* heap.c: kernel/'s kmalloc, kzalloc, kcalloc, krealloc (renamed by the build). */
void *kmalloc_checked(size_t size);
void *kzalloc_checked(size_t size);
void *kcalloc_checked(size_t n, size_t size);
void *krealloc_checked(void *p, size_t size);
/* heap.c: give a block back for reuse (the quarantine's exit). */
void heap_release_block(void *block);
/* heap.c: call fn with the heap block(s) that may hold addr until it returns true. */
bool heap_block_of(uint64_t addr, bool (*fn)(uint64_t addr, void *block));

/* Reports: each ends the kernel like panic() (a failing exit code under QEMU). */
__noreturn void kasan_report(uint64_t addr, size_t size, bool write, uint64_t ip);
__noreturn void kasan_report_heap(const char *bug, const void *p, uint64_t ip);
/* The heap object holding addr, for a report: false if none. */
bool kasan_heap_describe(uint64_t addr);

/* Up to n return addresses of the caller's callers, skipping `skip` frames. */
#define KASAN_TRACE	5	/* saved; the heap's own frames are left out when printed */
void kasan_save_trace(uint64_t *out, unsigned int n, unsigned int skip);
void kasan_print_trace(const char *title, const uint64_t *trace, unsigned int n);

/*
 * ---- The allocators' hooks ----
 *
 * The frame allocator: kasan_init once its free lists are built, and
 * kasan_frames_alloc / kasan_frames_free as frames leave and enter them.
 *
 * The heap (only allocations of instrumented code, checked: kernel/'s calls,
 * renamed to k*alloc_checked, get red zones; frame's own are unchanged):
 *
 *  - kasan_heap_size: adds room for a header and red zones around the object;
 *  - kasan_heap_alloc: unpoisons the object's bytes, poisons the red zones,
 *    and returns the address the caller sees (after the left red zone);
 *  - kasan_heap_free: checks nothing more (kasan_heap_block did), poisons the
 *    object, then either returns the block's start for immediate reuse or
 *    NULL to keep it in a quarantine (later released with heap_release_block);
 *  - kasan_heap_block: maps an address the caller holds back to its block
 *    (reporting an invalid or double free);
 *  - kasan_heap_room / kasan_heap_resize: what krealloc may grow into in
 *    place, and the new size of an object that stays;
 *  - kasan_heap_new_slab: a fresh slab page (all of it unallocated);
 *  - kasan_quarantine_flush: empties the quarantine when memory runs out or
 *    when someone asks how much memory is in use (true if it freed anything).
 *
 * The heap never looks inside an object except through the block address
 * the hooks give it, so red zones need no other change.
 */
struct frame_meta;

#ifdef ASTER_KASAN

void kasan_init(void);
void kasan_frames_alloc(void *first, size_t n);
void kasan_frames_free(void *first, size_t n);
size_t kasan_heap_size(size_t size, bool checked);
void *kasan_heap_alloc(void *block, size_t size, size_t usable, bool checked);
void *kasan_heap_block(void *p);
void *kasan_heap_free(void *p, void *block, size_t usable);
size_t kasan_heap_room(void *p, void *block, size_t usable);
void kasan_heap_resize(void *p, void *block, size_t size);
void kasan_heap_new_slab(struct frame_meta *slab);
bool kasan_quarantine_flush(void);

#else /* the normal build: every hook is the identity or does nothing */

static inline void kasan_init(void) {}
static inline void kasan_frames_alloc(void *first, size_t n) { (void)first; (void)n; }
static inline void kasan_frames_free(void *first, size_t n) { (void)first; (void)n; }

static inline size_t kasan_heap_size(size_t size, bool checked)
{
	(void)checked;
	return size;
}

static inline void *kasan_heap_alloc(void *block, size_t size, size_t usable, bool checked)
{
	(void)size;
	(void)usable;
	(void)checked;
	return block;
}

static inline void *kasan_heap_block(void *p)
{
	return p;
}

static inline void *kasan_heap_free(void *p, void *block, size_t usable)
{
	(void)p;
	(void)usable;
	return block;
}

static inline size_t kasan_heap_room(void *p, void *block, size_t usable)
{
	(void)p;
	(void)block;
	return usable;
}

static inline void kasan_heap_resize(void *p, void *block, size_t size)
{
	(void)p;
	(void)block;
	(void)size;
}

static inline void kasan_heap_new_slab(struct frame_meta *slab)
{
	(void)slab;
}

static inline bool kasan_quarantine_flush(void)
{
	return false;
}

#endif

#endif
