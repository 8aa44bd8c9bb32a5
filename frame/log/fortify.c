// SPDX-License-Identifier: MPL-2.0
// The report of kernel/'s checked memcpy family (<aster/string.h>,
// ASTER_FORTIFY): a copy or fill larger than the object the compiler knows
// it touches.  Printed like the other run-time check reports, then panic().
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include "../internal.h"

__noreturn void fortify_panic(const char *fn, bool write, size_t n, size_t room,
			      const char *file, int line)
{
	arch_irq_save();
	printk(LOG_EMERG, "==================================================================\n");
	if (ktest_current())
		printk(LOG_EMERG, "ktest: FAIL %s: FORTIFY: %s overflow\n", ktest_current(), fn);
	printk(LOG_EMERG, "BUG: FORTIFY: %s: %zu-byte %s an object of %zu bytes at %s:%d\n", fn,
	       n, write ? "write into" : "read from", room, file, line);
	printk(LOG_EMERG, "==================================================================\n");
	panic("FORTIFY: %s buffer overflow", fn);
}
