// SPDX-License-Identifier: MPL-2.0
// IPv4 input and output (RFC 791): header checks (version, length,
// checksum), delivery to ICMP, UDP and raw sockets, and the header of
// what we send.  No forwarding; fragments are reassembled (reasm.c);
// what we send beyond the route's MTU goes out in fragments.
#include <aster/errno.h>
#include <aster/string.h>
#include "net/ipv4/ipv4.h"

struct ip_mib ip_mib;
static uint16_t ip_ident;

uint32_t inet_csum_add(const uint8_t *b, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (i < len)
		sum += (uint32_t)(b[i] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t inet_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t inet_csum(const uint8_t *b, size_t len, uint32_t sum)
{
	return inet_csum_fold(inet_csum_add(b, len, sum));
}

uint32_t inet_pseudo_sum(uint32_t saddr, uint32_t daddr, uint8_t proto, uint32_t len)
{
	uint32_t sum = (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) + (daddr & 0xffff);

	return sum + proto + (len >> 16) + (len & 0xffff);
}

bool ip_addr_is_local(uint32_t addr)
{
	struct net_device *d;
	bool local = false;
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);

	list_for_each_entry(d, &netdev_list, node) {
		if (!(d->flags & IFF_UP))
			continue;
		if ((d->addr && d->addr == addr) ||
		    ((d->flags & IFF_LOOPBACK) && (addr >> 24) == 127)) {
			local = true;
			break;
		}
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return local;
}

bool ip_addr_is_broadcast(uint32_t addr)
{
	struct net_device *d;
	bool bc = addr == INADDR_BROADCAST;
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);

	list_for_each_entry(d, &netdev_list, node) {
		if (d->broadcast && d->broadcast == addr && (d->flags & IFF_UP))
			bc = true;
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return bc;
}

/* The header checks of RFC 1122 3.2.1: false drops the packet (counted). */
static bool ip_check(struct pkt *p, struct ip_info *ip)
{
	const uint8_t *h = pkt_data(p);
	uint32_t ihl, total;

	if (p->len < IP_HLEN || (h[0] >> 4) != 4)
		return false;
	ihl = (uint32_t)(h[0] & 15) * 4;
	total = get_be16(h + 2);
	if (ihl < IP_HLEN || ihl > p->len || total < ihl || total > p->len)
		return false;
	if (inet_csum(h, ihl, 0) != 0)
		return false;
	pkt_trim(p, total);
	ip->hdr_off = p->head;
	ip->hdr_len = ihl;
	ip->tos = h[1];
	ip->ttl = h[8];
	ip->proto = h[9];
	ip->saddr = get_be32(h + 12);
	ip->daddr = get_be32(h + 16);
	return true;
}

void ip_rcv(struct pkt *p)
{
	struct ip_info ip = { 0 };
	const uint8_t *h = pkt_data(p);

	ip_mib.in_receives++;
	if (!ip_check(p, &ip)) {
		ip_mib.in_hdr_errors++;
		netdev_count_rx(p->dev, 0, false, true);
		pkt_free(p);
		return;
	}
	ip.broadcast = ip_addr_is_broadcast(ip.daddr) || p->broadcast;
	if (!ip.broadcast && !ip_addr_is_local(ip.daddr)) {
		ip_mib.in_addr_errors++;
		pkt_free(p);
		return;
	}
	if (get_be16(h + 6) & (IP_MF | IP_OFFMASK)) {
		bool bcast = ip.broadcast;

		p = ip_defrag(p, &ip);
		if (!p)
			return;
		ip_mib.reasm_oks++;
		if (!ip_check(p, &ip)) {	/* cannot fail: the header is ours now */
			pkt_free(p);
			return;
		}
		ip.broadcast = bcast;
	}
	pkt_pull(p, ip.hdr_len);
	ip_mib.in_delivers++;
	switch (ip.proto) {
	case IPPROTO_ICMP:
		icmp_rcv(p, &ip);
		return;
	case IPPROTO_UDP:
		udp_rcv(p, &ip);
		return;
	case IPPROTO_TCP:
		tcp_rcv(p, &ip);
		return;
	default:
		ip_mib.in_unknown_protos++;
		icmp_send_error(p, &ip, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH);
		pkt_free(p);
		return;
	}
}

/* frag: the flags and offset word (DF for a whole datagram, as Linux with PMTU discovery). */
static void ip_build_header(struct pkt *p, const struct ip_out *o, uint32_t saddr, uint16_t ident,
			    uint16_t frag)
{
	uint8_t *h = pkt_push(p, IP_HLEN);

	h[0] = 0x45;
	h[1] = o->tos;
	put_be16(h + 2, (uint16_t)p->len);
	put_be16(h + 4, ident);
	put_be16(h + 6, frag);
	h[8] = (uint8_t)(o->ttl < 0 ? IP_DEFAULT_TTL : o->ttl);
	h[9] = o->proto;
	put_be16(h + 10, 0);
	put_be32(h + 12, saddr);
	put_be32(h + 16, o->daddr);
	put_be16(h + 10, inet_csum(h, IP_HLEN, 0));
}

static int ip_send(const struct route_result *r, bool bcast, struct pkt *p)
{
	if (r->dev->type == ARPHRD_LOOPBACK)
		return netdev_xmit(r->dev, p);
	return arp_output(r->dev, bcast ? INADDR_BROADCAST : r->nexthop, p);
}

/*
 * A datagram larger than the route's MTU goes out in fragments (RFC 791:
 * each carries a multiple of 8 bytes but the last, MF on all but the
 * last), as Linux fragments a UDP datagram locally.  p is consumed.
 */
static int ip_fragment(struct pkt *p, const struct ip_out *o, uint32_t saddr,
		       const struct route_result *r, bool bcast)
{
	uint32_t chunk = (r->dev->mtu - IP_HLEN) & ~7U, len = p->len;
	uint16_t ident = ip_ident++;
	int err = 0;

	if (r->dev->mtu < IP_HLEN + 8) {
		pkt_free(p);
		return -EMSGSIZE;
	}
	for (uint32_t off = 0; off < len && !err; off += chunk) {
		uint32_t n = MIN(chunk, len - off);
		struct pkt *f = pkt_alloc(PKT_HEADROOM, n);

		if (!f) {
			err = -ENOBUFS;
			break;
		}
		memcpy(pkt_data(f), pkt_data(p) + off, n);
		ip_build_header(f, o, saddr, ident,
				(uint16_t)(off / 8 | (off + n < len ? IP_MF : 0)));
		ip_mib.frag_creates++;
		err = ip_send(r, bcast, f);
	}
	pkt_free(p);
	if (err)
		ip_mib.frag_fails++;
	return err;
}

int ip_output(struct pkt *p, const struct ip_out *o)
{
	struct route_result r;
	bool bcast = ip_addr_is_broadcast(o->daddr);
	uint32_t saddr;
	int err;

	ip_mib.out_requests++;
	if (p->len + IP_HLEN > IP_MAX_LEN) {
		pkt_free(p);
		return -EMSGSIZE;
	}
	if (bcast && !o->broadcast_ok) {
		pkt_free(p);
		return -EACCES;
	}
	err = route_lookup(o->daddr, &r);
	if (err) {
		ip_mib.out_no_routes++;
		pkt_free(p);
		return err;
	}
	saddr = o->saddr ? o->saddr : r.src;
	if (p->len + IP_HLEN > r.dev->mtu)
		return ip_fragment(p, o, saddr, &r, bcast);
	ip_build_header(p, o, saddr, ip_ident++, 0x4000);
	return ip_send(&r, bcast, p);
}

/*
 * An IPPROTO_RAW socket's datagram, its IPv4 header written by the sender
 * (Linux's raw_send_hdrinc): routed by o->daddr, never fragmented (past
 * the MTU: EMSGSIZE); the kernel sets the total length, a zero source and
 * identification, and the checksum.  A header shorter than 20 bytes or
 * longer than the datagram: EINVAL.  p is consumed.
 */
int ip_output_hdrincl(struct pkt *p, const struct ip_out *o)
{
	bool bcast = ip_addr_is_broadcast(o->daddr);
	struct route_result r;
	uint32_t ihl;
	uint8_t *h;
	int err;

	ip_mib.out_requests++;
	err = route_lookup(o->daddr, &r);
	if (err) {
		ip_mib.out_no_routes++;
		pkt_free(p);
		return err;
	}
	h = pkt_data(p);
	ihl = p->len ? (uint32_t)(h[0] & 0xf) * 4 : 0;
	if (p->len > r.dev->mtu)
		err = -EMSGSIZE;
	else if (p->len < IP_HLEN || ihl > p->len)
		err = -EINVAL;
	else if (bcast && !o->broadcast_ok)
		err = -EACCES;
	if (err) {
		pkt_free(p);
		return err;
	}
	if (ihl >= IP_HLEN) {
		if (!get_be32(h + 12))
			put_be32(h + 12, o->saddr ? o->saddr : r.src);
		put_be16(h + 2, (uint16_t)p->len);
		if (!get_be16(h + 4))
			put_be16(h + 4, ip_ident++);
		put_be16(h + 10, 0);
		put_be16(h + 10, inet_csum(h, ihl, 0));
	}
	return ip_send(&r, bcast, p);
}
