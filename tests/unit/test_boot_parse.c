// SPDX-License-Identifier: MPL-2.0
// Host tests of the boot information parsers: the Linux boot protocol's zero
// page (frame/arch/x86_64/boot/zero_page.c) and the multiboot2 information
// block (multiboot2.c).  The blocks are built in heap buffers of their exact
// size, so that ASan reports any read outside them.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include <aster/errno.h>
#include "boot_parse.h"

static struct boot_info bi;

static void reset(void)
{
	memset(&bi, 0, sizeof(bi));
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static bool region_is(unsigned int i, uint64_t base, uint64_t len, enum mem_region_type type)
{
	if (i >= bi.nr_mem) {
		diag("  no region %u (nr_mem %u)", i, bi.nr_mem);
		return false;
	}
	if (bi.mem[i].base == base && bi.mem[i].len == len && bi.mem[i].type == type)
		return true;
	diag("  region %u: base %#" PRIx64 " len %#" PRIx64 " type %d", i, bi.mem[i].base,
	     bi.mem[i].len, (int)bi.mem[i].type);
	diag("  expected: base %#" PRIx64 " len %#" PRIx64 " type %d", base, len, (int)type);
	return false;
}

/* ---- boot_add_mem_region ---- */

static void test_add_mem_region(void)
{
	reset();
	boot_add_mem_region(&bi, 0x1000, 0, MEM_USABLE);
	is_int(bi.nr_mem, 0, "add_mem_region: an empty region is ignored");
	boot_add_mem_region(&bi, 0x100000, 0x7ee0000, MEM_USABLE);
	ok(region_is(0, 0x100000, 0x7ee0000, MEM_USABLE), "add_mem_region: a usable region");
	boot_add_mem_region(&bi, 0xfffffffffffff000, 0x2000, MEM_RESERVED);
	ok(region_is(1, 0xfffffffffffff000, 0xfff, MEM_RESERVED),
	   "add_mem_region: a region wrapping past 2^64 is clipped to end at UINT64_MAX");
	boot_add_mem_region(&bi, 0xfffffffffffff000, 0x1000, MEM_RESERVED);
	ok(region_is(2, 0xfffffffffffff000, 0xfff, MEM_RESERVED),
	   "add_mem_region: a region ending exactly at 2^64 is clipped too");
	boot_add_mem_region(&bi, 0, UINT64_MAX, MEM_RESERVED);
	ok(region_is(3, 0, UINT64_MAX, MEM_RESERVED), "add_mem_region: the whole address space");
	/* Found by fuzzing the zero page: clipped to nothing, it was kept, empty. */
	boot_add_mem_region(&bi, UINT64_MAX, 0xff, MEM_USABLE);
	is_int(bi.nr_mem, 4, "add_mem_region: a region left empty by the clipping is ignored");
	for (uint32_t t = 0; t <= 6; t++)
		boot_add_mem_region(&bi, 0x10000 * (t + 1), 0x1000, t);
	ok(region_is(4, 0x10000, 0x1000, MEM_RESERVED), "add_mem_region: type 0 becomes reserved");
	ok(region_is(5, 0x20000, 0x1000, MEM_USABLE) && region_is(6, 0x30000, 0x1000, MEM_RESERVED) &&
	   region_is(7, 0x40000, 0x1000, MEM_ACPI_RECLAIM) && region_is(8, 0x50000, 0x1000, MEM_ACPI_NVS) &&
	   region_is(9, 0x60000, 0x1000, MEM_BAD), "add_mem_region: types 1-5 are kept");
	ok(region_is(10, 0x70000, 0x1000, MEM_RESERVED), "add_mem_region: type 6 becomes reserved");
	boot_add_mem_region(&bi, 0x80000, 0x1000, 0xffffffff);
	ok(region_is(11, 0x80000, 0x1000, MEM_RESERVED), "add_mem_region: type 0xffffffff becomes reserved");

	reset();
	for (unsigned int i = 0; i < BOOT_MAX_MEM_REGIONS + 10; i++)
		boot_add_mem_region(&bi, (uint64_t)i << 20, 0x1000, MEM_USABLE);
	is_int(bi.nr_mem, BOOT_MAX_MEM_REGIONS, "add_mem_region: stops at BOOT_MAX_MEM_REGIONS");
	ok(region_is(BOOT_MAX_MEM_REGIONS - 1, (uint64_t)(BOOT_MAX_MEM_REGIONS - 1) << 20, 0x1000, MEM_USABLE),
	   "add_mem_region: the last kept region is the 128th");
}

/* ---- zero page ---- */

#define ZP_ACPI_RSDP_ADDR	0x070
#define ZP_EXT_RAMDISK_IMAGE	0x0c0
#define ZP_EXT_RAMDISK_SIZE	0x0c4
#define ZP_EXT_CMD_LINE_PTR	0x0c8
#define ZP_E820_ENTRIES		0x1e8
#define ZP_TYPE_OF_LOADER	0x210
#define ZP_RAMDISK_IMAGE	0x218
#define ZP_RAMDISK_SIZE		0x21c
#define ZP_CMD_LINE_PTR		0x228
#define ZP_E820_TABLE		0x2d0

static uint8_t *zp_new(void)
{
	uint8_t *zp = calloc(1, ZERO_PAGE_SIZE);

	if (!zp)
		abort();
	return zp;
}

static void zp_e820(uint8_t *zp, unsigned int i, uint64_t base, uint64_t len, uint32_t type)
{
	size_t off = ZP_E820_TABLE + (size_t)i * 20;

	put64(zp, off, base);
	put64(zp, off + 8, len);
	put32(zp, off + 16, type);
}

static void test_zero_page_empty(void)
{
	uint8_t *zp = zp_new();
	struct zero_page_info info = { 1, 1 };

	reset();
	bi.loader_name = "stale";
	zero_page_parse(zp, &bi, &info);
	ok(bi.nr_mem == 0 && bi.initrd_base == 0 && bi.initrd_len == 0 && bi.rsdp_phys == 0,
	   "zero page of zeros: nothing");
	ok(info.cmdline_phys == 0 && info.loader_type == 0, "zero page of zeros: no command line, loader 0");
	is_str(bi.loader_name, "", "zero page: the loader name is empty");
	free(zp);
}

static void test_zero_page_full(void)
{
	uint8_t *zp = zp_new();
	struct zero_page_info info;

	zp[ZP_E820_ENTRIES] = 5;
	zp_e820(zp, 0, 0, 0x9fc00, 1);
	zp_e820(zp, 1, 0x9fc00, 0x400, 2);
	zp_e820(zp, 2, 0x100000, 0, 1);		/* empty: skipped */
	zp_e820(zp, 3, 0x100000, 0x7ee0000, 1);
	zp_e820(zp, 4, 0x7fe0000, 0x20000, 3);
	zp_e820(zp, 5, 0xdead0000, 0x1000, 1);	/* beyond the count: ignored */
	put32(zp, ZP_RAMDISK_IMAGE, 0x7f00000);
	put32(zp, ZP_RAMDISK_SIZE, 0x80000);
	put64(zp, ZP_ACPI_RSDP_ADDR, 0xf5a40);
	put32(zp, ZP_CMD_LINE_PTR, 0x20000);
	zp[ZP_TYPE_OF_LOADER] = 0x72;
	reset();
	zero_page_parse(zp, &bi, &info);
	is_int(bi.nr_mem, 4, "zero page: 5 e820 entries, one empty: 4 regions");
	ok(region_is(0, 0, 0x9fc00, MEM_USABLE) && region_is(1, 0x9fc00, 0x400, MEM_RESERVED) &&
	   region_is(2, 0x100000, 0x7ee0000, MEM_USABLE) &&
	   region_is(3, 0x7fe0000, 0x20000, MEM_ACPI_RECLAIM), "zero page: the e820 regions in order");
	ok(bi.initrd_base == 0x7f00000 && bi.initrd_len == 0x80000, "zero page: initrd");
	ok(bi.rsdp_phys == 0xf5a40, "zero page: ACPI RSDP address");
	ok(info.cmdline_phys == 0x20000, "zero page: command line pointer");
	is_int(info.loader_type, 0x72, "zero page: type_of_loader");

	/* The ext_* fields hold the high 32 bits. */
	put32(zp, ZP_EXT_RAMDISK_IMAGE, 0x1);
	put32(zp, ZP_EXT_RAMDISK_SIZE, 0x2);
	put32(zp, ZP_EXT_CMD_LINE_PTR, 0x3);
	reset();
	zero_page_parse(zp, &bi, &info);
	ok(bi.initrd_base == 0x107f00000 && bi.initrd_len == 0x200080000,
	   "zero page: initrd above 4 GiB from ext_ramdisk_image/size");
	ok(info.cmdline_phys == 0x300020000, "zero page: command line above 4 GiB from ext_cmd_line_ptr");

	/* An initrd address with no size is no initrd. */
	put32(zp, ZP_RAMDISK_SIZE, 0);
	put32(zp, ZP_EXT_RAMDISK_SIZE, 0);
	reset();
	zero_page_parse(zp, &bi, &info);
	ok(bi.initrd_base == 0 && bi.initrd_len == 0, "zero page: initrd of size 0 means none");
	free(zp);
}

static void test_zero_page_e820_limits(void)
{
	uint8_t *zp = zp_new();
	struct zero_page_info info;

	/* 128 slots fit in the page; a count above that must not read past them. */
	for (unsigned int i = 0; i < 128; i++)
		zp_e820(zp, i, (uint64_t)i << 24, 0x1000, (i % 5) + 1);
	zp[ZP_E820_ENTRIES] = 200;
	reset();
	zero_page_parse(zp, &bi, &info);
	is_int(bi.nr_mem, 128, "zero page: e820 count 200 is clamped to 128");
	ok(region_is(127, 127ULL << 24, 0x1000, (127 % 5) + 1), "zero page: the 128th entry is read");
	zp[ZP_E820_ENTRIES] = 255;
	reset();
	zero_page_parse(zp, &bi, &info);
	is_int(bi.nr_mem, 128, "zero page: e820 count 255 is clamped to 128");

	/* Regions already known count against the limit. */
	zp[ZP_E820_ENTRIES] = 20;
	reset();
	bi.nr_mem = 120;
	zero_page_parse(zp, &bi, &info);
	is_int(bi.nr_mem, BOOT_MAX_MEM_REGIONS, "zero page: regions beyond BOOT_MAX_MEM_REGIONS are dropped");

	/* Odd entries: wrapping, unknown type. */
	memset(zp, 0, ZERO_PAGE_SIZE);
	zp[ZP_E820_ENTRIES] = 2;
	zp_e820(zp, 0, 0xffffffffff000000, 0x2000000, 1);
	zp_e820(zp, 1, 0x1000, 0x1000, 12);	/* E820_TYPE_PRAM */
	reset();
	zero_page_parse(zp, &bi, &info);
	ok(region_is(0, 0xffffffffff000000, 0xffffff, MEM_USABLE), "zero page: a wrapping entry is clipped");
	ok(region_is(1, 0x1000, 0x1000, MEM_RESERVED), "zero page: an unknown e820 type is reserved");
	free(zp);
}

/* ---- multiboot2 ---- */

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

struct mb {
	uint8_t data[16384];
	uint32_t len;
};

static void mb_init(struct mb *m)
{
	memset(m->data, 0, sizeof(m->data));
	m->len = 8;	/* total_size and reserved, written by mb_finish */
}

static uint32_t align8(uint32_t v)
{
	return (v + 7) & ~7U;
}

/* Append a tag whose size field says `size`, with `plen` payload bytes; the
 * next tag starts at the next multiple of 8 after header + payload.  Returns
 * the tag's offset. */
static uint32_t mb_tag_raw(struct mb *m, uint32_t type, uint32_t size, const void *payload, uint32_t plen)
{
	uint32_t off = m->len;

	put32(m->data, off, type);
	put32(m->data, off + 4, size);
	if (plen)
		memcpy(m->data + off + 8, payload, plen);
	m->len = align8(off + 8 + plen);
	return off;
}

static uint32_t mb_tag(struct mb *m, uint32_t type, const void *payload, uint32_t plen)
{
	return mb_tag_raw(m, type, 8 + plen, payload, plen);
}

static uint32_t mb_string(struct mb *m, uint32_t type, const char *s)
{
	return mb_tag(m, type, s, (uint32_t)strlen(s) + 1);
}

static void mb_end(struct mb *m)
{
	mb_tag(m, MB2_TAG_END, NULL, 0);
}

/* mmap tag: entry_size, entry_version 0, then entries of entry_size bytes. */
struct mmap_entry {
	uint64_t base, len;
	uint32_t type;
};

static uint32_t mb_mmap(struct mb *m, uint32_t entry_size, const struct mmap_entry *e, unsigned int n)
{
	uint8_t payload[8 + 256 * 64];

	memset(payload, 0, sizeof(payload));
	put32(payload, 0, entry_size);
	for (unsigned int i = 0; i < n; i++) {
		put64(payload, 8 + i * entry_size, e[i].base);
		put64(payload, 8 + i * entry_size + 8, e[i].len);
		put32(payload, 8 + i * entry_size + 16, e[i].type);
	}
	return mb_tag(m, MB2_TAG_MMAP, payload, 8 + n * entry_size);
}

static uint32_t mb_module(struct mb *m, uint32_t start, uint32_t end, const char *name)
{
	uint8_t payload[64];

	put32(payload, 0, start);
	put32(payload, 4, end);
	strcpy((char *)payload + 8, name);
	return mb_tag(m, MB2_TAG_MODULE, payload, 8 + (uint32_t)strlen(name) + 1);
}

/* A heap copy of exactly `size` bytes whose total_size field says `total`. */
static uint8_t *mb_copy(struct mb *m, uint32_t size, uint32_t total)
{
	uint8_t *p = malloc(size ? size : 1);

	if (!p)
		abort();
	put32(m->data, 0, total);
	memcpy(p, m->data, size);
	return p;
}

/* The physical address the tests pretend the block was loaded at. */
#define MB_PHYS	0x9000ULL

/* Parse the block as built, with a fresh boot_info. */
static int mb_parse(struct mb *m)
{
	uint8_t *p = mb_copy(m, m->len, m->len);
	int ret;

	reset();
	ret = mb2_parse(p, m->len, &bi, (uint64_t)(uintptr_t)p - MB_PHYS);
	free(p);
	return ret;
}

static struct mb *mb_new(void)
{
	struct mb *m = malloc(sizeof(*m));

	if (!m)
		abort();
	mb_init(m);
	return m;
}

static void test_mb2_minimal(void)
{
	struct mb *m = mb_new();
	uint8_t *p;

	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: header and end tag only");
	ok(bi.nr_mem == 0 && bi.initrd_base == 0 && bi.rsdp_phys == 0 && bi.cmdline[0] == '\0',
	   "mb2: empty block gives nothing");
	is_str(bi.loader_name, "", "mb2: no loader name tag: empty name");

	p = mb_copy(m, 8, 8);
	reset();
	is_int(mb2_parse(p, 8, &bi, 0), -EINVAL, "mb2: a block of 8 bytes (no room for a tag)");
	free(p);
	p = mb_copy(m, 16, 24);
	reset();
	is_int(mb2_parse(p, 16, &bi, 0), -EINVAL, "mb2: total_size disagreeing with the size given");
	free(p);
	p = mb_copy(m, 16, 0);
	reset();
	is_int(mb2_parse(p, 16, &bi, 0), -EINVAL, "mb2: total_size 0");
	free(p);

	/* Bytes after the end tag are not read. */
	mb_init(m);
	mb_end(m);
	mb_tag_raw(m, 99, 0, NULL, 0);	/* would be invalid if parsed */
	is_int(mb_parse(m), 0, "mb2: bytes after the end tag are ignored");

	/* An end tag is recognised by its type alone. */
	mb_init(m);
	mb_tag_raw(m, MB2_TAG_END, 0, NULL, 0);
	is_int(mb_parse(m), 0, "mb2: an end tag with size 0");
	free(m);
}

static void test_mb2_full(void)
{
	static const struct mmap_entry map[] = {
		{ 0, 0x9fc00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x7ee0000, 1 },
		{ 0x7fe0000, 0x20000, 3 },
		{ 0xfffc0000, 0x40000, 4 },
		{ 0x100000000, 0, 1 },		/* empty: skipped */
		{ 0x100000000, 0x80000000, 1 },
		{ 0x180000000, 0x1000, 5 },
		{ 0x180001000, 0x1000, 7 },	/* persistent memory: reserved */
	};
	static const uint8_t rsdp[20] = "RSD PTR ";
	struct mb *m = mb_new();
	uint32_t acpi_off;

	mb_string(m, MB2_TAG_CMDLINE, "console=ttyS0 -- x");
	mb_string(m, MB2_TAG_LOADER_NAME, "GRUB 2.06");
	mb_tag(m, 21, "\x01\x02\x03", 3);	/* image load base: skipped */
	mb_module(m, 0x1000000, 0x1080000, "initramfs.cpio.gz");
	mb_module(m, 0x2000000, 0x2001000, "second");
	mb_mmap(m, 24, map, 10);
	acpi_off = mb_tag(m, MB2_TAG_ACPI_OLD, rsdp, sizeof(rsdp));
	mb_tag(m, 8, NULL, 0);		/* framebuffer info, no payload: skipped */
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: a complete block parses");
	is_str(bi.cmdline, "console=ttyS0 -- x", "mb2: command line");
	is_str(bi.loader_name, "GRUB 2.06", "mb2: loader name");
	ok(bi.initrd_base == 0x1000000 && bi.initrd_len == 0x80000, "mb2: the first module is the initrd");
	is_int(bi.nr_mem, 9, "mb2: 10 map entries, one empty: 9 regions");
	ok(region_is(0, 0, 0x9fc00, MEM_USABLE) && region_is(1, 0x9fc00, 0x400, MEM_RESERVED) &&
	   region_is(3, 0x100000, 0x7ee0000, MEM_USABLE) && region_is(4, 0x7fe0000, 0x20000, MEM_ACPI_RECLAIM) &&
	   region_is(5, 0xfffc0000, 0x40000, MEM_ACPI_NVS) &&
	   region_is(6, 0x100000000, 0x80000000, MEM_USABLE) && region_is(7, 0x180000000, 0x1000, MEM_BAD) &&
	   region_is(8, 0x180001000, 0x1000, MEM_RESERVED), "mb2: the memory map");
	ok(bi.rsdp_phys == MB_PHYS + acpi_off + 8, "mb2: RSDP: physical address of the copy in the ACPI tag");
	free(m);
}

static void test_mb2_acpi(void)
{
	static const uint8_t rsdp1[20] = "RSD PTR v1", rsdp2[36] = "RSD PTR v2";
	struct mb *m = mb_new();
	uint32_t old_off, new_off;

	new_off = mb_tag(m, MB2_TAG_ACPI_NEW, rsdp2, sizeof(rsdp2));
	old_off = mb_tag(m, MB2_TAG_ACPI_OLD, rsdp1, sizeof(rsdp1));
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: new then old ACPI tags");
	ok(bi.rsdp_phys == MB_PHYS + new_off + 8, "mb2: the ACPI 2.0 RSDP wins over a later 1.0 one");

	mb_init(m);
	old_off = mb_tag(m, MB2_TAG_ACPI_OLD, rsdp1, sizeof(rsdp1));
	new_off = mb_tag(m, MB2_TAG_ACPI_NEW, rsdp2, sizeof(rsdp2));
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: old then new ACPI tags");
	ok(bi.rsdp_phys == MB_PHYS + new_off + 8, "mb2: the ACPI 2.0 RSDP wins over an earlier 1.0 one");

	mb_init(m);
	old_off = mb_tag(m, MB2_TAG_ACPI_OLD, rsdp1, sizeof(rsdp1));
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: ACPI 1.0 tag only");
	ok(bi.rsdp_phys == MB_PHYS + old_off + 8, "mb2: the ACPI 1.0 RSDP is used when alone");
	free(m);
}

static void test_mb2_strings(void)
{
	struct mb *m = mb_new();
	static char longline[5000];
	uint32_t off;

	/* Command line text not terminated within its tag: stop at the tag's end. */
	off = mb_tag(m, MB2_TAG_CMDLINE, "abcdef", 6);
	memset(m->data + off + 14, 'X', 2);	/* the padding up to the next tag */
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: unterminated command line tag");
	is_str(bi.cmdline, "abcdef", "mb2: unterminated command line stops at the tag's end");

	/* Text terminated early within its tag. */
	mb_init(m);
	mb_tag(m, MB2_TAG_CMDLINE, "ab\0cdef", 8);
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: command line with a NUL inside");
	is_str(bi.cmdline, "ab", "mb2: command line stops at its NUL");

	/* An empty tag. */
	mb_init(m);
	mb_tag(m, MB2_TAG_CMDLINE, NULL, 0);
	mb_end(m);
	reset();
	is_int(mb_parse(m), 0, "mb2: command line tag with no text");
	is_str(bi.cmdline, "", "mb2: empty command line");

	/* Longer than the kernel's buffer: truncated and terminated. */
	memset(longline, 'a', sizeof(longline) - 1);
	mb_init(m);
	mb_string(m, MB2_TAG_CMDLINE, longline);
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: 4999-byte command line");
	is_int(strlen(bi.cmdline), sizeof(bi.cmdline) - 1, "mb2: long command line truncated to 4095 bytes");

	mb_init(m);
	mb_string(m, MB2_TAG_LOADER_NAME,
		  "a loader with a very long name that goes on and on, longer than 64 bytes");
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: long loader name");
	is_str(bi.loader_name, "a loader with a very long name that goes on and on, longer than",
	       "mb2: long loader name truncated to 63 bytes");

	mb_init(m);
	mb_tag(m, MB2_TAG_LOADER_NAME, "GRUBGRUB", 8);	/* unterminated */
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: unterminated loader name");
	is_str(bi.loader_name, "GRUBGRUB", "mb2: unterminated loader name stops at the tag's end");
	free(m);
}

static void test_mb2_modules(void)
{
	struct mb *m = mb_new();
	uint8_t short_mod[4] = { 0 };

	mb_module(m, 0x3000000, 0x3000000, "empty");	/* end == start: not an initrd */
	mb_module(m, 0x5000000, 0x4000000, "backwards");
	mb_module(m, 0x6000000, 0x6001000, "real");
	mb_module(m, 0x7000000, 0x7002000, "later");
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: several modules");
	ok(bi.initrd_base == 0x6000000 && bi.initrd_len == 0x1000,
	   "mb2: the first non-empty module is the initrd");

	mb_init(m);
	mb_tag(m, MB2_TAG_MODULE, short_mod, sizeof(short_mod));
	mb_end(m);
	is_int(mb_parse(m), -EINVAL, "mb2: module tag shorter than 16 bytes");

	mb_init(m);
	mb_tag(m, MB2_TAG_MODULE, "\0\0\0\x01\0\0\0\x02", 8);	/* no name at all */
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: module tag of exactly 16 bytes");
	ok(bi.initrd_base == 0x1000000 && bi.initrd_len == 0x1000000, "mb2: its range is read");
	free(m);
}

static void test_mb2_mmap(void)
{
	struct mmap_entry map[200];
	struct mb *m = mb_new();
	uint8_t hdr[8] = { 24, 0, 0, 0, 0, 0, 0, 0 };
	uint32_t off;

	for (unsigned int i = 0; i < 200; i++)
		map[i] = (struct mmap_entry){ (uint64_t)i << 20, 0x1000, 1 };

	/* Entries larger than 24 bytes (future versions): the stride is entry_size. */
	mb_mmap(m, 32, map, 3);
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: map with entry_size 32");
	ok(bi.nr_mem == 3 && region_is(2, 2 << 20, 0x1000, MEM_USABLE), "mb2: entries read at a stride of 32");

	mb_init(m);
	mb_mmap(m, 20, map, 3);
	mb_end(m);
	is_int(mb_parse(m), -EINVAL, "mb2: map entry_size 20 (< 24) is rejected");

	mb_init(m);
	mb_mmap(m, 0, map, 0);
	mb_end(m);
	is_int(mb_parse(m), -EINVAL, "mb2: map entry_size 0 is rejected");

	mb_init(m);
	mb_tag(m, MB2_TAG_MMAP, hdr, 4);	/* tag of 12 bytes: no room for entry_size/version */
	mb_end(m);
	is_int(mb_parse(m), -EINVAL, "mb2: map tag shorter than its 16-byte header");

	mb_init(m);
	mb_tag(m, MB2_TAG_MMAP, hdr, 8);
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: map with no entries");
	is_int(bi.nr_mem, 0, "mb2: no entries, no regions");

	/* A partial entry at the end of the tag is ignored. */
	mb_init(m);
	off = mb_mmap(m, 24, map, 3);
	put32(m->data, off + 4, 16 + 2 * 24 + 10);
	m->len = align8(off + 16 + 2 * 24 + 10);
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: map ending with a partial entry");
	is_int(bi.nr_mem, 2, "mb2: only whole entries are read");

	mb_init(m);
	mb_mmap(m, 24, map, 200);
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: map of 200 entries");
	is_int(bi.nr_mem, BOOT_MAX_MEM_REGIONS, "mb2: regions beyond BOOT_MAX_MEM_REGIONS are dropped");

	/* Two map tags add up. */
	mb_init(m);
	mb_mmap(m, 24, map, 2);
	mb_mmap(m, 24, map + 5, 1);
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: two map tags");
	ok(bi.nr_mem == 3 && region_is(2, 5 << 20, 0x1000, MEM_USABLE), "mb2: both maps are read");
	free(m);
}

static void test_mb2_malformed(void)
{
	struct mb *m = mb_new();
	uint32_t off;

	/* Tag sizes below the 8-byte tag header. */
	for (uint32_t size = 0; size < 8; size += 4) {
		mb_init(m);
		mb_tag_raw(m, 21, size, NULL, 0);
		mb_end(m);
		is_int(mb_parse(m), -EINVAL, "mb2: tag size %u (< 8) is rejected", size);
	}

	/* A tag claiming more than what is left of the block. */
	mb_init(m);
	off = mb_string(m, MB2_TAG_CMDLINE, "abc");
	mb_end(m);
	put32(m->data, off + 4, m->len - off + 1);
	is_int(mb_parse(m), -EINVAL, "mb2: tag extending one byte past the block");
	mb_init(m);
	off = mb_string(m, MB2_TAG_CMDLINE, "abc");
	mb_end(m);
	put32(m->data, off + 4, 0xffffffff);
	is_int(mb_parse(m), -EINVAL, "mb2: tag size 0xffffffff");

	/* A tag ending exactly at the end of the block: valid, but no end tag. */
	mb_init(m);
	off = mb_string(m, MB2_TAG_CMDLINE, "abc");
	put32(m->data, off + 4, m->len - off);
	is_int(mb_parse(m), -EINVAL, "mb2: no end tag after a tag filling the block");
	is_str(bi.cmdline, "abc", "mb2: what was read before the error is kept");

	/* The block ends inside a tag header. */
	mb_init(m);
	mb_string(m, MB2_TAG_LOADER_NAME, "L");
	mb_end(m);
	{
		uint32_t cut = m->len - 4;
		uint8_t *p = mb_copy(m, cut, cut);

		reset();
		is_int(mb2_parse(p, cut, &bi, 0), -EINVAL, "mb2: block ending inside the end tag's header");
		is_str(bi.loader_name, "L", "mb2: the tag before it was read");
		free(p);
	}

	/* An error after good tags keeps them. */
	mb_init(m);
	mb_string(m, MB2_TAG_CMDLINE, "kept");
	mb_mmap(m, 8, NULL, 0);
	mb_end(m);
	is_int(mb_parse(m), -EINVAL, "mb2: a bad map after a good command line");
	is_str(bi.cmdline, "kept", "mb2: the command line read before the error is kept");

	/* Tag sizes that are not multiples of 8: the next tag is 8-aligned. */
	mb_init(m);
	mb_string(m, MB2_TAG_CMDLINE, "a");		/* size 10 */
	mb_string(m, MB2_TAG_LOADER_NAME, "b c");	/* size 12 */
	mb_end(m);
	is_int(mb_parse(m), 0, "mb2: unaligned tag sizes");
	ok(strcmp(bi.cmdline, "a") == 0 && strcmp(bi.loader_name, "b c") == 0,
	   "mb2: tags after unaligned ones are found at 8-byte boundaries");
	free(m);
}

/*
 * A map whose entry_size is so large that `off + entry_size` wraps around
 * 2^32 in parse_mmap's loop condition: the parser then reads "entries" past
 * the end of the tag.  The buffer is padded so the stray read stays inside
 * it (ASan would abort otherwise) and is seen as a bogus region.
 */
static void test_mb2_mmap_entry_size_wrap(void)
{
	struct mb *m = mb_new();
	uint8_t hdr[8] = { 0 };
	uint8_t *p;
	uint32_t size;
	int ret;

	put32(hdr, 0, 0xfffffff0);
	mb_tag(m, MB2_TAG_MMAP, hdr, 8);	/* tag of 16 bytes: no entries */
	mb_end(m);
	size = m->len;
	/* Past the block: what a stray read would take for an entry. */
	put64(m->data, size, 0x1000);
	put32(m->data, size + 8, 1);
	p = malloc(size + 64);
	put32(m->data, 0, size);
	memcpy(p, m->data, size + 64);
	reset();
	ret = mb2_parse(p, size, &bi, 0);
	ok(ret == -EINVAL || bi.nr_mem == 0,
	   "mb2: map with entry_size 0xfffffff0 reads nothing past its tag (nr_mem %u)", bi.nr_mem);
	free(p);
	free(m);
}

/*
 * total_size within 7 bytes of 4 GiB: `off += ALIGN_UP(tag_size, 8)` wraps
 * to 0 and the parser starts over at the block's header.  Run in a child
 * with a timeout, since the restart can loop forever.
 */
static void test_mb2_offset_wrap(void)
{
	uint8_t block[16];
	pid_t pid;
	int status;

	put32(block, 0, 0xfffffffc);	/* total_size */
	put32(block, 4, 8);		/* reserved, read as a tag size after the wrap */
	put32(block, 8, 21);		/* a tag of an ignored type... */
	put32(block, 12, 0xfffffff4);	/* ...filling the rest of the claimed block */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(2);
		reset();
		_exit(mb2_parse(block, 0xfffffffc, &bi, 0) == -EINVAL ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		ok(false, "mb2: total_size near 4 GiB (fork failed)");
		return;
	}
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "mb2: total_size 0xfffffffc with a tag filling it returns -EINVAL (%s)",
	   WIFSIGNALED(status) ? "child killed: it hung" : "child exited");
}

int main(void)
{
	test_add_mem_region();
	test_zero_page_empty();
	test_zero_page_full();
	test_zero_page_e820_limits();
	test_mb2_minimal();
	test_mb2_full();
	test_mb2_acpi();
	test_mb2_strings();
	test_mb2_modules();
	test_mb2_mmap();
	test_mb2_malformed();
	test_mb2_mmap_entry_size_wrap();
	test_mb2_offset_wrap();
	return done();
}
