/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Kernel-mode unit tests.  Declare one anywhere in frame/ or kernel/:
 *
 *	KTEST(heap_alloc_free)
 *	{
 *		void *p = kmalloc(64);
 *		KT_ASSERT(p != NULL);
 *		kfree(p);
 *	}
 *
 * The linker collects them; booting with `ktest` (all tests) or
 * `ktest.filter=SUBSTRING` runs them before kernel_main, prints one line per
 * test (`ktest: PASS name` or `ktest: FAIL name: why`), then a summary, and
 * leaves QEMU through isa-debug-exit with success only if all passed.
 */
#ifndef ASTER_KTEST_H
#define ASTER_KTEST_H

#include <aster/types.h>

struct ktest_ctx;

struct ktest {
	const char *name;
	const char *file;
	void (*fn)(struct ktest_ctx *ctx);
	bool manual;	/* runs only when ktest.filter= names it exactly */
};

#define __KTEST(tname, is_manual)					\
	static void ktest_fn_##tname(struct ktest_ctx *ktest_ctx);	\
	static const struct ktest ktest_desc_##tname			\
	__attribute__((used, section(".ktests"), aligned(8))) =		\
		{ #tname, __FILE__, ktest_fn_##tname, is_manual };	\
	static void ktest_fn_##tname(struct ktest_ctx *ktest_ctx)

#define KTEST(tname)		__KTEST(tname, false)
/* A test that is meant to fail (to test the runner itself): never run by default. */
#define KTEST_MANUAL(tname)	__KTEST(tname, true)

/* Record a failure; the test goes on unless it returns. */
void ktest_fail(struct ktest_ctx *ctx, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);

/* Stop the test at the first failed assertion. */
#define KT_ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			ktest_fail(ktest_ctx, __FILE__, __LINE__, "%s", #cond); \
			return;						\
		}							\
	} while (0)

#define KT_ASSERT_EQ(a, b)						\
	do {								\
		int64_t ka_ = (int64_t)(a), kb_ = (int64_t)(b);	\
		if (ka_ != kb_) {					\
			ktest_fail(ktest_ctx, __FILE__, __LINE__,	\
				   "%s == %s (%ld != %ld)", #a, #b, ka_, kb_); \
			return;						\
		}							\
	} while (0)

/* Check and continue. */
#define KT_EXPECT(cond)							\
	do {								\
		if (!(cond))						\
			ktest_fail(ktest_ctx, __FILE__, __LINE__, "%s", #cond); \
	} while (0)

/* The name of the running ktest, or NULL outside a ktest run. */
const char *ktest_current(void);

#endif
