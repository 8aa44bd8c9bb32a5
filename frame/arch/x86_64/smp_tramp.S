/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The AP trampoline: smp.c copies smp_tramp_start..smp_tramp_end to a page
 * below 1 MiB and sends its page number as the SIPI vector.  The AP starts
 * here in real mode with CS = page << 8, IP = 0, and goes through protected
 * mode to long mode on the trampoline's page tables (low memory identity
 * mapped and executable, plus the kernel half of the kernel's PML4), then
 * jumps to the C entry point on its own kernel stack.  Everything it needs
 * is in the parameter block at fixed offsets (smp_defs.h), addressed from
 * its own base (EBX/RBX), since the code is copied and not linked there.
 */
#include "boot/boot_defs.h"
#include "smp_defs.h"

	.section .rodata.smp_tramp, "a"
	.globl	smp_tramp_start, smp_tramp_end
smp_tramp_start:
	.code16
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	movzwl	%ax, %ebx
	shll	$4, %ebx			/* ebx = the trampoline's physical base */
	lgdtl	TRAMP_GDTR
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	*TRAMP_PM32

	.code32
tramp_pm32:
	movl	$TRAMP_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	TRAMP_CR3(%ebx), %eax
	movl	%eax, %cr3
	/* NXE before paging: the kernel half's entries have the NX bit. */
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	TRAMP_EFER(%ebx), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	ljmpl	*TRAMP_LM64(%ebx)

	.code64
tramp_lm64:
	movl	%ebx, %ebx			/* upper halves are undefined after the switch */
	movq	TRAMP_STACK(%rbx), %rsp
	movq	TRAMP_ARG(%rbx), %rdi
	movq	TRAMP_ENTRY(%rbx), %rax
	xorl	%ebp, %ebp			/* ends every frame-pointer walk */
	jmp	*%rax

	/* The parameters: offsets are relative; smp.c adds the base. */
	.org	TRAMP_GDTR
	.word	TRAMP_SIZE - TRAMP_GDT - 1
	.long	TRAMP_GDT
	.org	TRAMP_PM32
	.long	tramp_pm32 - smp_tramp_start
	.word	TRAMP_SEL_CODE32
	.org	TRAMP_LM64
	.long	tramp_lm64 - smp_tramp_start
	.word	TRAMP_SEL_CODE64
	.org	TRAMP_CR3
	.long	0
	.long	0				/* TRAMP_EFER */
	.quad	0				/* TRAMP_STACK */
	.quad	0				/* TRAMP_ENTRY */
	.quad	0				/* TRAMP_ARG */
	.org	TRAMP_GDT
	.quad	0
	.quad	0x00cf9a000000ffff		/* TRAMP_SEL_CODE32: flat, 32-bit */
	.quad	0x00cf92000000ffff		/* TRAMP_SEL_DATA */
	.quad	0x00af9a000000ffff		/* TRAMP_SEL_CODE64 */
smp_tramp_end:
	.org	TRAMP_SIZE
