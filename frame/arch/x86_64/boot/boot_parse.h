/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Parsers for the two boot protocols' information blocks.  They only read
 * the bytes they are given (never follow physical addresses), so they are
 * also built and tested on the host.
 */
#ifndef ASTER_ARCH_BOOT_PARSE_H
#define ASTER_ARCH_BOOT_PARSE_H

#include <aster/boot.h>

/* What the zero page points at, for the caller to copy. */
struct zero_page_info {
	uint64_t cmdline_phys;
	uint8_t loader_type;
};

#define ZERO_PAGE_SIZE	4096

/* Parse struct boot_params (4096 bytes): memory map, initrd, RSDP. */
void zero_page_parse(const uint8_t *zp, struct boot_info *bi, struct zero_page_info *out);

/*
 * Parse a multiboot2 information block of `size` bytes.  `phys_offset` is
 * the block's virtual address minus its physical address, to report the
 * physical address of the ACPI RSDP copy.  Returns 0 or -EINVAL when the
 * block is malformed (what was read before the error is kept).
 */
int mb2_parse(const uint8_t *mbi, uint32_t size, struct boot_info *bi, uint64_t phys_offset);

/* Add a region to bi->mem, ignoring empty ones and overflow. */
void boot_add_mem_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type);

#endif
