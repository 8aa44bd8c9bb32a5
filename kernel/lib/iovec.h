/* SPDX-License-Identifier: MPL-2.0 */
/*
 * A vectored call's user buffers (readv, sendmsg, vmsplice, io_submit,
 * process_vm_readv, process_madvise), read in once with Linux's checks
 * (lib/iov_iter.c's import_iovec):
 *
 *	struct linux_iovec fast[UIO_FASTIOV], *iov;
 *	uint64_t total;
 *	int err = iovec_import(uvec, nr, fast, UIO_FASTIOV, &iov, &total);
 *	if (err)
 *		return err;		(iov is NULL)
 *	... use iov[0..nr) ...
 *	iovec_release(iov, fast);
 *
 * Errors: -EINVAL for more than UIO_MAXIOV entries or a length that is
 * negative as a ssize_t, -EFAULT when the array cannot be read or (import
 * only) a buffer leaves the user half, -ENOMEM.  The array lands in fast
 * when it fits, else in the heap.
 */
#ifndef ASTER_KERNEL_LIB_IOVEC_H
#define ASTER_KERNEL_LIB_IOVEC_H

#include <aster/types.h>
#include <aster/uaccess.h>
#include "uapi/uio.h"

/* Linux's MAX_RW_COUNT: one call moves at most this many bytes (2 GiB less a page). */
#define MAX_RW_COUNT	0x7ffff000ULL

/*
 * The array as the caller wrote it: no check of the buffers themselves
 * (process_vm_*'s remote side, which lies in another address space).
 */
int iovec_from_user(uaddr_t uvec, uint64_t nr, struct linux_iovec *fast, size_t nfast,
		    struct linux_iovec **iovp);

/*
 * For I/O on the caller's memory: every buffer must lie in the user half,
 * and the lengths are cut so their sum is at most MAX_RW_COUNT (the
 * segment that crosses it is shortened, later ones become empty).
 */
int iovec_import(uaddr_t uvec, uint64_t nr, struct linux_iovec *fast, size_t nfast,
		 struct linux_iovec **iovp, uint64_t *total);

/* One buffer: -EINVAL if negative as a ssize_t, cut to MAX_RW_COUNT, then -EFAULT outside the user half. */
int iovec_import_one(uint64_t base, uint64_t len, struct linux_iovec *one);

/* Frees what iovec_from_user or iovec_import put in the heap. */
void iovec_release(struct linux_iovec *iov, const struct linux_iovec *fast);

#endif
