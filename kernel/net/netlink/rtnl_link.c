// SPDX-License-Identifier: MPL-2.0
// rtnetlink's links, as Linux's rtnl_fill_ifinfo, rtnl_getlink,
// rtnl_dump_ifinfo, rtnl_setlink, rtnl_newlink and rtnl_dellink: what an
// interface shows (name, flags, MTU and its bounds, queue length,
// operational state, MAC and broadcast, statistics), and what may be
// changed: IFF_UP and the configurable flags, the MTU (EINVAL outside the
// device's bounds), the name (of a device that is down, found by index),
// the queue length.  The rest Linux can change on some devices, these
// devices cannot here (EOPNOTSUPP): the MAC address, the carrier, the
// operational state and link mode, masters, namespaces, aliases; devices
// are neither created nor deleted.
#include <aster/errno.h>
#include <aster/string.h>
#include "net/netlink/netlink.h"
#include "uapi/if_link.h"
#include "uapi/socket.h"

static const struct nla_policy link_policy[IFLA_MAX + 1] = {
	[IFLA_ADDRESS] = { NLA_BINARY, 32 },
	[IFLA_BROADCAST] = { NLA_BINARY, 32 },
	[IFLA_IFNAME] = { NLA_STRING, IFNAMSIZ - 1 },
	[IFLA_MTU] = { NLA_U32, 0 },
	[IFLA_LINK] = { NLA_U32, 0 },
	[IFLA_MASTER] = { NLA_U32, 0 },
	[IFLA_TXQLEN] = { NLA_U32, 0 },
	[IFLA_OPERSTATE] = { NLA_U8, 0 },
	[IFLA_LINKMODE] = { NLA_U8, 0 },
	[IFLA_LINKINFO] = { NLA_NESTED, 0 },
	[IFLA_NET_NS_PID] = { NLA_U32, 0 },
	[IFLA_NET_NS_FD] = { NLA_U32, 0 },
	[IFLA_IFALIAS] = { NLA_STRING, 255 },
	[IFLA_EXT_MASK] = { NLA_U32, 0 },
	[IFLA_PROMISCUITY] = { NLA_U32, 0 },
	[IFLA_GROUP] = { NLA_U32, 0 },
	[IFLA_CARRIER] = { NLA_U8, 0 },
	[IFLA_NUM_TX_QUEUES] = { NLA_U32, 0 },
	[IFLA_NUM_RX_QUEUES] = { NLA_U32, 0 },
};

/* Linux's operstate: lo has no carrier to follow (UNKNOWN); down is DOWN. */
static uint8_t operstate(const struct net_device *d)
{
	if (!(d->flags & IFF_UP))
		return IF_OPER_DOWN;
	return d->type == ARPHRD_LOOPBACK ? IF_OPER_UNKNOWN : IF_OPER_UP;
}

static void stats64(const struct net_stats *s, struct linux_rtnl_link_stats64 *o)
{
	memset(o, 0, sizeof(*o));
	o->rx_packets = s->rx_packets;
	o->tx_packets = s->tx_packets;
	o->rx_bytes = s->rx_bytes;
	o->tx_bytes = s->tx_bytes;
	o->rx_errors = s->rx_errors;
	o->tx_errors = s->tx_errors;
	o->rx_dropped = s->rx_dropped;
	o->tx_dropped = s->tx_dropped;
	o->multicast = s->multicast;
}

/* Linux's copy_rtnl_link_stats: the 32-bit view, truncated. */
static void stats32(const struct linux_rtnl_link_stats64 *s, struct linux_rtnl_link_stats *o)
{
	memset(o, 0, sizeof(*o));
	o->rx_packets = (uint32_t)s->rx_packets;
	o->tx_packets = (uint32_t)s->tx_packets;
	o->rx_bytes = (uint32_t)s->rx_bytes;
	o->tx_bytes = (uint32_t)s->tx_bytes;
	o->rx_errors = (uint32_t)s->rx_errors;
	o->tx_errors = (uint32_t)s->tx_errors;
	o->rx_dropped = (uint32_t)s->rx_dropped;
	o->tx_dropped = (uint32_t)s->tx_dropped;
	o->multicast = (uint32_t)s->multicast;
}

/* The attributes, in Linux's order (netdev_lock held). */
static int link_attrs(struct nl_buf *b, const struct net_device *d)
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[ETH_ALEN];
	struct linux_rtnl_link_stats64 s64;
	struct linux_rtnl_link_stats s32;
	int err;

	stats64(&d->stats, &s64);
	stats32(&s64, &s32);
	err = nla_put_str(b, IFLA_IFNAME, d->name);
	err = err ? err : nla_put_u32(b, IFLA_TXQLEN, d->tx_queue_len);
	err = err ? err : nla_put_u8(b, IFLA_OPERSTATE, operstate(d));
	err = err ? err : nla_put_u8(b, IFLA_LINKMODE, IF_LINK_MODE_DEFAULT);
	err = err ? err : nla_put_u32(b, IFLA_MTU, d->mtu);
	err = err ? err : nla_put_u32(b, IFLA_MIN_MTU, d->min_mtu);
	err = err ? err : nla_put_u32(b, IFLA_MAX_MTU, d->max_mtu);
	err = err ? err : nla_put_u32(b, IFLA_GROUP, 0);
	err = err ? err : nla_put_u32(b, IFLA_PROMISCUITY, (d->flags & IFF_PROMISC) ? 1 : 0);
	err = err ? err : nla_put_u32(b, IFLA_NUM_TX_QUEUES, 1);
	err = err ? err : nla_put_u32(b, IFLA_NUM_RX_QUEUES, 1);
	err = err ? err : nla_put_u8(b, IFLA_CARRIER, 1);
	err = err ? err : nla_put(b, IFLA_ADDRESS, d->mac, ETH_ALEN);
	err = err ? err : nla_put(b, IFLA_BROADCAST, d->type == ARPHRD_ETHER ? bcast : zero,
				  ETH_ALEN);
	err = err ? err : nla_put(b, IFLA_STATS64, &s64, sizeof(s64));
	err = err ? err : nla_put(b, IFLA_STATS, &s32, sizeof(s32));
	return err;
}

int rtnl_fill_link(struct nl_buf *b, struct net_device *dev, uint16_t type, uint32_t pid,
		   uint32_t seq, uint16_t flags, uint32_t change)
{
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);
	struct linux_ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_type = dev->type,
				       .ifi_index = dev->index, .ifi_flags = netdev_user_flags(dev),
				       .ifi_change = change };
	int off = nlmsg_begin(b, type, flags, seq, pid, &ifi, sizeof(ifi));
	int err = off < 0 ? off : link_attrs(b, dev);

	spin_unlock_irqrestore(&netdev_lock, fl);
	if (err) {
		if (off >= 0)
			nlmsg_cancel(b, off);
		return err;
	}
	nlmsg_end(b, off);
	return 0;
}

bool rtnl_link_dump(struct nl_buf *b, struct nl_dump *d)
{
	for (;;) {
		struct net_device *dev = NULL, *it;
		uint32_t i = 0;
		irqflags_t fl = spin_lock_irqsave(&netdev_lock);

		/* Devices are never unregistered: the pos-th one stays a good pointer. */
		list_for_each_entry(it, &netdev_list, node) {
			if (i++ == d->pos) {
				dev = it;
				break;
			}
		}
		spin_unlock_irqrestore(&netdev_lock, fl);
		if (!dev)
			return true;
		if (rtnl_fill_link(b, dev, RTM_NEWLINK, d->pid, d->seq, NLM_F_MULTI, 0))
			return false;
		d->pos++;
	}
}

static struct linux_ifinfomsg ifinfo_of(const struct rtnl_req *r)
{
	struct linux_ifinfomsg ifi = { 0 };

	memcpy(&ifi, r->msg + NLMSG_HDRLEN, MIN(r->len - NLMSG_HDRLEN, (uint32_t)sizeof(ifi)));
	return ifi;
}

/* NETLINK_GET_STRICT_CHK's check of a request's header and attributes (Linux's rtnl_valid_*_req). */
static int strict_link_req(const struct rtnl_req *r, bool dump)
{
	struct nl_attr tb[IFLA_MAX + 1];
	struct linux_ifinfomsg ifi;
	int err;

	if (r->len < NLMSG_HDRLEN + sizeof(ifi))
		return -EINVAL;
	ifi = ifinfo_of(r);
	if (ifi.__ifi_pad || ifi.ifi_type || ifi.ifi_flags || ifi.ifi_change ||
	    (dump && ifi.ifi_index))
		return -EINVAL;
	err = nl_parse(r->msg, r->len, sizeof(ifi), tb, IFLA_MAX, link_policy);
	if (err)
		return err;
	for (int t = 0; t <= IFLA_MAX; t++) {
		bool ok = t == IFLA_EXT_MASK || (dump ? t == IFLA_MASTER || t == IFLA_LINKINFO :
						 t == IFLA_IFNAME);

		if (tb[t].data && !ok)
			return -EINVAL;
	}
	return 0;
}

int rtnl_link_dump_check(const struct rtnl_req *r, struct nl_dump *d)
{
	(void)d;
	return (r->sk->flags & NLF_STRICT_CHK) ? strict_link_req(r, true) : 0;
}

/* The device a request names: by a positive index, else by IFLA_IFNAME: 0, -EINVAL, -ENODEV. */
static int find_dev(const struct linux_ifinfomsg *ifi, const struct nl_attr *tb,
		    struct net_device **out)
{
	char name[IFNAMSIZ];

	if (ifi->ifi_index > 0) {
		*out = netdev_by_index(ifi->ifi_index);
	} else if (tb[IFLA_IFNAME].data) {
		nla_get_str(&tb[IFLA_IFNAME], name, sizeof(name));
		*out = netdev_by_name(name);
	} else {
		return -EINVAL;
	}
	return *out ? 0 : -ENODEV;
}

int rtnl_getlink(const struct rtnl_req *r)
{
	struct nl_attr tb[IFLA_MAX + 1];
	struct linux_ifinfomsg ifi;
	struct net_device *dev;
	struct nl_buf b;
	int err;

	if (r->sk->flags & NLF_STRICT_CHK) {
		err = strict_link_req(r, false);
		if (err)
			return err;
	}
	err = nl_parse(r->msg, r->len, sizeof(ifi), tb, IFLA_MAX, link_policy);
	if (err)
		return err;
	ifi = ifinfo_of(r);
	err = find_dev(&ifi, tb, &dev);
	if (err)
		return err;
	if (nl_buf_init(&b, 1024))
		return -ENOBUFS;
	err = rtnl_fill_link(&b, dev, RTM_NEWLINK, r->sk->portid, r->seq, 0, 0);
	if (err) {
		nl_buf_free(&b);
		return err;
	}
	mutex_lock(&nl_lock);
	err = nl_deliver_buf(r->sk, &b, 0, 0);
	mutex_unlock(&nl_lock);
	return err == -ENOMEM ? -ENOBUFS : 0;
}

/* Attributes Linux acts on that these devices cannot do. */
static bool unsupported(const struct nl_attr *tb)
{
	static const int types[] = { IFLA_ADDRESS, IFLA_BROADCAST, IFLA_MAP, IFLA_MASTER,
				     IFLA_OPERSTATE, IFLA_LINKMODE, IFLA_LINKINFO, IFLA_NET_NS_PID,
				     IFLA_NET_NS_FD, IFLA_IFALIAS, IFLA_GROUP, IFLA_CARRIER,
				     IFLA_AF_SPEC };

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		if (tb[types[i]].data)
			return true;
	}
	return false;
}

/* Linux's do_setlink: everything checked first, then applied. */
static int do_setlink(struct net_device *dev, const struct linux_ifinfomsg *ifi,
		      const struct nl_attr *tb)
{
	char name[IFNAMSIZ] = { 0 };
	bool rename = ifi->ifi_index > 0 && tb[IFLA_IFNAME].data;
	int err = 0;

	if ((tb[IFLA_ADDRESS].data && tb[IFLA_ADDRESS].len < ETH_ALEN) ||
	    (tb[IFLA_BROADCAST].data && tb[IFLA_BROADCAST].len < ETH_ALEN))
		return -EINVAL;
	if (unsupported(tb))
		return -EOPNOTSUPP;
	/* Linux's MTU is an int: 0xffffffff is -1. */
	if (tb[IFLA_MTU].data && !netdev_mtu_ok(dev, (int32_t)nla_get_u32(&tb[IFLA_MTU])))
		return -EINVAL;
	if (rename)
		nla_get_str(&tb[IFLA_IFNAME], name, sizeof(name));
	if (tb[IFLA_MTU].data)
		err = netdev_set_mtu(dev, (int32_t)nla_get_u32(&tb[IFLA_MTU]));
	if (!err && rename)
		err = netdev_rename(dev, name);
	if (err)
		return err;
	if (ifi->ifi_flags || ifi->ifi_change) {
		uint32_t flags = ifi->ifi_flags;

		/* Linux's rtnl_dev_combine_flags: ifi_change says which bits to take (0: all). */
		if (ifi->ifi_change)
			flags = (flags & ifi->ifi_change) | (dev->flags & ~ifi->ifi_change);
		netdev_change_flags(dev, flags);
	}
	if (tb[IFLA_TXQLEN].data) {
		irqflags_t fl = spin_lock_irqsave(&netdev_lock);
		bool changed = dev->tx_queue_len != nla_get_u32(&tb[IFLA_TXQLEN]);

		dev->tx_queue_len = nla_get_u32(&tb[IFLA_TXQLEN]);
		spin_unlock_irqrestore(&netdev_lock, fl);
		if (changed)
			rtnl_notify_link(dev, 0);
	}
	return 0;
}

static int parse_link(const struct rtnl_req *r, struct linux_ifinfomsg *ifi, struct nl_attr *tb)
{
	int err = nl_parse(r->msg, r->len, sizeof(*ifi), tb, IFLA_MAX, link_policy);

	if (!err)
		*ifi = ifinfo_of(r);
	return err;
}

int rtnl_setlink(const struct rtnl_req *r)
{
	struct nl_attr tb[IFLA_MAX + 1];
	struct linux_ifinfomsg ifi;
	struct net_device *dev;
	int err = parse_link(r, &ifi, tb);

	if (!err)
		err = find_dev(&ifi, tb, &dev);
	return err ? err : do_setlink(dev, &ifi, tb);
}

int rtnl_newlink(const struct rtnl_req *r)
{
	struct nl_attr tb[IFLA_MAX + 1];
	struct linux_ifinfomsg ifi;
	struct net_device *dev;
	int err = parse_link(r, &ifi, tb);

	if (err)
		return err;
	err = find_dev(&ifi, tb, &dev);
	if (err == -EINVAL)
		err = -ENODEV;
	/* Creating a device needs a kind (IFLA_LINKINFO) none of which is here. */
	if (err == -ENODEV)
		return (r->flags & NLM_F_CREATE) ? -EOPNOTSUPP : -ENODEV;
	if (r->flags & NLM_F_EXCL)
		return -EEXIST;
	if (r->flags & NLM_F_REPLACE)
		return -EOPNOTSUPP;
	return do_setlink(dev, &ifi, tb);
}

/* No device here has rtnl_link_ops (Linux's rtnl_dellink: EOPNOTSUPP for lo and ethernet). */
int rtnl_dellink(const struct rtnl_req *r)
{
	struct nl_attr tb[IFLA_MAX + 1];
	struct linux_ifinfomsg ifi;
	struct net_device *dev;
	int err = parse_link(r, &ifi, tb);

	if (!err)
		err = find_dev(&ifi, tb, &dev);
	return err ? err : -EOPNOTSUPP;
}
