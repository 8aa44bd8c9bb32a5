// SPDX-License-Identifier: MPL-2.0
// Special mappings (vmar.h): kernel-owned frames such as the vDSO and the
// vvar page, mapped private into an address space by exec.  Their faults,
// mprotect and mremap rules live with the other mappings' (fault.c,
// protect.c, mremap.c); this is the placement.
#include "mm/vmar_internal.h"

static size_t specials_len(const struct vmar_special *const sp[], size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += sp[i]->npages * PAGE_SIZE;
	return len;
}

/* v->lock held, room for n inserts. */
static int map_special_locked(struct vmar *v, const struct vmar_special *const sp[], size_t n,
			      uaddr_t *out)
{
	size_t len = specials_len(sp, n);
	uaddr_t addr;
	int err;

	if (!len || !vmar_may_map(v, len))
		return -ENOMEM;
	err = vma_find_gap(v, MMAP_FLOOR, v->mmap_base, len, &addr);
	if (err)
		err = vma_find_gap(v, MMAP_FLOOR, TASK_SIZE, len, &addr);
	if (err)
		return err;
	*out = addr;
	for (size_t i = 0; i < n; i++) {
		struct vma m = {
			.start = addr,
			.end = addr + sp[i]->npages * PAGE_SIZE,
			.prot = sp[i]->prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
			.special = sp[i],
		};

		vma_insert(v, &m);
		addr = m.end;
	}
	return 0;
}

int vmar_map_special(struct vmar *v, const struct vmar_special *const sp[], size_t n,
		     uaddr_t *out)
{
	int err = vmar_lock_edit(v, n);

	if (err)
		return err;
	err = map_special_locked(v, sp, n, out);
	vmar_unlock(v);
	return err;
}
