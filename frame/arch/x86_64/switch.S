/* SPDX-License-Identifier: MPL-2.0 */
/*
 * arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp)
 *
 * Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *save_rsp, switches to load_rsp and restores from there.  The
 * caller-saved registers are the C caller's business.
 */
	.text
	.globl	arch_context_switch
arch_context_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/* First code of every task: its initial stack "returns" here. */
	.globl	task_trampoline
task_trampoline:
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	call	task_entry
	ud2
