// SPDX-License-Identifier: MPL-2.0
// Platform bring-up, once the heap is up and before interrupts are enabled:
// the order matters (ACPI describes the rest; claims come before users).
#include "../../irq/irq_internal.h"
#include "devices.h"

void platform_devices_init(void)
{
	acpi_init();
	io_port_init();
	mmio_init();
	ioapic_init();
	hpet_init();
	rtc_init();
	pci_cfg_init();
	pci_init();
}
