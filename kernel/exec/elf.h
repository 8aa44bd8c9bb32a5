/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Reading x86-64 ELF executables: the header, the program headers, the
 * loadable segments and the interpreter path.  Pure parsing over a buffer
 * that holds the start of the file (the header and program headers must be
 * within it), so it is also tested on the host.
 */
#ifndef ASTER_KERNEL_ELF_H
#define ASTER_KERNEL_ELF_H

#include <aster/types.h>
#include "uapi/elf.h"

#define ELF_MAX_SEGMENTS	16
#define ELF_INTERP_MAX		256

struct elf_segment {
	uint64_t vaddr;		/* where the segment starts in memory */
	uint64_t memsz;		/* bytes in memory (>= filesz; the rest is zero) */
	uint64_t offset;	/* file offset of the first byte */
	uint64_t filesz;
	uint32_t flags;		/* ELF_PF_* */
};

struct elf_info {
	bool is_dyn;		/* ET_DYN: position independent (PIE or ld.so) */
	uint64_t entry;
	uint64_t phoff;
	uint16_t phentsize;
	uint16_t phnum;
	uint64_t phdr_vaddr;	/* PT_PHDR, or derived from the first segment; 0 if unknown */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	unsigned int nseg;
	bool has_interp;
	uint64_t interp_offset;	/* where PT_INTERP's path lies in the file */
	uint64_t interp_len;
	bool exec_stack;	/* PT_GNU_STACK has PF_X */
	uint64_t lowest_vaddr;	/* page-aligned lowest segment address */
	uint64_t highest_vaddr;	/* end of the highest segment */
};

/*
 * Parse an ELF file whose first `len` bytes are in `buf` and whose total
 * size is file_size.  Returns 0, -ENOEXEC when this is not an x86-64
 * executable we can load, or -EINVAL for an inconsistent one.
 */
int elf_parse(const uint8_t *buf, size_t len, uint64_t file_size, struct elf_info *info);

#endif
