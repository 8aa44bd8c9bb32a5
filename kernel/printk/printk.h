/* SPDX-License-Identifier: MPL-2.0 */
/*
 * /proc/sys/kernel/printk: Linux's four console log levels, in its order
 * (console_loglevel, default_message_loglevel, minimum_console_loglevel,
 * default_console_loglevel).  The first is the console's (frame's
 * log_console_level: what reaches the console); the third is syslog(2)'s
 * floor for SYSLOG_ACTION_CONSOLE_OFF and CONSOLE_LEVEL.
 */
#ifndef KERNEL_PRINTK_PRINTK_H
#define KERNEL_PRINTK_PRINTK_H
#include <aster/types.h>

#define PRINTK_LEVELS	4

void printk_levels_get(int v[PRINTK_LEVELS]);
/* Set the first n (1 to 4) of them, as a write of fewer values does on Linux. */
void printk_levels_set(const int *v, size_t n);

#endif
