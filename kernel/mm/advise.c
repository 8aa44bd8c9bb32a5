// SPDX-License-Identifier: MPL-2.0
// madvise and mincore.  madvise(MADV_DONTNEED) zaps pages and
// the next touch faults them in again (zero for private anonymous memory).
// MADV_(DONT|DO)FORK and MADV_(WIPE|KEEP)ONFORK mark mappings for fork,
// MADV_(DONT|DO)DUMP mark them for core dumps (process/coredump.c),
// MADV_POPULATE_(READ|WRITE) prefault; the rest of Linux's advice only
// tunes paging policy (read-ahead, huge pages, KSM, reclaim),
// none of which this kernel has, so it is accepted and has no effect.
#include "fs/file.h"
#include "mm/page_cache.h"
#include "mm/vmar_internal.h"
#include "uapi/mman.h"

static bool advice_valid(int advice)
{
	if (advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE)
		return true;
	/* No MADV_COLLAPSE: there are no huge pages (Linux without CONFIG_TRANSPARENT_HUGEPAGE). */
	return advice >= 0 && advice <= MADV_DONTNEED_LOCKED && (advice < 5 || advice > 7);
}

/*
 * MADV_REMOVE frees the backing store of shared memory, which would need
 * every process mapping it to drop its pages: not supported.  Linux's
 * answer for memory that is not shared (EINVAL) stays the same.
 */
static int remove_check(struct vmar *v, uaddr_t start, uaddr_t end)
{
	if (!vma_range_covered(v, start, end))
		return -ENOMEM;
	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++)
		if (!(v->vmas[i].flags & VMA_SHARED))
			return -EINVAL;
	return -EOPNOTSUPP;
}

/*
 * MADV_COLD and MADV_PAGEOUT: nothing is ever reclaimed here (no swap),
 * but Linux refuses them on locked and special mappings (can_madv_lru_vma)
 * (a hole is -ENOMEM after the walk, as Linux's unmapped_error).
 */
static int lru_check(struct vmar *v, uaddr_t start, uaddr_t end)
{
	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++) {
		const struct vma *m = &v->vmas[i];

		if ((m->flags & VMA_LOCKED) || m->special)
			return -EINVAL;
	}
	return vma_range_covered(v, start, end) ? 0 : -ENOMEM;
}

static void zap(struct vmar *v, const struct vma *m, uaddr_t start, uaddr_t end, int advice)
{
	bool private_anon = !m->file && !m->shm;

	if (advice == MADV_FREE && !private_anon)
		return;
	if (advice == MADV_DONTNEED || advice == MADV_DONTNEED_LOCKED || advice == MADV_FREE)
		vm_unmap(v->vs, start, end - start);
}

/* Set or clear a VMA_* fork flag on [start, end), splitting mappings at the ends. */
static int mark_for_fork(struct vmar *v, uaddr_t start, uaddr_t end, unsigned int flag, bool set)
{
	if (!vma_range_covered(v, start, end))
		return -ENOMEM;
	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++) {
		const struct vma *m = &v->vmas[i];

		/* Wiping only makes sense where the child would get zero pages. */
		if (set && flag == VMA_WIPEONFORK &&
		    (m->file || m->shm || m->special || (m->flags & VMA_SHARED)))
			return -EINVAL;
	}
	if (vma_splits_special(v, start, end))
		return -EINVAL;
	vma_set_flag_range(v, start, end, flag, set);
	return 0;
}

/*
 * MADV_DONTDUMP / MADV_DODUMP: Linux refuses to clear it on special
 * mappings (VM_SPECIAL: the vDSO), which core dumps write anyway.
 */
static int mark_for_dump(struct vmar *v, uaddr_t start, uaddr_t end, bool dontdump)
{
	if (!vma_range_covered(v, start, end))
		return -ENOMEM;
	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++)
		if (!dontdump && v->vmas[i].special)
			return -EINVAL;
	if (vma_splits_special(v, start, end))
		return -EINVAL;
	vma_set_flag_range(v, start, end, VMA_DONTDUMP, dontdump);
	return 0;
}

/* Prefault [start, end) for reading or writing, as the access would. */
static int populate(struct vmar *v, uaddr_t start, uaddr_t end, bool write)
{
	if (!vma_range_covered(v, start, end))
		return -ENOMEM;
	for (uaddr_t a = start; a < end; a += PAGE_SIZE) {
		const struct vma *m = vma_find(v, a);
		int err;

		/* Linux reports a mapping that forbids the access as EINVAL. */
		if (!(m->prot & (write ? PROT_WRITE : PROT_READ)))
			return -EINVAL;
		err = vmar_fault_locked(v, a, write ? VM_WRITE : VM_READ, false);
		if (err == -ENOMEM)
			return -ENOMEM;
		if (err)
			return -EFAULT;	/* where the access would get SIGBUS */
	}
	return 0;
}

static int madvise_locked(struct vmar *v, uaddr_t start, uaddr_t end, int advice)
{
	switch (advice) {
	case MADV_DONTFORK:
	case MADV_DOFORK:
		return mark_for_fork(v, start, end, VMA_DONTFORK, advice == MADV_DONTFORK);
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		return mark_for_fork(v, start, end, VMA_WIPEONFORK, advice == MADV_WIPEONFORK);
	case MADV_DONTDUMP:
	case MADV_DODUMP:
		return mark_for_dump(v, start, end, advice == MADV_DONTDUMP);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return populate(v, start, end, advice == MADV_POPULATE_WRITE);
	case MADV_REMOVE:
		return remove_check(v, start, end);
	case MADV_COLD:
	case MADV_PAGEOUT:
		return lru_check(v, start, end);
	default:
		break;
	}
	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++) {
		const struct vma *m = &v->vmas[i];

		zap(v, m, MAX(m->start, start), MIN(m->end, end), advice);
	}
	return vma_range_covered(v, start, end) ? 0 : -ENOMEM;
}

int vmar_madvise(struct vmar *v, uaddr_t addr, size_t len, int advice)
{
	size_t alen = ALIGN_UP(len, PAGE_SIZE);
	int err;

	if (!advice_valid(advice))
		return -EINVAL;
	if (advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE)
		return -EPERM;
	if (addr & PAGE_MASK_LOW)
		return -EINVAL;
	if (len && !alen)
		return -EINVAL;
	if (addr + alen < addr)
		return -EINVAL;
	if (!alen)
		return 0;
	/* MADV_DONTFORK and the like split the mappings at both ends. */
	err = vmar_lock_edit(v, 2);
	if (err)
		return err;
	err = madvise_locked(v, addr, addr + alen, advice);
	vmar_unlock(v);
	return err;
}

/* Residency of up to n pages from addr into vec; v->lock held.  -ENOMEM at a hole. */
static int mincore_chunk(struct vmar *v, uaddr_t addr, size_t n, uint8_t *vec)
{
	for (size_t i = 0; i < n; i++) {
		uaddr_t a = addr + i * PAGE_SIZE;
		struct frame *f;
		unsigned int prot;

		const struct vma *m = vma_find(v, a);

		if (!m)
			return -ENOMEM;
		vec[i] = vm_query(v->vs, a, &f, &prot) == 0;
		if (vec[i])
			frame_put(f);
		else if (m->file && m->file->ops && m->file->ops->page_cache)
			/* As Linux: a file page counts when its file's cache holds it. */
			vec[i] = page_cache_resident(m->file->ops->page_cache(m->file),
						     m->pgoff + ((a - m->start) >> PAGE_SHIFT));
	}
	return 0;
}

int vmar_mincore(struct vmar *v, uaddr_t addr, size_t len, uaddr_t vec)
{
	uint8_t buf[256];
	size_t pages;

	if (addr & PAGE_MASK_LOW)
		return -EINVAL;
	if (addr > TASK_SIZE || len > TASK_SIZE - addr)
		return -ENOMEM;
	pages = ALIGN_UP(len, PAGE_SIZE) >> PAGE_SHIFT;
	/* The copy out may fault into this vmar: never hold the lock across it. */
	for (size_t done = 0; done < pages;) {
		size_t n = MIN(pages - done, sizeof(buf));
		int err;

		vmar_lock(v);
		err = mincore_chunk(v, addr + done * PAGE_SIZE, n, buf);
		vmar_unlock(v);
		if (err)
			return err;
		if (copy_to_user(vec + done, buf, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}
