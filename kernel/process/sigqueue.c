// SPDX-License-Identifier: MPL-2.0
// Pending signals of a thread or a process, as Linux keeps them: a
// standard signal is pending at most once (a second one is dropped and the
// first one's siginfo kept); each instance of a real-time signal is queued
// with its own siginfo and taken in the order sent.  Queued real-time
// instances count against the receiver's real user, bounded by the
// receiver's RLIMIT_SIGPENDING: past it sigqueue(3) gets EAGAIN, while a
// kill(2) still makes the signal pending without its siginfo, as on Linux.
//
// Layout: `set` says which signals are pending; `info[sig - 1]` holds the
// one instance of a standard signal, and of a real-time signal whose
// instance could not be queued or that a POSIX timer sent (a timer's
// signal is pending at most once; it counts overruns instead), with
// `rt_slot` saying which real-time slots hold one; `queue` holds the
// other real-time instances.  Everything here runs under process_table_lock.
#include <aster/heap.h>
#include <aster/errno.h>
#include "process/internal.h"
#include "process/ucount.h"

struct sigq_entry {
	struct list_node node;
	int sig;
	struct ucounts *user;		/* the real user it is charged to */
	struct k_siginfo info;
};

/* One more queued instance for p's real user, if RLIMIT_SIGPENDING allows: its counts, or NULL. */
static struct ucounts *user_charge(struct process *p)
{
	struct ucounts *u = ucounts_get(p->cred.uid);

	if (u && !ucount_charge(u, UCOUNT_SIGPENDING, 1, p->rlimits[RLIMIT_SIGPENDING].cur)) {
		ucounts_put(u);
		u = NULL;
	}
	return u;
}

static void user_uncharge(struct ucounts *u)
{
	ucount_uncharge(u, UCOUNT_SIGPENDING, 1);
	ucounts_put(u);
}

static void entry_free_locked(struct sigq_entry *e)
{
	list_del(&e->node);
	user_uncharge(e->user);
	kfree(e);
}

struct sigpend sigpend_of_thread(struct thread *t)
{
	return (struct sigpend){ &t->pending, &t->rt_slot, t->info, &t->sigq };
}

struct sigpend sigpend_of_process(struct process *p)
{
	return (struct sigpend){ &p->shared_pending, &p->shared_rt_slot, p->shared_info, &p->shared_sigq };
}

/* Use the slot for sig unless it holds an instance already (then the new one is dropped). */
static void slot_fill(struct sigpend *pd, int sig, const struct k_siginfo *info)
{
	uint64_t bit = sigbit(sig);
	bool held = sig < SIGRTMIN ? (*pd->set & bit) : (*pd->rt_slot & bit);

	if (!held)
		pd->info[sig - 1] = *info;
	if (sig >= SIGRTMIN)
		*pd->rt_slot |= bit;
	*pd->set |= bit;
}

static void lost_info(struct sigpend *pd, int sig)
{
	struct k_siginfo bare = { .signo = sig, .code = SI_USER };

	if (*pd->set & sigbit(sig))
		return;		/* pending already: nothing more to record */
	slot_fill(pd, sig, &bare);
}

int sigpend_add_locked(struct sigpend *pd, struct process *receiver, int sig, const struct k_siginfo *info)
{
	struct sigq_entry *e;
	struct ucounts *u;

	if (sig < SIGRTMIN || info->code == SI_TIMER) {
		slot_fill(pd, sig, info);
		return 0;
	}
	e = NULL;
	u = user_charge(receiver);
	if (u) {
		e = kmalloc(sizeof(*e));
		if (!e)
			user_uncharge(u);
	}
	if (!e) {
		/*
		 * Linux: a queue overflow fails a sigqueue(3); a kill(2) still
		 * makes the signal pending, with its siginfo lost (only the
		 * signal number and SI_USER are delivered).
		 */
		if (info->code != SI_USER)
			return -EAGAIN;
		lost_info(pd, sig);
		return 0;
	}
	e->sig = sig;
	e->user = u;
	e->info = *info;
	list_add_tail(pd->queue, &e->node);
	*pd->set |= sigbit(sig);
	return 0;
}

static struct sigq_entry *first_of(struct sigpend *pd, int sig, struct sigq_entry *after)
{
	struct sigq_entry *e = after ? list_entry(after->node.next, struct sigq_entry, node)
				     : list_entry(pd->queue->next, struct sigq_entry, node);

	for (; &e->node != pd->queue; e = list_entry(e->node.next, struct sigq_entry, node))
		if (e->sig == sig)
			return e;
	return NULL;
}

void sigpend_take_locked(struct sigpend *pd, int sig, struct k_siginfo *out)
{
	uint64_t bit = sigbit(sig);
	struct sigq_entry *e = sig >= SIGRTMIN ? first_of(pd, sig, NULL) : NULL;

	if (e) {
		/*
		 * Taking the last queued instance ends the signal's pending
		 * state, a lost-siginfo instance included (Linux's
		 * collect_signal); a timer's instance stays.
		 */
		bool timer = (*pd->rt_slot & bit) && pd->info[sig - 1].code == SI_TIMER;
		bool more = first_of(pd, sig, e) || timer;

		*out = e->info;
		entry_free_locked(e);
		if (!more) {
			*pd->set &= ~bit;
			*pd->rt_slot &= ~bit;
		}
		return;
	}
	*out = pd->info[sig - 1];
	*pd->rt_slot &= ~bit;
	*pd->set &= ~bit;
}

bool sigpend_slot_holds(const struct sigpend *pd, int sig)
{
	return sig < SIGRTMIN ? (*pd->set & sigbit(sig)) != 0 : (*pd->rt_slot & sigbit(sig)) != 0;
}

void sigpend_flush_locked(struct sigpend *pd, sigset_t mask)
{
	struct sigq_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, pd->queue, node)
		if (mask & sigbit(e->sig))
			entry_free_locked(e);
	*pd->set &= ~mask;
	*pd->rt_slot &= ~mask;
}

static uint32_t bits_in(uint64_t v)
{
	uint32_t n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

uint32_t sigpend_count_locked(struct sigpend pd)
{
	const struct sigq_entry *e;
	uint32_t n = bits_in(*pd.set & (sigbit(SIGRTMIN) - 1)) + bits_in(*pd.rt_slot);

	list_for_each_entry(e, pd.queue, node)
		n++;
	return n;
}

void signal_flush_thread_locked(struct thread *t)
{
	struct sigpend pd = sigpend_of_thread(t);

	sigpend_flush_locked(&pd, ~(sigset_t)0);
}

void signal_flush_process_locked(struct process *p)
{
	struct sigpend pd = sigpend_of_process(p);

	sigpend_flush_locked(&pd, ~(sigset_t)0);
}
