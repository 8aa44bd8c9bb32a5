/* SPDX-License-Identifier: MPL-2.0 */
/* The register frame trap_entry.S builds on every interrupt and exception. */
#ifndef ASTER_ARCH_TRAP_FRAME_H
#define ASTER_ARCH_TRAP_FRAME_H

#include <aster/types.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define TRAP_FRAME_SIZE	(22 * 8)

void trap_dispatch(struct trap_frame *tf);

#define VEC_INVALID_OPCODE	6
#define VEC_DOUBLE_FAULT	8
#define VEC_PAGE_FAULT		14
#define VEC_IRQ_BASE		32
#define VEC_LAPIC_TIMER		0xec
#define VEC_IPI_CALL		0xf0	/* cross-CPU calls (smp.c) */
#define VEC_IPI_TLB		0xf1	/* TLB shootdown (mm/tlb.c) */
#define VEC_SPURIOUS		0xff

#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3

#endif
