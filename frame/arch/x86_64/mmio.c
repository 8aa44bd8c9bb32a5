// SPDX-License-Identifier: MPL-2.0
// MMIO regions: claims on device memory, and bounds- and alignment-checked
// accesses.  A region is a window into the kernel's direct map, which maps
// the whole first 4 GiB and everything there that is not RAM uncached
// (frame/arch/x86_64/mm/kernel_map.c).  TODO: device memory above 4 GiB
// (64-bit BARs placed high) needs its own uncached mapping; refused until
// the page-table code offers one.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/io.h>
#include <aster/log.h>
#include <aster/sync.h>
#include "../../internal.h"
#include "cpu.h"
#include "devices.h"

#define WARN_LIMIT	4	/* rejected accesses logged per region */

/*
 * Records come from the heap and are never freed, only reused, so a stale
 * handle never points at freed memory (see io_port.c).
 */
struct mmio_region {
	struct mmio_region *next;	/* all records, used or not */
	bool used;
	bool frame_owned;
	uint64_t phys;
	uint64_t len;
	volatile uint8_t *virt;
	const char *owner;
	uint64_t rejected;
	/* Writes here are refused: registers frame owns (an MSI-X table). */
	uint64_t protect_off, protect_len;
};

static struct mmio_region *regions;
static spinlock_t mmio_lock = SPINLOCK_INIT;
static unsigned int warnings;

extern char __image_start_phys[], __bss_end_phys[];

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* RAM (usable or ACPI-reclaimable, which becomes RAM) and the kernel image. */
static bool overlaps_ram(uint64_t phys, uint64_t len)
{
	const struct boot_info *bi = boot_get_info();
	uint64_t img = (uint64_t)__image_start_phys;

	if (ranges_overlap(phys, len, img, (uint64_t)__bss_end_phys - img))
		return true;
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];

		if ((r->type == MEM_USABLE || r->type == MEM_ACPI_RECLAIM) &&
		    ranges_overlap(phys, len, r->base, r->len))
			return true;
	}
	return false;
}

/* Needs mmio_lock. */
static bool overlaps_claim(uint64_t phys, uint64_t len)
{
	for (const struct mmio_region *m = regions; m; m = m->next)
		if (m->used && ranges_overlap(phys, len, m->phys, m->len))
			return true;
	return false;
}

/* Needs mmio_lock: an unused record, or the spare linked in. */
static struct mmio_region *record_get(struct mmio_region *spare)
{
	for (struct mmio_region *m = regions; m; m = m->next)
		if (!m->used)
			return m;
	if (spare) {
		spare->next = regions;
		regions = spare;
	}
	return spare;
}

static int check_range(uint64_t phys, uint64_t len)
{
	if (len == 0 || phys + len < phys)
		return -EINVAL;
	if (phys + len > DIRECT_MAP_BOOT_SIZE)
		return -ENOTSUP;
	if (overlaps_ram(phys, len))
		return -EPERM;
	return 0;
}

static int claim(uint64_t phys, uint64_t len, bool frame_owned, const char *owner,
		 struct mmio_region **out)
{
	int err = check_range(phys, len);
	struct mmio_region *spare, *m = NULL, *next;
	irqflags_t flags;

	if (err)
		return err;
	spare = kzalloc(sizeof(*spare));	/* not with our lock held */
	flags = spin_lock_irqsave(&mmio_lock);
	err = -EBUSY;
	if (!overlaps_claim(phys, len)) {
		m = record_get(spare);
		err = m ? 0 : -ENOMEM;
	}
	if (m) {
		next = m->next;
		*m = (struct mmio_region){
			.next = next, .used = true, .frame_owned = frame_owned, .phys = phys,
			.len = len, .virt = phys_to_virt(phys), .owner = owner,
		};
		*out = m;
	}
	spin_unlock_irqrestore(&mmio_lock, flags);
	if (m != spare)
		kfree(spare);
	return err;
}

int mmio_map(uint64_t phys, uint64_t len, struct mmio_region **out)
{
	if (len && phys + len > phys && pci_bar_overlaps(false, phys, len))
		return -EPERM;
	return claim(phys, len, false, "kernel", out);
}

int mmio_map_device(uint64_t phys, uint64_t len, struct mmio_region **out)
{
	return claim(phys, len, false, "pci bar", out);
}

void mmio_reserve(uint64_t phys, uint64_t len, const char *owner)
{
	struct mmio_region *m;
	int err = claim(phys, len, true, owner, &m);

	if (err)
		pr_warn("mmio: cannot reserve 0x%lx-0x%lx for %s: %d\n", phys, phys + len - 1,
			owner, err);
}

void mmio_unmap(struct mmio_region *m)
{
	irqflags_t flags;

	if (!m)
		return;
	if (m->frame_owned) {
		pr_warn("mmio: 0x%lx belongs to frame (%s), not unmapped\n", m->phys, m->owner);
		return;
	}
	flags = spin_lock_irqsave(&mmio_lock);
	m->used = false;
	spin_unlock_irqrestore(&mmio_lock, flags);
}

uint64_t mmio_len(const struct mmio_region *m)
{
	return m && m->used ? m->len : 0;
}

uint64_t mmio_rejected(const struct mmio_region *m)
{
	return __atomic_load_n(&m->rejected, __ATOMIC_RELAXED);
}

void mmio_protect(struct mmio_region *m, uint64_t off, uint64_t len)
{
	m->protect_off = off;
	m->protect_len = len;
}

static bool access_ok(const struct mmio_region *m, uint64_t off, uint64_t width, bool write)
{
	if (!m || !m->used || off >= m->len || width > m->len - off || (off & (width - 1)))
		return false;
	return !write || !ranges_overlap(off, width, m->protect_off, m->protect_len);
}

/* The address for a `width`-byte access at `off`, or NULL (counted, logged). */
static volatile void *addr_of(struct mmio_region *m, uint64_t off, uint64_t width, bool write)
{
	if (access_ok(m, off, width, write))
		return m->virt + off;
	/* Log the first few per region (and for bad handles), then count quietly. */
	if (m ? __atomic_add_fetch(&m->rejected, 1, __ATOMIC_RELAXED) > WARN_LIMIT
	      : __atomic_add_fetch(&warnings, 1, __ATOMIC_RELAXED) > WARN_LIMIT)
		return NULL;
	if (m && m->used)
		pr_warn("mmio: rejected %lu-byte %s at offset 0x%lx of [mem 0x%lx-0x%lx]\n", width,
			write ? "write" : "read", off, m->phys, m->phys + m->len - 1);
	else
		pr_warn("mmio: rejected %lu-byte %s through an unmapped region\n", width,
			write ? "write" : "read");
	return NULL;
}

/* One body for every width: a refused read gives all ones, as an absent device does. */
static uint64_t mmio_read(struct mmio_region *m, uint64_t off, unsigned int width)
{
	volatile void *p = addr_of(m, off, width, false);

	return p ? mmio_load(p, width) : UINT64_MAX;
}

static int mmio_write(struct mmio_region *m, uint64_t off, unsigned int width, uint64_t v)
{
	volatile void *p = addr_of(m, off, width, true);

	if (!p)
		return -EINVAL;
	mmio_store(p, width, v);
	return 0;
}

DEFINE_WIDTH_ACCESSORS(mmio, struct mmio_region *, uint64_t, mmio_read, mmio_write, 8)
DEFINE_WIDTH_ACCESSORS(mmio, struct mmio_region *, uint64_t, mmio_read, mmio_write, 16)
DEFINE_WIDTH_ACCESSORS(mmio, struct mmio_region *, uint64_t, mmio_read, mmio_write, 32)
DEFINE_WIDTH_ACCESSORS(mmio, struct mmio_region *, uint64_t, mmio_read, mmio_write, 64)

volatile void *mmio_frame_ptr(uint64_t phys, uint64_t len)
{
	if (len == 0 || phys + len < phys || phys + len > DIRECT_MAP_BOOT_SIZE)
		return NULL;
	return phys_to_virt(phys);
}

/* The local APIC page is frame's (IOAPIC, HPET and ECAM reserve their own). */
void mmio_init(void)
{
	mmio_reserve(lapic_phys(), 0x1000, "local apic");
}
