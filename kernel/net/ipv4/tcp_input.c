// SPDX-License-Identifier: MPL-2.0
// TCP input (RFC 9293 3.10.7): header checks (length, data offset,
// checksum, flag combinations: anything malformed is dropped and counted
// in InErrs/InCsumErrors), the connection lookup, a listener's SYN queue
// and accept queue (bounded: a SYN past them is dropped, so a flood costs
// no memory), SYN_SENT, and the synchronized states: acceptability, RST
// (RFC 5961 challenge ACKs), ACK processing with the RTT sample, the
// congestion window and NewReno fast recovery (RFC 5681, RFC 6582), data
// in order into the receive ring and out of order at its place, FIN, and
// the delayed ACK.  ICMP errors: ECONNREFUSED for a connecting socket.
#include <aster/errno.h>
#include <aster/string.h>
#include "net/ipv4/tcp.h"

struct tcp_mib tcp_mib;

/* One incoming segment, parsed. */
struct tcp_seg {
	uint32_t seq, ack, len;		/* len: payload bytes */
	uint16_t sport, dport, wnd;
	uint8_t flags;
	const uint8_t *th;
	const uint8_t *data;
	/* Options (SYN only). */
	uint32_t mss;
	int wscale;			/* -1: absent */
	bool sack_ok;
};

static uint32_t seg_seqlen(const struct tcp_seg *s)
{
	return s->len + ((s->flags & TCP_SYN) ? 1 : 0) + ((s->flags & TCP_FIN) ? 1 : 0);
}

/* Options of a SYN: malformed ones end the walk (what came before stands). */
static void tcp_parse_options(struct tcp_seg *s, const uint8_t *o, uint32_t n)
{
	uint32_t i = 0;

	while (i < n) {
		uint8_t kind = o[i], len;

		if (kind == 0)
			return;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || (len = o[i + 1]) < 2 || i + len > n)
			return;
		if (kind == 2 && len == 4)
			s->mss = get_be16(o + i + 2);
		else if (kind == 3 && len == 3)
			s->wscale = MIN(o[i + 2], (uint8_t)14);
		else if (kind == 4 && len == 2)
			s->sack_ok = true;
		i += len;
	}
}

static bool tcp_parse(struct pkt *p, const struct ip_info *ip, struct tcp_seg *s)
{
	const uint8_t *h = pkt_data(p);
	uint32_t doff;

	if (p->len < TCP_HLEN)
		return false;
	doff = (uint32_t)(h[12] >> 4) * 4;
	if (doff < TCP_HLEN || doff > p->len)
		return false;
	if (inet_csum(h, p->len, inet_pseudo_sum(ip->saddr, ip->daddr, IPPROTO_TCP, p->len))) {
		tcp_mib.in_csum_errors++;
		return false;
	}
	memset(s, 0, sizeof(*s));
	s->th = h;
	s->sport = get_be16(h);
	s->dport = get_be16(h + 2);
	s->seq = get_be32(h + 4);
	s->ack = get_be32(h + 8);
	s->flags = h[13] & 0x3f;
	s->wnd = get_be16(h + 14);
	s->data = h + doff;
	s->len = p->len - doff;
	s->mss = TCP_MSS_DEFAULT;
	s->wscale = -1;
	/* Nonsense combinations (Linux drops them too): SYN+FIN, SYN+RST. */
	if ((s->flags & TCP_SYN) && (s->flags & (TCP_FIN | TCP_RST)))
		return false;
	if (s->flags & TCP_SYN)
		tcp_parse_options(s, h + TCP_HLEN, doff - TCP_HLEN);
	return true;
}

/* The connection a segment belongs to: an exact match, else a listener. */
static struct tcp_sock *tcp_lookup(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport)
{
	struct tcp_sock *tsk, *listener = NULL;

	list_for_each_entry(tsk, &tcp_socks, inet.all) {
		if (tsk->inet.lport != dport || tsk->reap)
			continue;
		if (tsk->state == TCP_LISTEN) {
			if (!tsk->inet.laddr || tsk->inet.laddr == daddr)
				if (!listener || tsk->inet.laddr)
					listener = tsk;
			continue;
		}
		if (tsk->state == TCP_CLOSE)
			continue;
		if (tsk->inet.rport == sport && tsk->inet.raddr == saddr && tsk->inet.saddr == daddr)
			return tsk;
	}
	return listener;
}

/* The receive ring's free room counted from rcv_nxt. */
uint32_t tcp_rcv_space(const struct tcp_sock *tsk)
{
	uint32_t cap = tsk->rcap ? tsk->rcap : tsk->rcvbuf / 2;

	return cap > tsk->rlen ? cap - tsk->rlen : 0;
}

/* ---- listeners ---- */

static uint8_t tcp_wscale_for(uint32_t cap)
{
	uint8_t shift = 0;

	while (shift < 14 && (cap >> shift) > 0xffff)
		shift++;
	return shift;
}

static void tcp_take_syn_options(struct tcp_sock *tsk, const struct tcp_seg *s)
{
	tsk->peer_mss = s->mss ? s->mss : TCP_MSS_DEFAULT;
	tsk->sack_ok = s->sack_ok;
	if (s->wscale >= 0 && tsk->wscale_ok) {
		tsk->snd_wscale = (uint8_t)s->wscale;
	} else {
		tsk->wscale_ok = false;
		tsk->snd_wscale = tsk->rcv_wscale = 0;
	}
	tcp_sync_mss(tsk);
	tsk->cwnd = 10 * tsk->mss;	/* RFC 6928's initial window, as Linux */
}

static void tcp_listen_syn(struct tcp_sock *l, const struct ip_info *ip, const struct tcp_seg *s)
{
	uint32_t synmax = MIN(MAX((uint32_t)l->backlog + 1, 8U) * 2, 256U);
	struct tcp_sock *c;

	/* Linux drops a SYN while the accept queue is full, and past the SYN queue's bound. */
	if (l->acceptq_len > (uint32_t)l->backlog || l->synq_len >= synmax) {
		tcp_mib.syn_drops++;
		tcp_mib.listen_drops++;
		return;
	}
	c = tcp_sock_new();
	if (!c) {
		tcp_mib.listen_drops++;
		return;
	}
	c->inet.laddr = l->inet.laddr;
	c->inet.saddr = ip->daddr;
	c->inet.lport = l->inet.lport;
	c->inet.raddr = ip->saddr;
	c->inet.rport = s->sport;
	c->inet.ttl = l->inet.ttl;
	c->inet.tos = l->inet.tos;
	c->rcvbuf = l->rcvbuf;
	c->sndbuf = l->sndbuf;
	c->reuseaddr = l->reuseaddr;
	c->nodelay = l->nodelay;
	c->user_mss = l->user_mss;
	c->keepidle = l->keepidle;
	c->keepintvl = l->keepintvl;
	c->keepcnt = l->keepcnt;
	c->linger0 = l->linger0;
	c->rcv_wscale = tcp_wscale_for(c->rcvbuf / 2);
	c->wscale_ok = true;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	c->rcv_adv = c->rcv_nxt;
	c->advmss = tcp_route_mss(ip->saddr);
	if (c->user_mss)
		c->advmss = MIN(c->advmss, c->user_mss);
	tcp_take_syn_options(c, s);
	c->snd_wnd = s->wnd;		/* a SYN's window is never scaled */
	c->snd_wl1 = s->seq;
	c->parent = l;
	list_add_tail(&l->synq, &c->qnode);
	l->synq_len++;
	c->state = TCP_SYN_RECV;
	c->ss = SS_CONNECTED;
	list_add_tail(&tcp_socks, &c->inet.all);
	tcp_mib.passive_opens++;
	c->snd_una = c->iss;
	(void)tcp_send_syn(c);
	c->snd_nxt = c->snd_max = c->iss + 1;
	tcp_arm_rto(c);
}

static void tcp_listen_rcv(struct tcp_sock *l, const struct ip_info *ip, const struct tcp_seg *s)
{
	if (s->flags & TCP_RST)
		return;
	if (s->flags & TCP_ACK) {
		tcp_send_reset_reply(ip, s->th, seg_seqlen(s));
		return;
	}
	if ((s->flags & TCP_SYN) && !ip->broadcast)
		tcp_listen_syn(l, ip, s);
}

/* ---- SYN_SENT (RFC 9293 3.10.7.3) ---- */

static void tcp_established(struct tcp_sock *tsk)
{
	tcp_set_state(tsk, TCP_ESTABLISHED);
	if (tcp_alloc_rbuf(tsk)) {
		tcp_send_rst(tsk);
		tcp_done(tsk, ENOMEM);
		return;
	}
	tcp_keepalive_reset(tsk);
}

static void tcp_synsent_rcv(struct tcp_sock *tsk, const struct ip_info *ip, const struct tcp_seg *s)
{
	bool ack_ok = (s->flags & TCP_ACK) && seq_gt(s->ack, tsk->iss) && seq_le(s->ack, tsk->snd_max);

	if ((s->flags & TCP_ACK) && !ack_ok) {
		tcp_send_reset_reply(ip, s->th, seg_seqlen(s));
		return;
	}
	if (s->flags & TCP_RST) {
		if (ack_ok) {
			tcp_mib.attempt_fails++;
			tcp_done(tsk, ECONNREFUSED);
		}
		return;
	}
	if (!(s->flags & TCP_SYN))
		return;
	tsk->irs = s->seq;
	tsk->rcv_nxt = s->seq + 1;
	tsk->rcv_adv = tsk->rcv_nxt;
	tcp_take_syn_options(tsk, s);
	tsk->snd_wnd = s->wnd;
	tsk->snd_wl1 = s->seq;
	tsk->snd_wl2 = s->ack;
	if (!ack_ok) {
		/* Simultaneous open: SYN_RECV, our SYN again with an ACK. */
		tcp_set_state(tsk, TCP_SYN_RECV);
		(void)tcp_send_syn(tsk);
		return;
	}
	tsk->snd_una = s->ack;
	tsk->rto_at = 0;
	tsk->retries = tsk->backoff = 0;
	if (tsk->rtt_timing) {
		tcp_rtt_sample(tsk, (uint32_t)((clock_monotonic_ns() - tsk->rtt_start) / NSEC_PER_USEC));
		tsk->rtt_timing = false;
	}
	tcp_established(tsk);
	if (tsk->state == TCP_ESTABLISHED) {
		tcp_send_ack(tsk);
		tcp_push(tsk, false);
	}
}

/* ---- synchronized states ---- */

/* RFC 9293 3.10.7.4, first check: is any of the segment in our window. */
static bool tcp_acceptable(const struct tcp_sock *tsk, const struct tcp_seg *s)
{
	uint32_t wnd = tcp_rcv_space(tsk), len = seg_seqlen(s);

	if (seq_gt(tsk->rcv_adv, tsk->rcv_nxt + wnd))
		wnd = tsk->rcv_adv - tsk->rcv_nxt;
	if (!len)
		return wnd ? seq_ge(s->seq, tsk->rcv_nxt) && seq_lt(s->seq, tsk->rcv_nxt + wnd)
			   : s->seq == tsk->rcv_nxt;
	if (!wnd)
		return false;
	return (seq_ge(s->seq, tsk->rcv_nxt) && seq_lt(s->seq, tsk->rcv_nxt + wnd)) ||
	       (seq_ge(s->seq + len - 1, tsk->rcv_nxt) && seq_lt(s->seq + len - 1, tsk->rcv_nxt + wnd));
}

static void tcp_reset_rcvd(struct tcp_sock *tsk)
{
	int err = ECONNRESET;

	if (tsk->state == TCP_SYN_RECV && tsk->parent) {
		/* A passive open reset before accept: forget it (RFC 9293 3.10.7.4). */
		list_del(&tsk->qnode);
		tsk->parent->synq_len--;
		tsk->parent = NULL;
		tcp_done(tsk, 0);
		return;
	}
	if (tsk->state == TCP_CLOSE_WAIT)
		err = EPIPE;
	else if (tsk->state == TCP_CLOSING || tsk->state == TCP_LAST_ACK || tsk->state == TCP_TIME_WAIT)
		err = 0;
	if (tsk->state == TCP_ESTABLISHED || tsk->state == TCP_CLOSE_WAIT)
		tcp_mib.estab_resets++;
	tcp_done(tsk, err);
}

/* Drop n acknowledged bytes from the front of the send ring. */
static void tcp_sring_consume(struct tcp_sock *tsk, uint32_t n)
{
	tsk->shead = tsk->scap ? (tsk->shead + n) % tsk->scap : 0;
	tsk->slen -= n;
}

static void tcp_cwnd_on_ack(struct tcp_sock *tsk, uint32_t acked)
{
	if (tsk->cwnd < tsk->ssthresh)
		tsk->cwnd += MIN(acked, tsk->mss);	/* slow start, RFC 3465's L = 1 MSS */
	else
		tsk->cwnd += MAX(1U, tsk->mss * tsk->mss / tsk->cwnd);
	tsk->cwnd = MIN(tsk->cwnd, 0x3fffffffU);
}

/* Duplicate ACKs: fast retransmit and NewReno recovery (RFC 6582 3.2). */
static void tcp_dupack(struct tcp_sock *tsk)
{
	tsk->dupacks++;
	if (tsk->in_recovery) {
		tsk->cwnd += tsk->mss;
		tcp_push(tsk, false);
		return;
	}
	if (tsk->dupacks != 3)
		return;
	tsk->ssthresh = MAX((tsk->snd_max - tsk->snd_una) / 2, 2 * tsk->mss);
	tsk->recover = tsk->snd_max;
	tsk->in_recovery = true;
	tcp_retransmit_head(tsk);
	tsk->cwnd = tsk->ssthresh + 3 * tsk->mss;
	tcp_arm_rto(tsk);
}

static void tcp_new_ack(struct tcp_sock *tsk, uint32_t ack)
{
	uint32_t acked = ack - tsk->snd_una, data = MIN(acked, tsk->slen);

	if (acked > tsk->slen && tsk->fin_queued)
		tsk->fin_acked = true;
	tcp_sring_consume(tsk, data);
	tsk->snd_una = ack;
	tsk->bytes_acked += acked;
	if (seq_lt(tsk->snd_nxt, ack))
		tsk->snd_nxt = ack;
	if (tsk->rtt_timing && seq_ge(ack, tsk->rtt_seq)) {
		tcp_rtt_sample(tsk, (uint32_t)((clock_monotonic_ns() - tsk->rtt_start) / NSEC_PER_USEC));
		tsk->rtt_timing = false;
	}
	tsk->retries = tsk->backoff = 0;
	if (tsk->in_recovery && seq_lt(ack, tsk->recover)) {
		/* A partial ACK: the next hole goes now; deflate by what was acked. */
		tcp_retransmit_head(tsk);
		tsk->cwnd = tsk->cwnd > acked ? tsk->cwnd - acked + tsk->mss : tsk->mss;
	} else if (tsk->in_recovery) {
		tsk->in_recovery = false;
		tsk->cwnd = MIN(tsk->ssthresh, (tsk->snd_max - ack) + tsk->mss);
	} else {
		tcp_cwnd_on_ack(tsk, acked);
	}
	tsk->dupacks = 0;
	tsk->rto_at = 0;
	if (tsk->snd_una != tsk->snd_max)
		tcp_arm_rto(tsk);
	tsk->inet.rseq++;
	tcp_wake(tsk);
}

/* ACK processing (RFC 9293 3.10.7.4, fifth check): false drops the segment. */
static bool tcp_ack_rcv(struct tcp_sock *tsk, const struct ip_info *ip, const struct tcp_seg *s)
{
	uint32_t wnd = (uint32_t)s->wnd << tsk->snd_wscale;

	if (tsk->state == TCP_SYN_RECV) {
		if (seq_le(s->ack, tsk->snd_una) || seq_gt(s->ack, tsk->snd_max)) {
			tcp_send_reset_reply(ip, s->th, seg_seqlen(s));
			return false;
		}
		if (tsk->parent && !tcp_child_established(tsk))
			return false;	/* the accept queue is full: the peer retries */
		tsk->snd_una = s->ack;
		tsk->snd_wnd = wnd;
		tsk->snd_wl1 = s->seq;
		tsk->snd_wl2 = s->ack;
		tsk->max_wnd = MAX(tsk->max_wnd, wnd);
		tsk->rto_at = 0;
		tsk->retries = tsk->backoff = 0;
		tcp_established(tsk);
		return tsk->state == TCP_ESTABLISHED;
	}
	if (seq_gt(s->ack, tsk->snd_max)) {
		tcp_send_ack(tsk);	/* acknowledges what we never sent */
		return false;
	}
	if (seq_lt(s->ack, tsk->snd_una))
		return true;		/* old: ignored */
	if (seq_lt(tsk->snd_wl1, s->seq) || (tsk->snd_wl1 == s->seq && seq_le(tsk->snd_wl2, s->ack))) {
		bool same = wnd == tsk->snd_wnd;

		if (s->ack == tsk->snd_una && tsk->slen && !wnd)
			tsk->retries = 0;	/* a live peer answering our zero-window probes */
		if (s->ack == tsk->snd_una && !tsk->snd_wnd && wnd && tsk->snd_nxt != tsk->snd_una)
			tsk->snd_nxt = tsk->snd_una;	/* the window opened: the probed byte goes again */
		tsk->snd_wnd = wnd;
		tsk->snd_wl1 = s->seq;
		tsk->snd_wl2 = s->ack;
		tsk->max_wnd = MAX(tsk->max_wnd, wnd);
		if (s->ack == tsk->snd_una && !s->len && !(s->flags & TCP_FIN) && same &&
		    tsk->snd_una != tsk->snd_max)
			tcp_dupack(tsk);
		else if (!same)
			tcp_wake(tsk);
	}
	if (seq_gt(s->ack, tsk->snd_una))
		tcp_new_ack(tsk, s->ack);
	if (!tsk->fin_acked)
		return true;
	if (tsk->state == TCP_FIN_WAIT1) {
		tcp_set_state(tsk, TCP_FIN_WAIT2);
	} else if (tsk->state == TCP_CLOSING) {
		tcp_set_state(tsk, TCP_TIME_WAIT);
	} else if (tsk->state == TCP_LAST_ACK) {
		tcp_done(tsk, 0);
		return false;
	}
	return true;
}

/* Add [start, end) to the out-of-order intervals: false when there is no room. */
static bool tcp_ooo_add(struct tcp_sock *tsk, uint32_t start, uint32_t end)
{
	uint32_t i;

	for (i = 0; i < tsk->nooo; i++) {
		struct tcp_interval *v = &tsk->ooo[i];

		if (seq_le(start, v->end) && seq_ge(end, v->start)) {
			v->start = seq_lt(start, v->start) ? start : v->start;
			v->end = seq_gt(end, v->end) ? end : v->end;
			return true;
		}
	}
	if (tsk->nooo >= TCP_OOO_MAX)
		return false;
	tsk->ooo[tsk->nooo].start = start;
	tsk->ooo[tsk->nooo].end = end;
	tsk->nooo++;
	return true;
}

/* Intervals that rcv_nxt reached become readable. */
static void tcp_ooo_drain(struct tcp_sock *tsk)
{
	bool again = true;

	while (again) {
		again = false;
		for (uint32_t i = 0; i < tsk->nooo; i++) {
			struct tcp_interval v = tsk->ooo[i];

			if (seq_gt(v.start, tsk->rcv_nxt))
				continue;
			if (seq_gt(v.end, tsk->rcv_nxt)) {
				tsk->rlen += v.end - tsk->rcv_nxt;
				tsk->rcv_nxt = v.end;
			}
			tsk->ooo[i] = tsk->ooo[--tsk->nooo];
			again = true;
			break;
		}
	}
}

/* Write a segment's bytes into the ring at their place; true when in order. */
static bool tcp_data_rcv(struct tcp_sock *tsk, const struct tcp_seg *s)
{
	uint32_t seq = s->seq, len = s->len, skip = 0, off, pos, first, room;
	const uint8_t *d = s->data;

	if (seq_lt(seq, tsk->rcv_nxt)) {
		skip = tsk->rcv_nxt - seq;
		if (skip >= len)
			return seq + len == tsk->rcv_nxt;
		seq += skip;
		d += skip;
		len -= skip;
	}
	off = seq - tsk->rcv_nxt;
	room = tcp_rcv_space(tsk);
	if (!tsk->rbuf || off >= room)
		return false;
	len = MIN(len, room - off);	/* past the window: cut */
	if (off && !tcp_ooo_add(tsk, seq, seq + len))
		return false;
	pos = (tsk->rhead + tsk->rlen + off) % tsk->rcap;
	first = MIN(len, tsk->rcap - pos);
	memcpy(tsk->rbuf + pos, d, first);
	if (first < len)
		memcpy(tsk->rbuf, d + first, len - first);
	tsk->data_segs_in++;
	tsk->bytes_received += len;
	tsk->rcv_mss = MAX(tsk->rcv_mss, MIN(len, tsk->advmss));
	tsk->last_data_rcv = clock_monotonic_ns();
	if (off) {
		tsk->ooo_pkts++;
		return false;
	}
	tsk->rlen += len;
	tsk->rcv_nxt += len;
	tcp_ooo_drain(tsk);
	tsk->inet.wseq++;
	tcp_wake(tsk);
	return len + skip == s->len;
}

static void tcp_fin_rcvd(struct tcp_sock *tsk)
{
	tsk->rcv_nxt++;
	tsk->fin_rcvd = true;
	tsk->inet.wseq++;
	switch (tsk->state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(tsk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		tcp_set_state(tsk, tsk->fin_acked ? TCP_TIME_WAIT : TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		tcp_set_state(tsk, TCP_TIME_WAIT);
		break;
	case TCP_TIME_WAIT:
		tcp_arm(tsk, &tsk->tw_at, TCP_TIMEWAIT_NS);
		break;
	default:
		break;
	}
	tcp_wake(tsk);
}

/* Acknowledge now, or within the delayed-ACK time (RFC 1122 4.2.3.2; RFC 5681 4.2). */
static void tcp_ack_policy(struct tcp_sock *tsk, bool now)
{
	uint32_t unacked = tsk->rcv_nxt - tsk->rcv_acked;

	if (now || unacked >= 2 * tsk->rcv_mss || unacked >= tsk->rcap / 4 || tsk->nooo) {
		tcp_send_ack(tsk);
		return;
	}
	if (unacked && !tsk->dack_at)
		tcp_arm(tsk, &tsk->dack_at, TCP_DELACK_NS);
}

static void tcp_sync_rcv(struct tcp_sock *tsk, const struct ip_info *ip, const struct tcp_seg *s)
{
	bool in_order = true, ack_now = false;

	if (tsk->state == TCP_SYN_RECV && (s->flags & TCP_SYN) && !(s->flags & TCP_ACK) &&
	    s->seq == tsk->irs) {
		(void)tcp_send_syn(tsk);	/* our SYN-ACK was lost */
		return;
	}
	if (!tcp_acceptable(tsk, s)) {
		if (!(s->flags & TCP_RST))
			tcp_send_ack(tsk);
		return;
	}
	if (s->flags & TCP_RST) {
		if (s->seq == tsk->rcv_nxt)
			tcp_reset_rcvd(tsk);
		else
			tcp_send_ack(tsk);	/* RFC 5961 3.2: a challenge ACK */
		return;
	}
	if (s->flags & TCP_SYN) {
		tcp_send_ack(tsk);		/* RFC 5961 4.2 */
		return;
	}
	if (!(s->flags & TCP_ACK))
		return;
	if (!tcp_ack_rcv(tsk, ip, s))
		return;
	tsk->last_rcv = clock_monotonic_ns();
	tcp_keepalive_reset(tsk);
	if (s->len && (tsk->state == TCP_ESTABLISHED || tsk->state == TCP_FIN_WAIT1 ||
		       tsk->state == TCP_FIN_WAIT2)) {
		in_order = tcp_data_rcv(tsk, s);
		ack_now = !in_order;
	} else if (s->len) {
		ack_now = true;		/* after our FIN or theirs: no more data */
	}
	if ((s->flags & TCP_FIN) && in_order && s->seq + s->len == tsk->rcv_nxt &&
	    !tsk->fin_rcvd) {
		tcp_fin_rcvd(tsk);
		ack_now = true;
	} else if ((s->flags & TCP_FIN) && tsk->state == TCP_TIME_WAIT) {
		tcp_arm(tsk, &tsk->tw_at, TCP_TIMEWAIT_NS);
		ack_now = true;		/* the peer lost our last ACK */
	}
	if (s->len || (s->flags & TCP_FIN))
		tcp_ack_policy(tsk, ack_now);
	tcp_push(tsk, false);
}

void tcp_rcv(struct pkt *p, const struct ip_info *ip)
{
	struct tcp_seg s;
	struct tcp_sock *tsk;

	tcp_mib.in_segs++;
	if (ip->broadcast || !tcp_parse(p, ip, &s)) {
		tcp_mib.in_errs++;
		pkt_free(p);
		return;
	}
	mutex_lock(&inet_lock);
	tsk = tcp_lookup(ip->saddr, s.sport, ip->daddr, s.dport);
	if (tsk && tsk->state == TCP_TIME_WAIT && (s.flags & TCP_SYN) && !(s.flags & TCP_ACK) &&
	    seq_gt(s.seq, tsk->rcv_nxt)) {
		/* A new incarnation (RFC 9293 3.10.7.4 note, Linux's tcp_timewait_state_process). */
		tcp_done(tsk, 0);
		tsk = tcp_lookup(ip->saddr, s.sport, ip->daddr, s.dport);
	}
	if (!tsk) {
		tcp_send_reset_reply(ip, s.th, seg_seqlen(&s));
	} else {
		tsk->segs_in++;
		if (tsk->state == TCP_LISTEN)
			tcp_listen_rcv(tsk, ip, &s);
		else if (tsk->state == TCP_SYN_SENT)
			tcp_synsent_rcv(tsk, ip, &s);
		else
			tcp_sync_rcv(tsk, ip, &s);
	}
	mutex_unlock(&inet_lock);
	pkt_free(p);
}

void tcp_err(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport, int err)
{
	struct tcp_sock *tsk;

	mutex_lock(&inet_lock);
	/* The segment was ours: from saddr:sport to daddr:dport. */
	tsk = tcp_lookup(daddr, dport, saddr, sport);
	/* Linux makes port and protocol unreachable fatal only while connecting (tcp_v4_err). */
	if (tsk && tsk->state == TCP_SYN_SENT && (err == ECONNREFUSED || err == ENOPROTOOPT)) {
		tcp_mib.attempt_fails++;
		tcp_done(tsk, err);
	}
	mutex_unlock(&inet_lock);
}
