// SPDX-License-Identifier: MPL-2.0
// The interface and route ioctls of BusyBox ifconfig and route (Linux's
// dev_ioctl, devinet_ioctl, dev_ifconf and ip_rt_ioctl): what they read
// anyone may read; what they change needs CAP_NET_ADMIN (EPERM).  And
// /proc/net/dev.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "net/ipv4/ipv4.h"
#include "net/netlink/rtnl.h"
#include "uapi/route.h"
#include "uapi/sockios.h"

#define IFR_SIZE	sizeof(struct linux_ifreq)

static void put_sin(struct linux_ifreq *r, uint32_t addr)
{
	struct linux_sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = bswap32(addr) };

	memcpy(r->ifr_u, &sin, sizeof(sin));
}

/* The IPv4 address of an ifreq's sockaddr: 0, -EINVAL (another family). */
static int get_sin(const struct linux_ifreq *r, uint32_t *addr)
{
	struct linux_sockaddr_in sin;

	memcpy(&sin, r->ifr_u, sizeof(sin));
	if (sin.sin_family != AF_INET)
		return -EINVAL;
	*addr = bswap32(sin.sin_addr);
	return 0;
}

static int32_t get_int(const struct linux_ifreq *r)
{
	int32_t v;

	memcpy(&v, r->ifr_u, sizeof(v));
	return v;
}

static void put_int(struct linux_ifreq *r, int32_t v)
{
	memcpy(r->ifr_u, &v, sizeof(v));
}

/* Linux's inet_abc_len: the classful default mask of an address. */
static uint32_t default_mask(uint32_t a)
{
	if ((a >> 31) == 0)
		return 0xff000000;
	if ((a >> 30) == 2)
		return 0xffff0000;
	return 0xffffff00;
}

static bool mask_ok(uint32_t m)
{
	return (~m & (~m + 1)) == 0;
}

static int ifconf(uint64_t arg)
{
	struct linux_ifconf ifc;
	struct net_device *d;
	int32_t used = 0;

	if (copy_from_user(&ifc, arg, sizeof(ifc)))
		return -EFAULT;
	list_for_each_entry(d, &netdev_list, node) {
		struct linux_ifreq r = { 0 };

		if (!d->addr)
			continue;
		if (ifc.ifc_buf) {
			if (ifc.ifc_len - used < (int32_t)IFR_SIZE)
				break;
			strlcpy(r.ifr_name, d->name, IFNAMSIZ);
			put_sin(&r, d->addr);
			if (copy_to_user(ifc.ifc_buf + (uint64_t)used, &r, IFR_SIZE))
				return -EFAULT;
		}
		used += (int32_t)IFR_SIZE;
	}
	ifc.ifc_len = used;
	return copy_to_user(arg, &ifc, sizeof(ifc)) ? -EFAULT : 0;
}

bool rtnl_addr_of(struct net_device *dev, struct rtnl_addr *a)
{
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);
	bool has = dev->addr != 0;

	if (has) {
		a->index = dev->index;
		strlcpy(a->label, dev->name, IFNAMSIZ);
		a->addr = dev->addr;
		a->mask = dev->netmask;
		a->broadcast = dev->broadcast;
		a->scope = dev->addr_scope;
		a->cstamp = dev->addr_cstamp;
		a->tstamp = dev->addr_tstamp;
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return has;
}

/*
 * Tell of an address change: old (if any) went unless d still has it
 * (an update, which Linux tells as RTM_NEWADDR alone), what d has now (if
 * any) came.
 */
static void addr_changed(struct net_device *d, const struct rtnl_addr *old, bool had,
			 const struct rtnl_origin *o)
{
	struct rtnl_addr now;
	bool has;

	route_dev_changed(d);
	has = rtnl_addr_of(d, &now);
	if (had && (!has || now.addr != old->addr || now.mask != old->mask))
		rtnl_notify_addr(RTM_DELADDR, old, o);
	if (has)
		rtnl_notify_addr(RTM_NEWADDR, &now, o);
}

int inet_addr_set(struct net_device *d, uint32_t addr, uint32_t mask, uint32_t brd, uint8_t scope,
		  const struct rtnl_origin *o)
{
	struct rtnl_addr old;
	bool had = rtnl_addr_of(d, &old);
	irqflags_t fl;

	fl = spin_lock_irqsave(&netdev_lock);
	d->addr = addr;
	d->netmask = mask;
	d->broadcast = brd;
	d->addr_scope = scope;
	d->addr_cstamp = d->addr_tstamp = rtnl_stamp();
	spin_unlock_irqrestore(&netdev_lock, fl);
	addr_changed(d, &old, had, o);
	return 0;
}

void inet_addr_del(struct net_device *d, const struct rtnl_origin *o)
{
	struct rtnl_addr old;
	bool had = rtnl_addr_of(d, &old);
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);

	d->addr = d->netmask = d->broadcast = 0;
	spin_unlock_irqrestore(&netdev_lock, fl);
	addr_changed(d, &old, had, o);
}

/* Linux gives a loopback address host scope (inet_set_ifa's ipv4_is_loopback). */
static uint8_t addr_scope(uint32_t a)
{
	return (a >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
}

static int set_addr(struct net_device *d, unsigned int cmd, uint32_t a)
{
	struct rtnl_addr old;
	bool had = rtnl_addr_of(d, &old);
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);
	int err = 0;

	if (cmd == SIOCSIFADDR) {
		d->addr = a;
		d->netmask = a ? default_mask(a) : 0;
		d->broadcast = a && (d->flags & IFF_BROADCAST) ? (a | ~d->netmask) : 0;
		d->addr_scope = addr_scope(a);
		d->addr_cstamp = rtnl_stamp();
	} else if (!d->addr) {
		err = -EADDRNOTAVAIL;
	} else if (cmd == SIOCSIFNETMASK) {
		if (!mask_ok(a))
			err = -EINVAL;
		else {
			if (d->broadcast == (d->addr | ~d->netmask))
				d->broadcast = d->addr | ~a;
			d->netmask = a;
		}
	} else {
		d->broadcast = a;
	}
	d->addr_tstamp = rtnl_stamp();
	spin_unlock_irqrestore(&netdev_lock, fl);
	if (!err)
		addr_changed(d, &old, had, NULL);
	return err;
}

/* A command on one interface: r in and out (*out: copy r back). */
static int if_cmd(unsigned int cmd, struct net_device *d, struct linux_ifreq *r, bool *out)
{
	uint32_t a = 0;
	int err;

	*out = true;
	switch (cmd) {
	case SIOCGIFFLAGS:
		put_int(r, (int32_t)(d->flags & 0xffff));
		return 0;
	case SIOCGIFADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFBRDADDR:
	case SIOCGIFDSTADDR:
		if (!d->addr)
			return -EADDRNOTAVAIL;
		put_sin(r, cmd == SIOCGIFADDR || cmd == SIOCGIFDSTADDR ? d->addr :
			   cmd == SIOCGIFNETMASK ? d->netmask : d->broadcast);
		return 0;
	case SIOCGIFHWADDR:
		memset(r->ifr_u, 0, sizeof(r->ifr_u));
		r->ifr_u[0] = (uint8_t)d->type;
		r->ifr_u[1] = (uint8_t)(d->type >> 8);
		memcpy(r->ifr_u + 2, d->mac, ETH_ALEN);
		return 0;
	case SIOCGIFMTU:
		put_int(r, (int32_t)d->mtu);
		return 0;
	case SIOCGIFINDEX:
		put_int(r, d->index);
		return 0;
	case SIOCGIFMETRIC:
		put_int(r, 0);
		return 0;
	case SIOCGIFTXQLEN:
		put_int(r, (int32_t)d->tx_queue_len);
		return 0;
	case SIOCGIFMAP:
		memset(r->ifr_u, 0, sizeof(r->ifr_u));
		return 0;
	}
	*out = false;
	if (!inet_capable(CAP_NET_ADMIN))
		return -EPERM;
	switch (cmd) {
	case SIOCSIFFLAGS:
		netdev_change_flags(d, (uint16_t)get_int(r));
		return 0;
	case SIOCSIFNAME: {
		char name[IFNAMSIZ];

		memcpy(name, r->ifr_u, IFNAMSIZ);
		name[IFNAMSIZ - 1] = 0;
		return netdev_rename(d, name);
	}
	case SIOCSIFADDR:
	case SIOCSIFNETMASK:
	case SIOCSIFBRDADDR:
		err = get_sin(r, &a);
		return err ? err : set_addr(d, cmd, a);
	case SIOCSIFMTU:
		return netdev_set_mtu(d, get_int(r));
	}
	return -ENOTTY;
}

static int route_ioctl(unsigned int cmd, uint64_t arg)
{
	struct linux_rtentry rt;
	struct linux_sockaddr_in dst, gw, mask;
	struct net_device *dev = NULL;
	uint32_t d, g, m;
	int metric;

	if (!inet_capable(CAP_NET_ADMIN))
		return -EPERM;
	if (copy_from_user(&rt, arg, sizeof(rt)))
		return -EFAULT;
	memcpy(&dst, &rt.rt_dst, sizeof(dst));
	memcpy(&gw, &rt.rt_gateway, sizeof(gw));
	memcpy(&mask, &rt.rt_genmask, sizeof(mask));
	if (dst.sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if (rt.rt_dev) {
		char name[IFNAMSIZ] = { 0 };

		if (strncpy_from_user(name, rt.rt_dev, IFNAMSIZ) < 0)
			return -EFAULT;
		name[IFNAMSIZ - 1] = 0;
		dev = netdev_by_name(name);
		if (!dev)
			return -ENODEV;
	}
	d = bswap32(dst.sin_addr);
	g = (rt.rt_flags & RTF_GATEWAY) ? bswap32(gw.sin_addr) : 0;
	m = (rt.rt_flags & RTF_HOST) ? 0xffffffff : bswap32(mask.sin_addr);
	if (!mask_ok(m) || (d & ~m))
		return -EINVAL;
	metric = rt.rt_metric > 0 ? rt.rt_metric - 1 : 0;
	if (cmd == SIOCDELRT)
		return route_del(d, m, g, dev, -1);
	return route_add(d, m, g, dev, metric, rt.rt_flags & (RTF_GATEWAY | RTF_HOST | RTF_REJECT));
}

long netdev_ioctl(unsigned int cmd, uint64_t arg)
{
	struct linux_ifreq r;
	struct net_device *d;
	bool out = false;
	int err;

	if (cmd == SIOCGIFCONF)
		return ifconf(arg);
	if (cmd == SIOCADDRT || cmd == SIOCDELRT)
		return route_ioctl(cmd, arg);
	if ((cmd & 0xff00) != 0x8900)
		return -ENOTTY;
	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	r.ifr_name[IFNAMSIZ - 1] = 0;
	if (cmd == SIOCGIFNAME) {
		d = netdev_by_index(get_int(&r));
		if (!d)
			return -ENODEV;
		strlcpy(r.ifr_name, d->name, IFNAMSIZ);
		return copy_to_user(arg, &r, sizeof(r)) ? -EFAULT : 0;
	}
	d = netdev_by_name(r.ifr_name);
	if (!d)
		return -ENODEV;
	err = if_cmd(cmd, d, &r, &out);
	if (!err && out && copy_to_user(arg, &r, sizeof(r)))
		return -EFAULT;
	return err;
}

size_t netdev_proc_text(char *buf, size_t size)
{
	struct net_device *d;
	size_t n = (size_t)snprintf(buf, size, "%s",
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n");
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);

	list_for_each_entry(d, &netdev_list, node) {
		const struct net_stats *s = &d->stats;

		if (n >= size)
			break;
		n += (size_t)snprintf(buf + n, size - n,
				      "%6s: %7llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu %8llu %7llu %4llu %4llu %4llu %5llu %7llu %10llu\n",
				      d->name, (unsigned long long)s->rx_bytes,
				      (unsigned long long)s->rx_packets, (unsigned long long)s->rx_errors,
				      (unsigned long long)s->rx_dropped, 0ULL, 0ULL, 0ULL,
				      (unsigned long long)s->multicast, (unsigned long long)s->tx_bytes,
				      (unsigned long long)s->tx_packets, (unsigned long long)s->tx_errors,
				      (unsigned long long)s->tx_dropped, 0ULL, 0ULL, 0ULL, 0ULL);
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return MIN(n, size);
}
