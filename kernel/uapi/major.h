/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/major.h>: the device majors of our character devices.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_MAJOR_H
#define ASTER_UAPI_MAJOR_H

#define MEM_MAJOR	1
#define TTY_MAJOR	4
#define TTYAUX_MAJOR	5
#define UNIX98_PTY_MASTER_MAJOR	128
#define UNIX98_PTY_SLAVE_MAJOR	136

#endif
