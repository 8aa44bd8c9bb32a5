/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The only instructions that touch user memory.  Each one that may fault
 * has an entry in .fixup_table (faulting instruction, where to resume):
 * the trap handler resumes there with the fault address in %r9 and the
 * error code in %r10 (fixup.c), and the fixup code stores both, and the
 * progress made, in the caller's struct uaccess_fault:
 *
 *	struct uaccess_fault { uint64_t addr, error, done; };
 *
 * A fault leaves the string instruction's registers at the first byte not
 * copied, so the caller knows exactly how far it got and can resume.
 * Bulk moves go 8 bytes at a time (rep movsq), then the tail bytewise.
 * (Once SMAP is enabled, each routine needs stac/clac around the access.)
 */
#define FIXUP(insn, fixup)		\
	.pushsection .fixup_table, "a";	\
	.balign 8;			\
	.quad insn, fixup;		\
	.popsection

	.text

/* size_t arch_copy_user(void *dst, const void *src, size_t n, struct uaccess_fault *f):
 * the number of bytes NOT copied (0 on success). */
	.globl	arch_copy_user
	.type	arch_copy_user, @function
arch_copy_user:
	movq	%rcx, %r8
	movq	%rdx, %rcx
	shrq	$3, %rcx
	andl	$7, %edx
1:	rep movsq
	movl	%edx, %ecx
2:	rep movsb
	xorl	%eax, %eax
	ret
3:	leaq	(%rdx,%rcx,8), %rax	/* words left, and the tail */
	jmp	.Lcopy_fault
4:	movq	%rcx, %rax
.Lcopy_fault:
	movq	%r9, (%r8)
	movq	%r10, 8(%r8)
	ret
	FIXUP(1b, 3b)
	FIXUP(2b, 4b)
	.size	arch_copy_user, . - arch_copy_user

/* size_t arch_clear_user(void *dst, size_t n, struct uaccess_fault *f):
 * the number of bytes NOT cleared. */
	.globl	arch_clear_user
	.type	arch_clear_user, @function
arch_clear_user:
	movq	%rdx, %r8
	movq	%rsi, %rcx
	movq	%rsi, %rdx
	shrq	$3, %rcx
	andl	$7, %edx
	xorl	%eax, %eax
1:	rep stosq
	movl	%edx, %ecx
2:	rep stosb
	ret
3:	leaq	(%rdx,%rcx,8), %rax
	jmp	.Lclear_fault
4:	movq	%rcx, %rax
.Lclear_fault:
	movq	%r9, (%r8)
	movq	%r10, 8(%r8)
	ret
	FIXUP(1b, 3b)
	FIXUP(2b, 4b)
	.size	arch_clear_user, . - arch_clear_user

/*
 * long arch_strncpy_user(char *dst, const char *src, size_t max, struct uaccess_fault *f):
 * the string's length if a NUL is found within max bytes (the NUL is
 * copied), max if not, -14 (-EFAULT) on a fault, with f->done = bytes copied.
 */
	.globl	arch_strncpy_user
	.type	arch_strncpy_user, @function
arch_strncpy_user:
	movq	%rcx, %r8
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
4:	movq	%r9, (%r8)
	movq	%r10, 8(%r8)
	movq	%rax, 16(%r8)
	movq	$-14, %rax
	ret
	FIXUP(2b, 4b)
	.size	arch_strncpy_user, . - arch_strncpy_user

/*
 * int arch_cmpxchg_user_u32(uint32_t *p, uint32_t old, uint32_t new, uint32_t *found,
 *			     struct uaccess_fault *f):
 * lock cmpxchg on the user word; 0 with the value found in *found, or
 * -14 (-EFAULT) on a fault, described in *f.  The locked access counts as
 * a write for the fault, so copy-on-write pages are resolved before it.
 */
	.globl	arch_cmpxchg_user_u32
	.type	arch_cmpxchg_user_u32, @function
arch_cmpxchg_user_u32:
	movl	%esi, %eax
1:	lock cmpxchgl %edx, (%rdi)
	movl	%eax, (%rcx)
	xorl	%eax, %eax
	ret
2:	movq	%r9, (%r8)
	movq	%r10, 8(%r8)
	movl	$-14, %eax
	ret
	FIXUP(1b, 2b)
	.size	arch_cmpxchg_user_u32, . - arch_cmpxchg_user_u32
