// SPDX-License-Identifier: MPL-2.0
// The pids controller: every task (thread) is charged to its cgroup and
// all its ancestors; a fork that would take any of them past its pids.max
// fails with EAGAIN.  A cgroup where pids is not enabled has no limit,
// which is what Linux's charging of the nearest enabled ancestor amounts to.
#include <aster/errno.h>
#include <aster/string.h>
#include "cgroup/cgroup.h"

void cgroup_pids_add_locked(struct cgroup *cg, int64_t n)
{
	for (; cg; cg = cg->parent)
		cg->tasks += n;
}

/* Where Linux counts a refused fork: the nearest cgroup (cg or above) that has pids. */
static struct cgroup *pids_css(struct cgroup *cg)
{
	while (cg->parent && !(cgroup_controllers(cg) & CGROUP_CTRL_PIDS))
		cg = cg->parent;
	return cg;
}

int cgroup_pids_try_charge(struct cgroup *cg)
{
	irqflags_t f = spin_lock_irqsave(&cgroup_charge_lock);
	int err = 0;

	/* Linux's pids_try_charge: the limit of every level up to the root. */
	for (struct cgroup *c = cg; c; c = c->parent)
		if (c->tasks + 1 > c->pids_max)
			err = -EAGAIN;
	if (err)
		pids_css(cg)->pids_events_max++;
	else
		cgroup_pids_add_locked(cg, 1);
	spin_unlock_irqrestore(&cgroup_charge_lock, f);
	return err;
}

void cgroup_pids_reset(struct cgroup *cg)
{
	irqflags_t f = spin_lock_irqsave(&cgroup_charge_lock);

	cg->pids_max = CGROUP_PIDS_MAX;
	cg->pids_events_max = 0;
	spin_unlock_irqrestore(&cgroup_charge_lock, f);
}

static int64_t read_locked(const int64_t *v)
{
	irqflags_t f = spin_lock_irqsave(&cgroup_charge_lock);
	int64_t x = *v;

	spin_unlock_irqrestore(&cgroup_charge_lock, f);
	return x;
}

int cgroup_pids_show_max(struct cgroup *cg, struct cgroup_text *t)
{
	int64_t max = read_locked(&cg->pids_max);

	if (max >= CGROUP_PIDS_MAX)
		cgroup_text_add(t, "max\n");
	else
		cgroup_text_add(t, "%lld\n", (long long)max);
	return 0;
}

/* Linux's pids_max_write: "max" or 0..PID_MAX_LIMIT, else EINVAL. */
int cgroup_pids_write_max(struct cgroup *cg, char *s)
{
	int64_t v = CGROUP_PIDS_MAX;
	irqflags_t f;
	int err = strcmp(s, "max") ? parse_i64(s, &v) : 0;

	if (err)
		return err;	/* kstrtoll's EINVAL or ERANGE */
	if (v < 0 || v > CGROUP_PIDS_MAX)
		return -EINVAL;
	if (v == CGROUP_PIDS_MAX && strcmp(s, "max"))
		return -EINVAL;		/* PIDS_MAX itself is only "max" */
	f = spin_lock_irqsave(&cgroup_charge_lock);
	cg->pids_max = v;
	spin_unlock_irqrestore(&cgroup_charge_lock, f);
	return 0;
}

int cgroup_pids_show_current(struct cgroup *cg, struct cgroup_text *t)
{
	cgroup_text_add(t, "%lld\n", (long long)read_locked(&cg->tasks));
	return 0;
}

int cgroup_pids_show_events(struct cgroup *cg, struct cgroup_text *t)
{
	cgroup_text_add(t, "max %lld\n", (long long)read_locked(&cg->pids_events_max));
	return 0;
}
