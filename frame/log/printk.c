// SPDX-License-Identifier: MPL-2.0
// printk: format, keep in the ring, and echo to the console by level.
#include <aster/cmdline.h>
#include <aster/format.h>
#include <aster/log.h>
#include <aster/string.h>
#include "../internal.h"

#define LOG_RING_SIZE	(64 * 1024)
#define LINE_MAX	512

static char ring[LOG_RING_SIZE];
static size_t ring_head;	/* total bytes ever written */
static int console_level = 7;	/* Linux's default: show levels 0-6 */

int log_console_level(void)
{
	return console_level;
}

static int set_loglevel(const char *v)
{
	int64_t n;

	if (!v || parse_i64(v, &n) || n < 0 || n > 15)
		return -1;
	console_level = (int)n;
	return 0;
}
BOOT_PARAM("loglevel", set_loglevel);

static int set_quiet(const char *v)
{
	(void)v;
	console_level = 4;
	return 0;
}
BOOT_PARAM("quiet", set_quiet);

static int set_debug(const char *v)
{
	(void)v;
	console_level = 10;
	return 0;
}
BOOT_PARAM("debug", set_debug);

/* ttyS0 is the only console there is; accept what Linux users write. */
static int set_console(const char *v)
{
	return v ? 0 : -1;
}
BOOT_PARAM("console", set_console);

static void ring_append(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ring[(ring_head + i) % LOG_RING_SIZE] = s[i];
	ring_head += n;
}

size_t log_read_ring(char *buf, size_t size)
{
	uint64_t flags = arch_irq_save();
	size_t avail = MIN(ring_head, (size_t)LOG_RING_SIZE), n = MIN(avail, size);
	size_t start = ring_head - avail;

	for (size_t i = 0; i < n; i++)
		buf[i] = ring[(start + i) % LOG_RING_SIZE];
	arch_irq_restore(flags);
	return n;
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	char line[LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = n < 0 ? 0 : MIN((size_t)n, sizeof(line) - 1);
	uint64_t flags = arch_irq_save();

	ring_append(line, len);
	if ((int)level < console_level)
		arch_console_write(line, len);
	arch_irq_restore(flags);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}
