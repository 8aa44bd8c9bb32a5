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

/*
 * One device-memory access of width 1, 2, 4 or 8 bytes at p (aligned to
 * width: the caller checks), as a single volatile load or store, so the
 * device sees exactly that access.  The value is zero-extended / truncated.
 */
static inline uint64_t mmio_load(volatile void *p, unsigned int width)
{
	switch (width) {
	case 1:
		return *(volatile uint8_t *)p;
	case 2:
		return *(volatile uint16_t *)p;
	case 4:
		return *(volatile uint32_t *)p;
	default:
		return *(volatile uint64_t *)p;
	}
}

static inline void mmio_store(volatile void *p, unsigned int width, uint64_t v)
{
	switch (width) {
	case 1:
		*(volatile uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)p = (uint16_t)v;
		break;
	case 4:
		*(volatile uint32_t *)p = (uint32_t)v;
		break;
	default:
		*(volatile uint64_t *)p = v;
		break;
	}
}

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
