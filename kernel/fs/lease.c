// SPDX-License-Identifier: MPL-2.0
// File leases: fcntl F_SETLEASE and F_GETLEASE, and their breaking, as
// Linux's fs/locks.c.
//
// A lease belongs to an open file of a regular file, set by the file's
// owner (fsuid) or with CAP_LEASE.  A read lease needs the file open for
// writing nowhere (the holder's own descriptor included); a write lease
// needs no other open at all, and no other lease.  An open(2) that
// conflicts (any open for writing against any lease, an open for reading
// against a write lease) or a truncate(2) breaks it: the holder's owner
// gets SIGIO (or F_SETSIG's signal, si_code POLL_MSG), and the opener
// waits until the holder removes the lease (or downgrades it to a read
// lease, for a reader) or /proc/sys/fs/lease-break-time seconds pass, when
// the kernel does it itself (0 or less: never, as Linux).  A removed
// lease takes the file's owner and F_SETSIG with it (Linux's f_delown).  An O_NONBLOCK opener gets EWOULDBLOCK at
// once, the break still under way.  /proc/sys/fs/leases-enable 0 refuses
// new leases.
//
// Leases are few: they are on one list under one mutex; breakers sleep on
// one queue and recheck after each change.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/timer.h>
#include "fs/file.h"
#include "fs/locks.h"
#include "fs/vfs.h"
#include "process/capability.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/fcntl.h"
#include "uapi/signal.h"
#include "uapi/stat.h"

struct file_lease {
	struct list_node node;	/* on leases */
	struct file *file;	/* the holder (no reference: the lease ends with it) */
	struct inode *inode;
	int fd;			/* the descriptor F_SETLEASE named: si_fd of the break */
	pid_t pid;		/* who took it (/proc/locks) */
	int type;		/* F_RDLCK or F_WRLCK */
	int target;		/* what a break asks it to become (F_RDLCK, F_UNLCK); type otherwise */
	bool breaking;
	uint64_t deadline;	/* breaking: when the kernel does it itself (monotonic ns); 0: never */
};

static struct mutex lease_lock = MUTEX_INIT;
static struct list_node leases = LIST_INIT(leases);
static struct wait_queue lease_wq = WAIT_QUEUE_INIT;
static atomic_t lease_gen;		/* every change: breakers look again */

/* /proc/sys/fs: seconds a break may take, and whether leases may be taken (Linux's defaults). */
static int lease_break_secs = 45;
static int leases_enabled = 1;

int lease_sysctl_get(bool enable)
{
	return enable ? leases_enabled : lease_break_secs;
}

void lease_sysctl_set(bool enable, int v)
{
	if (enable)
		leases_enabled = v;
	else
		lease_break_secs = v;
}

static void changed_locked(void)
{
	atomic_inc(&lease_gen);
	wake_up_all(&lease_wq);
}

static struct file_lease *lease_of_locked(struct file *f)
{
	struct file_lease *l;

	list_for_each_entry(l, &leases, node)
		if (l->file == f)
			return l;
	return NULL;
}

static void remove_locked(struct file_lease *l)
{
	list_del(&l->node);
	l->file->lease = NULL;
	/* Linux's lease_modify(F_UNLCK): f_delown, and F_SETSIG back to SIGIO. */
	l->file->owner_type = F_OWNER_PID;
	l->file->owner_pid = 0;
	l->file->owner_sig = 0;
	kfree(l);
	changed_locked();
}

/* A lease becomes type: F_UNLCK removes it; a break it satisfies is over. */
static void change_locked(struct file_lease *l, int type)
{
	if (type == F_UNLCK) {
		remove_locked(l);
		return;
	}
	l->type = type;
	if (l->breaking && type == l->target) {	/* a downgrade a reader asked for */
		l->breaking = false;
		l->deadline = 0;
	} else if (!l->breaking) {
		l->target = type;
	}
	changed_locked();
}

/* Breaks whose time is up on inode i (NULL: any) end as if the holder had done it (time_out_leases). */
static void time_out_locked(struct inode *i)
{
	uint64_t now = clock_monotonic_ns();
	struct file_lease *l, *tmp;

	list_for_each_entry_safe(l, tmp, &leases, node)
		if ((!i || l->inode == i) && l->breaking && l->deadline && now >= l->deadline)
			change_locked(l, l->target);
}

static bool may_lease(struct inode *i)
{
	return current_process()->cred.fsuid == i->uid || capable(CAP_LEASE);
}

static bool wants_write(unsigned int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY;
}

/* Linux's check_conflicting_open: other opens that forbid a lease of type on f. */
static bool conflicting_open(struct file *f, int type)
{
	struct inode *i = f->inode;
	int self_w = wants_write(f->flags) ? 1 : 0, self_r = self_w ? 0 : 1;
	bool busy;

	mutex_lock(&i->lock);
	busy = type == F_RDLCK ? i->writers > 0 : i->writers != self_w || i->readers != self_r;
	mutex_unlock(&i->lock);
	return busy;
}

static long lease_add(struct file *f, int fd, int type)
{
	struct file_lease *l, *mine = NULL;
	long err = 0;

	mutex_lock(&lease_lock);
	time_out_locked(f->inode);
	list_for_each_entry(l, &leases, node) {
		if (l->inode != f->inode)
			continue;
		if (l->file == f) {
			mine = l;
			continue;
		}
		/* No write lease beside another lease; no new lease while a writer breaks one. */
		if (type == F_WRLCK || (l->breaking && l->target == F_UNLCK))
			err = -EAGAIN;
	}
	if (!err && conflicting_open(f, type))
		err = -EAGAIN;
	if (!err && mine) {
		change_locked(mine, type);
	} else if (!err) {
		l = kzalloc(sizeof(*l));
		if (!l) {
			err = -ENOMEM;
		} else {
			*l = (struct file_lease){ .file = f, .inode = f->inode, .fd = fd,
						  .pid = current_process()->pid, .type = type, .target = type };
			list_add_tail(&leases, &l->node);
			f->lease = l;
			/* Linux's lease_setup: the holder is the owner unless one was set. */
			if (!f->owner_pid) {
				f->owner_type = F_OWNER_PID;
				f->owner_pid = current_process()->pid;
				f->owner_euid = current_process()->cred.euid;
			}
			changed_locked();
		}
	}
	mutex_unlock(&lease_lock);
	return err;
}

static long lease_remove(struct file *f)
{
	struct file_lease *l;

	mutex_lock(&lease_lock);
	l = lease_of_locked(f);
	if (l)
		remove_locked(l);
	mutex_unlock(&lease_lock);
	return l ? 0 : -EAGAIN;	/* Linux: no lease to remove */
}

long fcntl_lease(struct file *f, int fd, int cmd, unsigned long arg)
{
	struct file_lease *l;
	int type;

	if (cmd == F_GETLEASE) {
		mutex_lock(&lease_lock);
		time_out_locked(f->inode);
		l = lease_of_locked(f);
		/* While breaking: what the holder must make of it (target_leasetype). */
		type = l ? l->target : F_UNLCK;
		mutex_unlock(&lease_lock);
		return type;
	}
	if (arg != F_RDLCK && arg != F_WRLCK && arg != F_UNLCK)
		return -EINVAL;
	if (!f->inode)
		return -EINVAL;	/* a pipe or socket: not a regular file */
	if (!may_lease(f->inode))
		return -EACCES;
	if (!S_ISREG(f->inode->mode))
		return -EINVAL;
	if (arg == F_UNLCK)
		return lease_remove(f);
	if (!leases_enabled)
		return -EINVAL;
	return lease_add(f, fd, (int)arg);
}

void lease_file_release(struct file *f)
{
	/* Set only with a reference held: none can appear now. */
	if (!f->lease)
		return;
	mutex_lock(&lease_lock);
	if (f->lease)
		remove_locked(f->lease);
	mutex_unlock(&lease_lock);
}

/*
 * Start breaking the leases of i that an opener (for writing or not)
 * conflicts with, signalling their holders.  False when none conflicts;
 * else *soonest is the earliest deadline (UINT64_MAX: none).
 */
static bool break_locked(struct inode *i, bool write, uint64_t *soonest)
{
	uint64_t now = clock_monotonic_ns();
	int target = write ? F_UNLCK : F_RDLCK;
	struct file_lease *l;
	bool conflict = false;

	*soonest = UINT64_MAX;
	list_for_each_entry(l, &leases, node) {
		if (l->inode != i || (!write && l->type == F_RDLCK))
			continue;
		/* A new break, or a reader's downgrade that a writer now makes a removal. */
		if (!l->breaking || (write && l->target != F_UNLCK)) {
			if (!l->breaking)
				l->deadline = lease_break_secs > 0 ?
					now + (uint64_t)lease_break_secs * NSEC_PER_SEC : 0;
			l->breaking = true;
			l->target = target;
			/* Linux's lease_break_callback: the holder learns of it (POLL_MSG). */
			sigio_send(l->file, l->fd, POLL_MSG);
		}
		conflict = true;
		if (l->deadline)
			*soonest = MIN(*soonest, l->deadline);
	}
	return conflict;
}

static bool gen_moved(void *arg)
{
	return atomic_read(&lease_gen) != *(int32_t *)arg;
}

int lease_break(struct inode *i, unsigned int flags)
{
	bool write = wants_write(flags) || (flags & O_TRUNC);

	if (list_empty(&leases))
		return 0;	/* the common case, without the lock */
	for (;;) {
		uint64_t deadline, now, wait;
		bool conflict;
		int32_t gen;
		int err;

		mutex_lock(&lease_lock);
		time_out_locked(i);
		conflict = break_locked(i, write, &deadline);
		gen = atomic_read(&lease_gen);
		mutex_unlock(&lease_lock);
		if (!conflict)
			return 0;
		if (flags & O_NONBLOCK)
			return -EWOULDBLOCK;
		now = clock_monotonic_ns();
		wait = deadline == UINT64_MAX ? 0 : deadline > now ? deadline - now : 1;	/* 0: no timeout */
		err = wait_interruptible(&lease_wq, gen_moved, &gen, wait);
		if (err == -ERESTARTSYS)
			return err;
	}
}

void leases_report(lock_report_fn fn, void *arg)
{
	struct file_lease *l;

	mutex_lock(&lease_lock);
	list_for_each_entry(l, &leases, node) {
		/* The type shown is the break's target, as Linux's target_leasetype. */
		struct lock_report r = {
			.kind = l->breaking ? "LEASE  BREAKING " : "LEASE  ACTIVE   ", .type = l->target,
			.pid = l->pid, .dev = l->inode->sb ? l->inode->sb->dev : 0, .ino = l->inode->ino,
			.start = 0, .end = -1,
		};

		fn(&r, arg);
	}
	mutex_unlock(&lease_lock);
}
