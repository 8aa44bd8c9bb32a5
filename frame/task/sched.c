// SPDX-License-Identifier: MPL-2.0
// The scheduler mechanism: run queue calls into the policy, the switch,
// preemption on the tick, timed sleeps, and the idle task.  The policy
// (kernel/'s struct sched_ops) sees task handles only, and what its
// pick_next returns is checked before the switch (pick_checked).
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/percpu.h>
#include <aster/string.h>
#include "../internal.h"
#include <aster/vm_space.h>
#include "task_internal.h"
#include "../irq/irq_internal.h"

/*
 * What each CPU runs.  Only CPU 0 schedules today (cpus_active); the other
 * CPUs have no current task (NULL) and never enter schedule().  One
 * sched_lock guards every CPU's state and the policy's queues, and is held
 * across the context switch (released by the next task): so no other CPU
 * can pick the previous task before this CPU has left its stack.
 */
struct sched_cpu {
	struct tcb *current;
	struct tcb *idle;
	uint64_t nr_switches;	/* under sched_lock; cpu_switch_count reads it locklessly */
	bool need_resched;
};
DEFINE_PER_CPU(struct sched_cpu, sched_cpus);

static inline struct sched_cpu *this_sched(void)
{
	return per_cpu_ptr(sched_cpus, arch_cpu_id());
}


/* On every return to user mode (rseq): beside the entry code in .text.hot (kernel.ld). */
__attribute__((section(".text.hot")))
uint64_t cpu_switch_count(void)
{
	return __atomic_load_n(&this_sched()->nr_switches, __ATOMIC_RELAXED);
}
static struct tcb *dead_task;		/* exited; released after the switch away */
static struct tcb *sleepers;		/* timed waits, unordered */
static spinlock_t sched_lock = SPINLOCK_INIT;

/* FIFO until kernel/ registers its policy. */
static struct task *fifo_head, *fifo_tail;

static unsigned int fifo_enqueue(struct task *t)
{
	task_sched_entity(t)->next = NULL;
	if (fifo_tail)
		task_sched_entity(fifo_tail)->next = t;
	else
		fifo_head = t;
	fifo_tail = t;
	return 0;	/* the boot CPU: the only one before kernel/'s policy */
}

static struct task *fifo_pick_next(unsigned int cpu)
{
	struct task *t = fifo_head;

	(void)cpu;
	if (t) {
		fifo_head = task_sched_entity(t)->next;
		if (!fifo_head)
			fifo_tail = NULL;
	}
	return t;
}

static bool fifo_tick(struct task *curr, unsigned int cpu)
{
	(void)curr, (void)cpu;
	return fifo_head != NULL;	/* share the CPU every tick */
}

static const struct sched_ops fifo_ops = { fifo_enqueue, fifo_pick_next, fifo_tick };
static const struct sched_ops *policy = &fifo_ops;

/* CPUs with a current and an idle task that enter schedule(): CPU 0. */
static uint64_t cpus_active = 1;

uint64_t sched_cpus_active(void)
{
	return __atomic_load_n(&cpus_active, __ATOMIC_ACQUIRE);
}

static bool allows(const struct tcb *t, unsigned int cpu)
{
	return t->se.cpus_allowed == 0 || (t->se.cpus_allowed & (1ULL << cpu));
}

/* Queue t through the policy; its answer must be an allowed, active CPU. */
static void enqueue_checked(struct tcb *t)
{
	unsigned int cpu = policy->enqueue(t->handle);

	if (cpu >= CPU_MAX || !(sched_cpus_active() & (1ULL << cpu)) || !allows(t, cpu))
		panic("sched: enqueue put task %s on CPU %u, which does not run tasks or is "
		      "not in its affinity mask", t->name, cpu);
	t->se.cpu = cpu;
}

/*
 * The policy's choice, checked: a live task (not a stale or forged
 * handle), runnable, not the idle task (which is never queued), and not
 * running on a CPU unless it is prev itself.  Anything else is a bug in
 * the policy: a panic report rather than a switch to a dead stack.
 */
static struct tcb *pick_checked(const struct sched_ops *ops, const struct tcb *prev)
{
	unsigned int cpu = arch_cpu_id();
	struct task *h = ops->pick_next(cpu);
	struct tcb *t;

	if (!h)
		return NULL;
	t = tcb_check(h);
	if (!t)
		panic("sched: pick_next returned %p, not a live task (stale task handle?)", h);
	if (t == this_sched()->idle)
		panic("sched: pick_next returned the idle task, which is never queued");
	if (t->state != TASK_RUNNABLE)
		panic("sched: pick_next returned task %s, which is not runnable (state %d)",
		      t->name, (int)t->state);
	if (t->on_cpu && t != prev)
		panic("sched: pick_next returned task %s, which is running on another CPU",
		      t->name);
	if (!allows(t, cpu))
		panic("sched: pick_next returned task %s on CPU %u, outside its affinity mask",
		      t->name, cpu);
	t->se.cpu = cpu;
	return t;
}

void sched_register(const struct sched_ops *ops)
{
	irqflags_t flags = spin_lock_irqsave(&sched_lock);
	const struct sched_ops *old = policy;

	/* Hand the queued tasks over to the new policy. */
	policy = ops;
	for (struct tcb *t; (t = pick_checked(old, this_sched()->current));)
		enqueue_checked(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

int task_set_affinity(struct task *h, uint64_t mask)
{
	struct tcb *t = tcb_of(h);
	irqflags_t flags;

	if (!(mask & sched_cpus_active()))
		return -EINVAL;
	flags = spin_lock_irqsave(&sched_lock);
	t->se.cpus_allowed = mask;
	/* Running where it may not: off at the next preemption point. */
	if (t->on_cpu && !allows(t, t->se.cpu) && t == this_sched()->current)
		this_sched()->need_resched = true;
	spin_unlock_irqrestore(&sched_lock, flags);
	return 0;
}

uint64_t task_affinity(struct task *h)
{
	return __atomic_load_n(&tcb_of(h)->se.cpus_allowed, __ATOMIC_RELAXED);
}

struct tcb *tcb_current(void)
{
	return this_sched()->current;
}

struct task *task_current(void)
{
	struct tcb *t = this_sched()->current;

	return t ? t->handle : NULL;
}

struct sched_entity *task_sched_entity(struct task *t)
{
	return &tcb_of(t)->se;
}

void sched_make_runnable(struct tcb *t)
{
	t->state = TASK_RUNNABLE;
	if (t != this_sched()->idle)
		enqueue_checked(t);
}

static void sleepers_remove(struct tcb *t)
{
	for (struct tcb **p = &sleepers; *p; p = &(*p)->sleep_next) {
		if (*p == t) {
			*p = t->sleep_next;
			break;
		}
	}
	t->sleep_next = NULL;
	t->wake_deadline_ns = 0;
}

void sched_block_current(uint64_t deadline_ns)
{
	struct tcb *t = this_sched()->current;

	t->state = TASK_BLOCKED;
	if (deadline_ns) {
		t->wake_deadline_ns = deadline_ns;
		t->sleep_next = sleepers;
		sleepers = t;
	}
}

bool task_wake(struct task *h)
{
	struct tcb *t = tcb_of(h);
	irqflags_t flags = spin_lock_irqsave(&sched_lock);
	bool was_blocked = t->state == TASK_BLOCKED;

	if (was_blocked) {
		if (t->wake_deadline_ns)
			sleepers_remove(t);
		sched_make_runnable(t);
	}
	spin_unlock_irqrestore(&sched_lock, flags);
	return was_blocked;
}

void sched_unblock_current(void)
{
	struct tcb *t = this_sched()->current;

	spin_lock_raw(&sched_lock);
	if (t->wake_deadline_ns)
		sleepers_remove(t);
	t->state = TASK_RUNNABLE;
	spin_unlock_raw(&sched_lock);
}

/* Runs on the new task right after every switch (and at a task's start). */
void sched_finish_switch(void)
{
	struct tcb *dead = dead_task;

	dead_task = NULL;
	spin_unlock_raw(&sched_lock);
	if (dead)
		tcb_put(dead);
}

void schedule(void)
{
	irqflags_t flags = irq_local_save();
	struct sched_cpu *rq = this_sched();
	struct tcb *prev = rq->current, *next;
	uint64_t now;

	spin_lock_raw(&sched_lock);
	if (prev->state == TASK_RUNNABLE && prev != rq->idle)
		enqueue_checked(prev);
	next = pick_checked(policy, prev);
	if (!next)
		next = rq->idle;
	rq->need_resched = false;
	if (next == prev) {
		spin_unlock_raw(&sched_lock);
		irq_local_restore(flags);
		return;
	}
	if (prev->state == TASK_DEAD)
		dead_task = prev;
	now = clock_monotonic_ns();
	__atomic_store_n(&rq->nr_switches, rq->nr_switches + 1, __ATOMIC_RELAXED);
	if (prev->state == TASK_BLOCKED)
		prev->nvcsw++;
	else if (prev->state == TASK_RUNNABLE)
		prev->nivcsw++;
	prev->runtime_ns += now - prev->run_start_ns;
	next->run_start_ns = now;
	rq->current = next;
	prev->on_cpu = false;	/* one CPU: prev stops running here */
	next->on_cpu = true;
	watchdog_touch();
	/* Kernel tasks (vm == NULL) run on the kernel tables: no stale user half. */
	vm_space_activate(next->vm);
	/* The lock is held across the switch and released by the next task. */
	arch_context_switch(&prev->saved_rsp, next->saved_rsp);
	sched_finish_switch();
	irq_local_restore(flags);
}

/* Called from the timer interrupt with interrupts off. */
void sched_tick(uint64_t now_ns, bool from_user)
{
	struct sched_cpu *rq = this_sched();

	spin_lock_raw(&sched_lock);
	if (rq->current != rq->idle) {
		if (from_user)
			rq->current->user_ticks++;
		else
			rq->current->sys_ticks++;
	}
	for (struct tcb **p = &sleepers; *p;) {
		struct tcb *t = *p;

		if (t->wake_deadline_ns > now_ns) {
			p = &t->sleep_next;
			continue;
		}
		*p = t->sleep_next;
		t->sleep_next = NULL;
		t->wake_deadline_ns = 0;
		if (t->state == TASK_BLOCKED)
			sched_make_runnable(t);
	}
	if (rq->current == rq->idle || policy->tick(rq->current->handle, arch_cpu_id()))
		rq->need_resched = true;
	spin_unlock_raw(&sched_lock);
}

/*
 * As Linux's cputime_adjust: the exact runtime split in the proportion of
 * the tick samples (all of it user time before the first sample), and
 * never less than what was reported before for either part.
 */
void task_cpu_times(struct task *h, uint64_t *user_ns, uint64_t *sys_ns)
{
	struct tcb *t = tcb_of(h);
	irqflags_t flags = irq_local_save();
	uint64_t rt, ut, st, samples;

	spin_lock_raw(&sched_lock);
	rt = t->runtime_ns;
	if (t == this_sched()->current)
		rt += clock_monotonic_ns() - t->run_start_ns;
	samples = t->user_ticks + t->sys_ticks;
	/* rt * sys_ticks / samples, without overflow or a 128-bit division. */
	st = samples ? rt / samples * t->sys_ticks + rt % samples * t->sys_ticks / samples : 0;
	st = MAX(st, t->reported_sys_ns);
	ut = rt > st ? rt - st : 0;
	if (ut < t->reported_user_ns) {
		ut = t->reported_user_ns;
		st = rt > ut ? rt - ut : t->reported_sys_ns;
	}
	t->reported_user_ns = ut;
	t->reported_sys_ns = st;
	spin_unlock_raw(&sched_lock);
	irq_local_restore(flags);
	*user_ns = ut;
	*sys_ns = st;
}

void sched_stats(uint64_t *switches, uint64_t *idle_ns)
{
	irqflags_t flags = irq_local_save();
	struct sched_cpu *rq = this_sched();
	uint64_t rt = 0;

	spin_lock_raw(&sched_lock);
	*switches = rq->nr_switches;
	if (rq->idle) {
		rt = rq->idle->runtime_ns;
		if (rq->current == rq->idle)
			rt += clock_monotonic_ns() - rq->idle->run_start_ns;
	}
	spin_unlock_raw(&sched_lock);
	irq_local_restore(flags);
	*idle_ns = rt;
}

bool task_is_idle(const struct task *t)
{
	return tcb_of(t) == this_sched()->idle;
}

void task_switch_counts(struct task *h, uint64_t *voluntary, uint64_t *involuntary)
{
	struct tcb *t = tcb_of(h);
	irqflags_t flags = irq_local_save();

	spin_lock_raw(&sched_lock);
	*voluntary = t->nvcsw;
	*involuntary = t->nivcsw;
	spin_unlock_raw(&sched_lock);
	irq_local_restore(flags);
}

/* At the end of an interrupt: switch if the tick asked and we may. */
void sched_preempt_point(bool interrupted_with_irqs_on)
{
	struct sched_cpu *rq = this_sched();

	/* CPUs without tasks (all but 0 for now) have nothing to preempt. */
	if (rq->need_resched && interrupted_with_irqs_on && rq->current &&
	    rq->current->preempt_count == 0)
		schedule();
}

void preempt_disable(void)
{
	this_sched()->current->preempt_count++;
	barrier();
}

void preempt_enable(void)
{
	barrier();
	this_sched()->current->preempt_count--;
}

static bool holds_spinlock(const struct tcb *t)
{
#ifdef ASTER_LOCKDEP
	for (uint32_t i = 0; i < t->lockdep.n; i++)
		if (t->lockdep.held[i].spin)
			return true;
#else
	(void)t;
#endif
	return false;
}

bool task_reclaim_begin(void)
{
	struct tcb *t = this_sched()->current;
	irqflags_t flags = irq_local_save();
	bool ok;

	irq_local_restore(flags);
	/* Spinlocks turn interrupts off, so irqs on means none is held. */
	ok = t && arch_irq_flags_on(flags) && t->preempt_count == 0 && !in_interrupt() &&
	     !t->in_reclaim && !holds_spinlock(t);
	if (ok)
		t->in_reclaim = true;
	return ok;
}

void task_reclaim_end(void)
{
	this_sched()->current->in_reclaim = false;
}

static void idle_loop(void *arg)
{
	(void)arg;
	for (;;) {
		arch_idle();
		schedule();
	}
}

void sched_init(struct tcb *boot_task)
{
	struct task *idle;
	irqflags_t flags;

	this_sched()->current = boot_task;
	boot_task->on_cpu = true;
	idle = task_create("idle", idle_loop, NULL);
	BUG_ON(!idle);
	/* task_create queued it; the idle task is picked only when nothing else is. */
	flags = spin_lock_irqsave(&sched_lock);
	BUG_ON(policy->pick_next(arch_cpu_id()) != idle);
	this_sched()->idle = tcb_of(idle);
	spin_unlock_irqrestore(&sched_lock, flags);
}
