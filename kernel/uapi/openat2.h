/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/openat2.h>: openat2(2) resolve flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_OPENAT2_H
#define ASTER_UAPI_OPENAT2_H

#define RESOLVE_NO_XDEV		0x01
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08
#define RESOLVE_IN_ROOT		0x10
#define RESOLVE_CACHED		0x20

#endif
