// SPDX-License-Identifier: MPL-2.0
// The vDSO in every process (Linux's arch/x86/entry/vdso/vma.c): the
// image vdso/ builds is copied into frames once at boot, and exec maps
// those frames read+exec, with frame's vvar page read-only just below
// them, as Linux lays out [vvar] and [vdso].  AT_SYSINFO_EHDR points at
// the image (exec/stack.c); fork copies the mappings like any other.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/vvar.h>
#include "exec/binprm.h"
#include "exec/elf.h"
#include "mm/vmar.h"

/* vdso/Makefrag.am's generated vdso-image.S. */
extern const uint8_t vdso_image[];
extern const uint64_t vdso_image_len;

#define VDSO_MAX_PAGES	4

static struct frame *vdso_frames[VDSO_MAX_PAGES];
static struct frame *vvar_frames[1];

static struct vmar_special vvar_special = {
	.name = "[vvar]", .frames = vvar_frames, .npages = 1, .prot = PROT_READ,
};
static struct vmar_special vdso_special = {
	.name = "[vdso]", .frames = vdso_frames, .prot = PROT_READ | PROT_EXEC,
	.may_write = true,
};

/*
 * The image must be mappable as it is: an ELF shared object whose one
 * loadable segment starts at address 0 and offset 0 (vdso.lds), within
 * VDSO_MAX_PAGES.
 */
static int vdso_check(uint64_t len)
{
	struct elf_info *ei = kmalloc(sizeof(*ei));
	int err;

	if (!ei)
		return -ENOMEM;
	err = elf_parse(vdso_image, len, len, ei);
	if (!err && (!ei->is_dyn || ei->nseg != 1 || ei->seg[0].vaddr || ei->seg[0].offset ||
		     ei->seg[0].memsz > VDSO_MAX_PAGES * PAGE_SIZE))
		err = -ENOEXEC;
	kfree(ei);
	return err;
}

static int vdso_init(void)
{
	uint64_t len = vdso_image_len;
	size_t npages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	int err;

	if (!vvar_frame())
		return -ENOMEM;
	if (len > VDSO_MAX_PAGES * PAGE_SIZE)
		return -E2BIG;
	err = vdso_check(len);
	if (err)
		return err;
	for (size_t i = 0; i < npages; i++) {
		size_t off = i * PAGE_SIZE, n = MIN((size_t)(len - off), (size_t)PAGE_SIZE);

		vdso_frames[i] = frame_alloc(FRAME_ZERO);
		if (!vdso_frames[i])
			return -ENOMEM;
		err = frame_write(vdso_frames[i], 0, &vdso_image[off], n);
		if (err)
			return err;
	}
	vdso_special.npages = npages;
	vvar_frames[0] = vvar_frame();
	return 0;
}
KERNEL_INIT(vdso_init);

int vdso_map(struct vmar *vm, uint64_t *base)
{
	const struct vmar_special *const sp[] = { &vvar_special, &vdso_special };
	uaddr_t start;
	int err;

	*base = 0;
	if (!vdso_special.npages)
		return 0;	/* no image (its init failed and said so): programs fall back to syscalls */
	err = vmar_map_special(vm, sp, ARRAY_SIZE(sp), &start);
	if (err)
		return err;
	*base = start + vvar_special.npages * PAGE_SIZE;
	return 0;
}

KTEST(vdso_image_is_mapped_by_exec_layout)
{
	uint8_t magic[4];

	KT_ASSERT(vdso_special.npages > 0);
	KT_ASSERT(frame_read(vdso_frames[0], 0, magic, sizeof(magic)) == 0);
	KT_EXPECT(magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F');
	KT_EXPECT(vvar_frames[0] == vvar_frame());
}
