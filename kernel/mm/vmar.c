// SPDX-License-Identifier: MPL-2.0
// vmar objects: creation, references, fork, sizes.
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/file.h"
#include "mm/vmar_internal.h"

#define VM_PROT_BITS	(VM_READ | VM_WRITE | VM_EXEC | VM_USER | VM_CACHE_MASK)

/*
 * Every vmar, for vmar_wrprotect_cache.  Lock order: all_lock, then a
 * vmar's lock; nobody takes all_lock with a vmar's lock held.
 */
static struct mutex all_lock = MUTEX_INIT;
static struct list_node all_vmars = LIST_INIT(all_vmars);

int vmar_create(struct vmar **out)
{
	struct vmar *v = kzalloc(sizeof(*v));

	if (!v)
		return -ENOMEM;
	v->vs = vm_space_create();
	if (!v->vs) {
		kfree(v);
		return -ENOMEM;
	}
	refcount_set(&v->refs, 1);
	mutex_init(&v->lock);
	v->mmap_base = MMAP_BASE_DEFAULT;
	v->as_limit = v->data_limit = UINT64_MAX;
	v->memlock_limit = UINT64_MAX;
	mutex_lock(&all_lock);
	list_add_tail(&all_vmars, &v->all_link);
	mutex_unlock(&all_lock);
	*out = v;
	return 0;
}

void vmar_get(struct vmar *v)
{
	refcount_inc(&v->refs);
}

void vmar_put(struct vmar *v)
{
	if (!v || !refcount_dec_and_test(&v->refs))
		return;
	mutex_lock(&all_lock);
	list_del(&v->all_link);
	mutex_unlock(&all_lock);
	vm_space_put(v->vs);
	for (size_t i = 0; i < v->nr; i++)
		vma_unref(&v->vmas[i]);
	file_put_flush();
	kfree(v->vmas);
	kfree(v);
}

struct vm_space *vmar_space(struct vmar *v)
{
	return v->vs;
}

void vmar_set_brk_base(struct vmar *v, uaddr_t base)
{
	vmar_lock(v);
	v->brk_base = ALIGN_UP(base, PAGE_SIZE);
	v->brk = v->brk_base;
	vmar_unlock(v);
}

void vmar_set_mmap_base(struct vmar *v, uaddr_t base)
{
	vmar_lock(v);
	v->mmap_base = MIN(ALIGN_DOWN(base, PAGE_SIZE), TASK_SIZE);
	vmar_unlock(v);
}

/*
 * Give dst the pages src has mapped in m.  Private pages become read-only
 * in both (copy-on-write on the next write, see fault.c); shared ones are
 * mapped as they are, except that pages of a tracked shared file mapping
 * are read-only in dst (its own write fault dirties them again), so a
 * writeback that already passed dst cannot miss them.
 */
static int fork_pages(struct vmar *src, struct vmar *dst, const struct vma *m)
{
	bool private = !(m->flags & VMA_SHARED);
	unsigned int mask = vma_wrnotify_cache(m) ? ~(unsigned int)VM_WRITE : ~0u;
	uaddr_t lo, hi;

	if (!vma_touched(m, &lo, &hi))
		return 0;
	if (private)
		vm_protect(src->vs, lo, hi - lo, vm_prot_readonly(vma_vm_prot(m->prot)));
	for (uaddr_t a = lo; a < hi; a += PAGE_SIZE) {
		struct frame *f;
		unsigned int prot;
		int err;

		if (vm_query(src->vs, a, &f, &prot))
			continue;
		err = vm_map(dst->vs, a, f, prot & VM_PROT_BITS & mask);
		frame_put(f);
		if (err)
			return err;
	}
	return 0;
}

/* Both locked; dst (not yet shared) with room for every mapping of src. */
static int fork_copy(struct vmar *src, struct vmar *dst)
{
	dst->committed = src->committed;
	for (size_t i = 0; i < src->nr; i++) {
		const struct vma *m = &src->vmas[i];
		struct vma c = *m;
		int err;

		if (m->flags & VMA_DONTFORK) {
			if (m->flags & VMA_ACCOUNT)
				dst->committed -= m->end - m->start;
			continue;
		}
		c.flags &= ~VMA_LOCKED;	/* memory locks are not inherited */
		if (m->flags & VMA_WIPEONFORK)
			c.tlo = c.thi = 0;	/* nothing touched: zero pages on demand */
		vma_ref(&c);
		vma_insert(dst, &c);
		if (m->flags & VMA_WIPEONFORK)
			continue;
		err = fork_pages(src, dst, m);
		if (err)
			return err;
	}
	dst->brk_base = src->brk_base;
	dst->brk = src->brk;
	dst->mmap_base = src->mmap_base;
	dst->as_limit = src->as_limit;
	dst->data_limit = src->data_limit;
	return 0;
}

int vmar_fork(struct vmar *src, struct vmar **out)
{
	struct vmar *dst;
	int err = vmar_create(&dst);

	if (err)
		return err;
	vmar_lock(src);
	/* dst is private to us until it is returned: src before dst cannot invert. */
	err = vmar_lock_edit(dst, src->nr);
	if (!err) {
		err = fork_copy(src, dst);
		vmar_unlock(dst);
	}
	vmar_unlock(src);
	if (err) {
		vmar_put(dst);
		return err;
	}
	*out = dst;
	return 0;
}

uint64_t vmar_virtual_size(struct vmar *v)
{
	uint64_t sum = 0;

	vmar_lock(v);
	for (size_t i = 0; i < v->nr; i++)
		sum += v->vmas[i].end - v->vmas[i].start;
	vmar_unlock(v);
	return sum;
}

uint64_t vmar_resident_size(struct vmar *v)
{
	uint64_t sum = 0;

	vmar_lock(v);
	for (size_t i = 0; i < v->nr; i++) {
		uaddr_t lo, hi;

		if (!vma_touched(&v->vmas[i], &lo, &hi))
			continue;
		for (uaddr_t a = lo; a < hi; a += PAGE_SIZE) {
			struct frame *f;
			unsigned int prot;

			if (vm_query(v->vs, a, &f, &prot) == 0) {
				frame_put(f);
				sum += PAGE_SIZE;
			}
		}
	}
	vmar_unlock(v);
	return sum;
}

bool vmar_addr_mapped(struct vmar *v, uaddr_t addr)
{
	bool mapped;

	vmar_lock(v);
	mapped = vma_find(v, addr) != NULL;
	vmar_unlock(v);
	return mapped;
}

void vmar_set_rlimits(struct vmar *v, uint64_t as_limit, uint64_t data_limit)
{
	vmar_lock(v);
	v->as_limit = as_limit;
	v->data_limit = data_limit;
	vmar_unlock(v);
}

int vmar_futex_key(struct vmar *v, uaddr_t ua, const void **obj, uint64_t *off)
{
	struct vma *m;
	int err = 0;

	vmar_lock(v);
	m = vma_find(v, ua);
	if (!m) {
		err = -EFAULT;
	} else if (!(m->flags & VMA_SHARED)) {
		*obj = v;
		*off = ua;
	} else {
		/* The shared object and the byte offset in it, whatever the address. */
		if (m->shm)
			*obj = m->shm;
		else if (m->file->inode)
			*obj = m->file->inode;
		else
			*obj = m->file;
		*off = (m->pgoff << PAGE_SHIFT) + (ua - m->start);
	}
	vmar_unlock(v);
	return err;
}

uaddr_t vmar_get_brk(struct vmar *v)
{
	uaddr_t b;

	vmar_lock(v);
	b = v->brk;
	vmar_unlock(v);
	return b;
}

/* Make m's pages of [first, last] read-only if m maps them from pc (v->lock held). */
static void wrprotect_vma(struct vmar *v, const struct vma *m, struct page_cache *pc,
			  uint64_t first, uint64_t last)
{
	uint64_t npages = (m->end - m->start) >> PAGE_SHIFT;
	uaddr_t lo, hi, a, b;

	if (!(m->prot & PROT_WRITE) || vma_wrnotify_cache(m) != pc || !vma_touched(m, &lo, &hi))
		return;
	if (last < m->pgoff || first >= m->pgoff + npages)
		return;
	a = m->start + ((MAX(first, m->pgoff) - m->pgoff) << PAGE_SHIFT);
	b = m->start + ((MIN(last, m->pgoff + npages - 1) - m->pgoff + 1) << PAGE_SHIFT);
	a = MAX(a, lo);
	b = MIN(b, hi);
	if (a < b)
		vm_protect(v->vs, a, b - a, vm_prot_readonly(vma_vm_prot(m->prot)));
}

void vmar_wrprotect_cache(struct page_cache *pc, uint64_t first, uint64_t last)
{
	struct vmar *v;

	mutex_lock(&all_lock);
	list_for_each_entry(v, &all_vmars, all_link) {
		if (!atomic_read(&v->wrnotify))
			continue;
		vmar_lock(v);
		for (size_t i = 0; i < v->nr; i++)
			wrprotect_vma(v, &v->vmas[i], pc, first, last);
		/*
		 * Not vmar_unlock: its file_put_flush could release a file and
		 * write back its cache, which would come here again under all_lock.
		 */
		mutex_unlock(&v->lock);
	}
	mutex_unlock(&all_lock);
}
