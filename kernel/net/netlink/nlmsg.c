// SPDX-License-Identifier: MPL-2.0
// Netlink messages: building them (headers and attributes, 4-byte
// aligned, as Linux's nlmsg_put and nla_put), parsing a request's
// attributes against a policy (Linux's deprecated, lenient nla_parse), and
// delivering datagrams to sockets with Linux's receive-buffer rule: a
// socket takes a datagram while what it holds is at most SO_RCVBUF; past
// that the datagram is dropped and the socket told ENOBUFS once
// (netlink_overrun), and it drops everything until its queue empties.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/file.h"
#include "net/netlink/netlink.h"

struct mutex nl_lock = MUTEX_INIT;
struct list_node nl_socks = { &nl_socks, &nl_socks };

int nl_buf_init(struct nl_buf *b, uint32_t cap)
{
	b->data = kmalloc(cap ? cap : 1);
	b->len = 0;
	b->cap = cap;
	return b->data ? 0 : -ENOMEM;
}

void nl_buf_free(struct nl_buf *b)
{
	kfree(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* n more bytes (zeroed padding included) at the end: their offset, or -EMSGSIZE. */
static int buf_reserve(struct nl_buf *b, uint32_t n)
{
	uint32_t off = b->len;

	if (n > b->cap - b->len)
		return -EMSGSIZE;
	memset(b->data + off, 0, n);
	b->len += n;
	return (int)off;
}

int nlmsg_begin(struct nl_buf *b, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid,
		const void *fam, uint32_t famlen)
{
	struct linux_nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq,
				    .nlmsg_pid = pid };
	int off = buf_reserve(b, NLMSG_HDRLEN + NLMSG_ALIGN(famlen));

	if (off < 0)
		return off;
	memcpy(b->data + off, &h, sizeof(h));
	if (famlen)
		memcpy(b->data + off + NLMSG_HDRLEN, fam, famlen);
	return off;
}

void nlmsg_end(struct nl_buf *b, int off)
{
	uint32_t len = b->len - (uint32_t)off;

	memcpy(b->data + off, &len, sizeof(len));
}

void nlmsg_cancel(struct nl_buf *b, int off)
{
	b->len = (uint32_t)off;
}

int nla_put(struct nl_buf *b, uint16_t type, const void *data, uint32_t len)
{
	struct linux_nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };
	int off;

	if (len > 0xffff - NLA_HDRLEN)
		return -EMSGSIZE;
	off = buf_reserve(b, NLA_ALIGN(NLA_HDRLEN + len));
	if (off < 0)
		return off;
	memcpy(b->data + off, &a, sizeof(a));
	if (len)
		memcpy(b->data + off + NLA_HDRLEN, data, len);
	return 0;
}

int nla_put_u8(struct nl_buf *b, uint16_t type, uint8_t v)
{
	return nla_put(b, type, &v, 1);
}

int nla_put_u32(struct nl_buf *b, uint16_t type, uint32_t v)
{
	return nla_put(b, type, &v, 4);
}

int nla_put_str(struct nl_buf *b, uint16_t type, const char *s)
{
	return nla_put(b, type, s, (uint32_t)strlen(s) + 1);
}

int nla_put_in_addr(struct nl_buf *b, uint16_t type, uint32_t addr)
{
	return nla_put_u32(b, type, bswap32(addr));
}

/* ---- parsing ---- */

static int nla_check(const struct nla_policy *p, const uint8_t *data, uint32_t len)
{
	switch (p->kind) {
	case NLA_U8:
		return len < 1 ? -ERANGE : 0;
	case NLA_U16:
		return len < 2 ? -ERANGE : 0;
	case NLA_U32:
		return len < 4 ? -ERANGE : 0;
	case NLA_NESTED:
		return len && len < NLA_HDRLEN ? -ERANGE : 0;
	case NLA_STRING:
		if (len < 1)
			return -ERANGE;
		/* Linux's validate_nla: a trailing NUL does not count. */
		if (p->len && len - (data[len - 1] == 0) > p->len)
			return -ERANGE;
		return 0;
	case NLA_BINARY:
		return p->len && len > p->len ? -ERANGE : 0;
	default:
		return 0;
	}
}

int nl_parse(const uint8_t *msg, uint32_t msglen, uint32_t hdrlen, struct nl_attr *tb, int max,
	     const struct nla_policy *pol)
{
	uint32_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);

	for (int i = 0; i <= max; i++)
		tb[i] = (struct nl_attr){ NULL, 0 };
	if (msglen < NLMSG_HDRLEN + hdrlen)
		return -EINVAL;
	while (off + NLA_HDRLEN <= msglen) {
		struct linux_nlattr a;
		uint16_t type;
		int err;

		memcpy(&a, msg + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > msglen - off)
			break;		/* Linux stops at a malformed attribute */
		type = a.nla_type & NLA_TYPE_MASK;
		if (type && type <= max) {
			err = nla_check(&pol[type], msg + off + NLA_HDRLEN, a.nla_len - NLA_HDRLEN);
			if (err)
				return err;
			tb[type] = (struct nl_attr){ msg + off + NLA_HDRLEN, a.nla_len - NLA_HDRLEN };
		}
		off += NLA_ALIGN(a.nla_len);
	}
	return 0;
}

uint32_t nla_get_u32(const struct nl_attr *a)
{
	uint32_t v = 0;

	memcpy(&v, a->data, MIN(a->len, 4u));
	return v;
}

uint8_t nla_get_u8(const struct nl_attr *a)
{
	return a->len ? a->data[0] : 0;
}

uint32_t nla_get_in_addr(const struct nl_attr *a)
{
	return bswap32(nla_get_u32(a));
}

void nla_get_str(const struct nl_attr *a, char *out, size_t size)
{
	size_t n = MIN((size_t)a->len, size - 1);

	memcpy(out, a->data, n);
	out[n] = 0;
}

/* ---- delivery ---- */

void nl_wake(struct nl_sock *sk)
{
	sk->wseq++;
	wake_up_all(&sk->wq);
	poll_wake();
}

/* Linux's netlink_overrun. */
static void nl_overrun(struct nl_sock *sk)
{
	if (!(sk->flags & NLF_NO_ENOBUFS) && !sk->congested) {
		sk->congested = true;
		if (sk->sock)
			sk->sock->err = ENOBUFS;
		nl_wake(sk);
	}
	sk->drops++;
}

static bool nl_room(struct nl_sock *sk)
{
	return sk->sock && sk->rmem <= sk->sock->rcvbuf && !sk->congested;
}

int nl_deliver_buf(struct nl_sock *sk, struct nl_buf *b, uint32_t src_pid, uint32_t group)
{
	struct nl_skb *skb;

	if (!nl_room(sk)) {
		nl_overrun(sk);
		nl_buf_free(b);
		return -ENOBUFS;
	}
	skb = kzalloc(sizeof(*skb));
	if (!skb) {
		nl_buf_free(b);
		return -ENOMEM;
	}
	skb->data = b->data;
	skb->len = b->len;
	skb->src_pid = src_pid;
	skb->group = group;
	b->data = NULL;
	b->len = b->cap = 0;
	list_add_tail(&sk->rxq, &skb->node);
	sk->rmem += skb->len + NL_SKB_OVERHEAD;
	nl_wake(sk);
	return 0;
}

int nl_deliver(struct nl_sock *sk, const uint8_t *data, uint32_t len, uint32_t src_pid,
	       uint32_t group)
{
	struct nl_buf b;

	if (!nl_room(sk)) {
		nl_overrun(sk);
		return -ENOBUFS;
	}
	if (nl_buf_init(&b, len))
		return -ENOMEM;
	memcpy(b.data, data, len);
	b.len = len;
	return nl_deliver_buf(sk, &b, src_pid, group);
}

void nl_broadcast(const uint8_t *data, uint32_t len, uint32_t src_pid, uint32_t group,
		  uint32_t exclude_pid)
{
	struct nl_sock *sk;

	list_for_each_entry(sk, &nl_socks, all) {
		if (sk->portid == exclude_pid || !group || group > NL_NGROUPS ||
		    !(sk->groups & (1ULL << (group - 1))))
			continue;
		(void)nl_deliver(sk, data, len, src_pid, group);
	}
}

struct nl_sock *nl_lookup(uint32_t portid)
{
	struct nl_sock *sk;

	list_for_each_entry(sk, &nl_socks, all) {
		if (sk->bound && sk->portid == portid)
			return sk;
	}
	return NULL;
}

/*
 * Linux's netlink_ack: NLMSG_ERROR holding the error and the request's
 * header, and for an error the whole request too unless NETLINK_CAP_ACK;
 * NLM_F_CAPPED says when the request was cut to its header.
 */
void nl_ack(struct nl_sock *sk, const uint8_t *req, uint32_t reqlen, int err)
{
	bool capped = !err || (sk->flags & NLF_CAP_ACK);
	uint32_t copy = capped ? NLMSG_HDRLEN : reqlen;
	struct linux_nlmsghdr h;
	struct nl_buf b;
	int32_t e = err;
	int off;

	memcpy(&h, req, sizeof(h));
	if (nl_buf_init(&b, NLMSG_HDRLEN + 4 + NLMSG_ALIGN(copy))) {
		nl_overrun(sk);
		return;
	}
	off = nlmsg_begin(&b, NLMSG_ERROR, capped ? NLM_F_CAPPED : 0, h.nlmsg_seq,
			  sk->portid, &e, sizeof(e));
	memcpy(b.data + b.len, req, copy);
	/* A copied request keeps its own length field, as Linux's. */
	b.len += NLMSG_ALIGN(copy);
	memset(b.data + NLMSG_HDRLEN + 4 + copy, 0, NLMSG_ALIGN(copy) - copy);
	nlmsg_end(&b, off);
	(void)nl_deliver_buf(sk, &b, 0, 0);
}
