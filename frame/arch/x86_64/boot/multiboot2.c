// SPDX-License-Identifier: MPL-2.0
// Reading the multiboot2 boot information (The Multiboot2 Specification, 3.6).
#include <aster/errno.h>
#include <aster/string.h>
#include <aster/unaligned.h>
#include "boot_parse.h"

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

/* Copy a string tag's text, which need not be terminated within the tag. */
static void copy_tag_string(char *dst, size_t dst_size, const uint8_t *s, size_t len)
{
	size_t n = strnlen((const char *)s, len);

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int parse_mmap(const uint8_t *tag, uint32_t tag_size, struct boot_info *bi)
{
	uint32_t entry_size;

	if (tag_size < 16)
		return -EINVAL;
	entry_size = get_unaligned_le32(tag + 8);
	if (entry_size < 24)
		return -EINVAL;
	/* Written as a subtraction: off + entry_size could wrap around 2^32. */
	for (uint32_t off = 16; tag_size - off >= entry_size; off += entry_size)
		boot_add_mem_region(bi, get_unaligned_le64(tag + off),
				    get_unaligned_le64(tag + off + 8),
				    get_unaligned_le32(tag + off + 16));
	return 0;
}

static int parse_tag(const uint8_t *tag, uint32_t type, uint32_t tag_size, struct boot_info *bi,
		     uint64_t phys_offset)
{
	static char loader_name[64];

	switch (type) {
	case MB2_TAG_CMDLINE:
		copy_tag_string(bi->cmdline, sizeof(bi->cmdline), tag + 8, tag_size - 8);
		return 0;
	case MB2_TAG_LOADER_NAME:
		copy_tag_string(loader_name, sizeof(loader_name), tag + 8, tag_size - 8);
		bi->loader_name = loader_name;
		return 0;
	case MB2_TAG_MODULE:
		if (tag_size < 16)
			return -EINVAL;
		/* The first module is the initramfs, as with GRUB's initrd. */
		if (!bi->initrd_base && get_unaligned_le32(tag + 12) > get_unaligned_le32(tag + 8)) {
			bi->initrd_base = get_unaligned_le32(tag + 8);
			bi->initrd_len = get_unaligned_le32(tag + 12) - get_unaligned_le32(tag + 8);
		}
		return 0;
	case MB2_TAG_MMAP:
		return parse_mmap(tag, tag_size, bi);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		if (!bi->rsdp_phys || type == MB2_TAG_ACPI_NEW)
			bi->rsdp_phys = (uint64_t)(uintptr_t)(tag + 8) - phys_offset;
		return 0;
	default:
		return 0;
	}
}

int mb2_parse(const uint8_t *mbi, uint32_t size, struct boot_info *bi, uint64_t phys_offset)
{
	uint64_t off = 8;	/* 64-bit: off + an aligned tag size cannot wrap */

	bi->loader_name = "";
	if (size < 16 || get_unaligned_le32(mbi) != size)
		return -EINVAL;
	while (off + 8 <= size) {
		const uint8_t *tag = mbi + off;
		uint32_t type = get_unaligned_le32(tag), tag_size = get_unaligned_le32(tag + 4);
		int err;

		if (type == MB2_TAG_END)
			return 0;
		if (tag_size < 8 || tag_size > size - off)
			return -EINVAL;
		err = parse_tag(tag, type, tag_size, bi, phys_offset);
		if (err)
			return err;
		off += ALIGN_UP((uint64_t)tag_size, 8);
	}
	return -EINVAL;	/* no end tag */
}
