/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Access to user memory in the active address space.  A user address is a
 * uaddr_t, an integer: kernel/ cannot dereference it and the safe-C checker
 * forbids casting it to a pointer, so these calls are the only way through.
 * A bad address (unmapped, read-only for a write, kernel half,
 * non-canonical, or a range that wraps) gives -EFAULT; it never faults the
 * kernel.
 */
#ifndef ASTER_UACCESS_H
#define ASTER_UACCESS_H

#include <aster/types.h>

typedef uint64_t uaddr_t;

int copy_from_user(void *dst, uaddr_t src, size_t n);
int copy_to_user(uaddr_t dst, const void *src, size_t n);
int clear_user(uaddr_t dst, size_t n);
/*
 * Copy a NUL-terminated string of at most max bytes including the NUL.
 * Returns its length, -EFAULT, or -ENAMETOOLONG when no NUL is within max.
 */
long strncpy_from_user(char *dst, uaddr_t src, size_t max);

int get_user_u32(uint32_t *v, uaddr_t src);
int get_user_u64(uint64_t *v, uaddr_t src);
int put_user_u32(uaddr_t dst, uint32_t v);
int put_user_u64(uaddr_t dst, uint64_t v);

#endif
