// SPDX-License-Identifier: MPL-2.0
// PCI configuration-space access: memory-mapped ECAM windows from the MCFG
// (PCI Express; reached through the direct map, uncached below 4 GiB), else
// configuration mechanism #1 through ports 0xcf8/0xcfc.
#include <aster/errno.h>
#include <aster/log.h>
#include <aster/sync.h>
#include "../../bus/bus_internal.h"
#include "acpi_internal.h"
#include "cpu.h"
#include "devices.h"

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_CONFIG_ENABLE	0x80000000U
#define PCI_CFG_LEGACY_SIZE	256
#define PCI_CFG_ECAM_SIZE	4096

struct ecam_window {
	volatile uint8_t *virt;		/* bus 0 of the segment, even if not covered */
	uint16_t seg;
	uint8_t bus_start, bus_end;
};

static struct ecam_window windows[ACPI_MAX_MCFG];
static unsigned int nr_windows;
/* The address/data port pair is one transaction: keep it whole. */
static spinlock_t port_lock = SPINLOCK_INIT;

void pci_cfg_init(void)
{
	const struct acpi_platform *p = acpi_platform();

	for (unsigned int i = 0; i < p->nr_mcfg; i++) {
		const struct acpi_mcfg *m = &p->mcfg[i];
		uint64_t start = m->base + ((uint64_t)m->bus_start << 20);
		uint64_t len = ((uint64_t)m->bus_end - m->bus_start + 1) << 20;

		if (m->base >= DIRECT_MAP_BOOT_SIZE || start + len > DIRECT_MAP_BOOT_SIZE) {
			pr_warn("PCI: ECAM window at 0x%lx is above 4 GiB, not used yet\n", start);
			continue;
		}
		windows[nr_windows++] = (struct ecam_window){
			.virt = phys_to_virt(m->base), .seg = m->segment,
			.bus_start = m->bus_start, .bus_end = m->bus_end,
		};
		mmio_reserve(start, len, "pci ecam");
		pr_info("PCI: ECAM [mem 0x%lx-0x%lx] for domain %04x [bus %02x-%02x]\n", start,
			start + len - 1, m->segment, m->bus_start, m->bus_end);
	}
}

static const struct ecam_window *ecam_for(struct pci_addr a)
{
	for (unsigned int i = 0; i < nr_windows; i++)
		if (windows[i].seg == a.seg && a.bus >= windows[i].bus_start &&
		    a.bus <= windows[i].bus_end)
			return &windows[i];
	return NULL;
}

static volatile uint8_t *ecam_ptr(const struct ecam_window *w, struct pci_addr a, uint16_t off)
{
	return w->virt + ((uint64_t)a.bus << 20 | (uint64_t)a.dev << 15 |
			  (uint64_t)a.fn << 12 | off);
}

uint16_t pci_cfg_size(struct pci_addr a)
{
	return ecam_for(a) ? PCI_CFG_ECAM_SIZE : PCI_CFG_LEGACY_SIZE;
}

static bool args_ok(struct pci_addr a, uint16_t off, unsigned int width)
{
	if (a.dev >= 32 || a.fn >= 8 || (width != 1 && width != 2 && width != 4))
		return false;
	return (off & (width - 1)) == 0 && off + width <= pci_cfg_size(a);
}

static uint32_t port_address(struct pci_addr a, uint16_t off)
{
	return PCI_CONFIG_ENABLE | (uint32_t)a.bus << 16 | (uint32_t)a.dev << 11 |
	       (uint32_t)a.fn << 8 | (off & 0xfc);
}

static uint32_t port_read(struct pci_addr a, uint16_t off, unsigned int width)
{
	uint16_t data = (uint16_t)(PCI_CONFIG_DATA + (off & 3));
	irqflags_t flags = spin_lock_irqsave(&port_lock);
	uint32_t v;

	outl(PCI_CONFIG_ADDRESS, port_address(a, off));
	v = port_in(data, width);
	spin_unlock_irqrestore(&port_lock, flags);
	return v;
}

static void port_write(struct pci_addr a, uint16_t off, unsigned int width, uint32_t v)
{
	uint16_t data = (uint16_t)(PCI_CONFIG_DATA + (off & 3));
	irqflags_t flags = spin_lock_irqsave(&port_lock);

	outl(PCI_CONFIG_ADDRESS, port_address(a, off));
	port_out(data, width, v);
	spin_unlock_irqrestore(&port_lock, flags);
}

int pci_cfg_read(struct pci_addr a, uint16_t off, unsigned int width, uint32_t *val)
{
	const struct ecam_window *w = ecam_for(a);

	if (!args_ok(a, off, width))
		return -EINVAL;
	if (w)
		*val = (uint32_t)mmio_load(ecam_ptr(w, a, off), width);
	else if (a.seg == 0)
		*val = port_read(a, off, width);
	else
		*val = 0xffffffffU >> (32 - 8 * width);	/* no such segment: nothing answers */
	return 0;
}

int pci_cfg_write(struct pci_addr a, uint16_t off, unsigned int width, uint32_t val)
{
	const struct ecam_window *w = ecam_for(a);

	if (!args_ok(a, off, width))
		return -EINVAL;
	if (w)
		mmio_store(ecam_ptr(w, a, off), width, val);
	else if (a.seg == 0)
		port_write(a, off, width, val);
	return 0;
}

int pci_cfg_read_ports(struct pci_addr a, uint16_t off, uint32_t *val)
{
	if (a.seg != 0 || off >= PCI_CFG_LEGACY_SIZE || (off & 3))
		return -ENODEV;
	*val = port_read(a, off, 4);
	return 0;
}

int pci_cfg_read_ecam(struct pci_addr a, uint16_t off, uint32_t *val)
{
	const struct ecam_window *w = ecam_for(a);

	if (!w || off >= PCI_CFG_ECAM_SIZE || (off & 3))
		return -ENODEV;
	*val = (uint32_t)mmio_load(ecam_ptr(w, a, off), 4);
	return 0;
}
