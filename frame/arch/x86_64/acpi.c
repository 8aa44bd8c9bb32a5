// SPDX-License-Identifier: MPL-2.0
// Minimal ACPI: find the RSDP, walk the RSDT/XSDT, and read the few static
// tables frame needs (MADT, MCFG, HPET, FADT, and \_S5 from the DSDT).  No
// AML interpreter.  Tables are firmware data we cannot trust: every length
// is checked against the table's own bounds before a field is read, and a
// table with a bad checksum or impossible length is ignored with a warning.
#include <aster/acpi.h>
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/unaligned.h>
#include "acpi_internal.h"
#include "cpu.h"

#define ACPI_MAX_TABLE_LEN	MiB(4)	/* far above any real DSDT: a sanity bound */
#define ACPI_REACHABLE		DIRECT_MAP_BOOT_SIZE

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_OVERRIDE		2
#define MADT_LAPIC_ADDR		5
#define MADT_X2APIC		9
#define MADT_CPU_ENABLED	0x1
#define MADT_CPU_ONLINE_CAPABLE	0x2

#define AML_ZERO		0x00
#define AML_ONE			0x01
#define AML_NAME		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_PACKAGE		0x12
#define AML_ROOT		0x5c

static struct acpi_platform platform;

const struct acpi_platform *acpi_platform(void)
{
	return &platform;
}

bool acpi_checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

/* A pointer to [phys, phys+len) in the direct map, or NULL if not reachable yet. */
static const uint8_t *acpi_map(uint64_t phys, uint64_t len)
{
	if (phys >= ACPI_REACHABLE || len > ACPI_REACHABLE - phys)
		return NULL;
	return phys_to_virt(phys);
}

/* Signatures are printed from firmware bytes: keep them printable. */
static void sig_copy(char out[5], const uint8_t *sig)
{
	for (int i = 0; i < 4; i++)
		out[i] = sig[i] >= 0x20 && sig[i] < 0x7f ? (char)sig[i] : '?';
	out[4] = 0;
}

/* ---- MADT ---- */

static void madt_add_cpu(struct acpi_platform *p, uint32_t apic_id, uint32_t flags)
{
	if (!(flags & MADT_CPU_ENABLED)) {
		/* Online capable (ACPI 6.3, MADT revision 5): hotplug later, as on Linux. */
		if ((flags & MADT_CPU_ONLINE_CAPABLE) && p->madt_revision >= 5)
			p->nr_cpus_hotplug++;
		return;
	}
	if (p->nr_cpus == ACPI_MAX_CPUS) {
		pr_warn("ACPI: MADT: more than %d CPUs, ignoring APIC id %u\n", ACPI_MAX_CPUS,
			apic_id);
		return;
	}
	p->cpu_apic_ids[p->nr_cpus++] = apic_id;
}

static void madt_add_ioapic(struct acpi_platform *p, const uint8_t *e)
{
	if (p->nr_ioapics == ACPI_MAX_IOAPICS) {
		pr_warn("ACPI: MADT: more than %d IOAPICs, ignoring one\n", ACPI_MAX_IOAPICS);
		return;
	}
	p->ioapics[p->nr_ioapics++] = (struct acpi_ioapic){
		.id = e[2], .addr = get_unaligned_le32(e + 4), .gsi_base = get_unaligned_le32(e + 8),
	};
}

static void madt_add_override(struct acpi_platform *p, const uint8_t *e)
{
	if (e[2] != 0 || e[3] >= 16) {	/* only the ISA bus exists for overrides */
		pr_warn("ACPI: MADT: override of bus %u IRQ %u ignored\n", e[2], e[3]);
		return;
	}
	if (p->nr_overrides == ACPI_MAX_OVERRIDES)
		return;
	p->overrides[p->nr_overrides++] = (struct acpi_override){
		.isa_irq = e[3], .gsi = get_unaligned_le32(e + 4), .flags = get_unaligned_le16(e + 8),
	};
}

/* Minimum length of each entry type we read; 0 for types we skip. */
static uint8_t madt_entry_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC: return 8;
	case MADT_IOAPIC: return 12;
	case MADT_OVERRIDE: return 10;
	case MADT_LAPIC_ADDR: return 12;
	case MADT_X2APIC: return 16;
	default: return 0;
	}
}

static void madt_entry(struct acpi_platform *p, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		madt_add_cpu(p, e[3], get_unaligned_le32(e + 4));
		break;
	case MADT_IOAPIC:
		madt_add_ioapic(p, e);
		break;
	case MADT_OVERRIDE:
		madt_add_override(p, e);
		break;
	case MADT_LAPIC_ADDR:
		p->lapic_addr = get_unaligned_le64(e + 4);
		break;
	case MADT_X2APIC:
		madt_add_cpu(p, get_unaligned_le32(e + 4), get_unaligned_le32(e + 8));
		break;
	}
}

int acpi_parse_madt(const uint8_t *t, uint32_t len, struct acpi_platform *p)
{
	if (len < 44)
		return -EINVAL;
	p->has_madt = true;
	p->madt_revision = t[8];
	p->lapic_addr = get_unaligned_le32(t + 36);
	p->pcat_compat = get_unaligned_le32(t + 40) & 1;
	for (uint32_t off = 44; off < len;) {
		const uint8_t *e = t + off;

		/* A zero or overlong length would loop forever or read past the end. */
		if (len - off < 2 || e[1] < 2 || e[1] > len - off)
			return -EINVAL;
		if (e[1] < madt_entry_min_len(e[0]))
			return -EINVAL;
		madt_entry(p, e);
		off += e[1];
	}
	return 0;
}

/* ---- MCFG, HPET ---- */

int acpi_parse_mcfg(const uint8_t *t, uint32_t len, struct acpi_platform *p)
{
	if (len < 44)
		return -EINVAL;
	for (uint32_t off = 44; off + 16 <= len; off += 16) {
		const uint8_t *e = t + off;
		struct acpi_mcfg m = {
			.base = get_unaligned_le64(e), .segment = get_unaligned_le16(e + 8),
			.bus_start = e[10], .bus_end = e[11],
		};

		if (m.bus_start > m.bus_end || m.base == 0)
			return -EINVAL;
		if (p->nr_mcfg < ACPI_MAX_MCFG)
			p->mcfg[p->nr_mcfg++] = m;
	}
	return 0;
}

int acpi_parse_hpet(const uint8_t *t, uint32_t len, struct acpi_platform *p)
{
	if (len < 56)
		return -EINVAL;
	if (t[40] != 0)		/* the block must be in system memory space */
		return -EINVAL;
	p->hpet_addr = get_unaligned_le64(t + 44);
	if (!p->hpet_addr)
		return -EINVAL;
	p->hpet_number = t[52];
	p->hpet_min_tick = get_unaligned_le16(t + 53);
	p->has_hpet = true;
	return 0;
}

/* ---- FADT and \_S5 ---- */

/* A Generic Address Structure naming an I/O port: the port, or 0. */
static uint16_t gas_io_port(const uint8_t *gas)
{
	uint64_t addr = get_unaligned_le64(gas + 4);

	if (gas[0] != 1 || addr == 0 || addr > 0xffff)	/* space 1: system I/O */
		return 0;
	return (uint16_t)addr;
}

static uint16_t port_or_zero(uint32_t v)
{
	return v <= 0xffff ? (uint16_t)v : 0;
}

int acpi_parse_fadt(const uint8_t *t, uint32_t len, struct acpi_platform *p, uint64_t *dsdt)
{
	if (len < 116)		/* the ACPI 1.0 FADT */
		return -EINVAL;
	*dsdt = get_unaligned_le32(t + 40);
	p->sci_irq = get_unaligned_le16(t + 46);
	p->smi_cmd = get_unaligned_le32(t + 48);
	p->acpi_enable = t[52];
	p->pm1a_cnt = port_or_zero(get_unaligned_le32(t + 64));
	p->pm1b_cnt = port_or_zero(get_unaligned_le32(t + 68));
	p->century = t[108] < 0x80 ? t[108] : 0;
	p->boot_arch = t[8] >= 2 ? get_unaligned_le16(t + 109) : 0;	/* revision: reserved before 2 */
	p->fadt_flags = get_unaligned_le32(t + 112);
	/* ACPI 2.0+: the 64-bit fields win when they are set. */
	if (len >= 148 && get_unaligned_le64(t + 140))
		*dsdt = get_unaligned_le64(t + 140);
	if (len >= 184 && gas_io_port(t + 172))
		p->pm1a_cnt = gas_io_port(t + 172);
	if (len >= 196 && gas_io_port(t + 184))
		p->pm1b_cnt = gas_io_port(t + 184);
	p->has_fadt = true;
	return 0;
}

/* ZeroOp, OneOp, or a byte/word constant; advances *pos. */
static int aml_small_int(const uint8_t *p, size_t len, size_t *pos, uint8_t *out)
{
	size_t i = *pos;

	if (i >= len)
		return -EINVAL;
	switch (p[i]) {
	case AML_ZERO:
	case AML_ONE:
		*out = p[i];
		*pos = i + 1;
		return 0;
	case AML_BYTE_PREFIX:
		if (len - i < 2)
			return -EINVAL;
		*out = p[i + 1];
		*pos = i + 2;
		return 0;
	case AML_WORD_PREFIX:
		if (len - i < 3)
			return -EINVAL;
		*out = p[i + 1];
		*pos = i + 3;
		return 0;
	default:
		return -EINVAL;
	}
}

/* PackageOp PkgLength NumElements SLP_TYPa SLP_TYPb ... */
static int s5_package(const uint8_t *p, size_t len, uint8_t *a, uint8_t *b)
{
	size_t pos = 1;
	uint8_t count;

	if (len < 3 || p[0] != AML_PACKAGE)
		return -EINVAL;
	pos += 1 + (p[1] >> 6);		/* PkgLength: bits 7-6 count extra bytes */
	if (pos >= len)
		return -EINVAL;
	count = p[pos++];
	if (count < 1 || aml_small_int(p, len, &pos, a))
		return -EINVAL;
	*b = *a;
	if (count >= 2 && aml_small_int(p, len, &pos, b))
		return -EINVAL;
	*a &= 7;	/* SLP_TYP is a 3-bit field */
	*b &= 7;
	return 0;
}

int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
	for (size_t i = 1; i + 4 <= len; i++) {
		bool named = aml[i - 1] == AML_NAME ||
			     (i >= 2 && aml[i - 1] == AML_ROOT && aml[i - 2] == AML_NAME);

		if (!named || memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		if (s5_package(aml + i + 4, len - i - 4, slp_typa, slp_typb) == 0)
			return 0;
	}
	return -ENOENT;
}

/* ---- Finding and validating tables ---- */

bool acpi_rsdp_valid(const uint8_t *p, size_t avail)
{
	return avail >= 20 && memcmp(p, "RSD PTR ", 8) == 0 && acpi_checksum_ok(p, 20);
}

/* The XSDT address, when the RSDP is 2.0+ and its extended checksum holds. */
static uint64_t rsdp_xsdt(const uint8_t *p, size_t avail)
{
	uint32_t len;

	if (p[15] < 2 || avail < 36)
		return 0;
	len = get_unaligned_le32(p + 20);
	if (len < 36 || len > avail || !acpi_checksum_ok(p, len)) {
		pr_warn("ACPI: RSDP extended checksum or length bad, using the RSDT\n");
		return 0;
	}
	return get_unaligned_le64(p + 24);
}

static uint64_t rsdp_scan(uint64_t start, uint64_t len)
{
	for (uint64_t pa = start; pa + 20 <= start + len; pa += 16)
		if (acpi_rsdp_valid(phys_to_virt(pa), start + len - pa))
			return pa;
	return 0;
}

/*
 * The RSDP, copied.  A loader's RSDP may be a copy inside its own data
 * (multiboot2 passes one), in RAM the frame allocator hands out before
 * acpi_init runs: arch_boot_main saves it first.
 */
static uint8_t rsdp_buf[36];
static uint64_t loader_rsdp_phys;

void acpi_save_loader_rsdp(void)
{
	uint64_t pa = boot_get_info()->rsdp_phys;
	const uint8_t *p = pa ? acpi_map(pa, sizeof(rsdp_buf)) : NULL;

	if (!p)
		return;
	memcpy(rsdp_buf, p, sizeof(rsdp_buf));
	loader_rsdp_phys = pa;
}

/* The loader's RSDP if it is good, else the EBDA's, else the BIOS area's. */
static uint64_t rsdp_locate(void)
{
	uint64_t pa, ebda;

	if (loader_rsdp_phys) {
		if (acpi_rsdp_valid(rsdp_buf, sizeof(rsdp_buf)))
			return loader_rsdp_phys;
		pr_warn("ACPI: the loader's RSDP at 0x%lx is not valid, scanning\n",
			loader_rsdp_phys);
	}
	ebda = (uint64_t)get_unaligned_le16(phys_to_virt(0x40e)) << 4;
	pa = ebda >= 0x80000 && ebda < 0xa0000 ? rsdp_scan(ebda, KiB(1)) : 0;
	if (!pa)
		pa = rsdp_scan(0xe0000, 0x20000);
	if (pa)
		memcpy(rsdp_buf, phys_to_virt(pa), sizeof(rsdp_buf));
	return pa;
}

static void reject(uint64_t phys, const char *why)
{
	platform.nr_rejected++;
	pr_warn("ACPI: table at 0x%lx ignored: %s\n", phys, why);
}

/* Map a table and check its length and checksum; NULL when unusable. */
static const uint8_t *table_get(uint64_t phys, uint32_t *len_out)
{
	const uint8_t *h = acpi_map(phys, ACPI_HDR_LEN), *t;
	uint32_t len;

	if (!h) {
		pr_warn("ACPI: table at 0x%lx is above 4 GiB, skipped for now\n", phys);
		return NULL;
	}
	len = get_unaligned_le32(h + 4);
	if (len < ACPI_HDR_LEN || len > ACPI_MAX_TABLE_LEN) {
		reject(phys, "impossible length");
		return NULL;
	}
	t = acpi_map(phys, len);
	if (!t) {
		pr_warn("ACPI: table at 0x%lx ends above 4 GiB, skipped for now\n", phys);
		return NULL;
	}
	if (!acpi_checksum_ok(t, len)) {
		reject(phys, "bad checksum");
		return NULL;
	}
	*len_out = len;
	return t;
}

static void table_record(const uint8_t *t, uint64_t phys, uint32_t len)
{
	struct acpi_table_ref *ref;
	char sig[5], oem[7];

	sig_copy(sig, t);
	for (int i = 0; i < 6; i++)
		oem[i] = t[10 + i] >= 0x20 && t[10 + i] < 0x7f ? (char)t[10 + i] : ' ';
	oem[6] = 0;
	pr_info("ACPI: %s 0x%016lx %06x (v%02u %s)\n", sig, phys, len, t[8], oem);
	if (platform.nr_tables == ACPI_MAX_TABLES)
		return;
	ref = &platform.tables[platform.nr_tables++];
	memcpy(ref->sig, sig, sizeof(ref->sig));
	ref->phys = phys;
	ref->len = len;
}

static void parse_dsdt(uint64_t phys)
{
	uint32_t len;
	const uint8_t *t;

	if (!phys)
		return;
	t = table_get(phys, &len);
	if (!t)
		return;
	if (memcmp(t, "DSDT", 4) != 0) {
		reject(phys, "FADT's DSDT pointer does not point to a DSDT");
		return;
	}
	table_record(t, phys, len);
	if (acpi_find_s5(t + ACPI_HDR_LEN, len - ACPI_HDR_LEN, &platform.slp_typa,
			 &platform.slp_typb) == 0)
		platform.has_s5 = true;
	else
		pr_warn("ACPI: no \\_S5 package in the DSDT: cannot power off through ACPI\n");
}

static void parse_table(const uint8_t *t, uint64_t phys, uint32_t len)
{
	uint64_t dsdt = 0;
	int err = 0;

	if (memcmp(t, "APIC", 4) == 0 && !platform.has_madt)
		err = acpi_parse_madt(t, len, &platform);
	else if (memcmp(t, "MCFG", 4) == 0 && !platform.nr_mcfg)
		err = acpi_parse_mcfg(t, len, &platform);
	else if (memcmp(t, "HPET", 4) == 0 && !platform.has_hpet)
		err = acpi_parse_hpet(t, len, &platform);
	else if (memcmp(t, "FACP", 4) == 0 && !platform.has_fadt) {
		err = acpi_parse_fadt(t, len, &platform, &dsdt);
		if (!err)
			parse_dsdt(dsdt);
	}
	if (err)
		reject(phys, "malformed contents (kept what came before the error)");
}

static void walk_root(uint64_t root, unsigned int entry_size)
{
	uint32_t len;
	const uint8_t *t = table_get(root, &len);

	if (!t)
		return;
	table_record(t, root, len);
	for (uint32_t off = ACPI_HDR_LEN; off + entry_size <= len; off += entry_size) {
		uint64_t phys = entry_size == 8 ? get_unaligned_le64(t + off) : get_unaligned_le32(t + off);
		uint32_t tlen;
		const uint8_t *tab;

		if (!phys)
			continue;
		tab = table_get(phys, &tlen);
		if (!tab)
			continue;
		table_record(tab, phys, tlen);
		parse_table(tab, phys, tlen);
	}
}

void acpi_init(void)
{
	uint64_t rsdp = rsdp_locate(), xsdt;
	const uint8_t *p;

	if (!rsdp) {
		pr_warn("ACPI: no RSDP found: using PC defaults\n");
		return;
	}
	p = rsdp_buf;
	platform.found = true;
	platform.rsdp_phys = rsdp;
	platform.revision = p[15];
	for (int i = 0; i < 6; i++)
		platform.oem_id[i] = p[9 + i] >= 0x20 && p[9 + i] < 0x7f ? (char)p[9 + i] : ' ';
	pr_info("ACPI: RSDP 0x%016lx (v%02u %s)\n", rsdp, platform.revision, platform.oem_id);
	xsdt = rsdp_xsdt(p, sizeof(rsdp_buf));	/* a 2.0+ RSDP is 36 bytes */
	platform.xsdt = xsdt != 0;
	if (xsdt)
		walk_root(xsdt, 8);
	else
		walk_root(get_unaligned_le32(p + 16), 4);
	if (platform.has_madt)
		pr_info("ACPI: MADT: %u CPUs, %u IOAPICs, %u overrides\n", platform.nr_cpus,
			platform.nr_ioapics, platform.nr_overrides);
	if (platform.has_fadt)
		pr_info("ACPI: PM1a control 0x%x, SCI IRQ %u, S5 SLP_TYP %s%u/%u\n",
			platform.pm1a_cnt, platform.sci_irq, platform.has_s5 ? "" : "(none) ",
			platform.slp_typa, platform.slp_typb);
}

uint32_t acpi_isa_to_gsi(unsigned int isa_irq, uint16_t *flags)
{
	for (unsigned int i = 0; i < platform.nr_overrides; i++) {
		if (platform.overrides[i].isa_irq == isa_irq) {
			*flags = platform.overrides[i].flags;
			return platform.overrides[i].gsi;
		}
	}
	*flags = 0;
	return isa_irq;
}

/* ---- The public summary (aster/acpi.h) ---- */

void acpi_get_summary(struct acpi_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->present = platform.found;
	out->revision = platform.revision;
	memcpy(out->oem_id, platform.oem_id, sizeof(out->oem_id));
	out->nr_tables = platform.nr_tables;
	out->nr_cpus = platform.nr_cpus;
	out->nr_ioapics = platform.nr_ioapics;
	out->has_hpet = platform.has_hpet;
	out->has_mcfg = platform.nr_mcfg > 0;
	out->can_poweroff = platform.has_fadt && platform.has_s5 && platform.pm1a_cnt;
}

bool acpi_has_table(const char *sig)
{
	if (strnlen(sig, 5) != 4)
		return false;
	for (unsigned int i = 0; i < platform.nr_tables; i++)
		if (memcmp(platform.tables[i].sig, sig, 4) == 0)
			return true;
	return false;
}
