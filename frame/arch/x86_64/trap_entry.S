/* SPDX-License-Identifier: MPL-2.0 */
/*
 * One small stub per vector pushes a uniform frame (a zero error code where
 * the CPU pushes none, then the vector number) and joins trap_common, which
 * saves the general registers as struct trap_frame and calls trap_dispatch.
 */
	.text
	.code64

/* Vectors where the CPU pushes an error code: 8, 10-14, 17, 21, 29, 30. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			   (v) == 21 || (v) == 29 || (v) == 30)

	.balign	16
	.globl	trap_stubs
trap_stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	.if	!HAS_ERROR_CODE(vec)
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	.set	vec, vec + 1
	.endr

trap_common:
	/* From user mode (CS RPL 3 in the CPU's frame): switch to the kernel GS. */
	testb	$3, 24(%rsp)
	jz	1f
	swapgs
1:	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	/* A frame-pointer link so backtraces walk from here into the trapped code. */
	movq	%rsp, %rbp
	call	trap_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector and error code */
	iretq
