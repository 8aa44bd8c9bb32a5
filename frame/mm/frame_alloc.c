// SPDX-License-Identifier: MPL-2.0
// The physical frame allocator: a binary buddy allocator over all usable
// RAM, with one 16-byte `struct frame_meta` per physical frame.  Free
// blocks of 2^k frames sit on per-order lists linked through the metadata
// of their first frame; freeing merges a block with its buddy while the
// buddy is free and of the same order.
//
// Boot cost is one clear of the frame table (0.4% of RAM, with string
// instructions) plus a few list insertions per memory region: free RAM is
// handed over as maximal aligned blocks, never frame by frame.
//
// Handles: kernel/'s `struct frame_meta *` and `struct segment *` encode a frame
// number and the frame's generation (mm_internal.h).  Every public entry
// point decodes and checks them (a compare of one word), so a handle kept
// after the frame was freed is a panic report, whatever the frame became:
// a new frame, a slab, a page table or a kernel stack.  A segment lives in
// the metadata of its first frame (seg), so it needs no heap object that a
// stale handle could reach.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "../internal.h"
#include "mm_internal.h"
#include "../kasan/kasan.h"

struct frame_meta *frame_table;
size_t max_pfn;
static uint32_t free_list[FRAME_MAX_ORDER + 1];	/* pfn + 1 of the first block; 0: empty */
static size_t nr_total, nr_free;
static spinlock_t frame_lock = SPINLOCK_INIT;

static const char *const kind_names[] = {
	[FRAME_KIND_RESERVED] = "reserved", [FRAME_KIND_FREE] = "free",
	[FRAME_KIND_PAGE] = "a frame", [FRAME_KIND_HEAP_SMALL] = "a heap slab",
	[FRAME_KIND_HEAP_LARGE] = "a heap block", [FRAME_KIND_HEAP_TAIL] = "a heap block",
	[FRAME_KIND_PAGETABLE] = "a page table", [FRAME_KIND_STACK] = "a kernel stack",
};

/* Keep the generation across every change of kind: handles depend on it. */
static void meta_reset(struct frame_meta *m, enum frame_kind kind)
{
	uint32_t gen = m->gen;

	*m = (struct frame_meta){ .kind = kind, .gen = gen };
}

/* The entry point that refused a handle (the report's first line names it). */
const char *handle_caller(const void *ret, int *len)
{
	uint64_t off;
	const char *name = ksym_lookup((uint64_t)(uintptr_t)ret - 1, &off), *dot;

	if (!name)
		name = "?";
	dot = strchr(name, '.');	/* frame_write.cold is frame_write's */
	*len = (int)(dot ? (size_t)(dot - name) : strlen(name));
	return name;
}

__noreturn __attribute__((cold)) void frame_handle_bad(const void *h, unsigned long tag)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	const char *what = tag == SEGMENT_HANDLE_TAG ? "segment" : "frame";
	int n;
	const char *in = handle_caller(__builtin_return_address(0), &n);
	uint32_t pfn = (uint32_t)v, gen = (uint32_t)(v >> 32) & FRAME_GEN_MASK;
	const struct frame_meta *m;

	if (v >> 56 != tag || pfn >= max_pfn)
		panic("bad %s handle %p in %.*s (not a handle frame/ made)", what, h, n, in);
	m = &frame_table[pfn];
	if (m->kind == FRAME_KIND_PAGE && m->gen == gen)
		panic("stale %s handle %p in %.*s: pfn %#x has no live segment", what, h, n, in,
		      pfn);
	panic("stale %s handle %p in %.*s: pfn %#x gen %u was freed; it is now %s (gen %u)", what,
	      h, n, in, pfn, gen, kind_names[m->kind] ? kind_names[m->kind] : "?", m->gen);
}

size_t frame_pfn(const struct frame_meta *f)
{
	return (size_t)(f - frame_table);
}

uint64_t frame_phys(const struct frame_meta *f)
{
	return (uint64_t)frame_pfn(f) << PAGE_SHIFT;
}

struct frame_meta *pfn_to_frame(size_t pfn)
{
	return pfn < max_pfn ? &frame_table[pfn] : NULL;
}

void *frame_kernel_addr(const struct frame_meta *f)
{
	return arch_phys_to_virt(frame_phys(f));
}

struct frame_meta *kernel_addr_to_frame(const void *p)
{
	uint64_t phys = arch_virt_to_phys(p);

	return phys == UINT64_MAX ? NULL : pfn_to_frame(phys >> PAGE_SHIFT);
}

/* ---- free lists (frame_lock held) ---- */

static void list_push(unsigned int order, size_t pfn)
{
	struct frame_meta *f = &frame_table[pfn];

	f->kind = FRAME_KIND_FREE;
	f->order = (uint8_t)order;
	f->link.prev = 0;
	f->link.next = free_list[order];
	if (free_list[order])
		frame_table[free_list[order] - 1].link.prev = (uint32_t)(pfn + 1);
	free_list[order] = (uint32_t)(pfn + 1);
}

static void list_remove(unsigned int order, size_t pfn)
{
	struct frame_meta *f = &frame_table[pfn];

	if (f->link.prev)
		frame_table[f->link.prev - 1].link.next = f->link.next;
	else
		free_list[order] = f->link.next;
	if (f->link.next)
		frame_table[f->link.next - 1].link.prev = f->link.prev;
	meta_reset(f, FRAME_KIND_RESERVED);
}

/* Free the block of 2^order frames at pfn, merging it with free buddies. */
static void free_block(size_t pfn, unsigned int order)
{
	nr_free += (size_t)1 << order;
	while (order < FRAME_MAX_ORDER) {
		size_t buddy = pfn ^ ((size_t)1 << order);

		if (buddy >= max_pfn || frame_table[buddy].kind != FRAME_KIND_FREE ||
		    frame_table[buddy].order != order)
			break;
		list_remove(order, buddy);
		pfn = MIN(pfn, buddy);
		order++;
	}
	list_push(order, pfn);
}

/*
 * Take a block of 2^order frames lying wholly below frame limit, splitting a
 * larger one if needed.  Without a limit the first block of a list will do;
 * with one (DMA for 32-bit devices) the lists are searched, which is slower
 * but rare.
 */
static size_t alloc_block(unsigned int order, size_t limit)
{
	for (unsigned int k = order; k <= FRAME_MAX_ORDER; k++) {
		for (uint32_t id = free_list[k]; id; id = frame_table[id - 1].link.next) {
			size_t pfn = id - 1;

			if (pfn + ((size_t)1 << order) > limit)
				continue;
			list_remove(k, pfn);
			while (k > order) {
				k--;
				list_push(k, pfn + ((size_t)1 << k));	/* the upper half stays free */
			}
			nr_free -= (size_t)1 << order;
			return pfn;
		}
	}
	return SIZE_MAX;
}

/* Free [pfn, pfn+n) as the largest aligned blocks that fit. */
static void free_span(size_t pfn, size_t n)
{
	while (n) {
		unsigned int order = 0;

		while (order < FRAME_MAX_ORDER && !(pfn & ((size_t)1 << order)) &&
		       ((size_t)2 << order) <= n)
			order++;
		free_block(pfn, order);
		pfn += (size_t)1 << order;
		n -= (size_t)1 << order;
	}
}

static unsigned int order_for(size_t n)
{
	unsigned int order = 0;

	while (((size_t)1 << order) < n)
		order++;
	return order;
}

/* ---- boot ---- */

static void add_free_range(uint64_t base, uint64_t end, void *arg)
{
	uint64_t limit = (uint64_t)max_pfn << PAGE_SHIFT;

	(void)arg;
	/* RAM beyond what the table covers (too much of it) stays unused. */
	end = MIN(end, limit);
	if (base < end)
		free_span(base >> PAGE_SHIFT, (end - base) >> PAGE_SHIFT);
}

void frame_alloc_init(void)
{
	uint64_t table_bytes;

	arch_mm_init();
	max_pfn = mm_ram_top() >> PAGE_SHIFT;
	if (max_pfn > arch_direct_map_limit() >> PAGE_SHIFT)
		max_pfn = arch_direct_map_limit() >> PAGE_SHIFT;
	if (max_pfn >= UINT32_MAX)	/* list links are 32-bit frame numbers */
		max_pfn = UINT32_MAX - 1;
	table_bytes = ALIGN_UP(max_pfn * sizeof(struct frame_meta), PAGE_SIZE);
	/* Zeroed: every frame starts RESERVED, free RAM is then handed over. */
	frame_table = arch_phys_to_virt(early_alloc_pages(table_bytes / PAGE_SIZE, UINT64_MAX));
	early_alloc_close();
	mm_for_each_free_range(add_free_range, NULL);
	nr_total = nr_free;
	kasan_init();
}

/* The checked build: every free block starts poisoned (kasan_init; unused otherwise). */
void frames_kasan_poison_free(void)
{
	irqflags_t irq = spin_lock_irqsave(&frame_lock);

	for (unsigned int k = 0; k <= FRAME_MAX_ORDER; k++)
		for (uint32_t id = free_list[k]; id; id = frame_table[id - 1].link.next)
			kasan_frames_free(frame_kernel_addr(&frame_table[id - 1]), (size_t)1 << k);
	spin_unlock_irqrestore(&frame_lock, irq);
}

size_t frames_total(void)
{
	return nr_total;
}

size_t frames_free(void)
{
	kasan_quarantine_flush();	/* quarantined heap blocks are not in use */
	return __atomic_load_n(&nr_free, __ATOMIC_RELAXED);
}

/* Hand boot-reserved RAM (the initramfs) over to the allocator for good. */
void frames_release_boot_range(uint64_t base, uint64_t len)
{
	size_t first = ALIGN_UP(base, PAGE_SIZE) >> PAGE_SHIFT;
	size_t end = ALIGN_DOWN(base + len, PAGE_SIZE) >> PAGE_SHIFT;
	irqflags_t irq;

	end = MIN(end, max_pfn);
	if (first >= end)
		return;
	kasan_frames_free(arch_phys_to_virt((uint64_t)first << PAGE_SHIFT), end - first);
	irq = spin_lock_irqsave(&frame_lock);
	free_span(first, end - first);
	nr_total += end - first;
	spin_unlock_irqrestore(&frame_lock, irq);
}

/* ---- runs of frames ---- */

struct frame_meta *frames_alloc_run(size_t n, unsigned int flags)
{
	unsigned int order;
	irqflags_t irq;
	size_t pfn, limit;

	if (n == 0 || n > ((size_t)1 << FRAME_MAX_ORDER))
		return NULL;
	order = order_for(n);
	limit = (flags & FRAME_BELOW_4G) ? GiB(4) >> PAGE_SHIFT : SIZE_MAX;
	irq = spin_lock_irqsave(&frame_lock);
	pfn = alloc_block(order, limit);
	if (pfn != SIZE_MAX && n < ((size_t)1 << order)) {
		/* Give back the tail beyond n frames. */
		free_span(pfn + n, ((size_t)1 << order) - n);
	}
	spin_unlock_irqrestore(&frame_lock, irq);
	if (pfn == SIZE_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		meta_reset(&frame_table[pfn + i], FRAME_KIND_PAGE);
		frame_table[pfn + i].refs = 1;
	}
	kasan_frames_alloc(frame_kernel_addr(&frame_table[pfn]), n);
	if (flags & FRAME_ZERO)
		mm_zero(frame_kernel_addr(&frame_table[pfn]), n * PAGE_SIZE);
	return &frame_table[pfn];
}

void frames_free_run(struct frame_meta *first, size_t n)
{
	size_t pfn = frame_pfn(first);
	irqflags_t irq;

	for (size_t i = 0; i < n; i++) {
		struct frame_meta *m = &frame_table[pfn + i];

		BUG_ON(m->kind == FRAME_KIND_FREE || m->kind == FRAME_KIND_RESERVED);
		m->gen++;	/* every handle to this life of the frame is stale now */
		meta_reset(m, FRAME_KIND_RESERVED);
	}
	kasan_frames_free(frame_kernel_addr(first), n);	/* before another owner has them */
	irq = spin_lock_irqsave(&frame_lock);
	free_span(pfn, n);
	spin_unlock_irqrestore(&frame_lock, irq);
}

/* ---- single frames ---- */

static void meta_get(struct frame_meta *m)
{
	BUG_ON(__atomic_fetch_add(&m->refs, 1, __ATOMIC_RELAXED) == 0);
}

static void meta_put(struct frame_meta *m)
{
	uint32_t left = __atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL);

	BUG_ON(left == UINT32_MAX);	/* it was already 0 */
	if (left == 0)
		frames_free_run(m, 1);
}

/* Frames found by a page-table walk: PAGE frames (never tables), checked. */
void frame_meta_get(struct frame_meta *m)
{
	BUG_ON(m->kind != FRAME_KIND_PAGE);
	meta_get(m);
}

void frame_meta_put(struct frame_meta *m)
{
	BUG_ON(m->kind != FRAME_KIND_PAGE);
	meta_put(m);
}

struct frame_meta *pagetable_alloc(void)
{
	struct frame_meta *m = frames_alloc_run(1, FRAME_ZERO);

	if (m)
		m->kind = FRAME_KIND_PAGETABLE;
	return m;
}

void pagetable_free(struct frame_meta *m)
{
	BUG_ON(m->kind != FRAME_KIND_PAGETABLE);
	frames_free_run(m, 1);
}

/* ---- reclaim on exhaustion (frame.h: frame_set_reclaim) ---- */

size_t (*frame_reclaim_fn)(size_t want);

void frame_set_reclaim(size_t (*fn)(size_t want))
{
	__atomic_store_n(&frame_reclaim_fn, fn, __ATOMIC_RELEASE);
}

/* Ask the reclaim callback for want frames, if the caller may sleep: true if it freed any. */
bool frame_try_reclaim(size_t want)
{
	size_t (*fn)(size_t) = __atomic_load_n(&frame_reclaim_fn, __ATOMIC_ACQUIRE);
	size_t freed;

	if (!fn || !task_reclaim_begin())
		return false;
	freed = fn(want < FRAME_RECLAIM_BATCH ? FRAME_RECLAIM_BATCH : want);
	task_reclaim_end();
	return freed > 0;
}

/* frames_alloc_run, and once more after a reclaim when memory is exhausted. */
static struct frame_meta *alloc_or_reclaim(size_t n, unsigned int flags)
{
	struct frame_meta *m = frames_alloc_run(n, flags);

	if (!m && n && n <= ((size_t)1 << FRAME_MAX_ORDER) && frame_try_reclaim(n))
		m = frames_alloc_run(n, flags);
	return m;
}

struct frame *frame_alloc(unsigned int flags)
{
	struct frame_meta *m = alloc_or_reclaim(1, flags);

	return m ? frame_handle(m) : NULL;
}

void frame_get(struct frame *f)
{
	meta_get(frame_meta_of(f));
}

void frame_put(struct frame *f)
{
	if (!f)
		return;
	meta_put(frame_meta_of(f));
}

unsigned int frame_refcount(const struct frame *f)
{
	return __atomic_load_n(&frame_meta_of(f)->refs, __ATOMIC_RELAXED);
}

static bool range_ok(size_t size, size_t off, size_t len)
{
	return off <= size && len <= size - off;
}

int frame_read(const struct frame *f, size_t off, void *buf, size_t len)
{
	if (!f || !range_ok(PAGE_SIZE, off, len))
		return -EINVAL;
	mm_copy(buf, (const char *)frame_kernel_addr(frame_meta_of(f)) + off, len);
	return 0;
}

int frame_write(struct frame *f, size_t off, const void *buf, size_t len)
{
	if (!f || !range_ok(PAGE_SIZE, off, len))
		return -EINVAL;
	mm_copy((char *)frame_kernel_addr(frame_meta_of(f)) + off, buf, len);
	return 0;
}

static void fill(void *p, uint8_t byte, size_t len)
{
	if (byte == 0)
		mm_zero(p, len);
	else
		memset(p, byte, len);
}

int frame_fill(struct frame *f, size_t off, uint8_t byte, size_t len)
{
	if (!f || !range_ok(PAGE_SIZE, off, len))
		return -EINVAL;
	fill((char *)frame_kernel_addr(frame_meta_of(f)) + off, byte, len);
	return 0;
}

int frame_copy(struct frame *dst, const struct frame *src)
{
	struct frame_meta *d, *s;

	if (!dst || !src)
		return -EINVAL;
	d = frame_meta_of(dst);
	s = frame_meta_of(src);
	if (d != s)
		mm_copy(frame_kernel_addr(d), frame_kernel_addr(s), PAGE_SIZE);
	return 0;
}

/* ---- segments ---- */

/*
 * A segment handle names its first frame like a frame handle (another tag)
 * and is live while that frame's seg.refs is: the frame cannot start
 * another segment before it is freed, which bumps its generation.
 */
static inline __attribute__((always_inline)) struct frame_meta *seg_meta(const struct segment *s)
{
	struct frame_meta *m = handle_decode(s, SEGMENT_HANDLE_TAG);

	if (__builtin_expect(__atomic_load_n(&m->seg.refs, __ATOMIC_RELAXED) == 0, 0))
		frame_handle_bad(s, SEGMENT_HANDLE_TAG);
	return m;
}

struct segment *segment_alloc(size_t nframes, unsigned int flags)
{
	struct frame_meta *m = alloc_or_reclaim(nframes, flags);

	if (!m)
		return NULL;
	m->seg.nframes = (uint32_t)nframes;	/* at most 65536: frames_alloc_run */
	m->seg.refs = 1;
	return (struct segment *)(uintptr_t)handle_encode(SEGMENT_HANDLE_TAG, m);
}

void segment_get(struct segment *s)
{
	BUG_ON(__atomic_fetch_add(&seg_meta(s)->seg.refs, 1, __ATOMIC_RELAXED) == 0);
}

void segment_put(struct segment *s)
{
	struct frame_meta *m;
	size_t n;

	if (!s)
		return;
	m = seg_meta(s);
	if (__atomic_sub_fetch(&m->seg.refs, 1, __ATOMIC_ACQ_REL))
		return;
	/* Each frame goes when its last user does (it may still be mapped). */
	n = m->seg.nframes;
	for (size_t i = n; i-- > 0;)	/* the first frame last: it held the segment */
		meta_put(&m[i]);
}

size_t segment_size(const struct segment *s)
{
	return segment_nframes(s) * PAGE_SIZE;
}

size_t segment_nframes(const struct segment *s)
{
	return seg_meta(s)->seg.nframes;
}

struct frame *segment_frame(struct segment *s, size_t i)
{
	struct frame_meta *m = seg_meta(s);

	return i < m->seg.nframes ? frame_handle(&m[i]) : NULL;
}

uint64_t segment_phys(const struct segment *s)
{
	return frame_phys(seg_meta(s));
}

/* The segment's bytes [off, off+len) in the direct map, or NULL if out of range. */
static inline __attribute__((always_inline)) char *seg_bytes(const struct segment *s, size_t off,
						      size_t len)
{
	struct frame_meta *m;

	if (!s)
		return NULL;
	m = seg_meta(s);
	if (!range_ok((size_t)m->seg.nframes * PAGE_SIZE, off, len))
		return NULL;
	return (char *)frame_kernel_addr(m) + off;
}

int segment_read(const struct segment *s, size_t off, void *buf, size_t len)
{
	const char *p = seg_bytes(s, off, len);

	if (!p)
		return -EINVAL;
	mm_copy(buf, p, len);
	return 0;
}

int segment_write(struct segment *s, size_t off, const void *buf, size_t len)
{
	char *p = seg_bytes(s, off, len);

	if (!p)
		return -EINVAL;
	mm_copy(p, buf, len);
	return 0;
}

int segment_fill(struct segment *s, size_t off, uint8_t byte, size_t len)
{
	char *p = seg_bytes(s, off, len);

	if (!p)
		return -EINVAL;
	fill(p, byte, len);
	return 0;
}
