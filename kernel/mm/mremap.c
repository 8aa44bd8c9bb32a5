// SPDX-License-Identifier: MPL-2.0
// mremap: shrink in place, grow in place when the next pages are free, or
// move (MREMAP_MAYMOVE, MREMAP_FIXED) the mapping with its pages; with
// MREMAP_DONTUNMAP the old range stays mapped, empty; old_len 0 maps a
// shared mapping a second time.
#include "mm/vmar_internal.h"

struct remap {
	uaddr_t addr;
	size_t old_len, new_len;
	int flags;
	uaddr_t new_addr;
};

/* The one vma holding [addr, addr+old_len): EFAULT / EINVAL as vma_to_resize. */
/* The mapping at r->addr, checked for resizing. */
static int resize_checks(struct vmar *v, const struct remap *r, struct vma **out)
{
	struct vma *m = vma_find(v, r->addr);
	/* What the address space grows by: the old range stays with DONTUNMAP. */
	size_t more = (r->flags & MREMAP_DONTUNMAP) || !r->old_len ? r->new_len :
		      r->new_len > r->old_len ? r->new_len - r->old_len : 0;

	if (!m || r->old_len > m->end - r->addr)
		return -EFAULT;
	/* A second mapping of the same pages only makes sense for shared ones. */
	if (!r->old_len && !(m->flags & VMA_SHARED))
		return -EINVAL;
	/* Special mappings do not grow or shrink here (Linux's VM_DONTEXPAND). */
	if (m->special && (r->flags & MREMAP_DONTUNMAP))
		return -EINVAL;
	if (m->special && r->new_len != r->old_len)
		return -EFAULT;
	/* A special mapping moves only whole: it cannot be split. */
	if (vma_splits_special(v, r->addr, r->addr + r->old_len))
		return -EINVAL;
	if (more && (m->flags & VMA_ACCOUNT) &&
	    !vmar_may_commit(v, more, !(m->flags & VMA_GROWSDOWN)))
		return -ENOMEM;
	if (more && !vmar_may_map(v, more))
		return -ENOMEM;
	*out = m;
	return 0;
}

/* Let the mapping (or its shared object) cover len bytes from its start. */
static int grow_backing(struct vma *m, uaddr_t start, size_t len)
{
	if (!m->shm)
		return 0;
	/* A System V segment keeps its size: beyond it is SIGBUS, as on Linux. */
	if (shm_is_sysv(m->shm))
		return 0;
	return shm_grow(m->shm, m->pgoff + ((start - m->start + len) >> PAGE_SHIFT));
}

/* old_len 0: map the shared pages at addr a second time, at new_addr. */
static int dup_mapping(struct vmar *v, const struct remap *r)
{
	struct vma *m = vma_find(v, r->addr), nv = *m;
	int err = grow_backing(m, r->addr, r->new_len);

	if (err)
		return err;
	nv.start = r->new_addr;
	nv.end = r->new_addr + r->new_len;
	nv.pgoff = m->pgoff + ((r->addr - m->start) >> PAGE_SHIFT);
	nv.tlo = nv.thi = 0;	/* its pages fault in from the shared object */
	vma_ref(&nv);
	vma_insert(v, &nv);
	vma_merge_range(v, nv.start, nv.end);
	return 0;
}

/*
 * Move [addr, addr+old_len), one whole vma after the splits, to new_addr.
 * With MREMAP_DONTUNMAP the old vma stays, without pages.
 */
static int move_mapping(struct vmar *v, const struct remap *r)
{
	bool keep_old = r->flags & MREMAP_DONTUNMAP;
	struct vma *m, nv;
	size_t i;
	int err;

	if (!r->old_len)
		return dup_mapping(v, r);
	vma_split_at(v, r->addr);
	vma_split_at(v, r->addr + r->old_len);
	i = vma_lower_bound(v, r->addr);
	m = &v->vmas[i];
	err = grow_backing(m, r->addr, r->new_len);
	if (err)
		return err;
	nv = *m;
	nv.start = r->new_addr;
	nv.end = r->new_addr + r->new_len;
	if (nv.flags & VMA_ACCOUNT)
		v->committed += keep_old ? r->new_len : r->new_len - r->old_len;
	if (nv.tlo < nv.thi) {
		err = vm_move_pages(v, r->addr, r->new_addr, r->old_len);
		nv.tlo += r->new_addr - r->addr;
		nv.thi += r->new_addr - r->addr;
	}
	if (keep_old) {
		m->tlo = m->thi = 0;	/* its pages moved: it faults in afresh */
		vma_ref(&nv);
	} else {
		vma_remove(v, i);	/* its references move to nv */
	}
	vma_insert(v, &nv);
	vma_merge_range(v, nv.start, nv.end);
	return err;
}

static int remap_fixed(struct vmar *v, struct remap *r)
{
	struct vma *m;
	int err;

	if (r->new_addr & PAGE_MASK_LOW)
		return -EINVAL;
	if (r->new_len > TASK_SIZE || r->new_addr > TASK_SIZE - r->new_len)
		return -EINVAL;
	if (r->new_addr < r->addr + r->old_len && r->addr < r->new_addr + r->new_len)
		return -EINVAL;
	if (vma_splits_special(v, r->new_addr, r->new_addr + r->new_len))
		return -EINVAL;
	err = resize_checks(v, r, &m);
	if (err)
		return err;
	vma_unmap_range(v, r->new_addr, r->new_addr + r->new_len);
	if (r->old_len > r->new_len) {
		vma_unmap_range(v, r->addr + r->new_len, r->addr + r->old_len);
		r->old_len = r->new_len;
	}
	return move_mapping(v, r);
}

static int remap_grow(struct vmar *v, struct remap *r)
{
	uaddr_t old_end = r->addr + r->old_len, new_end = r->addr + r->new_len;
	struct vma *m;
	int err = resize_checks(v, r, &m);

	if (err)
		return err;
	/* In place, unless the old range must stay (DONTUNMAP, or a second mapping). */
	if (r->old_len && !(r->flags & MREMAP_DONTUNMAP) && old_end == m->end &&
	    r->new_len <= TASK_SIZE - r->addr && vma_range_free(v, old_end, new_end)) {
		err = grow_backing(m, r->addr, r->new_len);
		if (err)
			return err;
		if (m->flags & VMA_ACCOUNT)
			v->committed += new_end - old_end;
		m->end = new_end;
		r->new_addr = r->addr;
		return 0;
	}
	if (!(r->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	err = vma_find_gap(v, MMAP_FLOOR, v->mmap_base, r->new_len, &r->new_addr);
	if (err)
		err = vma_find_gap(v, MMAP_FLOOR, TASK_SIZE, r->new_len, &r->new_addr);
	if (err)
		return err;
	return move_mapping(v, r);
}

int vmar_mremap(struct vmar *v, uaddr_t addr, size_t old_len, size_t new_len, int flags,
		uaddr_t new_addr, uaddr_t *out)
{
	struct remap r = { addr, ALIGN_UP(old_len, PAGE_SIZE), ALIGN_UP(new_len, PAGE_SIZE),
			   flags, new_addr };
	int err;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	/* DONTUNMAP takes new_addr as a hint, checked as Linux does. */
	if ((flags & MREMAP_DONTUNMAP) && (new_addr & PAGE_MASK_LOW))
		return -EINVAL;
	if (addr & PAGE_MASK_LOW)
		return -EINVAL;
	if (!r.new_len || (old_len && !r.old_len))
		return -EINVAL;
	if (!(flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && r.old_len >= r.new_len) {
		if (r.old_len > r.new_len) {
			err = vmar_munmap(v, addr + r.new_len, r.old_len - r.new_len);
			if (err)
				return err;
		}
		*out = addr;
		return 0;
	}
	/*
	 * A move inserts at most four vmas: unmapping the target and the old
	 * tail may split one each, the old range is split off at its start
	 * and its end is already a boundary or split, then the moved one goes
	 * in (DONTUNMAP: old_len == new_len, no tail; two splits and the new).
	 */
	err = vmar_lock_edit(v, 4);
	if (err)
		return err;
	err = (flags & MREMAP_FIXED) ? remap_fixed(v, &r) : remap_grow(v, &r);
	vmar_unlock(v);
	if (!err)
		*out = r.new_addr;
	return err;
}
