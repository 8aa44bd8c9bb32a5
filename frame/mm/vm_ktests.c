// SPDX-License-Identifier: MPL-2.0
// ktests of address spaces and user-memory access.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/uaccess.h>
#include <aster/vm_space.h>

#define VA	0x10000000UL

KTEST(vm_map_query_protect_unmap)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_alloc(FRAME_ZERO), *q;
	unsigned int prot;

	KT_ASSERT(vs && f);
	KT_EXPECT(vm_map(vs, VA, f, VM_READ | VM_WRITE) == 0);
	KT_EXPECT(frame_refcount(f) == 2);
	KT_EXPECT(vm_query(vs, VA + 123, &q, &prot) == 0 && q == f);
	KT_EXPECT(prot == (VM_READ | VM_WRITE));
	KT_EXPECT(vm_protect(vs, VA, PAGE_SIZE, VM_READ | VM_EXEC) == 0);
	KT_EXPECT(vm_query(vs, VA, &q, &prot) == 0 && prot == (VM_READ | VM_EXEC));
	KT_EXPECT(vm_query(vs, VA + PAGE_SIZE, &q, &prot) == -ENOENT);
	KT_EXPECT(vm_map(vs, VA + 1, f, VM_READ) == -EINVAL);
	KT_EXPECT(vm_map(vs, USER_SPACE_TOP, f, VM_READ) == -EINVAL);
	KT_EXPECT(vm_unmap(vs, VA, PAGE_SIZE) == 0);
	KT_EXPECT(frame_refcount(f) == 1);
	KT_EXPECT(vm_query(vs, VA, &q, &prot) == -ENOENT);
	KT_EXPECT(vm_map(vs, VA, f, VM_READ) == 0);	/* left mapped for destroy */
	frame_put(f);
	vm_space_destroy(vs);
	KT_EXPECT(frames_free() == before);		/* tables and frame freed */
}

KTEST(uaccess_copies_and_faults)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct frame *rw = frame_alloc(FRAME_ZERO), *ro = frame_alloc(FRAME_ZERO);
	char buf[32];
	uint64_t v = 0;

	KT_ASSERT(vs && rw && ro);
	KT_ASSERT(vm_map(vs, VA, rw, VM_READ | VM_WRITE) == 0);
	KT_ASSERT(vm_map(vs, VA + PAGE_SIZE, ro, VM_READ) == 0);
	frame_write(ro, 0, "ro-data", 8);
	task_set_vm_space(task_current(), vs);

	KT_EXPECT(copy_to_user(VA + 100, "hello", 6) == 0);
	KT_EXPECT(copy_from_user(buf, VA + 100, 6) == 0 && strcmp(buf, "hello") == 0);
	KT_EXPECT(strncpy_from_user(buf, VA + 100, sizeof(buf)) == 5);
	KT_EXPECT(strncpy_from_user(buf, VA + PAGE_SIZE, sizeof(buf)) == 7);
	KT_EXPECT(put_user_u64(VA, 0x1234) == 0 && get_user_u64(&v, VA) == 0 && v == 0x1234);
	/* Unmapped, read-only, kernel, non-canonical, wrapping. */
	KT_EXPECT(copy_from_user(buf, VA + 2 * PAGE_SIZE, 1) == -EFAULT);
	KT_EXPECT(copy_to_user(VA + PAGE_SIZE, "x", 1) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, 0xffffffff80000000UL, 8) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, 0x8000000000000000UL, 8) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, 0x00007ffffffffff0UL, 32) == -EFAULT);
	KT_EXPECT(copy_from_user(buf, UINT64_MAX - 4, 8) == -EFAULT);
	KT_EXPECT(clear_user(0, 8) == -EFAULT);
	/* Across the end of the read-only page into nothing. */
	KT_EXPECT(copy_from_user(buf, VA + 2 * PAGE_SIZE - 8, 16) == -EFAULT);
	/* No NUL within max, and a string running into unmapped memory. */
	frame_fill(rw, 0, 'a', PAGE_SIZE);
	KT_EXPECT(strncpy_from_user(buf, VA, sizeof(buf)) == -ENAMETOOLONG);
	frame_fill(ro, 0, 'b', PAGE_SIZE);
	KT_EXPECT(strncpy_from_user(buf, VA + 2 * PAGE_SIZE - 4, sizeof(buf)) == -EFAULT);

	task_set_vm_space(task_current(), NULL);
	vm_space_activate(NULL);
	frame_put(rw);
	frame_put(ro);
	vm_space_destroy(vs);
	KT_EXPECT(frames_free() == before);
}
