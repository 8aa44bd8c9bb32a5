/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: the memory manager's internals, shared by the frame
 * allocator, the heap, address spaces and the architecture's page tables.
 * Device code (DMA) may use the physical-address accessors; kernel/ never
 * sees this header.
 */
#ifndef ASTER_FRAME_MM_INTERNAL_H
#define ASTER_FRAME_MM_INTERNAL_H

#include <aster/frame.h>

enum frame_kind {
	FRAME_KIND_RESERVED,	/* not managed, or inside a free block (not its head) */
	FRAME_KIND_FREE,	/* head of a free buddy block */
	FRAME_KIND_PAGE,	/* frame_alloc, segment members, page tables */
	FRAME_KIND_HEAP_SMALL,	/* a slab of one heap size class */
	FRAME_KIND_HEAP_LARGE,	/* head of a large kmalloc run */
	FRAME_KIND_HEAP_TAIL,	/* the rest of a large kmalloc run */
};

/*
 * One per physical frame, indexed by frame number: 16 bytes, so the table
 * is 0.4% of RAM and cheap to clear at boot.  Lists link frames by
 * pfn + 1 (0 ends a list), which keeps entries small.
 */
struct frame {
	union {
		uint32_t refs;		/* PAGE: references */
		uint32_t free_off;	/* HEAP_SMALL: offset of the first free object */
	};
	uint8_t kind;			/* enum frame_kind */
	uint8_t order;			/* FREE: block order; HEAP_SMALL: size class */
	uint16_t nfree;			/* HEAP_SMALL: free objects */
	union {
		struct {
			uint32_t next, prev;
		} link;			/* FREE: free list; HEAP_SMALL: partial list */
		uint64_t run;		/* HEAP_LARGE: frames in the run */
	};
};

_Static_assert(sizeof(struct frame) == 16, "struct frame grew");

/* The largest buddy block: 2^FRAME_MAX_ORDER frames (256 MiB). */
#define FRAME_MAX_ORDER	16

/* frames_alloc_run flag: physical addresses below 4 GiB (32-bit DMA). */
#define FRAME_BELOW_4G	0x100

/* n contiguous frames, each PAGE with one reference; NULL if none. */
struct frame *frames_alloc_run(size_t n, unsigned int flags);
/* Free n contiguous frames whatever their references (the heap's runs). */
void frames_free_run(struct frame *first, size_t n);

size_t frame_pfn(const struct frame *f);
uint64_t frame_phys(const struct frame *f);
/* The frame with this number, or NULL if it is not in the table. */
struct frame *pfn_to_frame(size_t pfn);
/* The frame's bytes in the direct map. */
void *frame_kernel_addr(const struct frame *f);
/* The frame holding a direct-map address, or NULL. */
struct frame *kernel_addr_to_frame(const void *p);
/* For DMA: the physical address of a segment's first byte. */
uint64_t segment_phys(const struct segment *s);

/*
 * Physical ranges.  The early allocator hands out zeroed pages before the
 * frame allocator runs (for the kernel page tables and the frame table);
 * what it gave is never freed.
 */
struct phys_range {
	uint64_t base, end;
};

uint64_t early_alloc_pages(size_t n, uint64_t below);	/* physical; panics when out */
void early_alloc_close(void);	/* the frame allocator takes over */
/* Usable RAM the frame allocator must not hand out; returns the count. */
unsigned int mm_reserved_ranges(struct phys_range *out, unsigned int max);
/*
 * Call fn for each maximal piece of usable RAM, page-aligned, that is not
 * reserved (by the boot, the image, the loader or the early allocator).
 */
void mm_for_each_free_range(void (*fn)(uint64_t base, uint64_t end, void *arg), void *arg);
/* End of the highest RAM the loader reported (usable or ACPI), in bytes. */
uint64_t mm_ram_top(void);

/*
 * Kernel virtual areas: mappings outside the direct map, in every address
 * space.  A kernel stack of `pages` fresh frames with an unmapped guard page
 * below it (returns its lowest address; NULL if no memory), and device
 * memory mapped with a cache policy (CACHE_* of the architecture: 0 WB,
 * 1 WC, 3 UC), above 4 GiB too (returns the address of phys; NULL if no
 * room or bad arguments).
 */
void *kva_alloc_stack(size_t pages);
void kva_free_stack(void *stack, size_t pages);
void *kva_map_io(uint64_t phys, size_t len, unsigned int cache);
void kva_unmap_io(void *va, size_t len);
bool kva_contains(uint64_t va, size_t len);

/* Architecture: build the kernel page tables over all RAM and switch to them. */
void arch_mm_init(void);
/* Fast bulk operations on kernel memory (string instructions on x86-64). */
void mm_zero(void *p, size_t n);
void mm_copy(void *dst, const void *src, size_t n);

#endif
