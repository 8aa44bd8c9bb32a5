// SPDX-License-Identifier: MPL-2.0
// Futexes.  Waiters hash by (address space, user address) into a few
// buckets; each waiter sleeps on its bucket's wait queue and rechecks its
// own flag, so one queue per bucket is enough.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/timer.h>
#include "process/futex.h"
#include "process/internal.h"
#include "syscall/syscall.h"

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_BITSET_MATCH_ANY	0xffffffffU

#define NBUCKETS	64

struct futex_waiter {
	struct list_node node;
	const void *space;	/* the address space: futexes are per process here */
	uaddr_t ua;
	uint32_t bitset;
	atomic_t woken;
};

struct futex_bucket {
	spinlock_t lock;
	struct list_node waiters;
	struct wait_queue wq;
};

static struct futex_bucket buckets[NBUCKETS];

static int futex_init(void)
{
	for (int i = 0; i < NBUCKETS; i++) {
		list_init(&buckets[i].waiters);
		wait_queue_init(&buckets[i].wq);
	}
	return 0;
}
KERNEL_INIT(futex_init);

/* By address alone: the same word in two processes just shares a bucket. */
static struct futex_bucket *bucket_of(const void *space, uaddr_t ua)
{
	(void)space;
	return &buckets[((ua >> 2) * 0x9e3779b97f4a7c15ULL) >> 58];
}

static const void *current_space(void)
{
	return current_process()->vmar;
}

static bool waiter_woken(void *arg)
{
	struct futex_waiter *w = arg;

	return atomic_read(&w->woken) != 0;
}

static int futex_wait(uaddr_t ua, uint32_t val, uint64_t timeout_ns, uint32_t bitset)
{
	struct futex_waiter w = { .space = current_space(), .ua = ua, .bitset = bitset };
	struct futex_bucket *b = bucket_of(w.space, ua);
	uint32_t cur;
	irqflags_t f;
	int err;

	if (ua & 3)
		return -EINVAL;
	if (!bitset)
		return -EINVAL;
	f = spin_lock_irqsave(&b->lock);
	/* Read under the bucket lock so a waker that changed the word first is seen. */
	if (get_user_u32(&cur, ua)) {
		spin_unlock_irqrestore(&b->lock, f);
		return -EFAULT;
	}
	if (cur != val) {
		spin_unlock_irqrestore(&b->lock, f);
		return -EAGAIN;
	}
	list_add_tail(&b->waiters, &w.node);
	spin_unlock_irqrestore(&b->lock, f);
	err = wait_interruptible(&b->wq, waiter_woken, &w, timeout_ns);
	f = spin_lock_irqsave(&b->lock);
	list_del(&w.node);
	spin_unlock_irqrestore(&b->lock, f);
	if (atomic_read(&w.woken))
		return 0;
	return err == -ETIMEDOUT ? -ETIMEDOUT : (err ? err : 0);
}

static int futex_wake(const void *space, uaddr_t ua, int n, uint32_t bitset)
{
	struct futex_bucket *b = bucket_of(space, ua);
	struct futex_waiter *w;
	int woken = 0;
	irqflags_t f = spin_lock_irqsave(&b->lock);

	list_for_each_entry(w, &b->waiters, node) {
		if (woken >= n)
			break;
		if (w->space != space || w->ua != ua || atomic_read(&w->woken) || !(w->bitset & bitset))
			continue;
		atomic_set(&w->woken, 1);
		woken++;
	}
	spin_unlock_irqrestore(&b->lock, f);
	if (woken)
		wake_up_all(&b->wq);
	return woken;
}

int futex_wake_addr(uaddr_t ua, int n)
{
	return futex_wake(current_space(), ua, n, FUTEX_BITSET_MATCH_ANY);
}

/* Move up to n waiters of ua to ua2 (they keep sleeping, now on ua2). */
static int futex_requeue(uaddr_t ua, uaddr_t ua2, int nwake, int nmove)
{
	const void *space = current_space();
	struct futex_bucket *b = bucket_of(space, ua), *b2 = bucket_of(space, ua2);
	struct futex_waiter *w, *tmp;
	int woken = futex_wake(space, ua, nwake, FUTEX_BITSET_MATCH_ANY), moved = 0;
	irqflags_t f;

	if (b != b2) {
		/* Different buckets: waking the rest is a correct (if eager) requeue. */
		return woken + futex_wake(space, ua, nmove, FUTEX_BITSET_MATCH_ANY);
	}
	f = spin_lock_irqsave(&b->lock);
	list_for_each_entry_safe(w, tmp, &b->waiters, node) {
		if (moved >= nmove)
			break;
		if (w->space == space && w->ua == ua && !atomic_read(&w->woken)) {
			w->ua = ua2;
			moved++;
		}
	}
	spin_unlock_irqrestore(&b->lock, f);
	return woken + moved;
}

static int timeout_from_user(uaddr_t ts_ua, bool absolute, bool realtime, uint64_t *out)
{
	int64_t ts[2];
	uint64_t when, now;

	*out = 0;
	if (!ts_ua)
		return 0;
	if (copy_from_user(ts, ts_ua, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	when = (uint64_t)ts[0] * 1000000000ULL + (uint64_t)ts[1];
	if (absolute) {
		now = realtime ? clock_realtime_ns() : clock_monotonic_ns();
		if (when <= now)
			return -ETIMEDOUT;
		when -= now;
	}
	*out = when ? when : 1;
	return 0;
}

long sys_futex(const struct syscall_args *a)
{
	uaddr_t ua = a->a[0];
	int op = (int)a->a[1], cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	uint32_t val = (uint32_t)a->a[2];
	uint64_t timeout;
	int err;

	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		err = timeout_from_user(a->a[3], cmd == FUTEX_WAIT_BITSET,
					op & FUTEX_CLOCK_REALTIME, &timeout);
		if (err)
			return err;
		return futex_wait(ua, val, timeout,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : (uint32_t)a->a[5]);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (ua & 3)
			return -EINVAL;
		return futex_wake(current_space(), ua, (int)MIN(val, (uint32_t)INT32_MAX),
				  cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : (uint32_t)a->a[5]);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if (cmd == FUTEX_CMP_REQUEUE) {
			uint32_t cur;

			if (get_user_u32(&cur, ua))
				return -EFAULT;
			if (cur != (uint32_t)a->a[5])
				return -EAGAIN;
		}
		return futex_requeue(ua, a->a[4], (int)MIN(val, (uint32_t)INT32_MAX),
				     (int)MIN(a->a[3], (uint64_t)INT32_MAX));
	default:
		return -ENOSYS;
	}
}
