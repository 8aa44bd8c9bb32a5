/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/mm/heap.c: where a sanitizer build (KASAN) plugs into the
 * heap.  In the normal build every hook is the identity (or does nothing)
 * and compiles away.  The checked build (-DASTER_KASAN, frame/kasan/heap.c):
 *
 * Only allocations of instrumented code (checked: kernel/'s calls, renamed
 * to k*alloc_checked) get red zones; frame's own are unchanged.
 *
 *  - heap_hook_size: adds room for a header and red zones around the object;
 *  - heap_hook_alloc: unpoisons the object's bytes, poisons the red zones, and
 *    returns the address the caller sees (after the left red zone);
 *  - heap_hook_free: checks nothing more (heap_hook_block did), poisons the
 *    object, then either returns the block's start for immediate reuse or
 *    NULL to keep it in a quarantine (later released with heap_release_block);
 *  - heap_hook_block: maps an address the caller holds back to its block
 *    (reporting an invalid or double free);
 *  - heap_hook_room / heap_hook_resize: what krealloc may grow into in place,
 *    and the new size of an object that stays;
 *  - heap_hook_new_slab: a fresh slab page (all of it unallocated);
 *  - heap_hook_reclaim: empties the quarantine when memory runs out or when
 *    someone asks how much memory is in use (true if it freed anything).
 *
 * The heap itself never looks inside an object except through the block
 * address the hooks give it, so red zones need no other change.
 */
#ifndef ASTER_FRAME_MM_HEAP_HOOKS_H
#define ASTER_FRAME_MM_HEAP_HOOKS_H

#include <aster/types.h>

struct frame;

#ifdef ASTER_KASAN
#include "../kasan/kasan.h"

#define heap_hook_size		kasan_heap_size
#define heap_hook_alloc		kasan_heap_alloc
#define heap_hook_block		kasan_heap_block
#define heap_hook_free		kasan_heap_free
#define heap_hook_room		kasan_heap_room
#define heap_hook_resize	kasan_heap_resize
#define heap_hook_new_slab	kasan_heap_new_slab
#define heap_hook_reclaim	kasan_quarantine_flush

#else

static inline size_t heap_hook_size(size_t size, bool checked)
{
	(void)checked;
	return size;
}

static inline void *heap_hook_alloc(void *block, size_t size, size_t usable, bool checked)
{
	(void)size;
	(void)usable;
	(void)checked;
	return block;
}

static inline void *heap_hook_block(void *p)
{
	return p;
}

static inline void *heap_hook_free(void *p, void *block, size_t usable)
{
	(void)p;
	(void)usable;
	return block;
}

static inline size_t heap_hook_room(void *p, void *block, size_t usable)
{
	(void)p;
	(void)block;
	return usable;
}

static inline void heap_hook_resize(void *p, void *block, size_t size)
{
	(void)p;
	(void)block;
	(void)size;
}

static inline void heap_hook_new_slab(struct frame *slab)
{
	(void)slab;
}

static inline bool heap_hook_reclaim(void)
{
	return false;
}

#endif
#endif
