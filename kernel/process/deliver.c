// SPDX-License-Identifier: MPL-2.0
// Delivering signals on the way back to user mode: default actions, the
// x86-64 rt signal frame (siginfo, ucontext, FPU state) on the user stack
// or the alternate stack, syscall restarts, and rt_sigreturn.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "process/internal.h"
#include "process/pid.h"
#include "process/ptrace.h"
#include "uapi/ptrace.h"
#include "syscall/syscall.h"
#include "uapi/ucontext.h"

#define USER_CS		0x33
#define USER_SS		0x2b
/* The rflags bits a signal handler may change (Linux's FIX_EFLAGS). */
#define RFLAGS_USER_MASK	0x50dd5ULL

struct k_sigframe {
	uint64_t pretcode;
	struct k_ucontext uc;
	struct k_siginfo info;
};

_Static_assert(sizeof(struct k_ucontext) == 304, "ucontext layout");
_Static_assert(sizeof(struct k_siginfo) == 128, "siginfo layout");

static void save_regs(const struct thread *t, uint64_t *mc)
{
	const struct user_regs *r = &t->ctx.regs;

	mc[SC_R8] = r->r8; mc[SC_R9] = r->r9; mc[SC_R10] = r->r10; mc[SC_R11] = r->r11;
	mc[SC_R12] = r->r12; mc[SC_R13] = r->r13; mc[SC_R14] = r->r14; mc[SC_R15] = r->r15;
	mc[SC_RDI] = r->rdi; mc[SC_RSI] = r->rsi; mc[SC_RBP] = r->rbp; mc[SC_RBX] = r->rbx;
	mc[SC_RDX] = r->rdx; mc[SC_RAX] = r->rax; mc[SC_RCX] = r->rcx; mc[SC_RSP] = r->rsp;
	mc[SC_RIP] = r->rip; mc[SC_RFLAGS] = r->rflags;
	mc[SC_SEGS] = USER_CS | ((uint64_t)USER_SS << 48);
	mc[SC_ERR] = t->ctx.trap.error_code;
	mc[SC_TRAPNO] = t->ctx.trap.vector;
	mc[SC_CR2] = t->ctx.trap.fault_addr;
}

static int restore_regs(struct thread *t, const uint64_t *mc)
{
	struct user_regs *r = &t->ctx.regs;

	if (!user_addr_ok(mc[SC_RIP]))
		return -EFAULT;
	r->r8 = mc[SC_R8]; r->r9 = mc[SC_R9]; r->r10 = mc[SC_R10]; r->r11 = mc[SC_R11];
	r->r12 = mc[SC_R12]; r->r13 = mc[SC_R13]; r->r14 = mc[SC_R14]; r->r15 = mc[SC_R15];
	r->rdi = mc[SC_RDI]; r->rsi = mc[SC_RSI]; r->rbp = mc[SC_RBP]; r->rbx = mc[SC_RBX];
	r->rdx = mc[SC_RDX]; r->rax = mc[SC_RAX]; r->rcx = mc[SC_RCX]; r->rsp = mc[SC_RSP];
	r->rip = mc[SC_RIP];
	r->rflags = (r->rflags & ~RFLAGS_USER_MASK) | (mc[SC_RFLAGS] & RFLAGS_USER_MASK);
	return 0;
}

static bool on_altstack(const struct thread *t, uint64_t sp)
{
	return t->altstack_size && sp > t->altstack_sp && sp - t->altstack_sp <= t->altstack_size;
}

bool on_altstack_now(const struct thread *t)
{
	return on_altstack(t, t->ctx.regs.rsp);
}

/* Build the frame and point the context at the handler. 0 or -EFAULT. */
static int setup_frame(struct thread *t, int sig, const struct k_sigaction *act,
		       const struct k_siginfo *info, sigset_t old_mask)
{
	struct user_regs *r = &t->ctx.regs;
	size_t fpsize = user_fpu_state_size();
	uint64_t sp = r->rsp, fpstate, frame;
	struct k_sigframe *kf;
	uint8_t *fpbuf;
	int err = 0;

	if ((act->flags & SA_ONSTACK) && t->altstack_size && !on_altstack(t, sp))
		sp = t->altstack_sp + t->altstack_size;
	else
		sp -= 128;		/* the red zone */
	fpstate = ALIGN_DOWN(sp - fpsize, 64);
	frame = ((fpstate - sizeof(struct k_sigframe)) & ~15ULL) - 8;

	kf = kzalloc(sizeof(*kf));
	fpbuf = kmalloc(fpsize);
	if (!kf || !fpbuf) {
		kfree(kf);
		kfree(fpbuf);
		return -ENOMEM;
	}
	kf->pretcode = act->restorer;
	kf->uc.flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	kf->uc.ss_sp = t->altstack_sp;
	kf->uc.ss_size = t->altstack_size;
	kf->uc.ss_flags = t->altstack_size ? (on_altstack(t, r->rsp) ? SS_ONSTACK : 0) : SS_DISABLE;
	save_regs(t, kf->uc.mc);
	kf->uc.mc[SC_OLDMASK] = old_mask;
	kf->uc.mc[SC_FPSTATE] = fpstate;
	kf->uc.sigmask = old_mask;
	kf->info = *info;
	user_fpu_save(&t->ctx, fpbuf, fpsize);
	if (copy_to_user(fpstate, fpbuf, fpsize) || copy_to_user(frame, kf, sizeof(*kf)))
		err = -EFAULT;
	kfree(kf);
	kfree(fpbuf);
	if (err)
		return err;
	r->rdi = (uint64_t)sig;
	r->rsi = frame + offsetof(struct k_sigframe, info);
	r->rdx = frame + offsetof(struct k_sigframe, uc);
	r->rax = 0;
	r->rsp = frame;
	r->rip = act->handler;
	r->rflags &= ~(0x100ULL | 0x400ULL);	/* TF, DF: handlers start clean */
	if (t->altstack_flags & SS_AUTODISARM)
		t->altstack_size = 0;
	return 0;
}

long sys_rt_sigreturn(void)
{
	struct thread *t = current_thread();
	uint64_t uc_ua = t->ctx.regs.rsp;	/* the handler's ret popped pretcode */
	size_t fpsize = user_fpu_state_size();
	struct k_ucontext *uc = kmalloc(sizeof(*uc));
	uint8_t *fpbuf = kmalloc(fpsize);
	long ret;

	if (!uc || !fpbuf)
		goto fail;
	if (copy_from_user(uc, uc_ua, sizeof(*uc)) || restore_regs(t, uc->mc))
		goto fail;
	if (uc->mc[SC_FPSTATE]) {
		if (copy_from_user(fpbuf, uc->mc[SC_FPSTATE], fpsize))
			goto fail;
		user_fpu_restore(&t->ctx, fpbuf, fpsize);
	}
	t->blocked = uc->sigmask & ~SIG_UNCATCHABLE;
	t->in_syscall = false;		/* rax is the interrupted code's, not a result */
	ret = (long)t->ctx.regs.rax;
	kfree(uc);
	kfree(fpbuf);
	return ret;
fail:
	kfree(uc);
	kfree(fpbuf);
	t->proc->sigactions[SIGSEGV - 1].handler = SIG_DFL;
	force_signal(SIGSEGV, SI_KERNEL, 0);
	return 0;
}

/* The interrupted syscall's fate once we know whether a handler runs. */
static void fix_syscall_return(struct thread *t, const struct k_sigaction *act)
{
	struct user_regs *r = &t->ctx.regs;
	long ret = (long)r->rax;

	if (!t->in_syscall)
		return;
	t->in_syscall = false;
	if (ret != -ERESTARTSYS && ret != -ERESTARTNOHAND && ret != -ERESTART_RESTARTBLOCK)
		return;
	if (!act || (ret == -ERESTARTSYS && (act->flags & SA_RESTART))) {
		r->rax = t->orig_rax;
		r->rip -= 2;		/* the syscall instruction again */
		return;
	}
	r->rax = (uint64_t)-EINTR;
}

/* Take the lowest pending deliverable signal (SIGKILL first). 0 if none. */
static int dequeue(struct thread *t, struct k_siginfo *info)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	sigset_t set = signal_deliverable_set(t);
	int sig = 0;

	if (set & sigbit(SIGKILL))
		sig = SIGKILL;
	else if (set)
		sig = __builtin_ctzll(set) + 1;
	if (sig)
		signal_take_locked(t, sig, info);
	spin_unlock_irqrestore(&process_table_lock, f);
	return sig;
}

void signal_deliver(struct thread *t)
{
	struct process *p = t->proc;

	/*
	 * The common case on every return to user mode: nothing to do, and no
	 * lock taken.  A signal sent right after this check is seen at the
	 * next kernel entry (the next syscall, fault or timer tick), as one
	 * sent right after the locked check would be.
	 */
	if (!signal_deliverable_set(t) && !p->exiting && !p->exec_thread && !t->restore_saved_mask &&
	    !t->ptrace_trap) {
		fix_syscall_return(t, NULL);
		return;
	}
	for (;;) {
		struct k_siginfo info;
		struct k_sigaction act;
		sigset_t old_mask;
		int sig;

		/* The process ends, or another thread's exec ends this one. */
		if (p->exiting || (p->exec_thread && p->exec_thread != t)) {
			coredump_park(t);
			thread_exit(0);
		}
		if (t->ptrace_trap) {
			/* PTRACE_INTERRUPT, or the first stop of a seized clone child. */
			int mode = ptrace_trap_stop(t);

			if (mode == PTRACE_LISTEN)
				signal_stop_wait(t, mode);
			continue;
		}
		sig = dequeue(t, &info);
		if (!sig)
			break;
		if (t->ptrace && sig != SIGKILL) {
			/* The signal-delivery-stop: the tracer says what is delivered. */
			sig = ptrace_signal(t, sig, &info);
			if (!sig)
				continue;
		}
		act = p->sigactions[sig - 1];
		if (sig == SIGKILL || act.handler == SIG_DFL) {
			int what = sig == SIGKILL ? 1 : signal_default_action(sig);

			if (what == 1) {
				if (sig != SIGKILL && coredump_signal(sig))
					coredump_run(t, sig, &info);
				process_exit(sig);
			}
			if (what == 2)
				signal_stop_current(sig);
			continue;
		}
		if (act.handler == SIG_IGN)
			continue;
		fix_syscall_return(t, &act);
		/*
		 * An rseq critical section is aborted before its state is saved.
		 * When that fails SIGSEGV is pending, and this signal's frame is
		 * still built, as Linux's force_sigsegv(sig) does; a SIGSEGV that
		 * fails so loses its handler, so the next one kills.
		 */
		if (!rseq_signal_deliver(t) && sig == SIGSEGV)
			p->sigactions[SIGSEGV - 1].handler = SIG_DFL;
		old_mask = t->restore_saved_mask ? t->saved_mask : t->blocked;
		t->restore_saved_mask = false;
		if (setup_frame(t, sig, &act, &info, old_mask)) {
			p->sigactions[SIGSEGV - 1].handler = SIG_DFL;
			force_signal(SIGSEGV, SI_KERNEL, 0);
			continue;
		}
		t->blocked |= act.mask;
		if (!(act.flags & SA_NODEFER))
			t->blocked |= sigbit(sig);
		t->blocked &= ~SIG_UNCATCHABLE;
		if (act.flags & SA_RESETHAND)
			p->sigactions[sig - 1].handler = SIG_DFL;
		return;
	}
	fix_syscall_return(t, NULL);
	if (t->restore_saved_mask) {
		t->blocked = t->saved_mask;
		t->restore_saved_mask = false;
	}
}

/*
 * p->parent is read under the table lock and held: once p is a zombie its
 * parent may reap it, exit and be reaped itself at any moment (p is then
 * reparented under that lock), so an unheld pointer could be freed memory.
 */
void notify_parent(struct process *p, int code, int status)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct process *parent = p->parent;
	struct k_siginfo si;

	if (parent)
		process_get(parent);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (!parent)
		return;
	memset(&si, 0, sizeof(si));
	si.signo = SIGCHLD;
	si.code = code;
	si.u.chld.pid = pid_nr_for(p->pid, parent);	/* the parent's view */
	si.u.chld.uid = p->cred.uid;
	si.u.chld.status = code == CLD_EXITED ? (status >> 8) & 0xff : status & 0x7f;
	si.u.chld.utime = (int64_t)(p->utime_ns / 10000000);
	si.u.chld.stime = (int64_t)(p->stime_ns / 10000000);
	if (!((code == CLD_STOPPED || code == CLD_CONTINUED) &&
	      (parent->sigactions[SIGCHLD - 1].flags & SA_NOCLDSTOP)))
		(void)signal_send_info(parent, NULL, SIGCHLD, &si);
	wake_up_all(&parent->child_wait);
	process_put(parent);
}

void notify_parent_continued(struct process *p)
{
	if (p->continued_report)
		notify_parent(p, CLD_CONTINUED, SIGCONT);
}
