/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: the interrupt core (frame/irq/) and its users, the
 * trap path, the interrupt controllers, and MSI in frame/bus/.
 */
#ifndef ASTER_FRAME_IRQ_INTERNAL_H
#define ASTER_FRAME_IRQ_INTERNAL_H

#include <aster/irq.h>
#include <aster/percpu.h>
#include <aster/sync.h>
#include "../internal.h"

/*
 * Vectors the line allocator hands out: above the legacy PIC's 32-47 (its
 * spurious IRQ 7/15 may still arrive there) and below the local APIC's own
 * vectors (the timer at 0xec, IPIs later, spurious at 0xff).
 */
#define IRQ_VECTOR_FIRST	48
#define IRQ_VECTOR_LAST		0xeb
/* Per-CPU state here is arrays indexed by the CPU number (aster/percpu.h). */
#define FRAME_MAX_CPUS		CPU_MAX

static inline unsigned int this_cpu_id(void)
{
	return arch_cpu_id();
}

/* How a line's source is masked; NULL ops: the line has no source yet. */
struct irq_line_ops {
	void (*mask)(struct irq_line *line, void *data);
	void (*unmask)(struct irq_line *line, void *data);
};

void irq_line_set_ops(struct irq_line *line, const struct irq_line_ops *ops, void *data);
uint8_t irq_line_vector(const struct irq_line *line);
/* The GSI of an IOAPIC line, or -1. */
int64_t irq_line_gsi(const struct irq_line *line);
/* For the IOAPIC code, which serialises GSI binding itself. */
struct irq_line *irq_line_lookup_gsi(uint32_t gsi);
void irq_line_set_gsi(struct irq_line *line, uint32_t gsi);

/* The trap path: call the handlers of a vector's line; false if it has none. */
bool irq_line_dispatch(unsigned int vector);
/* Bracket every hard interrupt; irq_exit runs pending softirqs. */
void irq_enter(void);
void irq_exit(void);

/* Boot: ACPI, interrupt controllers, clocks, PCI (after the heap, before IRQs on). */
void platform_devices_init(void);

/* Timer callbacks: set up at boot; the local APIC tick raises SOFTIRQ_TIMER. */
void timers_init(void);
void timers_tick(uint64_t now_ns);

/* Architecture: interrupt flag, end of interrupt, the MSI message for a vector. */
bool arch_irq_flags_on(irqflags_t flags);
void arch_irq_on(void);
void arch_irq_off(void);
void arch_irq_eoi(void);
/* Raise `vector` on this CPU as if a device had (for ktests). */
void arch_irq_self_trigger(uint8_t vector);
void arch_msi_message(uint8_t vector, uint64_t *addr, uint32_t *data);

#endif
