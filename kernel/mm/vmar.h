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
#include "uapi/mman.h"

struct file;
struct vmar;

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
/*
 * vm/max_map_count: a vmar never holds more mappings (mmap, and the splits
 * of mprotect and munmap, fail with -ENOMEM), default 65530; the setter
 * refuses negative values (-EINVAL).  vm/mmap_min_addr: MAP_FIXED below it
 * is -EPERM without CAP_SYS_RAWIO, default 65536.
 */
int vm_max_map_count(void);
int vm_max_map_count_set(int v);
uint64_t vm_mmap_min_addr(void);
void vm_mmap_min_addr_set(uint64_t v);

int vmar_mmap(struct vmar *v, uaddr_t addr, size_t len, int prot, int flags,
	      struct file *file, uint64_t off, uaddr_t *out);
int vmar_munmap(struct vmar *v, uaddr_t addr, size_t len);
int vmar_mprotect(struct vmar *v, uaddr_t addr, size_t len, int prot);

/*
 * A special mapping (Linux's _install_special_mapping): frames the kernel
 * owns for the whole run (the vDSO's code, the vvar page), mapped private
 * with prot, named in /proc/PID/maps.  The mapping takes no reference: the
 * object and its frames must outlive every address space.  Writes never
 * reach the frames: where mprotect may add PROT_WRITE (may_write, Linux's
 * VM_MAYWRITE: the vDSO, for debuggers' breakpoints) the first write
 * copies the page, as for a private file mapping; elsewhere it is -EACCES.
 * mremap cannot resize one (-EFAULT, Linux's VM_DONTEXPAND), and no edit
 * may split one (munmap, mprotect, mremap, MAP_FIXED, madvise of part of
 * it: -EINVAL, Linux's special_mapping_split); mlock passes over them.
 * munmap of the whole mapping works.
 */
struct vmar_special {
	const char *name;		/* "[vdso]" */
	struct frame *const *frames;	/* npages of them */
	size_t npages;
	unsigned int prot;		/* PROT_* */
	bool may_write;
};
/*
 * Map n special objects next to each other, in order, at a free address
 * below the mmap base (top-down, as Linux places the vDSO today): 0 and
 * *out (the first one's start), or -ENOMEM.
 */
int vmar_map_special(struct vmar *v, const struct vmar_special *const sp[], size_t n,
		     uaddr_t *out);

/* exec: the program break starts at base (page-aligned end of the data segment). */
void vmar_set_brk_base(struct vmar *v, uaddr_t base);

/*
 * Resolve a fault on v: 0 when the page is now mapped as the access
 * needs, -EFAULT for an access no mapping allows (SIGSEGV), -ENXIO for a
 * file page beyond the end of the file (SIGBUS), -ENOMEM.
 */
int vmar_handle_fault(struct vmar *v, const struct vm_fault *vf);

/*
 * Copy from v's memory (any address space, not just the active one):
 * bytes read, stopping at the first page not mapped now, or -EFAULT.
 */
long vmar_read(struct vmar *v, uaddr_t addr, void *buf, size_t len);

/*
 * Read or write len bytes of v's memory at addr (any address space),
 * faulting pages in as the access needs: bytes done (short at the first
 * page it cannot reach), -EFAULT when none, -ENOMEM.  force is ptrace's
 * access (Linux's FOLL_FORCE): reads of any mapping but PROT_NONE, and
 * writes to read-only private mappings through a private copy of the page.
 */
long vmar_access(struct vmar *v, uaddr_t addr, void *buf, size_t len, bool write, bool force);

/* Sizes for /proc and getrusage: mapped virtual and resident bytes. */
uint64_t vmar_virtual_size(struct vmar *v);
uint64_t vmar_resident_size(struct vmar *v);

/* ---- beyond the first contract (kernel/mm/ additions) ---- */

/* ---- for /proc (maps.c) ---- */

/* One mapping as /proc/PID/maps shows it. */
struct vmar_map {
	uaddr_t start, end;
	unsigned int prot;		/* PROT_* */
	bool shared, locked;
	bool anon;			/* private with pages of its own (Linux's anon_vma) */
	bool dontdump;			/* madvise(MADV_DONTDUMP) */
	bool stack, heap;		/* Linux's [stack] and [heap] */
	bool shm;			/* shared anonymous memory */
	const char *special;		/* a special mapping's name ("[vdso]"), or NULL */
	bool sysv;			/* a System V segment: Linux's /SYSVkey, inode shmid */
	int32_t sysv_key;
	int sysv_id;
	uint64_t offset;		/* in the file, bytes */
	uint64_t rss;			/* resident bytes */
	struct file *file;		/* a reference (file_put it), or NULL */
};
/*
 * Copy up to max of v's mappings, in address order, into out: the number
 * v has (more than max when out was too small).
 */
size_t vmar_maps(struct vmar *v, struct vmar_map *out, size_t max);

/* The usage figures of /proc/PID/status and statm, bytes. */
struct vmar_usage {
	uint64_t size;			/* all mappings */
	uint64_t rss_anon, rss_file, rss_shmem;
	uint64_t data, stack, exec, locked;
};
void vmar_usage(struct vmar *v, struct vmar_usage *u);

/*
 * Writeback of pages [first, last] of cache pc is about to start (their
 * dirty state already cleared): make them read-only in every shared
 * mapping that may have them writable, so the next store faults and
 * dirties them again (fault.c).  Called with no vmar, page cache or
 * file system lock held.
 */
struct page_cache;
void vmar_wrprotect_cache(struct page_cache *pc, uint64_t first, uint64_t last);

/* Register the uaccess fault resolver (run by KERNEL_INIT; idempotent). */
int vmar_init(void);

/* exec: top-down mmap placement starts below base (default 0x7f0000000000). */
void vmar_set_mmap_base(struct vmar *v, uaddr_t base);

/* brk(2): *out gets the new break, or the current one when req cannot be had. */
void vmar_brk(struct vmar *v, uaddr_t req, uaddr_t *out);
uaddr_t vmar_get_brk(struct vmar *v);

/* mremap(2), madvise(2), msync(2) with Linux semantics: 0 or -errno. */
int vmar_mremap(struct vmar *v, uaddr_t addr, size_t old_len, size_t new_len, int flags,
		uaddr_t new_addr, uaddr_t *out);
int vmar_madvise(struct vmar *v, uaddr_t addr, size_t len, int advice);
int vmar_msync(struct vmar *v, uaddr_t addr, size_t len, int flags);
/* mincore(2): one byte per page into user memory at vec (1: mapped now). */
int vmar_mincore(struct vmar *v, uaddr_t addr, size_t len, uaddr_t vec);

/*
 * True when some mapping covers addr: a fault there that vmar_handle_fault
 * refused is SEGV_ACCERR, elsewhere SEGV_MAPERR.
 */
bool vmar_addr_mapped(struct vmar *v, uaddr_t addr);

/*
 * The owner's RLIMIT_AS (all mappings) and RLIMIT_DATA (private writable
 * ones and the break), in bytes, UINT64_MAX for none: growing past them
 * fails with ENOMEM.  Limits lowered below the current use only stop growth.
 */
void vmar_set_rlimits(struct vmar *v, uint64_t as_limit, uint64_t data_limit);

/*
 * Memory locking (mlock.c); limit is the caller's RLIMIT_MEMLOCK in bytes
 * (UINT64_MAX when privileged, 0 gives EPERM as without CAP_IPC_LOCK).
 */
int vmar_mlock(struct vmar *v, uaddr_t addr, size_t len, unsigned int flags, uint64_t limit);
int vmar_munlock(struct vmar *v, uaddr_t addr, size_t len);
int vmar_mlockall(struct vmar *v, unsigned int flags, uint64_t limit);
int vmar_munlockall(struct vmar *v);

/*
 * The identity of the word at ua for a futex shared between processes:
 * for a shared mapping, the shared object (file inode or shared anonymous
 * memory) and the offset in it, so every process that maps it agrees; for
 * a private mapping, v itself and ua.  0 or -EFAULT when nothing is mapped.
 */
int vmar_futex_key(struct vmar *v, uaddr_t ua, const void **obj, uint64_t *off);

/*
 * System V shared memory (kernel/ipc/shm.c) over shared anonymous memory
 * objects.  shm_object_create: npages zero-filled pages, one reference;
 * hook(arg, +1 / -1) runs whenever a vma starts / stops referring to
 * the object (attach, fork, a split, unmap, exit), under that address
 * space's lock, so it may not map or unmap.  shm_object_resident: pages
 * allocated so far.
 */
struct shm;
int shm_object_create(size_t npages, void (*hook)(void *arg, int delta), void *arg, uint64_t cookie,
		      struct shm **out);
/* A System V segment's cookie (kernel/ipc/: its key in the high half, its id in the low one). */
#define SHM_SYSV_COOKIE(key, id)	(((uint64_t)(uint32_t)(key) << 32) | (uint32_t)(id))
void shm_object_put(struct shm *s);
size_t shm_object_resident(struct shm *s);
/*
 * shmat's mapping: len bytes of s from its start, shared, with prot
 * (PROT_READ, optionally PROT_WRITE and PROT_EXEC; without PROT_WRITE
 * mprotect cannot add it).  Not fixed: anywhere; fixed: at addr exactly
 * (MAP_FIXED's -EPERM below mmap_min_addr, -ENOMEM past the user space),
 * replacing existing mappings only when remap (else -EINVAL if any is
 * there).  0 and *out, or -errno.
 */
int vmar_shmat(struct vmar *v, struct shm *s, uaddr_t addr, size_t len, int prot, bool fixed,
	       bool remap, uaddr_t *out);
/* shmdt: unmap the System V attachment that starts at addr (Linux's rules): 0 or -EINVAL. */
int vmar_shmdt(struct vmar *v, uaddr_t addr);

#endif
