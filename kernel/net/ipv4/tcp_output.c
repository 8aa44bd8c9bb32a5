// SPDX-License-Identifier: MPL-2.0
// TCP output: segments with their options (MSS and window scale on a
// SYN), the window we announce, ACKs and RSTs, and tcp_push, which sends
// what the peer's window, the congestion window, Nagle (RFC 896) and
// TCP_CORK allow.  inet_lock is held throughout: ip_output only takes
// spinlocks, and loopback only queues.
#include <aster/errno.h>
#include <aster/string.h>
#include "net/ipv4/tcp.h"

uint32_t tcp_route_mss(uint32_t daddr)
{
	struct route_result r;
	uint32_t mtu = ETH_DATA_LEN;

	if (!route_lookup(daddr, &r))
		mtu = r.dev->mtu;
	if (mtu < IP_HLEN + TCP_HLEN + TCP_MIN_MSS)
		return TCP_MIN_MSS;
	return MIN(mtu - IP_HLEN - TCP_HLEN, (uint32_t)TCP_MAX_MSS);
}

/* The sending MSS: the peer's, ours and TCP_MAXSEG's smallest (RFC 9293 3.7.1). */
void tcp_sync_mss(struct tcp_sock *tsk)
{
	uint32_t mss = MIN(tsk->peer_mss, tcp_route_mss(tsk->inet.raddr));

	if (tsk->user_mss)
		mss = MIN(mss, tsk->user_mss);
	tsk->mss = MAX(mss, (uint32_t)TCP_MIN_MSS);
}

void tcp_sring_copy(const struct tcp_sock *tsk, uint32_t off, uint8_t *dst, uint32_t n)
{
	uint32_t pos = (tsk->shead + off) % tsk->scap;
	uint32_t first = MIN(n, tsk->scap - pos);

	memcpy(dst, tsk->sbuf + pos, first);
	if (first < n)
		memcpy(dst + first, tsk->sbuf, n - first);
}

/*
 * The window field, and the right edge it announces: never moved left
 * (RFC 9293 3.8.6.2.2), and not moved right by less than an MSS or half
 * the ring (receiver silly window avoidance, RFC 1122 4.2.3.3).
 */
static uint16_t tcp_window_field(struct tcp_sock *tsk, bool syn)
{
	uint32_t free = tcp_rcv_space(tsk), shift = syn ? 0 : tsk->rcv_wscale;
	uint32_t cur = seq_gt(tsk->rcv_adv, tsk->rcv_nxt) ? tsk->rcv_adv - tsk->rcv_nxt : 0;
	uint32_t win = free;

	if (!syn && free > cur && free - cur < MIN(tsk->rcap / 2, tsk->advmss))
		win = cur;
	if (win < cur)
		win = cur;
	win >>= shift;
	if (win > 0xffff)
		win = 0xffff;
	if (seq_gt(tsk->rcv_nxt + (win << shift), tsk->rcv_adv))
		tsk->rcv_adv = tsk->rcv_nxt + (win << shift);
	return (uint16_t)win;
}

/* MSS, window scale (and SACK-permitted never: we do not send SACK blocks). */
static uint32_t tcp_syn_options(struct tcp_sock *tsk, uint8_t *o, bool synack)
{
	o[0] = 2;
	o[1] = 4;
	put_be16(o + 2, (uint16_t)tsk->advmss);
	if (synack && !tsk->wscale_ok)
		return 4;
	o[4] = 1;		/* NOP */
	o[5] = 3;
	o[6] = 3;
	o[7] = tsk->rcv_wscale;
	return 8;
}

/* Build and send one segment; data: off bytes into the send ring. */
static int tcp_xmit(struct tcp_sock *tsk, uint32_t seq, uint8_t flags, uint32_t off, uint32_t len)
{
	struct ip_out o = { .saddr = tsk->inet.saddr, .daddr = tsk->inet.raddr,
			    .proto = IPPROTO_TCP, .tos = (uint8_t)tsk->inet.tos, .ttl = tsk->inet.ttl };
	uint8_t opts[8];
	uint32_t olen = 0, hlen, win;
	struct pkt *p;
	uint8_t *h;

	if (flags & TCP_SYN)
		olen = tcp_syn_options(tsk, opts, flags & TCP_ACK);
	hlen = TCP_HLEN + olen;
	p = pkt_alloc(PKT_HEADROOM, hlen + len);
	if (!p)
		return -ENOBUFS;
	h = pkt_data(p);
	put_be16(h, tsk->inet.lport);
	put_be16(h + 2, tsk->inet.rport);
	put_be32(h + 4, seq);
	put_be32(h + 8, (flags & TCP_ACK) ? tsk->rcv_nxt : 0);
	h[12] = (uint8_t)((hlen / 4) << 4);
	h[13] = flags;
	win = tcp_window_field(tsk, flags & TCP_SYN);
	put_be16(h + 14, (uint16_t)win);
	put_be32(h + 16, 0);	/* checksum, urgent pointer */
	memcpy(h + TCP_HLEN, opts, olen);
	if (len)
		tcp_sring_copy(tsk, off, h + hlen, len);
	put_be16(h + 16, inet_csum(h, hlen + len,
				   inet_pseudo_sum(o.saddr, o.daddr, IPPROTO_TCP, hlen + len)));
	if (flags & TCP_ACK) {
		tsk->rcv_acked = tsk->rcv_nxt;
		tsk->dack_at = 0;
	}
	tsk->segs_out++;
	tcp_mib.out_segs++;
	if (len) {
		tsk->data_segs_out++;
		tsk->bytes_sent += len;
		tsk->last_data_snd = clock_monotonic_ns();
	}
	return ip_output(p, &o);
}

int tcp_send_syn(struct tcp_sock *tsk)
{
	uint8_t flags = TCP_SYN | (tsk->state == TCP_SYN_RECV ? TCP_ACK : 0);

	return tcp_xmit(tsk, tsk->iss, flags, 0, 0);
}

void tcp_send_ack(struct tcp_sock *tsk)
{
	(void)tcp_xmit(tsk, tsk->snd_nxt, TCP_ACK, 0, 0);
}

/* An ACK one below snd_una, which the peer must answer (RFC 9293 3.8.4). */
void tcp_send_keepalive(struct tcp_sock *tsk)
{
	(void)tcp_xmit(tsk, tsk->snd_una - 1, TCP_ACK, 0, 0);
}

void tcp_send_rst(struct tcp_sock *tsk)
{
	tcp_mib.out_rsts++;
	(void)tcp_xmit(tsk, tsk->snd_nxt, TCP_RST | TCP_ACK, 0, 0);
}

void tcp_send_reset_reply(const struct ip_info *ip, const uint8_t *th, uint32_t seglen)
{
	struct ip_out o = { .saddr = ip->daddr, .daddr = ip->saddr, .proto = IPPROTO_TCP, .ttl = -1 };
	struct pkt *p;
	uint8_t *h;

	if (th[13] & TCP_RST || ip->broadcast)
		return;
	p = pkt_alloc(PKT_HEADROOM, TCP_HLEN);
	if (!p)
		return;
	h = pkt_data(p);
	memset(h, 0, TCP_HLEN);
	put_be16(h, get_be16(th + 2));
	put_be16(h + 2, get_be16(th));
	if (th[13] & TCP_ACK) {
		put_be32(h + 4, get_be32(th + 8));
		h[13] = TCP_RST;
	} else {
		put_be32(h + 8, get_be32(th + 4) + seglen);
		h[13] = TCP_RST | TCP_ACK;
	}
	h[12] = (TCP_HLEN / 4) << 4;
	put_be16(h + 16, inet_csum(h, TCP_HLEN,
				   inet_pseudo_sum(o.saddr, o.daddr, IPPROTO_TCP, TCP_HLEN)));
	tcp_mib.out_rsts++;
	tcp_mib.out_segs++;
	(void)ip_output(p, &o);
}

/* Where the data ends in sequence space (the FIN, when queued, takes this number). */
static uint32_t tcp_data_end(const struct tcp_sock *tsk)
{
	return tsk->snd_una + tsk->slen;
}

static void tcp_sent(struct tcp_sock *tsk, uint32_t len)
{
	if (seq_ge(tsk->snd_nxt, tsk->snd_max) && !tsk->rtt_timing) {
		/* Karn: time only segments sent once. */
		tsk->rtt_timing = true;
		tsk->rtt_seq = tsk->snd_nxt + len;
		tsk->rtt_start = clock_monotonic_ns();
	}
	tsk->snd_nxt += len;
	if (seq_gt(tsk->snd_nxt, tsk->snd_max))
		tsk->snd_max = tsk->snd_nxt;
	if (!tsk->rto_at)
		tcp_arm_rto(tsk);
}

/* The FIN, once every byte before it went out. */
static bool tcp_push_fin(struct tcp_sock *tsk)
{
	if (!tsk->fin_queued || tsk->fin_acked || tsk->snd_nxt != tcp_data_end(tsk))
		return false;
	(void)tcp_xmit(tsk, tsk->snd_nxt, TCP_FIN | TCP_ACK, 0, 0);
	tcp_sent(tsk, 1);
	return true;
}

void tcp_push(struct tcp_sock *tsk, bool force)
{
	if (tsk->state != TCP_ESTABLISHED && tsk->state != TCP_CLOSE_WAIT &&
	    tsk->state != TCP_FIN_WAIT1 && tsk->state != TCP_LAST_ACK && tsk->state != TCP_CLOSING)
		return;
	for (;;) {
		uint32_t end = tcp_data_end(tsk), wnd = MIN(tsk->snd_wnd, tsk->cwnd);
		uint32_t avail, room, len;
		uint8_t flags = TCP_ACK;

		if (!seq_lt(tsk->snd_nxt, end)) {
			(void)tcp_push_fin(tsk);
			return;
		}
		avail = end - tsk->snd_nxt;
		room = seq_lt(tsk->snd_nxt, tsk->snd_una + wnd) ? tsk->snd_una + wnd - tsk->snd_nxt : 0;
		len = MIN(MIN(avail, tsk->mss), room);
		if (!len) {
			/* A zero window: the persist timer probes it (tcp_timer.c). */
			if (!tsk->rto_at)
				tcp_arm_rto(tsk);
			return;
		}
		if (len < tsk->mss && len == avail && !force && !tsk->fin_queued) {
			if (tsk->cork)
				return;
			if (!tsk->nodelay && tsk->snd_nxt != tsk->snd_una)
				return;		/* Nagle: one small segment in flight at most */
		}
		if (len == avail)
			flags |= TCP_PSH;
		if (len == avail && tsk->fin_queued)
			flags |= TCP_FIN;
		if (tcp_xmit(tsk, tsk->snd_nxt, flags, tsk->snd_nxt - tsk->snd_una, len))
			return;
		tcp_sent(tsk, len + ((flags & TCP_FIN) ? 1 : 0));
		if (flags & TCP_FIN)
			return;
	}
}

void tcp_retransmit_head(struct tcp_sock *tsk)
{
	uint32_t len;

	tsk->total_retrans++;
	tcp_mib.retrans_segs++;
	tsk->rtt_timing = false;
	if (tsk->state == TCP_SYN_SENT || tsk->state == TCP_SYN_RECV) {
		(void)tcp_send_syn(tsk);
		return;
	}
	len = MIN(tsk->slen, tsk->mss);
	if (!len) {
		if (tsk->fin_queued && !tsk->fin_acked)
			(void)tcp_xmit(tsk, tsk->snd_una, TCP_FIN | TCP_ACK, 0, 0);
		return;
	}
	tsk->bytes_retrans += len;
	(void)tcp_xmit(tsk, tsk->snd_una,
		       TCP_ACK | TCP_PSH |
			       (len == tsk->slen && tsk->fin_queued && !tsk->fin_acked ? TCP_FIN : 0),
		       0, len);
}
