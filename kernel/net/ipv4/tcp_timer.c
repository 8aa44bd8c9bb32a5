// SPDX-License-Identifier: MPL-2.0
// TCP timers: one kernel task, "tcptimer", sleeps until the earliest
// deadline of any connection (or until tcp_arm sets an earlier one), then
// runs what expired under inet_lock: retransmission (RFC 6298, with
// exponential backoff, giving up with ETIMEDOUT), zero-window probes,
// delayed ACKs, keepalive (RFC 1122 4.2.3.6), TIME_WAIT and the FIN_WAIT2
// timeout of orphans, and frees orphans that reached CLOSE.  Timer
// callbacks of <aster/timer.h> run in softirq context and may not take
// inet_lock, a mutex: hence the task.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/task.h>
#include "net/ipv4/tcp.h"

static struct wait_queue tcp_timer_wq = WAIT_QUEUE_INIT;
static uint64_t tcp_timer_next;		/* the task's next wake-up (0: none), under inet_lock */
static bool tcp_timer_kicked;

void tcp_arm(struct tcp_sock *tsk, uint64_t *field, uint64_t ns)
{
	uint64_t at = clock_monotonic_ns() + ns;

	(void)tsk;
	*field = at;
	if (!tcp_timer_next || at < tcp_timer_next) {
		tcp_timer_next = at;
		tcp_timer_kicked = true;
		wake_up_all(&tcp_timer_wq);
	}
}

void tcp_arm_rto(struct tcp_sock *tsk)
{
	uint64_t ns = (uint64_t)tsk->rto_us * NSEC_PER_USEC;

	for (uint32_t i = 0; i < tsk->backoff && ns < (uint64_t)TCP_RTO_MAX_US * NSEC_PER_USEC; i++)
		ns *= 2;
	ns = MIN(ns, (uint64_t)TCP_RTO_MAX_US * NSEC_PER_USEC);
	tcp_arm(tsk, &tsk->rto_at, ns);
}

void tcp_rtt_sample(struct tcp_sock *tsk, uint32_t us)
{
	uint32_t rto;

	if (!us)
		us = 1;
	if (!tsk->srtt_us) {
		tsk->srtt_us = us;
		tsk->rttvar_us = us / 2;
	} else {
		uint32_t d = tsk->srtt_us > us ? tsk->srtt_us - us : us - tsk->srtt_us;

		tsk->rttvar_us = tsk->rttvar_us - tsk->rttvar_us / 4 + d / 4;
		tsk->srtt_us = tsk->srtt_us - tsk->srtt_us / 8 + us / 8;
	}
	/* RTO = SRTT + max(G, 4 RTTVAR), G the 10 ms clock granularity. */
	rto = tsk->srtt_us + MAX(10000U, 4 * tsk->rttvar_us);
	tsk->rto_us = MIN(MAX(rto, TCP_RTO_MIN_US), TCP_RTO_MAX_US);
}

void tcp_keepalive_reset(struct tcp_sock *tsk)
{
	struct socket *s = tsk->inet.sock;

	tsk->keep_probes = 0;
	if (s && s->keepalive && (tsk->state == TCP_ESTABLISHED || tsk->state == TCP_CLOSE_WAIT))
		tcp_arm(tsk, &tsk->keep_at, (uint64_t)tsk->keepidle * NSEC_PER_SEC);
	else
		tsk->keep_at = 0;
}

/* A child that never completed its handshake. */
static void tcp_drop_embryo(struct tcp_sock *tsk)
{
	if (tsk->parent) {
		list_del(&tsk->qnode);
		tsk->parent->synq_len--;
		tsk->parent = NULL;
	}
	tcp_done(tsk, 0);
}

static void tcp_rto_expired(struct tcp_sock *tsk)
{
	uint32_t limit = TCP_RETRIES2;

	tsk->rto_at = 0;
	if (tsk->state == TCP_SYN_SENT)
		limit = (uint32_t)tsk->syncnt;
	else if (tsk->state == TCP_SYN_RECV)
		limit = TCP_SYNACK_RETRIES;
	if (tsk->snd_una == tsk->snd_max && tsk->state != TCP_SYN_SENT && tsk->state != TCP_SYN_RECV) {
		/* Nothing in flight: the persist timer of a zero window (RFC 9293 3.8.6.1). */
		if (tsk->slen && !tsk->snd_wnd) {
			tsk->snd_wnd = 1;
			tcp_push(tsk, true);
			tsk->snd_wnd = 0;
			tsk->backoff = MIN(tsk->backoff + 1, 16U);
			tcp_arm_rto(tsk);
		}
		return;
	}
	if (tsk->retries >= limit) {
		if (tsk->state == TCP_SYN_RECV) {
			tcp_drop_embryo(tsk);
			return;
		}
		tcp_done(tsk, ETIMEDOUT);
		return;
	}
	tsk->retries++;
	tsk->backoff++;
	if (tsk->state != TCP_SYN_SENT && tsk->state != TCP_SYN_RECV) {
		/* RFC 5681 3.1: after a timeout, one segment, and slow start again. */
		uint32_t flight = tsk->snd_max - tsk->snd_una;

		tsk->ssthresh = MAX(flight / 2, 2 * tsk->mss);
		tsk->cwnd = tsk->mss;
		tsk->in_recovery = false;
		tsk->dupacks = 0;
		tsk->recover = tsk->snd_max;
		/* Go back N: what followed the lost segment goes again as the window opens. */
		tsk->snd_nxt = tsk->snd_una;
	}
	tcp_retransmit_head(tsk);
	if (tsk->state != TCP_SYN_SENT && tsk->state != TCP_SYN_RECV) {
		uint32_t len = MIN(tsk->slen, tsk->mss);

		tsk->snd_nxt = tsk->snd_una + (len ? len : 1);
		if (seq_gt(tsk->snd_nxt, tsk->snd_max))
			tsk->snd_max = tsk->snd_nxt;
	}
	tcp_arm_rto(tsk);
}

static void tcp_keepalive_expired(struct tcp_sock *tsk)
{
	struct socket *s = tsk->inet.sock;

	tsk->keep_at = 0;
	if (!s || !s->keepalive || (tsk->state != TCP_ESTABLISHED && tsk->state != TCP_CLOSE_WAIT))
		return;
	if (tsk->keep_probes >= (uint32_t)tsk->keepcnt) {
		tcp_send_rst(tsk);
		tcp_done(tsk, ETIMEDOUT);
		return;
	}
	tsk->keep_probes++;
	tcp_send_keepalive(tsk);
	tcp_arm(tsk, &tsk->keep_at, (uint64_t)tsk->keepintvl * NSEC_PER_SEC);
}

/* Run tsk's expired timers at now (inet_lock held). */
static void tcp_run_timers(struct tcp_sock *tsk, uint64_t now)
{
	if (tsk->tw_at && tsk->tw_at <= now) {
		tsk->tw_at = 0;
		if (tsk->state == TCP_TIME_WAIT || tsk->state == TCP_FIN_WAIT2) {
			tcp_done(tsk, 0);
			return;
		}
	}
	if (tsk->dack_at && tsk->dack_at <= now) {
		tsk->dack_at = 0;
		if (tsk->rcv_acked != tsk->rcv_nxt)
			tcp_send_ack(tsk);
	}
	if (tsk->rto_at && tsk->rto_at <= now)
		tcp_rto_expired(tsk);
	if (tsk->keep_at && tsk->keep_at <= now)
		tcp_keepalive_expired(tsk);
}

static void tcp_free(struct tcp_sock *tsk)
{
	list_del(&tsk->inet.all);
	kfree(tsk->sbuf);
	kfree(tsk->rbuf);
	kfree(tsk);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return MIN(a, b);
}

/* One pass over every connection (inet_lock held): the next deadline, 0 for none. */
static uint64_t tcp_timer_pass(uint64_t now)
{
	struct tcp_sock *tsk, *tmp;
	uint64_t next = 0;

	list_for_each_entry_safe(tsk, tmp, &tcp_socks, inet.all) {
		if (!tsk->reap)
			tcp_run_timers(tsk, now);
		if (tsk->reap) {
			tcp_free(tsk);
			continue;
		}
		next = earliest(next, earliest(earliest(tsk->rto_at, tsk->dack_at),
					       earliest(tsk->keep_at, tsk->tw_at)));
	}
	return next;
}

/*
 * Run a timer pass now in the caller, so connections already done are
 * freed before it returns rather than at the timer task's next wake-up.
 * ktests call it so that what they made is gone when the next test counts
 * free frames.
 */
void tcp_reap_now(void)
{
	mutex_lock(&inet_lock);
	(void)tcp_timer_pass(clock_monotonic_ns());
	mutex_unlock(&inet_lock);
}

static bool tcp_timer_cond(void *arg)
{
	(void)arg;
	return tcp_timer_kicked;
}

static void tcp_timer_main(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t now = clock_monotonic_ns(), next, wait = 0;

		mutex_lock(&inet_lock);
		tcp_timer_kicked = false;
		next = tcp_timer_pass(now);
		tcp_timer_next = next;
		mutex_unlock(&inet_lock);
		if (next) {
			now = clock_monotonic_ns();
			if (next <= now)
				continue;
			wait = next - now;
		}
		(void)wait_event_timeout(&tcp_timer_wq, tcp_timer_cond, NULL, wait);
	}
}

static int tcp_timer_init(void)
{
	return task_create("tcptimer", tcp_timer_main, NULL) ? 0 : -ENOMEM;
}
KERNEL_INIT(tcp_timer_init);
