// SPDX-License-Identifier: MPL-2.0
// The HPET: detected from ACPI, its main counter enabled and reported.  It
// is not an interrupt source here (the local APIC tick is); it serves as a
// second, fixed-frequency clock to check the TSC calibration against.
#include <aster/log.h>
#include "acpi_internal.h"
#include "cpu.h"
#include "devices.h"

#define HPET_MMIO_LEN		0x400
#define HPET_CAP		0x000
#define HPET_CONFIG		0x010
#define HPET_COUNTER		0x0f0
#define HPET_CAP_64BIT		(1UL << 13)
#define HPET_CONFIG_ENABLE	(1UL << 0)
#define HPET_CONFIG_LEGACY	(1UL << 1)	/* steals IRQ 0 and 8: keep it off */
#define HPET_MAX_PERIOD_FS	100000000UL	/* the spec's bound: 100 ns */
#define FS_PER_NS		1000000UL

static volatile uint64_t *hpet_regs;
static uint64_t period_fs;

static uint64_t hpet_read(unsigned int reg)
{
	return hpet_regs[reg / 8];
}

static void hpet_write(unsigned int reg, uint64_t v)
{
	hpet_regs[reg / 8] = v;
}

bool hpet_present(void)
{
	return hpet_regs != NULL;
}

uint64_t hpet_read_ns(void)
{
	uint64_t ticks;

	if (!hpet_regs)
		return 0;
	ticks = hpet_read(HPET_COUNTER);
	/* Split so nothing overflows: the period is at most 10^8 fs. */
	return ticks / FS_PER_NS * period_fs + ticks % FS_PER_NS * period_fs / FS_PER_NS;
}

void hpet_init(void)
{
	const struct acpi_platform *p = acpi_platform();
	uint64_t cap, cfg;

	if (!p->has_hpet) {
		pr_info("hpet: none\n");
		return;
	}
	if (p->hpet_addr >= DIRECT_MAP_BOOT_SIZE - HPET_MMIO_LEN || (p->hpet_addr & 0x7)) {
		pr_warn("hpet: address 0x%lx not usable yet\n", p->hpet_addr);
		return;
	}
	hpet_regs = phys_to_virt(p->hpet_addr);
	cap = hpet_read(HPET_CAP);
	period_fs = cap >> 32;
	if (period_fs == 0 || period_fs > HPET_MAX_PERIOD_FS) {
		pr_warn("hpet: bad counter period %lu fs, ignored\n", period_fs);
		hpet_regs = NULL;
		return;
	}
	cfg = hpet_read(HPET_CONFIG);
	hpet_write(HPET_CONFIG, (cfg & ~HPET_CONFIG_LEGACY) | HPET_CONFIG_ENABLE);
	mmio_reserve(p->hpet_addr, HPET_MMIO_LEN, "hpet");
	pr_info("hpet: %lu timers, %lu kHz, %s counter at 0x%lx\n", ((cap >> 8) & 0x1f) + 1,
		1000000000000UL / period_fs, cap & HPET_CAP_64BIT ? "64-bit" : "32-bit",
		p->hpet_addr);
}
