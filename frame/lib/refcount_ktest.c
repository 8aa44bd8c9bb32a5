// SPDX-License-Identifier: MPL-2.0
// Tests of <aster/refcount.h>: the ordinary paths (no report), and planted
// bugs (manual: each is booted alone by testsuite/aster.ktest/planted-refcount.exp,
// which checks the report line) that must saturate and leak, never free twice.
#include <aster/ktest.h>
#include <aster/refcount.h>

/* An object whose release is counted instead of freeing memory. */
struct counted {
	refcount_t refs;
	unsigned int releases;
};

/* Not inlined: the reports must name these, the functions that made the bad call. */
__attribute__((noinline)) static void planted_get(struct counted *c)
{
	refcount_inc(&c->refs);
}

__attribute__((noinline)) static void planted_put(struct counted *c)
{
	if (refcount_dec_and_test(&c->refs))
		c->releases++;
}

__attribute__((noinline)) static void planted_drop(struct counted *c)
{
	refcount_dec(&c->refs);
}

KTEST(refcount_get_put_releases_once)
{
	struct counted c = { REFCOUNT_INIT(1), 0 };
	uint64_t before = refcount_reports();

	planted_get(&c);
	refcount_add(3, &c.refs);
	KT_ASSERT_EQ(refcount_read(&c.refs), 5);
	KT_EXPECT(!refcount_sub_and_test(3, &c.refs));
	planted_drop(&c);
	KT_ASSERT_EQ(refcount_read(&c.refs), 1);
	KT_EXPECT(c.releases == 0);
	planted_put(&c);
	KT_EXPECT(c.releases == 1);
	KT_EXPECT(refcount_reports() == before);
}

KTEST(refcount_inc_not_zero)
{
	refcount_t r = REFCOUNT_INIT(0);
	uint64_t before = refcount_reports();

	KT_EXPECT(!refcount_inc_not_zero(&r));
	KT_EXPECT(refcount_read(&r) == 0);
	refcount_set(&r, 1);
	KT_EXPECT(refcount_inc_not_zero(&r));
	KT_EXPECT(refcount_add_not_zero(2, &r));
	KT_EXPECT(refcount_read(&r) == 4);
	KT_EXPECT(refcount_sub_and_test(4, &r));
	KT_EXPECT(refcount_reports() == before);
}

KTEST(refcount_up_to_max_is_fine)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX - 1);
	uint64_t before = refcount_reports();

	refcount_inc(&r);
	KT_EXPECT(refcount_read(&r) == REFCOUNT_MAX);
	KT_EXPECT(!refcount_dec_and_test(&r));
	KT_EXPECT(refcount_read(&r) == REFCOUNT_MAX - 1);
	KT_EXPECT(refcount_reports() == before);
}

/*
 * The planted bugs.  Each makes exactly one report, leaves the count
 * saturated, and the object is released at most once however many puts
 * follow (the later operations on the saturated count are silent).
 */
static void check_saturated(struct ktest_ctx *ktest_ctx, struct counted *c, uint64_t before,
			    unsigned int releases)
{
	KT_ASSERT(refcount_reports() == before + 1);
	KT_ASSERT(refcount_read(&c->refs) == REFCOUNT_SATURATED);
	for (int i = 0; i < 1000; i++)
		planted_put(c);
	planted_get(c);
	KT_EXPECT(c->releases == releases);
	KT_EXPECT(refcount_read(&c->refs) < 0);
	KT_EXPECT(refcount_reports() == before + 1);
}

KTEST_MANUAL(refcount_planted_underflow)
{
	struct counted c = { REFCOUNT_INIT(1), 0 };
	uint64_t before = refcount_reports();

	planted_put(&c);
	KT_ASSERT(c.releases == 1);
	planted_put(&c);	/* one put too many: the object is already released */
	check_saturated(ktest_ctx, &c, before, 1);
}

KTEST_MANUAL(refcount_planted_inc_from_zero)
{
	struct counted c = { REFCOUNT_INIT(1), 0 };
	uint64_t before = refcount_reports();

	planted_put(&c);
	KT_ASSERT(c.releases == 1);
	planted_get(&c);	/* a reference to a released object */
	check_saturated(ktest_ctx, &c, before, 1);
}

KTEST_MANUAL(refcount_planted_overflow)
{
	struct counted c = { REFCOUNT_INIT(REFCOUNT_MAX), 0 };
	uint64_t before = refcount_reports();

	planted_get(&c);	/* one past the maximum: it would wrap to negative */
	check_saturated(ktest_ctx, &c, before, 0);
}

KTEST_MANUAL(refcount_planted_dec_to_zero)
{
	struct counted c = { REFCOUNT_INIT(1), 0 };
	uint64_t before = refcount_reports();

	planted_drop(&c);	/* "never the last" was wrong: leak it, do not free */
	check_saturated(ktest_ctx, &c, before, 0);
}
