/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Inside kernel/mm/: the representation of a vmar and the helpers the
 * files of this directory share.  Other subsystems use vmar.h only.
 *
 * A vmar keeps its mappings (struct vma) in an array sorted by address:
 * lookups are a binary search (the page-fault path), inserts and removals
 * move the tail (mmap, munmap: rarer, and n is small in practice).
 */
#ifndef KERNEL_MM_VMAR_INTERNAL_H
#define KERNEL_MM_VMAR_INTERNAL_H
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/list.h>
#include <aster/refcount.h>
#include <aster/sync.h>
#include <aster/types.h>
#include <aster/vm_space.h>
#include <aster/wait.h>
#include "mm/mempolicy.h"
#include "mm/vmar.h"
#include "uapi/fcntl.h"

/* Linux's TASK_SIZE on x86-64: the user half minus its last page. */
#define TASK_SIZE	(USER_SPACE_TOP - PAGE_SIZE)
/*
 * vm.mmap_min_addr's default, and Linux's CONFIG_LSM_MMAP_MIN_ADDR (Debian's):
 * hints and free-space searches never go below it, whatever the sysctl says.
 */
#define MMAP_MIN_ADDR	0x10000ULL
/* The lowest address a hint or a free-space search may give: vm/mmap_min_addr, at least the above. */
#define MMAP_FLOOR	MAX(vm_mmap_min_addr(), MMAP_MIN_ADDR)
/* Where top-down placement starts when exec has not said otherwise. */
#define MMAP_BASE_DEFAULT 0x7f0000000000ULL
/* A MAP_GROWSDOWN mapping grows on faults at most this far (RLIMIT_STACK-like). */
#define STACK_GROW_MAX	MiB(128)

#define PAGE_MASK_LOW	(PAGE_SIZE - 1)

/* vma->flags */
#define VMA_SHARED	0x01	/* writes reach the file / shared object */
#define VMA_GROWSDOWN	0x02
#define VMA_ACCOUNT	0x04	/* counted in vmar->committed */
#define VMA_MAYWRITE	0x10	/* the file was opened for writing */
#define VMA_DONTFORK	0x20	/* madvise(MADV_DONTFORK): not in a forked child */
#define VMA_WIPEONFORK	0x40	/* madvise(MADV_WIPEONFORK): empty in a forked child */
#define VMA_LOCKED	0x80	/* mlock: kept present (mlock.c) */
/*
 * A private mapping that has (had) pages of its own: anonymous memory or
 * copies of file pages (Linux's anon_vma); core dumps filter on it.
 */
#define VMA_ANON	0x100
#define VMA_DONTDUMP	0x200	/* madvise(MADV_DONTDUMP): left out of core dumps */

struct shm;

struct vma {
	uaddr_t start, end;	/* page-aligned, start < end */
	unsigned int prot;	/* PROT_* */
	unsigned int flags;	/* VMA_* */
	struct file *file;	/* a reference, or NULL */
	struct shm *shm;	/* shared anonymous memory (a reference), or NULL */
	/* A special mapping's kernel-owned pages (the vDSO's, [vvar]), or NULL. */
	const struct vmar_special *special;
	uint64_t pgoff;		/* page of file/shm/special mapped at start */
	/*
	 * Bounds of the pages ever mapped (empty when tlo >= thi): fork and
	 * the resident size look only there, not at the whole reservation.
	 */
	uaddr_t tlo, thi;
	struct mempolicy pol;	/* mbind's policy; all zero: none (MPOL_DEFAULT) */
};

static inline void vma_touch(struct vma *m, uaddr_t page)
{
	if (m->tlo >= m->thi) {
		m->tlo = page;
		m->thi = page + PAGE_SIZE;
		return;
	}
	m->tlo = MIN(m->tlo, page);
	m->thi = MAX(m->thi, page + PAGE_SIZE);
}

/* The part of m that may have pages mapped: [*lo, *hi), false if none. */
static inline bool vma_touched(const struct vma *m, uaddr_t *lo, uaddr_t *hi)
{
	*lo = MAX(m->start, m->tlo);
	*hi = MIN(m->end, m->thi);
	return *lo < *hi;
}

struct vmar {
	refcount_t refs;
	struct mutex lock;
	struct vm_space *vs;
	struct vma *vmas;	/* sorted, disjoint */
	size_t nr, cap;
	uaddr_t brk_base, brk;
	uaddr_t mmap_base;
	uint64_t committed;	/* bytes of accounted (private writable) mappings */
	/* RLIMIT_AS and RLIMIT_DATA of the process(es) using it, bytes. */
	uint64_t as_limit, data_limit;
	/* mlockall(MCL_FUTURE): new mappings are locked too, within memlock_limit. */
	bool lock_future, lock_onfault;
	uint64_t memlock_limit;
	/* Inserts the current lock holder may still make (vmar_lock_edit). */
	size_t room;
	/*
	 * Set (never cleared) once a write fault mapped a page of a tracked
	 * shared file mapping writable (vma_wrnotify_cache): only such vmars
	 * are visited by vmar_wrprotect_cache.
	 */
	atomic_t wrnotify;
	struct list_node all_link;	/* in the list of every vmar (vmar.c) */
};

/*
 * Locking, and why a `struct vma *` cannot outlive the array it points into.
 *
 * The array of vmas grows by reallocation, which would leave any pointer
 * into it dangling.  It grows only in vmar_lock_edit(): an edit says, as it
 * takes the lock, how many vmas it may insert, and the room is made then,
 * before any lookup under this lock can hand out a pointer.  Each insert
 * uses up one unit of room; an insert without room is a panic (BUG_ON),
 * never a write past the array or a reallocation behind a caller's back.
 * vmar_unlock() gives the unused room back.  So a pointer from vma_find()
 * or &v->vmas[i] stays inside the live array until the lock is dropped;
 * inserts and removals do shift entries, so after one, look up again.
 *
 * vmar_lock: lookups and in-place changes (no inserts).  vmar_lock_edit:
 * 0, or -ENOMEM (and the lock is not held) when the room cannot be made.
 */
void vmar_lock(struct vmar *v);
int vmar_lock_edit(struct vmar *v, size_t room);
void vmar_unlock(struct vmar *v);

/* ---- vma array (vma.c); callers hold v->lock ---- */

/* Index of the first vma with end > addr (nr if none). */
size_t vma_lower_bound(const struct vmar *v, uaddr_t addr);
/* The vma containing addr, or NULL. */
struct vma *vma_find(struct vmar *v, uaddr_t addr);
/* No vma meets [start, end). */
bool vma_range_free(const struct vmar *v, uaddr_t start, uaddr_t end);
/* [start, end) is covered by vmas without holes. */
bool vma_range_covered(const struct vmar *v, uaddr_t start, uaddr_t end);
/* Insert m (its references move to the array) at its sorted place; uses one unit of room. */
size_t vma_insert(struct vmar *v, const struct vma *m);
/* Remove vmas[i] without dropping its references. */
void vma_remove(struct vmar *v, size_t i);
/* Take / drop the references a vma holds. */
void vma_ref(struct vma *m);
void vma_unref(struct vma *m);
/*
 * Would an edit of [start, end) split a special mapping?  Linux refuses
 * that (special_mapping_split: -EINVAL), so every caller that splits
 * checks this first.
 */
bool vma_splits_special(struct vmar *v, uaddr_t start, uaddr_t end);
/* Split the vma strictly containing addr in two (one insert). */
void vma_split_at(struct vmar *v, uaddr_t addr);
/* May v hold more mappings than now (vm/max_map_count)? */
bool vma_may_add(const struct vmar *v, size_t more);
/* Remove every mapping in [start, end) (at most one insert). */
void vma_unmap_range(struct vmar *v, uaddr_t start, uaddr_t end);
/* Merge vmas[i] with vmas[i+1] when they are one mapping; true if merged. */
bool vma_try_merge(struct vmar *v, size_t i);
/* Merge around [start, end). */
void vma_merge_range(struct vmar *v, uaddr_t start, uaddr_t end);
/* Place len bytes top-down in [lo, hi): 0 and *out, or -ENOMEM. */
int vma_find_gap(const struct vmar *v, uaddr_t lo, uaddr_t hi, size_t len, uaddr_t *out);
/* The most private writable bytes one address space may commit. */
uint64_t vmar_commit_limit(void);
/*
 * May v take on more bytes of accounted (private writable) memory: within
 * the overcommit limit and, for data (not a stack), RLIMIT_DATA.  Callers
 * hold v->lock.
 */
bool vmar_may_commit(const struct vmar *v, uint64_t more, bool data);
/* May v map more bytes in all (RLIMIT_AS)?  Callers hold v->lock. */
bool vmar_may_map(const struct vmar *v, uint64_t more);

/* ---- page tables (fault.c) ---- */

/* PTE protection for a vma's PROT_* (PROT_NONE keeps frames kernel-only). */
unsigned int vma_vm_prot(unsigned int prot);
/* The same without write (copy-on-write pending). */
unsigned int vm_prot_readonly(unsigned int vmprot);
/*
 * The page cache whose writeback must write-protect m's pages (a shared
 * writable mapping of a file with a backing store), or NULL.
 */
struct page_cache *vma_wrnotify_cache(const struct vma *m);
/* Resolve a fault with v->lock held. */
int vmar_fault_locked(struct vmar *v, uaddr_t addr, unsigned int access, bool present);
/* Prefault [start, end) (MAP_POPULATE); errors are ignored as Linux does. */
void vmar_populate_locked(struct vmar *v, uaddr_t start, uaddr_t end);
/*
 * Set or clear a VMA_* flag on [start, end), which the caller checked is
 * mapped: the mappings are split at the ends and merged again after
 * (two inserts).
 */
void vma_set_flag_range(struct vmar *v, uaddr_t start, uaddr_t end, unsigned int flag, bool set);
/* May a new mapping of len bytes be locked within the mlockall limit? */
bool vmar_lock_new_mapping(struct vmar *v, size_t len);
/* Move the mapped pages of [from, from+len) to [to, to+len). */
int vm_move_pages(struct vmar *v, uaddr_t from, uaddr_t to, size_t len);

/* ---- shared anonymous memory (shm.c) ---- */

int shm_create(size_t npages, struct shm **out);
void shm_get(struct shm *s);
void shm_put(struct shm *s);
/* The frame of page pgoff (allocated zeroed on first use), with a reference. */
int shm_get_page(struct shm *s, uint64_t pgoff, struct frame **out);
/* Make room for npages pages (mremap growing a shared mapping). */
int shm_grow(struct shm *s, size_t npages);
/* A reference for one more / one less vma: runs a System V segment's attach hook. */
void shm_map_get(struct shm *s);
void shm_map_put(struct shm *s);
/* A System V segment (shmdt looks for these). */
bool shm_is_sysv(const struct shm *s);
uint64_t shm_cookie(const struct shm *s);
size_t shm_npages(const struct shm *s);

/* ---- for ktests: the vmar the uaccess resolver uses when there is no process ---- */
void vmar_set_kernel_current(struct vmar *v);
struct vmar *vmar_current(void);

#endif
