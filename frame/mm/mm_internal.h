/* SPDX-License-Identifier: MPL-2.0 */
/* Private to frame/mm/: frame metadata shared by the allocator and the heap. */
#ifndef ASTER_FRAME_MM_INTERNAL_H
#define ASTER_FRAME_MM_INTERNAL_H

#include <aster/frame.h>

enum frame_kind {
	FRAME_KIND_FREE,
	FRAME_KIND_PAGE,	/* frame_alloc */
	FRAME_KIND_SEGMENT,	/* head of segment_alloc */
	FRAME_KIND_HEAP_SMALL,	/* a slab of one size class */
	FRAME_KIND_HEAP_LARGE,	/* head of a large kmalloc */
};

struct frame {
	uint32_t refs;
	uint32_t run;		/* frames in the run this frame heads */
	uint8_t kind;		/* enum frame_kind */
	uint8_t heap_class;
	uint16_t heap_free;	/* free objects in a slab */
	uint16_t free_off;	/* offset of the slab's first free object */
	uint16_t reserved;
	uint32_t slab_next;	/* partial-slab list of the class: pfn + 1, 0 ends */
	uint32_t slab_prev;
};

struct frame *frames_alloc_run(size_t n, unsigned int flags);
void frames_free_run(struct frame *first, size_t n);
size_t frame_pfn(const struct frame *f);
struct frame *pfn_to_frame(size_t pfn);
void *frame_kernel_addr(const struct frame *f);
struct frame *kernel_addr_to_frame(const void *p);

#endif
