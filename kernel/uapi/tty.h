/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/tty.h>: line discipline numbers.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_TTY_H
#define ASTER_UAPI_TTY_H

#define N_TTY		0

#endif
