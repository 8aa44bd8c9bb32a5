/* SPDX-License-Identifier: MPL-2.0 */
/* The scheduling policy's figures for the rest of kernel/. */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H
#include <aster/types.h>

/* Tasks running or waiting for the CPU (the idle task not counted). */
unsigned int sched_nr_running(void);

/*
 * The 1-, 5- and 15-minute load averages in fixed point with `shift`
 * fractional bits (sysinfo wants 16, /proc/loadavg prints 11).
 */
void loadavg_get(uint64_t loads[3], unsigned int shift);

/*
 * Linux's ioprio_check_cap: 0 if ioprio (class << 13 | data) is one the
 * caller may ask for, -EINVAL for a bad class or a level with class none,
 * -EPERM for the real-time class without CAP_SYS_NICE or CAP_SYS_ADMIN.
 */
int ioprio_check_cap(int ioprio);

#endif
