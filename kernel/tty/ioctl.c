// SPDX-License-Identifier: MPL-2.0
// tty ioctls (see tty.h): termios, window size, job control, queues.
#include <aster/errno.h>
#include <aster/string.h>
#include "process/signal.h"
#include "tty.h"
#include "tty_internal.h"
#include "uapi/tty.h"
#include "process/capability.h"

#define B38400_SPEED	38400

static int put_int(struct iobuf *argp, int v)
{
	return iobuf_write(argp, 0, &v, sizeof(v));
}

static int get_int(struct iobuf *argp, int *v)
{
	return iobuf_read(argp, 0, v, sizeof(*v));
}

static void get_termios(struct tty *t, struct termios *out)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);

	*out = t->ld.termios;
	spin_unlock_irqrestore(&t->lock, flags);
}

/* TCSETS*: TCSETSW would wait for output to drain (it never queues). */
static long set_termios(struct tty *t, const struct termios *nt, bool flush)
{
	int err = tty_job_control(t, SIGTTOU);
	struct termios old;
	irqflags_t flags;

	if (err)
		return err;
	flags = spin_lock_irqsave(&t->lock);
	if (flush) {
		ldisc_flush_input(&t->ld);
		if (t->ops->flush)
			t->ops->flush(t, TCIFLUSH);
	}
	old = t->ld.termios;
	ldisc_set_termios(&t->ld, nt);
	if (t->ops->set_termios)
		t->ops->set_termios(t, &old);
	spin_unlock_irqrestore(&t->lock, flags);
	tty_input_changed(t);	/* leaving ICANON may make data readable */
	return 0;
}

static long ioctl_termios(struct tty *t, unsigned int cmd, struct iobuf *argp)
{
	struct termios2 t2;
	int err;

	memset(&t2, 0, sizeof(t2));
	switch (cmd) {
	case TCGETS:
		get_termios(t, &t2.t);
		return iobuf_write(argp, 0, &t2.t, sizeof(t2.t));
	case TCGETS2:
		get_termios(t, &t2.t);
		t2.c_ispeed = t2.c_ospeed = B38400_SPEED;
		return iobuf_write(argp, 0, &t2, sizeof(t2));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		err = iobuf_read(argp, 0, &t2.t, sizeof(t2.t));
		return err ? err : set_termios(t, &t2.t, cmd == TCSETSF);
	default:	/* TCSETS2, TCSETSW2, TCSETSF2: speeds are ignored */
		err = iobuf_read(argp, 0, &t2, sizeof(t2));
		return err ? err : set_termios(t, &t2.t, cmd == TCSETSF2);
	}
}

static long ioctl_winsize(struct tty *t, unsigned int cmd, struct iobuf *argp)
{
	struct winsize ws;
	irqflags_t flags;
	bool changed;
	pid_t fg;
	int err;

	if (cmd == TIOCGWINSZ) {
		flags = spin_lock_irqsave(&t->lock);
		ws = t->ws;
		spin_unlock_irqrestore(&t->lock, flags);
		return iobuf_write(argp, 0, &ws, sizeof(ws));
	}
	err = iobuf_read(argp, 0, &ws, sizeof(ws));
	if (err)
		return err;
	flags = spin_lock_irqsave(&t->lock);
	changed = memcmp(&ws, &t->ws, sizeof(ws)) != 0;
	t->ws = ws;
	fg = t->pgrp;
	spin_unlock_irqrestore(&t->lock, flags);
	if (changed && fg > 0)
		tty_env()->kill_pgrp(fg, SIGWINCH);
	return 0;
}

/* The caller's controlling tty must be t (TIOCGPGRP, TIOCSPGRP, TIOCGSID). */
static struct process *ctty_owner(struct tty *t)
{
	struct process *p = tty_env()->process();

	return p && p->ctty == t ? p : NULL;
}

static long ioctl_getpgrp(struct tty *t, unsigned int cmd, struct iobuf *argp)
{
	irqflags_t flags;
	pid_t v;

	if (!ctty_owner(t))
		return -ENOTTY;
	flags = spin_lock_irqsave(&t->lock);
	v = cmd == TIOCGSID ? t->session : t->pgrp;
	spin_unlock_irqrestore(&t->lock, flags);
	if (cmd == TIOCGSID && v == 0)
		return -ENOTTY;
	return put_int(argp, pid_vnr(v));	/* the caller's pid namespace's number */
}

static long ioctl_setpgrp(struct tty *t, struct iobuf *argp)
{
	const struct tty_env *e = tty_env();
	struct process *p = ctty_owner(t);
	irqflags_t flags;
	int pgid, err;

	err = tty_job_control(t, SIGTTOU);
	if (err)
		return err;
	if (!p || t->session != p->sid)
		return -ENOTTY;
	err = get_int(argp, &pgid);
	if (err)
		return err;
	if (pgid < 0)
		return -EINVAL;
	pgid = pid_from_vnr(pgid);
	if (!e->pgrp_in_session(pgid, p->sid))
		return e->pgrp_exists(pgid) ? -EPERM : -ESRCH;
	flags = spin_lock_irqsave(&t->lock);
	t->pgrp = pgid;
	spin_unlock_irqrestore(&t->lock, flags);
	return 0;
}

/* tty_mutex held: a hangup (which clears every ctty of t) cannot interleave. */
static long sctty_locked(struct tty *t, struct process *p, uint64_t arg)
{
	irqflags_t flags;
	pid_t owner;
	bool hung_up;

	if (p->pid == p->sid && p->ctty == t)
		return 0;
	if (p->pid != p->sid || p->ctty)
		return -EPERM;
	flags = spin_lock_irqsave(&t->lock);
	owner = t->session;
	hung_up = t->hung_up;
	spin_unlock_irqrestore(&t->lock, flags);
	if (hung_up)
		return -EIO;
	if (owner) {
		/* Another session's tty: only CAP_SYS_ADMIN may steal it, with arg 1. */
		if (arg != 1 || !cred_capable(&p->cred, CAP_SYS_ADMIN))
			return -EPERM;
		tty_detach_session(t);
	}
	tty_attach(t, p);
	return 0;
}

static long ioctl_sctty(struct tty *t, uint64_t arg)
{
	struct process *p = tty_env()->process();
	long r;

	if (!p)
		return -EPERM;
	mutex_lock(&tty_mutex);
	r = sctty_locked(t, p, arg);
	mutex_unlock(&tty_mutex);
	return r;
}

static long ioctl_notty(struct tty *t)
{
	struct process *p = ctty_owner(t);
	irqflags_t flags;
	pid_t fg;

	if (!p)
		return -ENOTTY;
	if (p->pid != p->sid) {
		p->ctty = NULL;
		return 0;
	}
	/* The session leader gives it up: the foreground group is hung up. */
	flags = spin_lock_irqsave(&t->lock);
	fg = t->pgrp;
	spin_unlock_irqrestore(&t->lock, flags);
	if (fg > 0) {
		tty_env()->kill_pgrp(fg, SIGHUP);
		tty_env()->kill_pgrp(fg, SIGCONT);
	}
	tty_detach_session(t);
	p->ctty = NULL;
	return 0;
}

static long ioctl_flush(struct tty *t, uint64_t arg)
{
	irqflags_t flags;
	int err;

	if (arg > TCIOFLUSH)
		return -EINVAL;
	err = tty_job_control(t, SIGTTOU);
	if (err)
		return err;
	flags = spin_lock_irqsave(&t->lock);
	if (arg != TCOFLUSH)
		ldisc_flush_input(&t->ld);	/* the console never queues output */
	if (t->ops->flush)
		t->ops->flush(t, (int)arg);
	spin_unlock_irqrestore(&t->lock, flags);
	tty_input_changed(t);
	return 0;
}

static long ioctl_inq(struct tty *t, struct iobuf *argp)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	size_t n = ldisc_available(&t->ld);

	spin_unlock_irqrestore(&t->lock, flags);
	return put_int(argp, (int)n);
}

/*
 * TCXONC, TCSBRK, TCSBRKP: checked and accepted (no break).  TCOOFF and
 * TCOON stop and restart output where the driver has flow control.
 */
static long ioctl_line_control(struct tty *t, unsigned int cmd, uint64_t arg)
{
	irqflags_t flags;
	int err;

	if (cmd == TCXONC && arg > TCION)
		return -EINVAL;
	err = tty_job_control(t, SIGTTOU);
	if (err || cmd != TCXONC || (arg != TCOOFF && arg != TCOON))
		return err;
	flags = spin_lock_irqsave(&t->lock);
	ldisc_set_stopped(&t->ld, arg == TCOOFF);
	spin_unlock_irqrestore(&t->lock, flags);
	tty_input_changed(t);
	return 0;
}

long tty_ioctl(struct tty *t, unsigned int cmd, uint64_t arg, struct iobuf *argp)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	bool hung_up = t->hung_up;
	int v, err;

	spin_unlock_irqrestore(&t->lock, flags);
	if (hung_up)	/* as Linux's hung_up_tty_ioctl */
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TCGETS: case TCSETS: case TCSETSW: case TCSETSF:
	case TCGETS2: case TCSETS2: case TCSETSW2: case TCSETSF2:
		return ioctl_termios(t, cmd, argp);
	case TIOCGWINSZ: case TIOCSWINSZ:
		return ioctl_winsize(t, cmd, argp);
	case TIOCGPGRP: case TIOCGSID:
		return ioctl_getpgrp(t, cmd, argp);
	case TIOCSPGRP:
		return ioctl_setpgrp(t, argp);
	case TIOCSCTTY:
		return ioctl_sctty(t, arg);
	case TIOCNOTTY:
		return ioctl_notty(t);
	case FIONREAD:
		return ioctl_inq(t, argp);
	case TIOCOUTQ:
		return put_int(argp, 0);	/* writes complete synchronously */
	case TCFLSH:
		return ioctl_flush(t, arg);
	case TCXONC: case TCSBRK: case TCSBRKP:
		return ioctl_line_control(t, cmd, arg);
	case TIOCGETD:
		return put_int(argp, N_TTY);
	case TIOCSETD:
		err = get_int(argp, &v);
		return err ? err : (v == N_TTY ? 0 : -EINVAL);
	default:
		return -ENOTTY;
	}
}
