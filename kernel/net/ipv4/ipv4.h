/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The IPv4 stack's own interface (private to kernel/net/ipv4; doc/net.md).
 *
 * Addresses and ports are host byte order everywhere inside; they are
 * converted at the wire (get_be32/put_be32) and at the user's
 * sockaddr_in.  Locks, outermost first: inet_lock (a mutex: every inet
 * socket's state, the port tables), then route_lock and neigh_lock
 * (spinlocks: the routing table, the neighbour cache), then the device
 * layer's.  ip_output may be called with inet_lock held or not: it
 * takes only the spinlocks, and the loopback device only queues.
 */
#ifndef KERNEL_NET_IPV4_IPV4_H
#define KERNEL_NET_IPV4_IPV4_H
#include <aster/wait.h>
#include "net/dev/netdev.h"
#include "net/socket.h"
#include "process/capability.h"
#include "uapi/in.h"

#define IP_HLEN		20
#define UDP_HLEN	8
#define ICMP_HLEN	8
#define IP_DEFAULT_TTL	64
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff
#define IP_MAX_LEN	65535

#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PROT_UNREACH	2
#define ICMP_PORT_UNREACH	3

/* What the receive path learnt of a packet's IPv4 header. */
struct ip_info {
	uint32_t saddr, daddr;
	uint8_t proto, ttl, tos;
	bool broadcast;		/* to a broadcast address */
	uint32_t hdr_off;	/* offset of the IP header in the pkt's buf */
	uint32_t hdr_len;
};

/* MIB counters (/proc/net/snmp later); under inet_lock or racy reads. */
struct ip_mib {
	uint64_t in_receives, in_hdr_errors, in_addr_errors, in_unknown_protos, in_delivers;
	uint64_t reasm_fails, reasm_oks, out_requests, out_no_routes, frag_fails, frag_creates;
	uint64_t udp_in, udp_no_ports, udp_in_errors, udp_rcvbuf_errors, udp_out;
	uint64_t icmp_in, icmp_in_errors, icmp_out;
};
extern struct ip_mib ip_mib;

/* ---- sockets (af_inet.c) ---- */

enum inet_kind { INET_UDP, INET_PING, INET_RAW, INET_TCP };

struct inet_sock {
	struct list_node all;		/* inet_socks, under inet_lock */
	struct socket *sock;		/* NULL once released */
	enum inet_kind kind;
	uint32_t laddr;			/* bound address (0: any) */
	uint32_t saddr;			/* source in use: laddr, or chosen at connect */
	uint16_t lport;			/* 0: unbound; a ping socket's echo identifier */
	uint32_t raddr;
	uint16_t rport;
	bool connected;
	bool addr_locked, port_locked;	/* bound by the user (kept across disconnect) */
	uint8_t shutdown;		/* RCV_SHUTDOWN, SEND_SHUTDOWN */
	int ttl;			/* -1: default */
	int tos;
	bool recverr;
	struct list_node rxq;		/* struct pkt, payload at data */
	uint32_t rmem;
	uint64_t drops;
	uint64_t rseq, wseq;		/* poll_seq: reads, arrivals */
	struct wait_queue wq;
};

extern struct mutex inet_lock;
extern struct list_node inet_socks;

static inline struct inet_sock *inet_sk(struct socket *s)
{
	return s->sk;
}
/* Does the caller have cap (CAP_NET_ADMIN, CAP_NET_RAW, CAP_NET_BIND_SERVICE) in its effective set? */
bool inet_capable(int cap);
/* Queue a received packet for the socket (inet_lock held); false: no room (the caller frees it). */
bool inet_queue(struct inet_sock *sk, struct pkt *p);
/* A hard ICMP error for sk (inet_lock held): SO_ERROR, waking readers. */
void inet_set_error(struct inet_sock *sk, int err);
/* sockaddr_in from a user's struct sock_addr: 0, -EINVAL (short), -EAFNOSUPPORT. */
int inet_parse_addr(const struct sock_addr *a, uint32_t *addr, uint16_t *port);
void inet_make_addr(struct sock_addr *a, uint32_t addr, uint16_t port);
/* Bind sk to a free ephemeral port of its kind (inet_lock held): 0, -EAGAIN. */
int inet_autobind(struct inet_sock *sk);
/* The source address for daddr: sk's, else the route's (inet_lock held). */
int inet_pick_source(struct inet_sock *sk, uint32_t daddr, uint32_t *saddr);
/* Wait for a datagram (inet_lock held, dropped while asleep): 0 or -errno. */
int inet_wait_data(struct inet_sock *sk, struct socket *s, bool nonblock);
/* Copy the first queued packet out to m as recvmsg does (inet_lock held): bytes or -errno. */
ssize_t inet_recv_pkt(struct inet_sock *sk, struct socket *s, struct sock_msg *m);

/* ---- UDP (udp.c) and ping/raw (ping.c) ---- */

void udp_rcv(struct pkt *p, const struct ip_info *ip);
void udp_err(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport, int err);
ssize_t udp_sendmsg(struct socket *s, struct sock_msg *m);
bool ping_rcv(struct pkt *p, const struct ip_info *ip);
void raw_rcv(struct pkt *p, const struct ip_info *ip);
ssize_t ping_sendmsg(struct socket *s, struct sock_msg *m);
ssize_t raw_sendmsg(struct socket *s, struct sock_msg *m);
/* Is port used by another socket of kind (inet_lock held); sk itself excluded. */
bool inet_port_used(enum inet_kind kind, uint32_t addr, uint16_t port, const struct inet_sock *sk);

/* ---- TCP (tcp*.c; its own header is tcp.h) ---- */

void tcp_rcv(struct pkt *p, const struct ip_info *ip);
void tcp_err(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport, int err);
/* The socket of socket(AF_INET, SOCK_STREAM, 0 or IPPROTO_TCP): 0, -ENOMEM. */
int tcp_create(struct socket *s);
/* Is port taken for a bind of sk (NULL: any use counts, for ephemeral ports; inet_lock held). */
bool tcp_port_used(uint32_t addr, uint16_t port, const struct inet_sock *sk);
/* The IPPROTO_IP options every inet socket shares (af_inet.c). */
int inet_ip_setsockopt(struct socket *s, int level, int name, uaddr_t val, uint32_t len);
int inet_ip_getsockopt(struct socket *s, int level, int name, uaddr_t val, uaddr_t lenp);

/* ---- IP (ip.c), ICMP (icmp.c) ---- */

uint16_t inet_csum(const uint8_t *b, size_t len, uint32_t sum);
uint32_t inet_csum_add(const uint8_t *b, size_t len, uint32_t sum);
uint16_t inet_csum_fold(uint32_t sum);
/* The pseudo-header sum of UDP (RFC 768). */
uint32_t inet_pseudo_sum(uint32_t saddr, uint32_t daddr, uint8_t proto, uint32_t len);

struct ip_out {
	uint32_t saddr, daddr;		/* saddr 0: the route's */
	uint8_t proto, tos;
	int ttl;			/* -1: default */
	bool broadcast_ok;		/* SO_BROADCAST */
};
/* Send p (its transport header and payload in place), in fragments past the MTU: 0, -ENETUNREACH, -EMSGSIZE, -EACCES... */
int ip_output(struct pkt *p, const struct ip_out *o);
/* Send p, an IPPROTO_RAW socket's datagram with its own IPv4 header (Linux's raw_send_hdrinc). */
int ip_output_hdrincl(struct pkt *p, const struct ip_out *o);
/* Is addr one of ours (an interface address or 127/8 while lo is up). */
bool ip_addr_is_local(uint32_t addr);
bool ip_addr_is_broadcast(uint32_t addr);

/*
 * A fragment (p at its IP header, ip from ip_check): the whole datagram,
 * with a fresh header, once its last piece came; else NULL (p kept or
 * dropped).  Bounded in memory and time (reasm.c).
 */
struct pkt *ip_defrag(struct pkt *p, const struct ip_info *ip);

void icmp_rcv(struct pkt *p, const struct ip_info *ip);
/* Answer the packet p (its IP header at ip->hdr_off) with an ICMP error. */
void icmp_send_error(struct pkt *p, const struct ip_info *ip, uint8_t type, uint8_t code);

/* ---- routes (route.c), neighbours (arp.c) ---- */

struct route_result {
	struct net_device *dev;
	uint32_t nexthop;
	uint32_t src;
};
int route_lookup(uint32_t daddr, struct route_result *r);
/* SIOCADDRT/SIOCDELRT: 0, -EEXIST, -ESRCH, -ENOBUFS, -ENODEV, -ENETUNREACH. */
int route_add(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev, int metric,
	      uint16_t flags);
int route_del(uint32_t dst, uint32_t mask, uint32_t gw, struct net_device *dev, int metric);

/* The routing table's size; a dump's snapshot of it, in Linux's order: the count. */
#define ROUTE_MAX	256
struct route_info;
struct rtnl_origin;
size_t route_snapshot(struct route_info *out, size_t max);
/*
 * RTM_NEWROUTE (ri->dev may be NULL with a gateway): 0, -EEXIST, -ENOENT,
 * -ENOBUFS, -ENETDOWN (dev is down), -ENETUNREACH (the gateway is on no
 * connected route, of dev when given).
 */
int route_nl_add(struct route_info *ri, bool create, bool replace, const struct rtnl_origin *o);
/* RTM_DELROUTE: the first route matching what ri gives (metric -1, gw 0... any): 0, -ESRCH. */
int route_nl_del(const struct route_info *ri, uint8_t scope, const struct rtnl_origin *o);

/* The neighbour cache as RTM_GETNEIGH shows it. */
#define NEIGH_MAX	64
struct neigh_info {
	int ifindex;
	uint32_t ip;
	uint8_t mac[ETH_ALEN];
	bool complete, stale;
	uint32_t probes;
};
size_t neigh_snapshot(struct neigh_info *out, size_t max);

/* Send an IPv4 packet (header in place) on an Ethernet dev to nexthop, resolving its MAC. */
int arp_output(struct net_device *dev, uint32_t nexthop, struct pkt *p);


struct rtnl_origin;
/*
 * Give d the one IPv4 address it can hold (devinet.c: there is one per
 * interface), telling rtnetlink's members: 0.  Remove it.
 */
int inet_addr_set(struct net_device *d, uint32_t addr, uint32_t mask, uint32_t brd, uint8_t scope,
		  const struct rtnl_origin *o);
void inet_addr_del(struct net_device *d, const struct rtnl_origin *o);

#endif
