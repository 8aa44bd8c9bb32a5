/* SPDX-License-Identifier: MPL-2.0 */
/* Private to frame/task/: the task structure and the scheduler core. */
#ifndef ASTER_FRAME_TASK_INTERNAL_H
#define ASTER_FRAME_TASK_INTERNAL_H

#include <aster/sync.h>
#include <aster/task.h>
#include <aster/wait.h>
#ifdef ASTER_LOCKDEP
#include "../kasan/lockdep.h"
#endif

struct task {
	uint64_t saved_rsp;		/* arch_context_switch's save slot: keep first */
	char name[TASK_NAME_LEN];
	enum task_state state;
	void (*fn)(void *);
	void *arg;
	void *stack;			/* lowest usable byte; NULL for the boot task */
	size_t stack_size;
	atomic_t refs;
	int preempt_count;
	struct sched_entity se;
	void *data;
	/* Timed sleep: on the sleepers list while wake_deadline_ns != 0. */
	uint64_t wake_deadline_ns;
	struct task *sleep_next;
	struct wait_queue exit_wq;
	struct vm_space *vm;		/* user address space activated on switch-in */
	/* CPU time: exact time on the CPU, and tick samples of the mode it was in. */
	uint64_t runtime_ns, run_start_ns;
	uint64_t user_ticks, sys_ticks;
	uint64_t reported_user_ns, reported_sys_ns;	/* task_cpu_times never goes back */
	uint64_t nvcsw, nivcsw;		/* switches away while blocked / still runnable */
#ifdef ASTER_LOCKDEP
	struct lockdep_held lockdep;	/* the locks it holds (checked build) */
#endif
};

/* arch: switch stacks, saving callee-saved registers on the old one. */
void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp);
/* arch: lay out a new stack so that the first switch to it starts the task. */
uint64_t arch_task_initial_rsp(void *stack_top);

/* Stacks and task structures. */
struct task *task_struct_alloc(void);
void task_struct_free(struct task *t);
void *task_stack_alloc(size_t *size);
void task_stack_free(void *stack, size_t size);

/* Scheduler core (sched.c). */
void sched_init(struct task *boot_task);
void schedule(void);
void sched_make_runnable(struct task *t);	/* irqs off, t not queued */
void sched_block_current(uint64_t deadline_ns);	/* irqs off: mark blocked, maybe timed */
bool task_wake(struct task *t);			/* returns true if it was blocked */
/* Undo sched_block_current when the task did not sleep after all (irqs off). */
void sched_unblock_current(void);
void sched_finish_switch(void);

#endif
