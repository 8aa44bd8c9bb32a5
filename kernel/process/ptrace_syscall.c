// SPDX-License-Identifier: MPL-2.0
// ptrace(2) itself: who may trace whom (TRACEME, ATTACH, SEIZE), and the
// requests on a tracee, stopped (memory, options, siginfo, resume, detach)
// or running (INTERRUPT, KILL, LISTEN).  Register requests are in
// ptrace_regs.c; the stops themselves in ptrace.c.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "mm/vmar.h"
#include "process/capability.h"
#include "process/internal.h"
#include "process/pid.h"
#include "process/ptrace.h"
#include "process/ptrace_link.h"
#include "security/landlock/landlock.h"
#include "syscall/syscall.h"
#include "uapi/ptrace.h"
#include "uapi/sched.h"
#include "uapi/wait.h"

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
	struct ptrace_link *l = ptrace_link_alloc();
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
		ptrace_link_locked(l, p->parent, t, false, 0);
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
	l = err ? NULL : ptrace_link_alloc();
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
		ptrace_link_locked(l, me, t, seize, seize ? (unsigned int)data : 0);
		if (!seize) {
			t->pending |= sigbit(SIGSTOP);
			memset(&t->info[SIGSTOP - 1], 0, sizeof(t->info[0]));
			t->info[SIGSTOP - 1].signo = SIGSTOP;
			t->info[SIGSTOP - 1].code = SI_USER;
			t->info[SIGSTOP - 1].u.kill.pid = pid_nr_of(me->kpid, process_pid_ns(t->proc));
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
