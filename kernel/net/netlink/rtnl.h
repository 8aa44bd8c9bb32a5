/* SPDX-License-Identifier: MPL-2.0 */
/*
 * rtnetlink's notifications, for the code that changes what it shows
 * (kernel/net/dev, kernel/net/ipv4): every change of an interface, an
 * IPv4 address or a route is sent to the members of its multicast group
 * (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE), whether an
 * ioctl, a netlink request or the kernel itself made it (doc/net.md).
 * Call them with no lock held (they take nl_lock, a mutex).
 */
#ifndef KERNEL_NET_NETLINK_RTNL_H
#define KERNEL_NET_NETLINK_RTNL_H
#include <aster/types.h>
#include "net/dev/netdev.h"
#include "uapi/rtnetlink.h"

/* Who asked for a change over netlink (NULL: an ioctl or the kernel itself). */
struct rtnl_origin {
	uint32_t pid, seq;		/* the request's, echoed in the notification */
	uint16_t flags;			/* the request's NLM_F_* */
};

/* An IPv4 address of an interface, as RTM_NEWADDR shows it. */
struct rtnl_addr {
	int index;
	char label[IFNAMSIZ];
	uint32_t addr, mask, broadcast;	/* host order */
	uint8_t scope;
	uint32_t cstamp, tstamp;	/* hundredths of a second since boot */
};

/* A route of the main table, as RTM_NEWROUTE shows it. */
struct route_info {
	uint32_t dst, mask, gw;		/* host order */
	uint32_t prefsrc;		/* 0: none */
	struct net_device *dev;
	int metric;
	uint16_t flags;			/* RTF_* */
	uint8_t protocol, scope;
	bool connected;
};

/* dev changed (change: the IFF_* bits that did, 0 for other attributes). */
void rtnl_notify_link(struct net_device *dev, uint32_t change);
/* An address was added (RTM_NEWADDR) or removed (RTM_DELADDR). */
void rtnl_notify_addr(uint16_t event, const struct rtnl_addr *a, const struct rtnl_origin *o);
/* A route was added (RTM_NEWROUTE) or removed (RTM_DELROUTE). */
void rtnl_notify_route(uint16_t event, const struct route_info *ri, const struct rtnl_origin *o);
/* dev's address as rtnl_addr (false: it has none). */
bool rtnl_addr_of(struct net_device *dev, struct rtnl_addr *a);
/* Hundredths of a second since boot (Linux's cstamp and tstamp). */
uint32_t rtnl_stamp(void);

#endif
