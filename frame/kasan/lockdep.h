/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: the per-task state of the checked build's lock-order
 * checker (lockdep.c; the rules are in <aster/sync.h>).
 */
#ifndef ASTER_FRAME_KASAN_LOCKDEP_H
#define ASTER_FRAME_KASAN_LOCKDEP_H

#include <aster/types.h>

#define LOCKDEP_DEPTH	32	/* locks one task may hold at once */

struct lockdep_held {
	uint32_t n;
	struct {
		const void *lock;
		uint16_t cls;
		bool spin;
	} held[LOCKDEP_DEPTH];
};

/* The calling task's held locks, or NULL before the scheduler runs (frame/task/task.c). */
struct lockdep_held *task_lockdep_state(void);

#endif
