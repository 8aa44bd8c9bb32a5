/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/limits.h>.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_LIMITS_H
#define ASTER_UAPI_LIMITS_H

#define NGROUPS_MAX	65536
#define NAME_MAX	255
#define PATH_MAX	4096
#define PIPE_BUF	4096
#define XATTR_NAME_MAX	255
#define XATTR_SIZE_MAX	65536

#endif
