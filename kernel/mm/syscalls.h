/* SPDX-License-Identifier: MPL-2.0 */
/* The memory syscalls over an explicit vmar (for ktests and the handlers). */
#ifndef KERNEL_MM_SYSCALLS_H
#define KERNEL_MM_SYSCALLS_H
#include "mm/vmar.h"
#include "syscall/syscall.h"

struct fd_table;

long mm_do_mmap(struct vmar *v, struct fd_table *files, uaddr_t addr, size_t length,
		unsigned int prot, unsigned int flags, int fd, int64_t offset);
long mm_do_mremap(struct vmar *v, uaddr_t old_address, size_t old_size, size_t new_size,
		  unsigned int flags, uaddr_t new_address);

#endif
