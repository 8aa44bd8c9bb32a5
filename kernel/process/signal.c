// SPDX-License-Identifier: MPL-2.0
// Generating signals: queueing them on a process or thread, the effects
// that happen at generation time (SIGKILL and SIGCONT resume a stopped
// process, stop and continue signals cancel each other), waking the
// target, and sleeping so that a signal interrupts the sleep.
#include <aster/errno.h>
#include <aster/string.h>
#include "fs/file.h"
#include "process/internal.h"
#include "process/pid.h"
#include "process/ptrace.h"
#include "uapi/ptrace.h"

static struct wait_queue stop_wait = WAIT_QUEUE_INIT;

static bool sig_valid(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* What SIG_DFL does: 0 ignore, 1 terminate, 2 stop. */
int signal_default_action(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
	case SIGCONT:
		return 0;
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return 2;
	default:
		return 1;
	}
}

/* Would p throw sig away on arrival? (ignored and not blocked anywhere) */
static bool ignored_at_generation(struct process *p, int sig)
{
	const struct k_sigaction *act = &p->sigactions[sig - 1];
	struct thread *t;

	if (act->handler == SIG_IGN)
		;
	else if (act->handler == SIG_DFL && signal_default_action(sig) == 0)
		;
	else
		return false;
	/* A tracer sees every signal, ignored ones too (Linux's sig_ignored). */
	list_for_each_entry(t, &p->threads, proc_node)
		if ((t->blocked & sigbit(sig)) || t->ptrace)
			return false;
	return true;
}

void thread_kick(struct thread *t)
{
	irqflags_t f = spin_lock_irqsave(&t->wait_lock);

	if (t->waiting_on)
		wake_up_all(t->waiting_on);
	spin_unlock_irqrestore(&t->wait_lock, f);
}

static void kick_all_threads_locked(struct process *p)
{
	struct thread *t;

	list_for_each_entry(t, &p->threads, proc_node)
		thread_kick(t);
}

/* SIGCONT's effect, at generation: the process runs again. Table lock held. */
static void continue_process_locked(struct process *p)
{
	struct thread *t;

	p->shared_pending &= ~(sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU));
	list_for_each_entry(t, &p->threads, proc_node)
		t->pending &= ~(sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU));
	if (p->stopped) {
		p->stopped = false;
		p->stop_report = 0;
		p->continued_report = true;
	}
}

/* The codes whose siginfo carries a sender's pid and uid (Linux's SIL_KILL and SIL_RT layouts). */
static bool has_sender_pid(int code)
{
	return code == SI_USER || code == SI_TKILL || code == SI_QUEUE || code == SI_MESGQ;
}

static int queue_locked(struct process *p, struct thread *t, int sig, const struct k_siginfo *info)
{
	struct k_siginfo local;
	struct sigpend pd;
	bool outside;
	int err;

	if (p->state != PROCESS_ALIVE)
		return 0;
	if (p->exiting) {
		/* Ending already; only a dump under way still heeds SIGKILL (it stops). */
		(void)coredump_kill_locked(p, sig);
		return 0;
	}
	/*
	 * init gets only the signals it has a handler for, SIGKILL and SIGSTOP
	 * never (Linux's SIGNAL_UNKILLABLE): else any root process, or one in
	 * init's process group, could stop init or end the system.  Its own
	 * faults still kill it: force_signal does not come here.
	 */
	if (p == init_process && p->sigactions[sig - 1].handler == SIG_DFL)
		return 0;
	/*
	 * A sender with no number in p's pid namespace (an ancestor's, or the
	 * kernel) is seen as pid 0 there, and may kill a namespace's init
	 * (Linux's send_signal_locked "force").
	 */
	outside = pid_sender_outside_locked(p);
	if (outside && info && has_sender_pid(info->code) && info->u.kill.pid) {
		local = *info;
		local.u.kill.pid = 0;
		info = &local;
	}
	if (pid_ns_init_ignores_locked(p, sig, outside || (info && info->code == SI_KERNEL)))
		return 0;
	if (sig == SIGCONT || sig == SIGKILL) {
		bool was_stopped = p->stopped;

		continue_process_locked(p);
		if (was_stopped && sig == SIGCONT)
			p->continued_report = true;
		else if (sig == SIGKILL)
			p->continued_report = false;
		wake_up_all(&stop_wait);
	}
	if (is_stop_signal(sig)) {
		struct thread *it;

		p->shared_pending &= ~sigbit(SIGCONT);
		list_for_each_entry(it, &p->threads, proc_node)
			it->pending &= ~sigbit(SIGCONT);
	}
	if (ignored_at_generation(p, sig))
		return 0;
	pd = t ? sigpend_of_thread(t) : sigpend_of_process(p);
	err = sigpend_add_locked(&pd, p, sig, info);
	if (err)
		return err;
	if (t)
		thread_kick(t);
	else
		kick_all_threads_locked(p);
	signal_queued_notify();
	return 0;
}

/* Who sends: the current process, or the kernel. */
static void fill_sender(struct k_siginfo *si, int sig, int code)
{
	struct process *cur = current_process();

	memset(si, 0, sizeof(*si));
	si->signo = sig;
	si->code = code;
	if (cur && code <= 0) {
		/* The sender's own view, as Linux's task_tgid_vnr (queue_locked hides it further). */
		si->u.kill.pid = pid_nr_of(cur->kpid, process_pid_ns(cur));
		si->u.kill.uid = cur->cred.uid;
	}
}

int signal_send_info(struct process *p, struct thread *t, int sig, const struct k_siginfo *info)
{
	irqflags_t f;
	int err;

	if (!sig_valid(sig))
		return -EINVAL;
	f = spin_lock_irqsave(&process_table_lock);
	err = queue_locked(p, t, sig, info);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (sig == SIGCONT)
		notify_parent_continued(p);
	return err;
}

int signal_send(struct process *p, int sig)
{
	struct k_siginfo si;

	fill_sender(&si, sig, current_process() ? SI_USER : SI_KERNEL);
	return signal_send_info(p, NULL, sig, &si);
}

void signal_kill_locked(struct process *p)
{
	struct k_siginfo si;

	memset(&si, 0, sizeof(si));
	si.signo = SIGKILL;
	si.code = SI_KERNEL;
	(void)queue_locked(p, NULL, SIGKILL, &si);
}

int signal_send_thread(struct thread *t, int sig)
{
	struct k_siginfo si;

	fill_sender(&si, sig, SI_KERNEL);
	return signal_send_info(t->proc, t, sig, &si);
}

struct pgrp_send {
	pid_t pgid;
	int sig;
	struct k_siginfo si;
	int count;
	struct process *conts[16];
	int nconts;
};

static int send_one_locked(struct process *p, void *arg)
{
	struct pgrp_send *s = arg;

	if (p->pgid != s->pgid || p->state != PROCESS_ALIVE)
		return 0;
	(void)queue_locked(p, NULL, s->sig, &s->si);
	if (s->sig == SIGCONT && s->nconts < (int)ARRAY_SIZE(s->conts)) {
		process_get(p);
		s->conts[s->nconts++] = p;
	}
	s->count++;
	return 0;
}

int signal_send_pgrp(pid_t pgid, int sig)
{
	struct pgrp_send s = { .pgid = pgid, .sig = sig };

	if (!sig_valid(sig))
		return -EINVAL;
	fill_sender(&s.si, sig, current_process() ? SI_USER : SI_KERNEL);
	/* process_for_each holds the table lock: queue_locked needs exactly that. */
	(void)process_for_each(send_one_locked, &s);
	for (int i = 0; i < s.nconts; i++) {
		notify_parent_continued(s.conts[i]);
		process_put(s.conts[i]);
	}
	return s.count ? 0 : -ESRCH;
}

/* Fatal for the current thread: unblock and undo SIG_IGN, as Linux's force_sig. */
void force_signal(int sig, int code, uint64_t addr)
{
	struct k_siginfo si;

	memset(&si, 0, sizeof(si));
	si.signo = sig;
	si.code = code;
	si.u.fault.addr = addr;
	force_signal_info(&si);
}

void force_signal_info(const struct k_siginfo *info)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	int sig = info->signo;
	irqflags_t f;

	f = spin_lock_irqsave(&process_table_lock);
	if ((t->blocked & sigbit(sig)) || p->sigactions[sig - 1].handler == SIG_IGN) {
		t->blocked &= ~sigbit(sig);
		p->sigactions[sig - 1].handler = SIG_DFL;
	}
	t->pending |= sigbit(sig);
	t->info[sig - 1] = *info;
	spin_unlock_irqrestore(&process_table_lock, f);
}

sigset_t signal_deliverable_set(struct thread *t)
{
	return (t->pending | t->proc->shared_pending) & ~(t->blocked & ~SIG_UNCATCHABLE);
}

bool signal_deliverable(struct thread *t)
{
	/* A PTRACE_INTERRUPT ends an interruptible sleep as a signal does. */
	return signal_deliverable_set(t) != 0 || t->proc->exiting || t->ptrace_trap;
}

bool signal_pending(void)
{
	struct thread *t = current_thread();

	return t && signal_deliverable(t);
}

struct intr_wait {
	bool (*cond)(void *);
	void *arg;
	struct thread *t;
	bool killable_only;	/* only a fatal signal interrupts */
};

bool signal_fatal_pending(struct thread *t)
{
	return (signal_deliverable_set(t) & sigbit(SIGKILL)) || t->proc->exiting;
}

static bool intr_cond(void *arg)
{
	struct intr_wait *w = arg;

	if (w->cond(w->arg))
		return true;
	if (!w->t)
		return false;
	return w->killable_only ? signal_fatal_pending(w->t) : signal_deliverable(w->t);
}

static void set_waiting_on(struct thread *t, struct wait_queue *wq)
{
	irqflags_t f;

	if (!t)
		return;
	f = spin_lock_irqsave(&t->wait_lock);
	t->waiting_on = wq;
	spin_unlock_irqrestore(&t->wait_lock, f);
}

int wait_interruptible(struct wait_queue *wq, bool (*cond)(void *), void *arg, uint64_t timeout_ns)
{
	struct intr_wait w = { cond, arg, current_thread(), false };
	int err;

	set_waiting_on(w.t, wq);
	err = wait_event_timeout(wq, intr_cond, &w, timeout_ns);
	set_waiting_on(w.t, NULL);
	if (cond(arg))
		return 0;
	if (w.t && signal_deliverable(w.t))
		return -ERESTARTSYS;
	return err ? err : -ERESTARTSYS;
}

int wait_killable(struct wait_queue *wq, bool (*cond)(void *), void *arg)
{
	struct intr_wait w = { cond, arg, current_thread(), true };

	set_waiting_on(w.t, wq);
	wait_event(wq, intr_cond, &w);
	set_waiting_on(w.t, NULL);
	return cond(arg) ? 0 : -EINTR;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

int sleep_interruptible(uint64_t timeout_ns)
{
	struct wait_queue wq;

	wait_queue_init(&wq);
	return wait_interruptible(&wq, never, NULL, timeout_ns);
}

/* Job control: the calling thread's process stops until SIGCONT or SIGKILL. */
static bool resumed(void *arg)
{
	struct thread *t = arg;

	return !t->proc->stopped || signal_fatal_pending(t) || t->ptrace_trap;
}

void signal_wake_stopped(void)
{
	wake_up_all(&stop_wait);
}

/*
 * A traced thread's group stop is a ptrace stop; PTRACE_LISTEN leaves it
 * in the group stop, from which SIGCONT or PTRACE_INTERRUPT brings it to
 * its tracer again (a PTRACE_EVENT_STOP).  Without a tracer (never one,
 * or it detached or ended) it sleeps until SIGCONT or SIGKILL.
 */
void signal_stop_current(int sig)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	bool by_parent = t->ptrace && ptrace_traced_by_parent(t);
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool report = !p->stopped && !by_parent;
	int mode;

	p->stopped = true;
	if (report)
		p->stop_report = sig;
	spin_unlock_irqrestore(&process_table_lock, f);
	if (report)
		notify_parent(p, CLD_STOPPED, sig);
	mode = t->ptrace ? ptrace_group_stop(t, sig) : 0;
	signal_stop_wait(t, mode);
}

void signal_stop_wait(struct thread *t, int mode)
{
	struct process *p = t->proc;

	for (;;) {
		if (mode && mode != PTRACE_LISTEN)
			return;		/* the tracer let it run */
		if (signal_fatal_pending(t))
			return;
		if (!p->stopped && !t->ptrace)
			return;
		(void)wait_killable(&stop_wait, resumed, t);
		if (!t->ptrace) {
			mode = 0;
			if (!p->stopped)
				return;
			t->ptrace_trap = false;
			continue;
		}
		mode = ptrace_trap_stop(t);
	}
}

/* ---- for signalfd (fs/event/signalfd.c) ---- */

static atomic64_t queued_seq;

/* A signal was queued: signalfd readiness may have changed for pollers. */
void signal_queued_notify(void)
{
	atomic64_add(&queued_seq, 1);
	poll_wake();
}

uint64_t signal_queued_seq(void)
{
	return (uint64_t)atomic64_read(&queued_seq);
}

sigset_t signal_pending_in(struct thread *t, sigset_t set)
{
	return (t->pending | t->proc->shared_pending) & set;
}

void signal_take_locked(struct thread *t, int sig, struct k_siginfo *info)
{
	struct process *p = t->proc;

	struct sigpend pd = (t->pending & sigbit(sig)) ? sigpend_of_thread(t) : sigpend_of_process(p);

	/* The thread's own signal first, as Linux's dequeue_signal does. */
	sigpend_take_locked(&pd, sig, info);
	posix_timer_taken_locked(p, info);
}

int signal_dequeue_set(struct thread *t, sigset_t set, struct k_siginfo *info)
{
	struct process *p = t->proc;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	sigset_t ready = (t->pending | p->shared_pending) & set & ~SIG_UNCATCHABLE;
	int sig = ready ? __builtin_ctzll(ready) + 1 : 0;

	if (sig)
		signal_take_locked(t, sig, info);
	spin_unlock_irqrestore(&process_table_lock, f);
	return sig;
}

/*
 * ppoll, pselect6 and epoll_pwait wait with a temporary mask (Linux's
 * set_user_sigmask); SIGKILL and SIGSTOP cannot be blocked by it either.
 */
int set_user_sigmask(uaddr_t ua, uint64_t size, bool *set)
{
	struct thread *t = current_thread();
	uint64_t m;

	*set = false;
	if (!ua)
		return 0;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (get_user_u64(&m, ua))
		return -EFAULT;
	if (!t)
		return 0;
	t->saved_mask = t->blocked;
	t->blocked = m & ~SIG_UNCATCHABLE;
	*set = true;
	return 0;
}

/*
 * After -EINTR the handler of the signal that interrupted the wait must
 * run under the temporary mask, so signal delivery restores the old one
 * after setting up the handler; otherwise it goes back at once.
 */
void restore_user_sigmask(bool set, long ret)
{
	struct thread *t = current_thread();

	if (!set || !t)
		return;
	if (ret == -EINTR)
		t->restore_saved_mask = true;
	else
		t->blocked = t->saved_mask;
}
