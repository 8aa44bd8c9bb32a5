/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/elf.h> (and glibc's <elf.h>): the ELF64 values the loader checks.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_ELF_H
#define ASTER_UAPI_ELF_H

#define EI_NIDENT	16
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_CORE		4
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_GNU_STACK	0x6474e551
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4
#define ELFOSABI_NONE	0
#define PN_XNUM		0xffff

/* Note types of core files (NT_PRSTATUS and NT_PRFPREG are in ptrace.h, for regsets). */
#define NT_PRPSINFO	3
#define NT_AUXV		6
#define NT_X86_XSTATE	0x202
#define NT_SIGINFO	0x53494749
#define NT_FILE		0x46494c45

#endif
