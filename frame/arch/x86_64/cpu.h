/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: thin wrappers over x86-64 instructions and the fixed
 * layout of the kernel's address space.
 */
#ifndef ASTER_ARCH_CPU_H
#define ASTER_ARCH_CPU_H

#include <aster/types.h>

#define KERNEL_VMA_BASE		0xffffffff80000000UL
#define DIRECT_MAP_BASE		0xffff800000000000UL
#define DIRECT_MAP_BOOT_SIZE	GiB(4)	/* what boot_pml4 maps there */

#define RFLAGS_IF		0x200

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

static inline uint64_t kernel_virt_to_phys(const void *va)
{
	return (uint64_t)va - KERNEL_VMA_BASE;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
/* Enable interrupts and wait for one, atomically (sti's one-instruction shadow). */
static inline void cpu_idle_wait(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline uint64_t irq_save(void)
{
	uint64_t flags = read_rflags();

	irq_disable();
	return flags;
}

static inline void irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		irq_enable();
}

static inline uint64_t read_rbp(void)
{
	uint64_t v;

	__asm__ volatile("mov %%rbp, %0" : "=r"(v));
	return v;
}

/* Linker-script symbols. */
extern char __image_start[], __text_start[], __text_end[], __bss_start[], __bss_end[];
extern char boot_stack_bottom[], boot_stack_top[];

/* Set up by cpu.c */
void cpu_init_tables(void);
/* serial.c */
void serial_init(void);
void serial_write(const char *s, size_t n);
/* trap.c */
struct trap_frame;
void trap_init(void);
/* apic.c */
void lapic_init(void);
void lapic_eoi(void);
/*
 * The LAPIC timer is calibrated over the same PIT window as the TSC
 * (tsc_calibrate), so boot waits once: begin, the window, end.
 */
void lapic_calibrate_begin(void);
void lapic_calibrate_end(uint32_t window_ms);
void timer_init(void);
/* time.c */
void tsc_calibrate(void);
uint64_t tsc_khz(void);
void delay_ms(uint64_t ms);

#endif
