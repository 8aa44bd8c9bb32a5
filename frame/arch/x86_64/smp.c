// SPDX-License-Identifier: MPL-2.0
// The other CPUs (application processors, APs): started one at a time with
// INIT-SIPI-SIPI through the real-mode trampoline (smp_tramp.S), each given
// its own area (cpu_local.h), GDT and TSS, IST stacks and kernel stack
// with guard pages, the shared IDT and its local APIC.  Then they idle
// with interrupts on and serve cross-CPU calls (aster/percpu.h).
//
// Timings are the MP specification's and the SDM's ("MP Initialization
// Example", vol. 3 8.4.4): INIT, 10 ms, SIPI, 200 us, SIPI if the AP has
// not shown up, then wait up to AP_START_TIMEOUT_MS for it to report in.
// An AP that does not is reported and skipped, never waited for.
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/percpu.h>
#include <aster/string.h>
#include "../../internal.h"
#include "../../mm/mm_internal.h"
#include "acpi_internal.h"
#include "cpu.h"
#include "cpu_local.h"
#include "devices.h"
#include "mm/pgtable.h"
#include "smp_defs.h"
#include "trap_frame.h"
#include "user_internal.h"

#define AP_STACK_PAGES		4	/* 16 KiB, as the boot CPU's IST stacks */
#define AP_START_TIMEOUT_MS	1000
#define LOW_MEMORY_TOP		0x9f000UL	/* below the EBDA and the VGA hole */
#define LOW_MEMORY_BOTTOM	0x1000UL	/* the real-mode IVT and BIOS data */

#define ICR_INIT		0x00004500	/* INIT, level assert */
#define ICR_STARTUP		0x00004600	/* start-up IPI; | vector (page) */
#define ICR_FIXED		0x00004000	/* fixed delivery, level assert; | vector */

#define MSR_PAT			0x277
#define EFER_LME_BIT		0x100
#define EFER_NXE_BIT		0x800

enum call_state { CALL_IDLE, CALL_POSTED, CALL_TAKEN, CALL_DONE };

struct cpu_state {
	bool online;		/* set by the CPU itself, read with acquire */
	uint32_t apic_id;
	/* The cross-CPU call slot: owned by one caller at a time (busy). */
	uint32_t busy;
	uint32_t call;		/* enum call_state */
	cpu_call_fn fn;
	void *arg;
	uint64_t ipis;		/* calls served (written by this CPU only) */
	uint64_t ist_top[3];	/* double fault, NMI, machine check */
};

static struct cpu_state cpus[CPU_MAX];
static unsigned int nr_online = 1;
static unsigned int nr_present = 1;

/* What every AP copies from the boot CPU before enabling anything. */
static uint64_t boot_cr4, boot_pat;
static bool have_pat;

extern char smp_tramp_start[], smp_tramp_end[];
extern uint64_t boot_pml4[];

unsigned int cpu_current_id(void)
{
	return arch_cpu_id();
}

unsigned int cpu_count_online(void)
{
	return __atomic_load_n(&nr_online, __ATOMIC_ACQUIRE);
}

unsigned int cpu_count_present(void)
{
	return nr_present;
}

bool cpu_is_online(unsigned int cpu)
{
	return cpu < CPU_MAX && __atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE);
}

uint32_t cpu_apic_id(unsigned int cpu)
{
	return cpu_is_online(cpu) ? cpus[cpu].apic_id : UINT32_MAX;
}

uint64_t cpu_ipi_count(unsigned int cpu)
{
	return cpu < CPU_MAX ? __atomic_load_n(&cpus[cpu].ipis, __ATOMIC_RELAXED) : 0;
}

/* ---- cross-CPU calls ---- */

void smp_call_interrupt(void)
{
	struct cpu_state *c = &cpus[cpu_current_id()];
	uint32_t posted = CALL_POSTED;

	__atomic_store_n(&c->ipis, c->ipis + 1, __ATOMIC_RELAXED);
	/* A caller that timed out withdrew the call (POSTED -> IDLE): nothing to run. */
	if (!__atomic_compare_exchange_n(&c->call, &posted, CALL_TAKEN, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return;
	c->fn(c->arg);
	__atomic_store_n(&c->call, CALL_DONE, __ATOMIC_RELEASE);
}

static bool send_ipi(uint32_t apic_id, uint32_t icr)
{
	uint64_t flags = irq_save();
	bool ok = lapic_send_icr(apic_id, icr);

	irq_restore(flags);
	return ok;
}

bool smp_send_ipi(unsigned int cpu, uint8_t vector)
{
	if (!cpu_is_online(cpu))
		return false;
	return send_ipi(cpus[cpu].apic_id, ICR_FIXED | vector);
}

/* Wait for the target, interrupts on; withdraw the call if it never comes. */
static int wait_call(struct cpu_state *c)
{
	uint64_t deadline = clock_monotonic_ns() + (uint64_t)CPU_CALL_TIMEOUT_MS * 1000000;
	uint32_t posted = CALL_POSTED;

	while (__atomic_load_n(&c->call, __ATOMIC_ACQUIRE) != CALL_DONE) {
		if (clock_monotonic_ns() > deadline &&
		    __atomic_compare_exchange_n(&c->call, &posted, CALL_IDLE, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return -ETIMEDOUT;
		posted = CALL_POSTED;
		cpu_relax();
	}
	__atomic_store_n(&c->call, CALL_IDLE, __ATOMIC_RELAXED);
	return 0;
}

static int call_remote(unsigned int cpu, cpu_call_fn fn, void *arg)
{
	struct cpu_state *c = &cpus[cpu];
	uint32_t free_slot = 0;
	int err;

	/* Take the target's slot; interrupts stay on, so a CPU calling us is served. */
	while (!__atomic_compare_exchange_n(&c->busy, &free_slot, 1, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free_slot = 0;
		cpu_relax();
	}
	c->fn = fn;
	c->arg = arg;
	__atomic_store_n(&c->call, CALL_POSTED, __ATOMIC_RELEASE);
	if (!send_ipi(c->apic_id, ICR_FIXED | VEC_IPI_CALL)) {
		uint32_t posted = CALL_POSTED;

		/* The APIC refused the command: withdraw unless it somehow got through. */
		if (__atomic_compare_exchange_n(&c->call, &posted, CALL_IDLE, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			__atomic_store_n(&c->busy, 0, __ATOMIC_RELEASE);
			return -EIO;
		}
	}
	err = wait_call(c);
	__atomic_store_n(&c->busy, 0, __ATOMIC_RELEASE);
	return err;
}

int cpu_call(unsigned int cpu, cpu_call_fn fn, void *arg)
{
	uint64_t flags;

	if (cpu >= CPU_MAX || !fn)
		return -EINVAL;
	if (!cpu_is_online(cpu))
		return -ENODEV;
	flags = irq_save();
	if (!(flags & RFLAGS_IF)) {
		irq_restore(flags);
		return -EDEADLK;
	}
	if (cpu == cpu_current_id()) {
		fn(arg);
		irq_restore(flags);
		return 0;
	}
	irq_restore(flags);
	return call_remote(cpu, fn, arg);
}

int cpu_call_others(cpu_call_fn fn, void *arg)
{
	int first = 0;

	if (!fn)
		return -EINVAL;
	for (unsigned int c = 0; c < CPU_MAX; c++) {
		int err;

		if (c == cpu_current_id() || !cpu_is_online(c))
			continue;
		err = cpu_call(c, fn, arg);
		if (err && !first)
			first = err;
	}
	return first;
}

/* ---- bring-up ---- */

/* The AP's first C code, on its own stack, on the trampoline's page tables. */
static __noreturn void ap_entry(struct cpu_local *cl)
{
	write_cr3(kernel_pml4_phys());
	write_cr4(boot_cr4);	/* PAE, PGE, the FPU bits: as on the boot CPU */
	if (have_pat)
		wrmsr(MSR_PAT, boot_pat);
	cpu_local_install(cl, cl->cpu, cl->apic_id);
	cpu_load_tables(cl, cpus[cl->cpu].ist_top);
	user_mode_init(false);
	lapic_init_ap();
	__atomic_store_n(&cpus[cl->cpu].online, true, __ATOMIC_RELEASE);
	/* Idle: cross-CPU calls arrive as interrupts.  The timer stays masked. */
	for (;;)
		cpu_idle_wait();
}

static uint64_t tramp_base;	/* physical; 0: no room below 1 MiB */

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/*
 * TRAMP_PAGES pages of usable RAM below 1 MiB that the loader's data and
 * the initrd do not use.  The frame allocator never hands out the first
 * MiB (mm/early.c), so they stay ours.
 */
static uint64_t find_tramp_pages(void)
{
	const struct boot_info *bi = boot_get_info();
	uint64_t need = TRAMP_PAGES * PAGE_SIZE;

	for (uint64_t base = LOW_MEMORY_TOP - need; base >= LOW_MEMORY_BOTTOM; base -= PAGE_SIZE) {
		bool usable = false;

		for (unsigned int i = 0; i < bi->nr_mem && !usable; i++) {
			const struct mem_region *r = &bi->mem[i];

			usable = r->type == MEM_USABLE && r->base <= base &&
				 base + need <= r->base + r->len;
		}
		if (usable && !overlaps(base, need, bi->loader_data_base, bi->loader_data_len) &&
		    !overlaps(base, need, bi->initrd_base, bi->initrd_len))
			return base;
	}
	return 0;
}

/*
 * The trampoline's page tables: the first 2 MiB identity-mapped and
 * executable (the code switching to long mode runs there), the kernel
 * half shared with the kernel's PML4 (the C entry point and the stack).
 */
static void build_tramp_tables(uint64_t base)
{
	uint64_t *pml4 = phys_to_virt(base + PAGE_SIZE);
	uint64_t *pdpt = phys_to_virt(base + 2 * PAGE_SIZE);
	uint64_t *pd = phys_to_virt(base + 3 * PAGE_SIZE);
	const uint64_t *kernel = phys_to_virt(kernel_pml4_phys());

	memset(pml4, 0, PAGE_SIZE);
	memset(pdpt, 0, PAGE_SIZE);
	memset(pd, 0, PAGE_SIZE);
	pd[0] = PTE_P | PTE_W | PTE_PS;
	pdpt[0] = (base + 3 * PAGE_SIZE) | PTE_P | PTE_W;
	pml4[0] = (base + 2 * PAGE_SIZE) | PTE_P | PTE_W;
	for (unsigned int i = PML4_USER_ENTRIES; i < PT_ENTRIES; i++)
		pml4[i] = kernel[i];
}

static void put32(uint8_t *page, unsigned int off, uint32_t v)
{
	memcpy(page + off, &v, sizeof(v));
}

static void put64(uint8_t *page, unsigned int off, uint64_t v)
{
	memcpy(page + off, &v, sizeof(v));
}

static uint32_t get32(const uint8_t *page, unsigned int off)
{
	uint32_t v;

	memcpy(&v, page + off, sizeof(v));
	return v;
}

/*
 * aster.test=dead-ap (boot tests): the first AP halts at the trampoline's
 * first instruction, as a CPU that never comes up would, so the timeout
 * path runs: cli; hlt; jmp back to the hlt.
 */
static const uint8_t dead_ap_code[] = { 0xfa, 0xf4, 0xeb, 0xfd };
static bool dead_ap_done;

static void plant_dead_ap(uint8_t *page)
{
	if (dead_ap_done || !boot_test_switch_is("dead-ap"))
		return;
	dead_ap_done = true;
	pr_info("aster.test: the next AP will not start\n");
	memcpy(page, dead_ap_code, sizeof(dead_ap_code));
}

/* A fresh copy of the trampoline with the parameters for one AP. */
static void prepare_tramp(struct cpu_local *cl, uint64_t stack_top)
{
	uint8_t *page = phys_to_virt(tramp_base);
	uint32_t efer = EFER_LME_BIT | (pte_nx ? EFER_NXE_BIT : 0);

	memcpy(page, smp_tramp_start, (size_t)(smp_tramp_end - smp_tramp_start));
	/* The linear addresses the assembler could only give relative to the start. */
	put32(page, TRAMP_GDTR + 2, get32(page, TRAMP_GDTR + 2) + (uint32_t)tramp_base);
	put32(page, TRAMP_PM32, get32(page, TRAMP_PM32) + (uint32_t)tramp_base);
	put32(page, TRAMP_LM64, get32(page, TRAMP_LM64) + (uint32_t)tramp_base);
	put32(page, TRAMP_CR3, (uint32_t)(tramp_base + PAGE_SIZE));
	put32(page, TRAMP_EFER, efer);
	put64(page, TRAMP_STACK, stack_top);
	put64(page, TRAMP_ENTRY, (uint64_t)ap_entry);
	put64(page, TRAMP_ARG, (uint64_t)cl);
	build_tramp_tables(tramp_base);
	plant_dead_ap(page);
}

/* The AP's kernel stack and IST stacks, each above a guard page. */
static bool alloc_stacks(struct cpu_state *c, uint64_t *stack_top)
{
	void *s = kva_alloc_stack(AP_STACK_PAGES);

	if (!s)
		return false;
	*stack_top = (uint64_t)s + AP_STACK_PAGES * PAGE_SIZE;
	for (unsigned int i = 0; i < 3; i++) {
		void *ist = kva_alloc_stack(AP_STACK_PAGES);

		if (!ist) {
			for (unsigned int j = 0; j < i; j++)
				kva_free_stack((void *)(c->ist_top[j] - AP_STACK_PAGES * PAGE_SIZE),
					       AP_STACK_PAGES);
			kva_free_stack(s, AP_STACK_PAGES);
			return false;
		}
		c->ist_top[i] = (uint64_t)ist + AP_STACK_PAGES * PAGE_SIZE;
	}
	return true;
}

static bool wait_online(unsigned int cpu, uint64_t ms)
{
	uint64_t deadline = clock_monotonic_ns() + ms * 1000000;

	while (!cpu_is_online(cpu)) {
		if (clock_monotonic_ns() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

/* INIT-SIPI-SIPI (MP spec B.4); true once the AP runs its C code. */
static bool kick(unsigned int cpu, uint32_t apic_id)
{
	uint32_t sipi = ICR_STARTUP | (uint32_t)(tramp_base >> 12);

	if (!send_ipi(apic_id, ICR_INIT))
		return false;
	arch_delay_ms(10);
	if (!send_ipi(apic_id, sipi))
		return false;
	delay_us(200);
	if (!cpu_is_online(cpu)) {
		send_ipi(apic_id, sipi);
		delay_us(200);
	}
	return wait_online(cpu, AP_START_TIMEOUT_MS);
}

/*
 * Start the AP with this APIC id as CPU `cpu`.  On failure the CPU gets an
 * INIT again (back to waiting for a SIPI) and its stacks stay allocated:
 * a CPU that is merely slow might still be running on them.
 */
static bool start_ap(unsigned int cpu, uint32_t apic_id)
{
	struct cpu_state *c = &cpus[cpu];
	struct cpu_local *cl = &cpu_locals[cpu];
	uint64_t stack_top;

	if (!alloc_stacks(c, &stack_top)) {
		pr_warn("smp: no memory for the stacks of APIC id %u, skipped\n", apic_id);
		return false;
	}
	c->apic_id = apic_id;
	cl->cpu = cpu;
	cl->apic_id = apic_id;
	prepare_tramp(cl, stack_top);
	if (kick(cpu, apic_id))
		return true;
	send_ipi(apic_id, ICR_INIT);
	pr_err("smp: CPU with APIC id %u did not start within %d ms, skipped\n", apic_id,
	       AP_START_TIMEOUT_MS);
	return false;
}

/* A CPU the boot CPU can reach: xAPIC mode addresses APIC ids up to 254. */
static bool reachable(uint32_t apic_id)
{
	if (apic_id <= 0xfe)
		return true;
	pr_warn("smp: APIC id %u needs x2APIC mode, which the boot CPU does not use; skipped\n",
		apic_id);
	return false;
}

/*
 * Every MADT CPU but the boot CPU counts as present (up to CPU_MAX); those
 * that start get the next dense CPU number.
 */
static void start_all(const struct acpi_platform *p, uint32_t bsp_id)
{
	unsigned int next = 1, skipped = 0;

	for (unsigned int i = 0; i < p->nr_cpus; i++) {
		uint32_t id = p->cpu_apic_ids[i];

		if (id == bsp_id)
			continue;
		if (nr_present == CPU_MAX) {
			skipped++;
			continue;
		}
		nr_present++;
		if (!reachable(id) || !start_ap(next, id))
			continue;
		next++;
		__atomic_store_n(&nr_online, next, __ATOMIC_RELEASE);
		watchdog_touch();
	}
	if (skipped)
		pr_warn("smp: %u CPUs beyond the limit of %d left alone\n", skipped, CPU_MAX);
}

void arch_smp_init(void)
{
	const struct acpi_platform *p = acpi_platform();
	uint32_t bsp_id = lapic_id();
	uint32_t r[4];

	cpus[0].apic_id = bsp_id;
	cpu_locals[0].apic_id = bsp_id;
	__atomic_store_n(&cpus[0].online, true, __ATOMIC_RELEASE);
	if (p->nr_cpus_hotplug)
		pr_info("smp: %u online-capable CPUs left for hotplug, not started\n",
			p->nr_cpus_hotplug);
	if (!p->has_madt || p->nr_cpus <= 1) {
		pr_info("smp: 1 CPU\n");
		return;
	}
	tramp_base = find_tramp_pages();
	if (!tramp_base) {
		pr_err("smp: no free low memory for the AP trampoline: running on 1 CPU\n");
		return;
	}
	boot_cr4 = read_cr4();
	cpuid(1, 0, r);
	have_pat = r[3] & (1U << 16);
	if (have_pat)
		boot_pat = rdmsr(MSR_PAT);
	start_all(p, bsp_id);
	pr_info("smp: %u of %u CPUs online (trampoline at 0x%lx)\n", cpu_count_online(),
		nr_present, tramp_base);
}
