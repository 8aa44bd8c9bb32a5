// SPDX-License-Identifier: MPL-2.0
// Each CPU's descriptor tables: its own GDT with its own TSS (for the IST
// stacks that double faults and NMIs run on, and rsp0), and the one IDT
// every CPU shares, pointing at trap_entry.S.
#include <aster/string.h>
#include <aster/vvar.h>
#include "cpu.h"
#include "cpu_local.h"
#include "trap_frame.h"

#define GDT_KERNEL_CODE	0x08
#define GDT_KERNEL_DATA	0x10
#define GDT_USER_DATA	0x1b	/* RPL 3; user data precedes user code for SYSRET */
#define GDT_USER_CODE	0x23
#define GDT_TSS		0x28
_Static_assert(VVAR_CPUNODE_SELECTOR == (7 << 3 | 3), "gdt[7] is the getcpu descriptor");

#define MSR_GS_BASE	0xc0000101

#define IST_STACK_SIZE	(16 * 1024)

struct idt_entry {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

struct cpu_local cpu_locals[CPU_MAX];
static struct idt_entry idt[256];
static bool idt_built;
/* The boot CPU's; the others get theirs with guard pages from smp.c. */
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

extern char trap_stubs[];

static void set_tss_descriptor(uint64_t *slot, const struct tss *t)
{
	uint64_t base = (uint64_t)t, limit = sizeof(*t) - 1;

	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

/*
 * The getcpu descriptor (aster/vvar.h's VVAR_CPUNODE_SELECTOR, Linux's
 * GDT_ENTRY_CPUNODE): a present, read-only, DPL 3 data segment nobody
 * loads; its 20-bit limit is (node << 12) | cpu, which user mode reads
 * with lsl.
 */
static uint64_t cpunode_descriptor(unsigned int cpu, unsigned int node)
{
	uint64_t limit = ((uint64_t)node << VVAR_CPUNODE_NODE_SHIFT) | (cpu & VVAR_CPUNODE_CPU_MASK);

	return (limit & 0xffff) | (0xf1UL << 40) | (((limit >> 16) & 0xf) << 48);
}

void cpu_current_node(unsigned int *cpu, unsigned int *node)
{
	uint64_t d = __atomic_load_n(&this_cpu_local()->gdt[7], __ATOMIC_RELAXED);
	unsigned int limit = (unsigned int)((d & 0xffff) | (((d >> 48) & 0xf) << 16));

	if (cpu)
		*cpu = limit & VVAR_CPUNODE_CPU_MASK;
	if (node)
		*node = limit >> VVAR_CPUNODE_NODE_SHIFT;
}

static void load_gdt(struct cpu_local *cl)
{
	uint64_t *gdt = cl->gdt;
	struct table_ptr ptr = { sizeof(cl->gdt) - 1, (uint64_t)gdt };

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffUL;	/* kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffffUL;	/* kernel data */
	gdt[3] = 0x00cff2000000ffffUL;	/* user data */
	gdt[4] = 0x00affa000000ffffUL;	/* user code, 64-bit */
	set_tss_descriptor(&gdt[5], &cl->tss);
	gdt[7] = cpunode_descriptor(cl->cpu, 0);
	lgdt(&ptr);
	load_segments(GDT_KERNEL_CODE, GDT_KERNEL_DATA);
	/* Loading GS zeroed its base: point it back at the CPU's area. */
	wrmsr(MSR_GS_BASE, (uint64_t)cl);
	ltr(GDT_TSS);
}

static void set_gate(unsigned int vec, uint8_t ist, uint8_t dpl)
{
	uint64_t addr = (uint64_t)trap_stubs + vec * 16;

	idt[vec] = (struct idt_entry){
		.offset_low = (uint16_t)addr,
		.selector = GDT_KERNEL_CODE,
		.ist = ist,
		.type_attr = (uint8_t)(0x8e | (dpl << 5)),	/* present, interrupt gate */
		.offset_mid = (uint16_t)(addr >> 16),
		.offset_high = (uint32_t)(addr >> 32),
	};
}

static void build_idt(void)
{
	for (unsigned int v = 0; v < 256; v++)
		set_gate(v, 0, 0);
	/* int3 and into may be used by user code (debuggers, as on Linux). */
	set_gate(3, 0, 3);
	set_gate(4, 0, 3);
	set_gate(VEC_DOUBLE_FAULT, IST_DOUBLE_FAULT, 0);
	set_gate(2, IST_NMI, 0);
	set_gate(18, IST_MACHINE_CHECK, 0);
	idt_built = true;
}

void cpu_load_tables(struct cpu_local *cl, const uint64_t ist_top[3])
{
	struct table_ptr ptr = { sizeof(idt) - 1, (uint64_t)idt };

	cl->tss.ist[IST_DOUBLE_FAULT - 1] = ist_top[0];
	cl->tss.ist[IST_NMI - 1] = ist_top[1];
	cl->tss.ist[IST_MACHINE_CHECK - 1] = ist_top[2];
	cl->tss.iomap_base = sizeof(cl->tss);	/* no I/O bitmap: user port I/O faults */
	load_gdt(cl);
	/* The boot CPU builds the IDT before any other CPU starts. */
	if (!idt_built)
		build_idt();
	lidt(&ptr);
}

/* The boot CPU: its area is cpu_locals[0], its IST stacks static. */
void cpu_init_tables(void)
{
	const uint64_t tops[3] = {
		(uint64_t)ist_stacks[0] + IST_STACK_SIZE,
		(uint64_t)ist_stacks[1] + IST_STACK_SIZE,
		(uint64_t)ist_stacks[2] + IST_STACK_SIZE,
	};

	cpu_load_tables(&cpu_locals[0], tops);
}
