/* SPDX-License-Identifier: MPL-2.0 */
/* Helpers shared by the fs syscall handlers. */
#ifndef KERNEL_FS_SYSCALLS_SYS_H
#define KERNEL_FS_SYSCALLS_SYS_H
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "syscall/syscall.h"

/* A path from user memory into a kmalloc'ed PATH_MAX buffer (kfree it). */
int getname(uaddr_t ua, char **out);

/*
 * A path from user memory without the 4 KiB allocation for short ones:
 * those are read into `small`, a buffer on the caller's stack, longer ones
 * go to a PATH_MAX buffer.  Use pn->name; putname() it:
 *
 *	NOINIT_BYTES(small, PATHNAME_INLINE);
 *	struct pathname pn;
 *	int err = getname_short(upath, &small, &pn);
 *
 * The buffer is NOINIT_BYTES because every path syscall would otherwise
 * zero 256 bytes it is about to overwrite; pn->name covers only what was
 * copied in, up to and including the terminating NUL.
 */
#define PATHNAME_INLINE	256
struct pathname {
	char *name;
	char *heap;
};
int getname_short(uaddr_t ua, char (*small)[PATHNAME_INLINE], struct pathname *pn);
void putname(struct pathname *pn);
/* fcntl's F_[GS]ETOWN, F_[GS]ETOWN_EX and F_[GS]ETSIG (fown.c). */
long fcntl_owner(struct file *f, int cmd, unsigned long arg);
/* fadvise(POSIX_FADV_WILLNEED) on an open regular file (readahead(2) uses it): 0 or -EINVAL. */
long file_willneed(struct file *f, int64_t offset, int64_t len);
/* The caller's table, or NULL outside a process. */
static inline struct fd_table *files(void)
{
	return current_files();
}
/* Install f in the caller's table (consumes the reference on failure). */
int install_file(struct file *f, bool cloexec);
int64_t file_llseek(struct file *f, int64_t off, int whence);
/* fcntl's F_ADD_SEALS and F_GET_SEALS. */
long memfd_fcntl(struct file *f, int cmd, unsigned long arg);


#endif
