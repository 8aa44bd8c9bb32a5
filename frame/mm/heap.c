// SPDX-License-Identifier: MPL-2.0
// The kernel heap: size classes of 16..2048 bytes carved from single
// frames (slabs), and runs of frames for anything larger.  The frame
// metadata says which, so kfree needs no header in front of a block.
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "mm_internal.h"

#define NR_CLASSES	8
#define MIN_SHIFT	4	/* 16 bytes */
#define MAX_SMALL	2048
#define NO_OBJ		0xffff

/* Per class: slabs with at least one free object (a list through the frame metadata). */
static uint32_t partial[NR_CLASSES];
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

/* The free objects of a slab are chained by 16-bit offsets stored in them. */
static uint16_t *obj_link(struct frame *slab, uint16_t off)
{
	return (uint16_t *)((char *)frame_kernel_addr(slab) + off);
}

static void partial_push(unsigned int c, struct frame *slab)
{
	uint32_t id = (uint32_t)frame_pfn(slab) + 1;

	slab->slab_prev = 0;
	slab->slab_next = partial[c];
	if (partial[c])
		pfn_to_frame(partial[c] - 1)->slab_prev = id;
	partial[c] = id;
}

static void partial_remove(unsigned int c, struct frame *slab)
{
	if (slab->slab_prev)
		pfn_to_frame(slab->slab_prev - 1)->slab_next = slab->slab_next;
	else
		partial[c] = slab->slab_next;
	if (slab->slab_next)
		pfn_to_frame(slab->slab_next - 1)->slab_prev = slab->slab_prev;
	slab->slab_next = slab->slab_prev = 0;
}

/* A new slab for class c, on the partial list.  Lock held. */
static bool grow_class(unsigned int c)
{
	struct frame *f = frames_alloc_run(1, 0);
	uint16_t sz = (uint16_t)class_size(c), n = objs_per_slab(c);

	if (!f)
		return false;
	f->kind = FRAME_KIND_HEAP_SMALL;
	f->heap_class = (uint8_t)c;
	f->heap_free = n;
	f->free_off = 0;
	for (uint16_t i = 0; i < n; i++)
		*obj_link(f, (uint16_t)(i * sz)) = i + 1 < n ? (uint16_t)((i + 1) * sz) : NO_OBJ;
	partial_push(c, f);
	return true;
}

static void *alloc_large(size_t size)
{
	size_t n = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	struct frame *f = frames_alloc_run(n, 0);
	irqflags_t irq;

	if (!f)
		return NULL;
	f->kind = FRAME_KIND_HEAP_LARGE;
	irq = spin_lock_irqsave(&heap_lock);
	bytes_in_use += n * PAGE_SIZE;
	spin_unlock_irqrestore(&heap_lock, irq);
	return frame_kernel_addr(f);
}

void *kmalloc(size_t size)
{
	unsigned int c;
	struct frame *slab;
	uint16_t off;
	irqflags_t irq;

	if (size == 0)
		size = 1;
	if (size > MAX_SMALL)
		return size > (SIZE_MAX >> 1) ? NULL : alloc_large(size);
	c = size_class(size);
	irq = spin_lock_irqsave(&heap_lock);
	if (!partial[c] && !grow_class(c)) {
		spin_unlock_irqrestore(&heap_lock, irq);
		return NULL;
	}
	slab = pfn_to_frame(partial[c] - 1);
	off = slab->free_off;
	slab->free_off = *obj_link(slab, off);
	if (--slab->heap_free == 0)
		partial_remove(c, slab);
	bytes_in_use += class_size(c);
	spin_unlock_irqrestore(&heap_lock, irq);
	return (char *)frame_kernel_addr(slab) + off;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* The usable size of a block, from its frame's metadata. */
static size_t block_size(const void *p, struct frame **head)
{
	struct frame *f = kernel_addr_to_frame(p);

	BUG_ON(!f);
	if (f->kind == FRAME_KIND_HEAP_SMALL) {
		*head = f;
		return class_size(f->heap_class);
	}
	BUG_ON(f->kind != FRAME_KIND_HEAP_LARGE);
	*head = f;
	return f->run * PAGE_SIZE;
}

void kfree(void *p)
{
	struct frame *f;
	size_t sz;
	irqflags_t irq;
	unsigned int c;
	uint16_t off;

	if (!p)
		return;
	sz = block_size(p, &f);
	if (f->kind == FRAME_KIND_HEAP_LARGE) {
		irq = spin_lock_irqsave(&heap_lock);
		bytes_in_use -= sz;
		spin_unlock_irqrestore(&heap_lock, irq);
		frames_free_run(f, f->run);
		return;
	}
	c = f->heap_class;
	off = (uint16_t)((uintptr_t)p & (PAGE_SIZE - 1));
	BUG_ON(off % sz);
	irq = spin_lock_irqsave(&heap_lock);
	bytes_in_use -= sz;
	*obj_link(f, off) = f->free_off;
	f->free_off = off;
	if (++f->heap_free == 1)
		partial_push(c, f);
	if (f->heap_free == objs_per_slab(c)) {
		/* Empty: give the frame back. */
		partial_remove(c, f);
		spin_unlock_irqrestore(&heap_lock, irq);
		frames_free_run(f, 1);
		return;
	}
	spin_unlock_irqrestore(&heap_lock, irq);
}

void *krealloc(void *p, size_t size)
{
	struct frame *f;
	size_t old;
	void *q;

	if (!p)
		return kmalloc(size);
	old = block_size(p, &f);
	if (size <= old)
		return p;
	q = kmalloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, old);
	kfree(p);
	return q;
}

size_t heap_bytes_in_use(void)
{
	return bytes_in_use;
}

KTEST(heap_all_classes_and_large)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 512, 1000, 2048, 2049, 4096, 10000,
					100000 };
	void *p[ARRAY_SIZE(sizes)];
	size_t before = heap_bytes_in_use();

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		KT_ASSERT(p[i] != NULL);
		KT_EXPECT(((uintptr_t)p[i] & 15) == 0);
		memset(p[i], (int)i, sizes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		const uint8_t *b = p[i];

		KT_EXPECT(b[0] == i && b[sizes[i] - 1] == i);	/* no overlap */
		kfree(p[i]);
	}
	KT_EXPECT(heap_bytes_in_use() == before);
	KT_EXPECT(kmalloc(SIZE_MAX) == NULL);
}

KTEST(heap_realloc_and_zero)
{
	char *p = kzalloc(40);

	KT_ASSERT(p != NULL);
	KT_EXPECT(p[0] == 0 && p[39] == 0);
	memcpy(p, "keep", 4);
	p = krealloc(p, 5000);
	KT_ASSERT(p != NULL);
	KT_EXPECT(memcmp(p, "keep", 4) == 0);
	kfree(p);
	kfree(NULL);
}

KTEST(heap_exhaustion_returns_null)
{
	size_t frames_before = frames_free(), n = 0;
	void **chain = NULL;

	/* Fill memory with 2 KiB blocks, chained through their first word. */
	for (;;) {
		void **b = kmalloc(2048);

		if (!b)
			break;
		*b = chain;
		chain = b;
		n++;
	}
	KT_EXPECT(n > 0);
	KT_EXPECT(kmalloc(16 * PAGE_SIZE) == NULL);
	while (chain) {
		void **next = *chain;

		kfree(chain);
		chain = next;
	}
	/* Empty slabs went back: no frame is lost. */
	KT_EXPECT(frames_free() == frames_before);
}
