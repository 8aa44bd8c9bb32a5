/* SPDX-License-Identifier: MPL-2.0 */
/* Descriptor-table operations beyond fs/file.h, for the fs syscalls. */
#ifndef KERNEL_FS_FDTABLE_H
#define KERNEL_FS_FDTABLE_H
#include "fs/file.h"

#define FD_LIMIT_DEFAULT	1024

/* Install f at the lowest free descriptor >= min: the fd, or -EMFILE/-EINVAL. */
int fd_install_from(struct fd_table *t, struct file *f, unsigned int fd_flags, int min);
/* Put f at fd, closing what was there (dup2/dup3): fd or -EBADF. */
int fd_install_at(struct fd_table *t, int fd, struct file *f, unsigned int fd_flags);
/* Close fd: 0 or -EBADF. */
int fd_close(struct fd_table *t, int fd);
/* Close (or mark close-on-exec) [first, last]. */
void fd_close_range(struct fd_table *t, unsigned int first, unsigned int last, bool cloexec);
int fd_get_flags(struct fd_table *t, int fd);
int fd_set_flags(struct fd_table *t, int fd, unsigned int fd_flags);
/* Highest descriptor number allowed + 1. */
unsigned int fd_table_limit(struct fd_table *t);
/*
 * Calls fn(fd, file, arg) for each open descriptor (for /proc/<pid>/fd),
 * with the table's spinlock held: fn must not sleep or allocate.
 */
int fd_table_for_each(struct fd_table *t, int (*fn)(int fd, struct file *f, void *arg), void *arg);

/* The caller's table (borrowed from current_process()), or NULL. */
struct fd_table *current_files(void);
/*
 * close_range(CLOSE_RANGE_UNSHARE): when the caller's table is shared with
 * another process (CLONE_FILES), give the caller's process a copy of its
 * own.  0 or -ENOMEM.  Threads of one process share one table, so they
 * keep sharing it.
 */
int current_files_unshare(void);
/* fd_get on the caller's table. */
struct file *fget(int fd);

/*
 * A file for the length of one syscall (Linux's fdget/fdput): when the
 * caller is the only user of its table the file is borrowed, without a
 * lock or a reference; otherwise it holds a reference.  file is NULL for
 * a bad descriptor.  Always fdput it, and do not keep it past the
 * syscall or use it with the table (close, dup2): take fget for that.
 */
struct fd {
	struct file *file;
	bool ref;		/* a reference to drop in fdput */
};
struct fd fdget(int fd);
void fdput(struct fd f);

#endif
