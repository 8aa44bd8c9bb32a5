// SPDX-License-Identifier: MPL-2.0
// Readiness changes: one global generation counter and wait queue.  Any
// file whose readiness changes bumps the generation; pollers sleep until it
// moves.  Coarse, but never misses a wake-up.
#include <aster/sync.h>
#include <aster/wait.h>
#include "fs/file.h"

struct wait_queue poll_wait_queue = WAIT_QUEUE_INIT;
static atomic64_t generation;

void poll_wake(void)
{
	atomic64_add(&generation, 1);
	wake_up_all(&poll_wait_queue);
}

uint64_t poll_generation(void)
{
	return (uint64_t)atomic64_read(&generation);
}
