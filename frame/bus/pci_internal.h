/* SPDX-License-Identifier: MPL-2.0 */
/* Private to frame/bus/: the PCI device record shared by pci.c and pci_msi.c. */
#ifndef ASTER_FRAME_BUS_PCI_INTERNAL_H
#define ASTER_FRAME_BUS_PCI_INTERNAL_H

#include <aster/pci.h>
#include "bus_internal.h"

#define PCI_COMMAND		0x04
#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_INTX_OFF	0x0400
#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x0010
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34
#define PCI_INTERRUPT_LINE	0x3c

struct pci_bar {
	enum pci_bar_type type;
	bool prefetchable;
	uint64_t base;		/* bus address; 0 when unassigned */
	uint64_t size;
};

struct msix_vector {
	struct pci_device *dev;
	unsigned int index;
	struct irq_line *line;
};

struct pci_device {
	struct pci_device *next;
	struct pci_addr addr;
	struct pci_device_info info;
	struct pci_bar bars[PCI_MAX_BARS];
	unsigned int nr_bars;
	uint16_t cfg_size;
	uint8_t msi_cap, msix_cap;	/* capability offsets, 0 when absent */
	bool msi_busy;			/* MSI or MSI-X enabled or being set up */
	struct irq_line *msi_line;	/* MSI enabled */
	unsigned int msix_n;		/* MSI-X vectors enabled */
	volatile uint32_t *msix_table;
	struct msix_vector msix[PCI_MSIX_MAX_VECTORS];
};

/* Raw configuration access for frame (no write filter). */
uint32_t pci_raw_read(const struct pci_device *d, uint16_t off, unsigned int width);
void pci_raw_write(const struct pci_device *d, uint16_t off, unsigned int width, uint32_t v);
void pci_command_update(struct pci_device *d, uint16_t set, uint16_t clear);

/* MSI/MSI-X capability layout (pci_msi.c): bytes the capability spans. */
uint8_t pci_msi_cap_len(const struct pci_device *d);
#define PCI_MSIX_CAP_LEN	12
/* Where the MSI-X table is: BAR index and offset; false without MSI-X. */
bool pci_msix_table_location(struct pci_device *d, unsigned int *bar, uint64_t *off,
			     uint64_t *len);

#endif
