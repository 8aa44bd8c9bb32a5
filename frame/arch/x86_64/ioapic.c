// SPDX-License-Identifier: MPL-2.0
// The IOAPICs: every input starts masked; a GSI gets a vector and a
// redirection entry when someone asks for its line (irq_line_for_gsi/isa).
// Entries are delivered in physical mode to the boot CPU.
#include <aster/irq.h>
#include <aster/log.h>
#include <aster/sync.h>
#include "../../irq/irq_internal.h"
#include "acpi_internal.h"
#include "cpu.h"
#include "devices.h"

#define IOAPIC_DEFAULT_ADDR	0xfec00000U	/* where PC chipsets put the first one */
#define IOAPIC_MMIO_LEN		0x1000
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_REDTBL	0x10
#define IOAPIC_MAX_PINS		240

#define RTE_ACTIVE_LOW		(1U << 13)
#define RTE_LEVEL		(1U << 15)
#define RTE_MASKED		(1U << 16)

struct ioapic {
	volatile uint32_t *regs;	/* IOREGSEL at [0], IOWIN at [4] (offset 0x10) */
	uint32_t phys;
	uint32_t gsi_base;
	unsigned int nr_pins;
	uint8_t id;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
/* The select/window register pair is not atomic: a leaf lock around it. */
static spinlock_t ioapic_lock = SPINLOCK_INIT;
/* Serialises creating a GSI's line, so one GSI never gets two vectors. */
static spinlock_t bind_lock = SPINLOCK_INIT;

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
	io->regs[0] = reg;
	return io->regs[4];
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[0] = reg;
	io->regs[4] = v;
}

static struct ioapic *ioapic_for_gsi(uint32_t gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->nr_pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

bool ioapic_has_gsi(uint32_t gsi)
{
	unsigned int pin;

	return ioapic_for_gsi(gsi, &pin) != NULL;
}

int ioapic_route(uint32_t gsi, uint8_t vector, bool level, bool active_low)
{
	unsigned int pin;
	struct ioapic *io = ioapic_for_gsi(gsi, &pin);
	uint32_t low = vector | RTE_MASKED | (level ? RTE_LEVEL : 0) |
		       (active_low ? RTE_ACTIVE_LOW : 0);
	irqflags_t flags;

	if (!io)
		return -1;
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(io, IOAPIC_REG_REDTBL + 2 * pin + 1, lapic_id() << 24);
	ioapic_write(io, IOAPIC_REG_REDTBL + 2 * pin, low);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

int ioapic_set_masked(uint32_t gsi, bool masked)
{
	unsigned int pin;
	struct ioapic *io = ioapic_for_gsi(gsi, &pin);
	uint32_t reg, low;
	irqflags_t flags;

	if (!io)
		return -1;	/* pin is not set then */
	reg = IOAPIC_REG_REDTBL + 2 * pin;
	flags = spin_lock_irqsave(&ioapic_lock);
	low = ioapic_read(io, reg);
	low = masked ? low | RTE_MASKED : low & ~RTE_MASKED;
	ioapic_write(io, reg, low);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

static void add_ioapic(uint8_t id, uint64_t phys, uint32_t gsi_base)
{
	struct ioapic *io = &ioapics[nr_ioapics];
	uint32_t ver;

	if (phys >= DIRECT_MAP_BOOT_SIZE || (phys & 0xf)) {
		pr_warn("IOAPIC[%u]: address 0x%lx not usable, skipped\n", id, phys);
		return;
	}
	io->regs = phys_to_virt(phys);
	ver = ioapic_read(io, IOAPIC_REG_VER);
	if (ver == 0xffffffff) {	/* nothing answers there */
		pr_warn("IOAPIC[%u]: no IOAPIC at 0x%lx\n", id, phys);
		return;
	}
	io->phys = (uint32_t)phys;
	io->gsi_base = gsi_base;
	io->nr_pins = MIN(((ver >> 16) & 0xff) + 1, IOAPIC_MAX_PINS);
	io->id = id;
	for (unsigned int pin = 0; pin < io->nr_pins; pin++) {
		ioapic_write(io, IOAPIC_REG_REDTBL + 2 * pin, RTE_MASKED);
		ioapic_write(io, IOAPIC_REG_REDTBL + 2 * pin + 1, 0);
	}
	mmio_reserve(phys, IOAPIC_MMIO_LEN, "ioapic");
	nr_ioapics++;
	pr_info("IOAPIC[%u]: apic_id %u, version %u, address 0x%lx, GSI %u-%u\n",
		nr_ioapics - 1, id, ver & 0xff, phys, gsi_base, gsi_base + io->nr_pins - 1);
}

void ioapic_init(void)
{
	const struct acpi_platform *p = acpi_platform();

	for (unsigned int i = 0; i < p->nr_ioapics; i++)
		add_ioapic(p->ioapics[i].id, p->ioapics[i].addr, p->ioapics[i].gsi_base);
	if (!p->nr_ioapics) {
		pr_warn("IOAPIC: none in ACPI, assuming one at 0x%x\n", IOAPIC_DEFAULT_ADDR);
		add_ioapic(0, IOAPIC_DEFAULT_ADDR, 0);
	}
}

/* ---- Lines (aster/irq.h) ---- */

static void gsi_mask(struct irq_line *line, void *data)
{
	(void)line;
	ioapic_set_masked((uint32_t)(uintptr_t)data, true);
}

static void gsi_unmask(struct irq_line *line, void *data)
{
	(void)line;
	ioapic_set_masked((uint32_t)(uintptr_t)data, false);
}

static const struct irq_line_ops ioapic_line_ops = { gsi_mask, gsi_unmask };

static struct irq_line *bind_gsi(uint32_t gsi, bool level, bool active_low)
{
	irqflags_t flags = spin_lock_irqsave(&bind_lock);
	struct irq_line *line = irq_line_lookup_gsi(gsi);

	if (!line && ioapic_has_gsi(gsi)) {
		line = irq_line_alloc();
		if (line) {
			ioapic_route(gsi, irq_line_vector(line), level, active_low);
			irq_line_set_gsi(line, gsi);
			irq_line_set_ops(line, &ioapic_line_ops, (void *)(uintptr_t)gsi);
		}
	}
	spin_unlock_irqrestore(&bind_lock, flags);
	return line;
}

/* MPS INTI flags; "conforming" means the bus default (ISA: edge, active high). */
static void decode_flags(uint16_t flags, bool *level, bool *active_low)
{
	if ((flags & ACPI_TRIGGER_MASK) == ACPI_TRIGGER_LEVEL)
		*level = true;
	else if ((flags & ACPI_TRIGGER_MASK) == ACPI_TRIGGER_EDGE)
		*level = false;
	if ((flags & ACPI_POLARITY_MASK) == ACPI_POLARITY_LOW)
		*active_low = true;
	else if ((flags & ACPI_POLARITY_MASK) == ACPI_POLARITY_HIGH)
		*active_low = false;
}

/* The override that moves some ISA IRQ onto this GSI, or NULL. */
static const struct acpi_override *override_to(uint32_t gsi)
{
	const struct acpi_platform *p = acpi_platform();

	for (unsigned int i = 0; i < p->nr_overrides; i++)
		if (p->overrides[i].gsi == gsi)
			return &p->overrides[i];
	return NULL;
}

struct irq_line *irq_line_for_gsi(uint32_t gsi)
{
	const struct acpi_override *o = override_to(gsi);
	bool level = gsi >= 16, active_low = gsi >= 16;

	if (o)
		decode_flags(o->flags, &level, &active_low);
	return bind_gsi(gsi, level, active_low);
}

struct irq_line *irq_line_for_isa(unsigned int isa_irq)
{
	bool level = false, active_low = false;
	const struct acpi_override *o;
	uint16_t flags;
	uint32_t gsi;

	if (isa_irq >= 16)
		return NULL;
	gsi = acpi_isa_to_gsi(isa_irq, &flags);
	/* Without a MADT, assume the universal PC wiring of the timer to pin 2. */
	if (!acpi_platform()->has_madt && isa_irq == 0)
		gsi = 2;
	/* Another ISA IRQ was moved onto our pin (IRQ 0 onto GSI 2): we have none. */
	o = override_to(gsi);
	if (o && o->isa_irq != isa_irq)
		return NULL;
	decode_flags(flags, &level, &active_low);
	return bind_gsi(gsi, level, active_low);
}

/*
 * PCI INTx routed by the chipset's PIRQ router into an ISA IRQ input:
 * level-triggered, active high on that input, unless an override says more.
 */
struct irq_line *irq_line_for_pci_isa(unsigned int isa_irq)
{
	bool level = true, active_low = false;
	uint16_t flags;
	uint32_t gsi;

	if (isa_irq >= 16)
		return NULL;
	gsi = acpi_isa_to_gsi(isa_irq, &flags);
	decode_flags(flags, &level, &active_low);
	return bind_gsi(gsi, level, active_low);
}
