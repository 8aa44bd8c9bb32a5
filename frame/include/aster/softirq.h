/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Softirqs: deferred work ("bottom halves").  A hard-IRQ handler does the
 * minimum with interrupts off and raises a softirq; the softirq's handler
 * runs once the hard-IRQ handler has returned and the end-of-interrupt has
 * been sent, with interrupts enabled, on the same CPU, still without a task
 * of its own (it must not sleep).  A softirq raised from task context with
 * interrupts enabled runs at once, before softirq_raise() returns.
 *
 *	static void rx_work(void *arg) { ... drain the ring ... }
 *	softirq_register(SOFTIRQ_NET_RX, rx_work, nic);	once, at init
 *	softirq_raise(SOFTIRQ_NET_RX);			in the hard-IRQ handler
 *
 * A softirq raised again while it runs runs again (up to a bound per
 * interrupt; the rest waits for the next interrupt).  Handlers never nest:
 * interrupts that arrive meanwhile run their hard-IRQ handlers only.
 */
#ifndef ASTER_SOFTIRQ_H
#define ASTER_SOFTIRQ_H

#include <aster/types.h>

/* Lower numbers run first.  frame registers SOFTIRQ_TIMER itself. */
enum softirq_nr {
	SOFTIRQ_HI,
	SOFTIRQ_TIMER,		/* timer_add() callbacks (aster/timer.h) */
	SOFTIRQ_NET_TX,
	SOFTIRQ_NET_RX,
	SOFTIRQ_BLOCK,
	SOFTIRQ_TASKLET,
	SOFTIRQ_SCHED,
	SOFTIRQ_CONSOLE,	/* serial input (aster/console.h) */
	SOFTIRQ_SPARE0,
	SOFTIRQ_SPARE1,
	SOFTIRQ_SPARE2,
	NR_SOFTIRQS
};

typedef void (*softirq_fn)(void *arg);

/* 0, -EINVAL for a bad number or NULL fn, -EBUSY if the number is taken. */
int softirq_register(unsigned int nr, softirq_fn fn, void *arg);
void softirq_unregister(unsigned int nr);

/* Mark softirq nr pending on this CPU (safe from any context). */
void softirq_raise(unsigned int nr);

/* True while running softirq handlers on this CPU. */
bool in_softirq(void);

#endif
