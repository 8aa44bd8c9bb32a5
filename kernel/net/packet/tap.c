// SPDX-License-Identifier: MPL-2.0
// The taps of packet sockets on the device layer, as Linux's packet_rcv and
// dev_queue_xmit_nit: every frame a device receives or sends is offered to
// each running packet socket whose protocol and device match; its filter
// decides how much of it to keep; the socket's receive buffer bounds what
// waits, the rest counted as drops.  The loopback device carries bare IPv4
// packets, so its frames are shown behind a 14-byte Ethernet header of
// zero addresses, which is what Linux's lo has.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/file.h"
#include "net/packet/packet.h"

/* What a queued frame costs its socket beyond its bytes (Linux's skb truesize overhead). */
#define FRAME_OVERHEAD	768

struct mutex packet_lock = MUTEX_INIT;
struct list_node packet_socks = { &packet_socks, &packet_socks };
/* Sockets that exist, read without the lock: no packet socket, no tap work. */
static atomic_t packet_count = ATOMIC_INIT(0);

void packet_count_add(int d)
{
	atomic_add(&packet_count, d);
}

/* Linux's eth_type_trans: the protocol of an Ethernet frame. */
static uint16_t eth_proto(const uint8_t *frame)
{
	uint16_t t = get_be16(frame + 12);

	if (t >= ETH_P_802_3_MIN)
		return t;
	if (get_be16(frame + 14) == 0xffff)
		return 0x0001;	/* ETH_P_802_3: raw 802.3 (Novell) */
	return 0x0004;		/* ETH_P_802_2 */
}

static bool socket_wants(const struct packet_sock *sk, const struct net_device *dev, uint16_t proto,
			 bool outgoing)
{
	if (!sk->running || !sk->sock)
		return false;
	if (sk->ifindex && sk->ifindex != dev->index)
		return false;
	if (outgoing)
		return sk->num == ETH_P_ALL && !sk->ignore_outgoing;
	return sk->num == ETH_P_ALL || sk->num == proto;
}

static void charge_drop(struct packet_sock *sk)
{
	sk->stat_drops++;
}

void packet_deliver(struct packet_sock *sk, const struct net_device *dev, const uint8_t *frame,
		    uint32_t len, uint8_t pkttype)
{
	struct socket *s = sk->sock;
	bool dgram = s->type == SOCK_DGRAM;
	uint32_t hlen = dgram ? ETH_HLEN : 0, keep = len - hlen;
	struct packet_frame *f;

	if (sk->filter) {
		struct bpf_pkt bp = {
			.data = frame + hlen, .len = len - hlen,
			.mac = frame, .mac_len = len,
			.net = frame + ETH_HLEN, .net_len = len - ETH_HLEN,
			.protocol = eth_proto(frame), .pkttype = pkttype,
			.ifindex = dev->index, .hatype = dev->type,
		};

		keep = MIN(keep, bpf_run_packet(sk->filter, &bp));
		if (!keep)
			return;		/* refused by the filter: not counted, as Linux */
	}
	if (sk->rmem >= s->rcvbuf) {
		charge_drop(sk);
		return;
	}
	f = kmalloc(sizeof(*f) + keep);
	if (!f) {
		charge_drop(sk);
		return;
	}
	list_init(&f->node);
	f->ifindex = dev->index;
	f->proto = eth_proto(frame);
	f->hatype = dev->type;
	f->pkttype = pkttype;
	f->halen = ETH_ALEN;
	memset(f->addr, 0, sizeof(f->addr));
	memcpy(f->addr, frame + ETH_ALEN, ETH_ALEN);	/* the source MAC */
	f->len = keep;
	f->orig_len = len - hlen;
	f->net_off = dgram ? 0 : ETH_HLEN;
	memcpy(f->data, frame + hlen, keep);
	sk->rmem += keep + FRAME_OVERHEAD;
	sk->stat_packets++;
	list_add_tail(&sk->rxq, &f->node);
	sk->wseq++;
	wake_up_all(&sk->wq);
	poll_wake();
}

/* Linux's eth_type_trans: how a received frame was addressed. */
static uint8_t rx_pkttype(const struct net_device *dev, const uint8_t *frame)
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (frame[0] & 1)
		return memcmp(frame, bcast, ETH_ALEN) ? PACKET_MULTICAST : PACKET_BROADCAST;
	return memcmp(frame, dev->mac, ETH_ALEN) ? PACKET_OTHERHOST : PACKET_HOST;
}

/*
 * Offer a frame to every socket (skip: the sender, which does not see its
 * own outgoing frames, as Linux's skb_loop_sk).
 */
static void tap(const struct net_device *dev, const uint8_t *frame, uint32_t len, bool outgoing,
		const void *skip)
{
	uint16_t proto = eth_proto(frame);
	uint8_t pkttype = outgoing ? PACKET_OUTGOING : rx_pkttype(dev, frame);
	struct packet_sock *sk;

	/* Frames for other hosts reach us only in promiscuous mode (a real NIC filters them). */
	mutex_lock(&packet_lock);
	if (pkttype == PACKET_OTHERHOST && !(dev->flags & IFF_PROMISC) && !packet_dev_promisc(dev)) {
		mutex_unlock(&packet_lock);
		return;
	}
	list_for_each_entry(sk, &packet_socks, node) {
		if (sk != skip && socket_wants(sk, dev, proto, outgoing))
			packet_deliver(sk, dev, frame, len, pkttype);
	}
	mutex_unlock(&packet_lock);
}

/*
 * A frame as packet sockets see it: p's data, or for the loopback device
 * (bare IPv4) a copy behind a zeroed Ethernet header.  NULL without
 * memory (*tmp: what to free).
 */
static const uint8_t *link_frame(const struct pkt *p, uint32_t *len, uint8_t **tmp)
{
	uint8_t *b;

	*tmp = NULL;
	*len = p->len;
	if (p->dev->type != ARPHRD_LOOPBACK)
		return p->len >= ETH_HLEN ? p->buf + p->head : NULL;
	b = kmalloc((size_t)p->len + ETH_HLEN);
	if (!b)
		return NULL;
	memset(b, 0, ETH_HLEN);
	put_be16(b + 12, ETH_P_IP);
	memcpy(b + ETH_HLEN, p->buf + p->head, p->len);
	*tmp = b;
	*len = p->len + ETH_HLEN;
	return b;
}

static void tap_pkt(struct pkt *p, bool outgoing)
{
	const uint8_t *frame;
	uint8_t *tmp;
	uint32_t len;

	if (!atomic_read(&packet_count) || p->tapped)
		return;
	frame = link_frame(p, &len, &tmp);
	if (frame)
		tap(p->dev, frame, len, outgoing, p->origin);
	kfree(tmp);
}

void packet_tap_rx(struct pkt *p)
{
	tap_pkt(p, false);
	/* The stack may reuse p for a reply, which the taps must see. */
	p->tapped = false;
	p->origin = NULL;
}

void packet_tap_tx(struct net_device *dev, struct pkt *p)
{
	p->dev = dev;
	tap_pkt(p, true);
}

/* A frame a packet socket sends on lo: both taps now (the device carries no link header). */
void packet_tap_loop(struct net_device *dev, const uint8_t *frame, uint32_t len, const void *sender)
{
	tap(dev, frame, len, true, sender);
	tap(dev, frame, len, false, NULL);
}
