// SPDX-License-Identifier: MPL-2.0
// I/O port regions: claims on port ranges, and bounds-checked accesses.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/io.h>
#include <aster/log.h>
#include <aster/sync.h>
#include "../../internal.h"
#include "acpi_internal.h"
#include "cpu.h"
#include "devices.h"

#define IO_PORT_SPACE		0x10000U
#define WARN_LIMIT		4	/* rejected accesses logged per region */

/*
 * Records come from the heap and are never freed, only reused: a stale
 * handle kernel/ kept after io_port_release() still points at a region
 * record (refused while unused), never at freed memory.
 */
struct io_port_region {
	struct io_port_region *next;	/* all records, used or not */
	bool used;
	bool frame_owned;
	uint16_t base;
	uint32_t len;
	const char *owner;
	uint64_t rejected;	/* accesses refused by the bounds check */
};

static struct io_port_region *regions;
static spinlock_t io_port_lock = SPINLOCK_INIT;
static unsigned int warnings;

/* Needs io_port_lock. */
static bool overlaps_claim(uint32_t base, uint32_t len)
{
	for (const struct io_port_region *r = regions; r; r = r->next)
		if (r->used && base < r->base + r->len && r->base < base + len)
			return true;
	return false;
}

/* Needs io_port_lock: an unused record, or a new one linked in. */
static struct io_port_region *record_get(struct io_port_region *spare)
{
	for (struct io_port_region *r = regions; r; r = r->next)
		if (!r->used)
			return r;
	if (spare) {
		spare->next = regions;
		regions = spare;
	}
	return spare;
}

static int claim(uint16_t base, uint32_t len, bool frame_owned, const char *owner,
		 struct io_port_region **out)
{
	/* Allocated up front: the heap is not called with our lock held. */
	struct io_port_region *spare, *r = NULL;
	irqflags_t flags;
	int err = -EBUSY;

	if (len == 0 || len > IO_PORT_SPACE - base)
		return -EINVAL;
	spare = kzalloc(sizeof(*spare));
	flags = spin_lock_irqsave(&io_port_lock);
	if (!overlaps_claim(base, len)) {
		r = record_get(spare);
		err = r ? 0 : -ENOMEM;
	}
	if (r) {
		r->used = true;
		r->frame_owned = frame_owned;
		r->base = base;
		r->len = len;
		r->owner = owner;
		r->rejected = 0;
		*out = r;
	}
	spin_unlock_irqrestore(&io_port_lock, flags);
	if (r != spare)
		kfree(spare);
	return err;
}

int io_port_claim(uint16_t base, uint32_t len, struct io_port_region **out)
{
	if (len && pci_bar_overlaps(true, base, len))
		return -EPERM;
	return claim(base, len, false, "kernel", out);
}

int io_port_claim_device(uint16_t base, uint32_t len, struct io_port_region **out)
{
	return claim(base, len, false, "pci bar", out);
}

void io_port_reserve(uint16_t base, uint16_t len, const char *owner)
{
	struct io_port_region *r;
	int err = claim(base, len, true, owner, &r);

	if (err)
		pr_warn("ioport: cannot reserve 0x%x-0x%x for %s: %d\n", base, base + len - 1,
			owner, err);
}

void io_port_release(struct io_port_region *r)
{
	irqflags_t flags;

	if (!r)
		return;
	if (r->frame_owned) {
		pr_warn("ioport: 0x%x belongs to frame (%s), not released\n", r->base, r->owner);
		return;
	}
	flags = spin_lock_irqsave(&io_port_lock);
	r->used = false;
	spin_unlock_irqrestore(&io_port_lock, flags);
}

uint32_t io_port_len(const struct io_port_region *r)
{
	return r && r->used ? r->len : 0;
}

/* The port for an access of `width` bytes at `off`, or -1 (counted, logged). */
static int32_t port_of(struct io_port_region *r, uint32_t off, uint32_t width)
{
	if (r && r->used && off < r->len && width <= r->len - off)
		return r->base + (int32_t)off;
	/* Log the first few per region (and for bad handles), then count quietly. */
	if (r ? __atomic_add_fetch(&r->rejected, 1, __ATOMIC_RELAXED) > WARN_LIMIT
	      : __atomic_add_fetch(&warnings, 1, __ATOMIC_RELAXED) > WARN_LIMIT)
		return -1;
	if (r && r->used)
		pr_warn("ioport: rejected %u-byte access at offset 0x%x of [io 0x%x-0x%x]\n", width,
			off, r->base, r->base + r->len - 1);
	else
		pr_warn("ioport: rejected %u-byte access through an unclaimed region\n", width);
	return -1;
}

/* One body for every width: a refused read gives all ones, as an absent device does. */
static uint32_t io_read(struct io_port_region *r, uint32_t off, uint32_t width)
{
	int32_t port = port_of(r, off, width);

	return port < 0 ? UINT32_MAX : port_in((uint16_t)port, width);
}

static int io_write(struct io_port_region *r, uint32_t off, uint32_t width, uint32_t v)
{
	int32_t port = port_of(r, off, width);

	if (port < 0)
		return -EINVAL;
	port_out((uint16_t)port, width, v);
	return 0;
}

DEFINE_WIDTH_ACCESSORS(io, struct io_port_region *, uint32_t, io_read, io_write, 8)
DEFINE_WIDTH_ACCESSORS(io, struct io_port_region *, uint32_t, io_read, io_write, 16)
DEFINE_WIDTH_ACCESSORS(io, struct io_port_region *, uint32_t, io_read, io_write, 32)

uint64_t io_port_rejected(const struct io_port_region *r)
{
	return __atomic_load_n(&r->rejected, __ATOMIC_RELAXED);
}

/* The ports frame drives itself. */
void io_port_init(void)
{
	const struct acpi_platform *p = acpi_platform();

	io_port_reserve(0x20, 2, "pic1");
	io_port_reserve(0x40, 4, "pit");
	io_port_reserve(0x61, 1, "pit gate");
	io_port_reserve(0x70, 2, "cmos rtc");
	io_port_reserve(0xa0, 2, "pic2");
	io_port_reserve(0xf4, 4, "debug exit");
	io_port_reserve(0x3f8, 8, "serial console");
	io_port_reserve(0xcf8, 8, "pci config, reset control");
	if (p->pm1a_cnt)
		io_port_reserve(p->pm1a_cnt, 2, "acpi pm1a control");
	if (p->pm1b_cnt)
		io_port_reserve(p->pm1b_cnt, 2, "acpi pm1b control");
	if (p->smi_cmd && p->smi_cmd <= 0xffff)
		io_port_reserve((uint16_t)p->smi_cmd, 1, "acpi smi command");
}
