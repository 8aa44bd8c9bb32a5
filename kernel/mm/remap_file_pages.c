// SPDX-License-Identifier: MPL-2.0
// remap_file_pages(2), deprecated: as Linux since 4.0, emulated by mapping
// the file range at the same address again (one new mapping in place of
// the nonlinear one the call once made).  Only shared mappings of a file
// or of shared memory qualify; the new mapping has the old one's
// protection and is populated, as Linux's MAP_POPULATE there.
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/sync.h>
#include "mm/vmar_internal.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "uapi/mman.h"

/* Linux warns once per boot (pr_warn_once). */
static atomic_t warned = ATOMIC_INIT(0);

static void warn_deprecated(void)
{
	struct process *p = current_process();

	if (!p || !atomic_cmpxchg(&warned, 0, 1))
		return;
	pr_warn("%s (%d) uses deprecated remap_file_pages() syscall. See Documentation/mm/remap_file_pages.rst.\n",
		p->comm, p->pid);
}

/*
 * Linux's checks: [start, end) lies in one shared mapping, or in several
 * touching ones of the same object with the same protection and flags.
 * The first one, or NULL (-EINVAL).
 */
static const struct vma *remap_target(struct vmar *v, uaddr_t start, uaddr_t end)
{
	const struct vma *m = vma_find(v, start);
	size_t i;

	if (!m || !(m->flags & VMA_SHARED) || m->special)
		return NULL;
	for (i = vma_lower_bound(v, start) + 1; m->end < end; i++) {
		const struct vma *n = i < v->nr ? &v->vmas[i] : NULL;

		if (!n || n->start != v->vmas[i - 1].end || n->file != m->file || n->shm != m->shm ||
		    n->prot != m->prot || ((n->flags ^ m->flags) & ~VMA_ANON))
			return NULL;
		if (end <= n->end)
			break;
	}
	return m;
}

/* Replace [start, end) by a fresh mapping of the same object from page pgoff. */
static int remap_locked(struct vmar *v, uaddr_t start, uaddr_t end, uint64_t pgoff, bool populate)
{
	const struct vma *m = remap_target(v, start, end);
	struct vma n;

	if (!m)
		return -EINVAL;
	if (!vma_may_add(v, 1))
		return -ENOMEM;
	n = (struct vma){
		.start = start,
		.end = end,
		.prot = m->prot,
		.flags = m->flags & ~VMA_ANON,
		.file = m->file,
		.shm = m->shm,
		.pgoff = pgoff,
	};
	vma_ref(&n);		/* before the old ones' references go */
	vma_unmap_range(v, start, end);
	vma_insert(v, &n);
	vma_merge_range(v, start, end);
	if (populate)
		vmar_populate_locked(v, start, end);
	return 0;
}

long sys_remap_file_pages(uaddr_t start, unsigned long size, unsigned long prot,
			  unsigned long pgoff, unsigned long flags)
{
	struct vmar *v = vmar_current();
	uaddr_t end;
	int err;

	warn_deprecated();
	if (prot)
		return -EINVAL;
	start &= ~(uaddr_t)PAGE_MASK_LOW;
	size &= ~(unsigned long)PAGE_MASK_LOW;
	end = start + size;
	if (end <= start)
		return -EINVAL;
	if (pgoff + (size >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (!v)
		return -EINVAL;
	/* The unmap may split a mapping at each end: one insert, then the new mapping. */
	err = vmar_lock_edit(v, 2);
	if (err)
		return err;
	/* Linux maps with MAP_POPULATE, which MAP_NONBLOCK (the one flag kept) turns off. */
	err = remap_locked(v, start, end, pgoff, !(flags & MAP_NONBLOCK));
	vmar_unlock(v);
	return err;
}
