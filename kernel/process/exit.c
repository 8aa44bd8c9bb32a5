// SPDX-License-Identifier: MPL-2.0
// Ending threads and processes: exit, exit_group, fatal signals.  The last
// thread out turns the process into a zombie for its parent's wait4.
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/power.h>
#include <aster/task.h>
#include <aster/uaccess.h>
#include "fs/aio.h"
#include "fs/file.h"
#include "ipc/ipc.h"
#include "mm/vmar.h"
#include "process/internal.h"
#include "process/pid.h"
#include "process/futex.h"
#include "process/ptrace.h"
#include "uapi/ptrace.h"
#include "syscall/syscall.h"
#include "tty/tty.h"

/* The process is over: close its files, hand its children to init, tell the parent. */
static void process_finish(struct process *p)
{
	struct process *parent, *reaper, *pdeath;
	irqflags_t f;
	bool autoreap, zombies;

	if (p == init_process)
		panic("Attempted to kill init! exitcode=0x%08x", p->exit_status);
	/* Once it is a zombie its parent may reap it at any moment: keep p until we are done. */
	process_get(p);
	/* A namespace's init: everything else in it dies and is reaped first (Linux's zap_pid_namespace). */
	pid_ns_zap(p);
	if (p->ctty && p->sid == p->pid)
		tty_session_leader_exit(p);
	/* Our peak is not tracked: the size at exit stands in for ru_maxrss. */
	if (p->vmar)
		p->maxrss_kib = vmar_resident_size(p->vmar) / 1024;
	/* SEM_UNDO, as Linux's exit_sem: before the parent can see the exit. */
	ipc_exit(p);
	aio_exit(p);	/* Linux's exit_aio, before the address space goes */
	process_release_resources(p);
	ptrace_tracer_exit(p);
	(void)itimer_real_cancel(p);
	p->itimer_interval = 0;
	posix_timers_delete_all(p);
	vfork_release(p);
	f = spin_lock_irqsave(&process_table_lock);
	pdeath = process_reparent_children_locked(p, &reaper, &zombies);
	if (reaper && zombies)
		process_get(reaper);
	p->state = PROCESS_ZOMBIE;
	/* Nothing can be queued on a zombie: give back what is pending. */
	signal_flush_process_locked(p);
	parent = p->parent;
	autoreap = parent && (parent->sigactions[SIGCHLD - 1].handler == SIG_IGN ||
			      (parent->sigactions[SIGCHLD - 1].flags & SA_NOCLDWAIT));
	spin_unlock_irqrestore(&process_table_lock, f);
	process_send_pdeath_signals(pdeath);
	if (reaper && zombies) {
		/* Adopted children that already exited: the reaper has something to wait for. */
		(void)signal_send(reaper, SIGCHLD);
		wake_up_all(&reaper->child_wait);
		process_put(reaper);
	}
	if (init_process)
		wake_up_all(&init_process->child_wait);
	/* pidfds of p became readable. */
	poll_wake();
	if (autoreap) {
		wake_up_all(&parent->child_wait);
		process_reap(p);
	} else {
		int code = (p->exit_status & 0x80) ? CLD_DUMPED : CLD_KILLED;

		notify_parent(p, (p->exit_status & 0x7f) ? code : CLD_EXITED, p->exit_status);
	}
	process_put(p);
}

__noreturn void thread_exit(int code)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	struct rusage_counts counts;
	uint64_t ut, st;
	bool last;
	irqflags_t f;

	t->exiting = true;
	ptrace_thread_exit(t, p->exiting ? p->exit_status : (code & 0xff) << 8);
	futex_exit_robust_list(t);
	if (t->clear_child_tid) {
		(void)put_user_u32(t->clear_child_tid, 0);
		futex_wake_addr(t->clear_child_tid, 1);
	}
	f = spin_lock_irqsave(&process_table_lock);
	list_del(&t->proc_node);
	p->nr_threads--;
	signal_flush_thread_locked(t);
	thread_times(t, &ut, &st);
	p->utime_ns += ut;
	p->stime_ns += st;
	thread_counts(t, &counts);
	rusage_counts_add(&p->dead_counts, &counts);
	last = p->nr_threads == 0;
	spin_unlock_irqrestore(&process_table_lock, f);
	if (p->exec_thread)
		wake_up_all(&p->threads_gone);
	coredump_thread_gone(p);
	task_set_data(task_current(), NULL);
	thread_free(t);
	if (last)
		process_finish(p);
	task_exit();
}

/* Kill every other thread of the calling process. */
static void kill_other_threads(struct process *p, struct thread *self)
{
	struct thread *t;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(t, &p->threads, proc_node) {
		if (t == self)
			continue;
		t->pending |= sigbit(SIGKILL);
		thread_kick(t);
	}
	spin_unlock_irqrestore(&process_table_lock, f);
}

__noreturn void process_exit(int status)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	irqflags_t f;

	/* PTRACE_O_TRACEEXIT: the tracer sees the status before anything is torn down. */
	ptrace_event(t, PTRACE_EVENT_EXIT, (uint64_t)status);
	f = spin_lock_irqsave(&process_table_lock);
	/* The first to decide the process's fate sets the status. */
	if (!p->exiting) {
		p->exiting = true;
		p->exit_status = status;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	kill_other_threads(p, t);
	thread_exit(0);
}

long sys_exit(int status)
{
	struct process *p = current_process();

	ptrace_event(current_thread(), PTRACE_EVENT_EXIT, (uint64_t)((status & 0xff) << 8));
	/* The last thread's exit code is the process's status. */
	if (p->nr_threads == 1 && !p->exiting) {
		p->exiting = true;
		p->exit_status = (int)((status & 0xff) << 8);
	}
	thread_exit(status);
}

long sys_exit_group(int status)
{
	process_exit((int)((status & 0xff) << 8));
}
