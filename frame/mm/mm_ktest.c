// SPDX-License-Identifier: MPL-2.0
// ktests of the frame allocator and the heap.  Tests that exhaust memory
// first take nearly everything as large segments (cheap: no frame is
// touched), so they run as fast with 8 GiB as with 128 MiB.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/task.h>
#include <aster/vm_space.h>
#include "mm_internal.h"

static uint32_t rng(uint32_t *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

/*
 * Take free frames until at most `keep` are left, as segments chained
 * through their first bytes.  Returns the chain for release_hog().
 */
static struct segment *hog(size_t keep)
{
	struct segment *chain = NULL;
	size_t n = (size_t)1 << FRAME_MAX_ORDER;

	while (n && frames_free() > keep) {
		struct segment *s;

		while (n > 1 && n > frames_free() - keep)
			n /= 2;
		s = segment_alloc(n, 0);
		if (!s) {
			n /= 2;
			continue;
		}
		segment_write(s, 0, &chain, sizeof(chain));
		chain = s;
	}
	return chain;
}

static void release_hog(struct segment *chain)
{
	while (chain) {
		struct segment *next;

		segment_read(chain, 0, &next, sizeof(next));
		segment_put(chain);
		chain = next;
	}
}

/* The largest power-of-two segment that can be allocated right now. */
static size_t largest_block(void)
{
	for (size_t n = (size_t)1 << FRAME_MAX_ORDER; n; n /= 2) {
		struct segment *s = segment_alloc(n, 0);

		if (s) {
			segment_put(s);
			return n;
		}
	}
	return 0;
}

KTEST(frame_counts_are_sane)
{
	KT_EXPECT(frames_total() > 0);
	KT_EXPECT(frames_free() <= frames_total());
	KT_EXPECT(frames_free() > frames_total() / 2);
}

KTEST(frame_alloc_stress_no_leak)
{
	static struct frame *held[512];
	size_t before = frames_free(), biggest = largest_block();
	uint32_t seed = 12345;

	for (int round = 0; round < 4000; round++) {
		size_t i = rng(&seed) % 512;

		if (held[i]) {
			uint64_t tag;

			KT_EXPECT(frame_read(held[i], 8, &tag, 8) == 0 && tag == i);
			frame_put(held[i]);
			held[i] = NULL;
			continue;
		}
		held[i] = frame_alloc((seed & 1) ? FRAME_ZERO : 0);
		KT_ASSERT(held[i] != NULL);
		uint64_t tag = i;

		frame_write(held[i], 8, &tag, 8);
	}
	for (int i = 0; i < 512; i++) {
		frame_put(held[i]);
		held[i] = NULL;
	}
	KT_ASSERT_EQ(frames_free(), before);
	/* Every split was merged back. */
	KT_EXPECT(largest_block() == biggest);
}

KTEST(segment_stress_random_sizes)
{
	static struct segment *held[64];
	size_t before = frames_free(), biggest = largest_block();
	uint32_t seed = 777;

	for (int round = 0; round < 1500; round++) {
		size_t i = rng(&seed) % 64, n = 1 + rng(&seed) % 100;

		if (held[i]) {
			uint64_t tag;

			/* The tag at the end survived: no two segments overlap. */
			KT_EXPECT(segment_read(held[i], segment_size(held[i]) - 8, &tag, 8) == 0);
			KT_EXPECT(tag == (uint64_t)held[i]);
			segment_put(held[i]);
			held[i] = NULL;
			continue;
		}
		held[i] = segment_alloc(n, 0);
		KT_ASSERT(held[i] != NULL);
		KT_EXPECT(segment_nframes(held[i]) == n);
		uint64_t tag = (uint64_t)held[i];

		segment_write(held[i], n * PAGE_SIZE - 8, &tag, 8);
	}
	for (int i = 0; i < 64; i++) {
		segment_put(held[i]);
		held[i] = NULL;
	}
	KT_ASSERT_EQ(frames_free(), before);
	KT_EXPECT(largest_block() == biggest);
}

KTEST(segment_contiguous_and_bounds)
{
	size_t before = frames_free();
	struct segment *s = segment_alloc(16, FRAME_ZERO);
	uint8_t b = 0, z[16];

	KT_ASSERT(s != NULL);
	KT_EXPECT(segment_size(s) == 16 * PAGE_SIZE);
	KT_EXPECT(segment_read(s, 5 * PAGE_SIZE, z, sizeof(z)) == 0 && z[0] == 0 && z[15] == 0);
	KT_EXPECT(segment_write(s, 16 * PAGE_SIZE - 1, "z", 1) == 0);
	KT_EXPECT(segment_read(s, 16 * PAGE_SIZE - 1, &b, 1) == 0 && b == 'z');
	KT_EXPECT(segment_write(s, 16 * PAGE_SIZE, "z", 1) == -EINVAL);
	KT_EXPECT(segment_read(s, 1, z, SIZE_MAX) == -EINVAL);
	KT_EXPECT(segment_fill(s, 16 * PAGE_SIZE - 2, 0xab, 3) == -EINVAL);
	KT_EXPECT(segment_fill(s, PAGE_SIZE - 1, 0xab, 2) == 0);
	/* The frames are contiguous: a write across a frame boundary reads back per frame. */
	KT_EXPECT(frame_read(segment_frame(s, 1), 0, &b, 1) == 0 && b == 0xab);
	KT_EXPECT(segment_frame(s, 16) == NULL);
	KT_EXPECT(frames_free() == before - 16);
	/* A frame of the segment may outlive it. */
	struct frame *kept = segment_frame(s, 3);

	frame_get(kept);
	segment_put(s);
	KT_EXPECT(frames_free() == before - 1);
	KT_EXPECT(frame_refcount(kept) == 1);
	frame_put(kept);
	KT_EXPECT(frames_free() == before);
	KT_EXPECT(segment_alloc(0, 0) == NULL);
	KT_EXPECT(segment_alloc(((size_t)1 << FRAME_MAX_ORDER) + 1, 0) == NULL);
}

/* Tests that expect NULL on exhaustion turn the kernel's reclaim callback off meanwhile. */
static size_t (*reclaim_off(void))(size_t)
{
	size_t (*saved)(size_t) = frame_reclaim_fn;

	frame_set_reclaim(NULL);
	return saved;
}

KTEST(frame_exhaustion_returns_null_then_recovers)
{
	size_t (*saved)(size_t) = reclaim_off();
	size_t before = frames_free(), heap_before = heap_bytes_in_use();
	struct segment *chain = hog(0);

	KT_EXPECT(frames_free() == 0);
	KT_EXPECT(frame_alloc(0) == NULL);
	KT_EXPECT(frame_alloc(FRAME_ZERO) == NULL);
	KT_EXPECT(segment_alloc(2, 0) == NULL);
	KT_EXPECT(kmalloc(3 * PAGE_SIZE) == NULL);
	release_hog(chain);
	frame_set_reclaim(saved);
	KT_ASSERT_EQ(frames_free(), before);
	KT_EXPECT(heap_bytes_in_use() == heap_before);
}

/* The fake reclaim callback gives back `pool` and tries to allocate meanwhile. */
static struct segment *pool;
static unsigned int fake_calls, fake_nested_null;

static size_t fake_reclaim(size_t want)
{
	struct segment *s = pool;
	struct frame *f = frame_alloc(0);	/* inside the callback: fails, no recursion */
	size_t n;

	(void)want;
	fake_calls++;
	if (!f)
		fake_nested_null++;
	frame_put(f);
	if (!s)
		return 0;
	pool = NULL;
	n = segment_nframes(s);
	segment_put(s);
	return n;
}

KTEST(frame_reclaim_called_only_where_it_may_sleep)
{
	size_t (*saved)(size_t) = reclaim_off();
	size_t before = frames_free();
	struct segment *chain = hog(0);
	spinlock_t lock = SPINLOCK_INIT;
	struct frame *f;
	irqflags_t irq;

	KT_ASSERT(chain != NULL);
	KT_EXPECT(frames_free() == 0);
	pool = chain;		/* the first segment is what the callback frees */
	segment_read(pool, 0, &chain, sizeof(chain));
	fake_calls = fake_nested_null = 0;
	frame_set_reclaim(fake_reclaim);
	/* Atomic contexts: the callback is not called, the allocation fails. */
	preempt_disable();
	KT_EXPECT(frame_alloc(0) == NULL);
	preempt_enable();
	irq = irq_local_save();
	KT_EXPECT(frame_alloc(0) == NULL);
	irq_local_restore(irq);
	irq = spin_lock_irqsave(&lock);
	KT_EXPECT(segment_alloc(1, 0) == NULL);
	spin_unlock_irqrestore(&lock, irq);
	preempt_disable();
	KT_EXPECT(kmalloc(3 * PAGE_SIZE) == NULL);
	preempt_enable();
	KT_EXPECT(fake_calls == 0);
	/* A task that may sleep: the callback frees the pool and the retry succeeds. */
	f = frame_alloc(FRAME_ZERO);
	KT_EXPECT(f != NULL);
	KT_EXPECT(fake_calls == 1);
	KT_EXPECT(fake_nested_null == 1);
	KT_EXPECT(pool == NULL);
	frame_put(f);
	/* kmalloc reclaims too (outside the heap's lock); the pool is gone: NULL. */
	KT_EXPECT(kmalloc(4 * PAGE_SIZE * 1024) == NULL);
	KT_EXPECT(fake_calls == 2);
	frame_set_reclaim(saved);
	segment_put(pool);
	pool = NULL;
	release_hog(chain);
	KT_EXPECT(frames_free() == before);
}

KTEST(frame_refcount_and_accessors)
{
	struct frame *f = frame_alloc(FRAME_ZERO), *g;
	uint8_t buf[8];
	size_t before;

	KT_ASSERT(f != NULL);
	before = frames_free();
	frame_get(f);
	KT_EXPECT(frame_refcount(f) == 2);
	frame_put(f);
	KT_EXPECT(frame_refcount(f) == 1);
	KT_EXPECT(frames_free() == before);	/* still referenced */
	KT_EXPECT(frame_read(f, 0, buf, 8) == 0 && buf[0] == 0 && buf[7] == 0);
	KT_EXPECT(frame_write(f, PAGE_SIZE - 4, "abcd", 4) == 0);
	KT_EXPECT(frame_write(f, PAGE_SIZE - 3, "abcd", 4) == -EINVAL);
	KT_EXPECT(frame_read(f, PAGE_SIZE + 1, buf, 0) == -EINVAL);
	KT_EXPECT(frame_read(f, PAGE_SIZE, buf, 0) == 0);
	KT_EXPECT(frame_read(f, 8, buf, SIZE_MAX - 4) == -EINVAL);
	KT_EXPECT(frame_fill(f, 10, 0xaa, SIZE_MAX) == -EINVAL);
	KT_EXPECT(frame_read(NULL, 0, buf, 1) == -EINVAL);
	KT_EXPECT(frame_write(NULL, 0, buf, 1) == -EINVAL);
	g = frame_alloc(0);
	KT_ASSERT(g != NULL);
	KT_EXPECT(frame_copy(g, f) == 0);
	KT_EXPECT(frame_read(g, PAGE_SIZE - 4, buf, 4) == 0 && memcmp(buf, "abcd", 4) == 0);
	KT_EXPECT(frame_fill(g, 0, 0x5a, PAGE_SIZE) == 0);
	KT_EXPECT(frame_read(g, PAGE_SIZE - 1, buf, 1) == 0 && buf[0] == 0x5a);
	KT_EXPECT(frame_copy(g, NULL) == -EINVAL);
	frame_put(g);
	frame_put(f);
	frame_put(NULL);
	KT_EXPECT(frames_free() == before + 1);
}

/* Frames above 4 GiB (when there is such RAM) work like any other. */
KTEST(frame_high_memory_usable)
{
	static struct segment *held[64];
	size_t before = frames_free();
	uint64_t v = 0;
	unsigned int n = 0;

	if (mm_ram_top() <= GiB(4))
		return;
	/* Free lists are LIFO and the highest RAM was handed over last. */
	for (size_t i = 0; i < 64; i++) {
		held[i] = segment_alloc((size_t)1 << FRAME_MAX_ORDER, 0);
		if (held[i] && segment_phys(held[i]) >= GiB(4))
			n++;
	}
	KT_EXPECT(n > 0);
	for (size_t i = 0; i < 64; i++) {
		if (!held[i] || segment_phys(held[i]) < GiB(4))
			continue;
		v = segment_phys(held[i]);
		KT_EXPECT(segment_write(held[i], segment_size(held[i]) - 8, &v, 8) == 0);
		v = 0;
		KT_EXPECT(segment_read(held[i], segment_size(held[i]) - 8, &v, 8) == 0);
		KT_EXPECT(v == segment_phys(held[i]));
	}
	for (size_t i = 0; i < 64; i++) {
		segment_put(held[i]);
		held[i] = NULL;
	}
	KT_EXPECT(frames_free() == before);
}

KTEST(frame_below_4g_for_dma32)
{
	size_t before = frames_free();
	struct frame_meta *low = frames_alloc_run(3, FRAME_ZERO | FRAME_BELOW_4G);
	struct frame_meta *any = frames_alloc_run(1, 0);

	KT_ASSERT(low != NULL && any != NULL);
	KT_EXPECT(frame_phys(low) + 3 * PAGE_SIZE <= GiB(4));
	KT_EXPECT(frames_free() == before - 4);
	frames_free_run(low, 3);
	frames_free_run(any, 1);
	KT_EXPECT(frames_free() == before);
}

/*
 * Handles carry the frame's generation: once the frame is freed, its old
 * handle names nothing, whatever the frame becomes next (the checks here
 * are the non-panicking form of what every entry point does).
 */
KTEST(frame_handle_generation)
{
	struct frame *f = frame_alloc(0), *g;
	struct frame_meta *m, *pt;
	size_t pfn;

	KT_ASSERT(f != NULL);
	m = handle_check(f, FRAME_HANDLE_TAG);
	KT_ASSERT(m != NULL);
	pfn = frame_pfn(m);
	KT_EXPECT(frame_handle(m) == f);	/* one live frame, one handle value */
	KT_EXPECT(handle_check(f, SEGMENT_HANDLE_TAG) == NULL);
	frame_put(f);
	KT_EXPECT(handle_check(f, FRAME_HANDLE_TAG) == NULL);
	/* The free lists are LIFO: the same frame comes back, with a new generation. */
	g = frame_alloc(0);
	KT_ASSERT(g != NULL);
	KT_EXPECT(frame_pfn(frame_meta_of(g)) == pfn);
	KT_EXPECT(g != f);
	KT_EXPECT(handle_check(f, FRAME_HANDLE_TAG) == NULL);
	frame_put(g);
	/* A page table is never a handle's frame, even for a handle of its current gen. */
	pt = pagetable_alloc();
	KT_ASSERT(pt != NULL);
	KT_EXPECT(frame_pfn(pt) == pfn);
	KT_EXPECT(handle_check((const void *)(uintptr_t)handle_encode(FRAME_HANDLE_TAG, pt),
			       FRAME_HANDLE_TAG) == NULL);
	KT_EXPECT(handle_check(f, FRAME_HANDLE_TAG) == NULL);
	KT_EXPECT(handle_check(g, FRAME_HANDLE_TAG) == NULL);
	pagetable_free(pt);
	/* Malformed values: NULL, a kernel pointer, a frame number past the table. */
	KT_EXPECT(handle_check(NULL, FRAME_HANDLE_TAG) == NULL);
	KT_EXPECT(handle_check(&pfn, FRAME_HANDLE_TAG) == NULL);
	KT_EXPECT(handle_check((const void *)(uintptr_t)(FRAME_HANDLE_TAG << 56 | 0xffffffffUL),
			       FRAME_HANDLE_TAG) == NULL);
}

KTEST(segment_handle_generation)
{
	struct segment *s = segment_alloc(2, 0), *t;
	struct frame *kept;

	KT_ASSERT(s != NULL);
	KT_EXPECT(handle_check(s, SEGMENT_HANDLE_TAG) != NULL);
	KT_EXPECT(handle_check(s, FRAME_HANDLE_TAG) == NULL);	/* not a frame handle */
	kept = segment_frame(s, 0);
	frame_get(kept);
	segment_put(s);
	/* Its first frame lives on (kept), but the segment does not. */
	KT_EXPECT(handle_check(s, SEGMENT_HANDLE_TAG) != NULL);
	KT_EXPECT(handle_check(s, SEGMENT_HANDLE_TAG)->seg.refs == 0);
	frame_put(kept);
	KT_EXPECT(handle_check(s, SEGMENT_HANDLE_TAG) == NULL);
	t = segment_alloc(2, 0);
	KT_ASSERT(t != NULL);
	KT_EXPECT(t != s);
	KT_EXPECT(segment_nframes(t) == 2);
	segment_put(t);
}

/* ---- heap ---- */

/*
 * Sizes no allocation can satisfy, out of the compiler's sight: kmalloc's
 * alloc_size attribute makes a constant one a compile-time warning.
 */
size_t heap_ktest_huge = SIZE_MAX;

KTEST(heap_all_classes_and_large)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 31, 32, 33, 64, 100, 128, 200, 256, 257,
					512, 513, 1000, 1024, 1025, 2047, 2048, 2049, 4096,
					4097, 10000, 100000, MiB(1) + 1 };
	void *p[ARRAY_SIZE(sizes)];
	size_t before = heap_bytes_in_use(), frames_before = frames_free();

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		KT_ASSERT(p[i] != NULL);
		KT_EXPECT(((uintptr_t)p[i] & 15) == 0);
		memset(p[i], (int)i, sizes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		const uint8_t *b = p[i];

		KT_EXPECT(b[0] == i && b[sizes[i] - 1] == i);	/* no overlap */
		kfree(p[i]);
	}
	KT_EXPECT(heap_bytes_in_use() == before);
	KT_EXPECT(frames_free() == frames_before);
	KT_EXPECT(kmalloc(heap_ktest_huge) == NULL);
	KT_EXPECT(kmalloc(GiB(1)) == NULL);	/* beyond the largest run */
	KT_EXPECT(kcalloc(heap_ktest_huge / 2, 4) == NULL);
}

KTEST(heap_many_objects_per_class)
{
	static void *p[1200];
	size_t frames_before = frames_free(), before = heap_bytes_in_use();

	for (unsigned int c = 0; c < 8; c++) {
		size_t sz = (size_t)16 << c;

		for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
			p[i] = kmalloc(sz);
			KT_ASSERT(p[i] != NULL);
			*(size_t *)p[i] = i;
		}
		/* Free every other one, then the rest: slabs go partial, then empty. */
		for (size_t i = 0; i < ARRAY_SIZE(p); i += 2)
			kfree(p[i]);
		for (size_t i = 1; i < ARRAY_SIZE(p); i += 2) {
			KT_EXPECT(*(size_t *)p[i] == i);
			kfree(p[i]);
		}
		KT_EXPECT(heap_bytes_in_use() == before);
	}
	KT_EXPECT(frames_free() == frames_before);
}

KTEST(heap_realloc_and_zero)
{
	char *p = kzalloc(40), *q;
	uint32_t *arr = kcalloc(100, sizeof(uint32_t));

	KT_ASSERT(p != NULL && arr != NULL);
	KT_EXPECT(p[0] == 0 && p[39] == 0 && arr[0] == 0 && arr[99] == 0);
	kfree(arr);
	memcpy(p, "keep", 4);
	q = krealloc(p, 48);		/* same class: same block */
	KT_EXPECT(q == p);
	p = krealloc(q, 5000);
	KT_ASSERT(p != NULL);
	KT_EXPECT(memcmp(p, "keep", 4) == 0);
	KT_EXPECT(((uintptr_t)p & (PAGE_SIZE - 1)) == 0);
	q = krealloc(p, 10);		/* shrinking keeps the block */
	KT_EXPECT(q == p);
	kfree(q);
	q = krealloc(NULL, 8);
	KT_EXPECT(q != NULL);
	kfree(q);
	kfree(NULL);
}

KTEST(heap_exhaustion_returns_null)
{
	size_t (*saved)(size_t) = reclaim_off();
	size_t frames_before = frames_free(), before = heap_bytes_in_use(), n = 0;
	struct segment *chain = hog(64);
	void **list = NULL;

	/* Fill what is left with blocks of every class, chained through their first word. */
	for (size_t sz = 2048; sz >= 16; sz /= 2) {
		for (;;) {
			void **b = kmalloc(sz);

			if (!b)
				break;
			*b = list;
			list = b;
			n++;
		}
	}
	KT_EXPECT(n > 64);
	KT_EXPECT(kmalloc(16) == NULL);
	KT_EXPECT(kmalloc(16 * PAGE_SIZE) == NULL);
	KT_EXPECT(kzalloc(100) == NULL);
	while (list) {
		void **next = *list;

		kfree(list);
		list = next;
	}
	release_hog(chain);
	frame_set_reclaim(saved);
	/* Empty slabs went back: no frame is lost. */
	KT_EXPECT(heap_bytes_in_use() == before);
	KT_EXPECT(frames_free() == frames_before);
}

/* ---- planted bugs (KTEST_MANUAL: testsuite/aster.ktest/planted-handles.exp) ---- */

/*
 * kernel/ keeps a frame handle after its last frame_put, the frame becomes
 * a page table of a user address space, and the stale handle is written:
 * frame_write must refuse it (a panic report naming the page table), not
 * write the page table.
 */
KTEST_MANUAL(planted_stale_frame_handle_pagetable)
{
	struct frame *stale = frame_alloc(FRAME_ZERO), *data = frame_alloc(FRAME_ZERO);
	struct vm_space *vs = vm_space_create();
	uint64_t junk = 0x8000000000000067ULL;	/* a PTE: present, writable, user */
	size_t pfn;
	unsigned int i;

	KT_ASSERT(stale && data && vs);
	pfn = frame_pfn(frame_meta_of(stale));
	frame_put(stale);
	/* Each mapping 1 GiB apart needs new page tables: one of them gets the frame. */
	for (i = 0; i < 64 && pfn_to_frame(pfn)->kind != FRAME_KIND_PAGETABLE; i++)
		KT_ASSERT(vm_map(vs, 0x40000000UL * (i + 1), data, VM_READ | VM_USER) == 0);
	KT_ASSERT(pfn_to_frame(pfn)->kind == FRAME_KIND_PAGETABLE);
	printk(LOG_INFO,
	       "ktest: pfn %#zx is a page table now; writing it through the stale handle\n", pfn);
	frame_write(stale, 0, &junk, sizeof(junk));
	KT_EXPECT(!"frame_write took a stale handle to a page table");
	vm_space_put(vs);
	frame_put(data);
}

/* A segment handle kept after segment_put, its frames reused by another segment. */
KTEST_MANUAL(planted_stale_segment_handle)
{
	struct segment *stale = segment_alloc(4, FRAME_ZERO), *next;

	KT_ASSERT(stale != NULL);
	segment_put(stale);
	next = segment_alloc(4, FRAME_ZERO);	/* the free lists are LIFO: the same frames */
	KT_ASSERT(next != NULL);
	printk(LOG_INFO, "ktest: writing a released segment through its stale handle\n");
	segment_write(stale, 0, "stale", 5);
	KT_EXPECT(!"segment_write took a stale handle");
	segment_put(next);
}
