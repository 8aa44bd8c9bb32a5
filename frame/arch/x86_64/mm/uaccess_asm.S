/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The only instructions that touch user memory.  Each one that may fault
 * has an entry in .fixup_table (faulting address, where to resume), which
 * the kernel's exception handler consults before declaring a kernel fault.
 */
#define FIXUP(insn, fixup)		\
	.pushsection .fixup_table, "a";	\
	.balign 8;			\
	.quad insn, fixup;		\
	.popsection

	.text
/* size_t arch_copy_user(void *dst, const void *src, size_t n): bytes NOT copied. */
	.globl	arch_copy_user
arch_copy_user:
	movq	%rdx, %rcx
1:	rep movsb
	xorl	%eax, %eax
	ret
2:	movq	%rcx, %rax
	ret
	FIXUP(1b, 2b)

/* size_t arch_clear_user(void *dst, size_t n): bytes NOT cleared. */
	.globl	arch_clear_user
arch_clear_user:
	movq	%rsi, %rcx
	xorl	%eax, %eax
1:	rep stosb
	ret
2:	movq	%rcx, %rax
	ret
	FIXUP(1b, 2b)

/*
 * long arch_strncpy_user(char *dst, const char *src, size_t max):
 * the string's length if a NUL is found within max bytes, max if not,
 * -14 (-EFAULT) on a fault.
 */
	.globl	arch_strncpy_user
arch_strncpy_user:
	xorl	%eax, %eax
1:	cmpq	%rdx, %rax
	jae	3f
2:	movb	(%rsi,%rax), %cl
	movb	%cl, (%rdi,%rax)
	testb	%cl, %cl
	jz	3f
	incq	%rax
	jmp	1b
3:	ret
4:	movq	$-14, %rax
	ret
	FIXUP(2b, 4b)
