// SPDX-License-Identifier: MPL-2.0
// Memory for tasks: structures and kernel stacks.
//
// TEMPORARY: a fixed pool in .bss until the frame allocator lands; then
// stacks move to frames mapped with an unmapped guard page below each.
#include <aster/string.h>
#include "task_internal.h"

#define POOL_TASKS	64
#define STACK_SIZE	(16 * 1024)

static struct task task_pool[POOL_TASKS];
static bool task_used[POOL_TASKS];
static uint8_t stack_pool[POOL_TASKS][STACK_SIZE] __attribute__((aligned(4096)));
static bool stack_used[POOL_TASKS];
static spinlock_t pool_lock = SPINLOCK_INIT;

static int take_slot(bool *used)
{
	irqflags_t flags = spin_lock_irqsave(&pool_lock);
	int slot = -1;

	for (int i = 0; i < POOL_TASKS; i++) {
		if (!used[i]) {
			used[i] = true;
			slot = i;
			break;
		}
	}
	spin_unlock_irqrestore(&pool_lock, flags);
	return slot;
}

static void release_slot(bool *used, int slot)
{
	irqflags_t flags = spin_lock_irqsave(&pool_lock);

	used[slot] = false;
	spin_unlock_irqrestore(&pool_lock, flags);
}

struct task *task_struct_alloc(void)
{
	int slot = take_slot(task_used);

	return slot < 0 ? NULL : &task_pool[slot];
}

void task_struct_free(struct task *t)
{
	release_slot(task_used, (int)(t - task_pool));
}

void *task_stack_alloc(size_t *size)
{
	int slot = take_slot(stack_used);

	if (slot < 0)
		return NULL;
	*size = STACK_SIZE;
	return stack_pool[slot];
}

void task_stack_free(void *stack, size_t size)
{
	(void)size;
	release_slot(stack_used, (int)(((uint8_t(*)[STACK_SIZE])stack) - stack_pool));
}
