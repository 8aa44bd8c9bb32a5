/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Virtio 1.x over PCI (the modern transport) and split virtqueues, for
 * every virtio driver (block now, net next).  A driver finds its devices,
 * negotiates features, sets up its queues and goes live:
 *
 *	static int mydrv_probe(struct virtio_device *vdev)
 *	{
 *		uint64_t feat;
 *		struct virtqueue *vq;
 *		const struct virtqueue_info qi = { .max_size = 128, .callback = done, .arg = me };
 *
 *		if (virtio_negotiate(vdev, MY_FEATURES, &feat) ||
 *		    virtio_setup_queues(vdev, 1, &qi, &vq))
 *			return virtio_fail(vdev, "setup"), -EIO;
 *		... read virtio_cfg_read32(vdev, off) ...
 *		virtio_ready(vdev);
 *	}
 *	virtio_pci_probe_each(VIRTIO_ID_BLOCK, mydrv_probe);
 *
 * Buffers go to the device as chains of `struct vq_buf`, each naming DMA
 * memory that frame handed out (a streaming mapping or a coherent buffer)
 * and a range inside it; the queue computes and checks the device
 * addresses, so a driver never writes a raw address into a descriptor.
 *
 *	struct vq_buf b[3] = { VQ_COHERENT(hdr, 0, 16, false),
 *			       VQ_STREAM(data, 0, 4096, true),
 *			       VQ_COHERENT(hdr, 16, 1, true) };
 *	err = vq_add(vq, b, 3, token);		-ENOSPC: ring full, retry later
 *	vq_kick(vq);
 *
 * The queue's callback runs in hard-IRQ context; it reaps with
 * vq_get_used(), which hands back each finished chain's token and the
 * length the device wrote.  The device is never trusted: a used index
 * that jumps by more than the queue size, an id that is not the head of a
 * chain in flight, or a written length beyond what the chain offered
 * makes vq_get_used return -EIO; the device is then reset and FAILED, the
 * reason logged once, and every later call fails.  The driver gets back
 * the tokens of the chains still in flight with vq_drain() to fail them.
 *
 * Errors: 0 or a negative errno; -ENODEV for a device already broken.
 */
#ifndef KERNEL_DRIVERS_VIRTIO_VIRTIO_H
#define KERNEL_DRIVERS_VIRTIO_VIRTIO_H
#include <aster/dma.h>
#include <aster/pci.h>
#include <aster/types.h>

/* Device types (virtio 1.1, 5). */
#define VIRTIO_ID_NET		1
#define VIRTIO_ID_BLOCK		2

/* Feature bits common to every device (virtio 1.1, 6). */
#define VIRTIO_F_INDIRECT_DESC	28
#define VIRTIO_F_EVENT_IDX	29
#define VIRTIO_F_VERSION_1	32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_BIT(n)		(1ULL << (n))

struct virtio_device;
struct virtqueue;

/* The PCI function under the device (DMA allocations, logging). */
struct pci_device *virtio_pci_dev(struct virtio_device *vdev);
/* "0000:00:01.0", for log lines. */
const char *virtio_name(const struct virtio_device *vdev);

/*
 * Call probe for each virtio PCI device of this type (modern id 0x1040+type
 * or the transitional id); a device whose probe fails is reset and left.
 * Returns how many probes succeeded.
 */
int virtio_pci_probe_each(unsigned int type, int (*probe)(struct virtio_device *vdev));

/*
 * Reset, ACKNOWLEDGE, DRIVER, then offer wanted & what the device has (plus
 * VERSION_1, which is required) and check FEATURES_OK.  *got: the agreed
 * set.  -ENODEV (no VERSION_1, or FEATURES_OK refused).
 */
int virtio_negotiate(struct virtio_device *vdev, uint64_t wanted, uint64_t *got);

/* Device-specific configuration, read consistently (generation checked). */
uint8_t virtio_cfg_read8(struct virtio_device *vdev, uint32_t off);
uint16_t virtio_cfg_read16(struct virtio_device *vdev, uint32_t off);
uint32_t virtio_cfg_read32(struct virtio_device *vdev, uint32_t off);
uint64_t virtio_cfg_read64(struct virtio_device *vdev, uint32_t off);

struct virtqueue_info {
	uint16_t max_size;	/* the driver's cap; the device's may be smaller */
	/* Hard-IRQ context: the device used some buffers (or may have). */
	void (*callback)(struct virtqueue *vq, void *arg);
	void *arg;
};

/*
 * Set up queues 0..n-1 with interrupts (an MSI-X vector each when the
 * device has enough, else one shared vector, else INTx).  Before
 * virtio_ready.  -EINVAL (n too large), -ENODEV (no such queue), -ENOMEM.
 */
int virtio_setup_queues(struct virtio_device *vdev, unsigned int n,
			const struct virtqueue_info *info, struct virtqueue **vqs);
/* DRIVER_OK: the device may use the queues now. */
void virtio_ready(struct virtio_device *vdev);
/*
 * Give up on the device: reset it, set FAILED, log why (once), and make
 * every queue refuse work.  Safe in IRQ context and more than once.
 */
void virtio_fail(struct virtio_device *vdev, const char *why);
bool virtio_broken(const struct virtio_device *vdev);

/* ---- split virtqueues ---- */

struct vq_buf {
	struct dma_stream *stream;	/* one of these two */
	struct dma_coherent *coherent;
	uint32_t off, len;		/* inside the frame / buffer */
	bool device_writes;		/* device-writable (after the readable ones) */
};
#define VQ_STREAM(s, o, l, w)	((struct vq_buf){ .stream = (s), .off = (o), .len = (l), .device_writes = (w) })
#define VQ_COHERENT(c, o, l, w)	((struct vq_buf){ .coherent = (c), .off = (o), .len = (l), .device_writes = (w) })

uint16_t vq_size(const struct virtqueue *vq);
unsigned int vq_free_descs(struct virtqueue *vq);
/*
 * Put a chain (device-readable buffers first) on the available ring; the
 * token comes back from vq_get_used.  -EINVAL (empty chain, a bad range,
 * readable after writable, NULL token), -ENOSPC (not enough free
 * descriptors), -ENODEV (broken).  Callers serialise vq_add, vq_kick,
 * vq_get_used and vq_drain on one queue with their own lock.
 */
int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n, void *token);
/* Tell the device about new chains. */
void vq_kick(struct virtqueue *vq);
/*
 * One finished chain: 1 with *token and *len (bytes the device wrote), 0
 * when none is left, -EIO when the device broke the ring's rules (it has
 * been failed), -ENODEV when it was already broken.
 */
int vq_get_used(struct virtqueue *vq, void **token, uint32_t *len);
/* After a failure: the next chain still in flight (1, its descriptors freed) or 0. */
int vq_drain(struct virtqueue *vq, void **token);

#endif
