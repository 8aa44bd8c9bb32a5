// SPDX-License-Identifier: MPL-2.0
// Process identity: pids, process groups, sessions, credentials.
#include <aster/errno.h>
#include <aster/uaccess.h>
#include "process/capability.h"
#include "process/internal.h"
#include "process/pid.h"
#include "syscall/syscall.h"
#include "tty/tty.h"

/* Every id a process sees is its number in the caller's pid namespace (process/pid.h). */
long sys_getpid(void)
{
	return pid_vnr(current_process()->pid);
}

long sys_gettid(void)
{
	return pid_vnr(current_thread()->tid);
}

/* 0 when the parent is outside the caller's pid namespace (a namespace's init), as Linux. */
long sys_getppid(void)
{
	struct process *p = current_process();
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	pid_t ppid = p->parent ? p->parent->pid : 0;

	spin_unlock_irqrestore(&process_table_lock, f);
	return pid_vnr(ppid);
}

long sys_getpgrp(void)
{
	return pid_vnr(current_process()->pgid);
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
	ret = pid_vnr(sid ? p->sid : p->pgid);
	process_put(p);
	return ret;
}

long sys_getpgid(pid_t pid)
{
	return pid_attr(pid, false);
}

long sys_getsid(pid_t pid)
{
	return pid_attr(pid, true);
}

long sys_setpgid(pid_t pid, pid_t pgid)
{
	struct process *self = current_process(), *p;
	long err = 0;
	irqflags_t f;

	if (pgid < 0)
		return -EINVAL;
	pgid = pid_from_vnr(pgid);
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
		process_set_groups(p, pgid, p->sid);
	process_put(p);
	return err;
}

long sys_setsid(void)
{
	struct process *p = current_process();

	/* Not if the caller leads a process group (or another group has its id). */
	if (p->pgid == p->pid || pgrp_in_session(p->pid, p->sid))
		return -EPERM;
	process_set_groups(p, p->pid, p->pid);
	p->ctty = NULL;
	return pid_vnr(p->sid);
}

/* ---- credentials ---- */

static long getid(uint32_t v)
{
	return v;
}

long sys_getuid(void) { return getid(current_process()->cred.uid); }
long sys_geteuid(void) { return getid(current_process()->cred.euid); }
long sys_getgid(void) { return getid(current_process()->cred.gid); }
long sys_getegid(void) { return getid(current_process()->cred.egid); }

static long put_three(uaddr_t r, uaddr_t e, uaddr_t s, uint32_t rv, uint32_t ev, uint32_t sv)
{
	if (put_user_u32(r, rv) || put_user_u32(e, ev) || put_user_u32(s, sv))
		return -EFAULT;
	return 0;
}

long sys_getresuid(uaddr_t ruid, uaddr_t euid, uaddr_t suid)
{
	const struct cred *c = &current_process()->cred;

	return put_three(ruid, euid, suid, c->uid, c->euid, c->suid);
}

long sys_getresgid(uaddr_t rgid, uaddr_t egid, uaddr_t sgid)
{
	const struct cred *c = &current_process()->cred;

	return put_three(rgid, egid, sgid, c->gid, c->egid, c->sgid);
}

#define NO_CHANGE	0xffffffffU

/*
 * Linux's commit_creds: a process whose effective or file-system ids
 * change, or that gains permitted capabilities, stops being dumpable
 * (unless fs.suid_dumpable is 1): its memory may hold what the old
 * identity could read, so neither core dumps nor ptrace by the new user
 * may reach it.
 */
static void creds_committed(const struct cred *old)
{
	struct process *p = current_process();
	const struct cred *c = &p->cred;

	if (c->euid == old->euid && c->egid == old->egid && c->fsuid == old->fsuid && c->fsgid == old->fsgid &&
	    !(c->cap_permitted & ~old->cap_permitted))
		return;
	if (!coredump_setid_keeps_dumpable())
		p->not_dumpable = true;
}

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

long sys_setresuid(unsigned int ruid, unsigned int euid, unsigned int suid)
{
	struct cred *c = &current_process()->cred, old = *c;
	long err = set_res(&c->uid, &c->euid, &c->suid, &c->fsuid, ruid, euid, suid,
			   capable(CAP_SETUID));

	if (!err) {
		cap_fix_setuid(c, &old);
		creds_committed(&old);
	}
	return err;
}

long sys_setresgid(unsigned int rgid, unsigned int egid, unsigned int sgid)
{
	struct cred *c = &current_process()->cred, old = *c;
	long err = set_res(&c->gid, &c->egid, &c->sgid, &c->fsgid, rgid, egid, sgid,
			   capable(CAP_SETGID));

	if (!err)
		creds_committed(&old);
	return err;
}

long sys_setreuid(unsigned int ruid, unsigned int euid)
{
	struct cred *c = &current_process()->cred, old = *c;
	uint32_t r = ruid, e = euid;
	uint32_t old_r = c->uid, s = NO_CHANGE;
	bool priv = capable(CAP_SETUID);
	long err;

	if (!priv && r != NO_CHANGE && r != c->uid && r != c->euid)
		return -EPERM;
	if (!priv && e != NO_CHANGE && e != c->uid && e != c->euid && e != c->suid)
		return -EPERM;
	/* The saved id follows the new effective one when the real id is set or differs. */
	if (r != NO_CHANGE || (e != NO_CHANGE && e != old_r))
		s = e != NO_CHANGE ? e : c->euid;
	err = set_res(&c->uid, &c->euid, &c->suid, &c->fsuid, r, e, s, true);
	if (!err) {
		cap_fix_setuid(c, &old);
		creds_committed(&old);
	}
	return err;
}

long sys_setregid(unsigned int rgid, unsigned int egid)
{
	struct cred *c = &current_process()->cred, old = *c;
	uint32_t r = rgid, e = egid;
	uint32_t old_r = c->gid, s = NO_CHANGE;
	bool priv = capable(CAP_SETGID);
	long err;

	if (!priv && r != NO_CHANGE && r != c->gid && r != c->egid)
		return -EPERM;
	if (!priv && e != NO_CHANGE && e != c->gid && e != c->egid && e != c->sgid)
		return -EPERM;
	if (r != NO_CHANGE || (e != NO_CHANGE && e != old_r))
		s = e != NO_CHANGE ? e : c->egid;
	err = set_res(&c->gid, &c->egid, &c->sgid, &c->fsgid, r, e, s, true);
	if (!err)
		creds_committed(&old);
	return err;
}

long sys_setuid(unsigned int uid)
{
	struct cred *c = &current_process()->cred, old = *c;
	uint32_t u = uid;

	if (u == NO_CHANGE)
		return -EINVAL;
	if (capable(CAP_SETUID))
		c->uid = c->euid = c->suid = c->fsuid = u;
	else if (u == c->uid || u == c->suid)
		c->euid = c->fsuid = u;
	else
		return -EPERM;
	cap_fix_setuid(c, &old);
	creds_committed(&old);
	return 0;
}

long sys_setgid(unsigned int gid)
{
	struct cred *c = &current_process()->cred, old = *c;
	uint32_t g = gid;

	if (g == NO_CHANGE)
		return -EINVAL;
	if (capable(CAP_SETGID))
		c->gid = c->egid = c->sgid = c->fsgid = g;
	else if (g == c->gid || g == c->sgid)
		c->egid = c->fsgid = g;
	else
		return -EPERM;
	creds_committed(&old);
	return 0;
}

long sys_setfsuid(unsigned int fsuid)
{
	struct cred *c = &current_process()->cred, prev = *c;
	uint32_t u = fsuid;

	if (capable(CAP_SETUID) || u == c->uid || u == c->euid || u == c->suid || u == c->fsuid) {
		c->fsuid = u;
		cap_fix_setfsuid(c, &prev);
		creds_committed(&prev);
	}
	return prev.fsuid;
}

long sys_setfsgid(unsigned int fsgid)
{
	struct cred *c = &current_process()->cred, prev = *c;
	uint32_t g = fsgid;

	if (capable(CAP_SETGID) || g == c->gid || g == c->egid || g == c->sgid || g == c->fsgid) {
		c->fsgid = g;
		creds_committed(&prev);
	}
	return prev.fsgid;
}

long sys_getgroups(int size, uaddr_t list)
{
	const struct cred *c = &current_process()->cred;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if ((uint32_t)size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, c->ngroups * sizeof(gid_t)))
		return -EFAULT;
	return c->ngroups;
}

long sys_setgroups(int size, uaddr_t list)
{
	struct cred *c = &current_process()->cred;
	uint64_t n = size;
	gid_t g[CRED_GROUPS];

	if (!capable(CAP_SETGID))
		return -EPERM;
	if (n > NGROUPS_MAX)
		return -EINVAL;
	if (n > CRED_GROUPS)
		return -ENOMEM;
	if (n && copy_from_user(g, list, n * sizeof(gid_t)))
		return -EFAULT;
	for (uint64_t i = 0; i < n; i++)
		c->groups[i] = g[i];
	c->ngroups = (uint32_t)n;
	return 0;
}
