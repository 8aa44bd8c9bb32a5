/* SPDX-License-Identifier: MPL-2.0 */
/* The memory syscalls over an explicit vmar (for ktests and the handlers). */
#ifndef KERNEL_MM_SYSCALLS_H
#define KERNEL_MM_SYSCALLS_H
#include "mm/vmar.h"
#include "syscall/syscall.h"

struct fd_table;

long mm_do_mmap(struct vmar *v, struct fd_table *files, const struct syscall_args *args);
long mm_do_mremap(struct vmar *v, const struct syscall_args *args);

long sys_mmap(const struct syscall_args *args);
long sys_munmap(const struct syscall_args *args);
long sys_mprotect(const struct syscall_args *args);
long sys_brk(const struct syscall_args *args);
long sys_mremap(const struct syscall_args *args);
long sys_madvise(const struct syscall_args *args);
long sys_msync(const struct syscall_args *args);
long sys_mincore(const struct syscall_args *args);

#endif
