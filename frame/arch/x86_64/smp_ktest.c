// SPDX-License-Identifier: MPL-2.0
// ktests of the other CPUs: every CPU the MADT lists came online, each
// answers a cross-CPU call on its own stack with its own area, GDT and
// getcpu number, per-CPU variables are distinct, and the call API's error
// paths.  On one CPU they check the same things of the boot CPU alone.
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/percpu.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/vvar.h>
#include "acpi_internal.h"
#include "cpu.h"
#include "cpu_local.h"
#include "devices.h"

struct seen {
	unsigned int id;
	unsigned int getcpu;
	uint32_t apic_id;
	uint64_t area;
	uint64_t frame;		/* where the handler's frame is: the CPU's own stack */
	uint64_t gdt_base;
	bool irqs_off;
};

static void record(void *arg)
{
	struct seen *s = (struct seen *)arg + cpu_current_id();
	struct table_ptr gdtr;

	s->id = cpu_current_id();
	cpu_current_node(&s->getcpu, NULL);
	s->apic_id = lapic_id();
	s->area = (uint64_t)this_cpu_local();
	s->frame = read_rbp();
	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	s->gdt_base = gdtr.base;
	s->irqs_off = !(read_rflags() & RFLAGS_IF);
}

KTEST(smp_boot_cpu_is_0)
{
	KT_ASSERT_EQ(cpu_current_id(), 0);
	KT_ASSERT(cpu_is_online(0));
	KT_ASSERT_EQ(cpu_apic_id(0), lapic_id());
	KT_ASSERT((uint64_t)this_cpu_local() == (uint64_t)&cpu_locals[0]);
}

/* Every CPU the firmware listed (up to the limit) is online. */
KTEST(smp_all_cpus_online)
{
	const struct acpi_platform *p = acpi_platform();
	unsigned int listed = p->has_madt && p->nr_cpus ? p->nr_cpus : 1;
	unsigned int n = cpu_count_online();

	KT_ASSERT_EQ(n, MIN(listed, CPU_MAX));
	KT_ASSERT_EQ(cpu_count_present(), n);
	for (unsigned int c = 0; c < CPU_MAX; c++)
		KT_EXPECT(cpu_is_online(c) == (c < n));
	/* APIC ids are the MADT's, each once. */
	for (unsigned int a = 0; a < n; a++)
		for (unsigned int b = a + 1; b < n; b++)
			KT_EXPECT(cpu_apic_id(a) != cpu_apic_id(b));
	KT_EXPECT(cpu_apic_id(n) == UINT32_MAX);
}

/* A call reaches each CPU, runs there with interrupts off, on its own things. */
KTEST(smp_call_each_cpu)
{
	static struct seen seen[CPU_MAX];
	unsigned int n = cpu_count_online();

	memset(seen, 0xff, sizeof(seen));
	for (unsigned int c = 0; c < n; c++) {
		uint64_t before = cpu_ipi_count(c);

		KT_ASSERT_EQ(cpu_call(c, record, seen), 0);
		KT_EXPECT(cpu_ipi_count(c) == before + (c != 0));
		KT_ASSERT_EQ(seen[c].id, c);
		KT_EXPECT(seen[c].getcpu == c);
		KT_EXPECT(seen[c].apic_id == cpu_apic_id(c));
		KT_EXPECT(seen[c].area == (uint64_t)&cpu_locals[c]);
		KT_EXPECT(seen[c].gdt_base == (uint64_t)cpu_locals[c].gdt);
		KT_EXPECT(seen[c].irqs_off);
	}
	for (unsigned int a = 0; a < n; a++)
		for (unsigned int b = a + 1; b < n; b++) {
			/* Stacks of at least 16 KiB each, apart. */
			uint64_t d = seen[a].frame > seen[b].frame ? seen[a].frame - seen[b].frame :
								    seen[b].frame - seen[a].frame;

			KT_EXPECT(d >= 16384);
		}
}

DEFINE_PER_CPU(uint64_t, kt_counter);

static void bump(void *arg)
{
	uint64_t *v = this_cpu_ptr(kt_counter);

	*v += 1000 + cpu_current_id();
	__atomic_fetch_add((unsigned int *)arg, 1, __ATOMIC_RELAXED);
}

/* Per-CPU variables: one slot each, on its own line; cpu_call_others skips the caller. */
KTEST(smp_percpu_distinct)
{
	unsigned int n = cpu_count_online(), calls = 0;

	for (unsigned int c = 0; c < CPU_MAX; c++)
		*per_cpu_ptr(kt_counter, c) = 0;
	KT_ASSERT_EQ(cpu_call_others(bump, &calls), 0);
	KT_ASSERT_EQ(calls, n - 1);
	KT_EXPECT(*per_cpu_ptr(kt_counter, 0) == 0);
	for (unsigned int c = 1; c < n; c++)
		KT_EXPECT(*per_cpu_ptr(kt_counter, c) == 1000 + c);
	KT_ASSERT_EQ(cpu_call(0, bump, &calls), 0);
	KT_EXPECT(*this_cpu_ptr(kt_counter) == 1000);
	for (unsigned int a = 0; a < n; a++)
		for (unsigned int b = a + 1; b < n; b++)
			KT_EXPECT((uint64_t)per_cpu_ptr(kt_counter, b) -
				  (uint64_t)per_cpu_ptr(kt_counter, a) >= PER_CPU_ALIGN);
}

static void nothing(void *arg)
{
	(void)arg;
}

KTEST(smp_call_errors)
{
	unsigned int n = cpu_count_online();
	irqflags_t flags;

	KT_EXPECT(cpu_call(CPU_MAX, nothing, NULL) == -EINVAL);
	KT_EXPECT(cpu_call(UINT32_MAX, nothing, NULL) == -EINVAL);
	KT_EXPECT(cpu_call(0, NULL, NULL) == -EINVAL);
	KT_EXPECT(cpu_call_others(NULL, NULL) == -EINVAL);
	if (n < CPU_MAX)
		KT_EXPECT(cpu_call(n, nothing, NULL) == -ENODEV);
	flags = irq_local_save();
	KT_EXPECT(cpu_call(n - 1, nothing, NULL) == -EDEADLK);
	irq_local_restore(flags);
	KT_EXPECT(cpu_ipi_count(CPU_MAX) == 0);
}
