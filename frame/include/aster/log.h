/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Kernel log: printk with Linux's levels, kept in a ring buffer and written
 * to the console when the level is below the console log level (loglevel=,
 * quiet).  Safe to call with interrupts off and from interrupt handlers.
 */
#ifndef ASTER_LOG_H
#define ASTER_LOG_H

#include <aster/types.h>

enum log_level {
	LOG_EMERG, LOG_ALERT, LOG_CRIT, LOG_ERR,
	LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG,
};

void printk(enum log_level level, const char *fmt, ...) __printf(2, 3);
void vprintk(enum log_level level, const char *fmt, va_list ap);

#define pr_emerg(...)	printk(LOG_EMERG, __VA_ARGS__)
#define pr_err(...)	printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	printk(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...)	printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)	printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	printk(LOG_DEBUG, __VA_ARGS__)

/* Messages at a level numerically below this reach the console. */
int log_console_level(void);
void log_set_console_level(int level);

/*
 * The log ring, as syslog(2) shows it: each line is kept as
 * "<level>[seconds.micros] text\n".  Positions count the bytes ever
 * logged; the ring keeps the last LOG_RING_SIZE of them.
 *
 *	uint64_t pos = log_ring_start();
 *	n = log_ring_read(&pos, buf, sizeof(buf));	(pos moves on by n)
 *
 * log_ring_read starts at the oldest byte still kept if *pos is older.
 */
#define LOG_RING_SIZE	(64 * 1024)
uint64_t log_ring_start(void);
uint64_t log_ring_end(void);
size_t log_ring_read(uint64_t *pos, char *buf, size_t size);

/*
 * Stop the machine with a report: "Kernel panic - not syncing: <msg>", a
 * backtrace of the caller, then the panic= policy (reboot after N seconds,
 * stay halted for panic=0, otherwise a failing isa-debug-exit code).
 */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond)							\
	do {								\
		if (cond)						\
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#endif
