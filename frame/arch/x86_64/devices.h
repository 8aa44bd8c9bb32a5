/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/arch/x86_64: bring-up of the platform devices (ACPI,
 * IOAPIC, port and MMIO claims, RTC, HPET, PCI) and what the device code
 * needs from the local APIC and the CMOS.
 */
#ifndef ASTER_ARCH_DEVICES_H
#define ASTER_ARCH_DEVICES_H

#include <aster/types.h>
#include "../../bus/bus_internal.h"
#include "acpi_internal.h"	/* acpi_save_loader_rsdp, acpi_init */

/* Init calls, in the order platform_devices_init makes them (after acpi_init). */
void io_port_init(void);
void mmio_init(void);
void ioapic_init(void);
void hpet_init(void);
void rtc_init(void);
void pci_cfg_init(void);

/* For ktests: accesses through a region that the bounds checks refused. */
struct io_port_region;
struct mmio_region;
uint64_t io_port_rejected(const struct io_port_region *r);
uint64_t mmio_rejected(const struct mmio_region *m);

/* apic.c */
uint32_t lapic_id(void);
uint64_t lapic_phys(void);
void lapic_self_ipi(uint8_t vector);

/* ioapic.c: program one GSI's redirection entry (masked) / mask it. */
int ioapic_route(uint32_t gsi, uint8_t vector, bool level, bool active_low);
int ioapic_set_masked(uint32_t gsi, bool masked);
/* Does any IOAPIC serve this GSI? */
bool ioapic_has_gsi(uint32_t gsi);

/* rtc.c: CMOS registers (index < 128), under the CMOS lock. */
uint8_t cmos_read(uint8_t index);
void cmos_write(uint8_t index, uint8_t value);

/* hpet.c: true and the counter in ns when an HPET is running. */
bool hpet_present(void);
uint64_t hpet_read_ns(void);

#endif
