/* SPDX-License-Identifier: MPL-2.0 */
/*
 * File locks, as Linux keeps them: per inode, three kinds on two lists.
 *
 *  - POSIX record locks (fcntl F_SETLK/F_SETLKW): byte ranges owned by a
 *    descriptor table (Linux's current->files, so in practice a process);
 *    every close of any descriptor for the inode drops all of the table's
 *    locks on it, and so does the table's end (exit, exec's table swap).
 *  - OFD record locks (F_OFD_SETLK/F_OFD_SETLKW): the same ranges on the
 *    same list, owned by the open file description; dropped when its last
 *    reference goes.
 *  - flock(2) locks: whole-file, owned by the open file description, on a
 *    list of their own (they never conflict with record locks).
 *
 * One global mutex guards every lock list and the list of blocked
 * waiters (deadlock detection walks owners across inodes).
 */
#ifndef KERNEL_FS_LOCKS_H
#define KERNEL_FS_LOCKS_H
#include <aster/list.h>
#include <aster/sync.h>
#include <aster/types.h>
#include <aster/uaccess.h>
#include <aster/wait.h>

struct file;
struct fd_table;

/* Embedded in every inode. */
struct file_lock_ctx {
	struct list_node posix;		/* POSIX and OFD record locks */
	struct list_node flock;		/* flock(2) locks */
	struct wait_queue wq;		/* blocked F_SETLKW and flock waiters */
	atomic_t gen;			/* bumped by every change: waiters recheck */
	struct list_node active;	/* on the list of contexts holding locks (/proc/locks) */
};

void file_lock_ctx_init(struct file_lock_ctx *c);
/* The inode is freed: drop whatever is left (nothing, when callers are correct). */
void file_lock_ctx_release(struct file_lock_ctx *c);

/*
 * fcntl F_GETLK, F_SETLK, F_SETLKW and the F_OFD_ forms on f (descriptor
 * fd of table t), struct flock at ua.  0 or -errno: -EFAULT, -EINVAL,
 * -EOVERFLOW, -EBADF, -EAGAIN (conflict), -EDEADLK, -ENOLCK, -ERESTARTSYS.
 */
long fcntl_lock(struct fd_table *t, int fd, struct file *f, int cmd, uaddr_t ua);
/*
 * flock(2) on f: type F_RDLCK (LOCK_SH), F_WRLCK (LOCK_EX) or F_UNLCK;
 * wait unless LOCK_NB.  0, -EAGAIN, -EINVAL (no inode), -ENOLCK, -ERESTARTSYS.
 */
long flock_file(struct file *f, int type, bool wait);

/* t closed a descriptor of f: drop t's POSIX locks on f's inode. */
void locks_remove_posix(struct file *f, struct fd_table *t);
/* f's last reference is going: drop its OFD and flock locks. */
void locks_remove_file(struct file *f);

/*
 * One line of /proc/locks: kind is Linux's padded column pair
 * ("POSIX  ADVISORY ", "OFDLCK ADVISORY ", "FLOCK  ADVISORY ",
 * "LEASE  ACTIVE   ", "LEASE  BREAKING "); end < 0 prints "EOF".
 */
struct lock_report {
	const char *kind;
	int type;
	int32_t pid;
	uint32_t dev;
	uint64_t ino;
	int64_t start, end;
};
typedef void (*lock_report_fn)(const struct lock_report *r, void *arg);
/* Every record and flock lock, then every lease (leases_report), as /proc/locks lists them. */
void locks_report(lock_report_fn fn, void *arg);
void leases_report(lock_report_fn fn, void *arg);

/* ---- leases (fs/lease.c) ---- */
struct inode;
/* fcntl F_SETLEASE (arg F_RDLCK, F_WRLCK, F_UNLCK) and F_GETLEASE on f, descriptor fd. */
long fcntl_lease(struct file *f, int fd, int cmd, unsigned long arg);
/* f's last reference is going: its lease ends. */
void lease_file_release(struct file *f);
/*
 * An open with flags (or a truncate: O_WRONLY) of regular file i: break
 * the leases it conflicts with and wait for them to go.  0, -EWOULDBLOCK
 * (O_NONBLOCK), -ERESTARTSYS.
 */
int lease_break(struct inode *i, unsigned int flags);
/* /proc/sys/fs/leases-enable (enable) and lease-break-time. */
int lease_sysctl_get(bool enable);
void lease_sysctl_set(bool enable, int v);

#endif
