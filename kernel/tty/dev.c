// SPDX-License-Identifier: MPL-2.0
// The console tty and its device files: /dev/ttyS0 (4,64), /dev/console
// (5,1) and /dev/tty (5,0, the caller's controlling tty).
#include <aster/boot.h>
#include <aster/console.h>
#include <aster/errno.h>
#include <aster/log.h>
#include "fs/file.h"
#include "tty.h"
#include "uapi/major.h"

#define TTYS0_MINOR	64
#define TTY_MINOR	0
#define CONSOLE_MINOR	1
#define IOCTL_ARG_MAX	64	/* larger than any argument struct we read or write */

static struct tty console_tty;

struct tty *tty_console(void)
{
	return &console_tty;
}

static void console_sink(void *arg, const char *buf, size_t len)
{
	(void)arg;
	console_write(buf, len);
}

/* Frame calls this in softirq context for every byte typed on COM1. */
void tty_console_input(uint8_t byte, void *arg)
{
	tty_receive(arg, byte);
}

static bool nonblocking(const struct file *f)
{
	return f->flags & O_NONBLOCK;
}

static ssize_t tty_file_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)pos;
	return tty_read(f->priv, buf, nonblocking(f));
}

static ssize_t tty_file_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)pos;
	return tty_write(f->priv, buf, nonblocking(f));
}

static long tty_file_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	struct iobuf argp = iobuf_user(arg, IOCTL_ARG_MAX);

	return tty_ioctl(f->priv, cmd, arg, &argp);
}

static unsigned int tty_file_poll(struct file *f)
{
	return tty_poll(f->priv);
}

static const struct file_ops tty_file_ops = {
	.read = tty_file_read,
	.write = tty_file_write,
	.ioctl = tty_file_ioctl,
	.poll = tty_file_poll,
};

static int open_tty(struct file *f, struct tty *t, bool may_acquire)
{
	f->ops = &tty_file_ops;
	f->priv = t;
	tty_open_acquire(t, f->flags, may_acquire);
	return 0;
}

static int open_ttys(struct file *f, uint32_t minor)
{
	if (minor != TTYS0_MINOR)
		return -ENXIO;
	return open_tty(f, &console_tty, true);
}

static int open_aux(struct file *f, uint32_t minor)
{
	struct process *p;

	if (minor == CONSOLE_MINOR)	/* as on Linux: never becomes a ctty */
		return open_tty(f, &console_tty, false);
	p = tty_env()->process();
	if (!p || !p->ctty)
		return -ENXIO;
	return open_tty(f, p->ctty, false);
}

static int tty_console_init(void)
{
	int err;

	tty_init(&console_tty, "ttyS0", console_sink, NULL);
	console_set_input_handler(tty_console_input, &console_tty);
	err = chrdev_register(TTY_MAJOR, TTYS0_MINOR, 1, "ttyS0", open_ttys);
	if (!err)
		err = chrdev_register(TTYAUX_MAJOR, TTY_MINOR, 1, "tty", open_aux);
	if (!err)
		err = chrdev_register(TTYAUX_MAJOR, CONSOLE_MINOR, 1, "console", open_aux);
	if (err)
		pr_err("tty: registering the console devices: %d\n", err);
	return err;
}
KERNEL_INIT(tty_console_init);
