// SPDX-License-Identifier: MPL-2.0
// System V message queues (Linux's ipc/msg.c, msgget(2), msgsnd(2),
// msgrcv(2), msgctl(2)).  A queue holds typed messages up to msg_qbytes
// bytes; a sender that does not fit and a receiver that finds nothing
// sleep until the queue changes (its generation moves), a signal
// (EINTR unless the call restarts: ERESTARTNOHAND, as Linux), or removal
// (EIDRM).  User memory is copied only with ipc_lock dropped.
#include <aster/heap.h>
#include <aster/list.h>
#include <aster/string.h>
#include "ipc/internal.h"
#include "process/signal.h"
#include "syscall/syscall.h"
#include "uapi/msg.h"
#include "process/capability.h"

struct msg_msg {
	struct list_node node;
	long mtype;
	size_t len;
	char *text;
};

struct msg_queue {
	struct kern_ipc_perm perm;
	int64_t stime, rtime, ctime;
	uint64_t cbytes, qnum, qbytes;
	pid_t lspid, lrpid;
	struct list_node msgs;
	uint64_t gen;			/* moves at every change */
	struct wait_queue wq;		/* senders and receivers */
};

/* Messages and bytes queued in all queues (MSG_INFO). */

static struct msg_queue *queue_of(struct kern_ipc_perm *p)
{
	return p ? container_of(p, struct msg_queue, perm) : NULL;
}

static void msg_free(struct msg_msg *m)
{
	kfree(m->text);
	kfree(m);
}

static void queue_changed(struct msg_queue *q)
{
	q->gen++;
	wake_up_all(&q->wq);
}

/* Linux's freeque: out of the table, messages dropped, sleepers see EIDRM. */
static void queue_remove(struct msg_queue *q)
{
	struct msg_msg *m, *tmp;

	list_for_each_entry_safe(m, tmp, &q->msgs, node) {
		list_del(&m->node);
		q->perm.ns->msg_hdrs--;
		q->perm.ns->msg_bytes -= m->len;
		msg_free(m);
	}
	ipc_remove(IPC_MSG_IDS, &q->perm);
	queue_changed(q);
	if (!q->perm.users)
		kfree(q);
}

/* The namespace goes: every queue with it. */
void msg_ns_destroy(struct ipc_namespace *ns)
{
	for (int i = 0; ns->ids[IPC_MSG_IDS].slot && i < IPCMNI; i++) {
		struct kern_ipc_perm *perm = ns->ids[IPC_MSG_IDS].slot[i];

		if (perm)
			queue_remove(queue_of(perm));
	}
}

static int msg_create(const struct ipc_params *p)
{
	struct msg_queue *q = kzalloc(sizeof(*q));
	int id;

	if (!q)
		return -ENOMEM;
	id = ipc_add(IPC_MSG_IDS, &q->perm, p, ipc_ns()->limits.msgmni);
	if (id < 0) {
		kfree(q);
		return id;
	}
	q->qbytes = (uint64_t)ipc_ns()->limits.msgmnb;
	q->ctime = ipc_now();
	list_init(&q->msgs);
	wait_queue_init(&q->wq);
	return id;
}

static const struct ipc_ops msg_ops = { .create = msg_create };

long sys_msgget(int key, int msgflg)
{
	struct ipc_params p = { .key = key, .flags = msgflg };

	return ipc_get(IPC_MSG_IDS, &msg_ops, &p);
}

struct msg_wait_arg {
	struct msg_queue *q;
	uint64_t gen;
};

static bool queue_moved(void *arg)
{
	struct msg_wait_arg *w = arg;

	return w->q->gen != w->gen || w->q->perm.deleted;
}

/*
 * Sleep once for q to change; ipc_lock held on entry and return.  0,
 * -EIDRM (q is freed here if it was the last user), -ERESTARTNOHAND.
 */
static int queue_sleep(struct msg_queue *q)
{
	struct msg_wait_arg w = { .q = q, .gen = q->gen };
	int err;

	q->perm.users++;
	mutex_unlock(&ipc_lock);
	err = wait_interruptible(&q->wq, queue_moved, &w, 0);
	mutex_lock(&ipc_lock);
	q->perm.users--;
	if (q->perm.deleted) {
		if (!q->perm.users)
			kfree(q);
		return -EIDRM;
	}
	return err ? -ERESTARTNOHAND : 0;
}

static bool msg_fits(const struct msg_queue *q, size_t len)
{
	return len + q->cbytes <= q->qbytes && 1 + q->qnum <= q->qbytes;
}

/* do_msgsnd once the message is in kernel memory: ipc_lock held. */
static long msgsnd_locked(int msqid, struct msg_msg *m, int msgflg)
{
	struct msg_queue *q = queue_of(ipc_find_id(IPC_MSG_IDS, msqid));
	int err;

	if (!q)
		return -EINVAL;
	for (;;) {
		err = ipc_perms(&q->perm, S_IWUGO_IPC);
		if (err)
			return err;
		if (msg_fits(q, m->len))
			break;
		if (msgflg & IPC_NOWAIT)
			return -EAGAIN;
		err = queue_sleep(q);
		if (err)
			return err;
	}
	q->lspid = ipc_pid();
	q->stime = ipc_now();
	list_add_tail(&q->msgs, &m->node);
	q->cbytes += m->len;
	q->qnum++;
	q->perm.ns->msg_hdrs++;
	q->perm.ns->msg_bytes += m->len;
	queue_changed(q);
	return 0;
}

long sys_msgsnd(int msqid, uaddr_t msgp, size_t msgsz, int msgflg)
{
	struct msg_msg *m;
	uint64_t raw;
	int64_t mtype;
	long err;

	if (get_user_u64(&raw, msgp))
		return -EFAULT;
	mtype = (int64_t)raw;
	if (msgsz > (size_t)ipc_limits_now().msgmax || (long)msgsz < 0 || msqid < 0)
		return -EINVAL;
	if (mtype < 1)
		return -EINVAL;
	m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->text = kmalloc(MAX(msgsz, (size_t)1));
	if (!m->text) {
		kfree(m);
		return -ENOMEM;
	}
	m->mtype = mtype;
	m->len = msgsz;
	if (copy_from_user(m->text, msgp + sizeof(int64_t), msgsz)) {
		msg_free(m);
		return -EFAULT;
	}
	mutex_lock(&ipc_lock);
	err = msgsnd_locked(msqid, m, msgflg);
	mutex_unlock(&ipc_lock);
	if (err)
		msg_free(m);
	return err;
}

enum msg_search { SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOTEQUAL, SEARCH_LESSEQUAL, SEARCH_NUMBER };

/* Linux's convert_mode. */
static enum msg_search search_mode(long *msgtyp, int msgflg)
{
	if (msgflg & MSG_COPY)
		return SEARCH_NUMBER;
	if (*msgtyp == 0)
		return SEARCH_ANY;
	if (*msgtyp < 0) {
		*msgtyp = *msgtyp == INT64_MIN ? INT64_MAX : -*msgtyp;
		return SEARCH_LESSEQUAL;
	}
	return (msgflg & MSG_EXCEPT) ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
}

static bool msg_matches(const struct msg_msg *m, long type, enum msg_search mode)
{
	switch (mode) {
	case SEARCH_EQUAL:
		return m->mtype == type;
	case SEARCH_NOTEQUAL:
		return m->mtype != type;
	case SEARCH_LESSEQUAL:
		return m->mtype <= type;
	default:
		return true;
	}
}

/* Linux's find_msg: the first match; for LESSEQUAL the lowest type; for NUMBER the type-th. */
static struct msg_msg *find_msg(struct msg_queue *q, long type, enum msg_search mode)
{
	struct msg_msg *m, *found = NULL;
	long count = 0;

	list_for_each_entry(m, &q->msgs, node) {
		if (!msg_matches(m, type, mode))
			continue;
		if (mode == SEARCH_LESSEQUAL && m->mtype != 1) {
			type = m->mtype - 1;
			found = m;
		} else if (mode == SEARCH_NUMBER) {
			if (type == count)
				return m;
		} else {
			return m;
		}
		count++;
	}
	return found;
}

/* A copy of m's first len bytes (MSG_COPY): NULL when out of memory. */
static struct msg_msg *msg_dup(const struct msg_msg *m)
{
	struct msg_msg *c = kzalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->text = kmalloc(MAX(m->len, (size_t)1));
	if (!c->text) {
		kfree(c);
		return NULL;
	}
	memcpy(c->text, m->text, m->len);
	c->mtype = m->mtype;
	c->len = m->len;
	return c;
}

/* do_msgrcv's loop: the message taken (or copied) into *out; ipc_lock held. */
static long msgrcv_locked(int msqid, size_t bufsz, long type, int msgflg, struct msg_msg **out)
{
	enum msg_search mode = search_mode(&type, msgflg);
	struct msg_queue *q = queue_of(ipc_find_id(IPC_MSG_IDS, msqid));
	struct msg_msg *m;
	int err;

	if (!q)
		return -EINVAL;
	for (;;) {
		err = ipc_perms(&q->perm, S_IRUGO_IPC);
		if (err)
			return err;
		m = find_msg(q, type, mode);
		if (m)
			break;
		if (msgflg & IPC_NOWAIT)
			return -ENOMSG;
		err = queue_sleep(q);
		if (err)
			return err;
	}
	if (bufsz < m->len && !(msgflg & MSG_NOERROR))
		return -E2BIG;
	if (msgflg & MSG_COPY) {
		/* Linux's copy_msg: the copy buffer holds min(bufsz, msgmax) bytes. */
		if (m->len > MIN(bufsz, (size_t)ipc_ns()->limits.msgmax))
			return -EINVAL;
		*out = msg_dup(m);
		return *out ? 0 : -ENOMEM;
	}
	list_del(&m->node);
	q->qnum--;
	q->cbytes -= m->len;
	q->rtime = ipc_now();
	q->lrpid = ipc_pid();
	q->perm.ns->msg_hdrs--;
	q->perm.ns->msg_bytes -= m->len;
	queue_changed(q);
	*out = m;
	return 0;
}

long sys_msgrcv(int msqid, uaddr_t msgp, size_t msgsz, long msgtyp, int msgflg)
{
	struct msg_msg *m = NULL;
	size_t n;
	long err;

	if (msqid < 0 || (long)msgsz < 0)
		return -EINVAL;
	if ((msgflg & MSG_COPY) && ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT)))
		return -EINVAL;
	mutex_lock(&ipc_lock);
	err = msgrcv_locked(msqid, msgsz, msgtyp, msgflg, &m);
	mutex_unlock(&ipc_lock);
	if (err)
		return err;
	if (!m)
		return -ENOMEM;	/* not reached: success always hands a message */
	/* Linux's do_msg_fill: the message is gone from the queue even if this faults. */
	n = MIN(msgsz, m->len);
	if (put_user_u64(msgp, (uint64_t)m->mtype) || copy_to_user(msgp + sizeof(int64_t), m->text, n))
		err = -EFAULT;
	msg_free(m);
	return err ? err : (long)n;
}

static long msg_info_cmd(int cmd, uaddr_t buf)
{
	struct ipc_limits l = ipc_limits_now();
	struct msginfo mi = {
		.msgmni = l.msgmni, .msgmax = l.msgmax, .msgmnb = l.msgmnb, .msgssz = MSGSSZ, .msgseg = MSGSEG,
		.msgmap = MSGMAP, .msgpool = MSGPOOL, .msgtql = MSGTQL,
	};
	int max;

	mutex_lock(&ipc_lock);
	if (cmd == MSG_INFO) {
		mi.msgpool = ipc_ns()->ids[IPC_MSG_IDS].in_use;
		mi.msgmap = (int)MIN(ipc_ns()->msg_hdrs, (uint64_t)INT32_MAX);
		mi.msgtql = (int)MIN(ipc_ns()->msg_bytes, (uint64_t)INT32_MAX);
	}
	max = MAX(ipc_max_idx(IPC_MSG_IDS), 0);
	mutex_unlock(&ipc_lock);
	if (copy_to_user(buf, &mi, sizeof(mi)))
		return -EFAULT;
	return max;
}

static long msg_stat_cmd(int id, int cmd, uaddr_t buf)
{
	struct msqid64_ds ds = { 0 };
	struct msg_queue *q;
	long ret;

	mutex_lock(&ipc_lock);
	q = queue_of(cmd == IPC_STAT ? ipc_find_id(IPC_MSG_IDS, id) : ipc_find_slot(IPC_MSG_IDS, id));
	ret = !q ? -EINVAL : cmd == MSG_STAT_ANY ? 0 : ipc_perms(&q->perm, S_IRUGO_IPC);
	if (!ret) {
		ipc_fill_perm(&q->perm, &ds.msg_perm);
		ds.msg_stime = q->stime;
		ds.msg_rtime = q->rtime;
		ds.msg_ctime = q->ctime;
		ds.msg_cbytes = q->cbytes;
		ds.msg_qnum = q->qnum;
		ds.msg_qbytes = q->qbytes;
		ds.msg_lspid = pid_vnr(q->lspid);	/* the caller's pid namespace's numbers */
		ds.msg_lrpid = pid_vnr(q->lrpid);
		ret = cmd == IPC_STAT ? 0 : q->perm.id;
	}
	mutex_unlock(&ipc_lock);
	if (ret >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return ret;
}

/* IPC_SET and IPC_RMID, the owner's or root's. */
static long msg_modify(int msqid, int cmd, const struct msqid64_ds *in)
{
	struct msg_queue *q;
	int err;

	mutex_lock(&ipc_lock);
	q = queue_of(ipc_find_id(IPC_MSG_IDS, msqid));
	err = !q ? -EINVAL : ipc_owner_check(&q->perm);
	if (!err && cmd == IPC_SET) {
		/* Raising msg_qbytes past msgmnb takes CAP_SYS_RESOURCE. */
		if (in->msg_qbytes > (uint64_t)ipc_ns()->limits.msgmnb && !ipc_capable(CAP_SYS_RESOURCE))
			err = -EPERM;
		else
			err = ipc_set_perm(&q->perm, &in->msg_perm);
		if (!err) {
			q->qbytes = in->msg_qbytes;
			q->ctime = ipc_now();
			queue_changed(q);
		}
	} else if (!err) {
		queue_remove(q);
	}
	mutex_unlock(&ipc_lock);
	return err;
}

long sys_msgctl(int msqid, int cmd, uaddr_t buf)
{
	struct msqid64_ds in;

	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msg_info_cmd(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msg_stat_cmd(msqid, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&in, buf, sizeof(in)))
			return -EFAULT;
		return msg_modify(msqid, cmd, &in);
	case IPC_RMID:
		return msg_modify(msqid, cmd, NULL);
	default:
		return -EINVAL;
	}
}

void msg_proc_show(struct ipc_text *t, struct kern_ipc_perm *perm)
{
	struct msg_queue *q = queue_of(perm);

	ipc_text_add(t, "%10d %10d  %4o  %10lu %10lu %5d %5d %5u %5u %5u %5u %10ld %10ld %10ld\n",
		     perm->key, perm->id, perm->mode, q->cbytes, q->qnum, pid_vnr(q->lspid), pid_vnr(q->lrpid),
		     perm->uid, perm->gid, perm->cuid, perm->cgid, q->stime, q->rtime, q->ctime);
}
