// SPDX-License-Identifier: MPL-2.0
// ptrace(2)'s tracee side: the stops (signal-delivery, group, syscall,
// event and PTRACE_EVENT_STOP traps), tracing across clone and exec, what
// the tracer's wait sees, and the end of either side.  The requests
// (attaching, resuming, detaching, memory) are in ptrace_syscall.c,
// register requests in ptrace_regs.c.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "mm/vmar.h"
#include "process/pid.h"
#include "process/capability.h"
#include "process/internal.h"
#include "process/ptrace.h"
#include "process/ptrace_link.h"
#include "syscall/syscall.h"
#include "uapi/ptrace.h"
#include "uapi/sched.h"
#include "uapi/wait.h"

/* Tracees sleep here while stopped, and until the tracer's requests end. */
struct wait_queue ptrace_wq = WAIT_QUEUE_INIT;

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
	si.u.chld.pid = pid_nr_for(tid, tracer);	/* the tracer's view */
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

struct ptrace_link *ptrace_link_alloc(void)
{
	return kzalloc(sizeof(struct ptrace_link));
}

void ptrace_link_locked(struct ptrace_link *l, struct process *tracer, struct thread *t, bool seized,
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
	l = ptrace_link_alloc();
	if (!l)
		return -ENOMEM;
	f = spin_lock_irqsave(&process_table_lock);
	if (!self->ptrace || !(self->ptrace->options & (1U << event)) || self->ptrace->tracer->ptrace_closed) {
		spin_unlock_irqrestore(&process_table_lock, f);
		kfree(l);
		return 0;
	}
	ptrace_link_locked(l, self->ptrace->tracer, child, self->ptrace->seized, self->ptrace->options);
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

/*
 * tid is the creator's view of the new task; PTRACE_GETEVENTMSG gives the
 * tracer's (Linux's ptrace_event_pid), which may live in another pid
 * namespace.
 */
void ptrace_clone_started(struct thread *self, int event, pid_t tid)
{
	struct process *tracer = NULL;
	pid_t global;
	irqflags_t f;

	if (event <= 0)
		return;
	global = pid_from_vnr(tid);
	f = spin_lock_irqsave(&process_table_lock);
	if (self->ptrace && self->ptrace->tracer) {
		tracer = self->ptrace->tracer;
		process_get(tracer);
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	if (tracer) {
		tid = pid_nr_for(global, tracer);
		process_put(tracer);
	}
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
