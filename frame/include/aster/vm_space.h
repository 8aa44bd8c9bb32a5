/* SPDX-License-Identifier: MPL-2.0 */
/*
 * User address spaces.  A vm_space maps frames at page-aligned user
 * addresses (the lower half, below USER_SPACE_TOP); the kernel half is the
 * same in all of them.  Mapping takes a reference on the frame, unmapping
 * (or replacing the mapping, or the space's end) drops it, so a mapped
 * frame can never be freed under the user.
 *
 *	struct vm_space *vs = vm_space_create();
 *	struct frame *f = frame_alloc(FRAME_ZERO);
 *	vm_map(vs, 0x400000, f, VM_READ | VM_EXEC | VM_USER);
 *	frame_put(f);			(the mapping keeps it)
 *	task_set_vm_space(task_current(), vs);
 *	... user_run() ...
 *	vm_space_put(vs);
 */
#ifndef ASTER_VM_SPACE_H
#define ASTER_VM_SPACE_H

#include <aster/frame.h>
#include <aster/types.h>
#include <aster/uaccess.h>
#include <aster/user.h>

#define USER_SPACE_TOP	0x0000800000000000ULL

/*
 * Protection and attributes of a mapping.  The MMU cannot make a page
 * writable or executable without making it readable, so VM_WRITE and
 * VM_EXEC imply VM_READ.  A mapping with none of the three keeps its frame
 * but nobody can access it, user mode nor the kernel's user copies (a
 * PROT_NONE page): accesses fault as if nothing were mapped, vm_query
 * still reports the frame, and vm_protect gives access back.
 */
#define VM_READ		0x01
#define VM_WRITE	0x02
#define VM_EXEC		0x04
#define VM_USER		0x08	/* reachable from user mode (else kernel only) */
#define VM_CACHE_WB	0x00	/* write-back: ordinary memory (the default) */
#define VM_CACHE_WC	0x10	/* write-combining: frame buffers */
#define VM_CACHE_UC	0x20	/* uncached */
#define VM_CACHE_MASK	0x30
/* Reported by vm_query only: the MMU saw an access / a write since mapping. */
#define VM_ACCESSED	0x100
#define VM_DIRTY	0x200

struct vm_space;
struct task;

/* An empty address space with one reference, or NULL when there is no memory. */
struct vm_space *vm_space_create(void);
void vm_space_get(struct vm_space *vs);
/* Drop a reference; the last one unmaps everything and frees the page tables. */
void vm_space_put(struct vm_space *vs);

/*
 * Map f at va (page-aligned, user half) with prot (VM_* above); replaces a
 * previous mapping.  Returns 0, -EINVAL (bad address, alignment or prot)
 * or -ENOMEM (no frame for a page table).
 */
int vm_map(struct vm_space *vs, uaddr_t va, struct frame *f, unsigned int prot);
/* Unmap [va, va+len) (page-aligned); holes in the range are fine.  0 or -EINVAL. */
int vm_unmap(struct vm_space *vs, uaddr_t va, size_t len);
/* Change the protection of the mapped pages in [va, va+len).  0 or -EINVAL. */
int vm_protect(struct vm_space *vs, uaddr_t va, size_t len, unsigned int prot);
/*
 * What is mapped at va (any address in the page): 0 with *f and *prot
 * (including VM_ACCESSED and VM_DIRTY), or -ENOENT.  *f comes with a
 * reference for the caller (frame_put it), so it stays valid even if the
 * mapping goes away meanwhile.
 */
int vm_query(struct vm_space *vs, uaddr_t va, struct frame **f, unsigned int *prot);

/* Load vs on this CPU now (NULL: no user half). */
void vm_space_activate(struct vm_space *vs);
/* Run task t in vs: it is activated whenever t is switched in. */
void task_set_vm_space(struct task *t, struct vm_space *vs);

/*
 * A page fault in user mode, as kernel/ sees it: user_run() returns
 * USER_EVENT_EXCEPTION with ctx->trap.vector == 14, and vm_fault_decode
 * turns ctx->trap into this.  With vm_query and vm_map it is what demand
 * paging and copy-on-write need:
 *
 *	struct vm_fault vf;
 *	if (vm_fault_decode(&ctx->trap, &vf) == 0) {
 *		if (!vf.present)		nothing mapped: demand-page, or SIGSEGV
 *		else if (vf.access == VM_WRITE)	mapped read-only: copy-on-write, or SIGSEGV
 *		else				exec of NX / kernel-only page: SIGSEGV
 *	}
 */
struct vm_fault {
	uaddr_t addr;		/* the address the access faulted on */
	unsigned int access;	/* VM_READ, VM_WRITE or VM_EXEC: what was tried */
	bool present;		/* a mapping exists and forbade it (else: nothing mapped) */
	bool user;		/* the access came from user mode */
};

/* 0 and *out filled, or -EINVAL when the trap is not a page fault. */
int vm_fault_decode(const struct user_trap *trap, struct vm_fault *out);

/*
 * The resolver for faults the kernel takes while copying to or from user
 * memory (<aster/uaccess.h>), e.g. read() into a buffer that was never
 * touched.  It runs in the copying task's context (it may sleep), with
 * vf->user false, and returns 0 once the page is mapped as the access
 * needs (the copy resumes) or a negative errno (the copy gives -EFAULT).
 * Without a resolver such faults give -EFAULT.
 */
typedef int (*vm_fault_handler_t)(const struct vm_fault *vf);
void vm_set_fault_handler(vm_fault_handler_t fn);

#endif
