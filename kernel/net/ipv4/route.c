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
#include "net/netlink/rtnl.h"
#include "uapi/route.h"

struct route {
	bool used;
	bool connected;			/* made from an interface's address */
	uint32_t dst, mask, gw;
	uint32_t prefsrc;		/* the source to use (0: the interface's address) */
	struct net_device *dev;
	uint16_t flags;			/* RTF_* */
	int metric;
	uint8_t protocol, scope;	/* RTPROT_*, RT_SCOPE_* (what rtnetlink shows) */
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
		r->src = best->prefsrc ? best->prefsrc : best->dev->addr;
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

static void route_to_info(const struct route *rt, struct route_info *ri)
{
	*ri = (struct route_info){ rt->dst, rt->mask, rt->gw, rt->prefsrc, rt->dev, rt->metric,
				   rt->flags, rt->protocol, rt->scope, rt->connected };
}

/*
 * Add (or with replace, put in place of the same prefix and metric) the
 * route ri; tell rtnetlink.  0, -EEXIST, -ENOENT (replace without create
 * and nothing to replace), -ENOBUFS (the table is full), -ENETUNREACH.
 */
static int route_insert_info(struct route_info *ri, bool create, bool replace,
			     const struct rtnl_origin *o)
{
	irqflags_t fl = spin_lock_irqsave(&route_lock);
	struct route_info old;
	struct route *rt = NULL;
	bool replaced = false;
	int err = 0;

	if ((ri->flags & RTF_GATEWAY) && !ri->dev)
		ri->dev = gw_dev(ri->gw);
	if (!ri->dev) {
		err = -ENETUNREACH;
	} else if ((rt = route_find(ri->dst, ri->mask, 0, NULL, ri->metric))) {
		if (replace) {
			route_to_info(rt, &old);
			replaced = true;
		} else {
			err = -EEXIST;
		}
	} else if (!create) {
		err = -ENOENT;
	} else {
		err = -ENOBUFS;
		for (int i = 0; i < ROUTE_MAX && !rt; i++) {
			if (!routes[i].used)
				rt = &routes[i];
		}
		if (rt)
			err = 0;
	}
	if (!err) {
		*rt = (struct route){ true, ri->connected, ri->dst, ri->mask, ri->gw, ri->prefsrc,
				      ri->dev, (uint16_t)(ri->flags | RTF_UP), ri->metric,
				      ri->protocol, ri->scope };
		route_to_info(rt, ri);
	}
	spin_unlock_irqrestore(&route_lock, fl);
	if (err)
		return err;
	if (replaced)
		rtnl_notify_route(RTM_DELROUTE, &old, NULL);
	rtnl_notify_route(RTM_NEWROUTE, ri, o);
	return 0;
}

static int route_insert(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev,
			int metric, uint16_t flags, bool connected)
{
	struct route_info ri = { dst, mask, gw, 0, dev, metric, flags,
				 connected ? RTPROT_KERNEL : RTPROT_BOOT,
				 (flags & RTF_GATEWAY) ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK, connected };

	if (connected)
		ri.prefsrc = dev->addr;
	return route_insert_info(&ri, true, false, NULL);
}

int route_add(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev, int metric,
	      uint16_t flags)
{
	if (dev && !(dev->flags & IFF_UP))
		return -ENETUNREACH;
	return route_insert(dst & mask, mask, gw, dev, metric, flags, false);
}

int route_nl_add(struct route_info *ri, bool create, bool replace, const struct rtnl_origin *o)
{
	irqflags_t fl;

	if (ri->dev && !(ri->dev->flags & IFF_UP))
		return -ENETDOWN;
	if (ri->flags & RTF_GATEWAY) {
		struct net_device *via;

		fl = spin_lock_irqsave(&route_lock);
		via = gw_dev(ri->gw);
		spin_unlock_irqrestore(&route_lock, fl);
		/* Linux's fib_check_nh_v4_gw: the gateway must be on a connected route (of dev). */
		if (!via || (ri->dev && ri->dev != via))
			return -ENETUNREACH;
	}
	return route_insert_info(ri, create, replace, o);
}

/* Does rt match what a delete asks (Linux's fib_table_delete: what is given must be equal). */
static bool del_match(const struct route *rt, const struct route_info *ri, uint8_t scope)
{
	return rt->used && rt->dst == ri->dst && rt->mask == ri->mask &&
	       (!ri->gw || rt->gw == ri->gw) && (!ri->dev || rt->dev == ri->dev) &&
	       (ri->metric < 0 || rt->metric == ri->metric) &&
	       (!ri->protocol || rt->protocol == ri->protocol) &&
	       (scope == RT_SCOPE_NOWHERE || rt->scope == scope) &&
	       (!ri->prefsrc || rt->prefsrc == ri->prefsrc);
}

int route_nl_del(const struct route_info *ri, uint8_t scope, const struct rtnl_origin *o)
{
	irqflags_t fl = spin_lock_irqsave(&route_lock);
	struct route_info gone;
	int err = -ESRCH;

	for (int i = 0; i < ROUTE_MAX && err; i++) {
		if (del_match(&routes[i], ri, scope)) {
			route_to_info(&routes[i], &gone);
			routes[i].used = false;
			err = 0;
		}
	}
	spin_unlock_irqrestore(&route_lock, fl);
	if (!err)
		rtnl_notify_route(RTM_DELROUTE, &gone, o);
	return err;
}

int route_del(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev, int metric)
{
	irqflags_t fl = spin_lock_irqsave(&route_lock);
	struct route *rt = route_find(dst & mask, mask, gw, dev, metric);
	struct route_info gone;

	if (rt) {
		route_to_info(rt, &gone);
		rt->used = false;
	}
	spin_unlock_irqrestore(&route_lock, fl);
	if (!rt)
		return -ESRCH;
	rtnl_notify_route(RTM_DELROUTE, &gone, NULL);
	return 0;
}

/* Remove one route of dev that must go (connected ones, or all when it is down): false when none. */
static bool route_drop_one(struct net_device *dev, bool up)
{
	irqflags_t fl = spin_lock_irqsave(&route_lock);
	struct route_info gone;
	bool found = false;

	for (int i = 0; i < ROUTE_MAX && !found; i++) {
		if (routes[i].used && routes[i].dev == dev && (routes[i].connected || !up)) {
			route_to_info(&routes[i], &gone);
			routes[i].used = false;
			found = true;
		}
	}
	spin_unlock_irqrestore(&route_lock, fl);
	if (found)
		rtnl_notify_route(RTM_DELROUTE, &gone, NULL);
	return found;
}

void route_dev_changed(struct net_device *dev)
{
	bool up = dev->flags & IFF_UP;

	/* As Linux's fib_sync_down_dev: a device going down takes its routes along. */
	while (route_drop_one(dev, up))
		;
	if (up && dev->addr && !(dev->flags & IFF_LOOPBACK))
		(void)route_insert(dev->addr & dev->netmask, dev->netmask, 0, dev, 0, 0, true);
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

size_t route_snapshot(struct route_info *out, size_t max)
{
	bool shown[ROUTE_MAX] = { false };
	irqflags_t fl = spin_lock_irqsave(&route_lock);
	size_t n = 0;

	while (n < max) {
		int next = -1;

		for (int i = 0; i < ROUTE_MAX; i++) {
			if (routes[i].used && !shown[i] &&
			    (next < 0 || route_before(&routes[i], &routes[next])))
				next = i;
		}
		if (next < 0)
			break;
		shown[next] = true;
		route_to_info(&routes[next], &out[n++]);
	}
	spin_unlock_irqrestore(&route_lock, fl);
	return n;
}

/* Linux prints addresses as the raw network-order word, in hex. */
static uint32_t raw(uint32_t a)
{
	return bswap32(a);
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
