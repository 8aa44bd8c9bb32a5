// SPDX-License-Identifier: MPL-2.0
// Futexes.  Waiters hash by their key (see struct futex_key) into a few
// buckets; each waiter sleeps on its bucket's wait queue and rechecks its
// own flag, so one queue per bucket is enough.  Also the robust-futex list
// a thread leaves behind when it exits or execs.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/timer.h>
#include "mm/vmar.h"
#include "process/pid.h"
#include "process/futex.h"
#include "process/internal.h"
#include "syscall/syscall.h"
#include "time/timespec.h"
#include <aster/heap.h>
#include "uapi/futex.h"
#include "uapi/time.h"

#define NBUCKETS	64

/*
 * What a futex is: private futexes are words of one address space (the
 * vmar and the address); shared ones are offsets in the object a shared
 * mapping shows (so processes mapping it at different addresses agree),
 * and the vmar and address again for a private mapping.
 */
struct futex_key {
	const void *obj;
	uint64_t off;
};

/* futex_waitv's waiters share one: a wake-up of any of them ends the wait. */
struct futex_group {
	struct wait_queue wq;
	atomic_t woken;		/* how many of its waiters were woken */
};

struct futex_waiter {
	struct list_node node;
	struct futex_key key;
	uint32_t bitset;
	atomic_t woken;
	struct futex_group *group;	/* futex_waitv's, or NULL */
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
		spin_lock_init(&buckets[i].lock);
		list_init(&buckets[i].waiters);
		wait_queue_init(&buckets[i].wq);
	}
	return 0;
}
KERNEL_INIT(futex_init);

static int futex_key_of(uaddr_t ua, bool private, struct futex_key *k)
{
	struct vmar *vm = current_process()->vmar;

	if (ua & 3)
		return -EINVAL;
	if (private) {
		k->obj = vm;
		k->off = ua;
		return 0;
	}
	return vmar_futex_key(vm, ua, &k->obj, &k->off);
}

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->obj == b->obj && a->off == b->off;
}

/* By the offset alone: the same offset in two objects just shares a bucket. */
static struct futex_bucket *bucket_of(const struct futex_key *k)
{
	return &buckets[((k->off >> 2) * 0x9e3779b97f4a7c15ULL) >> 58];
}

static bool waiter_woken(void *arg)
{
	struct futex_waiter *w = arg;

	return atomic_read(&w->woken) != 0;
}

static int futex_wait(uaddr_t ua, bool private, uint32_t val, uint64_t timeout_ns, uint32_t bitset)
{
	struct futex_waiter w = { .bitset = bitset };
	struct futex_bucket *b;
	uint32_t cur;
	irqflags_t f;
	int err = futex_key_of(ua, private, &w.key);

	if (err)
		return err;
	if (!bitset)
		return -EINVAL;
	b = bucket_of(&w.key);
	/*
	 * Queue first, then read the word: reading may fault, and a fault may
	 * sleep, which the bucket's spinlock forbids.  A waker changes the word
	 * before it wakes, so either the read sees the change or the wake-up
	 * finds this waiter queued: none is lost.
	 */
	f = spin_lock_irqsave(&b->lock);
	list_add_tail(&b->waiters, &w.node);
	spin_unlock_irqrestore(&b->lock, f);
	if (get_user_u32(&cur, ua))
		err = -EFAULT;
	else if (cur != val)
		err = -EAGAIN;
	else
		err = wait_interruptible(&b->wq, waiter_woken, &w, timeout_ns);
	f = spin_lock_irqsave(&b->lock);
	list_del(&w.node);
	spin_unlock_irqrestore(&b->lock, f);
	if (atomic_read(&w.woken))
		return 0;
	return err;
}

static int futex_wake_key(const struct futex_key *k, int n, uint32_t bitset)
{
	struct futex_bucket *b = bucket_of(k);
	struct futex_waiter *w;
	int woken = 0;
	irqflags_t f = spin_lock_irqsave(&b->lock);

	list_for_each_entry(w, &b->waiters, node) {
		if (woken >= n)
			break;
		if (!key_eq(&w->key, k) || atomic_read(&w->woken) || !(w->bitset & bitset))
			continue;
		atomic_set(&w->woken, 1);
		woken++;
		/* Still queued, so the group (on the waiter's stack) is alive. */
		if (w->group) {
			atomic_inc(&w->group->woken);
			wake_up_all(&w->group->wq);
		}
	}
	spin_unlock_irqrestore(&b->lock, f);
	if (woken)
		wake_up_all(&b->wq);
	return woken;
}

static int futex_wake(uaddr_t ua, bool private, int n, uint32_t bitset)
{
	struct futex_key k;
	int err = futex_key_of(ua, private, &k);

	return err ? err : futex_wake_key(&k, n, bitset);
}

int futex_wake_addr(uaddr_t ua, int n)
{
	return futex_wake(ua, false, n, FUTEX_BITSET_MATCH_ANY);
}

/* Move up to n waiters of ua to ua2 (they keep sleeping, now on ua2). */
static int futex_requeue(uaddr_t ua, uaddr_t ua2, bool private, int nwake, int nmove)
{
	struct futex_key k, k2;
	struct futex_bucket *b, *b2;
	struct futex_waiter *w, *tmp;
	int woken, moved = 0;
	irqflags_t f;
	int err = futex_key_of(ua, private, &k);

	if (!err)
		err = futex_key_of(ua2, private, &k2);
	if (err)
		return err;
	b = bucket_of(&k);
	b2 = bucket_of(&k2);
	woken = futex_wake_key(&k, nwake, FUTEX_BITSET_MATCH_ANY);
	if (b != b2) {
		/* Different buckets: waking the rest is a correct (if eager) requeue. */
		return woken + futex_wake_key(&k, nmove, FUTEX_BITSET_MATCH_ANY);
	}
	f = spin_lock_irqsave(&b->lock);
	list_for_each_entry_safe(w, tmp, &b->waiters, node) {
		if (moved >= nmove)
			break;
		if (key_eq(&w->key, &k) && !atomic_read(&w->woken)) {
			w->key = k2;
			moved++;
		}
	}
	spin_unlock_irqrestore(&b->lock, f);
	return woken + moved;
}

/* Apply op to *ua atomically; *old gets the value before.  0, -EFAULT or -ENOSYS. */
static int wake_op_apply(uaddr_t ua, uint32_t encoded, uint32_t *old)
{
	unsigned int op = (encoded >> 28) & 7;
	uint32_t oparg = (uint32_t)((int32_t)(encoded << 8) >> 20);	/* 12 bits, signed */
	uint32_t val, found, newval;

	if ((encoded >> 28) & FUTEX_OP_OPARG_SHIFT)
		oparg = 1U << (oparg & 31);
	if (op > 4)
		return -ENOSYS;
	if (get_user_u32(&val, ua))
		return -EFAULT;
	for (;;) {
		newval = op == 0 ? oparg : op == 1 ? val + oparg : op == 2 ? val | oparg :
			 op == 3 ? val & ~oparg : val ^ oparg;
		if (cmpxchg_user_u32(ua, val, newval, &found))
			return -EFAULT;
		if (found == val)
			break;
		val = found;
	}
	*old = val;
	return 0;
}

static int wake_op_compare(uint32_t encoded, uint32_t oldval, bool *result)
{
	int32_t old = (int32_t)oldval, arg = (int32_t)(encoded << 20) >> 20;

	switch ((encoded >> 24) & 15) {
	case 0: *result = old == arg; return 0;
	case 1: *result = old != arg; return 0;
	case 2: *result = old < arg; return 0;
	case 3: *result = old <= arg; return 0;
	case 4: *result = old > arg; return 0;
	case 5: *result = old >= arg; return 0;
	default: return -ENOSYS;
	}
}

/*
 * FUTEX_WAKE_OP: change the word at ua2 atomically, wake up to n on ua,
 * and, if the old value at ua2 passes the comparison, up to n2 on ua2.
 */
static int futex_wake_op(uaddr_t ua, uaddr_t ua2, bool private, int n, int n2, uint32_t encoded)
{
	struct futex_key k, k2;
	uint32_t old;
	bool hit;
	int woken, err = futex_key_of(ua, private, &k);

	if (!err)
		err = futex_key_of(ua2, private, &k2);
	if (!err)
		err = wake_op_apply(ua2, encoded, &old);
	/* As on Linux, a bad comparison fails after the operation, waking nobody. */
	if (!err)
		err = wake_op_compare(encoded, old, &hit);
	if (err)
		return err;
	woken = futex_wake_key(&k, n, FUTEX_BITSET_MATCH_ANY);
	if (hit)
		woken += futex_wake_key(&k2, n2, FUTEX_BITSET_MATCH_ANY);
	return woken;
}

/*
 * The thread tid ended holding the robust futex at ua: mark it
 * FUTEX_OWNER_DIED so the next locker gets EOWNERDEAD, and wake one waiter.
 * pending: ua is the lock the thread was taking or releasing when it ended;
 * if nobody owns it, a waiter may still wait for the wake-up it was owed.
 */
static void robust_futex_died(uaddr_t ua, uint32_t tid, bool pending)
{
	uint32_t val, found;

	for (int tries = 0; tries < 64; tries++) {
		if (get_user_u32(&val, ua))
			return;
		if (pending && val == 0) {
			(void)futex_wake(ua, false, 1, FUTEX_BITSET_MATCH_ANY);
			return;
		}
		if ((val & FUTEX_TID_MASK) != tid)
			return;
		if (cmpxchg_user_u32(ua, val, (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED, &found))
			return;
		if (found != val)
			continue;	/* a waiter set FUTEX_WAITERS meanwhile */
		if (val & FUTEX_WAITERS)
			(void)futex_wake(ua, false, 1, FUTEX_BITSET_MATCH_ANY);
		return;
	}
}

/* A robust-list pointer: the entry, and bit 0 (a PI futex) apart. */
static int get_robust_entry(uaddr_t at, uaddr_t *entry, bool *pi)
{
	uint64_t v;

	if (get_user_u64(&v, at))
		return -EFAULT;
	*entry = v & ~1ULL;
	*pi = v & 1;
	return 0;
}

/*
 * struct robust_list_head { next; long futex_offset; list_op_pending; }:
 * a circular list through the locked mutexes, each futex word at
 * futex_offset from its entry.
 */
void futex_exit_robust_list(struct thread *t)
{
	uaddr_t head = t->robust_list, entry, next, pending;
	bool pi, next_pi, pending_pi;
	uint64_t offset;
	int limit = ROBUST_LIST_LIMIT;
	/* The futex words hold the thread's own view of its id (gettid in its pid namespace). */
	pid_t own_tid = t->kpid ? t->kpid->up[t->kpid->level].nr : t->tid;

	t->robust_list = 0;
	if (!head)
		return;
	if (get_robust_entry(head, &entry, &pi) || get_user_u64(&offset, head + 8) ||
	    get_robust_entry(head + 16, &pending, &pending_pi))
		return;
	while (entry != head && limit-- > 0) {
		/* Read the next entry first: the wake-up may let a waiter reuse this one. */
		int err = get_robust_entry(entry, &next, &next_pi);

		if (entry != pending)
			robust_futex_died(entry + offset, (uint32_t)own_tid, false);
		if (err)
			return;
		entry = next;
		pi = next_pi;
	}
	(void)pi;
	if (pending)
		robust_futex_died(pending + offset, (uint32_t)own_tid, !pending_pi);
}

static int timeout_from_user(uaddr_t ts_ua, bool absolute, bool realtime, uint64_t *out)
{
	uint64_t when, now;
	int err;

	*out = 0;
	if (!ts_ua)
		return 0;
	err = timespec_from_user(ts_ua, &when);
	if (err)
		return err;
	if (absolute) {
		now = realtime ? clock_realtime_ns() : clock_monotonic_ns();
		if (when <= now)
			return -ETIMEDOUT;
		when -= now;
	}
	*out = when ? when : 1;
	return 0;
}

long sys_futex(uaddr_t uaddr, int futex_op, unsigned int val, uaddr_t timeout, uaddr_t uaddr2,
	       unsigned int val3)
{
	uaddr_t ua = uaddr;
	int op = futex_op, cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool private = (op & FUTEX_PRIVATE_FLAG) != 0;
	uint64_t timeout_ns;
	int err;

	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		err = timeout_from_user(timeout, cmd == FUTEX_WAIT_BITSET,
					op & FUTEX_CLOCK_REALTIME, &timeout_ns);
		if (err)
			return err;
		return futex_wait(ua, private, val, timeout_ns,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return futex_wake(ua, private, (int)MIN(val, (uint32_t)INT32_MAX),
				  cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if (cmd == FUTEX_CMP_REQUEUE) {
			uint32_t cur;

			if (get_user_u32(&cur, ua))
				return -EFAULT;
			if (cur != val3)
				return -EAGAIN;
		}
		return futex_requeue(ua, uaddr2, private, (int)MIN(val, (uint32_t)INT32_MAX),
				     (int)MIN(timeout, (uint64_t)INT32_MAX));
	case FUTEX_WAKE_OP:
		return futex_wake_op(ua, uaddr2, private, (int)MIN(val, (uint32_t)INT32_MAX),
				     (int)MIN(timeout, (uint64_t)INT32_MAX), val3);
	default:
		return -ENOSYS;
	}
}

/* ---- futex_waitv ---- */

struct waitv {
	struct futex_group group;
	unsigned int n;
	struct futex_waiter *w;		/* n of them */
	uint64_t *val;
	uaddr_t *ua;
};

static void waitv_free(struct waitv *v)
{
	kfree(v->w);
	kfree(v->val);
	kfree(v->ua);
}

/* Linux's futex_parse_waitv: every waiter's flags before any address is looked at. */
static int waitv_parse(struct waitv *v, uaddr_t waiters, bool *private)
{
	for (unsigned int i = 0; i < v->n; i++) {
		struct futex_waitv aux;

		if (copy_from_user(&aux, waiters + i * sizeof(aux), sizeof(aux)))
			return -EFAULT;
		if ((aux.flags & ~(uint32_t)(FUTEX_32 | FUTEX_PRIVATE_FLAG)) || aux.__reserved)
			return -EINVAL;
		if (!(aux.flags & FUTEX_32))
			return -EINVAL;
		/* Compared as 64 bits: a value with a high half never matches the word. */
		v->val[i] = aux.val;
		v->ua[i] = aux.uaddr;
		private[i] = aux.flags & FUTEX_PRIVATE_FLAG;
	}
	return 0;
}

static void waitv_unqueue(struct waitv *v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct futex_bucket *b = bucket_of(&v->w[i].key);
		irqflags_t f = spin_lock_irqsave(&b->lock);

		list_del(&v->w[i].node);
		spin_unlock_irqrestore(&b->lock, f);
	}
}

/* The last waiter that was woken (Linux's futex_unqueue_multiple), or -1. */
static int waitv_woken_index(struct waitv *v)
{
	int r = -1;

	for (unsigned int i = 0; i < v->n; i++)
		if (atomic_read(&v->w[i].woken))
			r = (int)i;
	return r;
}

static bool group_woken(void *arg)
{
	struct futex_group *g = arg;

	return atomic_read(&g->woken) != 0;
}

/* Queue every waiter, then check every value (as futex_wait, so no wake-up is lost). */
static int waitv_wait(struct waitv *v, uint64_t timeout_ns)
{
	int err = 0, idx;

	for (unsigned int i = 0; i < v->n; i++) {
		struct futex_bucket *b = bucket_of(&v->w[i].key);
		irqflags_t f = spin_lock_irqsave(&b->lock);

		list_add_tail(&b->waiters, &v->w[i].node);
		spin_unlock_irqrestore(&b->lock, f);
	}
	for (unsigned int i = 0; i < v->n && !err; i++) {
		uint32_t cur;

		if (get_user_u32(&cur, v->ua[i]))
			err = -EFAULT;
		else if (cur != v->val[i])
			err = -EAGAIN;
	}
	if (!err)
		err = wait_interruptible(&v->group.wq, group_woken, &v->group, timeout_ns);
	waitv_unqueue(v, v->n);
	idx = waitv_woken_index(v);
	return idx >= 0 ? idx : err;
}

/* The absolute timeout on clockid as a relative one for the wait (0: none). */
static int waitv_timeout(uaddr_t timeout, int clockid, uint64_t *out)
{
	uint64_t when, now;
	int err;

	*out = 0;
	if (!timeout)
		return 0;
	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC)
		return -EINVAL;
	err = timespec_from_user(timeout, &when);
	if (err)
		return err;
	now = clockid == CLOCK_REALTIME ? clock_realtime_ns() : clock_monotonic_ns();
	/* Already past: the values are still checked first, as on Linux. */
	*out = when > now ? when - now : 1;
	return 0;
}

long sys_futex_waitv(uaddr_t waiters, unsigned int nr_futexes, unsigned int flags, uaddr_t timeout,
		     int clockid)
{
	struct waitv v = { .n = nr_futexes };
	bool private[FUTEX_WAITV_MAX] = { false };
	uint64_t timeout_ns;
	long err;

	if (flags)
		return -EINVAL;
	if (!nr_futexes || nr_futexes > FUTEX_WAITV_MAX || !waiters)
		return -EINVAL;
	err = waitv_timeout(timeout, clockid, &timeout_ns);
	if (err)
		return err;
	wait_queue_init(&v.group.wq);
	atomic_set(&v.group.woken, 0);
	v.w = kzalloc(nr_futexes * sizeof(*v.w));
	v.val = kzalloc(nr_futexes * sizeof(*v.val));
	v.ua = kzalloc(nr_futexes * sizeof(*v.ua));
	if (!v.w || !v.val || !v.ua) {
		waitv_free(&v);
		return -ENOMEM;
	}
	err = waitv_parse(&v, waiters, private);
	for (unsigned int i = 0; i < nr_futexes && !err; i++) {
		v.w[i].bitset = FUTEX_BITSET_MATCH_ANY;
		v.w[i].group = &v.group;
		err = futex_key_of(v.ua[i], private[i], &v.w[i].key);
	}
	if (!err)
		err = waitv_wait(&v, timeout_ns);
	waitv_free(&v);
	return err;
}
