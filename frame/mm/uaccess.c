// SPDX-License-Identifier: MPL-2.0
// User memory access (see <aster/uaccess.h>): range checks here, the
// faulting instructions in frame/arch/x86_64/mm/uaccess_asm.S.
#include <aster/errno.h>
#include <aster/uaccess.h>
#include <aster/vm_space.h>

size_t arch_copy_user(void *dst, const void *src, size_t n);
size_t arch_clear_user(void *dst, size_t n);
long arch_strncpy_user(char *dst, const char *src, size_t max);

/* [a, a+n) lies in the user half and does not wrap. */
static bool user_range(uaddr_t a, size_t n)
{
	return a < USER_SPACE_TOP && n <= USER_SPACE_TOP - a;
}

int copy_from_user(void *dst, uaddr_t src, size_t n)
{
	if (!user_range(src, n))
		return -EFAULT;
	return arch_copy_user(dst, (const void *)src, n) ? -EFAULT : 0;
}

int copy_to_user(uaddr_t dst, const void *src, size_t n)
{
	if (!user_range(dst, n))
		return -EFAULT;
	return arch_copy_user((void *)dst, src, n) ? -EFAULT : 0;
}

int clear_user(uaddr_t dst, size_t n)
{
	if (!user_range(dst, n))
		return -EFAULT;
	return arch_clear_user((void *)dst, n) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, uaddr_t src, size_t max)
{
	size_t limit;
	long n;

	if (max == 0)
		return -ENAMETOOLONG;
	if (src >= USER_SPACE_TOP)
		return -EFAULT;
	/* Never read past the user half: a string there ends in a fault. */
	limit = max < USER_SPACE_TOP - src ? max : USER_SPACE_TOP - src;
	n = arch_strncpy_user(dst, (const char *)src, limit);
	if (n < 0)
		return n;
	if ((size_t)n == limit)
		return limit < max ? -EFAULT : -ENAMETOOLONG;
	return n;
}

int get_user_u32(uint32_t *v, uaddr_t src) { return copy_from_user(v, src, sizeof(*v)); }
int get_user_u64(uint64_t *v, uaddr_t src) { return copy_from_user(v, src, sizeof(*v)); }
int put_user_u32(uaddr_t dst, uint32_t v) { return copy_to_user(dst, &v, sizeof(v)); }
int put_user_u64(uaddr_t dst, uint64_t v) { return copy_to_user(dst, &v, sizeof(v)); }
