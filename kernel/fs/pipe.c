// SPDX-License-Identifier: MPL-2.0
// Pipes and FIFOs: a 64 KiB ring (F_SETPIPE_SZ resizes it, up to
// /proc/sys/fs/pipe-max-size without CAP_SYS_RESOURCE; each user's pages
// are counted against pipe-user-pages-soft and -hard: pipe_account.c),
// blocking readers and writers, EOF when the last writer goes, EPIPE and
// SIGPIPE when the last reader goes, writes of at most PIPE_BUF bytes are
// atomic.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/refcount.h>
#include <aster/string.h>
#include "fs/pipe_account.h"
#include "fs/vfs.h"
#include "process/capability.h"
#include "process/process.h"
#include "process/signal.h"
#include "process/ucount.h"
#include "uapi/limits.h"
#include "uapi/signal.h"

struct pipe {
	atomic_t locked;	/* the pipe's lock: see pipe_lock */
	atomic_t lock_waiters;
	struct wait_queue lock_wq;
	atomic_t waiters;	/* tasks in pipe_wait */
	refcount_t ends;	/* an anonymous pipe's open ends, each until its release is done */
	struct ucounts *user;	/* its creator's real user, charged size / PAGE_SIZE */
	uint8_t *buf;
	size_t size;		/* of buf: a power-of-two number of pages */
	size_t head, len;	/* data is [head, head+len) modulo size */
	uint32_t readers, writers;
	uint64_t r_opens, w_opens;	/* FIFO open counts, to wake open() waiters */
	uint64_t wseq, rseq;	/* writes and reads so far, for epoll's edges (pipe_poll_seq) */
	struct wait_queue wq;	/* readers, writers and openers */
};

/* Drop the charge of p (its size) and its reference to the user. */
static void pipe_uncharge(struct pipe *p)
{
	pipe_account_drop(p->user, p->size);
	ucounts_put(p->user);
	p->user = NULL;
}

static int pipe_new(struct pipe **out)
{
	struct pipe *p = kzalloc(sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = pipe_account_new(&p->user, &p->size);
	if (err) {
		kfree(p);
		return err;
	}
	p->buf = kmalloc(p->size);
	if (!p->buf) {
		pipe_uncharge(p);
		kfree(p);
		return -ENOMEM;
	}
	wait_queue_init(&p->lock_wq);
	wait_queue_init(&p->wq);
	*out = p;
	return 0;
}

void pipe_free(struct pipe *p)
{
	pipe_uncharge(p);
	kfree(p->buf);
	kfree(p);
}

static bool lock_try(struct pipe *p)
{
	return atomic_cmpxchg(&p->locked, 0, 1);
}

struct lock_attempt {
	struct pipe *p;
	bool got;
};

/* wait_event may call its condition again after it held: stay true once taken. */
static bool lock_cond(void *arg)
{
	struct lock_attempt *a = arg;

	if (!a->got)
		a->got = lock_try(a->p);
	return a->got;
}

/*
 * Every pipe read and write takes the lock, so it is a compare-and-swap
 * when free (a struct mutex costs three spinlock round trips).  It is held
 * across copies to and from user memory, which may fault and sleep, so
 * contenders sleep on lock_wq.  The barriers pair with pipe_unlock: either
 * the waiter's try sees the lock free, or the unlocker sees the waiter.
 */
static void pipe_lock(struct pipe *p)
{
	struct lock_attempt a = { p, false };

	if (lock_try(p))
		return;
	atomic_inc(&p->lock_waiters);
	smp_mb();
	wait_event(&p->lock_wq, lock_cond, &a);
	atomic_dec(&p->lock_waiters);
}

static void pipe_unlock(struct pipe *p)
{
	atomic_cmpxchg(&p->locked, 1, 0);
	smp_mb();
	if (atomic_read(&p->lock_waiters) > 0)
		wake_up_one(&p->lock_wq);
}

/* wait_interruptible on p->wq, counted so that pipe_changed can skip an empty queue. */
static int pipe_wait(struct pipe *p, bool (*cond)(void *), void *arg)
{
	int err;

	atomic_inc(&p->waiters);
	smp_mb();
	err = wait_interruptible(&p->wq, cond, arg, 0);
	atomic_dec(&p->waiters);
	return err;
}

static struct pipe *file_pipe(struct file *f)
{
	return f->priv;
}

static bool readable_cond(void *arg)
{
	struct pipe *p = arg;

	return p->len > 0 || p->writers == 0;
}

struct write_wait {
	struct pipe *p;
	size_t need;
};

static bool writable_cond(void *arg)
{
	struct write_wait *w = arg;

	return w->p->size - w->p->len >= w->need || w->p->readers == 0;
}

/*
 * After a change (made under the lock, which is dropped by now): wake
 * whoever waits.  Pairs with pipe_wait: either the waiter's condition sees
 * the change, or this sees the waiter counted.
 */
static void pipe_changed(struct pipe *p)
{
	smp_mb();
	if (atomic_read(&p->waiters) > 0)
		wake_up_all(&p->wq);
	poll_wake();
}

/* Read (peek: copy without consuming), waiting for data unless nonblock. */
static ssize_t pipe_read_common(struct file *f, struct iobuf *buf, bool nonblock, bool peek)
{
	struct pipe *p = file_pipe(f);
	size_t done = 0, head;
	int err = 0;

	pipe_lock(p);
	while (p->len == 0 && p->writers > 0) {
		pipe_unlock(p);
		if (nonblock)
			return -EAGAIN;
		err = pipe_wait(p, readable_cond, p);
		if (err)
			return err;
		pipe_lock(p);
	}
	head = p->head;
	while (done < buf->len && done < p->len) {
		size_t n = MIN(MIN(buf->len - done, p->len - done), p->size - head);

		err = iobuf_write(buf, done, p->buf + head, n);
		if (err)
			break;
		head = (head + n) % p->size;
		done += n;
	}
	if (!peek) {
		p->head = head;
		p->len -= done;
		if (p->len == 0)
			p->head = 0;
		if (done)
			p->rseq++;
	}
	pipe_unlock(p);
	if (done && !peek)
		pipe_changed(p);
	return done ? (ssize_t)done : err;
}

static ssize_t pipe_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)pos;
	return pipe_read_common(f, buf, f->flags & O_NONBLOCK, false);
}

/* Copy what fits (lock held); returns bytes or -EFAULT. */
static ssize_t pipe_fill(struct pipe *p, struct iobuf *buf, size_t from)
{
	size_t done = 0;

	while (from + done < buf->len && p->len < p->size) {
		size_t tail = (p->head + p->len) % p->size;
		size_t n = MIN(buf->len - from - done, p->size - p->len);
		int err;

		n = MIN(n, p->size - tail);
		err = iobuf_read(buf, from + done, p->buf + tail, n);
		if (err)
			return done ? (ssize_t)done : err;
		p->len += n;
		p->wseq++;
		done += n;
	}
	return (ssize_t)done;
}

static ssize_t pipe_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct pipe *p = file_pipe(f);
	size_t done = 0;
	int err = 0;

	(void)pos;
	pipe_lock(p);
	while (done < buf->len) {
		/* Small writes go in one piece; large ones in whatever fits. */
		size_t need = buf->len <= PIPE_BUF ? buf->len : 1;
		struct write_wait w = { p, need };
		ssize_t n;

		if (p->readers == 0) {
			err = -EPIPE;
			break;
		}
		if (p->size - p->len < need) {
			pipe_unlock(p);
			if (done)
				pipe_changed(p);
			if (f->flags & O_NONBLOCK) {
				err = -EAGAIN;
				pipe_lock(p);
				break;
			}
			err = pipe_wait(p, writable_cond, &w);
			pipe_lock(p);
			if (err)
				break;
			continue;
		}
		n = pipe_fill(p, buf, done);
		if (n < 0) {
			err = (int)n;
			break;
		}
		done += (size_t)n;
	}
	pipe_unlock(p);
	if (done)
		pipe_changed(p);
	if (err == -EPIPE && !done) {
		struct thread *t = current_thread();

		if (t)
			signal_send_thread(t, SIGPIPE);
	}
	return done ? (ssize_t)done : err;
}

static unsigned int pipe_poll(struct file *f)
{
	struct pipe *p = file_pipe(f);
	unsigned int acc = f->flags & O_ACCMODE, m = 0;

	pipe_lock(p);
	if (acc != O_WRONLY) {
		if (p->len)
			m |= POLLIN | POLLRDNORM;
		if (p->writers == 0 && p->w_opens)
			m |= POLLHUP;
	}
	if (acc != O_RDONLY) {
		if (p->size - p->len >= PIPE_BUF)
			m |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			m |= POLLERR;
	}
	pipe_unlock(p);
	return m;
}

/* POLLIN moves with writes (and a writer gone), POLLOUT with reads. */
static uint64_t pipe_poll_seq(struct file *f, unsigned int events)
{
	struct pipe *p = file_pipe(f);
	uint64_t seq = 0;

	pipe_lock(p);
	if (events & POLLIN)
		seq += p->wseq;
	if (events & POLLOUT)
		seq += p->rseq;
	pipe_unlock(p);
	return seq;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	struct pipe *p = file_pipe(f);
	uint32_t n;

	if (cmd != 0x541B)	/* FIONREAD */
		return -ENOTTY;
	pipe_lock(p);
	n = (uint32_t)p->len;
	pipe_unlock(p);
	return put_user_u32(arg, n);
}

static void pipe_release(struct file *f)
{
	struct pipe *p = file_pipe(f);
	unsigned int acc = f->flags & O_ACCMODE;
	bool last;

	pipe_lock(p);
	if (acc == O_RDONLY || acc == O_RDWR)
		p->readers--;
	if (acc == O_WRONLY || acc == O_RDWR)
		p->writers--;
	last = p->readers == 0 && p->writers == 0;
	p->rseq++;
	p->wseq++;
	if (last && !f->inode)
		p->len = 0;
	pipe_unlock(p);
	pipe_changed(p);
	/*
	 * Anonymous pipes die with their last end, once both releases are
	 * past their last use of p (the other may still be waking waiters);
	 * FIFOs keep theirs in the inode.
	 */
	if (!f->inode && refcount_dec_and_test(&p->ends))
		pipe_free(p);
	else if (last && f->inode)
		p->len = 0, p->head = 0;
}

static const struct file_ops pipe_ops;

bool file_is_pipe(struct file *f)
{
	return f->ops == &pipe_ops;
}

bool pipe_same(struct file *a, struct file *b)
{
	return file_pipe(a) == file_pipe(b);
}

ssize_t pipe_splice_read(struct file *f, struct iobuf *buf, bool nonblock, bool peek)
{
	return pipe_read_common(f, buf, nonblock, peek);
}

/* No reader: EPIPE and SIGPIPE, as a write. */
static ssize_t pipe_broken(void)
{
	struct thread *t = current_thread();

	if (t)
		signal_send_thread(t, SIGPIPE);
	return -EPIPE;
}

ssize_t pipe_wait_room(struct file *f, bool nonblock)
{
	struct pipe *p = file_pipe(f);
	struct write_wait w = { p, 1 };
	size_t room;
	int err;

	pipe_lock(p);
	while (p->readers > 0 && p->len == p->size) {
		pipe_unlock(p);
		if (nonblock)
			return -EAGAIN;
		err = pipe_wait(p, writable_cond, &w);
		if (err)
			return err;
		pipe_lock(p);
	}
	room = p->size - p->len;
	if (p->readers == 0) {
		pipe_unlock(p);
		return pipe_broken();
	}
	pipe_unlock(p);
	return (ssize_t)room;
}

ssize_t pipe_splice_write(struct file *f, struct iobuf *buf)
{
	struct pipe *p = file_pipe(f);
	ssize_t n;

	pipe_lock(p);
	if (p->readers == 0) {
		pipe_unlock(p);
		return pipe_broken();
	}
	n = pipe_fill(p, buf, 0);
	pipe_unlock(p);
	if (n > 0)
		pipe_changed(p);
	return n;
}

/* Move p's data to a new ring of size bytes (lock held): 0, -EBUSY or -ENOMEM. */
static int pipe_resize(struct pipe *p, size_t size)
{
	uint8_t *nb;
	size_t first;

	/* Linux counts the pages the data takes, not its bytes. */
	if ((p->len + PAGE_SIZE - 1) / PAGE_SIZE > size / PAGE_SIZE)
		return -EBUSY;
	nb = kmalloc(size);
	if (!nb)
		return -ENOMEM;
	first = MIN(p->len, p->size - p->head);
	memcpy(nb, p->buf + p->head, first);
	memcpy(nb + first, p->buf, p->len - first);
	kfree(p->buf);
	p->buf = nb;
	p->size = size;
	p->head = 0;
	return 0;
}

/* pipe_resize with the user's charge moved, -EPERM when growing past its limits unprivileged. */
static int pipe_resize_charged(struct pipe *p, size_t size)
{
	size_t old = p->size;
	int err = pipe_account_grow(p->user, old, size);

	if (err)
		return err;
	err = pipe_resize(p, size);
	if (err)
		pipe_account_drop(p->user, size > old ? size - old : 0);
	else if (size < old)
		pipe_account_drop(p->user, old - size);
	return err;
}

long pipe_fcntl_size(struct file *f, bool set, uint64_t arg)
{
	struct pipe *p = file_pipe(f);
	uint64_t size = pipe_round_size(arg);
	long r;

	if (!set) {
		pipe_lock(p);
		r = (long)p->size;
		pipe_unlock(p);
		return r;
	}
	if (!size)
		return -EINVAL;
	pipe_lock(p);
	/* Linux's pipe_set_size: only growing past pipe-max-size needs the capability. */
	if (size > p->size && size > pipe_max_size_get() && !capable(CAP_SYS_RESOURCE))
		r = -EPERM;
	else
		r = size == p->size ? 0 : pipe_resize_charged(p, size);
	if (!r)
		r = (long)p->size;
	pipe_unlock(p);
	if (r > 0)
		pipe_changed(p);
	return r;
}

static const struct file_ops pipe_ops = {
	.fasync = true,
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.poll_seq = pipe_poll_seq,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

int pipe_create_files(unsigned int flags, struct file **rd, struct file **wr)
{
	struct pipe *p;
	int err = pipe_new(&p);

	if (err)
		return err;
	*rd = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK), p);
	*wr = file_alloc(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK), p);
	if (!*rd || !*wr) {
		kfree(*rd);
		kfree(*wr);
		pipe_free(p);
		return -ENOMEM;
	}
	p->readers = 1;
	p->writers = 1;
	refcount_set(&p->ends, 2);
	p->r_opens = p->w_opens = 1;
	return 0;
}

struct open_wait {
	struct pipe *p;
	bool want_reader;	/* wait for a reader (we write) or a writer */
	uint64_t seen;
};

static bool partner_cond(void *arg)
{
	struct open_wait *w = arg;

	return w->want_reader ? w->p->r_opens != w->seen : w->p->w_opens != w->seen;
}

int fifo_open(struct file *f)
{
	struct inode *i = f->inode;
	unsigned int acc = f->flags & O_ACCMODE;
	struct pipe *p;
	struct open_wait w;
	int err = 0;

	mutex_lock(&i->lock);
	if (!i->pipe)
		err = pipe_new(&i->pipe);
	p = i->pipe;
	mutex_unlock(&i->lock);
	if (err)
		return err;
	f->ops = &pipe_ops;
	f->priv = p;
	pipe_lock(p);
	if (acc == O_WRONLY && p->readers == 0 && (f->flags & O_NONBLOCK)) {
		pipe_unlock(p);
		f->ops = NULL;
		return -ENXIO;
	}
	if (acc != O_WRONLY) {
		p->readers++;
		p->r_opens++;
	}
	if (acc != O_RDONLY) {
		p->writers++;
		p->w_opens++;
	}
	w.p = p;
	w.want_reader = acc == O_WRONLY;
	w.seen = w.want_reader ? p->r_opens : p->w_opens;
	/* O_RDWR never waits; O_RDONLY waits for a writer unless non-blocking. */
	bool wait = acc != O_RDWR && !(f->flags & O_NONBLOCK) &&
		    (w.want_reader ? p->readers == 0 : p->writers == 0);
	pipe_unlock(p);
	pipe_changed(p);
	if (wait)
		err = pipe_wait(p, partner_cond, &w);
	/* On error the caller's file_put runs pipe_release, which undoes the counts. */
	return err;
}
