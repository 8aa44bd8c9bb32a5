/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Wait queues, mutexes and reader-writer locks for tasks.
 *
 * Waiting is condition-based: wait_event() rechecks the caller's condition
 * after every wake-up, so spurious and early wake-ups are harmless.
 */
#ifndef ASTER_WAIT_H
#define ASTER_WAIT_H

#include <aster/sync.h>
#include <aster/task.h>

struct wait_entry {
	struct task *task;
	struct wait_entry *next;
	bool woken;
};

struct wait_queue {
	spinlock_t lock;
	struct wait_entry *head;
};

#define WAIT_QUEUE_INIT	{ SPINLOCK_INIT_UNCHECKED, NULL }

void wait_queue_init(struct wait_queue *wq);

/*
 * Block until cond(arg) is true, or until timeout_ns have passed
 * (timeout_ns == 0: no timeout).  Returns 0 when the condition holds,
 * -ETIMEDOUT otherwise.  cond may take what it tests for (a trylock): once
 * it has returned true it is not called again.
 */
int wait_event_timeout(struct wait_queue *wq, bool (*cond)(void *), void *arg, uint64_t timeout_ns);

static inline void wait_event(struct wait_queue *wq, bool (*cond)(void *), void *arg)
{
	(void)wait_event_timeout(wq, cond, arg, 0);
}

/* Wake one waiter / every waiter; returns how many were woken. */
unsigned int wake_up_one(struct wait_queue *wq);
unsigned int wake_up_all(struct wait_queue *wq);

/*
 * Sleeping mutual exclusion; never take one with interrupts off or under a
 * spinlock (the checked build reports both).  Its lock class (see
 * <aster/sync.h>) is where MUTEX_INIT or mutex_init was written.
 */
struct mutex {
	spinlock_t lock;
	struct task *owner;
	struct wait_queue waiters;
#ifdef ASTER_LOCKDEP
	const char *site;
#endif
};

#ifdef ASTER_LOCKDEP
#define MUTEX_INIT	{ SPINLOCK_INIT_UNCHECKED, NULL, WAIT_QUEUE_INIT, LOCK_SITE }
#else
#define MUTEX_INIT	{ SPINLOCK_INIT_UNCHECKED, NULL, WAIT_QUEUE_INIT }
#endif

#define mutex_init(m)	mutex_init_at((m), LOCK_SITE)
void mutex_init_at(struct mutex *m, const char *site);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);

/* Sleeping reader-writer lock; writers are preferred once waiting. */
struct rwlock {
	spinlock_t lock;
	int32_t readers;	/* -1 while a writer holds it */
	uint32_t writers_waiting;
	struct wait_queue waiters;
#ifdef ASTER_LOCKDEP
	const char *site;
#endif
};

#ifdef ASTER_LOCKDEP
#define RWLOCK_INIT	{ SPINLOCK_INIT_UNCHECKED, 0, 0, WAIT_QUEUE_INIT, LOCK_SITE }
#else
#define RWLOCK_INIT	{ SPINLOCK_INIT_UNCHECKED, 0, 0, WAIT_QUEUE_INIT }
#endif

#define rwlock_init(rw)	rwlock_init_at((rw), LOCK_SITE)
void rwlock_init_at(struct rwlock *rw, const char *site);
void read_lock(struct rwlock *rw);
void read_unlock(struct rwlock *rw);
void write_lock(struct rwlock *rw);
void write_unlock(struct rwlock *rw);

/* Sleep for at least ns nanoseconds. */
void task_sleep_ns(uint64_t ns);

#endif
