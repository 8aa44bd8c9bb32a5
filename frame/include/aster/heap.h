/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The kernel heap.  Allocation failure returns NULL: callers turn it into
 * -ENOMEM.  Blocks are 16-byte aligned.  Objects up to 2 KiB come from
 * size classes (16, 32, ... 2048 bytes); larger ones from whole contiguous
 * frames (page-aligned, up to 256 MiB).
 *
 *	struct foo *p = kzalloc(sizeof(*p));
 *	if (!p)
 *		return -ENOMEM;
 *	...
 *	kfree(p);
 */
#ifndef ASTER_HEAP_H
#define ASTER_HEAP_H

#include <aster/types.h>

/*
 * alloc_size tells the compiler how big the block is, so the checked memcpy
 * family of <aster/string.h> knows the size of heap objects too.
 */
void *kmalloc(size_t size) __attribute__((malloc, alloc_size(1)));
void *kzalloc(size_t size) __attribute__((malloc, alloc_size(1)));
/* Zeroed room for n objects of size bytes; NULL if n * size overflows. */
void *kcalloc(size_t n, size_t size) __attribute__((malloc, alloc_size(1, 2)));
/*
 * Resize: p itself while size fits in its block, else a new block with the
 * old contents (and p freed).  NULL on failure, p untouched then.
 * krealloc(NULL, size) is kmalloc(size).
 */
void *krealloc(void *p, size_t size) __attribute__((alloc_size(2)));
void kfree(void *p);	/* NULL is fine */

/* Bytes currently allocated (whole size classes and frames), for leak checks. */
size_t heap_bytes_in_use(void);

#endif
