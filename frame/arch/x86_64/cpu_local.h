/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/arch/x86_64: each CPU's own area, reached through the
 * GS base in kernel mode (user_entry.S swaps it in and out with swapgs).
 * It holds what the entry code needs at fixed offsets (user_defs.h), the
 * CPU's number, its TSS (rsp0 and the IST stacks) and its GDT (whose
 * getcpu descriptor carries the CPU's number to user mode).
 */
#ifndef ASTER_ARCH_CPU_LOCAL_H
#define ASTER_ARCH_CPU_LOCAL_H

#include <aster/percpu.h>
#include <aster/types.h>
#include "user_defs.h"

struct user_context;

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

#define GDT_ENTRIES	8

struct cpu_local {
	uint64_t self;
	uint64_t kernel_rsp;
	uint64_t user_rsp;
	struct user_context *ctx;
	/* What the FS/GS base MSRs hold now, to skip redundant writes. */
	uint64_t live_fs_base;
	uint64_t live_user_gs_base;
	struct user_context *fpu_owner;
	uint32_t cpu;		/* the dense CPU number (aster/percpu.h) */
	uint32_t apic_id;
	struct tss tss;		/* user_entry.S writes rsp0 */
	uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(8)));
} __attribute__((aligned(64)));

_Static_assert(__builtin_offsetof(struct cpu_local, self) == CPU_SELF, "cpu_local");
_Static_assert(__builtin_offsetof(struct cpu_local, kernel_rsp) == CPU_KERNEL_RSP, "cpu_local");
_Static_assert(__builtin_offsetof(struct cpu_local, user_rsp) == CPU_USER_RSP, "cpu_local");
_Static_assert(__builtin_offsetof(struct cpu_local, ctx) == CPU_CTX, "cpu_local");
_Static_assert(__builtin_offsetof(struct cpu_local, cpu) == CPU_NUMBER, "cpu_local");
_Static_assert(__builtin_offsetof(struct cpu_local, tss) + 4 == CPU_TSS_RSP0, "cpu_local");

/* Indexed by CPU number; slot 0 is the boot CPU's. */
extern struct cpu_local cpu_locals[CPU_MAX];

/* The calling CPU's area (its GS base). */
static inline struct cpu_local *this_cpu_local(void)
{
	struct cpu_local *cl;

	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(cl) : "i"(CPU_SELF));
	return cl;
}

/* Point the GS base at cl (the kernel's; the user's waits in KERNEL_GS_BASE). */
void cpu_local_install(struct cpu_local *cl, unsigned int cpu, uint32_t apic_id);

/*
 * cpu.c: load cl's GDT (with its TSS and getcpu descriptor) and the shared
 * IDT, the IST stacks' tops in ist_top[0..2] (double fault, NMI, machine
 * check).
 */
void cpu_load_tables(struct cpu_local *cl, const uint64_t ist_top[3]);

#endif
