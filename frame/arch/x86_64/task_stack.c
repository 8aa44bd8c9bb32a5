// SPDX-License-Identifier: MPL-2.0
// The initial stack of a new task, as arch_context_switch expects it.
#include "../../task/task_internal.h"

extern char task_trampoline[];

uint64_t arch_task_initial_rsp(void *stack_top)
{
	uint64_t *sp = (uint64_t *)((uint64_t)stack_top & ~15UL);

	/* After the ret, rsp is 16-aligned, so task_entry is entered as by a call. */
	*--sp = (uint64_t)task_trampoline;	/* arch_context_switch's ret */
	for (int i = 0; i < 6; i++)	/* rbp rbx r12 r13 r14 r15 */
		*--sp = 0;
	return (uint64_t)sp;
}
