// SPDX-License-Identifier: MPL-2.0
// The kernel command line: cmdline_next (frame/lib/cmdline.c) splitting it
// in place, and init_args_build (kernel/init/init_args.c) making init's
// argv and envp from it.  The input (cut to CMDLINE_MAX - 1 bytes) is the
// command line; every word must point into the scratch copy, and argv and
// envp stay within their bounds and NULL-terminated.
#include <string.h>
#include "fuzz.h"
#include <aster/errno.h>
#include "init_args.h"

static struct init_args ia;

/* A stand-in for the BOOT_PARAM table: every name with a dot or "quiet". */
static bool is_kernel(const char *name)
{
	return strchr(name, '.') != NULL || strcmp(name, "quiet") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[CMDLINE_MAX], text[CMDLINE_MAX];
	size_t len = size < CMDLINE_MAX - 1 ? size : CMDLINE_MAX - 1, pos = 0, words = 0;
	bool dashes = false;
	struct cmdline_word w;
	int err;

	memcpy(text, data, len);
	text[len] = '\0';
	memcpy(buf, text, len + 1);
	while (cmdline_next(buf, &pos, &dashes, &w)) {
		FUZZ_ASSERT(w.name >= buf && w.name < buf + sizeof(buf));
		FUZZ_ASSERT(!w.value || (w.value > w.name && w.value < buf + sizeof(buf)));
		FUZZ_ASSERT(++words <= len);
	}
	FUZZ_ASSERT(pos <= len + 1);
	err = init_args_build(&ia, text, words & 1 ? "/init" : NULL, is_kernel);
	FUZZ_ASSERT(err == 0 || err == -E2BIG);
	FUZZ_ASSERT(ia.argc <= MAX_INIT_ARGS && ia.argv[ia.argc] == NULL);
	FUZZ_ASSERT(ia.envc <= MAX_INIT_ENVS && ia.envp[ia.envc] == NULL);
	return 0;
}
