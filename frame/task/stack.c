// SPDX-License-Identifier: MPL-2.0
// Memory for tasks.  Task records come from a table of chunks that grows
// and never shrinks (type-stable: a tcb is never anything else), with a
// free list of slots; each life of a slot has its own generation, so a
// stale handle is refused (task_internal.h).  Each kernel stack is a kernel
// virtual area of fresh frames with an unmapped guard page below it, so an
// overflow faults (and is reported) instead of silently overwriting
// whatever lies beneath.
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "../internal.h"
#include "../mm/mm_internal.h"
#include "task_internal.h"

#define STACK_PAGES	4

struct tcb *task_chunks[TASK_MAX_CHUNKS];
uint32_t nr_task_slots;			/* slots in published chunks */
static struct tcb *free_tcbs;
static spinlock_t tcb_lock = SPINLOCK_INIT;

/* A new chunk's slots go on the free list; false when out of memory or slots. */
static bool grow_table(void)
{
	uint32_t first = __atomic_load_n(&nr_task_slots, __ATOMIC_RELAXED);
	struct tcb *chunk;
	irqflags_t flags;

	if (first / TASK_CHUNK >= TASK_MAX_CHUNKS)
		return false;
	chunk = kzalloc(TASK_CHUNK * sizeof(*chunk));
	if (!chunk)
		return false;
	flags = spin_lock_irqsave(&tcb_lock);
	if (__atomic_load_n(&nr_task_slots, __ATOMIC_RELAXED) != first) {
		spin_unlock_irqrestore(&tcb_lock, flags);	/* grown meanwhile */
		kfree(chunk);
		return true;
	}
	for (uint32_t i = TASK_CHUNK; i-- > 0;) {
		chunk[i].slot = first + i;
		chunk[i].free_next = free_tcbs;
		free_tcbs = &chunk[i];
	}
	task_chunks[first / TASK_CHUNK] = chunk;
	/* Publish the chunk before its slots can be named. */
	__atomic_store_n(&nr_task_slots, first + TASK_CHUNK, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&tcb_lock, flags);
	return true;
}

struct tcb *task_struct_alloc(void)
{
	for (;;) {
		irqflags_t flags = spin_lock_irqsave(&tcb_lock);
		struct tcb *t = free_tcbs;

		if (t) {
			uint32_t slot = t->slot, gen = t->gen;

			free_tcbs = t->free_next;
			memset(t, 0, sizeof(*t));
			t->slot = slot;
			t->gen = gen;
			t->handle = (struct task *)(uintptr_t)(TASK_HANDLE_TAG << 56 |
				(uint64_t)(gen & TASK_GEN_MASK) << 32 | slot);
			t->live = true;
			spin_unlock_irqrestore(&tcb_lock, flags);
			return t;
		}
		spin_unlock_irqrestore(&tcb_lock, flags);
		if (!grow_table())
			return NULL;
	}
}

void task_struct_free(struct tcb *t)
{
	irqflags_t flags = spin_lock_irqsave(&tcb_lock);

	BUG_ON(!t->live);
	t->live = false;
	t->gen++;		/* every handle to this life of the slot is stale now */
	t->free_next = free_tcbs;
	free_tcbs = t;
	spin_unlock_irqrestore(&tcb_lock, flags);
}

__noreturn __attribute__((cold)) void task_handle_bad(const struct task *h)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	uint32_t slot = (uint32_t)v;
	const struct tcb *t;

	int n;
	const char *in = handle_caller(__builtin_return_address(0), &n);

	if (v >> 56 != TASK_HANDLE_TAG || slot >= __atomic_load_n(&nr_task_slots, __ATOMIC_ACQUIRE))
		panic("bad task handle %p in %.*s (not a handle frame/ made)", h, n, in);
	t = &task_chunks[slot / TASK_CHUNK][slot % TASK_CHUNK];
	panic("stale task handle %p in %.*s: slot %u gen %u was released; the slot is %s (gen %u)",
	      h, n, in, slot, (uint32_t)(v >> 32) & TASK_GEN_MASK,
	      t->live ? "another task now" : "free", t->gen & TASK_GEN_MASK);
}

void *task_stack_alloc(size_t *size)
{
	void *stack = kva_alloc_stack(STACK_PAGES);

	if (!stack)
		return NULL;
	*size = STACK_PAGES * PAGE_SIZE;
	return stack;
}

void task_stack_free(void *stack, size_t size)
{
	arch_user_memory_freed(stack, size);	/* a user context may live on it */
	kva_free_stack(stack, size / PAGE_SIZE);
}
