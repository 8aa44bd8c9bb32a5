// SPDX-License-Identifier: MPL-2.0
// ICMP (RFC 792): echo replies to the echo requests we receive (not to
// broadcasts, as Linux's icmp_echo_ignore_broadcasts), echo replies
// handed to ping sockets, destination-unreachable errors handed to the
// UDP socket that caused them, and the errors we send (port and protocol
// unreachable; never about an ICMP error or a broadcast).  Raw ICMP
// sockets see a copy of every ICMP packet.
#include <aster/errno.h>
#include <aster/string.h>
#include "net/ipv4/ipv4.h"

/* The unreachable codes' errnos (Linux's icmp_err_convert). */
static int unreach_errno(uint8_t code)
{
	static const int errs[] = { ENETUNREACH, EHOSTUNREACH, ENOPROTOOPT, ECONNREFUSED,
				    EMSGSIZE, EOPNOTSUPP, ENETUNREACH, EHOSTDOWN, ENETUNREACH,
				    ENETUNREACH, EHOSTUNREACH, ENETUNREACH, EHOSTUNREACH,
				    EHOSTUNREACH, EHOSTUNREACH, EHOSTUNREACH };

	return code < ARRAY_SIZE(errs) ? errs[code] : EHOSTUNREACH;
}

/* An error about a packet we sent: its IP header and 8 bytes follow the ICMP header. */
static void icmp_unreach(struct pkt *p)
{
	const uint8_t *d = pkt_data(p);
	uint8_t code = d[1];
	const uint8_t *in = d + ICMP_HLEN;
	uint32_t ihl;

	if (p->len < ICMP_HLEN + IP_HLEN + 8 || (in[0] >> 4) != 4)
		return;
	ihl = (uint32_t)(in[0] & 15) * 4;
	if (ihl < IP_HLEN || p->len < ICMP_HLEN + ihl + 8)
		return;
	if (in[9] == IPPROTO_UDP)
		udp_err(get_be32(in + 12), get_be16(in + ihl), get_be32(in + 16),
			get_be16(in + ihl + 2), unreach_errno(code));
	else if (in[9] == IPPROTO_TCP)
		tcp_err(get_be32(in + 12), get_be16(in + ihl), get_be32(in + 16),
			get_be16(in + ihl + 2), unreach_errno(code));
}

static void icmp_echo(struct pkt *p, const struct ip_info *ip)
{
	struct ip_out o = { .saddr = ip->daddr, .daddr = ip->saddr, .proto = IPPROTO_ICMP,
			    .tos = ip->tos, .ttl = -1 };
	struct pkt *r = pkt_alloc(PKT_HEADROOM, p->len);
	uint8_t *d;

	if (!r)
		return;
	d = pkt_data(r);
	memcpy(d, pkt_data(p), p->len);
	d[0] = ICMP_ECHOREPLY;
	put_be16(d + 2, 0);
	put_be16(d + 2, inet_csum(d, r->len, 0));
	ip_mib.icmp_out++;
	(void)ip_output(r, &o);
}

void icmp_rcv(struct pkt *p, const struct ip_info *ip)
{
	const uint8_t *d = pkt_data(p);

	ip_mib.icmp_in++;
	if (p->len < ICMP_HLEN || inet_csum(d, p->len, 0) != 0) {
		ip_mib.icmp_in_errors++;
		pkt_free(p);
		return;
	}
	raw_rcv(p, ip);
	switch (d[0]) {
	case ICMP_ECHO:
		if (!ip->broadcast)
			icmp_echo(p, ip);
		break;
	case ICMP_ECHOREPLY:
		if (ping_rcv(p, ip))
			return;		/* queued on a ping socket */
		break;
	case ICMP_DEST_UNREACH:
		icmp_unreach(p);
		break;
	default:
		break;
	}
	pkt_free(p);
}

void icmp_send_error(struct pkt *p, const struct ip_info *ip, uint8_t type, uint8_t code)
{
	struct ip_out o = { .daddr = ip->saddr, .proto = IPPROTO_ICMP, .ttl = -1 };
	/* The offending header and as much of its data as fits in 576 bytes (RFC 1812 4.3.2.3). */
	uint32_t orig = MIN(ip->hdr_len + p->len, 576U - IP_HLEN - ICMP_HLEN);
	struct pkt *r;
	uint8_t *d;

	if (ip->broadcast || !ip->saddr || ip->saddr == INADDR_BROADCAST)
		return;
	if (ip->proto == IPPROTO_ICMP && p->len >= 1 && pkt_data(p)[0] != ICMP_ECHO &&
	    pkt_data(p)[0] != ICMP_ECHOREPLY)
		return;
	r = pkt_alloc(PKT_HEADROOM, ICMP_HLEN + orig);
	if (!r)
		return;
	d = pkt_data(r);
	memset(d, 0, ICMP_HLEN);
	d[0] = type;
	d[1] = code;
	memcpy(d + ICMP_HLEN, p->buf + ip->hdr_off, orig);
	put_be16(d + 2, inet_csum(d, r->len, 0));
	if (ip_addr_is_local(ip->daddr))
		o.saddr = ip->daddr;
	ip_mib.icmp_out++;
	(void)ip_output(r, &o);
}
