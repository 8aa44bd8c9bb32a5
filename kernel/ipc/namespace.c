// SPDX-License-Identifier: MPL-2.0
// IPC namespaces (Linux's ipc/namespace.c): a new one has empty id tables
// and the default limits; when the last holder goes every segment, set and
// queue in it goes too (an attached shm segment holds its namespace, so
// those are detached first, as on Linux).
#include <aster/heap.h>
#include <aster/string.h>
#include "ipc/internal.h"
#include "ipc/ipc.h"
#include "uapi/msg.h"
#include "uapi/nsfs.h"
#include "uapi/sem.h"
#include "uapi/shm.h"

static int ipc_ns_clone(struct ns_common *old, struct ns_common **out);
static void ipc_ns_free(struct ns_common *ns);

const struct ns_ops ipc_ns_ops = {
	.name = "ipc", .type = CLONE_NEWIPC, .clone = ipc_ns_clone, .free = ipc_ns_free,
};

static const struct ipc_limits default_limits = {
	.shmmax = SHMMAX, .shmall = SHMALL, .shmmni = SHMMNI,
	.semmsl = SEMMSL, .semmns = SEMMNS, .semopm = SEMOPM, .semmni = SEMMNI,
	.msgmax = MSGMAX, .msgmnb = MSGMNB, .msgmni = MSGMNI,
};

static struct ipc_namespace init_ipc = {
	.ns = { REFCOUNT_INIT(1), PROC_IPC_INIT_INO, &ipc_ns_ops },
	.ids = { { .last_idx = -1 }, { .last_idx = -1 }, { .last_idx = -1 } },
	.limits = {
		.shmmax = SHMMAX, .shmall = SHMALL, .shmmni = SHMMNI,
		.semmsl = SEMMSL, .semmns = SEMMNS, .semopm = SEMOPM, .semmni = SEMMNI,
		.msgmax = MSGMAX, .msgmnb = MSGMNB, .msgmni = MSGMNI,
	},
	.sem_undo = LIST_INIT(init_ipc.sem_undo),
};

static struct ipc_namespace *to_ipc(struct ns_common *ns)
{
	return container_of(ns, struct ipc_namespace, ns);
}

struct ns_common *ipc_init_ns(void)
{
	return &init_ipc.ns;
}

struct ipc_namespace *ipc_ns(void)
{
	struct process *p = current_process();

	if (!p || !p->nsproxy)
		return &init_ipc;
	return to_ipc(p->nsproxy->ns[NS_IPC]);
}

static int ipc_ns_clone(struct ns_common *old, struct ns_common **out)
{
	struct ipc_namespace *ns = kzalloc(sizeof(*ns));
	int err;

	(void)old;
	if (!ns)
		return -ENOMEM;
	err = ns_common_init(&ns->ns, &ipc_ns_ops);
	if (err) {
		kfree(ns);
		return err;
	}
	for (int k = 0; k < IPC_KINDS; k++)
		ns->ids[k].last_idx = -1;
	ns->limits = default_limits;
	list_init(&ns->sem_undo);
	*out = &ns->ns;
	return 0;
}

/* Linux's free_ipc_ns: every object goes, then the tables. */
static void ipc_ns_free(struct ns_common *c)
{
	struct ipc_namespace *ns = to_ipc(c);

	if (ns == &init_ipc)
		return;
	mutex_lock(&ipc_lock);
	shm_ns_destroy(ns);
	sem_ns_destroy(ns);
	msg_ns_destroy(ns);
	mutex_unlock(&ipc_lock);
	if (ns->mq_fs.release)
		ns->mq_fs.release(&ns->mq_fs);
	for (int k = 0; k < IPC_KINDS; k++)
		kfree(ns->ids[k].slot);
	kfree(ns);
}

struct ipc_limits ipc_limits_now(void)
{
	struct ipc_limits l;

	mutex_lock(&ipc_lock);
	l = ipc_ns()->limits;
	mutex_unlock(&ipc_lock);
	return l;
}

struct ipc_mq_fs *ipc_ns_mq_fs(void)
{
	return &ipc_ns()->mq_fs;
}

void ipc_ns_lock(void)
{
	mutex_lock(&ipc_lock);
}

void ipc_ns_unlock(void)
{
	mutex_unlock(&ipc_lock);
}

void ipc_ns_leave(struct process *p)
{
	mutex_lock(&ipc_lock);
	sem_exit(ipc_ns(), p->pid);
	mutex_unlock(&ipc_lock);
}
