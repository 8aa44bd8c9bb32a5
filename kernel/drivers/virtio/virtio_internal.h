/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/drivers/virtio/: the virtqueue's insides, shared by
 * the ring code, the PCI transport and the ktest that plays a bad device.
 */
#ifndef KERNEL_DRIVERS_VIRTIO_INTERNAL_H
#define KERNEL_DRIVERS_VIRTIO_INTERNAL_H
#include <aster/io.h>
#include "drivers/virtio/virtio.h"

/* Descriptor flags (virtio 1.1, 2.6.5). */
#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2

struct virtqueue {
	struct virtio_device *vdev;	/* NULL for a queue with no device (ktest) */
	uint16_t index, size;
	/* The three ring parts, each its own coherent buffer. */
	struct dma_coherent *desc, *avail, *used;
	/* Shadows: the device may scribble on the ring, never on these. */
	void **tokens;			/* per head descriptor, NULL when free */
	uint16_t *next;			/* free list and chain links */
	uint16_t *ndescs;		/* per head: descriptors in the chain */
	uint32_t *wlen;			/* per head: device-writable bytes offered */
	uint16_t free_head, num_free, inflight;
	uint16_t avail_idx, last_used;
	bool broken;
	/* Where vq_kick writes the queue index (NULL: nowhere). */
	struct mmio_region *notify;
	uint64_t notify_off;
	uint64_t kicks;
	void (*callback)(struct virtqueue *vq, void *arg);
	void *arg;
};

/* A queue of size entries (a power of two) with DMA memory for dma_dev. */
int vq_create(struct pci_device *dma_dev, uint16_t size, struct virtqueue **out);
/* The device must have been reset (or never told about it). */
void vq_destroy(struct virtqueue *vq);
/* Mark broken and report (the transport resets the device). */
void vq_break(struct virtqueue *vq, const char *why);

#endif
