// SPDX-License-Identifier: MPL-2.0
// The default scheduling policy: round robin, so that a task that blocks
// early goes to the back of the queue with a fresh slice.  The slice is
// 20 ms at nice 0 and grows by 25% a nice level below it (Linux's CFS
// weights step by the same ratio) up to 400 ms, and is one 10 ms tick from
// nice 2 up: a lower nice value gets the CPU for longer turns.
//
// Per-CPU run queues: a task that becomes runnable goes to the least
// loaded CPU its affinity allows (its previous CPU when that is no
// busier); a CPU whose queue holds nothing it may run pulls from the
// busiest other queue.  frame says which CPUs run tasks
// (sched_cpus_active: CPU 0 alone today, doc/smp.md).
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/percpu.h>
#include <aster/sync.h>
#include <aster/task.h>
#include "sched/sched.h"

/*
 * One run queue per CPU.  frame calls the policy with its scheduler lock
 * held (one lock for every CPU), so the queues need no lock of their own;
 * sched_nr_running reads the counts without it, as a statistic.
 */
struct run_queue {
	struct task *head, *tail;
	atomic_t queued;	/* written under frame's lock, read without it */
	atomic_t busy;		/* 1: the CPU runs a task, not its idle task */
};
DEFINE_PER_CPU(struct run_queue, run_queues);

/* Slice lengths in ticks by nice + 20: 2 * 1.25^-nice, within [1, 40]. */
static const uint8_t slice_by_nice[40] = {
	40, 40, 40, 40, 40, 40, 40, 36, 29, 23,		/* -20 .. -11 */
	19, 15, 12, 10, 8, 6, 5, 4, 3, 3,		/* -10 .. -1 */
	2, 2, 1, 1, 1, 1, 1, 1, 1, 1,			/* 0 .. 9 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1,			/* 10 .. 19 */
};

static uint64_t slice_of(const struct sched_entity *se)
{
	int n = se->nice < -20 ? -20 : se->nice > 19 ? 19 : se->nice;

	return slice_by_nice[n + 20];
}

static struct run_queue *rq_of(unsigned int cpu)
{
	return per_cpu_ptr(run_queues, cpu);
}

unsigned int sched_nr_running(void)
{
	uint64_t active = sched_cpus_active();
	unsigned int n = 0;

	for (unsigned int c = 0; c < CPU_MAX; c++)
		if (active & (1ULL << c))
			n += (unsigned int)(atomic_read(&rq_of(c)->queued) +
					    atomic_read(&rq_of(c)->busy));
	return n;
}

/*
 * Where a task goes among the CPUs in `allowed` (not empty), given each
 * CPU's load (queued + running): the least loaded, preferring `prev` (its
 * cache is warm there) when prev is no busier than the best.  A pure
 * function, for the ktest.
 */
static unsigned int place(uint64_t allowed, unsigned int prev, const unsigned int load[CPU_MAX])
{
	unsigned int best = CPU_MAX;

	for (unsigned int c = 0; c < CPU_MAX; c++)
		if ((allowed & (1ULL << c)) && (best == CPU_MAX || load[c] < load[best]))
			best = c;
	if (prev < CPU_MAX && (allowed & (1ULL << prev)) && load[prev] <= load[best])
		return prev;
	return best;
}

static uint64_t allowed_cpus(struct sched_entity *se)
{
	uint64_t active = sched_cpus_active();
	uint64_t m = (se->cpus_allowed ? se->cpus_allowed : UINT64_MAX) & active;

	/*
	 * task_set_affinity refuses masks without a CPU that runs tasks, and
	 * CPUs never stop running them: this is only a safety net.
	 */
	return m ? m : active;
}

/* Queued and running tasks of cpu. */
static unsigned int load_of(unsigned int cpu)
{
	return (unsigned int)(atomic_read(&rq_of(cpu)->queued) + atomic_read(&rq_of(cpu)->busy));
}

static unsigned int select_cpu(struct sched_entity *se)
{
	unsigned int load[CPU_MAX];
	uint64_t allowed = allowed_cpus(se);

	for (unsigned int c = 0; c < CPU_MAX; c++)
		load[c] = (allowed & (1ULL << c)) ? load_of(c) : 0;
	return place(allowed, se->cpu, load);
}

static void rq_append(struct run_queue *rq, struct task *t)
{
	task_sched_entity(t)->next = NULL;
	if (rq->tail)
		task_sched_entity(rq->tail)->next = t;
	else
		rq->head = t;
	rq->tail = t;
	atomic_set(&rq->queued, atomic_read(&rq->queued) + 1);
}

/* Take t off rq: prev is the task before it, NULL when t is the first. */
static void rq_unlink(struct run_queue *rq, struct task *prev, struct task *t)
{
	struct task *next = task_sched_entity(t)->next;

	if (prev)
		task_sched_entity(prev)->next = next;
	else
		rq->head = next;
	if (rq->tail == t)
		rq->tail = prev;
	task_sched_entity(t)->next = NULL;
	atomic_set(&rq->queued, atomic_read(&rq->queued) - 1);
}

static unsigned int fair_enqueue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);
	unsigned int cpu = select_cpu(se);

	if (se->slice_ticks == 0)
		se->slice_ticks = slice_of(se);
	se->cpu = cpu;
	rq_append(rq_of(cpu), t);
	return cpu;
}

static bool allows(struct task *t, unsigned int cpu)
{
	return (allowed_cpus(task_sched_entity(t)) & (1ULL << cpu)) != 0;
}

/* The first task on rq that may run on cpu, taken off rq; NULL if none. */
static struct task *rq_take(struct run_queue *rq, unsigned int cpu)
{
	for (struct task *prev = NULL, *t = rq->head; t; prev = t, t = task_sched_entity(t)->next) {
		if (allows(t, cpu)) {
			rq_unlink(rq, prev, t);
			return t;
		}
	}
	return NULL;
}

/*
 * Tasks at the head of cpu's queue whose affinity no longer allows cpu
 * move to a CPU they may use (task_set_affinity leaves that to the
 * policy); one further back moves when it reaches the head.
 */
static void rq_evict_disallowed(unsigned int cpu)
{
	struct run_queue *rq = rq_of(cpu);

	while (rq->head && !allows(rq->head, cpu)) {
		struct task *t = rq->head;

		rq_unlink(rq, NULL, t);
		fair_enqueue(t);
	}
}

/* An idle CPU pulls the first task it may run from the busiest other queue. */
static struct task *pull(unsigned int cpu)
{
	uint64_t active = sched_cpus_active() & ~(1ULL << cpu);
	unsigned int busiest = CPU_MAX;

	for (unsigned int c = 0; c < CPU_MAX; c++)
		if ((active & (1ULL << c)) && atomic_read(&rq_of(c)->queued) &&
		    (busiest == CPU_MAX ||
		     atomic_read(&rq_of(c)->queued) > atomic_read(&rq_of(busiest)->queued)))
			busiest = c;
	return busiest == CPU_MAX ? NULL : rq_take(rq_of(busiest), cpu);
}

static struct task *fair_pick_next(unsigned int cpu)
{
	struct run_queue *rq = rq_of(cpu);
	struct task *t;

	rq_evict_disallowed(cpu);
	t = rq_take(rq, cpu);
	if (!t)
		t = pull(cpu);
	atomic_set(&rq->busy, t != NULL);
	return t;
}

static bool fair_tick(struct task *curr, unsigned int cpu)
{
	struct sched_entity *se = task_sched_entity(curr);

	se->runtime_ticks++;
	if (se->slice_ticks > 0)
		se->slice_ticks--;
	return se->slice_ticks == 0 && rq_of(cpu)->head != NULL;
}

static const struct sched_ops fair_ops = {
	.enqueue = fair_enqueue,
	.pick_next = fair_pick_next,
	.tick = fair_tick,
};

static int fair_init(void)
{
	/* The registering task runs on this CPU without having been picked. */
	atomic_set(&rq_of(cpu_current_id())->busy, !task_is_idle(task_current()));
	sched_register(&fair_ops);
	return 0;
}
KERNEL_INIT(fair_init);

static void count_ticks(void *arg)
{
	struct task *self = task_current();

	(void)arg;
	/* Spin until this task has been charged 6 ticks of CPU time. */
	while (task_sched_entity(self)->runtime_ticks < 6)
		;
}

KTEST(sched_fair_shares_cpu)
{
	struct task *t[3];

	for (int i = 0; i < 3; i++) {
		t[i] = task_create_joinable("fair", count_ticks, NULL);
		KT_ASSERT(t[i] != NULL);
	}
	/* Three CPU-bound tasks each finish only if all of them get slices. */
	for (int i = 0; i < 3; i++) {
		task_join(t[i]);
		KT_EXPECT(task_sched_entity(t[i])->runtime_ticks >= 6);
		task_put(t[i]);
	}
}

/* Placement: least loaded allowed CPU, the previous one on a tie. */
KTEST(sched_fair_place_least_loaded)
{
	unsigned int load[CPU_MAX] = { 3, 1, 2, 1 };

	KT_EXPECT(place(0xf, CPU_MAX, load) == 1);	/* new: least loaded */
	KT_EXPECT(place(0xf, 3, load) == 3);		/* previous CPU, as idle as the best */
	KT_EXPECT(place(0xf, 2, load) == 1);		/* previous CPU busier: move */
	KT_EXPECT(place(0x5, 1, load) == 2);		/* previous CPU not allowed */
	KT_EXPECT(place(0x1, 3, load) == 0);		/* one allowed CPU, however loaded */
}

/* Affinity: masks without a CPU that runs tasks are refused; the task stays put. */
KTEST(sched_fair_affinity)
{
	struct task *self = task_current();
	uint64_t active = sched_cpus_active(), old = task_affinity(self);

	KT_ASSERT(active & 1);
	KT_EXPECT(task_set_affinity(self, ~active) == -EINVAL);
	KT_EXPECT(task_affinity(self) == old);
	KT_EXPECT(task_set_affinity(self, active) == 0);
	KT_EXPECT(task_affinity(self) == active);
	task_yield();	/* re-queued within the mask (frame checks the pick) */
	KT_EXPECT((active >> cpu_current_id()) & 1);
	KT_EXPECT(task_set_affinity(self, old ? old : UINT64_MAX) == 0);
}
