// SPDX-License-Identifier: MPL-2.0
// The kernel heap: size classes of 16..2048 bytes carved from single
// frames (slabs), and runs of whole frames for anything larger.  The frame
// metadata says which, so kfree needs no header in front of a block and
// every block is 16-byte aligned (large ones page-aligned).
//
// A slab's free objects are chained by 16-bit offsets stored in the free
// objects themselves; slabs with free objects sit on a per-class list, and a
// slab that becomes empty goes back to the frame allocator at once, so the
// heap never hoards memory.  Sanitizer hooks: frame/kasan/kasan.h.
//
// Misuse is a report, never a corrupted heap, in every build: kfree (and
// krealloc) of a pointer that does not start a heap block says "not a heap
// object", and a free small object carries a marker (FREE_MARK, bound to its
// address) next to its link, so freeing it again is "double free": the
// marker alone costs one load per kfree, and the slab's free list is walked
// only when the marker is there, to tell a real double free from live data
// that happens to look like it.  kmalloc checks the marker and the link of
// the object it hands out, so a write into a freed object, or a corrupted
// free list, is caught before the heap follows it.
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "../internal.h"
#include "../kasan/kasan.h"
#include "mm_internal.h"

#define NR_CLASSES	8
#define MIN_SHIFT	4	/* 16 bytes */
#define MAX_SMALL	2048
#define NO_OBJ		0xffff
/*
 * A free small object: its first 16 bits link the free list, and the
 * 8 bytes at FREE_MARK_OFF hold FREE_MARK ^ its address (every class is at
 * least 16 bytes).  kmalloc clears the mark.
 */
#define FREE_MARK	0x6672656568656170ULL	/* "freeheap" */
#define FREE_MARK_OFF	8

static uint32_t partial[NR_CLASSES];	/* pfn + 1 of the first slab with free objects */
static size_t bytes_in_use;
static spinlock_t heap_lock = SPINLOCK_INIT;

static unsigned int size_class(size_t size)
{
	unsigned int c = 0;

	while (((size_t)1 << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

static size_t class_size(unsigned int c)
{
	return (size_t)1 << (c + MIN_SHIFT);
}

static uint16_t objs_per_slab(unsigned int c)
{
	return (uint16_t)(PAGE_SIZE / class_size(c));
}

/*
 * A small object's free-list fields, by its address (the slab's base plus
 * its offset: callers compute the base once, frame_kernel_addr is a call).
 */
static uint16_t *obj_link(char *obj)
{
	return (uint16_t *)obj;
}

static uint64_t *obj_mark(char *obj)
{
	return (uint64_t *)(obj + FREE_MARK_OFF);
}

static bool obj_marked(char *obj)
{
	return *obj_mark(obj) == (FREE_MARK ^ (uint64_t)(uintptr_t)obj);
}

/* Chain the free object obj in front of next (an offset or NO_OBJ). */
static void obj_make_free(char *obj, uint32_t next)
{
	*obj_link(obj) = (uint16_t)next;
	*obj_mark(obj) = FREE_MARK ^ (uint64_t)(uintptr_t)obj;
}

/* A link as the free list may hold it: an object of the slab, or the end. */
static bool link_ok(const struct frame_meta *slab, uint32_t off)
{
	return off == NO_OBJ || (off < PAGE_SIZE && (off & (class_size(slab->order) - 1)) == 0);
}

static struct frame_meta *slab_of(uint32_t id)
{
	return pfn_to_frame(id - 1);
}

static void partial_push(unsigned int c, struct frame_meta *slab)
{
	uint32_t id = (uint32_t)frame_pfn(slab) + 1;

	slab->link.prev = 0;
	slab->link.next = partial[c];
	if (partial[c])
		slab_of(partial[c])->link.prev = id;
	partial[c] = id;
}

static void partial_remove(unsigned int c, struct frame_meta *slab)
{
	if (slab->link.prev)
		slab_of(slab->link.prev)->link.next = slab->link.next;
	else
		partial[c] = slab->link.next;
	if (slab->link.next)
		slab_of(slab->link.next)->link.prev = slab->link.prev;
	slab->link.next = slab->link.prev = 0;
}

/* A new slab for class c, on the partial list.  heap_lock held. */
static bool grow_class(unsigned int c)
{
	struct frame_meta *f = frames_alloc_run(1, 0);
	uint16_t sz = (uint16_t)class_size(c), n = objs_per_slab(c);
	char *base;

	if (!f)
		return false;
	f->kind = FRAME_KIND_HEAP_SMALL;
	f->order = c & 31;
	f->nfree = n;
	f->free_off = 0;
	kasan_heap_new_slab(f);
	base = frame_kernel_addr(f);
	for (uint16_t i = 0; i < n; i++)
		obj_make_free(base + (uint32_t)i * sz, i + 1 < n ? (uint32_t)(i + 1) * sz : NO_OBJ);
	partial_push(c, f);
	return true;
}

static void account(ssize_t delta)
{
	irqflags_t irq = spin_lock_irqsave(&heap_lock);

	bytes_in_use += (size_t)delta;
	spin_unlock_irqrestore(&heap_lock, irq);
}

static void *alloc_large(size_t size)
{
	size_t n = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	struct frame_meta *f;

	if (n > ((size_t)1 << FRAME_MAX_ORDER))
		return NULL;
	f = frames_alloc_run(n, 0);
	if (!f)
		return NULL;
	f->kind = FRAME_KIND_HEAP_LARGE;
	f->run = n;
	for (size_t i = 1; i < n; i++)
		f[i].kind = FRAME_KIND_HEAP_TAIL;
	account((ssize_t)(n * PAGE_SIZE));
	return frame_kernel_addr(f);
}

/*
 * The object kmalloc is about to hand out must be free and intact: a
 * corrupted link or mark means a write into a freed object (or a stray
 * write into the slab), and following it would hand out memory twice.
 * heap_lock held.
 */
static __attribute__((noinline, cold)) __noreturn void bad_free_obj(const struct frame_meta *slab,
								 char *base, uint32_t off)
{
	if (!link_ok(slab, off) || off == NO_OBJ)
		panic("kmalloc: free list of the %zu-byte slab at %p is corrupted (offset %#x)",
		      class_size(slab->order), base, off);
	panic("kmalloc: free %zu-byte heap object %p was overwritten (a write after kfree?)",
	      class_size(slab->order), base + off);
}

static inline void check_free_obj(const struct frame_meta *slab, char *base, uint32_t off)
{
	if (__builtin_expect(!link_ok(slab, off) || off == NO_OBJ || !obj_marked(base + off) ||
			     !link_ok(slab, *obj_link(base + off)), 0))
		bad_free_obj(slab, base, off);
}

static void *alloc_small(size_t size)
{
	unsigned int c = size_class(size);
	struct frame_meta *slab;
	char *base;
	uint32_t off;
	irqflags_t irq;

	if (c >= NR_CLASSES)	/* never (size <= MAX_SMALL): spares the bounds checks below */
		return NULL;
	irq = spin_lock_irqsave(&heap_lock);

	if (!partial[c] && !grow_class(c)) {
		spin_unlock_irqrestore(&heap_lock, irq);
		return NULL;
	}
	slab = slab_of(partial[c]);
	base = frame_kernel_addr(slab);
	off = slab->free_off;
	check_free_obj(slab, base, off);
	slab->free_off = *obj_link(base + off);
	*obj_mark(base + off) = 0;	/* live now: a kfree must not take it for free */
	if (--slab->nfree == 0)
		partial_remove(c, slab);
	bytes_in_use += class_size(c);
	spin_unlock_irqrestore(&heap_lock, irq);
	return base + off;
}

/* What the frame holding a pointer that is not a heap block is, for a report. */
static const char *not_heap_why(const struct frame_meta *f)
{
	if (!f)
		return "not in the direct map";
	switch (f->kind) {
	case FRAME_KIND_HEAP_SMALL:
		return "inside a small heap object";
	case FRAME_KIND_HEAP_LARGE:
	case FRAME_KIND_HEAP_TAIL:
		return "inside a large heap object";
	case FRAME_KIND_PAGE:
		return "in a page frame";
	case FRAME_KIND_FREE:
		return "in a free frame: freed already?";
	default:
		return "in a frame the heap does not own: freed already?";
	}
}

static __attribute__((noinline, cold)) __noreturn void not_heap(const void *p,
								const struct frame_meta *f, const char *who)
{
	panic("%s: not a heap object: %p (%s)", who, p, not_heap_why(f));
}

/*
 * The usable size of the block at p, and its frame; a report naming `who`
 * (kfree, krealloc) unless p starts a heap block.
 */
static inline size_t block_size(const void *p, struct frame_meta **slab, const char *who)
{
	struct frame_meta *f = kernel_addr_to_frame(p);
	uintptr_t in_page = (uintptr_t)p & (PAGE_SIZE - 1);

	*slab = f;
	if (f && f->kind == FRAME_KIND_HEAP_SMALL && (in_page & (class_size(f->order) - 1)) == 0)
		return class_size(f->order);
	if (f && f->kind == FRAME_KIND_HEAP_LARGE && in_page == 0)
		return f->run * PAGE_SIZE;
	not_heap(p, f, who);
}

/* Is the object at off on its slab's free list?  heap_lock held. */
static bool on_free_list(const struct frame_meta *slab, char *base, uint32_t off)
{
	uint32_t cur = slab->free_off;

	/* At most one step per object: a corrupted list must not loop for ever. */
	for (uint16_t n = objs_per_slab(slab->order); n && cur != NO_OBJ && link_ok(slab, cur); n--) {
		if (cur == off)
			return true;
		cur = *obj_link(base + cur);
	}
	return false;
}

static __attribute__((noinline, cold)) void check_free_list(const struct frame_meta *slab, char *obj,
							     const char *who)
{
	uint32_t off = (uint32_t)((uintptr_t)obj & (PAGE_SIZE - 1));

	if (on_free_list(slab, obj - off, off))
		panic("%s: double free of %p (a %zu-byte heap object, freed already)", who, obj,
		      class_size(slab->order));
}

/*
 * A small block that carries the free mark and is on the free list was
 * freed already: `who` uses it after kfree.  The mark alone is only a
 * suspicion (live data may hold anything), the list settles it.
 * heap_lock held.
 */
static inline void check_not_free(const struct frame_meta *slab, char *obj, const char *who)
{
	if (__builtin_expect(obj_marked(obj), 0))
		check_free_list(slab, obj, who);
}

/*
 * The bodies of the public entry points.  checked: the caller is
 * instrumented code (kernel/'s calls in the checked build, renamed to
 * k*alloc_checked), whose blocks KASAN gives red zones and a quarantine;
 * when memory runs out, emptying the quarantine may help.  In the normal
 * build the KASAN hooks are no-ops (frame/kasan/kasan.h) and checked makes
 * no difference.  Always inlined, and nested allocations go through the
 * public names, so a KASAN trace sees the same frames as before
 * (frame/kasan/report.c skips the entry points by name).
 */
static inline __attribute__((always_inline)) void *heap_alloc(size_t size, bool checked)
{
	size_t real;
	void *block;

	if (size == 0)
		size = 1;	/* a unique pointer, as malloc(0) may give */
	if (size > SIZE_MAX / 2)
		return NULL;
	real = kasan_heap_size(size, checked);
	do
		block = real > MAX_SMALL ? alloc_large(real) : alloc_small(real);
	while (!block && checked && kasan_quarantine_flush());
	/* Out of frames: the reclaim callback, outside heap_lock, where the caller may sleep. */
	if (!block && frame_try_reclaim((real + PAGE_SIZE - 1) / PAGE_SIZE))
		block = real > MAX_SMALL ? alloc_large(real) : alloc_small(real);
	if (!block)
		return NULL;
	return kasan_heap_alloc(block, size, real > MAX_SMALL ? ALIGN_UP(real, PAGE_SIZE) :
							        class_size(size_class(real)), checked);
}

static inline __attribute__((always_inline)) void *heap_zalloc(size_t size, bool checked)
{
	void *p = checked ? kmalloc_checked(size) : kmalloc(size);

	if (p)
		mm_zero(p, size);
	return p;
}

static inline __attribute__((always_inline)) void *heap_calloc(size_t n, size_t size,
							       bool checked)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return checked ? kzalloc_checked(n * size) : kzalloc(n * size);
}

static inline __attribute__((always_inline)) void *heap_realloc(void *p, size_t size,
								bool checked)
{
	struct frame_meta *f;
	size_t old;
	void *q, *block;

	if (!p)
		return checked ? kmalloc_checked(size) : kmalloc(size);
	block = kasan_heap_block(p);
	old = kasan_heap_room(p, block, block_size(block, &f, "krealloc"));
	if (f->kind == FRAME_KIND_HEAP_SMALL) {
		irqflags_t irq = spin_lock_irqsave(&heap_lock);

		check_not_free(f, block, "krealloc");
		spin_unlock_irqrestore(&heap_lock, irq);
	}
	if (size <= old) {
		kasan_heap_resize(p, block, size);
		return p;	/* it fits: shrinking never moves a block */
	}
	q = checked ? kmalloc_checked(size) : kmalloc(size);
	if (!q)
		return NULL;
	arch_user_memory_freed(p, old);	/* a user context moves with its FPU state */
	mm_copy(q, p, MIN(old, size));
	kfree(p);
	return q;
}

void *kmalloc(size_t size)
{
	return heap_alloc(size, false);
}

void *kzalloc(size_t size)
{
	return heap_zalloc(size, false);
}

void *kcalloc(size_t n, size_t size)
{
	return heap_calloc(n, size, false);
}

void *krealloc(void *p, size_t size)
{
	return heap_realloc(p, size, false);
}

/* kernel/'s calls in the checked build (frame/kasan/kasan.h). */
void *kmalloc_checked(size_t size)
{
	return heap_alloc(size, true);
}

void *kzalloc_checked(size_t size)
{
	return heap_zalloc(size, true);
}

void *kcalloc_checked(size_t n, size_t size)
{
	return heap_calloc(n, size, true);
}

void *krealloc_checked(void *p, size_t size)
{
	return heap_realloc(p, size, true);
}

/* Give a block back for reuse (after the hooks had their say). */
static void release_block(void *block)
{
	struct frame_meta *f;
	size_t sz = block_size(block, &f, "kfree");
	unsigned int c;
	uint32_t off;
	irqflags_t irq;

	if (f->kind == FRAME_KIND_HEAP_LARGE) {
		account(-(ssize_t)sz);
		frames_free_run(f, f->run);
		return;
	}
	c = f->order;
	off = (uint32_t)((uintptr_t)block & (PAGE_SIZE - 1));
	irq = spin_lock_irqsave(&heap_lock);
	check_not_free(f, block, "kfree");
	bytes_in_use -= sz;
	obj_make_free(block, f->free_off);
	f->free_off = (uint16_t)off;
	if (++f->nfree == 1)
		partial_push(c, f);
	if (f->nfree == objs_per_slab(c)) {
		/* Empty: the frame goes back to the frame allocator. */
		partial_remove(c, f);
		spin_unlock_irqrestore(&heap_lock, irq);
		frames_free_run(f, 1);
		return;
	}
	spin_unlock_irqrestore(&heap_lock, irq);
}

void heap_release_block(void *block)
{
	release_block(block);
}

bool heap_block_of(uint64_t addr, bool (*fn)(uint64_t addr, void *block))
{
	struct frame_meta *f = kernel_addr_to_frame((const void *)addr);
	uint64_t page = ALIGN_DOWN(addr, PAGE_SIZE), cs, off;

	while (f && f->kind == FRAME_KIND_HEAP_TAIL && frame_pfn(f) > 0)
		f--;
	if (f && f->kind == FRAME_KIND_HEAP_LARGE)
		return fn(addr, frame_kernel_addr(f));
	if (!f || f->kind != FRAME_KIND_HEAP_SMALL)
		return false;
	/* Its own block first, then the one before (an overflow past its red zone). */
	cs = class_size(f->order);
	off = (addr - page) / cs * cs;
	return fn(addr, (void *)(page + off)) || (off && fn(addr, (void *)(page + off - cs)));
}

void kfree(void *p)
{
	struct frame_meta *f;
	void *block;
	size_t size;

	if (!p)
		return;
	block = kasan_heap_block(p);
	size = block_size(block, &f, "kfree");
	/* The CPU must not keep the FPU state of a user context in the block. */
	arch_user_memory_freed(block, size);
	block = kasan_heap_free(p, block, size);
	if (block)
		release_block(block);
}

size_t heap_bytes_in_use(void)
{
	kasan_quarantine_flush();	/* a quarantine does not count as in use */
	return __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED);
}

/*
 * Live data that looks like the free mark is not taken for a freed object:
 * the free list settles it.
 */
KTEST(heap_free_mark_in_live_data)
{
	size_t before = heap_bytes_in_use();
	uint64_t *p = kmalloc(32), *q;

	KT_ASSERT(p != NULL);
	p[FREE_MARK_OFF / 8] = FREE_MARK ^ (uint64_t)(uintptr_t)p;
	q = krealloc(p, 16);	/* fits: stays */
	KT_EXPECT(q == p);
	kfree(q);
	KT_EXPECT(heap_bytes_in_use() == before);
}
