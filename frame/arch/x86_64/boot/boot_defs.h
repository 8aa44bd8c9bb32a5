/* SPDX-License-Identifier: MPL-2.0 */
/* Constants shared by the boot assembly and the C that reads boot information. */
#ifndef ASTER_ARCH_BOOT_DEFS_H
#define ASTER_ARCH_BOOT_DEFS_H

#define BOOT_PROTO_LINUX	1
#define BOOT_PROTO_MULTIBOOT2	2

#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_BOOTLOADER_MAGIC	0x36d76289

#define BOOT_GDT_CODE64		0x08
#define BOOT_GDT_DATA		0x10

#define CR0_PE			0x00000001
#define CR0_WP			0x00010000
#define CR0_PG			0x80000000
#define CR4_PAE			0x00000020
#define MSR_EFER		0xc0000080
#define EFER_LME		0x00000100
#define EFER_NXE		0x00000800

#define PTE_P			0x001
#define PTE_W			0x002
#define PTE_PWT			0x008
#define PTE_PCD			0x010
#define PTE_PS			0x080

#define COM1_PORT		0x3f8
#define BOOT_STACK_SIZE		(64 * 1024)

#endif
