// SPDX-License-Identifier: MPL-2.0
// Access to another address space's memory for ptrace, process_vm_readv/
// writev and /proc/PID/mem (Linux's access_remote_vm): pages are faulted
// in as the access needs, and a forced write (ptrace's POKETEXT) to a
// private read-only mapping breaks copy-on-write the way Linux's FOLL_FORCE
// does: the page gets a private copy and stays read-only for the program.
#include <aster/errno.h>
#include <aster/frame.h>
#include "uapi/mman.h"
#include "mm/vmar_internal.h"

/* May this access reach mapping m?  force: ptrace's view (Linux's FOLL_FORCE). */
static bool access_allowed(const struct vma *m, bool write, bool force)
{
	if (m->prot == PROT_NONE)
		return false;
	if (!write)
		return force || (m->prot & PROT_READ);
	if (m->prot & PROT_WRITE)
		return true;
	/* A forced write only to a private (copy-on-write) mapping. */
	return force && !(m->flags & VMA_SHARED);
}

/* The frame now mapped at page, faulted in for reading if need be (referenced). */
static int page_frame(struct vmar *v, const struct vma *m, uaddr_t page, struct frame **f,
		      unsigned int *cur)
{
	unsigned int access = (m->prot & (PROT_READ | PROT_WRITE)) ? VM_READ : VM_EXEC;
	int err;

	if (!vm_query(v->vs, page, f, cur))
		return 0;
	err = vmar_fault_locked(v, page, access, false);
	if (err)
		return err;
	return vm_query(v->vs, page, f, cur) ? -EFAULT : 0;
}

/*
 * A forced write to a read-only private page: give the mapping its own
 * copy (unless the frame is already ours alone: the mapping's reference
 * and vm_query's), mapped with the same read-only protection.
 */
static int force_cow(struct vmar *v, uaddr_t page, struct frame **f, unsigned int cur)
{
	struct frame *copy;
	int err;

	if (frame_refcount(*f) <= 2)
		return 0;
	copy = frame_alloc(0);
	if (!copy)
		return -ENOMEM;
	frame_copy(copy, *f);
	err = vm_map(v->vs, page, copy, cur & (VM_READ | VM_WRITE | VM_EXEC | VM_USER | VM_CACHE_MASK));
	if (err) {
		frame_put(copy);
		return err;
	}
	frame_put(*f);
	*f = copy;
	return 0;
}

/* One page's part of an access; v is locked. 0 or -errno. */
static int access_page(struct vmar *v, uaddr_t a, void *buf, size_t n, bool write, bool force)
{
	uaddr_t page = ALIGN_DOWN(a, PAGE_SIZE);
	struct vma *m = vma_find(v, page);
	struct frame *f;
	unsigned int cur;
	int err;

	if (!m || !access_allowed(m, write, force))
		return -EFAULT;
	if (write && (m->prot & PROT_WRITE)) {
		err = vmar_fault_locked(v, page, VM_WRITE, false);
		if (err)
			return err;
		if (vm_query(v->vs, page, &f, &cur))
			return -EFAULT;
	} else {
		err = page_frame(v, m, page, &f, &cur);
		if (err)
			return err;
		if (write) {
			err = force_cow(v, page, &f, cur);
			if (!(m->flags & VMA_SHARED))
				m->flags |= VMA_ANON;
		}
	}
	if (!err)
		err = write ? frame_write(f, a - page, buf, n) : frame_read(f, a - page, buf, n);
	frame_put(f);
	return err;
}

long vmar_access(struct vmar *v, uaddr_t addr, void *buf, size_t len, bool write, bool force)
{
	uint8_t *p = buf;
	size_t done = 0;
	int err = 0;

	vmar_lock(v);
	while (done < len) {
		uaddr_t a = addr + done;
		size_t n = MIN(len - done, PAGE_SIZE - a % PAGE_SIZE);

		if (a < addr || !user_addr_ok(a) || a >= TASK_SIZE) {
			err = -EFAULT;
			break;
		}
		err = access_page(v, a, p + done, n, write, force);
		if (err)
			break;
		done += n;
	}
	vmar_unlock(v);
	if (done)
		return (long)done;
	return err == -ENOMEM ? -ENOMEM : -EFAULT;
}
