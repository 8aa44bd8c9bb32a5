/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Reference counts that cannot wrap, as Linux's refcount_t.  Every lifetime
 * count in kernel/ (files, inodes, dentries, processes, descriptor tables,
 * address spaces...) is a refcount_t, never a bare atomic_t or integer.
 *
 *	struct thing { refcount_t refs; ... };
 *
 *	refcount_set(&t->refs, 1);		the creator's reference
 *	refcount_inc(&t->refs);			one more holder (the caller holds one)
 *	if (refcount_inc_not_zero(&t->refs))	a reference from a lookup table
 *		...				whose entries may be on their way out
 *	if (refcount_dec_and_test(&t->refs))	the last holder frees it
 *		thing_free(t);
 *	refcount_dec(&t->refs);			a reference that is never the last
 *
 * Error contract.  Nothing returns an error.  A count that would go wrong
 * is *saturated* instead and the kernel goes on, as Linux's does:
 *
 *	increment past REFCOUNT_MAX	"refcount_t: saturated; leaking memory."
 *	increment of 0			"refcount_t: addition on 0; use-after-free."
 *	decrement of 0 or below		"refcount_t: underflow; use-after-free."
 *	refcount_dec down to 0		"refcount_t: decrement hit 0; leaking memory."
 *
 * Each is reported with one line, the message followed by " in
 * FUNCTION+0xOFF", the function that made the bad call (the first report
 * of each kind also prints the call trace), and counted by
 * refcount_reports().  The count is then set to REFCOUNT_SATURATED and
 * stays there: increments and decrements leave it (silently: it was
 * reported when it saturated), refcount_dec_and_test never returns true,
 * refcount_inc_not_zero succeeds.  So the object is leaked, never freed
 * while someone still holds it or freed twice: a leak instead of memory
 * corruption.  A count that has already been freed cannot be protected
 * (its memory may be reused); KASAN catches that in the checked build.
 *
 * Memory ordering, as Linux's: increments are relaxed (the caller already
 * holds a reference, which orders everything it did); decrements have
 * release order, and the one that reaches zero acquire order too, so the
 * freeing holder sees every other holder's writes to the object.
 * refcount_inc_not_zero is relaxed on success and orders nothing on
 * failure.  The functions are safe in interrupt context.
 */
#ifndef ASTER_REFCOUNT_H
#define ASTER_REFCOUNT_H

#include <aster/types.h>

/* Touch the counter only through the functions below. */
typedef struct {
	int32_t counter;
} refcount_t;

#define REFCOUNT_INIT(n)	{ (n) }
#define REFCOUNT_MAX		INT32_MAX
/* Half way into the negative range, so racing increments and decrements stay there. */
#define REFCOUNT_SATURATED	(INT32_MIN / 2)

enum refcount_report {
	REFCOUNT_ADD_NOT_ZERO_OVF,	/* refcount_inc_not_zero past the maximum */
	REFCOUNT_ADD_OVF,		/* refcount_inc/add past the maximum */
	REFCOUNT_ADD_UAF,		/* refcount_inc/add of 0 */
	REFCOUNT_SUB_UAF,		/* a decrement below 0 */
	REFCOUNT_DEC_LEAK,		/* refcount_dec to 0 */
};

/*
 * The slow path of every function below: saturate r and report (unless
 * old, the value the operation found, shows it was saturated already).
 */
void refcount_saturate(refcount_t *r, int32_t old, enum refcount_report kind);
/* Reports since boot (also those whose line was not printed). */
uint64_t refcount_reports(void);

static inline void refcount_set(refcount_t *r, int32_t n)
{
	__atomic_store_n(&r->counter, n, __ATOMIC_RELAXED);
}

/* Racy by nature: for "am I the only holder" tests and reports. */
static inline int32_t refcount_read(const refcount_t *r)
{
	return __atomic_load_n(&r->counter, __ATOMIC_RELAXED);
}

/*
 * The slow path, never as a tail call: the report names the function the
 * return address lies in, which must be the one that made the bad call.
 */
static inline void refcount_saturate_(refcount_t *r, int32_t old, enum refcount_report kind)
{
	refcount_saturate(r, old, kind);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* old + i wraps below zero (computed unsigned: no signed overflow). */
static inline bool refcount_sum_negative_(int32_t old, int32_t i)
{
	return (int32_t)((uint32_t)old + (uint32_t)i) < 0;
}

/* Add i > 0 references; the caller must already hold one. */
static inline void refcount_add(int32_t i, refcount_t *r)
{
	int32_t old = __atomic_fetch_add(&r->counter, i, __ATOMIC_RELAXED);

	if (__builtin_expect(old == 0, 0))
		refcount_saturate_(r, old, REFCOUNT_ADD_UAF);
	else if (__builtin_expect(old < 0 || refcount_sum_negative_(old, i), 0))
		refcount_saturate_(r, old, REFCOUNT_ADD_OVF);
}

static inline void refcount_inc(refcount_t *r)
{
	refcount_add(1, r);
}

/* Add i > 0 references unless the count is 0; true when they were added. */
__attribute__((warn_unused_result))
static inline bool refcount_add_not_zero(int32_t i, refcount_t *r)
{
	int32_t old = refcount_read(r);

	do {
		if (old == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&r->counter, &old, (int32_t)((uint32_t)old + (uint32_t)i),
					      true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	if (__builtin_expect(old < 0 || refcount_sum_negative_(old, i), 0))
		refcount_saturate_(r, old, REFCOUNT_ADD_NOT_ZERO_OVF);
	return true;
}

__attribute__((warn_unused_result))
static inline bool refcount_inc_not_zero(refcount_t *r)
{
	return refcount_add_not_zero(1, r);
}

/* Drop i > 0 references; true when they were the last (the caller frees). */
__attribute__((warn_unused_result))
static inline bool refcount_sub_and_test(int32_t i, refcount_t *r)
{
	int32_t old = __atomic_fetch_sub(&r->counter, i, __ATOMIC_RELEASE);

	if (old == i) {
		/* Pairs with the other holders' release: their writes happen before the free. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		return true;
	}
	if (__builtin_expect(old < 0 || refcount_sum_negative_(old, -i), 0))
		refcount_saturate_(r, old, REFCOUNT_SUB_UAF);
	return false;
}

__attribute__((warn_unused_result))
static inline bool refcount_dec_and_test(refcount_t *r)
{
	return refcount_sub_and_test(1, r);
}

/* Drop a reference that the caller knows is not the last (reaching 0 is reported). */
static inline void refcount_dec(refcount_t *r)
{
	int32_t old = __atomic_fetch_sub(&r->counter, 1, __ATOMIC_RELEASE);

	if (__builtin_expect(old <= 1, 0))
		refcount_saturate_(r, old, old == 1 ? REFCOUNT_DEC_LEAK : REFCOUNT_SUB_UAF);
}

#endif
