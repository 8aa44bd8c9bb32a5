// SPDX-License-Identifier: MPL-2.0
// The common namespace object (its count and inode number), the initial
// namespaces of the types not built yet, and the per-process nsproxy that
// fork shares and clone/unshare copy (Linux's kernel/nsproxy.c).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/sync.h>
#include "ipc/ipc.h"
#include "ns/ns.h"
#include "uapi/nsfs.h"
#include "process/capability.h"
#include "process/process.h"
#include "process/pid.h"

/*
 * Linux's proc_alloc_inum hands out numbers from 0xF0000000; its initial
 * mount namespace takes the first and the network one the next, so ours do
 * too.  Numbers are not reused (Linux's ida reuses them): 2^28 namespaces
 * before -ENOSPC.
 */
#define NET_INIT_INO	(PROC_DYNAMIC_FIRST + 1)

static spinlock_t inum_lock = SPINLOCK_INIT;
static uint32_t next_inum = PROC_DYNAMIC_FIRST + 2;

/* Guards every process's nsproxy pointer (taking a reference, swapping). */
static spinlock_t nsproxy_lock = SPINLOCK_INIT;

void ns_get(struct ns_common *ns)
{
	refcount_inc(&ns->refs);
}

void ns_put(struct ns_common *ns)
{
	if (ns && refcount_dec_and_test(&ns->refs) && ns->ops->free)
		ns->ops->free(ns);
}

int ns_common_init(struct ns_common *ns, const struct ns_ops *ops)
{
	irqflags_t f = spin_lock_irqsave(&inum_lock);
	int err = 0;

	if (next_inum == 0)
		err = -ENOSPC;
	else
		ns->inum = next_inum++;
	spin_unlock_irqrestore(&inum_lock, f);
	refcount_set(&ns->refs, 1);
	ns->ops = ops;
	return err;
}

/* The types that have only their initial namespace: no clone, never freed. */
static const struct ns_ops cgroup_ns_ops = { .name = "cgroup", .type = CLONE_NEWCGROUP };
static const struct ns_ops net_ns_ops = { .name = "net", .type = CLONE_NEWNET };
static const struct ns_ops time_ns_ops = { .name = "time", .type = CLONE_NEWTIME };
static const struct ns_ops user_ns_ops = { .name = "user", .type = CLONE_NEWUSER, .hierarchical = true };

static struct ns_common init_cgroup_ns = { REFCOUNT_INIT(1), PROC_CGROUP_INIT_INO, &cgroup_ns_ops };
static struct ns_common init_net_ns = { REFCOUNT_INIT(1), NET_INIT_INO, &net_ns_ops };
static struct ns_common init_time_ns = { REFCOUNT_INIT(1), PROC_TIME_INIT_INO, &time_ns_ops };
static struct ns_common init_user_ns = { REFCOUNT_INIT(1), PROC_USER_INIT_INO, &user_ns_ops };

static struct nsproxy init_nsproxy = { .refs = REFCOUNT_INIT(1) };

static const char *const slot_names[NS_SLOTS] = {
	[NS_CGROUP] = "cgroup", [NS_IPC] = "ipc", [NS_MNT] = "mnt", [NS_NET] = "net",
	[NS_PID] = "pid", [NS_PID_CHILDREN] = "pid_for_children", [NS_TIME] = "time",
	[NS_TIME_CHILDREN] = "time_for_children", [NS_USER] = "user", [NS_UTS] = "uts",
};

const char *ns_slot_name(enum ns_slot s)
{
	return s < NS_SLOTS ? slot_names[s] : NULL;
}

int ns_slot_of_type(int type)
{
	switch (type) {
	case CLONE_NEWCGROUP: return NS_CGROUP;
	case CLONE_NEWIPC: return NS_IPC;
	case CLONE_NEWNS: return NS_MNT;
	case CLONE_NEWNET: return NS_NET;
	case CLONE_NEWPID: return NS_PID_CHILDREN;
	case CLONE_NEWTIME: return NS_TIME_CHILDREN;
	case CLONE_NEWUSER: return NS_USER;
	case CLONE_NEWUTS: return NS_UTS;
	default: return -1;
	}
}

struct nsproxy *nsproxy_init_get(void)
{
	if (!init_nsproxy.ns[NS_UTS]) {
		init_nsproxy.ns[NS_CGROUP] = &init_cgroup_ns;
		init_nsproxy.ns[NS_IPC] = ipc_init_ns();
		init_nsproxy.ns[NS_MNT] = mnt_init_ns();
		init_nsproxy.ns[NS_NET] = &init_net_ns;
		init_nsproxy.ns[NS_PID] = init_nsproxy.ns[NS_PID_CHILDREN] = pid_ns_initial();
		init_nsproxy.ns[NS_TIME] = init_nsproxy.ns[NS_TIME_CHILDREN] = &init_time_ns;
		init_nsproxy.ns[NS_USER] = &init_user_ns;
		init_nsproxy.ns[NS_UTS] = uts_init_ns();
		/* Each slot is a holder; the static proxy's own count is never dropped to 0. */
		for (int s = 0; s < NS_SLOTS; s++)
			ns_get(init_nsproxy.ns[s]);
	}
	refcount_inc(&init_nsproxy.refs);
	return &init_nsproxy;
}

void nsproxy_put(struct nsproxy *np)
{
	if (!np || !refcount_dec_and_test(&np->refs))
		return;
	for (int s = 0; s < NS_SLOTS; s++)
		ns_put(np->ns[s]);
	kfree(np);
}

struct nsproxy *nsproxy_dup(const struct nsproxy *old)
{
	struct nsproxy *np = kzalloc(sizeof(*np));

	if (!np)
		return NULL;
	refcount_set(&np->refs, 1);
	for (int s = 0; s < NS_SLOTS; s++) {
		np->ns[s] = old->ns[s];
		ns_get(np->ns[s]);
	}
	return np;
}

/*
 * Linux's create_new_namespaces: a copy of old where the types of flags are
 * new namespaces.  The types not built are -EINVAL, as Linux's answer when
 * one is not configured.
 */
static int nsproxy_create(const struct nsproxy *old, uint64_t flags, struct fs_context *fs,
			  struct nsproxy **out)
{
	struct nsproxy *np = kzalloc(sizeof(*np));
	int err = 0;

	if (!np)
		return -ENOMEM;
	refcount_set(&np->refs, 1);
	for (int s = 0; s < NS_SLOTS; s++) {
		struct ns_common *o = old->ns[s];
		bool fresh = (flags & (uint64_t)o->ops->type) && s != NS_PID && s != NS_TIME &&
			     s != NS_TIME_CHILDREN;

		/* The mount namespace's copy moves fs into it (the new process's or the unsharer's). */
		if (fresh && !err && s == NS_MNT)
			err = fs ? mnt_ns_copy(o, fs, &np->ns[s]) : -EINVAL;
		else if (fresh && !err)
			err = o->ops->clone ? o->ops->clone(o, &np->ns[s]) : -EINVAL;
		if (!fresh || err) {
			np->ns[s] = o;
			ns_get(o);
		}
	}
	if (err) {
		nsproxy_put(np);
		return err;
	}
	*out = np;
	return 0;
}

/*
 * Linux's copy_namespaces / unshare_nsproxy_namespaces: CAP_SYS_ADMIN, then
 * each type.  CLONE_NEWTIME is unshare's only (its bit is clone's exit
 * signal): the time namespace is not built, so unshare refuses it itself.
 */
static int nsproxy_new(struct nsproxy *old, uint64_t flags, struct fs_context *fs,
		       struct nsproxy **out)
{
	uint64_t ns_flags = flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID |
				     CLONE_NEWNET | CLONE_NEWCGROUP);

	if (!ns_flags) {
		refcount_inc(&old->refs);
		*out = old;
		return 0;
	}
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nsproxy_create(old, ns_flags, fs, out);
}

int nsproxy_copy(struct process *parent, uint64_t flags, struct fs_context *fs,
		 struct nsproxy **out)
{
	struct nsproxy *old = process_nsproxy_get(parent);
	int err;

	if (!old)
		return -ESRCH;
	err = nsproxy_new(old, flags, fs, out);
	nsproxy_put(old);
	return err;
}

int nsproxy_unshare(uint64_t flags, struct fs_context *fs, struct nsproxy **out)
{
	return nsproxy_copy(current_process(), flags, fs, out);
}

struct nsproxy *process_nsproxy_get(struct process *p)
{
	irqflags_t f = spin_lock_irqsave(&nsproxy_lock);
	struct nsproxy *np = p->nsproxy;

	if (np)
		refcount_inc(&np->refs);
	spin_unlock_irqrestore(&nsproxy_lock, f);
	return np;
}

struct ns_common *process_ns_get(struct process *p, enum ns_slot s)
{
	struct nsproxy *np = process_nsproxy_get(p);
	struct ns_common *ns;

	if (!np)
		return NULL;
	ns = np->ns[s];
	/*
	 * The pid slot is the process's own namespace, where it has its
	 * numbers (Linux's task_active_pid_ns): a child of a process that
	 * unshared CLONE_NEWPID shares its nsproxy but lives in the new one.
	 */
	if (s == NS_PID) {
		irqflags_t f = spin_lock_irqsave(&process_table_lock);

		ns = &process_pid_ns(p)->ns;
		ns_get(ns);
		spin_unlock_irqrestore(&process_table_lock, f);
	} else {
		ns_get(ns);
	}
	nsproxy_put(np);
	return ns;
}

void process_nsproxy_set(struct process *p, struct nsproxy *np)
{
	struct nsproxy *old;
	irqflags_t f;

	/* IPC code reads the caller's namespace under ipc_lock: swap under it too. */
	ipc_ns_lock();
	f = spin_lock_irqsave(&nsproxy_lock);
	old = p->nsproxy;
	p->nsproxy = np;
	spin_unlock_irqrestore(&nsproxy_lock, f);
	ipc_ns_unlock();
	nsproxy_put(old);
}

void process_nsproxy_exit(struct process *p)
{
	process_nsproxy_set(p, NULL);
}
