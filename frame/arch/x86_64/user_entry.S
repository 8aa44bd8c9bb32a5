/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Entering and leaving user mode.
 *
 * user_enter(ctx, sysret) saves the kernel's callee-saved registers, records
 * its stack pointer in the CPU-local area and in TSS.rsp0, and enters user
 * mode with SYSRET or IRET.  Whatever brings the CPU back (SYSCALL, an
 * exception, an interrupt) stores the user registers into the context and
 * unwinds to user_run_return, which makes user_enter return the event.
 */
#include "user_defs.h"

	/* With user_run, the first page of .text: see kernel.ld. */
	.section .text.hot, "ax", @progbits
	.globl	user_enter
user_enter:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %gs:CPU_KERNEL_RSP
	movq	%rdi, %gs:CPU_CTX
	movq	%rsp, %gs:CPU_TSS_RSP0	/* traps from user mode land below us */
	testl	%esi, %esi
	jz	1f

	/* SYSRET: rcx = rip, r11 = rflags. */
	movq	UR_RIP(%rdi), %rcx
	movq	UR_RFLAGS(%rdi), %r11
	movq	UR_RAX(%rdi), %rax
	movq	UR_RBX(%rdi), %rbx
	movq	UR_RDX(%rdi), %rdx
	movq	UR_RSI(%rdi), %rsi
	movq	UR_RBP(%rdi), %rbp
	movq	UR_R8(%rdi), %r8
	movq	UR_R9(%rdi), %r9
	movq	UR_R10(%rdi), %r10
	movq	UR_R12(%rdi), %r12
	movq	UR_R13(%rdi), %r13
	movq	UR_R14(%rdi), %r14
	movq	UR_R15(%rdi), %r15
	movq	UR_RSP(%rdi), %rsp
	movq	UR_RDI(%rdi), %rdi
	swapgs
	sysretq

1:	/* IRET: every register restored. */
	pushq	$USER_SS
	pushq	UR_RSP(%rdi)
	pushq	UR_RFLAGS(%rdi)
	pushq	$USER_CS
	pushq	UR_RIP(%rdi)
	movq	UR_RAX(%rdi), %rax
	movq	UR_RBX(%rdi), %rbx
	movq	UR_RCX(%rdi), %rcx
	movq	UR_RDX(%rdi), %rdx
	movq	UR_RSI(%rdi), %rsi
	movq	UR_RBP(%rdi), %rbp
	movq	UR_R8(%rdi), %r8
	movq	UR_R9(%rdi), %r9
	movq	UR_R10(%rdi), %r10
	movq	UR_R11(%rdi), %r11
	movq	UR_R12(%rdi), %r12
	movq	UR_R13(%rdi), %r13
	movq	UR_R14(%rdi), %r14
	movq	UR_R15(%rdi), %r15
	movq	UR_RDI(%rdi), %rdi
	swapgs
	iretq

/* SYSCALL lands here with interrupts off (FMASK), on the user's stack. */
	.globl	syscall_entry
syscall_entry:
	swapgs
	movq	%rsp, %gs:CPU_USER_RSP
	movq	%gs:CPU_KERNEL_RSP, %rsp
	pushq	%rdi
	movq	%gs:CPU_CTX, %rdi
	movq	%rax, UR_RAX(%rdi)
	movq	%rbx, UR_RBX(%rdi)
	movq	%rcx, UR_RCX(%rdi)
	movq	%rcx, UR_RIP(%rdi)
	movq	%rdx, UR_RDX(%rdi)
	movq	%rsi, UR_RSI(%rdi)
	movq	%rbp, UR_RBP(%rdi)
	movq	%r8, UR_R8(%rdi)
	movq	%r9, UR_R9(%rdi)
	movq	%r10, UR_R10(%rdi)
	movq	%r11, UR_R11(%rdi)
	movq	%r11, UR_RFLAGS(%rdi)
	movq	%r12, UR_R12(%rdi)
	movq	%r13, UR_R13(%rdi)
	movq	%r14, UR_R14(%rdi)
	movq	%r15, UR_R15(%rdi)
	popq	UR_RDI(%rdi)
	movq	%gs:CPU_USER_RSP, %rax
	movq	%rax, UR_RSP(%rdi)
	movl	$EVENT_SYSCALL, %eax
	/* fall through */

/* Return from user_enter with the event in eax; rsp = CPU_KERNEL_RSP. */
	.globl	user_run_return
user_run_return:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/* From trap_dispatch: abandon the trap frames and return `event` (edi). */
	.globl	user_trap_return
user_trap_return:
	movq	%gs:CPU_KERNEL_RSP, %rsp
	movl	%edi, %eax
	jmp	user_run_return
