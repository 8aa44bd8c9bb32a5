// SPDX-License-Identifier: MPL-2.0
// mlock, mlock2, munlock, mlockall, munlockall and MAP_LOCKED.  Nothing
// is ever paged out here, so a locked page is simply one that is present:
// locking faults the range in (unless MLOCK_ONFAULT/MCL_ONFAULT) and marks
// its mappings VMA_LOCKED, which counts against RLIMIT_MEMLOCK.  Locks are
// not inherited by fork (vmar.c) and end with exec (a new vmar).
#include "mm/vmar_internal.h"
#include "uapi/mman.h"

static uint64_t locked_bytes(const struct vmar *v, uaddr_t skip_lo, uaddr_t skip_hi)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < v->nr; i++) {
		const struct vma *m = &v->vmas[i];
		uaddr_t lo = MAX(m->start, skip_lo), hi = MIN(m->end, skip_hi);

		if (!(m->flags & VMA_LOCKED))
			continue;
		sum += m->end - m->start;
		if (lo < hi)
			sum -= hi - lo;	/* counted again by the caller */
	}
	return sum;
}

static int mlock_locked(struct vmar *v, uaddr_t start, uaddr_t end, bool onfault, uint64_t limit)
{
	if (!vma_range_covered(v, start, end))
		return -ENOMEM;
	if (limit == 0)
		return -EPERM;	/* as Linux without CAP_IPC_LOCK */
	if (locked_bytes(v, start, end) + (end - start) > limit)
		return -ENOMEM;
	vma_set_flag_range(v, start, end, VMA_LOCKED, true);
	if (!onfault)
		vmar_populate_locked(v, start, end);
	return 0;
}

/* Page-aligned [start, end) for addr and len as Linux rounds them; false if it wraps. */
static bool lock_range(uaddr_t addr, size_t len, uaddr_t *start, uaddr_t *end)
{
	*start = addr & ~PAGE_MASK_LOW;
	len += addr & PAGE_MASK_LOW;
	*end = *start + ALIGN_UP(len, PAGE_SIZE);
	return *end >= *start && (len == 0 || *end > *start);
}

int vmar_mlock(struct vmar *v, uaddr_t addr, size_t len, unsigned int flags, uint64_t limit)
{
	uaddr_t start, end;
	int err;

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (!lock_range(addr, len, &start, &end))
		return -ENOMEM;
	if (start == end)
		return 0;
	err = vmar_lock_edit(v, 2);
	if (err)
		return err;
	err = mlock_locked(v, start, end, flags & MLOCK_ONFAULT, limit);
	vmar_unlock(v);
	return err;
}

int vmar_munlock(struct vmar *v, uaddr_t addr, size_t len)
{
	uaddr_t start, end;
	int err;

	if (!lock_range(addr, len, &start, &end))
		return -ENOMEM;
	if (start == end)
		return 0;
	err = vmar_lock_edit(v, 2);
	if (err)
		return err;
	err = vma_range_covered(v, start, end) ? 0 : -ENOMEM;
	if (!err)
		vma_set_flag_range(v, start, end, VMA_LOCKED, false);
	vmar_unlock(v);
	return err;
}

int vmar_mlockall(struct vmar *v, unsigned int flags, uint64_t limit)
{
	int err = 0;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (limit == 0)
		return -EPERM;
	vmar_lock(v);
	v->lock_future = flags & MCL_FUTURE;
	v->lock_onfault = flags & MCL_ONFAULT;
	v->memlock_limit = limit;
	if (flags & MCL_CURRENT) {
		uint64_t total = 0;

		for (size_t i = 0; i < v->nr; i++)
			total += v->vmas[i].end - v->vmas[i].start;
		if (total > limit)
			err = -ENOMEM;	/* everything mapped would be locked */
		for (size_t i = 0; !err && i < v->nr; i++) {
			struct vma *m = &v->vmas[i];

			m->flags |= VMA_LOCKED;
			if (!(flags & MCL_ONFAULT))
				vmar_populate_locked(v, m->start, m->end);
		}
	}
	vmar_unlock(v);
	return err;
}

int vmar_munlockall(struct vmar *v)
{
	vmar_lock(v);
	for (size_t i = 0; i < v->nr; i++)
		v->vmas[i].flags &= ~VMA_LOCKED;
	v->lock_future = false;
	v->lock_onfault = false;
	vmar_unlock(v);
	return 0;
}

bool vmar_lock_new_mapping(struct vmar *v, size_t len)
{
	return locked_bytes(v, 0, 0) + len <= v->memlock_limit;
}
