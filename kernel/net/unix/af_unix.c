// SPDX-License-Identifier: MPL-2.0
// AF_UNIX: creation, connect, listen and accept with a bounded backlog,
// socketpair, shutdown, SO_PEERCRED, poll, ioctl and release, as Linux's
// net/unix/af_unix.c.  Names are in name.c, the data paths in stream.c
// and dgram.c.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "net/unix/unix.h"
#include "process/signal.h"
#include "uapi/signal.h"
#include "uapi/sockios.h"

struct mutex unix_lock = MUTEX_INIT;
struct list_node unix_sockets = { &unix_sockets, &unix_sockets };

static const struct proto_ops unix_stream_ops, unix_dgram_ops, unix_seqpacket_ops;

void unix_sock_get(struct unix_sock *u)
{
	refcount_inc(&u->refs);
}

void unix_sock_put(struct unix_sock *u)
{
	if (!u || !refcount_dec_and_test(&u->refs))
		return;
	kfree(u->addr);
	kfree(u);
}

void unix_wake(struct unix_sock *u)
{
	wake_up_all(&u->wq);
	poll_wake();
}

void unix_sigpipe(unsigned int flags)
{
	struct thread *t = current_thread();

	if (t && !(flags & MSG_NOSIGNAL))
		signal_send_thread(t, SIGPIPE);
}

int unix_wait(struct unix_sock *u, struct socket *s, bool send, bool (*cond)(void *), void *arg)
{
	uint64_t timeo = s ? sock_timeout(s, send) : 0;
	int err;

	unix_sock_get(u);
	mutex_unlock(&unix_lock);
	err = wait_interruptible(&u->wq, cond, arg, timeo);
	mutex_lock(&unix_lock);
	unix_sock_put(u);
	return sock_wait_error(err, timeo);
}

static struct unix_sock *unix_sock_new(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));

	if (!u)
		return NULL;
	refcount_set(&u->refs, 1);
	u->type = type;
	list_init(&u->recvq);
	wait_queue_init(&u->wq);
	mutex_lock(&unix_lock);
	list_add_tail(&unix_sockets, &u->all);
	mutex_unlock(&unix_lock);
	return u;
}

/* ---- connections ---- */

static int unix_listen(struct socket *s, int backlog)
{
	struct unix_sock *u = unix_sk(s);
	int err = 0;

	if (u->type != SOCK_STREAM && u->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	mutex_lock(&unix_lock);
	if (!u->addr || (u->state != UNIX_UNCONNECTED && u->state != UNIX_LISTEN)) {
		err = -EINVAL;
	} else {
		u->backlog = (uint32_t)backlog;
		u->state = UNIX_LISTEN;
		sock_current_cred(&u->peercred);
		u->has_peercred = true;
		unix_wake(u);
	}
	mutex_unlock(&unix_lock);
	return err;
}

struct backlog_wait {
	struct unix_sock *other;
};

static bool backlog_cond(void *arg)
{
	struct unix_sock *o = ((struct backlog_wait *)arg)->other;

	return o->dead || o->state != UNIX_LISTEN || o->qlen <= o->backlog;
}

/* Checks of a stream connect to other (lock held): 0, 1 (backlog full), -errno. */
static int connect_check(struct unix_sock *u, struct unix_sock *other)
{
	if (u->state == UNIX_CONNECTED)
		return -EISCONN;
	if (u->state != UNIX_UNCONNECTED)
		return -EINVAL;
	if (other->dead || other->state != UNIX_LISTEN || (other->shutdown & RCV_SHUTDOWN))
		return -ECONNREFUSED;
	return other->qlen > other->backlog ? 1 : 0;
}

static int unix_stream_connect(struct socket *s, const struct sock_addr *a, bool nonblock)
{
	struct unix_sock *u = unix_sk(s), *other, *embryo;
	struct backlog_wait w;
	struct unix_skb *req;
	int err = unix_validate_addr(a);

	if (err)
		return err;
	if (s->passcred && !u->addr) {
		mutex_lock(&unix_lock);
		err = unix_autobind(u);
		mutex_unlock(&unix_lock);
		if (err)
			return err;
	}
	err = unix_find_other(a, u->type, &other);
	if (err)
		return err;
	embryo = unix_sock_new(u->type);
	err = embryo ? unix_alloc_skb(u, 0, &req) : -ENOMEM;
	if (err) {
		if (embryo) {
			embryo->dead = true;
			mutex_lock(&unix_lock);
			list_del(&embryo->all);
			mutex_unlock(&unix_lock);
		}
		unix_sock_put(embryo);
		unix_sock_put(other);
		return err;
	}
	w.other = other;
	mutex_lock(&unix_lock);
	while ((err = connect_check(u, other)) == 1) {
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		err = unix_wait(other, s, true, backlog_cond, &w);
		if (err)
			break;
	}
	if (!err) {
		embryo->state = UNIX_CONNECTED;
		embryo->peer = u;
		unix_sock_get(u);
		if (other->addr)
			embryo->addr = unix_addr_dup(other->addr->a, other->addr->len);
		sock_current_cred(&embryo->peercred);
		embryo->has_peercred = true;
		u->peer = embryo;
		unix_sock_get(embryo);
		u->state = UNIX_CONNECTED;
		u->peercred = other->peercred;
		u->has_peercred = true;
		req->embryo = embryo;
		embryo = NULL;
		unix_queue_skb(other, req);
		req = NULL;
	}
	if (embryo) {
		embryo->dead = true;
		list_del(&embryo->all);
	}
	mutex_unlock(&unix_lock);
	if (req)
		unix_free_skb(req);
	unix_sock_put(embryo);
	unix_sock_put(other);
	return err;
}

static bool acceptq_cond(void *arg)
{
	struct unix_sock *u = arg;

	return !list_empty(&u->recvq) || u->state != UNIX_LISTEN || u->dead;
}

static int unix_accept(struct socket *s, struct socket *ns, bool nonblock)
{
	struct unix_sock *u = unix_sk(s), *embryo = NULL;
	struct unix_skb *req = NULL;
	int err = 0;

	if (u->type != SOCK_STREAM && u->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	mutex_lock(&unix_lock);
	for (;;) {
		if (u->state != UNIX_LISTEN) {
			err = -EINVAL;
			break;
		}
		if (!list_empty(&u->recvq))
			break;
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		err = unix_wait(u, s, false, acceptq_cond, u);
		if (err)
			break;
	}
	if (!err) {
		req = list_entry(u->recvq.next, struct unix_skb, node);
		unix_unlink_skb(u, req);
		embryo = req->embryo;
		req->embryo = NULL;
		embryo->sock = ns;
		ns->sk = embryo;
		ns->ops = s->ops;
		unix_wake(u);
	}
	mutex_unlock(&unix_lock);
	if (req)
		unix_free_skb(req);
	return err;
}

static int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = unix_sk(a), *ub = unix_sk(b);

	mutex_lock(&unix_lock);
	ua->peer = ub;
	ub->peer = ua;
	unix_sock_get(ua);
	unix_sock_get(ub);
	ua->state = ub->state = UNIX_CONNECTED;
	sock_current_cred(&ua->peercred);
	ub->peercred = ua->peercred;
	ua->has_peercred = ub->has_peercred = true;
	mutex_unlock(&unix_lock);
	return 0;
}

static int unix_connect(struct socket *s, const struct sock_addr *a, bool nonblock)
{
	if (s->type == SOCK_DGRAM)
		return unix_dgram_connect(s, a);
	return unix_stream_connect(s, a, nonblock);
}

static int unix_shutdown(struct socket *s, int how)
{
	struct unix_sock *u = unix_sk(s), *other;
	uint8_t mode = (uint8_t)(how + 1);

	mutex_lock(&unix_lock);
	u->shutdown |= mode;
	unix_wake(u);
	other = u->peer;
	if (other && u->type != SOCK_DGRAM) {
		if (mode & RCV_SHUTDOWN)
			other->shutdown |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			other->shutdown |= RCV_SHUTDOWN;
		other->wseq++;
		unix_wake(other);
	}
	mutex_unlock(&unix_lock);
	return 0;
}

static int unix_peercred(struct socket *s, struct linux_ucred *c)
{
	struct unix_sock *u = unix_sk(s);

	mutex_lock(&unix_lock);
	if (u->has_peercred)
		*c = u->peercred;
	mutex_unlock(&unix_lock);
	return 0;
}

/* ---- poll, ioctl ---- */

static bool unix_writable(struct unix_sock *u, struct socket *s)
{
	return u->state != UNIX_LISTEN && u->wmem * 4 <= s->sndbuf;
}

static unsigned int unix_poll(struct socket *s)
{
	struct unix_sock *u = unix_sk(s), *other;
	unsigned int m = 0;

	mutex_lock(&unix_lock);
	if (u->err)
		m |= POLLERR;
	if (u->shutdown == SHUTDOWN_MASK)
		m |= POLLHUP;
	if (u->shutdown & RCV_SHUTDOWN)
		m |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&u->recvq))
		m |= POLLIN | POLLRDNORM;
	if (u->type != SOCK_DGRAM && u->state == UNIX_UNCONNECTED)
		m |= POLLHUP;
	if (unix_writable(u, s)) {
		other = u->type == SOCK_DGRAM ? u->peer : NULL;
		if (!other || other->peer == u || other->qlen <= UNIX_MAX_DGRAM_QLEN)
			m |= POLLOUT | POLLWRNORM | POLLWRBAND;
	}
	mutex_unlock(&unix_lock);
	return m;
}

static uint64_t unix_poll_seq(struct socket *s, unsigned int events)
{
	struct unix_sock *u = unix_sk(s);
	uint64_t seq = 0;

	if (events & POLLIN)
		seq += u->wseq;
	if (events & POLLOUT)
		seq += u->rseq;
	return seq;
}

static long unix_ioctl(struct socket *s, unsigned int cmd, uint64_t arg)
{
	struct unix_sock *u = unix_sk(s);
	struct unix_skb *skb;
	uint64_t n = 0;

	if (cmd != SIOCINQ && cmd != SIOCOUTQ)
		return -ENOTTY;
	mutex_lock(&unix_lock);
	if (cmd == SIOCOUTQ) {
		n = u->wmem;
	} else if (u->state == UNIX_LISTEN) {
		mutex_unlock(&unix_lock);
		return -EINVAL;
	} else if (u->type == SOCK_DGRAM) {
		if (!list_empty(&u->recvq))
			n = list_entry(u->recvq.next, struct unix_skb, node)->len;
	} else {
		list_for_each_entry(skb, &u->recvq, node)
			n += skb->len - skb->off;
	}
	mutex_unlock(&unix_lock);
	return put_user_u32(arg, (uint32_t)MIN(n, (uint64_t)INT32_MAX));
}

/* ---- release ---- */

/* u's file went, or the listener of the embryo u did (lock held): its messages go to dead. */
static void release_locked(struct unix_sock *u, struct list_node *dead)
{
	struct unix_sock *peer = u->peer;
	struct unix_skb *skb, *tmp;

	u->dead = true;
	u->sock = NULL;
	list_del(&u->all);
	u->shutdown = SHUTDOWN_MASK;
	u->state = UNIX_UNCONNECTED;
	u->peer = NULL;
	if (peer && u->type != SOCK_DGRAM) {
		peer->shutdown = SHUTDOWN_MASK;
		if (!list_empty(&u->recvq))
			peer->err = ECONNRESET;
		peer->wseq++;
		peer->rseq++;
		unix_wake(peer);
	}
	list_for_each_entry_safe(skb, tmp, &u->recvq, node) {
		unix_unlink_skb(u, skb);
		if (skb->embryo)
			release_locked(skb->embryo, dead);
		list_add_tail(dead, &skb->node);
	}
	unix_sock_put(peer);
	unix_wake(u);
}

static void unix_release(struct socket *s)
{
	struct unix_sock *u = unix_sk(s);
	struct unix_skb *skb, *tmp;
	struct list_node dead;
	struct dentry *path;

	if (!u)
		return;
	list_init(&dead);
	mutex_lock(&unix_lock);
	release_locked(u, &dead);
	path = u->path;
	u->path = NULL;
	mutex_unlock(&unix_lock);
	list_for_each_entry_safe(skb, tmp, &dead, node) {
		list_del(&skb->node);
		unix_free_skb(skb);
	}
	sockfs_put(path);
	s->sk = NULL;
	unix_sock_put(u);
	if (unix_gc_wanted())
		unix_gc();
}

/* ---- the family ---- */

static int unix_create(struct socket *s, int type, int protocol)
{
	struct unix_sock *u;

	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (type) {
	case SOCK_RAW:
		/* As Linux: BSD has it, so it is a datagram socket. */
		type = SOCK_DGRAM;
		s->type = SOCK_DGRAM;
		s->ops = &unix_dgram_ops;
		break;
	case SOCK_DGRAM:
		s->ops = &unix_dgram_ops;
		break;
	case SOCK_STREAM:
		s->ops = &unix_stream_ops;
		break;
	case SOCK_SEQPACKET:
		s->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	u = unix_sock_new(type);
	if (!u)
		return -ENOMEM;
	u->sock = s;
	s->sk = u;
	return 0;
}

#define UNIX_COMMON_OPS						\
	.family = AF_UNIX,					\
	.bind = unix_bind,					\
	.connect = unix_connect,				\
	.socketpair = unix_socketpair,				\
	.shutdown = unix_shutdown,				\
	.getname = unix_getname,				\
	.peercred = unix_peercred,				\
	.poll = unix_poll,					\
	.poll_seq = unix_poll_seq,				\
	.ioctl = unix_ioctl,					\
	.release = unix_release

static const struct proto_ops unix_stream_ops = {
	UNIX_COMMON_OPS,
	.listen = unix_listen,
	.accept = unix_accept,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
};

static const struct proto_ops unix_seqpacket_ops = {
	UNIX_COMMON_OPS,
	.listen = unix_listen,
	.accept = unix_accept,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
};

static const struct proto_ops unix_dgram_ops = {
	UNIX_COMMON_OPS,
	.listen = unix_listen,
	.accept = unix_accept,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
};

static const struct net_family unix_family = { .family = AF_UNIX, .create = unix_create };

static int unix_init(void)
{
	return socket_register_family(&unix_family);
}
KERNEL_INIT(unix_init);
