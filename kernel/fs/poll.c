// SPDX-License-Identifier: MPL-2.0
// Readiness changes: one global generation counter and wait queue.  Any
// file whose readiness changes bumps the generation; pollers (poll, select,
// epoll) sleep until it moves or their deadline passes.  Coarse, but never
// misses a wake-up.
#include <aster/errno.h>
#include <aster/sync.h>
#include <aster/timer.h>
#include <aster/wait.h>
#include "fs/file.h"
#include "process/signal.h"
#include "time/timespec.h"

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

unsigned int file_mask(struct file *f)
{
	if (f->ops && f->ops->poll)
		return f->ops->poll(f);
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

static bool gen_moved(void *arg)
{
	const uint64_t *gen = arg;

	return poll_generation() != *gen;
}

/* Sleep until the generation moves from gen or the deadline: 0, -ETIMEDOUT, -EINTR. */
int poll_sleep(uint64_t gen, uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns(), left = 0;
	int r;

	if (deadline != NO_TIMEOUT) {
		if (now >= deadline)
			return -ETIMEDOUT;
		left = deadline - now;
	}
	poll_sleep_begin();
	r = wait_interruptible(&poll_wait_queue, gen_moved, &gen, left);
	poll_sleep_end();
	if (r == -ERESTARTSYS)
		return -EINTR;
	return r;
}

uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = clock_monotonic_ns();

	return ns > NO_TIMEOUT - now - 1 ? NO_TIMEOUT : now + ns;
}

/* A struct timespec timeout from user: its deadline, or NO_TIMEOUT for NULL. */
int poll_deadline_from_user(uaddr_t ua, uint64_t *deadline)
{
	uint64_t ns;
	int err;

	if (!ua) {
		*deadline = NO_TIMEOUT;
		return 0;
	}
	err = timespec_from_user(ua, &ns);
	if (err)
		return err;
	*deadline = deadline_after(ns);
	return 0;
}

long poll_until(long (*scan)(void *arg), void *arg, uint64_t deadline)
{
	for (;;) {
		/* Read before the scan: a change during it moves the generation past gen. */
		uint64_t gen = poll_generation();
		long ready = scan(arg);
		int r;

		if (ready)
			return ready;
		r = poll_sleep(gen, deadline);
		if (r == -ETIMEDOUT)
			return 0;
		if (r)
			return r;
	}
}
