// SPDX-License-Identifier: MPL-2.0
// virtio-net (virtio 1.1, 5.1): one receive and one transmit queue, no
// offloads.  Frames are copied through coherent DMA buffers, one 2 KiB
// slot a descriptor (the 12-byte virtio_net_hdr, then the frame).  The
// receive queue's interrupt only asks the network layer to poll; the
// "netrx" task then reaps the used buffers, copies each frame into a
// packet and gives the buffer back.  A length the device reports that is
// shorter than a header or longer than the slot is counted as an error
// and dropped, never trusted.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "drivers/virtio/virtio.h"
#include "net/dev/netdev.h"

/* Feature bits (5.1.3). */
#define VIRTIO_NET_F_MTU	3
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16

/* Configuration layout (5.1.4). */
#define CFG_MAC		0
#define CFG_STATUS	6
#define CFG_MTU		10

#define VNET_HDR_LEN	12	/* struct virtio_net_hdr with num_buffers (VERSION_1) */
#define SLOT_SIZE	2048
#define QUEUE_MAX	128
#define MAX_MTU		(SLOT_SIZE - VNET_HDR_LEN - ETH_HLEN)

struct vnet;

struct vnet_slot {
	struct vnet *vn;
	bool busy;			/* tx: in flight */
};

struct vnet {
	struct virtio_device *vdev;
	struct virtqueue *rxq, *txq;
	spinlock_t lock;		/* the queues and slots */
	struct dma_coherent *rxbuf, *txbuf;
	struct vnet_slot rx[QUEUE_MAX], tx[QUEUE_MAX];
	unsigned int nrx, ntx;
	struct net_device dev;
};

static int vnet_count;

/* Give rx slot i to the device (lock held). */
static int rx_give(struct vnet *vn, unsigned int i)
{
	struct vq_buf b = VQ_COHERENT(vn->rxbuf, (uint32_t)(i * SLOT_SIZE), SLOT_SIZE, true);

	return vq_add(vn->rxq, &b, 1, &vn->rx[i]);
}

/* Reap finished transmissions (lock held). */
static void tx_reap(struct vnet *vn)
{
	void *token;
	uint32_t len;

	while (vq_get_used(vn->txq, &token, &len) == 1)
		((struct vnet_slot *)token)->busy = false;
}

static int vnet_xmit(struct net_device *dev, struct pkt *p)
{
	struct vnet *vn = dev->priv;
	uint8_t hdr[VNET_HDR_LEN] = { 0 };
	struct vq_buf b;
	irqflags_t fl;
	int err = -ENOSPC;
	unsigned int i;

	if (p->len > SLOT_SIZE - VNET_HDR_LEN) {
		pkt_free(p);
		return -EMSGSIZE;
	}
	fl = spin_lock_irqsave(&vn->lock);
	tx_reap(vn);
	for (i = 0; i < vn->ntx; i++) {
		if (!vn->tx[i].busy)
			break;
	}
	if (virtio_broken(vn->vdev)) {
		err = -EIO;
	} else if (i < vn->ntx) {
		size_t off = (size_t)i * SLOT_SIZE;

		dma_coherent_write(vn->txbuf, off, hdr, VNET_HDR_LEN);
		dma_coherent_write(vn->txbuf, off + VNET_HDR_LEN, pkt_data(p), p->len);
		b = VQ_COHERENT(vn->txbuf, (uint32_t)off, VNET_HDR_LEN + p->len, false);
		err = vq_add(vn->txq, &b, 1, &vn->tx[i]);
		if (!err) {
			vn->tx[i].busy = true;
			vq_kick(vn->txq);
		}
	}
	spin_unlock_irqrestore(&vn->lock, fl);
	pkt_free(p);
	return err;
}

/*
 * Copy used receive buffer i into p (allocated before the lock, room for
 * a slot): false for a length the device must not report (counted).
 */
static bool rx_take(struct vnet *vn, unsigned int i, uint32_t len, struct pkt *p)
{
	if (len < VNET_HDR_LEN + ETH_HLEN || len > SLOT_SIZE) {
		netdev_count_rx(&vn->dev, 0, false, true);
		return false;
	}
	p->len = len - VNET_HDR_LEN;
	return dma_coherent_read(vn->rxbuf, (size_t)i * SLOT_SIZE + VNET_HDR_LEN, pkt_data(p),
				 p->len) == 0;
}

static bool vnet_poll(struct net_device *dev, unsigned int budget)
{
	struct vnet *vn = dev->priv;
	unsigned int n = 0;

	while (n < budget) {
		struct pkt *p = pkt_alloc(0, SLOT_SIZE - VNET_HDR_LEN);
		void *token = NULL;
		uint32_t len = 0;
		bool ok = false;
		irqflags_t fl;
		int r;

		if (!p)
			return true;	/* no memory now: the frames wait in the ring */
		fl = spin_lock_irqsave(&vn->lock);
		r = vq_get_used(vn->rxq, &token, &len);
		if (r == 1) {
			unsigned int i = (unsigned int)((struct vnet_slot *)token - vn->rx);

			ok = rx_take(vn, i, len, p);
			if (rx_give(vn, i) == 0)
				vq_kick(vn->rxq);
		}
		spin_unlock_irqrestore(&vn->lock, fl);
		if (r != 1) {
			pkt_free(p);
			break;
		}
		n++;
		if (ok)
			netdev_rx(dev, p);
		else
			pkt_free(p);
	}
	return n == budget;
}

static void vnet_rx_irq(struct virtqueue *vq, void *arg)
{
	struct vnet *vn = arg;

	(void)vq;
	netdev_schedule_poll(&vn->dev);
}

static void vnet_tx_irq(struct virtqueue *vq, void *arg)
{
	struct vnet *vn = arg;
	irqflags_t fl = spin_lock_irqsave(&vn->lock);

	(void)vq;
	tx_reap(vn);
	spin_unlock_irqrestore(&vn->lock, fl);
}

static const struct net_device_ops vnet_ops = {
	.xmit = vnet_xmit,
	.poll = vnet_poll,
};

static void vnet_config(struct vnet *vn, uint64_t feat)
{
	struct net_device *d = &vn->dev;

	snprintf(d->name, sizeof(d->name), "eth%d", vnet_count);
	d->type = ARPHRD_ETHER;
	d->flags = IFF_BROADCAST | IFF_MULTICAST;
	d->mtu = ETH_DATA_LEN;
	d->min_mtu = 68;
	d->max_mtu = MAX_MTU;
	if (feat & VIRTIO_BIT(VIRTIO_NET_F_MTU)) {
		uint16_t mtu = virtio_cfg_read16(vn->vdev, CFG_MTU);

		/* The device's maximum, if it is one we can receive. */
		if (mtu >= 68 && mtu < d->max_mtu)
			d->max_mtu = mtu;
		d->mtu = MIN(d->mtu, d->max_mtu);
	}
	if (feat & VIRTIO_BIT(VIRTIO_NET_F_MAC)) {
		for (uint32_t i = 0; i < ETH_ALEN; i++)
			d->mac[i] = virtio_cfg_read8(vn->vdev, CFG_MAC + i);
	} else {	/* a locally administered address of our own */
		const uint8_t mac[ETH_ALEN] = { 0x02, 0xa5, 0x7e, 0x00, 0x00, (uint8_t)vnet_count };

		memcpy(d->mac, mac, ETH_ALEN);
	}
	d->ops = &vnet_ops;
	d->priv = vn;
}

static int vnet_probe(struct virtio_device *vdev)
{
	const uint64_t wanted = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_MTU);
	struct vnet *vn = kzalloc(sizeof(*vn));
	struct virtqueue_info qi[2];
	struct virtqueue *vqs[2];
	uint64_t feat;
	int err;

	if (!vn)
		return -ENOMEM;
	spin_lock_init(&vn->lock);
	vn->vdev = vdev;
	qi[0] = (struct virtqueue_info){ QUEUE_MAX, vnet_rx_irq, vn };
	qi[1] = (struct virtqueue_info){ QUEUE_MAX, vnet_tx_irq, vn };
	err = virtio_negotiate(vdev, wanted, &feat);
	if (!err)
		err = virtio_setup_queues(vdev, 2, qi, vqs);
	if (!err) {
		vn->rxq = vqs[0];
		vn->txq = vqs[1];
		vn->nrx = MIN((unsigned int)vq_size(vn->rxq), (unsigned int)QUEUE_MAX);
		vn->ntx = MIN((unsigned int)vq_size(vn->txq), (unsigned int)QUEUE_MAX);
		err = dma_coherent_alloc(virtio_pci_dev(vdev), (size_t)vn->nrx * SLOT_SIZE, &vn->rxbuf);
	}
	if (!err)
		err = dma_coherent_alloc(virtio_pci_dev(vdev), (size_t)vn->ntx * SLOT_SIZE, &vn->txbuf);
	if (err)
		return err;	/* vn stays: the failed device's IRQ handlers may name it */
	vnet_config(vn, feat);
	for (unsigned int i = 0; i < vn->nrx; i++) {
		vn->rx[i].vn = vn;
		if (rx_give(vn, i))
			return virtio_fail(vdev, "rx buffers"), -EIO;
	}
	for (unsigned int i = 0; i < vn->ntx; i++)
		vn->tx[i].vn = vn;
	virtio_ready(vdev);
	vq_kick(vn->rxq);
	err = netdev_register(&vn->dev);
	if (!err) {
		vnet_count++;
		pr_info("virtio-net %s: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, MTU %u\n",
			virtio_name(vdev), vn->dev.name, vn->dev.mac[0], vn->dev.mac[1], vn->dev.mac[2],
			vn->dev.mac[3], vn->dev.mac[4], vn->dev.mac[5], vn->dev.mtu);
	}
	return err;
}

static int virtio_net_init(void)
{
	int n = virtio_pci_probe_each(VIRTIO_ID_NET, vnet_probe);

	return n < 0 ? n : 0;
}
KERNEL_INIT(virtio_net_init);
