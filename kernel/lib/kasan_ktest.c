// SPDX-License-Identifier: MPL-2.0
// ktests of the checked build (configure --enable-kasan; built only into
// vmlinuz-kasan).  kasan_heap_in_bounds runs with the other ktests and
// proves that correct code is not reported.  The others plant one bug each
// and are manual (ktest.filter= must name them): the report ends the kernel
// with a failing exit code, so testsuite/aster.ktest/kasan.exp boots once
// per bug and checks the report.
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/task.h>
#include <aster/wait.h>

/*
 * Values the compiler cannot see through, so the planted bugs happen at
 * run time and are not folded away or warned about at compile time.
 */
size_t kasan_ktest_past_end = 40;
int kasan_ktest_int_max = 0x7fffffff;

KTEST(kasan_heap_in_bounds)
{
	static const size_t sizes[] = { 1, 7, 8, 9, 40, 100, 2000, 2048, 4096, 5000 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint8_t *p = kmalloc(sizes[i]), *q;

		KT_ASSERT(p != NULL);
		for (size_t j = 0; j < sizes[i]; j++)
			p[j] = (uint8_t)j;
		q = krealloc(p, sizes[i] + 8);	/* in place or moved: every byte usable */
		KT_ASSERT(q != NULL);
		KT_EXPECT(q[sizes[i] - 1] == (uint8_t)(sizes[i] - 1));
		q[sizes[i] + 7] = 1;
		kfree(q);
	}
}

/*
 * The same pointer, but with its object's size out of the compiler's sight
 * (kmalloc's alloc_size attribute would let UBSan's object-size check
 * report the access first, and this test is about KASAN's own check).
 */
static __attribute__((noipa)) uint8_t *sizeless(uint8_t *p)
{
	return p;
}

/* One byte past a 40-byte object: KASAN, slab-out-of-bounds. */
KTEST_MANUAL(kasan_heap_out_of_bounds)
{
	uint8_t *p = sizeless(kmalloc(40));

	KT_ASSERT(p != NULL);
	KT_EXPECT(p[kasan_ktest_past_end] == 0);
	kfree(p);
}

/* A read after kfree: KASAN, use-after-free (the block is in quarantine). */
KTEST_MANUAL(kasan_use_after_free)
{
	uint64_t *p = kmalloc(64);

	KT_ASSERT(p != NULL);
	p[0] = 1;
	kfree(p);
	KT_EXPECT(p[1] == 0);
}

/* kfree twice: KASAN, double-free. */
KTEST_MANUAL(kasan_double_free)
{
	uint8_t *p = kmalloc(32);

	KT_ASSERT(p != NULL);
	kfree(p);
	kfree(p);
}

/* INT_MAX + 1: UBSan, signed-integer-overflow. */
KTEST_MANUAL(kasan_ubsan_overflow)
{
	int v = kasan_ktest_int_max;

	KT_EXPECT(v + 1 != 0);
}

/*
 * Unbounded recursion with a 512-byte frame: the stack guard reports a
 * kernel stack overflow before the task runs off its stack.  The buffer
 * goes through memset (a call the compiler cannot see into) so that it
 * lives across the recursive call and every frame is real.
 */
static unsigned int recurse(unsigned int depth)
{
	uint8_t buf[512];
	unsigned int sum = 0;

	memset(buf, (int)(depth & 0xff), sizeof(buf));
	if (depth)
		sum = recurse(depth - 1);
	return sum + buf[sum % sizeof(buf)];
}

static void deep_task(void *arg)
{
	unsigned int *result = arg;

	*result = recurse(1000000);
}

KTEST_MANUAL(kasan_stack_overflow)
{
	unsigned int result = 0;
	struct task *t = task_create_joinable("kasan-deep", deep_task, &result);

	KT_ASSERT(t != NULL);
	task_join(t);
	task_put(t);
	KT_EXPECT(result == 0);	/* not reached: the overflow ends the kernel */
}

/* The lock-order checker (frame/kasan/lockdep.c): two classes, one order. */
static struct mutex lockdep_a = MUTEX_INIT;
static struct mutex lockdep_b = MUTEX_INIT;

/* Taking the same classes in the same order again and again is fine. */
KTEST(lockdep_consistent_order)
{
	for (int k = 0; k < 3; k++) {
		mutex_lock(&lockdep_a);
		mutex_lock(&lockdep_b);
		mutex_unlock(&lockdep_b);
		mutex_unlock(&lockdep_a);
	}
	KT_ASSERT(mutex_trylock(&lockdep_b));	/* a trylock cannot close a cycle */
	KT_ASSERT(mutex_trylock(&lockdep_a));
	mutex_unlock(&lockdep_a);
	mutex_unlock(&lockdep_b);
}

/* a then b, later b then a: a possible deadlock, reported though none happened. */
KTEST_MANUAL(lockdep_order_inversion)
{
	mutex_lock(&lockdep_a);
	mutex_lock(&lockdep_b);
	mutex_unlock(&lockdep_b);
	mutex_unlock(&lockdep_a);
	mutex_lock(&lockdep_b);
	mutex_lock(&lockdep_a);
	mutex_unlock(&lockdep_a);
	mutex_unlock(&lockdep_b);
}

/* A mutex (which may sleep) taken under a spinlock. */
KTEST_MANUAL(lockdep_sleep_under_spinlock)
{
	static spinlock_t s = SPINLOCK_INIT;
	irqflags_t f = spin_lock_irqsave(&s);

	mutex_lock(&lockdep_a);
	mutex_unlock(&lockdep_a);
	spin_unlock_irqrestore(&s, f);
}
