// SPDX-License-Identifier: MPL-2.0
// KASAN in the kernel heap (the heap hooks of kasan.h).  Every block
// kernel/ allocates (k*alloc_checked) gets red zones and a header:
//
//   [ struct meta | left red zone ][ object: size bytes ][ right red zone >= 16 ]
//
// The header (in the left red zone) holds the object's size, state and
// where it was allocated and freed, for reports.  Objects that fit a size
// class start 128 bytes into their block (16-aligned, as kmalloc promises);
// bigger ones start a page in, so they stay page-aligned as the heap's large
// blocks are.  Freed objects are poisoned and wait in a FIFO quarantine of
// QUARANTINE_BYTES before the heap may reuse them, so a use after free hits
// poisoned memory instead of the next owner's object.
//
// frame/'s own blocks (plain kmalloc) keep the normal layout and are reused
// at once, so frame's code and tests see the heap they expect; they are
// poisoned while free like any other.  A block is a checked one exactly
// when the header before the pointer names that pointer.
#include <aster/frame.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "../internal.h"
#include "../mm/mm_internal.h"
#include "kasan.h"

#define META_MAGIC	0x4b41534eu	/* "KASN" */
#define LEFT_SMALL	128
#define RIGHT_MIN	16
#define SMALL_MAX	2048		/* the heap's largest size class */
#define QUARANTINE_BYTES MiB(1)

enum obj_state { OBJ_LIVE = 1, OBJ_FREED = 2 };

struct meta {
	uint32_t magic;
	uint32_t state;		/* enum obj_state */
	uint64_t size;		/* what the caller asked for */
	uint64_t usable;	/* the whole block */
	void *obj;		/* the address the caller got */
	struct meta *qnext;	/* quarantine: the next younger block */
	uint64_t alloc_trace[KASAN_TRACE];
	uint64_t free_trace[KASAN_TRACE];
};

_Static_assert(sizeof(struct meta) <= LEFT_SMALL, "kasan heap header too big");

static struct meta *q_head, *q_tail;	/* oldest, youngest */
static size_t q_bytes;
static spinlock_t q_lock = SPINLOCK_INIT;

static size_t left_of(size_t size)
{
	return LEFT_SMALL + ALIGN_UP(size, KASAN_GRANULE) + RIGHT_MIN <= SMALL_MAX ? LEFT_SMALL
										     : PAGE_SIZE;
}

size_t kasan_heap_size(size_t size, bool checked)
{
	if (!checked)
		return size;
	return left_of(size) + ALIGN_UP(size, KASAN_GRANULE) + RIGHT_MIN;
}

void kasan_heap_new_slab(struct frame_meta *slab)
{
	kasan_poison(frame_kernel_addr(slab), PAGE_SIZE, KASAN_HEAP_REDZONE);
}

void *kasan_heap_alloc(void *block, size_t size, size_t usable, bool checked)
{
	struct meta *m = block;
	char *obj = (char *)block + left_of(size);

	if (!checked) {
		kasan_unpoison(block, usable);
		return block;
	}
	*m = (struct meta){ .magic = META_MAGIC, .state = OBJ_LIVE, .size = size, .usable = usable,
			    .obj = obj };
	kasan_save_trace(m->alloc_trace, KASAN_TRACE, 1);
	kasan_poison(block, usable, KASAN_HEAP_REDZONE);
	kasan_unpoison(obj, size);
	return obj;
}

static struct meta *meta_of(const void *p)
{
	uint64_t a = (uint64_t)p;

	return (struct meta *)(a - ((a & (PAGE_SIZE - 1)) ? LEFT_SMALL : PAGE_SIZE));
}

void *kasan_heap_block(void *p)
{
	struct meta *m = meta_of(p);
	uint64_t caller[1];

	if ((uint64_t)p & (KASAN_GRANULE - 1) || m->magic != META_MAGIC || m->obj != p)
		return p;	/* a plain block (the heap checks it) */
	if (m->state == OBJ_LIVE)
		return m;
	kasan_save_trace(caller, 1, 2);	/* kfree's caller */
	kasan_report_heap("double-free", p, caller[0]);
}

size_t kasan_heap_room(void *p, void *block, size_t usable)
{
	if (block == p)
		return usable;
	return usable - ((uint64_t)p - (uint64_t)block) - RIGHT_MIN;
}

void kasan_heap_resize(void *p, void *block, size_t size)
{
	struct meta *m = block;
	size_t left = (uint64_t)p - (uint64_t)m;

	if (block == p)
		return;

	kasan_poison(p, m->usable - left, KASAN_HEAP_REDZONE);
	kasan_unpoison(p, size);
	m->size = size;
}

/* Take the oldest block while the quarantine is over `limit` bytes. */
static struct meta *q_pop(size_t limit)
{
	irqflags_t irq = spin_lock_irqsave(&q_lock);
	struct meta *m = NULL;

	if (q_head && q_bytes > limit) {
		m = q_head;
		q_head = m->qnext;
		if (!q_head)
			q_tail = NULL;
		q_bytes -= m->usable;
		m->magic = 0;	/* no longer a checked block: a later kfree is invalid */
	}
	spin_unlock_irqrestore(&q_lock, irq);
	return m;
}

static void q_push(struct meta *m)
{
	irqflags_t irq = spin_lock_irqsave(&q_lock);

	m->qnext = NULL;
	if (q_tail)
		q_tail->qnext = m;
	else
		q_head = m;
	q_tail = m;
	q_bytes += m->usable;
	spin_unlock_irqrestore(&q_lock, irq);
}

void *kasan_heap_free(void *p, void *block, size_t usable)
{
	struct meta *m = block;
	struct meta *old;

	if (block == p) {
		kasan_poison(block, usable, KASAN_HEAP_FREED);
		return block;
	}
	m->state = OBJ_FREED;
	kasan_save_trace(m->free_trace, KASAN_TRACE, 1);
	kasan_poison((char *)block + left_of(m->size), m->size, KASAN_HEAP_FREED);
	(void)usable;
	q_push(m);
	while ((old = q_pop(QUARANTINE_BYTES)))
		heap_release_block(old);
	return NULL;	/* the quarantine owns it now */
}

bool kasan_quarantine_flush(void)
{
	struct meta *old;
	bool any = false;

	while ((old = q_pop(0))) {
		heap_release_block(old);
		any = true;
	}
	return any;
}

/* For reports: the object a block header describes, if addr is in its block. */
static bool describe_block(uint64_t addr, void *block)
{
	struct meta *m = block;
	uint64_t start = (uint64_t)m + left_of(m->size), end = start + m->size;

	if (m->magic != META_MAGIC || m->obj != (void *)start || addr < (uint64_t)m || addr >= (uint64_t)m + m->usable)
		return false;
	printk(LOG_EMERG, "The buggy address belongs to the %s heap object at %016lx of size %lu\n",
	       m->state == OBJ_LIVE ? "allocated" : "freed", start, m->size);
	if (addr < start)
		printk(LOG_EMERG, "The buggy address is located %lu bytes to the left of the %lu-byte region [%016lx, %016lx)\n",
		       start - addr, m->size, start, end);
	else if (addr >= end)
		printk(LOG_EMERG, "The buggy address is located %lu bytes to the right of the %lu-byte region [%016lx, %016lx)\n",
		       addr - end, m->size, start, end);
	else
		printk(LOG_EMERG, "The buggy address is located %lu bytes inside the %lu-byte region [%016lx, %016lx)\n",
		       addr - start, m->size, start, end);
	kasan_print_trace("Allocated by:", m->alloc_trace, KASAN_TRACE);
	if (m->state == OBJ_FREED)
		kasan_print_trace("Freed by:", m->free_trace, KASAN_TRACE);
	return true;
}

bool kasan_heap_describe(uint64_t addr)
{
	return heap_block_of(addr, describe_block);
}
