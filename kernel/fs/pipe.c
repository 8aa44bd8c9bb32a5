// SPDX-License-Identifier: MPL-2.0
// Pipes and FIFOs: a 64 KiB ring, blocking readers and writers, EOF when
// the last writer goes, EPIPE and SIGPIPE when the last reader goes,
// writes of at most PIPE_BUF bytes are atomic.
#include <aster/errno.h>
#include <aster/heap.h>
#include "fs/vfs.h"
#include "process/signal.h"

#define PIPE_SIZE	(64 * 1024)
#define PIPE_BUF	4096
#define SIGPIPE		13

struct pipe {
	struct mutex lock;
	uint8_t *buf;
	size_t head, len;	/* data is [head, head+len) modulo PIPE_SIZE */
	uint32_t readers, writers;
	uint64_t r_opens, w_opens;	/* FIFO open counts, to wake open() waiters */
	uint64_t wseq, rseq;	/* writes and reads so far, for epoll's edges (pipe_poll_seq) */
	struct wait_queue wq;	/* readers, writers and openers */
};

static int pipe_new(struct pipe **out)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->buf = kmalloc(PIPE_SIZE);
	if (!p->buf) {
		kfree(p);
		return -ENOMEM;
	}
	mutex_init(&p->lock);
	wait_queue_init(&p->wq);
	*out = p;
	return 0;
}

void pipe_free(struct pipe *p)
{
	kfree(p->buf);
	kfree(p);
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

	return PIPE_SIZE - w->p->len >= w->need || w->p->readers == 0;
}

static void pipe_changed(struct pipe *p)
{
	wake_up_all(&p->wq);
	poll_wake();
}

static ssize_t pipe_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct pipe *p = file_pipe(f);
	size_t done = 0;
	int err = 0;

	(void)pos;
	mutex_lock(&p->lock);
	while (p->len == 0 && p->writers > 0) {
		mutex_unlock(&p->lock);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_interruptible(&p->wq, readable_cond, p, 0);
		if (err)
			return err;
		mutex_lock(&p->lock);
	}
	while (done < buf->len && p->len > 0) {
		size_t n = MIN(MIN(buf->len - done, p->len), PIPE_SIZE - p->head);

		err = iobuf_write(buf, done, p->buf + p->head, n);
		if (err)
			break;
		p->head = (p->head + n) % PIPE_SIZE;
		p->len -= n;
		done += n;
	}
	if (p->len == 0)
		p->head = 0;
	if (done)
		p->rseq++;
	mutex_unlock(&p->lock);
	if (done)
		pipe_changed(p);
	return done ? (ssize_t)done : err;
}

/* Copy what fits (lock held); returns bytes or -EFAULT. */
static ssize_t pipe_fill(struct pipe *p, struct iobuf *buf, size_t from)
{
	size_t done = 0;

	while (from + done < buf->len && p->len < PIPE_SIZE) {
		size_t tail = (p->head + p->len) % PIPE_SIZE;
		size_t n = MIN(buf->len - from - done, PIPE_SIZE - p->len);
		int err;

		n = MIN(n, PIPE_SIZE - tail);
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
	mutex_lock(&p->lock);
	while (done < buf->len) {
		/* Small writes go in one piece; large ones in whatever fits. */
		size_t need = buf->len <= PIPE_BUF ? buf->len : 1;
		struct write_wait w = { p, need };
		ssize_t n;

		if (p->readers == 0) {
			err = -EPIPE;
			break;
		}
		if (PIPE_SIZE - p->len < need) {
			mutex_unlock(&p->lock);
			if (done)
				pipe_changed(p);
			if (f->flags & O_NONBLOCK) {
				err = -EAGAIN;
				mutex_lock(&p->lock);
				break;
			}
			err = wait_interruptible(&p->wq, writable_cond, &w, 0);
			mutex_lock(&p->lock);
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
	mutex_unlock(&p->lock);
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

	mutex_lock(&p->lock);
	if (acc != O_WRONLY) {
		if (p->len)
			m |= POLLIN | POLLRDNORM;
		if (p->writers == 0 && p->w_opens)
			m |= POLLHUP;
	}
	if (acc != O_RDONLY) {
		if (PIPE_SIZE - p->len >= PIPE_BUF)
			m |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			m |= POLLERR;
	}
	mutex_unlock(&p->lock);
	return m;
}

/* POLLIN moves with writes (and a writer gone), POLLOUT with reads. */
static uint64_t pipe_poll_seq(struct file *f, unsigned int events)
{
	struct pipe *p = file_pipe(f);
	uint64_t seq = 0;

	mutex_lock(&p->lock);
	if (events & POLLIN)
		seq += p->wseq;
	if (events & POLLOUT)
		seq += p->rseq;
	mutex_unlock(&p->lock);
	return seq;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	struct pipe *p = file_pipe(f);
	uint32_t n;

	if (cmd != 0x541B)	/* FIONREAD */
		return -ENOTTY;
	mutex_lock(&p->lock);
	n = (uint32_t)p->len;
	mutex_unlock(&p->lock);
	return put_user_u32(arg, n);
}

static void pipe_release(struct file *f)
{
	struct pipe *p = file_pipe(f);
	unsigned int acc = f->flags & O_ACCMODE;
	bool last;

	mutex_lock(&p->lock);
	if (acc == O_RDONLY || acc == O_RDWR)
		p->readers--;
	if (acc == O_WRONLY || acc == O_RDWR)
		p->writers--;
	last = p->readers == 0 && p->writers == 0;
	p->rseq++;
	p->wseq++;
	if (last && !f->inode)
		p->len = 0;
	mutex_unlock(&p->lock);
	pipe_changed(p);
	/* Anonymous pipes die with their last end; FIFOs keep theirs in the inode. */
	if (last && !f->inode)
		pipe_free(p);
	else if (last)
		p->len = 0, p->head = 0;
}

static const struct file_ops pipe_ops = {
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
	mutex_lock(&p->lock);
	if (acc == O_WRONLY && p->readers == 0 && (f->flags & O_NONBLOCK)) {
		mutex_unlock(&p->lock);
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
	mutex_unlock(&p->lock);
	pipe_changed(p);
	if (wait)
		err = wait_interruptible(&p->wq, partner_cond, &w, 0);
	/* On error the caller's file_put runs pipe_release, which undoes the counts. */
	return err;
}
