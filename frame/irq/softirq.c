// SPDX-License-Identifier: MPL-2.0
// Softirqs and the hard-IRQ context bookkeeping (irq_enter/irq_exit).
#include <aster/errno.h>
#include <aster/irq.h>
#include <aster/softirq.h>
#include <aster/sync.h>
#include <aster/task.h>
#include "irq_internal.h"

/* A softirq raised this many times in a row waits for the next interrupt. */
#define SOFTIRQ_MAX_RESTART	10

struct softirq_cpu {
	uint32_t pending;	/* bit n: softirq n raised */
	uint32_t hardirq_depth;
	bool running;		/* in softirq handlers */
};

struct softirq_action {
	softirq_fn fn;
	void *arg;
};

static struct softirq_cpu softirq_cpus[FRAME_MAX_CPUS];
static struct softirq_action actions[NR_SOFTIRQS];
static spinlock_t action_lock = SPINLOCK_INIT;

static struct softirq_cpu *this_cpu(void)
{
	return &softirq_cpus[this_cpu_id()];
}

int softirq_register(unsigned int nr, softirq_fn fn, void *arg)
{
	irqflags_t flags;
	int err = 0;

	if (nr >= NR_SOFTIRQS || !fn)
		return -EINVAL;
	flags = spin_lock_irqsave(&action_lock);
	if (actions[nr].fn)
		err = -EBUSY;
	else
		actions[nr] = (struct softirq_action){ fn, arg };
	spin_unlock_irqrestore(&action_lock, flags);
	return err;
}

void softirq_unregister(unsigned int nr)
{
	irqflags_t flags;

	if (nr >= NR_SOFTIRQS)
		return;
	flags = spin_lock_irqsave(&action_lock);
	actions[nr] = (struct softirq_action){ NULL, NULL };
	spin_unlock_irqrestore(&action_lock, flags);
}

bool in_hardirq(void)
{
	return this_cpu()->hardirq_depth > 0;
}

bool in_softirq(void)
{
	return this_cpu()->running;
}

bool in_interrupt(void)
{
	return in_hardirq() || in_softirq();
}

/* Run one round of pending handlers; interrupts are off on entry and exit. */
static void run_round(uint32_t pending)
{
	for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++) {
		struct softirq_action a;

		if (!(pending & (1u << nr)))
			continue;
		a = actions[nr];	/* read with interrupts off: fn and arg agree */
		if (!a.fn)
			continue;
		arch_irq_on();
		a.fn(a.arg);
		arch_irq_off();
	}
}

/*
 * Run pending softirqs with interrupts enabled.  Called with interrupts off,
 * outside any hard-IRQ handler.  The task underneath must not be switched
 * away while its stack carries our frames, hence preempt_disable.
 */
static void softirq_run(void)
{
	struct softirq_cpu *c = this_cpu();
	struct task *t = task_current();

	if (c->running || c->hardirq_depth || !c->pending)
		return;
	c->running = true;
	if (t)
		preempt_disable();
	for (int round = 0; c->pending && round < SOFTIRQ_MAX_RESTART; round++) {
		uint32_t pending = c->pending;

		c->pending = 0;
		run_round(pending);
	}
	if (t)
		preempt_enable();
	c->running = false;
}

void softirq_raise(unsigned int nr)
{
	irqflags_t flags;

	if (nr >= NR_SOFTIRQS)
		return;
	flags = irq_local_save();
	this_cpu()->pending |= 1u << nr;
	if (arch_irq_flags_on(flags) && !in_interrupt())
		softirq_run();
	irq_local_restore(flags);
}

void irq_enter(void)
{
	this_cpu()->hardirq_depth++;
}

void irq_exit(void)
{
	struct softirq_cpu *c = this_cpu();

	c->hardirq_depth--;
	if (c->hardirq_depth == 0)
		softirq_run();
}
