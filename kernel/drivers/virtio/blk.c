// SPDX-License-Identifier: MPL-2.0
// virtio-blk (virtio 1.1, 5.2): one request queue, each block-layer
// request one descriptor chain (header, the data segments as streaming
// DMA mappings of their frames, the status byte), many in flight,
// completed from the queue's interrupt.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "block/blkdev.h"
#include "drivers/virtio/virtio.h"

/*
 * Linux gives virtblk a dynamic major; on Debian's kernels it is the first
 * one handed out, 254 (/proc/devices), with 16 minors a disk.
 */
#define VIRTBLK_MAJOR	254

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_BLK_SIZE	6
#define VIRTIO_BLK_F_FLUSH	9

/* Configuration layout (5.2.4). */
#define CFG_CAPACITY	0
#define CFG_SEG_MAX	12
#define CFG_BLK_SIZE	20

/* Request types and status (5.2.6). */
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_S_OK		0

#define QUEUE_SIZE	128
#define HDR_SIZE	16

struct vblk;

struct slot {
	struct vblk *vb;
	struct request *rq;		/* NULL: free */
	struct dma_stream *maps[BLK_MAX_SEGS];
	unsigned int nmaps;
};

struct vblk {
	struct virtio_device *vdev;
	struct virtqueue *vq;
	spinlock_t lock;
	/* Slot i: its header at i * HDR_SIZE, its status byte at status_base + i. */
	struct dma_coherent *hdrs;
	size_t status_base;
	struct slot slots[QUEUE_SIZE];
	unsigned int nslots;
	struct vq_buf bufs[BLK_MAX_SEGS + 2];	/* scratch, under lock */
	struct blk_disk *disk;
};

static void unmap_all(struct slot *s)
{
	for (unsigned int i = 0; i < s->nmaps; i++) {
		dma_sync_for_cpu(s->maps[i]);
		dma_unmap(s->maps[i]);
	}
	s->nmaps = 0;
}

static int map_all(struct vblk *vb, struct request *rq, struct slot *tmp)
{
	enum dma_direction dir = blk_rq_op(rq) == BLK_READ ? DMA_FROM_DEVICE : DMA_TO_DEVICE;

	tmp->nmaps = 0;
	for (unsigned int i = 0; i < blk_rq_nr_segments(rq); i++) {
		int err = dma_map_frame(virtio_pci_dev(vb->vdev), blk_rq_segment(rq, i)->frame, dir,
					&tmp->maps[i]);

		if (err) {
			unmap_all(tmp);
			return err;
		}
		tmp->nmaps++;
	}
	return 0;
}

static struct slot *slot_free(struct vblk *vb)
{
	for (unsigned int i = 0; i < vb->nslots; i++) {
		if (!vb->slots[i].rq)
			return &vb->slots[i];
	}
	return NULL;
}

static uint32_t rq_type(const struct request *rq)
{
	switch (blk_rq_op(rq)) {
	case BLK_READ:
		return VIRTIO_BLK_T_IN;
	case BLK_WRITE:
		return VIRTIO_BLK_T_OUT;
	default:
		return VIRTIO_BLK_T_FLUSH;
	}
}

/* The chain of slot s for rq into vb->bufs (lock held): its length. */
static unsigned int build_chain(struct vblk *vb, struct slot *s, struct request *rq)
{
	size_t idx = (size_t)(s - vb->slots);
	size_t hdr = idx * HDR_SIZE, status = vb->status_base + idx;
	uint8_t ff = 0xff;
	unsigned int n = 0;

	dma_coherent_write32(vb->hdrs, hdr, rq_type(rq));
	dma_coherent_write32(vb->hdrs, hdr + 4, 0);
	dma_coherent_write64(vb->hdrs, hdr + 8, rq_type(rq) == VIRTIO_BLK_T_FLUSH ? 0 :
			     blk_rq_sector(rq));
	dma_coherent_write(vb->hdrs, status, &ff, 1);
	vb->bufs[n++] = VQ_COHERENT(vb->hdrs, (uint32_t)hdr, HDR_SIZE, false);
	for (unsigned int i = 0; i < s->nmaps; i++) {
		const struct blk_seg *seg = blk_rq_segment(rq, i);

		vb->bufs[n++] = VQ_STREAM(s->maps[i], seg->off, seg->len,
					  blk_rq_op(rq) == BLK_READ);
	}
	vb->bufs[n++] = VQ_COHERENT(vb->hdrs, (uint32_t)status, 1, true);
	return n;
}

static int vblk_queue_rq(void *drv, struct request *rq)
{
	struct vblk *vb = drv;
	struct slot tmp, *s;
	irqflags_t fl;
	int err = map_all(vb, rq, &tmp);

	if (err)
		return err == -ENOMEM ? -EBUSY : -EIO;
	fl = spin_lock_irqsave(&vb->lock);
	s = slot_free(vb);
	if (virtio_broken(vb->vdev)) {
		err = -EIO;
	} else if (!s || vq_free_descs(vb->vq) < tmp.nmaps + 2) {
		err = -EBUSY;
	} else {
		*s = tmp;
		s->vb = vb;
		s->rq = rq;
		err = vq_add(vb->vq, vb->bufs, build_chain(vb, s, rq), s);
		if (err) {
			s->rq = NULL;
			err = -EIO;
		} else {
			vq_kick(vb->vq);
		}
	}
	spin_unlock_irqrestore(&vb->lock, fl);
	if (err)
		unmap_all(&tmp);
	return err;
}

static void finish(struct slot *s, int status)
{
	struct request *rq = s->rq;

	unmap_all(s);
	s->rq = NULL;
	blk_rq_complete(rq, status);
}

/* Reap what the device finished (lock held); fail everything if it misbehaved. */
static void reap(struct vblk *vb)
{
	void *token;
	uint32_t len;
	int r;

	while ((r = vq_get_used(vb->vq, &token, &len)) == 1) {
		struct slot *s = token;
		uint8_t status = 0xff;

		dma_coherent_read(vb->hdrs, vb->status_base + (size_t)(s - vb->slots), &status, 1);
		finish(s, status == VIRTIO_BLK_S_OK ? 0 : -EIO);
	}
	if (r == -EIO) {
		while (vq_drain(vb->vq, &token) == 1)
			finish(token, -EIO);
	}
}

static void vblk_irq(struct virtqueue *vq, void *arg)
{
	struct vblk *vb = arg;
	irqflags_t fl = spin_lock_irqsave(&vb->lock);

	(void)vq;
	reap(vb);
	spin_unlock_irqrestore(&vb->lock, fl);
}

static void vblk_poll(void *drv)
{
	vblk_irq(NULL, drv);
}

static const struct blk_disk_ops vblk_ops = {
	.queue_rq = vblk_queue_rq,
	.poll = vblk_poll,
};

static unsigned int block_size(struct virtio_device *vdev, uint64_t feat)
{
	uint32_t bs = (feat & VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE)) ?
		      virtio_cfg_read32(vdev, CFG_BLK_SIZE) : SECTOR_SIZE;

	if (bs < SECTOR_SIZE || bs > PAGE_SIZE || (bs & (bs - 1))) {
		pr_warn("virtio-blk %s: block size %u unusable: 512 taken\n", virtio_name(vdev), bs);
		return SECTOR_SIZE;
	}
	return bs;
}

static void fill_info(struct vblk *vb, uint64_t feat, struct blk_disk_info *info)
{
	uint32_t seg_max = (feat & VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX)) ?
			   virtio_cfg_read32(vb->vdev, CFG_SEG_MAX) : BLK_MAX_SEGS;
	unsigned int per;

	info->logical_block_size = block_size(vb->vdev, feat);
	per = info->logical_block_size / SECTOR_SIZE;
	info->nr_sectors = virtio_cfg_read64(vb->vdev, CFG_CAPACITY) / per * per;
	info->physical_block_size = info->logical_block_size;
	info->max_segments = MIN(MIN(seg_max ? seg_max : 1, (uint32_t)BLK_MAX_SEGS),
				 (uint32_t)vq_size(vb->vq) - 2);
	info->read_only = (feat & VIRTIO_BIT(VIRTIO_BLK_F_RO)) != 0;
	info->flush = (feat & VIRTIO_BIT(VIRTIO_BLK_F_FLUSH)) != 0;
}

static int vblk_probe(struct virtio_device *vdev)
{
	const uint64_t wanted = VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_RO) |
				VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) | VIRTIO_BIT(VIRTIO_BLK_F_FLUSH);
	struct vblk *vb = kzalloc(sizeof(*vb));
	struct virtqueue_info qi = { QUEUE_SIZE, vblk_irq, vb };
	struct blk_disk_info info = { 0 };
	uint64_t feat;
	int err;

	if (!vb)
		return -ENOMEM;
	spin_lock_init(&vb->lock);
	vb->vdev = vdev;
	err = virtio_negotiate(vdev, wanted, &feat);
	if (!err)
		err = virtio_setup_queues(vdev, 1, &qi, &vb->vq);
	if (!err) {
		vb->nslots = vq_size(vb->vq);
		vb->status_base = (size_t)vb->nslots * HDR_SIZE;
		err = dma_coherent_alloc(virtio_pci_dev(vdev), vb->status_base + vb->nslots,
					 &vb->hdrs);
	}
	if (err)
		return err;	/* vb stays: the failed device's IRQ handlers may name it */
	fill_info(vb, feat, &info);
	virtio_ready(vdev);
	return blk_disk_add("vd", VIRTBLK_MAJOR, &vblk_ops, vb, &info, &vb->disk);
}

static int virtio_blk_init(void)
{
	int n = virtio_pci_probe_each(VIRTIO_ID_BLOCK, vblk_probe);

	return n < 0 ? n : 0;
}
KERNEL_INIT(virtio_blk_init);
