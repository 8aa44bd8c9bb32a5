/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/task/: the task structure and the scheduler core.
 *
 * kernel/ holds `struct task *` handles that are not pointers: tag (bits
 * 56-63) | generation (bits 32-55) | slot (bits 0-31).  The task records
 * (struct tcb) live in a table of chunks that are never freed, so decoding
 * a handle only ever reads a tcb; a freed slot's generation is bumped, so a
 * handle kept after the task was released names nothing (tcb_of panics).
 */
#ifndef ASTER_FRAME_TASK_INTERNAL_H
#define ASTER_FRAME_TASK_INTERNAL_H

#include <aster/sync.h>
#include <aster/task.h>
#include <aster/wait.h>
#ifdef ASTER_LOCKDEP
#include "../kasan/lockdep.h"
#endif

struct tcb {
	uint64_t saved_rsp;		/* arch_context_switch's save slot: keep first */
	uint32_t slot;			/* index in the task table */
	uint32_t gen;			/* bumped when the slot is freed */
	bool live;			/* allocated (false: on the free list) */
	bool on_cpu;			/* a CPU runs it (switched in, not yet out) */
	struct task *handle;		/* what kernel/ gets for this life of the slot */
	struct tcb *free_next;
	char name[TASK_NAME_LEN];
	enum task_state state;
	void (*fn)(void *);
	void *arg;
	void *stack;			/* lowest usable byte; NULL for the boot task */
	size_t stack_size;
	atomic_t refs;
	int preempt_count;
	bool in_reclaim;		/* inside the frame allocator's reclaim callback */
	struct sched_entity se;
	void *data;
	/* Timed sleep: on the sleepers list while wake_deadline_ns != 0. */
	uint64_t wake_deadline_ns;
	struct tcb *sleep_next;
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

#define TASK_HANDLE_TAG		0xf3UL
#define TASK_GEN_MASK		0xffffffu
#define TASK_CHUNK		32		/* tcbs per chunk */
#define TASK_MAX_CHUNKS		2048		/* 65536 tasks */

extern struct tcb *task_chunks[TASK_MAX_CHUNKS];
extern uint32_t nr_task_slots;

/* The live task a handle names, or NULL (stale, malformed or NULL). */
static inline struct tcb *tcb_check(const struct task *h)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	uint32_t slot = (uint32_t)v;
	struct tcb *t;

	if (__builtin_expect(v >> 56 != TASK_HANDLE_TAG ||
			     slot >= __atomic_load_n(&nr_task_slots, __ATOMIC_ACQUIRE), 0))
		return NULL;
	t = &task_chunks[slot / TASK_CHUNK][slot % TASK_CHUNK];
	if (__builtin_expect(!t->live || t->gen != ((v >> 32) & TASK_GEN_MASK), 0))
		return NULL;
	return t;
}

/* A handle that fails the check: the panic report. */
__noreturn __attribute__((cold)) void task_handle_bad(const struct task *h);

/* The same, where anything but a live task is a bug (every public entry point). */
static inline struct tcb *tcb_of(const struct task *h)
{
	struct tcb *t = tcb_check(h);

	if (__builtin_expect(!t, 0))
		task_handle_bad(h);
	return t;
}

struct tcb *tcb_current(void);
void tcb_put(struct tcb *t);

/* Stacks and task records (stack.c): a zeroed tcb with a fresh handle. */
struct tcb *task_struct_alloc(void);
void task_struct_free(struct tcb *t);
void *task_stack_alloc(size_t *size);
void task_stack_free(void *stack, size_t size);

/* Scheduler core (sched.c). */
void sched_init(struct tcb *boot_task);
void schedule(void);
void sched_make_runnable(struct tcb *t);	/* irqs off, t not queued */
void sched_block_current(uint64_t deadline_ns);	/* irqs off: mark blocked, maybe timed */
bool task_wake(struct task *t);			/* returns true if it was blocked */
/* Undo sched_block_current when the task did not sleep after all (irqs off). */
void sched_unblock_current(void);
void sched_finish_switch(void);

#endif
