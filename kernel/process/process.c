// SPDX-License-Identifier: MPL-2.0
// The process table: pid allocation, lookup, reference counts and the
// parent/child tree.  One spinlock guards the table and the tree; it is
// IRQ-safe because terminal input sends signals to process groups from
// interrupt context.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/timer.h>
#include "fs/file.h"
#include "mm/vmar.h"
#include "process/capability.h"
#include "security/keys/keys.h"
#include "ns/ns.h"
#include "process/internal.h"
#include "process/pid.h"
#include "cgroup/cgroup.h"
#include "uapi/elfcore.h"

#define PID_MAX	4194304		/* Linux's pid_max on 64-bit */

static struct list_node all_processes = LIST_INIT(all_processes);
spinlock_t process_table_lock = SPINLOCK_INIT;
static pid_t last_pid;
struct process *init_process;

struct thread *current_thread(void)
{
	return task_data(task_current());
}

struct process *current_process(void)
{
	struct thread *t = current_thread();

	return t ? t->proc : NULL;
}

bool process_id_in_use_locked(pid_t id)
{
	struct process *p;
	struct thread *t;

	list_for_each_entry(p, &all_processes, all) {
		if (p->pid == id || p->pgid == id || p->sid == id)
			return true;
		list_for_each_entry(t, &p->threads, proc_node)
			if (t->tid == id)
				return true;
	}
	/* A number some struct pid still holds (a group's or session's, a zombie's). */
	return pid_find_global_locked(id) != NULL;
}

/* Processes and threads created since boot (/proc/stat's processes). */
static atomic64_t nr_forks;

/* A free id for a process or thread; the table lock is held. */
pid_t process_last_pid(void)
{
	return last_pid;
}

void process_count_fork_locked(void)
{
	atomic64_add(&nr_forks, 1);
}

uint64_t process_forks_total(void)
{
	return (uint64_t)atomic64_read(&nr_forks);
}

pid_t process_pid_max(void)
{
	return PID_MAX;
}

pid_t pid_alloc_locked(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		pid_t id = last_pid + 1 >= PID_MAX ? 300 : last_pid + 1;

		last_pid = id;
		if (!process_id_in_use_locked(id)) {
			atomic64_add(&nr_forks, 1);
			return id;
		}
	}
	return -EAGAIN;
}

struct process *process_alloc(void)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	refcount_set(&p->refs, 1);
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->all);
	list_init(&p->threads);
	list_init(&p->shared_sigq);
	wait_queue_init(&p->threads_gone);
	list_init(&p->posix_timers);
	wait_queue_init(&p->child_wait);
	list_init(&p->ptraced);
	p->umask = 022;
	cap_init_root(&p->cred);	/* init's; fork copies its parent's */
	p->coredump_filter = MMF_DUMP_FILTER_DEFAULT;
	p->start_ns = clock_monotonic_ns();
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlimits[i] = (struct rlimit64){ UINT64_MAX, UINT64_MAX };
	p->rlimits[RLIMIT_STACK] = (struct rlimit64){ MiB(8), UINT64_MAX };
	p->rlimits[RLIMIT_NOFILE] = (struct rlimit64){ 1024, 4096 };
	p->rlimits[RLIMIT_NPROC] = (struct rlimit64){ 31536, 31536 };
	p->rlimits[RLIMIT_CORE] = (struct rlimit64){ 0, UINT64_MAX };
	p->rlimits[RLIMIT_MEMLOCK] = (struct rlimit64){ MiB(8), MiB(8) };
	p->rlimits[RLIMIT_SIGPENDING] = (struct rlimit64){ 31536, 31536 };
	p->rlimits[RLIMIT_MSGQUEUE] = (struct rlimit64){ 819200, 819200 };
	return p;
}

/*
 * Enter p into the table under parent (NULL for init); numbers it in the
 * pid namespace for children of its nsproxy (Linux's alloc_pid in
 * pid_ns_for_children).  The first process of a namespace, number 1
 * there, becomes its init.
 */
int process_register(struct process *p, struct process *parent, const struct pid_request *req)
{
	struct pid_namespace *ns = to_pid_ns(p->nsproxy->ns[NS_PID_CHILDREN]);
	struct pid *k = pid_new(ns);
	irqflags_t f;
	int err;

	if (!k)
		return -ENOMEM;
	f = spin_lock_irqsave(&process_table_lock);
	err = pid_number_locked(k, req);
	if (err) {
		spin_unlock_irqrestore(&process_table_lock, f);
		pid_put(k);
		return err;
	}
	p->kpid = k;
	p->pid = k->up[0].nr;
	if (ns->level && k->up[ns->level].nr == 1) {
		ns->reaper = p;
		ns->had_init = true;
	}
	process_set_groups_locked(p, p->pgid, p->sid);
	p->parent = parent;
	if (parent)
		list_add_tail(&parent->children, &p->sibling);
	list_add_tail(&all_processes, &p->all);
	spin_unlock_irqrestore(&process_table_lock, f);
	return 0;
}

void process_get(struct process *p)
{
	refcount_inc(&p->refs);
}

void process_put(struct process *p)
{
	if (!p || !refcount_dec_and_test(&p->refs))
		return;
	cgroup_process_free(p);	/* if never reaped (fork failed): the same */
	kfree(p->exe_path);
	kfree(p);
}

/* Drop what a process holds once its last thread is gone. */
void process_release_resources(struct process *p)
{
	struct fd_table *files;
	struct fs_context *fs;
	struct vmar *vm;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	files = p->files;
	fs = p->fs;
	vm = p->vmar;
	p->vmar = NULL;
	/* Under the lock: process_files_get and process_fs_get may be taking a reference. */
	p->files = NULL;
	p->fs = NULL;
	spin_unlock_irqrestore(&process_table_lock, f);
	if (files)
		fd_table_put(files);
	if (fs)
		fs_context_put(fs);
	if (vm)
		vmar_put(vm);
	keys_process_exit(p);
	process_nsproxy_exit(p);
}

/* wait4 has collected p: take it out of the table and the tree. */
void process_reap(struct process *p)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	/*
	 * Once only: a dying namespace init reaping its zombies (pid_ns_zap)
	 * may meet a child that reaps itself (SIGCHLD ignored).
	 */
	if (p->state == PROCESS_REAPED) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return;
	}
	p->state = PROCESS_REAPED;
	list_del(&p->sibling);
	list_del(&p->all);
	spin_unlock_irqrestore(&process_table_lock, f);
	process_drop_pids(p);	/* its numbers may be handed out again */
	cgroup_process_free(p);	/* Linux's release_task: the last pids charge goes now */
	process_put(p);
}

struct process *process_find(pid_t pid)
{
	return process_find_global(pid_from_vnr(pid));
}

struct process *process_find_global(pid_t pid)
{
	struct process *p, *found = NULL;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(p, &all_processes, all)
		if (p->pid == pid && p->state != PROCESS_REAPED) {
			found = p;
			process_get(p);
			break;
		}
	spin_unlock_irqrestore(&process_table_lock, f);
	return found;
}

int process_for_each(int (*fn)(struct process *p, void *arg), void *arg)
{
	struct process *p;
	int ret = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(p, &all_processes, all) {
		if (p->state == PROCESS_REAPED)
			continue;
		ret = fn(p, arg);
		if (ret)
			break;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return ret;
}

/* Tasks of uid's processes, or of all when all is set. */
static unsigned int count_tasks(uid_t uid, bool all)
{
	struct process *p;
	unsigned int n = 0;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(p, &all_processes, all) {
		if ((!all && p->cred.uid != uid) || p->state == PROCESS_REAPED)
			continue;
		n += p->state == PROCESS_ALIVE ? MAX(p->nr_threads, 1U) : 1;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return n;
}

unsigned int user_task_count(uid_t uid)
{
	return count_tasks(uid, false);
}

unsigned int process_task_count(void)
{
	return count_tasks(0, true);
}

/*
 * Linux's set_max_threads: RAM / (8 * THREAD_SIZE), so that thread stacks
 * cannot take more than an eighth of memory, clamped to [MIN, MAX].
 */
#define THREADS_MIN		20
#define THREADS_MAX		0x3fffffff	/* FUTEX_TID_MASK */
#define LINUX_THREAD_SIZE	16384		/* x86-64's kernel stack */

static atomic_t threads_max;	/* 0: the default, not computed yet */

static int threads_max_default(void)
{
	uint64_t t = (uint64_t)frames_total() * PAGE_SIZE / (LINUX_THREAD_SIZE * 8ULL);

	return (int)MIN(MAX(t, (uint64_t)THREADS_MIN), (uint64_t)THREADS_MAX);
}

int process_threads_max(void)
{
	int v = atomic_read(&threads_max);

	return v ? v : threads_max_default();
}

/* Linux's sysctl_max_threads takes down to 1, below set_max_threads' floor. */
int process_threads_max_set(int v)
{
	if (v < 1 || v > THREADS_MAX)
		return -EINVAL;
	atomic_set(&threads_max, v);
	return 0;
}

void process_apply_mm_rlimits(struct process *p)
{
	struct vmar *v = process_vmar_get(p);

	if (!v)
		return;
	vmar_set_rlimits(v, p->rlimits[RLIMIT_AS].cur, p->rlimits[RLIMIT_DATA].cur);
	vmar_put(v);
}

struct thread *thread_find(pid_t tid)
{
	return thread_find_global(pid_from_vnr(tid));
}

struct thread *thread_find_global(pid_t tid)
{
	struct process *p;
	struct thread *t, *found = NULL;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(p, &all_processes, all) {
		if (p->state != PROCESS_ALIVE)
			continue;
		list_for_each_entry(t, &p->threads, proc_node)
			if (t->tid == tid && !t->exiting) {
				found = t;
				process_get(p);
				break;
			}
		if (found)
			break;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return found;
}

struct vmar *process_vmar_get(struct process *p)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct vmar *vm = p->vmar;

	if (vm)
		vmar_get(vm);
	spin_unlock_irqrestore(&process_table_lock, f);
	return vm;
}

struct fd_table *process_files_get(struct process *p)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct fd_table *t = p->files;

	if (t)
		fd_table_get(t);
	spin_unlock_irqrestore(&process_table_lock, f);
	return t;
}

struct fs_context *process_fs_get(struct process *p)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	struct fs_context *c = p->fs;

	if (c)
		fs_context_get(c);
	spin_unlock_irqrestore(&process_table_lock, f);
	return c;
}

bool pgrp_in_session(pid_t pgid, pid_t sid)
{
	struct process *p;
	bool found = false;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);

	list_for_each_entry(p, &all_processes, all)
		/* Zombies still belong to their group until they are reaped, as on Linux. */
		if (p->pgid == pgid && p->sid == sid && p->state != PROCESS_REAPED) {
			found = true;
			break;
		}
	spin_unlock_irqrestore(&process_table_lock, f);
	return found;
}

bool cred_in_group(const struct cred *c, gid_t gid)
{
	if (c->fsgid == gid)
		return true;
	for (uint32_t i = 0; i < c->ngroups && i < CRED_GROUPS; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/* The exiting p's children go to init (pid 1); the table lock is held. */
/*
 * Who adopts the children of p: the nearest living ancestor that asked to
 * be a child subreaper (PR_SET_CHILD_SUBREAPER), else init.
 */
static struct process *new_reaper_locked(struct process *p)
{
	struct pid_namespace *ns = process_pid_ns(p);

	/* Subreapers count inside p's pid namespace only; then its init (Linux's find_new_reaper). */
	for (struct process *a = p->parent; a && a != init_process && process_pid_ns(a) == ns;
	     a = a->parent) {
		if (a == ns->reaper)
			break;
		if (a->child_subreaper && a->state == PROCESS_ALIVE && !a->exiting)
			return a;
	}
	return pid_ns_reaper_locked(p);
}

struct process *process_reparent_children_locked(struct process *p, struct process **reaper_out,
						bool *zombies)
{
	struct process *c, *tmp, *reaper = new_reaper_locked(p), *pdeath = NULL;

	*reaper_out = reaper;
	*zombies = false;
	list_for_each_entry_safe(c, tmp, &p->children, sibling) {
		list_del(&c->sibling);
		c->parent = reaper;
		if (reaper && reaper != p)
			list_add_tail(&reaper->children, &c->sibling);
		if (c->state == PROCESS_ZOMBIE)
			*zombies = true;
		if (c->pdeath_signal && c->state == PROCESS_ALIVE) {
			process_get(c);
			c->pdeath_next = pdeath;
			pdeath = c;
		}
	}
	return pdeath;
}

void process_send_pdeath_signals(struct process *list)
{
	while (list) {
		struct process *c = list;

		list = c->pdeath_next;
		c->pdeath_next = NULL;
		(void)signal_send(c, c->pdeath_signal);
		process_put(c);
	}
}
