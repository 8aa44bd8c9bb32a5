// SPDX-License-Identifier: MPL-2.0
// Malformed netlink input is user input: random and mutated requests
// thrown at rtnetlink on a socket made in the kernel, the answers checked
// well formed (each message within its datagram, errors negative errnos)
// and read off as recvmsg would (dumps continued).  As a privileged
// socket only the requests that change nothing are sent (GETs, dumps,
// control and unknown types); as an unprivileged one everything, which
// must all be EPERM or answered without effect.  Under KASAN this checks
// every parser and builder for out-of-bounds accesses.  The socket and
// everything queued on it are freed before the test returns.
#include <aster/ktest.h>
#include <aster/string.h>
#include "net/net_internal.h"
#include "net/netlink/netlink.h"
#include "uapi/socket.h"

struct fuzz {
	uint64_t state;
	uint8_t buf[512];
};

static uint32_t fuzz_rnd(struct fuzz *z)
{
	z->state = z->state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(z->state >> 33);
}

/* Is every message of the datagram within it, and every error a negative errno. */
static bool well_formed(const struct nl_skb *skb)
{
	uint32_t off = 0;

	while (skb->len - off >= NLMSG_HDRLEN) {
		struct linux_nlmsghdr h;

		memcpy(&h, skb->data + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > skb->len - off)
			return false;
		if (h.nlmsg_type == NLMSG_ERROR) {
			int32_t e;

			if (h.nlmsg_len < NLMSG_HDRLEN + 4)
				return false;
			memcpy(&e, skb->data + off + NLMSG_HDRLEN, 4);
			if (e > 0 || e < -4095)
				return false;
		}
		off += NLMSG_ALIGN(h.nlmsg_len);
		if (off > skb->len)
			off = skb->len;
	}
	return off == skb->len;
}

/* Read everything queued, continuing dumps: how many datagrams were bad. */
static unsigned int drain(struct socket *s, struct nl_sock *sk, unsigned int *read)
{
	unsigned int bad = 0;

	mutex_lock(&nl_lock);
	while (!list_empty(&sk->rxq)) {
		struct nl_skb *skb = list_entry(sk->rxq.next, struct nl_skb, node);

		bad += !well_formed(skb);
		(*read)++;
		nl_dequeue(sk, skb);
		if (sk->dump.kind != NL_DUMP_NONE && sk->rmem <= s->rcvbuf / 2)
			(void)rtnl_dump_next(sk);
	}
	s->err = 0;
	mutex_unlock(&nl_lock);
	return bad;
}

static const uint16_t safe_types[] = {
	RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE, RTM_GETNEIGH, NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE,
	NLMSG_OVERRUN, 15, 0x7d, 0x7f, 200, 0xffff,
};

/* One random datagram into z->buf: its length.  any: the type may be any. */
static uint32_t fuzz_msg(struct fuzz *z, bool any)
{
	uint32_t len = fuzz_rnd(z) % sizeof(z->buf), nmsg = 1 + fuzz_rnd(z) % 3, off = 0;

	for (uint32_t i = 0; i < len; i++)
		z->buf[i] = (uint8_t)fuzz_rnd(z);
	/* Plausible headers: a length within the datagram, a chosen type. */
	for (uint32_t m = 0; m < nmsg && off + NLMSG_HDRLEN <= len; m++) {
		struct linux_nlmsghdr h;
		uint32_t left = len - off;

		memcpy(&h, z->buf + off, sizeof(h));
		h.nlmsg_len = NLMSG_HDRLEN + fuzz_rnd(z) % (left - NLMSG_HDRLEN + 1);
		if (fuzz_rnd(z) % 8 == 0)
			h.nlmsg_len = fuzz_rnd(z);
		h.nlmsg_type = any ? (uint16_t)(fuzz_rnd(z) % (RTM_MAX + 8)) :
				     safe_types[fuzz_rnd(z) % ARRAY_SIZE(safe_types)];
		h.nlmsg_flags |= NLM_F_REQUEST;
		memcpy(z->buf + off, &h, sizeof(h));
		off += NLMSG_ALIGN(MIN(h.nlmsg_len, left));
	}
	return len;
}

KTEST(netlink_random_and_mutated_requests)
{
	struct fuzz z = { .state = 0x5eed };
	unsigned int bad = 0, read = 0;
	struct socket *s;
	struct nl_sock *sk;

	KT_ASSERT(socket_create(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, &s) == 0);
	sk = s->sk;
	mutex_lock(&nl_lock);
	sk->portid = 0x7ffffff0;
	sk->bound = true;
	mutex_unlock(&nl_lock);
	for (int i = 0; i < 3000; i++) {
		/* The unprivileged half may send anything: what changes state is EPERM. */
		bool any = i % 2;
		uint32_t len = fuzz_msg(&z, any);

		sk->admin = !any;
		if (i % 5 == 0)
			sk->flags ^= NLF_STRICT_CHK;
		rtnl_input(sk, z.buf, len);
		bad += drain(s, sk, &read);
	}
	KT_EXPECT(bad == 0);
	KT_EXPECT(read > 1000);
	socket_destroy(s);
}
