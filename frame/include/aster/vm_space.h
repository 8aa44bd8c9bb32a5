/* SPDX-License-Identifier: MPL-2.0 */
/*
 * User address spaces.  A vm_space maps frames at page-aligned user
 * addresses (the lower half, below USER_SPACE_TOP); the kernel half is
 * shared by all of them.  Mapping takes a reference on the frame, unmapping
 * drops it.
 *
 *	struct vm_space *vs = vm_space_create();
 *	vm_map(vs, 0x400000, frame, VM_READ | VM_EXEC);
 *	vm_space_activate(vs);		(or attach it to a task)
 *
 * Page faults in user mode reach kernel/ through user_run() as
 * USER_EVENT_EXCEPTION with ctx->trap.vector == 14, the fault address in
 * ctx->trap.fault_addr and the access kind in ctx->trap.error_code (PF_*
 * bits of <aster/user.h>): enough to implement demand paging and
 * copy-on-write with vm_query and vm_map.
 */
#ifndef ASTER_VM_SPACE_H
#define ASTER_VM_SPACE_H

#include <aster/frame.h>
#include <aster/types.h>

#define USER_SPACE_TOP	0x0000800000000000ULL

#define VM_READ		0x1
#define VM_WRITE	0x2
#define VM_EXEC		0x4

struct vm_space;
struct task;

/* NULL when there is no memory. */
struct vm_space *vm_space_create(void);
/* Unmap everything and free the page tables. */
void vm_space_destroy(struct vm_space *vs);

/*
 * Map f at va (page-aligned, user) with prot; replaces a previous mapping.
 * Returns 0, -EINVAL (bad address or alignment) or -ENOMEM.
 */
int vm_map(struct vm_space *vs, uint64_t va, struct frame *f, unsigned int prot);
/* Unmap [va, va+len); unmapped pages in the range are fine.  0 or -EINVAL. */
int vm_unmap(struct vm_space *vs, uint64_t va, size_t len);
/* Change the protection of the mapped pages in [va, va+len).  0 or -EINVAL. */
int vm_protect(struct vm_space *vs, uint64_t va, size_t len, unsigned int prot);
/*
 * What is mapped at va: 0 with *f (not referenced: take one with frame_get
 * to keep it) and *prot, or -ENOENT.
 */
int vm_query(struct vm_space *vs, uint64_t va, struct frame **f, unsigned int *prot);

/* Load vs on this CPU now. */
void vm_space_activate(struct vm_space *vs);
/* Run task t in vs: it is activated whenever t is switched in. */
void task_set_vm_space(struct task *t, struct vm_space *vs);

#endif
