// SPDX-License-Identifier: MPL-2.0
// Importing user iovec arrays: one implementation of Linux's
// iovec_from_user and import_iovec checks for every vectored call.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/vm_space.h>
#include "lib/iovec.h"

/* access_ok: the range lies in the user half. */
static bool user_range_ok(uint64_t base, uint64_t len)
{
	return base <= USER_SPACE_TOP && len <= USER_SPACE_TOP - base;
}

int iovec_from_user(uaddr_t uvec, uint64_t nr, struct linux_iovec *fast, size_t nfast,
		    struct linux_iovec **iovp)
{
	struct linux_iovec *iov = fast;

	*iovp = NULL;
	if (nr > UIO_MAXIOV)
		return -EINVAL;
	if (nr > nfast) {
		iov = kmalloc((size_t)nr * sizeof(*iov));
		if (!iov)
			return -ENOMEM;
	}
	if (nr && copy_from_user(iov, uvec, (size_t)nr * sizeof(*iov))) {
		iovec_release(iov, fast);
		return -EFAULT;
	}
	for (uint64_t i = 0; i < nr; i++) {
		if ((int64_t)iov[i].iov_len < 0) {
			iovec_release(iov, fast);
			return -EINVAL;
		}
	}
	*iovp = iov;
	return 0;
}

int iovec_import(uaddr_t uvec, uint64_t nr, struct linux_iovec *fast, size_t nfast,
		 struct linux_iovec **iovp, uint64_t *total)
{
	struct linux_iovec *iov;
	int err;

	*total = 0;
	err = iovec_from_user(uvec, nr, fast, nfast, &iov);
	if (err)
		return err;
	for (uint64_t i = 0; i < nr; i++) {
		/* Linux checks the length as given, before the cut. */
		if (!user_range_ok(iov[i].iov_base, iov[i].iov_len)) {
			iovec_release(iov, fast);
			return -EFAULT;
		}
		iov[i].iov_len = MIN(iov[i].iov_len, MAX_RW_COUNT - *total);
		*total += iov[i].iov_len;
	}
	*iovp = iov;
	return 0;
}

/* Linux's import_single_range, with io_submit's overflow check (-EINVAL) in front. */
int iovec_import_one(uint64_t base, uint64_t len, struct linux_iovec *one)
{
	if ((int64_t)len < 0)
		return -EINVAL;
	len = MIN(len, MAX_RW_COUNT);
	if (!user_range_ok(base, len))
		return -EFAULT;
	one->iov_base = base;
	one->iov_len = len;
	return 0;
}

void iovec_release(struct linux_iovec *iov, const struct linux_iovec *fast)
{
	if (iov && iov != fast)
		kfree(iov);
}
