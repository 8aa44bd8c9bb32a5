/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to frame/: what the machine-independent device code (frame/bus/)
 * needs from the architecture: PCI configuration-space access, and the
 * claims frame makes on port and MMIO ranges it drives itself.
 */
#ifndef ASTER_FRAME_BUS_INTERNAL_H
#define ASTER_FRAME_BUS_INTERNAL_H

#include <aster/types.h>

struct mmio_region;

/* Ranges frame itself drives: claims by kernel/ overlapping them fail. */
void io_port_reserve(uint16_t base, uint16_t len, const char *owner);
void mmio_reserve(uint64_t phys, uint64_t len, const char *owner);
/*
 * Does [base, base+len) overlap a PCI BAR (in port space when io)?  kernel/
 * reaches BARs only through the device handle (pci_bar_io/pci_bar_mmio),
 * which use the _device variants below that skip this check.
 */
bool pci_bar_overlaps(bool io, uint64_t base, uint64_t len);
struct io_port_region;
int io_port_claim_device(uint16_t base, uint32_t len, struct io_port_region **out);
int mmio_map_device(uint64_t phys, uint64_t len, struct mmio_region **out);

/* Refuse writes to [off, off+len) of a region (an MSI-X table in a BAR). */
void mmio_protect(struct mmio_region *m, uint64_t off, uint64_t len);

/* Enumerate the buses (after pci_cfg_init found the ECAM windows). */
void pci_init(void);

/* One PCI function's address. */
struct pci_addr {
	uint16_t seg;
	uint8_t bus, dev, fn;
};

/*
 * Configuration space: ECAM when the MCFG covers the bus (4 KiB per
 * function), else the 0xcf8/0xcfc ports (256 bytes, segment 0 only).
 * width is 1, 2 or 4 and off must be aligned to it.  Reads of absent
 * functions return all ones.  Returns 0 or -EINVAL.
 */
int pci_cfg_read(struct pci_addr a, uint16_t off, unsigned int width, uint32_t *val);
int pci_cfg_write(struct pci_addr a, uint16_t off, unsigned int width, uint32_t val);
/* Bytes of configuration space reachable for a function: 4096 or 256. */
uint16_t pci_cfg_size(struct pci_addr a);
/* For ktests: the same read forced through one mechanism; -ENODEV if unavailable. */
int pci_cfg_read_ports(struct pci_addr a, uint16_t off, uint32_t *val);
int pci_cfg_read_ecam(struct pci_addr a, uint16_t off, uint32_t *val);

/* The ISA IRQ a PCI INTx was routed to, as a level-triggered line. */
struct irq_line;
struct irq_line *irq_line_for_pci_isa(unsigned int isa_irq);

/* The frame-visible address of an MMIO range below 4 GiB, or NULL. */
volatile void *mmio_frame_ptr(uint64_t phys, uint64_t len);

#endif
