/* SPDX-License-Identifier: MPL-2.0 */
/* Offsets shared by user_entry.S and user.c (checked by static asserts). */
#ifndef ASTER_ARCH_USER_DEFS_H
#define ASTER_ARCH_USER_DEFS_H

/* struct user_regs */
#define UR_RAX		0x00
#define UR_RBX		0x08
#define UR_RCX		0x10
#define UR_RDX		0x18
#define UR_RSI		0x20
#define UR_RDI		0x28
#define UR_RBP		0x30
#define UR_RSP		0x38
#define UR_R8		0x40
#define UR_R9		0x48
#define UR_R10		0x50
#define UR_R11		0x58
#define UR_R12		0x60
#define UR_R13		0x68
#define UR_R14		0x70
#define UR_R15		0x78
#define UR_RIP		0x80
#define UR_RFLAGS	0x88

/* struct cpu_local, reached through %gs in the kernel */
#define CPU_SELF	0x00
#define CPU_KERNEL_RSP	0x08	/* user_run's stack, to return to */
#define CPU_USER_RSP	0x10	/* scratch at syscall entry */
#define CPU_CTX		0x18	/* the running struct user_context */
#define CPU_NUMBER	0x38	/* the dense CPU number */
#define CPU_TSS_RSP0	0x44	/* the TSS's rsp0 (the TSS is at 0x40) */

#define USER_CS		0x23
#define USER_SS		0x1b

#define EVENT_SYSCALL	1

#endif
