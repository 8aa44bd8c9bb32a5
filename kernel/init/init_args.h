/* SPDX-License-Identifier: MPL-2.0 */
/* Building init's argv and envp from the kernel command line. */
#ifndef ASTER_KERNEL_INIT_ARGS_H
#define ASTER_KERNEL_INIT_ARGS_H

#include <aster/cmdline.h>

#define MAX_INIT_ARGS	32	/* as Linux */
#define MAX_INIT_ENVS	32

struct init_args {
	char buf[CMDLINE_MAX];
	const char *argv[MAX_INIT_ARGS + 1];	/* NULL-terminated */
	const char *envp[MAX_INIT_ENVS + 1];
	unsigned int argc, envc;
	const char *overflow_word;
};

/*
 * argv[0] is `init` (may be NULL: then argv[0] stays NULL); envp starts with
 * HOME=/ and TERM=linux.  is_kernel_param tells which words the kernel keeps.
 * Returns 0, or -E2BIG when there are too many words (overflow_word says
 * which one).
 */
int init_args_build(struct init_args *ia, const char *cmdline, const char *init,
		    bool (*is_kernel_param)(const char *name));

#endif
