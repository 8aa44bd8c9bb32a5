/* SPDX-License-Identifier: MPL-2.0 */
/*
 * TCP (RFC 9293), private to kernel/net/ipv4 (doc/net.md, "TCP").
 *
 * Every TCP socket is a struct tcp_sock on tcp_socks, guarded by
 * inet_lock like every inet socket.  A tcp_sock outlives its struct
 * socket: once closed it is an orphan finishing its FIN exchange or
 * TIME_WAIT, and a connection a listener has not accepted yet has no
 * socket at all (its parent is the listener).  An orphan that reaches
 * CLOSE is marked `reap` and freed by the timer task, never in the call
 * chain that closed it, so a tcp_sock pointer stays good until inet_lock
 * is dropped.
 *
 * Data lives in two rings per connection, allocated on first use: the
 * send ring holds what was written and not acknowledged yet (the bytes
 * from snd_una on), the receive ring what arrived and was not read (from
 * the reader's position) followed by room for the window, into which
 * out-of-order segments are written at their place and remembered as
 * intervals.  So a connection's memory is its two rings, bounded by
 * SO_SNDBUF and SO_RCVBUF.
 *
 * Sequence numbers compare modulo 2^32 (seq_lt...).  Times are
 * clock_monotonic_ns(); timers are deadlines (0: off) that one kernel
 * task, "tcptimer", runs (tcp_timer.c).
 */
#ifndef KERNEL_NET_IPV4_TCP_H
#define KERNEL_NET_IPV4_TCP_H
#include <aster/timer.h>
#include "net/ipv4/ipv4.h"
#include "uapi/tcp.h"

/* Linux's numbering (tcp_states.h): /proc/net/tcp and tcpi_state show it. */
enum tcp_state {
	TCP_ESTABLISHED = 1, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2,
	TCP_TIME_WAIT, TCP_CLOSE, TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING,
};

/* The socket's view (Linux's socket_state), which connect's answers follow. */
enum { SS_UNCONNECTED = 1, SS_CONNECTING, SS_CONNECTED, SS_DISCONNECTING };

#define TCP_HLEN		20
#define TCP_FIN			0x01
#define TCP_SYN			0x02
#define TCP_RST			0x04
#define TCP_PSH			0x08
#define TCP_ACK			0x10
#define TCP_URG			0x20

#define RCV_SHUTDOWN		1
#define SEND_SHUTDOWN		2

/* The largest segment: an IP packet of 65535 bytes (lo's MTU is 65536). */
#define TCP_MAX_MSS		(IP_MAX_LEN - IP_HLEN - TCP_HLEN)
#define TCP_MIN_MSS		88	/* Linux's TCP_MIN_MSS, the floor of TCP_MAXSEG */
/* Out-of-order intervals kept per connection; a segment needing more is dropped. */
#define TCP_OOO_MAX		16

/* Times (RFC 6298 with Linux's floor and ceiling, net.ipv4 defaults). */
#define TCP_RTO_INIT_NS		(1 * NSEC_PER_SEC)
#define TCP_RTO_MIN_US		200000U
#define TCP_RTO_MAX_US		120000000U
#define TCP_DELACK_NS		(40 * NSEC_PER_MSEC)
/* TIME_WAIT is 5 s here (Linux: 60 s), orphans in FIN_WAIT2 last 60 s (tcp_fin_timeout). */
#define TCP_TIMEWAIT_NS		(5 * NSEC_PER_SEC)
#define TCP_FIN_TIMEOUT_NS	(60 * NSEC_PER_SEC)
#define TCP_SYN_RETRIES		6
#define TCP_SYNACK_RETRIES	5
#define TCP_RETRIES2		15
#define TCP_KEEPIDLE_DEF	7200
#define TCP_KEEPINTVL_DEF	75
#define TCP_KEEPCNT_DEF		9
#define TCP_MAX_KEEPIDLE	32767
#define TCP_MAX_KEEPCNT		127
#define TCP_MAX_SYNCNT		127

struct tcp_interval {
	uint32_t start, end;		/* sequence numbers, [start, end) */
};

struct tcp_sock {
	struct inet_sock inet;		/* addresses, ports, wq, sock; inet.all is on tcp_socks */
	enum tcp_state state;
	int ss;				/* SS_*: what connect() answers */
	bool done;			/* the connection ended (reset, timeout): reads return 0 */
	bool reap;			/* an orphan in CLOSE: the timer task frees it */
	bool reuseaddr;			/* the socket's SO_REUSEADDR, kept for orphans */
	/* A listener's queues of children, and a child's place in one. */
	struct tcp_sock *parent;
	struct list_node qnode;
	struct list_node synq, acceptq;
	uint32_t synq_len, acceptq_len;
	int backlog;

	/* Sending (RFC 9293 3.3.1). */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2, max_wnd;
	uint32_t mss;			/* what we send per segment */
	uint32_t peer_mss;		/* the peer's MSS option (536 without) */
	uint32_t advmss;		/* what we announced */
	uint32_t user_mss;		/* TCP_MAXSEG, 0: none */
	uint8_t snd_wscale, rcv_wscale;
	bool wscale_ok, sack_ok;
	uint8_t *sbuf;			/* the send ring: bytes from snd_una */
	uint32_t scap, shead, slen;
	bool fin_queued, fin_acked;

	/* Receiving. */
	uint32_t irs, rcv_nxt, rcv_adv;	/* rcv_adv: the right edge we announced */
	uint32_t rcv_acked;		/* rcv_nxt in our last ACK */
	uint32_t rcv_mss;		/* the largest segment seen */
	uint8_t *rbuf;			/* the receive ring: unread bytes, then the window */
	uint32_t rcap, rhead, rlen;
	struct tcp_interval ooo[TCP_OOO_MAX];
	uint32_t nooo;
	bool fin_rcvd;
	uint32_t rcvbuf, sndbuf;	/* the socket's at creation (children have no socket yet) */

	/* Timers (deadlines in ns, 0: off) and retransmission state. */
	uint64_t rto_at, dack_at, keep_at, tw_at;
	uint32_t srtt_us, rttvar_us, rto_us;
	uint32_t retries, backoff;
	bool rtt_timing;
	uint32_t rtt_seq;
	uint64_t rtt_start;
	uint64_t last_rcv, last_data_rcv, last_data_snd;
	uint32_t keep_probes;

	/* Congestion control (RFC 5681, NewReno RFC 6582), in bytes. */
	uint32_t cwnd, ssthresh, dupacks, recover;
	bool in_recovery;

	/* Options. */
	bool nodelay, cork, linger0;
	int keepidle, keepintvl, keepcnt, syncnt;

	/* Counters for TCP_INFO. */
	uint32_t segs_in, segs_out, data_segs_in, data_segs_out, total_retrans, ooo_pkts;
	uint64_t bytes_acked, bytes_received, bytes_sent, bytes_retrans;
};

struct tcp_mib {
	uint64_t active_opens, passive_opens, attempt_fails, estab_resets, in_segs, out_segs;
	uint64_t retrans_segs, in_errs, out_rsts, in_csum_errors, syn_drops, listen_drops;
};
extern struct tcp_mib tcp_mib;
extern struct list_node tcp_socks;

static inline struct tcp_sock *tcp_sk(struct socket *s)
{
	return s->sk;
}
static inline bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}
static inline bool seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}
static inline bool seq_gt(uint32_t a, uint32_t b)
{
	return seq_lt(b, a);
}
static inline bool seq_ge(uint32_t a, uint32_t b)
{
	return seq_le(b, a);
}

/* ---- tcp_sock.c: sockets, states ---- */

/* A new connection's state (inet_lock held); NULL without memory. */
struct tcp_sock *tcp_sock_new(void);
/* Change state, with what the change implies (wakes, the timers, reaping an orphan). */
void tcp_set_state(struct tcp_sock *tsk, enum tcp_state st);
/* The connection is over (inet_lock held): CLOSE, done, waiters woken; err (positive) to SO_ERROR. */
void tcp_done(struct tcp_sock *tsk, int err);
void tcp_wake(struct tcp_sock *tsk);
/* A child of a listener is established: move it to the accept queue (false: full). */
bool tcp_child_established(struct tcp_sock *child);
/* Room for the receive ring (allocated on establishment): 0, -ENOMEM. */
int tcp_alloc_rbuf(struct tcp_sock *tsk);
/* The window we can offer now, in bytes. */
uint32_t tcp_rcv_space(const struct tcp_sock *tsk);

extern const struct proto_ops tcp_ops;
/* Queue our FIN (ESTABLISHED, SYN_RECV: FIN_WAIT1; CLOSE_WAIT: LAST_ACK) and push it. */
void tcp_send_fin(struct tcp_sock *tsk);
/* A listener stops: its pending connections are reset, it is CLOSE. */
void tcp_abort_listener(struct tcp_sock *l);

/* ---- tcp_io.c: data, poll, shutdown, ioctl ---- */

ssize_t tcp_sendmsg(struct socket *s, struct sock_msg *m);
ssize_t tcp_recvmsg(struct socket *s, struct sock_msg *m);
int tcp_shutdown(struct socket *s, int how);
unsigned int tcp_poll(struct socket *s);
uint64_t tcp_poll_seq(struct socket *s, unsigned int events);
long tcp_ioctl(struct socket *s, unsigned int cmd, uint64_t arg);

/* ---- tcp_output.c ---- */

/* The MSS to announce for traffic to daddr (its route's MTU less the headers). */
uint32_t tcp_route_mss(uint32_t daddr);
void tcp_sync_mss(struct tcp_sock *tsk);
int tcp_send_syn(struct tcp_sock *tsk);
void tcp_send_ack(struct tcp_sock *tsk);
void tcp_send_rst(struct tcp_sock *tsk);
void tcp_send_keepalive(struct tcp_sock *tsk);
/* Send what the window, Nagle and TCP_CORK allow (force: the last partial segment too). */
void tcp_push(struct tcp_sock *tsk, bool force);
/* Resend the first unacknowledged segment (SYN, SYN-ACK, data or FIN). */
void tcp_retransmit_head(struct tcp_sock *tsk);
/* Answer a segment no connection takes with a RST (RFC 9293 3.10.7.1). */
void tcp_send_reset_reply(const struct ip_info *ip, const uint8_t *th, uint32_t seglen);
/* Copy n bytes of the send ring at offset off (from snd_una) to dst. */
void tcp_sring_copy(const struct tcp_sock *tsk, uint32_t off, uint8_t *dst, uint32_t n);

/* ---- tcp_input.c: tcp_rcv, tcp_err (ipv4.h) ---- */

/* ---- tcp_timer.c ---- */

/* Arm a timer field of tsk for ns from now, telling the timer task. */
void tcp_arm(struct tcp_sock *tsk, uint64_t *field, uint64_t ns);
void tcp_arm_rto(struct tcp_sock *tsk);
/* An RTT sample, in microseconds (RFC 6298 2.2, 2.3). */
void tcp_rtt_sample(struct tcp_sock *tsk, uint32_t us);
/* Restart the keepalive clock after traffic. */
void tcp_keepalive_reset(struct tcp_sock *tsk);
/* Free the connections that are done now, in the caller (for ktests). */
void tcp_reap_now(void);

/* ---- tcp_opt.c ---- */

int tcp_setsockopt(struct socket *s, int level, int name, uaddr_t val, uint32_t len);
int tcp_getsockopt(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp);

#endif
