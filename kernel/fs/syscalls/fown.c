// SPDX-License-Identifier: MPL-2.0
// fcntl's file owner: F_SETOWN, F_GETOWN, F_SETOWN_EX, F_GETOWN_EX,
// F_SETSIG and F_GETSIG, with Linux's checks (EINVAL, ESRCH, EFAULT), and
// the sockets' FIOSETOWN/SIOCSPGRP.  With O_ASYNC the owner gets SIGIO
// (fs/event/sigio.c), as whoever set it is allowed to signal it.
#include "fs/syscalls/sys.h"
#include "process/process.h"
#include "uapi/fcntl.h"

/* Does a process group pgid exist (any process in it)? */
static int in_pgrp(struct process *p, void *arg)
{
	return p->state == PROCESS_ALIVE && p->pgid == *(pid_t *)arg;
}

/* Linux's find_vpid: a thread id, or a process group's number. */
static bool id_exists(pid_t id, int type)
{
	struct thread *t;

	if (type == F_OWNER_PGRP)
		return process_for_each(in_pgrp, &id) != 0;
	t = thread_find_global(id);
	if (!t)
		return process_for_each(in_pgrp, &id) != 0;	/* a group's leader may be gone */
	process_put(t->proc);
	return true;
}

/* The owner is kept as the kernel's number; F_GETOWN shows the caller's. */
static long set_owner(struct file *f, int type, pid_t pid)
{
	pid = pid_from_vnr(pid);
	if (pid && !id_exists(pid, type))
		return -ESRCH;
	f->owner_type = type;
	f->owner_pid = pid;
	/* Linux's f_modown: the setter's euid decides who may be signalled. */
	if (pid)
		f->owner_euid = current_process()->cred.euid;
	return 0;
}

long fcntl_owner(struct file *f, int cmd, unsigned long arg)
{
	struct linux_f_owner_ex ex;
	int who = (int)arg;

	switch (cmd) {
	case F_SETOWN:
		if (who == INT32_MIN)
			return -EINVAL;
		return who < 0 ? set_owner(f, F_OWNER_PGRP, -who) : set_owner(f, F_OWNER_PID, who);
	case F_GETOWN:
		return f->owner_type == F_OWNER_PGRP ? -(long)pid_vnr(f->owner_pid) : pid_vnr(f->owner_pid);
	case F_SETOWN_EX:
		if (copy_from_user(&ex, arg, sizeof(ex)))
			return -EFAULT;
		if (ex.type != F_OWNER_TID && ex.type != F_OWNER_PID && ex.type != F_OWNER_PGRP)
			return -EINVAL;
		return set_owner(f, ex.type, ex.pid);
	case F_GETOWN_EX:
		ex.type = f->owner_type;
		ex.pid = pid_vnr(f->owner_pid);
		return copy_to_user(arg, &ex, sizeof(ex)) ? -EFAULT : 0;
	case F_SETSIG:
		if (arg > NSIG)
			return -EINVAL;
		f->owner_sig = (int)arg;
		return 0;
	default:	/* F_GETSIG */
		return f->owner_sig;
	}
}

/* FIOSETOWN and SIOCSPGRP of a socket: F_SETOWN with the id read from user memory. */
long file_ioctl_setown(struct file *f, uint64_t arg)
{
	int32_t who;

	if (copy_from_user(&who, arg, sizeof(who)))
		return -EFAULT;
	return fcntl_owner(f, F_SETOWN, (unsigned long)(long)who);
}

/* FIOGETOWN and SIOCGPGRP: F_GETOWN into user memory. */
long file_ioctl_getown(struct file *f, uint64_t arg)
{
	int32_t who = (int32_t)fcntl_owner(f, F_GETOWN, 0);

	return copy_to_user(arg, &who, sizeof(who)) ? -EFAULT : 0;
}
