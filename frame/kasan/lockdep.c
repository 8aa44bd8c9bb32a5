// SPDX-License-Identifier: MPL-2.0
// The checked build's lock-order checker, after Linux's lockdep but much
// smaller.  Locks belong to classes (the place they were initialised, see
// <aster/sync.h>); each task keeps the locks it holds.  Taking a lock of
// class B while holding one of class A records "A before B".  The first
// time an order is seen, the checker looks for the opposite path in what
// it has recorded so far: B before ... before A.  Finding one means two
// tasks could each hold one lock and wait for the other, so it is reported
// at once (a panic naming both classes), whether or not this run
// deadlocked.  Sleeping (waiting on a wait queue, taking a mutex) while a
// spinlock is held is reported too.
//
// Everything runs with interrupts off.  A task's held locks are its own;
// the class tables and the order graph are shared by every CPU and guarded
// by graph_lock, a raw spinlock (taken with spin_lock_raw, so the checker
// never checks itself).
// Classes and orders live in fixed tables: when they fill, checking stops
// with one log line rather than failing the kernel.
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "lockdep.h"

#define MAX_CLASSES	1024
#define WORDS		(MAX_CLASSES / 64)

static const char *class_site[MAX_CLASSES];
static uint16_t nr_classes;
/* before[a] has bit b set when class b was taken while a class-a lock was held. */
static uint64_t before[MAX_CLASSES][WORDS];
static bool off;	/* the tables filled up: stop checking */
static spinlock_t graph_lock = SPINLOCK_INIT_UNCHECKED;

/*
 * Checking stops before anything is printed: printk takes locks, and their
 * lockdep_acquire must return at once rather than wait for graph_lock,
 * which the caller may hold.
 */
static void give_up(const char *why)
{
	bool was_off = off;

	off = true;
	if (!was_off)
		pr_warn("lockdep: %s; lock checking is off from here\n", why);
}

static uint32_t site_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/*
 * The class of a site string.  Looked up by content: a header's inline
 * function may give each file its own copy of the same string.
 */
static int class_of(const char *site)
{
	static uint16_t table[2 * MAX_CLASSES];	/* class + 1; 0: empty */
	uint32_t i = site_hash(site) % (2 * MAX_CLASSES);

	for (;; i = (i + 1) % (2 * MAX_CLASSES)) {
		uint16_t c = table[i];

		if (!c)
			break;
		if (class_site[c - 1] == site || strcmp(class_site[c - 1], site) == 0)
			return c - 1;
	}
	if (nr_classes == MAX_CLASSES) {
		give_up("too many lock classes");
		return -1;
	}
	class_site[nr_classes] = site;
	table[i] = ++nr_classes;
	return nr_classes - 1;
}

static bool is_before(unsigned int a, unsigned int b)
{
	return before[a][b / 64] & ((uint64_t)1 << (b % 64));
}

/* Is there a recorded path from class `from` to class `to`?  Depth-first. */
static bool reaches(unsigned int from, unsigned int to)
{
	static uint64_t seen[WORDS];
	static uint16_t stack[MAX_CLASSES];
	unsigned int sp = 0;

	memset(seen, 0, sizeof(seen));
	stack[sp++] = (uint16_t)from;
	seen[from / 64] |= (uint64_t)1 << (from % 64);
	while (sp) {
		unsigned int c = stack[--sp];

		if (c == to)
			return true;
		for (unsigned int w = 0; w < WORDS; w++) {
			uint64_t next = before[c][w] & ~seen[w];

			seen[w] |= next;
			while (next) {
				unsigned int b = (unsigned int)__builtin_ctzll(next);

				next &= next - 1;
				stack[sp++] = (uint16_t)(w * 64 + b);
			}
		}
	}
	return false;
}

static void print_held(const struct lockdep_held *h)
{
	for (uint32_t i = 0; i < h->n; i++)
		pr_emerg("  held: %s lock %p of class %s\n", h->held[i].spin ? "spin" : "sleeping",
			 h->held[i].lock, class_site[h->held[i].cls]);
}

/* Record "held before c" for every lock held; report a cycle. */
static void record_orders(const struct lockdep_held *h, unsigned int c)
{
	for (uint32_t i = 0; i < h->n; i++) {
		unsigned int a = h->held[i].cls;

		if (a == c || is_before(a, c))
			continue;	/* same class, or known */
		if (reaches(c, a)) {
			off = true;	/* printk's locks must not come back here (graph_lock is held) */
			print_held(h);
			panic("lockdep: possible deadlock: taking a lock of class %s while holding "
			      "one of class %s, but elsewhere %s was held (directly or through "
			      "other locks) when %s was taken", class_site[c], class_site[a],
			      class_site[c], class_site[a]);
		}
		before[a][c / 64] |= (uint64_t)1 << (c % 64);
	}
}

void lockdep_acquire(const void *lock, const char *site, bool spin, bool trylock)
{
	irqflags_t irq;
	struct lockdep_held *h;
	int c;

	if (!site || off)
		return;
	irq = irq_local_save();
	h = task_lockdep_state();
	if (!h)
		goto out;
	spin_lock_raw(&graph_lock);
	c = class_of(site);
	if (c >= 0 && !trylock)	/* a trylock cannot wait, so it cannot close a cycle */
		record_orders(h, (unsigned int)c);
	spin_unlock_raw(&graph_lock);
	if (c < 0)
		goto out;
	for (uint32_t i = 0; i < h->n; i++)
		if (h->held[i].lock == lock) {
			off = true;
			print_held(h);
			panic("lockdep: recursive locking: the lock %p of class %s is already held",
			      lock, site);
		}
	if (h->n == LOCKDEP_DEPTH) {
		give_up("a task holds too many locks");
		goto out;
	}
	h->held[h->n].lock = lock;
	h->held[h->n].cls = (uint16_t)c;
	h->held[h->n].spin = spin;
	h->n++;
out:
	irq_local_restore(irq);
}

void lockdep_release(const void *lock, const char *site)
{
	irqflags_t irq;
	struct lockdep_held *h;

	if (!site || off)
		return;
	irq = irq_local_save();
	h = task_lockdep_state();
	/* Locks may be released out of order: remove it where it is. */
	for (uint32_t i = h ? h->n : 0; i-- > 0;) {
		if (h->held[i].lock != lock)
			continue;
		h->n--;
		memmove(&h->held[i], &h->held[i + 1], (h->n - i) * sizeof(h->held[0]));
		irq_local_restore(irq);
		return;
	}
	/* Taken by another task (the owner of a mutex is not checked here) or before the scheduler ran. */
	irq_local_restore(irq);
}

void lockdep_might_sleep(void)
{
	const struct lockdep_held *h;

	if (off)
		return;
	h = task_lockdep_state();
	for (uint32_t i = 0; h && i < h->n; i++)
		if (h->held[i].spin) {
			off = true;
			print_held(h);
			panic("lockdep: sleeping while holding the spinlock %p of class %s",
			      h->held[i].lock, class_site[h->held[i].cls]);
		}
}
