// SPDX-License-Identifier: MPL-2.0
// TLB shootdown: after a page-table change, the CPUs that may cache the
// old translation forget it before the change counts as done (before the
// caller releases the unmapped frames or returns to the user who asked).
//
// Each CPU has a mailbox: one request slot per initiating CPU and a mask of
// the initiators with a request waiting.  An initiator has at most one
// shootdown in flight (it waits with interrupts off), so its slot in every
// target's mailbox is free again once all targets cleared their bit in the
// request's `pending` mask.  The request lives on the initiator's stack.
//
// Deadlock freedom: a target may have interrupts off, spinning on a lock
// the initiator holds (every vm_space change runs under the space's
// spinlock), or be shooting down the initiator itself.  So a CPU serves
// its mailbox not only in the VEC_IPI_TLB handler but wherever it busy-
// waits with interrupts possibly off: in cpu_spin_hint (spin_lock_raw's
// loop) and in its own shootdown's wait.  Serving a request only ever
// drops cached translations (or switches to the kernel's tables, which map
// the kernel half identically), so it is safe at any of those points.
#include <aster/log.h>
#include <aster/percpu.h>
#include <aster/sync.h>
#include "../../../internal.h"
#include "../cpu.h"
#include "../trap_frame.h"
#include "pgtable.h"

#define SHOOTDOWN_RESEND_NS	100000000ULL	/* re-send the IPI after 100 ms */
#define SHOOTDOWN_PANIC_NS	10000000000ULL	/* a CPU silent for 10 s is broken */

enum tlb_kind { TLB_USER_RANGE, TLB_KERNEL_RANGE, TLB_LEAVE };

struct tlb_req {
	enum tlb_kind kind;
	uint64_t pml4_phys;	/* TLB_USER_RANGE, TLB_LEAVE */
	uint64_t va, len;
	uint64_t pending;	/* targets that have not served it yet */
};

struct tlb_mailbox {
	uint64_t from;			/* initiators with a request here */
	struct tlb_req *req[CPU_MAX];	/* slot i: written by CPU i only */
	uint64_t served;		/* written by the owning CPU only */
};
DEFINE_PER_CPU(struct tlb_mailbox, tlb_mailboxes);

static void serve(const struct tlb_req *r)
{
	switch (r->kind) {
	case TLB_USER_RANGE:
		tlb_flush_range_local(r->pml4_phys, r->va, r->len);
		break;
	case TLB_KERNEL_RANGE:
		tlb_flush_kernel_range_local(r->va, r->len);
		break;
	case TLB_LEAVE:
		vm_space_leave_local(r->pml4_phys);
		break;
	}
}

void tlb_shootdown_poll(void)
{
	unsigned int self;
	struct tlb_mailbox *m;
	uint64_t from, flags;

	/*
	 * One CPU: nothing can be waiting (and early at boot the GS base that
	 * arch_cpu_id reads may not be set up yet).
	 */
	if (cpu_count_online() < 2)
		return;
	self = arch_cpu_id();
	m = per_cpu_ptr(tlb_mailboxes, self);
	if (!__atomic_load_n(&m->from, __ATOMIC_RELAXED))
		return;
	flags = irq_save();
	from = __atomic_exchange_n(&m->from, 0, __ATOMIC_ACQUIRE);
	while (from) {
		unsigned int i = (unsigned int)__builtin_ctzll(from);
		struct tlb_req *r = __atomic_load_n(&m->req[i], __ATOMIC_ACQUIRE);

		from &= from - 1;
		serve(r);
		__atomic_store_n(&m->served, m->served + 1, __ATOMIC_RELAXED);
		/* After this the initiator may return and its request go away. */
		__atomic_fetch_and(&r->pending, ~(1ULL << self), __ATOMIC_RELEASE);
	}
	irq_restore(flags);
}

uint64_t tlb_shootdowns_served(unsigned int cpu)
{
	return cpu < CPU_MAX ? __atomic_load_n(&per_cpu_ptr(tlb_mailboxes, cpu)->served,
					       __ATOMIC_RELAXED) : 0;
}

static void post(unsigned int target, unsigned int self, struct tlb_req *r)
{
	struct tlb_mailbox *m = per_cpu_ptr(tlb_mailboxes, target);

	__atomic_store_n(&m->req[self], r, __ATOMIC_RELEASE);
	__atomic_fetch_or(&m->from, 1ULL << self, __ATOMIC_SEQ_CST);
	/* A refused IPI is sent again from the wait loop. */
	smp_send_ipi(target, VEC_IPI_TLB);
}

static void resend(uint64_t pending)
{
	while (pending) {
		unsigned int c = (unsigned int)__builtin_ctzll(pending);

		pending &= pending - 1;
		smp_send_ipi(c, VEC_IPI_TLB);
	}
}

/* Post r to the CPUs in `cpus` but this one, serve it here, wait for the rest. */
static void shootdown(uint64_t cpus, struct tlb_req *r)
{
	uint64_t flags, targets = 0, start, last_send;
	unsigned int self;

	if (cpu_count_online() < 2) {
		serve(r);
		return;
	}
	flags = irq_save();
	self = arch_cpu_id();
	for (unsigned int c = 0; c < CPU_MAX; c++)
		if (c != self && (cpus & (1ULL << c)) && cpu_is_online(c))
			targets |= 1ULL << c;
	r->pending = targets;
	for (uint64_t t = targets; t; t &= t - 1)
		post((unsigned int)__builtin_ctzll(t), self, r);
	serve(r);
	if (!targets) {
		irq_restore(flags);
		return;
	}
	start = last_send = clock_monotonic_ns();
	while (__atomic_load_n(&r->pending, __ATOMIC_ACQUIRE)) {
		uint64_t now;

		tlb_shootdown_poll();	/* a target may be shooting us down */
		cpu_relax();
		now = clock_monotonic_ns();
		if (now - last_send > SHOOTDOWN_RESEND_NS) {
			resend(__atomic_load_n(&r->pending, __ATOMIC_ACQUIRE));
			last_send = now;
		}
		if (now - start > SHOOTDOWN_PANIC_NS)
			panic("tlb: CPUs 0x%lx did not answer a shootdown within 10 s",
			      __atomic_load_n(&r->pending, __ATOMIC_ACQUIRE));
	}
	irq_restore(flags);
}

void tlb_flush_range(uint64_t cpus, uint64_t pml4_phys, uint64_t va, uint64_t len)
{
	struct tlb_req r = { .kind = TLB_USER_RANGE, .pml4_phys = pml4_phys, .va = va, .len = len };

	shootdown(cpus, &r);
}

void tlb_flush_kernel_range(uint64_t va, uint64_t len)
{
	struct tlb_req r = { .kind = TLB_KERNEL_RANGE, .va = va, .len = len };

	shootdown(UINT64_MAX, &r);
}

void tlb_leave_space(uint64_t cpus, uint64_t pml4_phys)
{
	struct tlb_req r = { .kind = TLB_LEAVE, .pml4_phys = pml4_phys };

	shootdown(cpus, &r);
}
