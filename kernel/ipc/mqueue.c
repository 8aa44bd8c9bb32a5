// SPDX-License-Identifier: MPL-2.0
// POSIX message queues (Linux's ipc/mqueue.c, mq_overview(7)): named
// queues of prioritized messages, opened with mq_open as descriptors
// (close-on-exec, read(2) gives Linux's status line, poll works), sent
// and received with mq_timedsend/mq_timedreceive (highest priority
// first, FIFO within one; O_NONBLOCK's EAGAIN; absolute CLOCK_REALTIME
// deadlines, ETIMEDOUT; signals: EINTR after a handler), mq_notify
// (SIGEV_SIGNAL and SIGEV_NONE; SIGEV_THREAD needs a netlink socket,
// which this kernel has not) and mq_getsetattr.  The names are those of
// the mqueue file system (fs/mqueue/): each queue is the inode of a file
// in its root, which owns it (mq_queue_new, mq_queue_free), so mq_open's
// permission checks are the file's mode, uid and gid and unlink(2) in a
// mounted /dev/mqueue is mq_unlink.  A queue is charged to its creator's
// real uid against RLIMIT_MSGQUEUE (Linux's formula, EMFILE).
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/list.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "fs/fdtable.h"
#include "fs/mqueue.h"
#include "ipc/internal.h"
#include "ipc/ipc.h"
#include "process/signal.h"
#include "syscall/syscall.h"
#include "time/timespec.h"
#include "uapi/fcntl.h"
#include "uapi/mqueue.h"
#include "uapi/signal.h"
#include "process/capability.h"

#define MQ_NAME_MAX	255	/* NAME_MAX */
#define MQ_STATUS_MAX	96
/*
 * What Linux charges to RLIMIT_MSGQUEUE besides the messages' bytes: a
 * struct msg_msg per message and a struct posix_msg_tree_node per
 * priority that may be in use, 48 bytes each on x86-64.
 */
#define MQ_MSG_OVERHEAD		48
#define MQ_PRIO_NODE_SIZE	48

struct mq_msg {
	struct list_node node;
	unsigned int prio;
	size_t len;
	char *data;
};

struct mqueue {
	struct list_node all;		/* in mq_all while it lives */
	uid_t charged_uid;		/* the creator's real uid ... */
	uint64_t charged;		/* ... is charged this much of RLIMIT_MSGQUEUE */
	int64_t maxmsg, msgsize, curmsgs;
	uint64_t qsize;			/* bytes queued */
	struct list_node msgs;		/* by priority, highest first; FIFO within one */
	uint64_t gen;			/* moves at every send and receive */
	struct wait_queue wq;
	uint32_t receivers;		/* sleeping in mq_timedreceive: a send wakes them, no notification */
	pid_t notify_pid;		/* 0: nobody registered */
	struct k_sigevent notify;
};

struct mq_limits mq_limits = {
	.queues_max = 256, .msg_max = 10, .msgsize_max = 8192,
	.msg_default = 10, .msgsize_default = 8192,
};
/* Taken under vfs_ns_lock (a queue is made and freed with its inode), never before it. */
static struct mutex mq_lock = MUTEX_INIT;
static struct list_node mq_all = LIST_INIT(mq_all);
static int queues_count;		/* queues alive, named or still open */

void mq_queue_free(struct mqueue *q)
{
	struct mq_msg *m, *tmp;

	mutex_lock(&mq_lock);
	list_for_each_entry_safe(m, tmp, &q->msgs, node) {
		list_del(&m->node);
		kfree(m->data);
		kfree(m);
	}
	list_del(&q->all);
	queues_count--;
	mutex_unlock(&mq_lock);
	kfree(q);
}

/* The name from user space as Linux's lookup_one_len takes it: 0, -EFAULT, -ENAMETOOLONG, -EACCES. */
static int mq_getname(uaddr_t ua, char *name)
{
	char buf[MQ_NAME_MAX + 2];
	long n = strncpy_from_user(buf, ua, sizeof(buf));

	if (n < 0)
		return (int)n;
	if ((size_t)n >= sizeof(buf) - 1)
		return -ENAMETOOLONG;
	if (!n || strchr(buf, '/') || !strcmp(buf, ".") || !strcmp(buf, ".."))
		return -EACCES;
	memcpy(name, buf, (size_t)n + 1);
	return 0;
}

/* Linux's mq_attr_ok. */
static int mq_attr_ok(const struct mq_attr *a)
{
	if (a->mq_maxmsg <= 0 || a->mq_msgsize <= 0)
		return -EINVAL;
	if (ipc_capable(CAP_SYS_RESOURCE)) {
		if (a->mq_maxmsg > MQ_HARD_MSGMAX || a->mq_msgsize > MQ_HARD_MSGSIZEMAX)
			return -EINVAL;
	} else if (a->mq_maxmsg > mq_limits.msg_max || a->mq_msgsize > mq_limits.msgsize_max) {
		return -EINVAL;
	}
	return 0;
}

/*
 * What Linux's mqueue_get_inode charges to RLIMIT_MSGQUEUE for a queue:
 * its messages' bytes, a header per message and a tree node per priority
 * it may hold.
 */
static uint64_t mq_charge(int64_t maxmsg, int64_t msgsize)
{
	uint64_t n = (uint64_t)maxmsg;

	return n * (uint64_t)msgsize + n * MQ_MSG_OVERHEAD + MIN(n, (uint64_t)MQ_PRIO_MAX) * MQ_PRIO_NODE_SIZE;
}

/* What uid's queues are charged now (mq_lock held). */
static uint64_t mq_charged_to(uid_t uid)
{
	struct mqueue *q;
	uint64_t sum = 0;

	list_for_each_entry(q, &mq_all, all)
		if (q->charged_uid == uid)
			sum += q->charged;
	return sum;
}

int mq_queue_new(const struct mq_attr *attr, struct mqueue **out)
{
	struct process *p = current_process();
	struct mqueue *q;
	int err = attr ? mq_attr_ok(attr) : 0;

	if (err)
		return err;
	q = kzalloc(sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->maxmsg = attr ? attr->mq_maxmsg : MIN(mq_limits.msg_max, mq_limits.msg_default);
	q->msgsize = attr ? attr->mq_msgsize : MIN(mq_limits.msgsize_max, mq_limits.msgsize_default);
	q->charged_uid = p ? p->cred.uid : 0;
	q->charged = mq_charge(q->maxmsg, q->msgsize);
	list_init(&q->msgs);
	wait_queue_init(&q->wq);
	mutex_lock(&mq_lock);
	if (queues_count >= mq_limits.queues_max && !ipc_capable(CAP_SYS_RESOURCE))
		err = -ENOSPC;
	else if (p && mq_charged_to(q->charged_uid) + q->charged > p->rlimits[RLIMIT_MSGQUEUE].cur)
		err = -EMFILE;
	if (!err) {
		list_add_tail(&mq_all, &q->all);
		queues_count++;
	}
	mutex_unlock(&mq_lock);
	if (err) {
		kfree(q);
		return err;
	}
	*out = q;
	return 0;
}

long sys_mq_open(uaddr_t uname, int oflag, unsigned int mode, uaddr_t uattr)
{
	char name[MQ_NAME_MAX + 1];
	struct mq_attr attr;
	struct fd_table *t = current_files();
	struct file *f;
	int err, fd;

	if (uattr && copy_from_user(&attr, uattr, sizeof(attr)))
		return -EFAULT;
	err = mq_getname(uname, name);
	if (err)
		return err;
	if (!t)
		return -EMFILE;
	err = mqfs_open(name, oflag, mode, uattr ? &attr : NULL, &f);
	if (err)
		return err;
	fd = fd_install(t, f, FD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_mq_unlink(uaddr_t uname)
{
	char name[MQ_NAME_MAX + 1];
	int err = mq_getname(uname, name);

	if (err)
		return err;
	return mqfs_unlink(name);
}

/* The queue of fd, with a reference on its file: 0, or -EBADF (not a queue). */
static int mq_fget(int fd, struct file **fp, struct mqueue **qp)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	if (f->ops != &mq_file_ops || !f->priv) {
		file_put(f);
		return -EBADF;
	}
	*fp = f;
	*qp = f->priv;
	return 0;
}

/* A user timeout: an absolute CLOCK_REALTIME deadline in *deadline (0: none). */
static int mq_deadline(uaddr_t ua, uint64_t *deadline)
{
	uint64_t ns;
	int err;

	*deadline = 0;
	if (!ua)
		return 0;
	err = timespec_from_user(ua, &ns);
	if (err)
		return err;
	*deadline = MAX(ns, 1ULL);
	return 0;
}

struct mq_wait_arg {
	struct mqueue *q;
	uint64_t gen;
};

static bool mq_moved(void *arg)
{
	struct mq_wait_arg *w = arg;

	return w->q->gen != w->gen;
}

/* Sleep once for q to change (mq_lock held): 0, -ETIMEDOUT, -ERESTARTNOHAND. */
static int mq_sleep(struct mqueue *q, uint64_t deadline, bool receiver)
{
	struct mq_wait_arg w = { .q = q, .gen = q->gen };
	uint64_t now = clock_realtime_ns(), left = 0;
	int err;

	if (deadline) {
		if (now >= deadline)
			return -ETIMEDOUT;
		left = deadline - now;
	}
	q->receivers += receiver;
	mutex_unlock(&mq_lock);
	err = wait_interruptible(&q->wq, mq_moved, &w, left);
	mutex_lock(&mq_lock);
	q->receivers -= receiver;
	if (err == -ETIMEDOUT)
		return -ETIMEDOUT;
	return err ? -ERESTARTNOHAND : 0;
}

static void mq_changed(struct mqueue *q)
{
	q->gen++;
	wake_up_all(&q->wq);
	poll_wake();
}

/* Linux's __do_notify: the first message into an empty queue nobody waits on. */
static void mq_do_notify(struct mqueue *q)
{
	struct k_siginfo si = { 0 };
	struct process *p;

	if (!q->notify_pid || q->curmsgs != 1 || q->receivers)
		return;
	if (q->notify.notify == SIGEV_SIGNAL && q->notify.signo) {
		p = process_find_global(q->notify_pid);
		if (p) {
			si.signo = q->notify.signo;
			si.code = SI_MESGQ;
			si.u.rt.pid = ipc_pid();
			si.u.rt.uid = ipc_cred()->uid;
			si.u.rt.value = q->notify.value;
			(void)signal_send_info(p, NULL, q->notify.signo, &si);
			process_put(p);
		}
	}
	q->notify_pid = 0;
}

static void mq_insert(struct mqueue *q, struct mq_msg *m)
{
	struct mq_msg *pos;

	list_for_each_entry(pos, &q->msgs, node) {
		if (pos->prio < m->prio) {
			list_insert_between(&m->node, pos->node.prev, &pos->node);
			return;
		}
	}
	list_add_tail(&q->msgs, &m->node);
}

static long mq_send_locked(struct file *f, struct mqueue *q, struct mq_msg *m, uint64_t deadline)
{
	int err;

	while (q->curmsgs >= q->maxmsg) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = mq_sleep(q, deadline, false);
		if (err)
			return err;
	}
	mq_insert(q, m);
	q->curmsgs++;
	q->qsize += m->len;
	mq_do_notify(q);
	mq_changed(q);
	return 0;
}

long sys_mq_timedsend(int mqdes, uaddr_t msg_ptr, size_t msg_len, unsigned int msg_prio,
		      uaddr_t abs_timeout)
{
	struct mqueue *q;
	struct mq_msg *m;
	struct file *f;
	uint64_t deadline;
	long err = mq_deadline(abs_timeout, &deadline);

	if (err)
		return err;
	if (msg_prio >= MQ_PRIO_MAX)
		return -EINVAL;
	err = mq_fget(mqdes, &f, &q);
	if (err)
		return err;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		err = -EBADF;
	else if (msg_len > (size_t)q->msgsize)
		err = -EMSGSIZE;
	m = err ? NULL : kzalloc(sizeof(*m));
	if (!err && m)
		m->data = kmalloc(MAX(msg_len, (size_t)1));
	if (!err && (!m || !m->data))
		err = -ENOMEM;
	if (!err && copy_from_user(m->data, msg_ptr, msg_len))
		err = -EFAULT;
	if (!err) {
		m->len = msg_len;
		m->prio = msg_prio;
		mutex_lock(&mq_lock);
		err = mq_send_locked(f, q, m, deadline);
		mutex_unlock(&mq_lock);
		if (!err)
			m = NULL;
	}
	if (m) {
		kfree(m->data);
		kfree(m);
	}
	file_put(f);
	return err;
}

static long mq_receive_locked(struct file *f, struct mqueue *q, uint64_t deadline, struct mq_msg **out)
{
	struct mq_msg *m;
	int err;

	while (!q->curmsgs) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = mq_sleep(q, deadline, true);
		if (err)
			return err;
	}
	m = container_of(q->msgs.next, struct mq_msg, node);
	list_del(&m->node);
	q->curmsgs--;
	q->qsize -= m->len;
	mq_changed(q);
	*out = m;
	return 0;
}

long sys_mq_timedreceive(int mqdes, uaddr_t msg_ptr, size_t msg_len, uaddr_t msg_prio,
			 uaddr_t abs_timeout)
{
	struct mq_msg *m = NULL;
	struct mqueue *q;
	struct file *f;
	uint64_t deadline;
	long err = mq_deadline(abs_timeout, &deadline);

	if (err)
		return err;
	err = mq_fget(mqdes, &f, &q);
	if (err)
		return err;
	if ((f->flags & O_ACCMODE) == O_WRONLY) {
		err = -EBADF;
	} else if (msg_len < (size_t)q->msgsize) {
		err = -EMSGSIZE;
	} else {
		mutex_lock(&mq_lock);
		err = mq_receive_locked(f, q, deadline, &m);
		mutex_unlock(&mq_lock);
	}
	file_put(f);
	if (err)
		return err;
	/* Taken off the queue even when the copy-out faults, as Linux. */
	err = (long)m->len;
	if ((msg_prio && put_user_u32(msg_prio, m->prio)) || copy_to_user(msg_ptr, m->data, m->len))
		err = -EFAULT;
	kfree(m->data);
	kfree(m);
	return err;
}

/* SIGEV_THREAD: Linux wants a netlink socket's descriptor in sigev_signo; there are none here. */
static int mq_notify_thread(const struct k_sigevent *ev)
{
	struct file *sock = fget(ev->signo);
	int err;

	if (!sock)
		return -EBADF;
	err = file_is_sockfs(sock) ? -ECONNREFUSED : -ENOTSOCK;
	file_put(sock);
	return err;
}

long sys_mq_notify(int mqdes, uaddr_t notification)
{
	struct k_sigevent ev;
	struct mqueue *q;
	struct file *f;
	long err;

	if (notification) {
		if (copy_from_user(&ev, notification, sizeof(ev)))
			return -EFAULT;
		if (ev.notify != SIGEV_NONE && ev.notify != SIGEV_SIGNAL && ev.notify != SIGEV_THREAD)
			return -EINVAL;
		if (ev.notify == SIGEV_SIGNAL && (ev.signo < 0 || ev.signo > NSIG))
			return -EINVAL;
		if (ev.notify == SIGEV_THREAD)
			return mq_notify_thread(&ev);
	}
	err = mq_fget(mqdes, &f, &q);
	if (err)
		return err;
	mutex_lock(&mq_lock);
	if (!notification) {
		if (q->notify_pid == ipc_pid())
			q->notify_pid = 0;
	} else if (q->notify_pid) {
		err = -EBUSY;
	} else {
		q->notify = ev;
		q->notify_pid = ipc_pid();
	}
	mutex_unlock(&mq_lock);
	file_put(f);
	return err;
}

long sys_mq_getsetattr(int mqdes, uaddr_t newattr, uaddr_t oldattr)
{
	struct mq_attr in, old = { 0 };
	struct mqueue *q;
	struct file *f;
	long err;

	if (newattr) {
		if (copy_from_user(&in, newattr, sizeof(in)))
			return -EFAULT;
		if (in.mq_flags & ~(int64_t)O_NONBLOCK)
			return -EINVAL;
	}
	err = mq_fget(mqdes, &f, &q);
	if (err)
		return err;
	mutex_lock(&mq_lock);
	old.mq_maxmsg = q->maxmsg;
	old.mq_msgsize = q->msgsize;
	old.mq_curmsgs = q->curmsgs;
	old.mq_flags = f->flags & O_NONBLOCK;
	if (newattr)
		f->flags = (f->flags & ~(unsigned int)O_NONBLOCK) | (unsigned int)(in.mq_flags & O_NONBLOCK);
	mutex_unlock(&mq_lock);
	file_put(f);
	if (oldattr && copy_to_user(oldattr, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/*
 * A process is gone: its registrations go (Linux holds the registering
 * process's struct pid, so a reused pid is never signalled).
 */
void mq_exit(pid_t pid)
{
	struct mqueue *q;

	mutex_lock(&mq_lock);
	list_for_each_entry(q, &mq_all, all)
		if (q->notify_pid == pid)
			q->notify_pid = 0;
	mutex_unlock(&mq_lock);
}

/* ---- the descriptor ---- */

/* Linux's mqueue_read_file: one status line. */
static ssize_t mq_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct mqueue *q = f->priv;
	char text[MQ_STATUS_MAX];
	size_t len, n;

	mutex_lock(&mq_lock);
	len = (size_t)snprintf(text, sizeof(text), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
			       q->qsize, q->notify_pid ? q->notify.notify : 0,
			       q->notify_pid && q->notify.notify == SIGEV_SIGNAL ? q->notify.signo : 0,
			       pid_vnr(q->notify_pid));
	mutex_unlock(&mq_lock);
	len = MIN(len, sizeof(text) - 1);
	if (*pos >= len)
		return 0;
	n = MIN(len - (size_t)*pos, buf->len);
	if (iobuf_write(buf, 0, text + *pos, n))
		return -EFAULT;
	*pos += n;
	return (ssize_t)n;
}

static ssize_t mq_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)f;
	(void)buf;
	(void)pos;
	return -EINVAL;
}

static unsigned int mq_poll(struct file *f)
{
	struct mqueue *q = f->priv;
	unsigned int r = 0;

	mutex_lock(&mq_lock);
	if (q->curmsgs)
		r |= POLLIN | POLLRDNORM;
	if (q->curmsgs < q->maxmsg)
		r |= POLLOUT | POLLWRNORM;
	mutex_unlock(&mq_lock);
	return r;
}

static uint64_t mq_poll_seq(struct file *f, unsigned int events)
{
	struct mqueue *q = f->priv;

	(void)events;
	return q->gen;
}

static void mq_release(struct file *f)
{
	struct mqueue *q = f->priv;

	if (!q)
		return;		/* opened through /dev/mqueue and failed before its open */
	mutex_lock(&mq_lock);
	/* Linux's mqueue_flush_file: the owner's close drops its registration. */
	if (q->notify_pid == ipc_pid())
		q->notify_pid = 0;
	mutex_unlock(&mq_lock);
}

const struct file_ops mq_file_ops = {
	.read = mq_read,
	.write = mq_write,
	.poll = mq_poll,
	.poll_seq = mq_poll_seq,
	.release = mq_release,
};
