// SPDX-License-Identifier: MPL-2.0
// Unix 98 pseudo-terminals (see pty.h): /dev/ptmx (5,2) makes a pair and
// is its master; /dev/pts/N (136,N) is the slave, a tty of the tty core.
// As Linux: the slave is locked until TIOCSPTLCK 0, the master's close
// hangs the slave up and removes /dev/pts/N, the last slave close makes
// master reads fail with EIO, and the index is free again once both
// sides are closed.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include "fs/devpts.h"
#include "process/signal.h"
#include "pty.h"
#include "tty_internal.h"
#include "uapi/ioctls.h"
#include "uapi/major.h"

#define PTMX_MINOR	2
#define IOCTL_ARG_MAX	64
#define MASTER_CHUNK	256

static struct pty *ptys[PTY_MAX];	/* under tty_mutex */

static struct pty *pty_of(struct tty *t)
{
	return t->driver_data;
}

/* ---- the slave's driver: output into the master's buffer ---- */

static void slave_write(struct tty *t, const char *buf, size_t len)
{
	struct pty *pty = pty_of(t);

	/* Program output was sized by write_room; echo beyond the room is dropped. */
	for (size_t i = 0; i < len && pty->out_len < PTY_OUT_BUF; i++) {
		pty->out[(pty->out_head + pty->out_len) % PTY_OUT_BUF] = buf[i];
		pty->out_len++;
	}
}

static size_t slave_write_room(struct tty *t)
{
	return PTY_OUT_BUF - pty_of(t)->out_len;
}

/* Packet mode tells the master what the slave flushed. */
static void slave_flush(struct tty *t, int queue)
{
	struct pty *pty = pty_of(t);

	if (!pty->packet)
		return;
	if (queue == TCIFLUSH || queue == TCIOFLUSH)
		pty->pktstatus |= TIOCPKT_FLUSHREAD;
	if (queue == TCOFLUSH || queue == TCIOFLUSH)
		pty->pktstatus |= TIOCPKT_FLUSHWRITE;
}

static void slave_flow(struct tty *t, bool stopped)
{
	struct pty *pty = pty_of(t);

	if (!pty->packet)
		return;
	pty->pktstatus &= (uint8_t)~(stopped ? TIOCPKT_START : TIOCPKT_STOP);
	pty->pktstatus |= stopped ? TIOCPKT_STOP : TIOCPKT_START;
}

/* Flow control as a remote end can do it itself: IXON with ^S and ^Q. */
static bool std_flow(const struct termios *tm)
{
	return (tm->c_iflag & IXON) && tm->c_cc[VSTOP] == 023 && tm->c_cc[VSTART] == 021;
}

static void slave_set_termios(struct tty *t, const struct termios *old)
{
	struct pty *pty = pty_of(t);
	bool now = std_flow(&t->ld.termios);

	if (!pty->packet || std_flow(old) == now)
		return;
	pty->pktstatus &= (uint8_t)~(TIOCPKT_DOSTOP | TIOCPKT_NOSTOP);
	pty->pktstatus |= now ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP;
}

static void slave_wakeup(struct tty *t)
{
	wake_up_all(&pty_of(t)->master_wait);
}

/* tty_mutex held: a slave opens only while the master is open and unlocked. */
static int slave_open(struct tty *t, struct file *f)
{
	struct pty *pty = pty_of(t);

	(void)f;
	if (!pty->master_open || pty->locked)
		return -EIO;
	pty->slave_opens++;
	pty->slave_closed = false;
	return 0;
}

static void pty_free_if_unused(struct pty *pty)
{
	if (pty->master_open || pty->slave_opens)
		return;
	ptys[pty->index] = NULL;
	kfree(pty->out);
	kfree(pty);
}

static void slave_close(struct tty *t, struct file *f)
{
	struct pty *pty = pty_of(t);
	irqflags_t flags;

	(void)f;
	if (--pty->slave_opens == 0) {
		flags = spin_lock_irqsave(&t->lock);
		pty->slave_closed = true;
		spin_unlock_irqrestore(&t->lock, flags);
		tty_input_changed(t);
	}
	pty_free_if_unused(pty);
}

static const struct tty_driver_ops pty_slave_ops = {
	.write = slave_write,
	.write_room = slave_write_room,
	.flush = slave_flush,
	.flow = slave_flow,
	.set_termios = slave_set_termios,
	.wakeup = slave_wakeup,
	.open = slave_open,
	.close = slave_close,
};

/* ---- the master's file ---- */

size_t pty_out_len(struct pty *pty)
{
	irqflags_t flags = spin_lock_irqsave(&pty->slave.lock);
	size_t n = pty->out_len;

	spin_unlock_irqrestore(&pty->slave.lock, flags);
	return n;
}

void pty_out_flush(struct pty *pty)
{
	irqflags_t flags = spin_lock_irqsave(&pty->slave.lock);

	pty->out_head = pty->out_len = 0;
	spin_unlock_irqrestore(&pty->slave.lock, flags);
	tty_input_changed(&pty->slave);
}

static bool master_readable(void *arg)
{
	struct pty *pty = arg;
	irqflags_t flags = spin_lock_irqsave(&pty->slave.lock);
	bool ok = pty->out_len || pty->slave_closed || (pty->packet && pty->pktstatus);

	spin_unlock_irqrestore(&pty->slave.lock, flags);
	return ok;
}

/* Take up to n bytes of slave output (slave.lock held). */
static size_t take_out(struct pty *pty, char *dst, size_t n)
{
	size_t k = MIN(n, pty->out_len);

	for (size_t i = 0; i < k; i++)
		dst[i] = pty->out[(pty->out_head + i) % PTY_OUT_BUF];
	pty->out_head = (pty->out_head + k) % PTY_OUT_BUF;
	pty->out_len -= k;
	return k;
}

/*
 * What one read returns now: in packet mode a pending status byte alone,
 * else data after a TIOCPKT_DATA byte.  0: nothing yet; -EIO: the slave
 * side is closed and everything it wrote was read.
 */
static ssize_t master_take(struct pty *pty, struct iobuf *buf)
{
	char chunk[MASTER_CHUNK];
	size_t off = 0, k;
	irqflags_t flags;
	int err;

	for (;;) {
		flags = spin_lock_irqsave(&pty->slave.lock);
		if (off == 0 && pty->packet && pty->pktstatus) {
			chunk[0] = (char)pty->pktstatus;
			pty->pktstatus = 0;
			spin_unlock_irqrestore(&pty->slave.lock, flags);
			err = iobuf_write(buf, 0, chunk, 1);
			return err ? err : 1;
		}
		if (off == 0 && !pty->out_len) {
			bool closed = pty->slave_closed;

			spin_unlock_irqrestore(&pty->slave.lock, flags);
			return closed ? -EIO : 0;
		}
		if (off == 0 && pty->packet) {
			chunk[0] = TIOCPKT_DATA;
			k = 1 + take_out(pty, chunk + 1, MIN(sizeof(chunk), buf->len) - 1);
		} else {
			k = take_out(pty, chunk, MIN(sizeof(chunk), buf->len - off));
		}
		spin_unlock_irqrestore(&pty->slave.lock, flags);
		if (!k)
			return (ssize_t)off;
		tty_input_changed(&pty->slave);	/* room for slave writers */
		err = iobuf_write(buf, off, chunk, k);
		if (err)
			return off ? (ssize_t)off : err;
		off += k;
		if (off == buf->len)
			return (ssize_t)off;
	}
}

static ssize_t master_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct pty *pty = f->priv;
	ssize_t r;

	(void)pos;
	if (buf->len == 0)
		return 0;
	mutex_lock(&pty->master_read_mutex);
	for (;;) {
		r = master_take(pty, buf);
		if (r)
			break;
		if (f->flags & O_NONBLOCK) {
			r = -EAGAIN;
			break;
		}
		r = wait_interruptible(&pty->master_wait, master_readable, pty, 0);
		if (r)
			break;
	}
	mutex_unlock(&pty->master_read_mutex);
	return r;
}

static bool master_writable(void *arg)
{
	struct pty *pty = arg;

	return tty_receive_room(&pty->slave) > 0;
}

/*
 * The slave's input, whether a slave file is open or not (as Linux: it
 * waits in the line discipline, echoed at once); waits for input room.
 */
static ssize_t master_write_locked(struct pty *pty, struct iobuf *buf, bool nonblock)
{
	char chunk[MASTER_CHUNK];
	size_t off = 0;

	while (off < buf->len) {
		size_t n = MIN(sizeof(chunk), buf->len - off), k;
		int err;

		err = iobuf_read(buf, off, chunk, n);
		if (err)
			return off ? (ssize_t)off : err;
		k = tty_receive_buf(&pty->slave, chunk, n);
		off += k;
		if (k)
			continue;
		if (nonblock)
			return off ? (ssize_t)off : -EAGAIN;
		err = wait_interruptible(&pty->master_wait, master_writable, pty, 0);
		if (err)
			return off ? (ssize_t)off : err;
	}
	return (ssize_t)off;
}

static ssize_t master_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct pty *pty = f->priv;
	ssize_t r;

	(void)pos;
	mutex_lock(&pty->master_write_mutex);
	r = master_write_locked(pty, buf, f->flags & O_NONBLOCK);
	mutex_unlock(&pty->master_write_mutex);
	return r;
}

static unsigned int master_poll(struct file *f)
{
	struct pty *pty = f->priv;
	irqflags_t flags = spin_lock_irqsave(&pty->slave.lock);
	unsigned int mask = 0;

	if (pty->out_len)
		mask |= POLLIN | POLLRDNORM;
	if (pty->packet && pty->pktstatus)
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (pty->slave_closed)
		mask |= POLLHUP;
	spin_unlock_irqrestore(&pty->slave.lock, flags);
	if (tty_receive_room(&pty->slave))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static long master_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	struct iobuf argp = iobuf_user(arg, IOCTL_ARG_MAX);

	return pty_master_ioctl(f->priv, cmd, arg, &argp);
}

/* The master's last close: the slave is hung up and /dev/pts/N goes. */
static void master_release(struct file *f)
{
	struct pty *pty = f->priv;

	mutex_lock(&tty_mutex);
	pty->master_open = false;
	devpts_pty_kill(pty->index);
	tty_hangup(&pty->slave);
	pty_free_if_unused(pty);
	mutex_unlock(&tty_mutex);
}

static const struct file_ops ptm_file_ops = {
	.fasync = true,
	.read = master_read,
	.write = master_write,
	.ioctl = master_ioctl,
	.poll = master_poll,
	.release = master_release,
};

/* ---- making pairs ---- */

static int pty_new(struct pty **out)
{
	struct pty *pty = kzalloc(sizeof(*pty));
	unsigned int i;

	if (!pty)
		return -ENOMEM;
	pty->out = kmalloc(PTY_OUT_BUF);
	if (!pty->out) {
		kfree(pty);
		return -ENOMEM;
	}
	for (i = 0; i < PTY_MAX && ptys[i]; i++)
		;
	if (i == PTY_MAX) {
		kfree(pty->out);
		kfree(pty);
		return -ENOSPC;
	}
	pty->index = i;
	snprintf(pty->name, sizeof(pty->name), "pts/%u", i);
	tty_init(&pty->slave, pty->name, &pty_slave_ops, pty);
	pty->slave.dev = MKDEV(UNIX98_PTY_SLAVE_MAJOR, i);
	wait_queue_init(&pty->master_wait);
	mutex_init(&pty->master_read_mutex);
	mutex_init(&pty->master_write_mutex);
	pty->locked = true;	/* until unlockpt(3) */
	pty->master_open = true;
	ptys[i] = pty;
	*out = pty;
	return 0;
}

/* /dev/ptmx and /dev/pts/ptmx: a new pair; f becomes its master. */
static int open_ptmx(struct file *f, uint32_t minor)
{
	struct pty *pty;
	int err;

	(void)minor;
	mutex_lock(&tty_mutex);
	err = pty_new(&pty);
	if (!err) {
		err = devpts_pty_new(pty->index);
		if (err) {
			pty->master_open = false;
			pty_free_if_unused(pty);
		}
	}
	mutex_unlock(&tty_mutex);
	if (err)
		return err;
	f->ops = &ptm_file_ops;
	f->priv = pty;
	return 0;
}

/* /dev/pts/N: the slave of pair N. */
static int open_pts(struct file *f, uint32_t minor)
{
	int err = -EIO;

	mutex_lock(&tty_mutex);
	if (minor < PTY_MAX && ptys[minor])
		err = tty_open_file_locked(f, &ptys[minor]->slave, true);
	mutex_unlock(&tty_mutex);
	return err;
}

long pty_open_peer(struct pty *pty, unsigned int flags)
{
	struct process *p = tty_env()->process();
	struct fd_table *fdt = p ? process_files_get(p) : NULL;
	struct file *f;
	int fd, err;

	if (!fdt)
		return -EMFILE;
	flags &= O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	err = devpts_open_pty(pty->index, flags, &f);
	if (err == -ENOENT) {
		/* No devpts mounted: a file with no name, as good for I/O. */
		f = file_alloc(NULL, flags & ~(unsigned int)O_CLOEXEC, NULL);
		err = f ? tty_open_file(f, &pty->slave, true) : -ENOMEM;
		if (err && f)
			file_put(f);
		if (!err)
			f->flags &= ~(unsigned int)O_NOCTTY;
	}
	if (err) {
		fd_table_put(fdt);
		return err;
	}
	fd = fd_install(fdt, f, (flags & O_CLOEXEC) ? FD_CLOEXEC : 0);
	if (fd < 0)
		file_put(f);
	fd_table_put(fdt);
	return fd;
}

static int pty_init(void)
{
	int err = chrdev_register(TTYAUX_MAJOR, PTMX_MINOR, 1, "ptmx", open_ptmx);

	if (!err)
		err = chrdev_register(UNIX98_PTY_SLAVE_MAJOR, 0, PTY_MAX, NULL, open_pts);
	if (err)
		pr_err("pty: registering /dev/ptmx and /dev/pts: %d\n", err);
	return err;
}
KERNEL_INIT(pty_init);
