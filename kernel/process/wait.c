// SPDX-License-Identifier: MPL-2.0
// wait4 and waitid: collect children that exited, stopped or continued.
#include <aster/errno.h>
#include <aster/string.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "process/internal.h"
#include "process/pid.h"
#include "process/pidfd.h"
#include "process/ptrace.h"
#include "syscall/syscall.h"
#include "uapi/wait.h"

struct wait_query {
	struct process *self;
	int idtype;		/* P_* */
	pid_t id;
	unsigned int options;	/* WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | WNOHANG, __W* */
	/* Result: a child (found, referenced), or a tracee's stop or exit (traced). */
	struct process *found;
	bool traced;
	struct ptrace_waited tw;
	int kind;		/* CLD_EXITED/KILLED/DUMPED, CLD_STOPPED, CLD_CONTINUED */
	int status;		/* wait status word */
	bool any_child;
};

static bool matches(const struct wait_query *q, const struct process *c)
{
	if (q->idtype == P_PID)
		return c->pid == q->id;
	if (q->idtype == P_PGID)
		return c->pgid == q->id;
	return true;
}

/* Look for a child with news; the table lock is held. */
static bool scan_children_locked(struct wait_query *q, bool consume)
{
	struct process *c;

	q->any_child = false;
	q->traced = false;
	/* A tracee's news first: a traced child stops for its tracer, not for its parent. */
	switch (ptrace_wait_scan_locked(q->self, q->idtype, q->id, q->options, consume, &q->tw)) {
	case 2:
		q->any_child = true;
		q->traced = true;
		q->status = q->tw.status;
		q->kind = q->tw.kind;
		return true;
	case 1:
		q->any_child = true;
		break;
	}
	list_for_each_entry(c, &q->self->children, sibling) {
		if (!matches(q, c))
			continue;
		q->any_child = true;
		if (c->state == PROCESS_ZOMBIE && (q->options & WEXITED)) {
			q->found = c;
			q->status = c->exit_status;
			q->kind = (c->exit_status & 0x7f) == 0 ? CLD_EXITED :
				  (c->exit_status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			return true;
		}
		if (c->state != PROCESS_ALIVE)
			continue;
		if ((q->options & WSTOPPED) && c->stopped && c->stop_report) {
			q->found = c;
			q->status = (c->stop_report << 8) | 0x7f;
			q->kind = CLD_STOPPED;
			if (consume && !(q->options & WNOWAIT))
				c->stop_report = 0;
			return true;
		}
		if ((q->options & WCONTINUED) && c->continued_report) {
			q->found = c;
			q->status = 0xffff;
			q->kind = CLD_CONTINUED;
			if (consume && !(q->options & WNOWAIT))
				c->continued_report = false;
			return true;
		}
	}
	return false;
}

/* The sleep condition: a child has news, or there is no child to wait for. */
static bool wait_ready(void *arg)
{
	struct wait_query *q = arg;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool ready = scan_children_locked(q, false) || !q->any_child;

	q->found = NULL;
	q->traced = false;
	spin_unlock_irqrestore(&process_table_lock, f);
	return ready;
}

/* Take the news: q->found referenced, or NULL. */
static void take(struct wait_query *q)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	q->found = NULL;
	if (scan_children_locked(q, true) && !q->traced)
		process_get(q->found);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (q->traced && q->tw.free_me)
		ptrace_link_free(q->tw.free_me);	/* a tracee's exit note, taken */
}

/* 0 with q->found referenced, 0 with nothing (WNOHANG), or -ECHILD/-ERESTARTSYS. */
static int do_wait(struct wait_query *q)
{
	for (;;) {
		int err;

		take(q);
		if (q->found || q->traced)
			return 0;
		if (!q->any_child)
			return -ECHILD;
		if (q->options & WNOHANG)
			return 0;
		err = wait_interruptible(&q->self->child_wait, wait_ready, q, 0);
		if (err)
			return err;
	}
}

/* struct rusage: utime, stime as timevals, then 14 longs (ru_maxrss first). */
int put_rusage(uaddr_t ua, uint64_t utime_ns, uint64_t stime_ns, uint64_t maxrss_kib,
	       const struct rusage_counts *c)
{
	int64_t ru[18];

	memset(ru, 0, sizeof(ru));
	ru[0] = (int64_t)(utime_ns / NSEC_PER_SEC);
	ru[1] = (int64_t)(utime_ns % NSEC_PER_SEC / NSEC_PER_USEC);
	ru[2] = (int64_t)(stime_ns / NSEC_PER_SEC);
	ru[3] = (int64_t)(stime_ns % NSEC_PER_SEC / NSEC_PER_USEC);
	ru[4] = (int64_t)maxrss_kib;
	ru[8] = (int64_t)c->minflt;	/* ru_minflt; ru_majflt stays 0: no fault waits for I/O */
	ru[16] = (int64_t)c->nvcsw;
	ru[17] = (int64_t)c->nivcsw;
	return copy_to_user(ua, ru, sizeof(ru)) ? -EFAULT : 0;
}

/*
 * The usage wait4 and waitid report for child c: its own (its threads',
 * live or exited) plus that of the children it waited for, as Linux does.
 */
static int put_child_rusage(uaddr_t ua, struct process *c)
{
	struct rusage_counts n;
	uint64_t ut, st;

	process_times(c, &ut, &st);
	process_counts(c, &n);
	rusage_counts_add(&n, &c->child_counts);
	return put_rusage(ua, ut + c->cutime_ns, st + c->cstime_ns,
			  MAX(c->maxrss_kib, c->child_maxrss_kib), &n);
}

/* Collect a zombie: its times go to the parent, and it leaves the table. */
static void collect(struct wait_query *q)
{
	struct process *c = q->found;

	if (c->state != PROCESS_ZOMBIE || (q->options & WNOWAIT))
		return;
	q->self->cutime_ns += c->utime_ns + c->cutime_ns;
	q->self->cstime_ns += c->stime_ns + c->cstime_ns;
	rusage_counts_add(&q->self->child_counts, &c->dead_counts);
	rusage_counts_add(&q->self->child_counts, &c->child_counts);
	q->self->child_maxrss_kib = MAX(q->self->child_maxrss_kib,
					MAX(c->maxrss_kib, c->child_maxrss_kib));
	process_reap(c);
}

/* wait4's answer for a tracee: its tid and status (no usage of its own: 0s). */
static long put_traced(const struct wait_query *q, uaddr_t wstatus, uaddr_t rusage)
{
	struct rusage_counts none = { 0 };

	if (wstatus && put_user_u32(wstatus, (uint32_t)q->status))
		return -EFAULT;
	if (rusage && put_rusage(rusage, 0, 0, 0, &none))
		return -EFAULT;
	return pid_vnr(q->tw.pid);
}

long sys_wait4(pid_t pid, uaddr_t wstatus, unsigned int options, uaddr_t rusage)
{
	unsigned int opts = options;
	struct wait_query q = { .self = current_process() };
	pid_t found_pid;
	int err;

	if (opts & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	q.options = (opts & (WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE)) | WEXITED;
	if (pid < -1) {
		q.idtype = P_PGID;
		q.id = pid_from_vnr((pid_t)-pid);	/* the caller's numbers, the kernel's from here on */
	} else if (pid == 0) {
		q.idtype = P_PGID;
		q.id = q.self->pgid;
	} else if (pid > 0) {
		q.idtype = P_PID;
		q.id = pid_from_vnr((pid_t)pid);
	}
	err = do_wait(&q);
	if (err)
		return err;
	if (q.traced)
		return put_traced(&q, wstatus, rusage);
	if (!q.found)
		return 0;
	found_pid = pid_vnr(q.found->pid);	/* before collect: reaping drops its numbers */
	if (wstatus && put_user_u32(wstatus, (uint32_t)q.status)) {
		process_put(q.found);
		return -EFAULT;
	}
	if (rusage && put_child_rusage(rusage, q.found)) {
		process_put(q.found);
		return -EFAULT;
	}
	collect(&q);
	process_put(q.found);
	return found_pid;
}

long sys_waitid(int idtype, pid_t id, uaddr_t infop, unsigned int options, uaddr_t rusage)
{
	unsigned int opts = options;
	struct wait_query q = { .self = current_process(), .idtype = idtype, .id = id };
	struct k_siginfo si;
	bool nonblock = false;
	int err;

	if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID && idtype != P_PIDFD)
		return -EINVAL;
	if (opts & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(opts & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype == P_PGID && q.id == 0)
		q.id = q.self->pgid;
	else if (idtype == P_PID || idtype == P_PGID)
		q.id = pid_from_vnr(q.id);
	if (idtype != P_ALL && q.id <= 0 && idtype == P_PID)
		return -EINVAL;
	if (idtype == P_PIDFD) {
		/* Its process, by pid: a reaped one (0) matches no child (ECHILD). */
		err = pidfd_wait_pid(id, &q.id, &nonblock);
		if (err)
			return err;
		q.idtype = P_PID;
		nonblock = nonblock && !(opts & WNOHANG);
		if (nonblock)
			opts |= WNOHANG;
	}
	q.options = opts;
	err = do_wait(&q);
	if (err)
		return err;
	/* A PIDFD_NONBLOCK pidfd waits as WNOHANG but says EAGAIN when nothing is there. */
	if (nonblock && !q.found)
		return -EAGAIN;
	memset(&si, 0, sizeof(si));
	if (q.traced) {
		si.signo = SIGCHLD;
		si.code = q.kind;
		si.u.chld.pid = pid_vnr(q.tw.pid);
		si.u.chld.uid = q.tw.uid;
		si.u.chld.status = q.kind == CLD_EXITED || q.kind == CLD_TRAPPED ? (q.status >> 8) & 0xff :
				   q.status & 0x7f;
		return infop && copy_to_user(infop, &si, sizeof(si)) ? -EFAULT : 0;
	}
	if (q.found) {
		si.signo = SIGCHLD;
		si.code = q.kind;
		si.u.chld.pid = pid_vnr(q.found->pid);
		si.u.chld.uid = q.found->cred.uid;
		si.u.chld.status = q.kind == CLD_EXITED ? (q.status >> 8) & 0xff :
				   q.kind == CLD_STOPPED ? (q.status >> 8) & 0xff :
				   q.kind == CLD_CONTINUED ? SIGCONT : q.status & 0x7f;
	}
	if (infop && copy_to_user(infop, &si, sizeof(si))) {
		if (q.found)
			process_put(q.found);
		return -EFAULT;
	}
	if (q.found) {
		if (rusage)
			(void)put_child_rusage(rusage, q.found);
		collect(&q);
		process_put(q.found);
	}
	return 0;
}
