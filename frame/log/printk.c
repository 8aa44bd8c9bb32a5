// SPDX-License-Identifier: MPL-2.0
// printk: format, keep in the ring, and echo to the console by level.
#include <aster/cmdline.h>
#include <aster/format.h>
#include <aster/log.h>
#include <aster/string.h>
#include "../internal.h"

#define LINE_MAX	512

static char ring[LOG_RING_SIZE];
static uint64_t ring_head;	/* total bytes ever written */
static bool ring_midline;	/* the last message did not end its line */
static int console_level = 7;	/* Linux's default: show levels 0-6 */

int log_console_level(void)
{
	return console_level;
}

void log_set_console_level(int level)
{
	console_level = level;
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

static void ring_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ring[(ring_head + i) % LOG_RING_SIZE] = s[i];
	ring_head += n;
}

/* Each line starts with its level and time, as Linux's syslog records do. */
static void ring_append(enum log_level level, const char *s, size_t n)
{
	char prefix[40];
	uint64_t ns = clock_monotonic_ns();

	while (n) {
		size_t len = 0;
		bool nl;

		while (len < n && s[len] != '\n')
			len++;
		nl = len < n;
		if (nl)
			len++;	/* the newline ends this record */

		if (!ring_midline) {
			int p = snprintf(prefix, sizeof(prefix), "<%d>[%5lu.%06lu] ", (int)level,
					 (unsigned long)(ns / 1000000000ULL),
					 (unsigned long)(ns % 1000000000ULL / 1000));

			ring_put(prefix, (size_t)p);
		}
		ring_put(s, len);
		ring_midline = !nl;
		s += len;
		n -= len;
	}
}

uint64_t log_ring_end(void)
{
	return __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE);
}

uint64_t log_ring_start(void)
{
	uint64_t end = log_ring_end();

	return end > LOG_RING_SIZE ? end - LOG_RING_SIZE : 0;
}

size_t log_ring_read(uint64_t *pos, char *buf, size_t size)
{
	uint64_t flags = arch_irq_save();
	uint64_t from = MAX(*pos, ring_head > LOG_RING_SIZE ? ring_head - LOG_RING_SIZE : 0);
	size_t n = (size_t)MIN((uint64_t)size, ring_head > from ? ring_head - from : 0);

	for (size_t i = 0; i < n; i++)
		buf[i] = ring[(from + i) % LOG_RING_SIZE];
	*pos = from + n;
	arch_irq_restore(flags);
	return n;
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	char line[LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = n < 0 ? 0 : MIN((size_t)n, sizeof(line) - 1);
	uint64_t flags = arch_irq_save();

	ring_append(level, line, len);
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
