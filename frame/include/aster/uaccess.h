/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Access to user memory in the active address space.  A user address is a
 * uaddr_t, a plain integer: kernel/ can do arithmetic on it (buf + done)
 * but cannot dereference it, and the safe-C checker forbids casting it to a
 * pointer, so these calls are the only way through.
 *
 *	char path[256];
 *	long n = strncpy_from_user(path, path_ua, sizeof(path));
 *	if (n < 0)
 *		return n;		(-EFAULT or -ENAMETOOLONG)
 *	if (put_user_u64(result_ua, 42))
 *		return -EFAULT;
 *
 * A bad address (non-canonical, kernel half, a range that wraps or runs
 * out of the user half) gives -EFAULT before any memory is touched.  A
 * fault during the copy (nothing mapped, read-only for a write) first goes
 * to the handler kernel/ registered with vm_set_fault_handler (demand
 * paging, copy-on-write) and the copy resumes if it mapped the page;
 * otherwise the call returns -EFAULT.  It never faults the kernel.  After
 * -EFAULT the destination holds whatever was copied before the fault.
 *
 * With the run-time checks (ASTER_FORTIFY, <aster/string.h>), the kernel
 * side of copy_from_user, copy_to_user and strncpy_from_user is checked
 * like memcpy's: n (max) larger than the kernel object the compiler knows
 * is a panic report naming the call's file and line.
 */
#ifndef ASTER_UACCESS_H
#define ASTER_UACCESS_H

#include <aster/types.h>

typedef uint64_t uaddr_t;

struct frame;

/* 0 or -EFAULT. */
int copy_from_user(void *dst, uaddr_t src, size_t n);
int copy_to_user(uaddr_t dst, const void *src, size_t n);
int clear_user(uaddr_t dst, size_t n);
/*
 * Copy a NUL-terminated string (with its NUL) into dst, reading at most
 * max bytes.  Returns its length (without the NUL), -EFAULT, or
 * -ENAMETOOLONG when no NUL is within the first max bytes.
 */
long strncpy_from_user(char *dst, uaddr_t src, size_t max);

#ifdef ASTER_FORTIFY
#include <aster/string.h>

#define copy_from_user(dst, src, n)						\
	({									\
		size_t fortify_n_ = (n);					\
		FORTIFY_CHECK("copy_from_user", true, fortify_n_, FORTIFY_SIZE(dst)); \
		copy_from_user(dst, src, fortify_n_);				\
	})
#define copy_to_user(dst, src, n)						\
	({									\
		size_t fortify_n_ = (n);					\
		FORTIFY_CHECK("copy_to_user", false, fortify_n_, FORTIFY_SIZE(src)); \
		copy_to_user(dst, src, fortify_n_);				\
	})
#define strncpy_from_user(dst, src, max)					\
	({									\
		size_t fortify_n_ = (max);					\
		FORTIFY_CHECK("strncpy_from_user", true, fortify_n_, FORTIFY_SIZE(dst)); \
		strncpy_from_user(dst, src, fortify_n_);			\
	})
#endif

int get_user_u32(uint32_t *v, uaddr_t src);
int get_user_u64(uint64_t *v, uaddr_t src);
int put_user_u32(uaddr_t dst, uint32_t v);
int put_user_u64(uaddr_t dst, uint64_t v);

/*
 * Atomically (against every CPU and the user program) compare the 32-bit
 * word at ua with old and, if equal, store new; *found gets the value that
 * was there either way.  For futexes: robust-list cleanup and the like.
 * 0, -EINVAL when ua is not 4-byte aligned, or -EFAULT.
 */
int cmpxchg_user_u32(uaddr_t ua, uint32_t old, uint32_t new_val, uint32_t *found);

/*
 * Between user memory and a frame, without a bounce buffer (read(), write()
 * on cached file data).  0, -EINVAL when [off, off+len) is not inside the
 * frame, or -EFAULT.
 */
int copy_frame_to_user(uaddr_t dst, const struct frame *f, size_t off, size_t len);
int copy_frame_from_user(struct frame *f, size_t off, uaddr_t src, size_t len);

#endif
