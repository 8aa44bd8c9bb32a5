// SPDX-License-Identifier: MPL-2.0
// What System V shm, semaphores and message queues share (Linux's
// ipc/util.c): the id tables, the lookup by key and by id, ipcperms, the
// owner checks of IPC_SET/IPC_RMID, and the limits.
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "ipc/internal.h"
#include "uapi/msg.h"
#include "uapi/sem.h"
#include "uapi/shm.h"
#include "process/capability.h"

struct mutex ipc_lock = MUTEX_INIT;

/* The process whose exit runs now (ipc_exit): its address space goes after current_process() is gone. */
pid_t ipc_exiting_pid;

pid_t ipc_pid(void)
{
	struct process *p = current_process();

	return p ? p->pid : ipc_exiting_pid;
}

int64_t ipc_now(void)
{
	return (int64_t)(clock_realtime_ns() / 1000000000ULL);
}

const struct cred *ipc_cred(void)
{
	return &current_process()->cred;
}

bool ipc_capable(int cap)
{
	return capable(cap);
}

/* Linux's in_group_p: the file-system gid or a supplementary group. */
static bool in_group(gid_t g)
{
	return cred_in_group(ipc_cred(), g);
}

int ipc_perms(const struct kern_ipc_perm *perm, int flag)
{
	const struct cred *c = ipc_cred();
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = (int)perm->mode;

	if (c->euid == perm->cuid || c->euid == perm->uid)
		granted >>= 6;
	else if (in_group(perm->cgid) || in_group(perm->gid))
		granted >>= 3;
	if ((requested & ~granted & 07) && !ipc_capable(CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

int ipc_owner_check(const struct kern_ipc_perm *perm)
{
	const struct cred *c = ipc_cred();

	if (c->euid == perm->cuid || c->euid == perm->uid || ipc_capable(CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

int ipc_set_perm(struct kern_ipc_perm *perm, const struct ipc64_perm *in)
{
	/* (uid_t)-1 is no user: make_kuid fails and Linux says EINVAL. */
	if (in->uid == (uint32_t)-1 || in->gid == (uint32_t)-1)
		return -EINVAL;
	perm->uid = in->uid;
	perm->gid = in->gid;
	perm->mode = (perm->mode & ~(uint32_t)S_IRWXUGO_IPC) | (in->mode & S_IRWXUGO_IPC);
	return 0;
}

void ipc_fill_perm(const struct kern_ipc_perm *perm, struct ipc64_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->key = perm->key;
	out->uid = perm->uid;
	out->gid = perm->gid;
	out->cuid = perm->cuid;
	out->cgid = perm->cgid;
	out->mode = perm->mode;
	out->seq = (uint16_t)perm->seq;
}

struct kern_ipc_perm *ipc_find_slot(enum ipc_kind kind, int idx)
{
	return ipc_ns_find_slot(ipc_ns(), kind, idx);
}

struct kern_ipc_perm *ipc_ns_find_slot(struct ipc_namespace *ns, enum ipc_kind kind, int idx)
{
	struct ipc_ids *ids = &ns->ids[kind];

	if (idx < 0 || idx >= IPCMNI || !ids->slot)
		return NULL;
	return ids->slot[idx];
}

struct kern_ipc_perm *ipc_find_id(enum ipc_kind kind, int id)
{
	return ipc_ns_find_id(ipc_ns(), kind, id);
}

struct kern_ipc_perm *ipc_ns_find_id(struct ipc_namespace *ns, enum ipc_kind kind, int id)
{
	struct kern_ipc_perm *p;

	if (id < 0)
		return NULL;
	p = ipc_ns_find_slot(ns, kind, id % IPCMNI);
	if (!p || p->seq != (uint32_t)(id / IPCMNI))
		return NULL;
	return p;
}

int ipc_max_idx(enum ipc_kind kind)
{
	struct ipc_ids *ids = &ipc_ns()->ids[kind];

	if (!ids->slot || !ids->in_use)
		return -1;
	for (int i = IPCMNI - 1; i >= 0; i--)
		if (ids->slot[i])
			return i;
	return -1;
}

/* Linux's idr_alloc_cyclic: the first free slot after the last one given, wrapping (seq + 1). */
static int alloc_slot(struct ipc_ids *ids)
{
	for (int n = 0; n < IPCMNI; n++) {
		int idx = (ids->last_idx + 1 + n) % IPCMNI;

		if (ids->slot[idx])
			continue;
		if (idx <= ids->last_idx && ++ids->seq > IPCID_SEQ_MAX)
			ids->seq = 0;
		ids->last_idx = idx;
		return idx;
	}
	return -ENOSPC;
}

int ipc_add(enum ipc_kind kind, struct kern_ipc_perm *perm, const struct ipc_params *p, int limit)
{
	struct ipc_ids *ids = &ipc_ns()->ids[kind];
	const struct cred *c = ipc_cred();
	int idx;

	if (ids->in_use >= limit || ids->in_use >= IPCMNI)
		return -ENOSPC;
	if (!ids->slot) {
		ids->slot = kcalloc(IPCMNI, sizeof(*ids->slot));
		if (!ids->slot)
			return -ENOMEM;
	}
	idx = alloc_slot(ids);
	if (idx < 0)
		return idx;
	perm->key = p->key;
	perm->mode = (uint32_t)p->flags & S_IRWXUGO_IPC;
	perm->uid = perm->cuid = c->euid;
	perm->gid = perm->cgid = c->egid;
	perm->seq = ids->seq;
	perm->id = (int)(ids->seq * IPCMNI) + idx;
	perm->deleted = false;
	perm->ns = ipc_ns();
	ids->slot[idx] = perm;
	ids->in_use++;
	return perm->id;
}

void ipc_remove(enum ipc_kind kind, struct kern_ipc_perm *perm)
{
	struct ipc_ids *ids = &perm->ns->ids[kind];
	int idx = perm->id % IPCMNI;

	if (ids->slot && ids->slot[idx] == perm) {
		ids->slot[idx] = NULL;
		ids->in_use--;
	}
	perm->deleted = true;
}

static struct kern_ipc_perm *find_key(enum ipc_kind kind, int32_t key)
{
	struct ipc_ids *ids = &ipc_ns()->ids[kind];

	if (!ids->slot)
		return NULL;
	for (int i = 0; i < IPCMNI; i++)
		if (ids->slot[i] && ids->slot[i]->key == key)
			return ids->slot[i];
	return NULL;
}

/* Linux's ipcget_public: the key's object (checks and permissions), or a new one. */
static int get_public(enum ipc_kind kind, const struct ipc_ops *ops, const struct ipc_params *p)
{
	struct kern_ipc_perm *perm = find_key(kind, p->key);
	int err;

	if (!perm)
		return (p->flags & IPC_CREAT) ? ops->create(p) : -ENOENT;
	if ((p->flags & IPC_CREAT) && (p->flags & IPC_EXCL))
		return -EEXIST;
	if (ops->more_checks) {
		err = ops->more_checks(perm, p);
		if (err)
			return err;
	}
	err = ipc_perms(perm, p->flags);
	return err ? err : perm->id;
}

int ipc_get(enum ipc_kind kind, const struct ipc_ops *ops, const struct ipc_params *p)
{
	int ret;

	mutex_lock(&ipc_lock);
	if (p->key == IPC_PRIVATE)
		ret = ops->create(p);
	else
		ret = get_public(kind, ops, p);
	mutex_unlock(&ipc_lock);
	return ret;
}
