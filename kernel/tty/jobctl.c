// SPDX-License-Identifier: MPL-2.0
// Controlling terminals and background job control (see tty.h): the
// session and foreground group of a tty, SIGTTIN/SIGTTOU for background
// groups, acquiring a ctty on open, hangup when the session leader exits.
#include <aster/errno.h>
#include "process/signal.h"
#include "tty.h"
#include "tty_internal.h"

/* ---- the default environment: the real process table ---- */

struct pgrp_query {
	pid_t pgid;
	pid_t sid;
	struct tty *tty;
};

static int member_of(struct process *p, void *arg)
{
	const struct pgrp_query *q = arg;

	return p->state == PROCESS_ALIVE && p->pgid == q->pgid;
}

static bool default_pgrp_exists(pid_t pgid)
{
	struct pgrp_query q = { .pgid = pgid };

	return process_for_each(member_of, &q) != 0;
}

/* A member whose parent is in another group of the same session keeps it joined. */
static int keeps_pgrp_joined(struct process *p, void *arg)
{
	const struct pgrp_query *q = arg;
	const struct process *parent = p->parent;

	if (p->state != PROCESS_ALIVE || p->pgid != q->pgid || !parent)
		return 0;
	return parent->state == PROCESS_ALIVE && parent->pgid != p->pgid && parent->sid == p->sid;
}

static bool default_pgrp_orphaned(pid_t pgid)
{
	struct pgrp_query q = { .pgid = pgid };

	return process_for_each(keeps_pgrp_joined, &q) == 0;
}

static int clear_ctty(struct process *p, void *arg)
{
	const struct pgrp_query *q = arg;

	if (p->sid == q->sid && p->ctty == q->tty)
		p->ctty = NULL;
	return 0;
}

static void default_session_detach(pid_t sid, struct tty *t)
{
	struct pgrp_query q = { .sid = sid, .tty = t };

	process_for_each(clear_ctty, &q);
}

static int default_kill_pid(pid_t pid, int sig)
{
	struct process *p = process_find_global(pid);	/* a session id the kernel kept */
	int err;

	if (!p)
		return -ESRCH;
	err = signal_send(p, sig);
	process_put(p);
	return err;
}

const struct tty_env tty_default_env = {
	.process = current_process,
	.thread = current_thread,
	.kill_pgrp = signal_send_pgrp,
	.pgrp_in_session = pgrp_in_session,
	.pgrp_exists = default_pgrp_exists,
	.pgrp_orphaned = default_pgrp_orphaned,
	.session_detach = default_session_detach,
	.kill_pid = default_kill_pid,
};

static const struct tty_env *env = &tty_default_env;

void tty_set_env(const struct tty_env *e)
{
	env = e ? e : &tty_default_env;
}

const struct tty_env *tty_env(void)
{
	return env;
}

/* ---- job control ---- */

static bool sig_ignored_or_blocked(int sig)
{
	struct process *p = env->process();
	struct thread *th = env->thread();
	uint64_t bit = 1ULL << (sig - 1);

	if (p && p->sigactions[sig - 1].handler == SIG_IGN)
		return true;
	return th && (th->blocked & bit);
}

int tty_job_control(struct tty *t, int sig)
{
	struct process *p = env->process();
	irqflags_t flags;
	pid_t fg;

	if (!p || p->ctty != t)
		return 0;	/* only a process's own controlling tty stops it */
	flags = spin_lock_irqsave(&t->lock);
	fg = t->pgrp;
	spin_unlock_irqrestore(&t->lock, flags);
	if (fg <= 0 || p->pgid == fg)
		return 0;
	if (sig_ignored_or_blocked(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (env->pgrp_orphaned(p->pgid))
		return -EIO;
	env->kill_pgrp(p->pgid, sig);
	return -ERESTARTSYS;
}

/* ---- controlling terminal ---- */

void tty_attach(struct tty *t, struct process *p)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);

	t->session = p->sid;
	t->pgrp = p->pgid;
	spin_unlock_irqrestore(&t->lock, flags);
	p->ctty = t;
}

void tty_open_acquire(struct tty *t, unsigned int open_flags, bool may_acquire)
{
	struct process *p = env->process();
	irqflags_t flags;
	bool free;

	if (!may_acquire || (open_flags & O_NOCTTY) || !p)
		return;
	if (p->pid != p->sid || p->ctty)
		return;
	flags = spin_lock_irqsave(&t->lock);
	free = t->session == 0 && !t->hung_up;
	spin_unlock_irqrestore(&t->lock, flags);
	if (free)
		tty_attach(t, p);
}

void tty_detach_session(struct tty *t)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	pid_t sid = t->session;

	t->session = 0;
	t->pgrp = 0;
	spin_unlock_irqrestore(&t->lock, flags);
	if (sid)
		env->session_detach(sid, t);
	tty_input_changed(t);
}

/*
 * Under tty_mutex: a pty is freed only after its hangup cleared every
 * process's ctty pointing to it, so p->ctty read here is alive.
 */
void tty_session_leader_exit(struct process *p)
{
	struct tty *t;
	irqflags_t flags;
	pid_t fg;

	mutex_lock(&tty_mutex);
	t = p->ctty;
	if (!t || p->sid != p->pid) {
		mutex_unlock(&tty_mutex);
		return;
	}
	flags = spin_lock_irqsave(&t->lock);
	fg = t->pgrp;
	spin_unlock_irqrestore(&t->lock, flags);
	if (fg > 0)
		env->kill_pgrp(fg, SIGHUP);
	tty_detach_session(t);
	mutex_unlock(&tty_mutex);
}

/*
 * As Linux's tty_vhangup: from now on reads give end of file and writes
 * EIO; the session leader gets SIGHUP and SIGCONT and every process of
 * the session loses t as its controlling tty.
 */
static void hangup(struct tty *t, bool vhangup)
{
	irqflags_t flags = spin_lock_irqsave(&t->lock);
	pid_t sid = t->session;

	t->hung_up = true;
	t->vhung = vhangup;
	if (vhangup)
		t->vhangups++;
	spin_unlock_irqrestore(&t->lock, flags);
	if (sid > 0) {
		env->kill_pid(sid, SIGHUP);
		env->kill_pid(sid, SIGCONT);
	}
	tty_detach_session(t);
}

void tty_hangup(struct tty *t)
{
	hangup(t, false);
}

void tty_vhangup(struct tty *t)
{
	hangup(t, true);
}

struct tty *tty_current_ctty_locked(void)
{
	struct process *p = env->process();

	return p ? p->ctty : NULL;
}
