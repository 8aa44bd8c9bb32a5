// SPDX-License-Identifier: MPL-2.0
// ktests of the split virtqueue with no device behind it: the test plays
// the device by writing the used ring, honestly and then with each lie
// the queue must catch (an index that jumps, an id not in flight, a
// length beyond what was offered).
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/pci.h>
#include "drivers/virtio/virtio_internal.h"

static char token_a, token_b;

/* The device's side: publish one used element (id, len) as used index idx. */
static void device_used(struct virtqueue *vq, uint16_t idx, uint32_t id, uint32_t len)
{
	uint16_t slot = (uint16_t)((idx - 1) % vq->size);

	dma_coherent_write32(vq->used, 4 + 8 * (size_t)slot, id);
	dma_coherent_write32(vq->used, 8 + 8 * (size_t)slot, len);
	dma_coherent_write32(vq->used, 0, (uint32_t)idx << 16);
}

/* A queue of 8 with one chain (16 bytes out, 8 bytes in) on it, token_a. */
static struct virtqueue *setup(struct dma_coherent **data)
{
	struct pci_device *pci = pci_device_at(0);
	struct virtqueue *vq;
	struct vq_buf b[2];

	if (!pci || vq_create(pci, 8, &vq))
		return NULL;
	if (dma_coherent_alloc(pci, 64, data)) {
		vq_destroy(vq);
		return NULL;
	}
	b[0] = VQ_COHERENT(*data, 0, 16, false);
	b[1] = VQ_COHERENT(*data, 16, 8, true);
	if (vq_add(vq, b, 2, &token_a)) {
		dma_coherent_free(*data);
		vq_destroy(vq);
		return NULL;
	}
	return vq;
}

static void teardown(struct virtqueue *vq, struct dma_coherent *data)
{
	dma_coherent_free(data);
	vq_destroy(vq);
}

KTEST(virtqueue_honest_device)
{
	struct dma_coherent *data;
	struct virtqueue *vq = setup(&data);
	void *token = NULL;
	uint32_t len = 0;
	struct vq_buf b[2];

	KT_ASSERT(vq != NULL);
	KT_ASSERT(vq_free_descs(vq) == 6);
	KT_ASSERT(vq_get_used(vq, &token, &len) == 0);
	/* The chain's head is descriptor 0; the avail ring names it. */
	KT_ASSERT((dma_coherent_read32(vq->avail, 0) >> 16) == 1);
	KT_ASSERT((dma_coherent_read32(vq->avail, 4) & 0xffff) == 0);
	KT_ASSERT((dma_coherent_read32(vq->desc, 12) & VIRTQ_DESC_F_NEXT) != 0);
	KT_ASSERT((dma_coherent_read32(vq->desc, 16 + 12) & VIRTQ_DESC_F_WRITE) != 0);
	device_used(vq, 1, 0, 8);
	KT_ASSERT(vq_get_used(vq, &token, &len) == 1);
	KT_ASSERT(token == &token_a && len == 8);
	KT_ASSERT(vq_free_descs(vq) == 8);
	/* Chains the driver gets wrong are refused. */
	b[0] = VQ_COHERENT(data, 0, 8, true);
	b[1] = VQ_COHERENT(data, 8, 8, false);
	KT_ASSERT(vq_add(vq, b, 2, &token_b) == -EINVAL);	/* readable after writable */
	b[0] = VQ_COHERENT(data, 60, 8, false);
	KT_ASSERT(vq_add(vq, b, 1, &token_b) == -EINVAL);	/* past the buffer */
	b[0] = VQ_COHERENT(data, 0, 8, false);
	KT_ASSERT(vq_add(vq, b, 1, NULL) == -EINVAL);
	for (int i = 0; i < 8; i++)
		KT_ASSERT(vq_add(vq, b, 1, &token_b) == 0);
	KT_ASSERT(vq_add(vq, b, 1, &token_b) == -ENOSPC);
	KT_ASSERT(!vq->broken);
	teardown(vq, data);
}

KTEST(virtqueue_used_index_jump)
{
	struct dma_coherent *data;
	struct virtqueue *vq = setup(&data);
	void *token = NULL;
	uint32_t len = 0;
	struct vq_buf b = VQ_COHERENT(data, 0, 8, false);

	KT_ASSERT(vq != NULL);
	device_used(vq, 5, 0, 8);	/* five done, one in flight */
	KT_ASSERT(vq_get_used(vq, &token, &len) == -EIO);
	KT_ASSERT(vq->broken);
	KT_ASSERT(vq_get_used(vq, &token, &len) == -ENODEV);
	KT_ASSERT(vq_add(vq, &b, 1, &token_b) == -ENODEV);
	KT_ASSERT(vq_free_descs(vq) == 0);
	/* The driver gets its chain back to fail it. */
	KT_ASSERT(vq_drain(vq, &token) == 1 && token == &token_a);
	KT_ASSERT(vq_drain(vq, &token) == 0);
	teardown(vq, data);
}

KTEST(virtqueue_used_id_not_in_flight)
{
	struct dma_coherent *data;
	struct virtqueue *vq = setup(&data);
	void *token = NULL;
	uint32_t len = 0;

	KT_ASSERT(vq != NULL);
	device_used(vq, 1, 1, 8);	/* 1 is the chain's second descriptor, not a head */
	KT_ASSERT(vq_get_used(vq, &token, &len) == -EIO);
	KT_ASSERT(vq->broken);
	teardown(vq, data);
	vq = setup(&data);
	KT_ASSERT(vq != NULL);
	device_used(vq, 1, 4000, 8);	/* beyond the queue */
	KT_ASSERT(vq_get_used(vq, &token, &len) == -EIO);
	teardown(vq, data);
}

KTEST(virtqueue_used_length_oversized)
{
	struct dma_coherent *data;
	struct virtqueue *vq = setup(&data);
	void *token = NULL;
	uint32_t len = 0;

	KT_ASSERT(vq != NULL);
	device_used(vq, 1, 0, 9);	/* 8 writable bytes were offered */
	KT_ASSERT(vq_get_used(vq, &token, &len) == -EIO);
	KT_ASSERT(vq->broken && token == NULL);
	teardown(vq, data);
}
