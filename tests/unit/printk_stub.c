// SPDX-License-Identifier: MPL-2.0
// The kernel log on the host: lines go to stderr (the test's .log file,
// outside the TAP stream) and are counted, so a test can check that an
// error path logged something (printk_stub_count).
#include <stdarg.h>
#include <stdio.h>
#include <aster/log.h>

unsigned long printk_stub_count;

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	printk_stub_count++;
	fprintf(stderr, "<%d>", (int)level);
	vfprintf(stderr, fmt, ap);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}
