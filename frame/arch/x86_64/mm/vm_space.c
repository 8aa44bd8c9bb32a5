// SPDX-License-Identifier: MPL-2.0
// User address spaces on x86-64 four-level page tables.  Only 4 KiB pages
// are used in the user half; the kernel half (PML4 entries 256-511) is
// copied from the kernel's PML4, whose kernel-half entries never change
// after boot, so the copies stay right.  Page-table pages are frames of
// kind PAGETABLE, which no frame handle can name: a stale handle kernel/
// kept is refused before it can write one.
//
// Range operations skip absent tables a whole table at a time, so
// unmapping a large sparse range costs what is mapped, not its size.  Frames
// that lose a mapping are released only after the TLB has been flushed, so
// no stale translation can reach a frame that was reused.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/percpu.h>
#include <aster/string.h>
#include <aster/sync.h>
#include <aster/vm_space.h>
#include "../../../internal.h"
#include "../../../mm/mm_internal.h"
#include "../cpu.h"
#include "pgtable.h"

#define BATCH		32	/* frames released per TLB flush */
#define VM_PROT_MASK	(VM_READ | VM_WRITE | VM_EXEC | VM_USER | VM_CACHE_MASK)
#define PF_RSVD		0x08

struct vm_space {
	struct frame_meta *pml4;
	uint64_t pml4_phys;
	uint32_t refs;
	spinlock_t lock;
	/*
	 * The CPUs that have the space loaded (bit n: CPU n), or are about to:
	 * a CPU sets its bit before it writes CR3 and clears it after it
	 * wrote another value (which drops every user translation: no PCIDs,
	 * no global user pages).  So a CPU outside the mask caches nothing of
	 * the space, and a change needs shooting down on the mask's CPUs only.
	 */
	uint64_t cpus;
};

/* The space each CPU has loaded (NULL: the kernel's tables). */
DEFINE_PER_CPU(struct vm_space *, active_space);

/* Frames unmapped but not yet released: they wait for the TLB flush. */
struct unmap_batch {
	struct vm_space *vs;
	uint64_t start, end;	/* the range flushed with them */
	struct frame_meta *frames[BATCH];
	unsigned int n;
};

static uint64_t *pml4_of(const struct vm_space *vs)
{
	return frame_kernel_addr(vs->pml4);
}

static struct frame_meta *frame_of(uint64_t entry)
{
	return pfn_to_frame((entry & PTE_ADDR) >> PAGE_SHIFT);
}

struct vm_space *vm_space_create(void)
{
	struct vm_space *vs = kzalloc(sizeof(*vs));

	if (!vs)
		return NULL;
	vs->pml4 = pagetable_alloc();
	if (!vs->pml4) {
		kfree(vs);
		return NULL;
	}
	vs->pml4_phys = frame_phys(vs->pml4);
	vs->refs = 1;
	spin_lock_init(&vs->lock);	/* with a lock class, for the checked build */
	memcpy(pml4_of(vs) + PML4_USER_ENTRIES,
	       (uint64_t *)phys_to_virt(kernel_pml4_phys()) + PML4_USER_ENTRIES,
	       (PT_ENTRIES - PML4_USER_ENTRIES) * sizeof(uint64_t));
	return vs;
}

void vm_space_get(struct vm_space *vs)
{
	BUG_ON(__atomic_load_n(&vs->refs, __ATOMIC_RELAXED) == 0);
	__atomic_add_fetch(&vs->refs, 1, __ATOMIC_RELAXED);
}

static bool user_range_ok(uint64_t va, size_t len)
{
	return (va & (PAGE_SIZE - 1)) == 0 && (len & (PAGE_SIZE - 1)) == 0 &&
	       va < USER_SPACE_TOP && len <= USER_SPACE_TOP - va;
}

static bool prot_ok(unsigned int prot)
{
	unsigned int cache = prot & VM_CACHE_MASK;

	return !(prot & ~VM_PROT_MASK) &&
	       (cache == VM_CACHE_WB || cache == VM_CACHE_WC || cache == VM_CACHE_UC);
}

/* A leaf entry that holds a frame: mapped, or kept without access. */
static bool pte_has_frame(uint64_t pte)
{
	return (pte & PTE_P) || (pte & PTE_NOACCESS);
}

static uint64_t prot_bits(unsigned int prot)
{
	uint64_t bits = PTE_P;
	unsigned int cache = prot & VM_CACHE_MASK;

	/* No access at all: not present to the MMU, so every access faults. */
	if (!(prot & (VM_READ | VM_WRITE | VM_EXEC)))
		return PTE_NOACCESS | (prot & VM_USER ? PTE_U : 0);

	if (prot & VM_USER)
		bits |= PTE_U;
	if (prot & VM_WRITE)
		bits |= PTE_W;
	if (!(prot & VM_EXEC))
		bits |= pte_nx;
	if (cache == VM_CACHE_WC)
		bits |= pte_cache_4k(CACHE_WC);
	else if (cache == VM_CACHE_UC)
		bits |= pte_cache_4k(CACHE_UC);
	return bits;
}

static unsigned int pte_prot(uint64_t pte)
{
	unsigned int prot = VM_READ, cache = pte_cache_of_4k(pte);

	if (!(pte & PTE_P))
		return (pte & PTE_U ? VM_USER : 0) | (pte & PTE_A ? VM_ACCESSED : 0) |
		       (pte & PTE_D ? VM_DIRTY : 0);

	if (pte & PTE_W)
		prot |= VM_WRITE;
	if (!(pte & PTE_NX))
		prot |= VM_EXEC;
	if (pte & PTE_U)
		prot |= VM_USER;
	if (cache == CACHE_WC)
		prot |= VM_CACHE_WC;
	else if (cache == CACHE_UC)
		prot |= VM_CACHE_UC;
	if (pte & PTE_A)
		prot |= VM_ACCESSED;
	if (pte & PTE_D)
		prot |= VM_DIRTY;
	return prot;
}

/*
 * The PTE for va if its page table exists (NULL otherwise), and in *next
 * the first address after the table level that was found missing.
 */
static uint64_t *lookup(const struct vm_space *vs, uint64_t va, uint64_t *next)
{
	uint64_t *table = pml4_of(vs);

	for (unsigned int shift = 39; shift > PAGE_SHIFT; shift -= 9) {
		uint64_t e = table[(va >> shift) & 511];

		if (!(e & PTE_P)) {
			*next = ALIGN_DOWN(va, 1UL << shift) + (1UL << shift);
			return NULL;
		}
		table = pt_next(e);
	}
	*next = va + PAGE_SIZE;
	return &table[(va >> PAGE_SHIFT) & 511];
}

/* The PTE for va, creating the page tables down to it.  NULL: no memory. */
static uint64_t *lookup_create(struct vm_space *vs, uint64_t va)
{
	uint64_t *table = pml4_of(vs);

	for (unsigned int shift = 39; shift > PAGE_SHIFT; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			struct frame_meta *t = pagetable_alloc();

			if (!t)
				return NULL;
			/* Upper levels allow everything; the leaf decides. */
			*e = frame_phys(t) | PTE_P | PTE_W | PTE_U;
		}
		table = pt_next(*e);
	}
	return &table[(va >> PAGE_SHIFT) & 511];
}

/*
 * After changing entries of vs: every CPU that may cache them forgets them.
 * The full barrier orders the entry stores before the read of the mask
 * (x86 may let a load pass earlier stores): a CPU whose bit this misses
 * set it later, and its CR3 write then reads the new entries.
 */
static void space_flush(struct vm_space *vs, uint64_t va, uint64_t len)
{
	smp_mb();
	tlb_flush_range(__atomic_load_n(&vs->cpus, __ATOMIC_RELAXED), vs->pml4_phys, va, len);
}

static void batch_flush(struct unmap_batch *b)
{
	if (b->end > b->start)
		space_flush(b->vs, b->start, b->end - b->start);
	for (unsigned int i = 0; i < b->n; i++)
		frame_meta_put(b->frames[i]);
	b->n = 0;
	b->start = b->end;
}

/* Queue the frame that was mapped at va; flush when the batch is full. */
static void batch_add(struct unmap_batch *b, uint64_t va, struct frame_meta *f)
{
	if (b->n == 0)
		b->start = va;
	b->end = va + PAGE_SIZE;
	b->frames[b->n++] = f;
	if (b->n == BATCH)
		batch_flush(b);
}

int vm_map(struct vm_space *vs, uaddr_t va, struct frame *f, unsigned int prot)
{
	struct unmap_batch b = { .vs = vs };
	struct frame_meta *m;
	irqflags_t irq;
	uint64_t *pte, old;

	if (!vs || !f || !user_range_ok(va, PAGE_SIZE) || !prot_ok(prot))
		return -EINVAL;
	m = frame_meta_of(f);	/* a live frame, never a page table */
	frame_meta_get(m);
	irq = spin_lock_irqsave(&vs->lock);
	pte = lookup_create(vs, va);
	if (!pte) {
		spin_unlock_irqrestore(&vs->lock, irq);
		frame_meta_put(m);
		return -ENOMEM;
	}
	old = *pte;
	*pte = frame_phys(m) | prot_bits(prot);
	if (pte_has_frame(old))
		batch_add(&b, va, frame_of(old));
	batch_flush(&b);
	spin_unlock_irqrestore(&vs->lock, irq);
	return 0;
}

int vm_unmap(struct vm_space *vs, uaddr_t va, size_t len)
{
	struct unmap_batch b = { .vs = vs };
	irqflags_t irq;
	uint64_t next;

	if (!vs || !user_range_ok(va, len))
		return -EINVAL;
	irq = spin_lock_irqsave(&vs->lock);
	for (uint64_t a = va; a < va + len; a = next) {
		uint64_t *pte = lookup(vs, a, &next), old;

		if (!pte || !pte_has_frame(*pte))
			continue;
		old = *pte;
		*pte = 0;
		batch_add(&b, a, frame_of(old));
	}
	batch_flush(&b);
	spin_unlock_irqrestore(&vs->lock, irq);
	return 0;
}

int vm_protect(struct vm_space *vs, uaddr_t va, size_t len, unsigned int prot)
{
	irqflags_t irq;
	uint64_t next, first = UINT64_MAX, last = 0;

	if (!vs || !user_range_ok(va, len) || !prot_ok(prot))
		return -EINVAL;
	irq = spin_lock_irqsave(&vs->lock);
	for (uint64_t a = va; a < va + len; a = next) {
		uint64_t *pte = lookup(vs, a, &next);

		if (!pte || !pte_has_frame(*pte))
			continue;
		/* Keep the frame and the accessed/dirty history. */
		*pte = (*pte & (PTE_ADDR | PTE_A | PTE_D)) | prot_bits(prot);
		first = MIN(first, a);
		last = a + PAGE_SIZE;
	}
	if (last)
		space_flush(vs, first, last - first);
	spin_unlock_irqrestore(&vs->lock, irq);
	return 0;
}

int vm_query(struct vm_space *vs, uaddr_t va, struct frame **f, unsigned int *prot)
{
	irqflags_t irq;
	uint64_t *pte, v, next;

	if (!vs || va >= USER_SPACE_TOP)
		return -ENOENT;
	irq = spin_lock_irqsave(&vs->lock);
	pte = lookup(vs, ALIGN_DOWN(va, PAGE_SIZE), &next);
	v = pte ? *pte : 0;
	/* The caller's own reference: the mapping may go away right after. */
	if (pte_has_frame(v))
		frame_meta_get(frame_of(v));
	spin_unlock_irqrestore(&vs->lock, irq);
	if (!pte_has_frame(v))
		return -ENOENT;
	*f = frame_handle(frame_of(v));
	*prot = pte_prot(v);
	return 0;
}

void vm_space_activate(struct vm_space *vs)
{
	uint64_t flags = irq_save();
	unsigned int cpu = arch_cpu_id();
	struct vm_space **slot = per_cpu_ptr(active_space, cpu), *old = *slot;
	uint64_t phys = vs ? vs->pml4_phys : kernel_pml4_phys(), bit = 1ULL << cpu;

	/* In the mask before CR3 can cache anything (a full barrier: lock or). */
	if (vs && vs != old)
		__atomic_fetch_or(&vs->cpus, bit, __ATOMIC_SEQ_CST);
	if ((read_cr3() & PTE_ADDR) != phys)
		write_cr3(phys);
	*slot = vs;
	/* Out of the old mask only once the CR3 write dropped its translations. */
	if (old && old != vs)
		__atomic_fetch_and(&old->cpus, ~bit, __ATOMIC_RELEASE);
	irq_restore(flags);
}

void vm_space_leave_local(uint64_t pml4_phys)
{
	struct vm_space *vs = *per_cpu_ptr(active_space, arch_cpu_id());

	if (vs && vs->pml4_phys == pml4_phys)
		vm_space_activate(NULL);
}

/* Free the tables under `table` at `level` (3 = PDPT ... 1 = PT). */
static void free_level(uint64_t *table, int level)
{
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = table[i];

		if (level > 1 ? !(e & PTE_P) : !pte_has_frame(e))
			continue;
		if (level > 1) {
			free_level(pt_next(e), level - 1);
			pagetable_free(frame_of(e));
		} else {
			frame_meta_put(frame_of(e));	/* a mapped frame */
		}
	}
}

void vm_space_put(struct vm_space *vs)
{
	uint64_t *pml4;

	if (!vs)
		return;
	BUG_ON(__atomic_load_n(&vs->refs, __ATOMIC_RELAXED) == 0);
	if (__atomic_sub_fetch(&vs->refs, 1, __ATOMIC_ACQ_REL))
		return;
	/*
	 * No task runs in vs any more, but CPUs may still have it loaded (the
	 * last task left it without a switch yet): they move to the kernel's
	 * tables before the tables go.  None can load it again.
	 */
	if (*per_cpu_ptr(active_space, arch_cpu_id()) == vs)
		vm_space_activate(NULL);
	if (__atomic_load_n(&vs->cpus, __ATOMIC_ACQUIRE))
		tlb_leave_space(__atomic_load_n(&vs->cpus, __ATOMIC_ACQUIRE), vs->pml4_phys);
	BUG_ON(__atomic_load_n(&vs->cpus, __ATOMIC_ACQUIRE) != 0);
	pml4 = pml4_of(vs);
	for (unsigned int i = 0; i < PML4_USER_ENTRIES; i++) {
		if (!(pml4[i] & PTE_P))
			continue;
		free_level(pt_next(pml4[i]), 3);
		pagetable_free(frame_of(pml4[i]));
	}
	pagetable_free(vs->pml4);
	kfree(vs);
}

int vm_fault_decode(const struct user_trap *trap, struct vm_fault *out)
{
	uint64_t err = trap->error_code;

	if (trap->vector != 14)
		return -EINVAL;
	out->addr = trap->fault_addr;
	out->access = err & PF_INSTR ? VM_EXEC : err & PF_WRITE ? VM_WRITE : VM_READ;
	/* A reserved-bit fault also means a present entry that forbids the access. */
	out->present = (err & (PF_PRESENT | PF_RSVD)) != 0;
	out->user = (err & PF_USER) != 0;
	return 0;
}
