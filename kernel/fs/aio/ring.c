// SPDX-License-Identifier: MPL-2.0
// The completion ring: frames owned by an anonymous file that io_setup
// maps shared into the caller.  The file keeps the frames alive for as long
// as a mapping or the context holds it, so a munmap of the ring by user
// space takes nothing from under the kernel (Linux then fails the
// context's calls with EINVAL: the ring id is read from user memory).
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include "fs/aio/aio.h"

struct ring_pages {
	size_t npages;
	struct frame **frames;
};

static int ring_get_page(struct file *f, uint64_t pgoff, struct frame **out)
{
	struct ring_pages *rp = f->priv;

	if (pgoff >= rp->npages)
		return -ENXIO;
	frame_get(rp->frames[pgoff]);
	*out = rp->frames[pgoff];
	return 0;
}

static void ring_pages_free(struct ring_pages *rp)
{
	for (size_t i = 0; i < rp->npages; i++)
		frame_put(rp->frames[i]);
	kfree(rp->frames);
	kfree(rp);
}

static void ring_release(struct file *f)
{
	ring_pages_free(f->priv);
}

/* Reads and writes of the file itself: Linux's aio file has no read or write either. */
static ssize_t ring_rw(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)f;
	(void)buf;
	(void)pos;
	return -EINVAL;
}

static const struct file_ops ring_ops = {
	.anon_name = "aio",
	.read = ring_rw,
	.write = ring_rw,
	.get_page = ring_get_page,
	.release = ring_release,
};

int aio_ring_create(size_t npages, struct file **out)
{
	struct ring_pages *rp = kzalloc(sizeof(*rp));
	struct file *f;

	if (!rp)
		return -ENOMEM;
	rp->frames = kzalloc(npages * sizeof(*rp->frames));
	if (!rp->frames) {
		kfree(rp);
		return -ENOMEM;
	}
	for (; rp->npages < npages; rp->npages++) {
		rp->frames[rp->npages] = frame_alloc(FRAME_ZERO);
		if (!rp->frames[rp->npages]) {
			ring_pages_free(rp);
			return -ENOMEM;
		}
	}
	f = file_alloc(&ring_ops, O_RDWR, rp);
	if (!f) {
		ring_pages_free(rp);
		return -ENOMEM;
	}
	*out = f;
	return 0;
}

static struct frame *ring_frame(struct aio_ctx *c, size_t i)
{
	struct ring_pages *rp = c->ring->priv;

	return i < rp->npages ? rp->frames[i] : NULL;
}

uint32_t aio_ring_get(struct aio_ctx *c, size_t off)
{
	uint32_t v = 0;

	(void)frame_read(ring_frame(c, 0), off, &v, sizeof(v));
	return v;
}

void aio_ring_set(struct aio_ctx *c, size_t off, uint32_t v)
{
	(void)frame_write(ring_frame(c, 0), off, &v, sizeof(v));
}

/* Events are 32 bytes after a 32-byte header: none straddles a page. */
static size_t event_offset(uint32_t slot)
{
	return sizeof(struct aio_ring) + (size_t)slot * sizeof(struct io_event);
}

void aio_ring_write_event(struct aio_ctx *c, uint32_t slot, const struct io_event *ev)
{
	size_t off = event_offset(slot);

	(void)frame_write(ring_frame(c, off / PAGE_SIZE), off % PAGE_SIZE, ev, sizeof(*ev));
}

void aio_ring_read_event(struct aio_ctx *c, uint32_t slot, struct io_event *ev)
{
	size_t off = event_offset(slot);

	(void)frame_read(ring_frame(c, off / PAGE_SIZE), off % PAGE_SIZE, ev, sizeof(*ev));
}
