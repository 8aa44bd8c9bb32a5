/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The AP trampoline's layout (smp_tramp.S, smp.c): the code, then the
 * parameters smp.c fills in before each start, at fixed offsets from the
 * trampoline page.  The three pages after it hold the page tables the AP
 * turns paging on with (smp.c).
 */
#ifndef ASTER_ARCH_SMP_DEFS_H
#define ASTER_ARCH_SMP_DEFS_H

#define TRAMP_GDTR		0x100	/* lgdt operand: limit (2), linear base (4) */
#define TRAMP_PM32		0x108	/* far pointer to the 32-bit code: offset (4), selector (2) */
#define TRAMP_LM64		0x110	/* far pointer to the 64-bit code */
#define TRAMP_CR3		0x118	/* the trampoline's own PML4 (below 1 MiB) */
#define TRAMP_EFER		0x11c	/* EFER bits to set: LME, and NXE if the kernel uses NX */
#define TRAMP_STACK		0x120	/* the AP's kernel stack top (kernel address) */
#define TRAMP_ENTRY		0x128	/* the C entry point (kernel address) */
#define TRAMP_ARG		0x130	/* its argument: the AP's struct cpu_local */
#define TRAMP_GDT		0x140	/* null, 32-bit code, data, 64-bit code */
#define TRAMP_SIZE		0x160

#define TRAMP_SEL_CODE32	0x08
#define TRAMP_SEL_DATA		0x10
#define TRAMP_SEL_CODE64	0x18

#define TRAMP_PAGES		4	/* code, PML4, PDPT, PD */

#endif
