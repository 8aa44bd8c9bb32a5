/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: the one home of every x86-64 instruction frame's C code
 * issues by inline assembly for its effect on the machine (port I/O, control
 * registers, MSRs, TLB flushes, descriptor-table loads, interrupt flag, FPU
 * state, CPUID, the TSC).  Each is a named static inline here; .c files call
 * these and never open-code such an instruction.  (Algorithms that happen to
 * be written in assembly, the string-instruction copies of mm/memops.c and
 * the faulting user copies of mm/uaccess_asm.S, stay with their code.)
 *
 * Each asm statement says in a comment why its operands and clobbers are
 * right.  The rule for "memory" clobbers: an instruction that changes how
 * memory is translated or must be ordered against ordinary loads and stores
 * (CR writes, invlpg, cli/sti, descriptor loads) has one, so the compiler
 * neither caches memory across it nor moves accesses over it; a port access
 * or register read has none, like Linux's, and relies on `volatile` (never
 * dropped, never reordered against other volatile asm).
 *
 * cpu.h includes this file, so code that has cpu.h has these too.
 */
#ifndef ASTER_ARCH_INSN_H
#define ASTER_ARCH_INSN_H

#include <aster/types.h>

/* ---- port I/O ---- */

static inline void outb(uint16_t port, uint8_t v)
{
	/* "a": out takes its value in al; "Nd": an 8-bit immediate port or dx. */
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	/* As outb, with the value in ax. */
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	/* As outb, with the value in eax. */
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	/* "=a": in writes al and nothing else; the port as in outb. */
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	/* As inb, into ax. */
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	/* As inb, into eax. */
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A port access of width 1, 2 or 4 bytes (the value zero-extended / truncated). */
static inline uint32_t port_in(uint16_t port, unsigned int width)
{
	if (width == 1)
		return inb(port);
	if (width == 2)
		return inw(port);
	return inl(port);
}

static inline void port_out(uint16_t port, unsigned int width, uint32_t v)
{
	if (width == 1)
		outb(port, (uint8_t)v);
	else if (width == 2)
		outw(port, (uint16_t)v);
	else
		outl(port, v);
}

/* ---- MSRs, CPUID, TSC ---- */

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	/* rdmsr reads the MSR named by ecx into edx:eax and changes nothing else. */
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	/* wrmsr writes edx:eax to the MSR named by ecx; no register changes. */
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	/* rdtsc writes edx:eax only; volatile keeps each read a fresh one. */
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	/* cpuid takes eax and ecx and writes all four of eax, ebx, ecx, edx. */
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* ---- control registers and the TLB ---- */

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	/* A move from a control register writes only the output register. */
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	/* As read_cr0; volatile: CR2 changes with every page fault. */
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	/* As read_cr0; volatile: CR3 changes with every address-space switch. */
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	/* As read_cr0. */
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	/* "memory": CR0 changes how the CPU treats memory and the FPU; order it. */
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* Load a PML4: switches address space and flushes non-global translations. */
static inline void write_cr3(uint64_t phys)
{
	/* "memory": accesses before and after go through different page tables. */
	__asm__ volatile("mov %0, %%cr3" : : "r"(phys) : "memory");
}

static inline void write_cr4(uint64_t v)
{
	/* "memory": CR4.PGE changes flush the TLB; page-table writes must be done first. */
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* Forget this CPU's non-global translations (reload CR3 with itself). */
static inline void flush_tlb_local(void)
{
	write_cr3(read_cr3());
}

/* Forget this CPU's translation of the page at va. */
static inline void invlpg(uint64_t va)
{
	/* "memory": the page-table write before must not sink below the flush. */
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* ---- descriptor tables and segments ---- */

/* The operand of lgdt and lidt: limit and linear base of a table. */
struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void lgdt(const struct table_ptr *p)
{
	/* "m": lgdt reads the 10-byte pointer; "memory": and the table it names. */
	__asm__ volatile("lgdt %0" : : "m"(*p) : "memory");
}

static inline void lidt(const struct table_ptr *p)
{
	/* As lgdt, for the IDT. */
	__asm__ volatile("lidt %0" : : "m"(*p) : "memory");
}

static inline void ltr(uint16_t sel)
{
	/* ltr reads the TSS descriptor in the GDT and marks it busy: "memory". */
	__asm__ volatile("ltr %w0" : : "r"(sel) : "memory");
}

/*
 * Reload CS with code_sel (by a far return to the next instruction), SS, DS
 * and ES with data_sel, and FS and GS with the null selector, after lgdt.
 */
static inline void load_segments(uint16_t code_sel, uint16_t data_sel)
{
	/*
	 * The far return pops the rip and cs pushed just before, so rsp ends
	 * where it started; rax is the scratch register (clobbered); "memory":
	 * the segment loads read the GDT.  FS/GS bases (MSRs) are set later.
	 */
	__asm__ volatile(
		"pushq %q0\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %1, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs"
		: : "r"((uint64_t)code_sel), "r"((uint32_t)data_sel) : "rax", "memory");
}

/*
 * Reset the machine by a triple fault: load an empty IDT and raise an
 * exception, which then cannot be delivered.
 */
static inline void cpu_triple_fault(void)
{
	static const struct table_ptr no_idt;

	/* "m": lidt reads the pointer; nothing runs after int3, so no clobbers. */
	__asm__ volatile("lidt %0; int3" : : "m"(no_idt));
}

/* ---- the interrupt flag, idling ---- */

static inline uint64_t read_rflags(void)
{
	uint64_t v;

	/* pushf/pop use the stack below rsp, which the kernel (-mno-red-zone) does not. */
	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

/* "memory" in these four: memory accesses must not move across the change of IF. */
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
/* Enable interrupts and wait for one, atomically (sti's one-instruction shadow). */
static inline void cpu_idle_wait(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

/* Stop this CPU until an interrupt (none arrives with IF clear). */
static inline void cpu_halt(void)
{
	/* hlt has no operands; "memory": everything before it is done. */
	__asm__ volatile("hlt" ::: "memory");
}

/* The caller's frame pointer, to start a backtrace. */
static inline uint64_t read_rbp(void)
{
	uint64_t v;

	/* Copies rbp (kept as frame pointer by -fno-omit-frame-pointer) and nothing else. */
	__asm__ volatile("mov %%rbp, %0" : "=r"(v));
	return v;
}

/* ---- FPU state (the area: 64-byte aligned for XSAVE, 16 for FXSAVE) ---- */

/* Enable the state components in mask for XSAVE (XCR0). */
static inline void xsetbv0(uint64_t mask)
{
	/* xsetbv writes edx:eax to the XCR named by ecx and changes no register. */
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)));
}

static inline void xsave64(void *area, uint64_t mask)
{
	/* Writes the area (size unknown to the compiler: "memory"); edx:eax = mask. */
	__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"((uint32_t)mask),
			 "d"((uint32_t)(mask >> 32)) : "memory");
}

static inline void xrstor64(const void *area, uint64_t mask)
{
	/* Reads the area: "memory" makes earlier writes to it land first. */
	__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"((uint32_t)mask),
			 "d"((uint32_t)(mask >> 32)) : "memory");
}

static inline void fxsave64(void *area)
{
	/* Writes 512 bytes at area: "memory", as xsave64. */
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor64(const void *area)
{
	/* Reads 512 bytes at area: "memory", as xrstor64. */
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

#endif
