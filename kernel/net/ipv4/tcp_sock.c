// SPDX-License-Identifier: MPL-2.0
// TCP sockets, the connection side: creation, states and their
// consequences, ports (bind conflicts with SO_REUSEADDR, TIME_WAIT
// included; ephemeral ports through af_inet's inet_autobind), listen and
// its queues, accept, connect (blocking, non-blocking with EINPROGRESS,
// interrupted by a signal while the handshake goes on, EALREADY and
// EISCONN after, as Linux's __inet_stream_connect), AF_UNSPEC disconnect,
// names, close (FIN, or RST with SO_LINGER 0 or unread data, as Linux).
// Data, poll and shutdown are in tcp_io.c.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/random.h"
#include "net/ipv4/tcp.h"
#include "process/signal.h"

struct list_node tcp_socks = { &tcp_socks, &tcp_socks };

void tcp_wake(struct tcp_sock *tsk)
{
	wake_up_all(&tsk->inet.wq);
	poll_wake();
}

struct tcp_sock *tcp_sock_new(void)
{
	struct tcp_sock *tsk = kzalloc(sizeof(*tsk));

	if (!tsk)
		return NULL;
	tsk->inet.kind = INET_TCP;
	tsk->inet.ttl = -1;
	list_init(&tsk->inet.rxq);
	list_init(&tsk->inet.all);
	wait_queue_init(&tsk->inet.wq);
	list_init(&tsk->qnode);
	list_init(&tsk->synq);
	list_init(&tsk->acceptq);
	tsk->state = TCP_CLOSE;
	tsk->ss = SS_UNCONNECTED;
	tsk->rcvbuf = tsk->sndbuf = SOCK_DEFAULT_BUF;
	tsk->rto_us = (uint32_t)(TCP_RTO_INIT_NS / NSEC_PER_USEC);
	tsk->ssthresh = 0x7fffffff;
	tsk->peer_mss = TCP_MSS_DEFAULT;
	tsk->mss = TCP_MSS_DEFAULT;
	tsk->advmss = TCP_MSS_DEFAULT;
	tsk->cwnd = 10 * TCP_MSS_DEFAULT;
	tsk->keepidle = TCP_KEEPIDLE_DEF;
	tsk->keepintvl = TCP_KEEPINTVL_DEF;
	tsk->keepcnt = TCP_KEEPCNT_DEF;
	tsk->syncnt = TCP_SYN_RETRIES;
	get_random_bytes(&tsk->iss, sizeof(tsk->iss));
	return tsk;
}

void tcp_set_state(struct tcp_sock *tsk, enum tcp_state st)
{
	tsk->state = st;
	switch (st) {
	case TCP_ESTABLISHED:
		tsk->inet.rseq++;
		tsk->inet.wseq++;
		break;
	case TCP_TIME_WAIT:
		tsk->rto_at = tsk->keep_at = tsk->dack_at = 0;
		tcp_arm(tsk, &tsk->tw_at, TCP_TIMEWAIT_NS);
		break;
	case TCP_FIN_WAIT2:
		if (!tsk->inet.sock)
			tcp_arm(tsk, &tsk->tw_at, TCP_FIN_TIMEOUT_NS);
		break;
	case TCP_CLOSE:
		tsk->rto_at = tsk->keep_at = tsk->dack_at = tsk->tw_at = 0;
		if (!tsk->inet.port_locked)
			tsk->inet.lport = 0;	/* Linux's inet_put_port at CLOSE */
		if (!tsk->inet.sock && !tsk->parent) {
			tsk->reap = true;
			tcp_arm(tsk, &tsk->tw_at, 0);	/* have the timer task free it */
		}
		tsk->inet.rseq++;
		tsk->inet.wseq++;
		break;
	default:
		break;
	}
	tcp_wake(tsk);
}

void tcp_done(struct tcp_sock *tsk, int err)
{
	if (err && tsk->inet.sock)
		tsk->inet.sock->err = err;
	tsk->done = true;
	tsk->inet.shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
	tcp_set_state(tsk, TCP_CLOSE);
}

bool tcp_child_established(struct tcp_sock *c)
{
	struct tcp_sock *l = c->parent;

	if (l->acceptq_len > (uint32_t)l->backlog) {
		tcp_mib.listen_drops++;
		return false;
	}
	list_del(&c->qnode);
	l->synq_len--;
	list_add_tail(&l->acceptq, &c->qnode);
	l->acceptq_len++;
	l->inet.wseq++;
	tcp_wake(l);
	return true;
}

int tcp_alloc_rbuf(struct tcp_sock *tsk)
{
	if (tsk->rbuf)
		return 0;
	tsk->rcap = MAX(tsk->rcvbuf / 2, (uint32_t)SOCK_MIN_RCVBUF / 2);
	tsk->rbuf = kmalloc(tsk->rcap);
	if (!tsk->rbuf) {
		tsk->rcap = 0;
		return -ENOMEM;
	}
	tsk->rhead = tsk->rlen = 0;
	return 0;
}

/* ---- ports ---- */

bool tcp_port_used(uint32_t addr, uint16_t port, const struct inet_sock *sk)
{
	bool reuse = sk && sk->sock && sk->sock->reuseaddr;
	struct tcp_sock *o;

	list_for_each_entry(o, &tcp_socks, inet.all) {
		if (&o->inet == sk || o->inet.lport != port || o->reap)
			continue;
		if (o->inet.laddr && addr && o->inet.laddr != addr)
			continue;
		/* Linux's inet_csk_bind_conflict: both SO_REUSEADDR and no listener. */
		if (reuse && o->reuseaddr && o->state != TCP_LISTEN)
			continue;
		return true;
	}
	return false;
}

/* Another listener on our port and an overlapping address (inet_lock held). */
static bool tcp_listen_conflict(const struct tcp_sock *tsk)
{
	struct tcp_sock *o;

	list_for_each_entry(o, &tcp_socks, inet.all) {
		if (o == tsk || o->inet.lport != tsk->inet.lport || o->reap)
			continue;
		if (o->inet.laddr && tsk->inet.laddr && o->inet.laddr != tsk->inet.laddr)
			continue;
		if (o->state == TCP_LISTEN || !o->reuseaddr || !tsk->reuseaddr)
			return true;
	}
	return false;
}

static int tcp_bind(struct socket *s, const struct sock_addr *a)
{
	struct tcp_sock *tsk = tcp_sk(s);
	uint32_t addr;
	uint16_t port, family = 0;
	int err;

	if (a->len >= 2)
		memcpy(&family, a->a, 2);
	err = inet_parse_addr(a, &addr, &port);
	if (err)
		return err;
	if (family == AF_UNSPEC && addr != INADDR_ANY)
		return -EAFNOSUPPORT;
	if (addr && !ip_addr_is_local(addr))
		return -EADDRNOTAVAIL;
	if (port && port < 1024 && !inet_capable(CAP_NET_BIND_SERVICE))
		return -EACCES;
	mutex_lock(&inet_lock);
	tsk->reuseaddr = s->reuseaddr;
	if (tsk->inet.lport || tsk->state != TCP_CLOSE) {
		err = -EINVAL;
	} else {
		tsk->inet.laddr = addr;
		if (port && tcp_port_used(addr, port, &tsk->inet))
			err = -EADDRINUSE;
		else if (port)
			tsk->inet.lport = port;
		else
			err = inet_autobind(&tsk->inet);
		if (!err) {
			tsk->inet.saddr = addr;
			tsk->inet.addr_locked = addr != 0;
			tsk->inet.port_locked = true;
		} else {
			tsk->inet.laddr = 0;
		}
	}
	mutex_unlock(&inet_lock);
	return err;
}

/* ---- listen, accept ---- */

static int tcp_listen(struct socket *s, int backlog)
{
	struct tcp_sock *tsk = tcp_sk(s);
	int err = 0;

	mutex_lock(&inet_lock);
	tsk->reuseaddr = s->reuseaddr;
	if (tsk->ss != SS_UNCONNECTED || (tsk->state != TCP_CLOSE && tsk->state != TCP_LISTEN)) {
		err = -EINVAL;
	} else if (tsk->state == TCP_CLOSE) {
		if (!tsk->inet.lport)
			err = inet_autobind(&tsk->inet);
		else if (tcp_listen_conflict(tsk))
			err = -EADDRINUSE;
		if (!err) {
			tsk->inet.port_locked = true;
			tsk->done = false;
			tsk->inet.shutdown = 0;
			tsk->state = TCP_LISTEN;
		}
	}
	if (!err) {
		tsk->backlog = backlog;
		tsk->rcvbuf = s->rcvbuf;
		tsk->sndbuf = s->sndbuf;
		tsk->linger0 = s->linger.l_onoff && !s->linger.l_linger;
	}
	mutex_unlock(&inet_lock);
	return err;
}

struct tcp_wait {
	struct tcp_sock *tsk;
};

static bool accept_cond(void *arg)
{
	struct tcp_sock *tsk = ((struct tcp_wait *)arg)->tsk;

	return !list_empty(&tsk->acceptq) || tsk->state != TCP_LISTEN;
}

static int tcp_accept(struct socket *s, struct socket *ns, bool nonblock)
{
	struct tcp_sock *tsk = tcp_sk(s), *c;
	struct tcp_wait w = { tsk };
	uint64_t timeo = sock_timeout(s, false);
	int err;

	mutex_lock(&inet_lock);
	while (tsk->state == TCP_LISTEN && list_empty(&tsk->acceptq)) {
		if (nonblock) {
			mutex_unlock(&inet_lock);
			return -EAGAIN;
		}
		mutex_unlock(&inet_lock);
		err = wait_interruptible(&tsk->inet.wq, accept_cond, &w, timeo);
		mutex_lock(&inet_lock);
		if (err) {
			mutex_unlock(&inet_lock);
			return sock_wait_error(err, timeo);
		}
	}
	if (tsk->state != TCP_LISTEN) {
		mutex_unlock(&inet_lock);
		return -EINVAL;
	}
	c = list_entry(tsk->acceptq.next, struct tcp_sock, qnode);
	list_del(&c->qnode);
	tsk->acceptq_len--;
	c->parent = NULL;
	c->inet.sock = ns;
	ns->sk = c;
	ns->keepalive = s->keepalive;
	ns->reuseaddr = s->reuseaddr;
	ns->linger = s->linger;
	ns->rcvtimeo_ns = s->rcvtimeo_ns;
	ns->sndtimeo_ns = s->sndtimeo_ns;
	if (c->done)
		ns->err = ECONNRESET;	/* reset while it waited in the queue */
	tcp_keepalive_reset(c);
	mutex_unlock(&inet_lock);
	return 0;
}

/* ---- connect ---- */

/* Back to a fresh socket after a failed or abandoned connection (Linux's tcp_disconnect). */
static void tcp_reinit(struct tcp_sock *tsk)
{
	kfree(tsk->sbuf);
	kfree(tsk->rbuf);
	tsk->sbuf = tsk->rbuf = NULL;
	tsk->scap = tsk->slen = tsk->shead = tsk->rcap = tsk->rlen = tsk->rhead = 0;
	tsk->nooo = 0;
	tsk->fin_queued = tsk->fin_acked = tsk->fin_rcvd = tsk->done = false;
	tsk->inet.shutdown = 0;
	tsk->inet.raddr = tsk->inet.rport = 0;
	if (!tsk->inet.addr_locked)
		tsk->inet.saddr = tsk->inet.laddr = 0;
	tsk->retries = tsk->backoff = 0;
	tsk->srtt_us = tsk->rttvar_us = 0;
	tsk->rto_us = (uint32_t)(TCP_RTO_INIT_NS / NSEC_PER_USEC);
	tsk->ssthresh = 0x7fffffff;
	tsk->in_recovery = false;
	tsk->dupacks = 0;
	tsk->ss = SS_UNCONNECTED;
	get_random_bytes(&tsk->iss, sizeof(tsk->iss));
}

static int tcp_start_connect(struct socket *s, struct tcp_sock *tsk, uint32_t daddr,
			     uint16_t dport)
{
	uint32_t saddr;
	int err;

	if (!daddr)
		daddr = INADDR_LOOPBACK;	/* Linux: INADDR_ANY means this host */
	if (ip_addr_is_broadcast(daddr))
		return -ENETUNREACH;
	err = inet_pick_source(&tsk->inet, daddr, &saddr);
	if (err)
		return err;
	tsk->reuseaddr = s->reuseaddr;
	err = inet_autobind(&tsk->inet);
	if (err)
		return err;
	tsk->inet.saddr = saddr;
	tsk->inet.raddr = daddr;
	tsk->inet.rport = dport;
	tsk->rcvbuf = s->rcvbuf;
	tsk->sndbuf = s->sndbuf;
	tsk->rcv_wscale = 0;
	while (tsk->rcv_wscale < 14 && ((tsk->rcvbuf / 2) >> tsk->rcv_wscale) > 0xffff)
		tsk->rcv_wscale++;
	tsk->wscale_ok = true;
	tsk->advmss = tcp_route_mss(daddr);
	if (tsk->user_mss)
		tsk->advmss = MIN(tsk->advmss, tsk->user_mss);
	tsk->snd_una = tsk->snd_nxt = tsk->snd_max = tsk->iss;
	tsk->rcv_nxt = tsk->rcv_adv = 0;
	tsk->state = TCP_SYN_SENT;
	tsk->ss = SS_CONNECTING;
	tcp_mib.active_opens++;
	tsk->rtt_timing = true;
	tsk->rtt_seq = tsk->iss + 1;
	tsk->rtt_start = clock_monotonic_ns();
	(void)tcp_send_syn(tsk);
	tsk->snd_nxt = tsk->snd_max = tsk->iss + 1;
	tcp_arm_rto(tsk);
	return -EINPROGRESS;
}

static bool connect_cond(void *arg)
{
	struct tcp_sock *tsk = ((struct tcp_wait *)arg)->tsk;

	return tsk->state != TCP_SYN_SENT && tsk->state != TCP_SYN_RECV;
}

/* Reset every connection a listener holds (inet_lock held). */
static void tcp_abort_children(struct tcp_sock *l)
{
	while (!list_empty(&l->synq) || !list_empty(&l->acceptq)) {
		struct list_node *q = list_empty(&l->synq) ? &l->acceptq : &l->synq;
		struct tcp_sock *c = list_entry(q->next, struct tcp_sock, qnode);

		list_del(&c->qnode);
		c->parent = NULL;
		if (c->state != TCP_CLOSE)
			tcp_send_rst(c);
		tcp_done(c, 0);
	}
	l->synq_len = l->acceptq_len = 0;
}

void tcp_abort_listener(struct tcp_sock *l)
{
	tcp_abort_children(l);
	tcp_set_state(l, TCP_CLOSE);
}

static void tcp_disconnect(struct tcp_sock *tsk)
{
	if (tsk->state == TCP_LISTEN) {
		tcp_abort_children(tsk);
	} else if (tsk->state != TCP_CLOSE && tsk->state != TCP_SYN_SENT &&
		   tsk->state != TCP_TIME_WAIT) {
		tcp_send_rst(tsk);
	}
	tcp_set_state(tsk, TCP_CLOSE);
	tcp_reinit(tsk);
}

static int tcp_connect(struct socket *s, const struct sock_addr *a, bool nonblock)
{
	struct tcp_sock *tsk = tcp_sk(s);
	struct tcp_wait w = { tsk };
	uint64_t timeo = sock_timeout(s, true);
	uint16_t family = 0, port;
	uint32_t addr;
	int err;

	if (a->len < 2)
		return -EINVAL;
	memcpy(&family, a->a, 2);
	mutex_lock(&inet_lock);
	if (family == AF_UNSPEC) {
		tcp_disconnect(tsk);
		mutex_unlock(&inet_lock);
		s->listening = false;
		return 0;
	}
	err = a->len < sizeof(struct linux_sockaddr_in) ? -EINVAL :
	      family != AF_INET ? -EAFNOSUPPORT : inet_parse_addr(a, &addr, &port);
	if (err)
		goto out;
	if (tsk->ss == SS_CONNECTED) {
		err = -EISCONN;
		goto out;
	} else if (tsk->ss == SS_CONNECTING) {
		err = -EALREADY;
	} else if (tsk->state != TCP_CLOSE) {
		err = -EISCONN;
		goto out;
	} else {
		err = tcp_start_connect(s, tsk, addr, port);
		if (err != -EINPROGRESS)
			goto out;
	}
	if (tsk->state == TCP_SYN_SENT || tsk->state == TCP_SYN_RECV) {
		if (nonblock)
			goto out;
		mutex_unlock(&inet_lock);
		err = wait_interruptible(&tsk->inet.wq, connect_cond, &w, timeo);
		mutex_lock(&inet_lock);
		if (err == -ETIMEDOUT) {
			err = -EINPROGRESS;	/* SO_SNDTIMEO ran out: still connecting, as Linux */
			goto out;
		}
		if (err) {
			err = sock_wait_error(err, timeo);
			goto out;
		}
	}
	if (tsk->state == TCP_CLOSE) {
		err = s->err ? -s->err : -ECONNABORTED;
		s->err = 0;
		tcp_reinit(tsk);
		goto out;
	}
	tsk->ss = SS_CONNECTED;
	err = 0;
out:
	mutex_unlock(&inet_lock);
	return err;
}

static int tcp_getname(struct socket *s, struct sock_addr *a, bool peer)
{
	struct tcp_sock *tsk = tcp_sk(s);
	int err = 0;

	mutex_lock(&inet_lock);
	if (peer && (!tsk->inet.rport || tsk->state == TCP_CLOSE || tsk->state == TCP_SYN_SENT ||
		     tsk->state == TCP_LISTEN))
		err = -ENOTCONN;
	else if (peer)
		inet_make_addr(a, tsk->inet.raddr, tsk->inet.rport);
	else
		inet_make_addr(a, tsk->inet.saddr ? tsk->inet.saddr : tsk->inet.laddr,
			       tsk->inet.lport);
	mutex_unlock(&inet_lock);
	return err;
}

/* ---- close ---- */

/* Queue our FIN after the data (RFC 9293 3.10.4 CLOSE), in the states that send one. */
void tcp_send_fin(struct tcp_sock *tsk)
{
	if (tsk->state == TCP_ESTABLISHED || tsk->state == TCP_SYN_RECV)
		tcp_set_state(tsk, TCP_FIN_WAIT1);
	else if (tsk->state == TCP_CLOSE_WAIT)
		tcp_set_state(tsk, TCP_LAST_ACK);
	else
		return;
	tsk->fin_queued = true;
	tcp_push(tsk, true);
}

static void tcp_release(struct socket *s)
{
	struct tcp_sock *tsk = tcp_sk(s);

	mutex_lock(&inet_lock);
	s->listening = false;
	tsk->inet.sock = NULL;
	tsk->linger0 = s->linger.l_onoff && !s->linger.l_linger;
	if (tsk->state == TCP_LISTEN) {
		tcp_abort_listener(tsk);
	} else if (tsk->state == TCP_SYN_SENT || tsk->state == TCP_CLOSE) {
		tcp_set_state(tsk, TCP_CLOSE);
	} else if (tsk->rlen || tsk->linger0) {
		/* Unread data, or SO_LINGER with no time: abort (RFC 2525 2.17, as Linux). */
		if (tsk->state != TCP_TIME_WAIT)
			tcp_send_rst(tsk);
		tcp_done(tsk, 0);
	} else {
		tsk->inet.shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
		tcp_send_fin(tsk);
		if (tsk->state == TCP_FIN_WAIT2)
			tcp_arm(tsk, &tsk->tw_at, TCP_FIN_TIMEOUT_NS);
	}
	mutex_unlock(&inet_lock);
	s->sk = NULL;
}

int tcp_create(struct socket *s)
{
	struct tcp_sock *tsk = tcp_sock_new();

	if (!tsk)
		return -ENOMEM;
	tsk->inet.sock = s;
	s->sk = tsk;
	s->ops = &tcp_ops;
	s->protocol = IPPROTO_TCP;
	mutex_lock(&inet_lock);
	list_add_tail(&tcp_socks, &tsk->inet.all);
	mutex_unlock(&inet_lock);
	return 0;
}

const struct proto_ops tcp_ops = {
	.family = AF_INET,
	.bind = tcp_bind,
	.connect = tcp_connect,
	.listen = tcp_listen,
	.accept = tcp_accept,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.shutdown = tcp_shutdown,
	.getname = tcp_getname,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.poll = tcp_poll,
	.poll_seq = tcp_poll_seq,
	.ioctl = tcp_ioctl,
	.release = tcp_release,
};
