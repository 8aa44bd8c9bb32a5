// SPDX-License-Identifier: MPL-2.0
// pidfds: pidfd_open, pidfd_send_signal and pidfd_getfd, the file they
// work on (readable once its process has exited, "Pid:" in fdinfo), and
// what waitid(P_PIDFD) and clone's CLONE_PIDFD need of it.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "fs/syscalls/sys.h"
#include "process/capability.h"
#include "process/internal.h"
#include "process/pid.h"
#include "process/pidfd.h"
#include "syscall/syscall.h"
#include "uapi/pidfd.h"
#include "uapi/signal.h"

/* The process behind a pidfd: f->priv, one reference held by the file. */
static struct process *pidfd_process(struct file *f)
{
	return f->priv;
}

static const struct file_ops pidfd_ops;

struct process *pidfd_file_process(struct file *f)
{
	if (f->ops != &pidfd_ops)
		return NULL;
	process_get(f->priv);
	return f->priv;
}

static bool process_exited(struct process *p)
{
	irqflags_t fl = spin_lock_irqsave(&process_table_lock);
	bool gone = p->state != PROCESS_ALIVE;

	spin_unlock_irqrestore(&process_table_lock, fl);
	return gone;
}

/* Readable once the process has exited (all its threads gone), as Linux's pidfd_poll. */
static unsigned int pidfd_poll(struct file *f)
{
	return process_exited(pidfd_process(f)) ? POLLIN | POLLRDNORM : 0;
}

/*
 * Linux prints -1 once the process was reaped (its pid names nothing
 * then), 0 when the reader cannot see it; NSpid has its numbers from the
 * reader's pid namespace down.
 */
static void pidfd_fdinfo(struct file *f, char *buf, size_t size)
{
	struct process *p = pidfd_process(f);
	struct pid_namespace *ns = current_pid_ns();
	irqflags_t fl = spin_lock_irqsave(&process_table_lock);
	pid_t global = p->state == PROCESS_REAPED ? -1 : p->pid;
	char nums[12 * (PID_NS_MAX_LEVEL + 1)];

	spin_unlock_irqrestore(&process_table_lock, fl);
	if (global < 0) {
		snprintf(buf, size, "Pid:\t-1\nNSpid:\t-1\n");
		return;
	}
	(void)pid_ns_numbers(global, global, ns, nums, sizeof(nums));
	snprintf(buf, size, "Pid:\t%d\nNSpid:%s\n", pid_nr_ns(global, ns), nums);
}

static void pidfd_release(struct file *f)
{
	process_put(pidfd_process(f));
}

static const struct file_ops pidfd_ops = {
	.anon_name = "pidfd",
	.poll = pidfd_poll,
	.fdinfo = pidfd_fdinfo,
	.release = pidfd_release,
};

int pidfd_install(struct process *p, unsigned int flags)
{
	struct file *f;

	process_get(p);
	f = file_alloc(&pidfd_ops, O_RDWR | (flags & PIDFD_NONBLOCK), p);
	if (!f) {
		process_put(p);
		return -ENOMEM;
	}
	return install_file(f, true);
}

/* The pidfd at fd, referenced (file_put it): 0, or -EBADF for anything else. */
static int pidfd_get(int fd, struct file **out)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	if (f->ops != &pidfd_ops) {
		file_put(f);
		return -EBADF;
	}
	*out = f;
	return 0;
}

int pidfd_process_get(int fd, struct process **out)
{
	struct file *f;
	struct process *p;
	irqflags_t fl;
	bool reaped;
	int err = pidfd_get(fd, &f);

	if (err)
		return err;
	p = pidfd_process(f);
	fl = spin_lock_irqsave(&process_table_lock);
	reaped = p->state == PROCESS_REAPED;
	spin_unlock_irqrestore(&process_table_lock, fl);
	if (!reaped)
		process_get(p);
	file_put(f);
	if (reaped)
		return -ESRCH;
	*out = p;
	return 0;
}

bool process_dying(struct process *p)
{
	irqflags_t fl = spin_lock_irqsave(&process_table_lock);
	bool dying = p->exiting || (p->shared_pending & sigbit(SIGKILL));
	struct thread *t;

	list_for_each_entry(t, &p->threads, proc_node)
		if (t->pending & sigbit(SIGKILL))
			dying = true;
	spin_unlock_irqrestore(&process_table_lock, fl);
	return dying;
}

int pidfd_wait_pid(int fd, pid_t *pid, bool *nonblock)
{
	struct process *p;
	struct file *f;
	irqflags_t fl;
	int err;

	if (fd < 0)
		return -EINVAL;
	err = pidfd_get(fd, &f);
	if (err)
		return err;
	p = pidfd_process(f);
	fl = spin_lock_irqsave(&process_table_lock);
	*pid = p->state == PROCESS_REAPED ? 0 : p->pid;
	spin_unlock_irqrestore(&process_table_lock, fl);
	*nonblock = f->flags & O_NONBLOCK;
	file_put(f);
	return 0;
}

long sys_pidfd_open(pid_t pid, unsigned int flags)
{
	struct process *p;
	struct thread *t;
	int fd;

	if (flags & ~(unsigned int)PIDFD_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	p = process_find(pid);
	if (!p) {
		/* A thread that leads no process: Linux 6.1 refuses it (no PIDFD_THREAD). */
		t = thread_find(pid);
		if (!t)
			return -ESRCH;
		process_put(t->proc);
		return -EINVAL;
	}
	fd = pidfd_install(p, flags);
	process_put(p);
	return fd;
}

/*
 * The siginfo a caller gives: it must carry sig, and only a process
 * signalling itself may pose as the kernel or as kill()/tkill() (si_code
 * >= 0 or SI_TKILL), as rt_sigqueueinfo's rule.
 */
static int siginfo_from_user(uaddr_t ua, int sig, struct process *target, struct k_siginfo *si)
{
	if (copy_from_user(si, ua, sizeof(*si)))
		return -EFAULT;
	if (si->signo != sig)
		return -EINVAL;
	if (target != current_process() && (si->code >= 0 || si->code == SI_TKILL))
		return -EPERM;
	return 0;
}

static void kill_siginfo(struct k_siginfo *si, int sig)
{
	struct process *me = current_process();

	memset(si, 0, sizeof(*si));
	si->signo = sig;
	si->code = SI_USER;
	si->u.kill.pid = pid_vnr(me->pid);
	si->u.kill.uid = me->cred.uid;
}

/* Linux's kill_pid_info on a pidfd's process: ESRCH once reaped, a zombie takes (and drops) it. */
static long send_to(struct process *p, int sig, const struct k_siginfo *si)
{
	irqflags_t fl = spin_lock_irqsave(&process_table_lock);
	bool reaped = p->state == PROCESS_REAPED;

	spin_unlock_irqrestore(&process_table_lock, fl);
	if (reaped)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (!may_signal(p, sig))
		return -EPERM;
	return sig ? signal_send_info(p, NULL, sig, si) : 0;
}

long sys_pidfd_send_signal(int pidfd, int sig, uaddr_t info, unsigned int flags)
{
	struct k_siginfo si;
	struct process *p;
	struct file *f;
	long err;

	if (flags)
		return -EINVAL;
	err = pidfd_get(pidfd, &f);
	if (err)
		return err;
	p = pidfd_process(f);
	if (info)
		err = siginfo_from_user(info, sig, p, &si);
	else
		kill_siginfo(&si, sig);
	if (!err)
		err = send_to(p, sig, &si);
	file_put(f);
	return err;
}

static bool ids_all(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a && id == b && id == c;
}

/*
 * Linux's PTRACE_MODE_ATTACH_REALCREDS: the caller's real uid and gid
 * are each of the target's real, effective and saved ones, or the caller
 * has CAP_SYS_PTRACE; a process that is not dumpable, or that has permitted
 * capabilities the caller lacks, needs the privilege too.  A process may
 * always reach itself.
 */
int process_access_realcreds(struct process *p)
{
	struct process *me = current_process();
	const struct cred *c = &me->cred, *t = &p->cred;
	bool privileged = cred_capable(c, CAP_SYS_PTRACE);

	if (p == me)
		return 0;
	if (!privileged && (!ids_all(c->uid, t->uid, t->euid, t->suid) ||
			    !ids_all(c->gid, t->gid, t->egid, t->sgid)))
		return -EPERM;
	if ((p->not_dumpable || (t->cap_permitted & ~c->cap_permitted)) && !privileged)
		return -EPERM;
	return 0;
}

/* Another reference to p's open file fd: 0, -ESRCH (exited), -EPERM, -EBADF. */
static int fget_of(struct process *p, int fd, struct file **out)
{
	struct fd_table *files;
	irqflags_t fl = spin_lock_irqsave(&process_table_lock);
	bool reaped = p->state == PROCESS_REAPED;
	int err;

	spin_unlock_irqrestore(&process_table_lock, fl);
	if (reaped)
		return -ESRCH;
	err = process_access_realcreds(p);
	if (err)
		return err;
	/*
	 * An exiting process has dropped its table: Linux says ESRCH then, not
	 * EBADF ("pidfd: getfd should always report ESRCH if a task is exiting").
	 */
	files = process_files_get(p);
	if (!files)
		return -ESRCH;
	*out = fd < 0 ? NULL : fd_get(files, fd);
	fd_table_put(files);
	return *out ? 0 : -EBADF;
}

long sys_pidfd_getfd(int pidfd, int targetfd, unsigned int flags)
{
	struct file *pf, *f;
	int err;

	if (flags)
		return -EINVAL;
	err = pidfd_get(pidfd, &pf);
	if (err)
		return err;
	err = fget_of(pidfd_process(pf), targetfd, &f);
	file_put(pf);
	if (err)
		return err;
	return install_file(f, true);
}
