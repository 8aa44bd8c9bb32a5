// SPDX-License-Identifier: MPL-2.0
// The cgroup tree (cgroup/cgroup.h): mkdir and rmdir with Linux's limits
// and EBUSY rules, the controllers each cgroup may use, the
// no-internal-process rule, and moving processes between cgroups.
// Membership is per process (no threaded cgroups): the live processes of
// a cgroup are those whose p->cgroup it is and that have not exited.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "cgroup/cgroup.h"
#include "process/process.h"

struct mutex cgroup_mutex = MUTEX_INIT;
spinlock_t cgroup_charge_lock = SPINLOCK_INIT;
struct cgroup cgroup_root = {
	.refs = REFCOUNT_INIT(1),
	.name = "",
	.children = LIST_INIT(cgroup_root.children),
	.id = 1,
	.max_descendants = CGROUP_LIMIT_MAX,
	.max_depth = CGROUP_LIMIT_MAX,
	.pids_max = CGROUP_PIDS_MAX,
};
const char *const cgroup_ctrl_names[CGROUP_NR_CTRL] = { "pids" };
static uint64_t next_id = 2;

void cgroup_get(struct cgroup *cg)
{
	refcount_inc(&cg->refs);
}

/* The last reference frees cg and drops the one it held on its parent (the root never goes). */
void cgroup_put(struct cgroup *cg)
{
	while (cg && cg != &cgroup_root && refcount_dec_and_test(&cg->refs)) {
		struct cgroup *parent = cg->parent;

		kfree(cg->name);
		kfree(cg);
		cg = parent;
	}
}

/* Linux's cgroup_check_hierarchy_limits: room for one more below parent? */
static bool hierarchy_allows(struct cgroup *parent)
{
	int level = 1;

	for (struct cgroup *c = parent; c; c = c->parent, level++)
		if (c->nr_descendants >= c->max_descendants || level > c->max_depth)
			return false;
	return true;
}

int cgroup_mkdir(struct cgroup *parent, const char *name, struct cgroup **out)
{
	struct cgroup *cg;
	size_t n = strlen(name) + 1;

	if (parent->dead)
		return -ENOENT;
	/* Linux's cgroup_mkdir: /proc/PID/cgroup is one line per hierarchy. */
	if (strchr(name, '\n'))
		return -EINVAL;
	if (!hierarchy_allows(parent))
		return -EAGAIN;
	cg = kzalloc(sizeof(*cg));
	if (!cg)
		return -ENOMEM;
	cg->name = kmalloc(n);
	if (!cg->name) {
		kfree(cg);
		return -ENOMEM;
	}
	memcpy(cg->name, name, n);
	refcount_set(&cg->refs, 2);	/* the tree's and the caller's */
	cgroup_get(parent);
	cg->parent = parent;
	list_init(&cg->children);
	list_add_tail(&parent->children, &cg->sibling);
	cg->id = next_id++;
	cg->level = parent->level + 1;
	cg->max_descendants = cg->max_depth = CGROUP_LIMIT_MAX;
	cg->pids_max = CGROUP_PIDS_MAX;
	for (struct cgroup *c = parent; c; c = c->parent)
		c->nr_descendants++;
	*out = cg;
	return 0;
}

struct procs_scan {
	struct cgroup *cg;
	bool subtree;
};

static bool is_descendant(struct cgroup *c, struct cgroup *of)
{
	for (; c; c = c->parent)
		if (c == of)
			return true;
	return false;
}

/* Under process_table_lock: p's cgroup cannot move (migration holds it). */
static int scan_one(struct process *p, void *arg)
{
	struct procs_scan *s = arg;

	struct cgroup *cg = p->cgroup ? p->cgroup : &cgroup_root;

	if (p->state != PROCESS_ALIVE)
		return 0;
	return s->subtree ? is_descendant(cg, s->cg) : cg == s->cg;
}

bool cgroup_has_procs(struct cgroup *cg)
{
	struct procs_scan s = { cg, false };

	return process_for_each(scan_one, &s) != 0;
}

bool cgroup_populated(struct cgroup *cg)
{
	struct procs_scan s = { cg, true };

	return process_for_each(scan_one, &s) != 0;
}

int cgroup_rmdir(struct cgroup *cg)
{
	if (cg == &cgroup_root || cg->dead)
		return cg->dead ? -ENOENT : -EBUSY;
	if (!list_empty(&cg->children) || cgroup_populated(cg))
		return -EBUSY;
	cg->dead = true;
	list_del(&cg->sibling);
	for (struct cgroup *c = cg->parent; c; c = c->parent)
		c->nr_descendants--;
	cgroup_put(cg);		/* the tree's */
	return 0;
}

uint32_t cgroup_controllers(const struct cgroup *cg)
{
	return cg->parent ? cg->parent->subtree_control : CGROUP_CTRL_ALL;
}

/* Does some live child subtree of cg hold processes (Linux's nr_populated_domain_children)? */
static bool has_populated_children(struct cgroup *cg)
{
	struct cgroup *c;

	list_for_each_entry(c, &cg->children, sibling)
		if (cgroup_populated(c))
			return true;
	return false;
}

/*
 * Linux's cgroup_can_be_thread_root: a cgroup without domain controllers
 * enabled and without populated children may hold processes next to its
 * children's (only threaded controllers, such as pids, act there).
 */
static bool can_be_thread_root(struct cgroup *cg)
{
	if (!cg->parent)
		return true;		/* the root is mixable */
	if (has_populated_children(cg))
		return false;
	return !(cg->subtree_control & ~CGROUP_CTRL_THREADED);
}

int cgroup_vet_dst(struct cgroup *dst)
{
	if (can_be_thread_root(dst))
		return 0;
	return dst->subtree_control ? -EBUSY : 0;
}

int cgroup_path(struct cgroup *cg, char *buf, size_t size)
{
	size_t len = 0;

	if (!cg->parent)
		return snprintf(buf, size, "/") < (int)size ? 1 : -ENAMETOOLONG;
	/* Measure, then fill from the end. */
	for (struct cgroup *c = cg; c->parent; c = c->parent)
		len += strlen(c->name) + 1;
	if (len + 1 > size)
		return -ENAMETOOLONG;
	buf[len] = 0;
	for (size_t end = len; cg->parent; cg = cg->parent) {
		size_t n = strlen(cg->name);

		end -= n;
		memcpy(buf + end, cg->name, n);
		buf[--end] = '/';
	}
	return (int)len;
}

struct cgroup *cgroup_common_ancestor(struct cgroup *a, struct cgroup *b)
{
	while (a->level > b->level)
		a = a->parent;
	while (b->level > a->level)
		b = b->parent;
	while (a != b) {
		a = a->parent;
		b = b->parent;
	}
	return a;
}

struct cgroup *cgroup_of(struct process *p)
{
	struct cgroup *cg;
	irqflags_t f = spin_lock_irqsave(&cgroup_charge_lock);

	cg = p && p->cgroup ? p->cgroup : &cgroup_root;
	cgroup_get(cg);
	spin_unlock_irqrestore(&cgroup_charge_lock, f);
	return cg;
}

void cgroup_migrate(struct process *p, struct cgroup *dst)
{
	struct cgroup *old;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	irqflags_t g = spin_lock_irqsave(&cgroup_charge_lock);

	old = p->cgroup;
	if (old != dst) {
		/* Linux's pids_can_attach: the charges move, whatever the limits. */
		if (old)
			cgroup_pids_add_locked(old, -p->cg_tasks);
		cgroup_pids_add_locked(dst, p->cg_tasks);
		cgroup_get(dst);
		p->cgroup = dst;
	}
	spin_unlock_irqrestore(&cgroup_charge_lock, g);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (old != dst)
		cgroup_put(old);
}
