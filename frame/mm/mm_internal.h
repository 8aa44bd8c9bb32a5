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
	FRAME_KIND_PAGE,	/* frame_alloc, segment members: what handles name */
	FRAME_KIND_HEAP_SMALL,	/* a slab of one heap size class */
	FRAME_KIND_HEAP_LARGE,	/* head of a large kmalloc run */
	FRAME_KIND_HEAP_TAIL,	/* the rest of a large kmalloc run */
	FRAME_KIND_PAGETABLE,	/* a page-table page: no handle can name it */
	FRAME_KIND_STACK,	/* a kernel stack page (kva_alloc_stack) */
};

/*
 * One per physical frame, indexed by frame number: 16 bytes, so the table
 * is 0.4% of RAM and cheap to clear at boot.  Lists link frames by
 * pfn + 1 (0 ends a list), which keeps entries small.
 *
 * gen counts the frame's lives: it is bumped whenever the frame is freed
 * and never cleared, so a handle (which carries the gen it was made with)
 * outlives the frame harmlessly.  kind, order and gen share one word, id,
 * which a handle must match exactly: kind PAGE, order 0, the same gen.
 */
struct frame_meta {
	union {
		uint32_t refs;		/* PAGE: references */
		struct {
			uint16_t free_off;	/* HEAP_SMALL: offset of the first free object */
			uint16_t nfree;		/* HEAP_SMALL: free objects */
		};
	};
	union {
		struct {
			uint32_t kind : 3;	/* enum frame_kind */
			uint32_t order : 5;	/* FREE: block order; HEAP_SMALL: size class */
			uint32_t gen : 24;
		};
		uint32_t id;
	};
	union {
		struct {
			uint32_t next, prev;
		} link;			/* FREE: free list; HEAP_SMALL: partial list */
		uint64_t run;		/* HEAP_LARGE: frames in the run */
		struct {
			uint32_t nframes;
			uint32_t refs;	/* 0: no live segment starts here */
		} seg;			/* PAGE: the first frame of a segment */
	};
};

_Static_assert(sizeof(struct frame_meta) == 16, "struct frame_meta grew");

#define FRAME_GEN_MASK		0xffffffu
#define FRAME_ID(kind, gen)	((uint32_t)(kind) | (uint32_t)(gen) << 8)

/*
 * Handles.  kernel/ holds `struct frame *` and `struct segment *` values
 * that are not pointers: tag (bits 56-63) | gen (bits 32-55) | pfn (bits
 * 0-31).  The tags make them non-canonical addresses, so a handle
 * dereferenced by mistake faults instead of reading metadata.
 */
#define FRAME_HANDLE_TAG	0xf1UL
#define SEGMENT_HANDLE_TAG	0xf2UL

extern struct frame_meta *frame_table;	/* indexed by physical frame number */
extern size_t max_pfn;			/* frames in the table: [0, max_pfn) */

/* A handle that fails the check: a panic report naming what it is now. */
__noreturn __attribute__((cold)) void frame_handle_bad(const void *h, unsigned long tag);
/* The function a return address is in, for such reports ("?"), and its name's length. */
const char *handle_caller(const void *ret, int *len);

static inline uint64_t handle_encode(unsigned long tag, const struct frame_meta *m)
{
	return tag << 56 | (uint64_t)m->gen << 32 | (uint64_t)(m - frame_table);
}

/* The live PAGE frame a handle with this tag names, or NULL. */
static inline struct frame_meta *handle_check(const void *h, unsigned long tag)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	struct frame_meta *m;

	if (__builtin_expect(v >> 56 != tag || (uint32_t)v >= max_pfn, 0))
		return NULL;
	m = &frame_table[(uint32_t)v];
	if (__builtin_expect(m->id != FRAME_ID(FRAME_KIND_PAGE, (v >> 32) & FRAME_GEN_MASK), 0))
		return NULL;
	return m;
}

/* The same, where anything but a live frame is a bug: a panic report. */
static inline struct frame_meta *handle_decode(const void *h, unsigned long tag)
{
	struct frame_meta *m = handle_check(h, tag);

	if (__builtin_expect(!m, 0))
		frame_handle_bad(h, tag);
	return m;
}

/* The handle kernel/ gets for a PAGE frame, and back. */
static inline struct frame *frame_handle(const struct frame_meta *m)
{
	return (struct frame *)(uintptr_t)handle_encode(FRAME_HANDLE_TAG, m);
}

static inline struct frame_meta *frame_meta_of(const struct frame *f)
{
	return handle_decode(f, FRAME_HANDLE_TAG);
}

/* The largest buddy block: 2^FRAME_MAX_ORDER frames (256 MiB). */
#define FRAME_MAX_ORDER	16

/* The callback of frame_set_reclaim (NULL: none), and the least it is asked for. */
extern size_t (*frame_reclaim_fn)(size_t want);
#define FRAME_RECLAIM_BATCH	32
/* Call it for want frames where the caller may sleep (kmalloc too): true if it freed any. */
bool frame_try_reclaim(size_t want);

/* frames_alloc_run flag: physical addresses below 4 GiB (32-bit DMA). */
#define FRAME_BELOW_4G	0x100

/* n contiguous frames, each PAGE with one reference; NULL if none. */
struct frame_meta *frames_alloc_run(size_t n, unsigned int flags);
/* Free n contiguous frames whatever their references (the heap's runs). */
void frames_free_run(struct frame_meta *first, size_t n);
/* Reference counting of PAGE frames found by frame number (mapped pages). */
void frame_meta_get(struct frame_meta *m);
void frame_meta_put(struct frame_meta *m);
/*
 * Page-table pages: zeroed frames of kind PAGETABLE, which no handle can
 * name (decoding one panics), so a stale frame handle can never write a
 * page table.  NULL when memory is exhausted.
 */
struct frame_meta *pagetable_alloc(void);
void pagetable_free(struct frame_meta *m);

size_t frame_pfn(const struct frame_meta *f);
uint64_t frame_phys(const struct frame_meta *f);
/* The frame with this number, or NULL if it is not in the table. */
struct frame_meta *pfn_to_frame(size_t pfn);
/* The frame's bytes in the direct map. */
void *frame_kernel_addr(const struct frame_meta *f);
/* The frame holding a direct-map address, or NULL. */
struct frame_meta *kernel_addr_to_frame(const void *p);
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
