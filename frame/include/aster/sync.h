/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Atomics, barriers and IRQ-saving spinlocks.  kernel/ must use these rather
 * than compiler builtins, so memory-ordering decisions live in one place.
 *
 * Spinlocks disable local interrupts while held (so an IRQ handler taking
 * the same lock cannot deadlock the CPU that holds it) and spin on the lock
 * word, which is what makes them correct once more CPUs are brought up.
 */
#ifndef ASTER_SYNC_H
#define ASTER_SYNC_H

#include <aster/types.h>

typedef struct { int32_t v; } atomic_t;
typedef struct { int64_t v; } atomic64_t;

#define ATOMIC_INIT(x)	{ (x) }

static inline int32_t atomic_read(const atomic_t *a)
{
	return __atomic_load_n(&a->v, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *a, int32_t v)
{
	__atomic_store_n(&a->v, v, __ATOMIC_RELAXED);
}

/* Returns the new value. */
static inline int32_t atomic_add(atomic_t *a, int32_t d)
{
	return __atomic_add_fetch(&a->v, d, __ATOMIC_SEQ_CST);
}

static inline int32_t atomic_inc(atomic_t *a) { return atomic_add(a, 1); }
static inline int32_t atomic_dec(atomic_t *a) { return atomic_add(a, -1); }

/* If *a == expected, store desired; returns true when it did. */
static inline bool atomic_cmpxchg(atomic_t *a, int32_t expected, int32_t desired)
{
	return __atomic_compare_exchange_n(&a->v, &expected, desired, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static inline int64_t atomic64_read(const atomic64_t *a)
{
	return __atomic_load_n(&a->v, __ATOMIC_RELAXED);
}

static inline void atomic64_set(atomic64_t *a, int64_t v)
{
	__atomic_store_n(&a->v, v, __ATOMIC_RELAXED);
}

static inline int64_t atomic64_add(atomic64_t *a, int64_t d)
{
	return __atomic_add_fetch(&a->v, d, __ATOMIC_SEQ_CST);
}

static inline void smp_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline void smp_rmb(void) { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
static inline void smp_wmb(void) { __atomic_thread_fence(__ATOMIC_RELEASE); }
/* Stop the compiler from caching or reordering memory accesses across it. */
static inline void barrier(void) { __atomic_signal_fence(__ATOMIC_SEQ_CST); }

/*
 * Lock classes, for the lock-order checker of the checked build
 * (vmlinuz-kasan; frame/kasan/lockdep.c).  A lock's class is the place it
 * was initialised (LOCK_SITE): every lock set up by one line of code is one
 * class.  The checker learns which class is taken while which is held and
 * reports (a panic naming both places) the first acquisition that closes a
 * cycle -- a possible deadlock even if this run never hit it -- and any
 * sleep while a spinlock is held.  Locks of one class nested in each other
 * are not checked against each other.  A spinlock that was zeroed rather
 * than initialised (SPINLOCK_INIT, spin_lock_init) has no class and is not
 * checked; neither are the locks inside mutexes and wait queues.  In the
 * normal build none of this exists and the structures are as small as
 * before.
 */
#define ASTER_STR_(x)	#x
#define ASTER_STR(x)	ASTER_STR_(x)
#define LOCK_SITE	__FILE__ ":" ASTER_STR(__LINE__)

#ifdef ASTER_KASAN
#define ASTER_LOCKDEP	1
typedef struct {
	uint32_t locked;
	const char *site;	/* its class, or NULL: not checked */
} spinlock_t;

#define SPINLOCK_INIT		{ 0, LOCK_SITE }
#define SPINLOCK_INIT_UNCHECKED	{ 0, NULL }

/* The checker's hooks (frame/kasan/lockdep.c). */
void lockdep_acquire(const void *lock, const char *site, bool spin, bool trylock);
void lockdep_release(const void *lock, const char *site);
void lockdep_might_sleep(void);
#else
typedef struct {
	uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT		{ 0 }
#define SPINLOCK_INIT_UNCHECKED	{ 0 }

static inline void lockdep_acquire(const void *lock, const char *site, bool spin, bool trylock)
{
	(void)lock, (void)site, (void)spin, (void)trylock;
}
static inline void lockdep_release(const void *lock, const char *site) { (void)lock, (void)site; }
static inline void lockdep_might_sleep(void) {}
#endif

/* Initialise a spinlock that is not statically initialised. */
#define spin_lock_init(l)	(*(l) = (spinlock_t)SPINLOCK_INIT)

/* Interrupt state saved by spin_lock_irqsave. */
typedef uint64_t irqflags_t;

irqflags_t irq_local_save(void);
void irq_local_restore(irqflags_t flags);
void cpu_spin_hint(void);

static inline void spin_lock_raw(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_spin_hint();
}

static inline void spin_unlock_raw(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline irqflags_t spin_lock_irqsave(spinlock_t *l)
{
	irqflags_t flags = irq_local_save();

#ifdef ASTER_LOCKDEP
	lockdep_acquire(l, l->site, true, false);
#endif
	spin_lock_raw(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, irqflags_t flags)
{
#ifdef ASTER_LOCKDEP
	lockdep_release(l, l->site);
#endif
	spin_unlock_raw(l);
	irq_local_restore(flags);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

#endif
