// SPDX-License-Identifier: MPL-2.0
// ktests of tasks, scheduling and waiting.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/vm_space.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/wait.h>
#include "../internal.h"

#define NTASKS	16

static atomic_t counter;

static void bump_and_yield(void *arg)
{
	for (int i = 0; i < 10; i++) {
		atomic_inc(&counter);
		task_yield();
	}
	(void)arg;
}

KTEST(task_switch_many)
{
	struct task *t[NTASKS];

	atomic_set(&counter, 0);
	for (int i = 0; i < NTASKS; i++) {
		t[i] = task_create_joinable("switch", bump_and_yield, NULL);
		KT_ASSERT(t[i] != NULL);
	}
	for (int i = 0; i < NTASKS; i++) {
		task_join(t[i]);
		KT_EXPECT(task_get_state(t[i]) == TASK_DEAD);
		task_put(t[i]);
	}
	KT_ASSERT_EQ(atomic_read(&counter), NTASKS * 10);
}

static volatile bool spin_stop;
static atomic_t spinner_ran;

static void spinner(void *arg)
{
	(void)arg;
	atomic_inc(&spinner_ran);
	while (!spin_stop)
		;	/* never yields: only preemption lets others run */
}

KTEST(task_preempts_spinning_task)
{
	struct task *t;
	uint64_t start;

	spin_stop = false;
	atomic_set(&spinner_ran, 0);
	t = task_create_joinable("spinner", spinner, NULL);
	KT_ASSERT(t != NULL);
	task_yield();		/* let it start; it spins from now on */
	start = tick_count();
	/* We get the CPU back only if the timer preempts the spinner. */
	while (tick_count() - start < 3)
		task_yield();
	KT_EXPECT(atomic_read(&spinner_ran) == 1);
	spin_stop = true;
	task_join(t);
	task_put(t);
}

struct flag_wait {
	struct wait_queue wq;
	volatile bool flag;
};

static bool flag_set(void *arg)
{
	return ((struct flag_wait *)arg)->flag;
}

static void set_flag_later(void *arg)
{
	struct flag_wait *fw = arg;

	task_sleep_ns(20000000);	/* 20 ms */
	fw->flag = true;
	wake_up_all(&fw->wq);
}

KTEST(wait_queue_wakeup)
{
	static struct flag_wait fw = { WAIT_QUEUE_INIT, false };
	struct task *t;

	fw.flag = false;
	t = task_create("waker", set_flag_later, &fw);
	KT_ASSERT(t != NULL);
	KT_ASSERT_EQ(wait_event_timeout(&fw.wq, flag_set, &fw, 2000000000ULL), 0);
	KT_EXPECT(fw.flag);
}

KTEST(wait_queue_timeout)
{
	static struct flag_wait fw = { WAIT_QUEUE_INIT, false };
	uint64_t start = clock_monotonic_ns(), elapsed;

	KT_ASSERT_EQ(wait_event_timeout(&fw.wq, flag_set, &fw, 30000000ULL), -ETIMEDOUT);
	elapsed = clock_monotonic_ns() - start;
	KT_EXPECT(elapsed >= 30000000ULL);
	KT_EXPECT(elapsed < 500000000ULL);
}

static struct mutex test_mutex = MUTEX_INIT;
static int shared_value;

static void mutex_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		mutex_lock(&test_mutex);
		int v = shared_value;

		task_yield();	/* invite a race the mutex must prevent */
		shared_value = v + 1;
		mutex_unlock(&test_mutex);
	}
}

KTEST(mutex_excludes)
{
	struct task *t[4];

	shared_value = 0;
	for (int i = 0; i < 4; i++) {
		t[i] = task_create_joinable("mutex", mutex_worker, NULL);
		KT_ASSERT(t[i] != NULL);
	}
	for (int i = 0; i < 4; i++) {
		task_join(t[i]);
		task_put(t[i]);
	}
	KT_ASSERT_EQ(shared_value, 200);
}

KTEST(spinlock_irqsave_restores)
{
	spinlock_t l = SPINLOCK_INIT;
	irqflags_t outer = irq_local_save(), f;

	irq_local_restore(0x200);
	f = spin_lock_irqsave(&l);
	KT_EXPECT(spin_is_locked(&l));
	spin_unlock_irqrestore(&l, f);
	KT_EXPECT(!spin_is_locked(&l));
	irq_local_restore(outer);
}

KTEST(task_vm_space_reference_outlives_creator)
{
	struct vm_space *vs = vm_space_create();
	size_t before;

	KT_ASSERT(vs != NULL);
	task_set_vm_space(task_current(), vs);
	before = frames_free();
	vm_space_put(vs);		/* the task's reference keeps it alive */
	KT_EXPECT(frames_free() == before);
	task_set_vm_space(task_current(), NULL);	/* last reference: freed */
	KT_EXPECT(frames_free() > before);
}

static void sleep_50ms(void *arg)
{
	(void)arg;
	task_sleep_ns(50000000);
}

/* CPU time counts running, not sleeping; kernel-mode time is system time. */
KTEST(task_cpu_times_count_running_not_sleeping)
{
	struct task *t = task_create_joinable("sleeper", sleep_50ms, NULL);
	uint64_t u0, s0, u1, s1, start;

	KT_ASSERT(t != NULL);
	task_join(t);
	task_cpu_times(t, &u1, &s1);
	KT_EXPECT(u1 + s1 < 20000000);	/* far less than the 50 ms it slept */
	task_put(t);

	task_cpu_times(task_current(), &u0, &s0);
	start = clock_monotonic_ns();
	while (clock_monotonic_ns() - start < 30000000)
		;	/* spin 30 ms in the kernel */
	task_cpu_times(task_current(), &u1, &s1);
	KT_EXPECT(u1 + s1 - (u0 + s0) >= 25000000);
	KT_EXPECT(u1 >= u0 && s1 >= s0);	/* never backwards */
	/*
	 * The split between user and system time comes from ticks, which a
	 * busy host may deliver late and merged (QEMU's vCPU thread not
	 * running): spin on, up to 2 s, until they have found 15 ms of it.
	 */
	while (s1 - s0 < 15000000 && clock_monotonic_ns() - start < 2000000000)
		task_cpu_times(task_current(), &u1, &s1);
	KT_EXPECT(s1 - s0 >= 15000000);	/* ticks found it in kernel mode */
}

static void return_at_once(void *arg)
{
	(void)arg;
}

/*
 * The creator's reference of task_create_joinable is there before the
 * task runs: a task that has exited and switched away before its creator
 * ran again (as after a tick between create and task_get) is still joinable.
 */
KTEST(task_create_joinable_outlives_early_exit)
{
	struct task *t = task_create_joinable("early", return_at_once, NULL);

	KT_ASSERT(t != NULL);
	for (int i = 0; i < 100 && task_get_state(t) != TASK_DEAD; i++)
		task_yield();	/* let it run, exit and be switched away from */
	KT_EXPECT(task_get_state(t) == TASK_DEAD);
	task_join(t);
	KT_EXPECT(strcmp(task_name(t), "early") == 0);
	task_put(t);
}

/* ---- planted bugs (KTEST_MANUAL: testsuite/aster.ktest/planted-handles.exp) ---- */

/* A task that has exited and been released: its handle, kept. */
static struct task *released_task(void)
{
	struct task *t = task_create_joinable("shortlived", return_at_once, NULL);

	if (!t)
		return NULL;
	task_join(t);
	task_put(t);	/* the last reference: the task's slot is free */
	return t;
}

/* A task handle kept after the task was released, its slot reused by another task. */
KTEST_MANUAL(planted_stale_task_handle)
{
	struct task *stale = released_task(), *next;

	KT_ASSERT(stale != NULL);
	next = task_create_joinable("reuser", return_at_once, NULL);	/* the slot's next life, kept */
	KT_ASSERT(next != NULL);
	printk(LOG_INFO, "ktest: setting the data of a released task through its stale handle\n");
	task_set_data(stale, &next);
	KT_EXPECT(!"task_set_data took a stale handle");
}

/* A scheduling policy whose pick_next hands back a released task. */
static struct task *planted_pick;

static unsigned int planted_enqueue(struct task *t)
{
	(void)t;
	return 0;
}

static struct task *planted_pick_next(unsigned int cpu)
{
	(void)cpu;
	return planted_pick;
}

static bool planted_tick(struct task *curr, unsigned int cpu)
{
	(void)curr, (void)cpu;
	return false;
}

static const struct sched_ops planted_ops = { planted_enqueue, planted_pick_next, planted_tick };

KTEST_MANUAL(planted_bad_pick_next)
{
	planted_pick = released_task();
	KT_ASSERT(planted_pick != NULL);
	printk(LOG_INFO, "ktest: a policy whose pick_next returns a released task\n");
	sched_register(&planted_ops);
	task_yield();
	KT_EXPECT(!"schedule switched to a released task");
}
