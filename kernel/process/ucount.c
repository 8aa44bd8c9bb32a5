// SPDX-License-Identifier: MPL-2.0
// Per-user resource counts (ucount.h): a list of records keyed by uid
// under one spinlock, each freed with its last reference.
#include <aster/heap.h>
#include <aster/list.h>
#include <aster/log.h>
#include <aster/refcount.h>
#include <aster/sync.h>
#include "process/ucount.h"

struct ucounts {
	struct list_node node;
	refcount_t refs;
	uint32_t uid;
	uint64_t count[UCOUNT_TYPES];
};

static spinlock_t ucounts_lock = SPINLOCK_INIT;
static struct list_node ucounts_list = LIST_INIT(ucounts_list);

static struct ucounts *find_locked(uint32_t uid)
{
	struct ucounts *u;

	list_for_each_entry(u, &ucounts_list, node)
		if (u->uid == uid)
			return u;
	return NULL;
}

struct ucounts *ucounts_get(uint32_t uid)
{
	irqflags_t f = spin_lock_irqsave(&ucounts_lock);
	struct ucounts *u = find_locked(uid);

	if (u) {
		refcount_inc(&u->refs);
		spin_unlock_irqrestore(&ucounts_lock, f);
		return u;
	}
	spin_unlock_irqrestore(&ucounts_lock, f);
	/* Allocate outside the lock; another caller may have made it meanwhile. */
	struct ucounts *fresh = kzalloc(sizeof(*fresh));

	if (!fresh)
		return NULL;
	f = spin_lock_irqsave(&ucounts_lock);
	u = find_locked(uid);
	if (u) {
		refcount_inc(&u->refs);
	} else {
		u = fresh;
		fresh = NULL;
		u->uid = uid;
		refcount_set(&u->refs, 1);
		list_add_tail(&ucounts_list, &u->node);
	}
	spin_unlock_irqrestore(&ucounts_lock, f);
	kfree(fresh);
	return u;
}

struct ucounts *ucounts_dup(struct ucounts *u)
{
	refcount_inc(&u->refs);
	return u;
}

/* The last reference unlinks under the lock, so a lookup never finds a dying record. */
void ucounts_put(struct ucounts *u)
{
	irqflags_t f;
	bool last;

	if (!u)
		return;
	f = spin_lock_irqsave(&ucounts_lock);
	last = refcount_dec_and_test(&u->refs);
	if (last)
		list_del(&u->node);
	spin_unlock_irqrestore(&ucounts_lock, f);
	if (last)
		kfree(u);
}

uint32_t ucounts_uid(const struct ucounts *u)
{
	return u->uid;
}

bool ucount_charge(struct ucounts *u, enum ucount_type t, uint64_t n, uint64_t max)
{
	irqflags_t f = spin_lock_irqsave(&ucounts_lock);
	bool ok = u->count[t] <= max && n <= max - u->count[t];

	if (ok)
		u->count[t] += n;
	spin_unlock_irqrestore(&ucounts_lock, f);
	return ok;
}

uint64_t ucount_add(struct ucounts *u, enum ucount_type t, uint64_t n)
{
	irqflags_t f = spin_lock_irqsave(&ucounts_lock);
	uint64_t total = u->count[t] += n;

	spin_unlock_irqrestore(&ucounts_lock, f);
	return total;
}

uint64_t ucount_uncharge(struct ucounts *u, enum ucount_type t, uint64_t n)
{
	irqflags_t f = spin_lock_irqsave(&ucounts_lock);
	uint64_t total;

	/* More back than was charged is a bug in a caller: report it, keep the count sane. */
	if (u->count[t] < n) {
		pr_err("ucounts: uid %u type %d: uncharge %llu of %llu\n", u->uid, (int)t,
		       (unsigned long long)n, (unsigned long long)u->count[t]);
		n = u->count[t];
	}
	total = u->count[t] -= n;
	spin_unlock_irqrestore(&ucounts_lock, f);
	return total;
}

uint64_t ucount_read(struct ucounts *u, enum ucount_type t)
{
	irqflags_t f = spin_lock_irqsave(&ucounts_lock);
	uint64_t v = u->count[t];

	spin_unlock_irqrestore(&ucounts_lock, f);
	return v;
}
