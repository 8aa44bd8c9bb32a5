// SPDX-License-Identifier: MPL-2.0
// The #! binary format: the interpreter named on the script's first line
// runs with the script's path as an argument.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "exec/binprm.h"
#include "uapi/binfmts.h"

/* argv[0] and the #! line's interpreter and argument take the script's place. */
int script_apply(struct exec_args *ea, const uint8_t *head, size_t len, const char *path,
			char *interp, size_t interp_size)
{
	char line[BINPRM_BUF_SIZE];
	struct exec_args na = { 0 };
	size_t n = MIN(len, sizeof(line) - 1), pos = 0;
	char *s, *arg = NULL, *end;
	int err;

	memcpy(line, head, n);
	line[n] = '\0';
	end = strchr(line, '\n');
	if (!end) {
		if (len >= sizeof(line) - 1)
			return -ENOEXEC;	/* the #! line is too long */
		end = line + n;
	}
	*end = '\0';
	s = line + 2;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return -ENOEXEC;
	for (char *q = s; *q; q++)
		if (*q == ' ' || *q == '\t') {
			*q++ = '\0';
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q)
				arg = q;
			break;
		}
	if (arg) {
		/* The argument is everything after the first blank, trailing blanks cut. */
		size_t al = strlen(arg);

		while (al && (arg[al - 1] == ' ' || arg[al - 1] == '\t'))
			arg[--al] = '\0';
	}
	if (strlcpy(interp, s, interp_size) >= interp_size)
		return -ENAMETOOLONG;
	err = exec_args_append(&na, s, strlen(s));
	if (!err && arg)
		err = exec_args_append(&na, arg, strlen(arg));
	if (!err)
		err = exec_args_append(&na, path, strlen(path));
	na.argc = arg ? 3 : 2;
	if (ea->argc)
		(void)exec_args_next(ea, &pos);	/* drop the old argv[0] */
	for (uint32_t k = 1; !err && k < ea->argc + ea->envc; k++) {
		const char *a = exec_args_next(ea, &pos);

		err = exec_args_append(&na, a, strlen(a));
	}
	if (err) {
		kfree(na.buf);
		return err;
	}
	na.argc += ea->argc ? ea->argc - 1 : 0;
	na.envc = ea->envc;
	kfree(ea->buf);
	*ea = na;
	return 0;
}
