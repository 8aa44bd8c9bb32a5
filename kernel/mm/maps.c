// SPDX-License-Identifier: MPL-2.0
// The address space as /proc shows it: a snapshot of the mappings (maps,
// smaps) and the usage figures of status and statm.  Snapshots, so that
// /proc formats and resolves file names without holding the vmar lock.
#include <aster/string.h>
#include "fs/file.h"
#include "mm/vmar_internal.h"

static uint64_t vma_resident(struct vmar *v, const struct vma *m)
{
	uaddr_t lo, hi;
	uint64_t sum = 0;

	if (!vma_touched(m, &lo, &hi))
		return 0;
	for (uaddr_t a = lo; a < hi; a += PAGE_SIZE) {
		struct frame *f;
		unsigned int prot;

		if (vm_query(v->vs, a, &f, &prot) == 0) {
			frame_put(f);
			sum += PAGE_SIZE;
		}
	}
	return sum;
}

/* Linux's [heap]: the mapping that meets the program break's range. */
static bool vma_is_heap(const struct vmar *v, const struct vma *m)
{
	return !m->file && !m->shm && !m->special && v->brk > v->brk_base && m->start <= v->brk &&
	       m->end >= v->brk_base;
}

static void fill_map(struct vmar *v, const struct vma *m, struct vmar_map *out)
{
	memset(out, 0, sizeof(*out));
	out->start = m->start;
	out->end = m->end;
	out->prot = m->prot;
	out->shared = m->flags & VMA_SHARED;
	out->locked = m->flags & VMA_LOCKED;
	out->anon = m->flags & VMA_ANON;
	out->dontdump = m->flags & VMA_DONTDUMP;
	out->stack = m->flags & VMA_GROWSDOWN;
	out->heap = vma_is_heap(v, m);
	out->shm = m->shm != NULL;
	out->special = m->special ? m->special->name : NULL;
	if (m->shm && shm_is_sysv(m->shm)) {
		uint64_t c = shm_cookie(m->shm);

		out->sysv = true;
		out->sysv_key = (int32_t)(uint32_t)(c >> 32);
		out->sysv_id = (int)(uint32_t)c;
	}
	out->offset = m->pgoff * PAGE_SIZE;
	out->rss = vma_resident(v, m);
	out->file = m->file;
	if (out->file)
		file_get(out->file);
}

size_t vmar_maps(struct vmar *v, struct vmar_map *out, size_t max)
{
	size_t n;

	vmar_lock(v);
	n = v->nr;
	for (size_t i = 0; i < n && i < max; i++)
		fill_map(v, &v->vmas[i], &out[i]);
	vmar_unlock(v);
	return n;
}

void vmar_usage(struct vmar *v, struct vmar_usage *u)
{
	memset(u, 0, sizeof(*u));
	vmar_lock(v);
	for (size_t i = 0; i < v->nr; i++) {
		const struct vma *m = &v->vmas[i];
		uint64_t len = m->end - m->start, rss = vma_resident(v, m);

		u->size += len;
		if (m->shm)
			u->rss_shmem += rss;
		else if (m->file || m->special)
			u->rss_file += rss;	/* Linux counts the vDSO's pages as file pages */
		else
			u->rss_anon += rss;
		if (m->flags & VMA_LOCKED)
			u->locked += len;
		if (m->flags & VMA_GROWSDOWN)
			u->stack += len;
		else if ((m->prot & PROT_WRITE) && !(m->flags & VMA_SHARED))
			u->data += len;
		if ((m->prot & PROT_EXEC) && !(m->prot & PROT_WRITE) && !(m->flags & VMA_GROWSDOWN))
			u->exec += len;
	}
	vmar_unlock(v);
}
