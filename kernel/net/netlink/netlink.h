/* SPDX-License-Identifier: MPL-2.0 */
/*
 * AF_NETLINK's own interface (private to kernel/net/netlink; doc/net.md).
 *
 * A netlink socket (struct nl_sock) has a port id once bound (its
 * process's pid first, as Linux), multicast subscriptions (a bit per
 * group), and a queue of datagrams (struct nl_skb), each one or more
 * netlink messages.  The kernel's side, NETLINK_ROUTE (rtnetlink.c and
 * rtnl_*.c), parses what a socket sends during its sendmsg and answers
 * into that socket's queue; a dump is generated in batches, the first at
 * the request, the next ones as recvmsg drains the queue.
 *
 * Locks: nl_lock (a mutex) guards every netlink socket, its queue, its
 * subscriptions and its dump state.  Under it only spinlocks (netdev_lock,
 * route_lock, neigh_lock) are taken, to read the state a message shows.
 * The handlers that change the state run without it (the notifications
 * they cause take it).
 */
#ifndef KERNEL_NET_NETLINK_NETLINK_H
#define KERNEL_NET_NETLINK_NETLINK_H
#include <aster/list.h>
#include <aster/sync.h>
#include <aster/types.h>
#include <aster/wait.h>
#include "net/netlink/rtnl.h"
#include "net/socket.h"
#include "uapi/netlink.h"

/* What a queued datagram costs its receiver beyond its bytes (as Linux's skb truesize). */
#define NL_SKB_OVERHEAD		768
/* A dump's batch: Linux's NLMSG_GOODSIZE, or more when the reader's buffers are bigger. */
#define NL_GOODSIZE		3776
#define NL_MAX_BATCH		32448
/* Groups rtnetlink has (Linux's RTNLGRP_MAX): bits of nl_sock.groups. */
#define NL_NGROUPS		RTNLGRP_MAX

#define NLMSG_ALIGN(n)		(((n) + NLMSG_ALIGNTO - 1) & ~(uint32_t)(NLMSG_ALIGNTO - 1))
#define NLA_ALIGN(n)		(((n) + NLA_ALIGNTO - 1) & ~(uint32_t)(NLA_ALIGNTO - 1))

/* One datagram on a socket's queue. */
struct nl_skb {
	struct list_node node;
	uint8_t *data;
	uint32_t len;
	uint32_t src_pid;		/* the sender's port id: 0 for the kernel */
	uint32_t group;			/* the multicast group it went to (0: unicast) */
};

enum nl_dump_kind { NL_DUMP_NONE, NL_DUMP_LINK, NL_DUMP_ADDR, NL_DUMP_ROUTE, NL_DUMP_NEIGH };

/* A dump in progress (Linux's netlink_callback). */
struct nl_dump {
	enum nl_dump_kind kind;
	uint32_t seq, pid;		/* of the request, in every part */
	uint32_t pos;			/* the next entry to show */
	int ifindex;			/* only this interface (0: all) */
	bool entries_done;		/* NLMSG_DONE is what is left */
	int32_t done_errno;		/* what NLMSG_DONE carries (a failed dump's -errno) */
};

/* Socket flags (SOL_NETLINK options). */
#define NLF_PKTINFO		0x01
#define NLF_BROADCAST_ERROR	0x02
#define NLF_NO_ENOBUFS		0x04
#define NLF_LISTEN_ALL_NSID	0x08
#define NLF_CAP_ACK		0x10
#define NLF_EXT_ACK		0x20
#define NLF_STRICT_CHK		0x40

struct nl_sock {
	struct list_node all;		/* nl_socks */
	struct socket *sock;
	uint32_t portid;
	bool bound;
	uint64_t groups;		/* bit g - 1: member of group g */
	uint32_t dst_pid, dst_group;	/* connect() */
	unsigned int flags;		/* NLF_* */
	bool admin;			/* opened by a CAP_NET_ADMIN caller */
	bool has_groups;		/* ever subscribed (Linux allocates its groups then) */
	struct list_node rxq;		/* struct nl_skb */
	uint32_t rmem;
	bool congested;			/* overrun: drop until the queue empties (Linux's NETLINK_S_CONGESTED) */
	uint32_t max_recvmsg_len;
	uint64_t drops;
	struct nl_dump dump;
	uint64_t rseq, wseq;		/* poll_seq: reads, arrivals */
	struct wait_queue wq;
};

extern struct mutex nl_lock;
extern struct list_node nl_socks;

/* ---- messages being built (nlmsg.c) ---- */

struct nl_buf {
	uint8_t *data;
	uint32_t len, cap;
};

/* A buffer of cap bytes: 0 or -ENOMEM. */
int nl_buf_init(struct nl_buf *b, uint32_t cap);
void nl_buf_free(struct nl_buf *b);
/* Begin a message with its family header (fam, famlen bytes): the message's offset, or -EMSGSIZE. */
int nlmsg_begin(struct nl_buf *b, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid,
		const void *fam, uint32_t famlen);
/* Set the length of the message begun at off / drop it. */
void nlmsg_end(struct nl_buf *b, int off);
void nlmsg_cancel(struct nl_buf *b, int off);
/* An attribute: 0 or -EMSGSIZE. */
int nla_put(struct nl_buf *b, uint16_t type, const void *data, uint32_t len);
int nla_put_u8(struct nl_buf *b, uint16_t type, uint8_t v);
int nla_put_u32(struct nl_buf *b, uint16_t type, uint32_t v);
int nla_put_str(struct nl_buf *b, uint16_t type, const char *s);
/* An IPv4 address (host order) in network order. */
int nla_put_in_addr(struct nl_buf *b, uint16_t type, uint32_t addr);

/* ---- messages received: attributes (nlmsg.c) ---- */

/* How an attribute type is checked (Linux's nla_policy, the kinds used here). */
enum nla_kind { NLA_NONE, NLA_U8, NLA_U16, NLA_U32, NLA_STRING, NLA_BINARY, NLA_NESTED };
struct nla_policy {
	enum nla_kind kind;
	uint16_t len;			/* NLA_STRING, NLA_BINARY: the most bytes (0: any) */
};
struct nl_attr {
	const uint8_t *data;		/* NULL: absent */
	uint32_t len;
};
#define NL_ATTR_MAX	64

/*
 * Linux's nlmsg_parse_deprecated: the attributes after a family header of
 * hdrlen bytes, into tb[0..max] (max < NL_ATTR_MAX).  A message shorter
 * than the header is -EINVAL; parsing stops at the first malformed
 * attribute; types past max are ignored; one that breaks its policy is
 * -ERANGE (-EINVAL for a string with nothing in it... as Linux).
 */
int nl_parse(const uint8_t *msg, uint32_t msglen, uint32_t hdrlen, struct nl_attr *tb, int max,
	     const struct nla_policy *pol);
uint32_t nla_get_u32(const struct nl_attr *a);
uint8_t nla_get_u8(const struct nl_attr *a);
/* A network-order IPv4 address attribute, in host order. */
uint32_t nla_get_in_addr(const struct nl_attr *a);
/* A string attribute into out (size bytes, NUL-terminated). */
void nla_get_str(const struct nl_attr *a, char *out, size_t size);

/* ---- delivery (nlmsg.c) ---- */

/*
 * Queue a copy of data on sk (nl_lock held) from src_pid to group: 0, or
 * -ENOBUFS when sk's receive buffer is full (overrun: ENOBUFS is
 * reported to sk, unless NETLINK_NO_ENOBUFS), -ENOMEM.
 */
int nl_deliver(struct nl_sock *sk, const uint8_t *data, uint32_t len, uint32_t src_pid,
	       uint32_t group);
/* The same, taking the buffer (data kmalloc'ed; freed on failure). */
int nl_deliver_buf(struct nl_sock *sk, struct nl_buf *b, uint32_t src_pid, uint32_t group);
/*
 * Send data to every member of group whose port id is not exclude_pid
 * (nl_lock held), as Linux's netlink_broadcast: the kernel's notifications
 * exclude 0 (unbound sockets) or the requester that gets an echo.
 */
void nl_broadcast(const uint8_t *data, uint32_t len, uint32_t src_pid, uint32_t group,
		  uint32_t exclude_pid);
/* Is the caller allowed to administer the network (CAP_NET_ADMIN)? */
bool nl_capable(void);
/* Room was made on some socket's queue (nl_lock held): wake blocked senders. */
void nl_room_made(void);
/* The socket bound to portid (nl_lock held), or NULL. */
struct nl_sock *nl_lookup(uint32_t portid);
/* Take skb off sk's queue and free it (nl_lock held), as a read does. */
void nl_dequeue(struct nl_sock *sk, struct nl_skb *skb);
/* Answer the request at req (an acknowledgment when err is 0) on sk (nl_lock held). */
void nl_ack(struct nl_sock *sk, const uint8_t *req, uint32_t reqlen, int err);
/* Anything changed in readiness (nl_lock held). */
void nl_wake(struct nl_sock *sk);

/* ---- rtnetlink (rtnetlink.c, rtnl_link.c, rtnl_addr.c, rtnl_route.c) ---- */

/* What sk sent the kernel (a datagram of len bytes): every request in it answered. */
void rtnl_input(struct nl_sock *sk, const uint8_t *data, uint32_t len);
/* Generate sk's next batch of its dump (nl_lock held): 0 or -errno. */
int rtnl_dump_next(struct nl_sock *sk);

/* A request as a handler sees it. */
struct rtnl_req {
	struct nl_sock *sk;
	const uint8_t *msg;		/* the whole message, header included */
	uint32_t len;
	uint16_t type, flags;
	uint32_t seq;
};

/* Handlers: 0 or -errno (answered as NLMSG_ERROR). */
int rtnl_getlink(const struct rtnl_req *r);
int rtnl_setlink(const struct rtnl_req *r);
int rtnl_newlink(const struct rtnl_req *r);
int rtnl_dellink(const struct rtnl_req *r);
int rtnl_newaddr(const struct rtnl_req *r);
int rtnl_deladdr(const struct rtnl_req *r);
int rtnl_newroute(const struct rtnl_req *r);
int rtnl_delroute(const struct rtnl_req *r);
int rtnl_getroute(const struct rtnl_req *r);
/* Check a dump request, set sk->dump's filters: 0 or -EINVAL (strict checking). */
int rtnl_link_dump_check(const struct rtnl_req *r, struct nl_dump *d);
int rtnl_addr_dump_check(const struct rtnl_req *r, struct nl_dump *d);
/* Fill b with the dump's next entries from d->pos: true when all were shown. */
bool rtnl_link_dump(struct nl_buf *b, struct nl_dump *d);
bool rtnl_addr_dump(struct nl_buf *b, struct nl_dump *d);
bool rtnl_route_dump(struct nl_buf *b, struct nl_dump *d);
bool rtnl_neigh_dump(struct nl_buf *b, struct nl_dump *d);

/* One link / address / route message into b: 0 or -EMSGSIZE. */
int rtnl_fill_link(struct nl_buf *b, struct net_device *dev, uint16_t type, uint32_t pid,
		   uint32_t seq, uint16_t flags, uint32_t change);
int rtnl_fill_addr(struct nl_buf *b, const struct rtnl_addr *a, uint16_t type, uint32_t pid,
		   uint32_t seq, uint16_t flags);
int rtnl_fill_route(struct nl_buf *b, const struct route_info *ri, uint16_t type, uint32_t pid,
		    uint32_t seq, uint16_t flags);
/*
 * Send the message in b to group's members, and to the requester when it
 * asked for NLM_F_ECHO (Linux's rtnl_notify); frees b.
 */
void rtnl_send_notify(struct nl_buf *b, uint32_t group, const struct rtnl_origin *o);

#endif
