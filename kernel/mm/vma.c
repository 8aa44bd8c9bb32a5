// SPDX-License-Identifier: MPL-2.0
// The sorted array of mappings of a vmar: search, insert, split, unmap, merge.
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include "fs/file.h"
#include "mm/vmar_internal.h"

size_t vma_lower_bound(const struct vmar *v, uaddr_t addr)
{
	size_t lo = 0, hi = v->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->vmas[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct vma *vma_find(struct vmar *v, uaddr_t addr)
{
	size_t i = vma_lower_bound(v, addr);

	if (i < v->nr && v->vmas[i].start <= addr)
		return &v->vmas[i];
	return NULL;
}

bool vma_range_free(const struct vmar *v, uaddr_t start, uaddr_t end)
{
	size_t i = vma_lower_bound(v, start);

	return i == v->nr || v->vmas[i].start >= end;
}

bool vma_range_covered(const struct vmar *v, uaddr_t start, uaddr_t end)
{
	uaddr_t at = start;

	for (size_t i = vma_lower_bound(v, start); i < v->nr && at < end; i++) {
		if (v->vmas[i].start > at)
			return false;
		at = v->vmas[i].end;
	}
	return at >= end;
}

#define DEFAULT_MAX_MAP_COUNT	65530	/* Linux's: USHRT_MAX - 5 */

static atomic_t max_map_count = { DEFAULT_MAX_MAP_COUNT };
static atomic64_t mmap_min_addr = { MMAP_MIN_ADDR };

int vm_max_map_count(void)
{
	return atomic_read(&max_map_count);
}

int vm_max_map_count_set(int v)
{
	if (v < 0)
		return -EINVAL;
	atomic_set(&max_map_count, v);
	return 0;
}

uint64_t vm_mmap_min_addr(void)
{
	return (uint64_t)atomic64_read(&mmap_min_addr);
}

void vm_mmap_min_addr_set(uint64_t v)
{
	atomic64_set(&mmap_min_addr, (int64_t)v);
}

bool vma_may_add(const struct vmar *v, size_t more)
{
	return v->nr + more <= (size_t)vm_max_map_count();
}

/* Make room for extra more vmas: the only place the array moves. */
static int vma_reserve(struct vmar *v, size_t extra)
{
	size_t want = v->nr + extra, cap;
	struct vma *n;

	if (want <= v->cap)
		return 0;
	cap = MAX(want, v->cap * 2);
	cap = MAX(cap, (size_t)8);
	n = krealloc(v->vmas, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	v->vmas = n;
	v->cap = cap;
	return 0;
}

void vmar_lock(struct vmar *v)
{
	mutex_lock(&v->lock);
}

int vmar_lock_edit(struct vmar *v, size_t room)
{
	int err;

	mutex_lock(&v->lock);
	err = vma_reserve(v, room);
	if (err) {
		mutex_unlock(&v->lock);
		return err;
	}
	v->room = room;
	return 0;
}

void vmar_unlock(struct vmar *v)
{
	v->room = 0;
	mutex_unlock(&v->lock);
	file_put_flush();
}

size_t vma_insert(struct vmar *v, const struct vma *m)
{
	size_t i = vma_lower_bound(v, m->start);

	/* An edit that inserts more than it said in vmar_lock_edit. */
	BUG_ON(v->room == 0 || v->nr >= v->cap);
	v->room--;

	memmove(&v->vmas[i + 1], &v->vmas[i], (v->nr - i) * sizeof(*m));
	v->vmas[i] = *m;
	v->nr++;
	return i;
}

void vma_remove(struct vmar *v, size_t i)
{
	memmove(&v->vmas[i], &v->vmas[i + 1], (v->nr - i - 1) * sizeof(v->vmas[0]));
	v->nr--;
}

/* A shared mapping that may write its file: memfd's F_SEAL_WRITE waits for none. */
static bool maps_writable(const struct vma *m)
{
	return m->file && (m->flags & VMA_SHARED) && (m->flags & VMA_MAYWRITE);
}

void vma_ref(struct vma *m)
{
	if (maps_writable(m))
		file_map_writable(m->file, 1);
	if (m->file)
		file_get(m->file);
	if (m->shm)
		shm_map_get(m->shm);
}

void vma_unref(struct vma *m)
{
	if (maps_writable(m))
		file_map_writable(m->file, -1);
	/* Under v->lock: the release of a last reference waits for vmar_unlock. */
	if (m->file)
		file_put_deferred(m->file);
	if (m->shm)
		shm_map_put(m->shm);
	m->file = NULL;
	m->shm = NULL;
}

static void vma_uncommit(struct vmar *v, const struct vma *m, uaddr_t start, uaddr_t end)
{
	if (m->flags & VMA_ACCOUNT)
		v->committed -= end - start;
}

/* The part of m from addr on, as its own vma (with its own references). */
static struct vma vma_tail(const struct vma *m, uaddr_t addr)
{
	struct vma t = *m;

	t.pgoff += (addr - m->start) >> PAGE_SHIFT;
	t.start = addr;
	vma_ref(&t);
	return t;
}

bool vma_splits_special(struct vmar *v, uaddr_t start, uaddr_t end)
{
	const struct vma *a = vma_find(v, start), *b = vma_find(v, end);

	return (a && a->special && a->start != start) || (b && b->special && b->start != end);
}

void vma_split_at(struct vmar *v, uaddr_t addr)
{
	struct vma *m = vma_find(v, addr);
	struct vma t;

	if (!m || m->start == addr)
		return;
	t = vma_tail(m, addr);
	m->end = addr;
	vma_insert(v, &t);
}

void vma_unmap_range(struct vmar *v, uaddr_t start, uaddr_t end)
{
	size_t i = vma_lower_bound(v, start);

	vm_unmap(v->vs, start, end - start);
	while (i < v->nr && v->vmas[i].start < end) {
		struct vma *m = &v->vmas[i];

		if (m->start < start && m->end > end) {
			struct vma t = vma_tail(m, end);

			vma_uncommit(v, m, start, end);
			m->end = start;
			vma_insert(v, &t);
			return;
		}
		if (m->start < start) {
			vma_uncommit(v, m, start, m->end);
			m->end = start;
			i++;
			continue;
		}
		if (m->end > end) {
			vma_uncommit(v, m, m->start, end);
			m->pgoff += (end - m->start) >> PAGE_SHIFT;
			m->start = end;
			return;
		}
		vma_uncommit(v, m, m->start, m->end);
		vma_unref(m);
		vma_remove(v, i);
	}
}

static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || ((a->flags ^ b->flags) & ~VMA_ANON))
		return false;
	if (a->file != b->file || a->shm != b->shm || a->special != b->special)
		return false;
	if (!mempolicy_equal(&a->pol, &b->pol))
		return false;	/* as Linux's vma_merge: mpol_equal */
	if (a->file || a->shm || a->special)
		return a->pgoff + ((a->end - a->start) >> PAGE_SHIFT) == b->pgoff;
	return true;
}

bool vma_try_merge(struct vmar *v, size_t i)
{
	struct vma *a, *b;

	if (i + 1 >= v->nr)
		return false;
	a = &v->vmas[i];
	b = &v->vmas[i + 1];
	if (!vma_mergeable(a, b))
		return false;
	a->end = b->end;
	a->flags |= b->flags & VMA_ANON;
	if (b->tlo < b->thi) {
		vma_touch(a, b->tlo);
		vma_touch(a, b->thi - PAGE_SIZE);
	}
	vma_unref(b);
	vma_remove(v, i + 1);
	return true;
}

void vma_merge_range(struct vmar *v, uaddr_t start, uaddr_t end)
{
	size_t i = vma_lower_bound(v, start);

	if (i > 0)
		i--;
	while (i + 1 < v->nr && v->vmas[i].start <= end) {
		if (!vma_try_merge(v, i))
			i++;
	}
}

int vma_find_gap(const struct vmar *v, uaddr_t lo, uaddr_t hi, size_t len, uaddr_t *out)
{
	size_t i = vma_lower_bound(v, hi);
	uaddr_t top = hi;

	/* vmas[i] (if any) ends above hi; everything before it ends at or below hi. */
	if (i < v->nr && v->vmas[i].start < top)
		top = v->vmas[i].start;
	for (;;) {
		uaddr_t bottom = i > 0 ? v->vmas[i - 1].end : lo;

		bottom = MAX(bottom, lo);
		if (top >= bottom && top - bottom >= len) {
			*out = top - len;
			return 0;
		}
		if (i == 0 || v->vmas[i - 1].end <= lo)
			return -ENOMEM;
		i--;
		top = v->vmas[i].start;
	}
}

uint64_t vmar_commit_limit(void)
{
	return (uint64_t)frames_total() * PAGE_SIZE * 2;
}

void vma_set_flag_range(struct vmar *v, uaddr_t start, uaddr_t end, unsigned int flag, bool set)
{
	vma_split_at(v, start);
	vma_split_at(v, end);
	for (size_t i = vma_lower_bound(v, start); i < v->nr && v->vmas[i].start < end; i++) {
		/* mlock passes over special mappings, as Linux's VM_SPECIAL ones. */
		if (flag == VMA_LOCKED && v->vmas[i].special)
			continue;
		if (set)
			v->vmas[i].flags |= flag;
		else
			v->vmas[i].flags &= ~flag;
	}
	vma_merge_range(v, start, end);
}

bool vmar_may_commit(const struct vmar *v, uint64_t more, bool data)
{
	uint64_t after = v->committed + more, stack = 0;

	if (after < more || after > vmar_commit_limit())
		return false;
	if (!data || v->data_limit == UINT64_MAX)
		return true;
	/* Stacks are accounted but are not data (RLIMIT_STACK is theirs). */
	for (size_t i = 0; i < v->nr; i++)
		if ((v->vmas[i].flags & (VMA_ACCOUNT | VMA_GROWSDOWN)) == (VMA_ACCOUNT | VMA_GROWSDOWN))
			stack += v->vmas[i].end - v->vmas[i].start;
	return after - stack <= v->data_limit;
}

bool vmar_may_map(const struct vmar *v, uint64_t more)
{
	uint64_t sum = more;

	if (v->as_limit == UINT64_MAX)
		return true;
	for (size_t i = 0; i < v->nr; i++)
		sum += v->vmas[i].end - v->vmas[i].start;
	return sum >= more && sum <= v->as_limit;
}
