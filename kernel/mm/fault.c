// SPDX-License-Identifier: MPL-2.0
// Demand paging and copy-on-write: the page-fault path of a vmar, and the
// resolver frame calls when a kernel copy to/from user memory faults.
#include <aster/boot.h>
#include "fs/file.h"
#include "mm/page_cache.h"
#include "mm/vmar_internal.h"
#include "process/process.h"

#define VM_PROT_BITS	(VM_READ | VM_WRITE | VM_EXEC | VM_USER | VM_CACHE_MASK)

unsigned int vma_vm_prot(unsigned int prot)
{
	unsigned int p = VM_USER;

	if (prot & PROT_READ)
		p |= VM_READ;
	if (prot & PROT_WRITE)
		p |= VM_WRITE;
	if (prot & PROT_EXEC)
		p |= VM_EXEC;
	/* PROT_NONE is VM_USER alone: the frame is kept, nobody can reach it. */
	return p;
}

unsigned int vm_prot_readonly(unsigned int vmprot)
{
	if (!(vmprot & (VM_READ | VM_WRITE | VM_EXEC)))
		return vmprot;	/* no access stays no access */
	return (vmprot & ~(unsigned int)VM_WRITE) | VM_READ;
}

static bool prot_allows(unsigned int prot, unsigned int access)
{
	if (access == VM_WRITE)
		return prot & PROT_WRITE;
	if (access == VM_EXEC)
		return prot & PROT_EXEC;
	return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

/* The backing frame of page `page` of m, with a reference for the caller. */
static int vma_fetch(const struct vma *m, uaddr_t page, struct frame **out)
{
	uint64_t pgoff = m->pgoff + ((page - m->start) >> PAGE_SHIFT);

	if (m->special) {
		if (pgoff >= m->special->npages)
			return -ENXIO;	/* past the object: SIGBUS, as Linux's special fault */
		frame_get(m->special->frames[pgoff]);
		*out = m->special->frames[pgoff];
		return 0;
	}
	if (m->shm)
		return shm_get_page(m->shm, pgoff, out);
	if (m->file)
		return m->file->ops->get_page(m->file, pgoff, out);
	*out = frame_alloc(FRAME_ZERO);
	return *out ? 0 : -ENOMEM;
}

/* A private copy of f (the caller's reference on f is dropped). */
static int frame_private_copy(struct frame **f)
{
	struct frame *copy = frame_alloc(0);

	if (!copy) {
		frame_put(*f);
		return -ENOMEM;
	}
	frame_copy(copy, *f);
	frame_put(*f);
	*f = copy;
	return 0;
}

struct page_cache *vma_wrnotify_cache(const struct vma *m)
{
	if (!m->file || !m->file->ops || !m->file->ops->page_cache)
		return NULL;
	if (!(m->flags & VMA_SHARED) || !(m->flags & VMA_MAYWRITE))
		return NULL;
	return m->file->ops->page_cache(m->file);
}

/*
 * The first store to a clean page of a shared file mapping (Linux's
 * page_mkwrite): the page becomes dirty in the cache before it is mapped
 * writable, and v is marked as one writeback must write-protect.
 */
static void fault_mkwrite(struct vmar *v, const struct vma *m, struct page_cache *pc,
			  uaddr_t page)
{
	atomic_set(&v->wrnotify, 1);
	page_cache_mark_dirty(pc, m->pgoff + ((page - m->start) >> PAGE_SHIFT));
}

/*
 * The protection of a shared page given its current one: a tracked page
 * (vma_wrnotify_cache) stays read-only until a write fault dirties it.
 */
static unsigned int shared_prot(struct vmar *v, const struct vma *m, uaddr_t page,
				unsigned int access, unsigned int cur)
{
	unsigned int full = vma_vm_prot(m->prot);
	struct page_cache *pc = vma_wrnotify_cache(m);

	if (!pc || !(full & VM_WRITE) || (cur & VM_WRITE))
		return full;
	if (access != VM_WRITE)
		return vm_prot_readonly(full);
	fault_mkwrite(v, m, pc, page);
	return full;
}

/* Nothing mapped at page: map its frame as the access needs. */
static int fault_missing(struct vmar *v, struct vma *m, uaddr_t page, unsigned int access)
{
	unsigned int prot = vma_vm_prot(m->prot);
	struct frame *f;
	int err = vma_fetch(m, page, &f);

	if (err)
		return err;
	if (m->file && (m->flags & VMA_SHARED))
		prot = shared_prot(v, m, page, access, 0);
	if ((m->file || m->special) && !(m->flags & VMA_SHARED)) {
		/* Private file or special page: share its frame until the first write. */
		if (access == VM_WRITE)
			err = frame_private_copy(&f);
		else
			prot = vm_prot_readonly(prot);
		if (err)
			return err;
	}
	err = vm_map(v->vs, page, f, prot);
	frame_put(f);
	vma_touch(m, page);
	if (!(m->flags & VMA_SHARED) && ((!m->file && !m->special) || access == VM_WRITE))
		m->flags |= VMA_ANON;
	return err;
}

/*
 * A mapped page refused the access (or a racing fault mapped it first).
 * Private pages are read-only while their frame may be shared (fork, the
 * file's cache): a write takes the frame if it is ours alone (the mapping's
 * reference and vm_query's), else copies it.
 */
static int fault_present(struct vmar *v, struct vma *m, uaddr_t page, unsigned int access,
			 struct frame *f, unsigned int cur)
{
	unsigned int full = vma_vm_prot(m->prot);
	bool alone = frame_refcount(f) <= 2;
	int err;

	cur &= VM_PROT_BITS;
	if (m->flags & VMA_SHARED) {
		frame_put(f);
		if (m->file)
			full = shared_prot(v, m, page, access, cur);
		return cur == full ? 0 : vm_protect(v->vs, page, PAGE_SIZE, full);
	}
	/* A special page's frame always has the kernel's reference too: never alone. */
	if (alone && !m->special && !(m->file && access != VM_WRITE)) {
		frame_put(f);
		return cur == full ? 0 : vm_protect(v->vs, page, PAGE_SIZE, full);
	}
	if (access != VM_WRITE) {
		frame_put(f);
		full = vm_prot_readonly(full);
		return cur == full ? 0 : vm_protect(v->vs, page, PAGE_SIZE, full);
	}
	err = frame_private_copy(&f);
	if (err)
		return err;
	m->flags |= VMA_ANON;
	err = vm_map(v->vs, page, f, full);
	frame_put(f);
	return err;
}

/* A fault just below a MAP_GROWSDOWN mapping extends it down to the page. */
static struct vma *grow_stack(struct vmar *v, uaddr_t page)
{
	size_t i = vma_lower_bound(v, page);
	struct vma *m;

	if (i >= v->nr)
		return NULL;
	m = &v->vmas[i];
	if (!(m->flags & VMA_GROWSDOWN) || m->start - page > STACK_GROW_MAX)
		return NULL;
	if (i > 0 && v->vmas[i - 1].end + PAGE_SIZE > page)
		return NULL;	/* keep a guard page to the mapping below */
	if (!vmar_may_map(v, m->start - page))
		return NULL;
	/* The stack is not data: only the overcommit limit applies (RLIMIT_STACK bounds it). */
	if (m->flags & VMA_ACCOUNT) {
		if (v->committed + (m->start - page) > vmar_commit_limit())
			return NULL;
		v->committed += m->start - page;
	}
	m->start = page;
	return m;
}

int vmar_fault_locked(struct vmar *v, uaddr_t addr, unsigned int access, bool present)
{
	uaddr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	struct vma *m;
	struct frame *f;
	unsigned int cur;

	if (addr >= TASK_SIZE)
		return -EFAULT;
	m = vma_find(v, page);
	if (!m)
		m = grow_stack(v, page);
	if (!m)
		return -EFAULT;
	if (!prot_allows(m->prot, access))
		return -EACCES;	/* mapped, but not for this access: SEGV_ACCERR */
	(void)present;	/* vm_query below is the truth (a racing fault may have mapped it) */
	if (vm_query(v->vs, page, &f, &cur))
		return fault_missing(v, m, page, access);
	return fault_present(v, m, page, access, f, cur);
}

int vmar_handle_fault(struct vmar *v, const struct vm_fault *vf)
{
	int err;

	vmar_lock(v);
	err = vmar_fault_locked(v, vf->addr, vf->access, vf->present);
	vmar_unlock(v);
	return err;
}

void vmar_populate_locked(struct vmar *v, uaddr_t start, uaddr_t end)
{
	for (uaddr_t a = start; a < end; a += PAGE_SIZE) {
		struct vma *m = vma_find(v, a);
		unsigned int access;

		if (!m || m->prot == PROT_NONE)
			continue;
		access = (m->prot & PROT_WRITE) && !(m->flags & VMA_SHARED) ? VM_WRITE : VM_READ;
		if (vmar_fault_locked(v, a, access, false) == -ENOMEM)
			return;
	}
}

int vm_move_pages(struct vmar *v, uaddr_t from, uaddr_t to, size_t len)
{
	int ret = 0;

	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		struct frame *f;
		unsigned int prot;
		int err;

		if (vm_query(v->vs, from + off, &f, &prot))
			continue;
		err = vm_map(v->vs, to + off, f, prot & VM_PROT_BITS);
		frame_put(f);
		if (err)
			ret = err;
	}
	vm_unmap(v->vs, from, len);
	return ret;
}

/* ---- the uaccess resolver ---- */

static struct vmar *kernel_current;

void vmar_set_kernel_current(struct vmar *v)
{
	kernel_current = v;
}

struct vmar *vmar_current(void)
{
	struct process *p = current_process();

	if (p && p->vmar)
		return p->vmar;
	return kernel_current;
}

static int uaccess_resolver(const struct vm_fault *vf)
{
	struct vmar *v = vmar_current();
	int err;

	if (!v)
		return -EFAULT;
	err = vmar_handle_fault(v, vf);
	if (!err)
		thread_count_fault();	/* Linux counts the faults of kernel copies too */
	return err;
}

int vmar_init(void)
{
	vm_set_fault_handler(uaccess_resolver);
	return 0;
}
KERNEL_INIT(vmar_init);
