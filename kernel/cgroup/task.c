// SPDX-License-Identifier: MPL-2.0
// What processes and threads do to cgroups: a new task is charged to its
// cgroup (pids.max may refuse it), a new process joins its parent's cgroup
// or CLONE_INTO_CGROUP's, and the charges go as tasks go.  As on Linux, a
// process's last task stays charged until the process is reaped (a
// zombie counts in pids.current but is no longer in cgroup.procs).
#include <aster/errno.h>
#include <aster/string.h>
#include "cgroup/cgroup.h"
#include "fs/cgroupfs.h"
#include "process/process.h"

/* Linux's cgroup_css_set_fork for CLONE_INTO_CGROUP: the checks on the target (cgroup_mutex held). */
static int into_checks(struct cgroup *dst, struct cgroup *src, bool thread)
{
	int err;

	if (dst->dead)
		return -ENODEV;
	err = cgroupfs_may_write(dst);
	if (!err)
		err = cgroupfs_may_write(cgroup_common_ancestor(src, dst));
	if (!err)
		err = cgroup_vet_dst(dst);
	if (!err && thread && src != dst)
		err = -EOPNOTSUPP;
	return err;
}

/* The cgroup the new task goes to: a reference. */
static int fork_target(struct process *parent, int into_fd, bool thread, struct cgroup **out)
{
	struct cgroup *src = cgroup_of(parent), *dst;
	int err;

	if (into_fd < 0) {
		*out = src;
		return 0;
	}
	err = cgroupfs_cgroup_of_fd(into_fd, &dst);
	if (!err) {
		mutex_lock(&cgroup_mutex);
		err = into_checks(dst, src, thread);
		mutex_unlock(&cgroup_mutex);
		if (err)
			cgroup_put(dst);
	}
	cgroup_put(src);
	if (!err)
		*out = dst;
	return err;
}

int cgroup_fork(struct process *c, struct thread *t, int into_fd, bool thread)
{
	struct process *parent = current_process();
	struct cgroup *cg;
	irqflags_t f;
	int err = fork_target(thread ? c : parent, into_fd, thread, &cg);

	if (err)
		return err;
	err = cgroup_pids_try_charge(cg);
	if (err) {
		cgroup_put(cg);
		return err;
	}
	f = spin_lock_irqsave(&cgroup_charge_lock);
	t->cg_charged = true;
	c->cg_tasks++;
	if (!thread) {
		c->cgroup = cg;		/* the reference goes to c */
		cg = NULL;
	} else if (c->cgroup != cg) {
		/* c moved while we charged: the charge follows it. */
		cgroup_pids_add_locked(cg, -1);
		cgroup_pids_add_locked(c->cgroup ? c->cgroup : &cgroup_root, 1);
	}
	spin_unlock_irqrestore(&cgroup_charge_lock, f);
	cgroup_put(cg);
	return 0;
}

void cgroup_thread_free(struct thread *t)
{
	struct process *p = t->proc;
	irqflags_t f;

	if (!t->cg_charged)
		return;
	f = spin_lock_irqsave(&cgroup_charge_lock);
	/* The process's last task stays charged until the process is reaped. */
	if (p->nr_threads > 0 && p->cg_tasks > 1) {
		cgroup_pids_add_locked(p->cgroup ? p->cgroup : &cgroup_root, -1);
		p->cg_tasks--;
	}
	t->cg_charged = false;
	spin_unlock_irqrestore(&cgroup_charge_lock, f);
}

void cgroup_process_free(struct process *p)
{
	struct cgroup *cg;
	irqflags_t f = spin_lock_irqsave(&cgroup_charge_lock);

	cg = p->cgroup;
	if (p->cg_tasks)
		cgroup_pids_add_locked(cg ? cg : &cgroup_root, -p->cg_tasks);
	p->cg_tasks = 0;
	p->cgroup = NULL;
	spin_unlock_irqrestore(&cgroup_charge_lock, f);
	cgroup_put(cg);
}

int cgroup_proc_path(struct process *p, char *buf, size_t size)
{
	struct cgroup *cg = cgroup_of(p);
	int n;

	mutex_lock(&cgroup_mutex);
	n = cgroup_path(cg, buf, size);
	/* A removed cgroup's zombie, as Linux's cgroup_path_ns shows it. */
	if (n >= 0 && cg->dead)
		n = (size_t)n + sizeof(" (deleted)") <= size ?
		    n + snprintf(buf + n, size - (size_t)n, " (deleted)") : -ENAMETOOLONG;
	mutex_unlock(&cgroup_mutex);
	cgroup_put(cg);
	return n;
}

static int count_ctrl(struct cgroup *cg, uint32_t bit)
{
	struct cgroup *c;
	int n = (cgroup_controllers(cg) & bit) ? 1 : 0;

	list_for_each_entry(c, &cg->children, sibling)
		n += count_ctrl(c, bit);
	return n;
}

int cgroup_ctrl_count(size_t ctrl)
{
	int n;

	mutex_lock(&cgroup_mutex);
	n = count_ctrl(&cgroup_root, 1u << ctrl);
	mutex_unlock(&cgroup_mutex);
	return n;
}
