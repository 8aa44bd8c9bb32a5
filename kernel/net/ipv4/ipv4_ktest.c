// SPDX-License-Identifier: MPL-2.0
// ktests of the IPv4 input path on a fake Ethernet device (ktest boots
// only): ARP answers and learns, an echo request is answered once the
// neighbour is known, and thousands of truncated and mutated frames
// (bad lengths, header lengths, checksums, ARP fields) are dropped and
// counted without harm; fragments are reassembled in any order, an
// overlap drops its datagram, and datagrams that never complete stay
// bounded.
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "fs/random.h"
#include "net/ipv4/ipv4.h"

#define KT_ADDR	0x0a090901	/* 10.9.9.1/24, ours */
#define KT_PEER	0x0a090902

static unsigned int kt_arp_replies, kt_echo_replies, kt_frames;

static int kt_xmit(struct net_device *dev, struct pkt *p)
{
	const uint8_t *d = pkt_data(p);

	(void)dev;
	kt_frames++;
	if (p->len >= ETH_HLEN + 28 && get_be16(d + 12) == ETH_P_ARP && get_be16(d + 14 + 6) == ARPOP_REPLY)
		kt_arp_replies++;
	if (p->len >= ETH_HLEN + IP_HLEN + ICMP_HLEN && get_be16(d + 12) == ETH_P_IP &&
	    d[ETH_HLEN + 9] == IPPROTO_ICMP && d[ETH_HLEN + IP_HLEN] == ICMP_ECHOREPLY)
		kt_echo_replies++;
	pkt_free(p);
	return 0;
}

static const struct net_device_ops kt_ops = { .xmit = kt_xmit };
static struct net_device kt_dev = {
	.name = "ktest0", .type = ARPHRD_ETHER, .mtu = 1500, .min_mtu = 68, .max_mtu = 1500,
	.flags = IFF_BROADCAST, .mac = { 0x02, 0, 0, 0, 0, 1 }, .addr = KT_ADDR,
	.netmask = 0xffffff00, .broadcast = 0x0a0909ff, .ops = &kt_ops,
};
static const uint8_t peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 2 };

static int kt_setup(void)
{
	int err = kt_dev.index ? 0 : netdev_register(&kt_dev);

	if (!err)
		netdev_set_up(&kt_dev, true);
	return err;
}

/* A frame from the peer to us: the Ethernet header, then body. */
static void kt_feed(const uint8_t *dst_mac, uint16_t proto, const uint8_t *body, uint32_t len)
{
	struct pkt *p = pkt_alloc(0, ETH_HLEN + len);
	uint8_t *d;

	if (!p)
		return;
	d = pkt_data(p);
	memcpy(d, dst_mac, ETH_ALEN);
	memcpy(d + ETH_ALEN, peer_mac, ETH_ALEN);
	put_be16(d + 12, proto);
	memcpy(d + ETH_HLEN, body, len);
	p->dev = &kt_dev;
	netdev_input(p);
}

static uint32_t arp_request(uint8_t *a)
{
	memset(a, 0, 28);
	put_be16(a, ARPHRD_ETHER);
	put_be16(a + 2, ETH_P_IP);
	a[4] = ETH_ALEN;
	a[5] = 4;
	put_be16(a + 6, ARPOP_REQUEST);
	memcpy(a + 8, peer_mac, ETH_ALEN);
	put_be32(a + 14, KT_PEER);
	put_be32(a + 24, KT_ADDR);
	return 28;
}

/* An IPv4 packet from the peer to us with payload len bytes of proto. */
static uint32_t ip_packet(uint8_t *b, uint8_t proto, uint32_t len)
{
	memset(b, 0, IP_HLEN + len);
	b[0] = 0x45;
	put_be16(b + 2, (uint16_t)(IP_HLEN + len));
	b[8] = 64;
	b[9] = proto;
	put_be32(b + 12, KT_PEER);
	put_be32(b + 16, KT_ADDR);
	put_be16(b + 10, inet_csum(b, IP_HLEN, 0));
	return IP_HLEN + len;
}

static uint32_t echo_request(uint8_t *b)
{
	uint32_t n = ip_packet(b, IPPROTO_ICMP, 16);
	uint8_t *ic = b + IP_HLEN;

	ic[0] = ICMP_ECHO;
	put_be16(ic + 4, 0x4242);
	put_be16(ic + 2, inet_csum(ic, 16, 0));
	return n;
}

static uint32_t udp_to_closed_port(uint8_t *b)
{
	uint32_t n = ip_packet(b, IPPROTO_UDP, 12);
	uint8_t *u = b + IP_HLEN;

	put_be16(u, 40000);
	put_be16(u + 2, 9);
	put_be16(u + 4, 12);
	return n;
}

KTEST(ipv4_arp_and_echo_on_a_fake_device)
{
	uint8_t b[64];
	unsigned int replies;

	KT_ASSERT_EQ(kt_setup(), 0);
	replies = kt_arp_replies;
	kt_feed(kt_dev.mac, ETH_P_ARP, b, arp_request(b));
	KT_EXPECT(kt_arp_replies == replies + 1);
	replies = kt_echo_replies;
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_request(b));
	KT_EXPECT(kt_echo_replies == replies + 1);
	/* To another MAC: not ours, not answered. */
	kt_feed(peer_mac, ETH_P_IP, b, echo_request(b));
	KT_EXPECT(kt_echo_replies == replies + 1);
}

KTEST(ipv4_mutated_frames_are_dropped)
{
	uint8_t good[3][64], b[64];
	uint32_t lens[3];
	uint64_t hdr_errors = ip_mib.in_hdr_errors;
	unsigned int frames;

	KT_ASSERT_EQ(kt_setup(), 0);
	lens[0] = arp_request(good[0]);
	lens[1] = echo_request(good[1]);
	lens[2] = udp_to_closed_port(good[2]);
	for (int i = 0; i < 3000; i++) {
		uint8_t r[8];
		int k = i % 3;
		uint32_t len = lens[k];

		get_random_bytes(r, sizeof(r));
		memcpy(b, good[k], len);
		/* Cut it short, flip bytes of the headers, or both. */
		if (r[0] & 1)
			len = r[1] % (len + 1);
		for (int j = 0; j < (r[2] & 3); j++)
			b[r[3 + j] % 40] ^= r[6] ? r[6] : 0xff;
		kt_feed(kt_dev.mac, k == 0 ? ETH_P_ARP : ETH_P_IP, b, len);
	}
	KT_EXPECT(ip_mib.in_hdr_errors > hdr_errors);
	/* Still answering. */
	frames = kt_echo_replies;
	kt_feed(kt_dev.mac, ETH_P_ARP, b, arp_request(b));
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_request(b));
	KT_EXPECT(kt_echo_replies == frames + 1);
}

/* Fragment off/len of a 1000-byte echo request (id ident) into b: its length. */
static uint32_t echo_fragment(uint8_t *b, uint16_t ident, uint32_t off, uint32_t len, bool more)
{
	uint8_t msg[1000];
	uint32_t n;

	memset(msg, 0x5a, sizeof(msg));
	msg[0] = ICMP_ECHO;
	msg[1] = 0;
	put_be16(msg + 2, 0);
	put_be16(msg + 4, 0x4343);
	put_be16(msg + 2, inet_csum(msg, sizeof(msg), 0));
	n = ip_packet(b, IPPROTO_ICMP, len);
	memcpy(b + IP_HLEN, msg + off, len);
	put_be16(b + 4, ident);
	put_be16(b + 6, (uint16_t)(off / 8 | (more ? IP_MF : 0)));
	put_be16(b + 10, 0);
	put_be16(b + 10, inet_csum(b, IP_HLEN, 0));
	return n;
}

KTEST(ipv4_fragments_reassembled_in_any_order_overlaps_dropped)
{
	static uint8_t b[IP_HLEN + 1000];
	unsigned int replies;
	uint64_t fails;

	KT_ASSERT_EQ(kt_setup(), 0);
	kt_feed(kt_dev.mac, ETH_P_ARP, b, arp_request(b));
	replies = kt_echo_replies;
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 1, 800, 200, false));
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 1, 0, 400, true));
	KT_EXPECT(kt_echo_replies == replies);
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 1, 400, 400, true));
	KT_EXPECT(kt_echo_replies == replies + 1);

	/* An overlap drops the datagram: the missing piece then completes nothing. */
	fails = ip_mib.reasm_fails;
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 2, 0, 400, true));
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 2, 392, 400, true));
	KT_EXPECT(ip_mib.reasm_fails > fails);
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 2, 800, 200, false));
	KT_EXPECT(kt_echo_replies == replies + 1);

	/* Many datagrams that never complete: bounded, and the stack still answers. */
	for (uint16_t id = 100; id < 400; id++)
		kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, id, 0, 400, true));
	KT_EXPECT(ip_mib.reasm_fails >= fails + 250);
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 9, 400, 400, true));
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 9, 0, 400, true));
	kt_feed(kt_dev.mac, ETH_P_IP, b, echo_fragment(b, 9, 800, 200, false));
	KT_EXPECT(kt_echo_replies == replies + 2);
}
