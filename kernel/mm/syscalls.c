// SPDX-License-Identifier: MPL-2.0
// The memory syscalls: argument decoding over the vmar of the calling process.
#include "fs/file.h"
#include "mm/syscalls.h"
#include "mm/vmar_internal.h"
#include "process/process.h"
#include "syscall/syscall.h"

static uint64_t memlock_limit(void);

long mm_do_mmap(struct vmar *v, struct fd_table *files, const struct syscall_args *args)
{
	uint64_t off = args->a[5];
	int flags = (int)args->a[3];
	struct file *file = NULL;
	uaddr_t out;
	int err;

	if (off & PAGE_MASK_LOW)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = files ? fd_get(files, (int)args->a[4]) : NULL;
		if (!file)
			return -EBADF;
	}
	/* What a locked mapping (MAP_LOCKED, mlockall's MCL_FUTURE) may take, for this caller. */
	mutex_lock(&v->lock);
	v->memlock_limit = memlock_limit();
	mutex_unlock(&v->lock);
	err = vmar_mmap(v, args->a[0], args->a[1], (int)args->a[2], flags, file, off, &out);
	if (file)
		file_put(file);
	return err ? err : (long)out;
}

long mm_do_mremap(struct vmar *v, const struct syscall_args *args)
{
	uaddr_t out;
	int err = vmar_mremap(v, args->a[0], args->a[1], args->a[2], (int)args->a[3], args->a[4],
			      &out);

	return err ? err : (long)out;
}

/* Syscalls run in a process; a kernel task has no address space to act on. */
static struct vmar *caller_vmar(void)
{
	return vmar_current();
}

long sys_mmap(const struct syscall_args *args)
{
	struct process *p = current_process();
	struct vmar *v = caller_vmar();

	if (!v)
		return -ENOMEM;
	return mm_do_mmap(v, p ? p->files : NULL, args);
}

long sys_munmap(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_munmap(v, args->a[0], args->a[1]) : -EINVAL;
}

long sys_mprotect(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mprotect(v, args->a[0], args->a[1], (int)args->a[2]) : -ENOMEM;
}

long sys_brk(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();
	uaddr_t out = 0;

	if (v)
		vmar_brk(v, args->a[0], &out);
	return (long)out;
}

long sys_mremap(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? mm_do_mremap(v, args) : -EFAULT;
}

long sys_madvise(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_madvise(v, args->a[0], args->a[1], (int)args->a[2]) : -ENOMEM;
}

long sys_msync(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_msync(v, args->a[0], args->a[1], (int)args->a[2]) : -ENOMEM;
}

long sys_mincore(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mincore(v, args->a[0], args->a[1], args->a[2]) : -ENOMEM;
}

/* RLIMIT_MEMLOCK in bytes for the caller; root is not bound (CAP_IPC_LOCK). */
static uint64_t memlock_limit(void)
{
	struct process *p = current_process();

	if (!p || p->cred.euid == 0)
		return UINT64_MAX;
	return process_memlock_limit();
}

long sys_mlock(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mlock(v, args->a[0], args->a[1], 0, memlock_limit()) : -ENOMEM;
}

long sys_mlock2(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mlock(v, args->a[0], args->a[1], (unsigned int)args->a[2], memlock_limit())
		 : -ENOMEM;
}

long sys_munlock(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_munlock(v, args->a[0], args->a[1]) : -ENOMEM;
}

long sys_mlockall(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mlockall(v, (unsigned int)args->a[0], memlock_limit()) : -ENOMEM;
}

long sys_munlockall(const struct syscall_args *args)
{
	struct vmar *v = caller_vmar();

	(void)args;
	return v ? vmar_munlockall(v) : 0;
}
