// SPDX-License-Identifier: MPL-2.0
// TCP's options (IPPROTO_TCP: TCP_NODELAY, TCP_MAXSEG, TCP_CORK,
// TCP_KEEPIDLE/KEEPINTVL/KEEPCNT, TCP_SYNCNT, TCP_QUICKACK, TCP_INFO;
// IPPROTO_IP ones as every inet socket), and /proc/net/tcp in Linux's
// format (tcp4_seq_show).
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "fs/file.h"
#include "net/ipv4/tcp.h"

static int tcp_int_bounds(int name, int v)
{
	switch (name) {
	case TCP_MAXSEG:
		return v && (v < TCP_MIN_MSS || v > 32767) ? -EINVAL : 0;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
		return v < 1 || v > TCP_MAX_KEEPIDLE ? -EINVAL : 0;
	case TCP_KEEPCNT:
		return v < 1 || v > TCP_MAX_KEEPCNT ? -EINVAL : 0;
	case TCP_SYNCNT:
		return v < 1 || v > TCP_MAX_SYNCNT ? -EINVAL : 0;
	default:
		return 0;
	}
}

static int tcp_set_int(struct tcp_sock *tsk, int name, int v)
{
	switch (name) {
	case TCP_NODELAY:
		tsk->nodelay = v != 0;
		if (tsk->nodelay)
			tcp_push(tsk, true);
		return 0;
	case TCP_CORK:
		tsk->cork = v != 0;
		if (!tsk->cork)
			tcp_push(tsk, true);	/* uncorking sends what waited */
		return 0;
	case TCP_MAXSEG:
		tsk->user_mss = (uint32_t)v;
		return 0;
	case TCP_KEEPIDLE:
		tsk->keepidle = v;
		if (tsk->keep_at)
			tcp_keepalive_reset(tsk);
		return 0;
	case TCP_KEEPINTVL:
		tsk->keepintvl = v;
		return 0;
	case TCP_KEEPCNT:
		tsk->keepcnt = v;
		return 0;
	case TCP_SYNCNT:
		tsk->syncnt = v;
		return 0;
	case TCP_QUICKACK:
		if (v && tsk->rcv_acked != tsk->rcv_nxt && tsk->state == TCP_ESTABLISHED)
			tcp_send_ack(tsk);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int tcp_setsockopt(struct socket *s, int level, int name, uaddr_t val, uint32_t len)
{
	struct tcp_sock *tsk = tcp_sk(s);
	int32_t v = 0;
	int err;

	if (level == IPPROTO_IP)
		return inet_ip_setsockopt(s, level, name, val, len);
	if (level != IPPROTO_TCP)
		return -ENOPROTOOPT;
	if (name == TCP_INFO)
		return -ENOPROTOOPT;
	if (len < sizeof(int))
		return -EINVAL;
	if (copy_from_user(&v, val, sizeof(v)))
		return -EFAULT;
	err = tcp_int_bounds(name, v);
	if (err)
		return err;
	mutex_lock(&inet_lock);
	if (name == TCP_KEEPIDLE || name == TCP_KEEPINTVL || name == TCP_KEEPCNT)
		tcp_keepalive_reset(tsk);	/* SO_KEEPALIVE may have changed too */
	err = tcp_set_int(tsk, name, v);
	mutex_unlock(&inet_lock);
	return err;
}

static bool tcp_synced(const struct tcp_sock *tsk)
{
	return tsk->state != TCP_CLOSE && tsk->state != TCP_LISTEN && tsk->state != TCP_SYN_SENT;
}

static uint32_t ns_to_ms_ago(uint64_t t, uint64_t now)
{
	return t && now > t ? (uint32_t)((now - t) / NSEC_PER_MSEC) : 0;
}

/* Linux's tcp_get_info, for what we keep (inet_lock held). */
static void tcp_fill_info(struct tcp_sock *tsk, struct linux_tcp_info *ti)
{
	uint64_t now = clock_monotonic_ns();
	uint32_t mss = tsk->mss ? tsk->mss : TCP_MSS_DEFAULT;

	memset(ti, 0, sizeof(*ti));
	ti->tcpi_state = (uint8_t)tsk->state;
	ti->tcpi_ca_state = tsk->in_recovery ? 3 : (tsk->retries ? 4 : 0);
	ti->tcpi_retransmits = (uint8_t)MIN(tsk->retries, 255U);
	ti->tcpi_probes = (uint8_t)MIN(tsk->keep_probes, 255U);
	ti->tcpi_backoff = (uint8_t)MIN(tsk->backoff, 255U);
	if (tsk->wscale_ok && tcp_synced(tsk)) {
		ti->tcpi_options |= TCPI_OPT_WSCALE;
		ti->tcpi_wscale = (uint8_t)(tsk->snd_wscale | tsk->rcv_wscale << 4);
	}
	ti->tcpi_rto = (uint32_t)MIN((uint64_t)tsk->rto_us << MIN(tsk->backoff, 16U),
				     (uint64_t)TCP_RTO_MAX_US);
	ti->tcpi_ato = (uint32_t)(TCP_DELACK_NS / NSEC_PER_USEC);
	ti->tcpi_snd_mss = mss;
	ti->tcpi_rcv_mss = tsk->rcv_mss ? tsk->rcv_mss : MIN(tsk->advmss, TCP_MSS_DEFAULT);
	if (tsk->state == TCP_LISTEN) {
		ti->tcpi_unacked = tsk->acceptq_len;
		ti->tcpi_sacked = (uint32_t)tsk->backlog;
	} else {
		ti->tcpi_unacked = (tsk->snd_max - tsk->snd_una + mss - 1) / mss;
	}
	ti->tcpi_last_data_sent = ns_to_ms_ago(tsk->last_data_snd, now);
	ti->tcpi_last_data_recv = ns_to_ms_ago(tsk->last_data_rcv, now);
	ti->tcpi_last_ack_recv = ns_to_ms_ago(tsk->last_rcv, now);
	ti->tcpi_pmtu = tsk->mss + IP_HLEN + TCP_HLEN;
	ti->tcpi_rcv_ssthresh = tcp_rcv_space(tsk);
	ti->tcpi_rtt = tsk->srtt_us;
	ti->tcpi_rttvar = tsk->rttvar_us;
	ti->tcpi_snd_ssthresh = tsk->ssthresh;
	ti->tcpi_snd_cwnd = tsk->cwnd / mss;
	ti->tcpi_advmss = tsk->advmss;
	ti->tcpi_reordering = 3;
	ti->tcpi_rcv_space = tsk->rcap;
	ti->tcpi_total_retrans = tsk->total_retrans;
	ti->tcpi_bytes_acked = tsk->bytes_acked;
	ti->tcpi_bytes_received = tsk->bytes_received;
	ti->tcpi_segs_out = tsk->segs_out;
	ti->tcpi_segs_in = tsk->segs_in;
	ti->tcpi_notsent_bytes = seq_gt(tsk->snd_una + tsk->slen, tsk->snd_nxt) ?
					 tsk->snd_una + tsk->slen - tsk->snd_nxt : 0;
	ti->tcpi_min_rtt = tsk->srtt_us;
	ti->tcpi_data_segs_in = tsk->data_segs_in;
	ti->tcpi_data_segs_out = tsk->data_segs_out;
	ti->tcpi_bytes_sent = tsk->bytes_sent;
	ti->tcpi_bytes_retrans = tsk->bytes_retrans;
	ti->tcpi_rcv_ooopack = tsk->ooo_pkts;
	ti->tcpi_snd_wnd = tsk->snd_wnd;
}

static int tcp_get_int(struct tcp_sock *tsk, int name, int *v)
{
	switch (name) {
	case TCP_NODELAY: *v = tsk->nodelay; break;
	case TCP_CORK: *v = tsk->cork; break;
	case TCP_KEEPIDLE: *v = tsk->keepidle; break;
	case TCP_KEEPINTVL: *v = tsk->keepintvl; break;
	case TCP_KEEPCNT: *v = tsk->keepcnt; break;
	case TCP_SYNCNT: *v = tsk->syncnt; break;
	case TCP_QUICKACK: *v = 1; break;
	case TCP_MAXSEG:
		/* Linux: the MSS in use once connected, else TCP_MAXSEG's or 536. */
		*v = (int)(tcp_synced(tsk) ? tsk->mss : tsk->user_mss ? tsk->user_mss : TCP_MSS_DEFAULT);
		break;
	default:
		return -ENOPROTOOPT;
	}
	return 0;
}

int tcp_getsockopt(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp)
{
	struct tcp_sock *tsk = tcp_sk(s);
	struct linux_tcp_info ti;
	int32_t ilen = 0;
	uint32_t len;
	int v = 0, err;

	if (level == IPPROTO_IP)
		return inet_ip_getsockopt(s, level, name, val, lenp);
	if (level != IPPROTO_TCP)
		return -ENOPROTOOPT;
	if (copy_from_user(&ilen, lenp, sizeof(ilen)))
		return -EFAULT;
	if (ilen < 0)
		return -EINVAL;
	mutex_lock(&inet_lock);
	if (name == TCP_INFO) {
		tcp_fill_info(tsk, &ti);
		err = 0;
	} else {
		err = tcp_get_int(tsk, name, &v);
	}
	mutex_unlock(&inet_lock);
	if (err)
		return err;
	if (name == TCP_INFO) {
		len = MIN((uint32_t)ilen, (uint32_t)sizeof(ti));
		err = copy_to_user(val, &ti, len) ? -EFAULT : 0;
	} else {
		len = MIN((uint32_t)ilen, (uint32_t)sizeof(v));
		err = copy_to_user(val, &v, len) ? -EFAULT : 0;
	}
	if (err)
		return err;
	return copy_to_user(lenp, &len, sizeof(len)) ? -EFAULT : 0;
}

/* ---- /proc/net/tcp ---- */

/* Clock ticks (USER_HZ, 100 a second) until a deadline. */
static long ticks_until(uint64_t at, uint64_t now)
{
	return at > now ? (long)((at - now) / (NSEC_PER_SEC / 100)) : 0;
}

static void tcp_proc_line(struct tcp_sock *tsk, int slot, uint64_t now, char *line, size_t size)
{
	struct socket *s = tsk->inet.sock;
	uint32_t mode = 0, uid = 0, gid = 0, rxq = tsk->rlen;
	int timer = 0;
	uint64_t when = 0;

	if (s && s->file)
		(void)file_stat_ids(s->file, &mode, &uid, &gid);
	if (tsk->state == TCP_LISTEN)
		rxq = tsk->acceptq_len;
	if (tsk->state == TCP_TIME_WAIT) {
		timer = 3;
		when = tsk->tw_at;
	} else if (tsk->rto_at) {
		timer = tsk->snd_una == tsk->snd_max ? 4 : 1;
		when = tsk->rto_at;
	} else if (tsk->keep_at) {
		timer = 2;
		when = tsk->keep_at;
	}
	snprintf(line, size,
		 "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %016x %lu %lu %u %u %d",
		 slot, bswap32(tsk->inet.saddr ? tsk->inet.saddr : tsk->inet.laddr), tsk->inet.lport,
		 bswap32(tsk->inet.raddr), tsk->inet.rport, (unsigned int)tsk->state, tsk->slen, rxq,
		 timer, (unsigned long)ticks_until(when, now), tsk->retries, uid, (int)tsk->keep_probes,
		 (unsigned long)(s ? s->ino : 0), 1, 0U, (unsigned long)(tsk->rto_us / 10000),
		 (unsigned long)(TCP_DELACK_NS / (NSEC_PER_SEC / 100)), 0U, tsk->cwnd / MAX(tsk->mss, 1U),
		 tsk->state == TCP_LISTEN ? 0 : (tsk->ssthresh >= 0x7fffffff ? -1 : (int)tsk->ssthresh));
}

size_t tcp_proc_text(char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%-149s\n",
				    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
	uint64_t now = clock_monotonic_ns();
	struct tcp_sock *tsk;
	int slot = 0;

	mutex_lock(&inet_lock);
	/* Linux lists the hashed sockets, listeners first, then connections; not bare binds. */
	for (int pass = 0; pass < 2; pass++) {
		list_for_each_entry(tsk, &tcp_socks, inet.all) {
			char line[200];

			if (tsk->reap || tsk->state == TCP_CLOSE || n >= size ||
			    (tsk->state == TCP_LISTEN) != (pass == 0))
				continue;
			tcp_proc_line(tsk, slot++, now, line, sizeof(line));
			n += (size_t)snprintf(buf + n, size - n, "%-149s\n", line);
		}
	}
	mutex_unlock(&inet_lock);
	return MIN(n, size);
}
