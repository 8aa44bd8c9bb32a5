// SPDX-License-Identifier: MPL-2.0
// Scheduling syscalls: nice values (getpriority/setpriority), policies and
// their priorities, CPU affinity (fair.c's per-CPU queues), sched_yield
// and getcpu.  A thread's nice value is its task's, which the
// round-robin policy (kernel/sched/fair.c) turns into the length of its
// turns; real-time policies are refused.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/percpu.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/uaccess.h>
#include <aster/vvar.h>
#include "process/process.h"
#include "syscall/syscall.h"
#include "uapi/resource.h"
#include "uapi/sched.h"
#include "uapi/membarrier.h"
#include "process/capability.h"

#define NICE_MIN	(-20)
#define NICE_MAX	19

static int thread_nice(const struct thread *t)
{
	return t->task ? task_sched_entity(t->task)->nice : t->nice;
}

static void thread_set_nice(struct thread *t, int nice)
{
	t->nice = nice;
	if (t->task)
		task_sched_entity(t->task)->nice = nice;
}

/* Which threads getpriority/setpriority(which, who) mean. */
struct prio_query {
	int which;
	int who;
	int nice;		/* setpriority: the new value */
	bool set;
	int found;		/* threads matched */
	int best;		/* getpriority: the lowest nice value found */
	int err;		/* setpriority: EPERM/EACCES seen */
};

static bool matches(const struct process *p, const struct thread *t, const struct prio_query *q)
{
	switch (q->which) {
	case PRIO_PROCESS:
		return t->tid == q->who;
	case PRIO_PGRP:
		return p->pgid == q->who;
	default:
		return p->cred.uid == (uid_t)q->who;
	}
}

/* Linux's set_one_prio: only CAP_SYS_NICE lowers nice or touches other users' threads. */
static int may_set(const struct process *p, const struct prio_query *q, int cur)
{
	const struct cred *me = &current_process()->cred;

	if (me->euid != p->cred.uid && me->uid != p->cred.uid && !capable(CAP_SYS_NICE))
		return -EPERM;
	if (q->nice < cur && !capable(CAP_SYS_NICE))
		return -EACCES;
	return 0;
}

static int prio_visit(struct process *p, void *arg)
{
	struct prio_query *q = arg;
	struct thread *t;

	if (p->state != PROCESS_ALIVE)
		return 0;
	list_for_each_entry(t, &p->threads, proc_node) {
		int cur = thread_nice(t), err;

		if (!matches(p, t, q))
			continue;
		q->found++;
		q->best = MIN(q->best, cur);
		if (!q->set)
			continue;
		err = may_set(p, q, cur);
		if (err)
			q->err = err;
		else
			thread_set_nice(t, q->nice);
	}
	return 0;
}

static int prio_query_init(struct prio_query *q, int which, int who)
{
	struct process *self = current_process();

	if (which < PRIO_PROCESS || which > PRIO_USER || who < 0)
		return -EINVAL;
	/* A thread or group is named in the caller's pid namespace; matched by the kernel's number. */
	*q = (struct prio_query){ .which = which, .who = which == PRIO_USER ? who : pid_from_vnr(who),
				  .best = NICE_MAX + 1 };
	if (who == 0)
		q->who = which == PRIO_PROCESS ? current_thread()->tid :
			 which == PRIO_PGRP ? self->pgid : (int)self->cred.uid;
	return 0;
}

long sys_getpriority(int which, int who)
{
	struct prio_query q;
	int err = prio_query_init(&q, which, who);

	if (err)
		return err;
	(void)process_for_each(prio_visit, &q);
	if (!q.found)
		return -ESRCH;
	return 20 - q.best;	/* the raw syscall's 1..40; libc turns it back into nice */
}

long sys_setpriority(int which, int who, int prio)
{
	struct prio_query q;
	int err = prio_query_init(&q, which, who);
	int nice = prio;

	if (err)
		return err;
	q.set = true;
	q.nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
	(void)process_for_each(prio_visit, &q);
	if (!q.found)
		return -ESRCH;
	return q.err;
}

/* The thread pid names (0: the caller), or NULL with *err set. */
static struct thread *target_thread(pid_t pid, int *err)
{
	struct thread *t;

	*err = 0;
	if (pid < 0) {
		*err = -EINVAL;
		return NULL;
	}
	if (pid == 0) {
		process_get(current_process());
		return current_thread();
	}
	t = thread_find(pid);
	if (!t)
		*err = -ESRCH;
	return t;
}

/* Linux's check_same_owner: the same user as the target, or CAP_SYS_NICE. */
static int may_change(const struct thread *t)
{
	const struct cred *me = &current_process()->cred, *it = &t->proc->cred;

	if (me->euid == it->euid || me->euid == it->uid || capable(CAP_SYS_NICE))
		return 0;
	return -EPERM;
}

static int policy_check(int policy, int prio)
{
	switch (policy & ~SCHED_RESET_ON_FORK) {
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
		return prio == 0 ? 0 : -EINVAL;
	case SCHED_FIFO:
	case SCHED_RR:
		/* No real-time scheduling: refused as for a caller without the privilege. */
		return prio < 1 || prio > 99 ? -EINVAL : -EPERM;
	default:
		return -EINVAL;
	}
}

/*
 * sched_setscheduler and sched_setparam: read the priority, check it
 * against the new policy (or, keep_policy, the thread's own) and the
 * caller's right to change the thread, then apply.
 */
static long set_scheduler(pid_t pid, bool keep_policy, int policy, uaddr_t param)
{
	struct thread *t;
	uint32_t prio;
	int err;

	if (!param || pid < 0)
		return -EINVAL;
	if (get_user_u32(&prio, param))
		return -EFAULT;
	t = target_thread(pid, &err);
	if (!t)
		return err;
	if (keep_policy)
		policy = t->sched_policy;
	err = policy_check(policy, (int)prio);
	if (!err)
		err = may_change(t);
	if (!err)
		t->sched_policy = policy & ~SCHED_RESET_ON_FORK;
	process_put(t->proc);
	return err;
}

long sys_sched_setscheduler(pid_t pid, int policy, uaddr_t param)
{
	return set_scheduler(pid, false, policy, param);
}

long sys_sched_getscheduler(pid_t pid)
{
	int err;
	struct thread *t = target_thread(pid, &err);
	long policy;

	if (!t)
		return err;
	policy = t->sched_policy;
	process_put(t->proc);
	return policy;
}

long sys_sched_setparam(pid_t pid, uaddr_t param)
{
	return set_scheduler(pid, true, 0, param);
}

long sys_sched_getparam(pid_t pid, uaddr_t param)
{
	struct thread *t;
	int err;

	if (!param || pid < 0)
		return -EINVAL;
	t = target_thread(pid, &err);
	if (!t)
		return err;
	process_put(t->proc);
	return put_user_u32(param, 0) ? -EFAULT : 0;	/* priority 0: not real-time */
}

/* The policies without static priorities: Linux answers 0 for their range, SCHED_DEADLINE's too. */
static bool policy_unprioritised(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE || policy == SCHED_DEADLINE;
}

long sys_sched_get_priority_max(int policy)
{
	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return 99;
	return policy_unprioritised(policy) ? 0 : -EINVAL;
}

long sys_sched_get_priority_min(int policy)
{
	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return 1;
	return policy_unprioritised(policy) ? 0 : -EINVAL;
}

long sys_sched_rr_get_interval(pid_t pid, uaddr_t tp)
{
	int err;
	struct thread *t = target_thread(pid, &err);
	int64_t ts[2] = { 0, 0 };
	int nice;

	if (!t)
		return err;
	nice = thread_nice(t);
	process_put(t->proc);
	/* The round-robin turn the policy gives this nice value (fair.c). */
	ts[1] = nice <= 0 ? 20000000 : 10000000;
	return copy_to_user(tp, ts, sizeof(ts)) ? -EFAULT : 0;
}

/*
 * Affinity: a mask of up to CPU_MAX CPUs.  Linux stores the mask given
 * (limited to the possible CPUs) and reports it intersected with the CPUs
 * that run tasks; a mask with none of those is EINVAL.  Today frame runs
 * tasks on CPU 0 alone (doc/smp.md), so every valid mask includes it.
 */
static uint64_t thread_affinity(const struct thread *t)
{
	uint64_t m = t->task ? task_affinity(t->task) : t->cpus_allowed;

	return m ? m : UINT64_MAX;
}

static uint64_t cpus_possible(void)
{
	unsigned int n = cpu_count_online();

	return n >= 64 ? UINT64_MAX : (1ULL << n) - 1;
}

long sys_sched_setaffinity(pid_t pid, size_t cpusetsize, uaddr_t mask)
{
	uint64_t want = 0;
	struct thread *t;
	int err;

	if (cpusetsize == 0)
		return -EINVAL;	/* an empty mask */
	/* Linux's get_user_cpu_mask: a shorter mask is zero-extended, a longer one cut. */
	if (copy_from_user(&want, mask, MIN(cpusetsize, sizeof(want))))
		return -EFAULT;
	t = target_thread(pid, &err);
	if (!t)
		return err;
	err = may_change(t);
	want &= cpus_possible();
	if (!err && !(want & sched_cpus_active()))
		err = -EINVAL;
	if (!err) {
		/* The thread's copy first: a task starting now reads it. */
		t->cpus_allowed = want;
		if (t->task)
			err = task_set_affinity(t->task, want);
	}
	process_put(t->proc);
	return err;
}

long sys_sched_getaffinity(pid_t pid, size_t cpusetsize, uaddr_t mask)
{
	uint64_t cpus;
	size_t len = cpusetsize;
	struct thread *t;
	int err;

	if (len < sizeof(cpus) || (len & 7))
		return -EINVAL;
	t = target_thread(pid, &err);
	if (!t)
		return err;
	cpus = thread_affinity(t) & sched_cpus_active() & cpus_possible();
	process_put(t->proc);
	if (clear_user(mask, len) || copy_to_user(mask, &cpus, sizeof(cpus)))
		return -EFAULT;
	return sizeof(cpus);
}

long sys_sched_yield(void)
{
	task_yield();
	return 0;
}

long sys_getcpu(uaddr_t cpu, uaddr_t node, uaddr_t tcache)
{
	unsigned int c, n;

	/* The same per-CPU descriptor the vDSO's getcpu reads. */
	cpu_current_node(&c, &n);
	if (cpu && put_user_u32(cpu, c))
		return -EFAULT;
	if (node && put_user_u32(node, n))
		return -EFAULT;
	return 0;
}

/* Read a user sched_attr of the size it states; E2BIG tells the caller ours. */
static int get_sched_attr(uaddr_t ua, struct sched_attr *ka)
{
	uint32_t size;
	uint8_t extra;

	memset(ka, 0, sizeof(*ka));
	if (get_user_u32(&size, ua))
		return -EFAULT;
	if (size == 0)
		size = SCHED_ATTR_SIZE_VER0;
	if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
		goto too_big;
	if (copy_from_user(ka, ua, MIN((size_t)size, sizeof(*ka))))
		return -EFAULT;
	for (size_t off = sizeof(*ka); off < size; off++) {
		if (copy_from_user(&extra, ua + off, 1))
			return -EFAULT;
		if (extra)
			goto too_big;
	}
	return 0;
too_big:
	(void)put_user_u32(ua, sizeof(*ka));
	return -E2BIG;
}

long sys_sched_setattr(pid_t pid, uaddr_t attr, unsigned int flags)
{
	struct sched_attr ka;
	struct thread *t;
	int err;

	if (!attr || pid < 0 || flags)
		return -EINVAL;
	err = get_sched_attr(attr, &ka);
	if (err)
		return err;
	if (ka.flags & ~(uint64_t)SCHED_FLAG_ALL)
		return -EINVAL;
	if (ka.flags & SCHED_FLAG_UTIL_CLAMP)
		return -EOPNOTSUPP;	/* no utilization clamping */
	if (!(ka.flags & SCHED_FLAG_KEEP_POLICY) &&
	    (ka.policy == SCHED_FIFO || ka.policy == SCHED_RR || ka.policy == SCHED_DEADLINE))
		return -EPERM;	/* no real-time or deadline scheduling */
	if (!(ka.flags & SCHED_FLAG_KEEP_POLICY) && policy_check((int)ka.policy, (int)ka.priority))
		return -EINVAL;
	/* Linux takes any nice value here and keeps it within range. */
	ka.nice = ka.nice < NICE_MIN ? NICE_MIN : ka.nice > NICE_MAX ? NICE_MAX : ka.nice;
	t = target_thread(pid, &err);
	if (!t)
		return err;
	err = may_change(t);
	if (!err && !(ka.flags & SCHED_FLAG_KEEP_PARAMS) && ka.nice < thread_nice(t) &&
	    !capable(CAP_SYS_NICE))
		err = -EPERM;
	if (!err && !(ka.flags & SCHED_FLAG_KEEP_POLICY))
		t->sched_policy = (int)ka.policy;
	if (!err && !(ka.flags & SCHED_FLAG_KEEP_PARAMS))
		thread_set_nice(t, ka.nice);
	process_put(t->proc);
	return err;
}

long sys_sched_getattr(pid_t pid, uaddr_t attr, unsigned int size, unsigned int flags)
{
	uint32_t usize = size;
	struct sched_attr ka;
	struct thread *t;
	int err;

	if (!attr || pid < 0 || flags || usize < SCHED_ATTR_SIZE_VER0 || usize > PAGE_SIZE)
		return -EINVAL;
	t = target_thread(pid, &err);
	if (!t)
		return err;
	memset(&ka, 0, sizeof(ka));
	ka.size = MIN(usize, (uint32_t)sizeof(ka));
	ka.policy = (uint32_t)t->sched_policy;
	ka.nice = thread_nice(t);
	process_put(t->proc);
	if (clear_user(attr, usize) || copy_to_user(attr, &ka, ka.size))
		return -EFAULT;
	return 0;
}
