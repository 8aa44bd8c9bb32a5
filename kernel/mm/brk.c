// SPDX-License-Identifier: MPL-2.0
// The program break: an anonymous private mapping from brk_base up to the
// page-aligned break, grown and shrunk by brk(2).
#include "mm/vmar_internal.h"

static int brk_grow(struct vmar *v, uaddr_t old_end, uaddr_t new_end)
{
	struct vma m = {
		.start = old_end,
		.end = new_end,
		.prot = PROT_READ | PROT_WRITE,
		.flags = VMA_ACCOUNT,
	};
	if (!vma_range_free(v, old_end, new_end))
		return -ENOMEM;
	if (!vmar_may_commit(v, new_end - old_end, true) || !vmar_may_map(v, new_end - old_end))
		return -ENOMEM;
	v->committed += new_end - old_end;
	vma_insert(v, &m);
	vma_merge_range(v, old_end, new_end);
	return 0;
}

static int brk_locked(struct vmar *v, uaddr_t req)
{
	uaddr_t old_end = ALIGN_UP(v->brk, PAGE_SIZE);
	uaddr_t new_end;
	int err = 0;

	if (req < v->brk_base || req > TASK_SIZE)
		return -ENOMEM;
	new_end = ALIGN_UP(req, PAGE_SIZE);
	if (new_end > old_end)
		err = brk_grow(v, old_end, new_end);
	else if (new_end < old_end)
		vma_unmap_range(v, new_end, old_end);
	if (!err)
		v->brk = req;
	return err;
}

void vmar_brk(struct vmar *v, uaddr_t req, uaddr_t *out)
{
	/* Growing inserts one vma; without room for it, brk fails and reports the old break. */
	if (vmar_lock_edit(v, 1)) {
		vmar_lock(v);
		*out = v->brk;
		vmar_unlock(v);
		return;
	}
	(void)brk_locked(v, req);
	*out = v->brk;
	vmar_unlock(v);
}
