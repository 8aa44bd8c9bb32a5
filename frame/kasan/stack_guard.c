// SPDX-License-Identifier: MPL-2.0
// The checked build's stack guard.  kernel/ is compiled with
// -finstrument-functions there, so every kernel/ function starts with a call
// here: if its frame lies in the lowest STACK_GUARD bytes of its task's
// stack, that is reported as a kernel stack overflow (and the kernel ends)
// while there is still room to print the report, instead of running off
// the stack into a neighbour.  Frames of kernel/ are bounded
// (-Wframe-larger-than=2048), so none can jump over the guard.  Code on
// another stack (interrupts, the boot task) is not checked.
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/task.h>
#include "../internal.h"
#include "../task/task_internal.h"
#include "kasan.h"

#define STACK_GUARD	4096

void __cyg_profile_func_enter(void *fn, void *call_site);
void __cyg_profile_func_exit(void *fn, void *call_site);

static __noreturn void overflow(const struct tcb *t, uint64_t sp, void *fn)
{
	uint64_t off;
	const char *name = ksym_lookup((uint64_t)fn, &off);

	arch_irq_save();
	printk(LOG_EMERG, "==================================================================\n");
	if (ktest_current())
		printk(LOG_EMERG, "ktest: FAIL %s: kernel stack overflow\n", ktest_current());
	printk(LOG_EMERG, "BUG: kernel stack overflow in %s: task %s, frame at %016lx, stack [%016lx, %016lx), %lu bytes left\n",
	       name ? name : "?", t->name, sp, (uint64_t)t->stack,
	       (uint64_t)t->stack + t->stack_size, sp - (uint64_t)t->stack);
	printk(LOG_EMERG, "==================================================================\n");
	panic("kernel stack overflow");
}

void __cyg_profile_func_enter(void *fn, void *call_site)
{
	struct tcb *t = tcb_current();
	uint64_t sp = (uint64_t)__builtin_frame_address(0), lo;

	(void)call_site;
	if (!t || !t->stack)
		return;
	lo = (uint64_t)t->stack;
	if (sp >= lo && sp < lo + STACK_GUARD)
		overflow(t, sp, fn);
}

void __cyg_profile_func_exit(void *fn, void *call_site)
{
	(void)fn;
	(void)call_site;
}
