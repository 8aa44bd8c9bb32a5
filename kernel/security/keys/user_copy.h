/* SPDX-License-Identifier: MPL-2.0 */
/* Private to kernel/security/keys/: reading the syscalls' strings and payloads (keyctl.c). */
#ifndef KERNEL_SECURITY_KEYS_USER_COPY_H
#define KERNEL_SECURITY_KEYS_USER_COPY_H
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/uaccess.h>
#include "uapi/keyctl.h"

/* A key type name: EFAULT, EINVAL when empty or too long, EPERM for the kernel's own ('.'). */
static inline int get_type_name(uaddr_t ua, char type[KEY_TYPE_NAME_SIZE])
{
	long n = strncpy_from_user(type, ua, KEY_TYPE_NAME_SIZE);

	if (n == -ENAMETOOLONG || n == 0)
		return -EINVAL;
	if (n < 0)
		return (int)n;
	return type[0] == '.' ? -EPERM : 0;
}

/* Linux's strndup_user(ua, max): a kmalloc'd copy; EFAULT, EINVAL past max - 1 bytes. */
static inline int dup_user_string(uaddr_t ua, size_t max, char **out)
{
	char *s = kmalloc(max);
	long n;

	if (!s)
		return -ENOMEM;
	n = strncpy_from_user(s, ua, max);
	if (n < 0) {
		kfree(s);
		return n == -ENAMETOOLONG ? -EINVAL : -EFAULT;
	}
	*out = s;
	return 0;
}

/* A payload of len bytes (NULL when len is 0). */
static inline int dup_user_payload(uaddr_t ua, size_t len, uint8_t **out)
{
	uint8_t *p;

	*out = NULL;
	if (!len)
		return 0;
	p = kmalloc(len);
	if (!p)
		return -ENOMEM;
	if (copy_from_user(p, ua, len)) {
		kfree(p);
		return -EFAULT;
	}
	*out = p;
	return 0;
}

#endif
