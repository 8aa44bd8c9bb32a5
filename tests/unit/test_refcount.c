// SPDX-License-Identifier: MPL-2.0
// <aster/refcount.h>'s inline functions on the host: which operations
// saturate and with which report, that a saturated count stays saturated
// and is never released, and that concurrent gets and puts balance.  The
// kernel's slow path (frame/lib/refcount.c) prints; here a stand-in
// records the reports with the same saturation.
#include <pthread.h>
#include "tap.h"
#include <aster/refcount.h>

static unsigned int nreports[REFCOUNT_DEC_LEAK + 1];
static unsigned int quiet;

void refcount_saturate(refcount_t *r, int32_t old, enum refcount_report kind)
{
	refcount_set(r, REFCOUNT_SATURATED);
	if (old < 0) {
		quiet++;
		return;
	}
	nreports[kind]++;
}

uint64_t refcount_reports(void)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sizeof(nreports) / sizeof(nreports[0]); i++)
		n += nreports[i];
	return n;
}

static void reset(void)
{
	memset(nreports, 0, sizeof(nreports));
	quiet = 0;
}

static void test_ordinary(void)
{
	refcount_t r = REFCOUNT_INIT(1);

	reset();
	refcount_inc(&r);
	refcount_add(10, &r);
	is_int(refcount_read(&r), 12, "inc and add count up");
	ok(!refcount_sub_and_test(10, &r), "sub_and_test above zero is false");
	refcount_dec(&r);
	ok(refcount_dec_and_test(&r), "the last dec_and_test is true");
	is_int(refcount_read(&r), 0, "and leaves 0");
	ok(!refcount_inc_not_zero(&r), "inc_not_zero of 0 fails");
	is_int(refcount_read(&r), 0, "and leaves 0");
	refcount_set(&r, REFCOUNT_MAX - 2);
	ok(refcount_add_not_zero(2, &r), "add_not_zero up to the maximum");
	is_int(refcount_read(&r), REFCOUNT_MAX, "reaches REFCOUNT_MAX");
	is_int((int)refcount_reports(), 0, "no report on the ordinary paths");
}

static void test_reports(void)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX);

	reset();
	refcount_inc(&r);
	is_int(nreports[REFCOUNT_ADD_OVF], 1, "inc past the maximum: saturated report");
	is_int(refcount_read(&r), REFCOUNT_SATURATED, "count saturated");

	refcount_set(&r, REFCOUNT_MAX - 1);
	refcount_add(5, &r);
	is_int(nreports[REFCOUNT_ADD_OVF], 2, "add past the maximum: saturated report");

	refcount_set(&r, INT32_MAX);
	ok(refcount_inc_not_zero(&r), "inc_not_zero past the maximum succeeds");
	is_int(nreports[REFCOUNT_ADD_NOT_ZERO_OVF], 1, "with its saturated report");

	refcount_set(&r, 0);
	refcount_inc(&r);
	is_int(nreports[REFCOUNT_ADD_UAF], 1, "inc of 0: use-after-free report");
	is_int(refcount_read(&r), REFCOUNT_SATURATED, "count saturated");

	refcount_set(&r, 0);
	ok(!refcount_dec_and_test(&r), "dec_and_test of 0 is false");
	is_int(nreports[REFCOUNT_SUB_UAF], 1, "with an underflow report");

	refcount_set(&r, 2);
	ok(!refcount_sub_and_test(3, &r), "sub_and_test below 0 is false");
	is_int(nreports[REFCOUNT_SUB_UAF], 2, "with an underflow report");

	refcount_set(&r, 1);
	refcount_dec(&r);
	is_int(nreports[REFCOUNT_DEC_LEAK], 1, "dec to 0: leak report");
	is_int(refcount_read(&r), REFCOUNT_SATURATED, "count saturated, not 0");

	refcount_set(&r, 0);
	refcount_dec(&r);
	is_int(nreports[REFCOUNT_SUB_UAF], 3, "dec of 0: underflow report");
	is_int((int)refcount_reports(), 8, "one report per bad operation");
}

static void test_saturated_stays(void)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_SATURATED);
	int released = 0;

	reset();
	for (int i = 0; i < 100000; i++)
		released += refcount_dec_and_test(&r);
	for (int i = 0; i < 100000; i++)
		refcount_inc(&r);
	ok(refcount_inc_not_zero(&r), "inc_not_zero of a saturated count succeeds");
	ok(!refcount_sub_and_test(1000, &r), "sub_and_test of a saturated count is false");
	is_int(released, 0, "a saturated count is never released");
	ok(refcount_read(&r) < 0, "it stays in the saturated range");
	is_int((int)refcount_reports(), 0, "operations on it are not reported again");
	ok(quiet > 0, "but they reach the slow path, which re-saturates");
}

#define THREADS	4
#define ROUNDS	200000

static refcount_t shared = REFCOUNT_INIT(1);

static void *get_put(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		refcount_inc(&shared);
		if (refcount_dec_and_test(&shared))
			return (void *)1;	/* only the holder's put may be the last */
	}
	return NULL;
}

static void test_concurrent(void)
{
	pthread_t t[THREADS];
	int last = 0;

	reset();
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, get_put, NULL);
	for (int i = 0; i < THREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		last += ret != NULL;
	}
	is_int(last, 0, "concurrent gets and puts never reach zero early");
	is_int(refcount_read(&shared), 1, "and balance");
	ok(refcount_dec_and_test(&shared), "the holder's put is the last");
	is_int((int)refcount_reports(), 0, "no report");
}

int main(void)
{
	plan(9 + 15 + 6 + 4);
	test_ordinary();
	test_reports();
	test_saturated_stays();
	test_concurrent();
	return done();
}
