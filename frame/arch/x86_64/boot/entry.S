/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Entry points of the protected-mode image, which is loaded at 1 MiB:
 *
 *   +0x000  startup_32   Linux 32-bit boot protocol (ESI = struct boot_params)
 *   +0x200  startup_64   Linux 64-bit boot protocol (RSI = struct boot_params)
 *           mb2_entry    multiboot2 (EAX = magic, EBX = multiboot information)
 *
 * All three load the boot page tables below, which are built by the
 * assembler so that no code runs before paging: they identity-map the first
 * 4 GiB, map it again at the direct-map base, and map the first 2 GiB at the
 * kernel base (-2 GiB) where the rest of the kernel is linked.  Then they jump
 * to high_entry, which zeroes .bss and calls arch_boot_main(protocol, info).
 */
#include "boot_defs.h"

	.section .boot.entry, "ax"
	.code32
	.globl	startup_32
startup_32:
	cli
	cld
	movl	$BOOT_PROTO_LINUX, %edi
	jmp	common32

	.org	0x200
	.code64
	.globl	startup_64
startup_64:
	cli
	cld
	movl	$BOOT_PROTO_LINUX, %edi
	lgdt	boot_gdt_ptr
	movl	$boot_pml4, %eax
	movq	%rax, %cr3
	pushq	$BOOT_GDT_CODE64
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	movl	$BOOT_GDT_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$high_entry, %rax
	jmp	*%rax

	.balign	8
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	0				/* i386 protected mode */
	.long	mb2_header_end - mb2_header
	.long	-(MB2_HEADER_MAGIC + (mb2_header_end - mb2_header))
	/* Address tag: this image is not ELF to GRUB, so say where it goes. */
	.word	2, 0
	.long	24
	.long	mb2_header
	.long	__image_start_phys
	.long	__image_end_phys
	.long	__bss_end_phys
	/* Entry address tag. */
	.word	3, 0
	.long	12
	.long	mb2_entry
	.long	0				/* pad to 8 bytes */
	/* Page-align modules: the initramfs is then a run of whole frames. */
	.word	6, 0
	.long	8
	.word	0, 0				/* end tag */
	.long	8
mb2_header_end:

	.code32
mb2_entry:
	cli
	cld
	cmpl	$MB2_BOOTLOADER_MAGIC, %eax
	jne	bad_loader
	movl	$BOOT_PROTO_MULTIBOOT2, %edi
	movl	%ebx, %esi
	/* fall through */

/* EDI = protocol, ESI = boot information; both survive until high_entry. */
common32:
	lgdt	boot_gdt_ptr
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode
	movl	%edx, %ebp			/* bit 20: NX */

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	btl	$20, %ebp
	jnc	1f
	orl	$EFER_NXE, %eax
1:	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP | CR0_PE), %eax
	movl	%eax, %cr0
	ljmp	$BOOT_GDT_CODE64, $long_mode_low

	.code64
long_mode_low:
	movl	$BOOT_GDT_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%edi, %edi
	movl	%esi, %esi
	movabsq	$high_entry, %rax
	jmp	*%rax

	.code32
bad_loader:
	movl	$msg_bad_loader, %esi
	jmp	die32
no_long_mode:
	movl	$msg_no_long_mode, %esi
die32:	/* Print ESI on COM1 (already initialised by firmware or not: best effort). */
	movw	$COM1_PORT, %dx
1:	movb	(%esi), %al
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	incl	%esi
	jmp	1b
2:	hlt
	jmp	2b

	.section .boot.data, "aw"
msg_bad_loader:
	.asciz	"Asterinas: entered through multiboot2 without the multiboot2 magic\r\n"
msg_no_long_mode:
	.asciz	"Asterinas: this CPU has no 64-bit long mode; cannot boot\r\n"

	.balign	8
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* BOOT_GDT_CODE64 */
	.quad	0x00cf92000000ffff		/* BOOT_GDT_DATA */
boot_gdt_end:
	.balign	8
boot_gdt_ptr:	/* 10 bytes for lgdt in long mode; 32-bit lgdt reads the first 6 */
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

/* The boot page tables, with every entry computed at assembly time. */
	.balign	4096
	.globl	boot_pml4
boot_pml4:
	.quad	boot_pdpt_low + PTE_P + PTE_W		/* identity map */
	.fill	255, 8, 0
	.quad	boot_pdpt_low + PTE_P + PTE_W		/* direct map at DIRECT_MAP_BASE */
	.fill	254, 8, 0
	.quad	boot_pdpt_high + PTE_P + PTE_W		/* kernel image at -2 GiB */
boot_pdpt_low:
	.quad	boot_pd + 0x0000 + PTE_P + PTE_W
	.quad	boot_pd + 0x1000 + PTE_P + PTE_W
	.quad	boot_pd + 0x2000 + PTE_P + PTE_W
	.quad	boot_pd + 0x3000 + PTE_P + PTE_W
	.fill	508, 8, 0
boot_pdpt_high:
	.fill	510, 8, 0
	.quad	boot_pd + 0x0000 + PTE_P + PTE_W
	.quad	boot_pd + 0x1000 + PTE_P + PTE_W
boot_pd:	/* 2048 large pages: 4 GiB; the top GiB (MMIO on QEMU) uncached */
	.set	addr, 0
	.rept	2048
	.if	addr < 0xc0000000
	.quad	addr + PTE_P + PTE_W + PTE_PS
	.else
	.quad	addr + PTE_P + PTE_W + PTE_PS + PTE_PWT + PTE_PCD
	.endif
	.set	addr, addr + 0x200000
	.endr

/* Now in the kernel's own mapping: zero .bss, take the boot stack, go to C. */
	.text
	.code64
high_entry:
	movq	%rdi, %r12
	movq	%rsi, %r13
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp			/* ends every frame-pointer walk */
	movq	%r12, %rdi
	movq	%r13, %rsi
	call	arch_boot_main
1:	cli
	hlt
	jmp	1b

	.bss
	.balign	16
	.globl	boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip	BOOT_STACK_SIZE
boot_stack_top:
