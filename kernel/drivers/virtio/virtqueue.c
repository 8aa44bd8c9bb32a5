// SPDX-License-Identifier: MPL-2.0
// Split virtqueues (virtio 1.1, 2.6): the descriptor table, the available
// ring we write and the used ring the device writes, each in coherent DMA
// memory.  What the device writes is checked before it is believed.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "drivers/virtio/virtio_internal.h"

#define DESC_SIZE	16
#define USED_ELEM	8

int vq_create(struct pci_device *dma_dev, uint16_t size, struct virtqueue **out)
{
	struct virtqueue *vq;
	int err;

	if (size == 0 || (size & (size - 1)))
		return -EINVAL;
	vq = kzalloc(sizeof(*vq));
	if (!vq)
		return -ENOMEM;
	vq->size = size;
	vq->tokens = kcalloc(size, sizeof(*vq->tokens));
	vq->next = kcalloc(size, sizeof(*vq->next));
	vq->ndescs = kcalloc(size, sizeof(*vq->ndescs));
	vq->wlen = kcalloc(size, sizeof(*vq->wlen));
	err = (!vq->tokens || !vq->next || !vq->ndescs || !vq->wlen) ? -ENOMEM : 0;
	if (!err)
		err = dma_coherent_alloc(dma_dev, (size_t)DESC_SIZE * size, &vq->desc);
	if (!err)
		err = dma_coherent_alloc(dma_dev, 6 + 2 * (size_t)size, &vq->avail);
	if (!err)
		err = dma_coherent_alloc(dma_dev, 6 + (size_t)USED_ELEM * size, &vq->used);
	if (err) {
		vq_destroy(vq);
		return err;
	}
	for (uint16_t i = 0; i < size; i++)
		vq->next[i] = (uint16_t)(i + 1);
	vq->num_free = size;
	*out = vq;
	return 0;
}

void vq_destroy(struct virtqueue *vq)
{
	if (!vq)
		return;
	if (vq->desc)
		dma_coherent_free(vq->desc);
	if (vq->avail)
		dma_coherent_free(vq->avail);
	if (vq->used)
		dma_coherent_free(vq->used);
	kfree(vq->tokens);
	kfree(vq->next);
	kfree(vq->ndescs);
	kfree(vq->wlen);
	kfree(vq);
}

uint16_t vq_size(const struct virtqueue *vq)
{
	return vq->size;
}

unsigned int vq_free_descs(struct virtqueue *vq)
{
	return vq->broken ? 0 : vq->num_free;
}

void vq_break(struct virtqueue *vq, const char *why)
{
	if (vq->broken)
		return;
	vq->broken = true;
	if (vq->vdev)
		virtio_fail(vq->vdev, why);
	else
		pr_err("virtio: %s\n", why);
}

/* The device address of one buffer, or -EINVAL for a bad range. */
static int buf_addr(const struct vq_buf *b, uint64_t *addr)
{
	uint64_t limit;

	if (b->len == 0 || (!b->stream == !b->coherent))
		return -EINVAL;
	limit = b->stream ? PAGE_SIZE : dma_coherent_size(b->coherent);
	if (b->off > limit || b->len > limit - b->off)
		return -EINVAL;
	*addr = (b->stream ? dma_stream_dev_addr(b->stream) : dma_coherent_dev_addr(b->coherent)) +
		b->off;
	return 0;
}

static int chain_check(const struct vq_buf *bufs, unsigned int n, uint32_t *wlen)
{
	bool writable = false;
	uint64_t addr;

	*wlen = 0;
	for (unsigned int i = 0; i < n; i++) {
		if (buf_addr(&bufs[i], &addr))
			return -EINVAL;
		if (writable && !bufs[i].device_writes)
			return -EINVAL;
		writable = bufs[i].device_writes;
		if (writable)
			*wlen += bufs[i].len;
	}
	return 0;
}

/* One 16-bit ring entry, written as its aligned 32-bit word (we own both halves). */
static void ring_write16(struct dma_coherent *c, size_t off, uint16_t v)
{
	size_t word = off & ~(size_t)3;
	uint32_t w = dma_coherent_read32(c, word);
	unsigned int shift = (unsigned int)(off - word) * 8;

	w = (w & ~(0xffffu << shift)) | ((uint32_t)v << shift);
	dma_coherent_write32(c, word, w);
}

int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n, void *token)
{
	uint16_t head, i;
	uint32_t wlen;
	uint64_t addr;

	if (vq->broken)
		return -ENODEV;
	if (n == 0 || !token || chain_check(bufs, n, &wlen))
		return -EINVAL;
	if (n > vq->num_free)
		return -ENOSPC;
	head = i = vq->free_head;
	for (unsigned int k = 0; k < n; k++) {
		uint16_t flags = bufs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0;
		size_t d = (size_t)i * DESC_SIZE;

		if (k + 1 < n)
			flags |= VIRTQ_DESC_F_NEXT;
		buf_addr(&bufs[k], &addr);
		dma_coherent_write64(vq->desc, d, addr);
		dma_coherent_write32(vq->desc, d + 8, bufs[k].len);
		dma_coherent_write32(vq->desc, d + 12, flags | ((uint32_t)vq->next[i] << 16));
		if (k + 1 < n)
			i = vq->next[i];
	}
	vq->free_head = vq->next[i];
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->inflight++;
	vq->tokens[head] = token;
	vq->ndescs[head] = (uint16_t)n;
	vq->wlen[head] = wlen;
	ring_write16(vq->avail, 4 + 2 * (size_t)(vq->avail_idx % vq->size), head);
	smp_wmb();	/* the entry before the index that publishes it */
	vq->avail_idx++;
	dma_coherent_write32(vq->avail, 0, (uint32_t)vq->avail_idx << 16);
	return 0;
}

void vq_kick(struct virtqueue *vq)
{
	smp_mb();	/* the index before the notification */
	vq->kicks++;
	if (vq->notify && !vq->broken)
		mmio_write16(vq->notify, vq->notify_off, vq->index);
}

/* Return head's chain to the free list. */
static void *chain_free(struct virtqueue *vq, uint16_t head)
{
	void *token = vq->tokens[head];
	uint16_t i = head;

	for (uint16_t k = 1; k < vq->ndescs[head]; k++)
		i = vq->next[i];
	vq->next[i] = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + vq->ndescs[head]);
	vq->tokens[head] = NULL;
	vq->inflight--;
	return token;
}

static int misbehaved(struct virtqueue *vq, const char *fmt, unsigned int a, unsigned int b)
{
	char why[128];

	snprintf(why, sizeof(why), fmt, vq->index, a, b);
	vq_break(vq, why);
	return -EIO;
}

int vq_get_used(struct virtqueue *vq, void **token, uint32_t *len)
{
	uint16_t idx, slot;
	uint32_t id, wlen;

	if (vq->broken)
		return -ENODEV;
	idx = (uint16_t)(dma_coherent_read32(vq->used, 0) >> 16);
	if (idx == vq->last_used)
		return 0;
	if ((uint16_t)(idx - vq->last_used) > vq->inflight)
		return misbehaved(vq, "queue %u: used index jumped from %u to %u", vq->last_used,
				  idx);
	smp_rmb();	/* the index before the entries it publishes */
	slot = vq->last_used % vq->size;
	id = dma_coherent_read32(vq->used, 4 + (size_t)slot * USED_ELEM);
	wlen = dma_coherent_read32(vq->used, 8 + (size_t)slot * USED_ELEM);
	if (id >= vq->size || !vq->tokens[id])
		return misbehaved(vq, "queue %u: used id %u is not in flight (slot %u)", id, slot);
	if (wlen > vq->wlen[id])
		return misbehaved(vq, "queue %u: used length %u exceeds the %u bytes offered",
				  wlen, vq->wlen[id]);
	vq->last_used++;
	*len = wlen;
	*token = chain_free(vq, (uint16_t)id);
	return 1;
}

int vq_drain(struct virtqueue *vq, void **token)
{
	for (uint16_t i = 0; i < vq->size; i++) {
		if (vq->tokens[i]) {
			*token = chain_free(vq, i);
			return 1;
		}
	}
	return 0;
}
