/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: what the ACPI tables told us about the platform (the
 * interrupt controllers, PCI ECAM windows, the HPET, the sleep registers),
 * and the table parsers themselves so that ktests can feed them crafted and
 * malformed tables.  Everything here holds physical addresses and port
 * numbers, which is why none of it is in aster/acpi.h.
 */
#ifndef ASTER_ARCH_ACPI_INTERNAL_H
#define ASTER_ARCH_ACPI_INTERNAL_H

#include <aster/types.h>

#define ACPI_MAX_CPUS		64
#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_OVERRIDES	16
#define ACPI_MAX_MCFG		8
#define ACPI_MAX_TABLES		64

#define ACPI_HDR_LEN		36

/* MPS INTI flags of an interrupt source override (MADT type 2). */
#define ACPI_POLARITY_MASK	0x3
#define ACPI_POLARITY_HIGH	0x1
#define ACPI_POLARITY_LOW	0x3
#define ACPI_TRIGGER_MASK	0xc
#define ACPI_TRIGGER_EDGE	0x4
#define ACPI_TRIGGER_LEVEL	0xc

struct acpi_table_ref {
	char sig[5];
	uint64_t phys;
	uint32_t len;
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

struct acpi_override {
	uint8_t isa_irq;
	uint32_t gsi;
	uint16_t flags;
};

struct acpi_mcfg {
	uint64_t base;		/* ECAM address of bus 0 of the segment */
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct acpi_platform {
	bool found;
	uint64_t rsdp_phys;
	uint8_t revision;		/* RSDP revision: 0 = ACPI 1.0 */
	bool xsdt;
	char oem_id[7];
	unsigned int nr_tables;
	struct acpi_table_ref tables[ACPI_MAX_TABLES];
	unsigned int nr_rejected;	/* malformed tables ignored */

	/* MADT */
	bool has_madt;
	uint64_t lapic_addr;
	bool pcat_compat;		/* dual 8259s present */
	uint8_t madt_revision;
	unsigned int nr_cpus;		/* enabled CPUs (up to ACPI_MAX_CPUS) */
	uint32_t cpu_apic_ids[ACPI_MAX_CPUS];
	unsigned int nr_cpus_hotplug;	/* online capable only: not started at boot */
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];

	/* MCFG */
	unsigned int nr_mcfg;
	struct acpi_mcfg mcfg[ACPI_MAX_MCFG];

	/* HPET */
	bool has_hpet;
	uint64_t hpet_addr;
	uint8_t hpet_number;
	uint16_t hpet_min_tick;

	/* FADT and the DSDT's \_S5 */
	bool has_fadt;
	uint16_t sci_irq;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint16_t pm1a_cnt, pm1b_cnt;	/* I/O ports; 0 when absent */
	uint8_t century;		/* CMOS index of the century, 0 if none */
	uint16_t boot_arch;		/* IAPC_BOOT_ARCH */
	uint32_t fadt_flags;
	bool has_s5;
	uint8_t slp_typa, slp_typb;
};

/* IAPC_BOOT_ARCH: no CMOS RTC. */
#define ACPI_BOOT_NO_CMOS_RTC	(1 << 5)

/* Copy the loader's RSDP before its memory can be reused (arch_boot_main). */
void acpi_save_loader_rsdp(void);
/* Find and parse the tables; safe to call when there is no ACPI at all. */
void acpi_init(void);
const struct acpi_platform *acpi_platform(void);

/* Parsers over a table already copied or mapped (len bytes valid). */
bool acpi_checksum_ok(const uint8_t *p, size_t len);
/* Returns 0, or -EINVAL when the table is malformed (entries before the bad one are kept). */
int acpi_parse_madt(const uint8_t *t, uint32_t len, struct acpi_platform *p);
int acpi_parse_mcfg(const uint8_t *t, uint32_t len, struct acpi_platform *p);
int acpi_parse_hpet(const uint8_t *t, uint32_t len, struct acpi_platform *p);
/* The FADT's fields; also returns the DSDT's physical address (0 if none). */
int acpi_parse_fadt(const uint8_t *t, uint32_t len, struct acpi_platform *p, uint64_t *dsdt);
/* The two SLP_TYP values of the \_S5 package in AML; -ENOENT if not found. */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb);
/* Validate an RSDP candidate (both checksums when revision >= 2). */
bool acpi_rsdp_valid(const uint8_t *p, size_t avail);

/*
 * Look up an ISA IRQ in the overrides: returns its GSI and MPS flags
 * (identity and 0 flags when there is no override).
 */
uint32_t acpi_isa_to_gsi(unsigned int isa_irq, uint16_t *flags);

#endif
