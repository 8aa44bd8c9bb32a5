// SPDX-License-Identifier: MPL-2.0
// Readiness changes: one global generation counter and wait queue.  Any
// file whose readiness changes bumps the generation; pollers sleep until it
// moves.  Coarse, but never misses a wake-up.
#include <aster/sync.h>
#include <aster/wait.h>
#include "fs/file.h"

struct wait_queue poll_wait_queue = WAIT_QUEUE_INIT;
static atomic64_t generation;
/* Tasks between poll_sleep_begin and poll_sleep_end. */
static atomic_t sleepers;

/*
 * Most readiness changes happen with nobody polling (a pipe read or
 * write): then only the generation moves, without taking the queue's lock.
 * The barriers pair with poll_sleep_begin: either the sleeper's check sees
 * the new generation, or this sees the sleeper counted and wakes it.
 */
void poll_wake(void)
{
	atomic64_add(&generation, 1);
	smp_mb();
	if (atomic_read(&sleepers) > 0)
		wake_up_all(&poll_wait_queue);
}

void poll_sleep_begin(void)
{
	atomic_inc(&sleepers);
	smp_mb();
}

void poll_sleep_end(void)
{
	atomic_dec(&sleepers);
}

uint64_t poll_generation(void)
{
	return (uint64_t)atomic64_read(&generation);
}
