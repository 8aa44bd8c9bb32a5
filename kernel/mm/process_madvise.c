// SPDX-License-Identifier: MPL-2.0
// process_madvise and process_mrelease: advice and early reclaim on
// another process's memory, named by a pidfd (Linux's mm/madvise.c and
// mm/oom_kill.c).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/uaccess.h>
#include "mm/mempolicy_internal.h"
#include "mm/vmar.h"
#include "process/capability.h"
#include "process/pidfd.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "uapi/mman.h"
#include "uapi/uio.h"

/* Linux's MAX_RW_COUNT: one call handles at most this many bytes. */
#define MAX_RW_COUNT	(0x7fffffffULL & ~(uint64_t)(PAGE_SIZE - 1))

struct madv_iov {
	uint64_t base, len;
};

/* Linux's import_iovec: -EINVAL past UIO_MAXIOV or for a negative length, -EFAULT. */
static int import_iov(uaddr_t ua, size_t n, struct madv_iov **out)
{
	uint64_t total = 0;
	struct madv_iov *v;

	*out = NULL;
	if (n > UIO_MAXIOV)
		return -EINVAL;
	if (n == 0)
		return 0;
	v = kmalloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, ua, n * sizeof(*v))) {
		kfree(v);
		return -EFAULT;
	}
	for (size_t i = 0; i < n; i++) {
		if ((int64_t)v[i].len < 0) {
			kfree(v);
			return -EINVAL;
		}
		/* The total is capped, the segment that crosses it cut short. */
		v[i].len = MIN(v[i].len, MAX_RW_COUNT - total);
		total += v[i].len;
	}
	*out = v;
	return 0;
}

/* Linux 6.1's process_madvise_behavior_valid: the hints that only tune reclaim. */
static bool behavior_valid(int advice)
{
	return advice == MADV_COLD || advice == MADV_PAGEOUT || advice == MADV_WILLNEED ||
	       advice == MADV_COLLAPSE;
}

/* The target's address space (Linux's mm_access, PTRACE_MODE_READ): -EACCES, -ESRCH. */
static int target_vmar(struct process *p, struct vmar **out)
{
	*out = process_vmar_get(p);
	if (!*out)
		return -ESRCH;
	if (p != current_process() && process_access_realcreds(p)) {
		vmar_put(*out);
		return -EACCES;
	}
	return 0;
}

/* Advise each segment in turn; the bytes advised, or the first error if none. */
static long advise_all(struct vmar *v, const struct madv_iov *iov, size_t n, int advice)
{
	uint64_t done = 0;

	for (size_t i = 0; i < n; i++) {
		int err = vmar_madvise(v, iov[i].base, iov[i].len, advice);

		if (err < 0)
			return done ? (long)done : err;
		done += iov[i].len;
	}
	return (long)done;
}

long sys_process_madvise(int pidfd, uaddr_t vec, size_t vlen, int advice, unsigned int flags)
{
	struct madv_iov *iov;
	struct process *p;
	struct vmar *v;
	long ret;

	if (flags != 0)
		return -EINVAL;
	ret = import_iov(vec, vlen, &iov);
	if (ret)
		return ret;
	ret = pidfd_process_get(pidfd, &p);
	if (ret)
		goto free_iov;
	ret = -EINVAL;
	if (!behavior_valid(advice))
		goto put_proc;
	ret = target_vmar(p, &v);
	if (ret)
		goto put_proc;
	/* Influencing another process's performance needs the privilege, even one's own. */
	ret = capable(CAP_SYS_NICE) ? advise_all(v, iov, vlen, advice) : -EPERM;
	vmar_put(v);
put_proc:
	process_put(p);
free_iov:
	kfree(iov);
	return ret;
}

long sys_process_mrelease(int pidfd, unsigned int flags)
{
	struct process *p;
	struct vmar *v;
	int err;

	if (flags)
		return -EINVAL;
	err = pidfd_process_get(pidfd, &p);
	if (err)
		return err;
	v = process_vmar_get(p);
	if (!v) {
		err = -ESRCH;	/* its memory is gone already */
	} else if (!process_dying(p)) {
		err = -EINVAL;	/* only a process being killed may be reaped */
	} else {
		vmar_reap(v);
	}
	if (v)
		vmar_put(v);
	process_put(p);
	return err;
}
