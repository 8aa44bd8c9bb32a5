// SPDX-License-Identifier: MPL-2.0
// zero_page_parse (frame/arch/x86_64/boot/zero_page.c) on arbitrary bytes:
// the input, zero-padded or cut to the zero page's 4096 bytes, in a buffer
// of exactly that size; the memory map stays within BOOT_MAX_MEM_REGIONS
// and no initrd base is reported without a length.
#include <string.h>
#include "fuzz.h"
#include "boot_parse.h"

static struct boot_info bi;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *zp = calloc(1, ZERO_PAGE_SIZE);
	struct zero_page_info zi;

	FUZZ_ASSERT(zp);
	memcpy(zp, data, size < ZERO_PAGE_SIZE ? size : ZERO_PAGE_SIZE);
	memset(&bi, 0, sizeof(bi));
	zero_page_parse(zp, &bi, &zi);
	FUZZ_ASSERT(bi.nr_mem <= BOOT_MAX_MEM_REGIONS);
	FUZZ_ASSERT(bi.initrd_len != 0 || bi.initrd_base == 0);
	for (unsigned int i = 0; i < bi.nr_mem; i++)
		FUZZ_ASSERT(bi.mem[i].len != 0 && bi.mem[i].base + (bi.mem[i].len - 1) >= bi.mem[i].base);
	free(zp);
	return 0;
}
