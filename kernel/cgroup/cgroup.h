/* SPDX-License-Identifier: MPL-2.0 */
/*
 * cgroup v2 (doc/cgroup.md): one hierarchy of control groups, each
 * process in exactly one, and the pids controller.  The tree and the
 * controllers live here; kernel/fs/cgroup/ shows them as the cgroup2 file
 * system, whose files call the show and write methods of cgroup_files[].
 *
 * Locking: cgroup_mutex orders the shape of the tree (mkdir, rmdir,
 * subtree_control, limits, migration).  The task counts and each
 * process's cgroup pointer change under cgroup_charge_lock (a spinlock,
 * so fork and exit may charge from any context); a migration holds
 * process_table_lock around it too, so process_for_each callbacks read a
 * consistent p->cgroup.  Lock order: cgroup_mutex, process_table_lock,
 * cgroup_charge_lock.
 */
#ifndef KERNEL_CGROUP_CGROUP_H
#define KERNEL_CGROUP_CGROUP_H
#include <aster/list.h>
#include <aster/refcount.h>
#include <aster/sync.h>
#include <aster/format.h>
#include <aster/types.h>

struct process;
struct thread;

/* The controllers, as bits of the masks below (cgroup_ctrl_names[] is their order). */
#define CGROUP_CTRL_PIDS	0x1u
#define CGROUP_CTRL_ALL		CGROUP_CTRL_PIDS
/* Controllers that work on threads (Linux's threaded controllers): pids is one. */
#define CGROUP_CTRL_THREADED	CGROUP_CTRL_PIDS
#define CGROUP_NR_CTRL		1

/* "max" of cgroup.max.descendants, cgroup.max.depth (INT_MAX, as Linux). */
#define CGROUP_LIMIT_MAX	0x7fffffff
/* pids.max: Linux's PIDS_MAX (PID_MAX_LIMIT + 1) is "max". */
#define CGROUP_PIDS_MAX		(4194304 + 1)

struct cgroup {
	refcount_t refs;		/* the tree's, children's, processes', open files' */
	struct cgroup *parent;		/* a reference; NULL for the root */
	char *name;			/* kmalloc'ed; "" for the root */
	struct list_node children;	/* live children (cgroup_mutex) */
	struct list_node sibling;
	uint64_t id;
	int level;			/* the root's is 0 */
	bool dead;			/* removed by rmdir */
	uint32_t subtree_control;	/* controllers enabled for the children */
	int nr_descendants;		/* live descendants */
	int max_descendants, max_depth;
	/* Under cgroup_charge_lock: */
	int64_t tasks;			/* tasks charged in this subtree (pids.current) */
	int64_t pids_max;		/* CGROUP_PIDS_MAX: no limit */
	int64_t pids_events_max;	/* forks refused because of a limit (pids.events "max") */
	void *fs_priv;			/* the file system's (fs/cgroup) */
};

extern struct mutex cgroup_mutex;
extern spinlock_t cgroup_charge_lock;
extern struct cgroup cgroup_root;
extern const char *const cgroup_ctrl_names[CGROUP_NR_CTRL];

void cgroup_get(struct cgroup *cg);
void cgroup_put(struct cgroup *cg);

/* ---- the tree (core.c; cgroup_mutex held unless said) ---- */
/* mkdir: a new child named name of parent: a reference, or -EAGAIN (limits), -ENOENT (dead), -ENOMEM. */
int cgroup_mkdir(struct cgroup *parent, const char *name, struct cgroup **out);
/* rmdir: -EBUSY while populated or with children; then the cgroup is dead. */
int cgroup_rmdir(struct cgroup *cg);
/* The controllers cg may use: those its parent enables (all of them for the root). */
uint32_t cgroup_controllers(const struct cgroup *cg);
/* Does cg hold live processes (self), or does its subtree (populated)? Takes process_table_lock. */
bool cgroup_has_procs(struct cgroup *cg);
bool cgroup_populated(struct cgroup *cg);
/* The path of cg from the root ("/a/b", "/" for the root) into buf: length or -ENAMETOOLONG. */
int cgroup_path(struct cgroup *cg, char *buf, size_t size);
/* cgroup_migrate_vet_dst: may processes move into dst (0 or -EBUSY, the no-internal-process rule)? */
int cgroup_vet_dst(struct cgroup *dst);
/* Move process p (all its threads' charges) into dst; dst may be p's already. */
void cgroup_migrate(struct process *p, struct cgroup *dst);
/* The nearest common ancestor of a and b (borrowed). */
struct cgroup *cgroup_common_ancestor(struct cgroup *a, struct cgroup *b);
/* p's cgroup with a reference (the root for kernel tasks). */
struct cgroup *cgroup_of(struct process *p);

/* ---- the control files (files.c) ---- */
#define CFT_NOT_ON_ROOT		0x1
#define CFT_ONLY_ON_ROOT	0x2
#define CFT_PROCS		0x4	/* cgroup.procs: write migrates a process */
#define CFT_THREADS		0x8	/* cgroup.threads: write migrates a thread */

struct cgroup_text {
	char *buf;
	size_t len, cap;
	bool full;
};
void cgroup_text_add(struct cgroup_text *t, const char *fmt, ...) __printf(2, 3);

struct cgroup_file {
	const char *name;
	uint32_t mode;			/* permission bits */
	unsigned int flags;		/* CFT_* */
	uint32_t ctrl;			/* 0: the core's; else the controller it belongs to */
	/* Render the file (0 or -errno). */
	int (*show)(struct cgroup *cg, struct cgroup_text *t);
	/* One write(2), NUL-terminated and stripped of surrounding white space: 0 or -errno. */
	int (*write)(struct cgroup *cg, char *s);
};
extern const struct cgroup_file cgroup_files[];
extern const size_t cgroup_nr_files;
/* Does file f exist in cg (its controller enabled there, root rules)? */
bool cgroup_file_visible(const struct cgroup *cg, const struct cgroup_file *f);

/* ---- the pids controller (pids.c) ---- */
int cgroup_pids_show_max(struct cgroup *cg, struct cgroup_text *t);
int cgroup_pids_write_max(struct cgroup *cg, char *s);
int cgroup_pids_show_current(struct cgroup *cg, struct cgroup_text *t);
int cgroup_pids_show_events(struct cgroup *cg, struct cgroup_text *t);
/* Charge one task to cg and its ancestors: 0, or -EAGAIN past a pids.max (counted in pids.events). */
int cgroup_pids_try_charge(struct cgroup *cg);
/* Move n charges (negative: uncharge) onto cg and its ancestors, no limit applied (charge lock held). */
void cgroup_pids_add_locked(struct cgroup *cg, int64_t n);
/* The pids controller went away from cg: its limit resets, as a fresh css's. */
void cgroup_pids_reset(struct cgroup *cg);

/* ---- the process hooks (task.c) ---- */
/*
 * fork and clone (fork.c, once each): charge the new task t.  For a new
 * process c (thread false) it joins into_fd's cgroup (CLONE_INTO_CGROUP,
 * -1: the parent's); a new thread of c stays in c's.  0 or -errno
 * (-EAGAIN past pids.max; CLONE_INTO_CGROUP's -EBADF, -ENODEV, -EACCES,
 * -EBUSY, -EOPNOTSUPP).  thread_free releases the charge.
 */
int cgroup_fork(struct process *c, struct thread *t, int into_fd, bool thread);
/* t goes: its charge goes, except a process's last task's, held until the process is freed (reaped). */
void cgroup_thread_free(struct thread *t);
/* The process struct is freed: its remaining charge and cgroup reference go. */
void cgroup_process_free(struct process *p);
/* /proc/PID/cgroup's path of p into buf: length or -errno. */
int cgroup_proc_path(struct process *p, char *buf, size_t size);
/* /proc/cgroups: how many cgroups use each controller (the root counts). */
int cgroup_ctrl_count(size_t ctrl);

#endif
