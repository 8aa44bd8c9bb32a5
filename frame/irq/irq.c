// SPDX-License-Identifier: MPL-2.0
// Interrupt lines: vector allocation, handler registration, dispatch.  One
// line per vector; where its interrupts come from (an IOAPIC input, an MSI
// message) is set by whoever bound it, through irq_line_ops.
#include <aster/errno.h>
#include <aster/irq.h>
#include <aster/log.h>
#include <aster/sync.h>
#include "irq_internal.h"

struct irq_handle {
	struct irq_line *line;
	irq_handler_fn fn;	/* NULL: free slot */
	void *arg;
};

struct irq_line {
	bool allocated;
	bool masked;
	bool nobody_warned;
	uint8_t vector;
	int64_t gsi;		/* -1 unless bound to an IOAPIC input */
	const struct irq_line_ops *ops;
	void *ops_data;
	unsigned int nr_handlers;
	struct irq_handle handlers[IRQ_MAX_HANDLERS];
	uint64_t count;
	uint64_t unhandled;
};

/*
 * Indexed by vector.  The lock serialises changes; dispatch reads the
 * handler slots without it, which is safe on one CPU because changes are
 * made with interrupts off.  (SMP will need an in-flight count to wait on
 * in irq_unregister.)
 */
static struct irq_line lines[256];
static spinlock_t irq_lock = SPINLOCK_INIT;

struct irq_line *irq_line_alloc(void)
{
	irqflags_t flags = spin_lock_irqsave(&irq_lock);
	struct irq_line *line = NULL;

	for (unsigned int v = IRQ_VECTOR_FIRST; v <= IRQ_VECTOR_LAST; v++) {
		if (lines[v].allocated)
			continue;
		line = &lines[v];
		*line = (struct irq_line){ .allocated = true, .masked = true, .vector = (uint8_t)v,
					   .gsi = -1 };
		break;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	if (!line)
		pr_warn("irq: out of interrupt vectors\n");
	return line;
}

void irq_line_free(struct irq_line *line)
{
	irqflags_t flags;

	if (!line)
		return;
	flags = spin_lock_irqsave(&irq_lock);
	if (line->nr_handlers || line->gsi >= 0) {
		spin_unlock_irqrestore(&irq_lock, flags);
		pr_warn("irq: vector %u not freed: it has handlers or an IOAPIC input\n",
			line->vector);
		return;
	}
	line->allocated = false;
	line->ops = NULL;
	spin_unlock_irqrestore(&irq_lock, flags);
}

void irq_line_set_ops(struct irq_line *line, const struct irq_line_ops *ops, void *data)
{
	irqflags_t flags = spin_lock_irqsave(&irq_lock);

	line->ops = ops;
	line->ops_data = data;
	spin_unlock_irqrestore(&irq_lock, flags);
}

uint8_t irq_line_vector(const struct irq_line *line)
{
	return line->vector;
}

int64_t irq_line_gsi(const struct irq_line *line)
{
	return line->gsi;
}

struct irq_line *irq_line_lookup_gsi(uint32_t gsi)
{
	for (unsigned int v = IRQ_VECTOR_FIRST; v <= IRQ_VECTOR_LAST; v++)
		if (lines[v].allocated && lines[v].gsi == (int64_t)gsi)
			return &lines[v];
	return NULL;
}

void irq_line_set_gsi(struct irq_line *line, uint32_t gsi)
{
	line->gsi = gsi;
}

/* Call with irq_lock held. */
static void set_masked_locked(struct irq_line *line, bool masked)
{
	line->masked = masked;
	if (!line->ops)
		return;
	if (masked)
		line->ops->mask(line, line->ops_data);
	else
		line->ops->unmask(line, line->ops_data);
}

void irq_line_mask(struct irq_line *line)
{
	irqflags_t flags = spin_lock_irqsave(&irq_lock);

	set_masked_locked(line, true);
	spin_unlock_irqrestore(&irq_lock, flags);
}

void irq_line_unmask(struct irq_line *line)
{
	irqflags_t flags = spin_lock_irqsave(&irq_lock);

	set_masked_locked(line, false);
	spin_unlock_irqrestore(&irq_lock, flags);
}

struct irq_handle *irq_register(struct irq_line *line, irq_handler_fn fn, void *arg)
{
	struct irq_handle *h = NULL;
	irqflags_t flags;

	if (!line || !fn)
		return NULL;
	flags = spin_lock_irqsave(&irq_lock);
	for (unsigned int i = 0; line->allocated && i < IRQ_MAX_HANDLERS; i++) {
		if (line->handlers[i].fn)
			continue;
		h = &line->handlers[i];
		*h = (struct irq_handle){ .line = line, .fn = fn, .arg = arg };
		if (line->nr_handlers++ == 0) {
			line->nobody_warned = false;
			set_masked_locked(line, false);
		}
		break;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return h;
}

void irq_unregister(struct irq_handle *h)
{
	struct irq_line *line;
	irqflags_t flags;

	if (!h)
		return;
	flags = spin_lock_irqsave(&irq_lock);
	line = h->line;
	if (!h->fn || !line) {
		spin_unlock_irqrestore(&irq_lock, flags);
		pr_warn("irq: unregistering a handler that is not registered\n");
		return;
	}
	h->fn = NULL;
	h->arg = NULL;
	if (--line->nr_handlers == 0)
		set_masked_locked(line, true);
	spin_unlock_irqrestore(&irq_lock, flags);
}

uint64_t irq_line_count(const struct irq_line *line)
{
	return __atomic_load_n(&line->count, __ATOMIC_RELAXED);
}

/*
 * An interrupt no handler wanted.  With no handler at all, mask the source:
 * a level-triggered line would otherwise fire again at once, forever.
 */
static void unhandled(struct irq_line *line)
{
	line->unhandled++;
	if (line->nr_handlers)
		return;
	spin_lock_raw(&irq_lock);
	set_masked_locked(line, true);
	spin_unlock_raw(&irq_lock);
	if (!line->nobody_warned)
		pr_warn("irq: vector %u (gsi %ld): nobody cared, masked\n", line->vector, line->gsi);
	line->nobody_warned = true;
}

static uint64_t irq_total;

uint64_t irq_total_count(void)
{
	return __atomic_load_n(&irq_total, __ATOMIC_RELAXED);
}

bool irq_line_dispatch(unsigned int vector)
{
	struct irq_line *line;
	bool handled = false;

	if (vector < IRQ_VECTOR_FIRST || vector > IRQ_VECTOR_LAST || !lines[vector].allocated)
		return false;
	line = &lines[vector];
	__atomic_add_fetch(&line->count, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&irq_total, 1, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < IRQ_MAX_HANDLERS; i++) {
		struct irq_handle *h = &line->handlers[i];

		if (h->fn && h->fn(h->arg) == IRQ_HANDLED)
			handled = true;
	}
	if (!handled)
		unhandled(line);
	/* After the handlers: a level source must be quiet before the IOAPIC re-arms. */
	arch_irq_eoi();
	return true;
}
