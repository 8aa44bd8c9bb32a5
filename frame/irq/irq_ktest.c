// SPDX-License-Identifier: MPL-2.0
// ktests of the interrupt core, softirqs and timer callbacks.  Interrupts
// are raised with a local APIC self-IPI on a freshly allocated line, so they
// take the real path: trap entry, dispatch, EOI, softirqs at irq_exit.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/irq.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/softirq.h>
#include <aster/sync.h>
#include <aster/timer.h>
#include <aster/wait.h>
#include "irq_internal.h"

#define WAIT_NS		(200 * NSEC_PER_MSEC)

/* The interrupt flag, without changing it. */
static bool irqs_on(void)
{
	irqflags_t f = irq_local_save();

	irq_local_restore(f);
	return arch_irq_flags_on(f);
}

/* Spin (interrupts on) until *counter reaches n or timeout_ns passes. */
static bool wait_count(const volatile uint32_t *counter, uint32_t n, uint64_t timeout_ns)
{
	uint64_t start = clock_monotonic_ns();

	while (*counter < n) {
		if (clock_monotonic_ns() - start > timeout_ns)
			return false;
		cpu_spin_hint();
	}
	return true;
}

KTEST(irq_line_alloc_free_and_vectors)
{
	struct irq_line *a = irq_line_alloc(), *b = irq_line_alloc();

	KT_ASSERT(a && b && a != b);
	KT_EXPECT(irq_line_vector(a) != irq_line_vector(b));
	KT_EXPECT(irq_line_vector(a) >= IRQ_VECTOR_FIRST && irq_line_vector(a) <= IRQ_VECTOR_LAST);
	KT_EXPECT(irq_line_gsi(a) == -1);
	irq_line_free(a);
	irq_line_free(b);
	/* A freed vector is handed out again. */
	a = irq_line_alloc();
	KT_ASSERT(a);
	irq_line_free(a);
}

KTEST(irq_line_exhaustion_returns_null)
{
	static struct irq_line *held[256];
	unsigned int n = 0;

	while (n < ARRAY_SIZE(held) && (held[n] = irq_line_alloc()))
		n++;
	KT_EXPECT(n < ARRAY_SIZE(held));	/* ran out before 256 */
	KT_EXPECT(n > 100);
	while (n)
		irq_line_free(held[--n]);
	held[0] = irq_line_alloc();
	KT_ASSERT(held[0]);
	irq_line_free(held[0]);
}

struct hard_ctx {
	volatile uint32_t count;
	volatile bool hardirq_seen, irqs_off, softirq_ran_before;
	volatile uint32_t seq;
	enum irq_return ret;
	unsigned int raise_nr;
};

static volatile uint32_t soft_count, soft_seq, seq_counter;
static volatile bool soft_in_softirq, soft_in_hardirq, soft_irqs_on;

static enum irq_return hard_handler(void *arg)
{
	struct hard_ctx *c = arg;

	c->hardirq_seen = in_hardirq();
	c->irqs_off = !irqs_on();
	c->softirq_ran_before = soft_count != 0;
	c->seq = ++seq_counter;
	c->count++;
	return c->ret;
}

KTEST(irq_self_interrupt_dispatch_and_shared_handlers)
{
	struct irq_line *line = irq_line_alloc();
	struct hard_ctx a = { .ret = IRQ_NONE }, b = { .ret = IRQ_HANDLED };
	struct irq_handle *ha, *hb, *extra[IRQ_MAX_HANDLERS];
	unsigned int n = 0;

	KT_ASSERT(line);
	ha = irq_register(line, hard_handler, &a);
	hb = irq_register(line, hard_handler, &b);
	KT_ASSERT(ha && hb);
	KT_EXPECT(irq_register(line, NULL, NULL) == NULL);
	arch_irq_self_trigger(irq_line_vector(line));
	KT_EXPECT(wait_count(&b.count, 1, WAIT_NS));
	KT_EXPECT(a.count == 1);	/* every handler of a shared line runs */
	KT_EXPECT(a.hardirq_seen && a.irqs_off);
	KT_EXPECT(irq_line_count(line) == 1);
	/* The slots are bounded. */
	while (n < IRQ_MAX_HANDLERS && (extra[n] = irq_register(line, hard_handler, &a)))
		n++;
	KT_EXPECT(n == IRQ_MAX_HANDLERS - 2);
	while (n)
		irq_unregister(extra[--n]);
	irq_unregister(ha);
	/* After unregistering, only b runs. */
	arch_irq_self_trigger(irq_line_vector(line));
	KT_EXPECT(wait_count(&b.count, 2, WAIT_NS));
	KT_EXPECT(a.count == 1);
	irq_unregister(hb);
	irq_line_free(line);
	KT_EXPECT(!in_hardirq() && !in_interrupt());
}

static void soft_handler(void *arg)
{
	(void)arg;
	soft_in_softirq = in_softirq();
	soft_in_hardirq = in_hardirq();
	soft_irqs_on = irqs_on();
	soft_seq = ++seq_counter;
	soft_count++;
}

static unsigned int free_softirq(void)
{
	for (unsigned int nr = SOFTIRQ_SPARE2; nr > SOFTIRQ_TIMER; nr--)
		if (softirq_register(nr, soft_handler, NULL) == 0)
			return nr;
	return 0;
}

static enum irq_return raising_handler(void *arg)
{
	softirq_raise(((struct hard_ctx *)arg)->raise_nr);
	return hard_handler(arg);
}

KTEST(softirq_runs_after_hard_irq_with_interrupts_on)
{
	unsigned int nr = free_softirq();
	struct irq_line *line = irq_line_alloc();
	struct hard_ctx c = { .ret = IRQ_HANDLED };
	struct irq_handle *h;

	KT_ASSERT(nr && line);
	soft_count = 0;
	c.raise_nr = nr;
	h = irq_register(line, raising_handler, &c);
	KT_ASSERT(h);
	arch_irq_self_trigger(irq_line_vector(line));
	KT_EXPECT(wait_count(&soft_count, 1, WAIT_NS));
	KT_EXPECT(c.count == 1);
	KT_EXPECT(!c.softirq_ran_before);
	KT_EXPECT(soft_seq > c.seq);		/* after the hard handler returned */
	KT_EXPECT(soft_in_softirq);
	KT_EXPECT(!soft_in_hardirq);
	KT_EXPECT(soft_irqs_on);
	irq_unregister(h);
	irq_line_free(line);
	softirq_unregister(nr);
}

KTEST(softirq_register_raise_from_task)
{
	unsigned int nr = free_softirq();

	KT_ASSERT(nr);
	KT_EXPECT(softirq_register(nr, soft_handler, NULL) == -EBUSY);
	KT_EXPECT(softirq_register(NR_SOFTIRQS, soft_handler, NULL) == -EINVAL);
	KT_EXPECT(softirq_register(nr, NULL, NULL) == -EINVAL);
	soft_count = 0;
	/* From a task with interrupts on it runs before softirq_raise returns. */
	softirq_raise(nr);
	KT_EXPECT(soft_count == 1);
	KT_EXPECT(soft_in_softirq && soft_irqs_on);
	KT_EXPECT(!in_softirq());
	/* With interrupts off it waits for them to come back and an interrupt. */
	irqflags_t flags = irq_local_save();

	softirq_raise(nr);
	KT_EXPECT(soft_count == 1);
	irq_local_restore(flags);
	KT_EXPECT(wait_count(&soft_count, 2, WAIT_NS));
	softirq_unregister(nr);
	softirq_raise(nr);	/* no handler: nothing happens */
}

/* ---- Timers ---- */

struct tmr {
	volatile uint32_t fired;
	volatile bool ctx_ok;
	uint64_t start;
	uint64_t when[16];
	timer_id_t id;
	uint32_t cancel_at;	/* periodic: cancel itself on this firing */
	bool cancel_sync;	/* ... with timer_cancel_sync */
	volatile int cancel_ret;
};

static void tmr_fn(void *arg)
{
	struct tmr *t = arg;
	uint32_t n = t->fired;

	if (n < ARRAY_SIZE(t->when))
		t->when[n] = clock_monotonic_ns() - t->start;
	t->ctx_ok = in_softirq() && !in_hardirq() && irqs_on();
	if (t->cancel_at && n + 1 == t->cancel_at)
		t->cancel_ret = t->cancel_sync ? timer_cancel_sync(t->id) : timer_cancel(t->id);
	t->fired = n + 1;
}

KTEST(timer_oneshot_fires_once_on_time)
{
	static struct tmr t;

	t = (struct tmr){ .start = clock_monotonic_ns() };
	t.id = timer_add(30 * NSEC_PER_MSEC, false, tmr_fn, &t);
	KT_ASSERT(t.id > 0);
	KT_EXPECT(wait_count(&t.fired, 1, 500 * NSEC_PER_MSEC));
	KT_EXPECT(t.ctx_ok);
	pr_info("ktest: 30 ms one-shot fired after %lu us\n", (unsigned long)(t.when[0] / NSEC_PER_USEC));
	/* Never early; at most about a tick late (generous for TCG). */
	KT_EXPECT(t.when[0] >= 30 * NSEC_PER_MSEC);
	KT_EXPECT(t.when[0] < 90 * NSEC_PER_MSEC);
	task_sleep_ns(50 * NSEC_PER_MSEC);
	KT_EXPECT(t.fired == 1);
	KT_EXPECT(timer_cancel(t.id) == -ENOENT);	/* fired: the id is dead */
}

KTEST(timer_periodic_keeps_phase_and_cancels_itself)
{
	static struct tmr t;
	uint64_t period = 20 * NSEC_PER_MSEC;

	t = (struct tmr){ .start = clock_monotonic_ns(), .cancel_at = 10, .cancel_ret = 1 };
	t.id = timer_add(period, true, tmr_fn, &t);
	KT_ASSERT(t.id > 0);
	KT_EXPECT(wait_count(&t.fired, 10, 2000 * NSEC_PER_MSEC));
	KT_EXPECT(t.cancel_ret == 0);
	pr_info("ktest: 20 ms periodic: 10th firing after %lu us\n", (unsigned long)(t.when[9] / NSEC_PER_USEC));
	for (uint32_t k = 0; k < 10; k++)
		KT_EXPECT(t.when[k] >= (k + 1) * period);
	/* Ten periods of 20 ms: 200 ms, plus tick granularity and TCG jitter. */
	KT_EXPECT(t.when[9] < 320 * NSEC_PER_MSEC);
	task_sleep_ns(60 * NSEC_PER_MSEC);
	KT_EXPECT(t.fired == 10);	/* cancelled from its own callback */
	KT_EXPECT(timer_cancel(t.id) == -ENOENT);
}

KTEST(timer_cancel_and_bad_arguments)
{
	static struct tmr t;
	timer_id_t id, id2;

	t = (struct tmr){ .start = clock_monotonic_ns() };
	id = timer_add(20 * NSEC_PER_MSEC, false, tmr_fn, &t);
	KT_ASSERT(id > 0);
	KT_EXPECT(timer_cancel(id) == 0);
	KT_EXPECT(timer_cancel(id) == -ENOENT);
	/* The slot is reused with a new generation: the stale id stays dead. */
	id2 = timer_add(20 * NSEC_PER_MSEC, false, tmr_fn, &t);
	KT_ASSERT(id2 > 0 && id2 != id);
	KT_EXPECT(timer_cancel(id) == -ENOENT);
	KT_EXPECT(timer_cancel(id2) == 0);
	task_sleep_ns(60 * NSEC_PER_MSEC);
	KT_EXPECT(t.fired == 0);
	KT_EXPECT(timer_add(0, true, tmr_fn, &t) == -EINVAL);
	KT_EXPECT(timer_add(10, false, NULL, NULL) == -EINVAL);
	KT_EXPECT(timer_cancel(0) == -ENOENT);
	KT_EXPECT(timer_cancel(-5) == -ENOENT);
	KT_EXPECT(timer_cancel(0x7fffffffffffffffLL) == -ENOENT);
}

/*
 * timer_cancel_sync: a pending timer is gone at once and its argument may
 * be freed (KASAN would see a late callback); from its own callback it
 * cancels without waiting for itself (-EDEADLK), one-shot or periodic.
 */
KTEST(timer_cancel_sync_frees_safely_and_refuses_itself)
{
	static struct tmr once, every;
	struct tmr *heap = kzalloc(sizeof(*heap));
	timer_id_t id;

	KT_ASSERT(heap != NULL);
	id = timer_add(10 * NSEC_PER_MSEC, false, tmr_fn, heap);
	KT_ASSERT(id > 0);
	KT_EXPECT(timer_cancel_sync(id) == 0);
	kfree(heap);
	KT_EXPECT(timer_cancel_sync(id) == -ENOENT);

	once = (struct tmr){ .start = clock_monotonic_ns(), .cancel_at = 1, .cancel_sync = true,
			     .cancel_ret = 1 };
	once.id = timer_add(10 * NSEC_PER_MSEC, false, tmr_fn, &once);
	KT_ASSERT(once.id > 0);
	KT_EXPECT(wait_count(&once.fired, 1, 500 * NSEC_PER_MSEC));
	/* A one-shot's own callback: nothing left to cancel, and no waiting for itself. */
	KT_EXPECT(once.cancel_ret == -EDEADLK);
	KT_EXPECT(timer_cancel_sync(once.id) == -ENOENT);

	every = (struct tmr){ .start = clock_monotonic_ns(), .cancel_at = 3, .cancel_sync = true,
			      .cancel_ret = 1 };
	every.id = timer_add(10 * NSEC_PER_MSEC, true, tmr_fn, &every);
	KT_ASSERT(every.id > 0);
	KT_EXPECT(wait_count(&every.fired, 3, 1000 * NSEC_PER_MSEC));
	KT_EXPECT(every.cancel_ret == -EDEADLK);
	task_sleep_ns(50 * NSEC_PER_MSEC);
	KT_EXPECT(every.fired == 3);	/* cancelled all the same */
	KT_EXPECT(timer_cancel_sync(every.id) == -ENOENT);
	KT_EXPECT(timer_cancel_sync(0) == -ENOENT);
}

KTEST(timer_many_at_once_in_deadline_order)
{
	static struct tmr t[8];
	static uint32_t order[8];
	uint64_t start = clock_monotonic_ns();

	for (int i = 0; i < 8; i++) {
		t[i] = (struct tmr){ .start = start };
		/* Added in reverse deadline order. */
		KT_ASSERT(timer_add((uint64_t)(8 - i) * 5 * NSEC_PER_MSEC, false, tmr_fn, &t[i]) > 0);
	}
	for (int i = 0; i < 8; i++)
		KT_EXPECT(wait_count(&t[i].fired, 1, 500 * NSEC_PER_MSEC));
	for (int i = 0; i < 8; i++) {
		order[i] = (uint32_t)(t[i].when[0] / NSEC_PER_USEC);
		KT_EXPECT(t[i].when[0] >= (uint64_t)(8 - i) * 5 * NSEC_PER_MSEC);
	}
	for (int i = 0; i < 7; i++)
		KT_EXPECT(order[i] >= order[i + 1]);
}

KTEST(timer_table_grows_and_ids_stay_unique)
{
	static timer_id_t ids[300];
	static struct tmr t;

	t = (struct tmr){ .start = clock_monotonic_ns() };
	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		ids[i] = timer_add(10 * NSEC_PER_SEC, false, tmr_fn, &t);
		KT_ASSERT(ids[i] > 0);
		for (unsigned int j = 0; j < i; j += 37)
			KT_EXPECT(ids[j] != ids[i]);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++)
		KT_EXPECT(timer_cancel(ids[i]) == 0);
	KT_EXPECT(t.fired == 0);
	KT_EXPECT(timer_cancel(ids[0]) == -ENOENT);
}
