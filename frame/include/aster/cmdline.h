/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The kernel command line, read the way Linux reads it: words separated by
 * blanks, a word is NAME or NAME=VALUE, double quotes group blanks into one
 * word ("a b" or name="a b"), and "--" ends the kernel's part: everything
 * after it belongs to init.
 *
 * Parameters are declared with BOOT_PARAM() anywhere in frame/ or kernel/;
 * the linker collects them, and words matching no declaration are left for
 * init (as Linux passes unknown words on).
 */
#ifndef ASTER_CMDLINE_H
#define ASTER_CMDLINE_H

#include <aster/types.h>

#define CMDLINE_MAX	4096

struct cmdline_word {
	char *name;		/* points into the caller's scratch copy */
	char *value;		/* NULL for a bare word */
	bool after_dashes;	/* the word came after "--" */
};

/*
 * Split a copy of a command line in place.  `buf` holds the text and is
 * modified (quotes removed, words terminated); `pos` starts at 0.  Returns
 * true and fills `w` for each word, false at the end.
 */
bool cmdline_next(char *buf, size_t *pos, bool *seen_dashes, struct cmdline_word *w);

struct boot_param {
	const char *name;
	/* value is NULL for a bare word; returns 0 or a negative errno. */
	int (*handler)(const char *value);
};

/*
 * Declare a command-line parameter.  Handlers run once, in the order the
 * words appear, before the kernel's main function.
 */
#define BOOT_PARAM(pname, fn)	__BOOT_PARAM(pname, fn, __LINE__)
#define __BOOT_PARAM(pname, fn, line)	___BOOT_PARAM(pname, fn, line)
#define ___BOOT_PARAM(pname, fn, line)					\
	static const struct boot_param __boot_param_##line		\
	__attribute__((used, section(".boot_params"), aligned(8))) =	\
		{ .name = (pname), .handler = (fn) }

/* True if `name` is a declared parameter or a dotted module parameter. */
bool boot_param_is_kernel(const char *name);

/* The command line as the boot loader gave it (never NULL). */
const char *boot_cmdline(void);

#endif
