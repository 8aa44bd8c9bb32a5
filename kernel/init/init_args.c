// SPDX-License-Identifier: MPL-2.0
#include <aster/errno.h>
#include <aster/string.h>
#include "init_args.h"

/* Linux replaces a variable given twice (TERM=vt100 overrides TERM=linux). */
static bool replace_env(struct init_args *ia, const char *var)
{
	size_t name_len = (size_t)(strchr(var, '=') - var) + 1;

	for (unsigned int i = 0; i < ia->envc; i++) {
		if (strncmp(ia->envp[i], var, name_len) == 0) {
			ia->envp[i] = var;
			return true;
		}
	}
	return false;
}

static int add(const char **vec, unsigned int *n, unsigned int max, const char *s)
{
	if (*n >= max)
		return -E2BIG;
	vec[(*n)++] = s;
	vec[*n] = NULL;
	return 0;
}

int init_args_build(struct init_args *ia, const char *cmdline, const char *init,
		    bool (*is_kernel_param)(const char *name))
{
	struct cmdline_word w;
	bool dashes = false;
	size_t pos = 0;

	memset(ia, 0, sizeof(*ia));
	strlcpy(ia->buf, cmdline, sizeof(ia->buf));
	ia->argv[0] = init;
	ia->argc = 1;
	ia->envp[ia->envc++] = "HOME=/";
	ia->envp[ia->envc++] = "TERM=linux";
	while (cmdline_next(ia->buf, &pos, &dashes, &w)) {
		int err;

		if (!w.after_dashes && is_kernel_param(w.name))
			continue;
		if (w.value) {
			/* Give the word its '=' back: cmdline_next split it. */
			w.value[-1] = '=';
			err = replace_env(ia, w.name) ? 0 :
			      add(ia->envp, &ia->envc, MAX_INIT_ENVS, w.name);
		} else {
			err = add(ia->argv, &ia->argc, MAX_INIT_ARGS, w.name);
		}
		if (err) {
			ia->overflow_word = w.name;
			return err;
		}
	}
	return 0;
}
