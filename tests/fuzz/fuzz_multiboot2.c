// SPDX-License-Identifier: MPL-2.0
// mb2_parse (frame/arch/x86_64/boot/multiboot2.c) on arbitrary bytes: the
// input is the information block, of exactly its size; the memory map it
// builds stays within BOOT_MAX_MEM_REGIONS and the command line is
// terminated.
#include <string.h>
#include "fuzz.h"
#include <aster/errno.h>
#include "boot_parse.h"

static struct boot_info bi;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int err;

	if (size > UINT32_MAX)
		return 0;
	memset(&bi, 0, sizeof(bi));
	err = mb2_parse(data, (uint32_t)size, &bi, 0);
	FUZZ_ASSERT(err == 0 || err == -EINVAL);
	FUZZ_ASSERT(bi.nr_mem <= BOOT_MAX_MEM_REGIONS);
	FUZZ_ASSERT(memchr(bi.cmdline, '\0', sizeof(bi.cmdline)) != NULL);
	return 0;
}
