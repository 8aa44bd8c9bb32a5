// SPDX-License-Identifier: MPL-2.0
// The TSC as the monotonic clock, calibrated against the PIT.
#include <aster/log.h>
#include "../../internal.h"
#include "cpu.h"

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61

static uint64_t tsc_per_ms;
static uint64_t tsc_at_boot;
static uint64_t ns_per_tsc_q32;	/* nanoseconds per TSC tick, 32.32 fixed point */

/* Busy-wait `ms` milliseconds (at most ~54) on PIT channel 2. */
static void pit_wait_ms(uint32_t ms)
{
	uint32_t count = PIT_HZ / 1000 * ms;
	uint8_t gate = (inb(PIT_GATE) & ~0x02) | 0x01;	/* speaker off, gate on */

	outb(PIT_GATE, gate & ~0x01);
	outb(PIT_CMD, 0xb0);				/* channel 2, lo/hi, mode 0 */
	outb(PIT_CH2, (uint8_t)count);
	outb(PIT_CH2, (uint8_t)(count >> 8));
	outb(PIT_GATE, gate);				/* start counting */
	for (uint64_t spins = 0; !(inb(PIT_GATE) & 0x20) && spins < 100000000; spins++)
		cpu_relax();
}

/* The TSC and the LAPIC timer against one 20 ms PIT wait (boot time: wait once). */
void tsc_calibrate(void)
{
	uint64_t t0;

	lapic_calibrate_begin();
	t0 = rdtsc();
	pit_wait_ms(20);
	tsc_per_ms = (rdtsc() - t0) / 20;
	lapic_calibrate_end(20);
	if (tsc_per_ms == 0)
		tsc_per_ms = 1000000;	/* a 1 GHz guess beats dividing by zero */
	ns_per_tsc_q32 = (1000000ULL << 32) / tsc_per_ms;
	tsc_at_boot = t0;
	vvar_set_tsc(tsc_at_boot, ns_per_tsc_q32);
}

uint64_t arch_clock_counter(void)
{
	return rdtsc();
}

uint64_t tsc_khz(void)
{
	return tsc_per_ms;
}

uint64_t clock_monotonic_ns(void)
{
	unsigned __int128 d = rdtsc() - tsc_at_boot;

	return (uint64_t)((d * ns_per_tsc_q32) >> 32);
}

void arch_delay_ms(uint64_t ms)
{
	if (!tsc_per_ms) {
		for (; ms > 50; ms -= 50)
			pit_wait_ms(50);
		pit_wait_ms((uint32_t)ms);
		return;
	}
	uint64_t end = rdtsc() + ms * tsc_per_ms;

	while (rdtsc() < end)
		cpu_relax();
}

/* Busy-wait `us` microseconds on the TSC (the INIT-SIPI-SIPI delays). */
void delay_us(uint64_t us)
{
	uint64_t end;

	if (!tsc_per_ms) {
		arch_delay_ms((us + 999) / 1000);
		return;
	}
	end = rdtsc() + (us * tsc_per_ms + 999) / 1000;
	while (rdtsc() < end)
		cpu_relax();
}
