// SPDX-License-Identifier: MPL-2.0
// Memory for tasks: the task structure comes from the heap, and each kernel
// stack is a kernel virtual area of fresh frames with an unmapped guard page
// below it, so an overflow faults (and is reported) instead of silently
// overwriting whatever lies beneath.
#include <aster/heap.h>
#include <aster/string.h>
#include "../mm/mm_internal.h"
#include "task_internal.h"

#define STACK_PAGES	4

struct task *task_struct_alloc(void)
{
	return kzalloc(sizeof(struct task));
}

void task_struct_free(struct task *t)
{
	kfree(t);
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
	kva_free_stack(stack, size / PAGE_SIZE);
}
