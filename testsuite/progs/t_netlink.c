// SPDX-License-Identifier: MPL-2.0
// AF_NETLINK / NETLINK_ROUTE: sockets (creation, port ids, bind, names,
// options), message validation (short and garbage messages, unknown
// types, acknowledgments), dumps (links, addresses, routes; a dump longer
// than a read continued on the next; EBUSY; strict checking), requests
// that change the state (link MTU, addresses, routes) and their errors,
// EPERM without CAP_NET_ADMIN, ENOBUFS on a full receive buffer,
// multicast notifications, and random and mutated messages thrown at the
// kernel.  Runs as root (the initramfs); unprivileged parts in a child
// with setuid(65534).  Passes on Linux too (make check-linux).
#include "check.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#if __has_include(<linux/rtnetlink.h>)
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#else
/* musl has no Linux UAPI headers: what this test uses, with Linux's values. */
#include <stdint.h>
struct sockaddr_nl { unsigned short nl_family, nl_pad; uint32_t nl_pid, nl_groups; };
struct nlmsghdr { uint32_t nlmsg_len; uint16_t nlmsg_type, nlmsg_flags; uint32_t nlmsg_seq, nlmsg_pid; };
struct nlmsgerr { int error; struct nlmsghdr msg; };
struct rtattr { unsigned short rta_len, rta_type; };
struct rtgenmsg { unsigned char rtgen_family; };
struct ifinfomsg { unsigned char ifi_family, __ifi_pad; unsigned short ifi_type; int ifi_index; unsigned ifi_flags, ifi_change; };
struct ifaddrmsg { uint8_t ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; uint32_t ifa_index; };
struct rtmsg { unsigned char rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table, rtm_protocol, rtm_scope, rtm_type; unsigned rtm_flags; };
#define NETLINK_ROUTE 0
#define NLM_F_REQUEST 1
#define NLM_F_MULTI 2
#define NLM_F_ACK 4
#define NLM_F_ECHO 8
#define NLM_F_DUMP 0x300
#define NLM_F_REPLACE 0x100
#define NLM_F_EXCL 0x200
#define NLM_F_CREATE 0x400
#define NLMSG_NOOP 1
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define NLMSG_ALIGNTO 4U
#define NLMSG_ALIGN(len) (((len) + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1))
#define NLMSG_HDRLEN ((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_LENGTH(len) ((len) + NLMSG_HDRLEN)
#define NLMSG_DATA(nlh) ((void *)(((char *)(nlh)) + NLMSG_HDRLEN))
#define NLMSG_NEXT(nlh, len) ((len) -= NLMSG_ALIGN((nlh)->nlmsg_len), \
	(struct nlmsghdr *)(((char *)(nlh)) + NLMSG_ALIGN((nlh)->nlmsg_len)))
#define NLMSG_OK(nlh, len) ((len) >= (int)sizeof(struct nlmsghdr) && \
	(nlh)->nlmsg_len >= sizeof(struct nlmsghdr) && (nlh)->nlmsg_len <= (len))
#define RTA_ALIGNTO 4U
#define RTA_ALIGN(len) (((len) + RTA_ALIGNTO - 1) & ~(RTA_ALIGNTO - 1))
#define RTA_OK(rta, len) ((len) >= (int)sizeof(struct rtattr) && \
	(rta)->rta_len >= sizeof(struct rtattr) && (rta)->rta_len <= (len))
#define RTA_NEXT(rta, attrlen) ((attrlen) -= RTA_ALIGN((rta)->rta_len), \
	(struct rtattr *)(((char *)(rta)) + RTA_ALIGN((rta)->rta_len)))
#define RTA_LENGTH(len) (RTA_ALIGN(sizeof(struct rtattr)) + (len))
#define RTA_DATA(rta) ((void *)(((char *)(rta)) + RTA_LENGTH(0)))
#define NETLINK_ADD_MEMBERSHIP 1
#define NETLINK_DROP_MEMBERSHIP 2
#define NETLINK_PKTINFO 3
#define NETLINK_NO_ENOBUFS 5
#define NETLINK_LIST_MEMBERSHIPS 9
#define NETLINK_CAP_ACK 10
#define RTM_NEWLINK 16
#define RTM_DELLINK 17
#define RTM_GETLINK 18
#define RTM_SETLINK 19
#define RTM_NEWADDR 20
#define RTM_DELADDR 21
#define RTM_GETADDR 22
#define RTM_NEWROUTE 24
#define RTM_DELROUTE 25
#define RTM_GETROUTE 26
#define RTM_GETNEIGH 30
#define RTMGRP_LINK 1
#define RTMGRP_IPV4_IFADDR 0x10
#define RTMGRP_IPV4_ROUTE 0x40
#define RTNLGRP_LINK 1
#define IFLA_ADDRESS 1
#define IFLA_IFNAME 3
#define IFLA_MTU 4
#define IFLA_TXQLEN 13
#define IFLA_OPERSTATE 16
#define IFLA_STATS64 23
#define IFA_ADDRESS 1
#define IFA_LOCAL 2
#define IFA_LABEL 3
#define IFA_F_PERMANENT 0x80
#define RTA_DST 1
#define RTA_OIF 4
#define RTA_GATEWAY 5
#define RTA_PRIORITY 6
#define RTA_PREFSRC 7
#define RTN_UNICAST 1
#define RTPROT_BOOT 3
#define RT_SCOPE_UNIVERSE 0
#define RT_SCOPE_LINK 253
#define RT_SCOPE_HOST 254
#define RT_SCOPE_NOWHERE 255
#define RT_TABLE_MAIN 254
#endif
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif

#define BUFSZ 65536
static unsigned char rbuf[BUFSZ];
static int lo_index;

struct req {
	struct nlmsghdr h;
	unsigned char body[1024];
};

static int nl_open(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

/* Start a request with a family header of hlen bytes. */
static void req_init(struct req *r, int type, int flags, unsigned seq, const void *hdr, size_t hlen)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(hlen);
	r->h.nlmsg_type = (unsigned short)type;
	r->h.nlmsg_flags = (unsigned short)flags;
	r->h.nlmsg_seq = seq;
	if (hlen)
		memcpy(NLMSG_DATA(&r->h), hdr, hlen);
}

static void req_attr(struct req *r, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)&r->h + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void req_u32(struct req *r, int type, uint32_t v)
{
	req_attr(r, type, &v, 4);
}

static void req_addr(struct req *r, int type, const char *a)
{
	struct in_addr in;

	inet_pton(AF_INET, a, &in);
	req_attr(r, type, &in, 4);
}

static long nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	return sendto(fd, buf, len, 0, (struct sockaddr *)&k, sizeof(k));
}

static long send_req(int fd, struct req *r)
{
	return nl_send(fd, r, r->h.nlmsg_len);
}

/* The errno of the NLMSG_ERROR answering seq (0: an ack), or 1 when another reply came first, -1 none. */
static int wait_ack(int fd, unsigned seq)
{
	for (;;) {
		long n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		struct nlmsghdr *h = (struct nlmsghdr *)rbuf;

		if (n < 0)
			return -1;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
		}
	}
}

/* One request answered by an ack or an error: its errno (0: success). */
static int do_req(int fd, struct req *r)
{
	r->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send_req(fd, r) < 0)
		return -2;
	return wait_ack(fd, r->h.nlmsg_seq);
}

typedef void (*msg_fn)(struct nlmsghdr *h, void *ctx);

struct dump_res {
	int msgs, datagrams, done_err, bad_seq, not_multi;
	bool done;
};

/* Read a dump of seq to its NLMSG_DONE with reads of bufsz bytes, calling fn on each message. */
static struct dump_res read_dump(int fd, unsigned seq, size_t bufsz, msg_fn fn, void *ctx)
{
	struct dump_res d = { 0 };

	while (!d.done) {
		long n = recv(fd, rbuf, bufsz, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)rbuf;

		if (n <= 0)
			break;
		d.datagrams++;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq) {
				d.bad_seq++;
				continue;
			}
			if (!(h->nlmsg_flags & NLM_F_MULTI) && h->nlmsg_type != NLMSG_ERROR)
				d.not_multi++;
			if (h->nlmsg_type == NLMSG_DONE) {
				d.done = true;
				d.done_err = *(int *)NLMSG_DATA(h);
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				d.done = true;
				d.done_err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				break;
			}
			d.msgs++;
			if (fn)
				fn(h, ctx);
		}
	}
	return d;
}

static struct dump_res dump(int fd, int type, int family, unsigned seq, msg_fn fn, void *ctx)
{
	struct rtgenmsg g = { .rtgen_family = (unsigned char)family };
	struct req r;

	req_init(&r, type, NLM_F_REQUEST | NLM_F_DUMP, seq, &g, sizeof(g));
	if (send_req(fd, &r) < 0)
		return (struct dump_res){ .done_err = -errno };
	return read_dump(fd, seq, BUFSZ, fn, ctx);
}

static struct rtattr *find_attr(struct nlmsghdr *h, size_t hlen, int type)
{
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(hlen);
	struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(hlen));

	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == type)
			return a;
	return NULL;
}

static uint32_t attr_u32(struct rtattr *a)
{
	uint32_t v = 0;

	if (a)
		memcpy(&v, RTA_DATA(a), 4);
	return v;
}

static int as_nobody(int (*fn)(void))
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(99);
		_exit(fn());
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 98;
}

/* The tests need lo up (Linux's init may leave it down): through netlink. */
static void lo_up(void)
{
	struct ifinfomsg ifi = { .ifi_index = lo_index, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	int fd = nl_open();
	struct req r;

	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 1, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), 0, "lo up through RTM_NEWLINK");
	close(fd);
}

/* ---- sockets ---- */

static void test_socket(void)
{
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);
	int fd, fd2, fd3;

	fd = nl_open();
	CHECK_OK(fd, "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)");
	CHECK_OK(fd2 = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK, NETLINK_ROUTE),
		 "socket(AF_NETLINK, SOCK_DGRAM|SOCK_NONBLOCK)");
	CHECK_ERR(socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE), ESOCKTNOSUPPORT,
		  "SOCK_STREAM netlink is ESOCKTNOSUPPORT");
	CHECK_ERR(socket(AF_NETLINK, SOCK_RAW, 32), EPROTONOSUPPORT, "protocol 32 (MAX_LINKS)");
	CHECK_ERR(socket(AF_NETLINK, SOCK_RAW, -1), EPROTONOSUPPORT, "protocol -1");
	CHECK_ERR(socket(AF_NETLINK, SOCK_RAW, 3), EPROTONOSUPPORT, "a protocol nobody registered (3)");
	CHECK_ERR(recv(fd2, rbuf, 16, 0), EAGAIN, "SOCK_NONBLOCK: nothing queued is EAGAIN");
	CHECK_ERR(recv(fd, rbuf, 16, MSG_DONTWAIT), EAGAIN, "MSG_DONTWAIT: EAGAIN");

	memset(&a, 0xff, sizeof(a));
	CHECK_OK(getsockname(fd, (struct sockaddr *)&a, &len), "getsockname unbound");
	CHECK(len == sizeof(a) && a.nl_family == AF_NETLINK && a.nl_pid == 0 && a.nl_groups == 0,
	      "unbound: pid 0, no groups", "len %u family %u pid %u groups %u", len, a.nl_family,
	      a.nl_pid, a.nl_groups);

	memset(&a, 0, sizeof(a));
	a.nl_family = AF_NETLINK;
	CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL, "bind: short address");
	a.nl_family = AF_INET;
	CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a)), EINVAL, "bind: another family");
	a.nl_family = AF_NETLINK;
	CHECK_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)), "bind pid 0 (autobind)");
	len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	CHECK_RET(a.nl_pid, (long)getpid(), "autobind takes the process's pid first");

	fd3 = nl_open();
	a.nl_pid = (uint32_t)getpid();
	CHECK_ERR(bind(fd3, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE, "bind to a pid in use");
	a.nl_pid = 0;
	CHECK_OK(bind(fd3, (struct sockaddr *)&a, sizeof(a)), "second socket autobinds");
	len = sizeof(a);
	getsockname(fd3, (struct sockaddr *)&a, &len);
	CHECK((int32_t)a.nl_pid < 0, "the next ids are negative", "pid %d", (int)a.nl_pid);
	a.nl_pid = 12345;
	CHECK_ERR(bind(fd3, (struct sockaddr *)&a, sizeof(a)), EINVAL, "rebind to another pid");
	close(fd3);

	a = (struct sockaddr_nl){ .nl_family = AF_NETLINK, .nl_pid = 0x7000123,
				  .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_ROUTE };
	fd3 = nl_open();
	CHECK_OK(bind(fd3, (struct sockaddr *)&a, sizeof(a)), "bind an explicit pid and groups");
	len = sizeof(a);
	memset(&a, 0, sizeof(a));
	getsockname(fd3, (struct sockaddr *)&a, &len);
	CHECK(a.nl_pid == 0x7000123 && a.nl_groups == (RTMGRP_LINK | RTMGRP_IPV4_ROUTE),
	      "getsockname shows pid and groups", "pid %x groups %x", a.nl_pid, a.nl_groups);
	memset(&a, 0xff, sizeof(a));
	len = sizeof(a);
	CHECK_OK(getpeername(fd3, (struct sockaddr *)&a, &len), "getpeername (the kernel)");
	CHECK(a.nl_pid == 0 && a.nl_groups == 0, "peer is pid 0", "pid %u", a.nl_pid);
	close(fd3);
	close(fd2);
	close(fd);
}

static void test_sockopt(void)
{
	int fd = nl_open(), v = 1;
	socklen_t len = sizeof(v);
	uint32_t words[4] = { 0 };
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_IPV4_IFADDR };

	len = sizeof(words);
	CHECK_OK(getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, words, &len),
		 "NETLINK_LIST_MEMBERSHIPS of a fresh socket");
	CHECK_RET(len, 0, "no groups yet: length 0");
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	v = RTNLGRP_LINK;
	CHECK_OK(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, sizeof(v)),
		 "NETLINK_ADD_MEMBERSHIP RTNLGRP_LINK");
	len = sizeof(words);
	CHECK_OK(getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, words, &len),
		 "NETLINK_LIST_MEMBERSHIPS");
	CHECK(len >= 4 && len % 4 == 0 && words[0] == (RTMGRP_IPV4_IFADDR | RTMGRP_LINK),
	      "memberships: the groups", "len %u word %x", len, words[0]);
	v = 0;
	CHECK_ERR(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, sizeof(v)), EINVAL,
		  "group 0 is EINVAL");
	v = 1000;
	CHECK_ERR(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, sizeof(v)), EINVAL,
		  "a group past the protocol's is EINVAL");
	v = RTNLGRP_LINK;
	CHECK_OK(setsockopt(fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, &v, sizeof(v)),
		 "NETLINK_DROP_MEMBERSHIP");
	v = 1;
	CHECK_OK(setsockopt(fd, SOL_NETLINK, NETLINK_PKTINFO, &v, sizeof(v)), "NETLINK_PKTINFO on");
	v = 7;
	len = sizeof(v);
	CHECK_OK(getsockopt(fd, SOL_NETLINK, NETLINK_PKTINFO, &v, &len), "get NETLINK_PKTINFO");
	CHECK(v == 1 && len == sizeof(int), "NETLINK_PKTINFO reads 1", "v %d len %u", v, len);
	len = 2;
	CHECK_ERR(getsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &v, &len), EINVAL,
		  "a flag option into 2 bytes is EINVAL");
	CHECK_ERR(setsockopt(fd, SOL_NETLINK, 99, &v, sizeof(v)), ENOPROTOOPT, "unknown option");
	len = sizeof(v);
	CHECK_ERR(getsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, &len), ENOPROTOOPT,
		  "NETLINK_ADD_MEMBERSHIP cannot be read");
	CHECK_ERR(setsockopt(fd, SOL_IP, 2, &v, sizeof(v)), ENOPROTOOPT, "SOL_IP on netlink");
	close(fd);
}

/* Between sockets: unicast to a port id (root), epoll readiness. */
static void test_unicast(void)
{
	int a = nl_open(), b = nl_open(), ep = epoll_create1(0);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_pid = 0x6000001 };
	struct sockaddr_nl sb = { .nl_family = AF_NETLINK, .nl_pid = 0x6000002 };
	struct sockaddr_nl from;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;
	socklen_t fl = sizeof(from);
	char msg[16] = "0123456789abcde";
	long n;

	bind(a, (struct sockaddr *)&sa, sizeof(sa));
	bind(b, (struct sockaddr *)&sb, sizeof(sb));
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev), "epoll_ctl ADD a netlink socket");
	CHECK_RET(epoll_wait(ep, &out, 1, 0), 0, "epoll: nothing yet");
	CHECK_RET(sendto(a, msg, sizeof(msg), 0, (struct sockaddr *)&sb, sizeof(sb)), 16,
		  "root sends to another socket's port id");
	CHECK_RET(epoll_wait(ep, &out, 1, 1000), 1, "epoll: EPOLLIN on the receiver");
	CHECK_RET(epoll_wait(ep, &out, 1, 0), 0, "EPOLLET: one edge");
	n = recvfrom(b, rbuf, sizeof(rbuf), 0, (struct sockaddr *)&from, &fl);
	CHECK(n == 16 && !memcmp(rbuf, msg, 16) && from.nl_pid == 0x6000001 && from.nl_groups == 0,
	      "the receiver reads it, from the sender's port id", "n %ld pid %x", n, from.nl_pid);
	sb.nl_pid = 0x6000003;
	CHECK_ERR(sendto(a, msg, sizeof(msg), 0, (struct sockaddr *)&sb, sizeof(sb)), ECONNREFUSED,
		  "to a port id nobody has: ECONNREFUSED");
	sb.nl_pid = 0x6000002;
	CHECK_OK(connect(a, (struct sockaddr *)&sb, sizeof(sb)), "connect to the other socket");
	CHECK_RET(send(a, msg, 4, 0), 4, "send on the connected socket");
	CHECK_RET(recv(b, rbuf, sizeof(rbuf), 0), 4, "... arrives");
	fl = sizeof(from);
	getpeername(a, (struct sockaddr *)&from, &fl);
	CHECK_RET(from.nl_pid, 0x6000002, "getpeername: the connected port id");
	close(ep);
	close(b);
	close(a);
}

/* ---- validation and acknowledgments ---- */

static void test_validation(void)
{
	int fd = nl_open();
	struct rtgenmsg g = { AF_UNSPEC };
	struct nlmsgerr *e = (struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)rbuf);
	struct nlmsghdr *h = (struct nlmsghdr *)rbuf;
	struct sockaddr_nl from;
	socklen_t flen = sizeof(from);
	struct req r;
	long n;

	req_init(&r, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 7, NULL, 0);
	CHECK_RET(send_req(fd, &r), 16, "NOOP with NLM_F_ACK: sendto returns the length");
	struct pollfd p = { fd, POLLIN, 0 };
	CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN), "poll: the ack is readable",
	      "revents %x", p.revents);
	n = recvfrom(fd, rbuf, sizeof(rbuf), MSG_PEEK | MSG_TRUNC, (struct sockaddr *)&from, &flen);
	CHECK_RET(n, 36, "MSG_PEEK|MSG_TRUNC gives the whole length");
	memset(&from, 0xff, sizeof(from));
	n = recvfrom(fd, rbuf, 8, 0, (struct sockaddr *)&from, &flen);
	CHECK_RET(n, 8, "a short read returns what fits");
	CHECK(flen == sizeof(from) && from.nl_family == AF_NETLINK && from.nl_pid == 0 &&
	      from.nl_groups == 0, "from the kernel: pid 0, no group", "len %u pid %u", flen,
	      from.nl_pid);
	CHECK_ERR(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), EAGAIN, "the truncated rest is gone");

	send_req(fd, &r);
	n = recv(fd, rbuf, sizeof(rbuf), 0);
	CHECK(n == 36 && h->nlmsg_type == NLMSG_ERROR && e->error == 0 && h->nlmsg_seq == 7 &&
	      e->msg.nlmsg_type == NLMSG_NOOP && e->msg.nlmsg_len == 16 &&
	      (h->nlmsg_flags & NLM_F_CAPPED), "an ack: error 0, the request's header, NLM_F_CAPPED",
	      "n %ld type %u err %d flags %x", n, h->nlmsg_type, e->error, h->nlmsg_flags);
	CHECK((long)h->nlmsg_pid == (long)getpid(), "the ack names our port id", "pid %u",
	      h->nlmsg_pid);

	req_init(&r, NLMSG_NOOP, NLM_F_REQUEST, 8, NULL, 0);
	send_req(fd, &r);
	CHECK_ERR(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), EAGAIN, "NOOP without ACK: silence");

	/* A header shorter than 16, or longer than the datagram, ends it silently. */
	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = 8;
	r.h.nlmsg_type = RTM_GETLINK;
	r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	CHECK_RET(nl_send(fd, &r, 16), 16, "nlmsg_len 8: sent");
	CHECK_ERR(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), EAGAIN, "nlmsg_len 8: no answer");
	r.h.nlmsg_len = 400;
	CHECK_RET(nl_send(fd, &r, 32), 32, "nlmsg_len past the datagram: sent");
	CHECK_ERR(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), EAGAIN, "... no answer");
	CHECK_RET(nl_send(fd, &r, 7), 7, "7 bytes: sent");
	CHECK_ERR(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), EAGAIN, "... no answer");
	CHECK_ERR(nl_send(fd, &r, 0), ENODATA, "an empty datagram: ENODATA");

	/* An unknown type: EOPNOTSUPP, with the whole request copied back. */
	req_init(&r, 200, NLM_F_REQUEST, 9, "abcdefgh", 8);
	send_req(fd, &r);
	n = recv(fd, rbuf, sizeof(rbuf), 0);
	CHECK(n == 16 + 4 + 24 && h->nlmsg_type == NLMSG_ERROR && e->error == -EOPNOTSUPP &&
	      !memcmp(NLMSG_DATA(&e->msg), "abcdefgh", 8), "type 200: EOPNOTSUPP, request copied",
	      "n %ld err %d", n, e->error);
	int v = 1;
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &v, sizeof(v));
	send_req(fd, &r);
	n = recv(fd, rbuf, sizeof(rbuf), 0);
	CHECK(n == 36 && e->error == -EOPNOTSUPP && (h->nlmsg_flags & NLM_F_CAPPED),
	      "NETLINK_CAP_ACK: only the header copied", "n %ld flags %x", n, h->nlmsg_flags);
	v = 0;
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &v, sizeof(v));
	req_init(&r, 0x7f, NLM_F_REQUEST, 10, &g, sizeof(g));
	CHECK_RET(do_req(fd, &r), EOPNOTSUPP, "type 127 (no handler): EOPNOTSUPP");
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 11, NULL, 0);
	CHECK_RET(do_req(fd, &r), 0, "RTM_GETLINK with no payload is ignored (acked)");
	req_init(&r, RTM_GETLINK, NLM_F_ACK, 12, &g, sizeof(g));
	send_req(fd, &r);
	CHECK_RET(wait_ack(fd, 12), 0, "no NLM_F_REQUEST: only acknowledged");
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST, 13, &g, sizeof(g));
	CHECK_RET(do_req(fd, &r), EINVAL, "RTM_GETLINK (not a dump) shorter than ifinfomsg: EINVAL");
	req_init(&r, RTM_GETADDR, NLM_F_REQUEST, 14, &(struct ifaddrmsg){ .ifa_family = AF_INET },
		 sizeof(struct ifaddrmsg));
	CHECK_RET(do_req(fd, &r), EOPNOTSUPP, "RTM_GETADDR that is no dump: EOPNOTSUPP");

	/* Two requests in one datagram: both answered, in order. */
	{
		unsigned char two[64];
		struct nlmsghdr a1 = { 16, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 21, 0 };
		struct nlmsghdr a2 = { 16, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 22, 0 };

		memcpy(two, &a1, 16);
		memcpy(two + 16, &a2, 16);
		nl_send(fd, two, 32);
		n = recv(fd, rbuf, sizeof(rbuf), 0);
		CHECK(n > 0 && h->nlmsg_seq == 21, "first of two answered first", "seq %u",
		      h->nlmsg_seq);
		n = recv(fd, rbuf, sizeof(rbuf), 0);
		CHECK(n > 0 && h->nlmsg_seq == 22, "second of two answered", "seq %u", h->nlmsg_seq);
	}
	CHECK_ERR(sendto(fd, &r, 16, MSG_OOB, NULL, 0), EOPNOTSUPP, "MSG_OOB: EOPNOTSUPP");
	close(fd);
}

/* ---- links ---- */

struct link_seen {
	int lo_msgs, lo_type, bad;
	unsigned lo_flags, lo_mtu;
	char lo_name[IFNAMSIZ];
};

static void link_cb(struct nlmsghdr *h, void *ctx)
{
	struct link_seen *s = ctx;
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtattr *name = find_attr(h, sizeof(*ifi), IFLA_IFNAME);

	if (h->nlmsg_type != RTM_NEWLINK || !name || !find_attr(h, sizeof(*ifi), IFLA_MTU) ||
	    !find_attr(h, sizeof(*ifi), IFLA_STATS64) || !find_attr(h, sizeof(*ifi), IFLA_ADDRESS) ||
	    !find_attr(h, sizeof(*ifi), IFLA_OPERSTATE) || !find_attr(h, sizeof(*ifi), IFLA_TXQLEN))
		s->bad++;
	if (ifi->ifi_index != lo_index)
		return;
	s->lo_msgs++;
	s->lo_type = ifi->ifi_type;
	s->lo_flags = ifi->ifi_flags;
	s->lo_mtu = attr_u32(find_attr(h, sizeof(*ifi), IFLA_MTU));
	if (name)
		snprintf(s->lo_name, sizeof(s->lo_name), "%s", (char *)RTA_DATA(name));
}

static void test_links(void)
{
	int fd = nl_open();
	struct link_seen s = { 0 };
	struct dump_res d = dump(fd, RTM_GETLINK, AF_UNSPEC, 100, link_cb, &s);
	struct ifinfomsg ifi = { 0 };
	struct req r;

	CHECK(d.done && d.done_err == 0 && d.msgs >= 1 && !d.bad_seq && !d.not_multi,
	      "link dump: NLM_F_MULTI parts then NLMSG_DONE", "done %d err %d msgs %d multi %d",
	      d.done, d.done_err, d.msgs, d.not_multi);
	CHECK(s.lo_msgs == 1 && s.lo_type == ARPHRD_LOOPBACK && !strcmp(s.lo_name, "lo") &&
	      (s.lo_flags & (IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP)) ==
		      (IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP) && s.lo_mtu == 65536,
	      "lo: ARPHRD_LOOPBACK, UP|LOOPBACK|RUNNING|LOWER_UP, mtu 65536",
	      "msgs %d type %d flags %x mtu %u", s.lo_msgs, s.lo_type, s.lo_flags, s.lo_mtu);
	CHECK(s.bad == 0, "every link has name, mtu, stats64, address, operstate, txqlen", "%d bad",
	      s.bad);
	CHECK_ERR(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), EAGAIN, "nothing after NLMSG_DONE");

	/* A dump with NLM_F_ACK is not acknowledged. */
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, 101, &ifi, sizeof(ifi));
	send_req(fd, &r);
	d = read_dump(fd, 101, BUFSZ, NULL, NULL);
	CHECK(d.done && !d.done_err, "dump with NLM_F_ACK completes", "err %d", d.done_err);
	CHECK_ERR(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), EAGAIN, "... and is not acked");

	/* By index and by name. */
	ifi.ifi_index = lo_index;
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST, 102, &ifi, sizeof(ifi));
	send_req(fd, &r);
	memset(&s, 0, sizeof(s));
	{
		long n = recv(fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)rbuf;

		CHECK(n > 0 && h->nlmsg_type == RTM_NEWLINK && h->nlmsg_seq == 102 &&
		      !(h->nlmsg_flags & NLM_F_MULTI), "RTM_GETLINK by index: one RTM_NEWLINK",
		      "type %u flags %x", h->nlmsg_type, h->nlmsg_flags);
		if (n > 0)
			link_cb(h, &s);
		CHECK(s.lo_msgs == 1 && !strcmp(s.lo_name, "lo"), "... of lo", "%s", s.lo_name);
	}
	ifi.ifi_index = 0;
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST, 103, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lo", 3);
	send_req(fd, &r);
	{
		long n = recv(fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)rbuf;

		CHECK(n > 0 && h->nlmsg_type == RTM_NEWLINK &&
		      ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index == lo_index,
		      "RTM_GETLINK by IFLA_IFNAME", "type %u", h->nlmsg_type);
	}
	ifi.ifi_index = 99999;
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST, 104, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), ENODEV, "RTM_GETLINK of a missing index: ENODEV");
	ifi.ifi_index = 0;
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST, 105, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "nosuch0", 8);
	CHECK_RET(do_req(fd, &r), ENODEV, "RTM_GETLINK of a missing name: ENODEV");
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST, 106, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), EINVAL, "RTM_GETLINK with neither index nor name: EINVAL");
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST, 107, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "a-name-much-too-long", 21);
	CHECK_RET(do_req(fd, &r), ERANGE, "IFLA_IFNAME past IFNAMSIZ: ERANGE");

	/* Changing a link. */
	ifi.ifi_index = lo_index;
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 110, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 65000);
	CHECK_RET(do_req(fd, &r), 0, "RTM_NEWLINK IFLA_MTU 65000 on lo");
	memset(&s, 0, sizeof(s));
	dump(fd, RTM_GETLINK, AF_UNSPEC, 111, link_cb, &s);
	CHECK_RET(s.lo_mtu, 65000, "the dump shows the new MTU");
	req_init(&r, RTM_SETLINK, NLM_F_REQUEST, 112, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 0xffffffff);
	CHECK_RET(do_req(fd, &r), EINVAL, "RTM_SETLINK MTU -1: EINVAL");
	req_init(&r, RTM_SETLINK, NLM_F_REQUEST, 113, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_MTU, "\1\2", 2);
	CHECK_RET(do_req(fd, &r), ERANGE, "a 2-byte IFLA_MTU: ERANGE");
	req_init(&r, RTM_SETLINK, NLM_F_REQUEST, 114, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 65536);
	CHECK_RET(do_req(fd, &r), 0, "RTM_SETLINK MTU back to 65536");
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL, 115, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), EEXIST, "RTM_NEWLINK NLM_F_EXCL of an existing link: EEXIST");
	ifi.ifi_index = 99999;
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 116, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), ENODEV, "RTM_NEWLINK of a missing link: ENODEV");
	req_init(&r, RTM_SETLINK, NLM_F_REQUEST, 117, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), ENODEV, "RTM_SETLINK of a missing link: ENODEV");
	req_init(&r, RTM_DELLINK, NLM_F_REQUEST, 118, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), ENODEV, "RTM_DELLINK of a missing link: ENODEV");
	ifi.ifi_index = lo_index;
	req_init(&r, RTM_DELLINK, NLM_F_REQUEST, 119, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), EOPNOTSUPP, "RTM_DELLINK lo: EOPNOTSUPP");
	/* lo down and up through netlink. */
	ifi.ifi_flags = 0;
	ifi.ifi_change = IFF_UP;
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 120, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), 0, "lo down (ifi_change IFF_UP)");
	memset(&s, 0, sizeof(s));
	dump(fd, RTM_GETLINK, AF_UNSPEC, 121, link_cb, &s);
	CHECK(!(s.lo_flags & (IFF_UP | IFF_LOWER_UP)) && (s.lo_flags & IFF_LOOPBACK),
	      "lo is down", "flags %x", s.lo_flags);
	/* Renaming (by index; the device must be down, as Linux 6.1). */
	ifi.ifi_change = 0;
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 130, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lotest", 7);
	CHECK_RET(do_req(fd, &r), 0, "rename lo (down) to lotest");
	CHECK_RET(if_nametoindex("lotest"), lo_index, "lotest has lo's index");
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 131, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lo/x", 5);
	CHECK_RET(do_req(fd, &r), EINVAL, "a name with '/': EINVAL");
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 132, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lo", 3);
	CHECK_RET(do_req(fd, &r), 0, "and back to lo");
	ifi.ifi_change = IFF_UP;
	ifi.ifi_flags = IFF_UP;
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 122, &ifi, sizeof(ifi));
	CHECK_RET(do_req(fd, &r), 0, "lo up again");
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 133, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lotest", 7);
	CHECK_RET(do_req(fd, &r), EBUSY, "renaming a device that is up: EBUSY");
	memset(&s, 0, sizeof(s));
	dump(fd, RTM_GETLINK, AF_UNSPEC, 123, link_cb, &s);
	CHECK((s.lo_flags & IFF_UP), "lo is up", "flags %x", s.lo_flags);
	close(fd);
}

/* ---- addresses ---- */

struct addr_seen {
	int lo_msgs;
	unsigned prefix, scope, flags;
	uint32_t local;
	char label[IFNAMSIZ];
};

static void addr_cb(struct nlmsghdr *h, void *ctx)
{
	struct addr_seen *s = ctx;
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct rtattr *l = find_attr(h, sizeof(*ifa), IFA_LABEL);

	if (h->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET ||
	    (int)ifa->ifa_index != lo_index)
		return;
	s->lo_msgs++;
	s->prefix = ifa->ifa_prefixlen;
	s->scope = ifa->ifa_scope;
	s->flags = ifa->ifa_flags;
	s->local = attr_u32(find_attr(h, sizeof(*ifa), IFA_LOCAL));
	if (l)
		snprintf(s->label, sizeof(s->label), "%s", (char *)RTA_DATA(l));
}

static void test_addrs(void)
{
	int fd = nl_open();
	struct addr_seen s = { 0 };
	struct dump_res d = dump(fd, RTM_GETADDR, AF_INET, 200, addr_cb, &s);
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 8,
				 .ifa_scope = RT_SCOPE_HOST, .ifa_index = (unsigned)lo_index };
	struct req r;

	CHECK(d.done && !d.done_err && !d.not_multi, "address dump completes", "err %d",
	      d.done_err);
	CHECK(s.lo_msgs == 1 && s.prefix == 8 && s.scope == RT_SCOPE_HOST &&
	      (s.flags & IFA_F_PERMANENT) && s.local == htonl(INADDR_LOOPBACK) &&
	      !strcmp(s.label, "lo"), "lo: 127.0.0.1/8 scope host permanent, label lo",
	      "msgs %d prefix %u scope %u flags %x local %x label %s", s.lo_msgs, s.prefix,
	      s.scope, s.flags, s.local, s.label);

	req_init(&r, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL, 201, &ifa, sizeof(ifa));
	req_addr(&r, IFA_LOCAL, "127.0.0.1");
	CHECK_RET(do_req(fd, &r), EEXIST, "adding lo's own address again: EEXIST");
	req_init(&r, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_CREATE, 202, &ifa, sizeof(ifa));
	req_addr(&r, IFA_LOCAL, "127.0.0.1");
	CHECK_RET(do_req(fd, &r), EEXIST, "... without NLM_F_REPLACE: EEXIST");
	req_init(&r, RTM_NEWADDR, NLM_F_REQUEST, 203, &ifa, sizeof(ifa));
	CHECK_RET(do_req(fd, &r), EINVAL, "RTM_NEWADDR without IFA_LOCAL: EINVAL");
	ifa.ifa_prefixlen = 33;
	req_init(&r, RTM_NEWADDR, NLM_F_REQUEST, 204, &ifa, sizeof(ifa));
	req_addr(&r, IFA_LOCAL, "10.1.2.3");
	CHECK_RET(do_req(fd, &r), EINVAL, "prefix length 33: EINVAL");
	ifa.ifa_prefixlen = 8;
	ifa.ifa_index = 99999;
	req_init(&r, RTM_NEWADDR, NLM_F_REQUEST, 205, &ifa, sizeof(ifa));
	req_addr(&r, IFA_LOCAL, "10.1.2.3");
	CHECK_RET(do_req(fd, &r), ENODEV, "RTM_NEWADDR on a missing interface: ENODEV");
	req_init(&r, RTM_DELADDR, NLM_F_REQUEST, 206, &ifa, sizeof(ifa));
	CHECK_RET(do_req(fd, &r), ENODEV, "RTM_DELADDR on a missing interface: ENODEV");
	ifa.ifa_index = (unsigned)lo_index;
	req_init(&r, RTM_DELADDR, NLM_F_REQUEST, 207, &ifa, sizeof(ifa));
	req_addr(&r, IFA_LOCAL, "127.0.0.2");
	CHECK_RET(do_req(fd, &r), EADDRNOTAVAIL, "RTM_DELADDR of an address lo lacks: EADDRNOTAVAIL");
	req_init(&r, RTM_NEWADDR, NLM_F_REQUEST, 208, &ifa, sizeof(ifa));
	req_attr(&r, IFA_LOCAL, "\x7f", 1);
	CHECK_RET(do_req(fd, &r), ERANGE, "a 1-byte IFA_LOCAL: ERANGE");
	close(fd);
}

/* ---- routes ---- */

struct route_seen {
	int n;			/* routes in 10.77.0.0/16 or the one asked */
	uint32_t want_dst;
	int oif, dst_len, table, type;
};

static void route_cb(struct nlmsghdr *h, void *ctx)
{
	struct route_seen *s = ctx;
	struct rtmsg *rtm = NLMSG_DATA(h);
	uint32_t dst = attr_u32(find_attr(h, sizeof(*rtm), RTA_DST));

	if (h->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != AF_INET)
		return;
	if ((ntohl(dst) & 0xffff0000) == 0x0a4d0000 || (s->want_dst && dst == s->want_dst)) {
		s->n++;
		s->oif = (int)attr_u32(find_attr(h, sizeof(*rtm), RTA_OIF));
		s->dst_len = rtm->rtm_dst_len;
		s->table = rtm->rtm_table;
		s->type = rtm->rtm_type;
	}
}

static void route_req(struct req *r, int type, int flags, unsigned seq, const char *dst, int len)
{
	struct rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = (unsigned char)len,
			     .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
			     .rtm_scope = RT_SCOPE_LINK, .rtm_type = RTN_UNICAST };

	if (type == RTM_DELROUTE) {
		rtm.rtm_scope = RT_SCOPE_NOWHERE;
		rtm.rtm_protocol = 0;
	}
	req_init(r, type, NLM_F_REQUEST | flags, seq, &rtm, sizeof(rtm));
	if (dst)
		req_addr(r, RTA_DST, dst);
}

#define MANY 80

static void test_routes(void)
{
	int fd = nl_open();
	struct route_seen s = { 0 };
	struct req r;
	char dst[32];
	int errs = 0;

	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 300, "10.66.0.0", 16);
	req_u32(&r, RTA_OIF, (uint32_t)lo_index);
	CHECK_RET(do_req(fd, &r), 0, "RTM_NEWROUTE 10.66.0.0/16 dev lo");
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 301, "10.66.0.0", 16);
	req_u32(&r, RTA_OIF, (uint32_t)lo_index);
	CHECK_RET(do_req(fd, &r), EEXIST, "the same again with NLM_F_EXCL: EEXIST");
	s.want_dst = htonl(0x0a420000);
	struct dump_res d = dump(fd, RTM_GETROUTE, AF_INET, 302, route_cb, &s);
	CHECK(d.done && !d.done_err && s.n == 1 && s.oif == lo_index && s.dst_len == 16 &&
	      s.table == RT_TABLE_MAIN && s.type == RTN_UNICAST,
	      "the route dump shows it (main table, unicast, dev lo)",
	      "n %d oif %d len %d table %d type %d", s.n, s.oif, s.dst_len, s.table, s.type);

	route_req(&r, RTM_GETROUTE, 0, 303, "10.66.1.2", 32);
	send_req(fd, &r);
	{
		long n = recv(fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)rbuf;

		CHECK(n > 0 && h->nlmsg_type == RTM_NEWROUTE && h->nlmsg_seq == 303 &&
		      (int)attr_u32(find_attr(h, sizeof(struct rtmsg), RTA_OIF)) == lo_index &&
		      attr_u32(find_attr(h, sizeof(struct rtmsg), RTA_DST)) == inet_addr("10.66.1.2"),
		      "RTM_GETROUTE 10.66.1.2: dev lo", "n %ld type %u", n, h->nlmsg_type);
	}
	d = dump(fd, RTM_GETNEIGH, AF_INET, 3100, NULL, NULL);
	CHECK(d.done && !d.done_err && !d.not_multi, "the neighbour dump completes", "err %d",
	      d.done_err);
	route_req(&r, RTM_DELROUTE, 0, 304, "10.66.0.0", 16);
	CHECK_RET(do_req(fd, &r), 0, "RTM_DELROUTE 10.66.0.0/16");
	route_req(&r, RTM_DELROUTE, 0, 305, "10.66.0.0", 16);
	CHECK_RET(do_req(fd, &r), ESRCH, "deleting it again: ESRCH");
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE, 306, "10.66.0.0", 33);
	req_u32(&r, RTA_OIF, (uint32_t)lo_index);
	CHECK_RET(do_req(fd, &r), EINVAL, "prefix length 33: EINVAL");
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE, 307, "10.66.0.1", 16);
	req_u32(&r, RTA_OIF, (uint32_t)lo_index);
	CHECK_RET(do_req(fd, &r), EINVAL, "bits past the prefix: EINVAL");
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE, 308, "10.66.0.0", 16);
	req_u32(&r, RTA_OIF, 99999);
	CHECK_RET(do_req(fd, &r), ENODEV, "a missing RTA_OIF: ENODEV");
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE, 309, "10.66.0.0", 16);
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	((struct rtmsg *)NLMSG_DATA(&r.h))->rtm_scope = RT_SCOPE_UNIVERSE;
	req_addr(&r, RTA_GATEWAY, "10.255.255.1");
	req_addr(&r, RTA_DST, "10.66.0.0");
	CHECK_RET(do_req(fd, &r), ENETUNREACH, "a gateway no connected route reaches: ENETUNREACH");
	route_req(&r, RTM_DELROUTE, 0, 310, "10.66.0.0", 16);
	((struct rtmsg *)NLMSG_DATA(&r.h))->rtm_table = 200;
	CHECK_RET(do_req(fd, &r), ESRCH, "deleting from a table that does not exist: ESRCH");

	/* A dump longer than a read's buffer comes in several datagrams. */
	for (int i = 0; i < MANY; i++) {
		snprintf(dst, sizeof(dst), "10.77.%d.0", i);
		route_req(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 400 + (unsigned)i, dst, 24);
		req_u32(&r, RTA_OIF, (uint32_t)lo_index);
		req_u32(&r, RTA_PRIORITY, (uint32_t)i + 1);
		req_addr(&r, RTA_PREFSRC, "127.0.0.1");
		errs += do_req(fd, &r) != 0;
	}
	CHECK_RET(errs, 0, "80 routes added");
	{
		int fd2 = nl_open();
		struct rtgenmsg g = { AF_INET };
		struct req r2;

		memset(&s, 0, sizeof(s));
		req_init(&r2, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 500, &g, sizeof(g));
		send_req(fd2, &r2);
		/* While the first dump runs, another is EBUSY. */
		req_init(&r2, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 501, &g, sizeof(g));
		send_req(fd2, &r2);
		long n = recv(fd2, rbuf, 4096, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)rbuf;
		int first = 0, dones = 0;

		for (long m = n; NLMSG_OK(h, m); h = NLMSG_NEXT(h, m)) {
			route_cb(h, &s);
			first++;
			dones += h->nlmsg_type == NLMSG_DONE;
		}
		CHECK_RET(dones, 0, "the first part holds no NLMSG_DONE");
		CHECK(n > 0 && first > 1 && n <= 4096, "first part: several routes", "n %ld msgs %d",
		      n, first);
		CHECK_RET(wait_ack(fd2, 501), EBUSY, "a second dump while one runs: EBUSY");
		close(fd2);
	}
	memset(&s, 0, sizeof(s));
	{
		int fd3 = nl_open();

		struct rtgenmsg g = { AF_INET };
		req_init(&r, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 502, &g, sizeof(g));
		send_req(fd3, &r);
		d = read_dump(fd3, 502, 4096, route_cb, &s);
		CHECK(d.done && !d.done_err && s.n == MANY && d.datagrams >= 2 && !d.not_multi,
		      "a dump past 4096 bytes continues on the next reads",
		      "done %d err %d routes %d datagrams %d", d.done, d.done_err, s.n, d.datagrams);
		close(fd3);
	}
	errs = 0;
	for (int i = 0; i < MANY; i++) {
		snprintf(dst, sizeof(dst), "10.77.%d.0", i);
		route_req(&r, RTM_DELROUTE, 0, 600 + (unsigned)i, dst, 24);
		errs += do_req(fd, &r) != 0;
	}
	CHECK_RET(errs, 0, "80 routes deleted");
	close(fd);
}

/* ---- strict checking, buffers, permissions, notifications ---- */

static void test_strict(void)
{
	int fd = nl_open(), v = 1;
	struct rtgenmsg g = { AF_UNSPEC };
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 8 };
	struct req r;
	struct dump_res d;

	CHECK_OK(setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &v, sizeof(v)),
		 "NETLINK_GET_STRICT_CHK on");
	req_init(&r, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 700, &g, sizeof(g));
	send_req(fd, &r);
	d = read_dump(fd, 700, BUFSZ, NULL, NULL);
	CHECK(d.done && d.done_err == -EINVAL && d.msgs == 0,
	      "strict: a link dump with a short header ends in NLMSG_DONE -EINVAL", "err %d",
	      d.done_err);
	req_init(&r, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 701, &ifa, sizeof(ifa));
	send_req(fd, &r);
	d = read_dump(fd, 701, BUFSZ, NULL, NULL);
	CHECK(d.done && d.done_err == -EINVAL, "strict: a prefix length in an address dump: EINVAL",
	      "err %d", d.done_err);
	close(fd);
}

static void test_enobufs(void)
{
	int fd = nl_open(), v = 0, got = 0;
	struct req r;
	long n;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	req_init(&r, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 800, NULL, 0);
	for (int i = 0; i < 64; i++)
		send_req(fd, &r);
	CHECK_ERR(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), ENOBUFS,
		  "acks past SO_RCVBUF: the next read is ENOBUFS");
	struct pollfd p = { fd, POLLIN, 0 };
	poll(&p, 1, 0);
	CHECK(p.revents & POLLIN, "what was queued is still readable", "revents %x", p.revents);
	while ((n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) > 0)
		got++;
	CHECK(got >= 1 && got < 64 && n < 0 && errno == EAGAIN, "some acks kept, the rest dropped",
	      "got %d", got);
	send_req(fd, &r);
	CHECK_RET(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), 36,
		  "once drained, the socket takes messages again");

	v = 1;
	CHECK_OK(setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &v, sizeof(v)), "NETLINK_NO_ENOBUFS");
	for (int i = 0; i < 64; i++)
		send_req(fd, &r);
	CHECK_RET(recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT), 36, "NETLINK_NO_ENOBUFS: no error");
	while (recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT) > 0)
		;
	v = 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	{
		static unsigned char big[8192];
		struct nlmsghdr *h = (struct nlmsghdr *)big;

		h->nlmsg_len = sizeof(big);
		h->nlmsg_type = NLMSG_NOOP;
		CHECK_ERR(nl_send(fd, big, sizeof(big)), EMSGSIZE, "a datagram past SO_SNDBUF: EMSGSIZE");
	}
	close(fd);
}

static int nobody_part(void)
{
	int fd = nl_open(), bad = 0;
	struct ifinfomsg ifi = { .ifi_index = lo_index };
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	struct sockaddr_nl other = { .nl_family = AF_NETLINK, .nl_pid = 1 };
	struct req r;

	if (fd < 0)
		return 10;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return 11;		/* rtnetlink lets anyone listen */
	if (!dump(fd, RTM_GETLINK, AF_UNSPEC, 900, NULL, NULL).done)
		return 12;
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 901, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 1500);
	bad |= do_req(fd, &r) != EPERM;
	req_init(&r, RTM_NEWADDR, NLM_F_REQUEST, 902, &ifi, 8);
	bad |= (do_req(fd, &r) != EPERM) << 1;
	req_init(&r, RTM_DELROUTE, NLM_F_REQUEST, 903, &ifi, 12);
	bad |= (do_req(fd, &r) != EPERM) << 2;
	req_init(&r, NLMSG_NOOP, NLM_F_REQUEST, 904, NULL, 0);
	bad |= (sendto(fd, &r, 16, 0, (struct sockaddr *)&other, sizeof(other)) != -1 ||
		errno != EPERM) << 3;
	close(fd);
	return bad;
}

static int fd_root_opened = -1;

static int nobody_with_root_socket(void)
{
	struct ifinfomsg ifi = { .ifi_index = lo_index };
	struct req r;

	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 910, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 1500);
	return do_req(fd_root_opened, &r) == EPERM ? 0 : 1;
}

static void test_eperm(void)
{
	CHECK_RET(as_nobody(nobody_part), 0,
		  "as nobody: dumps and listening work, changes are EPERM, unicast to a pid EPERM");
	fd_root_opened = nl_open();
	CHECK_RET(as_nobody(nobody_with_root_socket), 0,
		  "a socket root opened, used after setuid(nobody): EPERM");
	close(fd_root_opened);
}

/* The next notification of type on fd within a second (its message in rbuf): its length or -1. */
static long next_notification(int fd, int type, struct sockaddr_nl *from)
{
	for (int tries = 0; tries < 20; tries++) {
		struct pollfd p = { fd, POLLIN, 0 };
		socklen_t fl = sizeof(*from);
		long n;

		if (poll(&p, 1, 1000) != 1)
			return -1;
		n = recvfrom(fd, rbuf, sizeof(rbuf), 0, (struct sockaddr *)from, &fl);
		if (n > 0 && ((struct nlmsghdr *)rbuf)->nlmsg_type == type)
			return n;
	}
	return -1;
}

static void test_notify(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK,
				 .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_ROUTE | RTMGRP_IPV4_IFADDR };
	int lis = nl_open(), fd = nl_open(), v = 1;
	struct ifinfomsg ifi = { .ifi_index = lo_index };
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 8,
				 .ifa_scope = RT_SCOPE_HOST, .ifa_index = (unsigned)lo_index };
	struct sockaddr_nl from;
	struct req r;
	long n;

	CHECK_OK(bind(lis, (struct sockaddr *)&a, sizeof(a)), "listener joins link, route, address");
	setsockopt(lis, SOL_NETLINK, NETLINK_PKTINFO, &v, sizeof(v));
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 1000, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 65000);
	do_req(fd, &r);
	n = next_notification(lis, RTM_NEWLINK, &from);
	CHECK(n > 0 && from.nl_pid == 0 && from.nl_groups == RTMGRP_LINK &&
	      ((struct ifinfomsg *)NLMSG_DATA((struct nlmsghdr *)rbuf))->ifi_index == lo_index &&
	      attr_u32(find_attr((struct nlmsghdr *)rbuf, sizeof(ifi), IFLA_MTU)) == 65000,
	      "an MTU change: RTM_NEWLINK to RTMGRP_LINK with the new MTU", "n %ld groups %x", n,
	      from.nl_groups);
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 1001, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 65536);
	do_req(fd, &r);
	CHECK(next_notification(lis, RTM_NEWLINK, &from) > 0, "and back: another RTM_NEWLINK", "%d",
	      0);

	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 1002, "10.67.0.0", 16);
	req_u32(&r, RTA_OIF, (uint32_t)lo_index);
	do_req(fd, &r);
	n = next_notification(lis, RTM_NEWROUTE, &from);
	CHECK(n > 0 && from.nl_groups == RTMGRP_IPV4_ROUTE &&
	      ((struct nlmsghdr *)rbuf)->nlmsg_seq == 1002 &&
	      attr_u32(find_attr((struct nlmsghdr *)rbuf, sizeof(struct rtmsg), RTA_DST)) ==
		      inet_addr("10.67.0.0"), "a route added: RTM_NEWROUTE with the request's seq",
	      "n %ld", n);
	route_req(&r, RTM_DELROUTE, 0, 1003, "10.67.0.0", 16);
	do_req(fd, &r);
	CHECK(next_notification(lis, RTM_DELROUTE, &from) > 0, "a route deleted: RTM_DELROUTE",
	      "%d", 0);

	req_init(&r, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_REPLACE, 1004, &ifa, sizeof(ifa));
	req_addr(&r, IFA_LOCAL, "127.0.0.1");
	CHECK_RET(do_req(fd, &r), 0, "NLM_F_REPLACE of lo's address");
	n = next_notification(lis, RTM_NEWADDR, &from);
	CHECK(n > 0 && from.nl_groups == RTMGRP_IPV4_IFADDR &&
	      ((struct ifaddrmsg *)NLMSG_DATA((struct nlmsghdr *)rbuf))->ifa_index ==
		      (unsigned)lo_index, "... told as RTM_NEWADDR to RTMGRP_IPV4_IFADDR",
	      "n %ld", n);

	/* NLM_F_ECHO: the requester gets the notification too. */
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO, 1005, "10.68.0.0", 16);
	req_u32(&r, RTA_OIF, (uint32_t)lo_index);
	send_req(fd, &r);
	n = recv(fd, rbuf, sizeof(rbuf), 0);
	CHECK(n > 0 && ((struct nlmsghdr *)rbuf)->nlmsg_type == RTM_NEWROUTE &&
	      ((struct nlmsghdr *)rbuf)->nlmsg_seq == 1005, "NLM_F_ECHO: the route comes back",
	      "type %u", ((struct nlmsghdr *)rbuf)->nlmsg_type);
	route_req(&r, RTM_DELROUTE, 0, 1006, "10.68.0.0", 16);
	do_req(fd, &r);
	close(fd);
	close(lis);
}

/* ---- /sys/class/net ---- */

static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return (int)n;
}

static void test_sysfs(void)
{
	char buf[64], want[32];
	unsigned long before, after;
	int fd = nl_open();
	struct req r;

	snprintf(want, sizeof(want), "%d\n", lo_index);
	read_text("/sys/class/net/lo/ifindex", buf, sizeof(buf));
	CHECK(!strcmp(buf, want), "/sys/class/net/lo/ifindex", "'%s'", buf);
	read_text("/sys/class/net/lo/mtu", buf, sizeof(buf));
	CHECK(!strcmp(buf, "65536\n"), "/sys/class/net/lo/mtu", "'%s'", buf);
	read_text("/sys/class/net/lo/type", buf, sizeof(buf));
	CHECK(!strcmp(buf, "772\n"), "/sys/class/net/lo/type: ARPHRD_LOOPBACK", "'%s'", buf);
	read_text("/sys/class/net/lo/address", buf, sizeof(buf));
	CHECK(!strcmp(buf, "00:00:00:00:00:00\n"), "/sys/class/net/lo/address", "'%s'", buf);
	read_text("/sys/class/net/lo/flags", buf, sizeof(buf));
	CHECK(!strcmp(buf, "0x9\n"), "/sys/class/net/lo/flags: UP|LOOPBACK", "'%s'", buf);
	read_text("/sys/class/net/lo/operstate", buf, sizeof(buf));
	CHECK(!strcmp(buf, "unknown\n"), "/sys/class/net/lo/operstate", "'%s'", buf);
	read_text("/sys/class/net/lo/carrier", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1\n"), "/sys/class/net/lo/carrier", "'%s'", buf);
	read_text("/sys/class/net/lo/tx_queue_len", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1000\n"), "/sys/class/net/lo/tx_queue_len", "'%s'", buf);

	/* The MTU file follows a change; the statistics count a ping of ourselves. */
	struct ifinfomsg ifi = { .ifi_index = lo_index };
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 3000, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 9000);
	do_req(fd, &r);
	read_text("/sys/class/net/lo/mtu", buf, sizeof(buf));
	CHECK(!strcmp(buf, "9000\n"), "mtu reads the new value", "'%s'", buf);
	req_init(&r, RTM_NEWLINK, NLM_F_REQUEST, 3001, &ifi, sizeof(ifi));
	req_u32(&r, IFLA_MTU, 65536);
	do_req(fd, &r);
	read_text("/sys/class/net/lo/statistics/tx_packets", buf, sizeof(buf));
	before = strtoul(buf, NULL, 10);
	{
		int u = socket(AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9),
					  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		sendto(u, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
		close(u);
	}
	read_text("/sys/class/net/lo/statistics/tx_packets", buf, sizeof(buf));
	after = strtoul(buf, NULL, 10);
	CHECK(after > before, "statistics/tx_packets counts a datagram to 127.0.0.1",
	      "%lu then %lu", before, after);
	CHECK_ERR(open("/sys/class/net/lo/nosuch", O_RDONLY), ENOENT, "no such attribute");
	close(fd);
}

/* ---- random and mutated messages ---- */

static unsigned long rnd_state = 12345;

static unsigned rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rnd_state >> 33);
}

/* Check what came back is well formed; count the answers. */
static int drain(int fd, int *bad)
{
	int got = 0;
	long n;

	while ((n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) > 0 ||
	       (n < 0 && errno == ENOBUFS)) {
		struct nlmsghdr *h = (struct nlmsghdr *)rbuf;
		long m = n;

		for (; m > 0 && NLMSG_OK(h, m); h = NLMSG_NEXT(h, m)) {
			got++;
			if (h->nlmsg_type == NLMSG_ERROR) {
				int e = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

				*bad += e > 0 || e < -4095;
			}
		}
		*bad += m > 0 && n > 0 && m >= (long)sizeof(struct nlmsghdr);
	}
	return got;
}

/* Requests whose family header names no interface and no main-table route. */
static size_t base_msg(struct req *r, unsigned k)
{
	struct ifinfomsg ifi = { .ifi_index = 99999, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 99999 };
	struct rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = 24, .rtm_table = 200,
			     .rtm_type = RTN_UNICAST };
	int types[] = { RTM_NEWLINK, RTM_SETLINK, RTM_DELLINK, RTM_GETLINK, RTM_NEWADDR,
			RTM_DELADDR, RTM_GETADDR, RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE };
	int t = types[k % 10];

	if (t <= RTM_SETLINK) {
		req_init(r, t, NLM_F_REQUEST | NLM_F_ACK, k, &ifi, sizeof(ifi));
		req_attr(r, IFLA_IFNAME, "fuzz0", 6);
		req_u32(r, IFLA_MTU, 1400);
		req_u32(r, IFLA_TXQLEN, 10);
		return sizeof(ifi);
	}
	if (t <= RTM_GETADDR) {
		req_init(r, t, NLM_F_REQUEST | NLM_F_ACK | (t == RTM_GETADDR ? NLM_F_DUMP : 0), k,
			 &ifa, sizeof(ifa));
		req_addr(r, IFA_LOCAL, "10.99.0.1");
		req_addr(r, IFA_ADDRESS, "10.99.0.1");
		req_attr(r, IFA_LABEL, "fuzz0", 6);
		return sizeof(ifa);
	}
	req_init(r, t, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, k, &rtm, sizeof(rtm));
	req_addr(r, RTA_DST, "10.99.0.0");
	req_addr(r, RTA_GATEWAY, "10.99.1.1");
	req_u32(r, RTA_PRIORITY, 5);
	return sizeof(rtm);
}

static void test_fuzz(void)
{
	int fd = nl_open(), bad = 0, answers = 0, v = 1;
	static const int safe_types[] = { RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE, RTM_GETNEIGH,
					  1, 2, 3, 4, 15, 0x7d, 0x7f, 200, 0xffff };
	unsigned char buf[1200];
	struct link_seen s = { 0 };

	setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &v, sizeof(v));
	for (int i = 0; i < 3000; i++) {
		struct req r;
		size_t len, hlen;

		if (i % 2) {
			/* Random bytes with a type that changes nothing. */
			len = rnd() % 200;
			for (size_t j = 0; j < len; j++)
				buf[j] = (unsigned char)rnd();
			if (len >= 16) {
				struct nlmsghdr *h = (struct nlmsghdr *)buf;

				h->nlmsg_type = (unsigned short)safe_types[rnd() % 13];
				if (rnd() % 2)
					h->nlmsg_len = (unsigned)len - rnd() % 16;
			}
		} else {
			/* A valid request, its header kept, the rest mutated. */
			hlen = base_msg(&r, rnd());
			len = r.h.nlmsg_len;
			memcpy(buf, &r, len);
			for (int m = (int)(rnd() % 6); m >= 0; m--) {
				size_t at = rnd() % len;

				if (at < 4 || at >= 16 + hlen)	/* the length, the attributes */
					buf[at] = (unsigned char)rnd();
			}
			if (rnd() % 4 == 0)
				len = len - rnd() % len;
		}
		nl_send(fd, buf, len);
		answers += drain(fd, &bad);
	}
	CHECK_RET(bad, 0, "3000 random and mutated messages: every answer well formed");
	CHECK(answers > 1000, "... most of them answered", "%d answers", answers);
	close(fd);
	fd = nl_open();
	dump(fd, RTM_GETLINK, AF_UNSPEC, 2000, link_cb, &s);
	CHECK(s.lo_msgs == 1 && (s.lo_flags & IFF_UP) && s.lo_mtu == 65536,
	      "afterwards: lo still up with MTU 65536", "msgs %d flags %x mtu %u", s.lo_msgs,
	      s.lo_flags, s.lo_mtu);
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	lo_index = (int)if_nametoindex("lo");
	lo_up();
	test_socket();
	test_sockopt();
	test_unicast();
	test_validation();
	test_links();
	test_addrs();
	test_routes();
	test_strict();
	test_enobufs();
	test_eperm();
	test_notify();
	test_sysfs();
	test_fuzz();
	return check_done();
}
