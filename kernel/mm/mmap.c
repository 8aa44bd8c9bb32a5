// SPDX-License-Identifier: MPL-2.0
// mmap and munmap with Linux semantics (mm/mmap.c and mmap(2) are the oracle).
#include "fs/file.h"
#include "mm/vmar_internal.h"
#include "process/capability.h"

/* The flags Linux's MAP_SHARED_VALIDATE knows (LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | \
			 MAP_EXECUTABLE | 0x4000000 /* MAP_UNINITIALIZED */ | MAP_GROWSDOWN | \
			 MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | \
			 MAP_HUGETLB)

struct mmap_req {
	uaddr_t addr;
	size_t len;		/* page-aligned */
	int prot, flags;
	struct file *file;
	uint64_t pgoff;
	unsigned int vflags;	/* VMA_* */
};

static bool file_readable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool file_writable(const struct file *f)
{
	unsigned int mode = f->flags & O_ACCMODE;

	return mode == O_WRONLY || mode == O_RDWR;
}

/* The MAP_TYPE and file checks of do_mmap; sets VMA_SHARED/VMA_MAYWRITE. */
static int check_file_mapping(struct mmap_req *r)
{
	int type = r->flags & MAP_TYPE;
	bool maywrite;
	int err;

	switch (type) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		if (type == MAP_SHARED_VALIDATE && (r->flags & ~LEGACY_MAP_MASK))
			return -EOPNOTSUPP;
		if ((r->prot & PROT_WRITE) && !file_writable(r->file))
			return -EACCES;
		r->vflags |= VMA_SHARED;
		break;
	case MAP_PRIVATE:
		break;
	default:
		return -EINVAL;
	}
	maywrite = file_writable(r->file);
	if (!file_readable(r->file))
		return -EACCES;
	if (!r->file->ops || !r->file->ops->get_page)
		return -ENODEV;
	/* noexec mounts, memfd seals. */
	err = file_mmap_check(r->file, r->prot, r->vflags & VMA_SHARED, &maywrite);
	if (err)
		return err;
	if (maywrite)
		r->vflags |= VMA_MAYWRITE;
	return 0;
}

static int check_anon_mapping(struct mmap_req *r)
{
	int type = r->flags & MAP_TYPE;

	switch (type) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		if (type == MAP_SHARED_VALIDATE && (r->flags & ~LEGACY_MAP_MASK))
			return -EOPNOTSUPP;
		if (r->flags & MAP_GROWSDOWN)
			return -EINVAL;
		r->vflags |= VMA_SHARED | VMA_MAYWRITE;
		r->pgoff = 0;
		return 0;
	case MAP_PRIVATE:
		r->pgoff = 0;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Pick the address (MAP_FIXED: check it); v->lock held. */
static int place(struct vmar *v, struct mmap_req *r)
{
	uaddr_t hint = ALIGN_UP(r->addr, PAGE_SIZE);

	if (r->flags & MAP_FIXED) {
		if (r->addr & PAGE_MASK_LOW)
			return -EINVAL;
		if (r->addr > TASK_SIZE - r->len)
			return -ENOMEM;
		/* Linux's cap_mmap_addr. */
		if (r->addr < vm_mmap_min_addr() && !capable(CAP_SYS_RAWIO))
			return -EPERM;
		if ((r->flags & MAP_FIXED_NOREPLACE) &&
		    !vma_range_free(v, r->addr, r->addr + r->len))
			return -EEXIST;
		return 0;
	}
	if (hint && hint >= MMAP_FLOOR && hint <= TASK_SIZE - r->len &&
	    vma_range_free(v, hint, hint + r->len)) {
		r->addr = hint;
		return 0;
	}
	if (r->flags & MAP_32BIT)
		return vma_find_gap(v, 0x40000000, 0x80000000, r->len, &r->addr);
	if (vma_find_gap(v, MMAP_FLOOR, v->mmap_base, r->len, &r->addr) == 0)
		return 0;
	return vma_find_gap(v, MMAP_FLOOR, TASK_SIZE, r->len, &r->addr);
}

static bool needs_account(int prot, unsigned int vflags, int flags)
{
	return (prot & PROT_WRITE) && !(vflags & VMA_SHARED) && !(flags & MAP_NORESERVE);
}

/* Build and insert the vma for r at r->addr; v->lock held, room reserved. */
static void install(struct vmar *v, const struct mmap_req *r, struct shm *shm)
{
	struct vma m = {
		.start = r->addr,
		.end = r->addr + r->len,
		.prot = (unsigned int)r->prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
		.flags = r->vflags,
		.file = r->file,
		.shm = shm,
		.pgoff = r->pgoff,
	};

	if (r->flags & MAP_GROWSDOWN)
		m.flags |= VMA_GROWSDOWN;
	if (needs_account(r->prot, r->vflags, r->flags)) {
		m.flags |= VMA_ACCOUNT;
		v->committed += r->len;
	}
	if (m.file && (m.flags & VMA_SHARED) && (m.flags & VMA_MAYWRITE))
		file_map_writable(m.file, 1);
	if (m.file)
		file_get(m.file);
	vma_insert(v, &m);
	vma_merge_range(v, m.start, m.end);
}

/* given: the shared object to map (shmat), or NULL. */
static int mmap_locked(struct vmar *v, struct mmap_req *r, struct shm *given)
{
	struct shm *shm = NULL;
	bool lock = (r->flags & MAP_LOCKED) || v->lock_future;
	int err = place(v, r);

	if (err)
		return err;
	if (needs_account(r->prot, r->vflags, r->flags) &&
	    !vmar_may_commit(v, r->len, !(r->flags & MAP_GROWSDOWN)))
		return -ENOMEM;
	if (!vmar_may_map(v, r->len))
		return -ENOMEM;
	if (given) {
		shm_map_get(given);
		shm = given;
	} else if (!r->file && (r->vflags & VMA_SHARED)) {
		err = shm_create(r->len >> PAGE_SHIFT, &shm);
		if (err)
			return err;
	}
	if (lock && !vmar_lock_new_mapping(v, r->len)) {
		if (shm)
			shm_map_put(shm);
		return -EAGAIN;	/* Linux's answer past RLIMIT_MEMLOCK here */
	}
	if ((r->flags & MAP_FIXED) && vma_splits_special(v, r->addr, r->addr + r->len)) {
		if (shm)
			shm_map_put(shm);
		return -EINVAL;
	}
	if (r->flags & MAP_FIXED)
		vma_unmap_range(v, r->addr, r->addr + r->len);
	if (lock)
		r->vflags |= VMA_LOCKED;
	install(v, r, shm);
	if ((r->flags & MAP_POPULATE) || (lock && !v->lock_onfault))
		vmar_populate_locked(v, r->addr, r->addr + r->len);
	return 0;
}

int vmar_mmap(struct vmar *v, uaddr_t addr, size_t len, int prot, int flags,
	      struct file *file, uint64_t off, uaddr_t *out)
{
	struct mmap_req r = { .addr = addr, .prot = prot, .flags = flags, .file = file };
	int err;

	if (!len)
		return -EINVAL;
	if (len > TASK_SIZE)
		return -ENOMEM;
	if (off & PAGE_MASK_LOW)
		return -EINVAL;
	r.len = ALIGN_UP(len, PAGE_SIZE);
	r.pgoff = off >> PAGE_SHIFT;
	if (r.pgoff + (r.len >> PAGE_SHIFT) < r.pgoff)
		return -EOVERFLOW;
	if (r.flags & MAP_FIXED_NOREPLACE)
		r.flags |= MAP_FIXED;
	if (r.flags & MAP_ANONYMOUS)
		r.file = NULL;
	err = r.file ? check_file_mapping(&r) : check_anon_mapping(&r);
	if (err)
		return err;
	/* A MAP_FIXED unmap may split one mapping, and the new one goes in. */
	err = vmar_lock_edit(v, 2);
	if (err)
		return err;
	/* Linux's do_mmap: past vm/max_map_count (it may go one over). */
	err = vma_may_add(v, 0) ? mmap_locked(v, &r, NULL) : -ENOMEM;
	vmar_unlock(v);
	if (!err)
		*out = r.addr;
	return err;
}

/* Does [start, end) lie strictly inside one mapping (an unmap makes two of it)? */
static bool splits_one(struct vmar *v, uaddr_t start, uaddr_t end)
{
	const struct vma *m = vma_find(v, start);

	return m && m->start < start && m->end > end;
}

int vmar_munmap(struct vmar *v, uaddr_t addr, size_t len)
{
	int err;

	if ((addr & PAGE_MASK_LOW) || addr > TASK_SIZE || len > TASK_SIZE - addr)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return -EINVAL;
	err = vmar_lock_edit(v, 1);
	if (err)
		return err;
	if (vma_splits_special(v, addr, addr + len))
		err = -EINVAL;
	else if (splits_one(v, addr, addr + len) && !vma_may_add(v, 1))
		err = -ENOMEM;	/* Linux's do_vmi_align_munmap, past vm/max_map_count */
	else
		vma_unmap_range(v, addr, addr + len);
	vmar_unlock(v);
	return err;
}

int vmar_shmat(struct vmar *v, struct shm *s, uaddr_t addr, size_t len, int prot, bool fixed,
	       bool remap, uaddr_t *out)
{
	struct mmap_req r = { .addr = addr, .prot = prot, .flags = MAP_SHARED };
	int err;

	r.len = ALIGN_UP(len, PAGE_SIZE);
	if (!r.len || r.len > TASK_SIZE)
		return -ENOMEM;
	r.vflags = VMA_SHARED | ((prot & PROT_WRITE) ? VMA_MAYWRITE : 0);
	if (fixed)
		r.flags |= MAP_FIXED;
	err = vmar_lock_edit(v, 2);
	if (err)
		return err;
	/* Linux's do_shmat: without SHM_REMAP an attach never replaces a mapping. */
	if (fixed && !remap && (addr + r.len < addr || !vma_range_free(v, addr, addr + r.len)))
		err = -EINVAL;
	else
		err = mmap_locked(v, &r, s);
	vmar_unlock(v);
	if (!err)
		*out = r.addr;
	return err;
}

/* The first System V attachment at or after addr that starts its segment's mapping at addr. */
static struct vma *shm_attachment(struct vmar *v, uaddr_t addr, const struct shm *only)
{
	for (size_t i = vma_lower_bound(v, addr); i < v->nr; i++) {
		struct vma *m = &v->vmas[i];

		if (only && m->shm != only)
			continue;
		if (m->shm && shm_is_sysv(m->shm) && m->start >= addr &&
		    (m->start - addr) >> PAGE_SHIFT == m->pgoff)
			return m;
	}
	return NULL;
}

/*
 * Linux's shmdt: the first attachment found at or after addr goes, and
 * with it the other pieces of the same segment (left by mprotect or
 * munmap) that lie within the segment's size from addr.
 */
int vmar_shmdt(struct vmar *v, uaddr_t addr)
{
	struct vma *m;
	struct shm *s;
	uint64_t size;
	int err;

	if (addr & PAGE_MASK_LOW)
		return -EINVAL;
	err = vmar_lock_edit(v, 1);
	if (err)
		return err;
	m = shm_attachment(v, addr, NULL);
	if (!m) {
		vmar_unlock(v);
		return -EINVAL;
	}
	s = m->shm;
	size = (uint64_t)shm_npages(s) << PAGE_SHIFT;
	/* Our reference keeps s valid while its vmas go. */
	shm_get(s);
	vma_unmap_range(v, m->start, m->end);
	while ((m = shm_attachment(v, addr, s)) && m->end - addr <= size)
		vma_unmap_range(v, m->start, m->end);
	shm_put(s);
	vmar_unlock(v);
	return 0;
}
