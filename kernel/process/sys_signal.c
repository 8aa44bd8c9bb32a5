// SPDX-License-Identifier: MPL-2.0
// Signal syscalls: dispositions, masks, sending, waiting.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include "process/capability.h"
#include "process/internal.h"
#include "process/pid.h"
#include "syscall/syscall.h"
#include "time/timespec.h"
#include "uapi/signal.h"

long sys_rt_sigaction(int signum, uaddr_t act, uaddr_t oldact, size_t sigsetsize)
{
	int sig = signum;
	struct process *p = current_process();
	struct user_sigaction kact, old;
	irqflags_t f;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (act && copy_from_user(&kact, act, sizeof(kact)))
		return -EFAULT;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	f = spin_lock_irqsave(&process_table_lock);
	old.handler = p->sigactions[sig - 1].handler;
	old.flags = p->sigactions[sig - 1].flags;
	old.restorer = p->sigactions[sig - 1].restorer;
	old.mask = p->sigactions[sig - 1].mask;
	if (act) {
		struct thread *t;

		p->sigactions[sig - 1] = (struct k_sigaction){
			kact.handler, kact.flags, kact.restorer, kact.mask & ~SIG_UNCATCHABLE
		};
		/* Setting SIG_IGN (or default-ignore) discards what is pending. */
		if (kact.handler == SIG_IGN ||
		    (kact.handler == SIG_DFL && signal_default_action(sig) == 0)) {
			struct sigpend pd = sigpend_of_process(p);

			sigpend_flush_locked(&pd, sigbit(sig));
			list_for_each_entry(t, &p->threads, proc_node) {
				pd = sigpend_of_thread(t);
				sigpend_flush_locked(&pd, sigbit(sig));
			}
		}
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	if (oldact && copy_to_user(oldact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, uaddr_t set, uaddr_t oldset, size_t sigsetsize)
{
	struct thread *t = current_thread();
	sigset_t kset, old = t->blocked;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&kset, set, sizeof(kset)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			t->blocked |= kset;
		else if (how == SIG_UNBLOCK)
			t->blocked &= ~kset;
		else if (how == SIG_SETMASK)
			t->blocked = kset;
		else
			return -EINVAL;
		t->blocked &= ~SIG_UNCATCHABLE;
	}
	if (oldset && copy_to_user(oldset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(uaddr_t set, size_t sigsetsize)
{
	struct thread *t = current_thread();
	sigset_t kset = (t->pending | t->proc->shared_pending) & t->blocked;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	return copy_to_user(set, &kset, sigsetsize) ? -EFAULT : 0;
}

long sys_rt_sigsuspend(uaddr_t mask, size_t sigsetsize)
{
	struct thread *t = current_thread();
	sigset_t set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, mask, sizeof(set)))
		return -EFAULT;
	t->saved_mask = t->blocked;
	t->restore_saved_mask = true;
	t->blocked = set & ~SIG_UNCATCHABLE;
	while (!signal_pending())
		(void)sleep_interruptible(0);
	return -ERESTARTNOHAND;
}

long sys_pause(void)
{
	while (!signal_pending())
		(void)sleep_interruptible(0);
	return -ERESTARTNOHAND;
}

long sys_sigaltstack(uaddr_t ss, uaddr_t old_ss)
{
	struct thread *t = current_thread();
	struct { uint64_t sp; int32_t flags; int32_t pad; uint64_t size; } kss, old;
	bool on = on_altstack_now(t);

	old.sp = t->altstack_sp;
	old.size = t->altstack_size;
	old.flags = (int32_t)(t->altstack_size ? (on ? SS_ONSTACK : 0) | t->altstack_flags : SS_DISABLE);
	old.pad = 0;
	if (ss) {
		if (copy_from_user(&kss, ss, sizeof(kss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		if ((uint32_t)kss.flags & ~(SS_DISABLE | SS_AUTODISARM))
			return -EINVAL;
		if (kss.flags & SS_DISABLE) {
			t->altstack_sp = 0;
			t->altstack_size = 0;
			t->altstack_flags = 0;
		} else {
			if (kss.size < MINSIGSTKSZ)
				return -ENOMEM;
			t->altstack_sp = kss.sp;
			t->altstack_size = kss.size;
			t->altstack_flags = (uint32_t)kss.flags & SS_AUTODISARM;
		}
	}
	if (old_ss && copy_to_user(old_ss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* May the current process signal p?  (CAP_KILL, or matching real/effective uids) */
bool may_signal(struct process *p, int sig)
{
	const struct cred *me = &current_process()->cred;

	if (capable(CAP_KILL))
		return true;
	if (sig == SIGCONT && p->sid == current_process()->sid)
		return true;
	return me->euid == p->cred.uid || me->euid == p->cred.suid ||
	       me->uid == p->cred.uid || me->uid == p->cred.suid;
}

static int kill_one(struct process *p, int sig)
{
	if (!may_signal(p, sig))
		return -EPERM;
	return sig ? signal_send(p, sig) : 0;
}

struct kill_all {
	pid_t pgid;		/* 0: every process but init and the caller */
	struct pid_namespace *ns;	/* the caller's: kill(-1) reaches only what it sees */
	struct process **list;	/* NULL: only count */
	size_t n, cap;
};

static bool is_target(const struct kill_all *k, const struct process *p)
{
	if (p->state != PROCESS_ALIVE)
		return false;
	/* Linux's kill(-1): what the caller sees, but its namespace's init (number 1) and itself. */
	return k->pgid ? p->pgid == k->pgid : pid_nr_of(p->kpid, k->ns) > 1 && p != current_process();
}

static int collect_targets(struct process *p, void *arg)
{
	struct kill_all *k = arg;

	if (!is_target(k, p))
		return 0;
	if (k->list && k->n < k->cap) {
		process_get(p);
		k->list[k->n] = p;
	}
	k->n++;
	return 0;
}

/*
 * kill(-1) and kill(-pgid): count the targets, then take a reference to
 * each (signalling may sleep, so not under the process table's lock).
 * Processes forked meanwhile beyond the slack may be missed, as a racing
 * fork may be on Linux.
 */
static long kill_many(int sig, pid_t pgid)
{
	struct kill_all k = { .pgid = pgid, .ns = current_pid_ns() };
	long ret = -ESRCH;
	bool any_ok = false;

	(void)process_for_each(collect_targets, &k);
	k.cap = k.n + 16;
	k.n = 0;
	k.list = kcalloc(k.cap, sizeof(*k.list));
	if (!k.list)
		return -ENOMEM;
	(void)process_for_each(collect_targets, &k);
	for (size_t i = 0; i < MIN(k.n, k.cap); i++) {
		int err = kill_one(k.list[i], sig);

		if (!err)
			any_ok = true;
		else if (ret == -ESRCH)
			ret = err;
		process_put(k.list[i]);
	}
	kfree(k.list);
	return any_ok ? 0 : ret;
}

long sys_kill(pid_t pid, int sig)
{
	struct process *p;
	long err;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid == -1)
		return kill_many(sig, 0);
	if (pid <= 0)
		return kill_many(sig, pid == 0 ? current_process()->pgid : pid_from_vnr(-pid));
	p = process_find(pid);
	if (!p)
		return -ESRCH;
	err = p->state == PROCESS_ALIVE ? kill_one(p, sig) : 0;
	process_put(p);
	return err;
}

static long send_to_thread(pid_t tgid, pid_t tid, int sig)
{
	struct thread *t;
	struct k_siginfo si;
	long err = 0;

	if (sig < 0 || sig > NSIG || tid <= 0)
		return -EINVAL;
	t = thread_find(tid);
	if (!t)
		return -ESRCH;
	if (tgid > 0 && t->proc->pid != pid_from_vnr(tgid))
		err = -ESRCH;
	else if (!may_signal(t->proc, sig))
		err = -EPERM;
	else if (sig) {
		memset(&si, 0, sizeof(si));
		si.signo = sig;
		si.code = SI_TKILL;
		si.u.kill.pid = pid_vnr(current_process()->pid);
		si.u.kill.uid = current_process()->cred.uid;
		err = signal_send_info(t->proc, t, sig, &si);
	}
	process_put(t->proc);
	return err;
}

long sys_tkill(pid_t tid, int sig)
{
	return send_to_thread(0, tid, sig);
}

long sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return send_to_thread(tgid, tid, sig);
}

/*
 * Linux keeps only the first SI_KERNEL_INFO_SIZE bytes of a siginfo for
 * the layouts it knows; for any other (signo, code) pair the rest must be
 * zero, or the caller is told E2BIG rather than have bytes dropped.
 */
static bool siginfo_layout_known(int sig, int code)
{
	if (code == SI_KERNEL)
		return true;
	if (code > SI_USER)
		return code <= siginfo_code_limit(sig);
	return code >= SI_DETHREAD || code == SI_ASYNCNL;
}

static long queueinfo_from_user(uaddr_t ua, int sig, pid_t target_tid, struct k_siginfo *si)
{
	static const uint8_t zero[sizeof(si->u.raw) - SI_KERNEL_UNION_SIZE];

	if (copy_from_user(si, ua, sizeof(*si)))
		return -EFAULT;
	si->signo = sig;
	if (!siginfo_layout_known(sig, si->code) &&
	    memcmp(si->u.raw + SI_KERNEL_UNION_SIZE, zero, sizeof(zero)) != 0)
		return -E2BIG;
	/* Nobody, root included, may pose as the kernel or as kill()/tkill() towards another task. */
	if ((si->code >= 0 || si->code == SI_TKILL) && target_tid != current_thread()->tid)
		return -EPERM;
	return 0;
}

/* rt_sigqueueinfo(2): what sigqueue(3) uses; process-directed, with the caller's siginfo. */
long sys_rt_sigqueueinfo(pid_t pid, int sig, uaddr_t uinfo)
{
	struct k_siginfo si;
	struct process *p;
	long err = queueinfo_from_user(uinfo, sig, pid, &si);

	if (err)
		return err;
	p = pid > 0 ? process_find(pid) : NULL;
	if (!p)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		err = -EINVAL;
	else if (p->state != PROCESS_ALIVE)
		err = 0;	/* a zombie takes the signal and drops it */
	else if (!may_signal(p, sig))
		err = -EPERM;
	else if (sig)
		err = signal_send_info(p, NULL, sig, &si);
	process_put(p);
	return err;
}

/* rt_tgsigqueueinfo(2): the same, to one thread of a thread group. */
long sys_rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, uaddr_t uinfo)
{
	struct k_siginfo si;
	struct thread *t;
	long err;

	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	err = queueinfo_from_user(uinfo, sig, tid, &si);
	if (err)
		return err;
	t = thread_find(tid);
	if (!t)
		return -ESRCH;
	if (t->proc->pid != pid_from_vnr(tgid))
		err = -ESRCH;
	else if (sig < 0 || sig > NSIG)
		err = -EINVAL;
	else if (!may_signal(t->proc, sig))
		err = -EPERM;
	else if (sig)
		err = signal_send_info(t->proc, t, sig, &si);
	process_put(t->proc);
	return err;
}

/*
 * restart_syscall(2): Linux re-enters an interrupted call through the
 * thread's restart block.  Here interrupted calls are restarted with their
 * own arguments (deliver.c) and no restart block is ever set, so this is
 * Linux's answer when none is: EINTR.
 */
long sys_restart_syscall(void)
{
	return -EINTR;
}

struct sigwait_arg {
	struct thread *t;
	sigset_t set;
};

static bool sigwait_ready(void *arg)
{
	struct sigwait_arg *w = arg;

	return ((w->t->pending | w->t->proc->shared_pending) & w->set) != 0;
}

/* Take the lowest signal of set that is pending (blocked or not); 0 if none. */
static int take_from_set(struct thread *t, sigset_t set, struct k_siginfo *info)
{
	return signal_dequeue_set(t, set, info);
}

long sys_rt_sigtimedwait(uaddr_t set, uaddr_t info, uaddr_t timeout, size_t sigsetsize)
{
	struct sigwait_arg w = { current_thread(), 0 };
	struct k_siginfo kinfo;
	struct wait_queue wq;
	uint64_t timeout_ns = 0;
	int sig, err;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&w.set, set, sizeof(w.set)))
		return -EFAULT;
	w.set &= ~SIG_UNCATCHABLE;
	if (timeout) {
		err = timespec_from_user(timeout, &timeout_ns);
		if (err)
			return err;
		if (!timeout_ns && !sigwait_ready(&w))
			return -EAGAIN;
	}
	wait_queue_init(&wq);
	for (;;) {
		sig = take_from_set(w.t, w.set, &kinfo);
		if (sig)
			break;
		err = wait_interruptible(&wq, sigwait_ready, &w, timeout_ns);
		if (err == -ETIMEDOUT)
			return -EAGAIN;
		if (err)
			return -EINTR;
	}
	if (info && copy_to_user(info, &kinfo, sizeof(kinfo)))
		return -EFAULT;
	return sig;
}
