// SPDX-License-Identifier: MPL-2.0
// elf_parse (kernel/exec/elf.c) on arbitrary bytes: the head of the file
// is the input, the file size the input's or larger (execve reads only the
// head), and every segment and the interpreter path it accepts must lie
// within the file and below the user address space's top.
#include <string.h>
#include "fuzz.h"
#include "elf.h"

#define USER_TOP	0x0000800000000000ULL

static void check(const struct elf_info *info, uint64_t file_size)
{
	FUZZ_ASSERT(info->nseg >= 1 && info->nseg <= ELF_MAX_SEGMENTS);
	for (unsigned int i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];

		FUZZ_ASSERT(s->filesz <= s->memsz);
		FUZZ_ASSERT(s->offset <= file_size && s->filesz <= file_size - s->offset);
		FUZZ_ASSERT(s->vaddr < USER_TOP && s->memsz <= USER_TOP - s->vaddr);
		FUZZ_ASSERT(info->lowest_vaddr <= s->vaddr);
		FUZZ_ASSERT(s->vaddr + s->memsz <= info->highest_vaddr);
	}
	if (info->has_interp) {
		FUZZ_ASSERT(info->interp_len >= 2 && info->interp_len <= ELF_INTERP_MAX);
		FUZZ_ASSERT(info->interp_offset <= file_size &&
			    info->interp_len <= file_size - info->interp_offset);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_info info;
	/* The last byte, when there is one, stretches the file past the head. */
	uint64_t file_size = size + (size ? (uint64_t)data[size - 1] * 4096 : 0);

	if (elf_parse(data, size, size, &info) == 0)
		check(&info, size);
	if (elf_parse(data, size, file_size, &info) == 0)
		check(&info, file_size);
	return 0;
}
