// SPDX-License-Identifier: MPL-2.0
// Kernel virtual areas: a 4 GiB window of the kernel half, shared by every
// address space, for mappings the direct map cannot provide: kernel stacks
// with an unmapped guard page below them (an overflow faults instead of
// corrupting a neighbour), and device memory with its own cache policy,
// above 4 GiB too.
//
// The window's page-directory-pointer table exists from boot, so the kernel
// half of the PML4 never changes and copies of it stay right; the tables
// below it are frames taken on demand and kept.  Virtual pages are handed
// out from a bitmap (next fit).
#include <aster/log.h>
#include <aster/sync.h>
#include "../../../internal.h"
#include "../../../mm/mm_internal.h"
#include "../cpu.h"
#include "pgtable.h"

#define KVA_PAGES	(KVA_SIZE / PAGE_SIZE)
#define BITS		64

static uint64_t *kva_bitmap;	/* bit set: page in use (mapped or guard) */
static size_t kva_hint;
static spinlock_t kva_lock = SPINLOCK_INIT;

void kva_init(uint64_t *pml4_entry)
{
	*pml4_entry = early_alloc_pages(1, GiB(4)) | PTE_P | PTE_W;
	kva_bitmap = arch_phys_to_virt(early_alloc_pages(KVA_PAGES / 8 / PAGE_SIZE, UINT64_MAX));
}

static bool page_used(size_t i)
{
	return kva_bitmap[i / BITS] & (1UL << (i % BITS));
}

static void mark(size_t first, size_t n, bool used)
{
	for (size_t i = first; i < first + n; i++) {
		if (used)
			kva_bitmap[i / BITS] |= 1UL << (i % BITS);
		else
			kva_bitmap[i / BITS] &= ~(1UL << (i % BITS));
	}
}

/* n free pages in a row from start, or SIZE_MAX.  kva_lock held. */
static size_t find_from(size_t start, size_t end, size_t n)
{
	size_t run = 0;

	for (size_t i = start; i < end; i++) {
		if (i % BITS == 0 && run == 0 && kva_bitmap[i / BITS] == UINT64_MAX) {
			i += BITS - 1;	/* a full word: skip it */
			continue;
		}
		run = page_used(i) ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return SIZE_MAX;
}

static size_t take_pages(size_t n)
{
	size_t first = find_from(kva_hint, KVA_PAGES, n);

	if (first == SIZE_MAX)
		first = find_from(0, KVA_PAGES, n);
	if (first == SIZE_MAX)
		return SIZE_MAX;
	mark(first, n, true);
	kva_hint = first + n;
	return first;
}

static uint64_t page_va(size_t i)
{
	return KVA_BASE + i * PAGE_SIZE;
}

/*
 * The PTE for va in the window, creating missing tables from frames if
 * asked.  NULL: no table (or no memory for one).  kva_lock held.
 */
static uint64_t *kva_pte(uint64_t va, bool create)
{
	uint64_t *table = pt_next(((uint64_t *)phys_to_virt(kernel_pml4_phys()))[(va >> 39) & 511]);

	for (unsigned int shift = 30; shift > PAGE_SHIFT; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			struct frame_meta *t = create ? pagetable_alloc() : NULL;

			if (!t)
				return NULL;
			*e = frame_phys(t) | PTE_P | PTE_W;
		}
		table = pt_next(*e);
	}
	return &table[(va >> PAGE_SHIFT) & 511];
}

/* Clear n PTEs from page first and flush them; out[i]: what was mapped (UINT64_MAX: nothing). */
static void unmap_pages(size_t first, size_t n, uint64_t *out)
{
	for (size_t i = first; i < first + n; i++) {
		uint64_t *pte = kva_pte(page_va(i), false);

		if (out)
			out[i - first] = pte && (*pte & PTE_P) ? *pte & PTE_ADDR : UINT64_MAX;
		if (pte)
			*pte = 0;
	}
	tlb_flush_kernel_range(page_va(first), n * PAGE_SIZE);
}

static bool map_page(size_t i, uint64_t phys, uint64_t bits)
{
	uint64_t *pte = kva_pte(page_va(i), true);

	if (!pte)
		return false;
	*pte = phys | bits;
	return true;
}

/* Free pages [first, first+n) of the window: unmap, flush, then drop their frames. */
static void release_pages(size_t first, size_t n, bool own_frames)
{
	uint64_t phys[16];

	/* In slices, so the list of frames to drop stays small. */
	for (size_t done = 0; done < n; done += ARRAY_SIZE(phys)) {
		size_t k = MIN(n - done, ARRAY_SIZE(phys));

		unmap_pages(first + done, k, phys);
		for (size_t i = 0; own_frames && i < k; i++) {
			struct frame_meta *m;

			if (phys[i] == UINT64_MAX)
				continue;
			m = pfn_to_frame(phys[i] >> PAGE_SHIFT);
			BUG_ON(!m || m->kind != FRAME_KIND_STACK);
			frames_free_run(m, 1);
		}
	}
	mark(first, n, false);
}

void *kva_alloc_stack(size_t pages)
{
	uint64_t bits = PTE_P | PTE_W | PTE_A | PTE_D | pte_global | pte_nx;
	irqflags_t irq;
	size_t first;

	if (pages == 0 || pages > 256)
		return NULL;
	irq = spin_lock_irqsave(&kva_lock);
	first = take_pages(pages + 1);	/* the lowest page stays unmapped: the guard */
	for (size_t i = 1; first != SIZE_MAX && i <= pages; i++) {
		struct frame_meta *f = frames_alloc_run(1, 0);

		if (f)
			f->kind = FRAME_KIND_STACK;	/* no frame handle can name it */
		if (f && map_page(first + i, frame_phys(f), bits))
			continue;
		if (f)
			frames_free_run(f, 1);
		release_pages(first, pages + 1, true);
		first = SIZE_MAX;
	}
	spin_unlock_irqrestore(&kva_lock, irq);
	return first == SIZE_MAX ? NULL : (void *)page_va(first + 1);
}

void kva_free_stack(void *stack, size_t pages)
{
	irqflags_t irq;

	BUG_ON(!kva_contains((uint64_t)stack - PAGE_SIZE, (pages + 1) * PAGE_SIZE));
	irq = spin_lock_irqsave(&kva_lock);
	release_pages(((uint64_t)stack - KVA_BASE) / PAGE_SIZE - 1, pages + 1, true);
	spin_unlock_irqrestore(&kva_lock, irq);
}

void *kva_map_io(uint64_t phys, size_t len, unsigned int cache)
{
	uint64_t base = ALIGN_DOWN(phys, PAGE_SIZE), bits;
	size_t n, first;
	irqflags_t irq;

	if (len == 0 || phys + len < phys || len > KVA_SIZE / 2 || phys + len > PTE_ADDR)
		return NULL;
	n = (ALIGN_UP(phys + len, PAGE_SIZE) - base) / PAGE_SIZE;
	bits = PTE_P | PTE_W | PTE_A | PTE_D | pte_global | pte_nx | pte_cache_4k(cache);
	irq = spin_lock_irqsave(&kva_lock);
	first = take_pages(n);
	for (size_t i = 0; first != SIZE_MAX && i < n; i++) {
		if (map_page(first + i, base + i * PAGE_SIZE, bits))
			continue;
		release_pages(first, n, false);
		first = SIZE_MAX;
	}
	spin_unlock_irqrestore(&kva_lock, irq);
	return first == SIZE_MAX ? NULL : (void *)(page_va(first) + (phys - base));
}

void kva_unmap_io(void *va, size_t len)
{
	uint64_t v = (uint64_t)va, base = ALIGN_DOWN(v, PAGE_SIZE);
	irqflags_t irq;

	BUG_ON(!kva_contains(v, len));
	irq = spin_lock_irqsave(&kva_lock);
	release_pages((base - KVA_BASE) / PAGE_SIZE,
		      (ALIGN_UP(v + len, PAGE_SIZE) - base) / PAGE_SIZE, false);
	spin_unlock_irqrestore(&kva_lock, irq);
}

bool kva_contains(uint64_t va, size_t len)
{
	return va >= KVA_BASE && va - KVA_BASE < KVA_SIZE && len <= KVA_SIZE - (va - KVA_BASE);
}
