// SPDX-License-Identifier: MPL-2.0
// msync(2) as Linux's mm/msync.c: MS_SYNC writes back the file range of
// each shared file mapping in the range and waits (the file's fsync, which
// also stores the inode and flushes the device); MS_ASYNC does nothing, as
// since Linux 2.6.19 (dirty pages are tracked by the write faults and the
// flusher writes them); MS_INVALIDATE is EBUSY on a locked mapping and
// otherwise nothing (shared mappings map the cache's own frames).
#include "fs/file.h"
#include "mm/vmar_internal.h"
#include "uapi/mman.h"

/* One step over the vmas of [*start, end) (v->lock held); *sync gets a file to fsync. */
struct msync_walk {
	uaddr_t start, end;
	int flags;
	int unmapped;		/* -ENOMEM once a hole was skipped */
	struct file *sync;	/* a reference: fsync it with the lock dropped */
};

/* 1: go on, 0: done, -errno: stop with this error (v->lock held). */
static int msync_step(struct vmar *v, struct msync_walk *w)
{
	size_t i = vma_lower_bound(v, w->start);
	const struct vma *m;

	if (i >= v->nr)
		return -ENOMEM;
	m = &v->vmas[i];
	if (w->start < m->start) {
		if (w->flags == MS_ASYNC)
			return -ENOMEM;
		w->start = m->start;
		if (w->start >= w->end)
			return -ENOMEM;
		w->unmapped = -ENOMEM;
	}
	if ((w->flags & MS_INVALIDATE) && (m->flags & VMA_LOCKED))
		return -EBUSY;
	w->start = m->end;
	if ((w->flags & MS_SYNC) && m->file && (m->flags & VMA_SHARED)) {
		file_get(m->file);
		w->sync = m->file;
	}
	return w->start < w->end || w->sync ? 1 : 0;
}

static int msync_file(struct file *f)
{
	int err = 0;

	if (f->ops && f->ops->fsync)
		err = f->ops->fsync(f);
	file_put(f);
	return err;
}

int vmar_msync(struct vmar *v, uaddr_t addr, size_t len, int flags)
{
	struct msync_walk w = { .start = addr, .flags = flags };
	int err;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (addr & PAGE_MASK_LOW)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	w.end = addr + len;
	if (w.end < addr)
		return -ENOMEM;
	if (w.end == addr)
		return 0;
	do {
		vmar_lock(v);
		err = msync_step(v, &w);
		vmar_unlock(v);
		/* The writeback write-protects the pages in every vmar, v too: unlocked. */
		if (w.sync) {
			int e = msync_file(w.sync);

			w.sync = NULL;
			if (e)
				return e;
			if (err == 1 && w.start >= w.end)
				err = 0;
		}
	} while (err == 1);
	return err ? err : w.unmapped;
}
