// SPDX-License-Identifier: MPL-2.0
// MSI and MSI-X (PCI Local Bus 3.0, section 6.8): frame programs the message
// address and data from a vector of its own allocator, so a device's
// interrupt writes can only ever hit the local APIC.
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/sync.h>
#include "../irq/irq_internal.h"
#include "pci_internal.h"

#define MSI_CTRL		2
#define MSI_ADDR_LO		4
#define MSI_CTRL_ENABLE		0x0001
#define MSI_CTRL_MME		0x0070	/* multiple message enable: we use one */
#define MSI_CTRL_64BIT		0x0080
#define MSI_CTRL_MASKABLE	0x0100	/* per-vector masking */

#define MSIX_CTRL		2
#define MSIX_TABLE		4
#define MSIX_CTRL_SIZE		0x07ff
#define MSIX_CTRL_MASK_ALL	0x4000
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_ENTRY_SIZE		16
#define MSIX_ENTRY_MASKED	0x1

static spinlock_t msi_lock = SPINLOCK_INIT;

static uint16_t msi_ctrl(const struct pci_device *d)
{
	return (uint16_t)pci_raw_read(d, d->msi_cap + MSI_CTRL, 2);
}

uint8_t pci_msi_cap_len(const struct pci_device *d)
{
	uint16_t ctrl = msi_ctrl(d);
	uint8_t len = ctrl & MSI_CTRL_64BIT ? 14 : 10;

	return ctrl & MSI_CTRL_MASKABLE ? (uint8_t)(len + 10) : len;
}

/* Offsets of the data and mask registers, which move with the 64-bit address. */
static uint16_t msi_data_off(const struct pci_device *d)
{
	return (uint16_t)(d->msi_cap + (msi_ctrl(d) & MSI_CTRL_64BIT ? 12 : 8));
}

static void msi_set_mask(struct pci_device *d, bool masked)
{
	if (!(msi_ctrl(d) & MSI_CTRL_MASKABLE))
		return;		/* without per-vector masking the line cannot be masked */
	pci_raw_write(d, (uint16_t)(msi_data_off(d) + 4), 4, masked ? 1 : 0);
}

static void msi_mask(struct irq_line *line, void *data)
{
	(void)line;
	msi_set_mask(data, true);
}

static void msi_unmask(struct irq_line *line, void *data)
{
	(void)line;
	msi_set_mask(data, false);
}

static const struct irq_line_ops msi_ops = { msi_mask, msi_unmask };

/* One of MSI and MSI-X at a time, set up by one caller at a time. */
static bool claim_msi(struct pci_device *dev)
{
	irqflags_t flags = spin_lock_irqsave(&msi_lock);
	bool busy = dev->msi_busy;

	dev->msi_busy = true;
	spin_unlock_irqrestore(&msi_lock, flags);
	return !busy;
}

static void release_msi(struct pci_device *dev)
{
	__atomic_store_n(&dev->msi_busy, false, __ATOMIC_RELEASE);
}

int pci_msi_enable(struct pci_device *dev, struct irq_line **out)
{
	struct irq_line *line;
	uint64_t addr;
	uint32_t data;
	uint16_t ctrl;

	if (!dev || !dev->msi_cap)
		return -ENOTSUP;
	if (!claim_msi(dev))
		return -EBUSY;
	line = irq_line_alloc();
	if (!line) {
		release_msi(dev);
		return -ENOSPC;
	}
	arch_msi_message(irq_line_vector(line), &addr, &data);
	ctrl = msi_ctrl(dev);
	pci_raw_write(dev, dev->msi_cap + MSI_CTRL, 2, ctrl & ~(MSI_CTRL_ENABLE | MSI_CTRL_MME));
	pci_raw_write(dev, dev->msi_cap + MSI_ADDR_LO, 4, (uint32_t)addr);
	if (ctrl & MSI_CTRL_64BIT)
		pci_raw_write(dev, dev->msi_cap + MSI_ADDR_LO + 4, 4, (uint32_t)(addr >> 32));
	pci_raw_write(dev, msi_data_off(dev), 2, data);
	msi_set_mask(dev, true);	/* until the first handler registers */
	irq_line_set_ops(line, &msi_ops, dev);
	pci_command_update(dev, PCI_COMMAND_INTX_OFF, 0);
	pci_raw_write(dev, dev->msi_cap + MSI_CTRL, 2, (ctrl & ~MSI_CTRL_MME) | MSI_CTRL_ENABLE);
	dev->msi_line = line;
	*out = line;
	return 0;
}

void pci_msi_disable(struct pci_device *dev)
{
	struct irq_line *line;

	if (!dev || !dev->msi_line)
		return;
	line = dev->msi_line;
	pci_raw_write(dev, dev->msi_cap + MSI_CTRL, 2, msi_ctrl(dev) & ~MSI_CTRL_ENABLE);
	pci_command_update(dev, 0, PCI_COMMAND_INTX_OFF);
	irq_line_set_ops(line, NULL, NULL);
	irq_line_free(line);
	dev->msi_line = NULL;
	release_msi(dev);
}

/* ---- MSI-X ---- */

static uint16_t msix_ctrl(const struct pci_device *d)
{
	return (uint16_t)pci_raw_read(d, d->msix_cap + MSIX_CTRL, 2);
}

unsigned int pci_msix_table_size(struct pci_device *dev)
{
	return dev && dev->msix_cap ? (msix_ctrl(dev) & MSIX_CTRL_SIZE) + 1U : 0;
}

bool pci_msix_table_location(struct pci_device *d, unsigned int *bar, uint64_t *off,
			     uint64_t *len)
{
	uint32_t table;

	if (!d->msix_cap)
		return false;
	table = pci_raw_read(d, d->msix_cap + MSIX_TABLE, 4);
	*bar = table & 7;
	*off = table & ~7U;
	*len = (uint64_t)pci_msix_table_size(d) * MSIX_ENTRY_SIZE;
	return true;
}

/* The table through frame's own window onto the BAR, or NULL. */
static volatile uint32_t *msix_table(struct pci_device *d)
{
	unsigned int bar;
	uint64_t off, len;
	const struct pci_bar *b;

	if (!pci_msix_table_location(d, &bar, &off, &len) || bar >= d->nr_bars)
		return NULL;
	b = &d->bars[bar];
	if ((b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64) || !b->base ||
	    off > b->size || len > b->size - off)
		return NULL;
	return mmio_frame_ptr(b->base + off, len);
}

static void msix_entry_mask(struct msix_vector *v, bool masked)
{
	volatile uint32_t *ctrl = v->dev->msix_table + v->index * 4 + 3;

	*ctrl = masked ? *ctrl | MSIX_ENTRY_MASKED : *ctrl & ~MSIX_ENTRY_MASKED;
}

static void msix_mask(struct irq_line *line, void *data)
{
	(void)line;
	msix_entry_mask(data, true);
}

static void msix_unmask(struct irq_line *line, void *data)
{
	(void)line;
	msix_entry_mask(data, false);
}

static const struct irq_line_ops msix_ops = { msix_mask, msix_unmask };

/* Undo the first n vectors' setup (lines without handlers). */
static void msix_release(struct pci_device *dev, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct msix_vector *v = &dev->msix[i];

		msix_entry_mask(v, true);
		irq_line_set_ops(v->line, NULL, NULL);
		irq_line_free(v->line);
		v->line = NULL;
	}
}

static int msix_setup_vector(struct pci_device *dev, unsigned int i, struct irq_line **out)
{
	struct msix_vector *v = &dev->msix[i];
	volatile uint32_t *e = dev->msix_table + i * 4;
	uint64_t addr;
	uint32_t data;

	v->line = irq_line_alloc();
	if (!v->line)
		return -ENOSPC;
	v->dev = dev;
	v->index = i;
	arch_msi_message(irq_line_vector(v->line), &addr, &data);
	e[3] |= MSIX_ENTRY_MASKED;	/* masked until a handler registers */
	e[0] = (uint32_t)addr;
	e[1] = (uint32_t)(addr >> 32);
	e[2] = data;
	irq_line_set_ops(v->line, &msix_ops, v);
	*out = v->line;
	return 0;
}

int pci_msix_enable(struct pci_device *dev, unsigned int n, struct irq_line **lines)
{
	uint16_t ctrl;

	if (!dev || !dev->msix_cap)
		return -ENOTSUP;
	if (n == 0 || n > PCI_MSIX_MAX_VECTORS || n > pci_msix_table_size(dev))
		return -EINVAL;
	if (!claim_msi(dev))
		return -EBUSY;
	dev->msix_table = msix_table(dev);
	if (!dev->msix_table) {
		release_msi(dev);
		return -ENOTSUP;
	}
	/* The table lives in memory space: decode must be on to reach it. */
	pci_command_update(dev, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_OFF, 0);
	ctrl = msix_ctrl(dev);
	pci_raw_write(dev, dev->msix_cap + MSIX_CTRL, 2,
		      ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_MASK_ALL);
	for (unsigned int i = 0; i < n; i++) {
		if (msix_setup_vector(dev, i, &lines[i]) == 0)
			continue;
		msix_release(dev, i);
		pci_raw_write(dev, dev->msix_cap + MSIX_CTRL, 2, ctrl & ~MSIX_CTRL_ENABLE);
		release_msi(dev);
		return -ENOSPC;
	}
	pci_raw_write(dev, dev->msix_cap + MSIX_CTRL, 2,
		      (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASK_ALL);
	dev->msix_n = n;
	return 0;
}

void pci_msix_disable(struct pci_device *dev)
{
	if (!dev || !dev->msix_n)
		return;
	pci_raw_write(dev, dev->msix_cap + MSIX_CTRL, 2,
		      msix_ctrl(dev) & ~(MSIX_CTRL_ENABLE | MSIX_CTRL_MASK_ALL));
	msix_release(dev, dev->msix_n);
	pci_command_update(dev, 0, PCI_COMMAND_INTX_OFF);
	dev->msix_n = 0;
	release_msi(dev);
}
