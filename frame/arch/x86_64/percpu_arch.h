/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: the calling CPU's number in one %gs-relative load,
 * for frame's hot paths (the scheduler's current task, softirq state).
 * aster/percpu.h's cpu_current_id() is the same, out of line for kernel/.
 */
#ifndef ASTER_ARCH_PERCPU_ARCH_H
#define ASTER_ARCH_PERCPU_ARCH_H

#include "user_defs.h"

static inline unsigned int arch_cpu_id(void)
{
	unsigned int id;

	/* The GS base is this CPU's struct cpu_local from its first instruction of C on. */
	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(id) : "i"(CPU_NUMBER));
	return id;
}

#endif
