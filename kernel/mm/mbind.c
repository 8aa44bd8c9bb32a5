// SPDX-License-Identifier: MPL-2.0
// The address-space side of the NUMA calls: per-mapping policies (mbind,
// get_mempolicy's MPOL_F_ADDR, set_mempolicy_home_node), move_pages'
// page status and process_mrelease's reaping.  With one memory node every
// page is on node 0, so nothing ever moves; what is kept is each mapping's
// policy, split and merged with the mapping as Linux's vm_policy is.
#include <aster/errno.h>
#include "mm/mempolicy_internal.h"
#include "mm/vmar_internal.h"
#include "uapi/mempolicy.h"

bool mempolicy_equal(const struct mempolicy *a, const struct mempolicy *b)
{
	return a->mode == b->mode && a->flags == b->flags && a->home == b->home &&
	       a->user_nodes == b->user_nodes;
}

int vmar_policy_at(struct vmar *v, uaddr_t addr, struct mempolicy *out)
{
	const struct vma *m;
	int err = -EFAULT;

	vmar_lock(v);
	m = vma_find(v, addr);
	if (m) {
		*out = m->pol;
		err = 0;
	}
	vmar_unlock(v);
	return err;
}

static bool page_present(struct vmar *v, uaddr_t page)
{
	struct frame *f;
	unsigned int prot;

	if (vm_query(v->vs, page, &f, &prot))
		return false;
	frame_put(f);
	return true;
}

/* Does [start, end) of m have a page mapped now?  Special mappings' pages do not count (Linux's PageReserved). */
static bool has_pages(struct vmar *v, const struct vma *m, uaddr_t start, uaddr_t end)
{
	uaddr_t lo, hi;

	if (m->special || !vma_touched(m, &lo, &hi))
		return false;
	for (uaddr_t a = MAX(lo, start); a < MIN(hi, end); a += PAGE_SIZE)
		if (page_present(v, a))
			return true;
	return false;
}

/*
 * Linux's queue_pages_range, mapping by mapping in address order: a hole
 * before or after the mapping is -EFAULT (checked as the walk reaches
 * it), then its pages.  With one node every present page is "misplaced"
 * exactly when the caller's mask lacks node 0, which the caller folded
 * into eio_if_pages.
 */
static int mbind_check(struct vmar *v, uaddr_t start, uaddr_t end, bool discontig_ok,
		       bool eio_if_pages)
{
	size_t first = vma_lower_bound(v, start);

	if (first >= v->nr || v->vmas[first].start >= end)
		return -EFAULT;		/* the whole range is a hole */
	for (size_t i = first; i < v->nr && v->vmas[i].start < end; i++) {
		const struct vma *m = &v->vmas[i];

		if (!discontig_ok && i == first && start < m->start)
			return -EFAULT;
		if (!discontig_ok && m->end < end && (i + 1 >= v->nr || v->vmas[i + 1].start != m->end))
			return -EFAULT;
		if (eio_if_pages && has_pages(v, m, MAX(start, m->start), MIN(end, m->end)))
			return -EIO;
	}
	return 0;
}

int vmar_mbind(struct vmar *v, uaddr_t start, uaddr_t end, const struct mempolicy *pol,
	       bool discontig_ok, bool eio_if_pages)
{
	int err = vmar_lock_edit(v, 2);

	if (err)
		return err;
	err = mbind_check(v, start, end, discontig_ok, eio_if_pages);
	if (!err && vma_splits_special(v, start, end))
		err = -EINVAL;		/* Linux's special_mapping_split */
	if (!err) {
		vma_split_at(v, start);
		vma_split_at(v, end);
		for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++)
			v->vmas[i].pol = *pol;
		vma_merge_range(v, start, end);
	}
	vmar_unlock(v);
	return err;
}

/* Linux's set_mempolicy_home_node loop: -ENOENT until a mapping with a policy is updated. */
static int home_node_locked(struct vmar *v, uaddr_t start, uaddr_t end, unsigned int node)
{
	int err = -ENOENT;

	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++) {
		const struct vma *m = &v->vmas[i];
		uaddr_t lo = MAX(start, m->start), hi = MIN(end, m->end);

		if (m->pol.mode == MPOL_DEFAULT)
			continue;
		if (m->pol.mode != MPOL_BIND && m->pol.mode != MPOL_PREFERRED_MANY)
			return -EOPNOTSUPP;
		if (vma_splits_special(v, lo, hi))
			return -EINVAL;
		/* Only the first and the last mapping can split: two inserts at most. */
		vma_split_at(v, lo);
		vma_split_at(v, hi);
		i = vma_lower_bound(v, lo);
		v->vmas[i].pol.home = (uint16_t)(node + 1);
		err = 0;
	}
	return err;
}

int vmar_set_home_node(struct vmar *v, uaddr_t start, uaddr_t end, unsigned int node)
{
	int err = vmar_lock_edit(v, 2);

	if (err)
		return err;
	err = home_node_locked(v, start, end, node);
	vma_merge_range(v, start, end);
	vmar_unlock(v);
	return err;
}

int vmar_page_status(struct vmar *v, uaddr_t addr)
{
	const struct vma *m;
	int st;

	vmar_lock(v);
	m = vma_find(v, addr);
	if (!m)
		st = -EFAULT;
	else if (page_present(v, addr & ~PAGE_MASK_LOW))
		st = 0;
	else
		/* FOLL_DUMP: an untouched anonymous page is -EFAULT, one a fault could read -ENOENT. */
		st = (m->file || m->shm || m->special) ? -ENOENT : -EFAULT;
	vmar_unlock(v);
	return st;
}

void vmar_reap(struct vmar *v)
{
	vmar_lock(v);
	for (size_t i = 0; i < v->nr; i++) {
		const struct vma *m = &v->vmas[i];
		uaddr_t lo, hi;

		/* Shared memory outlives the process; locked and special pages stay. */
		if ((m->flags & (VMA_SHARED | VMA_LOCKED)) || m->special)
			continue;
		if (vma_touched(m, &lo, &hi))
			vm_unmap(v->vs, lo, hi - lo);
	}
	vmar_unlock(v);
}
