// SPDX-License-Identifier: MPL-2.0
// ktests of TLB shootdown (tlb.c): a CPU that has an address space loaded
// and cached a translation sees the new frame after vm_map replaces it or
// vm_unmap + vm_map moves it, never the stale one (QEMU's TCG keeps a
// per-CPU software TLB that, like hardware, goes stale without invlpg or a
// CR3 write); the space's CPU mask follows activation; the last
// vm_space_put makes a CPU that still has the space loaded leave it; a
// kernel-range flush reaches every other CPU.  The remote CPU is CPU 1
// when there is one (ktest.exp runs them with -smp 4); on one CPU the same
// steps check the local flushes.
#include <aster/frame.h>
#include <aster/ktest.h>
#include <aster/percpu.h>
#include <aster/sync.h>
#include <aster/task.h>
#include <aster/vm_space.h>
#include "../cpu.h"
#include "pgtable.h"

#define VA	0x20000000UL
#define KRW	(VM_READ | VM_WRITE)	/* kernel-only: no SMAP in the way */

struct probe {
	struct vm_space *vs;	/* activate this first (NULL: leave as is) */
	uint64_t value;		/* what the CPU read at VA */
	uint64_t cr3;
};

/* A plain load the compiler cannot drop or instrument (KASAN knows no user half). */
static uint64_t load_va(uint64_t va)
{
	uint64_t v;

	__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(va) : "memory");
	return v;
}

static void probe_read(void *arg)
{
	struct probe *p = arg;

	if (p->vs)
		vm_space_activate(p->vs);
	p->value = load_va(VA);
	p->cr3 = read_cr3() & PTE_ADDR;
}

static void probe_cr3(void *arg)
{
	((struct probe *)arg)->cr3 = read_cr3() & PTE_ADDR;
}

static void leave(void *arg)
{
	(void)arg;
	vm_space_activate(NULL);
}

static struct frame *frame_with(uint64_t v)
{
	struct frame *f = frame_alloc(FRAME_ZERO);

	if (f)
		frame_write(f, 0, &v, sizeof(v));
	return f;
}

static unsigned int remote_cpu(void)
{
	return cpu_count_online() > 1 ? 1 : 0;
}

KTEST(smp_tlb_shootdown_remaps_on_remote_cpu)
{
	size_t before = frames_free();
	unsigned int cpu = remote_cpu();
	struct vm_space *vs = vm_space_create();
	struct frame *f1 = frame_with(0x1111), *f2 = frame_with(0x2222), *f3 = frame_with(0x3333);
	struct probe p = { .vs = NULL };
	uint64_t served;

	KT_ASSERT(vs && f1 && f2 && f3);
	KT_ASSERT(vm_map(vs, VA, f1, KRW) == 0);
	p.vs = vs;
	KT_ASSERT(cpu_call(cpu, probe_read, &p) == 0);
	KT_EXPECT(p.value == 0x1111);	/* the CPU now caches VA -> f1 */
	p.vs = NULL;
	served = tlb_shootdowns_served(cpu);
	/* Replace the mapping: the remote CPU must see f2, not its cached f1. */
	KT_EXPECT(vm_map(vs, VA, f2, KRW) == 0);
	KT_ASSERT(cpu_call(cpu, probe_read, &p) == 0);
	KT_EXPECT(p.value == 0x2222);
	KT_EXPECT(cpu == 0 || tlb_shootdowns_served(cpu) > served);
	/* Unmap, then map another frame there. */
	KT_EXPECT(vm_unmap(vs, VA, PAGE_SIZE) == 0);
	KT_EXPECT(vm_map(vs, VA, f3, KRW) == 0);
	KT_ASSERT(cpu_call(cpu, probe_read, &p) == 0);
	KT_EXPECT(p.value == 0x3333);
	/* A protection change is shot down too. */
	served = tlb_shootdowns_served(cpu);
	KT_EXPECT(vm_protect(vs, VA, PAGE_SIZE, VM_READ) == 0);
	KT_EXPECT(cpu == 0 || tlb_shootdowns_served(cpu) > served);
	/* The last reference goes while the CPU still has the space loaded. */
	vm_space_put(vs);
	KT_ASSERT(cpu_call(cpu, probe_cr3, &p) == 0);
	KT_EXPECT(p.cr3 == kernel_pml4_phys());
	frame_put(f1);
	frame_put(f2);
	frame_put(f3);
	KT_EXPECT(frames_free() == before);
}

/* A CPU that left a space gets no shootdowns for it. */
KTEST(smp_tlb_shootdown_only_cpus_using_space)
{
	size_t before = frames_free();
	unsigned int cpu = remote_cpu();
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_with(0x4444);
	struct probe p = { .vs = NULL };
	uint64_t served;
	irqflags_t flags;

	KT_ASSERT(vs && f);
	KT_ASSERT(vm_map(vs, VA, f, KRW) == 0);
	p.vs = vs;
	KT_ASSERT(cpu_call(cpu, probe_read, &p) == 0);
	KT_EXPECT(p.value == 0x4444 && p.cr3 != kernel_pml4_phys());
	KT_ASSERT(cpu_call(cpu, leave, NULL) == 0);
	KT_ASSERT(cpu_call(cpu, probe_cr3, &p) == 0);
	KT_EXPECT(p.cr3 == kernel_pml4_phys());
	/* Interrupts off: no other work of this CPU flushes meanwhile. */
	flags = irq_local_save();
	served = tlb_shootdowns_served(cpu);
	KT_EXPECT(vm_unmap(vs, VA, PAGE_SIZE) == 0);
	KT_EXPECT(tlb_shootdowns_served(cpu) == served);
	irq_local_restore(flags);
	vm_space_put(vs);
	frame_put(f);
	KT_EXPECT(frames_free() == before);
}

/* Kernel mappings are shared: their flushes reach every other online CPU. */
KTEST(smp_tlb_kernel_flush_reaches_every_cpu)
{
	uint64_t served[CPU_MAX];
	unsigned int self;
	irqflags_t flags = irq_local_save();

	self = cpu_current_id();
	for (unsigned int c = 0; c < CPU_MAX; c++)
		served[c] = tlb_shootdowns_served(c);
	tlb_flush_kernel_range(KVA_BASE, PAGE_SIZE);
	irq_local_restore(flags);
	for (unsigned int c = 0; c < CPU_MAX; c++) {
		if (c == self || !cpu_is_online(c))
			KT_EXPECT(c == self || tlb_shootdowns_served(c) == served[c]);
		else
			KT_EXPECT(tlb_shootdowns_served(c) > served[c]);
	}
}

/*
 * Two CPUs shooting each other down at once, interrupts off, each holding
 * the lock of the space the other one is changing next: CPU 1 (in a
 * cross-CPU call) changes space B, loaded on CPU 0, and its own space A;
 * meanwhile this task on CPU 0 changes A and B.  Each CPU serves the
 * other's requests while it waits for its own or spins on a lock, so both
 * loops finish (a CPU that stopped serving would be a 10 s panic report).
 */
#define CROSS_ROUNDS	200
#define CROSS_REMOTE_MAX	1000000	/* the remote side's bound if this one never ends */

struct cross {
	struct vm_space *a, *b;
	unsigned int cpu;
	int err;
	uint32_t started, done;
};

static void cross_remote(void *arg)
{
	struct cross *c = arg;

	vm_space_activate(c->a);
	__atomic_store_n(&c->started, 1, __ATOMIC_RELEASE);
	/* Until CPU 0 is done: its whole loop overlaps this one. */
	for (unsigned int i = 0; i < CROSS_REMOTE_MAX && !__atomic_load_n(&c->done, __ATOMIC_ACQUIRE);
	     i++) {
		c->err |= vm_protect(c->b, VA, PAGE_SIZE, i & 1 ? VM_READ : KRW);
		c->err |= vm_protect(c->a, VA, PAGE_SIZE, i & 1 ? KRW : VM_READ);
	}
	vm_space_activate(NULL);
}

static void cross_caller(void *arg)
{
	struct cross *c = arg;

	c->err |= cpu_call(c->cpu, cross_remote, c);
}

KTEST(smp_tlb_shootdowns_cross_with_interrupts_off)
{
	size_t before = frames_free();
	struct cross c = { .cpu = remote_cpu() };
	struct frame *fa, *fb;
	struct task *helper;
	int err = 0;

	if (c.cpu == 0) {	/* one CPU: nothing to cross */
		KT_EXPECT(cpu_count_online() == 1);
		return;
	}
	fa = frame_with(1);
	fb = frame_with(2);
	c.a = vm_space_create();
	c.b = vm_space_create();
	KT_ASSERT(c.a && c.b && fa && fb);
	KT_ASSERT(vm_map(c.a, VA, fa, KRW) == 0 && vm_map(c.b, VA, fb, KRW) == 0);
	/* B stays loaded on CPU 0 while this task runs (a task's space is switched in). */
	task_set_vm_space(task_current(), c.b);
	helper = task_create_joinable("tlb-cross", cross_caller, &c);
	KT_ASSERT(helper != NULL);
	while (!__atomic_load_n(&c.started, __ATOMIC_ACQUIRE))
		task_yield();
	for (unsigned int i = 0; i < CROSS_ROUNDS; i++) {
		irqflags_t flags = irq_local_save();

		err |= vm_protect(c.a, VA, PAGE_SIZE, i & 1 ? VM_READ : KRW);
		err |= vm_protect(c.b, VA, PAGE_SIZE, i & 1 ? KRW : VM_READ);
		irq_local_restore(flags);
	}
	__atomic_store_n(&c.done, 1, __ATOMIC_RELEASE);
	task_join(helper);
	task_put(helper);
	KT_EXPECT(err == 0 && c.err == 0);
	task_set_vm_space(task_current(), NULL);
	vm_space_put(c.a);
	vm_space_put(c.b);
	frame_put(fa);
	frame_put(fb);
	KT_EXPECT(frames_free() == before);
}
