/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Typed device access: I/O port regions and MMIO regions.  A region is a
 * claim on a range; every access names the region and an offset into it,
 * which is checked (offset + width within the region, MMIO offsets naturally
 * aligned).  A rejected read returns all ones, as a missing device would,
 * and logs a warning; a rejected write returns -EINVAL and does nothing.
 *
 *	struct io_port_region *kbd;
 *	int err = io_port_claim(0x60, 1, &kbd);	-EBUSY if someone has it
 *	uint8_t scancode = io_read8(kbd, 0);
 *
 *	struct mmio_region *regs;
 *	err = pci_bar_mmio(dev, 0, &regs);		usually from a PCI BAR
 *	uint32_t status = mmio_read32(regs, 0x08);
 *	mmio_write32(regs, 0x0c, status);
 *
 * frame claims what it drives itself (serial console, PIC, PIT, CMOS,
 * PCI configuration ports, ACPI PM registers, the debug-exit port; local
 * APIC, IOAPIC, HPET and PCI ECAM memory), so those cannot be claimed.
 * mmio_map refuses RAM: a device window must not alias the kernel's memory.
 * PCI BARs are reached through their device (aster/pci.h), not by address.
 */
#ifndef ASTER_IO_H
#define ASTER_IO_H

#include <aster/types.h>

struct io_port_region;
struct mmio_region;

/*
 * Claim ports [base, base+len).  0, -EINVAL (empty or past port 0xffff),
 * -EBUSY (overlaps a claim), -EPERM (a PCI device's BAR: use pci_bar_io),
 * -ENOMEM.
 */
int io_port_claim(uint16_t base, uint32_t len, struct io_port_region **out);
void io_port_release(struct io_port_region *r);
uint32_t io_port_len(const struct io_port_region *r);

uint8_t io_read8(struct io_port_region *r, uint32_t off);
uint16_t io_read16(struct io_port_region *r, uint32_t off);
uint32_t io_read32(struct io_port_region *r, uint32_t off);
int io_write8(struct io_port_region *r, uint32_t off, uint8_t v);
int io_write16(struct io_port_region *r, uint32_t off, uint16_t v);
int io_write32(struct io_port_region *r, uint32_t off, uint32_t v);

/*
 * Map device memory [phys, phys+len) uncached.  0, -EINVAL (empty or
 * wrapping), -EPERM (overlaps RAM, the kernel, or a PCI device's BAR: use
 * pci_bar_mmio), -EBUSY (overlaps a claim), -ENOTSUP (above 4 GiB: not
 * reachable until frame has a page-table API), -ENOMEM.
 */
int mmio_map(uint64_t phys, uint64_t len, struct mmio_region **out);
void mmio_unmap(struct mmio_region *m);
uint64_t mmio_len(const struct mmio_region *m);

uint8_t mmio_read8(struct mmio_region *m, uint64_t off);
uint16_t mmio_read16(struct mmio_region *m, uint64_t off);
uint32_t mmio_read32(struct mmio_region *m, uint64_t off);
uint64_t mmio_read64(struct mmio_region *m, uint64_t off);
int mmio_write8(struct mmio_region *m, uint64_t off, uint8_t v);
int mmio_write16(struct mmio_region *m, uint64_t off, uint16_t v);
int mmio_write32(struct mmio_region *m, uint64_t off, uint32_t v);
int mmio_write64(struct mmio_region *m, uint64_t off, uint64_t v);

#endif
