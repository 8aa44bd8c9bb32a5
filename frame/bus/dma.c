// SPDX-License-Identifier: MPL-2.0
// DMA buffers on top of the frame allocator: coherent buffers are segments
// (physically contiguous), streaming mappings hold a frame reference.
// Without an IOMMU the device address is the physical address.  Handles are
// type-stable records (never freed, reused) so a stale handle is refused
// rather than touching memory.
#include <aster/dma.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "../mm/mm_internal.h"

struct dma_coherent {
	struct dma_coherent *next;
	bool used;
	struct segment *seg;
	size_t size;
	uint8_t *cpu;
	uint64_t dev_addr;
};

struct dma_stream {
	struct dma_stream *next;
	bool used;
	struct frame *frame;
	enum dma_direction dir;
	uint64_t dev_addr;
};

static struct dma_coherent *coherent_records;
static struct dma_stream *stream_records;
static spinlock_t dma_lock = SPINLOCK_INIT;

/* An unused coherent record, or a new one; NULL without memory. */
static struct dma_coherent *coherent_record(void)
{
	struct dma_coherent *spare = kzalloc(sizeof(*spare)), *r;
	irqflags_t flags = spin_lock_irqsave(&dma_lock);

	for (r = coherent_records; r && r->used; r = r->next)
		;
	if (!r && spare) {
		spare->next = coherent_records;
		coherent_records = r = spare;
	}
	if (r)
		r->used = true;
	spin_unlock_irqrestore(&dma_lock, flags);
	if (r != spare)
		kfree(spare);
	return r;
}

int dma_coherent_alloc(struct pci_device *dev, size_t size, struct dma_coherent **out)
{
	size_t nframes = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	struct dma_coherent *r;
	struct segment *seg;

	if (!dev || size == 0 || nframes == 0)
		return -EINVAL;
	seg = segment_alloc(nframes, FRAME_ZERO);
	if (!seg)
		return -ENOMEM;
	r = coherent_record();
	if (!r) {
		segment_put(seg);
		return -ENOMEM;
	}
	r->seg = seg;
	r->size = size;
	/* Contiguous frames are contiguous in the direct map too. */
	r->cpu = frame_kernel_addr(frame_meta_of(segment_frame(seg, 0)));
	r->dev_addr = segment_phys(seg);
	*out = r;
	return 0;
}

void dma_coherent_free(struct dma_coherent *buf)
{
	struct segment *seg = NULL;
	irqflags_t flags;

	if (!buf)
		return;
	flags = spin_lock_irqsave(&dma_lock);
	if (buf->used)
		seg = buf->seg;
	buf->used = false;
	buf->seg = NULL;
	buf->size = 0;
	spin_unlock_irqrestore(&dma_lock, flags);
	if (seg)
		segment_put(seg);
	else
		pr_warn("dma: freeing a buffer that is not allocated\n");
}

uint64_t dma_coherent_dev_addr(const struct dma_coherent *buf)
{
	return buf && buf->used ? buf->dev_addr : 0;
}

size_t dma_coherent_size(const struct dma_coherent *buf)
{
	return buf && buf->used ? buf->size : 0;
}

static bool range_ok(const struct dma_coherent *b, size_t off, size_t len)
{
	return b && b->used && off <= b->size && len <= b->size - off;
}

int dma_coherent_read(struct dma_coherent *buf, size_t off, void *dst, size_t len)
{
	if (!range_ok(buf, off, len))
		return -EINVAL;
	smp_rmb();	/* see what the device wrote before it signalled us */
	memcpy(dst, buf->cpu + off, len);
	return 0;
}

int dma_coherent_write(struct dma_coherent *buf, size_t off, const void *src, size_t len)
{
	if (!range_ok(buf, off, len))
		return -EINVAL;
	memcpy(buf->cpu + off, src, len);
	smp_wmb();	/* visible before a later doorbell write */
	return 0;
}

uint32_t dma_coherent_read32(struct dma_coherent *buf, size_t off)
{
	if (!range_ok(buf, off, 4) || (off & 3))
		return 0xffffffff;
	return *(volatile uint32_t *)(buf->cpu + off);
}

uint64_t dma_coherent_read64(struct dma_coherent *buf, size_t off)
{
	if (!range_ok(buf, off, 8) || (off & 7))
		return ~0ULL;
	return *(volatile uint64_t *)(buf->cpu + off);
}

int dma_coherent_write32(struct dma_coherent *buf, size_t off, uint32_t v)
{
	if (!range_ok(buf, off, 4) || (off & 3))
		return -EINVAL;
	*(volatile uint32_t *)(buf->cpu + off) = v;
	return 0;
}

int dma_coherent_write64(struct dma_coherent *buf, size_t off, uint64_t v)
{
	if (!range_ok(buf, off, 8) || (off & 7))
		return -EINVAL;
	*(volatile uint64_t *)(buf->cpu + off) = v;
	return 0;
}

/* ---- Streaming ---- */

int dma_map_frame(struct pci_device *dev, struct frame *f, enum dma_direction dir,
		  struct dma_stream **out)
{
	struct dma_stream *spare, *s;
	irqflags_t flags;

	if (!dev || !f || dir < DMA_TO_DEVICE || dir > DMA_BIDIRECTIONAL)
		return -EINVAL;
	spare = kzalloc(sizeof(*spare));
	flags = spin_lock_irqsave(&dma_lock);
	for (s = stream_records; s && s->used; s = s->next)
		;
	if (!s && spare) {
		spare->next = stream_records;
		stream_records = s = spare;
	}
	if (s) {
		frame_get(f);	/* the device may use it until dma_unmap */
		s->used = true;
		s->frame = f;
		s->dir = dir;
		s->dev_addr = frame_phys(frame_meta_of(f));
		*out = s;
	}
	spin_unlock_irqrestore(&dma_lock, flags);
	if (s != spare)
		kfree(spare);
	if (!s)
		return -ENOMEM;
	dma_sync_for_device(s);
	return 0;
}

void dma_unmap(struct dma_stream *s)
{
	struct frame *f = NULL;
	irqflags_t flags;

	if (!s)
		return;
	dma_sync_for_cpu(s);
	flags = spin_lock_irqsave(&dma_lock);
	if (s->used) {
		f = s->frame;
		s->used = false;
		s->frame = NULL;
	}
	spin_unlock_irqrestore(&dma_lock, flags);
	if (f)
		frame_put(f);
}

uint64_t dma_stream_dev_addr(const struct dma_stream *s)
{
	return s && s->used ? s->dev_addr : 0;
}

void dma_sync_for_device(struct dma_stream *s)
{
	(void)s;
	smp_wmb();
}

void dma_sync_for_cpu(struct dma_stream *s)
{
	(void)s;
	smp_rmb();
}
