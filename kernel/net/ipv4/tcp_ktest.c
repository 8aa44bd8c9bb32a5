// SPDX-License-Identifier: MPL-2.0
// ktests of TCP input on a fake Ethernet device (ktest boots only): a
// SYN flood stays within the listener's SYN queue, a handshake fed by
// hand ends in the accept queue, and thousands of malformed segments
// (cut short, bad data offsets, flipped header bytes, bad checksums) and
// random well-formed ones (any flags, sequence and acknowledgment
// numbers, payload) are dropped or answered without harm, after which the
// listener still answers a SYN.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "fs/random.h"
#include "net/ipv4/tcp.h"

#define KT_ADDR	0x0a090801	/* 10.9.8.1/24, ours */
#define KT_PEER	0x0a090802
#define KT_PORT	7777

static unsigned int kt_synacks, kt_rsts;
static uint32_t kt_last_iss;

static int kt_xmit(struct net_device *dev, struct pkt *p)
{
	const uint8_t *d = pkt_data(p), *t = d + ETH_HLEN + IP_HLEN;

	(void)dev;
	if (p->len >= ETH_HLEN + IP_HLEN + TCP_HLEN && get_be16(d + 12) == ETH_P_IP &&
	    d[ETH_HLEN + 9] == IPPROTO_TCP) {
		if ((t[13] & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
			kt_synacks++;
			kt_last_iss = get_be32(t + 4);
		}
		if (t[13] & TCP_RST)
			kt_rsts++;
	}
	pkt_free(p);
	return 0;
}

static const struct net_device_ops kt_ops = { .xmit = kt_xmit };
static struct net_device kt_dev = {
	.name = "ktest1", .type = ARPHRD_ETHER, .mtu = 1500, .min_mtu = 68, .max_mtu = 1500,
	.flags = IFF_BROADCAST, .mac = { 0x02, 0, 0, 0, 1, 1 }, .addr = KT_ADDR,
	.netmask = 0xffffff00, .broadcast = 0x0a0908ff, .ops = &kt_ops,
};
static const uint8_t peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 1, 2 };

static void kt_feed(uint16_t proto, const uint8_t *body, uint32_t len)
{
	struct pkt *p = pkt_alloc(0, ETH_HLEN + len);
	uint8_t *d;

	if (!p)
		return;
	d = pkt_data(p);
	memcpy(d, kt_dev.mac, ETH_ALEN);
	memcpy(d + ETH_ALEN, peer_mac, ETH_ALEN);
	put_be16(d + 12, proto);
	memcpy(d + ETH_HLEN, body, len);
	p->dev = &kt_dev;
	netdev_input(p);
}

/* The peer announces itself (an ARP request to us), so our answers need no resolution. */
static int kt_setup(void)
{
	uint8_t a[28];
	int err = kt_dev.index ? 0 : netdev_register(&kt_dev);

	if (err)
		return err;
	netdev_set_up(&kt_dev, true);
	memset(a, 0, sizeof(a));
	put_be16(a, ARPHRD_ETHER);
	put_be16(a + 2, ETH_P_IP);
	a[4] = ETH_ALEN;
	a[5] = 4;
	put_be16(a + 6, ARPOP_REQUEST);
	memcpy(a + 8, peer_mac, ETH_ALEN);
	put_be32(a + 14, KT_PEER);
	put_be32(a + 24, KT_ADDR);
	kt_feed(ETH_P_ARP, a, sizeof(a));
	return 0;
}

/* An IPv4 packet from the peer carrying a TCP segment: its length. */
static uint32_t kt_segment(uint8_t *b, uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags,
			   const uint8_t *data, uint32_t dlen)
{
	uint8_t *t = b + IP_HLEN;
	uint32_t tlen = TCP_HLEN + 4 + dlen;

	memset(b, 0, IP_HLEN + tlen);
	b[0] = 0x45;
	put_be16(b + 2, (uint16_t)(IP_HLEN + tlen));
	b[8] = 64;
	b[9] = IPPROTO_TCP;
	put_be32(b + 12, KT_PEER);
	put_be32(b + 16, KT_ADDR);
	put_be16(b + 10, inet_csum(b, IP_HLEN, 0));
	put_be16(t, sport);
	put_be16(t + 2, KT_PORT);
	put_be32(t + 4, seq);
	put_be32(t + 8, ack);
	t[12] = (TCP_HLEN + 4) / 4 << 4;
	t[13] = flags;
	put_be16(t + 14, 65535);
	t[20] = 2;		/* MSS 1460 */
	t[21] = 4;
	put_be16(t + 22, 1460);
	if (dlen)
		memcpy(t + TCP_HLEN + 4, data, dlen);
	put_be16(t + 16, inet_csum(t, tlen, inet_pseudo_sum(KT_PEER, KT_ADDR, IPPROTO_TCP, tlen)));
	return IP_HLEN + tlen;
}

/* A listener on KT_ADDR:KT_PORT, made as socket()+bind()+listen() would. */
static struct socket *kt_listener(int backlog)
{
	struct socket *s = kzalloc(sizeof(*s));
	struct sock_addr a;

	if (!s)
		return NULL;
	s->family = AF_INET;
	s->type = SOCK_STREAM;
	s->sndbuf = s->rcvbuf = SOCK_DEFAULT_BUF;
	s->reuseaddr = true;
	if (tcp_create(s)) {
		kfree(s);
		return NULL;
	}
	inet_make_addr(&a, KT_ADDR, KT_PORT);
	if (s->ops->bind(s, &a) || s->ops->listen(s, backlog)) {
		s->ops->release(s);
		kfree(s);
		return NULL;
	}
	return s;
}

/* Close the listener and free its connections now: the next ktest counts frames. */
static void kt_close(struct socket *s)
{
	s->ops->release(s);
	kfree(s);
	tcp_reap_now();
}

KTEST(tcp_syn_flood_stays_in_the_syn_queue)
{
	static uint8_t b[128];
	uint64_t drops = tcp_mib.syn_drops;
	struct socket *s;
	struct tcp_sock *l;

	KT_ASSERT_EQ(kt_setup(), 0);
	s = kt_listener(4);
	KT_ASSERT(s != NULL);
	l = tcp_sk(s);
	for (uint32_t i = 0; i < 1000; i++)
		kt_feed(ETH_P_IP, b, kt_segment(b, (uint16_t)(10000 + i), i * 7919, 0, TCP_SYN, NULL, 0));
	/* max(backlog + 1, 8) * 2 embryos at most; the rest dropped. */
	KT_EXPECT(l->synq_len <= 16);
	KT_EXPECT(tcp_mib.syn_drops >= drops + 900);
	KT_EXPECT(kt_synacks >= 10);
	kt_close(s);
}

KTEST(tcp_handshake_then_malformed_and_random_segments)
{
	static uint8_t b[256], g[256];
	uint64_t errs = tcp_mib.in_errs, csum = tcp_mib.in_csum_errors;
	uint32_t glen, iss, synacks;
	struct socket *s;
	struct tcp_sock *l;

	KT_ASSERT_EQ(kt_setup(), 0);
	s = kt_listener(4);
	KT_ASSERT(s != NULL);
	l = tcp_sk(s);
	/* A handshake by hand: SYN, our SYN-ACK, the ACK. */
	synacks = kt_synacks;
	kt_feed(ETH_P_IP, b, kt_segment(b, 20000, 1000, 0, TCP_SYN, NULL, 0));
	KT_ASSERT(kt_synacks == synacks + 1);
	iss = kt_last_iss;
	kt_feed(ETH_P_IP, b, kt_segment(b, 20000, 1001, iss + 1, TCP_ACK, NULL, 0));
	KT_EXPECT(l->acceptq_len == 1);
	kt_feed(ETH_P_IP, b, kt_segment(b, 20000, 1001, iss + 1, TCP_ACK | TCP_PSH,
					(const uint8_t *)"hello", 5));
	if (!list_empty(&l->acceptq)) {
		struct tcp_sock *c = list_entry(l->acceptq.next, struct tcp_sock, qnode);

		KT_EXPECT(c->state == TCP_ESTABLISHED);
		KT_EXPECT(c->rlen == 5);
	}

	/* Malformed: cut short, flipped bytes in the TCP header (offset, flags...), bad sums. */
	glen = kt_segment(g, 20001, 5000, 0, TCP_SYN, NULL, 0);
	for (int i = 0; i < 3000; i++) {
		uint8_t r[8];
		uint32_t len = glen;

		get_random_bytes(r, sizeof(r));
		memcpy(b, g, glen);
		if (r[0] & 1)
			len = IP_HLEN + r[1] % (glen - IP_HLEN + 1);
		for (int j = 0; j < 1 + (r[2] & 3); j++)
			b[IP_HLEN + r[3 + j] % (TCP_HLEN + 4)] ^= r[7] ? r[7] : 0xff;
		put_be16(b + 2, (uint16_t)len);
		put_be16(b + 10, 0);
		put_be16(b + 10, inet_csum(b, IP_HLEN, 0));
		kt_feed(ETH_P_IP, b, len);
	}
	KT_EXPECT(tcp_mib.in_errs > errs);
	KT_EXPECT(tcp_mib.in_csum_errors > csum);

	/* Well-formed but random: any flags, numbers and payload, to the connection and around it. */
	for (int i = 0; i < 3000; i++) {
		uint8_t r[16];
		uint32_t seq, ack;

		get_random_bytes(r, sizeof(r));
		seq = (r[0] & 1) ? get_be32(r + 4) : 1006 + (uint32_t)(r[1] % 64) - 32;
		ack = (r[2] & 1) ? get_be32(r + 8) : iss + 1 + (uint32_t)(r[3] % 8) - 4;
		kt_feed(ETH_P_IP, b, kt_segment(b, (uint16_t)(20000 + (r[12] & 3)), seq, ack,
						r[13] & 0x3f, r, r[14] % 16));
	}

	/* Still a listener that answers. */
	synacks = kt_synacks;
	kt_feed(ETH_P_IP, b, kt_segment(b, 30000, 77, 0, TCP_SYN, NULL, 0));
	KT_EXPECT(kt_synacks == synacks + 1);
	KT_EXPECT(l->state == TCP_LISTEN);
	kt_close(s);
}
