// SPDX-License-Identifier: MPL-2.0
// I/O priorities: ioprio_set(2) and ioprio_get(2) as Linux's
// block/ioprio.c answers them.  A thread's priority (class and data) is
// kept in struct thread, inherited by fork and clone, and reported back;
// the block layer has no I/O scheduler that orders requests by it, which
// is what Linux does with its "none" scheduler (doc/drivers.md).
#include <aster/errno.h>
#include "process/capability.h"
#include "process/process.h"
#include "sched/sched.h"
#include "syscall/syscall.h"
#include "uapi/ioprio.h"

/*
 * Linux (6.1's stable updates on) reads only the level, the low 3 bits of
 * the data; the bits above are "hints" it does not check here.
 */
int ioprio_check_cap(int ioprio)
{
	int class = (ioprio >> IOPRIO_CLASS_SHIFT) & IOPRIO_CLASS_MASK;
	int level = ioprio & IOPRIO_LEVEL_MASK;

	switch (class) {
	case IOPRIO_CLASS_RT:
		if (!capable(CAP_SYS_NICE) && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		return 0;
	case IOPRIO_CLASS_BE:
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return level ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

/* Which threads a call names, and what it found. */
struct ioprio_query {
	int which, who;
	bool set;
	int ioprio;		/* set: the new value */
	int ret;		/* -ESRCH until a thread matches; then get's best or set's first error */
	bool stop;		/* set: an error ends the walk, as Linux */
};

static bool ioprio_matches(const struct process *p, const struct thread *t, const struct ioprio_query *q)
{
	switch (q->which) {
	case IOPRIO_WHO_PROCESS:
		return t->tid == q->who;
	case IOPRIO_WHO_PGRP:
		return p->pgid == q->who;
	default:
		return p->cred.uid == (uid_t)q->who;
	}
}

/* Linux's set_task_ioprio: the target's real uid is the caller's real or effective one, or CAP_SYS_NICE. */
static int may_set_ioprio(const struct process *p)
{
	const struct cred *me = &current_process()->cred;

	if (p->cred.uid != me->euid && p->cred.uid != me->uid && !capable(CAP_SYS_NICE))
		return -EPERM;
	return 0;
}

/* Linux's ioprio_best: the numerically lower value, a class-less one counted as 0. */
static int ioprio_best(int a, int b)
{
	return a < b ? a : b;
}

static int ioprio_visit(struct process *p, void *arg)
{
	struct ioprio_query *q = arg;
	struct thread *t;

	if (p->state != PROCESS_ALIVE || q->stop)
		return 0;
	list_for_each_entry(t, &p->threads, proc_node) {
		if (!ioprio_matches(p, t, q))
			continue;
		if (!q->set) {
			q->ret = q->ret == -ESRCH ? t->ioprio : ioprio_best(q->ret, t->ioprio);
			continue;
		}
		q->ret = may_set_ioprio(p);
		if (q->ret) {
			q->stop = true;
			return 0;
		}
		t->ioprio = q->ioprio;
	}
	return 0;
}

static int ioprio_query(struct ioprio_query *q)
{
	if (q->which < IOPRIO_WHO_PROCESS || q->which > IOPRIO_WHO_USER)
		return -EINVAL;
	/* Linux: who 0 is the caller's thread or group, but for IOPRIO_WHO_USER it is uid 0. */
	if (q->which != IOPRIO_WHO_USER)
		q->who = pid_from_vnr(q->who);	/* the caller's number; matched by the kernel's */
	if (q->who == 0 && q->which == IOPRIO_WHO_PROCESS)
		q->who = current_thread()->tid;
	else if (q->who == 0 && q->which == IOPRIO_WHO_PGRP)
		q->who = current_process()->pgid;
	q->ret = -ESRCH;
	(void)process_for_each(ioprio_visit, q);
	return q->ret;
}

long sys_ioprio_set(int which, int who, int ioprio)
{
	struct ioprio_query q = { .which = which, .who = who, .set = true, .ioprio = ioprio };
	int err = ioprio_check_cap(ioprio);

	if (err)
		return err;
	return ioprio_query(&q);
}

long sys_ioprio_get(int which, int who)
{
	struct ioprio_query q = { .which = which, .who = who };

	return ioprio_query(&q);
}
