// SPDX-License-Identifier: MPL-2.0
// panic() and the panic= policy.
#include <aster/cmdline.h>
#include <aster/format.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/power.h>
#include <aster/string.h>
#include "../internal.h"

static int64_t panic_timeout;
static bool panic_timeout_given;
static bool panicking;

static int set_panic(const char *v)
{
	if (!v || parse_i64(v, &panic_timeout))
		return -1;
	panic_timeout_given = true;
	return 0;
}
BOOT_PARAM("panic", set_panic);

bool panic_begin(void)
{
	arch_irq_save();
	if (panicking)
		return false;
	panicking = true;
	return true;
}

/*
 * panic=N>0: reboot after N seconds; N<0: at once; panic=0: stay halted as
 * Linux does.  Without panic=, leave QEMU through isa-debug-exit with the
 * failure code (a no-op on real hardware) and halt.
 */
__noreturn void panic_finish(void)
{
	arch_irq_save();
	if (panic_timeout_given && panic_timeout > 0) {
		printk(LOG_EMERG, "Rebooting in %ld seconds..\n", panic_timeout);
		arch_delay_ms((uint64_t)panic_timeout * 1000);
		machine_restart();
	}
	if (panic_timeout_given && panic_timeout < 0)
		machine_restart();
	printk(LOG_EMERG, "---[ end Kernel panic ]---\n");
	if (!panic_timeout_given)
		machine_debug_exit(false);
	machine_halt();
}

__noreturn void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!panic_begin())
		panic_finish();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ktest_current())
		printk(LOG_EMERG, "ktest: FAIL %s: panic\n", ktest_current());
	printk(LOG_EMERG, "Kernel panic - not syncing: %s\n", msg);
	arch_backtrace(NULL);
	panic_finish();
}
