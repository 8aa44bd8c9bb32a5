// SPDX-License-Identifier: MPL-2.0
// ptrace(2): attaching (TRACEME, ATTACH, SEIZE), the tracee's stops
// (signal-delivery, group, syscall, event and PTRACE_EVENT_STOP traps),
// resuming and detaching, what the tracer's wait sees, and the end of
// either side.  Register requests are in ptrace_regs.c.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "mm/vmar.h"
#include "process/capability.h"
#include "process/internal.h"
#include "process/ptrace.h"
#include "security/landlock/landlock.h"
#include "syscall/syscall.h"
#include "uapi/ptrace.h"
#include "uapi/sched.h"
#include "uapi/wait.h"

struct ptrace_link {
	struct list_node node;		/* on tracer->ptraced */
	struct process *tracer;
	struct thread *tracee;		/* NULL once it ended: the link is its exit note */
	pid_t tid, pgid;
	uid_t uid;
	bool leader;			/* the first thread of its process (__WCLONE matching) */
	bool seized;
	bool stopped;			/* the tracee sleeps in ptrace_stop */
	bool group_stop;		/* the stop is a group stop (PTRACE_LISTEN allowed) */
	unsigned int options;		/* PTRACE_O_* */
	int report;			/* wait status word for the tracer's wait, 0 once taken */
	int exit_status;		/* of an exit note */
	int resume, resume_sig;		/* the tracer's resume request and its signal */
	int busy;			/* tracer requests on the stopped tracee under way */
	int sc_op;			/* PTRACE_SYSCALL_INFO_* of this stop */
	uint64_t message;		/* PTRACE_GETEVENTMSG */
	struct k_siginfo info;		/* PTRACE_GETSIGINFO */
};

/* Tracees sleep here while stopped, and until the tracer's requests end. */
static struct wait_queue ptrace_wq = WAIT_QUEUE_INIT;

enum stop_kind { STOP_SIGNAL, STOP_SYSCALL_ENTRY, STOP_SYSCALL_EXIT, STOP_EVENT, STOP_GROUP, STOP_TRAP };

void ptrace_link_free(struct ptrace_link *l)
{
	kfree(l);
}

static int w_status(int code)
{
	return (code << 8) | 0x7f;
}

/* The wait status word of a stop; the table lock is held. */
static int stop_status(const struct ptrace_link *l, const struct thread *t, enum stop_kind k, int arg)
{
	int sysgood = (l->options & PTRACE_O_TRACESYSGOOD) ? 0x80 : 0;

	switch (k) {
	case STOP_SIGNAL:
		return w_status(arg);
	case STOP_SYSCALL_ENTRY:
	case STOP_SYSCALL_EXIT:
		return w_status(SIGTRAP | sysgood);
	case STOP_EVENT:
		return w_status(SIGTRAP | (arg << 8));
	case STOP_GROUP:
		return l->seized ? w_status(arg | (PTRACE_EVENT_STOP << 8)) : w_status(arg);
	case STOP_TRAP:
		if (!l->seized)
			return w_status(SIGSTOP);
		return w_status((t->proc->stopped ? SIGSTOP : SIGTRAP) | (PTRACE_EVENT_STOP << 8));
	}
	return w_status(SIGTRAP);
}

static bool stop_over(void *arg)
{
	struct thread *t = arg;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool over = !t->ptrace || !t->ptrace->stopped;

	spin_unlock_irqrestore(&process_table_lock, f);
	return over;
}

static bool not_busy(void *arg)
{
	struct thread *t = arg;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool done = !t->ptrace || t->ptrace->busy == 0;

	spin_unlock_irqrestore(&process_table_lock, f);
	return done;
}

/* SIGCHLD (CLD_TRAPPED) to the tracer, unless it asked for none, and wake its wait. */
static void notify_tracer(struct process *tracer, pid_t tid, uid_t uid, int code, int status)
{
	struct k_siginfo si;

	memset(&si, 0, sizeof(si));
	si.signo = SIGCHLD;
	si.code = code;
	si.u.chld.pid = tid;
	si.u.chld.uid = uid;
	si.u.chld.status = code == CLD_EXITED ? (status >> 8) & 0xff :
			   code == CLD_TRAPPED ? (status >> 8) & 0xff : status & 0x7f;
	if (!(code == CLD_TRAPPED && (tracer->sigactions[SIGCHLD - 1].flags & SA_NOCLDSTOP)))
		(void)signal_send_info(tracer, NULL, SIGCHLD, &si);
	wake_up_all(&tracer->child_wait);
}

/* The trap flag is the tracer's while single-stepping, the program's otherwise. */
static void apply_step(struct thread *t, bool step)
{
	if (step && !(t->ctx.regs.rflags & X86_EFLAGS_TF)) {
		t->ctx.regs.rflags |= X86_EFLAGS_TF;
		t->ptrace_tf_set = true;
	} else if (!step && t->ptrace_tf_set) {
		t->ctx.regs.rflags &= ~X86_EFLAGS_TF;
		t->ptrace_tf_set = false;
	}
}

/*
 * Stop the calling thread t for its tracer: the tracer's resume request
 * (PTRACE_CONT, SYSCALL, SINGLESTEP, LISTEN, DETACH) and in *sig its
 * signal, or 0 when there was no stop or it ended without a resume (no
 * tracer any more, a fatal signal).  *info gets the siginfo the tracer
 * left (PTRACE_SETSIGINFO) when info is not NULL.
 */
static int ptrace_stop(struct thread *t, enum stop_kind k, int arg, struct k_siginfo *info, int *sig)
{
	struct ptrace_link *l;
	struct process *tracer;
	int status, mode = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	*sig = 0;
	l = t->ptrace;
	if (!l || signal_fatal_pending(t)) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return 0;
	}
	status = stop_status(l, t, k, arg);
	l->tid = t->tid;		/* exec may have made it the leader */
	l->stopped = true;
	l->group_stop = (k == STOP_GROUP && l->seized) || k == STOP_TRAP;	/* a PTRACE_EVENT_STOP */
	l->report = status;
	l->resume = 0;
	l->resume_sig = 0;
	l->sc_op = k == STOP_SYSCALL_ENTRY ? PTRACE_SYSCALL_INFO_ENTRY :
		   k == STOP_SYSCALL_EXIT ? PTRACE_SYSCALL_INFO_EXIT :
		   k == STOP_EVENT && arg == PTRACE_EVENT_SECCOMP ? PTRACE_SYSCALL_INFO_SECCOMP :
		   PTRACE_SYSCALL_INFO_NONE;
	if (info) {
		l->info = *info;
	} else {
		memset(&l->info, 0, sizeof(l->info));
		l->info.signo = SIGTRAP;
		l->info.code = (status >> 8) & 0xffff;
	}
	tracer = l->tracer;
	process_get(tracer);
	spin_unlock_irqrestore(&process_table_lock, f);
	notify_tracer(tracer, t->tid, t->proc->cred.uid, CLD_TRAPPED, status);
	process_put(tracer);

	(void)wait_killable(&ptrace_wq, stop_over, t);

	f = spin_lock_irqsave(&process_table_lock);
	l = t->ptrace;
	if (l && !l->stopped && l->resume) {
		mode = l->resume;
		*sig = l->resume_sig;
		if (info)
			*info = l->info;
	} else if (!l && k != STOP_GROUP) {
		/* Detached (or the tracer ended): PTRACE_DETACH's signal goes on as the one delivered. */
		mode = PTRACE_DETACH;
		*sig = t->ptrace_detach_sig;
	}
	t->ptrace_detach_sig = 0;
	if (l) {
		l->stopped = false;
		l->report = 0;
		l->sc_op = PTRACE_SYSCALL_INFO_NONE;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	/* The tracer may still be reading or writing our registers: let it finish. */
	wait_event(&ptrace_wq, not_busy, t);
	apply_step(t, (t->ptrace_flags & PTF_STEP) && mode == PTRACE_SINGLESTEP);
	return mode;
}

bool ptrace_stepping(struct thread *t)
{
	return t->ptrace_tf_set;
}

/* The signal a tracer hands over at a syscall stop: sent to the tracee (Linux's ptrace_report_syscall). */
static void send_resume_signal(struct thread *t, int sig)
{
	if (sig > 0 && sig <= NSIG)
		(void)signal_send_thread(t, sig);
}

bool ptrace_syscall_entry(struct thread *t)
{
	int sig;

	(void)ptrace_stop(t, STOP_SYSCALL_ENTRY, 0, NULL, &sig);
	send_resume_signal(t, sig);
	return signal_fatal_pending(t);
}

void ptrace_syscall_exit(struct thread *t)
{
	int sig;

	(void)ptrace_stop(t, STOP_SYSCALL_EXIT, 0, NULL, &sig);
	send_resume_signal(t, sig);
}

int ptrace_signal(struct thread *t, int sig, struct k_siginfo *info)
{
	struct k_siginfo got = *info;
	int nsig, mode;

	mode = ptrace_stop(t, STOP_SIGNAL, sig, &got, &nsig);
	if (signal_fatal_pending(t))
		return 0;
	if (!mode)
		return sig;
	if (!nsig || nsig > NSIG)
		return 0;
	*info = got;
	if (info->signo != nsig) {
		/* The tracer changed the signal: it comes from the tracer, as Linux says. */
		memset(info, 0, sizeof(*info));
		info->signo = nsig;
		info->code = SI_USER;
	}
	if (t->blocked & sigbit(nsig)) {
		(void)signal_send_info(t->proc, t, nsig, info);
		return 0;
	}
	return nsig;
}

int ptrace_trap_stop(struct thread *t)
{
	int sig, mode;

	t->ptrace_trap = false;
	/* The signal of a resume from a PTRACE_EVENT_STOP is dropped, as Linux does. */
	mode = ptrace_stop(t, STOP_TRAP, 0, NULL, &sig);
	return mode;
}

int ptrace_group_stop(struct thread *t, int sig)
{
	int rsig, mode;

	t->ptrace_trap = false;
	mode = ptrace_stop(t, STOP_GROUP, sig, NULL, &rsig);
	return mode;
}

bool ptrace_traced_by_parent(struct thread *t)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool yes = t->ptrace && t->ptrace->tracer == t->proc->parent;

	spin_unlock_irqrestore(&process_table_lock, f);
	return yes;
}

bool ptrace_tracer_capable(struct thread *t, int cap)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool yes = !t->ptrace || cred_capable(&t->ptrace->tracer->cred, cap);

	spin_unlock_irqrestore(&process_table_lock, f);
	return yes;
}

bool ptrace_event_wanted(struct thread *t, int event)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool want = t->ptrace && (t->ptrace->options & (1U << event));

	spin_unlock_irqrestore(&process_table_lock, f);
	return want;
}

void ptrace_event(struct thread *t, int event, uint64_t msg)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool want = t->ptrace && (t->ptrace->options & (1U << event));
	int sig;

	if (want)
		t->ptrace->message = msg;
	spin_unlock_irqrestore(&process_table_lock, f);
	/* Only signal-delivery and syscall stops take the resume's signal (Linux's ptrace_notify). */
	if (want)
		(void)ptrace_stop(t, STOP_EVENT, event, NULL, &sig);
}

void ptrace_exec(struct thread *t, pid_t old_tid)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct ptrace_link *l = t->ptrace;
	bool event = l && (l->options & PTRACE_O_TRACEEXEC);
	bool legacy = l && !event && !l->seized;

	if (l) {
		l->tid = t->tid;	/* exec made it the leader */
		l->leader = true;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	if (event)
		ptrace_event(t, PTRACE_EVENT_EXEC, (uint64_t)old_tid);
	else if (legacy)
		(void)signal_send_thread(t, SIGTRAP);
}

/* Which event a clone is, and whether the tracer asked for it. */
static int clone_event(uint64_t flags)
{
	if (flags & CLONE_VFORK)
		return PTRACE_EVENT_VFORK;
	if ((flags & CSIGNAL) == SIGCHLD)
		return PTRACE_EVENT_FORK;
	return PTRACE_EVENT_CLONE;
}

static struct ptrace_link *link_alloc(void)
{
	return kzalloc(sizeof(struct ptrace_link));
}

/* Tie t to tracer; the table lock is held and t is not traced. */
static void link_locked(struct ptrace_link *l, struct process *tracer, struct thread *t, bool seized,
			unsigned int options)
{
	l->tracer = tracer;
	l->tracee = t;
	l->tid = t->tid;
	l->pgid = t->proc->pgid;
	l->uid = t->proc->cred.uid;
	l->leader = t->proc->pid == t->tid || t->proc->nr_threads == 0;
	l->seized = seized;
	l->options = options;
	list_add_tail(&tracer->ptraced, &l->node);
	t->ptrace = l;
	t->ptrace_flags = 0;
	t->ptrace_detach_sig = 0;
}

int ptrace_clone_attach(struct thread *self, struct thread *child, uint64_t flags)
{
	int event = clone_event(flags);
	struct ptrace_link *l = NULL;
	irqflags_t f;

	if (!self->ptrace)
		return 0;
	l = link_alloc();
	if (!l)
		return -ENOMEM;
	f = spin_lock_irqsave(&process_table_lock);
	if (!self->ptrace || !(self->ptrace->options & (1U << event)) || self->ptrace->tracer->ptrace_closed) {
		spin_unlock_irqrestore(&process_table_lock, f);
		kfree(l);
		return 0;
	}
	link_locked(l, self->ptrace->tracer, child, self->ptrace->seized, self->ptrace->options);
	/* The tid is not known yet: thread_start gives it to the link. */
	if (l->seized) {
		child->ptrace_trap = true;
	} else {
		child->pending |= sigbit(SIGSTOP);
		memset(&child->info[SIGSTOP - 1], 0, sizeof(child->info[0]));
		child->info[SIGSTOP - 1].signo = SIGSTOP;
		child->info[SIGSTOP - 1].code = SI_USER;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return event;
}

void ptrace_clone_abort(struct thread *child)
{
	struct ptrace_link *l;
	struct process *tracer = NULL;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	l = child->ptrace;
	if (l) {
		list_del(&l->node);
		tracer = l->tracer;
		process_get(tracer);
	}
	child->ptrace = NULL;
	spin_unlock_irqrestore(&process_table_lock, f);
	kfree(l);
	if (tracer) {
		/* Its wait counted the child that never started: let it look again. */
		wake_up_all(&tracer->child_wait);
		process_put(tracer);
	}
}

void ptrace_link_set_tid_locked(struct thread *t)
{
	t->ptrace->tid = t->tid;
	t->ptrace->leader = t->tid == t->proc->pid;
}

void ptrace_clone_started(struct thread *self, int event, pid_t tid)
{
	if (event > 0)
		ptrace_event(self, event, (uint64_t)tid);
}

void ptrace_thread_exit(struct thread *t, int status)
{
	struct process *tracer = NULL;
	struct ptrace_link *l, *drop = NULL;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	l = t->ptrace;
	if (!l) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return;
	}
	t->ptrace = NULL;
	l->tid = t->tid;
	l->tracee = NULL;
	l->stopped = false;
	l->busy = 0;
	l->exit_status = status;
	if (l->tracer == t->proc->parent && t->tid == t->proc->pid) {
		/* Its parent is its tracer: the zombie is the one report. */
		list_del(&l->node);
		drop = l;
	}
	tracer = l->tracer;
	process_get(tracer);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (!drop)
		notify_tracer(tracer, t->tid, t->proc->cred.uid,
			      (status & 0x7f) ? ((status & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED, status);
	else
		wake_up_all(&tracer->child_wait);
	process_put(tracer);
	kfree(drop);
	wake_up_all(&ptrace_wq);
}

void ptrace_tracer_exit(struct process *p)
{
	struct list_node gone = LIST_INIT(gone);
	struct process *kill[16];
	int nkill = 0;
	struct ptrace_link *l, *n;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	p->ptrace_closed = true;
	list_for_each_entry_safe(l, n, &p->ptraced, node) {
		struct thread *t = l->tracee;

		list_del(&l->node);
		list_add_tail(&gone, &l->node);
		if (!t)
			continue;
		t->ptrace = NULL;
		t->ptrace_flags = 0;
		t->ptrace_trap = false;
		/* As on Linux: a signal-delivery-stop's signal is dropped, not delivered. */
		t->ptrace_detach_sig = 0;
		if ((l->options & PTRACE_O_EXITKILL) && nkill < (int)ARRAY_SIZE(kill)) {
			process_get(t->proc);
			kill[nkill++] = t->proc;
		} else if (l->options & PTRACE_O_EXITKILL) {
			t->pending |= sigbit(SIGKILL);	/* too many to send one by one */
			thread_kick(t);
		}
		thread_kick(t);
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	for (int i = 0; i < nkill; i++) {
		(void)signal_send(kill[i], SIGKILL);
		process_put(kill[i]);
	}
	list_for_each_entry_safe(l, n, &gone, node) {
		list_del(&l->node);
		kfree(l);
	}
	wake_up_all(&ptrace_wq);
	signal_wake_stopped();
}

/* ---- wait ---- */

static bool link_matches(const struct ptrace_link *l, int idtype, pid_t id, unsigned int options)
{
	bool clone = !l->leader;

	if (!(options & __WALL) && clone != !!(options & __WCLONE))
		return false;
	if (idtype == P_PID)
		return l->tid == id;
	if (idtype == P_PGID)
		return l->pgid == id;
	return true;
}

int ptrace_wait_scan_locked(struct process *self, int idtype, pid_t id, unsigned int options,
			    bool consume, struct ptrace_waited *out)
{
	struct ptrace_link *l;
	int any = 0;

	list_for_each_entry(l, &self->ptraced, node) {
		if (!link_matches(l, idtype, id, options) && !(l->tid == 0 && idtype != P_PID))
			continue;
		any = 1;
		if (l->tid == 0)
			continue;	/* a clone child that has not started yet */
		if (!l->tracee && (options & WEXITED)) {
			out->pid = l->tid;
			out->uid = l->uid;
			out->status = l->exit_status;
			out->kind = (l->exit_status & 0x7f) ? ((l->exit_status & 0x80) ? CLD_DUMPED : CLD_KILLED)
							    : CLD_EXITED;
			out->free_me = NULL;
			if (consume && !(options & WNOWAIT)) {
				list_del(&l->node);
				out->free_me = l;
			}
			return 2;
		}
		if (l->tracee && l->stopped && l->report) {
			out->pid = l->tid;
			out->uid = l->uid;
			out->status = l->report;
			out->kind = CLD_TRAPPED;
			out->free_me = NULL;
			if (consume && !(options & WNOWAIT))
				l->report = 0;
			return 2;
		}
	}
	return any;
}

/* ---- /proc ---- */

pid_t ptrace_tracer_of(struct process *p, pid_t tid)
{
	struct thread *t;
	pid_t pid = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(t, &p->threads, proc_node) {
		if (tid && t->tid != tid)
			continue;
		if (t->ptrace)
			pid = t->ptrace->tracer->pid;
		break;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return pid;
}

bool ptrace_thread_stopped(const struct thread *t)
{
	return t->ptrace && t->ptrace->stopped;
}

/* ---- the syscall ---- */

/*
 * Linux's PTRACE_MODE_ATTACH_REALCREDS: same real ids as the target's, the
 * target dumpable and its permitted capabilities within ours
 * (cap_ptrace_access_check), or CAP_SYS_PTRACE.
 */
static int may_attach(struct process *me, struct process *p)
{
	const struct cred *c = &me->cred, *tc = &p->cred;

	if (cred_capable(c, CAP_SYS_PTRACE))
		return 0;
	if (c->uid != tc->uid || c->uid != tc->euid || c->uid != tc->suid ||
	    c->gid != tc->gid || c->gid != tc->egid || c->gid != tc->sgid)
		return -EPERM;
	if (tc->cap_permitted & ~c->cap_permitted)
		return -EPERM;
	return p->not_dumpable ? -EPERM : 0;
}

/* Landlock: the first thread of p within the caller's domain (else EPERM). */
static int landlock_may_trace(struct process *p)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct thread *t = NULL;
	bool ok;

	if (!list_empty(&p->threads))
		t = container_of(p->threads.next, struct thread, proc_node);
	ok = landlock_scoped_locked(current_thread(), t);
	spin_unlock_irqrestore(&process_table_lock, f);
	return ok ? 0 : -EPERM;
}

int ptrace_may_access(struct process *p)
{
	struct process *me = current_process();
	int err;

	if (!me || me == p)
		return 0;
	err = may_attach(me, p);
	return err ? err : landlock_may_trace(p);
}

static long ptrace_traceme(void)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	struct ptrace_link *l = link_alloc();
	irqflags_t f;
	long err = 0;

	if (!l)
		return -ENOMEM;
	f = spin_lock_irqsave(&process_table_lock);
	if (t->ptrace || !p->parent || p->parent->ptrace_closed || p->parent->state != PROCESS_ALIVE)
		err = -EPERM;
	/* Landlock: the parent must be in this thread's domain or above it. */
	else if (!list_empty(&p->parent->threads) &&
		 !landlock_scoped_locked(container_of(p->parent->threads.next, struct thread,
						      proc_node), t))
		err = -EPERM;
	else
		link_locked(l, p->parent, t, false, 0);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (err)
		kfree(l);
	return err;
}

static bool thread_alive_locked(struct thread *t)
{
	struct thread *o;

	list_for_each_entry(o, &t->proc->threads, proc_node)
		if (o == t)
			return true;
	return false;
}

static long ptrace_attach(long req, pid_t pid, uint64_t addr, uint64_t data)
{
	struct process *me = current_process();
	bool seize = req == PTRACE_SEIZE;
	struct ptrace_link *l;
	struct thread *t;
	irqflags_t f;
	long err;

	if (seize && (addr || (data & ~(uint64_t)PTRACE_O_SUPPORTED)))
		return -EIO;
	t = thread_find(pid);
	if (!t)
		return -ESRCH;
	err = t->proc == me || t->proc == init_process ? -EPERM : may_attach(me, t->proc);
	l = err ? NULL : link_alloc();
	if (!err && !l)
		err = -ENOMEM;
	f = spin_lock_irqsave(&process_table_lock);
	/* thread_find's thread may have ended since: look again, locked. */
	if (!err && !thread_alive_locked(t))
		err = -ESRCH;
	if (!err && (t->ptrace || me->ptrace_closed))
		err = -EPERM;
	if (!err && !landlock_scoped_locked(current_thread(), t))
		err = -EPERM;
	if (!err && (t->proc->exiting || t->proc->state != PROCESS_ALIVE))
		err = -EPERM;
	if (!err) {
		link_locked(l, me, t, seize, seize ? (unsigned int)data : 0);
		if (!seize) {
			t->pending |= sigbit(SIGSTOP);
			memset(&t->info[SIGSTOP - 1], 0, sizeof(t->info[0]));
			t->info[SIGSTOP - 1].signo = SIGSTOP;
			t->info[SIGSTOP - 1].code = SI_USER;
			t->info[SIGSTOP - 1].u.kill.pid = me->pid;
			t->info[SIGSTOP - 1].u.kill.uid = me->cred.uid;
		}
		/* A job-control-stopped tracee reports its stop to the new tracer. */
		if (t->proc->stopped)
			t->ptrace_trap = true;
		thread_kick(t);
		l = NULL;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	process_put(t->proc);
	kfree(l);
	signal_wake_stopped();
	return err;
}

/* The link of tracee tid of the caller; the table lock is held. */
static struct ptrace_link *my_tracee_locked(pid_t tid)
{
	struct process *me = current_process();
	struct ptrace_link *l;

	list_for_each_entry(l, &me->ptraced, node)
		if (l->tracee && l->tid == tid)
			return l;
	return NULL;
}

static bool valid_sig(uint64_t sig)
{
	return sig <= NSIG;
}

/* PTRACE_CONT, SYSCALL, SINGLESTEP, LISTEN: let the stopped tracee go. */
static long ptrace_resume(struct ptrace_link *l, long req, uint64_t data)
{
	struct thread *t = l->tracee;

	if (!valid_sig(data))
		return -EIO;
	if (req == PTRACE_LISTEN && (!l->seized || !l->group_stop))
		return -EIO;
	t->ptrace_flags = req == PTRACE_SYSCALL ? PTF_SYSCALL : req == PTRACE_SINGLESTEP ? PTF_STEP : 0;
	l->resume = (int)req;
	l->resume_sig = req == PTRACE_LISTEN ? 0 : (int)data;
	l->stopped = false;
	return 0;
}

static long ptrace_detach_locked(struct ptrace_link *l, uint64_t data)
{
	struct thread *t = l->tracee;

	if (!valid_sig(data))
		return -EIO;
	t->ptrace = NULL;
	t->ptrace_flags = 0;
	t->ptrace_trap = false;
	t->ptrace_detach_sig = (int)data;
	list_del(&l->node);
	return 0;
}

static long peek_mem(struct thread *t, uint64_t addr, uaddr_t data)
{
	struct vmar *v = process_vmar_get(t->proc);
	uint64_t word;
	long n;

	if (!v)
		return -ESRCH;
	n = vmar_access(v, addr, &word, sizeof(word), false, true);
	vmar_put(v);
	if (n != (long)sizeof(word))
		return n == -ENOMEM ? -ENOMEM : -EIO;
	return put_user_u64(data, word) ? -EFAULT : 0;
}

static long poke_mem(struct thread *t, uint64_t addr, uint64_t word)
{
	struct vmar *v = process_vmar_get(t->proc);
	long n;

	if (!v)
		return -ESRCH;
	n = vmar_access(v, addr, &word, sizeof(word), true, true);
	vmar_put(v);
	if (n != (long)sizeof(word))
		return n == -ENOMEM ? -ENOMEM : -EIO;
	return 0;
}

static long ptrace_setoptions(struct ptrace_link *l, uint64_t data)
{
	if (data & ~(uint64_t)PTRACE_O_SUPPORTED)
		return -EINVAL;
	l->options = (unsigned int)data;
	return 0;
}

/* A request on a stopped tracee; t is kept by l->busy. */
static long stopped_request(struct ptrace_link *l, struct thread *t, long req, uint64_t addr,
			    uint64_t data)
{
	struct k_siginfo si;
	uint64_t v;
	long err;

	switch (req) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
		return peek_mem(t, addr, data);
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		return poke_mem(t, addr, data);
	case PTRACE_PEEKUSR:
		err = ptrace_peekuser(t, addr, &v);
		return err ? err : (put_user_u64(data, v) ? -EFAULT : 0);
	case PTRACE_POKEUSR:
		return ptrace_pokeuser(t, addr, data);
	case PTRACE_GETREGS:
		return ptrace_getregs(t, data, USER_REGS_SIZE);
	case PTRACE_SETREGS:
		return ptrace_setregs(t, data, USER_REGS_SIZE);
	case PTRACE_GETFPREGS:
		return ptrace_getfpregs(t, data, USER_FPREGS_SIZE);
	case PTRACE_SETFPREGS:
		return ptrace_setfpregs(t, data, USER_FPREGS_SIZE);
	case PTRACE_GETREGSET:
	case PTRACE_SETREGSET:
		return ptrace_regset(t, req == PTRACE_SETREGSET, addr, data);
	case PTRACE_GETEVENTMSG:
		return put_user_u64(data, l->message) ? -EFAULT : 0;
	case PTRACE_GETSIGINFO:
		si = l->info;
		return copy_to_user(data, &si, sizeof(si)) ? -EFAULT : 0;
	case PTRACE_SETSIGINFO:
		if (copy_from_user(&si, data, sizeof(si)))
			return -EFAULT;
		l->info = si;
		return 0;
	case PTRACE_GET_SYSCALL_INFO:
		return ptrace_syscall_info(t, l->sc_op, (uint32_t)l->message, addr, data);
	}
	return -EIO;
}

/* Requests that need the tracee stopped in a ptrace stop (ESRCH otherwise). */
static long on_stopped(pid_t pid, long req, uint64_t addr, uint64_t data)
{
	struct ptrace_link *l;
	struct thread *t;
	long err = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	l = my_tracee_locked(pid);
	if (!l || !l->stopped) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return -ESRCH;
	}
	switch (req) {
	case PTRACE_CONT:
	case PTRACE_SYSCALL:
	case PTRACE_SINGLESTEP:
	case PTRACE_LISTEN:
		err = ptrace_resume(l, req, data);
		spin_unlock_irqrestore(&process_table_lock, f);
		wake_up_all(&ptrace_wq);
		return err;
	case PTRACE_DETACH:
		err = ptrace_detach_locked(l, data);
		spin_unlock_irqrestore(&process_table_lock, f);
		if (!err)
			kfree(l);
		wake_up_all(&ptrace_wq);
		signal_wake_stopped();
		return err;
	case PTRACE_SETOPTIONS:
		err = ptrace_setoptions(l, data);
		spin_unlock_irqrestore(&process_table_lock, f);
		return err;
	}
	t = l->tracee;
	l->busy++;
	spin_unlock_irqrestore(&process_table_lock, f);
	err = stopped_request(l, t, req, addr, data);
	f = spin_lock_irqsave(&process_table_lock);
	l->busy--;
	spin_unlock_irqrestore(&process_table_lock, f);
	wake_up_all(&ptrace_wq);
	return err;
}

/* PTRACE_KILL and PTRACE_INTERRUPT work on a running tracee too. */
static long on_running(pid_t pid, long req)
{
	struct process *victim = NULL;
	struct ptrace_link *l;
	long err = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	l = my_tracee_locked(pid);
	if (!l) {
		err = -ESRCH;
	} else if (req == PTRACE_KILL) {
		victim = l->tracee->proc;
		process_get(victim);
	} else if (!l->seized) {
		err = -EIO;
	} else if (!l->stopped) {
		l->tracee->ptrace_trap = true;
		thread_kick(l->tracee);
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	if (victim) {
		(void)signal_send(victim, SIGKILL);
		process_put(victim);
	}
	if (!err && req == PTRACE_INTERRUPT)
		signal_wake_stopped();
	return err;
}

static bool known_request(long req)
{
	switch (req) {
	case PTRACE_PEEKTEXT: case PTRACE_PEEKDATA: case PTRACE_PEEKUSR:
	case PTRACE_POKETEXT: case PTRACE_POKEDATA: case PTRACE_POKEUSR:
	case PTRACE_CONT: case PTRACE_SINGLESTEP: case PTRACE_SYSCALL: case PTRACE_LISTEN:
	case PTRACE_DETACH: case PTRACE_SETOPTIONS: case PTRACE_GETREGS: case PTRACE_SETREGS:
	case PTRACE_GETFPREGS: case PTRACE_SETFPREGS: case PTRACE_GETREGSET: case PTRACE_SETREGSET:
	case PTRACE_GETEVENTMSG: case PTRACE_GETSIGINFO: case PTRACE_SETSIGINFO:
	case PTRACE_GET_SYSCALL_INFO:
		return true;
	}
	return false;
}

long sys_ptrace(long request, long pid, uaddr_t addr, uaddr_t data)
{
	if (request == PTRACE_TRACEME)
		return ptrace_traceme();
	if (pid <= 0 || pid > INT32_MAX)
		return -ESRCH;
	if (request == PTRACE_ATTACH || request == PTRACE_SEIZE)
		return ptrace_attach(request, (pid_t)pid, addr, data);
	if (request == PTRACE_KILL || request == PTRACE_INTERRUPT)
		return on_running((pid_t)pid, request);
	if (!known_request(request)) {
		/* Linux looks the tracee up first: ESRCH before EIO. */
		irqflags_t f = spin_lock_irqsave(&process_table_lock);
		bool mine = my_tracee_locked((pid_t)pid) != NULL;

		spin_unlock_irqrestore(&process_table_lock, f);
		return mine ? -EIO : -ESRCH;
	}
	return on_stopped((pid_t)pid, request, addr, data);
}
