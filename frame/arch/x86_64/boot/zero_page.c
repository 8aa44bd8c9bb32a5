// SPDX-License-Identifier: MPL-2.0
// Reading struct boot_params, the Linux boot protocol's zero page.
#include <aster/string.h>
#include <aster/unaligned.h>
#include "boot_parse.h"

/* Offsets from Documentation/arch/x86/zero-page.rst and boot.rst. */
#define ZP_ACPI_RSDP_ADDR	0x070
#define ZP_EXT_RAMDISK_IMAGE	0x0c0
#define ZP_EXT_RAMDISK_SIZE	0x0c4
#define ZP_EXT_CMD_LINE_PTR	0x0c8
#define ZP_E820_ENTRIES		0x1e8
#define ZP_TYPE_OF_LOADER	0x210
#define ZP_RAMDISK_IMAGE	0x218
#define ZP_RAMDISK_SIZE		0x21c
#define ZP_CMD_LINE_PTR		0x228
#define ZP_E820_TABLE		0x2d0
#define ZP_E820_MAX		128
#define E820_ENTRY_SIZE		20

/* A 64-bit value split in two 32-bit fields (the ext_ ones hold the high half). */
static uint64_t split_le64(const uint8_t *zp, size_t lo_off, size_t hi_off)
{
	return get_unaligned_le32(zp + lo_off) | (uint64_t)get_unaligned_le32(zp + hi_off) << 32;
}

void boot_add_mem_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
	if (len == 0 || bi->nr_mem >= BOOT_MAX_MEM_REGIONS)
		return;
	if (base + len < base)	/* wraps: clip at the top of the address space */
		len = UINT64_MAX - base;
	if (len == 0)		/* (base was UINT64_MAX) */
		return;
	if (type < MEM_USABLE || type > MEM_BAD)
		type = MEM_RESERVED;
	bi->mem[bi->nr_mem++] = (struct mem_region){ base, len, (enum mem_region_type)type };
}

void zero_page_parse(const uint8_t *zp, struct boot_info *bi, struct zero_page_info *out)
{
	unsigned int n = zp[ZP_E820_ENTRIES];

	if (n > ZP_E820_MAX)
		n = ZP_E820_MAX;
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *e = zp + ZP_E820_TABLE + i * E820_ENTRY_SIZE;

		boot_add_mem_region(bi, get_unaligned_le64(e), get_unaligned_le64(e + 8),
				    get_unaligned_le32(e + 16));
	}
	bi->initrd_base = split_le64(zp, ZP_RAMDISK_IMAGE, ZP_EXT_RAMDISK_IMAGE);
	bi->initrd_len = split_le64(zp, ZP_RAMDISK_SIZE, ZP_EXT_RAMDISK_SIZE);
	if (!bi->initrd_len)
		bi->initrd_base = 0;
	bi->rsdp_phys = get_unaligned_le64(zp + ZP_ACPI_RSDP_ADDR);
	out->cmdline_phys = split_le64(zp, ZP_CMD_LINE_PTR, ZP_EXT_CMD_LINE_PTR);
	out->loader_type = zp[ZP_TYPE_OF_LOADER];
	bi->loader_name = "";
}
