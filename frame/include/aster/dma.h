/* SPDX-License-Identifier: MPL-2.0 */
/*
 * DMA memory for PCI devices.  A driver never holds a CPU pointer to DMA
 * memory or a physical address: it gets the *device* address to program
 * into the device, and reads and writes the buffer through bounds-checked
 * accessors.
 *
 * Coherent buffers live as long as the driver wants them (descriptor rings):
 *
 *	struct dma_coherent *ring;
 *	if (dma_coherent_alloc(dev, 4096, &ring))		zeroed
 *		return -ENOMEM;
 *	mmio_write32(regs, RDBAL, (uint32_t)dma_coherent_dev_addr(ring));
 *	dma_coherent_write32(ring, 0, desc0);
 *
 * Streaming mappings hand one of the driver's frames (aster/frame.h) to the
 * device for one transfer; the frame stays referenced until dma_unmap:
 *
 *	struct dma_stream *s;
 *	dma_map_frame(dev, f, DMA_FROM_DEVICE, &s);
 *	... program dma_stream_dev_addr(s), wait for the device ...
 *	dma_sync_for_cpu(s);
 *	frame_read(f, 0, buf, len);
 *	dma_unmap(s);
 *
 * x86 DMA is cache-coherent, so the syncs are ordering barriers; they are
 * part of the API for machines (and IOMMUs) where they are more.  There is
 * no IOMMU yet: a device told a wrong address can still write anywhere, so
 * drivers must only program addresses these calls returned.
 */
#ifndef ASTER_DMA_H
#define ASTER_DMA_H

#include <aster/frame.h>
#include <aster/types.h>

struct pci_device;
struct dma_coherent;
struct dma_stream;

enum dma_direction {
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_BIDIRECTIONAL = 3,
};

/* Physically contiguous, zeroed, below 4 GiB.  0, -EINVAL (size 0), -ENOMEM. */
int dma_coherent_alloc(struct pci_device *dev, size_t size, struct dma_coherent **out);
/* The device must have stopped using it. */
void dma_coherent_free(struct dma_coherent *buf);
uint64_t dma_coherent_dev_addr(const struct dma_coherent *buf);
size_t dma_coherent_size(const struct dma_coherent *buf);

/* 0, or -EINVAL when [off, off+len) is not inside the buffer. */
int dma_coherent_read(struct dma_coherent *buf, size_t off, void *dst, size_t len);
int dma_coherent_write(struct dma_coherent *buf, size_t off, const void *src, size_t len);
/* Single aligned accesses (descriptor fields); bad offsets read all ones. */
uint32_t dma_coherent_read32(struct dma_coherent *buf, size_t off);
uint64_t dma_coherent_read64(struct dma_coherent *buf, size_t off);
int dma_coherent_write32(struct dma_coherent *buf, size_t off, uint32_t v);
int dma_coherent_write64(struct dma_coherent *buf, size_t off, uint64_t v);

/* 0, -EINVAL (no frame, bad direction), -ENOMEM. */
int dma_map_frame(struct pci_device *dev, struct frame *f, enum dma_direction dir,
		  struct dma_stream **out);
void dma_unmap(struct dma_stream *s);
uint64_t dma_stream_dev_addr(const struct dma_stream *s);
/* Before the device reads the frame / after it wrote it. */
void dma_sync_for_device(struct dma_stream *s);
void dma_sync_for_cpu(struct dma_stream *s);

#endif
