// SPDX-License-Identifier: MPL-2.0
// Task life cycle: create, exit, join, references.  Every public entry
// point decodes its handle with tcb_of (a stale handle is a panic report).
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/string.h>
#include "../internal.h"
#include <aster/vm_space.h>
#include "task_internal.h"

static struct tcb *boot_task;

__noreturn void task_entry(void);

/* refs: the running task's own reference, plus one for a joining creator. */
static struct task *task_spawn(const char *name, void (*fn)(void *), void *arg, int refs)
{
	struct tcb *t = task_struct_alloc();
	irqflags_t flags;

	if (!t)
		return NULL;
	t->stack = task_stack_alloc(&t->stack_size);
	if (!t->stack) {
		task_struct_free(t);
		return NULL;
	}
	strlcpy(t->name, name, sizeof(t->name));
	t->fn = fn;
	t->arg = arg;
	atomic_set(&t->refs, refs);
	wait_queue_init(&t->exit_wq);
	t->saved_rsp = arch_task_initial_rsp((char *)t->stack + t->stack_size);
	flags = irq_local_save();
	sched_make_runnable(t);
	irq_local_restore(flags);
	return t->handle;
}

struct task *task_create(const char *name, void (*fn)(void *), void *arg)
{
	return task_spawn(name, fn, arg, 1);
}

/*
 * The creator's reference is taken before the task can run: a task_get
 * after task_create races with a task that exits at once (a timer tick
 * between the two runs it, and its release makes the handle stale).
 */
struct task *task_create_joinable(const char *name, void (*fn)(void *), void *arg)
{
	return task_spawn(name, fn, arg, 2);
}

/* First C code of a new task, entered from task_trampoline. */
__noreturn void task_entry(void)
{
	struct tcb *t = tcb_current();

	sched_finish_switch();
	irq_local_restore(0x200);	/* tasks start with interrupts on */
	t->fn(t->arg);
	task_exit();
}

__noreturn void task_exit(void)
{
	struct tcb *t = tcb_current();

	BUG_ON(t == boot_task);
	irq_local_save();
	t->state = TASK_DEAD;
	wake_up_all(&t->exit_wq);
	schedule();
	panic("task %s ran after exit", t->name);
}

void task_get(struct task *h)
{
	atomic_inc(&tcb_of(h)->refs);
}

void tcb_put(struct tcb *t)
{
	if (atomic_dec(&t->refs) != 0)
		return;
	BUG_ON(t->state != TASK_DEAD || t == boot_task);
	vm_space_put(t->vm);
	task_stack_free(t->stack, t->stack_size);
	task_struct_free(t);
}

void task_put(struct task *h)
{
	tcb_put(tcb_of(h));
}

static bool task_is_dead(void *arg)
{
	return ((struct tcb *)arg)->state == TASK_DEAD;
}

void task_join(struct task *h)
{
	struct tcb *t = tcb_of(h);

	wait_event(&t->exit_wq, task_is_dead, t);
}

void task_yield(void)
{
	/* A task that yields is making progress, even with nothing else to run. */
	watchdog_touch();
	schedule();
}

const char *task_name(const struct task *h)
{
	return tcb_of(h)->name;
}

enum task_state task_get_state(const struct task *h)
{
	return tcb_of(h)->state;
}

void task_set_data(struct task *h, void *data)
{
	tcb_of(h)->data = data;
}

void *task_data(const struct task *h)
{
	return tcb_of(h)->data;
}

/* The code that booted becomes a task, so it can block and be preempted. */
void task_init(void)
{
	boot_task = task_struct_alloc();
	BUG_ON(!boot_task);
	strlcpy(boot_task->name, "boot", sizeof(boot_task->name));
	boot_task->state = TASK_RUNNABLE;
	atomic_set(&boot_task->refs, 1);
	wait_queue_init(&boot_task->exit_wq);
	sched_init(boot_task);
}

void task_set_vm_space(struct task *h, struct vm_space *vs)
{
	struct tcb *t = tcb_of(h);
	struct vm_space *old = t->vm;

	/* The task holds a reference: its tables live as long as it may run on them. */
	if (vs)
		vm_space_get(vs);
	t->vm = vs;
	if (t == tcb_current())
		vm_space_activate(vs);
	vm_space_put(old);
}

#ifdef ASTER_LOCKDEP
struct lockdep_held *task_lockdep_state(void)
{
	struct tcb *t = tcb_current();

	return t ? &t->lockdep : NULL;
}
#endif
