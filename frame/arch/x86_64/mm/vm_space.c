// SPDX-License-Identifier: MPL-2.0
// User address spaces on x86-64 four-level page tables.  Only 4 KiB pages
// are used in the user half; the kernel half (PML4 entries 256-511) is
// copied from the boot page tables and shared.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/vm_space.h>
#include "../../../internal.h"
#include "../../../mm/mm_internal.h"
#include "../cpu.h"

#define PTE_P		0x001UL
#define PTE_W		0x002UL
#define PTE_U		0x004UL
#define PTE_PS		0x080UL
#define PTE_NX		(1UL << 63)
#define PTE_ADDR	0x000ffffffffff000UL
#define USER_PML4_ENTRIES 256

struct vm_space {
	struct frame *pml4;
	spinlock_t lock;
};

extern uint64_t boot_pml4[];

static uint64_t *table_of(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

static uint64_t frame_phys(const struct frame *f)
{
	return (uint64_t)frame_pfn(f) << PAGE_SHIFT;
}

static uint64_t kernel_pml4_phys(void)
{
	return (uint64_t)boot_pml4;	/* .boot is linked at its physical address */
}

struct vm_space *vm_space_create(void)
{
	struct vm_space *vs = kzalloc(sizeof(*vs));
	uint64_t *pml4;

	if (!vs)
		return NULL;
	vs->pml4 = frame_alloc(FRAME_ZERO);
	if (!vs->pml4) {
		kfree(vs);
		return NULL;
	}
	pml4 = frame_kernel_addr(vs->pml4);
	memcpy(pml4 + USER_PML4_ENTRIES, (uint64_t *)phys_to_virt(kernel_pml4_phys()) + USER_PML4_ENTRIES,
	       USER_PML4_ENTRIES * sizeof(uint64_t));
	return vs;
}

static bool user_range_ok(uint64_t va, size_t len)
{
	return (va & (PAGE_SIZE - 1)) == 0 && va < USER_SPACE_TOP && len <= USER_SPACE_TOP - va;
}

/* The page-table entry for va, allocating intermediate tables if asked. */
static uint64_t *walk(struct vm_space *vs, uint64_t va, bool create)
{
	uint64_t *table = frame_kernel_addr(vs->pml4);

	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			struct frame *t;

			if (!create)
				return NULL;
			t = frame_alloc(FRAME_ZERO);
			if (!t)
				return NULL;
			t->kind = FRAME_KIND_PAGE;
			*e = frame_phys(t) | PTE_P | PTE_W | PTE_U;
		}
		table = table_of(*e);
	}
	return &table[(va >> 12) & 511];
}

static uint64_t prot_bits(unsigned int prot)
{
	uint64_t bits = PTE_P | PTE_U;

	if (prot & VM_WRITE)
		bits |= PTE_W;
	if (!(prot & VM_EXEC))
		bits |= PTE_NX;
	return bits;
}

static unsigned int pte_prot(uint64_t pte)
{
	return VM_READ | ((pte & PTE_W) ? VM_WRITE : 0) | ((pte & PTE_NX) ? 0 : VM_EXEC);
}

static bool is_active(const struct vm_space *vs)
{
	return (read_cr3() & PTE_ADDR) == frame_phys(vs->pml4);
}

static void tlb_flush_page(const struct vm_space *vs, uint64_t va)
{
	/* One CPU today; with SMP this is where a shootdown IPI goes. */
	if (is_active(vs))
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

int vm_map(struct vm_space *vs, uint64_t va, struct frame *f, unsigned int prot)
{
	irqflags_t irq;
	uint64_t *pte, old;

	if (!user_range_ok(va, PAGE_SIZE) || !f)
		return -EINVAL;
	irq = spin_lock_irqsave(&vs->lock);
	pte = walk(vs, va, true);
	if (!pte) {
		spin_unlock_irqrestore(&vs->lock, irq);
		return -ENOMEM;
	}
	old = *pte;
	frame_get(f);
	*pte = frame_phys(f) | prot_bits(prot);
	tlb_flush_page(vs, va);
	spin_unlock_irqrestore(&vs->lock, irq);
	if (old & PTE_P)
		frame_put(pfn_to_frame((old & PTE_ADDR) >> PAGE_SHIFT));
	return 0;
}

int vm_unmap(struct vm_space *vs, uint64_t va, size_t len)
{
	if (!user_range_ok(va, len))
		return -EINVAL;
	for (uint64_t a = va; a < va + len; a += PAGE_SIZE) {
		irqflags_t irq = spin_lock_irqsave(&vs->lock);
		uint64_t *pte = walk(vs, a, false), old = pte ? *pte : 0;

		if (old & PTE_P) {
			*pte = 0;
			tlb_flush_page(vs, a);
		}
		spin_unlock_irqrestore(&vs->lock, irq);
		if (old & PTE_P)
			frame_put(pfn_to_frame((old & PTE_ADDR) >> PAGE_SHIFT));
	}
	return 0;
}

int vm_protect(struct vm_space *vs, uint64_t va, size_t len, unsigned int prot)
{
	irqflags_t irq;

	if (!user_range_ok(va, len))
		return -EINVAL;
	irq = spin_lock_irqsave(&vs->lock);
	for (uint64_t a = va; a < va + len; a += PAGE_SIZE) {
		uint64_t *pte = walk(vs, a, false);

		if (pte && (*pte & PTE_P)) {
			*pte = (*pte & PTE_ADDR) | prot_bits(prot);
			tlb_flush_page(vs, a);
		}
	}
	spin_unlock_irqrestore(&vs->lock, irq);
	return 0;
}

int vm_query(struct vm_space *vs, uint64_t va, struct frame **f, unsigned int *prot)
{
	irqflags_t irq;
	uint64_t *pte, v;

	if (va >= USER_SPACE_TOP)
		return -ENOENT;
	irq = spin_lock_irqsave(&vs->lock);
	pte = walk(vs, ALIGN_DOWN(va, PAGE_SIZE), false);
	v = pte ? *pte : 0;
	spin_unlock_irqrestore(&vs->lock, irq);
	if (!(v & PTE_P))
		return -ENOENT;
	*f = pfn_to_frame((v & PTE_ADDR) >> PAGE_SHIFT);
	*prot = pte_prot(v);
	return 0;
}

void vm_space_activate(struct vm_space *vs)
{
	uint64_t phys = vs ? frame_phys(vs->pml4) : kernel_pml4_phys();

	if ((read_cr3() & PTE_ADDR) != phys)
		__asm__ volatile("mov %0, %%cr3" : : "r"(phys) : "memory");
}

/* Free the tables below `table` at `level` (3 = PDPT ... 1 = PT), dropping mapped frames. */
static void free_level(uint64_t *table, int level)
{
	for (int i = 0; i < 512; i++) {
		uint64_t e = table[i];
		struct frame *f;

		if (!(e & PTE_P))
			continue;
		f = pfn_to_frame((e & PTE_ADDR) >> PAGE_SHIFT);
		if (level > 1)
			free_level(table_of(e), level - 1);
		frame_put(f);
	}
}

void vm_space_destroy(struct vm_space *vs)
{
	uint64_t *pml4 = frame_kernel_addr(vs->pml4);

	if (is_active(vs))
		vm_space_activate(NULL);
	for (int i = 0; i < USER_PML4_ENTRIES; i++) {
		if (!(pml4[i] & PTE_P))
			continue;
		free_level(table_of(pml4[i]), 3);
		frame_put(pfn_to_frame((pml4[i] & PTE_ADDR) >> PAGE_SHIFT));
	}
	frame_put(vs->pml4);
	kfree(vs);
}
