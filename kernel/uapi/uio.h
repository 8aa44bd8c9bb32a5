/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/uio.h>: the most iovecs one call takes.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_UIO_H
#define ASTER_UAPI_UIO_H

#define UIO_MAXIOV	1024

#endif
