// SPDX-License-Identifier: MPL-2.0
// io_getevents and io_pgetevents: take events from the ring's head (which
// user space may have moved itself) up to the tail, waiting until min_nr
// came, the timeout passed, a signal arrived or the context died.
#include <aster/errno.h>
#include "fs/aio/aio.h"
#include "process/signal.h"
#include "syscall/syscall.h"
#include <aster/timer.h>

#define NSEC_PER_S	1000000000LL

/*
 * Copy up to nr events to events: how many, or -EFAULT (then none is
 * consumed, as Linux's aio_read_events_ring).
 */
static long read_ring(struct aio_ctx *c, uaddr_t events, long nr)
{
	uint32_t head;
	long n = 0;

	mutex_lock(&c->lock);
	head = aio_ring_get(c, offsetof(struct aio_ring, head)) % c->nr_events;
	while (n < nr && head != c->tail) {
		struct io_event ev;

		aio_ring_read_event(c, head, &ev);
		if (copy_to_user(events + (uint64_t)n * sizeof(ev), &ev, sizeof(ev))) {
			mutex_unlock(&c->lock);
			return -EFAULT;
		}
		head = (head + 1) % c->nr_events;
		n++;
	}
	if (n)
		aio_ring_set(c, offsetof(struct aio_ring, head), head);
	mutex_unlock(&c->lock);
	return n;
}

/* Something to read, or nothing will ever come (read without the lock: a hint, rechecked). */
static bool ring_ready(void *arg)
{
	struct aio_ctx *c = arg;

	return c->dead || aio_ring_get(c, offsetof(struct aio_ring, head)) % c->nr_events != c->tail;
}

/*
 * Linux's read_events: *got events so far; 0 to stop, -ERESTARTSYS for a
 * signal.  wait_ns: 0 no waiting, UINT64_MAX forever.
 */
static long read_events(struct aio_ctx *c, long min_nr, long nr, uaddr_t events, uint64_t wait_ns)
{
	uint64_t deadline = wait_ns == UINT64_MAX ? UINT64_MAX : clock_monotonic_ns() + wait_ns;
	long got = 0;

	for (;;) {
		long r = read_ring(c, events + (uint64_t)got * sizeof(struct io_event), nr - got);
		uint64_t now, left = 0;
		int w;

		if (r < 0)
			return got ? got : r;
		got += r;
		if (c->dead)
			return got ? got : -EINVAL;
		if (got >= min_nr || !wait_ns)
			return got;
		now = clock_monotonic_ns();
		if (deadline != UINT64_MAX) {
			if (now >= deadline)
				return got;
			left = deadline - now;
		}
		w = wait_interruptible(&c->wq, ring_ready, c, left);
		if (w == -ERESTARTSYS)
			return got ? got : -EINTR;
	}
}

/* A relative struct timespec as Linux's timespec64_to_ktime takes it: no validation. */
static int wait_from_user(uaddr_t ts, uint64_t *wait_ns)
{
	int64_t v[2];

	*wait_ns = UINT64_MAX;
	if (!ts)
		return 0;
	if (copy_from_user(v, ts, sizeof(v)))
		return -EFAULT;
	if (v[0] < 0 || (v[0] == 0 && v[1] <= 0)) {
		*wait_ns = 0;
		return 0;
	}
	if (v[0] >= INT64_MAX / NSEC_PER_S - 1) {
		*wait_ns = UINT64_MAX - 1;
		return 0;
	}
	v[0] = v[0] * NSEC_PER_S + v[1];
	*wait_ns = v[0] > 0 ? (uint64_t)v[0] : 0;
	return 0;
}

static long do_getevents(uint64_t ctx_id, long min_nr, long nr, uaddr_t events, uint64_t wait_ns)
{
	struct aio_ctx *c = aio_lookup(ctx_id);
	long r = -EINVAL;

	if (!c)
		return -EINVAL;
	if (min_nr <= nr && min_nr >= 0)
		r = read_events(c, min_nr, nr, events, wait_ns);
	aio_ctx_put(c);
	return r;
}

long sys_io_getevents(unsigned long ctx_id, long min_nr, long nr, uaddr_t events, uaddr_t timeout)
{
	uint64_t wait_ns;
	int err = wait_from_user(timeout, &wait_ns);

	if (err)
		return err;
	return do_getevents(ctx_id, min_nr, nr, events, wait_ns);
}

long sys_io_pgetevents(unsigned long ctx_id, long min_nr, long nr, uaddr_t events, uaddr_t timeout,
		       uaddr_t usig)
{
	struct aio_sigset ksig = { 0, 0 };
	uint64_t wait_ns;
	bool set;
	long r = wait_from_user(timeout, &wait_ns);

	if (r)
		return r;
	if (usig && copy_from_user(&ksig, usig, sizeof(ksig)))
		return -EFAULT;
	r = set_user_sigmask(ksig.sigmask, ksig.sigsetsize, &set);
	if (r)
		return r;
	r = do_getevents(ctx_id, min_nr, nr, events, wait_ns);
	restore_user_sigmask(set, r);
	return r;
}
