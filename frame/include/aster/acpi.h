/* SPDX-License-Identifier: MPL-2.0 */
/*
 * What the firmware's ACPI tables say about the machine, in the few facts
 * kernel/ may want (for /proc, for messages).  Addresses, ports and the
 * tables themselves stay inside frame/, which uses them to set up the
 * interrupt controllers, PCI, the HPET and power-off.
 */
#ifndef ASTER_ACPI_H
#define ASTER_ACPI_H

#include <aster/types.h>

struct acpi_summary {
	bool present;		/* an RSDP was found and checked */
	uint8_t revision;	/* RSDP revision: 0 = ACPI 1.0, 2 = 2.0 and later */
	char oem_id[7];
	unsigned int nr_tables;	/* tables with a good checksum */
	unsigned int nr_cpus;	/* enabled local APICs in the MADT */
	unsigned int nr_ioapics;
	bool has_hpet;
	bool has_mcfg;		/* PCI Express ECAM windows */
	bool can_poweroff;	/* FADT PM1 control block and \_S5 found */
};

void acpi_get_summary(struct acpi_summary *out);

/* True if a table with this 4-character signature ("APIC", "FACP") was found. */
bool acpi_has_table(const char *sig);

#endif
