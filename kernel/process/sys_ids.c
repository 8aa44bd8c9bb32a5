// SPDX-License-Identifier: MPL-2.0
// Process identity: pids, process groups, sessions, credentials.
#include <aster/errno.h>
#include <aster/uaccess.h>
#include "process/internal.h"
#include "syscall/syscall.h"
#include "tty/tty.h"

long sys_getpid(const struct syscall_args *a)
{
	(void)a;
	return current_process()->pid;
}

long sys_gettid(const struct syscall_args *a)
{
	(void)a;
	return current_thread()->tid;
}

long sys_getppid(const struct syscall_args *a)
{
	struct process *p = current_process();

	(void)a;
	return p->parent ? p->parent->pid : 0;
}

long sys_getpgrp(const struct syscall_args *a)
{
	(void)a;
	return current_process()->pgid;
}

static long pid_attr(pid_t pid, bool sid)
{
	struct process *p;
	long ret;

	if (pid < 0)
		return -EINVAL;
	if (pid == 0)
		p = current_process(), process_get(p);
	else
		p = process_find(pid);
	if (!p)
		return -ESRCH;
	ret = sid ? p->sid : p->pgid;
	process_put(p);
	return ret;
}

long sys_getpgid(const struct syscall_args *a)
{
	return pid_attr((pid_t)a->a[0], false);
}

long sys_getsid(const struct syscall_args *a)
{
	return pid_attr((pid_t)a->a[0], true);
}

long sys_setpgid(const struct syscall_args *a)
{
	struct process *self = current_process(), *p;
	pid_t pid = (pid_t)a->a[0], pgid = (pid_t)a->a[1];
	long err = 0;
	irqflags_t f;

	if (pgid < 0)
		return -EINVAL;
	p = pid ? process_find(pid) : (process_get(self), self);
	if (!p)
		return -ESRCH;
	if (!pgid)
		pgid = p->pid;
	f = spin_lock_irqsave(&process_table_lock);
	if (p != self && p->parent != self)
		err = -ESRCH;
	else if (p->sid == p->pid)
		err = -EPERM;			/* a session leader */
	else if (p->sid != self->sid)
		err = -EPERM;
	else if (p != self && p->exec_done)
		err = -EACCES;
	spin_unlock_irqrestore(&process_table_lock, f);
	if (!err && pgid != p->pid && !pgrp_in_session(pgid, self->sid))
		err = -EPERM;
	if (!err)
		p->pgid = pgid;
	process_put(p);
	return err;
}

long sys_setsid(const struct syscall_args *a)
{
	struct process *p = current_process();

	(void)a;
	/* Not if the caller leads a process group (or another group has its id). */
	if (p->pgid == p->pid || pgrp_in_session(p->pid, p->sid))
		return -EPERM;
	p->sid = p->pid;
	p->pgid = p->pid;
	p->ctty = NULL;
	return p->sid;
}

/* ---- credentials ---- */

static long getid(uint32_t v)
{
	return v;
}

long sys_getuid(const struct syscall_args *a) { (void)a; return getid(current_process()->cred.uid); }
long sys_geteuid(const struct syscall_args *a) { (void)a; return getid(current_process()->cred.euid); }
long sys_getgid(const struct syscall_args *a) { (void)a; return getid(current_process()->cred.gid); }
long sys_getegid(const struct syscall_args *a) { (void)a; return getid(current_process()->cred.egid); }

static long put_three(uaddr_t r, uaddr_t e, uaddr_t s, uint32_t rv, uint32_t ev, uint32_t sv)
{
	if (put_user_u32(r, rv) || put_user_u32(e, ev) || put_user_u32(s, sv))
		return -EFAULT;
	return 0;
}

long sys_getresuid(const struct syscall_args *a)
{
	const struct cred *c = &current_process()->cred;

	return put_three(a->a[0], a->a[1], a->a[2], c->uid, c->euid, c->suid);
}

long sys_getresgid(const struct syscall_args *a)
{
	const struct cred *c = &current_process()->cred;

	return put_three(a->a[0], a->a[1], a->a[2], c->gid, c->egid, c->sgid);
}

#define NO_CHANGE	0xffffffffU

/* Unprivileged callers may only pick among their current real, effective and saved ids. */
static bool allowed(uint32_t v, uint32_t r, uint32_t e, uint32_t s, bool priv)
{
	return priv || v == NO_CHANGE || v == r || v == e || v == s;
}

static long set_res(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, uint32_t nr, uint32_t ne,
		    uint32_t ns, bool priv)
{
	if (!allowed(nr, *r, *e, *s, priv) || !allowed(ne, *r, *e, *s, priv) ||
	    !allowed(ns, *r, *e, *s, priv))
		return -EPERM;
	if (nr != NO_CHANGE)
		*r = nr;
	if (ne != NO_CHANGE)
		*e = ne;
	if (ns != NO_CHANGE)
		*s = ns;
	*fs = *e;
	return 0;
}

long sys_setresuid(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;

	return set_res(&c->uid, &c->euid, &c->suid, &c->fsuid, (uint32_t)a->a[0], (uint32_t)a->a[1],
		       (uint32_t)a->a[2], c->euid == 0);
}

long sys_setresgid(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;

	return set_res(&c->gid, &c->egid, &c->sgid, &c->fsgid, (uint32_t)a->a[0], (uint32_t)a->a[1],
		       (uint32_t)a->a[2], c->euid == 0);
}

long sys_setreuid(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;
	uint32_t r = (uint32_t)a->a[0], e = (uint32_t)a->a[1];
	uint32_t old_r = c->uid, s = NO_CHANGE;

	if (c->euid != 0 && r != NO_CHANGE && r != c->uid && r != c->euid)
		return -EPERM;
	if (c->euid != 0 && e != NO_CHANGE && e != c->uid && e != c->euid && e != c->suid)
		return -EPERM;
	/* The saved id follows the new effective one when the real id is set or differs. */
	if (r != NO_CHANGE || (e != NO_CHANGE && e != old_r))
		s = e != NO_CHANGE ? e : c->euid;
	return set_res(&c->uid, &c->euid, &c->suid, &c->fsuid, r, e, s, true);
}

long sys_setregid(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;
	uint32_t r = (uint32_t)a->a[0], e = (uint32_t)a->a[1];
	uint32_t old_r = c->gid, s = NO_CHANGE;

	if (c->euid != 0 && r != NO_CHANGE && r != c->gid && r != c->egid)
		return -EPERM;
	if (c->euid != 0 && e != NO_CHANGE && e != c->gid && e != c->egid && e != c->sgid)
		return -EPERM;
	if (r != NO_CHANGE || (e != NO_CHANGE && e != old_r))
		s = e != NO_CHANGE ? e : c->egid;
	return set_res(&c->gid, &c->egid, &c->sgid, &c->fsgid, r, e, s, true);
}

long sys_setuid(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;
	uint32_t u = (uint32_t)a->a[0];

	if (u == NO_CHANGE)
		return -EINVAL;
	if (c->euid == 0) {
		c->uid = c->euid = c->suid = c->fsuid = u;
		return 0;
	}
	if (u != c->uid && u != c->suid)
		return -EPERM;
	c->euid = c->fsuid = u;
	return 0;
}

long sys_setgid(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;
	uint32_t g = (uint32_t)a->a[0];

	if (g == NO_CHANGE)
		return -EINVAL;
	if (c->euid == 0) {
		c->gid = c->egid = c->sgid = c->fsgid = g;
		return 0;
	}
	if (g != c->gid && g != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = g;
	return 0;
}

long sys_setfsuid(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;
	uint32_t old = c->fsuid, u = (uint32_t)a->a[0];

	if (c->euid == 0 || u == c->uid || u == c->euid || u == c->suid || u == c->fsuid)
		c->fsuid = u;
	return old;
}

long sys_setfsgid(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;
	uint32_t old = c->fsgid, g = (uint32_t)a->a[0];

	if (c->euid == 0 || g == c->gid || g == c->egid || g == c->sgid || g == c->fsgid)
		c->fsgid = g;
	return old;
}

long sys_getgroups(const struct syscall_args *a)
{
	const struct cred *c = &current_process()->cred;
	int size = (int)a->a[0];

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if ((uint32_t)size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(a->a[1], c->groups, c->ngroups * sizeof(gid_t)))
		return -EFAULT;
	return c->ngroups;
}

long sys_setgroups(const struct syscall_args *a)
{
	struct cred *c = &current_process()->cred;
	uint64_t n = a->a[0];
	gid_t g[CRED_GROUPS];

	if (c->euid != 0)
		return -EPERM;
	if (n > NGROUPS_MAX)
		return -EINVAL;
	if (n > CRED_GROUPS)
		return -ENOMEM;
	if (n && copy_from_user(g, a->a[1], n * sizeof(gid_t)))
		return -EFAULT;
	for (uint64_t i = 0; i < n; i++)
		c->groups[i] = g[i];
	c->ngroups = (uint32_t)n;
	return 0;
}
