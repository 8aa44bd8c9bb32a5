// SPDX-License-Identifier: MPL-2.0
// rtnetlink's IPv4 routes and neighbours, as Linux's fib_dump_info,
// inet_dump_fib, inet_rtm_newroute, inet_rtm_delroute, inet_rtm_getroute
// and neigh_dump_info, over this kernel's routing table (kernel/net/ipv4/
// route.c): the main table only, unicast routes (with or without a
// gateway) and unreachable ones.  Linux's other tables (local, which this
// kernel keeps implicit, and numbered ones) and route types (blackhole,
// prohibit, multipath...) are EOPNOTSUPP when added; deleting from a table
// that does not exist is ESRCH, as Linux.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "net/ipv4/ipv4.h"
#include "net/netlink/netlink.h"
#include "process/process.h"
#include "uapi/neighbour.h"
#include "uapi/route.h"
#include "uapi/socket.h"

static const struct nla_policy route_policy[RTA_MAX + 1] = {
	[RTA_DST] = { NLA_U32, 0 },
	[RTA_SRC] = { NLA_U32, 0 },
	[RTA_IIF] = { NLA_U32, 0 },
	[RTA_OIF] = { NLA_U32, 0 },
	[RTA_GATEWAY] = { NLA_U32, 0 },
	[RTA_PRIORITY] = { NLA_U32, 0 },
	[RTA_PREFSRC] = { NLA_U32, 0 },
	[RTA_METRICS] = { NLA_NESTED, 0 },
	[RTA_MULTIPATH] = { NLA_BINARY, 0 },
	[RTA_FLOW] = { NLA_U32, 0 },
	[RTA_TABLE] = { NLA_U32, 0 },
	[RTA_MARK] = { NLA_U32, 0 },
	[RTA_UID] = { NLA_U32, 0 },
};

static uint8_t prefix_len(uint32_t mask)
{
	return (uint8_t)(mask ? 32 - __builtin_ctz(mask) : 0);
}

int rtnl_fill_route(struct nl_buf *b, const struct route_info *ri, uint16_t type, uint32_t pid,
		    uint32_t seq, uint16_t flags)
{
	struct linux_rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = prefix_len(ri->mask),
				   .rtm_table = RT_TABLE_MAIN, .rtm_protocol = ri->protocol,
				   .rtm_scope = ri->scope,
				   .rtm_type = (ri->flags & RTF_REJECT) ? RTN_UNREACHABLE :
									  RTN_UNICAST };
	int off = nlmsg_begin(b, type, flags, seq, pid, &rtm, sizeof(rtm));
	int err = off < 0 ? off : 0;

	err = err ? err : nla_put_u32(b, RTA_TABLE, RT_TABLE_MAIN);
	if (rtm.rtm_dst_len)
		err = err ? err : nla_put_in_addr(b, RTA_DST, ri->dst);
	if (ri->metric)
		err = err ? err : nla_put_u32(b, RTA_PRIORITY, (uint32_t)ri->metric);
	if (ri->prefsrc)
		err = err ? err : nla_put_in_addr(b, RTA_PREFSRC, ri->prefsrc);
	if (ri->flags & RTF_GATEWAY)
		err = err ? err : nla_put_in_addr(b, RTA_GATEWAY, ri->gw);
	if (ri->dev)
		err = err ? err : nla_put_u32(b, RTA_OIF, (uint32_t)ri->dev->index);
	if (err) {
		if (off >= 0)
			nlmsg_cancel(b, off);
		return err;
	}
	nlmsg_end(b, off);
	return 0;
}

bool rtnl_route_dump(struct nl_buf *b, struct nl_dump *d)
{
	struct route_info *all = kmalloc(sizeof(*all) * ROUTE_MAX);
	size_t n;
	bool done = true;

	if (!all)
		return false;
	/* Each batch looks at the table anew, as Linux's dump resumes by position. */
	n = route_snapshot(all, ROUTE_MAX);
	for (; d->pos < n; d->pos++) {
		if (rtnl_fill_route(b, &all[d->pos], RTM_NEWROUTE, d->pid, d->seq, NLM_F_MULTI)) {
			done = false;
			break;
		}
	}
	kfree(all);
	return done;
}

static uint16_t nud_state(const struct neigh_info *n)
{
	if (!n->complete)
		return NUD_INCOMPLETE;
	return n->stale ? NUD_STALE : NUD_REACHABLE;
}

static int fill_neigh(struct nl_buf *b, const struct neigh_info *n, const struct nl_dump *d)
{
	struct linux_ndmsg nd = { .ndm_family = AF_INET, .ndm_ifindex = n->ifindex,
				  .ndm_state = nud_state(n), .ndm_type = RTN_UNICAST };
	int off = nlmsg_begin(b, RTM_NEWNEIGH, NLM_F_MULTI, d->seq, d->pid, &nd, sizeof(nd));
	int err = off < 0 ? off : 0;

	err = err ? err : nla_put_in_addr(b, NDA_DST, n->ip);
	if (n->complete)
		err = err ? err : nla_put(b, NDA_LLADDR, n->mac, ETH_ALEN);
	err = err ? err : nla_put_u32(b, NDA_PROBES, n->probes);
	if (err) {
		if (off >= 0)
			nlmsg_cancel(b, off);
		return err;
	}
	nlmsg_end(b, off);
	return 0;
}

bool rtnl_neigh_dump(struct nl_buf *b, struct nl_dump *d)
{
	struct neigh_info *all = kmalloc(sizeof(*all) * NEIGH_MAX);
	size_t n;
	bool done = true;

	if (!all)
		return false;
	n = neigh_snapshot(all, NEIGH_MAX);
	for (; d->pos < n; d->pos++) {
		if (fill_neigh(b, &all[d->pos], d)) {
			done = false;
			break;
		}
	}
	kfree(all);
	return done;
}

/* A route request's header and attributes, checked as Linux's rtm_to_fib_config. */
struct route_req {
	struct linux_rtmsg rtm;
	struct nl_attr tb[RTA_MAX + 1];
	uint32_t table;
};

static int parse_route(const struct rtnl_req *r, struct route_req *q)
{
	int err = nl_parse(r->msg, r->len, sizeof(q->rtm), q->tb, RTA_MAX, route_policy);

	if (err)
		return err;
	memcpy(&q->rtm, r->msg + NLMSG_HDRLEN, sizeof(q->rtm));
	q->table = q->tb[RTA_TABLE].data ? nla_get_u32(&q->tb[RTA_TABLE]) : q->rtm.rtm_table;
	if (q->rtm.rtm_dst_len > 32 || q->rtm.rtm_src_len || q->rtm.rtm_tos)
		return q->rtm.rtm_dst_len > 32 ? -EINVAL : -EOPNOTSUPP;
	return 0;
}

/* The route a request describes (what it does not give stays 0 / NULL / -1). */
static int route_of(const struct route_req *q, struct route_info *ri)
{
	uint32_t mask = q->rtm.rtm_dst_len ? 0xffffffffu << (32 - q->rtm.rtm_dst_len) : 0;
	uint32_t dst = q->tb[RTA_DST].data ? nla_get_in_addr(&q->tb[RTA_DST]) : 0;

	*ri = (struct route_info){ .dst = dst & mask, .mask = mask, .metric = -1,
				   .protocol = q->rtm.rtm_protocol, .scope = q->rtm.rtm_scope };
	/* Linux's fib_table_insert: a key with bits past the prefix is EINVAL. */
	if (dst & ~mask)
		return -EINVAL;
	if (q->tb[RTA_OIF].data) {
		ri->dev = netdev_by_index((int)nla_get_u32(&q->tb[RTA_OIF]));
		if (!ri->dev)
			return -ENODEV;
	}
	if (q->tb[RTA_GATEWAY].data && nla_get_u32(&q->tb[RTA_GATEWAY])) {
		ri->gw = nla_get_in_addr(&q->tb[RTA_GATEWAY]);
		ri->flags |= RTF_GATEWAY;
	}
	if (q->tb[RTA_PRIORITY].data)
		ri->metric = (int)nla_get_u32(&q->tb[RTA_PRIORITY]);
	if (q->tb[RTA_PREFSRC].data)
		ri->prefsrc = nla_get_in_addr(&q->tb[RTA_PREFSRC]);
	if (mask == 0xffffffffu)
		ri->flags |= RTF_HOST;
	return 0;
}

int rtnl_newroute(const struct rtnl_req *r)
{
	struct rtnl_origin o = { r->sk->portid, r->seq, r->flags };
	struct route_req q;
	struct route_info ri;
	int err = parse_route(r, &q);

	if (err)
		return err;
	if (q.rtm.rtm_scope > RT_SCOPE_HOST || q.rtm.rtm_type > RTN_MAX)
		return -EINVAL;
	if ((q.table != RT_TABLE_MAIN && q.table != RT_TABLE_UNSPEC) ||
	    (q.rtm.rtm_type != RTN_UNICAST && q.rtm.rtm_type != RTN_UNREACHABLE) ||
	    q.tb[RTA_MULTIPATH].data)
		return -EOPNOTSUPP;
	err = route_of(&q, &ri);
	if (err)
		return err;
	if (q.rtm.rtm_type == RTN_UNREACHABLE)
		ri.flags |= RTF_REJECT;
	else if (!ri.dev && !(ri.flags & RTF_GATEWAY))
		return -ENODEV;		/* Linux's fib_check_nh_nongw: no device */
	if (ri.metric < 0)
		ri.metric = 0;
	if (ri.prefsrc && !ip_addr_is_local(ri.prefsrc))
		return -EINVAL;		/* Linux: "Invalid prefsrc address" */
	return route_nl_add(&ri, r->flags & NLM_F_CREATE, r->flags & NLM_F_REPLACE, &o);
}

int rtnl_delroute(const struct rtnl_req *r)
{
	struct rtnl_origin o = { r->sk->portid, r->seq, r->flags };
	struct route_req q;
	struct route_info ri;
	int err = parse_route(r, &q);

	if (err)
		return err;
	if (q.table != RT_TABLE_MAIN && q.table != RT_TABLE_UNSPEC)
		return -ESRCH;		/* Linux: "FIB table does not exist" */
	err = route_of(&q, &ri);
	if (err)
		return err;
	return route_nl_del(&ri, q.rtm.rtm_scope, &o);
}

/* RTM_GETROUTE for one destination (Linux's inet_rtm_getroute): the route a packet would take. */
int rtnl_getroute(const struct rtnl_req *r)
{
	struct process *p = current_process();
	struct route_req q;
	struct route_result res;
	struct linux_rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = 32,
				   .rtm_flags = RTM_F_CLONED };
	struct nl_buf b;
	uint32_t dst;
	int off, err = parse_route(r, &q);

	if (err && err != -EOPNOTSUPP)
		return err;
	dst = q.tb[RTA_DST].data ? nla_get_in_addr(&q.tb[RTA_DST]) : 0;
	err = route_lookup(dst, &res);
	if (err)
		return err;
	rtm.rtm_table = ip_addr_is_local(dst) ? RT_TABLE_LOCAL : RT_TABLE_MAIN;
	rtm.rtm_type = ip_addr_is_local(dst) ? RTN_LOCAL : RTN_UNICAST;
	if (nl_buf_init(&b, 256))
		return -ENOBUFS;
	off = nlmsg_begin(&b, RTM_NEWROUTE, 0, r->seq, r->sk->portid, &rtm, sizeof(rtm));
	err = off < 0 ? off : nla_put_u32(&b, RTA_TABLE, rtm.rtm_table);
	err = err ? err : nla_put_in_addr(&b, RTA_DST, dst);
	err = err ? err : nla_put_u32(&b, RTA_OIF, (uint32_t)res.dev->index);
	err = err ? err : nla_put_in_addr(&b, RTA_PREFSRC, res.src);
	if (res.nexthop != dst)
		err = err ? err : nla_put_in_addr(&b, RTA_GATEWAY, res.nexthop);
	err = err ? err : nla_put_u32(&b, RTA_UID, p ? p->cred.uid : 0);
	if (err) {
		nl_buf_free(&b);
		return err;
	}
	nlmsg_end(&b, off);
	mutex_lock(&nl_lock);
	(void)nl_deliver_buf(r->sk, &b, 0, 0);
	mutex_unlock(&nl_lock);
	return 0;
}
