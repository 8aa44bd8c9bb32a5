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

static void ld_write(void *arg, const char *s, size_t n)
{
	struct tty *t = arg;

	t->sink(t->sink_arg, s, n);
}

/* Called under t->lock: remember the signal, send it once unlocked. */
static void ld_signal(void *arg, int sig)
{
	struct tty *t = arg;

	t->pending_sigs |= 1ULL << (sig - 1);
}

static const struct ldisc_ops tty_ldisc_ops = { ld_write, ld_signal };

void tty_init(struct tty *t, const char *name, tty_sink_fn sink, void *sink_arg)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->sink = sink;
	t->sink_arg = sink_arg;
	spin_lock_init(&t->lock);
	t->ws = (struct winsize){ .ws_row = 24, .ws_col = 80 };
	wait_queue_init(&t->read_wait);
	mutex_init(&t->read_mutex);
	mutex_init(&t->write_mutex);
	ldisc_init(&t->ld, &tty_ldisc_ops, t);
}

void tty_set_sink(struct tty *t, tty_sink_fn sink, void *sink_arg)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);

	t->sink = sink;
	t->sink_arg = sink_arg;
	spin_unlock_irqrestore(&t->lock, flags);
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
	poll_wake();
}

void tty_receive(struct tty *t, uint8_t c)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	uint64_t sigs;
	pid_t pgrp;

	ldisc_receive(&t->ld, (char)c);
	sigs = t->pending_sigs;
	t->pending_sigs = 0;
	pgrp = t->pgrp;
	spin_unlock_irqrestore(&t->lock, flags);
	send_pending(pgrp, sigs);
	tty_input_changed(t);
}

static bool input_ready(void *arg)
{
	struct tty *t = arg;
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	bool ready = ldisc_readable(&t->ld);

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

	*eof = false;
	if (readable) {
		got = ldisc_read(&t->ld, t->bounce, MIN(n, sizeof(t->bounce)));
		*eof = got == 0;
	}
	spin_unlock_irqrestore(&t->lock, flags);
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

ssize_t tty_write(struct tty *t, struct iobuf *buf, bool nonblock)
{
	char chunk[WRITE_CHUNK];
	irqflags_t flags;
	bool tostop;
	size_t off = 0;

	(void)nonblock;		/* output never blocks: the sink polls the UART */
	flags = spin_lock_irqsave(&t->lock);
	tostop = t->ld.termios.c_lflag & TOSTOP;
	spin_unlock_irqrestore(&t->lock, flags);
	if (tostop) {
		int err = tty_job_control(t, SIGTTOU);

		if (err)
			return err;
	}
	mutex_lock(&t->write_mutex);
	while (off < buf->len) {
		size_t n = MIN(sizeof(chunk), buf->len - off);
		int err = iobuf_read(buf, off, chunk, n);

		if (err) {
			mutex_unlock(&t->write_mutex);
			return off ? (ssize_t)off : err;
		}
		flags = spin_lock_irqsave(&t->lock);
		ldisc_write(&t->ld, chunk, n);
		spin_unlock_irqrestore(&t->lock, flags);
		off += n;
	}
	mutex_unlock(&t->write_mutex);
	return (ssize_t)off;
}

unsigned int tty_poll(struct tty *t)
{
	unsigned int mask = POLLOUT | POLLWRNORM;

	if (input_ready(t))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}
