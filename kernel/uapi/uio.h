/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/uio.h>: struct iovec and the most iovecs one call
 * takes.  Values are x86-64 Linux's; tests/unit/test_uapi checks them
 * against the host's headers.
 */
#ifndef ASTER_UAPI_UIO_H
#define ASTER_UAPI_UIO_H

#include <aster/types.h>

/* struct iovec: one user buffer of a vectored call. */
struct linux_iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};

#define UIO_FASTIOV	8
#define UIO_MAXIOV	1024

#endif
