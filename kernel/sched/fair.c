// SPDX-License-Identifier: MPL-2.0
// The default scheduling policy: round robin, so that a task that blocks
// early goes to the back of the queue with a fresh slice.  The slice is
// 20 ms at nice 0 and grows by 25% a nice level below it (Linux's CFS
// weights step by the same ratio) up to 400 ms, and is one 10 ms tick from
// nice 2 up: a lower nice value gets the CPU for longer turns.
#include <aster/boot.h>
#include <aster/ktest.h>
#include <aster/task.h>
#include "sched/sched.h"

static struct task *queue_head, *queue_tail;
static unsigned int queued;

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

unsigned int sched_nr_running(void)
{
	return queued + !task_is_idle(task_current());
}

static void fair_enqueue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);

	se->next = NULL;
	if (se->slice_ticks == 0)
		se->slice_ticks = slice_of(se);
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
