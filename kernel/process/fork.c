// SPDX-License-Identifier: MPL-2.0
// fork, vfork and clone: a new process (or, with CLONE_THREAD, a new
// thread) that resumes from the same syscall with rax = 0.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/fdtable.h"
#include "mm/vmar.h"
#include "security/keys/keys.h"
#include "process/futex.h"
#include "process/capability.h"
#include "ns/ns.h"
#include "process/internal.h"
#include "process/pid.h"
#include "process/pidfd.h"
#include "process/ptrace.h"
#include "cgroup/cgroup.h"
#include "uapi/ptrace.h"
#include "syscall/syscall.h"
#include "uapi/sched.h"

/*
 * Masks of this implementation, built from the ABI's flags: every
 * namespace flag but CLONE_NEWTIME (clone3's, where it does not mean
 * CSIGNAL), and the flags clone(2) can carry, all in its 32-bit argument
 * (the rest are clone3's).
 */
#define NAMESPACE_FLAGS		(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
				 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)
#define LEGACY_CLONE_MASK	0xffffffffULL

static struct wait_queue vfork_wait = WAIT_QUEUE_INIT;

/* The child starts as a copy of the caller's user context, returning 0. */
static int copy_context(struct thread *child, struct thread *parent, uint64_t newsp)
{
	size_t n = user_fpu_state_size();
	uint8_t *fpu = kmalloc(n);

	if (!fpu)
		return -ENOMEM;
	child->ctx.regs = parent->ctx.regs;
	user_fpu_save(&parent->ctx, fpu, n);
	user_fpu_restore(&child->ctx, fpu, n);
	kfree(fpu);
	child->ctx.regs.rax = 0;
	if (newsp)
		child->ctx.regs.rsp = newsp;
	child->blocked = parent->blocked;
	return 0;
}

/* The address space, files and fs context of a new process. */
static int copy_resources(struct process *c, struct process *p, uint64_t flags)
{
	int err;

	if (flags & CLONE_VM) {
		vmar_get(p->vmar);
		c->vmar = p->vmar;
	} else if ((err = vmar_fork(p->vmar, &c->vmar))) {
		return err;
	}
	if (flags & CLONE_FILES) {
		fd_table_get(p->files);
		c->files = p->files;
	} else if ((err = fd_table_clone(p->files, &c->files))) {
		return err;
	}
	if (flags & CLONE_FS) {
		fs_context_get(p->fs);
		c->fs = p->fs;
	} else if ((err = fs_context_clone(p->fs, &c->fs))) {
		return err;
	}
	return nsproxy_copy(p, flags, c->fs, &c->nsproxy);
}

int current_fs_unshare(void)
{
	struct fs_context *copy;
	int err = fs_context_clone(current_process()->fs, &copy);

	if (!err)
		current_fs_replace(copy);
	return err;
}

void current_fs_replace(struct fs_context *copy)
{
	struct process *p = current_process();
	struct fs_context *old;
	irqflags_t f;

	/* Under the lock: process_fs_get may be taking a reference to the old one. */
	f = spin_lock_irqsave(&process_table_lock);
	old = p->fs;
	p->fs = copy;
	spin_unlock_irqrestore(&process_table_lock, f);
	fs_context_put(old);
}

static void copy_identity(struct process *c, const struct process *p)
{
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->ctty = p->ctty;
	c->cred = p->cred;
	c->umask = p->umask;
	c->no_new_privs = p->no_new_privs;
	c->personality = p->personality;
	c->not_dumpable = p->not_dumpable;
	c->oom_score_adj = p->oom_score_adj;
	c->oom_score_adj_min = p->oom_score_adj_min;
	memcpy(c->sigactions, p->sigactions, sizeof(c->sigactions));
	memcpy(c->rlimits, p->rlimits, sizeof(c->rlimits));
	memcpy(c->comm, p->comm, sizeof(c->comm));
	c->arg_start = p->arg_start;
	c->arg_end = p->arg_end;
	c->env_start = p->env_start;
	c->env_end = p->env_end;
	memcpy(c->saved_auxv, p->saved_auxv, sizeof(c->saved_auxv));
	c->saved_auxv_words = p->saved_auxv_words;
	c->coredump_filter = p->coredump_filter;
	if (p->exe_path) {
		size_t n = strlen(p->exe_path) + 1;

		c->exe_path = kmalloc(n);
		if (c->exe_path)
			memcpy(c->exe_path, p->exe_path, n);
	}
}

/* Handled signals go back to their default action; ignored ones stay ignored. */
static void clear_handlers(struct process *c)
{
	for (int i = 0; i < NSIG; i++)
		if (c->sigactions[i].handler != SIG_IGN)
			c->sigactions[i] = (struct k_sigaction){ 0 };
}

static bool vfork_done(void *arg)
{
	struct process *c = arg;

	return atomic_read(&c->vfork_pending) == 0;
}

void vfork_release(struct process *c)
{
	if (!atomic_cmpxchg(&c->vfork_pending, 1, 0))
		return;
	wake_up_all(&vfork_wait);
}

static long clone_thread(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls,
			 int cgroup_fd, const struct pid_request *req)
{
	struct thread *self = current_thread();
	struct thread *t = thread_alloc(self->proc);
	int err, event;
	pid_t tid;

	if (!t)
		return -ENOMEM;
	keys_thread_clone(t, self, true);
	/* pids.max counts threads too; thread_free gives the charge back. */
	err = cgroup_fork(self->proc, t, cgroup_fd, true);
	if (!err)
		err = copy_context(t, self, newsp);
	if (!err && (flags & CLONE_SETTLS))
		t->ctx.regs.fs_base = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid;
	if (flags & CLONE_CHILD_SETTID)
		t->set_child_tid = ctid;
	event = err ? 0 : ptrace_clone_attach(self, t, flags);
	if (event < 0)
		err = event;
	if (!err)
		err = thread_start(t, req);
	if (err < 0) {
		ptrace_clone_abort(t);
		thread_free(t);
		return err;
	}
	/* err is the new tid; t itself may already be gone. */
	tid = err;
	if ((flags & CLONE_PARENT_SETTID) && put_user_u32(ptid, (uint32_t)tid))
		return -EFAULT;
	ptrace_clone_started(self, event, tid);
	return tid;
}

/*
 * CLONE_PIDFD: a pidfd for the child, written to *pidfd_ua before the child
 * runs (Linux's order).  Undone by the caller if the child never starts.
 */
static int clone_pidfd(struct process *c, uaddr_t pidfd_ua)
{
	int fd = pidfd_install(c, 0);

	if (fd < 0)
		return fd;
	if (put_user_u32(pidfd_ua, (uint32_t)fd)) {
		(void)fd_close(current_files(), fd);
		return -EFAULT;
	}
	return fd;
}

static long clone_process(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls,
			  uaddr_t pidfd_ua, int cgroup_fd, const struct pid_request *req)
{
	struct thread *self = current_thread();
	struct process *p = self->proc, *c = process_alloc();
	struct thread *t;
	pid_t pid;
	int err, event = 0, pidfd = -1;

	if (!c)
		return -ENOMEM;
	copy_identity(c, p);
	keys_fork(c, p);
	if (flags & CLONE_CLEAR_SIGHAND)
		clear_handlers(c);
	c->exit_signal = (int)(flags & CSIGNAL);
	t = thread_alloc(c);
	if (t)
		keys_thread_clone(t, self, false);
	/* The child's cgroup and its pids charge (given back when c is freed). */
	err = t ? cgroup_fork(c, t, cgroup_fd, false) : -ENOMEM;
	if (!err)
		err = copy_resources(c, p, flags);
	if (!err)
		err = copy_context(t, self, newsp);
	if (err)
		goto fail;
	if (flags & CLONE_SETTLS)
		t->ctx.regs.fs_base = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid;
	rseq_fork(t, self, flags & CLONE_VM);
	if (!(flags & CLONE_VM) || (flags & CLONE_VFORK)) {
		t->altstack_sp = self->altstack_sp;
		t->altstack_size = self->altstack_size;
		t->altstack_flags = self->altstack_flags;
	}
	err = process_register(c, (flags & CLONE_PARENT) && p->parent ? p->parent : p, req);
	if (err)
		goto fail;
	/* The caller's view of the child (0 nowhere: a child in a new namespace is visible to it). */
	pid = pid_nr_of(c->kpid, current_pid_ns());
	if (flags & CLONE_PARENT_SETTID)
		(void)put_user_u32(ptid, (uint32_t)pid);
	if (flags & CLONE_CHILD_SETTID)
		t->set_child_tid = ctid;	/* the child writes it, in its own memory */
	if (flags & CLONE_VFORK)
		atomic_set(&c->vfork_pending, 1);
	process_get(c);
	if (flags & CLONE_PIDFD)
		pidfd = err = clone_pidfd(c, pidfd_ua);
	if (err >= 0) {
		event = ptrace_clone_attach(self, t, flags);
		err = event < 0 ? event : thread_start(t, NULL);
	}
	if (err < 0) {
		if (pidfd >= 0)
			(void)fd_close(current_files(), pidfd);
		ptrace_clone_abort(t);
		thread_free(t);
		process_release_resources(c);
		process_reap(c);
		process_put(c);
		return err;
	}
	ptrace_clone_started(self, event, pid);
	if (flags & CLONE_VFORK) {
		/* Killable, as Linux's: a traced child may stay stopped a long time. */
		if (!wait_killable(&vfork_wait, vfork_done, c))
			ptrace_event(self, PTRACE_EVENT_VFORK_DONE, (uint64_t)pid);
	}
	process_put(c);
	return pid;
fail:
	if (t)
		thread_free(t);
	process_release_resources(c);
	process_put(c);
	return err;
}

/* RLIMIT_NPROC: one more task for the caller's real user?  Root and CAP_SYS_RESOURCE/ADMIN are exempt, as on Linux. */
static bool nproc_allows_one_more(const struct process *p)
{
	if (p->cred.uid == 0 || cred_capable(&p->cred, CAP_SYS_RESOURCE) || cred_capable(&p->cred, CAP_SYS_ADMIN))
		return true;
	return (uint64_t)user_task_count(p->cred.uid) + 1 <= p->rlimits[RLIMIT_NPROC].cur;
}

/*
 * Linux's copy_process checks of the namespace flags.  The nsproxy is the
 * process's here, so a thread cannot get namespaces of its own: CLONE_NEW*
 * with CLONE_THREAD is -EINVAL (Linux allows UTS, IPC, net and cgroup).
 * CLONE_NEWUSER is not built: -EINVAL, Linux's answer without
 * CONFIG_USER_NS, before any capability check as there.
 */
static int clone_ns_check(uint64_t flags)
{
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	if ((flags & (CLONE_NEWIPC | CLONE_SYSVSEM)) == (CLONE_NEWIPC | CLONE_SYSVSEM))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && (flags & NAMESPACE_FLAGS))
		return -EINVAL;
	if (flags & CLONE_NEWUSER)
		return -EINVAL;
	return 0;
}

/*
 * Linux's copy_process rules of pid namespaces: a thread cannot live in
 * another pid namespace than its creator (CLONE_NEWPID, or after
 * unshare/setns changed pid_for_children), and an init (the system's or a
 * namespace's) may not make siblings with CLONE_PARENT.
 */
static int clone_pidns_check(uint64_t flags)
{
	struct process *self = current_process();
	struct ns_common *children;
	bool other;

	if ((flags & CLONE_PARENT) && (self == init_process || pid_ns_is_init(self)))
		return -EINVAL;
	if (!(flags & CLONE_THREAD))
		return 0;
	if (flags & CLONE_NEWPID)
		return -EINVAL;
	children = process_ns_get(self, NS_PID_CHILDREN);
	if (!children)
		return -ESRCH;
	other = to_pid_ns(children) != current_pid_ns();
	ns_put(children);
	return other ? -EINVAL : 0;
}

static long do_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls,
		     uaddr_t pidfd_ua, int cgroup_fd, const struct pid_request *req)
{
	int err = clone_ns_check(flags);

	if (!err)
		err = clone_pidns_check(flags);
	if (err)
		return err;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	/* A pidfd names a process: not for threads (Linux 6.1), nor detached ones. */
	if ((flags & CLONE_PIDFD) && (flags & (CLONE_THREAD | CLONE_DETACHED)))
		return -EINVAL;
	if (!nproc_allows_one_more(current_process()))
		return -EAGAIN;
	/* Linux's copy_process: kernel/threads-max binds root too. */
	if (process_task_count() >= (unsigned int)process_threads_max())
		return -EAGAIN;
	if (flags & CLONE_THREAD)
		return clone_thread(flags, newsp, ptid, ctid, tls, cgroup_fd, req);
	return clone_process(flags, newsp, ptid, ctid, tls, pidfd_ua, cgroup_fd, req);
}

long sys_clone(unsigned long flags, uaddr_t stack, uaddr_t parent_tid, uaddr_t child_tid,
	       unsigned long tls)
{
	/* x86-64 order: flags, newsp, parent_tid, child_tid, tls.  Only the
	 * low 32 bits are flags: the clone3-only ones cannot be passed here.
	 * CLONE_PIDFD returns the pidfd through parent_tid, so it cannot go
	 * with CLONE_PARENT_SETTID. */
	if ((flags & CLONE_PIDFD) && (flags & CLONE_PARENT_SETTID))
		return -EINVAL;
	return do_clone(flags & LEGACY_CLONE_MASK, stack, parent_tid, child_tid, tls, parent_tid, -1, NULL);
}

/* Copy a struct of usize bytes that may be older (shorter) or newer (longer) than ours. */
static int copy_clone_args(struct clone_args *ka, uaddr_t ua, size_t usize)
{
	uint8_t rest;

	memset(ka, 0, sizeof(*ka));
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (copy_from_user(ka, ua, MIN(usize, sizeof(*ka))))
		return -EFAULT;
	/* Fields we do not know must be zero. */
	for (size_t off = sizeof(*ka); off < usize; off++) {
		if (copy_from_user(&rest, ua + off, 1))
			return -EFAULT;
		if (rest)
			return -E2BIG;
	}
	return 0;
}

static int clone3_check(const struct clone_args *ka)
{
	if (ka->flags & ~(LEGACY_CLONE_MASK | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
		return -EINVAL;
	if (ka->flags & (CLONE_DETACHED | CSIGNAL))
		return -EINVAL;
	if (ka->exit_signal & ~(uint64_t)CSIGNAL || ka->exit_signal > NSIG)
		return -EINVAL;
	if ((ka->flags & (CLONE_THREAD | CLONE_PARENT)) && ka->exit_signal)
		return -EINVAL;
	if ((ka->stack == 0) != (ka->stack_size == 0))
		return -EINVAL;
	if ((ka->flags & CLONE_CLEAR_SIGHAND) && (ka->flags & CLONE_SIGHAND))
		return -EINVAL;
	if (ka->set_tid_size > PID_NS_MAX_LEVEL || (!ka->set_tid && ka->set_tid_size) ||
	    (ka->set_tid && !ka->set_tid_size))
		return -EINVAL;
	return 0;
}

long sys_clone3(uaddr_t cl_args, size_t size)
{
	pid_t set_tid[PID_NS_MAX_LEVEL];
	struct pid_request req = { set_tid, 0, false };
	struct clone_args ka;
	int err = copy_clone_args(&ka, cl_args, size);

	if (!err)
		err = clone3_check(&ka);
	/* The numbers asked for, from the new task's own namespace up (Linux's set_tid). */
	if (!err && ka.set_tid_size) {
		req.n = (size_t)ka.set_tid_size;
		req.may_choose = capable(CAP_SYS_ADMIN) || capable(CAP_CHECKPOINT_RESTORE);
		if (copy_from_user(set_tid, ka.set_tid, req.n * sizeof(pid_t)))
			err = -EFAULT;
	}
	/* Linux's clone3_args_valid: the cgroup fd needs the VER2 struct and fits an int. */
	if (!err && (ka.flags & CLONE_INTO_CGROUP) &&
	    (ka.cgroup > 0x7fffffff || size < CLONE_ARGS_SIZE_VER2))
		err = -EINVAL;
	if (err)
		return err;
	/* The stack is given as a region; the stack pointer starts at its top. */
	return do_clone(ka.flags | ka.exit_signal, ka.stack ? ka.stack + ka.stack_size : 0,
			ka.parent_tid, ka.child_tid, ka.tls, ka.pidfd,
			(ka.flags & CLONE_INTO_CGROUP) ? (int)ka.cgroup : -1, req.n ? &req : NULL);
}

long sys_fork(void)
{
	return do_clone(SIGCHLD, 0, 0, 0, 0, 0, -1, NULL);
}

long sys_vfork(void)
{
	return do_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0, 0, -1, NULL);
}
