/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/close_range.h>.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_CLOSE_RANGE_H
#define ASTER_UAPI_CLOSE_RANGE_H

#define CLOSE_RANGE_UNSHARE	(1U << 1)
#define CLOSE_RANGE_CLOEXEC	(1U << 2)

#endif
