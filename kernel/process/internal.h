/* SPDX-License-Identifier: MPL-2.0 */
/* Shared inside kernel/process/: the table, thread life and signal delivery. */
#ifndef KERNEL_PROCESS_INTERNAL_H
#define KERNEL_PROCESS_INTERNAL_H
#include <aster/sync.h>
#include <aster/uaccess.h>
#include "process/process.h"
#include "process/signal.h"
#include "time/time.h"
#include "uapi/resource.h"


extern struct process *init_process;

pid_t pid_alloc_locked(void);
/* Is id some task's, group's or session's (the table lock is held)?  Count one more fork. */
bool process_id_in_use_locked(pid_t id);
void process_count_fork_locked(void);
struct process *process_alloc(void);
struct pid_request;
/* req: clone3's set_tid (process/pid.h), or NULL. */
int process_register(struct process *p, struct process *parent, const struct pid_request *req);
void process_release_resources(struct process *p);
void process_reap(struct process *p);
/*
 * Hand p's children to their new reaper (*reaper: a child subreaper or
 * init; *zombies: some of them already exited); returns, referenced, those
 * that asked for a signal when their parent dies, for
 * process_send_pdeath_signals once the lock is dropped.
 */
struct process *process_reparent_children_locked(struct process *p, struct process **reaper,
						bool *zombies);
void process_send_pdeath_signals(struct process *list);

/* Threads. */
struct thread *thread_alloc(struct process *p);
void thread_free(struct thread *t);
/*
 * Attach t to its process and start running its user context: its tid in
 * the caller's pid namespace, or -errno.  t belongs to the new task once this succeeds (it may be gone).
 */
int thread_start(struct thread *t, const struct pid_request *req);
__noreturn void thread_exit(int code);
/* End the whole process with a wait status word (exit_group or a fatal signal). */
__noreturn void process_exit(int status);

/* Signals, on the way back to user mode (may not return). */
void signal_deliver(struct thread *t);
/* Dequeue-free check used by the run loop. */
bool signal_deliverable(struct thread *t);
/* Tell the parent that p exited, stopped or continued (SIGCHLD, wake wait4). */
void notify_parent(struct process *p, int code, int status);
void notify_parent_continued(struct process *p);
int signal_default_action(int sig);
sigset_t signal_deliverable_set(struct thread *t);
void signal_stop_current(int sig);
bool on_altstack_now(const struct thread *t);
/*
 * After a stop of traced t whose tracer's resume was mode (PTRACE_LISTEN:
 * stay in the group stop; 0: no tracer): sleep while the process is
 * stopped, bringing PTRACE_INTERRUPT and SIGCONT to the tracer.
 */
void signal_stop_wait(struct thread *t, int mode);
/* SIGKILL is pending for t, or its process is ending. */
bool signal_fatal_pending(struct thread *t);
/* Wake the threads sleeping in a job-control stop (they look again). */
void signal_wake_stopped(void);
/* Wake t if it sleeps in wait_interruptible. */
void thread_kick(struct thread *t);
/* kill(2)'s permission: may the current process send sig to p? */
bool may_signal(struct process *p, int sig);
/* Force a fatal signal on the current thread (bad fault, failed exec). */
void force_signal(int sig, int code, uint64_t addr);
/* The same with a whole siginfo (seccomp's SIGSYS). */
void force_signal_info(const struct k_siginfo *info);

/*
 * rseq (rseq.c).  rseq_signal_deliver: before a signal frame is built
 * (false: the area is bad, SIGSEGV is forced instead).  rseq_exit_to_user:
 * last thing before user mode.  rseq_fork: a new thread (same_vm) starts
 * unregistered, a new process keeps the parent's registration.
 */
bool rseq_signal_deliver(struct thread *t);
void rseq_exit_to_user_slow(struct thread *t);
/* Inline: it runs on every return to user mode, and a call costs there (doc/bench.md). */
static inline void rseq_exit_to_user(struct thread *t)
{
	if (t->rseq_area && (t->rseq_event || cpu_switch_count() != t->rseq_switches))
		rseq_exit_to_user_slow(t);
}
void rseq_fork(struct thread *child, const struct thread *parent, bool same_vm);
void rseq_exec(struct thread *t);

/* exec */
int do_execve(int dirfd, const char *path, uint64_t argv_ua, uint64_t envp_ua, int flags);
int exec_first(const char *path, const char *const argv[], const char *const envp[]);

/*
 * Core dumps (coredump.c).  coredump_signal: sig's default action dumps
 * core.  coredump_run: before the process ends with sig, stop its other
 * threads and write the core (the exit status gets WCOREDUMP when it was
 * written); it leaves p->exiting set unless the process was undumpable or
 * already ending.  coredump_park: a thread that sees its process ending
 * waits there while a dump is written.  coredump_thread_gone: a thread
 * left (thread_exit).  coredump_kill_locked: a SIGKILL for a process
 * being dumped stops the dump (true: it was taken).
 */
bool coredump_signal(int sig);
/* /proc/sys/fs/suid_dumpable is 1: a process stays dumpable when its ids change. */
bool coredump_setid_keeps_dumpable(void);
void coredump_run(struct thread *t, int sig, const struct k_siginfo *info);
void coredump_park(struct thread *t);
void coredump_thread_gone(struct process *p);
bool coredump_kill_locked(struct process *p, int sig);

/* vfork: the parent waits until the child execs or exits. */
void vfork_release(struct process *child);

/* Remove pending signal sig from t (its own first, else its process's) into info; locked. */
void signal_take_locked(struct thread *t, int sig, struct k_siginfo *info);


/*
 * Must signal_deliver run before t returns to user mode: a deliverable
 * signal, an exit or exec under way, a mask to restore, or a syscall
 * result that asks for a restart.  Inline: it is asked on every return.
 */
static inline bool signal_work_pending(const struct thread *t)
{
	const struct process *p = t->proc;
	long ret = (long)t->ctx.regs.rax;

	if ((t->pending | p->shared_pending) & ~(t->blocked & ~SIG_UNCATCHABLE))
		return true;
	if (p->exiting || p->exec_thread || t->restore_saved_mask || t->ptrace_trap)
		return true;
	return t->in_syscall && ret >= -ERESTART_RESTARTBLOCK && ret <= -ERESTARTSYS;
}

/* Write a struct rusage with these times, ru_maxrss in KiB and the counters. */
int put_rusage(uaddr_t ua, uint64_t utime_ns, uint64_t stime_ns, uint64_t maxrss_kib,
	       const struct rusage_counts *c);

/* Threads of processes whose real uid is uid, zombies counted once (RLIMIT_NPROC). */
unsigned int user_task_count(uid_t uid);

/* Hand RLIMIT_AS and RLIMIT_DATA to p's address space (mmap and brk enforce them). */
void process_apply_mm_rlimits(struct process *p);

/* getrusage counters of one live thread; adding counters up. */
void thread_counts(struct thread *t, struct rusage_counts *c);
void rusage_counts_add(struct rusage_counts *to, const struct rusage_counts *c);


#endif
