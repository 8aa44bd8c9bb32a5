// SPDX-License-Identifier: MPL-2.0
// unshare(2) and setns(2) (Linux's ksys_unshare and kernel/nsproxy.c's
// setns): leave namespaces for new ones, or join another process's.
#include <aster/errno.h>
#include "fs/fdtable.h"
#include "fs/file.h"
#include "ipc/ipc.h"
#include "ns/ns.h"
#include "process/capability.h"
#include "process/pid.h"
#include "process/pidfd.h"
#include "process/process.h"
#include "syscall/syscall.h"

#define UNSHARE_KNOWN	(CLONE_THREAD | CLONE_FS | CLONE_NEWNS | CLONE_SIGHAND | CLONE_VM | \
			 CLONE_FILES | CLONE_SYSVSEM | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
			 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME)
#define SETNS_KNOWN	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | \
			 CLONE_NEWCGROUP | CLONE_NEWUSER | CLONE_NEWTIME)

/* Linux's unshare flag implications, then check_unshare_flags. */
static int unshare_check(uint64_t *flags)
{
	uint64_t f = *flags;

	if (f & CLONE_NEWUSER)
		f |= CLONE_THREAD | CLONE_FS;
	if (f & CLONE_VM)
		f |= CLONE_SIGHAND;
	if (f & CLONE_SIGHAND)
		f |= CLONE_THREAD;
	if (f & CLONE_NEWNS)
		f |= CLONE_FS;
	if (f & CLONE_NEWIPC)
		f |= CLONE_SYSVSEM;
	if (f & ~(uint64_t)UNSHARE_KNOWN)
		return -EINVAL;
	/* Threads, handlers and memory can only be "unshared" when not shared. */
	if ((f & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) && current_process()->nr_threads > 1)
		return -EINVAL;
	*flags = f;
	return 0;
}

long sys_unshare(unsigned long uflags)
{
	uint64_t flags = uflags;
	struct fs_context *fs = NULL;
	struct nsproxy *np;
	int err = unshare_check(&flags);

	if (err)
		return err;
	/* No user namespaces: Linux's answer without CONFIG_USER_NS. */
	if (flags & CLONE_NEWUSER)
		return -EINVAL;
	if (flags & CLONE_NEWTIME)
		return capable(CAP_SYS_ADMIN) ? -EINVAL : -EPERM;
	/* A copy of the fs context first: a new mount namespace moves it into its tree. */
	if ((flags & CLONE_FS) && (err = fs_context_clone(current_process()->fs, &fs)))
		return err;
	err = nsproxy_unshare(flags, fs, &np);
	if (err) {
		fs_context_put(fs);
		return err;
	}
	if (flags & CLONE_FILES)
		err = current_files_unshare();
	if (err) {
		nsproxy_put(np);
		fs_context_put(fs);
		return err;
	}
	if (fs)
		current_fs_replace(fs);
	/* Linux's exit_sem: the SEM_UNDO adjustments are applied now. */
	if (flags & CLONE_SYSVSEM)
		ipc_ns_leave(current_process());
	if (np == current_process()->nsproxy)
		nsproxy_put(np);
	else
		process_nsproxy_set(current_process(), np);
	return 0;
}

/*
 * A copy of the caller's nsproxy with ns in its slot: joining takes
 * CAP_SYS_ADMIN (Linux's utsns_install, ipcns_install; a mount namespace
 * CAP_SYS_CHROOT too, checked by mnt_check).  Only the types that are
 * built can be joined; the others are -EINVAL as when not configured.
 */
static int nsproxy_with(struct nsproxy *np, struct ns_common *ns)
{
	int slot = ns_slot_of_type(ns->ops->type);

	if (!(ns->ops->type & NS_CLONE_BUILT) || slot < 0)
		return -EINVAL;
	/*
	 * Linux's pidns_install: only the caller's own pid namespace or a
	 * descendant, and it becomes pid_for_children (the caller stays where
	 * it is; its next child starts there).
	 */
	if (ns->ops->type == CLONE_NEWPID && !pid_ns_within(to_pid_ns(ns), current_pid_ns()))
		return -EINVAL;
	ns_get(ns);
	ns_put(np->ns[slot]);
	np->ns[slot] = ns;
	return 0;
}

/* The caller's nsproxy, copied so that slots may be replaced. */
static int nsproxy_private_copy(struct nsproxy **out)
{
	struct nsproxy *cur = process_nsproxy_get(current_process());
	struct nsproxy *np;

	if (!cur)
		return -ESRCH;
	np = nsproxy_dup(cur);
	nsproxy_put(cur);
	if (!np)
		return -ENOMEM;
	*out = np;
	return 0;
}

/*
 * Linux's mntns_install checks: CAP_SYS_CHROOT (CAP_SYS_ADMIN was checked),
 * and an fs context shared with another process cannot move (EINVAL).
 */
static int mnt_check(void)
{
	struct fs_context *fs;
	bool shared;

	if (!capable(CAP_SYS_CHROOT))
		return -EPERM;
	fs = process_fs_get(current_process());
	if (!fs)
		return -ESRCH;
	shared = mnt_ns_fs_shared(fs);
	fs_context_put(fs);
	return shared ? -EINVAL : 0;
}

/* mnt: the caller's root and cwd become the joined mount namespace's root. */
static int commit(struct nsproxy *np, bool ipc_changed, bool mnt_changed)
{
	struct fs_context *fs;

	if (mnt_changed) {
		fs = process_fs_get(current_process());
		if (!fs) {
			nsproxy_put(np);
			return -ESRCH;
		}
		mnt_ns_install(np->ns[NS_MNT], fs);
		fs_context_put(fs);
	}
	if (ipc_changed)
		ipc_ns_leave(current_process());
	process_nsproxy_set(current_process(), np);
	return 0;
}

static long setns_nsfs(struct ns_common *ns, int nstype)
{
	struct nsproxy *np;
	int err;

	if (nstype && ns->ops->type != nstype)
		return -EINVAL;
	if (!(ns->ops->type & NS_CLONE_BUILT))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (ns->ops->type == CLONE_NEWNS && (err = mnt_check()))
		return err;
	err = nsproxy_private_copy(&np);
	if (err)
		return err;
	err = nsproxy_with(np, ns);
	if (err) {
		nsproxy_put(np);
		return err;
	}
	return commit(np, ns->ops->type == CLONE_NEWIPC, ns->ops->type == CLONE_NEWNS);
}

/* Linux 5.8's setns on a pidfd: the flags' namespaces of that process, all or none. */
static long setns_pidfd(struct process *p, int flags)
{
	struct nsproxy *np, *theirs;
	int err = 0;

	if (!flags || (flags & ~SETNS_KNOWN))
		return -EINVAL;
	if (flags & ~NS_CLONE_BUILT)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if ((flags & CLONE_NEWNS) && (err = mnt_check()))
		return err;
	theirs = process_nsproxy_get(p);
	if (!theirs)
		return -ESRCH;
	err = nsproxy_private_copy(&np);
	if (err) {
		nsproxy_put(theirs);
		return err;
	}
	if (flags & CLONE_NEWUTS)
		err = nsproxy_with(np, theirs->ns[NS_UTS]);
	if (!err && (flags & CLONE_NEWIPC))
		err = nsproxy_with(np, theirs->ns[NS_IPC]);
	if (!err && (flags & CLONE_NEWNS))
		err = nsproxy_with(np, theirs->ns[NS_MNT]);
	if (!err && (flags & CLONE_NEWPID)) {
		/* Its own pid namespace, not its pid_for_children (Linux's nsset of a pidfd). */
		struct ns_common *pidns = process_ns_get(p, NS_PID);

		err = pidns ? nsproxy_with(np, pidns) : -ESRCH;
		ns_put(pidns);
	}
	nsproxy_put(theirs);
	if (err) {
		nsproxy_put(np);
		return err;
	}
	return commit(np, flags & CLONE_NEWIPC, flags & CLONE_NEWNS);
}

long sys_setns(int fd, unsigned long nstype)
{
	struct file *f = fget(fd);
	struct ns_common *ns;
	struct process *p;
	long ret;

	if (!f)
		return -EBADF;
	ns = nsfs_file_ns(f);
	p = ns ? NULL : pidfd_file_process(f);
	/* nstype is an int in Linux's prototype: the upper half of the register is ignored. */
	if (ns)
		ret = setns_nsfs(ns, (int)nstype);
	else if (p)
		ret = setns_pidfd(p, (int)nstype);
	else
		ret = -EINVAL;
	if (p)
		process_put(p);
	file_put(f);
	return ret;
}
