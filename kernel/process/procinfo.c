// SPDX-License-Identifier: MPL-2.0
// What /proc shows of a process and its threads: state, signal sets, times,
// counters, thread ids.  Read under the process-table lock, so a thread
// exiting meanwhile is either seen whole or not at all.
#include <aster/errno.h>
#include <aster/task.h>
#include "process/internal.h"
#include "process/ptrace.h"
#include "uapi/signal.h"

pid_t current_tid(void)
{
	struct thread *t = current_thread();

	return t ? t->tid : 0;
}

static int thread_nice_of(const struct thread *t)
{
	return t->task ? task_sched_entity(t->task)->nice : t->nice;
}

static bool thread_running(const struct thread *t)
{
	return t->task && task_get_state(t->task) == TASK_RUNNABLE;
}

/* Linux's letters: Z once exited, T while stopped, R for a thread that may run. */
static char state_letter(const struct process *p, bool running)
{
	if (p->state != PROCESS_ALIVE)
		return 'Z';
	if (p->stopped)
		return 'T';
	return running ? 'R' : 'S';
}

static void dispositions(const struct process *p, struct proc_task_info *info)
{
	for (int i = 0; i < NSIG; i++) {
		uint64_t h = p->sigactions[i].handler;

		if (h == SIG_IGN)
			info->ignored |= 1ULL << i;
		else if (h != SIG_DFL)
			info->caught |= 1ULL << i;
	}
}

static void add_thread(struct proc_task_info *info, struct thread *t, bool first)
{
	struct rusage_counts c;
	uint64_t u, s;

	thread_times(t, &u, &s);
	info->utime_ns += u;
	info->stime_ns += s;
	thread_counts(t, &c);
	rusage_counts_add(&info->counts, &c);
	info->pending |= t->pending;
	info->queued += sigpend_count_locked(sigpend_of_thread(t));
	if (thread_running(t))
		info->state = 'R';
	if (first && ptrace_thread_stopped(t))
		info->tracing_stop = true;
	if (first) {
		info->blocked = t->blocked;
		info->nice = thread_nice_of(t);
		info->policy = t->sched_policy;
	}
}

int process_task_info(struct process *p, pid_t tid, struct proc_task_info *info)
{
	struct thread *t;
	bool found = tid == 0, first = true;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	memset(info, 0, sizeof(*info));
	info->state = 'S';
	info->nr_threads = p->nr_threads;
	info->shared_pending = p->shared_pending;
	info->queued = sigpend_count_locked(sigpend_of_process(p));
	info->start_ns = p->start_ns;
	if (tid == 0) {
		info->utime_ns = p->utime_ns;
		info->stime_ns = p->stime_ns;
		info->counts = p->dead_counts;
	}
	dispositions(p, info);
	list_for_each_entry(t, &p->threads, proc_node) {
		if (tid != 0 && t->tid != tid)
			continue;
		add_thread(info, t, first);
		first = false;
		found = true;
	}
	info->state = state_letter(p, info->state == 'R');
	/* Linux's "t (tracing stop)": the thread (the first one, for a process) is in a ptrace stop. */
	if (info->state != 'Z' && info->tracing_stop)
		info->state = 't';
	spin_unlock_irqrestore(&process_table_lock, f);
	return found ? 0 : -ESRCH;
}

size_t process_tids(struct process *p, pid_t *tids, size_t max)
{
	struct thread *t;
	size_t n = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(t, &p->threads, proc_node) {
		if (n == max)
			break;
		if (!t->exiting)
			tids[n++] = t->tid;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return n;
}

bool process_has_thread(struct process *p, pid_t tid)
{
	struct thread *t;
	bool found = false;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(t, &p->threads, proc_node)
		if (t->tid == tid && !t->exiting)
			found = true;
	spin_unlock_irqrestore(&process_table_lock, f);
	return found;
}
