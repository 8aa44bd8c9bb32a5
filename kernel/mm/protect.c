// SPDX-License-Identifier: MPL-2.0
// mprotect with Linux semantics: whole range mapped or ENOMEM, vmas split at
// the edges, page tables updated for the pages already present.
#include "fs/file.h"
#include "mm/vmar_internal.h"
#include "uapi/mman.h"

/* Refusals that must come before anything changes: EACCES, overcommit. */
static int check_range(struct vmar *v, uaddr_t start, uaddr_t end, int prot)
{
	uint64_t more = 0;

	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++) {
		const struct vma *m = &v->vmas[i];
		uaddr_t lo = MAX(m->start, start), hi = MIN(m->end, end);

		if ((prot & PROT_WRITE) && (m->flags & VMA_SHARED) && !(m->flags & VMA_MAYWRITE))
			return -EACCES;
		/* PROT_EXEC on a file of a noexec mount. */
		if ((prot & PROT_WRITE) && m->special && !m->special->may_write)
			return -EACCES;	/* Linux: no VM_MAYWRITE ([vvar]) */
		if (m->file && file_mprotect_check(m->file, prot))
			return -EACCES;
		if ((prot & PROT_WRITE) && !(m->flags & (VMA_SHARED | VMA_ACCOUNT)))
			more += hi - lo;
	}
	if (more && !vmar_may_commit(v, more, true))
		return -ENOMEM;
	return 0;
}

static void apply(struct vmar *v, struct vma *m, int prot)
{
	unsigned int vmprot;
	uaddr_t lo, hi;

	m->prot = (unsigned int)prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	if ((prot & PROT_WRITE) && !(m->flags & (VMA_SHARED | VMA_ACCOUNT))) {
		m->flags |= VMA_ACCOUNT;
		v->committed += m->end - m->start;
	}
	vmprot = vma_vm_prot(m->prot);
	/* Private pages may share their frame: writes go through a fault (fault.c). */
	if (!(m->flags & VMA_SHARED))
		vmprot = (vmprot & VM_WRITE) ? vm_prot_readonly(vmprot) : vmprot;
	/* Tracked shared file pages: a write faults first to dirty the page (fault.c). */
	if ((vmprot & VM_WRITE) && vma_wrnotify_cache(m))
		vmprot = vm_prot_readonly(vmprot);
	if (!vma_touched(m, &lo, &hi))
		return;
	/* PROT_NONE pages keep their frames without access (vma_vm_prot). */
	vm_protect(v->vs, lo, hi - lo, vmprot);
}

/* How many mappings mprotect of [start, end) cuts in two. */
static size_t splits_needed(struct vmar *v, uaddr_t start, uaddr_t end)
{
	const struct vma *a = vma_find(v, start), *b = vma_find(v, end);

	return (size_t)(a && a->start != start) + (size_t)(b && b->start != end);
}

static int mprotect_locked(struct vmar *v, uaddr_t start, uaddr_t end, int prot)
{
	int err;

	if (!vma_range_covered(v, start, end))
		return -ENOMEM;
	err = check_range(v, start, end, prot);
	if (err)
		return err;
	if (vma_splits_special(v, start, end))
		return -EINVAL;
	/* Linux's split_vma, past vm/max_map_count. */
	if (!vma_may_add(v, splits_needed(v, start, end)))
		return -ENOMEM;
	vma_split_at(v, start);
	vma_split_at(v, end);
	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++)
		apply(v, &v->vmas[i], prot);
	vma_merge_range(v, start, end);
	return 0;
}

int vmar_mprotect(struct vmar *v, uaddr_t addr, size_t len, int prot)
{
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	uaddr_t end;
	int err;

	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (addr & PAGE_MASK_LOW)
		return -EINVAL;
	if (!len)
		return 0;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = addr + len;
	if (end <= addr)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	if (end > TASK_SIZE)
		return -ENOMEM;
	err = vmar_lock_edit(v, 2);
	if (err)
		return err;
	err = mprotect_locked(v, addr, end, prot);
	vmar_unlock(v);
	return err;
}
