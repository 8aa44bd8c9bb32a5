/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/falloc.h>: fallocate(2) modes.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_FALLOC_H
#define ASTER_UAPI_FALLOC_H

#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02
#define FALLOC_FL_NO_HIDE_STALE	0x04
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE	0x10
#define FALLOC_FL_INSERT_RANGE	0x20
#define FALLOC_FL_UNSHARE_RANGE	0x40

#endif
