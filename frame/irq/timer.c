// SPDX-License-Identifier: MPL-2.0
// Timer callbacks: a deadline-sorted queue checked on every local APIC tick,
// whose expired entries run from SOFTIRQ_TIMER.  Ids carry a generation so
// a stale id can never cancel the timer that reused its slot.
//
// timer_cancel_sync waits for a callback running on another CPU by polling
// the id: the timer keeps its slot until its callback has returned.  A
// callback running on this CPU is the caller itself (or what it
// interrupted): softirqs neither migrate nor yield, so waiting could never
// end, and the call returns -EDEADLK instead.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/softirq.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/timer.h>
#include "irq_internal.h"

#define SLOT_BITS		20
#define MAX_SLOTS		(1u << SLOT_BITS)
#define FIRST_SLOTS		64
/* Callbacks run per softirq pass before the rest waits for the next one. */
#define TIMER_BATCH		256

enum timer_state {
	TIMER_PENDING,		/* queued */
	TIMER_RUNNING,		/* callback in progress */
	TIMER_CANCELLED,	/* cancelled while its callback ran */
};

/* From the heap; freed once it has fired (one-shot) or been cancelled. */
struct timer {
	enum timer_state state;
	uint32_t slot;
	unsigned int cpu;	/* RUNNING, CANCELLED: the CPU running the callback */
	uint64_t deadline;
	uint64_t period;	/* 0: one-shot */
	void (*fn)(void *arg);
	void *arg;
	struct timer *next;
};

/*
 * Ids name a slot and its generation, so an id outlives its timer safely:
 * once the slot is reused, the old id no longer matches.  The table grows
 * by doubling.
 */
struct timer_slot {
	struct timer *timer;	/* NULL: free */
	uint64_t gen;
};

static struct timer_slot *slots;
static uint32_t nr_slots;
static struct timer *queue;		/* pending timers, earliest first */
static spinlock_t timer_lock = SPINLOCK_INIT;

static timer_id_t id_of(const struct timer *t)
{
	return (timer_id_t)(slots[t->slot].gen << SLOT_BITS | t->slot);
}

/* Needs timer_lock. */
static void enqueue(struct timer *t)
{
	struct timer **p = &queue;

	while (*p && (*p)->deadline <= t->deadline)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
	t->state = TIMER_PENDING;
}

/* Needs timer_lock. */
static void dequeue(struct timer *t)
{
	for (struct timer **p = &queue; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	t->next = NULL;
}

/* Needs timer_lock: bind t to a free slot with a fresh generation. */
static bool slot_bind(struct timer *t)
{
	for (uint32_t i = 0; i < nr_slots; i++) {
		if (slots[i].timer)
			continue;
		slots[i].timer = t;
		slots[i].gen++;
		t->slot = i;
		return true;
	}
	return false;
}

/* Needs timer_lock: the slot is free again (the timer is the caller's to free). */
static void slot_release(struct timer *t)
{
	slots[t->slot].timer = NULL;
}

/* Double the slot table; called without the lock (it allocates). */
static bool slots_grow(void)
{
	irqflags_t flags = spin_lock_irqsave(&timer_lock);
	uint32_t want = nr_slots ? nr_slots * 2 : FIRST_SLOTS;
	struct timer_slot *bigger, *old;

	spin_unlock_irqrestore(&timer_lock, flags);
	if (want > MAX_SLOTS)
		return false;
	bigger = kzalloc(want * sizeof(*bigger));
	if (!bigger)
		return false;
	flags = spin_lock_irqsave(&timer_lock);
	old = bigger;
	if (nr_slots < want) {		/* nobody grew it meanwhile */
		memcpy(bigger, slots, nr_slots * sizeof(*slots));
		old = slots;
		slots = bigger;
		nr_slots = want;
	}
	spin_unlock_irqrestore(&timer_lock, flags);
	kfree(old);
	return true;
}

timer_id_t timer_add(uint64_t ns, bool periodic, void (*fn)(void *arg), void *arg)
{
	uint64_t now = clock_monotonic_ns();
	struct timer *t;
	irqflags_t flags;

	if (!fn || (periodic && ns == 0) || ns > UINT64_MAX - now)
		return -EINVAL;
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	*t = (struct timer){ .deadline = now + ns, .period = periodic ? ns : 0, .fn = fn,
			     .arg = arg };
	for (;;) {
		timer_id_t id;

		flags = spin_lock_irqsave(&timer_lock);
		if (slot_bind(t)) {
			enqueue(t);
			id = id_of(t);
			spin_unlock_irqrestore(&timer_lock, flags);
			return id;
		}
		spin_unlock_irqrestore(&timer_lock, flags);
		if (!slots_grow()) {
			kfree(t);
			pr_warn("timer: cannot grow the timer table\n");
			return -ENOMEM;
		}
	}
}

/* Needs timer_lock: the timer an id names, or NULL when stale or malformed. */
static struct timer *lookup(timer_id_t id)
{
	uint64_t slot = (uint64_t)id & (MAX_SLOTS - 1);

	if (id <= 0 || slot >= nr_slots || slots[slot].gen != (uint64_t)id >> SLOT_BITS)
		return NULL;
	return slots[slot].timer;
}

/* Needs timer_lock: timer_cancel's work; *to_free: a timer for the caller to free. */
static int cancel_locked(struct timer *t, struct timer **to_free)
{
	if (t && t->state == TIMER_PENDING) {
		dequeue(t);
		slot_release(t);
		*to_free = t;
		return 0;
	}
	if (t && t->state == TIMER_RUNNING && t->period) {
		t->state = TIMER_CANCELLED;	/* the softirq frees it after the callback */
		return 0;
	}
	return -ENOENT;
}

int timer_cancel(timer_id_t id)
{
	irqflags_t flags = spin_lock_irqsave(&timer_lock);
	struct timer *to_free = NULL;
	int err = cancel_locked(lookup(id), &to_free);

	spin_unlock_irqrestore(&timer_lock, flags);
	kfree(to_free);
	return err;
}

/* Needs timer_lock: the id's callback is in progress (its timer keeps the slot till after). */
static bool callback_running(timer_id_t id)
{
	struct timer *t = lookup(id);

	return t && t->state != TIMER_PENDING;
}

int timer_cancel_sync(timer_id_t id)
{
	irqflags_t flags = spin_lock_irqsave(&timer_lock);
	struct timer *t = lookup(id), *to_free = NULL;
	bool self = t && t->state != TIMER_PENDING && t->cpu == this_cpu_id();
	int err = cancel_locked(t, &to_free);

	spin_unlock_irqrestore(&timer_lock, flags);
	kfree(to_free);
	if (self)
		return -EDEADLK;	/* our own callback: it cannot finish while we wait */
	for (bool running = true; running;) {
		flags = spin_lock_irqsave(&timer_lock);
		running = callback_running(id);
		spin_unlock_irqrestore(&timer_lock, flags);
	}
	return err;
}

/* Needs timer_lock: after the callback, re-arm a periodic timer; true to free it. */
static bool finish(struct timer *t, uint64_t now)
{
	if (t->state != TIMER_RUNNING || !t->period) {
		slot_release(t);
		return true;
	}
	t->deadline += t->period;
	if (t->deadline <= now)		/* fell a period behind: drop the missed ones */
		t->deadline = now + t->period;
	enqueue(t);
	return false;
}

static void timer_softirq(void *arg)
{
	(void)arg;
	for (unsigned int n = 0; n < TIMER_BATCH; n++) {
		irqflags_t flags = spin_lock_irqsave(&timer_lock);
		uint64_t now = clock_monotonic_ns();
		struct timer *t = queue;
		void (*fn)(void *);
		void *fn_arg;
		bool done;

		if (!t || t->deadline > now) {
			spin_unlock_irqrestore(&timer_lock, flags);
			return;
		}
		queue = t->next;
		t->state = TIMER_RUNNING;
		t->cpu = this_cpu_id();
		fn = t->fn;
		fn_arg = t->arg;
		spin_unlock_irqrestore(&timer_lock, flags);
		fn(fn_arg);
		flags = spin_lock_irqsave(&timer_lock);
		done = finish(t, clock_monotonic_ns());
		spin_unlock_irqrestore(&timer_lock, flags);
		if (done)
			kfree(t);
	}
	softirq_raise(SOFTIRQ_TIMER);	/* more are due: continue on the next pass */
}

/* The local APIC tick, in hard-IRQ context. */
void timers_tick(uint64_t now_ns)
{
	bool due;

	spin_lock_raw(&timer_lock);
	due = queue && queue->deadline <= now_ns;
	spin_unlock_raw(&timer_lock);
	if (due)
		softirq_raise(SOFTIRQ_TIMER);
}

void timers_init(void)
{
	if (softirq_register(SOFTIRQ_TIMER, timer_softirq, NULL))
		pr_err("timer: cannot register the timer softirq\n");
}
