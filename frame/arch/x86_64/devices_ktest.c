// SPDX-License-Identifier: MPL-2.0
// ktests of the x86-64 platform devices: interrupts through the IOAPIC from
// the PIT (ISA IRQ 0, moved to GSI 2 by the MADT) and the RTC (IRQ 8), the
// CMOS clock, the HPET, and port/MMIO claims with their bounds checks.
#include <aster/errno.h>
#include <aster/io.h>
#include <aster/irq.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/timer.h>
#include <aster/wait.h>
#include "../../internal.h"
#include "../../irq/irq_internal.h"
#include "acpi_internal.h"
#include "cpu.h"
#include "devices.h"
#include "rtc.h"

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182

static enum irq_return count_irq(void *arg)
{
	__atomic_add_fetch((volatile uint32_t *)arg, 1, __ATOMIC_RELAXED);
	return IRQ_HANDLED;
}

static void pit_periodic(uint32_t hz)
{
	uint16_t count = (uint16_t)(PIT_HZ / hz);

	outb(PIT_CMD, 0x34);		/* channel 0, lo/hi byte, mode 2 (rate generator) */
	outb(PIT_CH0, (uint8_t)count);
	outb(PIT_CH0, (uint8_t)(count >> 8));
}

static void pit_stop(void)
{
	outb(PIT_CMD, 0x30);		/* mode 0 without a count: no more edges */
}

KTEST(ioapic_pit_irq0_via_override_to_gsi2)
{
	struct irq_line *line = irq_line_for_isa(0);
	volatile uint32_t count = 0;
	struct irq_handle *h;
	uint32_t seen;

	KT_ASSERT(line);
	KT_EXPECT(irq_line_gsi(line) == 2);
	KT_EXPECT(irq_line_for_isa(0) == line);		/* same source, same line */
	KT_EXPECT(irq_line_for_gsi(2) == line);
	KT_EXPECT(irq_line_for_isa(2) == NULL);		/* pin 2 is IRQ 0's now */
	KT_EXPECT(irq_line_for_isa(16) == NULL);
	h = irq_register(line, count_irq, (void *)&count);
	KT_ASSERT(h);
	pit_periodic(1000);
	task_sleep_ns(100 * NSEC_PER_MSEC);
	seen = count;
	pr_info("ktest: PIT at 1 kHz: %u interrupts in 100 ms\n", seen);
	/* 100 expected at 1 kHz; TCG may run slow or coalesce, but not by 3x. */
	/* About 100 expected; TCG under load coalesces PIT ticks. */
	KT_EXPECT(seen >= 5);
	KT_EXPECT(seen <= 1000);
	KT_EXPECT(irq_line_count(line) >= seen);
	/* Unregistering the last handler masks the pin (one may be in flight). */
	irq_unregister(h);
	seen = (uint32_t)irq_line_count(line);
	task_sleep_ns(30 * NSEC_PER_MSEC);
	KT_EXPECT(irq_line_count(line) <= seen + 1);
	pit_stop();
}

#define RTC_STATUS_A	0x0a
#define RTC_STATUS_B	0x0b
#define RTC_STATUS_C	0x0c
#define RTC_PIE		0x40

static enum irq_return rtc_irq(void *arg)
{
	/* Reading status C acknowledges the RTC; without it no second interrupt comes. */
	if (!(cmos_read(RTC_STATUS_C) & 0x40))
		return IRQ_NONE;
	return count_irq(arg);
}

KTEST(ioapic_rtc_periodic_irq8)
{
	struct irq_line *line = irq_line_for_isa(8);
	volatile uint32_t count = 0;
	uint8_t a = cmos_read(RTC_STATUS_A), b = cmos_read(RTC_STATUS_B);
	struct irq_handle *h;
	uint32_t seen;
	uint64_t t0, ms;

	KT_ASSERT(line);
	KT_EXPECT(irq_line_gsi(line) == 8);
	h = irq_register(line, rtc_irq, (void *)&count);
	KT_ASSERT(h);
	cmos_write(RTC_STATUS_A, (a & 0xf0) | 0x09);	/* rate 9: 32768 >> 8 = 128 Hz */
	(void)cmos_read(RTC_STATUS_C);
	cmos_write(RTC_STATUS_B, b | RTC_PIE);
	t0 = clock_monotonic_ns();
	task_sleep_ns(200 * NSEC_PER_MSEC);
	cmos_write(RTC_STATUS_B, b & ~RTC_PIE);
	seen = count;
	/*
	 * About 25 in 200 ms; but under TCG on a loaded host the sleep can
	 * last far longer, so the ceiling follows the time that really went by.
	 */
	ms = (clock_monotonic_ns() - t0) / NSEC_PER_MSEC;
	pr_info("ktest: RTC at 128 Hz: %u interrupts in %llu ms\n", seen, (unsigned long long)ms);
	KT_EXPECT(seen >= 8);
	KT_EXPECT(seen <= ms * 128 / 1000 * 2 + 10);
	irq_unregister(h);
	cmos_write(RTC_STATUS_A, a);
	(void)cmos_read(RTC_STATUS_C);
}

KTEST(rtc_date_plausible_and_wall_clock)
{
	struct rtc_time t, boot;
	uint64_t rtc_s, wall_s;

	KT_ASSERT(rtc_read_time(&t) == 0);
	KT_EXPECT(t.year >= 2024 && t.year < 2200);
	KT_EXPECT(rtc_boot_time(&boot));
	KT_EXPECT(boot.year >= 2024);
	rtc_s = rtc_time_to_unix(&t);
	wall_s = clock_realtime_ns() / NSEC_PER_SEC;
	KT_EXPECT(wall_s >= 1704067200);		/* 2024-01-01 */
	/* The wall clock runs on the TSC since boot; under TCG allow drift. */
	KT_EXPECT(wall_s + 5 >= rtc_s && wall_s <= rtc_s + 5);
}

KTEST(rtc_date_conversion)
{
	struct rtc_time t = { 1970, 1, 1, 0, 0, 0 };

	KT_EXPECT(rtc_time_to_unix(&t) == 0);
	t = (struct rtc_time){ 2000, 3, 1, 0, 0, 0 };
	KT_EXPECT(rtc_time_to_unix(&t) == 951868800);
	t = (struct rtc_time){ 2024, 2, 29, 12, 34, 56 };
	KT_EXPECT(rtc_time_to_unix(&t) == 1709210096);
	t = (struct rtc_time){ 2099, 12, 31, 23, 59, 59 };
	KT_EXPECT(rtc_time_to_unix(&t) == 4102444799ULL);
	t.hour = 24;
	KT_EXPECT(!rtc_time_valid(&t));
	t = (struct rtc_time){ 2024, 13, 1, 0, 0, 0 };
	KT_EXPECT(!rtc_time_valid(&t));
}

KTEST(rtc_decode_bcd_binary_12h)
{
	struct rtc_time t;
	/* 2025-07-04 13:05:09 as BCD, 24-hour. */
	struct rtc_raw bcd = { 0x09, 0x05, 0x13, 0x04, 0x07, 0x25, 0x20 };
	/* The same in binary, 12-hour: 1 PM. */
	struct rtc_raw bin12 = { 9, 5, 0x80 | 1, 4, 7, 25, 20 };

	rtc_decode(&bcd, 0x02, true, &t);
	KT_EXPECT(t.year == 2025 && t.mon == 7 && t.day == 4);
	KT_EXPECT(t.hour == 13 && t.min == 5 && t.sec == 9);
	rtc_decode(&bin12, 0x04, true, &t);
	KT_EXPECT(t.year == 2025 && t.hour == 13 && t.min == 5 && t.sec == 9);
	/* 12 AM is midnight, 12 PM is noon (BCD 12-hour). */
	bcd.hour = 0x12;
	rtc_decode(&bcd, 0x00, false, &t);
	KT_EXPECT(t.hour == 0 && t.year == 2025);
	bcd.hour = 0x80 | 0x12;
	rtc_decode(&bcd, 0x00, false, &t);
	KT_EXPECT(t.hour == 12);
}

/* One interval measured on both clocks: whether they agree within 2x. */
static bool hpet_tsc_agree_once(void)
{
	uint64_t h0, m0, dh, dm;

	h0 = hpet_read_ns();
	m0 = clock_monotonic_ns();
	arch_delay_ms(50);
	dh = hpet_read_ns() - h0;
	dm = clock_monotonic_ns() - m0;
	pr_info("ktest: HPET %llu ns, TSC clock %llu ns\n", (unsigned long long)dh, (unsigned long long)dm);
	return dh > 0 && dh * 2 >= dm && dh <= dm * 2;
}

KTEST(hpet_detected_and_agrees_with_tsc)
{
	bool agree = false;

	KT_ASSERT(hpet_present());
	/*
	 * Two clocks, one interval.  TCG on a loaded host can stop the vCPU
	 * between the two reads at either end, which stretches one interval
	 * and not the other: a few tries, and one agreement is enough.
	 */
	for (int i = 0; i < 5 && !agree; i++)
		agree = hpet_tsc_agree_once();
	KT_EXPECT(agree);
}

#define HPET_STATUS		0x020
#define HPET_COUNTER		0x0f0
#define HPET_T0_CONFIG		0x100
#define HPET_T0_COMPARATOR	0x108
#define HPET_TN_LEVEL		(1UL << 1)
#define HPET_TN_ENABLE		(1UL << 2)
#define HPET_TN_32BIT		(1UL << 8)
#define HPET_TN_ROUTE_SHIFT	9

static volatile uint64_t *hpet_regs(void)
{
	return phys_to_virt(acpi_platform()->hpet_addr);
}

static enum irq_return hpet_level_irq(void *arg)
{
	volatile uint64_t *h = hpet_regs();

	if (!(h[HPET_STATUS / 8] & 1))
		return IRQ_NONE;
	h[HPET_T0_CONFIG / 8] &= ~HPET_TN_ENABLE;	/* one-shot: stop it */
	h[HPET_STATUS / 8] = 1;				/* write 1 to clear: deasserts */
	return count_irq(arg);
}

/*
 * A level-triggered IOAPIC input above the ISA range (where PCI INTx lives),
 * driven by HPET timer 0: the handler must acknowledge the source before
 * the EOI, or the interrupt would come straight back.
 */
KTEST(ioapic_level_triggered_gsi_from_hpet)
{
	volatile uint64_t *h = hpet_regs();
	uint32_t routes, gsi = 0;
	volatile uint32_t count = 0;
	struct irq_line *line;
	struct irq_handle *hd;
	uint64_t saved;

	KT_ASSERT(hpet_present());
	saved = h[HPET_T0_CONFIG / 8];
	routes = (uint32_t)(saved >> 32);
	for (uint32_t g = 23; g >= 16 && !gsi; g--)
		if ((routes & (1U << g)) && ioapic_has_gsi(g))
			gsi = g;
	if (!gsi) {
		pr_info("ktest: HPET timer 0 cannot reach GSI 16-23 (routes 0x%x): skipped\n", routes);
		return;
	}
	line = irq_line_for_gsi(gsi);
	KT_ASSERT(line);
	KT_EXPECT(irq_line_gsi(line) == gsi);
	hd = irq_register(line, hpet_level_irq, (void *)&count);
	KT_ASSERT(hd);
	for (uint32_t i = 1; i <= 3; i++) {
		h[HPET_T0_CONFIG / 8] = (saved & ~(0x1fUL << HPET_TN_ROUTE_SHIFT)) | HPET_TN_LEVEL |
					 HPET_TN_ENABLE | (uint64_t)gsi << HPET_TN_ROUTE_SHIFT;
		h[HPET_T0_COMPARATOR / 8] = h[HPET_COUNTER / 8] + 100000;	/* ~1 ms */
		task_sleep_ns(20 * NSEC_PER_MSEC);
		KT_EXPECT(count == i);	/* exactly one per expiry: no level storm */
	}
	irq_unregister(hd);
	h[HPET_T0_CONFIG / 8] = saved & ~HPET_TN_ENABLE;
	h[HPET_STATUS / 8] = 1;
}

KTEST(io_port_claims_conflict_and_bounds)
{
	struct io_port_region *r, *r2;
	static const uint16_t frame_ports[] = { 0x20, 0x40, 0x43, 0x61, 0x70, 0xa1, 0xf4, 0x3f8,
						0xcf8, 0xcf9, 0xcfc, 0x604 };

	for (unsigned int i = 0; i < ARRAY_SIZE(frame_ports); i++)
		KT_EXPECT(io_port_claim(frame_ports[i], 1, &r) == -EBUSY);
	KT_EXPECT(io_port_claim(0x3f0, 16, &r) == -EBUSY);	/* overlaps COM1's end */
	KT_EXPECT(io_port_claim(0x80, 0, &r) == -EINVAL);
	KT_EXPECT(io_port_claim(0xffff, 2, &r) == -EINVAL);
	KT_ASSERT(io_port_claim(0x80, 1, &r) == 0);		/* the POST port: harmless */
	KT_EXPECT(io_port_len(r) == 1);
	KT_EXPECT(io_port_claim(0x7f, 2, &r2) == -EBUSY);
	KT_EXPECT(io_write8(r, 0, 0x42) == 0);
	/* Out of bounds: refused, counted, and nothing reaches the port. */
	KT_EXPECT(io_write8(r, 1, 0) == -EINVAL);
	KT_EXPECT(io_write16(r, 0, 0) == -EINVAL);
	KT_EXPECT(io_write32(r, 0xffffffff, 0) == -EINVAL);
	KT_EXPECT(io_read8(r, 1) == 0xff);
	KT_EXPECT(io_read16(r, 0) == 0xffff);
	KT_EXPECT(io_read32(r, 0) == 0xffffffff);
	KT_EXPECT(io_port_rejected(r) == 6);
	KT_EXPECT(io_read8(NULL, 0) == 0xff);
	KT_EXPECT(io_write8(NULL, 0, 0) == -EINVAL);
	io_port_release(r);
	/* A stale handle is refused, and the range can be claimed again. */
	KT_EXPECT(io_write8(r, 0, 0) == -EINVAL);
	KT_ASSERT(io_port_claim(0x7f, 2, &r2) == 0);
	io_port_release(r2);
}

KTEST(mmio_map_refuses_ram_and_frame_ranges)
{
	extern char __image_start_phys[];
	struct mmio_region *m;
	uint64_t ecam = acpi_platform()->nr_mcfg ? acpi_platform()->mcfg[0].base : 0;

	KT_EXPECT(mmio_map(0x200000, 0x1000, &m) == -EPERM);		/* usable RAM */
	KT_EXPECT(mmio_map((uint64_t)__image_start_phys, 0x1000, &m) == -EPERM);
	KT_EXPECT(mmio_map(0x0, 0x2000, &m) == -EPERM);		/* low RAM */
	KT_EXPECT(mmio_map(0xfee00000, 0x1000, &m) == -EBUSY);	/* local APIC */
	KT_EXPECT(mmio_map(0xfec00000, 0x10, &m) == -EBUSY);		/* IOAPIC */
	KT_EXPECT(mmio_map(0xfed00000, 0x400, &m) == -EBUSY);		/* HPET */
	if (ecam)
		KT_EXPECT(mmio_map(ecam + 0x1000, 0x1000, &m) == -EBUSY);
	KT_EXPECT(mmio_map(0x100000000ULL, 0x1000, &m) == -ENOTSUP);
	KT_EXPECT(mmio_map(0xfffff000, 0x2000, &m) == -ENOTSUP);
	KT_EXPECT(mmio_map(0xf0000, 0, &m) == -EINVAL);
	KT_EXPECT(mmio_map(~0ULL - 10, 100, &m) == -EINVAL);
}

KTEST(mmio_bounds_and_alignment)
{
	struct mmio_region *m, *m2;
	char sig[9] = { 0 };
	bool found = false;

	/* The BIOS area is firmware, not RAM: map it and find the RSDP in it. */
	KT_ASSERT(mmio_map(0xe0000, 0x20000, &m) == 0);
	KT_EXPECT(mmio_len(m) == 0x20000);
	KT_EXPECT(mmio_map(0xf0000, 0x10, &m2) == -EBUSY);
	for (uint64_t off = 0; off < 0x20000 && !found; off += 16) {
		for (int i = 0; i < 8; i++)
			sig[i] = (char)mmio_read8(m, off + i);
		found = memcmp(sig, "RSD PTR ", 8) == 0;
	}
	KT_EXPECT(found);
	(void)mmio_read64(m, 0x1fff8);				/* last qword: in bounds */
	KT_EXPECT(mmio_rejected(m) == 0);
	KT_EXPECT(mmio_read32(m, 0x20000) == 0xffffffff);	/* past the end */
	KT_EXPECT(mmio_read64(m, 0x1fffc) == ~0ULL);		/* straddles the end */
	KT_EXPECT(mmio_read32(m, 2) == 0xffffffff);		/* misaligned */
	KT_EXPECT(mmio_read16(m, 1) == 0xffff);
	KT_EXPECT(mmio_write32(m, 0x20000, 0) == -EINVAL);
	KT_EXPECT(mmio_write64(m, 4, 0) == -EINVAL);
	KT_EXPECT(mmio_read8(m, ~0ULL) == 0xff);
	KT_EXPECT(mmio_rejected(m) == 7);
	mmio_unmap(m);
	KT_EXPECT(mmio_read8(m, 0) == 0xff);			/* stale handle */
	KT_EXPECT(mmio_read8(NULL, 0) == 0xff);
}
