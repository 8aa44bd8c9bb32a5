// SPDX-License-Identifier: MPL-2.0
// What the interrupt core needs from x86-64: the interrupt flag, the local
// APIC's end-of-interrupt, and the MSI message format.
#include "../../irq/irq_internal.h"
#include "cpu.h"
#include "devices.h"

#define MSI_ADDR_BASE		0xfee00000UL
#define MSI_ADDR_DEST_SHIFT	12

bool arch_irq_flags_on(irqflags_t flags)
{
	return flags & RFLAGS_IF;
}

void arch_irq_on(void)
{
	irq_enable();
}

void arch_irq_off(void)
{
	irq_disable();
}

void arch_irq_eoi(void)
{
	lapic_eoi();
}

void arch_irq_self_trigger(uint8_t vector)
{
	lapic_self_ipi(vector);
}

/*
 * Intel SDM vol. 3, "Message Signalled Interrupts": physical destination
 * mode to the boot CPU's APIC id, fixed delivery, edge trigger.
 */
void arch_msi_message(uint8_t vector, uint64_t *addr, uint32_t *data)
{
	*addr = MSI_ADDR_BASE | ((uint64_t)(lapic_id() & 0xff) << MSI_ADDR_DEST_SHIFT);
	*data = vector;
}
