// SPDX-License-Identifier: MPL-2.0
// ICMP sockets: "ping" sockets (SOCK_DGRAM, IPPROTO_ICMP: the caller
// writes an echo request, the kernel puts in the identifier, which is
// the socket's "port", and the checksum; replies with that identifier
// come back without their IP header), and raw ICMP sockets (SOCK_RAW,
// root only: the caller writes the whole ICMP message; every ICMP packet
// received comes back with its IP header), as Linux's ping.c and raw.c.
#include <aster/errno.h>
#include <aster/string.h>
#include "net/ipv4/ipv4.h"

bool ping_rcv(struct pkt *p, const struct ip_info *ip)
{
	uint16_t id = get_be16(pkt_data(p) + 4);
	struct inet_sock *sk;
	bool queued = false;

	mutex_lock(&inet_lock);
	list_for_each_entry(sk, &inet_socks, all) {
		if (sk->kind != INET_PING || sk->lport != id || !sk->sock)
			continue;
		if (sk->laddr && sk->laddr != ip->daddr)
			continue;
		p->src_addr = ip->saddr;
		p->src_port = 0;
		queued = inet_queue(sk, p);
		break;
	}
	mutex_unlock(&inet_lock);
	return queued;
}

void raw_rcv(struct pkt *p, const struct ip_info *ip)
{
	uint32_t len = ip->hdr_len + p->len;
	struct inet_sock *sk;

	mutex_lock(&inet_lock);
	list_for_each_entry(sk, &inet_socks, all) {
		struct pkt *c;

		/* IPPROTO_RAW sockets only send, as on Linux. */
		if (sk->kind != INET_RAW || !sk->sock || sk->sock->protocol != IPPROTO_ICMP)
			continue;
		if ((sk->laddr && sk->laddr != ip->daddr) || (sk->connected && sk->raddr != ip->saddr))
			continue;
		c = pkt_alloc(0, len);
		if (!c) {
			sk->drops++;
			continue;
		}
		memcpy(pkt_data(c), p->buf + ip->hdr_off, len);
		c->src_addr = ip->saddr;
		if (!inet_queue(sk, c))
			pkt_free(c);
	}
	mutex_unlock(&inet_lock);
}

/* Where a ping or raw send goes (Linux's ping_v4_sendmsg, raw_sendmsg). */
static int icmp_dest(struct inet_sock *sk, struct sock_msg *m, uint32_t *daddr)
{
	struct linux_sockaddr_in sin;

	if (!m->name.len) {
		if (!sk->connected)
			return -EDESTADDRREQ;
		*daddr = sk->raddr;
		return 0;
	}
	if (m->name.len < sizeof(sin))
		return -EINVAL;
	memcpy(&sin, m->name.a, sizeof(sin));
	if (sin.sin_family != AF_INET && (sk->kind == INET_PING || sin.sin_family != AF_UNSPEC))
		return -EAFNOSUPPORT;
	*daddr = bswap32(sin.sin_addr);
	if (!*daddr)
		*daddr = INADDR_LOOPBACK;
	return 0;
}

/* Checks and the route, under inet_lock: fills o. */
static int icmp_prepare(struct socket *s, struct sock_msg *m, struct ip_out *o)
{
	struct inet_sock *sk = inet_sk(s);
	int err = 0;

	mutex_lock(&inet_lock);
	if (s->err) {
		err = -s->err;
		s->err = 0;
	}
	if (!err)
		err = icmp_dest(sk, m, &o->daddr);
	if (!err && sk->kind == INET_PING)
		err = inet_autobind(sk);
	if (!err)
		err = inet_pick_source(sk, o->daddr, &o->saddr);
	if (!err && ip_addr_is_broadcast(o->daddr) && !s->broadcast)
		err = -EACCES;
	o->proto = IPPROTO_ICMP;
	o->ttl = sk->ttl;
	o->tos = (uint8_t)sk->tos;
	o->broadcast_ok = s->broadcast;
	mutex_unlock(&inet_lock);
	return err;
}

static struct pkt *copy_in(struct sock_msg *m, int *err)
{
	struct pkt *p = pkt_alloc(PKT_HEADROOM, (uint32_t)m->iov.total);

	if (!p) {
		*err = -ENOBUFS;
		return NULL;
	}
	if (sock_iov_read(&m->iov, 0, pkt_data(p), m->iov.total)) {
		pkt_free(p);
		*err = -EFAULT;
		return NULL;
	}
	return p;
}

ssize_t ping_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct ip_out o = { 0 };
	struct pkt *p;
	uint8_t *d;
	int err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->iov.total > IP_MAX_LEN)
		return -EMSGSIZE;
	if (m->iov.total < ICMP_HLEN)
		return -EINVAL;
	p = copy_in(m, &err);
	if (!p)
		return err;
	d = pkt_data(p);
	if (d[0] != ICMP_ECHO || d[1] != 0) {
		pkt_free(p);
		return -EINVAL;
	}
	err = icmp_prepare(s, m, &o);
	if (err) {
		pkt_free(p);
		return err;
	}
	put_be16(d + 4, inet_sk(s)->lport);
	put_be16(d + 2, 0);
	put_be16(d + 2, inet_csum(d, p->len, 0));
	err = ip_output(p, &o);
	return err ? err : (ssize_t)m->iov.total;
}

ssize_t raw_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct ip_out o = { 0 };
	struct pkt *p;
	int err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->iov.total > IP_MAX_LEN)
		return -EMSGSIZE;
	err = icmp_prepare(s, m, &o);
	if (err)
		return err;
	p = copy_in(m, &err);
	if (!p)
		return err;
	if (s->protocol == IPPROTO_RAW)
		err = ip_output_hdrincl(p, &o);
	else
		err = ip_output(p, &o);
	return err ? err : (ssize_t)m->iov.total;
}
