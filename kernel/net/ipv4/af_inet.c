// SPDX-License-Identifier: MPL-2.0
// AF_INET sockets: creation (UDP, ICMP "ping" and raw ICMP; TCP's own
// operations are in tcp_sock.c and tcp_io.c),
// and what the datagram kinds share, as Linux's af_inet.c and
// ip4_datagram_connect: bind with its address and port checks, ephemeral
// ports, connect and AF_UNSPEC disconnect, names, the receive queue,
// poll, ioctls (FIONREAD and the interface ioctls), IPPROTO_IP options,
// shutdown and release.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/file.h"
#include "fs/random.h"
#include "net/ipv4/ipv4.h"
#include "process/process.h"
#include "process/signal.h"
#include "uapi/poll.h"
#include "uapi/sockios.h"
#include "process/capability.h"

#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
/* What a queued datagram costs its receiver beyond its bytes (Linux's skb truesize overhead). */
#define PKT_OVERHEAD	768

struct mutex inet_lock = MUTEX_INIT;
struct list_node inet_socks = { &inet_socks, &inet_socks };

bool inet_capable(int cap)
{
	return capable(cap);
}

static void inet_wake(struct inet_sock *sk)
{
	wake_up_all(&sk->wq);
	poll_wake();
}

bool inet_queue(struct inet_sock *sk, struct pkt *p)
{
	struct socket *s = sk->sock;

	if (!s || (sk->shutdown & RCV_SHUTDOWN) || sk->rmem >= s->rcvbuf) {
		sk->drops++;
		return false;
	}
	sk->rmem += p->len + PKT_OVERHEAD;
	list_add_tail(&sk->rxq, &p->node);
	sk->wseq++;
	inet_wake(sk);
	return true;
}

void inet_set_error(struct inet_sock *sk, int err)
{
	if (!sk->sock)
		return;
	sk->sock->err = err;
	sk->wseq++;
	inet_wake(sk);
}

int inet_parse_addr(const struct sock_addr *a, uint32_t *addr, uint16_t *port)
{
	struct linux_sockaddr_in sin;

	if (a->len < sizeof(sin))
		return -EINVAL;
	memcpy(&sin, a->a, sizeof(sin));
	if (sin.sin_family != AF_INET && sin.sin_family != AF_UNSPEC)
		return -EAFNOSUPPORT;
	*addr = bswap32(sin.sin_addr);
	*port = bswap16(sin.sin_port);
	return 0;
}

void inet_make_addr(struct sock_addr *a, uint32_t addr, uint16_t port)
{
	struct linux_sockaddr_in sin = { .sin_family = AF_INET, .sin_port = bswap16(port),
					 .sin_addr = bswap32(addr) };

	memset(a, 0, sizeof(*a));
	memcpy(a->a, &sin, sizeof(sin));
	a->len = sizeof(sin);
}

bool inet_port_used(enum inet_kind kind, uint32_t addr, uint16_t port, const struct inet_sock *sk)
{
	struct inet_sock *o;

	if (kind == INET_TCP)
		return tcp_port_used(addr, port, sk);
	list_for_each_entry(o, &inet_socks, all) {
		if (o == sk || o->kind != kind || o->lport != port || !o->sock)
			continue;
		if (o->laddr && addr && o->laddr != addr)
			continue;
		if (sk && sk->sock && sk->sock->reuseaddr && o->sock->reuseaddr)
			continue;
		return true;
	}
	return false;
}

int inet_autobind(struct inet_sock *sk)
{
	uint32_t range = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1, start = 0;

	if (sk->lport)
		return 0;
	get_random_bytes(&start, sizeof(start));
	for (uint32_t i = 0; i < range; i++) {
		uint16_t port = (uint16_t)(EPHEMERAL_LOW + (start + i) % range);

		if (!inet_port_used(sk->kind, sk->laddr, port, NULL)) {
			sk->lport = port;
			return 0;
		}
	}
	return -EAGAIN;
}

int inet_pick_source(struct inet_sock *sk, uint32_t daddr, uint32_t *saddr)
{
	struct route_result r;
	int err;

	if (sk->saddr) {
		*saddr = sk->saddr;
		return 0;
	}
	err = route_lookup(daddr, &r);
	if (!err)
		*saddr = r.src;
	return err;
}

/* ---- bind, connect, names ---- */

static int inet_bind(struct socket *s, const struct sock_addr *a)
{
	struct inet_sock *sk = inet_sk(s);
	uint32_t addr;
	uint16_t port, family = 0;
	int err;

	if (a->len >= 2)
		memcpy(&family, a->a, 2);
	err = inet_parse_addr(a, &addr, &port);
	if (err)
		return err;
	/* Linux takes AF_UNSPEC as AF_INET only with INADDR_ANY (old programs). */
	if (family == AF_UNSPEC && addr != INADDR_ANY)
		return -EAFNOSUPPORT;
	if (addr && !ip_addr_is_local(addr) && !ip_addr_is_broadcast(addr))
		return -EADDRNOTAVAIL;
	if (port && port < 1024 && sk->kind == INET_UDP && !inet_capable(CAP_NET_BIND_SERVICE))
		return -EACCES;
	mutex_lock(&inet_lock);
	if (sk->lport || sk->connected) {
		err = -EINVAL;
	} else if (sk->kind == INET_RAW) {
		sk->laddr = sk->saddr = addr;
		sk->addr_locked = true;
	} else {
		sk->laddr = addr;
		if (port && inet_port_used(sk->kind, addr, port, sk))
			err = -EADDRINUSE;
		else if (port)
			sk->lport = port;
		else
			err = inet_autobind(sk);
		if (!err) {
			sk->saddr = ip_addr_is_broadcast(addr) ? 0 : addr;
			sk->addr_locked = addr != 0;
			sk->port_locked = port != 0;
		} else {
			sk->laddr = 0;
		}
	}
	mutex_unlock(&inet_lock);
	return err;
}

/* Linux's udp_disconnect (inet_lock held). */
static void inet_disconnect(struct inet_sock *sk)
{
	sk->connected = false;
	sk->raddr = 0;
	sk->rport = 0;
	if (!sk->addr_locked)
		sk->saddr = sk->laddr = 0;
	if (!sk->port_locked && sk->kind != INET_RAW)
		sk->lport = 0;
}

static int inet_connect(struct socket *s, const struct sock_addr *a, bool nonblock)
{
	struct inet_sock *sk = inet_sk(s);
	uint16_t family = 0, port;
	uint32_t addr, saddr;
	int err;

	(void)nonblock;
	if (a->len < 2)
		return -EINVAL;
	memcpy(&family, a->a, 2);
	if (family == AF_UNSPEC) {
		mutex_lock(&inet_lock);
		inet_disconnect(sk);
		mutex_unlock(&inet_lock);
		return 0;
	}
	err = inet_parse_addr(a, &addr, &port);
	if (err)
		return err;
	mutex_lock(&inet_lock);
	if (!addr)
		addr = INADDR_LOOPBACK;	/* Linux: INADDR_ANY means this host */
	/* As ip4_datagram_connect: the route first, then the broadcast check. */
	err = inet_pick_source(sk, addr, &saddr);
	if (!err && ip_addr_is_broadcast(addr) && !s->broadcast)
		err = -EACCES;
	if (!err && sk->kind != INET_RAW)
		err = inet_autobind(sk);
	if (!err) {
		sk->saddr = saddr;
		sk->raddr = addr;
		sk->rport = sk->kind == INET_UDP ? port : 0;
		sk->connected = true;
	}
	mutex_unlock(&inet_lock);
	return err;
}

static int inet_getname(struct socket *s, struct sock_addr *a, bool peer)
{
	struct inet_sock *sk = inet_sk(s);
	int err = 0;

	mutex_lock(&inet_lock);
	if (peer && !sk->connected)
		err = -ENOTCONN;
	else if (peer)
		inet_make_addr(a, sk->raddr, sk->rport);
	else
		inet_make_addr(a, sk->saddr ? sk->saddr : sk->laddr,
			       sk->kind == INET_RAW ? 0 : sk->lport);
	mutex_unlock(&inet_lock);
	return err;
}

/* ---- receiving ---- */

struct data_wait {
	struct inet_sock *sk;
};

static bool data_cond(void *arg)
{
	struct inet_sock *sk = ((struct data_wait *)arg)->sk;

	return !list_empty(&sk->rxq) || (sk->sock && sk->sock->err) || (sk->shutdown & RCV_SHUTDOWN);
}

int inet_wait_data(struct inet_sock *sk, struct socket *s, bool nonblock)
{
	struct data_wait w = { sk };
	uint64_t timeo = sock_timeout(s, false);

	while (list_empty(&sk->rxq)) {
		int err;

		if (s->err) {
			err = -s->err;
			s->err = 0;
			return err;
		}
		if (sk->shutdown & RCV_SHUTDOWN)
			return 1;
		if (nonblock)
			return -EAGAIN;
		mutex_unlock(&inet_lock);
		err = wait_interruptible(&sk->wq, data_cond, &w, timeo);
		mutex_lock(&inet_lock);
		if (err)
			return sock_wait_error(err, timeo);
	}
	if (s->err) {		/* Linux's __skb_try_recv_datagram: the error first */
		int err = -s->err;

		s->err = 0;
		return err;
	}
	return 0;
}

ssize_t inet_recv_pkt(struct inet_sock *sk, struct socket *s, struct sock_msg *m)
{
	int err = inet_wait_data(sk, s, m->nonblock);
	struct pkt *p;
	size_t n;

	if (err)
		return err > 0 ? 0 : err;
	p = list_entry(sk->rxq.next, struct pkt, node);
	n = MIN((size_t)p->len, m->iov.total);
	if (n && sock_iov_write(&m->iov, 0, pkt_data(p), n))
		return -EFAULT;
	if (n < p->len)
		m->out_flags |= MSG_TRUNC;
	if (m->want_name)
		inet_make_addr(&m->name, p->src_addr, sk->kind == INET_UDP ? p->src_port : 0);
	if (m->flags & MSG_TRUNC)
		n = p->len;
	if (!(m->flags & MSG_PEEK)) {
		list_del(&p->node);
		sk->rmem -= p->len + PKT_OVERHEAD;
		sk->rseq++;
		pkt_free(p);
	}
	return (ssize_t)n;
}

static ssize_t inet_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct inet_sock *sk = inet_sk(s);
	ssize_t r;

	if (m->flags & MSG_ERRQUEUE)
		return -EAGAIN;		/* no error queue yet (IP_RECVERR) */
	mutex_lock(&inet_lock);
	r = inet_recv_pkt(sk, s, m);
	mutex_unlock(&inet_lock);
	return r;
}

static ssize_t inet_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct inet_sock *sk = inet_sk(s);

	if (sk->kind == INET_UDP)
		return udp_sendmsg(s, m);
	if (sk->kind == INET_PING)
		return ping_sendmsg(s, m);
	return raw_sendmsg(s, m);
}

/* ---- poll, ioctl, options, shutdown, release ---- */

static unsigned int inet_poll(struct socket *s)
{
	struct inet_sock *sk = inet_sk(s);
	unsigned int m = POLLOUT | POLLWRNORM | POLLWRBAND;

	mutex_lock(&inet_lock);
	if (s->err)
		m |= POLLERR;
	if (!list_empty(&sk->rxq))
		m |= POLLIN | POLLRDNORM;
	if (sk->shutdown & RCV_SHUTDOWN)
		m |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (sk->shutdown == (RCV_SHUTDOWN | SEND_SHUTDOWN))
		m |= POLLHUP;
	mutex_unlock(&inet_lock);
	return m;
}

static uint64_t inet_poll_seq(struct socket *s, unsigned int events)
{
	struct inet_sock *sk = inet_sk(s);

	return ((events & POLLIN) ? sk->wseq : 0) + ((events & POLLOUT) ? sk->rseq : 0);
}

static long inet_ioctl(struct socket *s, unsigned int cmd, uint64_t arg)
{
	struct inet_sock *sk = inet_sk(s);
	uint32_t n = 0;

	if (cmd != SIOCINQ && cmd != SIOCOUTQ)
		return netdev_ioctl(cmd, arg);
	mutex_lock(&inet_lock);
	if (cmd == SIOCINQ && !list_empty(&sk->rxq))
		n = list_entry(sk->rxq.next, struct pkt, node)->len;
	mutex_unlock(&inet_lock);
	return put_user_u32(arg, n);
}

int inet_ip_setsockopt(struct socket *s, int level, int name, uaddr_t val, uint32_t len)
{
	struct inet_sock *sk = inet_sk(s);
	uint32_t v = 0;

	if (level != IPPROTO_IP)
		return -ENOPROTOOPT;
	if (name != IP_TTL && name != IP_TOS && name != IP_RECVERR)
		return -ENOPROTOOPT;
	if (len < sizeof(int) && len != 1)
		return -EINVAL;
	if (len == 1) {
		uint8_t b = 0;

		if (copy_from_user(&b, val, 1))
			return -EFAULT;
		v = b;
	} else if (get_user_u32(&v, val)) {
		return -EFAULT;
	}
	if (name == IP_TTL) {
		if ((int32_t)v != -1 && (v < 1 || v > 255))
			return -EINVAL;
		sk->ttl = (int32_t)v;
	} else if (name == IP_TOS) {
		sk->tos = (int)(v & 0xff);
	} else {
		sk->recverr = v != 0;
	}
	return 0;
}

int inet_ip_getsockopt(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp)
{
	struct inet_sock *sk = inet_sk(s);
	uint32_t len = 0;
	int32_t v;

	if (level != IPPROTO_IP)
		return -ENOPROTOOPT;
	if (name == IP_TTL)
		v = sk->ttl < 0 ? IP_DEFAULT_TTL : sk->ttl;
	else if (name == IP_TOS)
		v = sk->tos;
	else if (name == IP_RECVERR)
		v = sk->recverr;
	else
		return -ENOPROTOOPT;
	if (get_user_u32(&len, lenp))
		return -EFAULT;
	if ((int32_t)len < 0)
		return -EINVAL;
	len = MIN(len, (uint32_t)sizeof(v));
	if (copy_to_user(val, &v, len) || put_user_u32(lenp, len))
		return -EFAULT;
	return 0;
}

static int inet_shutdown(struct socket *s, int how)
{
	struct inet_sock *sk = inet_sk(s);
	int err = 0;

	mutex_lock(&inet_lock);
	if (!sk->connected)
		err = -ENOTCONN;
	sk->shutdown |= (uint8_t)(how + 1);
	inet_wake(sk);
	mutex_unlock(&inet_lock);
	return err;
}

static void inet_release(struct socket *s)
{
	struct inet_sock *sk = inet_sk(s);

	mutex_lock(&inet_lock);
	list_del(&sk->all);
	sk->sock = NULL;
	while (!list_empty(&sk->rxq)) {
		struct pkt *p = list_entry(sk->rxq.next, struct pkt, node);

		list_del(&p->node);
		pkt_free(p);
	}
	mutex_unlock(&inet_lock);
	kfree(sk);
	s->sk = NULL;
}

static const struct proto_ops inet_dgram_ops = {
	.family = AF_INET,
	.bind = inet_bind,
	.connect = inet_connect,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
	.shutdown = inet_shutdown,
	.getname = inet_getname,
	.setsockopt = inet_ip_setsockopt,
	.getsockopt = inet_ip_getsockopt,
	.poll = inet_poll,
	.poll_seq = inet_poll_seq,
	.ioctl = inet_ioctl,
	.release = inet_release,
};

/* net.ipv4.ping_group_range: Linux's default, "1 0", lets no group in. */
static uint32_t ping_group_lo = 1, ping_group_hi = 0;

void ping_group_range_get(uint32_t *lo, uint32_t *hi)
{
	mutex_lock(&inet_lock);
	*lo = ping_group_lo;
	*hi = ping_group_hi;
	mutex_unlock(&inet_lock);
}

int ping_group_range_set(uint64_t lo, uint64_t hi)
{
	if (lo > 0x7fffffffULL || hi > 0x7fffffffULL)
		return -EINVAL;
	if (hi < lo) {
		lo = 1;
		hi = 0;
	}
	mutex_lock(&inet_lock);
	ping_group_lo = (uint32_t)lo;
	ping_group_hi = (uint32_t)hi;
	mutex_unlock(&inet_lock);
	return 0;
}

/* Linux's ping_init_sock: the caller's group must be in net.ipv4.ping_group_range. */
static int ping_allowed(void)
{
	struct process *p = current_process();
	gid_t g = p ? p->cred.egid : 0;

	if (g >= ping_group_lo && g <= ping_group_hi)
		return 0;
	if (p && p->cred.ngroups) {
		for (uint32_t i = 0; i < p->cred.ngroups; i++) {
			if (p->cred.groups[i] >= ping_group_lo && p->cred.groups[i] <= ping_group_hi)
				return 0;
		}
	}
	return -EACCES;
}

/*
 * Linux's inet_create: SOCK_STREAM is TCP (tcp_sock.c); a type with no
 * protocol at all (SOCK_SEQPACKET without SCTP) is ESOCKTNOSUPPORT; a protocol the type
 * lacks, EPROTONOSUPPORT; raw sockets need CAP_NET_RAW (EPERM).
 */
static int kind_of(int type, int protocol, enum inet_kind *kind)
{
	/* Past the protocols Linux knows socket() is EINVAL, below them EPROTONOSUPPORT. */
	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	if (type == SOCK_DGRAM && (protocol == IPPROTO_IP || protocol == IPPROTO_UDP)) {
		*kind = INET_UDP;
		return 0;
	}
	if (type == SOCK_DGRAM && protocol == IPPROTO_ICMP) {
		*kind = INET_PING;
		return ping_allowed();
	}
	if (type == SOCK_DGRAM)
		return -EPROTONOSUPPORT;
	if (type == SOCK_STREAM) {
		*kind = INET_TCP;
		return protocol == IPPROTO_IP || protocol == IPPROTO_TCP ? 0 : -EPROTONOSUPPORT;
	}
	if (type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	if (protocol == IPPROTO_IP)
		return -EPROTONOSUPPORT;
	if (!inet_capable(CAP_NET_RAW))
		return -EPERM;
	*kind = INET_RAW;
	/* IPPROTO_RAW: the sender writes the IPv4 header (IP_HDRINCL); it receives nothing. */
	return protocol == IPPROTO_ICMP || protocol == IPPROTO_RAW ? 0 : -EPROTONOSUPPORT;
}

static int inet_create(struct socket *s, int type, int protocol)
{
	enum inet_kind kind = INET_UDP;
	int err = kind_of(type, protocol, &kind);
	struct inet_sock *sk;

	if (err)
		return err;
	if (kind == INET_TCP)
		return tcp_create(s);
	sk = kzalloc(sizeof(*sk));
	if (!sk)
		return -ENOMEM;
	sk->sock = s;
	sk->kind = kind;
	sk->ttl = -1;
	list_init(&sk->rxq);
	wait_queue_init(&sk->wq);
	if (!protocol)
		s->protocol = IPPROTO_UDP;
	s->sk = sk;
	s->ops = &inet_dgram_ops;
	mutex_lock(&inet_lock);
	list_add_tail(&inet_socks, &sk->all);
	mutex_unlock(&inet_lock);
	return 0;
}

static const struct net_family inet_family = { .family = AF_INET, .create = inet_create };

static int inet_init(void)
{
	return socket_register_family(&inet_family);
}
KERNEL_INIT(inet_init);
