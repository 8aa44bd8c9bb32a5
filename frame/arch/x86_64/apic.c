// SPDX-License-Identifier: MPL-2.0
// Local APIC: the periodic tick and inter-processor interrupts.  The legacy
// 8259 PICs are remapped out of the exception range and masked for good.
// Every CPU reaches its own local APIC at the same address (xAPIC mode).
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
#define LAPIC_ESR		0x280
#define LAPIC_ICR_LOW		0x300
#define LAPIC_ICR_HIGH		0x310
#define ICR_DELIVERY_PENDING	(1 << 12)
#define ICR_DEST_SELF		(1 << 18)
#define ICR_SPIN_LIMIT		1000000
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_TIMER_INIT	0x380
#define LAPIC_TIMER_CUR		0x390
#define LAPIC_TIMER_DIV		0x3e0
#define LVT_MASKED		(1 << 16)
#define LVT_PERIODIC		(1 << 17)


static uint64_t lapic_base;	/* virtual address of the register page */
static uint64_t lapic_base_phys;
static uint32_t calib_ticks, calib_ms;

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

/* Wait for the previous ICR command to leave; false if it never does. */
static bool icr_idle(void)
{
	for (int i = 0; i < ICR_SPIN_LIMIT; i++) {
		if (!(lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING))
			return true;
		cpu_relax();
	}
	return false;
}

/* Interrupt this CPU with `vector` through the local APIC (tests). */
void lapic_self_ipi(uint8_t vector)
{
	icr_idle();
	lapic_write(LAPIC_ICR_LOW, ICR_DEST_SELF | vector);
}

/*
 * Send an ICR command (vector, delivery mode, level and trigger bits in
 * `low`) to one physical xAPIC id.  Interrupts must be off: the two ICR
 * writes are one command.  Returns false when the APIC did not accept it.
 */
bool lapic_send_icr(uint32_t apic_id, uint32_t low)
{
	if (apic_id > 0xfe || !icr_idle())
		return false;
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, low);
	return icr_idle();
}

/*
 * A CPU other than the boot CPU: enable its local APIC (the PICs are the
 * boot CPU's business) and set up its timer like the boot CPU's, but
 * masked: it has no tasks to tick for yet.
 */
void lapic_init_ap(void)
{
	uint64_t per_tick = calib_ms ? (uint64_t)calib_ticks * 1000 / TICK_HZ / calib_ms : 0;

	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, VEC_LAPIC_TIMER | LVT_PERIODIC | LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, per_tick ? (uint32_t)per_tick : 1);
}

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
