// SPDX-License-Identifier: MPL-2.0
// Threads: a frame task that runs one user context in a loop, handing
// syscalls to the dispatcher, faults to the address space, and delivering
// signals before every return to user mode.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/task.h>
#include <aster/timer.h>
#include <aster/uaccess.h>
#include <aster/vm_space.h>
#include "fs/file.h"
#include "mm/vmar.h"
#include "security/keys/keys.h"
#include "process/internal.h"
#include "process/pid.h"
#include "cgroup/cgroup.h"
#include "process/ptrace.h"
#include "process/seccomp.h"
#include "security/landlock/landlock.h"
#include "uapi/ptrace.h"
#include "syscall/syscall.h"

struct thread *thread_alloc(struct process *p)
{
	struct thread *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->proc = p;
	spin_lock_init(&t->wait_lock);
	list_init(&t->proc_node);
	list_init(&t->sigq);
	/* A new thread inherits its creator's nice value and policy. */
	if (current_thread()) {
		struct thread *self = current_thread();

		t->nice = self->task ? task_sched_entity(self->task)->nice : self->nice;
		/* Linux's dup_task_struct: the affinity mask is inherited too. */
		t->cpus_allowed = self->task ? task_affinity(self->task) : self->cpus_allowed;
		t->sched_policy = self->sched_policy;
		t->ioprio = self->ioprio;	/* Linux's copy_io: kept by fork and clone */
		t->mempolicy = self->mempolicy;	/* Linux's mpol_dup in copy_process */
		t->timer_slack_ns = t->default_timer_slack_ns = self->timer_slack_ns;
	}
	if (!t->timer_slack_ns)
		t->timer_slack_ns = t->default_timer_slack_ns = TIMER_SLACK_DEFAULT_NS;
	user_context_init(&t->ctx);
	return t;
}

/* frame/ forgets the context's FPU state as the memory goes (aster/user.h). */
void thread_free(struct thread *t)
{
	if (!list_empty(&t->sigq)) {
		/* A thread that never ran (fork failed) may have been sent a signal. */
		irqflags_t f = spin_lock_irqsave(&process_table_lock);

		signal_flush_thread_locked(t);
		spin_unlock_irqrestore(&process_table_lock, f);
	}
	seccomp_thread_free(t);
	landlock_thread_free(t);
	cgroup_thread_free(t);	/* its pids charge, unless it was its process's last task */
	keys_thread_exit(t);	/* its thread keyring, also of a thread that never started */
	pid_put(t->kpid);
	kfree(t);
}

/* CPU time is frame's accounting of the thread's task (0 before it starts). */
void thread_times(struct thread *t, uint64_t *ut, uint64_t *st)
{
	*ut = 0;
	*st = 0;
	if (t->task)
		task_cpu_times(t->task, ut, st);
}

int thread_times_of(struct process *p, pid_t tid, uint64_t *ut, uint64_t *st)
{
	struct thread *t;
	int err = -ESRCH;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(t, &p->threads, proc_node) {
		if (t->tid != tid)
			continue;
		thread_times(t, ut, st);
		err = 0;
		break;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return err;
}

/* Times of the live threads plus those that already exited. */
void process_times(struct process *p, uint64_t *ut, uint64_t *st)
{
	struct thread *t;
	uint64_t u, s;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	*ut = p->utime_ns;
	*st = p->stime_ns;
	list_for_each_entry(t, &p->threads, proc_node) {
		thread_times(t, &u, &s);
		*ut += u;
		*st += s;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
}

void thread_counts(struct thread *t, struct rusage_counts *c)
{
	c->minflt = t->min_flt;
	c->nvcsw = c->nivcsw = 0;
	if (t->task)
		task_switch_counts(t->task, &c->nvcsw, &c->nivcsw);
}

void rusage_counts_add(struct rusage_counts *to, const struct rusage_counts *c)
{
	to->minflt += c->minflt;
	to->nvcsw += c->nvcsw;
	to->nivcsw += c->nivcsw;
}

void process_counts(struct process *p, struct rusage_counts *c)
{
	struct thread *t;
	struct rusage_counts tc;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	*c = p->dead_counts;
	list_for_each_entry(t, &p->threads, proc_node) {
		thread_counts(t, &tc);
		rusage_counts_add(c, &tc);
	}
	spin_unlock_irqrestore(&process_table_lock, f);
}

void thread_count_fault(void)
{
	struct thread *t = current_thread();

	if (t)
		t->min_flt++;
}

static void handle_syscall(struct thread *t)
{
	struct user_regs *r = &t->ctx.regs;
	bool traced = t->ptrace_flags & PTF_SYSCALL;

	t->orig_rax = r->rax;
	t->in_syscall = true;
	if (traced) {
		/* As Linux: the tracer sees -ENOSYS in rax, the number in orig_rax. */
		r->rax = (uint64_t)-ENOSYS;
		if (ptrace_syscall_entry(t))
			return;
	}
	/*
	 * seccomp runs after the tracer, as Linux's, behind one predicted
	 * branch for threads without it; a syscall it skips has its result in
	 * rax already.  The tracer may have changed the number and the
	 * arguments; a negative number it set skips the syscall, rax keeping
	 * what it says (Linux).  Untraced, a negative number is just an unknown
	 * syscall (-ENOSYS).
	 */
	if (__builtin_expect(t->seccomp_mode != 0, 0) && seccomp_syscall_enter(t, traced)) {
		t->in_syscall = false;
	} else if (!traced || (int64_t)t->orig_rax >= 0) {
		struct syscall_args a = { t->orig_rax, { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 } };

		r->rax = (uint64_t)syscall_dispatch(&a);
	} else {
		t->in_syscall = false;
	}
	if (t->ptrace_flags & PTF_SYSCALL)
		ptrace_syscall_exit(t);
}

/* A user page fault: demand paging and copy-on-write, or a signal. */
static void handle_page_fault(struct thread *t)
{
	struct vm_fault vf;
	int err;

	if (vm_fault_decode(&t->ctx.trap, &vf) != 0) {
		force_signal(SIGSEGV, SI_KERNEL, 0);
		return;
	}
	err = vmar_handle_fault(t->proc->vmar, &vf);
	if (err == 0) {
		t->min_flt++;
		return;
	}
	if (err == -ENXIO) {
		force_signal(SIGBUS, BUS_ADRERR, vf.addr);
		return;
	}
	if (err == -ENOMEM) {
		force_signal(SIGKILL, SI_KERNEL, 0);
		return;
	}
	/* -EACCES: a mapping that forbids the access (PROT_NONE pages are not present). */
	force_signal(SIGSEGV, vf.present || err == -EACCES ? SEGV_ACCERR : SEGV_MAPERR, vf.addr);
	/* As Linux logs unhandled user faults (visible without `quiet`). */
	if (t->proc->sigactions[SIGSEGV - 1].handler == SIG_DFL)
		pr_info("%s[%d]: segfault at %lx ip %lx sp %lx error %lx\n", t->proc->comm,
			t->tid, vf.addr, t->ctx.regs.rip, t->ctx.regs.rsp, t->ctx.trap.error_code);
}

static void handle_exception(struct thread *t)
{
	const struct user_trap *tr = &t->ctx.trap;

	t->in_syscall = false;
	switch (tr->vector) {
	case 14:
		handle_page_fault(t);
		break;
	case 0:		/* #DE */
		force_signal(SIGFPE, FPE_INTDIV, t->ctx.regs.rip);
		break;
	case 16:	/* #MF */
	case 19:	/* #XM */
		force_signal(SIGFPE, 0, t->ctx.regs.rip);
		break;
	case 1:		/* #DB */
		/* The step of PTRACE_SINGLESTEP (Linux's TRAP_TRACE), else a breakpoint. */
		force_signal(SIGTRAP, ptrace_stepping(t) ? TRAP_TRACE : TRAP_BRKPT, t->ctx.regs.rip);
		break;
	case 3:		/* #BP */
		force_signal(SIGTRAP, TRAP_BRKPT, t->ctx.regs.rip);
		break;
	case 6:		/* #UD */
		force_signal(SIGILL, ILL_ILLOPN, t->ctx.regs.rip);
		break;
	case 17:	/* #AC */
		force_signal(SIGBUS, 0, tr->fault_addr);
		break;
	default:	/* #GP, #SS, #NP, ... */
		force_signal(SIGSEGV, SI_KERNEL, 0);
		break;
	}
}

/* The body of every user thread's task. */
static void thread_main(void *arg)
{
	struct thread *t = arg;

	t->task = task_current();
	task_sched_entity(t->task)->nice = t->nice;
	if (t->cpus_allowed)	/* kept valid by sched_setaffinity */
		(void)task_set_affinity(t->task, t->cpus_allowed);
	task_set_data(task_current(), t);
	task_set_vm_space(task_current(), vmar_space(t->proc->vmar));
	if (t->start_fn)
		t->start_fn(t);
	if (t->set_child_tid)
		(void)put_user_u32(t->set_child_tid, (uint32_t)pid_vnr(t->tid));
	signal_deliver(t);
	rseq_exit_to_user(t);
	for (;;) {
		enum user_event ev;

		ev = user_run(&t->ctx);
		if (cpu_timers_armed(t->proc))
			cpu_timers_check(t->proc);
		if (ev == USER_EVENT_SYSCALL) {
			handle_syscall(t);
			sigio_check();	/* a readiness change it made: O_ASYNC owners now */
		}
		else if (ev == USER_EVENT_EXCEPTION)
			handle_exception(t);
		else
			t->in_syscall = false;
		if (signal_work_pending(t))
			signal_deliver(t);
		rseq_exit_to_user(t);
		t->in_syscall = false;
	}
}

/* A thread's numbers: its process's for the first one, else new ones in the process's namespace. */
static int thread_number_locked(struct thread *t, struct pid *fresh, const struct pid_request *req)
{
	struct process *p = t->proc;
	int err;

	if (p->nr_threads == 0) {
		pid_get(p->kpid);
		t->kpid = p->kpid;
		return p->pid;
	}
	if (!fresh)
		return -ENOMEM;
	err = pid_number_locked(fresh, req);
	if (err)
		return err;
	t->kpid = fresh;
	return fresh->up[0].nr;
}

int thread_start(struct thread *t, const struct pid_request *req)
{
	struct process *p = t->proc;
	struct pid *fresh = p->nr_threads ? pid_new(process_pid_ns(p)) : NULL;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	pid_t tid = thread_number_locked(t, fresh, req);

	if (tid < 0) {
		spin_unlock_irqrestore(&process_table_lock, f);
		pid_put(fresh);
		return tid;
	}
	t->tid = tid;
	/* What the creator sees: t may be gone by the time it returns. */
	tid = pid_nr_of(t->kpid, current_pid_ns());
	/* Under the lock, so that a TSYNC of the creator's process cannot miss the new thread. */
	if (current_thread()) {
		seccomp_inherit_locked(t, current_thread());
		landlock_inherit(t, current_thread());
	}
	if (t->ptrace)
		ptrace_link_set_tid_locked(t);
	list_add_tail(&p->threads, &t->proc_node);
	p->nr_threads++;
	spin_unlock_irqrestore(&process_table_lock, f);
	/*
	 * The new task may run, and even exit and free t, before task_create
	 * returns: only thread_main itself stores t->task and task_data.
	 */
	if (!task_create(p->comm, thread_main, t)) {
		f = spin_lock_irqsave(&process_table_lock);
		list_del(&t->proc_node);
		p->nr_threads--;
		spin_unlock_irqrestore(&process_table_lock, f);
		return -ENOMEM;
	}
	return tid;
}
