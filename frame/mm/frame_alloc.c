// SPDX-License-Identifier: MPL-2.0
// The physical frame allocator: a free bitmap and a metadata entry per
// frame (the `struct frame` handles), both carved out of usable RAM at boot.
// Single frames are found by a next-fit scan of 64-frame words; contiguous
// runs by a first-fit scan.  Frames are reference counted.
//
// Only RAM inside the boot direct map (the first 4 GiB) is managed until
// the kernel builds page tables covering all of RAM.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "../internal.h"
#include "mm_internal.h"

#define LOW_MEMORY	0x100000UL	/* BIOS, real-mode and loader data */

static struct frame *frame_table;	/* indexed by physical frame number */
static uint64_t *free_bitmap;		/* bit set: frame is free */
static size_t max_pfn;			/* frames tracked: [0, max_pfn) */
static size_t nr_total, nr_free;
static size_t next_hint;
static spinlock_t frame_lock = SPINLOCK_INIT;

extern char __image_start_phys[], __bss_end_phys[];

static bool is_free(size_t pfn)
{
	return free_bitmap[pfn / 64] & (1ULL << (pfn % 64));
}

static void set_free(size_t pfn, bool free)
{
	if (free)
		free_bitmap[pfn / 64] |= 1ULL << (pfn % 64);
	else
		free_bitmap[pfn / 64] &= ~(1ULL << (pfn % 64));
}

size_t frame_pfn(const struct frame *f)
{
	return (size_t)(f - frame_table);
}

struct frame *pfn_to_frame(size_t pfn)
{
	return pfn < max_pfn ? &frame_table[pfn] : NULL;
}

void *frame_kernel_addr(const struct frame *f)
{
	return arch_phys_to_virt((uint64_t)frame_pfn(f) << PAGE_SHIFT);
}

struct frame *kernel_addr_to_frame(const void *p)
{
	uint64_t phys = arch_virt_to_phys(p);

	return phys == UINT64_MAX ? NULL : pfn_to_frame(phys >> PAGE_SHIFT);
}

/* Physical ranges the allocator must never hand out. */
static bool reserved(uint64_t phys)
{
	const struct boot_info *bi = boot_get_info();

	if (phys < LOW_MEMORY)
		return true;
	if (phys >= (uint64_t)__image_start_phys && phys < (uint64_t)__bss_end_phys)
		return true;
	if (bi->initrd_len && phys >= ALIGN_DOWN(bi->initrd_base, PAGE_SIZE) &&
	    phys < bi->initrd_base + bi->initrd_len)
		return true;
	if (bi->loader_data_len && phys >= ALIGN_DOWN(bi->loader_data_base, PAGE_SIZE) &&
	    phys < bi->loader_data_base + bi->loader_data_len)
		return true;
	return false;
}

/* Find `bytes` of usable RAM for the allocator's own tables. */
static uint64_t carve_tables(uint64_t bytes, uint64_t limit)
{
	const struct boot_info *bi = boot_get_info();

	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];
		uint64_t base = ALIGN_UP(r->base, PAGE_SIZE), end = MIN(r->base + r->len, limit);

		if (r->type != MEM_USABLE)
			continue;
		/* Step over reserved pages at the start of the region. */
		while (base < end && reserved(base))
			base += PAGE_SIZE;
		if (base < end && end - base >= bytes) {
			bool clear = true;

			for (uint64_t p = base; p < base + bytes && clear; p += PAGE_SIZE)
				clear = !reserved(p);
			if (clear)
				return base;
		}
	}
	return 0;
}

void frame_alloc_init(void)
{
	const struct boot_info *bi = boot_get_info();
	uint64_t limit = arch_direct_map_limit(), top = 0, tables, bitmap_bytes, table_bytes;

	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type == MEM_USABLE)
			top = MAX(top, MIN(bi->mem[i].base + bi->mem[i].len, limit));
	max_pfn = top >> PAGE_SHIFT;
	bitmap_bytes = ALIGN_UP((max_pfn + 63) / 64 * 8, 8);
	table_bytes = max_pfn * sizeof(struct frame);
	tables = carve_tables(ALIGN_UP(bitmap_bytes + table_bytes, PAGE_SIZE), limit);
	if (!tables)
		panic("no memory for the frame allocator's tables");
	free_bitmap = arch_phys_to_virt(tables);
	frame_table = (struct frame *)((char *)free_bitmap + bitmap_bytes);
	memset(free_bitmap, 0, bitmap_bytes);
	memset(frame_table, 0, table_bytes);
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];
		uint64_t base = ALIGN_UP(r->base, PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(MIN(r->base + r->len, limit), PAGE_SIZE);

		if (r->type != MEM_USABLE)
			continue;
		for (uint64_t p = base; p < end; p += PAGE_SIZE) {
			bool in_tables = p >= tables && p < tables + bitmap_bytes + table_bytes;

			if (reserved(p) || in_tables || is_free(p >> PAGE_SHIFT))
				continue;
			set_free(p >> PAGE_SHIFT, true);
			nr_free++;
		}
	}
	/* Regions that are not usable win over overlapping usable ones. */
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];

		if (r->type == MEM_USABLE)
			continue;
		for (uint64_t p = ALIGN_DOWN(r->base, PAGE_SIZE); p < r->base + r->len && p < top;
		     p += PAGE_SIZE) {
			if (is_free(p >> PAGE_SHIFT)) {
				set_free(p >> PAGE_SHIFT, false);
				nr_free--;
			}
		}
	}
	nr_total = nr_free;
}

size_t frames_total(void)
{
	return nr_total;
}

size_t frames_free(void)
{
	return nr_free;
}

/* Find n free contiguous frames; returns the first pfn or SIZE_MAX. Lock held. */
static size_t find_run(size_t n)
{
	if (n == 1) {
		size_t words = (max_pfn + 63) / 64;

		for (size_t k = 0; k < words; k++) {
			size_t w = (next_hint / 64 + k) % words;

			if (free_bitmap[w]) {
				size_t pfn = w * 64 + (size_t)__builtin_ctzll(free_bitmap[w]);

				if (pfn < max_pfn) {
					next_hint = pfn;
					return pfn;
				}
			}
		}
		return SIZE_MAX;
	}
	for (size_t start = 0, run = 0, pfn = 0; pfn < max_pfn; pfn++) {
		if (!is_free(pfn)) {
			run = 0;
			continue;
		}
		if (run++ == 0)
			start = pfn;
		if (run == n)
			return start;
	}
	return SIZE_MAX;
}

struct frame *frames_alloc_run(size_t n, unsigned int flags)
{
	irqflags_t irq;
	size_t first;

	if (n == 0 || n > max_pfn)
		return NULL;
	irq = spin_lock_irqsave(&frame_lock);
	first = find_run(n);
	if (first == SIZE_MAX) {
		spin_unlock_irqrestore(&frame_lock, irq);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		set_free(first + i, false);
		frame_table[first + i] = (struct frame){ .refs = 1 };
	}
	nr_free -= n;
	spin_unlock_irqrestore(&frame_lock, irq);
	frame_table[first].run = (uint32_t)n;
	if (flags & FRAME_ZERO)
		memset(frame_kernel_addr(&frame_table[first]), 0, n * PAGE_SIZE);
	return &frame_table[first];
}

void frames_free_run(struct frame *first, size_t n)
{
	size_t pfn = frame_pfn(first);
	irqflags_t irq = spin_lock_irqsave(&frame_lock);

	for (size_t i = 0; i < n; i++) {
		BUG_ON(is_free(pfn + i));
		frame_table[pfn + i] = (struct frame){ 0 };
		set_free(pfn + i, true);
	}
	nr_free += n;
	spin_unlock_irqrestore(&frame_lock, irq);
}

struct frame *frame_alloc(unsigned int flags)
{
	struct frame *f = frames_alloc_run(1, flags);

	if (f)
		f->kind = FRAME_KIND_PAGE;
	return f;
}

void frame_get(struct frame *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

void frame_put(struct frame *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0)
		frames_free_run(f, 1);
}

unsigned int frame_refcount(const struct frame *f)
{
	return __atomic_load_n(&f->refs, __ATOMIC_RELAXED);
}

static bool range_ok(size_t size, size_t off, size_t len)
{
	return off <= size && len <= size - off;
}

int frame_read(const struct frame *f, size_t off, void *buf, size_t len)
{
	if (!range_ok(PAGE_SIZE, off, len))
		return -EINVAL;
	memcpy(buf, (const char *)frame_kernel_addr(f) + off, len);
	return 0;
}

int frame_write(struct frame *f, size_t off, const void *buf, size_t len)
{
	if (!range_ok(PAGE_SIZE, off, len))
		return -EINVAL;
	memcpy((char *)frame_kernel_addr(f) + off, buf, len);
	return 0;
}

int frame_fill(struct frame *f, size_t off, uint8_t byte, size_t len)
{
	if (!range_ok(PAGE_SIZE, off, len))
		return -EINVAL;
	memset((char *)frame_kernel_addr(f) + off, byte, len);
	return 0;
}

int frame_copy(struct frame *dst, const struct frame *src)
{
	memcpy(frame_kernel_addr(dst), frame_kernel_addr(src), PAGE_SIZE);
	return 0;
}

/* A segment handle is its first frame, marked as a segment head. */
struct segment *segment_alloc(size_t nframes, unsigned int flags)
{
	struct frame *f = frames_alloc_run(nframes, flags);

	if (!f)
		return NULL;
	f->kind = FRAME_KIND_SEGMENT;
	return (struct segment *)f;
}

void segment_put(struct segment *s)
{
	struct frame *f = (struct frame *)s;

	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0)
		frames_free_run(f, f->run);
}

size_t segment_size(const struct segment *s)
{
	return ((const struct frame *)s)->run * PAGE_SIZE;
}

int segment_read(const struct segment *s, size_t off, void *buf, size_t len)
{
	if (!range_ok(segment_size(s), off, len))
		return -EINVAL;
	memcpy(buf, (const char *)frame_kernel_addr((const struct frame *)s) + off, len);
	return 0;
}

int segment_write(struct segment *s, size_t off, const void *buf, size_t len)
{
	if (!range_ok(segment_size(s), off, len))
		return -EINVAL;
	memcpy((char *)frame_kernel_addr((struct frame *)s) + off, buf, len);
	return 0;
}

/* ---- ktests ---- */

KTEST(frame_alloc_stress_no_leak)
{
	static struct frame *held[512];
	size_t before = frames_free();
	uint32_t seed = 12345;

	for (int round = 0; round < 4000; round++) {
		seed = seed * 1103515245 + 12345;
		size_t i = (seed >> 8) % 512;

		if (held[i]) {
			frame_put(held[i]);
			held[i] = NULL;
		} else {
			held[i] = frame_alloc((seed & 1) ? FRAME_ZERO : 0);
			KT_ASSERT(held[i] != NULL);
		}
	}
	for (int i = 0; i < 512; i++) {
		if (held[i])
			frame_put(held[i]);
		held[i] = NULL;
	}
	KT_ASSERT_EQ(frames_free(), before);
}

KTEST(frame_exhaustion_returns_null_then_recovers)
{
	size_t before = frames_free(), n = 0;
	struct frame *chain = NULL;

	/* Take every frame, linking them through their own first bytes. */
	for (;;) {
		struct frame *f = frame_alloc(0);

		if (!f)
			break;
		frame_write(f, 0, &chain, sizeof(chain));
		chain = f;
		n++;
	}
	KT_EXPECT(n == before);
	KT_EXPECT(frames_free() == 0);
	KT_EXPECT(frame_alloc(0) == NULL);
	KT_EXPECT(segment_alloc(2, 0) == NULL);
	while (chain) {
		struct frame *next;

		frame_read(chain, 0, &next, sizeof(next));
		frame_put(chain);
		chain = next;
	}
	KT_ASSERT_EQ(frames_free(), before);
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
	KT_EXPECT(frames_free() == before);	/* still referenced */
	KT_EXPECT(frame_read(f, 0, buf, 8) == 0 && buf[0] == 0 && buf[7] == 0);
	KT_EXPECT(frame_write(f, PAGE_SIZE - 4, "abcd", 4) == 0);
	KT_EXPECT(frame_write(f, PAGE_SIZE - 3, "abcd", 4) == -EINVAL);
	KT_EXPECT(frame_read(f, PAGE_SIZE + 1, buf, 0) == -EINVAL);
	KT_EXPECT(frame_fill(f, 10, 0xaa, SIZE_MAX) == -EINVAL);
	g = frame_alloc(0);
	KT_ASSERT(g != NULL);
	frame_copy(g, f);
	KT_EXPECT(frame_read(g, PAGE_SIZE - 4, buf, 4) == 0 && memcmp(buf, "abcd", 4) == 0);
	frame_put(g);
	frame_put(f);
	KT_EXPECT(frames_free() == before + 1);
}

KTEST(segment_contiguous_and_bounds)
{
	size_t before = frames_free();
	struct segment *s = segment_alloc(16, FRAME_ZERO);
	uint8_t b = 0;

	KT_ASSERT(s != NULL);
	KT_EXPECT(segment_size(s) == 16 * PAGE_SIZE);
	KT_EXPECT(segment_write(s, 16 * PAGE_SIZE - 1, "z", 1) == 0);
	KT_EXPECT(segment_read(s, 16 * PAGE_SIZE - 1, &b, 1) == 0 && b == 'z');
	KT_EXPECT(segment_write(s, 16 * PAGE_SIZE, "z", 1) == -EINVAL);
	KT_EXPECT(frames_free() == before - 16);
	segment_put(s);
	KT_EXPECT(frames_free() == before);
}
