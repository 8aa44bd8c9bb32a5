/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Kernel tasks: threads of kernel execution with their own stacks.  frame/
 * provides the mechanism (create, switch, block, wake, preempt on the timer
 * tick); which runnable task runs next is a policy that kernel/ supplies
 * through struct sched_ops (frame falls back to FIFO order until then).
 *
 * Preemption: a task running kernel code with interrupts enabled and no
 * preempt_disable() in effect may be switched away on any timer tick.
 *
 * Errors: task_create returns NULL when there is no memory.  A struct
 * task * is a handle, not a pointer: it names a slot of frame's task table
 * and the slot's generation, bumped when the task is released (its last
 * task_put after it exited).  Every function here checks it, so a handle
 * kept after that is a panic report ("stale task handle ... in
 * task_set_data"), never a touch of the slot's next task.  What the
 * policy's pick_next returns is checked the same way before frame switches
 * to it (a live, runnable task, not the idle task, not running on another
 * CPU): a bad choice is a panic report ("sched: pick_next returned ...").
 * The sched_entity of task_sched_entity lives in the type-stable table:
 * it never becomes other memory, but is the next task's once the slot is
 * reused, so the policy drops a task when pick_next returns it.
 */
#ifndef ASTER_TASK_H
#define ASTER_TASK_H

#include <aster/types.h>

struct task;

enum task_state {
	TASK_RUNNABLE,	/* running, or waiting for a CPU */
	TASK_BLOCKED,	/* waiting for task_wake() */
	TASK_DEAD,
};

#define TASK_NAME_LEN	16

/*
 * Create a task that runs fn(arg) and is made runnable at once.  When fn
 * returns the task exits.  Returns NULL when there is no memory.
 */
struct task *task_create(const char *name, void (*fn)(void *), void *arg);

/*
 * As task_create, but the caller also gets a reference (drop it with
 * task_put), taken before the task can run: use it to task_join the task
 * or read its counters after it exited.  A task_get after task_create
 * would race with a task that exits before the creator runs again.
 */
struct task *task_create_joinable(const char *name, void (*fn)(void *), void *arg);

/* The calling task. */
struct task *task_current(void);
const char *task_name(const struct task *t);
enum task_state task_get_state(const struct task *t);

/*
 * Give up the CPU to another runnable task, if any.  Long kernel work (the
 * initramfs unpacking) calls it between steps: it also tells the
 * soft-lockup watchdog that the task is making progress.
 */
void task_yield(void);

/* End the calling task. */
__noreturn void task_exit(void);

/*
 * Take a reference so the task's struct outlives its exit (for joining);
 * drop it with task_put.  task_create's caller gets no reference, so
 * only a task that cannot have exited yet may be task_get'ed by others.
 */
void task_get(struct task *t);
void task_put(struct task *t);

/* Wait until t has exited (t must be referenced by the caller). */
void task_join(struct task *t);

/*
 * CPU time t has used: the exact time it ran, split into user and system
 * time in the proportion the timer tick found it in each mode (as Linux
 * does without precise accounting).  Neither part ever decreases.
 */
void task_cpu_times(struct task *t, uint64_t *user_ns, uint64_t *sys_ns);

/*
 * How often t gave up the CPU because it blocked (voluntary) and while it
 * could still run (involuntary: preempted or yielding).
 */
void task_switch_counts(struct task *t, uint64_t *voluntary, uint64_t *involuntary);

/*
 * Context switches of the calling CPU since boot, read without a lock, for
 * the return-to-user path (rseq): if it moved since a task last looked,
 * that task was switched out in between (no switch happens on a CPU while
 * its task runs).  Per CPU: once tasks migrate, a task must also compare
 * the CPU it runs on (cpu_current_id, aster/percpu.h).
 */
uint64_t cpu_switch_count(void);

/*
 * Since boot: how many times the CPU switched tasks, and how long it ran
 * the idle task (ns), for /proc/stat's ctxt and idle figures.
 */
void sched_stats(uint64_t *switches, uint64_t *idle_ns);

/* The task the CPU runs when nothing else is runnable. */
bool task_is_idle(const struct task *t);

/* One slot for kernel/ to hang its per-thread state from. */
void task_set_data(struct task *t, void *data);
void *task_data(const struct task *t);

/* Disable and re-enable preemption of the calling task (nestable). */
void preempt_disable(void);
void preempt_enable(void);

/*
 * The scheduling policy: kernel/ registers one at boot.  frame calls it
 * with the scheduler lock held and interrupts off (one lock for every CPU:
 * the policy's per-CPU queues need no locks of their own).
 */
struct sched_ops {
	/*
	 * t became runnable: queue it on one of the CPUs that run tasks
	 * (sched_cpus_active) that its affinity allows, and return that CPU.
	 */
	unsigned int (*enqueue)(struct task *t);
	/*
	 * Remove and return the task CPU `cpu` runs next, or NULL (the CPU
	 * idles).  It may come from another CPU's queue (an idle CPU pulling
	 * work) but must allow `cpu` (checked).
	 */
	struct task *(*pick_next)(unsigned int cpu);
	/* A timer tick hit `curr` on `cpu`; return true to preempt it. */
	bool (*tick)(struct task *curr, unsigned int cpu);
};

void sched_register(const struct sched_ops *ops);

/*
 * The CPUs that run tasks (bit n: CPU n).  Today CPU 0 alone: the other
 * CPUs are online but only serve cross-CPU calls (doc/smp.md).
 */
uint64_t sched_cpus_active(void);

/*
 * Let t run only on the CPUs in mask (bit n: CPU n).  -EINVAL when no CPU
 * that runs tasks is in it (Linux's sched_setaffinity).  A running t on a
 * CPU it may no longer use is switched out at its next preemption point
 * and queued on an allowed CPU; the policy moves a queued one when its
 * old CPU would pick it.  task_affinity: the mask as set (0: never set,
 * every CPU).
 */
int task_set_affinity(struct task *t, uint64_t mask);
uint64_t task_affinity(struct task *t);

/* Per-task scheduler bookkeeping the policy may use freely. */
struct sched_entity {
	struct task *next;	/* run-queue link */
	uint64_t slice_ticks;	/* ticks left in the current slice */
	uint64_t runtime_ticks;
	int nice;		/* -20..19, as kernel/ sets it (0 for new tasks) */
	unsigned int cpu;	/* the CPU whose queue it is on, or last ran on */
	/*
	 * The CPUs it may run on (bit n: CPU n); 0 for a new task means
	 * every CPU.  pick_next's choice must allow the CPU (checked).  Set
	 * through task_set_affinity only; the policy reads it.
	 */
	uint64_t cpus_allowed;
};
struct sched_entity *task_sched_entity(struct task *t);

#endif
