// SPDX-License-Identifier: MPL-2.0
// The memory syscalls: argument decoding over the vmar of the calling process.
#include "fs/file.h"
#include "mm/syscalls.h"
#include "mm/vmar_internal.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "process/capability.h"

static uint64_t memlock_limit(void);

long mm_do_mmap(struct vmar *v, struct fd_table *files, uaddr_t addr, size_t length,
		unsigned int prot, unsigned int flags, int fd, int64_t offset)
{
	uint64_t off = (uint64_t)offset;
	struct file *file = NULL;
	uaddr_t out;
	int err;

	if (off & PAGE_MASK_LOW)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = files ? fd_get(files, fd) : NULL;
		if (!file)
			return -EBADF;
	}
	/* What a locked mapping (MAP_LOCKED, mlockall's MCL_FUTURE) may take, for this caller. */
	vmar_lock(v);
	v->memlock_limit = memlock_limit();
	vmar_unlock(v);
	err = vmar_mmap(v, addr, length, (int)prot, (int)flags, file, off, &out);
	if (file && !err && file->inode && file->dentry)
		file_accessed(file);	/* as Linux's generic_file_mmap */
	if (file)
		file_put(file);
	return err ? err : (long)out;
}

long mm_do_mremap(struct vmar *v, uaddr_t old_address, size_t old_size, size_t new_size,
		  unsigned int flags, uaddr_t new_address)
{
	uaddr_t out;
	int err = vmar_mremap(v, old_address, old_size, new_size, (int)flags, new_address, &out);

	return err ? err : (long)out;
}

/* Syscalls run in a process; a kernel task has no address space to act on. */
static struct vmar *caller_vmar(void)
{
	return vmar_current();
}

long sys_mmap(uaddr_t addr, size_t length, unsigned int prot, unsigned int flags, int fd,
	      int64_t offset)
{
	struct process *p = current_process();
	struct vmar *v = caller_vmar();

	if (!v)
		return -ENOMEM;
	return mm_do_mmap(v, p ? p->files : NULL, addr, length, prot, flags, fd, offset);
}

long sys_munmap(uaddr_t addr, size_t length)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_munmap(v, addr, length) : -EINVAL;
}

long sys_mprotect(uaddr_t addr, size_t len, unsigned int prot)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mprotect(v, addr, len, (int)prot) : -ENOMEM;
}

long sys_brk(uaddr_t brk)
{
	struct vmar *v = caller_vmar();
	uaddr_t out = 0;

	if (v)
		vmar_brk(v, brk, &out);
	return (long)out;
}

long sys_mremap(uaddr_t old_address, size_t old_size, size_t new_size, unsigned int flags,
		uaddr_t new_address)
{
	struct vmar *v = caller_vmar();

	return v ? mm_do_mremap(v, old_address, old_size, new_size, flags, new_address) : -EFAULT;
}

long sys_madvise(uaddr_t addr, size_t length, int advice)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_madvise(v, addr, length, advice) : -ENOMEM;
}

long sys_msync(uaddr_t addr, size_t length, unsigned int flags)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_msync(v, addr, length, (int)flags) : -ENOMEM;
}

long sys_mincore(uaddr_t addr, size_t length, uaddr_t vec)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mincore(v, addr, length, vec) : -ENOMEM;
}

/* RLIMIT_MEMLOCK in bytes for the caller; CAP_IPC_LOCK is not bound. */
static uint64_t memlock_limit(void)
{
	if (capable(CAP_IPC_LOCK))
		return UINT64_MAX;
	return process_memlock_limit();
}

long sys_mlock(uaddr_t addr, size_t len)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mlock(v, addr, len, 0, memlock_limit()) : -ENOMEM;
}

long sys_mlock2(uaddr_t addr, size_t len, unsigned int flags)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mlock(v, addr, len, flags, memlock_limit()) : -ENOMEM;
}

long sys_munlock(uaddr_t addr, size_t len)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_munlock(v, addr, len) : -ENOMEM;
}

long sys_mlockall(unsigned int flags)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_mlockall(v, flags, memlock_limit()) : -ENOMEM;
}

long sys_munlockall(void)
{
	struct vmar *v = caller_vmar();

	return v ? vmar_munlockall(v) : 0;
}
