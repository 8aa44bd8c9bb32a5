// SPDX-License-Identifier: MPL-2.0
// The default scheduling policy: round robin with a fixed time slice, so
// that CPU-bound tasks share the CPU evenly and a task that blocks early
// goes to the back of the queue with a fresh slice.
#include <aster/boot.h>
#include <aster/ktest.h>
#include <aster/task.h>
#include "sched/sched.h"

#define SLICE_TICKS	2	/* 20 ms at the 100 Hz tick */

static struct task *queue_head, *queue_tail;
static unsigned int queued;

unsigned int sched_nr_running(void)
{
	return queued + !task_is_idle(task_current());
}

static void fair_enqueue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);

	se->next = NULL;
	if (se->slice_ticks == 0)
		se->slice_ticks = SLICE_TICKS;
	if (queue_tail)
		task_sched_entity(queue_tail)->next = t;
	else
		queue_head = t;
	queue_tail = t;
	queued++;
}

static struct task *fair_pick_next(void)
{
	struct task *t = queue_head;

	if (!t)
		return NULL;
	queue_head = task_sched_entity(t)->next;
	if (!queue_head)
		queue_tail = NULL;
	queued--;
	return t;
}

static bool fair_tick(struct task *curr)
{
	struct sched_entity *se = task_sched_entity(curr);

	se->runtime_ticks++;
	if (se->slice_ticks > 0)
		se->slice_ticks--;
	return se->slice_ticks == 0 && queue_head != NULL;
}

static const struct sched_ops fair_ops = {
	.enqueue = fair_enqueue,
	.pick_next = fair_pick_next,
	.tick = fair_tick,
};

static int fair_init(void)
{
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
		t[i] = task_create("fair", count_ticks, NULL);
		KT_ASSERT(t[i] != NULL);
		task_get(t[i]);
	}
	/* Three CPU-bound tasks each finish only if all of them get slices. */
	for (int i = 0; i < 3; i++) {
		task_join(t[i]);
		KT_EXPECT(task_sched_entity(t[i])->runtime_ticks >= 6);
		task_put(t[i]);
	}
}
