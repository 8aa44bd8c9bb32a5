// SPDX-License-Identifier: MPL-2.0
// eventfd and eventfd2: a 64-bit counter behind a descriptor.  write adds
// to it, read takes all of it (or 1 with EFD_SEMAPHORE); both block (or
// fail with EAGAIN) when the counter is 0 or would pass 2^64 - 2.
#include <aster/errno.h>
#include <aster/heap.h>
#include "fs/syscalls/sys.h"
#include "process/signal.h"
#include "uapi/eventfd.h"
#include "fs/eventfd.h"

#define EFD_MAX		(UINT64_MAX - 1)

struct eventfd {
	struct mutex lock;
	uint64_t count;
	bool semaphore;
	uint64_t reads, writes;	/* for epoll's edges */
	struct wait_queue wq;	/* blocked readers and writers */
};

static bool count_nonzero(void *arg)
{
	const struct eventfd *e = arg;

	return e->count != 0;
}

struct add_wait {
	const struct eventfd *e;
	uint64_t add;
};

static bool room_for(void *arg)
{
	const struct add_wait *w = arg;

	return EFD_MAX - w->e->count >= w->add;
}

static void eventfd_changed(struct eventfd *e)
{
	wake_up_all(&e->wq);
	poll_wake();
}

/* Block until cond(arg) holds, unless the file is non-blocking (-EAGAIN). */
static int eventfd_wait(struct file *f, bool (*cond)(void *), void *arg)
{
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	return wait_interruptible(&((struct eventfd *)f->priv)->wq, cond, arg, 0);
}

static ssize_t eventfd_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct eventfd *e = f->priv;
	uint64_t v;
	int err;

	(void)pos;
	if (buf->len < sizeof(v))
		return -EINVAL;
	mutex_lock(&e->lock);
	while (e->count == 0) {
		mutex_unlock(&e->lock);
		err = eventfd_wait(f, count_nonzero, e);
		if (err)
			return err;
		mutex_lock(&e->lock);
	}
	v = e->semaphore ? 1 : e->count;
	/* Copy first: a bad buffer must not lose the count. */
	err = iobuf_write(buf, 0, &v, sizeof(v));
	if (!err) {
		e->count -= v;
		e->reads++;
	}
	mutex_unlock(&e->lock);
	if (err)
		return err;
	eventfd_changed(e);
	return sizeof(v);
}

static ssize_t eventfd_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct eventfd *e = f->priv;
	struct add_wait w = { e, 0 };
	int err;

	(void)pos;
	if (buf->len < sizeof(w.add))
		return -EINVAL;
	err = iobuf_read(buf, 0, &w.add, sizeof(w.add));
	if (err)
		return err;
	if (w.add == UINT64_MAX)
		return -EINVAL;
	mutex_lock(&e->lock);
	while (!room_for(&w)) {
		mutex_unlock(&e->lock);
		err = eventfd_wait(f, room_for, &w);
		if (err)
			return err;
		mutex_lock(&e->lock);
	}
	e->count += w.add;
	e->writes++;
	mutex_unlock(&e->lock);
	eventfd_changed(e);
	return sizeof(w.add);
}

static unsigned int eventfd_poll(struct file *f)
{
	struct eventfd *e = f->priv;
	unsigned int m = 0;

	mutex_lock(&e->lock);
	if (e->count)
		m |= POLLIN | POLLRDNORM;
	if (e->count < EFD_MAX)
		m |= POLLOUT | POLLWRNORM;
	mutex_unlock(&e->lock);
	return m;
}

/* Writes make it readable, reads make it writable. */
static uint64_t eventfd_poll_seq(struct file *f, unsigned int events)
{
	struct eventfd *e = f->priv;
	uint64_t seq = 0;

	mutex_lock(&e->lock);
	if (events & POLLIN)
		seq += e->writes;
	if (events & POLLOUT)
		seq += e->reads;
	mutex_unlock(&e->lock);
	return seq;
}

static void eventfd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops eventfd_ops = {
	.anon_name = "eventfd",
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.poll_seq = eventfd_poll_seq,
	.release = eventfd_release,
};

bool file_is_eventfd(struct file *f)
{
	return f->ops == &eventfd_ops;
}

void eventfd_signal(struct file *f, uint64_t n)
{
	struct eventfd *e = f->priv;

	mutex_lock(&e->lock);
	if (EFD_MAX - e->count < n)
		n = EFD_MAX - e->count;
	e->count += n;
	e->writes++;
	mutex_unlock(&e->lock);
	eventfd_changed(e);
}

static long do_eventfd(uint32_t initval, unsigned int flags)
{
	struct eventfd *e;
	struct file *f;

	if (flags & ~(unsigned int)(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC))
		return -EINVAL;
	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	mutex_init(&e->lock);
	wait_queue_init(&e->wq);
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	f = file_alloc(&eventfd_ops, O_RDWR | (flags & EFD_NONBLOCK), e);
	if (!f) {
		kfree(e);
		return -ENOMEM;
	}
	return install_file(f, flags & EFD_CLOEXEC);
}

long sys_eventfd(unsigned int initval)
{
	return do_eventfd(initval, 0);
}

long sys_eventfd2(unsigned int initval, unsigned int flags)
{
	return do_eventfd(initval, flags);
}
