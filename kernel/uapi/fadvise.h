/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/fadvise.h>: posix_fadvise(2)/fadvise64 advice.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_FADVISE_H
#define ASTER_UAPI_FADVISE_H

#define POSIX_FADV_NORMAL	0
#define POSIX_FADV_RANDOM	1
#define POSIX_FADV_SEQUENTIAL	2
#define POSIX_FADV_WILLNEED	3
#define POSIX_FADV_DONTNEED	4
#define POSIX_FADV_NOREUSE	5

#endif
