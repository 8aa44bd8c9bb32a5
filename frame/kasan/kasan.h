/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: the runtime of the checked build (configure
 * --enable-kasan, objects *.kasan.k.o, image vmlinuz-kasan).  kernel/ is
 * compiled there with -fsanitize=kernel-address (outline: every load and
 * store calls __asan_*), -fsanitize=undefined's memory and arithmetic
 * checks and -finstrument-functions; frame/ is not instrumented and
 * provides what those calls need: shadow memory, heap red zones and a
 * quarantine, frame poisoning, a stack guard and the reports.  Only built
 * with -DASTER_KASAN; see doc/safe-c.md.
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

/* Set up the shadow once the frame allocator runs (frame_alloc_init). */
void kasan_init(void);
/* [p, p+size): p granule-aligned; the last partial granule is poisoned whole. */
void kasan_poison(const void *p, size_t size, uint8_t value);
/* [p, p+size) accessible, the rest of its last granule not. */
void kasan_unpoison(const void *p, size_t size);
/* The shadow byte of addr, or NULL if addr is not covered (then never checked). */
int8_t *kasan_shadow(uint64_t addr);

/* Frames leaving and entering the frame allocator's free lists. */
void kasan_frames_alloc(void *first, size_t n);
void kasan_frames_free(void *first, size_t n);
/* frame_alloc.c: poison every free block (once, at kasan_init). */
void frames_kasan_poison_free(void);

/* The heap's hooks (frame/mm/heap_hooks.h). */
size_t kasan_heap_size(size_t size, bool checked);
void *kasan_heap_alloc(void *block, size_t size, size_t usable, bool checked);
void *kasan_heap_block(void *p);
void *kasan_heap_free(void *p, void *block, size_t usable);
size_t kasan_heap_room(void *p, void *block, size_t usable);
void kasan_heap_resize(void *p, void *block, size_t size);
struct frame;
void kasan_heap_new_slab(struct frame *slab);
/* heap.c: kernel/'s kmalloc, kzalloc, kcalloc, krealloc (renamed by the build). */
void *kmalloc_checked(size_t size);
void *kzalloc_checked(size_t size);
void *kcalloc_checked(size_t n, size_t size);
void *krealloc_checked(void *p, size_t size);
/* Release every quarantined block; true if there was any. */
bool kasan_quarantine_flush(void);
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

#endif
