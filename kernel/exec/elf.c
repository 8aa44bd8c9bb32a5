// SPDX-License-Identifier: MPL-2.0
// ELF64 parsing for execve (see elf.h).  Every field read from the file is
// checked before use: a corrupted binary gives an error, never a crash.
#include <aster/errno.h>
#include <aster/string.h>
#include "elf.h"

#define EHDR_SIZE	64
#define PHDR_SIZE	56
#define PAGE_SIZE	4096ULL
#define USER_TOP	0x0000800000000000ULL

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static int parse_header(const uint8_t *b, size_t len, struct elf_info *info)
{
	uint16_t type;

	if (len < EHDR_SIZE || memcmp(b, "\177ELF", 4) != 0)
		return -ENOEXEC;
	if (b[4] != ELFCLASS64 || b[5] != ELFDATA2LSB || b[6] != EV_CURRENT)
		return -ENOEXEC;
	type = rd16(b + 16);
	if ((type != ET_EXEC && type != ET_DYN) || rd16(b + 18) != EM_X86_64)
		return -ENOEXEC;
	info->is_dyn = type == ET_DYN;
	info->entry = rd64(b + 24);
	info->phoff = rd64(b + 32);
	info->phentsize = rd16(b + 54);
	info->phnum = rd16(b + 56);
	if (info->phentsize != PHDR_SIZE || info->phnum == 0 || info->phnum > 64)
		return -ENOEXEC;
	if (info->phoff > len || (uint64_t)info->phnum * PHDR_SIZE > len - info->phoff)
		return -ENOEXEC;
	return 0;
}

static int add_load(struct elf_info *info, const uint8_t *ph, uint64_t file_size)
{
	struct elf_segment s = {
		.flags = rd32(ph + 4),
		.offset = rd64(ph + 8),
		.vaddr = rd64(ph + 16),
		.filesz = rd64(ph + 32),
		.memsz = rd64(ph + 40),
	};
	uint64_t align = rd64(ph + 48);

	if (s.memsz == 0)
		return 0;
	if (info->nseg >= ELF_MAX_SEGMENTS)
		return -ENOEXEC;
	if (s.filesz > s.memsz || s.offset > file_size || s.filesz > file_size - s.offset)
		return -EINVAL;
	/* The file offset and address must agree modulo the page size. */
	if ((s.offset % PAGE_SIZE) != (s.vaddr % PAGE_SIZE))
		return -EINVAL;
	if (align > 1 && (align & (align - 1)))
		return -EINVAL;
	if (s.vaddr >= USER_TOP || s.memsz > USER_TOP - s.vaddr)
		return -EINVAL;
	info->seg[info->nseg++] = s;
	if (info->nseg == 1 || ALIGN_DOWN(s.vaddr, PAGE_SIZE) < info->lowest_vaddr)
		info->lowest_vaddr = ALIGN_DOWN(s.vaddr, PAGE_SIZE);
	if (s.vaddr + s.memsz > info->highest_vaddr)
		info->highest_vaddr = s.vaddr + s.memsz;
	return 0;
}

static int parse_phdr(struct elf_info *info, const uint8_t *ph, uint64_t file_size)
{
	uint32_t type = rd32(ph);

	switch (type) {
	case PT_LOAD:
		return add_load(info, ph, file_size);
	case PT_INTERP:
		if (info->has_interp)
			return -EINVAL;
		info->has_interp = true;
		info->interp_offset = rd64(ph + 8);
		info->interp_len = rd64(ph + 32);
		if (info->interp_len < 2 || info->interp_len > ELF_INTERP_MAX ||
		    info->interp_offset > file_size || info->interp_len > file_size - info->interp_offset)
			return -EINVAL;
		return 0;
	case PT_PHDR:
		info->phdr_vaddr = rd64(ph + 16);
		return 0;
	case PT_GNU_STACK:
		info->exec_stack = rd32(ph + 4) & PF_X;
		return 0;
	default:
		return 0;
	}
}

/* Without PT_PHDR, the headers are mapped if a segment covers phoff. */
static void find_phdr_vaddr(struct elf_info *info)
{
	if (info->phdr_vaddr)
		return;
	for (unsigned int i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];

		if (info->phoff >= s->offset && info->phoff < s->offset + s->filesz) {
			info->phdr_vaddr = s->vaddr + (info->phoff - s->offset);
			return;
		}
	}
}

int elf_parse(const uint8_t *buf, size_t len, uint64_t file_size, struct elf_info *info)
{
	int err;

	memset(info, 0, sizeof(*info));
	if (len > file_size)
		len = (size_t)file_size;
	err = parse_header(buf, len, info);
	if (err)
		return err;
	for (unsigned int i = 0; i < info->phnum; i++) {
		err = parse_phdr(info, buf + info->phoff + (uint64_t)i * PHDR_SIZE, file_size);
		if (err)
			return err;
	}
	if (info->nseg == 0)
		return -ENOEXEC;
	find_phdr_vaddr(info);
	return 0;
}

#include <aster/ktest.h>
#include "uapi/elf.h"

/* A minimal static executable image: header + one PT_LOAD at 0x400000. */
static void build_test_elf(uint8_t *b, size_t len)
{
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	memset(b, 0, len);
	memcpy(b, "\177ELF\2\1\1", 7);
	v16 = ET_EXEC; memcpy(b + 16, &v16, 2);
	v16 = EM_X86_64; memcpy(b + 18, &v16, 2);
	v64 = 0x401000; memcpy(b + 24, &v64, 8);
	v64 = EHDR_SIZE; memcpy(b + 32, &v64, 8);
	v16 = PHDR_SIZE; memcpy(b + 54, &v16, 2);
	v16 = 1; memcpy(b + 56, &v16, 2);
	v32 = PT_LOAD; memcpy(b + 64, &v32, 4);
	v32 = PF_R | PF_X; memcpy(b + 68, &v32, 4);
	v64 = 0; memcpy(b + 72, &v64, 8);
	v64 = 0x400000; memcpy(b + 80, &v64, 8);
	v64 = len; memcpy(b + 96, &v64, 8);
	v64 = len + 100; memcpy(b + 104, &v64, 8);
	v64 = PAGE_SIZE; memcpy(b + 112, &v64, 8);
}

KTEST(elf_parse_static_and_corrupt)
{
	static uint8_t b[256];
	struct elf_info info;

	build_test_elf(b, sizeof(b));
	KT_ASSERT_EQ(elf_parse(b, sizeof(b), sizeof(b), &info), 0);
	KT_EXPECT(!info.is_dyn && info.entry == 0x401000 && info.nseg == 1);
	KT_EXPECT(info.phdr_vaddr == 0x400000 + EHDR_SIZE);
	KT_EXPECT(info.highest_vaddr == 0x400000 + sizeof(b) + 100);
	/* Segment file size past the end of the file. */
	KT_ASSERT_EQ(elf_parse(b, sizeof(b), 100, &info), -ENOEXEC);
	b[18] = 3;	/* EM_386 */
	KT_ASSERT_EQ(elf_parse(b, sizeof(b), sizeof(b), &info), -ENOEXEC);
	build_test_elf(b, sizeof(b));
	b[0] = 0;
	KT_ASSERT_EQ(elf_parse(b, sizeof(b), sizeof(b), &info), -ENOEXEC);
	build_test_elf(b, sizeof(b));
	b[80] = 0x10;	/* vaddr and offset disagree modulo the page size */
	KT_ASSERT_EQ(elf_parse(b, sizeof(b), sizeof(b), &info), -EINVAL);
}
