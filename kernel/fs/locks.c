// SPDX-License-Identifier: MPL-2.0
// File locks: POSIX and OFD record locks (fcntl) and flock(2) locks, kept
// per inode as Linux keeps them (see fs/locks.h for who owns what).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include "fs/fdtable.h"
#include "fs/locks.h"
#include "fs/vfs.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/fcntl.h"
#include "uapi/fs.h"

/* A lock reaching this offset extends to the end of the file, however it grows. */
#define OFFSET_MAX	INT64_MAX
/* How far the deadlock detector follows owners waiting on owners (Linux's bound). */
#define MAX_DEADLK_ITERATIONS	10

/*
 * One lock, or one request.  Exactly one owner is set: files for POSIX
 * locks, filp for OFD and flock locks.  The owner pointers are only
 * compared, never followed: a lock goes away before its owner does.
 */
struct file_lock {
	struct list_node node;
	struct fd_table *files;
	struct file *filp;
	int32_t pid;		/* l_pid for F_GETLK: the locker's tgid, -1 for OFD */
	int type;		/* F_RDLCK, F_WRLCK (F_UNLCK only in requests) */
	int64_t start, end;	/* inclusive */
};

/* A task sleeping in F_SETLKW or a blocking flock. */
struct lock_waiter {
	struct list_node node;	/* in blocked_list (record locks only) */
	struct file_lock req;
	struct file_lock_ctx *ctx;
	int32_t seen;		/* ctx->gen when it went to sleep */
};

static struct mutex locks_lock = MUTEX_INIT;
/* Record-lock waiters, for the deadlock detector. */
static struct list_node blocked_list = LIST_INIT(blocked_list);
/* Contexts with any lock, by active (locks_report walks them). */
static struct list_node active_ctxs = LIST_INIT(active_ctxs);

void file_lock_ctx_init(struct file_lock_ctx *c)
{
	list_init(&c->posix);
	list_init(&c->flock);
	wait_queue_init(&c->wq);
	atomic_set(&c->gen, 0);
	list_init(&c->active);
}

/* c is on active_ctxs exactly while it holds a lock (locks_lock held). */
static void ctx_track(struct file_lock_ctx *c)
{
	bool holds = !list_empty(&c->posix) || !list_empty(&c->flock);

	if (holds && list_empty(&c->active))
		list_add_tail(&active_ctxs, &c->active);
	else if (!holds && !list_empty(&c->active))
		list_del(&c->active);
}

static void free_all(struct list_node *list)
{
	struct file_lock *l, *tmp;

	list_for_each_entry_safe(l, tmp, list, node) {
		list_del(&l->node);
		kfree(l);
	}
}

void file_lock_ctx_release(struct file_lock_ctx *c)
{
	free_all(&c->posix);
	free_all(&c->flock);
	if (list_empty(&c->active))
		return;
	mutex_lock(&locks_lock);
	list_del(&c->active);
	mutex_unlock(&locks_lock);
}

static void report_list(struct list_node *list, struct inode *i, bool posix, lock_report_fn fn, void *arg)
{
	struct file_lock *l;

	list_for_each_entry(l, list, node) {
		struct lock_report r = {
			.kind = !posix ? "FLOCK  ADVISORY " : l->filp ? "OFDLCK ADVISORY " : "POSIX  ADVISORY ",
			.type = l->type, .pid = l->pid, .dev = i->sb ? i->sb->dev : 0, .ino = i->ino,
			.start = posix ? l->start : 0, .end = posix && l->end != OFFSET_MAX ? l->end : -1,
		};

		fn(&r, arg);
	}
}

void locks_report(lock_report_fn fn, void *arg)
{
	struct file_lock_ctx *c;

	mutex_lock(&locks_lock);
	list_for_each_entry(c, &active_ctxs, active) {
		struct inode *i = container_of(c, struct inode, flctx);

		report_list(&c->posix, i, true, fn, arg);
		report_list(&c->flock, i, false, fn, arg);
	}
	mutex_unlock(&locks_lock);
}

/* Something on c changed (locks_lock held): every waiter rechecks. */
static void ctx_wake(struct file_lock_ctx *c)
{
	ctx_track(c);
	atomic_inc(&c->gen);
	wake_up_all(&c->wq);
}

static bool ctx_changed(void *arg)
{
	struct lock_waiter *w = arg;

	return atomic_read(&w->ctx->gen) != w->seen;
}

/*
 * Sleep until the locks of w->ctx change or a signal comes (-ERESTARTSYS).
 * Called and returns with locks_lock held; the generation is read under it,
 * so a change between the unlock and the sleep is not missed.
 */
static int wait_change(struct lock_waiter *w)
{
	int err;

	w->seen = atomic_read(&w->ctx->gen);
	mutex_unlock(&locks_lock);
	err = wait_interruptible(&w->ctx->wq, ctx_changed, w, 0);
	mutex_lock(&locks_lock);
	return err;
}

static bool same_owner(const struct file_lock *a, const struct file_lock *b)
{
	return a->files == b->files && a->filp == b->filp;
}

static bool overlaps(const struct file_lock *l, int64_t start, int64_t end)
{
	return l->start <= end && start <= l->end;
}

/* Overlapping or adjacent: two such locks of one owner and type merge. */
static bool touches(const struct file_lock *l, int64_t start, int64_t end)
{
	int64_t after_end = end == OFFSET_MAX ? OFFSET_MAX : end + 1;
	int64_t after_l = l->end == OFFSET_MAX ? OFFSET_MAX : l->end + 1;

	return l->start <= after_end && start <= after_l;
}

static bool conflicts(const struct file_lock *held, const struct file_lock *req)
{
	if (same_owner(held, req) || !overlaps(held, req->start, req->end))
		return false;
	return held->type == F_WRLCK || req->type == F_WRLCK;
}

/* The first record lock on c that req conflicts with (locks_lock held), or NULL. */
static struct file_lock *posix_conflict(struct file_lock_ctx *c, const struct file_lock *req)
{
	struct file_lock *l;

	list_for_each_entry(l, &c->posix, node)
		if (conflicts(l, req))
			return l;
	return NULL;
}

/* The lock that the POSIX owner of l sleeps on, or NULL. */
static struct file_lock *owner_blocked_on(const struct file_lock *l)
{
	struct lock_waiter *w;

	if (l->filp)
		return NULL;
	list_for_each_entry(w, &blocked_list, node)
		if (!w->req.filp && w->req.files == l->files)
			return posix_conflict(w->ctx, &w->req);
	return NULL;
}

/*
 * Would req, waiting for blocker, close a cycle of POSIX owners each
 * waiting for the next?  OFD locks are left out, as on Linux.
 */
static bool posix_deadlock(const struct file_lock *req, const struct file_lock *blocker)
{
	if (req->filp)
		return false;
	for (int i = 0; i < MAX_DEADLK_ITERATIONS && blocker; i++) {
		blocker = owner_blocked_on(blocker);
		if (blocker && same_owner(blocker, req))
			return true;
	}
	return false;
}

static struct file_lock *take(struct file_lock **spare)
{
	struct file_lock *l = *spare;

	if (!l)
		panic("locks: a preallocated lock was used twice");
	*spare = NULL;
	return l;
}

/* Take [req->start, req->end] out of l, an overlapping lock of req's owner. */
static void cut(struct file_lock *l, const struct file_lock *req, struct file_lock **split)
{
	if (l->start < req->start && l->end > req->end) {
		struct file_lock *tail = take(split);

		*tail = *l;
		tail->start = req->end + 1;
		l->end = req->start - 1;
		list_insert_between(&tail->node, &l->node, l->node.next);
	} else if (l->start < req->start) {
		l->end = req->start - 1;
	} else if (l->end > req->end) {
		l->start = req->end + 1;
	} else {
		list_del(&l->node);
		kfree(l);
	}
}

/*
 * Apply a non-conflicting request (locks_lock held): the owner's locks of
 * the same type that touch the range merge into the new lock, those of
 * the other type lose the range (split when it lies inside), F_UNLCK only
 * removes.  spare and split are preallocated, so this cannot fail.
 */
static void posix_apply(struct file_lock_ctx *c, const struct file_lock *req,
			struct file_lock **spare, struct file_lock **split)
{
	struct file_lock *l, *tmp, *n;
	int64_t start = req->start, end = req->end;

	list_for_each_entry_safe(l, tmp, &c->posix, node) {
		if (!same_owner(l, req))
			continue;
		if (req->type != F_UNLCK && l->type == req->type && touches(l, start, end)) {
			start = MIN(start, l->start);
			end = MAX(end, l->end);
			list_del(&l->node);
			kfree(l);
		} else if (overlaps(l, req->start, req->end)) {
			cut(l, req, split);
		}
	}
	if (req->type != F_UNLCK) {
		n = take(spare);
		*n = *req;
		n->start = start;
		n->end = end;
		list_add_tail(&c->posix, &n->node);
	}
	ctx_wake(c);
}

/* Remove the locks on list owned by (files, filp); true if there were any. */
static bool drop_owned(struct list_node *list, struct fd_table *files, struct file *filp)
{
	struct file_lock *l, *tmp;
	bool any = false;

	list_for_each_entry_safe(l, tmp, list, node) {
		if (l->files != files || l->filp != filp)
			continue;
		list_del(&l->node);
		kfree(l);
		any = true;
	}
	return any;
}

void locks_remove_posix(struct file *f, struct fd_table *t)
{
	struct file_lock_ctx *c;

	if (!f || !f->inode || !t)
		return;
	c = &f->inode->flctx;
	mutex_lock(&locks_lock);
	if (drop_owned(&c->posix, t, NULL))
		ctx_wake(c);
	mutex_unlock(&locks_lock);
}

void locks_remove_file(struct file *f)
{
	struct file_lock_ctx *c;
	bool any;

	if (!f->inode)
		return;
	c = &f->inode->flctx;
	mutex_lock(&locks_lock);
	any = drop_owned(&c->posix, NULL, f);
	any |= drop_owned(&c->flock, NULL, f);
	if (any)
		ctx_wake(c);
	mutex_unlock(&locks_lock);
}

/*
 * A lock was set through descriptor fd while another thread may have
 * closed it: if fd no longer names f, the close already ran and could not
 * see the new lock, so drop it as that close would have (as Linux does).
 */
static long recheck_fd(struct fd_table *t, int fd, struct file *f)
{
	struct file *cur = fd_get(t, fd);
	bool same = cur == f;

	file_put(cur);
	if (same)
		return 0;
	locks_remove_posix(f, t);
	return -EBADF;
}

static long posix_set(struct fd_table *t, int fd, struct file *f, const struct file_lock *req,
		      bool wait)
{
	struct file_lock_ctx *c = &f->inode->flctx;
	struct file_lock *spare = kzalloc(sizeof(*spare)), *split = kzalloc(sizeof(*split));
	struct lock_waiter w = { .req = *req, .ctx = c };
	long err = 0;

	if (!spare || !split) {
		kfree(spare);
		kfree(split);
		return -ENOLCK;
	}
	list_init(&w.node);
	mutex_lock(&locks_lock);
	for (;;) {
		struct file_lock *blocker = req->type == F_UNLCK ? NULL : posix_conflict(c, req);

		if (!blocker) {
			posix_apply(c, req, &spare, &split);
			break;
		}
		if (!wait) {
			err = -EAGAIN;
			break;
		}
		if (posix_deadlock(req, blocker)) {
			err = -EDEADLK;
			break;
		}
		if (list_empty(&w.node))
			list_add_tail(&blocked_list, &w.node);
		err = wait_change(&w);
		if (err)
			break;
	}
	list_del(&w.node);
	mutex_unlock(&locks_lock);
	kfree(spare);
	kfree(split);
	if (!err && !req->filp && req->type != F_UNLCK)
		err = recheck_fd(t, fd, f);
	return err;
}

static int64_t inode_size(struct inode *i)
{
	uint64_t size;

	mutex_lock(&i->lock);
	size = i->size;
	mutex_unlock(&i->lock);
	return size > (uint64_t)OFFSET_MAX ? OFFSET_MAX : (int64_t)size;
}

/* l_whence, l_start, l_len to an inclusive range; Linux's checks and errors. */
static int flock_range(struct file *f, const struct kflock *l, int64_t *start, int64_t *end)
{
	int64_t base;

	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos > (uint64_t)OFFSET_MAX ? OFFSET_MAX : (int64_t)f->pos;
		break;
	case SEEK_END:
		base = inode_size(f->inode);
		break;
	default:
		return -EINVAL;
	}
	if (l->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	base += l->l_start;
	if (base < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > OFFSET_MAX - base)
			return -EOVERFLOW;
		*start = base;
		*end = base + (l->l_len - 1);
	} else if (l->l_len < 0) {
		/* POSIX-2001: the range ends just before l_start. */
		if (base + l->l_len < 0)
			return -EINVAL;
		*start = base + l->l_len;
		*end = base - 1;
	} else {
		*start = base;
		*end = OFFSET_MAX;
	}
	return 0;
}

static long lock_get(struct fd_table *t, struct file *f, bool ofd, struct kflock *l, uaddr_t ua)
{
	struct file_lock req = { .type = l->l_type };
	struct file_lock *held;
	int err;

	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK)
		return -EINVAL;
	err = flock_range(f, l, &req.start, &req.end);
	if (err)
		return err;
	if (ofd && l->l_pid)
		return -EINVAL;
	if (ofd)
		req.filp = f;
	else
		req.files = t;
	mutex_lock(&locks_lock);
	held = posix_conflict(&f->inode->flctx, &req);
	if (held) {
		l->l_type = (int16_t)held->type;
		l->l_whence = SEEK_SET;
		l->l_start = held->start;
		l->l_len = held->end == OFFSET_MAX ? 0 : held->end - held->start + 1;
		l->l_pid = pid_vnr(held->pid);	/* the caller's namespace's number, 0 outside it */
	} else {
		/* Nothing in the way: only l_type changes, as on Linux. */
		l->l_type = F_UNLCK;
	}
	mutex_unlock(&locks_lock);
	return copy_to_user(ua, l, sizeof(*l)) ? -EFAULT : 0;
}

static bool file_reads(const struct file *f)
{
	return (f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

static bool file_writes(const struct file *f)
{
	return (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

static long lock_set(struct fd_table *t, int fd, struct file *f, int cmd, const struct kflock *l)
{
	bool ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	struct file_lock req = { .type = l->l_type };
	struct process *p = current_process();
	int err = flock_range(f, l, &req.start, &req.end);

	if (err)
		return err;
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK && l->l_type != F_UNLCK)
		return -EINVAL;
	if ((l->l_type == F_RDLCK && !file_reads(f)) || (l->l_type == F_WRLCK && !file_writes(f)))
		return -EBADF;
	if (ofd && l->l_pid)
		return -EINVAL;
	if (!ofd && !t)
		return -EBADF;
	if (ofd) {
		req.filp = f;
		req.pid = -1;
	} else {
		req.files = t;
		req.pid = p ? p->pid : 0;
	}
	return posix_set(t, fd, f, &req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

long fcntl_lock(struct fd_table *t, int fd, struct file *f, int cmd, uaddr_t ua)
{
	struct kflock l;

	if (f->flags & O_PATH)
		return -EBADF;
	if (copy_from_user(&l, ua, sizeof(l)))
		return -EFAULT;
	/* Anonymous files (pipes) have no inode to hang locks on. */
	if (!f->inode)
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK)
		return lock_get(t, f, cmd == F_OFD_GETLK, &l, ua);
	return lock_set(t, fd, f, cmd, &l);
}

/* This description's flock lock on c, or NULL. */
static struct file_lock *flock_own(struct file_lock_ctx *c, struct file *f)
{
	struct file_lock *l;

	list_for_each_entry(l, &c->flock, node)
		if (l->filp == f)
			return l;
	return NULL;
}

static bool flock_conflict(struct file_lock_ctx *c, struct file *f, int type)
{
	struct file_lock *l;

	list_for_each_entry(l, &c->flock, node)
		if (l->filp != f && (l->type == F_WRLCK || type == F_WRLCK))
			return true;
	return false;
}

/*
 * A conversion drops the old lock before waiting for the new one (so two
 * shared holders upgrading at once do not deadlock), as Linux does.
 */
long flock_file(struct file *f, int type, bool wait)
{
	struct file_lock_ctx *c;
	struct file_lock *own, *spare = NULL;
	struct lock_waiter w = { 0 };
	long err = 0;

	if (!f->inode)
		return -EINVAL;
	c = &f->inode->flctx;
	if (type != F_UNLCK && !(spare = kzalloc(sizeof(*spare))))
		return -ENOLCK;
	w.ctx = c;
	mutex_lock(&locks_lock);
	own = flock_own(c, f);
	if (own && own->type == type)
		goto out;
	if (own) {
		list_del(&own->node);
		kfree(own);
		ctx_wake(c);
	}
	while (type != F_UNLCK) {
		if (!flock_conflict(c, f, type)) {
			spare->filp = f;
			spare->pid = current_process() ? current_process()->pid : 0;	/* /proc/locks */
			spare->type = type;
			spare->start = 0;
			spare->end = OFFSET_MAX;
			list_add_tail(&c->flock, &spare->node);
			ctx_track(c);
			spare = NULL;
			break;
		}
		if (!wait) {
			err = -EAGAIN;
			break;
		}
		err = wait_change(&w);
		if (err)
			break;
	}
out:
	mutex_unlock(&locks_lock);
	kfree(spare);
	return err;
}
