/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The real-mode part of vmlinuz: the boot sector and setup header of the
 * Linux x86 boot protocol (Documentation/arch/x86/boot.rst), plus a small
 * 16-bit stub for loaders that enter the kernel in real mode (QEMU -kernel,
 * GRUB's linux16).  The stub asks the BIOS for the e820 memory map, builds a
 * zero page (struct boot_params), switches to 32-bit protected mode and jumps
 * to code32_start exactly as a 32-bit boot protocol loader would.
 *
 * This file is linked at address 0 into setup.bin; mkbzimage patches
 * setup_sects, syssize and init_size.
 */

#define BOOT_CS		0x10
#define BOOT_DS		0x18
#define ZERO_PAGE	0x1000		/* offset of our boot_params in the setup segment */
#define STACK_TOP	0x3000
#define E820_MAX	128

	.code16
	.section .text, "ax"
	.globl	_start
_start:
	/* Boot sector: a loader that jumps here was not a Linux boot loader. */
	ljmp	$0x07c0, $bs_start - _start
bs_start:
	movw	%cs, %ax
	movw	%ax, %ds
	movw	$bs_msg - _start, %si
1:	lodsb
	testb	%al, %al
	jz	2f
	movb	$0x0e, %ah
	movw	$7, %bx
	int	$0x10
	jmp	1b
2:	hlt
	jmp	2b
bs_msg:	.asciz	"Asterinas: boot this image with a Linux boot protocol loader (GRUB, QEMU -kernel).\r\n"

	.org	0x1f1
hdr:
setup_sects:	.byte	0		/* patched by mkbzimage */
root_flags:	.word	0
syssize:	.long	0		/* patched: protected-mode part, in 16-byte units */
ram_size:	.word	0
vid_mode:	.word	0xffff		/* "normal" */
root_dev:	.word	0
boot_flag:	.word	0xaa55

	.org	0x200
	jmp	setup_entry
	.ascii	"HdrS"
	.word	0x020f			/* boot protocol 2.15 */
realmode_swtch:	.long	0
start_sys_seg:	.word	0x1000
		.word	kernel_version - 0x200
type_of_loader:	.byte	0
loadflags:	.byte	0x01		/* LOADED_HIGH: protected-mode code at 1 MiB */
setup_move_size: .word	0x8000
code32_start:	.long	0x100000
ramdisk_image:	.long	0
ramdisk_size:	.long	0
bootsect_kludge: .long	0
heap_end_ptr:	.word	0
ext_loader_ver:	.byte	0
ext_loader_type: .byte	0
cmd_line_ptr:	.long	0
initrd_addr_max: .long	0x7fffffff
kernel_alignment: .long	0x200000
relocatable_kernel: .byte 0
min_alignment:	.byte	12
xloadflags:	.word	0x0001		/* XLF_KERNEL_64: 64-bit entry at code32_start + 0x200 */
cmdline_size:	.long	4095
hardware_subarch: .long	0
hardware_subarch_data: .quad 0
payload_offset:	.long	0
payload_length:	.long	0
setup_data:	.quad	0
pref_address:	.quad	0x100000
init_size:	.long	0		/* patched: memory the kernel needs from code32_start */
handover_offset: .long	0		/* no EFI handover: loaders use the 64-bit entry */
kernel_info_offset: .long 0
hdr_end:

kernel_version:	.asciz	ASTER_VERSION_STRING

setup_entry:
	cli
	cld
	movw	%ds, %ax		/* the protocol sets DS to the setup segment */
	movw	%ax, %es
	movw	%ax, %ss
	movw	$STACK_TOP, %sp
	/* Normalise CS so that offsets are relative to _start. */
	pushw	%ax
	pushw	$1f - _start
	lretw
1:
	/* Zero our boot_params and copy the setup header into it. */
	movw	$ZERO_PAGE, %di
	movw	$4096 / 2, %cx
	xorw	%ax, %ax
	rep stosw
	movw	$hdr - _start, %si
	movw	$ZERO_PAGE + 0x1f1, %di
	movw	$hdr_end - hdr, %cx
	rep movsb

	call	detect_e820
	call	enable_a20

	/* Linear address of the setup segment, for the GDT and the jumps. */
	xorl	%ebx, %ebx
	movw	%ds, %bx
	shll	$4, %ebx
	leal	gdt - _start(%ebx), %eax
	movl	%eax, gdt_ptr + 2 - _start
	leal	pm_entry - _start(%ebx), %eax
	movl	%eax, pm_jump - _start

	movb	$0x80, %al		/* mask NMIs while switching modes */
	outb	%al, $0x70
	lgdtl	gdt_ptr - _start
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	*pm_jump - _start

/* int 15h/e820: fill boot_params.e820_table (0x2d0) and e820_entries (0x1e8). */
detect_e820:
	xorl	%ebx, %ebx
	movw	$ZERO_PAGE + 0x2d0, %di
	xorw	%bp, %bp
1:	movl	$0xe820, %eax
	movl	$0x534d4150, %edx	/* "SMAP" */
	movl	$20, %ecx
	int	$0x15
	jc	2f
	cmpl	$0x534d4150, %eax
	jne	2f
	addw	$20, %di
	incw	%bp
	cmpw	$E820_MAX, %bp
	jae	2f
	testl	%ebx, %ebx
	jnz	1b
2:	movw	%bp, %ax
	movb	%al, ZERO_PAGE + 0x1e8
	ret

enable_a20:
	inb	$0x92, %al		/* "fast A20" through the system control port */
	testb	$2, %al
	jnz	1f
	orb	$2, %al
	andb	$0xfe, %al
	outb	%al, $0x92
1:	ret

	.code32
pm_entry:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	leal	ZERO_PAGE(%ebx), %esi
	leal	STACK_TOP(%ebx), %esp
	movl	ZERO_PAGE + 0x214(%ebx), %eax	/* code32_start, possibly changed by the loader */
	xorl	%ebp, %ebp
	xorl	%edi, %edi
	xorl	%ebx, %ebx
	jmpl	*%eax

	.balign	8
gdt:
	.quad	0
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x10: 32-bit flat code */
	.quad	0x00cf92000000ffff	/* 0x18: flat data */
gdt_end:
gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	0
pm_jump:
	.long	0
	.word	BOOT_CS

	/* The setup area is padded to whole sectors by mkbzimage. */
