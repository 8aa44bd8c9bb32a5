// SPDX-License-Identifier: MPL-2.0
// The ioctls of a pty master (see pty.h): the Unix 98 ones (TIOCGPTN,
// TIOCSPTLCK, TIOCGPTLCK, TIOCGPTPEER), packet mode, TIOCSIG, and those
// Linux applies to the slave when made on the master (window size, job
// control, controlling terminal).
#include <aster/errno.h>
#include <aster/string.h>
#include "process/signal.h"
#include "pty.h"
#include "tty_internal.h"
#include "uapi/ioctls.h"
#include "uapi/tty.h"

static int put_int(struct iobuf *argp, int v)
{
	return iobuf_write(argp, 0, &v, sizeof(v));
}

static int get_int(struct iobuf *argp, int *v)
{
	return iobuf_read(argp, 0, v, sizeof(*v));
}

static long set_lock(struct pty *pty, struct iobuf *argp)
{
	irqflags_t flags;
	int v, err = get_int(argp, &v);

	if (err)
		return err;
	flags = spin_lock_irqsave(&pty->slave.lock);
	pty->locked = v != 0;
	spin_unlock_irqrestore(&pty->slave.lock, flags);
	return 0;
}

/* TIOCPKT: turning it on starts with no status pending, as Linux. */
static long set_packet(struct pty *pty, struct iobuf *argp)
{
	irqflags_t flags;
	int v, err = get_int(argp, &v);

	if (err)
		return err;
	flags = spin_lock_irqsave(&pty->slave.lock);
	if (v && !pty->packet)
		pty->pktstatus = 0;
	pty->packet = v != 0;
	spin_unlock_irqrestore(&pty->slave.lock, flags);
	return 0;
}

static long get_flag(struct pty *pty, const bool *flag, struct iobuf *argp)
{
	irqflags_t flags = spin_lock_irqsave(&pty->slave.lock);
	int v = *flag;

	spin_unlock_irqrestore(&pty->slave.lock, flags);
	return put_int(argp, v);
}

/* TIOCSIG: the signals a remote end may raise, to the slave's foreground group. */
static long send_signal(struct pty *pty, uint64_t arg)
{
	irqflags_t flags;
	pid_t fg;

	if (arg != SIGINT && arg != SIGQUIT && arg != SIGTSTP)
		return -EINVAL;
	flags = spin_lock_irqsave(&pty->slave.lock);
	fg = pty->slave.pgrp;
	spin_unlock_irqrestore(&pty->slave.lock, flags);
	if (fg > 0)
		tty_env()->kill_pgrp(fg, (int)arg);
	return 0;
}

/* TIOCGPGRP and TIOCGSID on the master: the slave's, with no ctty check. */
static long get_slave_ids(struct pty *pty, unsigned int cmd, struct iobuf *argp)
{
	irqflags_t flags = spin_lock_irqsave(&pty->slave.lock);
	pid_t v = cmd == TIOCGSID ? pty->slave.session : pty->slave.pgrp;

	spin_unlock_irqrestore(&pty->slave.lock, flags);
	if (cmd == TIOCGSID && v == 0)
		return -ENOTTY;
	return put_int(argp, v);
}

/* TCFLSH on the master: its input is what the slave wrote. */
static long master_flush(struct pty *pty, uint64_t arg)
{
	if (arg > TCIOFLUSH)
		return -EINVAL;
	if (arg != TCOFLUSH)
		pty_out_flush(pty);
	return 0;
}

long pty_master_ioctl(struct pty *pty, unsigned int cmd, uint64_t arg, struct iobuf *argp)
{
	switch (cmd) {
	case TIOCGPTN:
		return put_int(argp, (int)pty->index);
	case TIOCSPTLCK:
		return set_lock(pty, argp);
	case TIOCGPTLCK:
		return get_flag(pty, &pty->locked, argp);
	case TIOCPKT:
		return set_packet(pty, argp);
	case TIOCGPKT:
		return get_flag(pty, &pty->packet, argp);
	case TIOCGPTPEER:
		return pty_open_peer(pty, (unsigned int)arg);
	case TIOCSIG:
		return send_signal(pty, arg);
	case TIOCGPGRP: case TIOCGSID:
		return get_slave_ids(pty, cmd, argp);
	case TIOCGWINSZ: case TIOCSWINSZ: case TIOCSPGRP: case TIOCSCTTY:
	case TCGETS: case TCSETS: case TCSETSW: case TCSETSF:
	case TCGETS2: case TCSETS2: case TCSETSW2: case TCSETSF2:
		/* As Linux: these act on the slave (its termios, its size). */
		return tty_ioctl(&pty->slave, cmd, arg, argp);
	case FIONREAD:
		return put_int(argp, (int)pty_out_len(pty));
	case TCFLSH:
		return master_flush(pty, arg);
	case TIOCGETD:
		return put_int(argp, N_TTY);
	default:
		return -ENOTTY;
	}
}
