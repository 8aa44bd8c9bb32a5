/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/xattr.h>: setxattr(2) flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_XATTR_H
#define ASTER_UAPI_XATTR_H

#define XATTR_CREATE	0x1
#define XATTR_REPLACE	0x2

#endif
