// SPDX-License-Identifier: MPL-2.0
// Physical memory before the frame allocator: which usable RAM is taken
// (low memory, the kernel image, the initrd, the loader's information) and
// a bump allocator for the few structures that must exist before frames do
// (page tables, the frame table).  Everything works on ranges, never page by
// page, so boot time does not grow with the amount of RAM.
#include <aster/boot.h>
#include <aster/log.h>
#include "../internal.h"
#include "mm_internal.h"

#define LOW_MEMORY	0x100000UL	/* BIOS data, real-mode code, SMP trampolines */
#define MAX_EARLY	8		/* separate runs the early allocator may use */
#define MAX_EXCLUDE	(BOOT_MAX_MEM_REGIONS + 16)

extern char __image_start_phys[], __bss_end_phys[];

static struct phys_range early_used[MAX_EARLY];
static unsigned int nr_early_used;
static bool early_closed;	/* the frame allocator owns the rest now */

static bool ram_like(enum mem_region_type t)
{
	return t == MEM_USABLE || t == MEM_ACPI_RECLAIM || t == MEM_ACPI_NVS;
}

uint64_t mm_ram_top(void)
{
	const struct boot_info *bi = boot_get_info();
	uint64_t top = 0;

	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (ram_like(bi->mem[i].type) && bi->mem[i].base + bi->mem[i].len > top)
			top = bi->mem[i].base + bi->mem[i].len;
	return top;
}

static void add_range(struct phys_range *out, unsigned int *n, unsigned int max, uint64_t base,
		      uint64_t len)
{
	if (!len || *n >= max)
		return;
	out[*n] = (struct phys_range){ ALIGN_DOWN(base, PAGE_SIZE), ALIGN_UP(base + len, PAGE_SIZE) };
	(*n)++;
}

unsigned int mm_reserved_ranges(struct phys_range *out, unsigned int max)
{
	const struct boot_info *bi = boot_get_info();
	uint64_t image = (uint64_t)__image_start_phys;
	unsigned int n = 0;

	add_range(out, &n, max, 0, LOW_MEMORY);
	add_range(out, &n, max, image, (uint64_t)__bss_end_phys - image);
	add_range(out, &n, max, bi->initrd_base, bi->initrd_len);
	add_range(out, &n, max, bi->loader_data_base, bi->loader_data_len);
	for (unsigned int i = 0; i < nr_early_used; i++)
		add_range(out, &n, max, early_used[i].base, early_used[i].end - early_used[i].base);
	return n;
}

/* Everything a usable piece must avoid: reserved ranges and non-RAM regions. */
static unsigned int exclusions(struct phys_range *ex)
{
	const struct boot_info *bi = boot_get_info();
	unsigned int n = mm_reserved_ranges(ex, MAX_EXCLUDE);

	/* Where the loader's regions overlap, anything not usable wins. */
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type != MEM_USABLE)
			add_range(ex, &n, MAX_EXCLUDE, bi->mem[i].base, bi->mem[i].len);
	return n;
}

/* Emit the parts of [base, end) that no exclusion covers, in address order. */
static void subtract(uint64_t base, uint64_t end, const struct phys_range *ex, unsigned int nex,
		     void (*fn)(uint64_t, uint64_t, void *), void *arg)
{
	while (base < end) {
		const struct phys_range *first = NULL;

		for (unsigned int i = 0; i < nex; i++) {
			if (ex[i].end <= base || ex[i].base >= end)
				continue;
			if (!first || ex[i].base < first->base)
				first = &ex[i];
		}
		if (!first) {
			fn(base, end, arg);
			return;
		}
		if (first->base > base)
			fn(base, first->base, arg);
		base = first->end;
	}
}

void mm_for_each_free_range(void (*fn)(uint64_t base, uint64_t end, void *arg), void *arg)
{
	const struct boot_info *bi = boot_get_info();
	static struct phys_range ex[MAX_EXCLUDE];	/* too big for the boot stack frame */
	unsigned int nex = exclusions(ex);

	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];
		uint64_t base = ALIGN_UP(r->base, PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(r->base + r->len, PAGE_SIZE);

		/*
		 * A region starting in the last page of the address space
		 * (the loader's map is not trusted) would align up to 0 and
		 * pass for all memory.
		 */
		if (base < r->base)
			continue;
		if (r->type == MEM_USABLE && base < end)
			subtract(base, end, ex, nex, fn, arg);
	}
}

struct early_search {
	uint64_t bytes, below, found;
};

static void first_fit(uint64_t base, uint64_t end, void *arg)
{
	struct early_search *s = arg;

	if (s->found || base >= s->below)
		return;
	end = MIN(end, s->below);
	if (end - base >= s->bytes)
		s->found = base;
}

static void note_used(uint64_t base, uint64_t end)
{
	for (unsigned int i = 0; i < nr_early_used; i++) {
		if (early_used[i].end == base) {
			early_used[i].end = end;
			return;
		}
	}
	if (nr_early_used == MAX_EARLY)
		panic("mm: early allocations are too scattered");
	early_used[nr_early_used++] = (struct phys_range){ base, end };
}

void early_alloc_close(void)
{
	early_closed = true;
}

uint64_t early_alloc_pages(size_t n, uint64_t below)
{
	struct early_search s = { .bytes = (uint64_t)n * PAGE_SIZE, .below = below };

	/* After the frame allocator took the free ranges, they are no longer ours. */
	BUG_ON(early_closed);

	/* Never beyond what the direct map reaches right now. */
	s.below = MIN(s.below, arch_direct_map_limit());
	mm_for_each_free_range(first_fit, &s);
	if (!s.found)
		panic("mm: out of memory for %zu early pages", n);
	note_used(s.found, s.found + s.bytes);
	mm_zero(arch_phys_to_virt(s.found), s.bytes);
	return s.found;
}
