// SPDX-License-Identifier: MPL-2.0
// The virtio 1.x PCI transport (virtio 1.1, 4.1): the vendor capabilities
// that place the common, notification, ISR and device configuration
// structures in the BARs; the device-status protocol; feature
// negotiation; queue setup with MSI-X vectors (or INTx).
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/irq.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/sync.h>
#include "drivers/virtio/virtio_internal.h"

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_MODERN_BASE	0x1040

/* virtio_pci_cap.cfg_type */
#define CAP_COMMON	1
#define CAP_NOTIFY	2
#define CAP_ISR		3
#define CAP_DEVICE	4

/* struct virtio_pci_common_cfg */
#define CC_DFSELECT	0x00
#define CC_DF		0x04
#define CC_GFSELECT	0x08
#define CC_GF		0x0c
#define CC_MSIX_CONFIG	0x10
#define CC_NUM_QUEUES	0x12
#define CC_STATUS	0x14
#define CC_GENERATION	0x15
#define CC_Q_SELECT	0x16
#define CC_Q_SIZE	0x18
#define CC_Q_MSIX	0x1a
#define CC_Q_ENABLE	0x1c
#define CC_Q_NOFF	0x1e
#define CC_Q_DESC	0x20
#define CC_Q_DRIVER	0x28
#define CC_Q_DEVICE	0x30
#define CC_LEN		0x38

/* Device status bits. */
#define S_ACKNOWLEDGE	1
#define S_DRIVER	2
#define S_DRIVER_OK	4
#define S_FEATURES_OK	8
#define S_NEEDS_RESET	0x40
#define S_FAILED	0x80

#define NO_VECTOR	0xffff
#define MAX_QUEUES	(PCI_MSIX_MAX_VECTORS - 1)

/* One structure the capabilities point at: a window into a mapped BAR. */
struct window {
	struct mmio_region *bar;
	uint64_t off, len;
};

enum irq_mode { IRQ_MSIX_PER_QUEUE, IRQ_MSIX_SHARED, IRQ_INTX };

struct virtio_device {
	struct pci_device *pci;
	char name[16];
	struct mmio_region *bars[PCI_MAX_BARS];
	struct window common, notify, isr, device;
	uint32_t notify_mult;
	struct virtqueue *vqs[MAX_QUEUES];
	unsigned int nvqs;
	enum irq_mode mode;
	struct irq_line *lines[PCI_MSIX_MAX_VECTORS];
	unsigned int nlines;
	atomic_t broken;
};

struct pci_device *virtio_pci_dev(struct virtio_device *vdev)
{
	return vdev->pci;
}

const char *virtio_name(const struct virtio_device *vdev)
{
	return vdev->name;
}

bool virtio_broken(const struct virtio_device *vdev)
{
	return atomic_read(&vdev->broken) != 0;
}

/* ---- register access ---- */

static uint8_t cc_read8(struct virtio_device *v, uint64_t off)
{
	return mmio_read8(v->common.bar, v->common.off + off);
}

static uint16_t cc_read16(struct virtio_device *v, uint64_t off)
{
	return mmio_read16(v->common.bar, v->common.off + off);
}

static uint32_t cc_read32(struct virtio_device *v, uint64_t off)
{
	return mmio_read32(v->common.bar, v->common.off + off);
}

static void cc_write8(struct virtio_device *v, uint64_t off, uint8_t x)
{
	mmio_write8(v->common.bar, v->common.off + off, x);
}

static void cc_write16(struct virtio_device *v, uint64_t off, uint16_t x)
{
	mmio_write16(v->common.bar, v->common.off + off, x);
}

static void cc_write32(struct virtio_device *v, uint64_t off, uint32_t x)
{
	mmio_write32(v->common.bar, v->common.off + off, x);
}

/* 64-bit fields as two 32-bit writes, low half first, as the spec allows. */
static void cc_write64(struct virtio_device *v, uint64_t off, uint64_t x)
{
	cc_write32(v, off, (uint32_t)x);
	cc_write32(v, off + 4, (uint32_t)(x >> 32));
}

static void status_set(struct virtio_device *v, uint8_t bits)
{
	cc_write8(v, CC_STATUS, (uint8_t)(cc_read8(v, CC_STATUS) | bits));
}

/* Reset and wait (bounded) for the device to read back 0. */
static void device_reset(struct virtio_device *v)
{
	cc_write8(v, CC_STATUS, 0);
	for (int i = 0; i < 100000 && cc_read8(v, CC_STATUS) != 0; i++)
		;
}

/* ---- device configuration ---- */

static bool dev_cfg_ok(struct virtio_device *v, uint32_t off, uint32_t width)
{
	return v->device.bar && off + width <= v->device.len && off + width > off;
}

/* Read until the configuration generation is stable (bounded). */
#define CFG_READ(v, off, width, read)						\
	do {									\
		uint64_t val_ = 0;						\
		if (!dev_cfg_ok(v, off, width))					\
			return (__typeof__(read(v->device.bar, 0)))~0ULL;	\
		for (int try_ = 0; try_ < 16; try_++) {				\
			uint8_t gen_ = cc_read8(v, CC_GENERATION);		\
			val_ = read(v->device.bar, v->device.off + (off));	\
			if (cc_read8(v, CC_GENERATION) == gen_)			\
				break;						\
		}								\
		return (__typeof__(read(v->device.bar, 0)))val_;		\
	} while (0)

uint8_t virtio_cfg_read8(struct virtio_device *vdev, uint32_t off)
{
	CFG_READ(vdev, off, 1, mmio_read8);
}

uint16_t virtio_cfg_read16(struct virtio_device *vdev, uint32_t off)
{
	CFG_READ(vdev, off, 2, mmio_read16);
}

uint32_t virtio_cfg_read32(struct virtio_device *vdev, uint32_t off)
{
	CFG_READ(vdev, off, 4, mmio_read32);
}

uint64_t virtio_cfg_read64(struct virtio_device *vdev, uint32_t off)
{
	uint64_t lo, hi;

	if (!dev_cfg_ok(vdev, off, 8))
		return ~0ULL;
	for (int try = 0; try < 16; try++) {
		uint8_t gen = cc_read8(vdev, CC_GENERATION);

		lo = mmio_read32(vdev->device.bar, vdev->device.off + off);
		hi = mmio_read32(vdev->device.bar, vdev->device.off + off + 4);
		if (cc_read8(vdev, CC_GENERATION) == gen)
			break;
	}
	return lo | hi << 32;
}

/* ---- failure ---- */

void virtio_fail(struct virtio_device *vdev, const char *why)
{
	if (!atomic_cmpxchg(&vdev->broken, 0, 1))
		return;
	for (unsigned int i = 0; i < vdev->nvqs; i++)
		vdev->vqs[i]->broken = true;
	if (vdev->common.bar) {
		/* Stop the device from touching the rings before anyone reuses them. */
		device_reset(vdev);
		cc_write8(vdev, CC_STATUS, S_FAILED);
	}
	pr_err("virtio %s: %s: device reset and given up\n", vdev->name, why);
}

/* ---- capabilities ---- */

static int map_window(struct virtio_device *v, struct window *w, uint8_t bar, uint32_t off,
		      uint32_t len)
{
	struct pci_bar_info bi;

	if (w->bar)
		return 0;	/* the first of each type wins, as the spec says */
	if (bar >= PCI_MAX_BARS || pci_bar_info(v->pci, bar, &bi) ||
	    (bi.type != PCI_BAR_MEM32 && bi.type != PCI_BAR_MEM64) ||
	    (uint64_t)off + len > bi.size || len == 0)
		return -EINVAL;	/* I/O-port windows (legacy) are not used */
	if (!v->bars[bar] && pci_bar_mmio(v->pci, bar, &v->bars[bar]))
		return -ENODEV;
	w->bar = v->bars[bar];
	w->off = off;
	w->len = len;
	return 0;
}

static void find_caps(struct virtio_device *v)
{
	uint8_t pos = pci_cfg_read8(v->pci, 0x34) & 0xfc;

	for (int n = 0; pos && n < 48; n++, pos = pci_cfg_read8(v->pci, (uint16_t)(pos + 1)) & 0xfc) {
		uint8_t type = pci_cfg_read8(v->pci, (uint16_t)(pos + 3));
		uint8_t bar = pci_cfg_read8(v->pci, (uint16_t)(pos + 4));
		uint32_t off = pci_cfg_read32(v->pci, (uint16_t)(pos + 8));
		uint32_t len = pci_cfg_read32(v->pci, (uint16_t)(pos + 12));

		if (pci_cfg_read8(v->pci, pos) != PCI_CAP_VENDOR)
			continue;
		if (type == CAP_COMMON && len >= CC_LEN)
			map_window(v, &v->common, bar, off, len);
		else if (type == CAP_NOTIFY && !v->notify.bar &&
			 !map_window(v, &v->notify, bar, off, len))
			v->notify_mult = pci_cfg_read32(v->pci, (uint16_t)(pos + 16));
		else if (type == CAP_ISR)
			map_window(v, &v->isr, bar, off, len);
		else if (type == CAP_DEVICE)
			map_window(v, &v->device, bar, off, len);
	}
}

/* ---- features ---- */

int virtio_negotiate(struct virtio_device *vdev, uint64_t wanted, uint64_t *got)
{
	uint64_t have;

	if (virtio_broken(vdev))
		return -ENODEV;
	device_reset(vdev);
	status_set(vdev, S_ACKNOWLEDGE);
	status_set(vdev, S_DRIVER);
	cc_write32(vdev, CC_DFSELECT, 0);
	have = cc_read32(vdev, CC_DF);
	cc_write32(vdev, CC_DFSELECT, 1);
	have |= (uint64_t)cc_read32(vdev, CC_DF) << 32;
	*got = have & (wanted | VIRTIO_BIT(VIRTIO_F_VERSION_1));
	if (!(*got & VIRTIO_BIT(VIRTIO_F_VERSION_1)))
		return -ENODEV;
	cc_write32(vdev, CC_GFSELECT, 0);
	cc_write32(vdev, CC_GF, (uint32_t)*got);
	cc_write32(vdev, CC_GFSELECT, 1);
	cc_write32(vdev, CC_GF, (uint32_t)(*got >> 32));
	status_set(vdev, S_FEATURES_OK);
	if (!(cc_read8(vdev, CC_STATUS) & S_FEATURES_OK))
		return -ENODEV;
	return 0;
}

/* ---- interrupts ---- */

static void queue_irq(struct virtqueue *vq)
{
	if (vq->callback && !vq->broken)
		vq->callback(vq, vq->arg);
}

static void config_changed(struct virtio_device *v)
{
	if (!virtio_broken(v) && (cc_read8(v, CC_STATUS) & S_NEEDS_RESET))
		virtio_fail(v, "the device asks for a reset");
}

static enum irq_return msix_queue_irq(void *arg)
{
	queue_irq(arg);
	return IRQ_HANDLED;
}

static enum irq_return msix_config_irq(void *arg)
{
	config_changed(arg);
	return IRQ_HANDLED;
}

static enum irq_return shared_irq(void *arg)
{
	struct virtio_device *v = arg;

	config_changed(v);
	for (unsigned int i = 0; i < v->nvqs; i++)
		queue_irq(v->vqs[i]);
	return IRQ_HANDLED;
}

/* INTx: the ISR byte says whether it was us (reading it deasserts). */
static enum irq_return intx_irq(void *arg)
{
	struct virtio_device *v = arg;
	uint8_t isr = mmio_read8(v->isr.bar, v->isr.off);

	if (isr == 0 || isr == 0xff)
		return IRQ_NONE;
	if (isr & 2)
		config_changed(v);
	if (isr & 1) {
		for (unsigned int i = 0; i < v->nvqs; i++)
			queue_irq(v->vqs[i]);
	}
	return IRQ_HANDLED;
}

/* MSI-X with a vector per queue, else one for all, else INTx. */
static int irq_setup(struct virtio_device *v, unsigned int n)
{
	unsigned int table = pci_msix_table_size(v->pci);

	if (table >= n + 1 && pci_msix_enable(v->pci, n + 1, v->lines) == 0) {
		v->mode = IRQ_MSIX_PER_QUEUE;
		v->nlines = n + 1;
	} else if (table >= 1 && pci_msix_enable(v->pci, 1, v->lines) == 0) {
		v->mode = IRQ_MSIX_SHARED;
		v->nlines = 1;
	} else {
		v->lines[0] = pci_intx_line(v->pci);
		if (!v->lines[0] || !v->isr.bar)
			return -ENODEV;
		v->mode = IRQ_INTX;
		v->nlines = 1;
	}
	cc_write16(v, CC_MSIX_CONFIG, v->mode == IRQ_INTX ? NO_VECTOR : 0);
	if (v->mode != IRQ_INTX && cc_read16(v, CC_MSIX_CONFIG) != 0)
		return -ENODEV;
	return 0;
}

static int irq_register_all(struct virtio_device *v)
{
	bool ok = true;

	switch (v->mode) {
	case IRQ_MSIX_PER_QUEUE:
		ok = irq_register(v->lines[0], msix_config_irq, v) != NULL;
		for (unsigned int i = 0; i < v->nvqs && ok; i++)
			ok = irq_register(v->lines[i + 1], msix_queue_irq, v->vqs[i]) != NULL;
		break;
	case IRQ_MSIX_SHARED:
		ok = irq_register(v->lines[0], shared_irq, v) != NULL;
		break;
	case IRQ_INTX:
		ok = irq_register(v->lines[0], intx_irq, v) != NULL;
		break;
	}
	return ok ? 0 : -EBUSY;
}

/* ---- queues ---- */

static uint16_t pow2_floor(uint16_t x)
{
	uint16_t p = 1;

	while ((uint32_t)p * 2 <= x)
		p = (uint16_t)(p * 2);
	return p;
}

static int queue_setup(struct virtio_device *v, uint16_t index, const struct virtqueue_info *qi,
		       struct virtqueue **out)
{
	uint16_t size, vector, noff;
	uint64_t notify_at;
	struct virtqueue *vq;
	int err;

	cc_write16(v, CC_Q_SELECT, index);
	size = cc_read16(v, CC_Q_SIZE);
	if (size == 0 || size == 0xffff || cc_read16(v, CC_Q_ENABLE))
		return -ENODEV;
	size = pow2_floor(MIN(size, qi->max_size ? qi->max_size : size));
	noff = cc_read16(v, CC_Q_NOFF);
	notify_at = (uint64_t)noff * v->notify_mult;
	if (notify_at + 2 > v->notify.len)
		return -ENODEV;
	err = vq_create(v->pci, size, &vq);
	if (err)
		return err;
	vq->vdev = v;
	vq->index = index;
	vq->notify = v->notify.bar;
	vq->notify_off = v->notify.off + notify_at;
	vq->callback = qi->callback;
	vq->arg = qi->arg;
	cc_write16(v, CC_Q_SIZE, size);
	cc_write64(v, CC_Q_DESC, dma_coherent_dev_addr(vq->desc));
	cc_write64(v, CC_Q_DRIVER, dma_coherent_dev_addr(vq->avail));
	cc_write64(v, CC_Q_DEVICE, dma_coherent_dev_addr(vq->used));
	vector = v->mode == IRQ_MSIX_PER_QUEUE ? (uint16_t)(index + 1) :
		 v->mode == IRQ_MSIX_SHARED ? 0 : NO_VECTOR;
	cc_write16(v, CC_Q_MSIX, vector);
	if (cc_read16(v, CC_Q_MSIX) != vector) {
		device_reset(v);	/* it may know the rings: forget them first */
		vq_destroy(vq);
		return -ENODEV;
	}
	cc_write16(v, CC_Q_ENABLE, 1);
	*out = vq;
	return 0;
}

int virtio_setup_queues(struct virtio_device *vdev, unsigned int n,
			const struct virtqueue_info *info, struct virtqueue **vqs)
{
	int err;

	if (virtio_broken(vdev))
		return -ENODEV;
	if (n == 0 || n > MAX_QUEUES || vdev->nvqs)
		return -EINVAL;
	if (n > cc_read16(vdev, CC_NUM_QUEUES) || !vdev->notify.bar)
		return -ENODEV;
	err = irq_setup(vdev, n);
	for (unsigned int i = 0; i < n && !err; i++) {
		err = queue_setup(vdev, (uint16_t)i, &info[i], &vqs[i]);
		if (!err)
			vdev->vqs[vdev->nvqs++] = vqs[i];
	}
	if (!err)
		err = irq_register_all(vdev);
	if (!err)
		pr_info("virtio %s: %u queue%s, %s\n", vdev->name, n, n == 1 ? "" : "s",
			vdev->mode == IRQ_MSIX_PER_QUEUE ? "an MSI-X vector each" :
			vdev->mode == IRQ_MSIX_SHARED ? "one shared MSI-X vector" : "INTx");
	return err;
}

void virtio_ready(struct virtio_device *vdev)
{
	if (!virtio_broken(vdev))
		status_set(vdev, S_DRIVER_OK);
}

/* ---- discovery ---- */

static uint16_t transitional_id(unsigned int type)
{
	switch (type) {
	case VIRTIO_ID_NET:
		return 0x1000;
	case VIRTIO_ID_BLOCK:
		return 0x1001;
	default:
		return 0;
	}
}

static bool is_type(struct pci_device *pci, unsigned int type)
{
	const struct pci_device_info *i = pci_info(pci);

	if (i->vendor_id != VIRTIO_VENDOR)
		return false;
	return i->device_id == VIRTIO_MODERN_BASE + type ||
	       (i->device_id == transitional_id(type) && transitional_id(type));
}

static struct virtio_device *vdev_new(struct pci_device *pci)
{
	const struct pci_device_info *i = pci_info(pci);
	struct virtio_device *v = kzalloc(sizeof(*v));

	if (!v)
		return NULL;
	v->pci = pci;
	snprintf(v->name, sizeof(v->name), "%04x:%02x:%02x.%u", i->segment, i->bus, i->dev,
		 i->fn);
	return v;
}

int virtio_pci_probe_each(unsigned int type, int (*probe)(struct virtio_device *vdev))
{
	int found = 0;

	for (unsigned int k = 0; k < pci_device_count(); k++) {
		struct pci_device *pci = pci_device_at(k);
		struct virtio_device *v;
		int err;

		if (!pci || !is_type(pci, type))
			continue;
		v = vdev_new(pci);
		if (!v)
			return found ? found : -ENOMEM;
		find_caps(v);
		if (!v->common.bar) {
			pr_warn("virtio %s: no virtio 1.x capabilities (legacy only): skipped\n",
				v->name);
			continue;	/* v stays: its BAR mappings are held */
		}
		pci_enable(pci, PCI_ENABLE_MEM | PCI_ENABLE_BUS_MASTER);
		err = probe(v);
		if (err) {
			char why[48];

			snprintf(why, sizeof(why), "probe failed (%d)", err);
			virtio_fail(v, why);
			continue;
		}
		found++;
	}
	return found;
}
