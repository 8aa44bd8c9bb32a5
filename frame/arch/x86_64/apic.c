// SPDX-License-Identifier: MPL-2.0
// Local APIC: the periodic tick.  The legacy 8259 PICs are remapped out of
// the exception range and masked for good.
#include <aster/log.h>
#include "../../internal.h"
#include "cpu.h"
#include "devices.h"
#include "trap_frame.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_ENABLE	(1UL << 11)
#define LAPIC_ID		0x020
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_ICR_LOW		0x300
#define ICR_DELIVERY_PENDING	(1 << 12)
#define ICR_DEST_SELF		(1 << 18)
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_TIMER_INIT	0x380
#define LAPIC_TIMER_CUR		0x390
#define LAPIC_TIMER_DIV		0x3e0
#define LVT_MASKED		(1 << 16)
#define LVT_PERIODIC		(1 << 17)


static uint64_t lapic_base;	/* virtual address of the register page */
static uint64_t lapic_base_phys;

static uint32_t lapic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(lapic_base + reg);
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(lapic_base + reg) = v;
}

static void pic_disable(void)
{
	/* ICW1-4: cascade, vectors 32-47, then mask every line. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, VEC_IRQ_BASE);
	outb(0xa1, VEC_IRQ_BASE + 8);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void lapic_init(void)
{
	uint64_t msr = rdmsr(MSR_APIC_BASE);

	pic_disable();
	wrmsr(MSR_APIC_BASE, msr | APIC_BASE_ENABLE);
	lapic_base_phys = msr & 0xffffff000UL;
	lapic_base = (uint64_t)phys_to_virt(lapic_base_phys);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
}

/* This CPU's (xAPIC) id: the destination of IOAPIC entries and MSIs. */
uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

uint64_t lapic_phys(void)
{
	return lapic_base_phys;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* Interrupt this CPU with `vector` through the local APIC (tests, later IPIs). */
void lapic_self_ipi(uint8_t vector)
{
	for (int i = 0; i < 100000 && (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING); i++)
		cpu_relax();
	lapic_write(LAPIC_ICR_LOW, ICR_DEST_SELF | vector);
}

static uint32_t calib_ticks, calib_ms;

/* Count LAPIC timer ticks (divider 16), masked, from the maximum down. */
void lapic_calibrate_begin(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
}

void lapic_calibrate_end(uint32_t window_ms)
{
	calib_ticks = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	calib_ms = window_ms;
}

void timer_init(void)
{
	uint64_t per_tick = calib_ms ? (uint64_t)calib_ticks * 1000 / TICK_HZ / calib_ms : 0;

	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, VEC_LAPIC_TIMER | LVT_PERIODIC);
	lapic_write(LAPIC_TIMER_INIT, per_tick ? (uint32_t)per_tick : 1);
}
