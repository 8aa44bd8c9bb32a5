// SPDX-License-Identifier: MPL-2.0
// User memory access (see <aster/uaccess.h>): range checks and the retry
// after a resolved fault here; the instructions that may fault, with their
// fixups, in frame/arch/x86_64/mm/uaccess_asm.S.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/uaccess.h>
#include <aster/vm_space.h>
#include "mm_internal.h"

#define FAULT_NOT_PF	(1UL << 32)	/* set in error for a #GP (fixup.c) */

/* Filled in by the fixup code when an access faults. */
struct uaccess_fault {
	uint64_t addr, error, done;
};

size_t arch_copy_user(void *dst, const void *src, size_t n, struct uaccess_fault *f);
size_t arch_clear_user(void *dst, size_t n, struct uaccess_fault *f);
long arch_strncpy_user(char *dst, const char *src, size_t max, struct uaccess_fault *f);
int arch_cmpxchg_user_u32(uint32_t *p, uint32_t old, uint32_t new_val, uint32_t *found,
			  struct uaccess_fault *f);

static vm_fault_handler_t fault_handler;

void vm_set_fault_handler(vm_fault_handler_t fn)
{
	__atomic_store_n(&fault_handler, fn, __ATOMIC_RELEASE);
}

/* [a, a+n) lies in the user half and does not wrap. */
static bool user_range(uaddr_t a, size_t n)
{
	return a < USER_SPACE_TOP && n <= USER_SPACE_TOP - a;
}

/* The last fault a copy handed to the resolver: the same one again means no progress. */
struct retry {
	uint64_t addr, error;
};

/*
 * A copy of [ua, ua+n) faulted as f says: true if the resolver mapped the
 * page and the copy may resume.  Faults outside the user range (the kernel
 * buffer, a #GP) are never resolved.
 */
static bool resolve(const struct uaccess_fault *f, uaddr_t ua, size_t n, struct retry *last)
{
	vm_fault_handler_t fn = __atomic_load_n(&fault_handler, __ATOMIC_ACQUIRE);
	struct vm_fault vf;

	if (!fn || (f->error & FAULT_NOT_PF) || f->addr < ua || f->addr - ua >= n)
		return false;
	if (f->addr == last->addr && f->error == last->error)
		return false;
	*last = (struct retry){ f->addr, f->error };
	vf = (struct vm_fault){
		.addr = f->addr,
		.access = (f->error & PF_WRITE) ? VM_WRITE : VM_READ,
		.present = (f->error & PF_PRESENT) != 0,
		.user = false,
	};
	return fn(&vf) == 0;
}

/* Copy n bytes between kernel memory k and user memory at ua, either way. */
static int copy_user(void *k, uaddr_t ua, size_t n, bool to_user)
{
	struct retry last = { UINT64_MAX, 0 };
	struct uaccess_fault f;
	size_t done = 0;

	if (!user_range(ua, n))
		return -EFAULT;
	for (;;) {
		char *kp = (char *)k + done;
		char *up = (char *)(ua + done);
		size_t left = to_user ? arch_copy_user(up, kp, n - done, &f) :
					arch_copy_user(kp, up, n - done, &f);

		if (!left)
			return 0;
		done = n - left;
		if (!resolve(&f, ua, n, &last))
			return -EFAULT;
	}
}

int copy_from_user(void *dst, uaddr_t src, size_t n)
{
	return copy_user(dst, src, n, false);
}

int copy_to_user(uaddr_t dst, const void *src, size_t n)
{
	return copy_user((void *)src, dst, n, true);
}

int clear_user(uaddr_t dst, size_t n)
{
	struct retry last = { UINT64_MAX, 0 };
	struct uaccess_fault f;
	size_t done = 0;

	if (!user_range(dst, n))
		return -EFAULT;
	for (;;) {
		size_t left = arch_clear_user((char *)(dst + done), n - done, &f);

		if (!left)
			return 0;
		done = n - left;
		if (!resolve(&f, dst, n, &last))
			return -EFAULT;
	}
}

long strncpy_from_user(char *dst, uaddr_t src, size_t max)
{
	struct retry last = { UINT64_MAX, 0 };
	struct uaccess_fault f;
	size_t limit, done = 0;
	long n;

	if (src >= USER_SPACE_TOP)
		return -EFAULT;
	if (max == 0)
		return -ENAMETOOLONG;
	/* Never read past the user half: a string running into it faults. */
	limit = MIN(max, USER_SPACE_TOP - src);
	for (;;) {
		n = arch_strncpy_user(dst + done, (const char *)(src + done), limit - done, &f);
		if (n >= 0)
			break;
		done += f.done;
		if (!resolve(&f, src, limit, &last))
			return -EFAULT;
	}
	n += (long)done;
	if ((size_t)n == limit)
		return limit < max ? -EFAULT : -ENAMETOOLONG;
	return n;
}

int get_user_u32(uint32_t *v, uaddr_t src)
{
	return copy_from_user(v, src, sizeof(*v));
}

int get_user_u64(uint64_t *v, uaddr_t src)
{
	return copy_from_user(v, src, sizeof(*v));
}

int put_user_u32(uaddr_t dst, uint32_t v)
{
	return copy_to_user(dst, &v, sizeof(v));
}

int put_user_u64(uaddr_t dst, uint64_t v)
{
	return copy_to_user(dst, &v, sizeof(v));
}

int cmpxchg_user_u32(uaddr_t ua, uint32_t old, uint32_t new_val, uint32_t *found)
{
	struct retry last = { UINT64_MAX, 0 };
	struct uaccess_fault f;

	if (ua & 3)
		return -EINVAL;
	if (!user_range(ua, sizeof(uint32_t)))
		return -EFAULT;
	/* A fault (not present, or copy-on-write) is resolved and the exchange retried. */
	while (arch_cmpxchg_user_u32((uint32_t *)ua, old, new_val, found, &f) != 0)
		if (!resolve(&f, ua, sizeof(uint32_t), &last))
			return -EFAULT;
	return 0;
}

static bool frame_range_ok(const struct frame *f, size_t off, size_t len)
{
	return f && off <= PAGE_SIZE && len <= PAGE_SIZE - off;
}

int copy_frame_to_user(uaddr_t dst, const struct frame *f, size_t off, size_t len)
{
	if (!frame_range_ok(f, off, len))
		return -EINVAL;
	return copy_user((char *)frame_kernel_addr(frame_meta_of(f)) + off, dst, len, true);
}

int copy_frame_from_user(struct frame *f, size_t off, uaddr_t src, size_t len)
{
	if (!frame_range_ok(f, off, len))
		return -EINVAL;
	return copy_user((char *)frame_kernel_addr(frame_meta_of(f)) + off, src, len, false);
}
