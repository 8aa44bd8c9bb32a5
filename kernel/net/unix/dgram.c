// SPDX-License-Identifier: MPL-2.0
// SOCK_DGRAM and SOCK_SEQPACKET data: one message per send with its
// boundaries kept (MSG_TRUNC), EMSGSIZE past the send buffer, the
// receiver's queue limit for senders that are not its peer (EAGAIN, or a
// wait), ECONNREFUSED once a connected peer is gone, datagram connect
// and disconnect (AF_UNSPEC), as Linux's unix_dgram_sendmsg,
// unix_dgram_recvmsg and unix_dgram_connect.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "net/unix/unix.h"

int unix_dgram_connect(struct socket *s, const struct sock_addr *a)
{
	struct unix_sock *u = unix_sk(s), *other = NULL, *old;
	uint16_t family = 0;
	int err;

	if (a->len < 2)
		return -EINVAL;
	memcpy(&family, a->a, sizeof(family));
	if (family != AF_UNSPEC) {
		err = unix_validate_addr(a);
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
	}
	mutex_lock(&unix_lock);
	if (other && other->dead) {
		mutex_unlock(&unix_lock);
		unix_sock_put(other);
		return -ECONNREFUSED;
	}
	if (other && other->peer && other->peer != u) {
		mutex_unlock(&unix_lock);
		unix_sock_put(other);
		return -EPERM;
	}
	old = u->peer;
	u->peer = other;
	u->state = other ? UNIX_CONNECTED : UNIX_UNCONNECTED;
	unix_wake(u);
	mutex_unlock(&unix_lock);
	unix_sock_put(old);
	return 0;
}

static bool dgram_room_cond(void *arg)
{
	struct unix_sock *u = arg;
	struct socket *s = u->sock;

	return !s || u->wmem < s->sndbuf || (u->shutdown & SEND_SHUTDOWN);
}

struct qlen_wait {
	struct unix_sock *other;
};

static bool qlen_cond(void *arg)
{
	struct unix_sock *o = ((struct qlen_wait *)arg)->other;

	return o->dead || o->qlen <= UNIX_MAX_DGRAM_QLEN || (o->shutdown & RCV_SHUTDOWN);
}

/* The destination of a send (a reference): the named socket or the peer. */
static int dgram_dest(struct socket *s, struct sock_msg *m, struct unix_sock **out)
{
	struct unix_sock *u = unix_sk(s);
	int err;

	if (m->name.len && s->type == SOCK_DGRAM) {
		err = unix_validate_addr(&m->name);
		if (err)
			return err;
		return unix_find_other(&m->name, u->type, out);
	}
	mutex_lock(&unix_lock);
	*out = u->peer;
	if (*out)
		unix_sock_get(*out);
	mutex_unlock(&unix_lock);
	if (!*out)
		return s->type == SOCK_SEQPACKET && u->state == UNIX_CONNECTED ? -EPIPE : -ENOTCONN;
	return 0;
}

/* Queue skb on other (lock held), waiting for room in its queue: 0 or -errno. */
static int dgram_deliver(struct socket *s, struct unix_sock *u, struct unix_sock *other,
			 struct unix_skb *skb, bool nonblock)
{
	struct qlen_wait w = { other };
	int err;

	for (;;) {
		if (u->shutdown & SEND_SHUTDOWN)
			return -EPIPE;
		if (other->dead) {
			if (u->peer == other) {
				u->peer = NULL;
				u->state = UNIX_UNCONNECTED;
				unix_sock_put(other);
			}
			return s->type == SOCK_SEQPACKET ? -EPIPE : -ECONNREFUSED;
		}
		if (other->peer && other->peer != u)
			return -EPERM;
		if (other->shutdown & RCV_SHUTDOWN)
			return -EPIPE;
		if (other->peer == u || other->qlen <= UNIX_MAX_DGRAM_QLEN)
			break;
		if (nonblock)
			return -EAGAIN;
		err = unix_wait(other, s, true, qlen_cond, &w);
		if (err)
			return err;
	}
	if (u->addr && s->type == SOCK_DGRAM) {
		skb->from = kzalloc(sizeof(*skb->from));
		if (!skb->from)
			return -ENOBUFS;
		*skb->from = *u->addr;
	}
	unix_queue_skb(other, skb);
	return 0;
}

ssize_t unix_dgram_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = unix_sk(s), *other = NULL;
	size_t len = m->iov.total;
	struct unix_skb *skb = NULL;
	int err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (s->type == SOCK_SEQPACKET) {
		if (u->state != UNIX_CONNECTED && !u->peer)
			return -ENOTCONN;
		m->name.len = 0;
	}
	if (len > s->sndbuf - 32)
		return -EMSGSIZE;
	if (s->passcred && !u->addr) {
		mutex_lock(&unix_lock);
		err = unix_autobind(u);
		mutex_unlock(&unix_lock);
		if (err)
			return err;
	}
	err = dgram_dest(s, m, &other);
	if (err)
		return err;
	mutex_lock(&unix_lock);
	while (!err && u->wmem >= s->sndbuf && !(u->shutdown & SEND_SHUTDOWN)) {
		if (m->nonblock)
			err = -EAGAIN;
		else
			err = unix_wait(u, s, true, dgram_room_cond, u);
	}
	mutex_unlock(&unix_lock);
	if (!err)
		err = unix_alloc_skb(u, len, &skb);
	if (!err)
		err = sock_iov_read(&m->iov, 0, skb->data, len);
	if (!err)
		err = unix_scm_attach(s, m, skb);
	if (!err) {
		mutex_lock(&unix_lock);
		err = dgram_deliver(s, u, other, skb, m->nonblock);
		mutex_unlock(&unix_lock);
	}
	if (err && skb)
		unix_free_skb(skb);
	unix_sock_put(other);
	if (err == -EPIPE && s->type == SOCK_SEQPACKET)
		unix_sigpipe(m->flags);
	return err ? err : (ssize_t)len;
}

static bool dgram_recv_cond(void *arg)
{
	struct unix_sock *u = arg;

	return !list_empty(&u->recvq) || (u->shutdown & RCV_SHUTDOWN) || u->dead;
}

ssize_t unix_dgram_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = unix_sk(s);
	bool peek = m->flags & MSG_PEEK;
	struct unix_skb *skb = NULL;
	struct linux_ucred cred;
	struct file **fds = NULL;
	uint32_t nfds = 0;
	size_t n = 0, len = 0;
	int err = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	mutex_lock(&unix_lock);
	if (s->type == SOCK_SEQPACKET && u->state != UNIX_CONNECTED) {
		mutex_unlock(&unix_lock);
		return -ENOTCONN;
	}
	while (list_empty(&u->recvq)) {
		if ((u->shutdown & RCV_SHUTDOWN) || u->dead) {
			mutex_unlock(&unix_lock);
			return 0;
		}
		if (m->nonblock) {
			err = -EAGAIN;
			break;
		}
		err = unix_wait(u, s, false, dgram_recv_cond, u);
		if (err)
			break;
	}
	if (!err) {
		skb = list_entry(u->recvq.next, struct unix_skb, node);
		len = skb->len;
		n = MIN(len, m->iov.total);
		if (n && sock_iov_write(&m->iov, 0, skb->data, n))
			err = -EFAULT;
	}
	if (!err) {
		if (n < len)
			m->out_flags |= MSG_TRUNC;
		if (m->want_name && skb->from)
			m->name = *skb->from;
		cred = skb->cred;
		nfds = unix_scm_take(skb, peek, &fds);
		if (!peek)
			unix_unlink_skb(u, skb);
		else
			skb = NULL;
	} else {
		skb = NULL;
	}
	mutex_unlock(&unix_lock);
	if (skb)
		unix_free_skb(skb);
	if (err)
		return err;
	err = unix_scm_deliver(s, m, fds, nfds, &cred);
	kfree(fds);
	if (err)
		return err;
	return (ssize_t)((m->flags & MSG_TRUNC) ? len : n);
}
