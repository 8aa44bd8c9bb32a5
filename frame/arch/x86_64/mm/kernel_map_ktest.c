// SPDX-License-Identifier: MPL-2.0
// ktests of the kernel page tables: W^X of the image, the direct map's
// attributes, and memory above 4 GiB reachable.
#include <aster/ktest.h>
#include "../../../internal.h"
#include "../../../mm/mm_internal.h"
#include "../cpu.h"
#include "pgtable.h"

extern char __data_start[];

static const char rodata_probe[] = "read-only";
static char data_probe[] = "data";
static char bss_probe[16];

/* The leaf entry mapping va in the active tables (0 if none); *large for 2 MiB pages. */
static uint64_t leaf(uint64_t va, bool *large)
{
	uint64_t *table = phys_to_virt(read_cr3() & PTE_ADDR);

	*large = false;
	for (unsigned int shift = 39; shift >= PAGE_SHIFT; shift -= 9) {
		uint64_t e = table[(va >> shift) & 511];

		if (!(e & PTE_P))
			return 0;
		if (shift == PAGE_SHIFT || (shift == 21 && (e & PTE_PS))) {
			*large = shift == 21;
			return e;
		}
		table = pt_next(e);
	}
	return 0;
}

KTEST(kernel_image_is_w_xor_x)
{
	bool large;
	uint64_t text = leaf((uint64_t)__text_start, &large);
	uint64_t ro = leaf((uint64_t)rodata_probe, &large);
	uint64_t data = leaf((uint64_t)data_probe, &large);
	uint64_t bss = leaf((uint64_t)bss_probe, &large);

	KT_EXPECT((text & PTE_P) && !(text & PTE_W) && !(text & PTE_NX));
	KT_EXPECT((ro & PTE_P) && !(ro & PTE_W) && (ro & PTE_NX) == pte_nx);
	KT_EXPECT((data & PTE_P) && (data & PTE_W) && (data & PTE_NX) == pte_nx);
	KT_EXPECT((bss & PTE_P) && (bss & PTE_W) && (bss & PTE_NX) == pte_nx);
	KT_EXPECT((uint64_t)rodata_probe < (uint64_t)__data_start);
	/* Below the image (the old boot mapping of the first 2 GiB) is gone. */
	KT_EXPECT(leaf(KERNEL_VMA_BASE + 0x1000, &large) == 0);
	KT_EXPECT(leaf(KERNEL_VMA_BASE + GiB(1), &large) == 0);
	/* NX is on when the CPU has it (QEMU's default CPUs do). */
	KT_EXPECT(pte_nx == PTE_NX);
}

KTEST(kernel_direct_map_attributes)
{
	bool large;
	uint64_t ram = leaf((uint64_t)phys_to_virt(MiB(16)), &large);
	uint64_t alias = leaf((uint64_t)phys_to_virt(kernel_virt_to_phys(__text_start)), &large);
	uint64_t data_alias = leaf((uint64_t)phys_to_virt(kernel_virt_to_phys(data_probe)), &large);
	uint64_t lapic = leaf((uint64_t)phys_to_virt(0xfee00000UL), &large);
	uint64_t top = leaf((uint64_t)phys_to_virt(mm_ram_top() - PAGE_SIZE), &large);

	KT_EXPECT((ram & PTE_P) && (ram & PTE_W) && (ram & PTE_NX) == pte_nx);
	KT_EXPECT(!(ram & (PTE_PCD | PTE_PWT)));
	KT_EXPECT((alias & PTE_P) && !(alias & PTE_W) && (alias & PTE_NX) == pte_nx);
	KT_EXPECT((data_alias & PTE_P) && (data_alias & PTE_W));
	KT_EXPECT((lapic & PTE_P) && (lapic & PTE_PCD) && (lapic & PTE_NX) == pte_nx);
	KT_EXPECT(top & PTE_P);
	KT_EXPECT(arch_direct_map_limit() >= mm_ram_top());
	KT_EXPECT(arch_virt_to_phys(phys_to_virt(mm_ram_top() - 1)) == mm_ram_top() - 1);
	KT_EXPECT(arch_virt_to_phys(data_probe) == UINT64_MAX);
	/* The bulk of RAM uses 2 MiB pages. */
	KT_EXPECT(leaf((uint64_t)phys_to_virt(MiB(16)), &large) && large);
}

KTEST(kva_stack_has_guard_page)
{
	static char *stacks[100];
	size_t before = frames_free();
	char *s = kva_alloc_stack(4);
	uint64_t pte;
	bool large;

	KT_ASSERT(s != NULL);
	KT_EXPECT(kva_contains((uint64_t)s, 4 * PAGE_SIZE));
	KT_EXPECT(leaf((uint64_t)s - PAGE_SIZE, &large) == 0);	/* the guard */
	pte = leaf((uint64_t)s, &large);
	KT_EXPECT((pte & PTE_P) && (pte & PTE_W) && (pte & PTE_NX) == pte_nx && !large);
	KT_EXPECT(leaf((uint64_t)s + 3 * PAGE_SIZE, &large) & PTE_P);
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		s[i] = (char)i;
	KT_EXPECT(s[4 * PAGE_SIZE - 1] == (char)(4 * PAGE_SIZE - 1));
	KT_EXPECT(frames_free() <= before - 4);
	kva_free_stack(s, 4);
	KT_EXPECT(leaf((uint64_t)s, &large) == 0);
	for (size_t i = 0; i < ARRAY_SIZE(stacks); i++) {
		stacks[i] = kva_alloc_stack(2);
		KT_ASSERT(stacks[i] != NULL);
		stacks[i][0] = 1;
		stacks[i][2 * PAGE_SIZE - 1] = 1;
	}
	/* Neighbours are separated by their guard pages. */
	for (size_t i = 0; i + 1 < ARRAY_SIZE(stacks); i++)
		KT_EXPECT(stacks[i + 1] - stacks[i] >= 3 * (long)PAGE_SIZE ||
			  stacks[i] - stacks[i + 1] >= 3 * (long)PAGE_SIZE);
	for (size_t i = 0; i < ARRAY_SIZE(stacks); i++)
		kva_free_stack(stacks[i], 2);
	/* Only page tables of the window may remain. */
	KT_EXPECT(frames_free() + 4 >= before);
	KT_EXPECT(kva_alloc_stack(0) == NULL);
}

KTEST(kva_map_io_aliases_memory)
{
	struct frame *f = frame_alloc(FRAME_ZERO);
	uint64_t magic = 0x0123456789abcdefUL, pte;
	volatile uint64_t *p;
	bool large;

	KT_ASSERT(f != NULL);
	frame_write(f, 8, &magic, sizeof(magic));
	p = kva_map_io(frame_phys(frame_meta_of(f)) + 8, 8, CACHE_UC);
	KT_ASSERT(p != NULL);
	KT_EXPECT(((uint64_t)p & (PAGE_SIZE - 1)) == 8);
	KT_EXPECT(*p == magic);
	pte = leaf((uint64_t)p, &large);
	KT_EXPECT((pte & PTE_PCD) && (pte & PTE_PWT) && (pte & PTE_NX) == pte_nx);
	kva_unmap_io((void *)p, 8);
	KT_EXPECT(leaf((uint64_t)p, &large) == 0);
	frame_put(f);
	KT_EXPECT(kva_map_io(0x1000, 0, CACHE_UC) == NULL);
	KT_EXPECT(kva_map_io(UINT64_MAX - 10, 100, CACHE_UC) == NULL);
	/* Memory above 4 GiB, when there is some: the same bytes as the direct map. */
	if (mm_ram_top() > GiB(4)) {
		uint64_t phys = mm_ram_top() - PAGE_SIZE;
		const volatile uint64_t *hi = kva_map_io(phys, PAGE_SIZE, CACHE_WB);

		KT_ASSERT(hi != NULL);
		KT_EXPECT(*hi == *(const uint64_t *)phys_to_virt(phys));
		kva_unmap_io((void *)hi, PAGE_SIZE);
	}
}
