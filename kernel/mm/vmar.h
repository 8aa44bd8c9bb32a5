/* SPDX-License-Identifier: MPL-2.0 */
/*
 * A process's user address space as Linux presents it: a set of mappings
 * (anonymous or file-backed, private or shared, each with its protection)
 * over a frame vm_space, plus the program break.  Pages are mapped on
 * first touch (demand paging); fork shares private pages copy-on-write.
 */
#ifndef KERNEL_MM_VMAR_H
#define KERNEL_MM_VMAR_H
#include <aster/types.h>
#include <aster/uaccess.h>
#include <aster/vm_space.h>

struct file;
struct vmar;

/* Linux values. */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_GROWSDOWN	0x0100
#define MAP_DENYWRITE	0x0800
#define MAP_EXECUTABLE	0x1000
#define MAP_LOCKED	0x2000
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000
#define MAP_NONBLOCK	0x10000
#define MAP_STACK	0x20000
#define MAP_HUGETLB	0x40000
#define MAP_FIXED_NOREPLACE 0x100000

/* An empty address space with one reference. */
int vmar_create(struct vmar **out);
/* fork: a copy where private pages are shared copy-on-write. */
int vmar_fork(struct vmar *src, struct vmar **out);
void vmar_get(struct vmar *v);
void vmar_put(struct vmar *v);
/* The frame address space to activate for threads using v. */
struct vm_space *vmar_space(struct vmar *v);

/*
 * mmap: map len bytes at addr (a hint unless MAP_FIXED*) with PROT_* and
 * MAP_* as Linux does; file NULL for MAP_ANONYMOUS (the mapping takes its
 * own reference on file).  *out gets the address.  0 or -errno.
 */
int vmar_mmap(struct vmar *v, uaddr_t addr, size_t len, int prot, int flags,
	      struct file *file, uint64_t off, uaddr_t *out);
int vmar_munmap(struct vmar *v, uaddr_t addr, size_t len);
int vmar_mprotect(struct vmar *v, uaddr_t addr, size_t len, int prot);

/* exec: the program break starts at base (page-aligned end of the data segment). */
void vmar_set_brk_base(struct vmar *v, uaddr_t base);

/*
 * Resolve a fault on v: 0 when the page is now mapped as the access
 * needs, -EFAULT for an access no mapping allows (SIGSEGV), -ENXIO for a
 * file page beyond the end of the file (SIGBUS), -ENOMEM.
 */
int vmar_handle_fault(struct vmar *v, const struct vm_fault *vf);

/* Sizes for /proc and getrusage: mapped virtual and resident bytes. */
uint64_t vmar_virtual_size(struct vmar *v);
uint64_t vmar_resident_size(struct vmar *v);

#endif
