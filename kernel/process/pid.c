// SPDX-License-Identifier: MPL-2.0
// The numbers of threads and processes in every pid namespace they live
// in (Linux's kernel/pid.c), the translations between the global number
// and the caller's view, and the rules of a namespace's init (Linux's
// kernel/pid_namespace.c zap_pid_namespace, find_child_reaper).
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "process/internal.h"
#include "process/pid.h"

#define PID_WRAP_TO	300	/* Linux's RESERVED_PIDS: where numbers start again after pid_max */

static struct list_node all_pids = LIST_INIT(all_pids);

struct pid *pid_new(struct pid_namespace *ns)
{
	struct pid *k = kzalloc(sizeof(*k) + (ns->level + 1) * sizeof(struct upid));
	struct pid_namespace *n = ns;

	if (!k)
		return NULL;
	refcount_set(&k->refs, 1);
	list_init(&k->node);
	k->level = ns->level;
	for (int l = (int)ns->level; l >= 0; l--, n = n->parent)
		k->up[l].ns = n;
	ns_get(&ns->ns);
	return k;
}

static struct pid *find_in_ns_locked(const struct pid_namespace *ns, pid_t nr)
{
	struct pid *k;

	list_for_each_entry(k, &all_pids, node)
		if (k->level >= ns->level && k->up[ns->level].ns == ns && k->up[ns->level].nr == nr)
			return k;
	return NULL;
}

struct pid *pid_find_global_locked(pid_t nr)
{
	return find_in_ns_locked(&init_pid_ns, nr);
}

/* The next free number of a non-initial namespace, as Linux's idr cursor. */
static pid_t alloc_in_ns_locked(struct pid_namespace *ns)
{
	pid_t max = process_pid_max();

	for (pid_t tries = 0; tries < max; tries++) {
		pid_t nr = ns->last_pid + 1 >= max ? PID_WRAP_TO : ns->last_pid + 1;

		ns->last_pid = nr;
		if (!find_in_ns_locked(ns, nr))
			return nr;
	}
	return -EAGAIN;
}

/* A number asked for with clone3's set_tid in ns (Linux's alloc_pid checks, in its order). */
static pid_t chosen_locked(struct pid_namespace *ns, pid_t tid, bool may_choose)
{
	if (tid < 1 || tid >= process_pid_max())
		return -EINVAL;
	if (tid != 1 && !pid_ns_had_init(ns))
		return -EINVAL;
	if (!may_choose)
		return -EPERM;
	if (ns->level == 0 ? process_id_in_use_locked(tid) : find_in_ns_locked(ns, tid) != NULL)
		return -EEXIST;
	if (ns->level == 0)
		process_count_fork_locked();
	return tid;
}

int pid_number_locked(struct pid *k, const struct pid_request *req)
{
	struct pid_namespace *own = k->up[k->level].ns;
	size_t n = req ? req->n : 0;

	if (n > k->level + 1)
		return -EINVAL;
	if (!own->adding)
		return -ENOMEM;
	for (int l = (int)k->level; l >= 0; l--) {
		size_t idx = k->level - (unsigned int)l;
		pid_t nr;

		if (idx < n)
			nr = chosen_locked(k->up[l].ns, req->set_tid[idx], req->may_choose);
		else
			nr = l ? alloc_in_ns_locked(k->up[l].ns) : pid_alloc_locked();
		if (nr < 0)
			return nr;
		k->up[l].nr = nr;
	}
	list_add_tail(&all_pids, &k->node);
	return 0;
}

void pid_get(struct pid *k)
{
	refcount_inc(&k->refs);
}

void pid_put_locked(struct pid *k)
{
	if (!k || !refcount_dec_and_test(&k->refs))
		return;
	list_del(&k->node);
	ns_put(&k->up[k->level].ns->ns);
	kfree(k);
}

void pid_put(struct pid *k)
{
	irqflags_t f;

	if (!k)
		return;
	f = spin_lock_irqsave(&process_table_lock);
	pid_put_locked(k);
	spin_unlock_irqrestore(&process_table_lock, f);
}

pid_t pid_nr_of(const struct pid *k, const struct pid_namespace *ns)
{
	if (!k || ns->level > k->level || k->up[ns->level].ns != ns)
		return 0;
	return k->up[ns->level].nr;
}

struct pid_namespace *process_pid_ns(struct process *p)
{
	struct pid *k = p ? p->kpid : NULL;

	return k ? k->up[k->level].ns : &init_pid_ns;
}

struct pid_namespace *current_pid_ns(void)
{
	struct thread *t = current_thread();

	/* The thread's own: a process's threads all live in the same namespace. */
	if (t && t->kpid)
		return t->kpid->up[t->kpid->level].ns;
	return process_pid_ns(t ? t->proc : NULL);
}

bool pid_ns_within(const struct pid_namespace *ns, const struct pid_namespace *a)
{
	for (; ns; ns = ns->parent)
		if (ns == a)
			return true;
	return false;
}

pid_t pid_nr_ns(pid_t global, const struct pid_namespace *ns)
{
	irqflags_t f;
	pid_t nr;

	if (ns->level == 0 || global <= 0)
		return global;
	f = spin_lock_irqsave(&process_table_lock);
	nr = pid_nr_of(pid_find_global_locked(global), ns);
	spin_unlock_irqrestore(&process_table_lock, f);
	return nr;
}

pid_t pid_nr_for(pid_t global, struct process *viewer)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct pid_namespace *ns = process_pid_ns(viewer);
	pid_t nr = global;

	/* Under the lock: viewer's numbers (and so its namespace) go when it is reaped. */
	if (ns->level && global > 0)
		nr = pid_nr_of(pid_find_global_locked(global), ns);
	spin_unlock_irqrestore(&process_table_lock, f);
	return nr;
}

pid_t pid_vnr(pid_t global)
{
	return pid_nr_ns(global, current_pid_ns());
}

pid_t pid_from_ns(const struct pid_namespace *ns, pid_t nr)
{
	struct pid *k;
	irqflags_t f;
	pid_t global;

	if (ns->level == 0 || nr <= 0)
		return nr;
	f = spin_lock_irqsave(&process_table_lock);
	k = find_in_ns_locked(ns, nr);
	global = k ? k->up[0].nr : PID_NOWHERE;
	spin_unlock_irqrestore(&process_table_lock, f);
	return global;
}

pid_t pid_from_vnr(pid_t nr)
{
	return pid_from_ns(current_pid_ns(), nr);
}

/* Hold the struct pid of global number nr in *slot instead of the one there. */
static void hold_locked(struct pid **slot, pid_t nr)
{
	struct pid *k = nr > 0 ? pid_find_global_locked(nr) : NULL;

	if (k == *slot)
		return;
	if (k)
		pid_get(k);
	pid_put_locked(*slot);
	*slot = k;
}

void process_set_groups_locked(struct process *p, pid_t pgid, pid_t sid)
{
	p->pgid = pgid;
	p->sid = sid;
	hold_locked(&p->pgrp_kpid, pgid);
	hold_locked(&p->sess_kpid, sid);
}

void process_set_groups(struct process *p, pid_t pgid, pid_t sid)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	process_set_groups_locked(p, pgid, sid);
	spin_unlock_irqrestore(&process_table_lock, f);
}

void process_drop_pids(struct process *p)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct pid_namespace *ns = process_pid_ns(p);

	/* A first process that never ran (its clone failed): the namespace cannot get another init. */
	if (ns->reaper == p) {
		ns->reaper = NULL;
		ns->adding = false;
		ns->had_init = false;	/* Linux never set its child_reaper */
	}
	pid_put_locked(p->kpid);
	pid_put_locked(p->pgrp_kpid);
	pid_put_locked(p->sess_kpid);
	p->kpid = p->pgrp_kpid = p->sess_kpid = NULL;
	spin_unlock_irqrestore(&process_table_lock, f);
}

size_t pid_ns_numbers(pid_t task, pid_t id, const struct pid_namespace *ns, char *buf, size_t size)
{
	struct pid *k, *of;
	size_t n = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	k = pid_find_global_locked(task);
	of = id > 0 ? pid_find_global_locked(id) : NULL;
	if (k && pid_nr_of(k, ns))
		for (unsigned int l = ns->level; l <= k->level && n < size; l++)
			n += (size_t)snprintf(buf + n, size - n, "\t%d", pid_nr_of(of, k->up[l].ns));
	spin_unlock_irqrestore(&process_table_lock, f);
	if (!n && size > 2)
		n = (size_t)snprintf(buf, size, "\t0");
	return MIN(n, size ? size - 1 : 0);
}

/* ---- the init of a namespace ---- */

bool pid_ns_had_init(const struct pid_namespace *ns)
{
	return ns->level == 0 || ns->had_init;
}

bool pid_ns_is_init(struct process *p)
{
	struct pid_namespace *ns = process_pid_ns(p);

	return ns->level > 0 && ns->reaper == p;
}

bool pid_sender_outside_locked(struct process *p)
{
	struct thread *t = current_thread();

	return !t || !t->kpid || pid_nr_of(t->kpid, process_pid_ns(p)) == 0;
}

bool pid_ns_init_ignores_locked(struct process *p, int sig, bool force)
{
	if (!pid_ns_is_init(p) || p->sigactions[sig - 1].handler != SIG_DFL)
		return false;
	/* Linux's sig_task_ignored for SIGNAL_UNKILLABLE: only forced SIGKILL and SIGSTOP. */
	return !(force && (sig == SIGKILL || sig == SIGSTOP));
}

struct process *pid_ns_reaper_locked(struct process *p)
{
	struct pid_namespace *ns = process_pid_ns(p);

	/* The init of a namespace that ends: its children are zapped and reaped by it. */
	if (ns->level == 0 || ns->reaper == NULL)
		return init_process;
	return ns->reaper;
}

struct zap {
	struct pid_namespace *ns;
	struct process *self;
};

static int zap_one(struct process *p, void *arg)
{
	struct zap *z = arg;

	if (p != z->self && p->state == PROCESS_ALIVE && pid_ns_within(process_pid_ns(p), z->ns))
		signal_kill_locked(p);
	return 0;
}

static bool children_changed(void *arg)
{
	struct process *p = arg;
	struct process *c;
	bool ret = list_empty(&p->children);
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(c, &p->children, sibling)
		if (c->state == PROCESS_ZOMBIE)
			ret = true;
	spin_unlock_irqrestore(&process_table_lock, f);
	return ret;
}

/* A zombie child of p, taken off the tree, or NULL (table lock held). */
static struct process *zombie_child_locked(struct process *p)
{
	struct process *c;

	list_for_each_entry(c, &p->children, sibling)
		if (c->state == PROCESS_ZOMBIE)
			return c;
	return NULL;
}

void pid_ns_zap(struct process *p)
{
	struct zap z = { process_pid_ns(p), p };
	irqflags_t f;

	if (!pid_ns_is_init(p))
		return;
	f = spin_lock_irqsave(&process_table_lock);
	z.ns->adding = false;
	spin_unlock_irqrestore(&process_table_lock, f);
	(void)process_for_each(zap_one, &z);
	/* Linux's zap_pid_namespace: reap every child before init itself is a zombie. */
	for (;;) {
		struct process *c;

		f = spin_lock_irqsave(&process_table_lock);
		c = zombie_child_locked(p);
		if (c)
			process_get(c);
		if (!c && list_empty(&p->children)) {
			z.ns->reaper = NULL;
			spin_unlock_irqrestore(&process_table_lock, f);
			return;
		}
		spin_unlock_irqrestore(&process_table_lock, f);
		if (c) {
			process_reap(c);
			process_put(c);
			continue;
		}
		wait_event(&p->child_wait, children_changed, p);
	}
}
