// SPDX-License-Identifier: MPL-2.0
// The kernel sources also hold KTEST()s, which call ktest_fail(); nothing
// runs them on the host, but they must link.
#include <stdlib.h>
#include <aster/ktest.h>

void ktest_fail(struct ktest_ctx *ctx, const char *file, int line, const char *fmt, ...)
{
	(void)ctx;
	(void)file;
	(void)line;
	(void)fmt;
	abort();
}
