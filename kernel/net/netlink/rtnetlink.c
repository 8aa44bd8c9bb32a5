// SPDX-License-Identifier: MPL-2.0
// NETLINK_ROUTE's input and its dumps, as Linux's netlink_rcv_skb and
// rtnetlink_rcv_msg: each request of a datagram in turn (a header shorter
// than 16 bytes or longer than what is left ends the datagram, silently);
// what is no request or a control message is only acknowledged; a type
// past RTM_MAX or without a handler is EOPNOTSUPP; a payload under one
// byte is ignored; what changes state needs CAP_NET_ADMIN (EPERM); a
// request with NLM_F_DUMP starts a dump (EBUSY while one runs), answered in
// batches of NLM_F_MULTI messages and an NLMSG_DONE, and never
// acknowledged; the others are answered by an NLMSG_ERROR when they fail
// or asked for NLM_F_ACK.  Notifications go to the groups' members.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "net/netlink/netlink.h"
#include "uapi/socket.h"

uint32_t rtnl_stamp(void)
{
	return (uint32_t)(clock_monotonic_ns() / (NSEC_PER_SEC / 100));
}

/* The dump's next batch into b: true when its entries are all shown. */
static bool dump_fill(struct nl_buf *b, struct nl_dump *d)
{
	switch (d->kind) {
	case NL_DUMP_LINK:
		return rtnl_link_dump(b, d);
	case NL_DUMP_ADDR:
		return rtnl_addr_dump(b, d);
	case NL_DUMP_ROUTE:
		return rtnl_route_dump(b, d);
	case NL_DUMP_NEIGH:
		return rtnl_neigh_dump(b, d);
	default:
		return true;
	}
}

/* Linux's netlink_dump: one datagram of entries, NLMSG_DONE in it when they end and it fits. */
int rtnl_dump_next(struct nl_sock *sk)
{
	struct nl_dump *d = &sk->dump;
	uint32_t size = MAX((uint32_t)NL_GOODSIZE, sk->max_recvmsg_len);
	struct nl_buf b;
	int32_t done = d->done_errno;

	if (d->kind == NL_DUMP_NONE)
		return 0;
	/* No batch while the queue is full or overrun: its entries would be lost. */
	if (!sk->sock || sk->rmem >= sk->sock->rcvbuf || sk->congested)
		return -ENOBUFS;
	if (nl_buf_init(&b, MIN(size, (uint32_t)NL_MAX_BATCH)))
		return -ENOMEM;
	if (!d->entries_done)
		d->entries_done = dump_fill(&b, d);
	if (d->entries_done) {
		int off = nlmsg_begin(&b, NLMSG_DONE, NLM_F_MULTI, d->seq, d->pid, &done, sizeof(done));

		if (off >= 0) {
			nlmsg_end(&b, off);
			d->kind = NL_DUMP_NONE;
		}
	}
	return nl_deliver_buf(sk, &b, 0, 0);
}

/* Start a dump for the request r (Linux's netlink_dump_start): 0 or -errno. */
static int dump_start(const struct rtnl_req *r, enum nl_dump_kind kind)
{
	struct nl_sock *sk = r->sk;
	struct nl_dump d = { .kind = kind, .seq = r->seq, .pid = sk->portid };
	int err = 0;

	/* Linux checks a dump's request in its first batch: a bad one is told in NLMSG_DONE. */
	if (kind == NL_DUMP_LINK)
		d.done_errno = rtnl_link_dump_check(r, &d);
	else if (kind == NL_DUMP_ADDR)
		d.done_errno = rtnl_addr_dump_check(r, &d);
	d.entries_done = d.done_errno != 0;
	mutex_lock(&nl_lock);
	if (sk->dump.kind != NL_DUMP_NONE) {
		err = -EBUSY;
	} else {
		sk->dump = d;
		err = rtnl_dump_next(sk);
		if (err)
			sk->dump.kind = NL_DUMP_NONE;
	}
	mutex_unlock(&nl_lock);
	return err;
}

/* Is the request kind a GET (Linux's rtnl_msgtype_kind: type & 3 == 2). */
static bool is_get(uint16_t type)
{
	return ((type - RTM_BASE) & 3) == 2;
}

static enum nl_dump_kind dump_kind(uint16_t type)
{
	switch (type) {
	case RTM_GETLINK:
		return NL_DUMP_LINK;
	case RTM_GETADDR:
		return NL_DUMP_ADDR;
	case RTM_GETROUTE:
		return NL_DUMP_ROUTE;
	case RTM_GETNEIGH:
		return NL_DUMP_NEIGH;
	default:
		return NL_DUMP_NONE;
	}
}

/*
 * The handler of a request that is no dump.  Linux registers the link
 * handlers for AF_UNSPEC (any family finds them) and the address and route
 * ones for AF_INET: another family has none (EOPNOTSUPP).
 */
static int doit(const struct rtnl_req *r, uint8_t family)
{
	switch (r->type) {
	case RTM_GETLINK:
		return rtnl_getlink(r);
	case RTM_NEWLINK:
		return rtnl_newlink(r);
	case RTM_SETLINK:
		return rtnl_setlink(r);
	case RTM_DELLINK:
		return rtnl_dellink(r);
	}
	if (family != AF_INET)
		return -EOPNOTSUPP;
	switch (r->type) {
	case RTM_NEWADDR:
		return rtnl_newaddr(r);
	case RTM_DELADDR:
		return rtnl_deladdr(r);
	case RTM_NEWROUTE:
		return rtnl_newroute(r);
	case RTM_DELROUTE:
		return rtnl_delroute(r);
	case RTM_GETROUTE:
		return rtnl_getroute(r);
	default:
		return -EOPNOTSUPP;
	}
}

/* Linux's rtnetlink_rcv_msg: 0 or -errno, or 1 for "answered already" (a dump). */
static int rtnl_rcv_msg(struct nl_sock *sk, const uint8_t *msg, uint32_t len)
{
	struct linux_nlmsghdr h;
	struct rtnl_req r;
	enum nl_dump_kind kind;
	int err;

	memcpy(&h, msg, sizeof(h));
	if (h.nlmsg_type > RTM_MAX)
		return -EOPNOTSUPP;
	if (len < NLMSG_HDRLEN + 1)
		return 0;
	if (!is_get(h.nlmsg_type) && !(sk->admin && nl_capable()))
		return -EPERM;
	r = (struct rtnl_req){ sk, msg, len, h.nlmsg_type, h.nlmsg_flags, h.nlmsg_seq };
	if (is_get(h.nlmsg_type) && (h.nlmsg_flags & NLM_F_DUMP)) {
		kind = dump_kind(h.nlmsg_type);
		if (kind == NL_DUMP_NONE)
			return -EOPNOTSUPP;
		err = dump_start(&r, kind);
		return err ? err : 1;
	}
	return doit(&r, msg[NLMSG_HDRLEN]);
}

void rtnl_input(struct nl_sock *sk, const uint8_t *data, uint32_t len)
{
	uint32_t off = 0;

	while (len - off >= NLMSG_HDRLEN) {
		struct linux_nlmsghdr h;
		uint32_t step;
		int err = 0;

		memcpy(&h, data + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			return;
		/* Only requests are handled; control messages are only acknowledged. */
		if ((h.nlmsg_flags & NLM_F_REQUEST) && h.nlmsg_type >= NLMSG_MIN_TYPE)
			err = rtnl_rcv_msg(sk, data + off, h.nlmsg_len);
		if (err != 1 && (err || (h.nlmsg_flags & NLM_F_ACK))) {
			mutex_lock(&nl_lock);
			nl_ack(sk, data + off, h.nlmsg_len, err);
			mutex_unlock(&nl_lock);
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step > len - off)
			step = len - off;
		off += step;
	}
}

void rtnl_send_notify(struct nl_buf *b, uint32_t group, const struct rtnl_origin *o)
{
	bool echo = o && (o->flags & NLM_F_ECHO);
	struct nl_sock *req;

	mutex_lock(&nl_lock);
	nl_broadcast(b->data, b->len, 0, group, echo ? o->pid : 0);
	req = echo ? nl_lookup(o->pid) : NULL;
	if (req)
		(void)nl_deliver(req, b->data, b->len, 0, 0);
	mutex_unlock(&nl_lock);
	nl_buf_free(b);
}

/* A notification's buffer (Linux's nlmsg_new of the message's size), or false. */
static bool notify_buf(struct nl_buf *b)
{
	return nl_buf_init(b, 1024) == 0;
}

void rtnl_notify_link(struct net_device *dev, uint32_t change)
{
	struct nl_buf b;

	if (!notify_buf(&b))
		return;
	if (rtnl_fill_link(&b, dev, RTM_NEWLINK, 0, 0, 0, change)) {
		nl_buf_free(&b);
		return;
	}
	rtnl_send_notify(&b, RTNLGRP_LINK, NULL);
}

void rtnl_notify_addr(uint16_t event, const struct rtnl_addr *a, const struct rtnl_origin *o)
{
	struct nl_buf b;

	if (!notify_buf(&b))
		return;
	if (rtnl_fill_addr(&b, a, event, o ? o->pid : 0, o ? o->seq : 0, 0)) {
		nl_buf_free(&b);
		return;
	}
	rtnl_send_notify(&b, RTNLGRP_IPV4_IFADDR, o);
}

void rtnl_notify_route(uint16_t event, const struct route_info *ri, const struct rtnl_origin *o)
{
	uint16_t flags = o ? o->flags & (NLM_F_CREATE | NLM_F_EXCL | NLM_F_REPLACE | NLM_F_APPEND) : 0;
	struct nl_buf b;

	if (!notify_buf(&b))
		return;
	if (event == RTM_DELROUTE)
		flags = 0;
	if (rtnl_fill_route(&b, ri, event, o ? o->pid : 0, o ? o->seq : 0, flags)) {
		nl_buf_free(&b);
		return;
	}
	rtnl_send_notify(&b, RTNLGRP_IPV4_ROUTE, o);
}
