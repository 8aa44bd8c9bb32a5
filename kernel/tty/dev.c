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

static struct tty console_tty;

struct tty *tty_console(void)
{
	return &console_tty;
}

static void console_out(struct tty *t, const char *buf, size_t len)
{
	(void)t;
	console_write(buf, len);
}

/* The UART is polled: output never waits, so no write_room. */
static const struct tty_driver_ops console_ops = { .write = console_out };

/* Frame calls this in softirq context for every byte typed on COM1. */
void tty_console_input(uint8_t byte, void *arg)
{
	tty_receive(arg, byte);
}

static int open_ttys(struct file *f, uint32_t minor)
{
	if (minor != TTYS0_MINOR)
		return -ENXIO;
	return tty_open_file(f, &console_tty, true);
}

static int open_aux(struct file *f, uint32_t minor)
{
	if (minor == CONSOLE_MINOR)	/* as on Linux: never becomes a ctty */
		return tty_open_file(f, &console_tty, false);
	return tty_open_ctty(f);
}

static int tty_console_init(void)
{
	int err;

	tty_init(&console_tty, "ttyS0", &console_ops, NULL);
	console_tty.dev = MKDEV(TTY_MAJOR, TTYS0_MINOR);
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
