/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The kernel heap.  Allocation failure returns NULL: callers turn it into
 * -ENOMEM.  Blocks are 16-byte aligned.  Objects up to 2 KiB come from
 * size classes; larger ones from contiguous frames.
 */
#ifndef ASTER_HEAP_H
#define ASTER_HEAP_H

#include <aster/types.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *krealloc(void *p, size_t size);
void kfree(void *p);	/* NULL is fine */

/* Bytes currently allocated, for leak checks. */
size_t heap_bytes_in_use(void);

#endif
