// SPDX-License-Identifier: MPL-2.0
// The routing table: Linux's "main" table of connected routes (one per
// interface with an address, made and removed as the interface goes up
// and down) and the routes SIOCADDRT adds (a default gateway...), chosen
// by longest prefix, then lowest metric.  Local destinations (our own
// addresses, 127/8) go to the loopback device, as Linux's "local" table,
// which /proc/net/route does not show.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "net/ipv4/ipv4.h"
#include "uapi/route.h"

#define ROUTE_MAX	64

struct route {
	bool used;
	bool connected;			/* made from an interface's address */
	uint32_t dst, mask, gw;
	struct net_device *dev;
	uint16_t flags;			/* RTF_* */
	int metric;
};

static spinlock_t route_lock = SPINLOCK_INIT;
static struct route routes[ROUTE_MAX];

static struct net_device *loopback(void)
{
	struct net_device *d, *lo = NULL;
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);

	list_for_each_entry(d, &netdev_list, node) {
		if ((d->flags & (IFF_LOOPBACK | IFF_UP)) == (IFF_LOOPBACK | IFF_UP)) {
			lo = d;
			break;
		}
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return lo;
}

static int mask_len(uint32_t mask)
{
	return mask ? 32 - __builtin_ctz(mask) : 0;
}

int route_lookup(uint32_t daddr, struct route_result *r)
{
	struct route *best = NULL;
	irqflags_t fl;

	if (ip_addr_is_local(daddr)) {
		r->dev = loopback();
		r->nexthop = daddr;
		r->src = (daddr >> 24) == 127 ? INADDR_LOOPBACK : daddr;
		return r->dev ? 0 : -ENETUNREACH;
	}
	fl = spin_lock_irqsave(&route_lock);
	for (int i = 0; i < ROUTE_MAX; i++) {
		struct route *rt = &routes[i];

		if (!rt->used || (daddr & rt->mask) != rt->dst || !(rt->dev->flags & IFF_UP))
			continue;
		if (!best || mask_len(rt->mask) > mask_len(best->mask) ||
		    (rt->mask == best->mask && rt->metric < best->metric))
			best = rt;
	}
	if (best && !(best->flags & RTF_REJECT)) {
		r->dev = best->dev;
		r->nexthop = (best->flags & RTF_GATEWAY) ? best->gw : daddr;
		r->src = best->dev->addr;
	}
	spin_unlock_irqrestore(&route_lock, fl);
	if (!best || (best->flags & RTF_REJECT) || !r->src)
		return -ENETUNREACH;
	return 0;
}

/* (lock held) */
static struct route *route_find(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev,
				int metric)
{
	for (int i = 0; i < ROUTE_MAX; i++) {
		struct route *rt = &routes[i];

		if (rt->used && rt->dst == dst && rt->mask == mask && (!gw || rt->gw == gw) &&
		    (!dev || rt->dev == dev) && (metric < 0 || rt->metric == metric))
			return rt;
	}
	return NULL;
}

/* Which interface reaches gw directly (a connected route): NULL if none. */
static struct net_device *gw_dev(uint32_t gw)
{
	for (int i = 0; i < ROUTE_MAX; i++) {
		struct route *rt = &routes[i];

		if (rt->used && rt->connected && (gw & rt->mask) == rt->dst && (rt->dev->flags & IFF_UP))
			return rt->dev;
	}
	return NULL;
}

static int route_insert(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev,
			int metric, uint16_t flags, bool connected)
{
	irqflags_t fl = spin_lock_irqsave(&route_lock);
	int err = 0;

	if ((flags & RTF_GATEWAY) && !dev)
		dev = gw_dev(gw);
	if (!dev) {
		err = -ENETUNREACH;
	} else if (route_find(dst, mask, 0, NULL, metric)) {
		err = -EEXIST;
	} else {
		err = -ENOBUFS;
		for (int i = 0; i < ROUTE_MAX; i++) {
			if (routes[i].used)
				continue;
			routes[i] = (struct route){ true, connected, dst, mask, gw, dev,
						    (uint16_t)(flags | RTF_UP), metric };
			err = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&route_lock, fl);
	return err;
}

int route_add(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev, int metric,
	      uint16_t flags)
{
	if (dev && !(dev->flags & IFF_UP))
		return -ENETUNREACH;
	return route_insert(dst & mask, mask, gw, dev, metric, flags, false);
}

int route_del(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev, int metric)
{
	irqflags_t fl = spin_lock_irqsave(&route_lock);
	struct route *rt = route_find(dst & mask, mask, gw, dev, metric);

	if (rt)
		rt->used = false;
	spin_unlock_irqrestore(&route_lock, fl);
	return rt ? 0 : -ESRCH;
}

void route_dev_changed(struct net_device *dev)
{
	irqflags_t fl = spin_lock_irqsave(&route_lock);
	bool up = dev->flags & IFF_UP;

	/* As Linux's fib_sync_down_dev: a device going down takes its routes along. */
	for (int i = 0; i < ROUTE_MAX; i++) {
		if (routes[i].used && routes[i].dev == dev && (routes[i].connected || !up))
			routes[i].used = false;
	}
	spin_unlock_irqrestore(&route_lock, fl);
	if (up && dev->addr && !(dev->flags & IFF_LOOPBACK))
		(void)route_insert(dev->addr & dev->netmask, dev->netmask, 0, dev, 0, 0, true);
}

/* Linux prints addresses as the raw network-order word, in hex. */
static uint32_t raw(uint32_t a)
{
	return bswap32(a);
}

/* Does a come before b in Linux's trie walk: by key, a longer prefix first, then the metric. */
static bool route_before(const struct route *a, const struct route *b)
{
	if (a->dst != b->dst)
		return a->dst < b->dst;
	if (a->mask != b->mask)
		return a->mask > b->mask;
	return a->metric < b->metric;
}

size_t route_proc_text(char *buf, size_t size)
{
	bool shown[ROUTE_MAX] = { false };
	size_t n = 0;
	irqflags_t fl;

	n += (size_t)snprintf(buf, size, "%-127s\n",
			      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
	fl = spin_lock_irqsave(&route_lock);
	for (;;) {
		const struct route *rt = NULL;
		char line[160];
		int next = -1;

		for (int i = 0; i < ROUTE_MAX; i++) {
			if (routes[i].used && !shown[i] && (!rt || route_before(&routes[i], rt))) {
				rt = &routes[i];
				next = i;
			}
		}
		if (!rt || n >= size)
			break;
		shown[next] = true;
		snprintf(line, sizeof(line), "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u",
			 rt->dev->name, raw(rt->dst), raw(rt->gw), rt->flags, 0, 0, rt->metric,
			 raw(rt->mask), 0, 0, 0);
		n += (size_t)snprintf(buf + n, size - n, "%-127s\n", line);
	}
	spin_unlock_irqrestore(&route_lock, fl);
	return MIN(n, size);
}
