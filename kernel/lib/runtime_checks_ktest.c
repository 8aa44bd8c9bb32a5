// SPDX-License-Identifier: MPL-2.0
// ktests of the production kernel's run-time checks (doc/safe-c.md, "Run-time
// checks"), built into vmlinuz like the rest of kernel/ (and vmlinuz-kasan).
// rtcheck_in_bounds runs with the other ktests and proves that correct code
// is not reported.  The others plant one bug each and are manual
// (ktest.filter= must name them): the report ends the kernel with a failing
// exit code, so testsuite/aster.ktest/runtime_checks.exp boots once per bug
// and checks the report.  Each KT_EXPECT after a planted bug would fail if
// the bug went through unreported, but it is never reached.
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/frame.h>
#include <aster/string.h>

/*
 * Values the compiler cannot see through, so the planted bugs happen at
 * run time and are neither folded away nor rejected at compile time.
 */
size_t rtcheck_ktest_index = 4;
size_t rtcheck_ktest_len = 12;
size_t rtcheck_ktest_heap_len = 40;

struct rtcheck_fields {
	int slots[4];
	char name[8];
	uint64_t secret;
};

static const char rtcheck_src[64] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

KTEST(rtcheck_in_bounds)
{
	struct rtcheck_fields f = { .secret = 42 }, g;
	char *p = kmalloc(rtcheck_ktest_heap_len);
	size_t i;

	KT_ASSERT(p != NULL);
	for (i = 0; i < ARRAY_SIZE(f.slots); i++)
		f.slots[i] = (int)i;
	memcpy(f.name, rtcheck_src, sizeof(f.name));	/* exactly the field */
	memcpy(&g, &f, sizeof(f));			/* the whole struct */
	KT_EXPECT(g.secret == 42 && g.slots[rtcheck_ktest_index - 1] == 3);
	memset(p, 0, rtcheck_ktest_heap_len);		/* exactly the block */
	memmove(p + 1, p, rtcheck_ktest_heap_len - 1);
	KT_EXPECT(strlcpy(g.name, rtcheck_src, sizeof(g.name)) == strlen(rtcheck_src));
	KT_EXPECT(g.secret == 42);
	kfree(p);
}

/* One past the end of an array: the bounds check names the file and line. */
KTEST_MANUAL(rtcheck_array_out_of_bounds)
{
	struct rtcheck_fields f = { .secret = 42 };

	f.slots[rtcheck_ktest_index] = 1;
	KT_EXPECT(f.secret == 42 && f.name[0] == 0);
}

/* 12 bytes into the 8-byte name: they would run into secret. */
KTEST_MANUAL(rtcheck_memcpy_past_field)
{
	struct rtcheck_fields f = { .secret = 42 };

	memcpy(f.name, rtcheck_src, rtcheck_ktest_len);
	KT_EXPECT(f.secret == 42);
}

/* 41 bytes into a 40-byte kmalloc block (its size is known from kmalloc's argument). */
KTEST_MANUAL(rtcheck_memcpy_past_heap_object)
{
	char *p = kmalloc(rtcheck_ktest_heap_len);

	KT_ASSERT(p != NULL);
	memcpy(p, rtcheck_src, rtcheck_ktest_heap_len + 1);
	kfree(p);
}

/*
 * Two small objects in one slab, so that the first stays in a slab the heap
 * still owns after it is freed (an emptied slab goes back to the frame
 * allocator, and a kfree there is "not a heap object" instead).
 */
KTEST_MANUAL(rtcheck_double_free)
{
	void *p[16];
	size_t a = 0, b = 0;

	for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = kmalloc(48);
		KT_ASSERT(p[i] != NULL);
	}
	for (size_t i = 1; i < ARRAY_SIZE(p) && a == b; i++) {
		if ((uintptr_t)p[i] / PAGE_SIZE == (uintptr_t)p[i - 1] / PAGE_SIZE) {
			a = i - 1;
			b = i;
		}
	}
	KT_ASSERT(a != b);
	for (size_t i = 0; i < ARRAY_SIZE(p); i++)
		if (i != b)
			kfree(p[i]);
	kfree(p[a]);	/* again: p[b] keeps the slab */
	kfree(p[b]);
}

/* A pointer into the middle of a heap object. */
KTEST_MANUAL(rtcheck_free_inside_object)
{
	char *p = kmalloc(64);

	KT_ASSERT(p != NULL);
	kfree(p + 16);
	kfree(p);
}

/* An object that never came from the heap. */
KTEST_MANUAL(rtcheck_free_not_heap)
{
	static uint64_t not_heap[8];

	kfree(not_heap);
}

/*
 * A write into a freed object (over the heap's free mark): the kmalloc
 * that would hand it out again reports it.  Allocate until it comes back
 * (it is on its slab's free list, whichever slab kmalloc tries first).
 */
KTEST_MANUAL(rtcheck_write_after_free)
{
	size_t max = 4096, n = 0;
	uint64_t **held = kcalloc(max, sizeof(*held));
	uint64_t *p = kmalloc(64);

	KT_ASSERT(held != NULL && p != NULL);
	kfree(p);
	p[1] = 0x4141414141414141ULL;
	while (n < max) {
		held[n] = kmalloc(64);
		KT_ASSERT(held[n] != NULL);
		if (held[n++] == p)
			break;
	}
	KT_EXPECT(n == max);	/* p came back unreported */
	while (n)
		kfree(held[--n]);
	kfree(held);
}
