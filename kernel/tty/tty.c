// SPDX-License-Identifier: MPL-2.0
// The tty object: input from the terminal, blocking reads with VMIN/VTIME,
// output through the line discipline, poll readiness (see tty.h).
#include <aster/errno.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "process/signal.h"
#include "tty.h"
#include "tty_internal.h"

#define WRITE_CHUNK	256
#define VTIME_UNIT_NS	(100 * NSEC_PER_MSEC)	/* VTIME counts tenths of a second */

struct mutex tty_mutex = MUTEX_INIT;

static void ld_write(void *arg, const char *s, size_t n)
{
	struct tty *t = arg;

	t->ops->write(t, s, n);
}

/* Called under t->lock: remember the signal, send it once unlocked. */
static void ld_signal(void *arg, int sig)
{
	struct tty *t = arg;

	t->pending_sigs |= 1ULL << (sig - 1);
	/* The line discipline dropped its input; the driver's queues go too. */
	if (!(t->ld.termios.c_lflag & NOFLSH) && t->ops->flush)
		t->ops->flush(t, TCIOFLUSH);
}

static void ld_flow(void *arg, bool stopped)
{
	struct tty *t = arg;

	t->stopped = stopped;
	if (t->ops->flow)
		t->ops->flow(t, stopped);
}

static const struct ldisc_ops tty_ldisc_ops = { ld_write, ld_signal, NULL };
/* Drivers whose output can wait (write_room) get IXON flow control. */
static const struct ldisc_ops tty_ldisc_flow_ops = { ld_write, ld_signal, ld_flow };

void tty_init(struct tty *t, const char *name, const struct tty_driver_ops *ops,
	      void *driver_data)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->ops = ops;
	t->driver_data = driver_data;
	spin_lock_init(&t->lock);
	t->ws = (struct winsize){ .ws_row = 24, .ws_col = 80 };
	wait_queue_init(&t->read_wait);
	wait_queue_init(&t->write_wait);
	mutex_init(&t->read_mutex);
	mutex_init(&t->write_mutex);
	ldisc_init(&t->ld, ops->write_room ? &tty_ldisc_flow_ops : &tty_ldisc_ops, t);
}

/* Deliver what the line discipline raised to the foreground group. */
static void send_pending(pid_t pgrp, uint64_t sigs)
{
	for (int sig = 1; sig <= 64 && sigs; sig++) {
		if (!(sigs & (1ULL << (sig - 1))))
			continue;
		sigs &= ~(1ULL << (sig - 1));
		if (pgrp > 0)
			tty_env()->kill_pgrp(pgrp, sig);
	}
}

void tty_input_changed(struct tty *t)
{
	wake_up_all(&t->read_wait);
	wake_up_all(&t->write_wait);
	if (t->ops->wakeup)
		t->ops->wakeup(t);
	poll_wake();
}

/* After input under t->lock: the signals it raised, then the wake-ups. */
static void after_input(struct tty *t, irqflags_t flags)
{
	uint64_t sigs = t->pending_sigs;
	pid_t pgrp = t->pgrp;

	t->pending_sigs = 0;
	spin_unlock_irqrestore(&t->lock, flags);
	send_pending(pgrp, sigs);
	tty_input_changed(t);
}

void tty_receive(struct tty *t, uint8_t c)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);

	ldisc_receive(&t->ld, (char)c);
	after_input(t, flags);
}

size_t tty_receive_buf(struct tty *t, const char *buf, size_t n)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	size_t i = 0;

	while (i < n && ldisc_receive_room(&t->ld) > 0)
		ldisc_receive(&t->ld, buf[i++]);
	after_input(t, flags);
	return i;
}

size_t tty_receive_room(struct tty *t)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	size_t room = ldisc_receive_room(&t->ld);

	spin_unlock_irqrestore(&t->lock, flags);
	return room;
}

static bool input_ready(void *arg)
{
	struct tty *t = arg;
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	bool ready = ldisc_readable(&t->ld) || t->hung_up;

	spin_unlock_irqrestore(&t->lock, flags);
	return ready;
}

/*
 * Take up to n bytes into the bounce buffer.  *eof is set in canonical
 * mode when the line read was the empty one ^D leaves.  Returns bytes.
 */
static size_t take_input(struct tty *t, size_t n, bool *eof)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	bool readable = ldisc_readable(&t->ld);
	size_t got = 0;

	*eof = t->hung_up;	/* a hung-up tty reads as end of file */
	if (readable && !t->hung_up) {
		got = ldisc_read(&t->ld, t->bounce, MIN(n, sizeof(t->bounce)));
		*eof = got == 0;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	if (got)
		tty_input_changed(t);	/* room for a pty master's writes */
	return got;
}

static int copy_out(struct tty *t, struct iobuf *buf, size_t off, size_t n)
{
	return n ? iobuf_write(buf, off, t->bounce, n) : 0;
}

/* Canonical mode: block until a line (or EOF), return at most that line. */
static ssize_t read_canonical(struct tty *t, struct iobuf *buf, bool nonblock)
{
	for (;;) {
		bool eof;
		size_t got = take_input(t, buf->len, &eof);
		int err;

		if (got || eof) {
			err = copy_out(t, buf, 0, got);
			return err ? err : (ssize_t)got;
		}
		if (nonblock)
			return -EAGAIN;
		err = wait_interruptible(&t->read_wait, input_ready, t, 0);
		if (err)
			return err;
	}
}

/*
 * Non-canonical mode, as termios(3) describes VMIN and VTIME:
 * MIN 0 TIME 0 polls; MIN 0 TIME>0 waits TIME for the first byte;
 * MIN>0 TIME 0 waits for MIN bytes; MIN>0 TIME>0 waits for the first byte,
 * then TIME between bytes, until MIN.
 */
static ssize_t read_raw(struct tty *t, struct iobuf *buf, bool nonblock, uint8_t vmin,
			uint8_t vtime)
{
	size_t want = vmin ? MIN((size_t)vmin, buf->len) : 1;
	uint64_t timeout = vmin ? 0 : vtime * VTIME_UNIT_NS;
	size_t total = 0;

	for (;;) {
		bool eof;
		size_t got = take_input(t, buf->len - total, &eof);
		int err = copy_out(t, buf, total, got);

		if (err)
			return total ? (ssize_t)total : err;
		total += got;
		if (eof)
			return (ssize_t)total;
		if (total >= want || total == buf->len)
			return (ssize_t)total;
		if (!vmin && !vtime)
			return (ssize_t)total;
		if (nonblock)
			return total ? (ssize_t)total : -EAGAIN;
		if (total && vtime)
			timeout = vtime * VTIME_UNIT_NS;	/* the inter-byte timer */
		err = wait_interruptible(&t->read_wait, input_ready, t, timeout);
		if (err == -ETIMEDOUT)
			return (ssize_t)total;
		if (err)
			return total ? (ssize_t)total : err;
	}
}

ssize_t tty_read(struct tty *t, struct iobuf *buf, bool nonblock)
{
	int err = tty_job_control(t, SIGTTIN);
	irqflags_t flags;
	bool canon;
	uint8_t vmin, vtime;
	ssize_t r;

	if (err)
		return err;
	if (buf->len == 0)
		return 0;
	mutex_lock(&t->read_mutex);
	flags = spin_lock_irqsave(&t->lock);
	canon = t->ld.termios.c_lflag & ICANON;
	vmin = t->ld.termios.c_cc[VMIN];
	vtime = t->ld.termios.c_cc[VTIME];
	spin_unlock_irqrestore(&t->lock, flags);
	r = canon ? read_canonical(t, buf, nonblock) : read_raw(t, buf, nonblock, vmin, vtime);
	mutex_unlock(&t->read_mutex);
	return r;
}

/* Room for output now (t->lock held): none while stopped by ^S. */
static size_t output_room(struct tty *t)
{
	return t->stopped ? 0 : t->ops->write_room(t);
}

/* Bytes of src that fit in room once output processing (ONLCR) is done. */
static size_t fitting(const struct tty *t, const char *src, size_t n, size_t room)
{
	const struct termios *tm = &t->ld.termios;
	bool onlcr = (tm->c_oflag & OPOST) && (tm->c_oflag & ONLCR);
	size_t used = 0, i;

	for (i = 0; i < n; i++) {
		used += (onlcr && src[i] == '\n') ? 2 : 1;
		if (used > room)
			break;
	}
	return i;
}

static bool writable(void *arg)
{
	struct tty *t = arg;
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	bool ok = t->hung_up || output_room(t) >= 2;

	spin_unlock_irqrestore(&t->lock, flags);
	return ok;
}

/*
 * Output n bytes of chunk as far as the driver has room: bytes taken
 * (0: none fit now), or -EIO once hung up.
 */
static ssize_t write_some(struct tty *t, const char *chunk, size_t n)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	size_t k = n;

	if (t->hung_up) {
		spin_unlock_irqrestore(&t->lock, flags);
		return -EIO;
	}
	if (t->ops->write_room)
		k = fitting(t, chunk, n, output_room(t));
	if (k)
		ldisc_write(&t->ld, chunk, k);
	spin_unlock_irqrestore(&t->lock, flags);
	if (k)
		tty_input_changed(t);
	return (ssize_t)k;
}

static ssize_t write_locked(struct tty *t, struct iobuf *buf, bool nonblock)
{
	char chunk[WRITE_CHUNK];
	size_t off = 0;

	while (off < buf->len) {
		size_t n = MIN(sizeof(chunk), buf->len - off);
		int err = iobuf_read(buf, off, chunk, n);
		ssize_t k;

		if (err)
			return off ? (ssize_t)off : err;
		k = write_some(t, chunk, n);
		if (k < 0)
			return off ? (ssize_t)off : k;
		off += (size_t)k;
		if (k)
			continue;
		if (nonblock)
			return off ? (ssize_t)off : -EAGAIN;
		err = wait_interruptible(&t->write_wait, writable, t, 0);
		if (err)
			return off ? (ssize_t)off : err;
	}
	return (ssize_t)off;
}

ssize_t tty_write(struct tty *t, struct iobuf *buf, bool nonblock)
{
	irqflags_t flags;
	bool tostop, hung_up;
	ssize_t r;

	flags = spin_lock_irqsave(&t->lock);
	tostop = t->ld.termios.c_lflag & TOSTOP;
	hung_up = t->hung_up;
	spin_unlock_irqrestore(&t->lock, flags);
	if (hung_up)
		return -EIO;
	if (tostop) {
		int err = tty_job_control(t, SIGTTOU);

		if (err)
			return err;
	}
	mutex_lock(&t->write_mutex);
	r = write_locked(t, buf, nonblock);
	mutex_unlock(&t->write_mutex);
	return r;
}

unsigned int tty_poll(struct tty *t)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	unsigned int mask = 0;

	if (t->hung_up) {
		mask = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLERR | POLLHUP;
	} else {
		if (ldisc_readable(&t->ld))
			mask |= POLLIN | POLLRDNORM;
		if (!t->ops->write_room || output_room(t) > 0)
			mask |= POLLOUT | POLLWRNORM;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return mask;
}
