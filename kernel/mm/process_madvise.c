// SPDX-License-Identifier: MPL-2.0
// process_madvise and process_mrelease: advice and early reclaim on
// another process's memory, named by a pidfd (Linux's mm/madvise.c and
// mm/oom_kill.c).
#include <aster/errno.h>
#include <aster/uaccess.h>
#include "lib/iovec.h"
#include "mm/mempolicy_internal.h"
#include "mm/vmar.h"
#include "process/capability.h"
#include "process/pidfd.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "uapi/mman.h"

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
static long advise_all(struct vmar *v, const struct linux_iovec *iov, size_t n, int advice)
{
	uint64_t done = 0;

	for (size_t i = 0; i < n; i++) {
		int err = vmar_madvise(v, iov[i].iov_base, iov[i].iov_len, advice);

		if (err < 0)
			return done ? (long)done : err;
		done += iov[i].iov_len;
	}
	return (long)done;
}

long sys_process_madvise(int pidfd, uaddr_t vec, size_t vlen, int advice, unsigned int flags)
{
	struct linux_iovec fast[UIO_FASTIOV], *iov;
	uint64_t total;
	struct process *p;
	struct vmar *v;
	long ret;

	if (flags != 0)
		return -EINVAL;
	ret = iovec_import(vec, vlen, fast, UIO_FASTIOV, &iov, &total);
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
	iovec_release(iov, fast);
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
