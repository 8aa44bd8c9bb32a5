// SPDX-License-Identifier: MPL-2.0
// rtnetlink's IPv4 addresses, as Linux's inet_fill_ifaddr,
// inet_dump_ifaddr, inet_rtm_newaddr and inet_rtm_deladdr, with this
// kernel's model of one address per interface (doc/net.md): adding the
// address an interface has is EEXIST (or with NLM_F_REPLACE, an update of
// its broadcast and scope), as Linux; adding a second one, which Linux
// would keep beside the first, is EOPNOTSUPP here; deleting works as
// Linux's (EADDRNOTAVAIL when nothing matches).
#include <aster/errno.h>
#include <aster/string.h>
#include "net/ipv4/ipv4.h"
#include "net/netlink/netlink.h"
#include "uapi/if_addr.h"
#include "uapi/socket.h"

static const struct nla_policy addr_policy[IFA_MAX + 1] = {
	[IFA_ADDRESS] = { NLA_U32, 0 },
	[IFA_LOCAL] = { NLA_U32, 0 },
	[IFA_BROADCAST] = { NLA_U32, 0 },
	[IFA_LABEL] = { NLA_STRING, IFNAMSIZ - 1 },
	[IFA_CACHEINFO] = { NLA_BINARY, 0 },
	[IFA_FLAGS] = { NLA_U32, 0 },
};

static uint32_t prefix_mask(uint32_t len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

static uint8_t prefix_len(uint32_t mask)
{
	return (uint8_t)(mask ? 32 - __builtin_ctz(mask) : 0);
}

int rtnl_fill_addr(struct nl_buf *b, const struct rtnl_addr *a, uint16_t type, uint32_t pid,
		   uint32_t seq, uint16_t flags)
{
	struct linux_ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = prefix_len(a->mask),
				       .ifa_flags = IFA_F_PERMANENT, .ifa_scope = a->scope,
				       .ifa_index = (uint32_t)a->index };
	/* A permanent address lives forever (Linux's INFINITY_LIFE_TIME). */
	struct linux_ifa_cacheinfo ci = { 0xffffffffu, 0xffffffffu, a->cstamp, a->tstamp };
	int off = nlmsg_begin(b, type, flags, seq, pid, &ifa, sizeof(ifa));
	int err = off < 0 ? off : 0;

	err = err ? err : nla_put_in_addr(b, IFA_ADDRESS, a->addr);
	err = err ? err : nla_put_in_addr(b, IFA_LOCAL, a->addr);
	if (a->broadcast)
		err = err ? err : nla_put_in_addr(b, IFA_BROADCAST, a->broadcast);
	err = err ? err : nla_put_str(b, IFA_LABEL, a->label);
	err = err ? err : nla_put_u32(b, IFA_FLAGS, IFA_F_PERMANENT);
	err = err ? err : nla_put(b, IFA_CACHEINFO, &ci, sizeof(ci));
	if (err) {
		if (off >= 0)
			nlmsg_cancel(b, off);
		return err;
	}
	nlmsg_end(b, off);
	return 0;
}

/* Strict checking (Linux's inet_valid_dump_ifaddr_req): a whole, clean header; ifa_index filters. */
int rtnl_addr_dump_check(const struct rtnl_req *r, struct nl_dump *d)
{
	struct nl_attr tb[IFA_MAX + 1];
	struct linux_ifaddrmsg ifa;
	int err;

	if (!(r->sk->flags & NLF_STRICT_CHK))
		return 0;
	if (r->len < NLMSG_HDRLEN + sizeof(ifa))
		return -EINVAL;
	memcpy(&ifa, r->msg + NLMSG_HDRLEN, sizeof(ifa));
	if (ifa.ifa_prefixlen || ifa.ifa_flags || ifa.ifa_scope)
		return -EINVAL;
	err = nl_parse(r->msg, r->len, sizeof(ifa), tb, IFA_MAX, addr_policy);
	if (err)
		return err;
	for (int t = 0; t <= IFA_MAX; t++) {
		if (tb[t].data)
			return -EINVAL;
	}
	d->ifindex = (int)ifa.ifa_index;
	return 0;
}

bool rtnl_addr_dump(struct nl_buf *b, struct nl_dump *d)
{
	for (;;) {
		struct net_device *dev = NULL, *it;
		struct rtnl_addr a;
		uint32_t i = 0;
		irqflags_t fl = spin_lock_irqsave(&netdev_lock);

		list_for_each_entry(it, &netdev_list, node) {
			if (i++ == d->pos) {
				dev = it;
				break;
			}
		}
		spin_unlock_irqrestore(&netdev_lock, fl);
		if (!dev)
			return true;
		if ((!d->ifindex || d->ifindex == dev->index) && rtnl_addr_of(dev, &a) &&
		    rtnl_fill_addr(b, &a, RTM_NEWADDR, d->pid, d->seq, NLM_F_MULTI))
			return false;
		d->pos++;
	}
}

static int parse_addr(const struct rtnl_req *r, struct linux_ifaddrmsg *ifa, struct nl_attr *tb,
		      struct net_device **dev)
{
	int err = nl_parse(r->msg, r->len, sizeof(*ifa), tb, IFA_MAX, addr_policy);

	if (err)
		return err;
	memcpy(ifa, r->msg + NLMSG_HDRLEN, sizeof(*ifa));
	*dev = netdev_by_index((int)ifa->ifa_index);
	return 0;
}

int rtnl_newaddr(const struct rtnl_req *r)
{
	struct rtnl_origin o = { r->sk->portid, r->seq, r->flags };
	struct nl_attr tb[IFA_MAX + 1];
	struct linux_ifaddrmsg ifa;
	struct net_device *dev;
	struct rtnl_addr cur;
	uint32_t local, mask, brd;
	int err = parse_addr(r, &ifa, tb, &dev);

	if (err)
		return err;
	/* Linux's rtm_to_ifaddr. */
	if (ifa.ifa_prefixlen > 32 || !tb[IFA_LOCAL].data)
		return -EINVAL;
	if (!dev)
		return -ENODEV;
	local = nla_get_in_addr(&tb[IFA_LOCAL]);
	mask = prefix_mask(ifa.ifa_prefixlen);
	brd = tb[IFA_BROADCAST].data ? nla_get_in_addr(&tb[IFA_BROADCAST]) : 0;
	/* 0.0.0.0 is "no address" in this kernel's model. */
	if (!local)
		return -EOPNOTSUPP;
	if (rtnl_addr_of(dev, &cur)) {
		/* Linux's find_matching_ifa: the same address and prefix. */
		if (cur.addr != local || cur.mask != mask)
			return -EOPNOTSUPP;
		if ((r->flags & NLM_F_EXCL) || !(r->flags & NLM_F_REPLACE))
			return -EEXIST;
	}
	return inet_addr_set(dev, local, mask, brd, ifa.ifa_scope, &o);
}

int rtnl_deladdr(const struct rtnl_req *r)
{
	struct rtnl_origin o = { r->sk->portid, r->seq, r->flags };
	struct nl_attr tb[IFA_MAX + 1];
	struct linux_ifaddrmsg ifa;
	struct net_device *dev;
	struct rtnl_addr cur;
	int err = parse_addr(r, &ifa, tb, &dev);

	if (err)
		return err;
	if (!dev)
		return -ENODEV;
	/* Linux's inet_rtm_deladdr: what the request gives must match. */
	if (!rtnl_addr_of(dev, &cur) ||
	    (tb[IFA_LOCAL].data && cur.addr != nla_get_in_addr(&tb[IFA_LOCAL])))
		return -EADDRNOTAVAIL;
	if (tb[IFA_LABEL].data) {
		char label[IFNAMSIZ];

		nla_get_str(&tb[IFA_LABEL], label, sizeof(label));
		if (strcmp(label, cur.label))
			return -EADDRNOTAVAIL;
	}
	if (tb[IFA_ADDRESS].data &&
	    (ifa.ifa_prefixlen != prefix_len(cur.mask) ||
	     ((nla_get_in_addr(&tb[IFA_ADDRESS]) ^ cur.addr) & cur.mask)))
		return -EADDRNOTAVAIL;
	inet_addr_del(dev, &o);
	return 0;
}
