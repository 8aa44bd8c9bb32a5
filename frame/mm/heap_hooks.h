/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/mm/heap.c: where a sanitizer build (KASAN) plugs into the
 * heap.  Today every hook is the identity.  A KASAN build would:
 *
 *  - heap_hook_size: add room for red zones around the object;
 *  - heap_hook_alloc: unpoison the object's bytes, poison the red zones, and
 *    return the address the caller sees (after the left red zone);
 *  - heap_hook_free: check the address and poison the whole block, then
 *    either return the block's start for immediate reuse or NULL to keep it
 *    in a quarantine (later released with heap_release_block);
 *  - heap_hook_block: map an address the caller holds back to its block.
 *
 * The heap itself never looks inside an object except through the block
 * address the hooks give it, so red zones need no other change.
 */
#ifndef ASTER_FRAME_MM_HEAP_HOOKS_H
#define ASTER_FRAME_MM_HEAP_HOOKS_H

#include <aster/types.h>

static inline size_t heap_hook_size(size_t size)
{
	return size;
}

static inline void *heap_hook_alloc(void *block, size_t size, size_t usable)
{
	(void)size;
	(void)usable;
	return block;
}

static inline void *heap_hook_block(void *p)
{
	return p;
}

static inline void *heap_hook_free(void *block, size_t usable)
{
	(void)usable;
	return block;
}

#endif
