/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/arch/x86_64/mm/: x86-64 four-level page-table entries,
 * the kernel's top-level table, and TLB maintenance.
 */
#ifndef ASTER_ARCH_MM_PGTABLE_H
#define ASTER_ARCH_MM_PGTABLE_H

#include <aster/types.h>

#define PTE_P		0x001UL
#define PTE_W		0x002UL
#define PTE_U		0x004UL
#define PTE_PWT		0x008UL
#define PTE_PCD		0x010UL
#define PTE_A		0x020UL
#define PTE_D		0x040UL
#define PTE_PS		0x080UL		/* in a PDPT or PD entry: a large page */
#define PTE_PAT_4K	0x080UL		/* in a PT entry: the PAT index bit */
#define PTE_G		0x100UL
#define PTE_PAT_LARGE	0x1000UL	/* in a large-page entry: the PAT index bit */
#define PTE_NX		(1UL << 63)
/*
 * Software bit, in a leaf entry whose P bit is clear: the entry still holds
 * a frame (a mapping without access, see <aster/vm_space.h>).  The MMU
 * ignores every other bit of a non-present entry.
 */
#define PTE_NOACCESS	0x200UL
#define PTE_ADDR	0x000ffffffffff000UL
#define PTE_ADDR_LARGE	0x000fffffffe00000UL	/* 2 MiB page frame */

/*
 * Cache policies as PAT indices (PWT = bit 0, PCD = bit 1, PAT = bit 2).
 * kernel_map.c programs the PAT MSR so that index 1 is write-combining;
 * the others keep their power-on meaning.
 */
#define CACHE_WB	0	/* write-back */
#define CACHE_WC	1	/* write-combining */
#define CACHE_UC_MINUS	2	/* uncached, MTRRs may override */
#define CACHE_UC	3	/* uncached */

/* Kernel virtual areas (kva.c): PML4 entry 384, shared by every address space. */
#define KVA_BASE	0xffffc00000000000UL
#define KVA_SIZE	GiB(4)
#define PML4_KVA	384

#define PT_ENTRIES	512
#define PML4_USER_ENTRIES 256	/* entries 0-255: the user half */

/* The NX bit if the CPU has it (the bit is reserved otherwise), else 0. */
extern uint64_t pte_nx;
/* The global bit if the CPU supports global pages, else 0. */
extern uint64_t pte_global;

/* Cache-policy bits of a 4 KiB entry / of a 2 MiB entry for a CACHE_* index. */
static inline uint64_t pte_cache_4k(unsigned int cache)
{
	return (cache & 1 ? PTE_PWT : 0) | (cache & 2 ? PTE_PCD : 0) | (cache & 4 ? PTE_PAT_4K : 0);
}

static inline uint64_t pte_cache_large(unsigned int cache)
{
	return (cache & 1 ? PTE_PWT : 0) | (cache & 2 ? PTE_PCD : 0) |
	       (cache & 4 ? PTE_PAT_LARGE : 0);
}

static inline unsigned int pte_cache_of_4k(uint64_t pte)
{
	return (pte & PTE_PWT ? 1 : 0) | (pte & PTE_PCD ? 2 : 0) | (pte & PTE_PAT_4K ? 4 : 0);
}

/* The table an entry of an upper level points to, in the direct map. */
uint64_t *pt_next(uint64_t entry);

/* Physical address of the kernel's PML4 (every vm_space copies its top half). */
uint64_t kernel_pml4_phys(void);

/*
 * This CPU only: forget translations of [va, va+len) in the address space
 * whose PML4 is at pml4_phys (nothing to do unless it is loaded here), or
 * of kernel addresses (global ones too).
 */
void tlb_flush_range_local(uint64_t pml4_phys, uint64_t va, uint64_t len);
void tlb_flush_kernel_range_local(uint64_t va, uint64_t len);

/*
 * TLB shootdown (tlb.c).  Every CPU in `cpus` (a bit per CPU number; the
 * caller's own bit included or not) forgets the translations of [va,
 * va+len) of the space at pml4_phys, this CPU too if it has the space
 * loaded; returns once all of them did.  Safe with interrupts off and
 * spinlocks held: a CPU waiting for a shootdown, or spinning on a lock,
 * serves the requests addressed to it meanwhile (tlb_shootdown_poll).
 */
void tlb_flush_range(uint64_t cpus, uint64_t pml4_phys, uint64_t va, uint64_t len);
/* The same for kernel addresses, on every online CPU. */
void tlb_flush_kernel_range(uint64_t va, uint64_t len);
/*
 * Make every CPU in `cpus` that has the space at pml4_phys loaded switch to
 * the kernel's tables (vm_space_leave_local), and wait: the space's last
 * reference is gone and its tables are about to be freed.
 */
void tlb_leave_space(uint64_t cpus, uint64_t pml4_phys);
/* vm_space.c: this CPU drops the space at pml4_phys if it has it loaded. */
void vm_space_leave_local(uint64_t pml4_phys);
/* Shootdown requests this CPU has served since boot (for the ktests). */
uint64_t tlb_shootdowns_served(unsigned int cpu);

/* Forget every translation, global (kernel) ones included. */
void tlb_flush_all_global(void);

/* Set up the kernel-virtual-area window under *pml4_entry (at boot). */
void kva_init(uint64_t *pml4_entry);

#endif
