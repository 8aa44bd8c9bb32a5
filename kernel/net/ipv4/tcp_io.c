// SPDX-License-Identifier: MPL-2.0
// TCP sockets, the data side: send (into the send ring, waiting for room
// under SO_SNDBUF, EPIPE and SIGPIPE unless MSG_NOSIGNAL once the
// sending side is shut), receive (from the receive ring: MSG_PEEK,
// MSG_WAITALL, MSG_DONTWAIT, MSG_TRUNC, SO_RCVLOWAT, and a window update
// once reading opened the window by an MSS), shutdown, poll with every
// edge Linux's tcp_poll reports, FIONREAD/SIOCINQ and SIOCOUTQ.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "net/ipv4/tcp.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/poll.h"
#include "uapi/sockios.h"

struct tcp_wait {
	struct tcp_sock *tsk;
	uint32_t seen;
};

static bool tcp_can_send(const struct tcp_sock *tsk)
{
	return (tsk->state == TCP_ESTABLISHED || tsk->state == TCP_CLOSE_WAIT) &&
	       !(tsk->inet.shutdown & SEND_SHUTDOWN);
}

static uint32_t tcp_send_limit(const struct tcp_sock *tsk, const struct socket *s)
{
	uint32_t lim = MAX(s->sndbuf, (uint32_t)SOCK_MIN_SNDBUF);

	return tsk->sbuf ? MIN(lim, tsk->scap) : lim;
}

static bool send_cond(void *arg)
{
	struct tcp_wait *w = arg;
	struct tcp_sock *tsk = w->tsk;
	struct socket *s = tsk->inet.sock;

	return !s || s->err || !tcp_can_send(tsk) || tsk->slen < tcp_send_limit(tsk, s);
}

static bool connect_done_cond(void *arg)
{
	struct tcp_sock *tsk = ((struct tcp_wait *)arg)->tsk;

	return tsk->state != TCP_SYN_SENT && tsk->state != TCP_SYN_RECV;
}

static void tcp_sigpipe(unsigned int flags)
{
	struct thread *t = current_thread();

	if (t && !(flags & MSG_NOSIGNAL))
		signal_send_thread(t, SIGPIPE);
}

/* Linux's sk_stream_wait_connect: 0 once connected, -errno (inet_lock held, dropped while asleep). */
static int tcp_wait_connect(struct tcp_sock *tsk, struct socket *s, bool nonblock, uint64_t timeo)
{
	struct tcp_wait w = { tsk, 0 };

	while (tsk->state == TCP_SYN_SENT || tsk->state == TCP_SYN_RECV) {
		int err;

		if (s->err)
			break;
		if (nonblock)
			return -EAGAIN;
		mutex_unlock(&inet_lock);
		err = wait_interruptible(&tsk->inet.wq, connect_done_cond, &w, timeo);
		mutex_lock(&inet_lock);
		if (err)
			return sock_wait_error(err, timeo);
	}
	if (s->err) {
		int err = -s->err;

		s->err = 0;
		return err;
	}
	return tcp_can_send(tsk) ? 0 : -EPIPE;
}

static int tcp_alloc_sbuf(struct tcp_sock *tsk, struct socket *s)
{
	uint32_t cap = MAX(s->sndbuf, (uint32_t)SOCK_MIN_SNDBUF);

	if (tsk->sbuf && (tsk->scap == cap || tsk->slen))
		return 0;
	kfree(tsk->sbuf);
	tsk->sbuf = kmalloc(cap);
	tsk->scap = tsk->sbuf ? cap : 0;
	tsk->shead = 0;
	return tsk->sbuf ? 0 : -ENOMEM;
}

/* Copy n bytes of the message (from off) to the end of the send ring. */
static int tcp_sring_fill(struct tcp_sock *tsk, struct sock_msg *m, size_t off, uint32_t n)
{
	uint32_t pos = (tsk->shead + tsk->slen) % tsk->scap;
	uint32_t first = MIN(n, tsk->scap - pos);

	if (sock_iov_read(&m->iov, off, tsk->sbuf + pos, first))
		return -EFAULT;
	if (first < n && sock_iov_read(&m->iov, off + first, tsk->sbuf, n - first))
		return -EFAULT;
	tsk->slen += n;
	return 0;
}

/* One pass of sendmsg's loop: bytes queued, or -errno. */
static ssize_t tcp_send_some(struct tcp_sock *tsk, struct socket *s, struct sock_msg *m,
			     size_t copied, uint64_t timeo)
{
	struct tcp_wait w = { tsk, 0 };
	uint32_t lim, n;
	int err;

	if (s->err) {
		err = -s->err;
		s->err = 0;
		return err;
	}
	if (!tcp_can_send(tsk))
		return -EPIPE;
	if (tcp_alloc_sbuf(tsk, s))
		return -ENOMEM;
	lim = tcp_send_limit(tsk, s);
	if (tsk->slen >= lim) {
		tcp_push(tsk, false);
		if (m->nonblock)
			return -EAGAIN;
		mutex_unlock(&inet_lock);
		err = wait_interruptible(&tsk->inet.wq, send_cond, &w, timeo);
		mutex_lock(&inet_lock);
		return err ? sock_wait_error(err, timeo) : 0;
	}
	n = (uint32_t)MIN((size_t)(lim - tsk->slen), m->iov.total - copied);
	err = tcp_sring_fill(tsk, m, copied, n);
	if (err)
		return err;
	tcp_push(tsk, false);
	return n;
}

ssize_t tcp_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct tcp_sock *tsk = tcp_sk(s);
	uint64_t timeo = sock_timeout(s, true);
	size_t copied = 0;
	ssize_t r = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;	/* urgent data is not supported */
	mutex_lock(&inet_lock);
	if (tsk->state != TCP_ESTABLISHED && tsk->state != TCP_CLOSE_WAIT)
		r = tcp_wait_connect(tsk, s, m->nonblock, timeo);
	else if (!tcp_can_send(tsk))
		r = -EPIPE;
	while (!r && copied < m->iov.total) {
		r = tcp_send_some(tsk, s, m, copied, timeo);
		if (r > 0) {
			copied += (size_t)r;
			r = 0;
		}
	}
	if (copied && !tsk->cork)
		tcp_push(tsk, false);
	mutex_unlock(&inet_lock);
	if (copied)
		return (ssize_t)copied;
	if (r == -EPIPE)
		tcp_sigpipe(m->flags);
	return r;
}

/* ---- receiving ---- */

static bool tcp_rcv_shut(const struct tcp_sock *tsk)
{
	return tsk->fin_rcvd || (tsk->inet.shutdown & RCV_SHUTDOWN);
}

static bool recv_cond(void *arg)
{
	struct tcp_wait *w = arg;
	struct tcp_sock *tsk = w->tsk;
	struct socket *s = tsk->inet.sock;

	return tsk->rlen > w->seen || !s || s->err || tcp_rcv_shut(tsk) || tsk->state == TCP_CLOSE;
}

/* Copy n bytes at offset off of the readable data to the message at moff. */
static int tcp_rring_copy(struct tcp_sock *tsk, struct sock_msg *m, size_t moff, uint32_t off,
			  uint32_t n)
{
	uint32_t pos = (tsk->rhead + off) % tsk->rcap;
	uint32_t first = MIN(n, tsk->rcap - pos);

	if (sock_iov_write(&m->iov, moff, tsk->rbuf + pos, first))
		return -EFAULT;
	if (first < n && sock_iov_write(&m->iov, moff + first, tsk->rbuf, n - first))
		return -EFAULT;
	return 0;
}

/* Reading freed room: announce it once it grew by an MSS or half the ring (RFC 1122 4.2.3.3). */
static void tcp_window_update(struct tcp_sock *tsk)
{
	uint32_t cur = seq_gt(tsk->rcv_adv, tsk->rcv_nxt) ? tsk->rcv_adv - tsk->rcv_nxt : 0;
	uint32_t free = tcp_rcv_space(tsk);

	if (tsk->state != TCP_ESTABLISHED && tsk->state != TCP_FIN_WAIT1 &&
	    tsk->state != TCP_FIN_WAIT2)
		return;
	if (free > cur && free - cur >= MIN(tsk->rcap / 2, tsk->advmss))
		tcp_send_ack(tsk);
}

/* Nothing (more) to read: 1 to return what we have, 0 to wait, -errno. */
static int tcp_recv_end(struct tcp_sock *tsk, struct socket *s, size_t copied)
{
	int err;

	if (copied)
		return s->err || tcp_rcv_shut(tsk) || tsk->state == TCP_CLOSE ? 1 : 0;
	if (tsk->fin_rcvd)
		return 1;
	if (s->err) {
		err = -s->err;
		s->err = 0;
		return err;
	}
	if (tsk->inet.shutdown & RCV_SHUTDOWN)
		return 1;
	if (tsk->state == TCP_CLOSE)
		return -ENOTCONN;
	return 0;
}

ssize_t tcp_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct tcp_sock *tsk = tcp_sk(s);
	uint64_t timeo = sock_timeout(s, false);
	bool peek = m->flags & MSG_PEEK;
	size_t copied = 0, target;
	struct tcp_wait w = { tsk, 0 };
	int err = 0;

	if (m->flags & MSG_ERRQUEUE)
		return -EAGAIN;
	if (m->flags & MSG_OOB)
		return -EINVAL;		/* no urgent data, ever: Linux's answer then */
	target = (m->flags & MSG_WAITALL) ? m->iov.total :
		 MIN(m->iov.total, (size_t)MAX(s->rcvlowat, 1));
	mutex_lock(&inet_lock);
	if (tsk->state == TCP_LISTEN) {
		mutex_unlock(&inet_lock);
		return -ENOTCONN;
	}
	while (copied < m->iov.total) {
		uint32_t off = peek ? (uint32_t)copied : 0;
		uint32_t avail = tsk->rlen > off ? tsk->rlen - off : 0;

		if (avail) {
			uint32_t n = (uint32_t)MIN((size_t)avail, m->iov.total - copied);

			if (!(m->flags & MSG_TRUNC) && tcp_rring_copy(tsk, m, copied, off, n)) {
				err = -EFAULT;
				break;
			}
			if (!peek) {
				tsk->rhead = (tsk->rhead + n) % tsk->rcap;
				tsk->rlen -= n;
				tsk->inet.rseq++;
			}
			copied += n;
			continue;
		}
		if (copied >= target)
			break;
		err = tcp_recv_end(tsk, s, copied);
		if (err) {
			err = err > 0 ? 0 : err;
			break;
		}
		if (m->nonblock) {
			err = -EAGAIN;
			break;
		}
		w.seen = tsk->rlen;
		mutex_unlock(&inet_lock);
		err = wait_interruptible(&tsk->inet.wq, recv_cond, &w, timeo);
		mutex_lock(&inet_lock);
		if (err) {
			err = sock_wait_error(err, timeo);
			break;
		}
	}
	if (copied && !peek)
		tcp_window_update(tsk);
	mutex_unlock(&inet_lock);
	return copied ? (ssize_t)copied : err;
}

/* ---- shutdown, poll, ioctl ---- */

int tcp_shutdown(struct socket *s, int how)
{
	struct tcp_sock *tsk = tcp_sk(s);
	uint8_t bits = (uint8_t)(how + 1);
	int err = 0;

	mutex_lock(&inet_lock);
	if (tsk->ss == SS_CONNECTING)
		tsk->ss = (tsk->state == TCP_SYN_SENT || tsk->state == TCP_SYN_RECV ||
			   tsk->state == TCP_CLOSE) ? SS_DISCONNECTING : SS_CONNECTED;
	switch (tsk->state) {
	case TCP_CLOSE:
		err = -ENOTCONN;
		tsk->inet.shutdown |= bits;
		break;
	case TCP_LISTEN:
		if (!(bits & RCV_SHUTDOWN))
			break;
		tcp_abort_listener(tsk);
		s->listening = false;
		break;
	case TCP_SYN_SENT:
		tcp_set_state(tsk, TCP_CLOSE);
		tsk->inet.shutdown |= bits;
		break;
	default:
		tsk->inet.shutdown |= bits;
		if (bits & SEND_SHUTDOWN)
			tcp_send_fin(tsk);
		break;
	}
	tsk->inet.wseq++;
	tsk->inet.rseq++;
	tcp_wake(tsk);
	mutex_unlock(&inet_lock);
	return err;
}

static bool tcp_writable(const struct tcp_sock *tsk, const struct socket *s)
{
	uint32_t lim = tcp_send_limit(tsk, s);

	/* Linux's sk_stream_is_writeable: the free room is at least half the queued bytes. */
	return tsk->slen < lim && lim - tsk->slen >= tsk->slen / 2;
}

unsigned int tcp_poll(struct socket *s)
{
	struct tcp_sock *tsk = tcp_sk(s);
	unsigned int m = 0;
	bool rshut, wshut;

	mutex_lock(&inet_lock);
	if (tsk->state == TCP_LISTEN) {
		if (!list_empty(&tsk->acceptq))
			m |= POLLIN | POLLRDNORM;
		mutex_unlock(&inet_lock);
		return m;
	}
	rshut = tcp_rcv_shut(tsk);
	wshut = tsk->inet.shutdown & SEND_SHUTDOWN;
	if ((rshut && wshut) || tsk->state == TCP_CLOSE)
		m |= POLLHUP;
	if (rshut)
		m |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (tsk->state != TCP_SYN_SENT && tsk->state != TCP_SYN_RECV) {
		if (tsk->rlen)
			m |= POLLIN | POLLRDNORM;
		if (wshut || tcp_writable(tsk, s))
			m |= POLLOUT | POLLWRNORM;
	}
	if (s->err)
		m |= POLLERR;
	mutex_unlock(&inet_lock);
	return m;
}

uint64_t tcp_poll_seq(struct socket *s, unsigned int events)
{
	struct tcp_sock *tsk = tcp_sk(s);

	return ((events & POLLIN) ? tsk->inet.wseq : 0) + ((events & POLLOUT) ? tsk->inet.rseq : 0);
}

long tcp_ioctl(struct socket *s, unsigned int cmd, uint64_t arg)
{
	struct tcp_sock *tsk = tcp_sk(s);
	uint32_t n;

	if (cmd != SIOCINQ && cmd != SIOCOUTQ)
		return netdev_ioctl(cmd, arg);
	mutex_lock(&inet_lock);
	if (tsk->state == TCP_LISTEN) {
		mutex_unlock(&inet_lock);
		return -EINVAL;
	}
	n = cmd == SIOCINQ ? tsk->rlen : tsk->slen;
	mutex_unlock(&inet_lock);
	return put_user_u32(arg, n);
}
