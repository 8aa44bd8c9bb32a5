// SPDX-License-Identifier: MPL-2.0
// The ktest runner (see <aster/ktest.h>).
#include <aster/cmdline.h>
#include <aster/format.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/power.h>
#include <aster/string.h>
#include "../internal.h"

struct ktest_ctx {
	const struct ktest *test;
	unsigned int failures;
};

extern const struct ktest __ktests_start[], __ktests_end[];

static bool ktest_enabled;
static char ktest_filter[64];
static const struct ktest *running;

static int set_ktest(const char *v)
{
	(void)v;
	ktest_enabled = true;
	return 0;
}
BOOT_PARAM("ktest", set_ktest);

static int set_ktest_filter(const char *v)
{
	if (!v)
		return -1;
	ktest_enabled = true;
	strlcpy(ktest_filter, v, sizeof(ktest_filter));
	return 0;
}
BOOT_PARAM("ktest.filter", set_ktest_filter);

const char *ktest_current(void)
{
	return running ? running->name : NULL;
}

void ktest_fail(struct ktest_ctx *ctx, const char *file, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->failures++;
	printk(LOG_ERR, "ktest: %s: %s:%d: check failed: %s\n", ctx->test->name, file, line, msg);
}

/* Substring match without a libc. */
static bool name_matches(const char *name, const char *filter)
{
	size_t n = strlen(filter);

	if (!n)
		return true;
	for (; *name; name++)
		if (strncmp(name, filter, n) == 0)
			return true;
	return false;
}

static void run_one(const struct ktest *t, unsigned int *passed, unsigned int *failed)
{
	struct ktest_ctx ctx = { .test = t };

	running = t;
	t->fn(&ctx);
	running = NULL;
	watchdog_touch();
	if (ctx.failures) {
		printk(LOG_ERR, "ktest: FAIL %s\n", t->name);
		(*failed)++;
	} else {
		printk(LOG_ERR, "ktest: PASS %s\n", t->name);
		(*passed)++;
	}
}

void ktest_run_if_requested(void)
{
	unsigned int passed = 0, failed = 0;

	if (!ktest_enabled)
		return;
	printk(LOG_ERR, "ktest: running%s%s\n", ktest_filter[0] ? " tests matching " : " all tests",
	       ktest_filter);
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
		if (t->manual ? strcmp(t->name, ktest_filter) == 0 : name_matches(t->name, ktest_filter))
			run_one(t, &passed, &failed);
	printk(LOG_ERR, "ktest: done, %u passed, %u failed\n", passed, failed);
	machine_debug_exit(failed == 0 && passed > 0);
	machine_halt();
}

KTEST_MANUAL(ktest_selftest_fault)
{
	/* A NULL dereference: the runner must report FAIL with this name. */
	const volatile uint64_t *null_ptr = (const volatile uint64_t *)0;

	KT_EXPECT(*null_ptr == 0);
}

KTEST_MANUAL(ktest_selftest_check)
{
	KT_ASSERT_EQ(1 + 1, 3);
}
