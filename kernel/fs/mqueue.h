/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The mqueue file system (fs/mqueue/mqueue.c): every POSIX message queue
 * of an IPC namespace is a regular file in the root of that namespace's
 * super block, as on Linux's /dev/mqueue.  One super block serves every
 * mount and mq_open of the namespace, so a queue made by mq_open is a file
 * there and a file made there is a queue.
 * The queues themselves are kernel/ipc/mqueue.c's.  Called with no VFS
 * lock held.
 */
#ifndef KERNEL_FS_MQUEUE_H
#define KERNEL_FS_MQUEUE_H

#include "fs/file.h"
#include "uapi/mqueue.h"

/*
 * mq_open of name (already checked: no '/', not "." or ".."): Linux's
 * prepare_open on the internal mount.  An existing queue: EEXIST with
 * O_CREAT|O_EXCL, EINVAL for O_ACCMODE, the permission bits (EACCES);
 * none: ENOENT without O_CREAT, else a new queue with attr (NULL: the
 * defaults) and mode less the umask, or the queue's own errors (EINVAL,
 * ENOSPC, EMFILE).  The open file in *out.
 */
int mqfs_open(const char *name, int oflag, uint32_t mode, const struct mq_attr *attr,
	      struct file **out);

/* mq_unlink of name: 0, -ENOENT, -EACCES or -EPERM (the sticky root). */
int mqfs_unlink(const char *name);

#endif
