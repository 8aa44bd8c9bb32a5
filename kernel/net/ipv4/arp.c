// SPDX-License-Identifier: MPL-2.0
// ARP (RFC 826) over Ethernet: answering requests for our addresses,
// learning from replies and requests addressed to us, and a bounded
// neighbour cache.  An IPv4 packet to a neighbour with no known address
// waits on its entry (at most NEIGH_QUEUE of them) while requests go out
// (at most NEIGH_PROBES, one a second), then is dropped.  Entries are
// replaced least recently used first when the cache is full.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "net/ipv4/ipv4.h"

#define NEIGH_QUEUE	3
#define NEIGH_PROBES	3
#define NEIGH_REACHABLE_NS	(60 * NSEC_PER_SEC)
#define ARP_LEN		28

struct neigh {
	bool used, complete;
	uint32_t ip;
	struct net_device *dev;
	uint8_t mac[ETH_ALEN];
	uint64_t updated, probed;
	unsigned int probes;
	struct list_node queue;		/* packets waiting for the address */
	unsigned int qlen;
};

static spinlock_t neigh_lock = SPINLOCK_INIT;
static struct neigh neighs[NEIGH_MAX];

static struct neigh *neigh_find(struct net_device *dev, uint32_t ip)
{
	for (int i = 0; i < NEIGH_MAX; i++) {
		if (neighs[i].used && neighs[i].dev == dev && neighs[i].ip == ip)
			return &neighs[i];
	}
	return NULL;
}

/* Free the entry's waiting packets onto out (lock held). */
static void neigh_take_queue(struct neigh *n, struct list_node *out)
{
	while (!list_empty(&n->queue)) {
		struct pkt *p = list_entry(n->queue.next, struct pkt, node);

		list_del(&p->node);
		list_add_tail(out, &p->node);
	}
	n->qlen = 0;
}

/* A new entry, evicting the oldest (lock held); its old packets go to dropped. */
static struct neigh *neigh_new(struct net_device *dev, uint32_t ip, struct list_node *dropped)
{
	struct neigh *n = NULL;

	for (int i = 0; i < NEIGH_MAX; i++) {
		if (!neighs[i].used) {
			n = &neighs[i];
			break;
		}
		if (!n || neighs[i].updated < n->updated)
			n = &neighs[i];
	}
	if (n->used)
		neigh_take_queue(n, dropped);
	*n = (struct neigh){ .used = true, .ip = ip, .dev = dev, .updated = clock_monotonic_ns() };
	list_init(&n->queue);
	return n;
}

static void free_list(struct list_node *l)
{
	while (!list_empty(l)) {
		struct pkt *p = list_entry(l->next, struct pkt, node);

		list_del(&p->node);
		pkt_free(p);
	}
}

static void eth_header(struct pkt *p, const uint8_t *dst, const uint8_t *src, uint16_t proto)
{
	uint8_t *h = pkt_push(p, ETH_HLEN);

	memcpy(h, dst, ETH_ALEN);
	memcpy(h + ETH_ALEN, src, ETH_ALEN);
	put_be16(h + 12, proto);
}

static void arp_send(struct net_device *dev, uint16_t op, uint32_t tip, const uint8_t *tmac,
		     const uint8_t *eth_dst)
{
	struct pkt *p = pkt_alloc(PKT_HEADROOM, ARP_LEN);
	uint8_t *a;

	if (!p)
		return;
	a = pkt_data(p);
	put_be16(a, ARPHRD_ETHER);
	put_be16(a + 2, ETH_P_IP);
	a[4] = ETH_ALEN;
	a[5] = 4;
	put_be16(a + 6, op);
	memcpy(a + 8, dev->mac, ETH_ALEN);
	put_be32(a + 14, dev->addr);
	memcpy(a + 18, tmac, ETH_ALEN);
	put_be32(a + 24, tip);
	eth_header(p, eth_dst, dev->mac, ETH_P_ARP);
	(void)netdev_xmit(dev, p);
}

static const uint8_t mac_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_zero[ETH_ALEN];

int arp_output(struct net_device *dev, uint32_t nexthop, struct pkt *p)
{
	struct list_node dropped = { &dropped, &dropped };
	uint8_t mac[ETH_ALEN];
	bool probe = false, ready = false;
	struct neigh *n;
	irqflags_t fl;

	if (nexthop == INADDR_BROADCAST || nexthop == dev->broadcast) {
		eth_header(p, mac_bcast, dev->mac, ETH_P_IP);
		return netdev_xmit(dev, p);
	}
	fl = spin_lock_irqsave(&neigh_lock);
	n = neigh_find(dev, nexthop);
	if (n && n->complete && clock_monotonic_ns() - n->updated < NEIGH_REACHABLE_NS) {
		memcpy(mac, n->mac, ETH_ALEN);
		ready = true;
	} else {
		uint64_t now = clock_monotonic_ns();

		if (!n)
			n = neigh_new(dev, nexthop, &dropped);
		if (n->complete) {		/* stale: ask again, keep using it meanwhile */
			memcpy(mac, n->mac, ETH_ALEN);
			ready = true;
		} else if (n->qlen >= NEIGH_QUEUE) {
			list_add_tail(&dropped, &p->node);
		} else {
			list_add_tail(&n->queue, &p->node);
			n->qlen++;
		}
		if (!n->probed || now - n->probed >= NSEC_PER_SEC) {
			n->probed = now;
			probe = true;
		}
	}
	spin_unlock_irqrestore(&neigh_lock, fl);
	free_list(&dropped);
	if (probe)
		arp_send(dev, ARPOP_REQUEST, nexthop, mac_zero, mac_bcast);
	if (!ready)
		return 0;
	eth_header(p, mac, dev->mac, ETH_P_IP);
	return netdev_xmit(dev, p);
}

/* Learn ip is at mac; send what waited for it. */
static void neigh_update(struct net_device *dev, uint32_t ip, const uint8_t *mac, bool create)
{
	struct list_node ready = { &ready, &ready }, dropped = { &dropped, &dropped };
	irqflags_t fl = spin_lock_irqsave(&neigh_lock);
	struct neigh *n = neigh_find(dev, ip);

	if (!n && create)
		n = neigh_new(dev, ip, &dropped);
	if (n) {
		memcpy(n->mac, mac, ETH_ALEN);
		n->complete = true;
		n->updated = clock_monotonic_ns();
		n->probed = 0;
		neigh_take_queue(n, &ready);
	}
	spin_unlock_irqrestore(&neigh_lock, fl);
	free_list(&dropped);
	while (!list_empty(&ready)) {
		struct pkt *p = list_entry(ready.next, struct pkt, node);

		list_del(&p->node);
		eth_header(p, mac, dev->mac, ETH_P_IP);
		(void)netdev_xmit(dev, p);
	}
}

void arp_rcv(struct pkt *p)
{
	const uint8_t *a = pkt_data(p);
	struct net_device *dev = p->dev;
	uint8_t smac[ETH_ALEN];
	uint32_t sip, tip;
	uint16_t op;

	if (p->len < ARP_LEN || get_be16(a) != ARPHRD_ETHER || get_be16(a + 2) != ETH_P_IP ||
	    a[4] != ETH_ALEN || a[5] != 4 || (dev->flags & IFF_NOARP)) {
		pkt_free(p);
		return;
	}
	op = get_be16(a + 6);
	memcpy(smac, a + 8, ETH_ALEN);
	sip = get_be32(a + 14);
	tip = get_be32(a + 24);
	pkt_free(p);
	if (smac[0] & 1 || !sip)
		return;
	/* RFC 826: update an entry we have; add one when the packet is for us. */
	neigh_update(dev, sip, smac, dev->addr && tip == dev->addr);
	if (op == ARPOP_REQUEST && dev->addr && tip == dev->addr)
		arp_send(dev, ARPOP_REPLY, sip, smac, smac);
}

static void mac_text(char *out, size_t size, const uint8_t *m)
{
	snprintf(out, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

size_t arp_proc_text(char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%s",
				    "IP address       HW type     Flags       HW address            Mask     Device\n");
	irqflags_t fl = spin_lock_irqsave(&neigh_lock);

	for (int i = 0; i < NEIGH_MAX && n < size; i++) {
		const struct neigh *ne = &neighs[i];
		char ip[16], mac[18];
		uint32_t a = ne->ip;

		if (!ne->used)
			continue;
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
		mac_text(mac, sizeof(mac), ne->complete ? ne->mac : mac_zero);
		n += (size_t)snprintf(buf + n, size - n, "%-16s 0x%-10x0x%-10x%-17s     %-8s %s\n", ip,
				      ARPHRD_ETHER, ne->complete ? ATF_COM : 0, mac, "*", ne->dev->name);
	}
	spin_unlock_irqrestore(&neigh_lock, fl);
	return MIN(n, size);
}

size_t neigh_snapshot(struct neigh_info *out, size_t max)
{
	irqflags_t fl = spin_lock_irqsave(&neigh_lock);
	uint64_t now = clock_monotonic_ns();
	size_t n = 0;

	for (int i = 0; i < NEIGH_MAX && n < max; i++) {
		const struct neigh *ne = &neighs[i];

		if (!ne->used)
			continue;
		out[n] = (struct neigh_info){ ne->dev->index, ne->ip, { 0 }, ne->complete,
					      now - ne->updated >= NEIGH_REACHABLE_NS, ne->probes };
		memcpy(out[n].mac, ne->mac, ETH_ALEN);
		n++;
	}
	spin_unlock_irqrestore(&neigh_lock, fl);
	return n;
}
