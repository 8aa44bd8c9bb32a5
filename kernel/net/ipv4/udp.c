// SPDX-License-Identifier: MPL-2.0
// UDP (RFC 768): datagrams in (length and checksum checked, delivered to
// the best-matching socket, ICMP port unreachable when none), datagrams
// out (EMSGSIZE, EDESTADDRREQ, EACCES for a broadcast without
// SO_BROADCAST, the pending ICMP error first), ICMP errors to a
// connected socket (ECONNREFUSED), /proc/net/udp.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "fs/file.h"
#include "net/ipv4/ipv4.h"

#define UDP_MAX_PAYLOAD	(IP_MAX_LEN - IP_HLEN - UDP_HLEN)

/* The socket for a datagram (inet_lock held): a connected match beats a bound one. */
static struct inet_sock *udp_lookup(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport)
{
	struct inet_sock *sk, *best = NULL;
	int best_score = -1;

	list_for_each_entry(sk, &inet_socks, all) {
		int score = 0;

		if (sk->kind != INET_UDP || sk->lport != dport || !sk->sock)
			continue;
		if (sk->laddr) {
			if (sk->laddr != daddr)
				continue;
			score += 2;
		}
		if (sk->connected) {
			if (sk->raddr != saddr || sk->rport != sport)
				continue;
			score += 4;
		}
		if (score > best_score) {
			best = sk;
			best_score = score;
		}
	}
	return best;
}

static bool udp_csum_ok(struct pkt *p, const struct ip_info *ip)
{
	const uint8_t *h = pkt_data(p);

	if (get_be16(h + 6) == 0)
		return true;	/* no checksum sent (RFC 768) */
	return inet_csum(h, p->len, inet_pseudo_sum(ip->saddr, ip->daddr, IPPROTO_UDP, p->len)) == 0;
}

void udp_rcv(struct pkt *p, const struct ip_info *ip)
{
	const uint8_t *h = pkt_data(p);
	uint16_t sport, dport, ulen;
	struct inet_sock *sk;

	if (p->len < UDP_HLEN || (ulen = get_be16(h + 4)) < UDP_HLEN || ulen > p->len) {
		ip_mib.udp_in_errors++;
		pkt_free(p);
		return;
	}
	pkt_trim(p, ulen);
	if (!udp_csum_ok(p, ip)) {
		ip_mib.udp_in_errors++;
		pkt_free(p);
		return;
	}
	sport = get_be16(h);
	dport = get_be16(h + 2);
	mutex_lock(&inet_lock);
	sk = udp_lookup(ip->saddr, sport, ip->daddr, dport);
	if (sk) {
		pkt_pull(p, UDP_HLEN);
		p->src_addr = ip->saddr;
		p->src_port = sport;
		if (inet_queue(sk, p)) {
			ip_mib.udp_in++;
			p = NULL;
		} else {
			ip_mib.udp_rcvbuf_errors++;
		}
	} else {
		ip_mib.udp_no_ports++;
	}
	mutex_unlock(&inet_lock);
	if (p && !sk)
		icmp_send_error(p, ip, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
	pkt_free(p);
}

void udp_err(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport, int err)
{
	struct inet_sock *sk;

	mutex_lock(&inet_lock);
	/* The datagram was ours: from saddr:sport to daddr:dport. */
	sk = udp_lookup(daddr, dport, saddr, sport);
	/* Linux reports it only to a connected socket (or one with IP_RECVERR's queue). */
	if (sk && sk->connected)
		inet_set_error(sk, err);
	mutex_unlock(&inet_lock);
}

/* The destination of a send: msg_name's, or the peer's. */
static int udp_dest(struct inet_sock *sk, struct sock_msg *m, uint32_t *addr, uint16_t *port)
{
	int err;

	if (!m->name.len) {
		if (!sk->connected)
			return -EDESTADDRREQ;
		*addr = sk->raddr;
		*port = sk->rport;
		return 0;
	}
	err = inet_parse_addr(&m->name, addr, port);
	if (err)
		return err;
	if (!*port)
		return -EINVAL;
	if (!*addr)
		*addr = INADDR_LOOPBACK;
	return 0;
}

static struct pkt *udp_build(struct sock_msg *m, uint16_t sport, uint16_t dport, uint32_t saddr,
			     uint32_t daddr, int *err)
{
	uint32_t len = (uint32_t)m->iov.total + UDP_HLEN;
	struct pkt *p = pkt_alloc(PKT_HEADROOM, len);
	uint8_t *h;
	uint16_t sum;

	if (!p) {
		*err = -ENOBUFS;
		return NULL;
	}
	h = pkt_data(p);
	if (sock_iov_read(&m->iov, 0, h + UDP_HLEN, m->iov.total)) {
		pkt_free(p);
		*err = -EFAULT;
		return NULL;
	}
	put_be16(h, sport);
	put_be16(h + 2, dport);
	put_be16(h + 4, (uint16_t)len);
	put_be16(h + 6, 0);
	sum = inet_csum(h, len, inet_pseudo_sum(saddr, daddr, IPPROTO_UDP, len));
	put_be16(h + 6, sum ? sum : 0xffff);
	return p;
}

ssize_t udp_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct inet_sock *sk = inet_sk(s);
	struct ip_out o = { .proto = IPPROTO_UDP };
	uint16_t dport = 0, sport;
	struct pkt *p;
	int err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->iov.total > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	mutex_lock(&inet_lock);
	if (s->err) {
		err = -s->err;
		s->err = 0;
	} else if (sk->shutdown & 2) {
		err = -EPIPE;
	} else {
		err = udp_dest(sk, m, &o.daddr, &dport);
	}
	if (!err)
		err = inet_autobind(sk);
	if (!err)
		err = inet_pick_source(sk, o.daddr, &o.saddr);
	if (!err)	/* after the route, as Linux */
		err = ip_addr_is_broadcast(o.daddr) && !s->broadcast ? -EACCES : 0;
	sport = sk->lport;
	o.ttl = sk->ttl;
	o.tos = (uint8_t)sk->tos;
	o.broadcast_ok = s->broadcast;
	mutex_unlock(&inet_lock);
	if (err)
		return err;
	p = udp_build(m, sport, dport, o.saddr, o.daddr, &err);
	if (!p)
		return err;
	err = ip_output(p, &o);
	if (err)
		return err;
	ip_mib.udp_out++;
	return (ssize_t)m->iov.total;
}

size_t udp_proc_text(char *buf, size_t size)
{
	struct inet_sock *sk;
	size_t n = (size_t)snprintf(buf, size, "%-127s\n",
				    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops");
	int slot = 0;

	mutex_lock(&inet_lock);
	list_for_each_entry(sk, &inet_socks, all) {
		char line[160];
		uint32_t mode = 0, uid = 0, gid = 0;

		if (sk->kind != INET_UDP || !sk->sock || !sk->lport || n >= size)
			continue;
		if (sk->sock->file)
			(void)file_stat_ids(sk->sock->file, &mode, &uid, &gid);
		/* Linux's slot is the port's hash bucket; ours is a running number. */
		snprintf(line, sizeof(line),
			 "%5d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %016x %u",
			 slot++, bswap32(sk->saddr ? sk->saddr : sk->laddr), sk->lport,
			 bswap32(sk->raddr), sk->rport, sk->connected ? 1 : 7, 0U, sk->rmem, 0, 0UL,
			 0U, uid, 0,
			 (unsigned long)sk->sock->ino, 2, 0U, (unsigned int)sk->drops);
		n += (size_t)snprintf(buf + n, size - n, "%-127s\n", line);
	}
	mutex_unlock(&inet_lock);
	return MIN(n, size);
}
