// SPDX-License-Identifier: MPL-2.0
// PCI enumeration and the device handles kernel/ drives devices through:
// identity, BARs (sized at boot), filtered configuration access, claims of
// BARs as port or MMIO regions, and legacy INTx.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/pci.h>
#include <aster/sync.h>
#include "../internal.h"
#include "../irq/irq_internal.h"
#include "pci_internal.h"

#define PCI_MAX_BUSES		256
#define PCI_MAX_CAPS		48	/* (256 - 64) / 4: a longer list loops */
#define PCI_BRIDGE_SECONDARY	0x19
#define PCI_ROM_NORMAL		0x30
#define PCI_ROM_BRIDGE		0x38

/* The device list: built once at boot, never shrinks (no hotplug yet). */
static struct pci_device *devices, **devices_tail = &devices;
static unsigned int nr_devices;
static uint8_t buses_seen[PCI_MAX_BUSES / 8];
/* Serialises read-modify-write of command and capability registers. */
static spinlock_t pci_lock = SPINLOCK_INIT;

uint32_t pci_raw_read(const struct pci_device *d, uint16_t off, unsigned int width)
{
	uint32_t v = 0xffffffff;

	pci_cfg_read(d->addr, off, width, &v);
	return v;
}

void pci_raw_write(const struct pci_device *d, uint16_t off, unsigned int width, uint32_t v)
{
	pci_cfg_write(d->addr, off, width, v);
}

void pci_command_update(struct pci_device *d, uint16_t set, uint16_t clear)
{
	irqflags_t flags = spin_lock_irqsave(&pci_lock);
	uint16_t cmd = (uint16_t)pci_raw_read(d, PCI_COMMAND, 2);

	pci_raw_write(d, PCI_COMMAND, 2, (cmd & ~clear) | set);
	spin_unlock_irqrestore(&pci_lock, flags);
}

/* ---- Enumeration ---- */

static uint32_t addr_read(struct pci_addr a, uint16_t off, unsigned int width)
{
	uint32_t v = 0xffffffff;

	pci_cfg_read(a, off, width, &v);
	return v;
}

static void addr_write(struct pci_addr a, uint16_t off, unsigned int width, uint32_t v)
{
	pci_cfg_write(a, off, width, v);
}

/* Size one BAR by writing all ones and reading back which bits stick. */
static unsigned int probe_bar(struct pci_device *d, unsigned int i)
{
	uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
	uint32_t orig = addr_read(d->addr, off, 4), mask, hi = 0, hi_mask = 0xffffffff;
	struct pci_bar *b = &d->bars[i];
	uint64_t mask64;

	addr_write(d->addr, off, 4, 0xffffffff);
	mask = addr_read(d->addr, off, 4);
	addr_write(d->addr, off, 4, orig);
	if (orig & 1) {		/* I/O space: 16-bit port addresses on x86 */
		uint32_t m = mask & 0xfffc;

		if (m) {
			*b = (struct pci_bar){ PCI_BAR_IO, false, orig & 0xfffc, (~m & 0xffff) + 1 };
		}
		return 1;
	}
	if (((orig >> 1) & 3) == 2 && i + 1 < d->nr_bars) {	/* 64-bit: the next BAR is the top */
		hi = addr_read(d->addr, off + 4, 4);
		addr_write(d->addr, off + 4, 4, 0xffffffff);
		hi_mask = addr_read(d->addr, off + 4, 4);
		addr_write(d->addr, off + 4, 4, hi);
		mask64 = (uint64_t)hi_mask << 32 | (mask & ~0xfU);
		if (mask64)
			*b = (struct pci_bar){ PCI_BAR_MEM64, orig & 8,
					       (uint64_t)hi << 32 | (orig & ~0xfU), ~mask64 + 1 };
		return 2;
	}
	if (mask & ~0xfU)
		*b = (struct pci_bar){ PCI_BAR_MEM32, orig & 8, orig & ~0xfU,
				       (uint32_t)(~(mask & ~0xfU) + 1) };
	return 1;
}

/* Decoding is off while a BAR holds all ones, so the device claims no stray range. */
static void probe_bars(struct pci_device *d)
{
	irqflags_t flags = spin_lock_irqsave(&pci_lock);
	uint16_t cmd = (uint16_t)addr_read(d->addr, PCI_COMMAND, 2);

	addr_write(d->addr, PCI_COMMAND, 2, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned int i = 0; i < d->nr_bars;)
		i += probe_bar(d, i);
	addr_write(d->addr, PCI_COMMAND, 2, cmd);
	spin_unlock_irqrestore(&pci_lock, flags);
}

static int cap_walk(struct pci_device *d, uint8_t cap_id)
{
	uint8_t ptr;

	if (!(pci_raw_read(d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return -ENOENT;
	ptr = (uint8_t)pci_raw_read(d, d->info.header_type == 2 ? 0x14 : PCI_CAP_PTR, 1);
	for (int n = 0; n < PCI_MAX_CAPS && ptr >= 0x40; n++) {
		ptr &= 0xfc;
		if (pci_raw_read(d, ptr, 1) == cap_id)
			return ptr;
		ptr = (uint8_t)pci_raw_read(d, ptr + 1, 1);
	}
	return -ENOENT;
}

static void log_device(const struct pci_device *d)
{
	const struct pci_device_info *i = &d->info;

	pr_info("pci %04x:%02x:%02x.%u: [%04x:%04x] type %02x class 0x%02x%02x%02x\n", i->segment,
		i->bus, i->dev, i->fn, i->vendor_id, i->device_id, i->header_type, i->class_code,
		i->subclass, i->prog_if);
	for (unsigned int n = 0; n < d->nr_bars; n++) {
		const struct pci_bar *b = &d->bars[n];

		if (b->type != PCI_BAR_NONE)
			pr_info("pci %04x:%02x:%02x.%u: BAR %u [%s 0x%lx-0x%lx%s%s]\n", i->segment,
				i->bus, i->dev, i->fn, n, b->type == PCI_BAR_IO ? "io" : "mem",
				b->base, b->base + b->size - 1,
				b->type == PCI_BAR_MEM64 ? " 64bit" : "",
				b->prefetchable ? " pref" : "");
	}
}

static struct pci_device *add_device(struct pci_addr a)
{
	struct pci_device *d = kzalloc(sizeof(*d));
	uint32_t class = addr_read(a, 0x08, 4);

	if (!d) {
		pr_err("pci: out of memory for %02x:%02x.%u\n", a.bus, a.dev, a.fn);
		return NULL;
	}
	d->addr = a;
	d->info = (struct pci_device_info){
		.segment = a.seg, .bus = a.bus, .dev = a.dev, .fn = a.fn,
		.vendor_id = (uint16_t)addr_read(a, 0x00, 2),
		.device_id = (uint16_t)addr_read(a, 0x02, 2),
		.revision = (uint8_t)class, .prog_if = (uint8_t)(class >> 8),
		.subclass = (uint8_t)(class >> 16), .class_code = (uint8_t)(class >> 24),
		.header_type = (uint8_t)(addr_read(a, PCI_HEADER_TYPE, 1) & 0x7f),
		.irq_pin = (uint8_t)addr_read(a, 0x3d, 1),
	};
	if (d->info.header_type == 0) {
		d->info.subsys_vendor_id = (uint16_t)addr_read(a, 0x2c, 2);
		d->info.subsys_id = (uint16_t)addr_read(a, 0x2e, 2);
	}
	d->nr_bars = d->info.header_type == 0 ? 6 : d->info.header_type == 1 ? 2 : 0;
	d->cfg_size = pci_cfg_size(a);
	probe_bars(d);
	d->msi_cap = (uint8_t)MAX(cap_walk(d, PCI_CAP_MSI), 0);
	d->msix_cap = (uint8_t)MAX(cap_walk(d, PCI_CAP_MSIX), 0);
	*devices_tail = d;
	devices_tail = &d->next;
	nr_devices++;
	log_device(d);
	return d;
}

static void scan_bus(uint16_t seg, uint8_t bus);

static void scan_function(struct pci_addr a)
{
	struct pci_device *d = add_device(a);
	uint8_t secondary;

	if (!d || d->info.header_type != 1)
		return;
	secondary = (uint8_t)addr_read(a, PCI_BRIDGE_SECONDARY, 1);
	if (secondary > a.bus)	/* bus numbers grow downstream; anything else loops */
		scan_bus(a.seg, secondary);
}

static void scan_bus(uint16_t seg, uint8_t bus)
{
	if (buses_seen[bus / 8] & (1 << (bus % 8)))
		return;
	buses_seen[bus / 8] |= (uint8_t)(1 << (bus % 8));
	for (uint8_t dev = 0; dev < 32; dev++) {
		struct pci_addr a = { seg, bus, dev, 0 };
		uint8_t fns;

		if (addr_read(a, 0x00, 2) == 0xffff)
			continue;
		fns = addr_read(a, PCI_HEADER_TYPE, 1) & 0x80 ? 8 : 1;
		for (uint8_t fn = 0; fn < fns; fn++) {
			a.fn = fn;
			if (addr_read(a, 0x00, 2) != 0xffff)
				scan_function(a);
		}
	}
}

/* Segment 0 from bus 0, following bridges.  TODO: other segments' root buses. */
void pci_init(void)
{
	scan_bus(0, 0);
	pr_info("PCI: %u devices\n", nr_devices);
}

/* ---- The device list ---- */

unsigned int pci_device_count(void)
{
	return nr_devices;
}

struct pci_device *pci_device_at(unsigned int index)
{
	struct pci_device *d = devices;

	for (; d && index; index--)
		d = d->next;
	return d;
}

static struct pci_device *first_after(struct pci_device *from)
{
	return from ? from->next : devices;
}

struct pci_device *pci_find_device(uint16_t vendor, uint16_t device, struct pci_device *from)
{
	for (struct pci_device *d = first_after(from); d; d = d->next)
		if (d->info.vendor_id == vendor && d->info.device_id == device)
			return d;
	return NULL;
}

struct pci_device *pci_find_class(uint8_t class_code, uint8_t subclass, struct pci_device *from)
{
	for (struct pci_device *d = first_after(from); d; d = d->next)
		if (d->info.class_code == class_code && d->info.subclass == subclass)
			return d;
	return NULL;
}

const struct pci_device_info *pci_info(const struct pci_device *dev)
{
	return &dev->info;
}

int pci_bar_info(const struct pci_device *dev, unsigned int bar, struct pci_bar_info *out)
{
	const struct pci_bar *b;

	if (bar >= PCI_MAX_BARS)
		return -EINVAL;
	b = &dev->bars[bar];
	*out = (struct pci_bar_info){ b->type, b->prefetchable, b->base != 0, b->size };
	return 0;
}

bool pci_bar_overlaps(bool io, uint64_t base, uint64_t len)
{
	for (const struct pci_device *d = devices; d; d = d->next) {
		for (unsigned int n = 0; n < d->nr_bars; n++) {
			const struct pci_bar *b = &d->bars[n];

			if (b->type == PCI_BAR_NONE || !b->base || (b->type == PCI_BAR_IO) != io)
				continue;
			if (base < b->base + b->size && b->base < base + len)
				return true;
		}
	}
	return false;
}

/* ---- Configuration space for kernel/ ---- */

static bool overlaps(uint16_t off, unsigned int width, uint16_t start, uint16_t len)
{
	return off < start + len && start < off + width;
}

/* Registers that move address decoders or interrupt messages: frame's alone. */
static bool write_allowed(const struct pci_device *d, uint16_t off, unsigned int width)
{
	if (d->info.header_type == 0 &&
	    (overlaps(off, width, PCI_BAR0, 24) || overlaps(off, width, PCI_ROM_NORMAL, 4)))
		return false;
	/* Bridges: BARs, bus numbers, forwarding windows, expansion ROM. */
	if (d->info.header_type != 0 && overlaps(off, width, PCI_BAR0, PCI_ROM_BRIDGE + 4 - PCI_BAR0))
		return false;
	if (d->msi_cap && overlaps(off, width, d->msi_cap, pci_msi_cap_len(d)))
		return false;
	return !d->msix_cap || !overlaps(off, width, d->msix_cap, PCI_MSIX_CAP_LEN);
}

static bool offset_ok(const struct pci_device *d, uint16_t off, unsigned int width)
{
	return d && (off & (width - 1)) == 0 && off < d->cfg_size &&
	       width <= (unsigned int)(d->cfg_size - off);
}

static uint32_t cfg_read(struct pci_device *d, uint16_t off, unsigned int width)
{
	if (!offset_ok(d, off, width))
		return 0xffffffffU >> (32 - 8 * width);
	return pci_raw_read(d, off, width);
}

static int cfg_write(struct pci_device *d, uint16_t off, unsigned int width, uint32_t v)
{
	if (!offset_ok(d, off, width))
		return -EINVAL;
	if (!write_allowed(d, off, width))
		return -EPERM;
	pci_raw_write(d, off, width, v);
	return 0;
}

DEFINE_WIDTH_ACCESSORS(pci_cfg, struct pci_device *, uint16_t, cfg_read, cfg_write, 8)
DEFINE_WIDTH_ACCESSORS(pci_cfg, struct pci_device *, uint16_t, cfg_read, cfg_write, 16)
DEFINE_WIDTH_ACCESSORS(pci_cfg, struct pci_device *, uint16_t, cfg_read, cfg_write, 32)

int pci_find_capability(struct pci_device *dev, uint8_t cap_id)
{
	return dev ? cap_walk(dev, cap_id) : -EINVAL;
}

/* ---- Enabling, BARs, INTx ---- */

static uint16_t command_bits(unsigned int what)
{
	return (uint16_t)((what & PCI_ENABLE_IO ? PCI_COMMAND_IO : 0) |
			  (what & PCI_ENABLE_MEM ? PCI_COMMAND_MEMORY : 0) |
			  (what & PCI_ENABLE_BUS_MASTER ? PCI_COMMAND_MASTER : 0));
}

int pci_enable(struct pci_device *dev, unsigned int what)
{
	if (!dev || (what & ~7U))
		return -EINVAL;
	pci_command_update(dev, command_bits(what), 0);
	return 0;
}

int pci_disable(struct pci_device *dev, unsigned int what)
{
	if (!dev || (what & ~7U))
		return -EINVAL;
	pci_command_update(dev, 0, command_bits(what));
	return 0;
}

static const struct pci_bar *bar_of(const struct pci_device *dev, unsigned int bar, int *err)
{
	*err = -EINVAL;
	if (!dev || bar >= dev->nr_bars || dev->bars[bar].type == PCI_BAR_NONE)
		return NULL;
	*err = -ENODEV;
	if (!dev->bars[bar].base)
		return NULL;
	*err = 0;
	return &dev->bars[bar];
}

int pci_bar_io(struct pci_device *dev, unsigned int bar, struct io_port_region **out)
{
	int err;
	const struct pci_bar *b = bar_of(dev, bar, &err);

	if (!b)
		return err;
	if (b->type != PCI_BAR_IO || b->base > 0xffff)
		return -EINVAL;
	return io_port_claim_device((uint16_t)b->base, (uint32_t)b->size, out);
}

int pci_bar_mmio(struct pci_device *dev, unsigned int bar, struct mmio_region **out)
{
	int err;
	const struct pci_bar *b = bar_of(dev, bar, &err);
	unsigned int table_bar;
	uint64_t off, len;

	if (!b)
		return err;
	if (b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64)
		return -EINVAL;
	err = mmio_map_device(b->base, b->size, out);
	if (err)
		return err;
	/* The MSI-X table decides where the device writes: frame's alone. */
	if (pci_msix_table_location(dev, &table_bar, &off, &len) && table_bar == bar)
		mmio_protect(*out, off, len);
	return 0;
}

struct irq_line *pci_intx_line(struct pci_device *dev)
{
	uint8_t line;

	if (!dev || dev->info.irq_pin == 0 || dev->info.irq_pin > 4)
		return NULL;
	line = (uint8_t)pci_raw_read(dev, PCI_INTERRUPT_LINE, 1);
	if (line == 0 || line == 0xff)	/* the firmware routed nothing */
		return NULL;
	return line < 16 ? irq_line_for_pci_isa(line) : irq_line_for_gsi(line);
}
