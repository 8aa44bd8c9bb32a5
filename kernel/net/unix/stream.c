// SPDX-License-Identifier: MPL-2.0
// SOCK_STREAM data: a byte stream cut into messages of at most half the
// send buffer, each waiting for room in the sender's SO_SNDBUF; EPIPE
// (and SIGPIPE unless MSG_NOSIGNAL) once either side shut it down; reads
// that glue messages together but stop after one that carries files,
// MSG_PEEK, MSG_WAITALL, EOF, SO_RCVTIMEO, as Linux's
// unix_stream_sendmsg and unix_stream_read_generic.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "net/unix/unix.h"

#define UNIX_STREAM_MAX_SKB	(32 * 1024)

static bool send_room_cond(void *arg)
{
	struct unix_sock *u = arg;
	struct socket *s = u->sock;

	return !s || u->wmem < s->sndbuf || !u->peer || u->peer->dead ||
	       (u->shutdown & SEND_SHUTDOWN) || (u->peer->shutdown & RCV_SHUTDOWN);
}

/* Can u send to its peer now (lock held): 0, -ENOTCONN, -EPIPE. */
static int send_check(struct unix_sock *u)
{
	if (u->shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	if (!u->peer)
		return u->state == UNIX_CONNECTED ? -EPIPE : -ENOTCONN;
	if (u->peer->dead || (u->peer->shutdown & RCV_SHUTDOWN))
		return -EPIPE;
	return 0;
}

/* Wait for send-buffer room (lock held): 0 or -errno. */
static int wait_send_room(struct socket *s, struct unix_sock *u, bool nonblock)
{
	int err;

	while (!(err = send_check(u)) && u->wmem >= s->sndbuf) {
		if (nonblock)
			return -EAGAIN;
		err = unix_wait(u, s, true, send_room_cond, u);
		if (err)
			return err;
	}
	return err;
}

ssize_t unix_stream_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = unix_sk(s);
	struct unix_skb scm, *skb;
	size_t sent = 0, total = m->iov.total;
	int err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->name.len)
		return u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	memset(&scm, 0, sizeof(scm));
	err = unix_scm_attach(s, m, &scm);
	if (err)
		return err;
	mutex_lock(&unix_lock);
	err = send_check(u);
	mutex_unlock(&unix_lock);
	while (!err && sent < total) {
		size_t size = MIN(total - sent, (size_t)(s->sndbuf / 2 - 64));

		size = MIN(size, (size_t)UNIX_STREAM_MAX_SKB);
		mutex_lock(&unix_lock);
		err = wait_send_room(s, u, m->nonblock);
		mutex_unlock(&unix_lock);
		if (err)
			break;
		err = unix_alloc_skb(u, size, &skb);
		if (err)
			break;
		err = sock_iov_read(&m->iov, sent, skb->data, size);
		if (err) {
			unix_free_skb(skb);
			break;
		}
		skb->cred = scm.cred;
		skb->fds = scm.fds;
		skb->nfds = scm.nfds;
		scm.fds = NULL;
		scm.nfds = 0;
		mutex_lock(&unix_lock);
		err = send_check(u);
		if (!err)
			unix_queue_skb(u->peer, skb);
		mutex_unlock(&unix_lock);
		if (err) {
			unix_free_skb(skb);
			break;
		}
		sent += size;
	}
	for (uint32_t i = 0; i < scm.nfds; i++)
		file_put(scm.fds[i]);
	kfree(scm.fds);
	if (err == -EPIPE)
		unix_sigpipe(m->flags);
	return sent ? (ssize_t)sent : err;
}

static bool recv_cond(void *arg)
{
	struct unix_sock *u = arg;

	return !list_empty(&u->recvq) || (u->shutdown & RCV_SHUTDOWN) || u->err || u->dead;
}

struct stream_read {
	size_t copied, target;
	struct file **fds;
	uint32_t nfds;
	struct linux_ucred cred;
	bool have_cred;
	struct list_node done;		/* consumed messages, freed after unlocking */
};

/* Copy from the queue into m (lock held): 0, or -EFAULT with nothing copied. */
static int read_queue(struct unix_sock *u, struct sock_msg *m, struct stream_read *r, bool peek)
{
	struct list_node *pos = u->recvq.next;
	size_t total = m->iov.total;

	while (pos != &u->recvq && r->copied < total) {
		struct unix_skb *skb = list_entry(pos, struct unix_skb, node);
		size_t n = MIN(skb->len - skb->off, total - r->copied);

		if (r->have_cred && u->sock && u->sock->passcred &&
		    memcmp(&r->cred, &skb->cred, sizeof(r->cred)))
			break;	/* never glue the data of different writers */
		if (n && sock_iov_write(&m->iov, r->copied, skb->data + skb->off, n))
			return r->copied ? 0 : -EFAULT;
		r->copied += n;
		r->cred = skb->cred;
		r->have_cred = true;
		if (skb->nfds)
			r->nfds = unix_scm_take(skb, peek, &r->fds);
		pos = pos->next;
		if (!peek) {
			skb->off += n;
			u->qbytes -= n;
			u->rseq++;
			if (skb->off == skb->len) {
				unix_unlink_skb(u, skb);
				list_add_tail(&r->done, &skb->node);
			}
		}
		if (r->nfds)
			break;
	}
	return 0;
}

ssize_t unix_stream_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = unix_sk(s);
	bool peek = m->flags & MSG_PEEK;
	struct unix_skb *skb, *tmp;
	struct stream_read r;
	int err = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	memset(&r, 0, sizeof(r));
	list_init(&r.done);
	r.target = (m->flags & MSG_WAITALL) ? m->iov.total :
		   MIN((size_t)s->rcvlowat, m->iov.total);
	if (!r.target)
		r.target = 1;
	mutex_lock(&unix_lock);
	if (u->state != UNIX_CONNECTED) {
		mutex_unlock(&unix_lock);
		return -EINVAL;
	}
	for (;;) {
		if (list_empty(&u->recvq)) {
			if (r.copied >= r.target || r.nfds)
				break;
			if (u->err) {
				err = -u->err;
				u->err = 0;
				break;
			}
			if ((u->shutdown & RCV_SHUTDOWN) || u->dead)
				break;
			if (m->nonblock) {
				err = -EAGAIN;
				break;
			}
			err = unix_wait(u, s, false, recv_cond, u);
			if (err)
				break;
			continue;
		}
		if (!m->iov.total)
			break;
		err = read_queue(u, m, &r, peek);
		if (err || peek || r.nfds || r.copied >= r.target || r.copied == m->iov.total)
			break;
		if (!list_empty(&u->recvq))
			break;	/* a writer boundary (credentials) stopped the copy */
	}
	mutex_unlock(&unix_lock);
	list_for_each_entry_safe(skb, tmp, &r.done, node) {
		list_del(&skb->node);
		unix_free_skb(skb);
	}
	if (r.copied || r.nfds) {
		int e = unix_scm_deliver(s, m, r.fds, r.nfds, r.have_cred ? &r.cred : NULL);

		kfree(r.fds);
		if (e && !r.copied)
			return e;
		return (ssize_t)r.copied;
	}
	return err;
}
