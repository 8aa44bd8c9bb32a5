/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-asm */
/* An assembly file under kernel/: the C checker cannot read it. */
	.globl	forge
forge:
	movq	%rdi, %rax
	ret
