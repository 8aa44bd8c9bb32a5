// SPDX-License-Identifier: MPL-2.0
// The arguments of execve (argv and envp, copied into one buffer before the
// old program goes) and the head of the file, which picks its format.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "exec/binprm.h"
#include "uapi/binfmts.h"

#define ARGS_MAX		(2 * 1024 * 1024)	/* a quarter of the 8 MiB stack */

int exec_args_append(struct exec_args *ea, const char *s, size_t n)
{
	if (ea->len + n + 1 > ARGS_MAX)
		return -E2BIG;
	if (ea->len + n + 1 > ea->cap) {
		size_t cap = MAX(ea->cap * 2, ALIGN_UP(ea->len + n + 1, 4096));
		char *nb = krealloc(ea->buf, cap);

		if (!nb)
			return -ENOMEM;
		ea->buf = nb;
		ea->cap = cap;
	}
	memcpy(ea->buf + ea->len, s, n);
	ea->buf[ea->len + n] = '\0';
	ea->len += n + 1;
	return 0;
}

/* Copy a NULL-terminated user array of strings. */
int exec_args_from_user(struct exec_args *ea, uaddr_t vec, uint32_t *count)
{
	char *tmp;
	int err = 0;

	*count = 0;
	if (!vec)
		return 0;
	tmp = kmalloc(MAX_ARG_STRLEN);
	if (!tmp)
		return -ENOMEM;
	for (;;) {
		uint64_t sp;
		long n;

		if (get_user_u64(&sp, vec + (uint64_t)*count * 8)) {
			err = -EFAULT;
			break;
		}
		if (!sp)
			break;
		n = strncpy_from_user(tmp, sp, MAX_ARG_STRLEN);
		if (n < 0) {
			err = n == -ENAMETOOLONG ? -E2BIG : (int)n;
			break;
		}
		err = exec_args_append(ea, tmp, (size_t)n);
		if (err)
			break;
		(*count)++;
	}
	kfree(tmp);
	return err;
}

int exec_args_from_kernel(struct exec_args *ea, const char *const vec[], uint32_t *count)
{
	*count = 0;
	for (; vec && vec[*count]; (*count)++) {
		int err = exec_args_append(ea, vec[*count], strlen(vec[*count]));

		if (err)
			return err;
	}
	return 0;
}

/* The i-th string and where the next one starts. */
const char *exec_args_next(const struct exec_args *ea, size_t *pos)
{
	const char *s = ea->buf + *pos;

	*pos += strlen(s) + 1;
	return s;
}

void exec_args_free(struct exec_args *ea)
{
	kfree(ea->buf);
	*ea = (struct exec_args){ 0 };
}

int exec_read_head(struct file *f, uint8_t *buf, size_t *len)
{
	ssize_t n = kernel_read(f, 0, buf, EXEC_HEAD_MAX);

	if (n < 0)
		return (int)n;
	*len = (size_t)n;
	return 0;
}
