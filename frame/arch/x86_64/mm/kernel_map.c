// SPDX-License-Identifier: MPL-2.0
// The kernel's own page tables, built in C once the memory map is known:
//
//  - the direct map at DIRECT_MAP_BASE covers all RAM (above 4 GiB too) and
//    the whole first 4 GiB, with 2 MiB pages wherever a 2 MiB chunk is
//    uniform.  RAM is write-back; anything else below 4 GiB (device memory,
//    firmware, holes) is uncached; nothing is executable.  The direct-map
//    alias of the kernel's text and read-only data is read-only.
//  - the kernel image at -2 GiB is mapped W^X: text read+execute, read-only
//    data read-only, data and bss read+write, no-execute.
//
// The top-level table stays boot_pml4 (its user half is empty): only its
// kernel half is replaced, so every address space that copied it agrees.
// Table pages come from the early allocator, below 4 GiB, where the boot
// direct map reaches them while they are being filled.
#include <aster/boot.h>
#include <aster/log.h>
#include <aster/string.h>
#include "../../../internal.h"
#include "../../../mm/mm_internal.h"
#include "../cpu.h"
#include "pgtable.h"

#define MSR_EFER	0xc0000080
#define EFER_NXE	(1UL << 11)
#define MSR_PAT		0x277
/* Power-on PAT with entry 1 turned from write-through into write-combining. */
#define PAT_VALUE	0x0007040600070106UL
#define CR4_PGE		(1UL << 7)

#define LARGE_PAGE	MiB(2)
#define DIRECT_MAP_MAX	(GiB(512) * 128)	/* PML4 entries 256-383 */
#define PML4_DIRECT	256
#define MAX_BOUNDS	(2 * BOOT_MAX_MEM_REGIONS + 8)

extern uint64_t boot_pml4[];
extern char __data_start[];

uint64_t pte_nx;
uint64_t pte_global;
static uint64_t direct_top;	/* bytes the direct map covers once built */
static uint64_t new_top[PT_ENTRIES];	/* the kernel half being built */

/* What a physical page is in the direct map. */
enum page_attr {
	ATTR_NONE,	/* not mapped */
	ATTR_RAM,	/* write-back, read-write */
	ATTR_RAM_RO,	/* write-back, read-only: the image's text and rodata */
	ATTR_IO,	/* uncached, read-write */
};

void *arch_phys_to_virt(uint64_t phys)
{
	return phys_to_virt(phys);
}

uint64_t arch_direct_map_limit(void)
{
	return direct_top ? direct_top : DIRECT_MAP_BOOT_SIZE;
}

uint64_t arch_virt_to_phys(const void *p)
{
	uint64_t v = (uint64_t)p;

	if (v >= DIRECT_MAP_BASE && v - DIRECT_MAP_BASE < arch_direct_map_limit())
		return v - DIRECT_MAP_BASE;
	return UINT64_MAX;
}

uint64_t kernel_pml4_phys(void)
{
	return (uint64_t)boot_pml4;	/* .boot is linked at its physical address */
}

uint64_t *pt_next(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/* NX, global pages and PAT, each only if the CPU has it. */
static void enable_cpu_features(void)
{
	uint32_t r[4];

	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		if (r[3] & (1U << 20)) {
			wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
			pte_nx = PTE_NX;
		}
	}
	cpuid(1, 0, r);
	if (r[3] & (1U << 13))
		pte_global = PTE_G;
	if (r[3] & (1U << 16))
		wrmsr(MSR_PAT, PAT_VALUE);
}

static uint64_t text_phys(void)
{
	return kernel_virt_to_phys(__text_start);
}

static uint64_t data_phys(void)
{
	return kernel_virt_to_phys(__data_start);
}

static bool ram_like(enum mem_region_type t)
{
	return t == MEM_USABLE || t == MEM_ACPI_RECLAIM || t == MEM_ACPI_NVS;
}

/* The attribute of the 4 KiB page at phys: any RAM in it makes it RAM. */
static enum page_attr page_attr(uint64_t phys)
{
	const struct boot_info *bi = boot_get_info();

	if (phys >= text_phys() && phys < data_phys())
		return ATTR_RAM_RO;
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];

		if (ram_like(r->type) && phys < r->base + r->len && phys + PAGE_SIZE > r->base)
			return ATTR_RAM;
	}
	return phys < GiB(4) ? ATTR_IO : ATTR_NONE;
}

static uint64_t leaf_bits(enum page_attr a, bool large)
{
	uint64_t bits = PTE_P | PTE_A | PTE_D | pte_global | pte_nx;

	if (a == ATTR_RAM || a == ATTR_IO)
		bits |= PTE_W;
	if (a == ATTR_IO)
		bits |= large ? pte_cache_large(CACHE_UC) : pte_cache_4k(CACHE_UC);
	return bits | (large ? PTE_PS : 0);
}

/* The table under *entry, allocating it (from early memory) if absent. */
static uint64_t *table_at(uint64_t *entry)
{
	if (!(*entry & PTE_P))
		*entry = early_alloc_pages(1, GiB(4)) | PTE_P | PTE_W;
	return pt_next(*entry);
}

/* The page directory entry mapping va, through the tables being built. */
static uint64_t *pd_entry(uint64_t va)
{
	uint64_t *pdpt = table_at(&new_top[(va >> 39) & 511]);
	uint64_t *pd = table_at(&pdpt[(va >> 30) & 511]);

	return &pd[(va >> 21) & 511];
}

static void insert_sorted(uint64_t *b, unsigned int *n, uint64_t v)
{
	unsigned int i = *n;

	if (*n == MAX_BOUNDS)
		return;
	while (i > 0 && b[i - 1] > v) {
		b[i] = b[i - 1];
		i--;
	}
	b[i] = v;
	(*n)++;
}

/* Every address where page_attr may change, sorted. */
static unsigned int attr_bounds(uint64_t *b)
{
	const struct boot_info *bi = boot_get_info();
	unsigned int n = 0;

	insert_sorted(b, &n, text_phys());
	insert_sorted(b, &n, data_phys());
	insert_sorted(b, &n, GiB(4));
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		insert_sorted(b, &n, ALIGN_DOWN(bi->mem[i].base, PAGE_SIZE));
		insert_sorted(b, &n, ALIGN_UP(bi->mem[i].base + bi->mem[i].len, PAGE_SIZE));
	}
	return n;
}

/* A 2 MiB chunk whose pages differ gets a page table. */
static void map_mixed_chunk(uint64_t *pde, uint64_t chunk)
{
	uint64_t *pt;

	*pde = early_alloc_pages(1, GiB(4)) | PTE_P | PTE_W;
	pt = pt_next(*pde);
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		uint64_t phys = chunk + i * PAGE_SIZE;
		enum page_attr a = page_attr(phys);

		if (a != ATTR_NONE)
			pt[i] = phys | leaf_bits(a, false);
	}
}

static void build_direct_map(uint64_t top)
{
	static uint64_t bounds[MAX_BOUNDS];
	unsigned int nb = attr_bounds(bounds), k = 0;

	for (uint64_t chunk = 0; chunk < top; chunk += LARGE_PAGE) {
		enum page_attr a;

		while (k < nb && bounds[k] <= chunk)
			k++;
		if (k < nb && bounds[k] < chunk + LARGE_PAGE) {
			map_mixed_chunk(pd_entry(DIRECT_MAP_BASE + chunk), chunk);
			continue;
		}
		a = page_attr(chunk);
		if (a != ATTR_NONE)
			*pd_entry(DIRECT_MAP_BASE + chunk) = chunk | leaf_bits(a, true);
	}
}

/* The kernel image at -2 GiB, 4 KiB pages, W^X. */
static void build_image_map(void)
{
	uint64_t start = (uint64_t)__image_start, end = ALIGN_UP((uint64_t)__bss_end, PAGE_SIZE);
	uint64_t rodata = ALIGN_UP((uint64_t)__text_end, PAGE_SIZE), data = (uint64_t)__data_start;

	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t *pt = table_at(pd_entry(va));
		uint64_t bits = PTE_P | PTE_A | PTE_D | pte_global;

		if (va >= data)
			bits |= PTE_W | pte_nx;
		else if (va >= rodata)
			bits |= pte_nx;
		pt[(va >> 12) & 511] = kernel_virt_to_phys((void *)va) | bits;
	}
}

/* Put the new kernel half into the live PML4 and drop every old translation. */
static void install(void)
{
	uint64_t *pml4 = phys_to_virt(kernel_pml4_phys());

	for (unsigned int i = PML4_USER_ENTRIES; i < PT_ENTRIES; i++)
		pml4[i] = new_top[i];
	write_cr3(kernel_pml4_phys());
	if (pte_global)
		write_cr4(read_cr4() | CR4_PGE);
	tlb_flush_all_global();
}

void arch_mm_init(void)
{
	uint64_t top = ALIGN_UP(MAX(mm_ram_top(), GiB(4)), LARGE_PAGE);

	if (top > DIRECT_MAP_MAX) {
		pr_warn("mm: RAM above %lu GiB is not used\n", DIRECT_MAP_MAX >> 30);
		top = DIRECT_MAP_MAX;
	}
	enable_cpu_features();
	build_direct_map(top);
	build_image_map();
	kva_init(&new_top[PML4_KVA]);
	install();
	direct_top = top;
}

void tlb_flush_all_global(void)
{
	uint64_t cr4 = read_cr4();

	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);	/* clearing PGE flushes global entries too */
		write_cr4(cr4);
		return;
	}
	flush_tlb_local();
}

void tlb_flush_kernel_range_local(uint64_t va, uint64_t len)
{
	if (len > 32 * PAGE_SIZE) {
		tlb_flush_all_global();
		return;
	}
	for (uint64_t a = ALIGN_DOWN(va, PAGE_SIZE); a < va + len; a += PAGE_SIZE)
		invlpg(a);
}

void tlb_flush_range_local(uint64_t pml4_phys, uint64_t va, uint64_t len)
{
	/* Another space's translations went with the CR3 write that left it. */
	if ((read_cr3() & PTE_ADDR) != pml4_phys)
		return;
	if (len > 32 * PAGE_SIZE) {
		flush_tlb_local();	/* cheaper than many invlpg; globals stay */
		return;
	}
	for (uint64_t a = ALIGN_DOWN(va, PAGE_SIZE); a < va + len; a += PAGE_SIZE)
		invlpg(a);
}
