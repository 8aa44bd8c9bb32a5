// SPDX-License-Identifier: MPL-2.0
// execve, the process side: find the program (following #! scripts),
// end the other threads, build the new address space with kernel/exec/
// (the ELF loader and the initial stack) completely before the old one is
// dropped, so a failed exec returns an error to a program that is still
// intact, then commit the process to its new program.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/uaccess.h>
#include <aster/user.h>
#include "exec/binprm.h"
#include "fs/aio.h"
#include "fs/file.h"
#include "mm/vmar.h"
#include "process/capability.h"
#include "security/keys/keys.h"
#include "process/futex.h"
#include "process/internal.h"
#include "process/pid.h"
#include "process/ptrace.h"
#include "syscall/syscall.h"
#include "uapi/fcntl.h"
#include "uapi/limits.h"
#include "uapi/binfmts.h"
#include "uapi/auxvec.h"

static void set_comm(struct process *p, const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	strlcpy(p->comm, base, sizeof(p->comm));
}

/* After the point of no return: the process takes on its new program. */
static void commit_exec(struct thread *t, struct vmar *vm, const struct load_info *li,
			const struct exec_stack *st, struct file *f, const char *path,
			const struct cred *nc, bool secure)
{
	struct process *p = t->proc;
	char *exe = kmalloc(PATH_MAX);

	vmar_set_brk_base(vm, li->brk);
	fd_table_close_on_exec(p->files);
	for (int i = 0; i < NSIG; i++)
		if (p->sigactions[i].handler != SIG_IGN)
			p->sigactions[i] = (struct k_sigaction){ 0 };
	t->altstack_sp = t->altstack_size = 0;
	t->altstack_flags = 0;
	set_comm(p, path);
	if (exe && file_path(f, exe, PATH_MAX) >= 0) {
		kfree(p->exe_path);
		p->exe_path = exe;
	} else {
		kfree(exe);
	}
	user_context_init(&t->ctx);
	t->ctx.regs.rip = li->entry;
	t->ctx.regs.rsp = st->sp;
	p->arg_start = st->arg_start;
	p->arg_end = st->arg_end;
	p->env_start = st->env_start;
	p->env_end = st->env_end;
	memcpy(p->saved_auxv, st->auxv, sizeof(p->saved_auxv));
	p->saved_auxv_words = st->auxv_words;
	t->in_syscall = false;
	p->exec_done = true;
	/* Dumpable again, as Linux after an exec that gained no privilege. */
	p->not_dumpable = secure || nc->euid != nc->uid || nc->egid != nc->gid ||
			  (nc->cap_permitted & ~p->cred.cap_permitted);
	p->cred = *nc;
	p->membarrier_registered = 0;	/* registrations belong to the old mm */
	rseq_exec(t);
	posix_timers_delete_all(p);	/* POSIX: timers do not survive exec */
	aio_exit(p);	/* AIO contexts belong to the old address space */
	keys_exec(t);			/* thread and process keyrings do not either */
	vfork_release(p);
}

static bool only_thread_left(void *arg)
{
	struct process *p = arg;

	return p->nr_threads == 1;
}

/*
 * exec in a multithreaded process: every other thread ends (killed, but
 * without ending the process) before the program is replaced, and the
 * caller takes over the process's pid as its tid.  -EAGAIN if the process
 * is already ending or another thread is execing; -EINTR on a fatal signal.
 */
static int de_thread(struct thread *t)
{
	struct process *p = t->proc;
	struct thread *o;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	int err;

	if (p->exiting || p->exec_thread) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return -EAGAIN;
	}
	if (p->nr_threads == 1) {
		spin_unlock_irqrestore(&process_table_lock, f);
		return 0;
	}
	p->exec_thread = t;
	list_for_each_entry(o, &p->threads, proc_node) {
		if (o == t)
			continue;
		o->pending |= sigbit(SIGKILL);
		thread_kick(o);
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	err = wait_killable(&p->threads_gone, only_thread_left, p);
	f = spin_lock_irqsave(&process_table_lock);
	p->exec_thread = NULL;
	if (!err && t->kpid != p->kpid) {
		/* Linux's exchange_tid: the thread takes the leader's numbers. */
		pid_put_locked(t->kpid);
		pid_get(p->kpid);
		t->kpid = p->kpid;
		t->tid = p->pid;
	}
	spin_unlock_irqrestore(&process_table_lock, f);
	return err;
}

/*
 * The old program's view of this thread ends: its robust futexes are
 * released and its clear_child_tid word cleared (a CLONE_VM parent may be
 * waiting on it), while the old address space is still the active one.
 */
static void exec_release_thread_memory(struct thread *t)
{
	futex_exit_robust_list(t);
	if (t->clear_child_tid) {
		(void)put_user_u32(t->clear_child_tid, 0);
		futex_wake_addr(t->clear_child_tid, 1);
		t->clear_child_tid = 0;
	}
}

/* The credentials the new program runs with (set-id bits, capabilities). */
static void exec_creds(struct process *p, struct file *f, struct cred *nc, bool *secure)
{
	struct cap_exec_file cf = { .nosuid = file_nosuid(f), .no_new_privs = p->no_new_privs };

	/* Without the inode's ids the set-id bits cannot be honoured: ignore them. */
	if (file_stat_ids(f, &cf.mode, &cf.uid, &cf.gid))
		cf.mode = 0;
	/* A program traced by an unprivileged tracer does not gain privileges the tracer could use. */
	cf.unsafe = !ptrace_tracer_capable(current_thread(), CAP_SYS_PTRACE);
	cap_exec_creds(nc, &p->cred, &cf, secure);
}

/* Replace the current program: 0 (the thread now starts the new one) or -errno. */
static int exec_core(int dirfd, const char *path, int at_flags, struct exec_args *ea)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	char *interp = kmalloc(PATH_MAX), *cur = kmalloc(PATH_MAX);
	uint8_t *head = kmalloc(EXEC_HEAD_MAX);
	struct vmar *vm = NULL, *old = p->vmar;
	struct load_info li;
	struct file *f = NULL;
	size_t len = 0;
	struct exec_stack st;
	struct cred nc;
	bool secure = false;
	int err = (!interp || !cur || !head) ? -ENOMEM : 0;

	if (!err && strlcpy(cur, path, PATH_MAX) >= PATH_MAX)
		err = -ENAMETOOLONG;
	for (int depth = 0; !err; depth++) {
		err = vfs_open_exec(depth ? AT_FDCWD : dirfd, cur, depth ? 0 : at_flags, &f);
		if (!err)
			err = exec_read_head(f, head, &len);
		if (err || !script_detect(head, len))
			break;
		if (depth >= SCRIPT_MAX_DEPTH) {
			err = -ELOOP;
			break;
		}
		err = script_apply(ea, head, len, cur, interp, PATH_MAX);
		file_put(f);
		f = NULL;
		if (!err)
			strlcpy(cur, interp, PATH_MAX);
	}
	if (!err)
		err = de_thread(t);
	if (!err)
		err = vmar_create(&vm);
	if (!err) {
		vmar_set_rlimits(vm, p->rlimits[RLIMIT_AS].cur, p->rlimits[RLIMIT_DATA].cur);
		exec_release_thread_memory(t);
		/* Build in the new space: user copies and faults go to p->vmar. */
		file_deny_write(f);
		p->vmar = vm;
		task_set_vm_space(task_current(), vmar_space(vm));
		err = elf_load_program(vm, f, head, len, &li);
		if (!err)
			err = vdso_map(vm, &li.vdso_base);
		if (!err) {
			exec_creds(p, f, &nc, &secure);
			err = exec_build_stack(vm, ea, path, &li, &nc, &st);
		}
		if (err) {
			p->vmar = old;
			task_set_vm_space(task_current(), vmar_space(old));
			vmar_put(vm);
			file_allow_write(f);
		} else {
			commit_exec(t, vm, &li, &st, f, path, &nc, secure);
			vmar_put(old);
		}
	}
	if (f)
		file_put(f);
	kfree(interp);
	kfree(cur);
	kfree(head);
	return err;
}

int do_execve(int dirfd, const char *path, uint64_t argv_ua, uint64_t envp_ua, int flags)
{
	struct exec_args ea = { 0 };
	pid_t old_tid = current_thread()->tid;
	int err = exec_args_from_user(&ea, argv_ua, &ea.argc);

	if (!err)
		err = exec_args_from_user(&ea, envp_ua, &ea.envc);
	if (!err)
		err = exec_core(dirfd, path, flags, &ea);
	exec_args_free(&ea);
	if (!err)
		ptrace_exec(current_thread(), old_tid);	/* the exec event, or SIGTRAP */
	return err;
}

int exec_first(const char *path, const char *const argv[], const char *const envp[])
{
	struct exec_args ea = { 0 };
	int err = exec_args_from_kernel(&ea, argv, &ea.argc);

	if (!err)
		err = exec_args_from_kernel(&ea, envp, &ea.envc);
	if (!err)
		err = exec_core(AT_FDCWD, path, 0, &ea);
	exec_args_free(&ea);
	return err;
}

static long execve_common(int dirfd, uaddr_t path_ua, uaddr_t argv, uaddr_t envp, int flags)
{
	char *path = kmalloc(PATH_MAX);
	long n, err;

	if (!path)
		return -ENOMEM;
	n = strncpy_from_user(path, path_ua, PATH_MAX);
	if (n < 0)
		err = n;
	else if (n == 0 && !(flags & AT_EMPTY_PATH))
		err = -ENOENT;
	else
		err = do_execve(dirfd, path, argv, envp, flags);
	kfree(path);
	return err;
}

long sys_execve(uaddr_t pathname, uaddr_t argv, uaddr_t envp)
{
	return execve_common(AT_FDCWD, pathname, argv, envp, 0);
}

long sys_execveat(int dirfd, uaddr_t pathname, uaddr_t argv, uaddr_t envp, int flags)
{

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	return execve_common(dirfd, pathname, argv, envp, flags);
}
