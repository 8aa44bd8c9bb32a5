// SPDX-License-Identifier: MPL-2.0
// ktests of PCI and DMA on QEMU's q35 (ICH9, ECAM) and pc (i440fx/PIIX,
// ports only) machines.  Interrupt delivery from a real device uses the
// e1000/e1000e NIC's interrupt-cause-set register when the NIC is present
// (QEMU's default; not with -nodefaults, where those checks are skipped).
#include <aster/dma.h>
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/ktest.h>
#include <aster/log.h>
#include <aster/pci.h>
#include <aster/string.h>
#include <aster/timer.h>
#include <aster/wait.h>
#include "../irq/irq_internal.h"
#include "pci_internal.h"

#define E1000_ICR	0xc0
#define E1000_ICS	0xc8
#define E1000_IMS	0xd0
#define E1000_IMC	0xd8
#define E1000E_IVAR	0xe4
#define E1000_ICR_LSC	0x4
#define E1000_ICR_OTHER	0x01000000

static bool machine_is_q35(void)
{
	return pci_find_device(0x8086, 0x29c0, NULL) != NULL;
}

static bool has_location(struct pci_device *d, uint8_t bus, uint8_t dev, uint8_t fn)
{
	const struct pci_device_info *i = d ? pci_info(d) : NULL;

	return i && i->segment == 0 && i->bus == bus && i->dev == dev && i->fn == fn;
}

KTEST(pci_enumeration_finds_chipset)
{
	struct pci_device *d;

	KT_ASSERT(pci_device_count() >= 3);
	KT_EXPECT(pci_device_at(pci_device_count()) == NULL);
	if (machine_is_q35()) {
		KT_EXPECT(has_location(pci_find_device(0x8086, 0x29c0, NULL), 0, 0, 0));
		d = pci_find_device(0x8086, 0x2918, NULL);	/* ICH9 LPC/ISA bridge */
		KT_EXPECT(has_location(d, 0, 31, 0));
		KT_EXPECT(d && pci_info(d)->class_code == 0x06 && pci_info(d)->subclass == 0x01);
		d = pci_find_device(0x8086, 0x2922, NULL);	/* ICH9 AHCI */
		KT_EXPECT(has_location(d, 0, 31, 2));
		KT_EXPECT(d && pci_info(d)->class_code == 0x01 && pci_info(d)->subclass == 0x06 &&
			  pci_info(d)->prog_if == 0x01);
		KT_EXPECT(pci_find_class(0x01, 0x06, NULL) == d);
	} else {
		KT_EXPECT(has_location(pci_find_device(0x8086, 0x1237, NULL), 0, 0, 0));
		KT_EXPECT(has_location(pci_find_device(0x8086, 0x7000, NULL), 0, 1, 0));
		KT_EXPECT(has_location(pci_find_device(0x8086, 0x7010, NULL), 0, 1, 1));
	}
	/* The host bridge comes first; the search resumes after `from`. */
	d = pci_device_at(0);
	KT_EXPECT(d && pci_info(d)->class_code == 0x06 && pci_info(d)->subclass == 0x00);
	KT_EXPECT(pci_find_device(pci_info(d)->vendor_id, pci_info(d)->device_id, d) == NULL);
	KT_EXPECT(pci_find_device(0xffff, 0xffff, NULL) == NULL);
}

KTEST(pci_ecam_matches_config_ports)
{
	unsigned int checked = 0;

	if (!machine_is_q35()) {
		KT_EXPECT(pci_cfg_size((struct pci_addr){ 0, 0, 0, 0 }) == 256);
		return;		/* pc has no MCFG: ports only */
	}
	for (unsigned int i = 0; i < pci_device_count(); i++) {
		struct pci_device *d = pci_device_at(i);

		KT_EXPECT(d->cfg_size == 4096);
		for (uint16_t off = 0; off < 0x40; off += 4) {
			uint32_t a, b;

			KT_ASSERT(pci_cfg_read_ecam(d->addr, off, &a) == 0);
			KT_ASSERT(pci_cfg_read_ports(d->addr, off, &b) == 0);
			KT_EXPECT(a == b);
			checked++;
		}
	}
	KT_EXPECT(checked >= 4 * 16);
	KT_EXPECT(pci_cfg_read_ports((struct pci_addr){ 0, 0, 0, 0 }, 256, &(uint32_t){ 0 }) ==
		  -ENODEV);
}

static void expect_bar(struct ktest_ctx *ktest_ctx, struct pci_device *d, unsigned int bar,
		       enum pci_bar_type type, uint64_t size)
{
	struct pci_bar_info b;

	KT_ASSERT(d && pci_bar_info(d, bar, &b) == 0);
	KT_EXPECT(b.type == type);
	KT_EXPECT(b.size == size);
	KT_EXPECT(b.assigned);
}

KTEST(pci_bar_sizing)
{
	struct pci_device *d;
	struct pci_bar_info b;

	if (machine_is_q35()) {
		d = pci_find_device(0x8086, 0x2922, NULL);	/* AHCI: ABAR 4 KiB, I/O 32 */
		expect_bar(ktest_ctx, d, 5, PCI_BAR_MEM32, 0x1000);
		expect_bar(ktest_ctx, d, 4, PCI_BAR_IO, 0x20);
		KT_EXPECT(pci_bar_info(d, 0, &b) == 0 && b.type == PCI_BAR_NONE);
		d = pci_find_device(0x8086, 0x2930, NULL);	/* SMBus: I/O 64 */
		expect_bar(ktest_ctx, d, 4, PCI_BAR_IO, 0x40);
	} else {
		d = pci_find_device(0x8086, 0x7010, NULL);	/* PIIX3 IDE bus master: I/O 16 */
		expect_bar(ktest_ctx, d, 4, PCI_BAR_IO, 0x10);
	}
	d = pci_find_class(0x02, 0x00, NULL);			/* e1000/e1000e: 128 KiB */
	if (d)
		expect_bar(ktest_ctx, d, 0, PCI_BAR_MEM32, 0x20000);
	KT_EXPECT(pci_bar_info(pci_device_at(0), PCI_MAX_BARS, &b) == -EINVAL);
	/* Probing restored every BAR: the values read now are the decoded bases. */
	for (unsigned int i = 0; i < pci_device_count(); i++) {
		d = pci_device_at(i);
		for (unsigned int n = 0; n < d->nr_bars; n++)
			if (d->bars[n].type == PCI_BAR_IO || d->bars[n].type == PCI_BAR_MEM32)
				KT_EXPECT((pci_raw_read(d, 0x10 + 4 * n, 4) & ~0xfU) ==
					  (d->bars[n].base & ~0xfU));
	}
}

KTEST(pci_config_access_is_confined)
{
	struct pci_device *d = pci_device_at(0);
	uint16_t cmd;

	KT_ASSERT(d);
	KT_EXPECT(pci_cfg_read16(d, 0) == pci_info(d)->vendor_id);
	KT_EXPECT(pci_cfg_read32(d, 2) == 0xffffffff);		/* misaligned */
	KT_EXPECT(pci_cfg_read8(d, d->cfg_size) == 0xff);	/* past the end */
	KT_EXPECT(pci_cfg_read16(NULL, 0) == 0xffff);
	KT_EXPECT(pci_cfg_write32(d, d->cfg_size, 0) == -EINVAL);
	KT_EXPECT(pci_cfg_write16(d, 3, 0) == -EINVAL);
	/* BARs and the expansion ROM: only frame moves address decoders. */
	for (uint16_t off = 0x10; off < 0x28; off++)
		KT_EXPECT(pci_cfg_write8(d, off, 0) == -EPERM);
	KT_EXPECT(pci_cfg_write32(d, 0x30, 0) == -EPERM);
	/* The command register is the driver's. */
	cmd = pci_cfg_read16(d, 4);
	KT_EXPECT(pci_cfg_write16(d, 4, cmd) == 0);
	KT_EXPECT(pci_cfg_read16(d, 4) == cmd);
	if (!machine_is_q35())
		KT_EXPECT(pci_cfg_read32(d, 0x100) == 0xffffffff);	/* 256 bytes without ECAM */
}

KTEST(pci_capabilities_and_msi_programming)
{
	struct pci_device *d = pci_find_device(0x8086, 0x2922, NULL);
	struct irq_line *line, *other;
	int cap;
	uint16_t ctrl;

	if (!machine_is_q35())
		d = pci_find_device(0x8086, 0x7010, NULL);
	KT_ASSERT(d);
	if (!machine_is_q35()) {	/* PIIX IDE: no capabilities, no MSI */
		KT_EXPECT(pci_find_capability(d, PCI_CAP_MSI) == -ENOENT);
		KT_EXPECT(pci_msi_enable(d, &line) == -ENOTSUP);
		return;
	}
	cap = pci_find_capability(d, PCI_CAP_MSI);
	KT_ASSERT(cap >= 0x40);
	KT_EXPECT(pci_find_capability(d, 0x12) >= 0x40);	/* SATA capability */
	KT_EXPECT(pci_find_capability(d, PCI_CAP_MSIX) == -ENOENT);
	KT_EXPECT(pci_msix_enable(d, 1, &line) == -ENOTSUP);
	KT_ASSERT(pci_msi_enable(d, &line) == 0);
	KT_EXPECT(pci_msi_enable(d, &other) == -EBUSY);
	ctrl = pci_cfg_read16(d, (uint16_t)(cap + 2));
	KT_EXPECT(ctrl & 1);
	KT_EXPECT((pci_cfg_read32(d, (uint16_t)(cap + 4)) & 0xfff00000) == 0xfee00000);
	KT_EXPECT(pci_cfg_read16(d, (uint16_t)(cap + (ctrl & 0x80 ? 12 : 8))) ==
		  irq_line_vector(line));
	KT_EXPECT(pci_cfg_read16(d, 4) & PCI_COMMAND_INTX_OFF);
	/* The capability cannot be rewritten by a driver. */
	KT_EXPECT(pci_cfg_write32(d, (uint16_t)(cap + 4), 0) == -EPERM);
	KT_EXPECT(pci_cfg_write16(d, (uint16_t)(cap + 2), 0) == -EPERM);
	pci_msi_disable(d);
	KT_EXPECT(!(pci_cfg_read16(d, (uint16_t)(cap + 2)) & 1));
	KT_EXPECT(!(pci_cfg_read16(d, 4) & PCI_COMMAND_INTX_OFF));
	pci_msi_disable(d);	/* twice is harmless */
}

KTEST(pci_bar_regions_and_claims)
{
	struct pci_device *d = pci_find_device(0x8086, machine_is_q35() ? 0x2922 : 0x7010, NULL);
	struct io_port_region *io, *io2;
	struct mmio_region *m;

	KT_ASSERT(d);
	KT_ASSERT(pci_bar_io(d, 4, &io) == 0);
	KT_EXPECT(io_port_len(io) == (machine_is_q35() ? 0x20U : 0x10U));
	KT_EXPECT(pci_bar_io(d, 4, &io2) == -EBUSY);	/* claimed once */
	KT_EXPECT(pci_bar_mmio(d, 4, &m) == -EINVAL);	/* wrong type */
	KT_EXPECT(pci_bar_io(d, 0, &io2) == -EINVAL);	/* no BAR there */
	KT_EXPECT(pci_bar_io(d, 9, &io2) == -EINVAL);
	io_port_release(io);
	/* By address, a BAR is refused: it is reached through its device only. */
	KT_EXPECT(io_port_claim((uint16_t)d->bars[4].base, 1, &io2) == -EPERM);
	if (!machine_is_q35())
		return;
	KT_EXPECT(mmio_map(d->bars[5].base, 0x1000, &m) == -EPERM);
	KT_EXPECT(mmio_map(d->bars[5].base - 0x1000, 0x1004, &m) == -EPERM);
	KT_ASSERT(pci_bar_mmio(d, 5, &m) == 0);
	pci_enable(d, PCI_ENABLE_MEM);
	KT_EXPECT(mmio_len(m) == 0x1000);
	/* AHCI CAP: at least one port, and VS reads version 1.0 or later. */
	KT_EXPECT((mmio_read32(m, 0x00) & 0x1f) + 1 >= 1);
	KT_EXPECT(mmio_read32(m, 0x10) >= 0x00010000);
	KT_EXPECT(mmio_read32(m, 0x1000) == 0xffffffff);
	mmio_unmap(m);
}

/* ---- Interrupts from the NIC ---- */

struct nic_irq {
	struct mmio_region *regs;
	volatile uint32_t count;
	volatile uint32_t icr;
};

static enum irq_return nic_irq(void *arg)
{
	struct nic_irq *n = arg;
	uint32_t icr = mmio_read32(n->regs, E1000_ICR);	/* read-to-clear deasserts */

	if (!icr)
		return IRQ_NONE;
	n->icr = icr;
	n->count++;
	return IRQ_HANDLED;
}

static bool wait_irq(struct nic_irq *n, uint32_t count)
{
	uint64_t start = clock_monotonic_ns();

	while (n->count < count && clock_monotonic_ns() - start < 500 * NSEC_PER_MSEC)
		task_sleep_ns(NSEC_PER_MSEC);
	return n->count >= count;
}

static struct pci_device *nic_setup(struct nic_irq *n)
{
	struct pci_device *d = pci_find_device(0x8086, 0x10d3, NULL);	/* e1000e (q35) */

	if (!d)
		d = pci_find_device(0x8086, 0x100e, NULL);		/* e1000 (pc) */
	if (!d || pci_bar_mmio(d, 0, &n->regs) != 0)
		return NULL;
	pci_enable(d, PCI_ENABLE_MEM | PCI_ENABLE_BUS_MASTER);
	mmio_write32(n->regs, E1000_IMC, 0xffffffff);
	(void)mmio_read32(n->regs, E1000_ICR);
	return d;
}

static void nic_teardown(struct pci_device *d, struct nic_irq *n)
{
	mmio_write32(n->regs, E1000_IMC, 0xffffffff);
	(void)mmio_read32(n->regs, E1000_ICR);
	pci_disable(d, PCI_ENABLE_BUS_MASTER);
	mmio_unmap(n->regs);
}

KTEST(pci_intx_interrupt_from_nic)
{
	static struct nic_irq n;
	struct pci_device *d;
	struct irq_line *line;
	struct irq_handle *h;

	n = (struct nic_irq){ 0 };
	d = nic_setup(&n);
	if (!d) {
		pr_info("ktest: no e1000/e1000e NIC (-nodefaults?): INTx delivery not checked\n");
		return;
	}
	line = pci_intx_line(d);
	KT_ASSERT(line);
	h = irq_register(line, nic_irq, &n);
	KT_ASSERT(h);
	mmio_write32(n.regs, E1000_IMS, E1000_ICR_LSC);
	mmio_write32(n.regs, E1000_ICS, E1000_ICR_LSC);
	KT_EXPECT(wait_irq(&n, 1));
	KT_EXPECT(n.icr & E1000_ICR_LSC);
	/* Level-triggered and acknowledged: a second cause gives a second interrupt. */
	mmio_write32(n.regs, E1000_ICS, E1000_ICR_LSC);
	KT_EXPECT(wait_irq(&n, 2));
	task_sleep_ns(20 * NSEC_PER_MSEC);
	KT_EXPECT(n.count == 2);	/* no storm */
	irq_unregister(h);
	nic_teardown(d, &n);
}

KTEST(pci_msi_and_msix_interrupts_from_nic)
{
	static struct nic_irq n;
	struct pci_device *d;
	struct irq_line *line, *lines[2];
	struct irq_handle *h;

	n = (struct nic_irq){ 0 };
	d = nic_setup(&n);
	if (!d || !d->msi_cap) {
		pr_info("ktest: no MSI-capable NIC (e1000e on q35): MSI delivery not checked\n");
		if (d)
			nic_teardown(d, &n);
		return;
	}
	KT_ASSERT(pci_msi_enable(d, &line) == 0);
	h = irq_register(line, nic_irq, &n);
	KT_ASSERT(h);
	mmio_write32(n.regs, E1000_IMS, E1000_ICR_LSC);
	mmio_write32(n.regs, E1000_ICS, E1000_ICR_LSC);
	KT_EXPECT(wait_irq(&n, 1));
	KT_EXPECT(irq_line_count(line) >= 1);
	/*
	 * QEMU 7.2's e1000e asserts if an interrupt-throttling timer armed in
	 * one mode (MSI, MSI-X) fires in the other: let them run out first.
	 */
	mmio_write32(n.regs, E1000_IMC, 0xffffffff);
	task_sleep_ns(50 * NSEC_PER_MSEC);
	irq_unregister(h);
	pci_msi_disable(d);

	/* MSI-X: two vectors; the NIC's "other" causes routed to entry 1. */
	KT_ASSERT(pci_msix_table_size(d) >= 2);
	KT_ASSERT(pci_msix_enable(d, 2, lines) == 0);
	KT_EXPECT(pci_msi_enable(d, &line) == -EBUSY);
	KT_EXPECT(irq_line_vector(lines[0]) != irq_line_vector(lines[1]));
	/* The table is frame's: a driver's BAR mapping cannot rewrite it. */
	{
		unsigned int bar;
		uint64_t off, len;
		struct mmio_region *tm = n.regs;

		KT_ASSERT(pci_msix_table_location(d, &bar, &off, &len));
		if (bar != 0)
			KT_ASSERT(pci_bar_mmio(d, bar, &tm) == 0);
		KT_EXPECT(mmio_write32(tm, off, 0) == -EINVAL);
		KT_EXPECT((mmio_read32(tm, off + 16) & 0xfff00000) == 0xfee00000);
		KT_EXPECT(mmio_read32(tm, off + 16 + 8) == irq_line_vector(lines[1]));
		KT_EXPECT(mmio_read32(tm, off + 16 + 12) & 1);	/* masked: no handler yet */
		if (tm != n.regs)
			mmio_unmap(tm);
	}
	n.count = 0;
	h = irq_register(lines[1], nic_irq, &n);
	KT_ASSERT(h);
	mmio_write32(n.regs, E1000E_IVAR, (0x8 | 1) << 16);	/* other -> 1 */
	mmio_write32(n.regs, E1000_IMS, E1000_ICR_LSC | E1000_ICR_OTHER);
	mmio_write32(n.regs, E1000_ICS, E1000_ICR_LSC | E1000_ICR_OTHER);
	KT_EXPECT(wait_irq(&n, 1));
	KT_EXPECT(irq_line_count(lines[0]) == 0);
	mmio_write32(n.regs, E1000_IMC, 0xffffffff);
	task_sleep_ns(50 * NSEC_PER_MSEC);	/* the throttling timers again */
	irq_unregister(h);
	pci_msix_disable(d);
	nic_teardown(d, &n);
}

/* ---- DMA ---- */

KTEST(dma_coherent_buffers)
{
	struct pci_device *d = pci_device_at(0);
	struct dma_coherent *a, *b;
	uint8_t buf[16] = "0123456789abcde", out[16];
	uint64_t addr;

	KT_ASSERT(d);
	KT_EXPECT(dma_coherent_alloc(d, 0, &a) == -EINVAL);
	KT_EXPECT(dma_coherent_alloc(NULL, 16, &a) == -EINVAL);
	KT_ASSERT(dma_coherent_alloc(d, 10000, &a) == 0);
	KT_ASSERT(dma_coherent_alloc(d, 100, &b) == 0);
	addr = dma_coherent_dev_addr(a);
	KT_EXPECT(addr && (addr & 0xfff) == 0 && addr + 10000 <= 0x100000000ULL);
	KT_EXPECT(dma_coherent_dev_addr(b) != addr);
	KT_EXPECT(dma_coherent_size(a) == 10000);
	KT_EXPECT(dma_coherent_read32(a, 9996) == 0);		/* zeroed */
	KT_EXPECT(dma_coherent_write(a, 9984, buf, 16) == 0);
	KT_EXPECT(dma_coherent_read(a, 9984, out, 16) == 0);
	KT_EXPECT(memcmp(buf, out, 16) == 0);
	KT_EXPECT(dma_coherent_write32(a, 8, 0xdeadbeef) == 0);
	KT_EXPECT(dma_coherent_read32(a, 8) == 0xdeadbeef);
	KT_EXPECT(dma_coherent_write64(a, 16, 0x1122334455667788ULL) == 0);
	KT_EXPECT(dma_coherent_read64(a, 16) == 0x1122334455667788ULL);
	/* Bounds and alignment. */
	KT_EXPECT(dma_coherent_write(a, 9990, buf, 16) == -EINVAL);
	KT_EXPECT(dma_coherent_read(a, 10001, out, 0) == -EINVAL);
	KT_EXPECT(dma_coherent_read(a, ~(size_t)0, out, 2) == -EINVAL);
	KT_EXPECT(dma_coherent_read32(a, 9998) == 0xffffffff);
	KT_EXPECT(dma_coherent_read32(a, 2) == 0xffffffff);
	KT_EXPECT(dma_coherent_write64(a, 4, 0) == -EINVAL);
	dma_coherent_free(a);
	/* A stale handle is refused. */
	KT_EXPECT(dma_coherent_size(a) == 0 && dma_coherent_dev_addr(a) == 0);
	KT_EXPECT(dma_coherent_read(a, 0, out, 1) == -EINVAL);
	KT_EXPECT(dma_coherent_write32(a, 0, 1) == -EINVAL);
	dma_coherent_free(b);
}

KTEST(dma_streaming_frame_mapping)
{
	struct pci_device *d = pci_device_at(0);
	struct frame *f = frame_alloc(FRAME_ZERO);
	struct dma_stream *s;

	KT_ASSERT(d && f);
	KT_EXPECT(dma_map_frame(d, NULL, DMA_TO_DEVICE, &s) == -EINVAL);
	KT_EXPECT(dma_map_frame(d, f, (enum dma_direction)7, &s) == -EINVAL);
	KT_ASSERT(dma_map_frame(d, f, DMA_BIDIRECTIONAL, &s) == 0);
	KT_EXPECT(frame_refcount(f) == 2);	/* held for the device */
	KT_EXPECT(dma_stream_dev_addr(s) && (dma_stream_dev_addr(s) & 0xfff) == 0);
	dma_sync_for_device(s);
	dma_sync_for_cpu(s);
	dma_unmap(s);
	KT_EXPECT(frame_refcount(f) == 1);
	KT_EXPECT(dma_stream_dev_addr(s) == 0);
	dma_unmap(s);		/* stale: ignored */
	KT_EXPECT(frame_refcount(f) == 1);
	frame_put(f);
}
