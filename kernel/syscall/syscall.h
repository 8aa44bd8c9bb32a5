/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The system call table.  table.def lists every syscall the kernel handles:
 *
 *	SYSCALL(nr, name, handler, status, "what is missing")
 *
 * with status IMPLEMENTED or PARTIAL.  Every other number of
 * syscall_names.def returns -ENOSYS.  The dispatcher, `make syscall-report`
 * and doc/syscalls.md are all generated from these two files, so they
 * cannot disagree.
 */
#ifndef ASTER_KERNEL_SYSCALL_H
#define ASTER_KERNEL_SYSCALL_H

#include <aster/types.h>

#define SYSCALL_MAX	512	/* one past the largest number we know */

struct syscall_args {
	uint64_t nr;
	uint64_t a[6];		/* rdi, rsi, rdx, r10, r8, r9 */
};

typedef long (*syscall_fn)(const struct syscall_args *args);

enum syscall_status {
	SYSCALL_ENOSYS,
	SYSCALL_PARTIAL,
	SYSCALL_IMPLEMENTED,
};

/* Every handler, declared from the table. */
#define SYSCALL(nr, name, handler, status, missing) long handler(const struct syscall_args *args);
#include "table.def"
#undef SYSCALL

/* Handle one system call; returns the value for rax (negative errno on error). */
long syscall_dispatch(const struct syscall_args *args);

/* The name of a syscall number, or NULL. */
const char *syscall_name(uint64_t nr);

#endif
