// SPDX-License-Identifier: MPL-2.0
// System V semaphores (Linux's ipc/sem.c, semget(2), semop(2),
// semctl(2)): sets of counters changed atomically by semop's operation
// arrays.  An operation array that cannot complete sleeps until the set
// changes (every change moves the set's generation and wakes its
// sleepers, who try again), is interrupted by a signal (EINTR, never
// restarted, as Linux), times out (semtimedop: EAGAIN) or sees the set
// removed (EIDRM).  SEM_UNDO adjustments are kept per process (by pid,
// so fork starts without any and threads share them) and applied at exit.
#include <aster/heap.h>
#include <aster/list.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "ipc/ipc.h"
#include "ipc/internal.h"
#include "process/signal.h"
#include "syscall/syscall.h"
#include "time/timespec.h"
#include "uapi/sem.h"

struct sem {
	int semval;
	pid_t sempid;
};

struct sem_set {
	struct kern_ipc_perm perm;
	int64_t otime, ctime;
	int nsems;
	uint64_t gen;			/* moves at every change of a value */
	struct wait_queue wq;		/* semop's sleepers */
	struct list_node waiters;	/* of struct sem_waiter: GETNCNT, GETZCNT */
	struct sem *sems;
};

/* A sleeping semop, by the operation it waits on (Linux counts only that one). */
struct sem_waiter {
	struct list_node node;
	int semnum;
	bool zero;
};

/* One process's SEM_UNDO adjustments to one set. */
struct sem_undo {
	struct list_node node;
	pid_t pid;
	int semid;
	int nsems;
	int *adj;
};


static struct sem_set *set_of(struct kern_ipc_perm *p)
{
	return p ? container_of(p, struct sem_set, perm) : NULL;
}

static void set_free(struct sem_set *s)
{
	kfree(s->sems);
	kfree(s);
}

/* A value changed: sleepers try again. */
static void set_changed(struct sem_set *s)
{
	s->gen++;
	wake_up_all(&s->wq);
}

static void undo_free(struct sem_undo *u)
{
	list_del(&u->node);
	kfree(u->adj);
	kfree(u);
}

/* SETVAL/SETALL: forget the adjustments of semnum (-1: all) of the set. */
static void undo_clear(int semid, int semnum)
{
	struct sem_undo *u;

	list_for_each_entry(u, &ipc_ns()->sem_undo, node) {
		if (u->semid != semid)
			continue;
		if (semnum < 0)
			memset(u->adj, 0, (size_t)u->nsems * sizeof(*u->adj));
		else
			u->adj[semnum] = 0;
	}
}

/* Linux's freeary: out of the table, adjustments dropped, sleepers see EIDRM. */
static void set_remove(struct sem_set *s)
{
	struct sem_undo *u, *tmp;

	list_for_each_entry_safe(u, tmp, &s->perm.ns->sem_undo, node)
		if (u->semid == s->perm.id)
			undo_free(u);
	ipc_remove(IPC_SEM_IDS, &s->perm);
	s->perm.ns->used_sems -= s->nsems;
	set_changed(s);
	if (!s->perm.users)
		set_free(s);
}

static int sem_create(const struct ipc_params *p)
{
	int nsems = (int)p->size, id;
	struct sem_set *s;

	if (!nsems)
		return -EINVAL;
	if ((int64_t)ipc_ns()->used_sems + nsems > ipc_ns()->limits.semmns)
		return -ENOSPC;
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->sems = kcalloc((size_t)nsems, sizeof(*s->sems));
	if (!s->sems) {
		kfree(s);
		return -ENOMEM;
	}
	id = ipc_add(IPC_SEM_IDS, &s->perm, p, ipc_ns()->limits.semmni);
	if (id < 0) {
		set_free(s);
		return id;
	}
	s->nsems = nsems;
	s->ctime = ipc_now();
	wait_queue_init(&s->wq);
	list_init(&s->waiters);
	ipc_ns()->used_sems += nsems;
	return id;
}

static int sem_more_checks(struct kern_ipc_perm *perm, const struct ipc_params *p)
{
	return p->size > (uint64_t)set_of(perm)->nsems ? -EINVAL : 0;
}

static const struct ipc_ops sem_ops = { .create = sem_create, .more_checks = sem_more_checks };

long sys_semget(int key, int nsems, int semflg)
{
	struct ipc_params p = { .key = key, .flags = semflg, .size = (uint64_t)nsems };

	if (nsems < 0 || nsems > ipc_limits_now().semmsl)
		return -EINVAL;
	return ipc_get(IPC_SEM_IDS, &sem_ops, &p);
}

/* The caller's adjustments for s, made on first use: NULL when out of memory. */
static struct sem_undo *undo_get(struct sem_set *s, pid_t pid)
{
	struct sem_undo *u;

	list_for_each_entry(u, &ipc_ns()->sem_undo, node)
		if (u->pid == pid && u->semid == s->perm.id)
			return u;
	u = kzalloc(sizeof(*u));
	if (!u)
		return NULL;
	u->adj = kcalloc((size_t)s->nsems, sizeof(*u->adj));
	if (!u->adj) {
		kfree(u);
		return NULL;
	}
	u->pid = pid;
	u->semid = s->perm.id;
	u->nsems = s->nsems;
	list_add_tail(&ipc_ns()->sem_undo, &u->node);
	return u;
}

/* Undo ops[0..n) of a failed attempt (Linux's perform_atomic_semop_slow). */
static void roll_back(struct sem_set *s, const struct sembuf *ops, size_t n, struct sem_undo *u)
{
	while (n--) {
		s->sems[ops[n].sem_num].semval -= ops[n].sem_op;
		if ((ops[n].sem_flg & SEM_UNDO) && u)
			u->adj[ops[n].sem_num] += ops[n].sem_op;
	}
}

/*
 * Apply ops in order, all or nothing: 0 when done, -ERANGE, -EAGAIN (an
 * operation that would block has IPC_NOWAIT), or 1 when the caller must
 * sleep, *blocking naming the operation that waits.
 */
static int try_ops(struct sem_set *s, const struct sembuf *ops, size_t n, struct sem_undo *u,
		   size_t *blocking)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		const struct sembuf *op = &ops[i];
		int result = s->sems[op->sem_num].semval + op->sem_op;

		if ((op->sem_op == 0 && s->sems[op->sem_num].semval) || result < 0) {
			*blocking = i;
			roll_back(s, ops, i, u);
			return (op->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
		}
		if (result > SEMVMX) {
			err = -ERANGE;
			break;
		}
		/* u is there whenever an operation has SEM_UNDO (semtimedop's undo_get). */
		if ((op->sem_flg & SEM_UNDO) && u) {
			int undo = u->adj[op->sem_num] - op->sem_op;

			if (undo < -SEMAEM - 1 || undo > SEMAEM) {
				err = -ERANGE;
				break;
			}
			u->adj[op->sem_num] = undo;
		}
		s->sems[op->sem_num].semval = result;
	}
	if (err) {
		roll_back(s, ops, i, u);
		return err;
	}
	for (i = 0; i < n; i++)
		s->sems[ops[i].sem_num].sempid = ipc_pid();
	return 0;
}

struct sem_wait_arg {
	struct sem_set *s;
	uint64_t gen;
};

static bool set_moved(void *arg)
{
	struct sem_wait_arg *w = arg;

	return w->s->gen != w->gen || w->s->perm.deleted;
}

/* Sleep once for s to change; ipc_lock held on entry and return. */
static int sem_sleep(struct sem_set *s, const struct sembuf *op, uint64_t deadline)
{
	struct sem_waiter me = { .semnum = op->sem_num, .zero = op->sem_op == 0 };
	struct sem_wait_arg w = { .s = s, .gen = s->gen };
	uint64_t now = clock_monotonic_ns(), left = 0;
	int err;

	if (deadline) {
		if (now >= deadline)
			return -EAGAIN;
		left = deadline - now;
	}
	list_add_tail(&s->waiters, &me.node);
	s->perm.users++;
	mutex_unlock(&ipc_lock);
	err = wait_interruptible(&s->wq, set_moved, &w, left);
	mutex_lock(&ipc_lock);
	list_del(&me.node);
	s->perm.users--;
	if (s->perm.deleted)
		return -EIDRM;
	if (err == -ETIMEDOUT)
		return -EAGAIN;
	return err ? -EINTR : 0;
}

/* Linux's do_semtimedop after the copies: ipc_lock held. */
static long semop_locked(int semid, const struct sembuf *ops, size_t n, uint64_t deadline)
{
	struct sem_undo *u = NULL;
	struct sem_set *s = set_of(ipc_find_id(IPC_SEM_IDS, semid));
	unsigned int max = 0;
	bool undos = false, alter = false;
	size_t blocking = 0;
	int err;

	for (size_t i = 0; i < n; i++) {
		max = MAX(max, (unsigned int)ops[i].sem_num);
		undos |= (ops[i].sem_flg & SEM_UNDO) != 0;
		alter |= ops[i].sem_op != 0;
	}
	if (!s)
		return -EINVAL;
	if (max >= (unsigned int)s->nsems)
		return -EFBIG;
	err = ipc_perms(&s->perm, alter ? S_IWUGO_IPC : S_IRUGO_IPC);
	if (err)
		return err;
	while ((err = undos && !(u = undo_get(s, ipc_pid())) ? -ENOMEM :
		      try_ops(s, ops, n, u, &blocking)) == 1) {
		err = sem_sleep(s, &ops[blocking], deadline);
		if (s->perm.deleted) {
			if (!s->perm.users)
				set_free(s);
			return -EIDRM;
		}
		if (err)
			return err;
	}
	if (!err) {
		s->otime = ipc_now();
		if (alter)
			set_changed(s);
	}
	return err;
}

static long do_semtimedop(int semid, uaddr_t usops, size_t nsops, uaddr_t timeout)
{
	struct sembuf *ops;
	uint64_t deadline = 0, ns;
	long ret;

	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > (size_t)ipc_limits_now().semopm)
		return -E2BIG;
	ops = kcalloc(nsops, sizeof(*ops));
	if (!ops)
		return -ENOMEM;
	if (copy_from_user(ops, usops, nsops * sizeof(*ops))) {
		kfree(ops);
		return -EFAULT;
	}
	if (timeout) {
		ret = timespec_from_user(timeout, &ns);
		if (ret) {
			kfree(ops);
			return ret;
		}
		/* A zero timeout still means one try; 1 ns past now is as good. */
		deadline = clock_monotonic_ns() + MAX(ns, 1ULL);
	}
	mutex_lock(&ipc_lock);
	ret = semop_locked(semid, ops, nsops, deadline);
	mutex_unlock(&ipc_lock);
	kfree(ops);
	return ret;
}

long sys_semop(int semid, uaddr_t sops, size_t nsops)
{
	return do_semtimedop(semid, sops, nsops, 0);
}

long sys_semtimedop(int semid, uaddr_t sops, size_t nsops, uaddr_t timeout)
{
	return do_semtimedop(semid, sops, nsops, timeout);
}

/* Linux's exit_sem: apply and drop the exiting process's adjustments. */
void sem_exit(struct ipc_namespace *ns, pid_t pid)
{
	struct sem_undo *u, *tmp;

	list_for_each_entry_safe(u, tmp, &ns->sem_undo, node) {
		struct sem_set *s;

		if (u->pid != pid)
			continue;
		s = set_of(ipc_ns_find_id(ns, IPC_SEM_IDS, u->semid));
		for (int i = 0; s && i < u->nsems && i < s->nsems; i++) {
			if (!u->adj[i])
				continue;
			s->sems[i].semval = MIN(MAX(s->sems[i].semval + u->adj[i], 0), SEMVMX);
			s->sems[i].sempid = pid;
		}
		if (s)
			set_changed(s);
		undo_free(u);
	}
}

void ipc_exit(struct process *p)
{
	mutex_lock(&ipc_lock);
	ipc_exiting_pid = p->pid;
	if (p->nsproxy)
		sem_exit(container_of(p->nsproxy->ns[NS_IPC], struct ipc_namespace, ns), p->pid);
	mutex_unlock(&ipc_lock);
	mq_exit(p->pid);
}

/* The namespace goes: every set with it (its processes are gone, so no undo is left to apply). */
void sem_ns_destroy(struct ipc_namespace *ns)
{
	for (int i = 0; ns->ids[IPC_SEM_IDS].slot && i < IPCMNI; i++) {
		struct kern_ipc_perm *perm = ns->ids[IPC_SEM_IDS].slot[i];

		if (perm)
			set_remove(set_of(perm));
	}
}

/* ---- semctl ---- */

static int count_waiters(struct sem_set *s, int semnum, bool zero)
{
	struct sem_waiter *w;
	int n = 0;

	list_for_each_entry(w, &s->waiters, node)
		n += w->semnum == semnum && w->zero == zero;
	return n;
}

static long sem_info_cmd(int cmd, uaddr_t buf)
{
	struct ipc_limits l = ipc_limits_now();
	struct seminfo si = {
		.semmni = l.semmni, .semmns = l.semmns, .semmsl = l.semmsl, .semopm = l.semopm,
		.semvmx = SEMVMX, .semmnu = SEMMNU, .semmap = SEMMAP, .semume = SEMUME,
		.semusz = SEMUSZ, .semaem = SEMAEM,
	};
	int max;

	mutex_lock(&ipc_lock);
	if (cmd == SEM_INFO) {
		si.semusz = ipc_ns()->ids[IPC_SEM_IDS].in_use;
		si.semaem = ipc_ns()->used_sems;
	}
	max = MAX(ipc_max_idx(IPC_SEM_IDS), 0);
	mutex_unlock(&ipc_lock);
	if (copy_to_user(buf, &si, sizeof(si)))
		return -EFAULT;
	return max;
}

static long sem_stat_cmd(int id, int cmd, uaddr_t buf)
{
	struct semid64_ds ds = { 0 };
	struct sem_set *s;
	long ret;

	mutex_lock(&ipc_lock);
	s = set_of(cmd == IPC_STAT ? ipc_find_id(IPC_SEM_IDS, id) : ipc_find_slot(IPC_SEM_IDS, id));
	ret = !s ? -EINVAL : cmd == SEM_STAT_ANY ? 0 : ipc_perms(&s->perm, S_IRUGO_IPC);
	if (!ret) {
		ipc_fill_perm(&s->perm, &ds.sem_perm);
		ds.sem_otime = s->otime;
		ds.sem_ctime = s->ctime;
		ds.sem_nsems = (uint64_t)s->nsems;
		ret = cmd == IPC_STAT ? 0 : s->perm.id;
	}
	mutex_unlock(&ipc_lock);
	if (ret >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return ret;
}

static long sem_setval(int semid, int semnum, int val)
{
	struct sem_set *s;
	long err;

	if (val > SEMVMX || val < 0)
		return -ERANGE;
	mutex_lock(&ipc_lock);
	s = set_of(ipc_find_id(IPC_SEM_IDS, semid));
	if (!s)
		err = -EINVAL;
	else if (semnum < 0 || semnum >= s->nsems)
		err = -EINVAL;
	else
		err = ipc_perms(&s->perm, S_IWUGO_IPC);
	if (!err) {
		undo_clear(semid, semnum);
		s->sems[semnum].semval = val;
		s->sems[semnum].sempid = ipc_pid();
		s->ctime = ipc_now();
		set_changed(s);
	}
	mutex_unlock(&ipc_lock);
	return err;
}

/* The set of semid with access acc, and its size: 0, -EINVAL, -EACCES.  Takes ipc_lock. */
static int set_lock(int semid, int acc, struct sem_set **out)
{
	struct sem_set *s;
	int err;

	mutex_lock(&ipc_lock);
	s = set_of(ipc_find_id(IPC_SEM_IDS, semid));
	err = !s ? -EINVAL : ipc_perms(&s->perm, acc);
	if (err)
		mutex_unlock(&ipc_lock);
	*out = s;
	return err;
}

static long sem_getall(int semid, uaddr_t buf)
{
	struct sem_set *s;
	uint16_t *vals;
	size_t n;
	int err = set_lock(semid, S_IRUGO_IPC, &s);

	if (err)
		return err;
	n = (size_t)s->nsems;
	vals = kcalloc(n, sizeof(*vals));
	for (size_t i = 0; vals && i < n; i++)
		vals[i] = (uint16_t)s->sems[i].semval;
	mutex_unlock(&ipc_lock);
	if (!vals)
		return -ENOMEM;
	err = copy_to_user(buf, vals, n * sizeof(*vals)) ? -EFAULT : 0;
	kfree(vals);
	return err;
}

static long sem_setall(int semid, uaddr_t buf)
{
	struct sem_set *s;
	uint16_t *vals;
	size_t n;
	int err = set_lock(semid, S_IWUGO_IPC, &s);

	if (err)
		return err;
	n = (size_t)s->nsems;
	mutex_unlock(&ipc_lock);
	/* The user copy happens unlocked: a fault may need locks a hook holds under ipc_lock. */
	vals = kcalloc(n, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	err = copy_from_user(vals, buf, n * sizeof(*vals)) ? -EFAULT : 0;
	for (size_t i = 0; !err && i < n; i++)
		if (vals[i] > SEMVMX)
			err = -ERANGE;
	if (!err) {
		mutex_lock(&ipc_lock);
		if (set_of(ipc_find_id(IPC_SEM_IDS, semid)) != s || s->nsems != (int)n) {
			err = -EIDRM;
		} else {
			undo_clear(semid, -1);
			for (size_t i = 0; i < n; i++) {
				s->sems[i].semval = vals[i];
				s->sems[i].sempid = ipc_pid();
			}
			s->ctime = ipc_now();
			set_changed(s);
		}
		mutex_unlock(&ipc_lock);
	}
	kfree(vals);
	return err;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT. */
static long sem_getone(int semid, int semnum, int cmd)
{
	struct sem_set *s;
	long ret = set_lock(semid, S_IRUGO_IPC, &s);

	if (ret)
		return ret;
	if (semnum < 0 || semnum >= s->nsems)
		ret = -EINVAL;
	else if (cmd == GETVAL)
		ret = s->sems[semnum].semval;
	else if (cmd == GETPID)
		ret = pid_vnr(s->sems[semnum].sempid);	/* kept as the kernel's number */
	else
		ret = count_waiters(s, semnum, cmd == GETZCNT);
	mutex_unlock(&ipc_lock);
	return ret;
}

/* IPC_SET and IPC_RMID, the owner's or root's. */
static long sem_modify(int semid, int cmd, const struct semid64_ds *in)
{
	struct sem_set *s;
	int err;

	mutex_lock(&ipc_lock);
	s = set_of(ipc_find_id(IPC_SEM_IDS, semid));
	err = !s ? -EINVAL : ipc_owner_check(&s->perm);
	if (!err && cmd == IPC_SET) {
		err = ipc_set_perm(&s->perm, &in->sem_perm);
		if (!err)
			s->ctime = ipc_now();
	} else if (!err) {
		set_remove(s);
	}
	mutex_unlock(&ipc_lock);
	return err;
}

long sys_semctl(int semid, int semnum, int cmd, unsigned long arg)
{
	struct semid64_ds in;

	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sem_info_cmd(cmd, arg);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return sem_stat_cmd(semid, cmd, arg);
	case GETALL:
		return sem_getall(semid, arg);
	case SETALL:
		return sem_setall(semid, arg);
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
		return sem_getone(semid, semnum, cmd);
	case SETVAL:
		/* The union semun's int: the low half of the register. */
		return sem_setval(semid, semnum, (int)(uint32_t)arg);
	case IPC_SET:
		if (copy_from_user(&in, arg, sizeof(in)))
			return -EFAULT;
		return sem_modify(semid, cmd, &in);
	case IPC_RMID:
		return sem_modify(semid, cmd, NULL);
	default:
		return -EINVAL;
	}
}

void sem_proc_show(struct ipc_text *t, struct kern_ipc_perm *perm)
{
	struct sem_set *s = set_of(perm);

	ipc_text_add(t, "%10d %10d  %4o %10u %5u %5u %5u %5u %10ld %10ld\n", perm->key, perm->id,
		     perm->mode, (unsigned int)s->nsems, perm->uid, perm->gid, perm->cuid, perm->cgid,
		     s->otime, s->ctime);
}
