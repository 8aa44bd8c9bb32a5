/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Processes and threads.  A process owns an address space (struct vmar),
 * a file descriptor table, a file-system context (root, cwd), credentials,
 * signal dispositions and its place in the process tree, process group and
 * session.  A thread is one frame task running one user context; every
 * thread belongs to exactly one process.
 *
 * Syscall handlers reach their caller through current_thread() and
 * current_process(); both are valid in any task that runs user code.
 */
#ifndef KERNEL_PROCESS_PROCESS_H
#define KERNEL_PROCESS_PROCESS_H
#include <aster/refcount.h>
#include <aster/sync.h>
#include <aster/types.h>
#include <aster/user.h>
#include <aster/wait.h>
#include <aster/list.h>
#include "mm/mempolicy.h"
#include "process/signum.h"
#include "uapi/limits.h"
#include "uapi/resource.h"

typedef int pid_t;

/* Words of the auxiliary vector a process keeps from its exec (pairs, AT_NULL included). */
#define AUXV_SAVED_WORDS	48
typedef uint32_t uid_t;
typedef uint32_t gid_t;

#define CRED_GROUPS	32	/* supplementary groups we keep */

struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	uint32_t ngroups;
	gid_t groups[CRED_GROUPS];
	/* Capability sets, bit n = capability n (capability.c has the rules). */
	uint64_t cap_inheritable, cap_permitted, cap_effective, cap_bset, cap_ambient;
	uint32_t securebits;		/* SECBIT_* */
};

/* Signals: bit (sig - 1) of a 64-bit set, as in the kernel ABI. */
typedef uint64_t sigset_t;
#define NSIG		64
/* Linux's default timer slack (init_task.timer_slack_ns). */
#define TIMER_SLACK_DEFAULT_NS	50000

struct k_sigaction {
	uint64_t handler;	/* SIG_DFL 0, SIG_IGN 1, or a user address */
	uint64_t flags;		/* SA_* */
	uint64_t restorer;
	sigset_t mask;
};

struct vmar;
struct cgroup;
struct fd_table;
struct fs_context;
struct tty;
struct aio_table;
struct ll_ruleset;

enum process_state {
	PROCESS_ALIVE,
	PROCESS_ZOMBIE,		/* exited, waiting for its parent's wait */
	PROCESS_REAPED,
};

/*
 * A CPU-time interval timer: the process CPU time at which it expires
 * (0 = disarmed) and its reload value, ns.
 */
struct cpu_itimer {
	uint64_t expires, interval;
};

/* getrusage's counters besides times. */
struct rusage_counts {
	uint64_t minflt;		/* page faults served without I/O */
	uint64_t nvcsw, nivcsw;		/* voluntary / involuntary context switches */
};

struct pid;

struct process {
	pid_t pid;			/* its number in the initial pid namespace (process/pid.h) */
	/* Its numbers in every pid namespace, and its group's and session's (pid.c). */
	struct pid *kpid, *pgrp_kpid, *sess_kpid;
	refcount_t refs;
	enum process_state state;
	struct process *parent;
	struct list_node children;	/* of struct process, by sibling */
	struct list_node sibling;
	struct list_node all;		/* every live process, by pid order of creation */
	struct list_node threads;	/* of struct thread, by proc_node */
	uint32_t nr_threads;
	/* cgroup/: the cgroup (a reference) and the tasks charged to it (cgroup_charge_lock). */
	struct cgroup *cgroup;
	int64_t cg_tasks;

	pid_t pgid, sid;
	struct tty *ctty;		/* controlling terminal of the session, or NULL */

	struct cred cred;
	uint32_t umask;
	struct vmar *vmar;
	struct fd_table *files;
	struct fs_context *fs;
	struct nsproxy *nsproxy;	/* its namespaces (kernel/ns/); NULL once it exited */

	struct k_sigaction sigactions[NSIG];
	sigset_t shared_pending;
	struct k_siginfo shared_info[NSIG];
	sigset_t shared_rt_slot;	/* see struct sigpend */
	struct list_node shared_sigq;

	int exit_status;		/* wait status word, valid once ZOMBIE */
	bool exiting;			/* exit_group or a fatal signal is under way */
	struct thread *exec_thread;	/* execing and waiting for the other threads to end */
	struct wait_queue threads_gone;	/* exec_thread sleeps here */
	bool no_new_privs;		/* inherited by fork, kept by exec */
	uint32_t personality;		/* personality(2)'s value, inherited by fork */
	uint32_t membarrier_registered;	/* MEMBARRIER_CMD_REGISTER_* done; exec clears */
	bool not_dumpable;		/* PR_SET_DUMPABLE 0; exec clears it */
	bool child_subreaper;		/* PR_SET_CHILD_SUBREAPER: adopts orphaned descendants */
	int pdeath_signal;		/* PR_SET_PDEATHSIG: sent when the parent exits */
	struct process *pdeath_next;	/* on the list of children to signal, while reparenting */
	int64_t alarm_timer;		/* timer_id_t of alarm(), 0 if none */
	uint64_t alarm_deadline;
	uint64_t itimer_interval;	/* ITIMER_REAL's reload value, ns */
	struct list_node posix_timers;	/* timer_create's (posix_timer.c) */
	struct cpu_itimer cpu_itimer[2];	/* ITIMER_VIRTUAL, ITIMER_PROF */
	uint32_t posix_cpu_timers;	/* armed POSIX timers on its CPU clocks (any owner's) */
	uint64_t xcpu_sent_s;		/* RLIMIT_CPU: CPU second of the last SIGXCPU */
	bool exec_done;		/* has called execve since fork (setpgid EACCES) */
	atomic_t vfork_pending;		/* 1 while a vfork parent waits for exec or exit */
	int exit_signal;		/* sent to the parent at exit (SIGCHLD) */
	bool stopped;			/* stopped by a signal (job control) */
	int stop_report;		/* signal to report to wait(WUNTRACED), 0 if reported */
	bool continued_report;		/* report SIGCONT to wait(WCONTINUED) */
	struct wait_queue child_wait;	/* the parent (and a tracer) sleeps here in wait4 */
	struct list_node ptraced;	/* struct ptrace_link of the threads it traces (ptrace.c) */
	bool ptrace_closed;		/* it ended: nothing may attach to it as a tracer */

	struct rlimit64 rlimits[RLIM_NLIMITS];
	uint64_t start_ns;		/* monotonic time of creation */
	uint64_t utime_ns, stime_ns;	/* of exited threads */
	uint64_t cutime_ns, cstime_ns;	/* of waited-for children */
	struct rusage_counts dead_counts;	/* of exited threads */
	struct rusage_counts child_counts;	/* of waited-for children */
	uint64_t maxrss_kib;		/* resident size when it exited */
	uint64_t child_maxrss_kib;	/* largest of the waited-for children's */

	char comm[16];			/* name: basename of the executable */
	char *exe_path;			/* absolute path of the executable (kmalloc) */
	/* argv and envp as the program started with them (for /proc). */
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t saved_auxv[AUXV_SAVED_WORDS];	/* exec's auxiliary vector (NT_AUXV) */
	uint32_t saved_auxv_words;
	/* Core dumps (coredump.c): /proc/PID/coredump_filter (MMF_DUMP_*), kept by fork and exec. */
	uint32_t coredump_filter;
	/*
	 * The thread writing a core dump of the process, or NULL; the other
	 * threads wait in coredump_park until core_done (Linux's core_state).
	 * core_killed: a SIGKILL arrived during the dump, which stops it.
	 */
	struct thread *core_dumper;
	uint32_t core_parked;
	bool core_done, core_killed;
	/* /proc/PID/oom_score_adj and the floor an unprivileged writer may not go below. */
	int oom_score_adj, oom_score_adj_min;
	struct aio_table *aio;		/* io_setup's contexts (fs/aio/), under aio_lock */
	/* Keyrings (kernel/security/keys/, under its keys_lock): NULL until made. */
	struct key *process_keyring;	/* not inherited by fork, dropped by exec */
	struct key *session_keyring;	/* inherited by fork, kept by exec; NULL: the user's */
};

struct thread {
	struct process *proc;
	struct task *task;
	pid_t tid;			/* in the initial pid namespace */
	struct pid *kpid;		/* its numbers in every pid namespace (a reference) */
	struct list_node proc_node;
	bool cg_charged;		/* counted in proc->cg_tasks (cgroup/) */
	struct user_context ctx;	/* big: allocate threads with kzalloc */
	sigset_t blocked;
	sigset_t pending;
	struct k_siginfo info[NSIG];
	sigset_t rt_slot;		/* see struct sigpend */
	struct list_node sigq;
	uint64_t orig_rax;		/* syscall number, for restarts */
	bool in_syscall;		/* ctx.regs.rax holds a syscall's return value */
	sigset_t saved_mask;		/* restored after sigsuspend's handler */
	bool restore_saved_mask;
	uint64_t clear_child_tid;	/* user address, 0 if none */
	uint64_t set_child_tid;		/* written with the tid when the thread starts */
	uint64_t robust_list, robust_len;
	struct wait_queue *waiting_on;	/* for signals to interrupt sleeps */
	spinlock_t wait_lock;
	uint64_t altstack_sp, altstack_size;
	uint32_t altstack_flags;
	bool exiting;
	uint64_t min_flt;		/* page faults served */
	int nice;			/* its task's, kept while the task does not exist yet */
	uint64_t cpus_allowed;		/* sched_setaffinity's mask, the same way; 0: every CPU */
	int ioprio;			/* ioprio_set's class and data; 0: none set */
	/*
	 * PR_SET_TIMERSLACK: how late a timer wake-up may be (Linux's
	 * timer_slack_ns), and what 0 resets it to (its value at fork).
	 * Timers here fire as early as they can, so any slack is kept.
	 */
	uint64_t timer_slack_ns, default_timer_slack_ns;
	int sched_policy;		/* SCHED_OTHER, SCHED_BATCH or SCHED_IDLE */
	/* set_mempolicy's (kernel/mm/mempolicy.c): kept by fork, clone and execve. */
	struct mempolicy mempolicy;
	/* rseq(2) (rseq.c): the registered struct rseq (0: none), its length, signature. */
	uint64_t rseq_area;
	uint32_t rseq_len, rseq_sig;
	bool rseq_event;		/* preempted or signalled: fix up before user mode */
	uint64_t rseq_switches;		/* its task's switches at the last return to user */
	/*
	 * ptrace (ptrace.c): the link to its tracer, or NULL; the table lock
	 * guards it.  ptrace_flags (PTF_*) say what the tracer's last resume
	 * asked; ptrace_trap asks for a PTRACE_EVENT_STOP (INTERRUPT, the
	 * first stop of an auto-attached seized child); ptrace_tf_set: the
	 * trap flag is ours (SINGLESTEP), not the program's.
	 */
	struct ptrace_link *ptrace;
	unsigned int ptrace_flags;
	bool ptrace_trap;
	bool ptrace_tf_set;
	int ptrace_detach_sig;		/* the signal PTRACE_DETACH handed over */
	/*
	 * seccomp (seccomp.c): SECCOMP_MODE_* and the newest of its filters
	 * (a reference; each holds the one before).  Changed under the table
	 * lock; read unlocked by the thread itself at syscall entry.
	 */
	int seccomp_mode;
	struct seccomp_filter *seccomp_filter;
	/* Landlock (kernel/security/landlock/): its domain (a reference) or NULL; only it changes it. */
	struct ll_ruleset *landlock_domain;
	/* Run once in the thread's task before entering user mode (init's exec). */
	void (*start_fn)(struct thread *t);
	/* Keys (kernel/security/keys/): the thread keyring, request_key's default keyring. */
	struct key *thread_keyring;
	int reqkey_defl;
};


/*
 * Guards the process tree and every process's and thread's signal state
 * (pending sets, masks, timers that send signals).  Taken with IRQs saved.
 */
extern spinlock_t process_table_lock;

/*
 * A live thread by its tid in the caller's pid namespace, with a reference
 * on its process (process_put t->proc), or NULL.  thread_find_global and
 * process_find_global (process/pid.h) take the kernel's numbers.
 */
struct thread *thread_find(pid_t tid);

/* The times of p's thread tid, read safely against its exit: 0 or -ESRCH. */
int thread_times_of(struct process *p, pid_t tid, uint64_t *ut, uint64_t *st);

/* User and system time of t (frame's accounting of its task). */
void thread_times(struct thread *t, uint64_t *ut, uint64_t *st);

/* The calling thread and its process (NULL in kernel-only tasks). */
struct thread *current_thread(void);
struct process *current_process(void);

/*
 * PID namespaces (process/pid.h): the caller's number of the task whose
 * kernel (initial namespace) number is global, 0 when it cannot see it;
 * and the kernel's number of the caller's number nr > 0 (PID_NOWHERE in
 * pid.h when nothing has it; nr <= 0 is returned unchanged).
 */
pid_t pid_vnr(pid_t global);
pid_t pid_from_vnr(pid_t nr);
/* process_find and thread_find by the kernel's numbers (ids the kernel kept). */
struct process *process_find_global(pid_t pid);
struct thread *thread_find_global(pid_t tid);

/* Find a live process by its number in the caller's pid namespace (a reference: process_put it), or NULL. */
struct process *process_find(pid_t pid);
void process_get(struct process *p);
void process_put(struct process *p);

/*
 * Call fn for every process that is not reaped, in creation order, under
 * the process-table lock (fn must not sleep); stops early if fn returns
 * nonzero and returns that value.
 */
int process_for_each(int (*fn)(struct process *p, void *arg), void *arg);

/*
 * RLIMIT_FSIZE of the calling process (UINT64_MAX: none, also for kernel
 * tasks), and what a write or truncate beyond it does: SIGXFSZ to the
 * caller, -EFBIG to return.
 */
uint64_t process_fsize_limit(void);
/* RLIMIT_MEMLOCK of the calling process, bytes. */
uint64_t process_memlock_limit(void);
int process_fsize_exceeded(void);

/* The most recently allocated pid (/proc/loadavg). */
pid_t process_last_pid(void);
/* Processes and threads created since boot (/proc/stat). */
uint64_t process_forks_total(void);
/* Pids stay below this (/proc/sys/kernel/pid_max). */
pid_t process_pid_max(void);

/* User and system CPU time of p, ns: its live threads plus those that exited. */
void process_times(struct process *p, uint64_t *ut, uint64_t *st);
/* p's getrusage counters: its live threads plus those that exited. */
void process_counts(struct process *p, struct rusage_counts *c);
/* The calling thread served a page fault (getrusage's ru_minflt). */
void thread_count_fault(void);

/* For /proc: the pid of the tracer of p's thread tid (0: its first thread), 0 when untraced. */
pid_t ptrace_tracer_of(struct process *p, pid_t tid);

/* p's address space with a reference (vmar_put it), or NULL once it exited. */
struct vmar *process_vmar_get(struct process *p);
/*
 * p's descriptor table and fs context with a reference (fd_table_put,
 * fs_context_put), or NULL once it exited.  Another process's p->files and
 * p->fs may only be reached through these: its exit drops them at any time.
 */
struct fd_table *process_files_get(struct process *p);
struct fs_context *process_fs_get(struct process *p);
/* unshare(CLONE_FS): the caller's process gets a copy of its fs context of its own: 0 or -ENOMEM. */
int current_fs_unshare(void);
/* The caller's process takes fs (the caller's reference) instead of its fs context. */
void current_fs_replace(struct fs_context *fs);

/*
 * May the caller read and change p's memory and state (Linux's
 * ptrace_may_access in PTRACE_MODE_ATTACH_REALCREDS: root, or the same
 * real ids as all of p's, and p dumpable): 0 or -EPERM.
 */
int ptrace_may_access(struct process *p);

/* True when some process in session sid has process group pgid. */
bool pgrp_in_session(pid_t pgid, pid_t sid);

/* Is gid the credentials' file-system gid or one of their supplementary groups? */
bool cred_in_group(const struct cred *c, gid_t gid);

/* ---- for /proc (procinfo.c) ---- */

/* What /proc/PID/stat and status show of a process, or of one of its threads. */
struct proc_task_info {
	char state;			/* R running, S sleeping, T stopped, t tracing stop, Z zombie */
	bool tracing_stop;		/* in a ptrace stop */
	uint32_t nr_threads;
	sigset_t pending;		/* the thread's (all threads' for a process) */
	sigset_t shared_pending;	/* the process's */
	sigset_t blocked;		/* the thread's (the first thread's for a process) */
	sigset_t ignored, caught;	/* dispositions */
	uint32_t queued;		/* signals pending in all */
	uint64_t utime_ns, stime_ns;
	struct rusage_counts counts;
	int nice;
	int policy;
	uint64_t start_ns;		/* the process's creation */
};

/*
 * Fill info for process p (tid 0) or its thread tid: 0, or -ESRCH when
 * there is no such live thread.
 */
int process_task_info(struct process *p, pid_t tid, struct proc_task_info *info);
/* Up to max tids of p's live threads, in creation order: how many. */
size_t process_tids(struct process *p, pid_t *tids, size_t max);
/* True when tid is a live thread of p. */
bool process_has_thread(struct process *p, pid_t tid);
/* The thread of the caller (for /proc/thread-self). */
pid_t current_tid(void);

/*
 * Core dump settings (coredump.c): /proc/sys/kernel/core_pattern (get:
 * its length; set: up to the first newline, cut at 127 bytes),
 * core_uses_pid, core_pipe_limit and /proc/sys/fs/suid_dumpable by name
 * (-EINVAL outside Linux's range), and /proc/PID/coredump_filter (the
 * MMF_DUMP_* bits Linux keeps).
 */
size_t coredump_pattern_get(char *buf, size_t size);
int coredump_pattern_set(const char *buf, size_t len);
int coredump_sysctl_get(const char *name, int *val);
int coredump_sysctl_set(const char *name, int val);
uint32_t coredump_filter_get(struct process *p);
void coredump_filter_set(struct process *p, uint32_t val);

/* The host name (sethostname's), for /proc/sys/kernel/hostname: length copied. */
size_t uts_hostname_get(char *buf, size_t size);
/* Set it from len bytes (not NUL-terminated): 0, -EINVAL when too long. */
int uts_hostname_set(const char *name, size_t len);
/* The NIS domain name (setdomainname's), for /proc/sys/kernel/domainname, likewise. */
size_t uts_domainname_get(char *buf, size_t size);
int uts_domainname_set(const char *name, size_t len);
/*
 * kernel/threads-max: fork and clone fail with -EAGAIN once the system has
 * that many tasks.  The default is Linux's set_max_threads from total RAM;
 * the setter takes Linux's range [1, 0x3fffffff] (-EINVAL outside).
 */
int process_threads_max(void);
int process_threads_max_set(int v);
/* Tasks in the system: the threads of live processes, and zombies (Linux's nr_threads). */
unsigned int process_task_count(void);
/* uname's release and version (/proc/version, /proc/sys/kernel/osrelease). */
const char *uts_release(void);
const char *uts_version(void);

/*
 * Start the first user process, pid 1, in the kernel's file-system context
 * (fs_context_create_boot) with console on fds 0-2 (the caller's reference
 * is kept; NULL: none).  Its thread calls run, which execs init with
 * process_exec_init and returns once one exec succeeded (run panics when
 * none does).  0 or -errno.
 */
struct file;
int process_start_init(struct file *console, void (*run)(void));
/* In run: replace pid 1's (empty) program with path: 0 or execve's -errno. */
int process_exec_init(const char *path, const char *const argv[], const char *const envp[]);

#endif
