// SPDX-License-Identifier: MPL-2.0
// Wait queues, sleeping, mutexes and reader-writer locks.
#include <aster/errno.h>
#include <aster/log.h>
#include "../internal.h"
#include "task_internal.h"

void wait_queue_init(struct wait_queue *wq)
{
	wq->lock = (spinlock_t)SPINLOCK_INIT_UNCHECKED;
	wq->head = NULL;
}

static void wq_remove(struct wait_queue *wq, struct wait_entry *e)
{
	for (struct wait_entry **p = &wq->head; *p; p = &(*p)->next) {
		if (*p == e) {
			*p = e->next;
			return;
		}
	}
}

int wait_event_timeout(struct wait_queue *wq, bool (*cond)(void *), void *arg, uint64_t timeout_ns)
{
	uint64_t deadline = timeout_ns ? clock_monotonic_ns() + timeout_ns : 0;

	lockdep_might_sleep();
	for (;;) {
		struct wait_entry e = { .task = task_current() };
		irqflags_t flags;
		bool done;

		if (cond(arg))
			return 0;
		if (deadline && clock_monotonic_ns() >= deadline)
			return -ETIMEDOUT;
		flags = spin_lock_irqsave(&wq->lock);
		e.next = wq->head;
		wq->head = &e;
		sched_block_current(deadline);
		spin_unlock_raw(&wq->lock);
		/*
		 * Recheck with the entry queued: a wake-up from now on is not
		 * lost.  A condition that held is not asked again: it may have
		 * taken something (mutex_try_cond), and would fail a second time.
		 */
		done = cond(arg);
		if (!done)
			schedule();
		spin_lock_raw(&wq->lock);
		wq_remove(wq, &e);
		spin_unlock_raw(&wq->lock);
		sched_unblock_current();	/* in case we never slept */
		irq_local_restore(flags);
		if (done)
			return 0;
	}
}

static unsigned int wake_up(struct wait_queue *wq, bool all)
{
	irqflags_t flags = spin_lock_irqsave(&wq->lock);
	unsigned int n = 0;

	for (struct wait_entry *e = wq->head; e; e = e->next) {
		if (e->woken)
			continue;
		e->woken = true;
		task_wake(e->task);
		n++;
		if (!all)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	return n;
}

unsigned int wake_up_one(struct wait_queue *wq)
{
	return wake_up(wq, false);
}

unsigned int wake_up_all(struct wait_queue *wq)
{
	return wake_up(wq, true);
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

void task_sleep_ns(uint64_t ns)
{
	struct wait_queue wq = WAIT_QUEUE_INIT;

	(void)wait_event_timeout(&wq, never, NULL, ns ? ns : 1);
}

/* The lock class of a mutex or rwlock; none in the normal build. */
#ifdef ASTER_LOCKDEP
#define LOCK_CLASS(l)	((l)->site)
#else
#define LOCK_CLASS(l)	NULL
#endif

void mutex_init_at(struct mutex *m, const char *site)
{
	*m = (struct mutex)MUTEX_INIT;
#ifdef ASTER_LOCKDEP
	m->site = site;
#else
	(void)site;
#endif
}

static bool mutex_take(struct mutex *m)
{
	irqflags_t flags = spin_lock_irqsave(&m->lock);
	bool got = m->owner == NULL;

	if (got)
		m->owner = task_current();
	spin_unlock_irqrestore(&m->lock, flags);
	return got;
}

bool mutex_trylock(struct mutex *m)
{
	if (!mutex_take(m))
		return false;
	lockdep_acquire(m, LOCK_CLASS(m), false, true);
	return true;
}

static bool mutex_try_cond(void *arg)
{
	return mutex_take(arg);
}

void mutex_lock(struct mutex *m)
{
	BUG_ON(m->owner == task_current());
	/* Checked before waiting: a lock-order cycle is reported, not hung in. */
	lockdep_might_sleep();
	lockdep_acquire(m, LOCK_CLASS(m), false, false);
	wait_event(&m->waiters, mutex_try_cond, m);
}

void mutex_unlock(struct mutex *m)
{
	irqflags_t flags;

	lockdep_release(m, LOCK_CLASS(m));
	flags = spin_lock_irqsave(&m->lock);
	BUG_ON(m->owner != task_current());
	m->owner = NULL;
	spin_unlock_irqrestore(&m->lock, flags);
	wake_up_one(&m->waiters);
}

void rwlock_init_at(struct rwlock *rw, const char *site)
{
	*rw = (struct rwlock)RWLOCK_INIT;
#ifdef ASTER_LOCKDEP
	rw->site = site;
#else
	(void)site;
#endif
}

static bool read_try(void *arg)
{
	struct rwlock *rw = arg;
	irqflags_t flags = spin_lock_irqsave(&rw->lock);
	bool got = rw->readers >= 0 && rw->writers_waiting == 0;

	if (got)
		rw->readers++;
	spin_unlock_irqrestore(&rw->lock, flags);
	return got;
}

static bool write_try(void *arg)
{
	struct rwlock *rw = arg;
	irqflags_t flags = spin_lock_irqsave(&rw->lock);
	bool got = rw->readers == 0;

	if (got) {
		rw->readers = -1;
		rw->writers_waiting--;
	}
	spin_unlock_irqrestore(&rw->lock, flags);
	return got;
}

void read_lock(struct rwlock *rw)
{
	lockdep_might_sleep();
	lockdep_acquire(rw, LOCK_CLASS(rw), false, false);
	wait_event(&rw->waiters, read_try, rw);
}

void read_unlock(struct rwlock *rw)
{
	irqflags_t flags;

	lockdep_release(rw, LOCK_CLASS(rw));
	flags = spin_lock_irqsave(&rw->lock);

	rw->readers--;
	spin_unlock_irqrestore(&rw->lock, flags);
	wake_up_all(&rw->waiters);
}

void write_lock(struct rwlock *rw)
{
	irqflags_t flags;

	lockdep_might_sleep();
	lockdep_acquire(rw, LOCK_CLASS(rw), false, false);
	flags = spin_lock_irqsave(&rw->lock);

	rw->writers_waiting++;
	spin_unlock_irqrestore(&rw->lock, flags);
	wait_event(&rw->waiters, write_try, rw);
}

void write_unlock(struct rwlock *rw)
{
	irqflags_t flags;

	lockdep_release(rw, LOCK_CLASS(rw));
	flags = spin_lock_irqsave(&rw->lock);

	rw->readers = 0;
	spin_unlock_irqrestore(&rw->lock, flags);
	wake_up_all(&rw->waiters);
}
