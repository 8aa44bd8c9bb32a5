// SPDX-License-Identifier: MPL-2.0
// The ELF binary format: map an executable's PT_LOAD segments into the new
// address space (position-independent ones at ET_DYN_BASE, as Linux does)
// and, when it names one, its interpreter (ld.so) at a free address.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "exec/binprm.h"
#include "exec/elf.h"
#include "fs/file.h"
#include "mm/vmar.h"

#define ET_DYN_BASE		0x555555554000ULL

static int prot_of(uint32_t pf)
{
	return ((pf & PF_R) ? PROT_READ : 0) | ((pf & PF_W) ? PROT_WRITE : 0) |
	       ((pf & PF_X) ? PROT_EXEC : 0);
}

/* Map one PT_LOAD segment at bias. */
static int map_segment(struct vmar *vm, struct file *f, const struct elf_segment *s, uint64_t bias)
{
	uint64_t start = bias + s->vaddr, page = ALIGN_DOWN(start, PAGE_SIZE);
	uint64_t file_end = start + s->filesz, mem_end = start + s->memsz;
	uint64_t map_end = ALIGN_UP(file_end, PAGE_SIZE);
	int prot = prot_of(s->flags);
	uaddr_t out;
	int err;

	if ((s->vaddr - s->offset) % PAGE_SIZE)
		return -EINVAL;
	if (s->filesz) {
		err = vmar_mmap(vm, page, map_end - page, prot, MAP_PRIVATE | MAP_FIXED, f,
				s->offset - (start - page), &out);
		if (err)
			return err;
		/*
		 * The rest of the last file page belongs to .bss: zero all of it,
		 * as Linux does (ld.so's early allocator uses what lies past _end).
		 */
		if (s->memsz > s->filesz && (file_end % PAGE_SIZE)) {
			size_t n = map_end - file_end;

			if (!(prot & PROT_WRITE))
				(void)vmar_mprotect(vm, ALIGN_DOWN(file_end, PAGE_SIZE), PAGE_SIZE, prot | PROT_WRITE);
			err = clear_user(file_end, n);
			if (!(prot & PROT_WRITE))
				(void)vmar_mprotect(vm, ALIGN_DOWN(file_end, PAGE_SIZE), PAGE_SIZE, prot);
			if (err)
				return -EFAULT;
		}
	} else {
		map_end = page;
	}
	if (ALIGN_UP(mem_end, PAGE_SIZE) > map_end) {
		err = vmar_mmap(vm, map_end, ALIGN_UP(mem_end, PAGE_SIZE) - map_end, prot,
				MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, NULL, 0, &out);
		if (err)
			return err;
	}
	return 0;
}

/* Map an ELF image; *bias is where it went (0 for fixed-address executables). */
static int load_elf(struct vmar *vm, struct file *f, const struct elf_info *ei, bool is_interp,
		    uint64_t *bias_out)
{
	uint64_t span = ALIGN_UP(ei->highest_vaddr, PAGE_SIZE) - ei->lowest_vaddr;
	uint64_t bias = 0;
	int err;

	if (ei->is_dyn) {
		uaddr_t base;

		/* Reserve the whole span so the segments keep their distances. */
		err = vmar_mmap(vm, is_interp ? 0 : ET_DYN_BASE, span, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | (is_interp ? 0 : MAP_FIXED), NULL, 0, &base);
		if (err)
			return err;
		bias = base - ei->lowest_vaddr;
	}
	for (unsigned int i = 0; i < ei->nseg; i++) {
		err = map_segment(vm, f, &ei->seg[i], bias);
		if (err)
			return err;
	}
	*bias_out = bias;
	return 0;
}

static int parse_file(struct file *f, uint8_t *head, size_t len, struct elf_info *ei)
{
	return elf_parse(head, len, file_size(f), ei);
}

static int load_interp(struct vmar *vm, struct file *f, const struct elf_info *ei, uint8_t *head,
		       struct load_info *li)
{
	char path[ELF_INTERP_MAX + 1];
	struct elf_info *iei;
	struct file *interp;
	size_t len = 0;
	uint64_t bias = 0;
	int err;

	if (ei->interp_len == 0 || ei->interp_len > ELF_INTERP_MAX)
		return -ENOEXEC;
	if (kernel_read(f, ei->interp_offset, path, ei->interp_len) != (ssize_t)ei->interp_len)
		return -EIO;
	path[ei->interp_len] = '\0';
	if (strlen(path) + 1 != ei->interp_len && strlen(path) + 1 > ei->interp_len)
		return -ENOEXEC;
	err = vfs_open_exec(AT_FDCWD, path, 0, &interp);
	if (err)
		return err;
	iei = kmalloc(sizeof(*iei));
	err = iei ? exec_read_head(interp, head, &len) : -ENOMEM;
	if (!err)
		err = parse_file(interp, head, len, iei);
	if (!err && iei->has_interp)
		err = -ENOEXEC;
	if (!err)
		err = load_elf(vm, interp, iei, true, &bias);
	file_put(interp);
	if (!err) {
		li->interp_base = bias + iei->lowest_vaddr;
		li->entry = bias + iei->entry;
	}
	kfree(iei);
	return err;
}

/* Build the new address space for an ELF file. */
int elf_load_program(struct vmar *vm, struct file *f, uint8_t *head, size_t len, struct load_info *li)
{
	struct elf_info *ei = kmalloc(sizeof(*ei));
	uint64_t bias = 0;
	int err = ei ? parse_file(f, head, len, ei) : -ENOMEM;

	if (!err)
		err = load_elf(vm, f, ei, false, &bias);
	if (!err) {
		li->prog_entry = bias + ei->entry;
		li->entry = li->prog_entry;
		li->phdr = ei->phdr_vaddr ? bias + ei->phdr_vaddr : 0;
		li->phent = ei->phentsize;
		li->phnum = ei->phnum;
		li->interp_base = 0;
		li->brk = ALIGN_UP(bias + ei->highest_vaddr, PAGE_SIZE);
		if (ei->has_interp)
			err = load_interp(vm, f, ei, head, li);
	}
	kfree(ei);
	return err;
}
