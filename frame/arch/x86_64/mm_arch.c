// SPDX-License-Identifier: MPL-2.0
// The direct map as the memory manager sees it.
#include "../../internal.h"
#include "cpu.h"

void *arch_phys_to_virt(uint64_t phys)
{
	return phys_to_virt(phys);
}

uint64_t arch_virt_to_phys(const void *p)
{
	uint64_t v = (uint64_t)p;

	if (v >= DIRECT_MAP_BASE && v < DIRECT_MAP_BASE + DIRECT_MAP_BOOT_SIZE)
		return v - DIRECT_MAP_BASE;
	return UINT64_MAX;
}

uint64_t arch_direct_map_limit(void)
{
	return DIRECT_MAP_BOOT_SIZE;
}
