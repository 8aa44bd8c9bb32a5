/* SPDX-License-Identifier: MPL-2.0 */
/*
 * PCI devices.  frame enumerates every bus at boot (ECAM when the ACPI MCFG
 * table has it, else configuration ports), sizes each BAR, and keeps a list
 * of devices; kernel/ finds its device there and gets typed access to it:
 *
 *	struct pci_device *dev = pci_find_device(0x8086, 0x100e, NULL);
 *	struct mmio_region *regs;
 *	struct irq_line *line;
 *
 *	if (!dev || pci_bar_mmio(dev, 0, &regs))
 *		return -ENODEV;
 *	pci_enable(dev, PCI_ENABLE_MEM | PCI_ENABLE_BUS_MASTER);
 *	if (pci_msi_enable(dev, &line) != 0)
 *		line = pci_intx_line(dev);		legacy INTx fallback
 *	irq_register(line, nic_irq, nic);
 *
 * Configuration space is reachable only through the device's handle and
 * only inside that device's own space.  Writes that would let a driver
 * move the device's address decoders or its interrupt messages (the BARs,
 * the expansion ROM BAR, a bridge's bus numbers and windows, the MSI and
 * MSI-X capabilities) are refused with -EPERM: those go through the calls
 * below, so a device can never be pointed at the kernel's memory.
 */
#ifndef ASTER_PCI_H
#define ASTER_PCI_H

#include <aster/io.h>
#include <aster/irq.h>
#include <aster/types.h>

struct pci_device;

struct pci_device_info {
	uint16_t segment;
	uint8_t bus, dev, fn;
	uint16_t vendor_id, device_id;
	uint16_t subsys_vendor_id, subsys_id;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type;	/* 0 device, 1 PCI-PCI bridge, 2 CardBus bridge */
	uint8_t irq_pin;	/* 1-4 for INTA-INTD, 0 none */
};

enum pci_bar_type {
	PCI_BAR_NONE,
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,		/* takes two BAR slots: the second reads as NONE */
};

struct pci_bar_info {
	enum pci_bar_type type;
	bool prefetchable;
	bool assigned;		/* the firmware gave it an address */
	uint64_t size;		/* bytes, a power of two */
};

#define PCI_MAX_BARS	6

/* The device list, in bus order. */
unsigned int pci_device_count(void);
struct pci_device *pci_device_at(unsigned int index);
/* The next device after `from` (NULL: the first) with these ids / this class. */
struct pci_device *pci_find_device(uint16_t vendor, uint16_t device, struct pci_device *from);
struct pci_device *pci_find_class(uint8_t class_code, uint8_t subclass,
				  struct pci_device *from);

const struct pci_device_info *pci_info(const struct pci_device *dev);
/* 0, or -EINVAL for a bar >= PCI_MAX_BARS. */
int pci_bar_info(const struct pci_device *dev, unsigned int bar, struct pci_bar_info *out);

/*
 * The device's configuration space: offsets below 256, or 4096 for PCI
 * Express functions reached through ECAM; naturally aligned.  Bad offsets
 * read as all ones; writes return 0, -EINVAL (offset) or -EPERM (see above).
 */
uint8_t pci_cfg_read8(struct pci_device *dev, uint16_t off);
uint16_t pci_cfg_read16(struct pci_device *dev, uint16_t off);
uint32_t pci_cfg_read32(struct pci_device *dev, uint16_t off);
int pci_cfg_write8(struct pci_device *dev, uint16_t off, uint8_t v);
int pci_cfg_write16(struct pci_device *dev, uint16_t off, uint16_t v);
int pci_cfg_write32(struct pci_device *dev, uint16_t off, uint32_t v);

/* Offset of the first capability with this id (PCI_CAP_*), or -ENOENT. */
int pci_find_capability(struct pci_device *dev, uint8_t cap_id);

#define PCI_CAP_PM		0x01
#define PCI_CAP_MSI		0x05
#define PCI_CAP_VENDOR		0x09
#define PCI_CAP_EXP		0x10
#define PCI_CAP_MSIX		0x11

/* Turn on decoding and bus mastering (the command register bits). */
#define PCI_ENABLE_IO		0x1
#define PCI_ENABLE_MEM		0x2
#define PCI_ENABLE_BUS_MASTER	0x4
int pci_enable(struct pci_device *dev, unsigned int what);
int pci_disable(struct pci_device *dev, unsigned int what);

/*
 * Claim a BAR as an I/O port region or map it as an MMIO region (release
 * with io_port_release / mmio_unmap).  -EINVAL (no such BAR or wrong type),
 * -ENODEV (not assigned an address), or the io.h errors.  MMIO writes to an
 * MSI-X table or pending-bit array inside the BAR are refused.
 */
int pci_bar_io(struct pci_device *dev, unsigned int bar, struct io_port_region **out);
int pci_bar_mmio(struct pci_device *dev, unsigned int bar, struct mmio_region **out);

/*
 * Message-signalled interrupts.  pci_msi_enable gives the device one vector
 * on a new line (INTx is disabled meanwhile); pci_msix_enable programs the
 * first n MSI-X table entries, one line each.  -ENOTSUP without the
 * capability, -EBUSY if already enabled, -ENOSPC without free vectors.
 * Unregister the handlers before disabling; disabling frees the lines.
 */
int pci_msi_enable(struct pci_device *dev, struct irq_line **line);
void pci_msi_disable(struct pci_device *dev);

#define PCI_MSIX_MAX_VECTORS	8
int pci_msix_enable(struct pci_device *dev, unsigned int n, struct irq_line **lines);
void pci_msix_disable(struct pci_device *dev);
/* Entries in the device's MSI-X table, 0 without MSI-X. */
unsigned int pci_msix_table_size(struct pci_device *dev);

/*
 * The legacy INTx line, as the firmware routed it (its interrupt-line
 * register, taken as an ISA IRQ; level-triggered).  NULL if the device has
 * no pin or no route.  Shared: return IRQ_NONE when it was not your device.
 */
struct irq_line *pci_intx_line(struct pci_device *dev);

#endif
