/* SPDX-License-Identifier: MPL-2.0 */
/*
 * ptrace inside kernel/process/: the hooks the run loop, signal delivery,
 * fork, exec, exit and wait call (ptrace.c), and register access for the
 * tracer (ptrace_regs.c).
 *
 * A tracee is a thread; its tracer is a process (any of its threads may
 * operate on the tracee).  The link between them (struct ptrace_link,
 * guarded by the process-table lock) is on the tracer's ptraced list; it
 * outlives the tracee as an exit note until the tracer's wait takes it.
 * A tracee stops by sleeping in ptrace_stop until the tracer resumes or
 * detaches it, the tracer ends, or a fatal signal (SIGKILL, exit_group,
 * another thread's exec) arrives: nothing can keep it stopped after that.
 */
#ifndef KERNEL_PROCESS_PTRACE_H
#define KERNEL_PROCESS_PTRACE_H
#include "process/process.h"
#include "uapi/ptrace.h"

/* The PTRACE_O_* options this kernel implements (not PTRACE_O_SUSPEND_SECCOMP). */
#define PTRACE_O_SUPPORTED	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
				 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEVFORKDONE | \
				 PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)

/* thread->ptrace_flags: what the tracer's last resume asked. */
#define PTF_SYSCALL	0x1	/* PTRACE_SYSCALL: stop at the next syscall entry and exit */
#define PTF_STEP	0x2	/* PTRACE_SINGLESTEP */

/* The run loop: before the syscall (true: skip it) and after it. */
bool ptrace_syscall_entry(struct thread *t);
void ptrace_syscall_exit(struct thread *t);
/* Signal delivery: the signal-delivery-stop; the signal to deliver (0: none). */
int ptrace_signal(struct thread *t, int sig, struct k_siginfo *info);
/* A PTRACE_EVENT_STOP asked by ptrace_trap: the tracer's resume request, 0 if none. */
int ptrace_trap_stop(struct thread *t);
/* A group stop of a traced thread: the tracer's resume request, 0 if none. */
int ptrace_group_stop(struct thread *t, int sig);
/* Is the tracer of t's process its real parent (job-control reports go one way)? */
bool ptrace_traced_by_parent(struct thread *t);
/* Is t untraced, or traced by a process with cap (exec's check before gaining privileges)? */
bool ptrace_tracer_capable(struct thread *t, int cap);
/* fork/clone: attach the child thread before it starts; the event to report, 0 if none. */
int ptrace_clone_attach(struct thread *self, struct thread *child, uint64_t flags);
/* thread_start failed: undo ptrace_clone_attach. */
void ptrace_clone_abort(struct thread *child);
/* After the clone's child started with tid: the event stop ptrace_clone_attach chose. */
void ptrace_clone_started(struct thread *self, int event, pid_t tid);
/* thread_start gave t its tid: its link (a clone child's) learns it; locked. */
void ptrace_link_set_tid_locked(struct thread *t);
/* An event stop (PTRACE_EVENT_*) if the tracer asked for it, with its message. */
void ptrace_event(struct thread *t, int event, uint64_t msg);
/* Did t's tracer ask for event (Linux's ptrace_event_enabled)? */
bool ptrace_event_wanted(struct thread *t, int event);
/* After a successful exec: the exec event, or the legacy SIGTRAP. */
void ptrace_exec(struct thread *t, pid_t old_tid);
/* A tracee thread ends (status: its wait status word). */
void ptrace_thread_exit(struct thread *t, int status);
/* A tracer process ends: its tracees are detached (killed with EXITKILL). */
void ptrace_tracer_exit(struct process *p);
/* The #DB of a single step: the tracee's SIGTRAP code. */
bool ptrace_stepping(struct thread *t);

/* For wait (wait.c), under the table lock. */
struct ptrace_waited {
	pid_t pid;
	uid_t uid;
	int status;
	int kind;			/* CLD_TRAPPED, CLD_EXITED, CLD_KILLED, CLD_DUMPED */
	struct ptrace_link *free_me;	/* a taken exit note: ptrace_link_free it unlocked */
};
/* 0: no tracee matches; 1: some match, nothing to report; 2: *out filled. */
int ptrace_wait_scan_locked(struct process *self, int idtype, pid_t id, unsigned int options,
			    bool consume, struct ptrace_waited *out);
void ptrace_link_free(struct ptrace_link *l);

/* For /proc: is t in a ptrace stop?  (ptrace_tracer_of is in process.h.) */
bool ptrace_thread_stopped(const struct thread *t);

/* ptrace_regs.c: register requests on a stopped tracee. 0 or -errno. */
int ptrace_peekuser(struct thread *t, uint64_t off, uint64_t *val);
int ptrace_pokeuser(struct thread *t, uint64_t off, uint64_t val);
int ptrace_getregs(struct thread *t, uaddr_t ua, size_t len);
/* t's registers as struct user_regs_struct (UREG_COUNT words; core dumps' NT_PRSTATUS too). */
void thread_user_regs(const struct thread *t, uint64_t *u);
int ptrace_setregs(struct thread *t, uaddr_t ua, size_t len);
int ptrace_getfpregs(struct thread *t, uaddr_t ua, size_t len);
int ptrace_setfpregs(struct thread *t, uaddr_t ua, size_t len);
int ptrace_regset(struct thread *t, bool set, uint64_t type, uaddr_t iov_ua);
/* ret_data: a seccomp stop's filter data (the event message). */
int ptrace_syscall_info(struct thread *t, int op, uint32_t ret_data, uint64_t size, uaddr_t ua);

#endif
