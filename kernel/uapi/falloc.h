/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/falloc.h>: fallocate(2) modes.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_FALLOC_H
#define ASTER_UAPI_FALLOC_H

#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02

#endif
