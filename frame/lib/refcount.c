// SPDX-License-Identifier: MPL-2.0
// The slow path of <aster/refcount.h>: saturate a count that went wrong and
// report it once, naming the function that made the bad call.
#include <aster/log.h>
#include <aster/refcount.h>
#include "../internal.h"

/* Enough lines to show every report of a test run; a runaway bug stops printing. */
#define REPORT_LINES	64

static const char *const report_text[] = {
	[REFCOUNT_ADD_NOT_ZERO_OVF] = "saturated; leaking memory.",
	[REFCOUNT_ADD_OVF] = "saturated; leaking memory.",
	[REFCOUNT_ADD_UAF] = "addition on 0; use-after-free.",
	[REFCOUNT_SUB_UAF] = "underflow; use-after-free.",
	[REFCOUNT_DEC_LEAK] = "decrement hit 0; leaking memory.",
};

static uint64_t reports;
static bool traced[ARRAY_SIZE(report_text)];

uint64_t refcount_reports(void)
{
	return __atomic_load_n(&reports, __ATOMIC_RELAXED);
}

static void report(enum refcount_report kind, uint64_t call)
{
	uint64_t n = __atomic_add_fetch(&reports, 1, __ATOMIC_RELAXED);
	uint64_t off;
	const char *fn = ksym_lookup(call, &off);

	if (n > REPORT_LINES) {
		if (n == REPORT_LINES + 1)
			printk(LOG_ERR, "refcount_t: further reports not printed\n");
		return;
	}
	if (fn)
		printk(LOG_ERR, "refcount_t: %s in %s+0x%lx\n", report_text[kind], fn, off);
	else
		printk(LOG_ERR, "refcount_t: %s at %016lx\n", report_text[kind], call);
	/* Like Linux's WARN_ONCE: the trace of the first of a kind shows the path. */
	if (!__atomic_exchange_n(&traced[kind], true, __ATOMIC_RELAXED))
		arch_backtrace(NULL);
}

__attribute__((noinline, cold))
void refcount_saturate(refcount_t *r, int32_t old, enum refcount_report kind)
{
	/* The caller's return address lies in the function that inlined the operation. */
	uint64_t call = (uint64_t)__builtin_return_address(0) - 1;

	refcount_set(r, REFCOUNT_SATURATED);
	/* A negative count was saturated (and reported) before: stay quiet. */
	if (old < 0 || (unsigned int)kind >= ARRAY_SIZE(report_text))
		return;
	report(kind, call);
}
