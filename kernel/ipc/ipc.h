/* SPDX-License-Identifier: MPL-2.0 */
/*
 * System V IPC and POSIX message queues (kernel/ipc/, doc/ipc.md) as the
 * rest of the kernel sees them: the exit hook, and what /proc shows and sets.
 */
#ifndef KERNEL_IPC_IPC_H
#define KERNEL_IPC_IPC_H
#include <aster/types.h>
#include "process/process.h"

/*
 * A process is gone: apply its semaphores' SEM_UNDO adjustments (Linux's
 * exit_sem) and drop its message queue notifications.
 */
void ipc_exit(struct process *p);

/*
 * IPC namespaces (namespace.c): the initial one, the ops of the type for
 * kernel/ns/, the lock under which a process's namespace may be switched,
 * and what leaving one does (Linux's exit_sem: the caller's SEM_UNDO
 * adjustments are applied, as unshare(CLONE_NEWIPC or CLONE_SYSVSEM) and
 * setns do).
 */
struct ns_common;
struct ns_common *ipc_init_ns(void);
/*
 * An IPC namespace's mqueue file system (fs/mqueue/ makes it at first use):
 * its super block and internal mount, and what the namespace's end calls.
 * ipc_ns_mq_fs: the caller's namespace's.
 */
struct super_block;
struct mount;
struct ipc_mq_fs {
	struct super_block *sb;
	struct mount *mnt;
	void (*release)(struct ipc_mq_fs *fs);
};
struct ipc_mq_fs *ipc_ns_mq_fs(void);
extern const struct ns_ops ipc_ns_ops;
void ipc_ns_lock(void);
void ipc_ns_unlock(void);
void ipc_ns_leave(struct process *p);

/*
 * /proc/sysvipc/NAME (NAME "shm", "sem" or "msg") in Linux's format: a
 * kmalloc'ed text in *out (kfree it) of *len bytes; 0, -ENOENT, -ENOMEM.
 */
int ipc_proc_text(const char *name, char **out, size_t *len);

/*
 * /proc/sys/kernel/NAME for shmmax, shmall, shmmni, sem, msgmax, msgmnb,
 * msgmni, and /proc/sys/fs/mqueue/NAME for queues_max, msg_max,
 * msgsize_max, msg_default, msgsize_default: show writes the value's text into buf (the length, or -ENOENT);
 * write parses one write(2) as Linux's proc_do*vec_minmax: 0 or -EINVAL.
 */
int ipc_sysctl_show(const char *name, char *buf, size_t size);
int ipc_sysctl_write(const char *name, const char *buf, size_t len);

/*
 * POSIX message queues for the mqueue file system (fs/mqueue/), whose
 * inodes own them.  mq_queue_new: a queue with attr (NULL: the defaults
 * of /proc/sys/fs/mqueue), charged to the caller's real uid: 0, -EINVAL
 * (attr beyond the limits), -ENOSPC (queues_max), -EMFILE
 * (RLIMIT_MSGQUEUE), -ENOMEM.  mq_queue_free: its inode went.  Files of a
 * queue's inode use mq_file_ops with f->priv the queue.
 */
struct mq_attr;
struct mqueue;
struct file_ops;
int mq_queue_new(const struct mq_attr *attr, struct mqueue **out);
void mq_queue_free(struct mqueue *q);
extern const struct file_ops mq_file_ops;

#endif
