/* SPDX-License-Identifier: MPL-2.0 */
/*
 * PID namespaces and the numbers of a task (Linux's struct pid_namespace,
 * struct pid and struct upid; doc/namespaces.md).  Every thread and
 * process has one number per level of the pid namespace it lives in,
 * from the initial namespace (level 0) down to its own.  The level-0
 * number is the kernel's: p->pid, t->tid, p->pgid and p->sid hold it, and
 * lookups by it are "global".  What a process sees or passes in a syscall
 * is its number in the caller's namespace: pid_vnr turns a global number
 * into that (0 when the task is not visible there, as Linux), and
 * pid_from_vnr turns a number the caller gave into the global one
 * (PID_NOWHERE when nothing has it, which no lookup ever matches).
 *
 * A struct pid is held by the thread it numbers, by the process while it
 * is not reaped, and by every process whose group or session it names, so
 * NSpgid and NSsid stay right after the leader is gone, and no global
 * number is handed out again while any of them lives.
 */
#ifndef KERNEL_PROCESS_PID_H
#define KERNEL_PROCESS_PID_H
#include <aster/list.h>
#include <aster/refcount.h>
#include "ns/ns.h"
#include "process/process.h"

#define PID_NS_MAX_LEVEL	32		/* Linux's MAX_PID_NS_LEVEL */
#define PID_NOWHERE		0x7fffffff	/* a number no task has (above pid_max) */

struct pid_namespace {
	struct ns_common ns;
	unsigned int level;
	struct pid_namespace *parent;	/* a reference; NULL for the initial one */
	pid_t last_pid;			/* the last number handed out here (table lock) */
	struct process *reaper;		/* its init (number 1) while that lives: no reference */
	bool adding;			/* Linux's PIDNS_ADDING: false once its init is gone */
	bool had_init;			/* its init was born (Linux's child_reaper set) */
};

struct upid {
	pid_t nr;
	struct pid_namespace *ns;
};

struct pid {
	refcount_t refs;
	struct list_node node;		/* on the list of all of them (table lock) */
	unsigned int level;		/* up[level].ns is its own namespace (a reference) */
	struct upid up[];
};

extern struct pid_namespace init_pid_ns;
extern const struct ns_ops pid_ns_ops;

static inline struct pid_namespace *to_pid_ns(struct ns_common *ns)
{
	return container_of(ns, struct pid_namespace, ns);
}

/* A struct pid in ns, not numbered yet: NULL when out of memory. */
struct pid *pid_new(struct pid_namespace *ns);
/*
 * clone3's set_tid: the numbers asked for, set_tid[0] in the new task's
 * own namespace, [1] in its parent... (n of them, the rest chosen), and
 * whether the caller may choose (CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE).
 */
struct pid_request {
	const pid_t *set_tid;
	size_t n;
	bool may_choose;
};

/*
 * Number k at every level (the table lock is held; req may be NULL): 0,
 * -ENOMEM when its namespace's init is gone (Linux's answer), -EAGAIN when
 * full; for set_tid as Linux's alloc_pid: -EINVAL (more numbers than
 * levels, out of range, not 1 where the namespace has no init yet),
 * -EPERM (may not choose), -EEXIST (taken).
 */
int pid_number_locked(struct pid *k, const struct pid_request *req);
void pid_get(struct pid *k);
/* Drop a reference; pid_put_locked when the table lock is held. */
void pid_put(struct pid *k);
void pid_put_locked(struct pid *k);
/* The struct pid whose global number is nr (the table lock is held), or NULL. */
struct pid *pid_find_global_locked(pid_t nr);

/* k's number in ns, 0 when it has none there (not visible). */
pid_t pid_nr_of(const struct pid *k, const struct pid_namespace *ns);
/* p's own (deepest) pid namespace: its active one; the initial one for NULL or a reaped p. */
struct pid_namespace *process_pid_ns(struct process *p);
/* The caller's active pid namespace (the initial one in kernel tasks). */
struct pid_namespace *current_pid_ns(void);
/* Is a ns or one of its descendants? */
bool pid_ns_within(const struct pid_namespace *ns, const struct pid_namespace *a);

/* Global number -> number in ns (0: not visible); in the caller's namespace. */
pid_t pid_nr_ns(pid_t global, const struct pid_namespace *ns);
/* The same in the namespace of another process (a parent, a tracer; referenced by the caller). */
pid_t pid_nr_for(pid_t global, struct process *viewer);
/* A number of ns (> 0) -> global, or PID_NOWHERE; from the caller's namespace.  nr <= 0 is returned as is. */
pid_t pid_from_ns(const struct pid_namespace *ns, pid_t nr);

/* Set p's process group and session (global numbers), holding their struct pids; table lock held. */
void process_set_groups_locked(struct process *p, pid_t pgid, pid_t sid);
void process_set_groups(struct process *p, pid_t pgid, pid_t sid);
/* p is reaped or was never started: its number, group and session go. */
void process_drop_pids(struct process *p);

/*
 * Namespace init rules.  pid_ns_init_ignores_locked: p is the init of a
 * non-initial namespace and sig has the default action there: ignored
 * unless forced (sent by the kernel or from an ancestor namespace) and
 * SIGKILL or SIGSTOP.  pid_ns_reaper_locked: who adopts the orphans of p's
 * namespace.  pid_ns_zap: p, the init of its namespace, ends: every other
 * process in it is killed and waited for, and fork there fails.
 */
/* Was ns's init born (the initial namespace: always)?  /proc/PID/ns/pid_for_children waits for it. */
bool pid_ns_had_init(const struct pid_namespace *ns);
/* p is the init (number 1) of a non-initial pid namespace, and alive. */
bool pid_ns_is_init(struct process *p);
bool pid_ns_init_ignores_locked(struct process *p, int sig, bool force);
/* The sender (the caller) has no number in p's namespace: the kernel, or an ancestor namespace. */
bool pid_sender_outside_locked(struct process *p);
struct process *pid_ns_reaper_locked(struct process *p);
void pid_ns_zap(struct process *p);

/*
 * The NSpid, NSpgid... lines of /proc/PID/status: for each namespace of
 * task (kernel number) from ns down to its own, the number of id there
 * (0 where id has none), each after a tab, into buf: its length.
 */
size_t pid_ns_numbers(pid_t task, pid_t id, const struct pid_namespace *ns, char *buf, size_t size);


#endif
