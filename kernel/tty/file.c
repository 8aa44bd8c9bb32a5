// SPDX-License-Identifier: MPL-2.0
// The file side of every tty (see tty.h): read, write, ioctl, poll and
// release of /dev/ttyS0, /dev/console, /dev/tty and /dev/pts/N, whatever
// the driver, and opening them under tty_mutex.
#include <aster/errno.h>
#include <aster/heap.h>
#include "fs/file.h"
#include "tty.h"
#include "tty_internal.h"

#define IOCTL_ARG_MAX	64	/* larger than any argument struct we read or write */

static bool nonblocking(const struct file *f)
{
	return f->flags & O_NONBLOCK;
}

/*
 * A tty file's priv: its tty and the tty's vhangup count at open; a file
 * opened before the last vhangup is hung up for good (Linux swaps its
 * f_op for hung_up_tty_fops), whatever later opens do.
 */
struct tty_file {
	struct tty *t;
	uint32_t vhangups;
};

static struct tty *file_tty(const struct file *f)
{
	return ((const struct tty_file *)f->priv)->t;
}

static bool file_vhung(const struct file *f)
{
	const struct tty_file *tf = f->priv;
	irqflags_t flags = spin_lock_irqsave(&tf->t->lock);
	bool hung = tf->vhangups != tf->t->vhangups;

	spin_unlock_irqrestore(&tf->t->lock, flags);
	return hung;
}

static ssize_t tty_file_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)pos;
	if (file_vhung(f))
		return 0;	/* hung_up_tty_read */
	return tty_read(file_tty(f), buf, nonblocking(f));
}

static ssize_t tty_file_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)pos;
	if (file_vhung(f))
		return -EIO;
	return tty_write(file_tty(f), buf, nonblocking(f));
}

static long tty_file_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	struct iobuf argp = iobuf_user(arg, IOCTL_ARG_MAX);

	if (file_vhung(f))	/* hung_up_tty_ioctl */
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	return tty_ioctl(file_tty(f), cmd, arg, &argp);
}

static unsigned int tty_file_poll(struct file *f)
{
	if (file_vhung(f))
		return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLERR | POLLHUP;
	return tty_poll(file_tty(f));
}

static void tty_file_release(struct file *f)
{
	struct tty_file *tf = f->priv;
	struct tty *t = tf->t;

	f->priv = NULL;
	kfree(tf);
	if (!t->ops->close)
		return;
	mutex_lock(&tty_mutex);
	t->ops->close(t, f);	/* may free t (the last file of a pty pair) */
	mutex_unlock(&tty_mutex);
}

static const struct file_ops tty_file_ops = {
	.fasync = true,
	.read = tty_file_read,
	.write = tty_file_write,
	.ioctl = tty_file_ioctl,
	.poll = tty_file_poll,
	.release = tty_file_release,
};

bool tty_file_is(const struct file *f, const struct tty *t)
{
	return f->ops == &tty_file_ops && file_tty(f) == t;
}

int tty_open_file_locked(struct file *f, struct tty *t, bool may_acquire)
{
	struct tty_file *tf = kmalloc(sizeof(*tf));
	irqflags_t flags;
	int err;

	if (!tf)
		return -ENOMEM;
	err = t->ops->open ? t->ops->open(t, f) : 0;
	if (err) {
		kfree(tf);
		return err;
	}
	/* A vhangup ends the files open then, not the tty: opening it again works. */
	flags = spin_lock_irqsave(&t->lock);
	if (t->vhung)
		t->hung_up = t->vhung = false;
	tf->t = t;
	tf->vhangups = t->vhangups;
	spin_unlock_irqrestore(&t->lock, flags);
	f->ops = &tty_file_ops;
	f->priv = tf;
	tty_open_acquire(t, f->flags, may_acquire);
	return 0;
}

int tty_open_file(struct file *f, struct tty *t, bool may_acquire)
{
	int err;

	mutex_lock(&tty_mutex);
	err = tty_open_file_locked(f, t, may_acquire);
	mutex_unlock(&tty_mutex);
	return err;
}

int tty_open_ctty(struct file *f)
{
	struct process *p = tty_env()->process();
	int err = -ENXIO;

	mutex_lock(&tty_mutex);
	if (p && p->ctty)
		err = tty_open_file_locked(f, p->ctty, false);
	mutex_unlock(&tty_mutex);
	return err;
}

uint32_t tty_ctty_dev(struct process *p)
{
	uint32_t dev = 0;

	mutex_lock(&tty_mutex);
	if (p->ctty)
		dev = p->ctty->dev;
	mutex_unlock(&tty_mutex);
	return dev;
}
