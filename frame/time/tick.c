// SPDX-License-Identifier: MPL-2.0
// The periodic tick and the soft-lockup watchdog: a CPU that stays busy in
// the kernel for 2 x watchdog_thresh seconds without touching the watchdog
// (idle, user mode or the scheduler do) is reported and panics, as Linux's
// softlockup detector does.
#include <aster/cmdline.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include "../internal.h"

#define NSEC_PER_SEC	1000000000ULL

static uint64_t watchdog_thresh_s = 10;
static uint64_t watchdog_touched_ns;
static uint64_t jiffies;

static int set_watchdog_thresh(const char *v)
{
	uint64_t n;

	if (!v || parse_u64(v, &n) || n > 60)
		return -1;
	watchdog_thresh_s = n;
	return 0;
}
BOOT_PARAM("watchdog_thresh", set_watchdog_thresh);

void watchdog_touch(void)
{
	watchdog_touched_ns = clock_monotonic_ns();
}

static __noreturn void soft_lockup(const struct trap_frame *tf, uint64_t stuck_ns)
{
	if (!panic_begin())
		panic_finish();
	if (ktest_current())
		printk(LOG_EMERG, "ktest: FAIL %s: soft lockup\n", ktest_current());
	printk(LOG_EMERG, "watchdog: BUG: soft lockup - CPU#0 stuck for %lus!\n",
	       (unsigned long)(stuck_ns / NSEC_PER_SEC));
	arch_dump_frame(tf);
	arch_backtrace(tf);
	printk(LOG_EMERG, "Kernel panic - not syncing: softlockup: hung tasks\n");
	panic_finish();
}

uint64_t tick_count(void)
{
	return jiffies;
}

void timer_tick(const struct trap_frame *tf, bool busy_in_kernel, bool from_user)
{
	uint64_t now = clock_monotonic_ns();

	jiffies++;
	vvar_tick(now);
	sched_tick(now, from_user);
	if (!busy_in_kernel || watchdog_thresh_s == 0 || watchdog_touched_ns == 0) {
		watchdog_touched_ns = now;
		return;
	}
	if (now - watchdog_touched_ns > 2 * watchdog_thresh_s * NSEC_PER_SEC)
		soft_lockup(tf, now - watchdog_touched_ns);
}

KTEST(time_monotonic_advances)
{
	uint64_t a = clock_monotonic_ns(), b;

	for (int i = 0; i < 1000; i++) {
		b = clock_monotonic_ns();
		KT_ASSERT(b >= a);
		a = b;
	}
}

KTEST(time_delay_accuracy)
{
	uint64_t start = clock_monotonic_ns(), elapsed;

	arch_delay_ms(50);
	elapsed = clock_monotonic_ns() - start;
	/* TCG runs slowly and unevenly: allow 50 ms -0/+100%. */
	KT_EXPECT(elapsed >= 50000000ULL);
	KT_EXPECT(elapsed < 100000000ULL);
}

KTEST(irq_timer_ticks_delivered)
{
	uint64_t start = tick_count();

	/* 100 ms with interrupts on: about 10 ticks at 100 Hz. */
	arch_delay_ms(100);
	KT_EXPECT(tick_count() - start >= 5);
	KT_EXPECT(tick_count() - start <= 20);
}
