/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Interrupt lines.  A line is one CPU interrupt vector that frame has bound
 * to a source: an IOAPIC input (a GSI, or a legacy ISA IRQ routed through the
 * firmware's overrides), or an MSI/MSI-X message of a PCI device (see
 * aster/pci.h).  kernel/ never sees vector numbers or controller registers,
 * only struct irq_line.
 *
 *	static enum irq_return kbd_irq(void *arg)
 *	{
 *		struct kbd *k = arg;
 *		... read the device, queue work ...
 *		softirq_raise(SOFTIRQ_TASKLET);
 *		return IRQ_HANDLED;
 *	}
 *
 *	struct irq_line *line = irq_line_for_isa(1);
 *	struct irq_handle *h = line ? irq_register(line, kbd_irq, k) : NULL;
 *	...
 *	irq_unregister(h);
 *
 * Handlers run in hard-IRQ context: interrupts off, on the interrupted
 * task's stack, and must not sleep; frame sends the end-of-interrupt after
 * the last handler returns.  Defer longer work to a softirq (aster/softirq.h).
 * Several handlers may share a line (PCI INTx); each says whether its device
 * raised the interrupt.
 */
#ifndef ASTER_IRQ_H
#define ASTER_IRQ_H

#include <aster/types.h>

struct irq_line;
struct irq_handle;

enum irq_return {
	IRQ_NONE = 0,		/* not my device */
	IRQ_HANDLED = 1,
};

typedef enum irq_return (*irq_handler_fn)(void *arg);

/* Handlers per line (shared lines). */
#define IRQ_MAX_HANDLERS	4

/*
 * A line with a fresh vector and no source yet, for MSI (pci_msi_enable
 * binds it) or for software-triggered tests.  NULL when no vector is free.
 * Release with irq_line_free() once it has no handlers.
 */
struct irq_line *irq_line_alloc(void);
void irq_line_free(struct irq_line *line);

/*
 * The line of a Global System Interrupt (an IOAPIC input).  The same GSI
 * always gives the same line.  Trigger mode and polarity come from the
 * MADT's overrides for ISA IRQs, else ISA defaults (edge, active high) below
 * GSI 16 and PCI defaults (level, active low) above.  NULL if no IOAPIC
 * serves the GSI or no vector is free.
 */
struct irq_line *irq_line_for_gsi(uint32_t gsi);
/* The line of legacy ISA IRQ 0-15, honouring the overrides (IRQ 0 -> GSI 2). */
struct irq_line *irq_line_for_isa(unsigned int isa_irq);

/*
 * Add a handler.  The first handler unmasks the line.  Returns the handle to
 * unregister with, or NULL when fn is NULL or the line has no free slot.
 */
struct irq_handle *irq_register(struct irq_line *line, irq_handler_fn fn, void *arg);
/* Remove a handler; the last one to go masks the line. */
void irq_unregister(struct irq_handle *h);

/* Mask or unmask the line's source (nestable: not counted, last call wins). */
void irq_line_mask(struct irq_line *line);
void irq_line_unmask(struct irq_line *line);

/* Interrupts delivered on this line since it was set up. */
uint64_t irq_line_count(const struct irq_line *line);
/* Interrupts delivered on every line since boot (/proc/stat's intr). */
uint64_t irq_total_count(void);

/* True while running a hard-IRQ handler on this CPU. */
bool in_hardirq(void);
/* True in hard-IRQ or softirq context (no sleeping allowed). */
bool in_interrupt(void);

#endif
