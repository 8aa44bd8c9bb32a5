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
#include <aster/heap.h>
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

static uint16_t *obj_link(struct frame_meta *slab, uint32_t off)
{
	return (uint16_t *)((char *)frame_kernel_addr(slab) + off);
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

	if (!f)
		return false;
	f->kind = FRAME_KIND_HEAP_SMALL;
	f->order = c & 31;
	f->nfree = n;
	f->free_off = 0;
	kasan_heap_new_slab(f);
	for (uint16_t i = 0; i < n; i++)
		*obj_link(f, (uint32_t)i * sz) = i + 1 < n ? (uint16_t)((i + 1) * sz) : NO_OBJ;
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

static void *alloc_small(size_t size)
{
	unsigned int c = size_class(size);
	struct frame_meta *slab;
	uint32_t off;
	irqflags_t irq = spin_lock_irqsave(&heap_lock);

	if (!partial[c] && !grow_class(c)) {
		spin_unlock_irqrestore(&heap_lock, irq);
		return NULL;
	}
	slab = slab_of(partial[c]);
	off = slab->free_off;
	slab->free_off = *obj_link(slab, off);
	if (--slab->nfree == 0)
		partial_remove(c, slab);
	bytes_in_use += class_size(c);
	spin_unlock_irqrestore(&heap_lock, irq);
	return (char *)frame_kernel_addr(slab) + off;
}

/* The usable size of the block at p (which must start a live block). */
static size_t block_size(const void *p, struct frame_meta **slab)
{
	struct frame_meta *f = kernel_addr_to_frame(p);

	BUG_ON(!f);
	*slab = f;
	if (f->kind == FRAME_KIND_HEAP_SMALL) {
		BUG_ON(((uintptr_t)p & (PAGE_SIZE - 1)) % class_size(f->order));
		return class_size(f->order);
	}
	BUG_ON(f->kind != FRAME_KIND_HEAP_LARGE || ((uintptr_t)p & (PAGE_SIZE - 1)));
	return f->run * PAGE_SIZE;
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
	old = kasan_heap_room(p, block, block_size(block, &f));
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
	size_t sz = block_size(block, &f);
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
	bytes_in_use -= sz;
	*obj_link(f, off) = (uint16_t)f->free_off;
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
	size = block_size(block, &f);
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
