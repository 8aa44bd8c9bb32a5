// SPDX-License-Identifier: MPL-2.0
// ktests of ACPI: the tables QEMU's firmware provides (q35 and pc), and the
// parsers fed crafted and malformed tables.
#include <aster/acpi.h>
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/pci.h>
#include <aster/power.h>
#include <aster/string.h>
#include <aster/unaligned.h>
#include "acpi_internal.h"

static bool machine_is_q35(void)
{
	return pci_find_device(0x8086, 0x29c0, NULL) != NULL;
}

KTEST(acpi_tables_found)
{
	const struct acpi_platform *p = acpi_platform();
	struct acpi_summary s;

	KT_ASSERT(p->found);
	KT_EXPECT(p->rsdp_phys >= 0xe0000 && p->rsdp_phys < 0x100000);	/* SeaBIOS: BIOS area */
	KT_EXPECT(acpi_has_table(p->xsdt ? "XSDT" : "RSDT"));
	KT_EXPECT(acpi_has_table("FACP"));
	KT_EXPECT(acpi_has_table("APIC"));
	KT_EXPECT(acpi_has_table("DSDT"));
	KT_EXPECT(acpi_has_table("HPET"));
	KT_EXPECT(!acpi_has_table("NONE"));
	KT_EXPECT(!acpi_has_table("APICX"));
	KT_EXPECT(p->nr_rejected == 0);
	/* q35 (ICH9) has PCI Express ECAM; pc (i440fx) has none. */
	KT_EXPECT(acpi_has_table("MCFG") == machine_is_q35());
	KT_EXPECT((p->nr_mcfg > 0) == machine_is_q35());
	if (machine_is_q35()) {
		KT_EXPECT(p->mcfg[0].segment == 0 && p->mcfg[0].bus_start == 0);
		KT_EXPECT(p->mcfg[0].base >= 0x80000000 && p->mcfg[0].base < 0x100000000);
	}
	acpi_get_summary(&s);
	KT_EXPECT(s.present && s.nr_cpus == p->nr_cpus && s.can_poweroff);
	KT_EXPECT(memcmp(s.oem_id, "BOCHS ", 6) == 0);
}

KTEST(acpi_madt_cpus_ioapic_overrides)
{
	const struct acpi_platform *p = acpi_platform();
	bool timer_override = false;

	KT_ASSERT(p->has_madt);
	KT_EXPECT(p->nr_cpus >= 1);
	KT_EXPECT(p->lapic_addr == 0xfee00000);
	KT_ASSERT(p->nr_ioapics >= 1);
	KT_EXPECT(p->ioapics[0].addr == 0xfec00000);
	KT_EXPECT(p->ioapics[0].gsi_base == 0);
	for (unsigned int i = 0; i < p->nr_overrides; i++)
		if (p->overrides[i].isa_irq == 0 && p->overrides[i].gsi == 2)
			timer_override = true;
	KT_EXPECT(timer_override);
}

KTEST(acpi_fadt_and_s5)
{
	const struct acpi_platform *p = acpi_platform();

	KT_ASSERT(p->has_fadt);
	/* QEMU's PIIX4 and ICH9 PM blocks both put PM1a control at 0x604. */
	KT_EXPECT(p->pm1a_cnt == 0x604);
	KT_EXPECT(p->pm1b_cnt == 0);
	KT_EXPECT(p->sci_irq == 9);
	KT_EXPECT(p->has_s5);
	KT_EXPECT(p->slp_typa == 0 && p->slp_typb == 0);
	KT_EXPECT(p->century == 0x32);
}

/* A table header with a valid checksum over len bytes. */
static void make_table(uint8_t *t, const char *sig, uint32_t len)
{
	uint8_t sum = 0;

	memcpy(t, sig, 4);
	put_unaligned_le32(t + 4, len);
	t[9] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)-sum;
}

KTEST(acpi_checksums_and_rsdp)
{
	static uint8_t rsdp[36] = "RSD PTR ";
	uint8_t sum = 0;

	rsdp[15] = 0;
	for (int i = 0; i < 20; i++)
		sum = (uint8_t)(sum + rsdp[i]);
	rsdp[8] = (uint8_t)-sum;
	KT_EXPECT(acpi_rsdp_valid(rsdp, sizeof(rsdp)));
	KT_EXPECT(!acpi_rsdp_valid(rsdp, 19));		/* truncated */
	rsdp[9] ^= 1;
	KT_EXPECT(!acpi_rsdp_valid(rsdp, sizeof(rsdp)));	/* bad checksum */
	rsdp[9] ^= 1;
	rsdp[0] = 'X';
	KT_EXPECT(!acpi_rsdp_valid(rsdp, sizeof(rsdp)));	/* bad signature */
	KT_EXPECT(acpi_checksum_ok((const uint8_t *)"", 0));
}

KTEST(acpi_madt_malformed_is_rejected_not_fatal)
{
	static uint8_t t[128];
	static struct acpi_platform p;
	uint32_t len = 44;

	memset(t, 0, sizeof(t));
	/* An IOAPIC entry, then an override, then a LAPIC entry. */
	t[len] = 1; t[len + 1] = 12; t[len + 4] = 0x00; t[len + 5] = 0x10; len += 12;
	t[len] = 2; t[len + 1] = 10; t[len + 3] = 0; t[len + 4] = 2; len += 10;
	t[len] = 0; t[len + 1] = 8; t[len + 3] = 7; t[len + 4] = 1; len += 8;
	make_table(t, "APIC", len);
	memset(&p, 0, sizeof(p));
	KT_EXPECT(acpi_parse_madt(t, len, &p) == 0);
	KT_EXPECT(p.nr_ioapics == 1 && p.ioapics[0].addr == 0x1000);
	KT_EXPECT(p.nr_overrides == 1 && p.overrides[0].gsi == 2);
	KT_EXPECT(p.nr_cpus == 1 && p.cpu_apic_ids[0] == 7);
	/* A zero-length entry must not loop forever. */
	memset(&p, 0, sizeof(p));
	t[44 + 1] = 0;
	KT_EXPECT(acpi_parse_madt(t, len, &p) == -EINVAL);
	/* An entry running past the end of the table. */
	t[44 + 1] = 200;
	KT_EXPECT(acpi_parse_madt(t, len, &p) == -EINVAL);
	/* An entry too short for its type: kept nothing from it. */
	t[44 + 1] = 4;
	memset(&p, 0, sizeof(p));
	KT_EXPECT(acpi_parse_madt(t, len, &p) == -EINVAL);
	KT_EXPECT(p.nr_ioapics == 0);
	/* A table too short for the MADT header. */
	KT_EXPECT(acpi_parse_madt(t, 40, &p) == -EINVAL);
	/* A disabled CPU is not counted. */
	t[44 + 1] = 12;
	t[len - 8 + 4] = 0;
	memset(&p, 0, sizeof(p));
	KT_EXPECT(acpi_parse_madt(t, len, &p) == 0);
	KT_EXPECT(p.nr_cpus == 0);
}

/* Enabled, online-capable (by MADT revision), x2APIC entries, and the limit. */
KTEST(acpi_madt_cpu_flags_x2apic_and_limit)
{
	static uint8_t t[44 + 16 + 8 + 8 * (ACPI_MAX_CPUS + 2)];
	static struct acpi_platform p;
	uint32_t len = 44;

	memset(t, 0, sizeof(t));
	/* x2APIC id 300, enabled; LAPIC id 5, online capable only. */
	t[len] = 9; t[len + 1] = 16; put_unaligned_le32(t + len + 4, 300);
	put_unaligned_le32(t + len + 8, 1); len += 16;
	t[len] = 0; t[len + 1] = 8; t[len + 3] = 5; t[len + 4] = 2; len += 8;
	t[8] = 5;
	make_table(t, "APIC", len);
	memset(&p, 0, sizeof(p));
	KT_EXPECT(acpi_parse_madt(t, len, &p) == 0);
	KT_EXPECT(p.nr_cpus == 1 && p.cpu_apic_ids[0] == 300);
	KT_EXPECT(p.nr_cpus_hotplug == 1);
	/* Before ACPI 6.3 (revision < 5) bit 1 is reserved: not a CPU at all. */
	t[8] = 4;
	make_table(t, "APIC", len);
	memset(&p, 0, sizeof(p));
	KT_EXPECT(acpi_parse_madt(t, len, &p) == 0);
	KT_EXPECT(p.nr_cpus == 1 && p.nr_cpus_hotplug == 0);
	/* More enabled CPUs than the limit: the first ACPI_MAX_CPUS kept, in order. */
	for (unsigned int i = 0; i < ACPI_MAX_CPUS + 1; i++) {
		t[len] = 0; t[len + 1] = 8; t[len + 3] = (uint8_t)(10 + i); t[len + 4] = 1;
		len += 8;
	}
	make_table(t, "APIC", len);
	memset(&p, 0, sizeof(p));
	KT_EXPECT(acpi_parse_madt(t, len, &p) == 0);
	KT_EXPECT(p.nr_cpus == ACPI_MAX_CPUS);
	KT_EXPECT(p.cpu_apic_ids[1] == 10 && p.cpu_apic_ids[ACPI_MAX_CPUS - 1] == ACPI_MAX_CPUS + 8);
}

KTEST(acpi_mcfg_hpet_fadt_malformed)
{
	static uint8_t t[256];
	static struct acpi_platform p;
	uint64_t dsdt;

	memset(t, 0, sizeof(t));
	memset(&p, 0, sizeof(p));
	/* MCFG: one window at 0xe0000000, buses 0-63. */
	t[44 + 3] = 0xe0; t[44 + 10] = 0; t[44 + 11] = 63;
	KT_EXPECT(acpi_parse_mcfg(t, 60, &p) == 0);
	KT_EXPECT(p.nr_mcfg == 1 && p.mcfg[0].base == 0xe0000000 && p.mcfg[0].bus_end == 63);
	t[44 + 10] = 64;	/* start after end */
	KT_EXPECT(acpi_parse_mcfg(t, 60, &p) == -EINVAL);
	KT_EXPECT(acpi_parse_mcfg(t, 40, &p) == -EINVAL);
	/* HPET: must be in memory space and have an address. */
	memset(t, 0, sizeof(t));
	KT_EXPECT(acpi_parse_hpet(t, 56, &p) == -EINVAL);
	t[46] = 0xd0; t[47] = 0xfe;
	KT_EXPECT(acpi_parse_hpet(t, 56, &p) == 0 && p.hpet_addr == 0xfed00000);
	t[40] = 1;
	KT_EXPECT(acpi_parse_hpet(t, 56, &p) == -EINVAL);
	KT_EXPECT(acpi_parse_hpet(t, 50, &p) == -EINVAL);
	/* FADT: too short for ACPI 1.0; ports above 0xffff are dropped. */
	memset(t, 0, sizeof(t));
	KT_EXPECT(acpi_parse_fadt(t, 100, &p, &dsdt) == -EINVAL);
	t[64] = 0x04; t[65] = 0x06; t[66] = 0x01;	/* 0x10604: not a port */
	t[40] = 0x40;
	memset(&p, 0, sizeof(p));
	KT_EXPECT(acpi_parse_fadt(t, 116, &p, &dsdt) == 0);
	KT_EXPECT(p.pm1a_cnt == 0 && dsdt == 0x40);
	/* IAPC_BOOT_ARCH counts from FADT revision 2 on (byte 8 of the header). */
	t[109] = ACPI_BOOT_NO_CMOS_RTC;
	t[8] = 1;
	KT_EXPECT(acpi_parse_fadt(t, 116, &p, &dsdt) == 0 && p.boot_arch == 0);
	t[8] = 3;
	KT_EXPECT(acpi_parse_fadt(t, 116, &p, &dsdt) == 0 && p.boot_arch == ACPI_BOOT_NO_CMOS_RTC);
	/* X_PM1a_CNT_BLK (system I/O) overrides the 32-bit field. */
	t[172] = 1; t[176] = 0x04; t[177] = 0xb0;
	KT_EXPECT(acpi_parse_fadt(t, 244, &p, &dsdt) == 0);
	KT_EXPECT(p.pm1a_cnt == 0xb004);
}

KTEST(acpi_s5_scanner)
{
	uint8_t a = 9, b = 9;
	/* Name(_S5, Package(4) {0x05, 0x05, Zero, Zero}) */
	static const uint8_t byte_form[] = { 0x10, 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x04,
					     0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };
	/* Name(\_S5, Package(4) {One, Zero, ...}) with a root prefix */
	static const uint8_t root_form[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x04,
					     0x01, 0x00, 0x00, 0x00 };
	/* A method call named _S5_ (no NameOp) must be ignored. */
	static const uint8_t not_named[] = { 0x70, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x01,
					     0x01 };
	static const uint8_t truncated[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x04, 0x0a };
	static const uint8_t one_elem[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a,
					    0x07 };

	KT_EXPECT(acpi_find_s5(byte_form, sizeof(byte_form), &a, &b) == 0);
	KT_EXPECT(a == 5 && b == 5);
	KT_EXPECT(acpi_find_s5(root_form, sizeof(root_form), &a, &b) == 0);
	KT_EXPECT(a == 1 && b == 0);
	KT_EXPECT(acpi_find_s5(not_named, sizeof(not_named), &a, &b) == -ENOENT);
	KT_EXPECT(acpi_find_s5(truncated, sizeof(truncated), &a, &b) == -ENOENT);
	for (size_t n = 0; n < sizeof(byte_form); n++)	/* every truncation is safe */
		(void)acpi_find_s5(byte_form, n, &a, &b);
	KT_EXPECT(acpi_find_s5(one_elem, sizeof(one_elem), &a, &b) == 0);
	KT_EXPECT(a == 7 && b == 7);
}

/*
 * Power off through ACPI S5 (FADT PM1 control, DSDT \_S5).  Manual: run it
 * without QEMU's isa-debug-exit device, and QEMU must exit on its own:
 *	qemu-system-x86_64 ... -append "ktest.filter=acpi_poweroff_s5"
 */
KTEST_MANUAL(acpi_poweroff_s5)
{
	machine_poweroff();
}
