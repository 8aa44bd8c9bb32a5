// SPDX-License-Identifier: MPL-2.0
// AF_PACKET sockets and classic BPF socket filters, on lo, the same on
// Aster and Linux: creation (CAP_NET_RAW: EPERM as nobody; types), bind
// and getsockname with struct sockaddr_ll and their errors, the frames lo
// shows (a 14-byte Ethernet header of zero addresses, each datagram once
// as PACKET_OUTGOING and once as PACKET_HOST), SOCK_DGRAM without the link
// header, sending IPv4 through packet sockets to a UDP socket, the send
// errors (ENXIO, EINVAL, EMSGSIZE, ENETDOWN), MSG_TRUNC, MSG_PEEK,
// MSG_DONTWAIT, poll, epoll, SIOCINQ, PACKET_AUXDATA, PACKET_STATISTICS
// with a small SO_RCVBUF, memberships (IFF_PROMISC), SO_BINDTODEVICE,
// filters (cuts, drops, malformed programs refused, SO_LOCK_FILTER) and
// /proc/net/packet.
#include "check.h"
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* <linux/filter.h> and the rest of <linux/if_packet.h>, which musl does not install. */
struct sock_filter {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};
struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};
struct t_tpacket_stats {
	unsigned int tp_packets, tp_drops;
};
struct t_tpacket_auxdata {
	uint32_t tp_status, tp_len, tp_snaplen;
	uint16_t tp_mac, tp_net, tp_vlan_tci, tp_vlan_tpid;
};
#define BPF_LD		0x00
#define BPF_LDX		0x01
#define BPF_ST		0x02
#define BPF_ALU		0x04
#define BPF_JMP		0x05
#define BPF_RET		0x06
#define BPF_W		0x00
#define BPF_H		0x08
#define BPF_B		0x10
#define BPF_IMM		0x00
#define BPF_ABS		0x20
#define BPF_IND		0x40
#define BPF_MEM		0x60
#define BPF_MSH		0xa0
#define BPF_DIV		0x30
#define BPF_JA		0x00
#define BPF_JEQ		0x10
#define BPF_K		0x00
#define BPF_A		0x10
#define BPF_MAXINSNS	4096
#define BPF_STMT(c, kk)		{ (uint16_t)(c), 0, 0, (uint32_t)(kk) }
#define BPF_JUMP(c, kk, t, f)	{ (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(kk) }
#ifndef SO_ATTACH_FILTER
#define SO_ATTACH_FILTER	26
#define SO_DETACH_FILTER	27
#endif
#ifndef SO_LOCK_FILTER
#define SO_LOCK_FILTER		44
#endif
#ifndef SOL_PACKET
#define SOL_PACKET		263
#endif
#ifndef PACKET_AUXDATA
#define PACKET_AUXDATA		8
#endif
#ifndef TP_STATUS_USER
#define TP_STATUS_USER		1
#endif
#ifndef ETH_P_ALL
#define ETH_P_ALL		0x0003
#endif

#define PORT	47011
#define LOOP	htonl(INADDR_LOOPBACK)
#define SLL_LEN	((socklen_t)(offsetof(struct sockaddr_ll, sll_addr) + 6))
/* recvfrom's address length: never less than a whole sockaddr_ll (Linux's packet_recvmsg). */
#define SLL_RECV_LEN	((socklen_t)sizeof(struct sockaddr_ll))

static int lo_index;

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

static int set_lo(bool up)
{
	struct ifreq r;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err = -1;

	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &r) == 0) {
		r.ifr_flags = (short)(up ? r.ifr_flags | IFF_UP : r.ifr_flags & ~IFF_UP);
		err = ioctl(fd, SIOCSIFFLAGS, &r);
	}
	close(fd);
	return err;
}

static short lo_flags(void)
{
	struct ifreq r;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &r))
		r.ifr_flags = 0;
	close(fd);
	return r.ifr_flags;
}

/* SIOCGIFINDEX on an AF_INET socket (glibc's if_nametoindex asks an AF_UNIX one). */
static int lo_ifindex(void)
{
	struct ifreq r;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFINDEX, &r))
		r.ifr_ifindex = 0;
	close(fd);
	return r.ifr_ifindex;
}

static struct sockaddr_ll sll_of(int ifindex, uint16_t proto)
{
	struct sockaddr_ll a;

	memset(&a, 0, sizeof(a));
	a.sll_family = AF_PACKET;
	a.sll_protocol = htons(proto);
	a.sll_ifindex = ifindex;
	a.sll_halen = 6;
	return a;
}

static int packet(int type, uint16_t proto, int ifindex)
{
	int fd = socket(AF_PACKET, type, htons(proto));
	struct sockaddr_ll a = sll_of(ifindex, proto);

	if (fd >= 0 && ifindex && bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A filter keeping UDP to PORT: raw frames (link header at 0) or SOCK_DGRAM ones (IP header at 0). */
static int attach_udp_filter(int fd, bool raw, unsigned int snap)
{
	unsigned int l = raw ? 14 : 0;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, l + 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 3),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, l),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, l + 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PORT, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, snap),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, sizeof(p));
}

static int udp_sink(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT), .sin_addr = { LOOP } };

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

static ssize_t udp_send(const char *msg)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT), .sin_addr = { LOOP } };
	ssize_t n = sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof(a));

	close(fd);
	return n;
}

static int readable(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* Drain what is queued: the number of frames. */
static int drain(int fd)
{
	char buf[2048];
	int n = 0;

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		n++;
	return n;
}

/* Read n datagrams from a UDP socket (waiting up to 5 s for each): how many came. */
static int sink_wait(int sink, int n)
{
	int got = 0;

	while (got < n && readable(sink, 5000))
		got += drain(sink);
	return got;
}

static int nobody_packet(void)
{
	return socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) < 0 && errno == EPERM ? 0 : 1;
}

static void test_create(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), v = 0;
	socklen_t len = sizeof(v);

	CHECK_OK(fd, "socket(AF_PACKET, SOCK_RAW, ETH_P_ALL)");
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len), "SO_DOMAIN");
	CHECK_RET(v, AF_PACKET, "SO_DOMAIN is AF_PACKET");
	len = sizeof(v);
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), "SO_TYPE");
	CHECK_RET(v, SOCK_RAW, "SO_TYPE is SOCK_RAW");
	close(fd);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	CHECK_OK(fd, "socket(AF_PACKET, SOCK_DGRAM, ETH_P_IP)");
	close(fd);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	CHECK_OK(fd, "socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)");
	close(fd);
	CHECK_ERR(socket(AF_PACKET, SOCK_STREAM, 0), ESOCKTNOSUPPORT, "SOCK_STREAM: ESOCKTNOSUPPORT");
	CHECK_ERR(socket(AF_PACKET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT, "SOCK_SEQPACKET: ESOCKTNOSUPPORT");
	CHECK_RET(as_nobody(nobody_packet), 0, "packet socket as nobody: EPERM");
}

static void test_bind(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	struct sockaddr_ll a = sll_of(lo_index, ETH_P_ALL), got;
	socklen_t len = sizeof(got);
	static const unsigned char zero[8];

	CHECK_OK(fd, "socket with protocol 0");
	memset(&got, 0x55, sizeof(got));
	CHECK_OK(getsockname(fd, (struct sockaddr *)&got, &len), "getsockname unbound");
	CHECK(len == offsetof(struct sockaddr_ll, sll_addr) && got.sll_family == AF_PACKET &&
	      got.sll_ifindex == 0 && got.sll_protocol == 0 && got.sll_halen == 0 && got.sll_hatype == 0,
	      "unbound: family, ifindex 0, protocol 0, no address", "len %u ifindex %d halen %u",
	      (unsigned)len, got.sll_ifindex, got.sll_halen);
	CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL, "bind with a short address: EINVAL");
	a.sll_family = AF_INET;
	CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a)), EINVAL, "bind with family AF_INET: EINVAL");
	a = sll_of(99999, ETH_P_ALL);
	CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a)), ENODEV, "bind to interface 99999: ENODEV");
	a = sll_of(lo_index, ETH_P_ALL);
	CHECK_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)), "bind to lo, ETH_P_ALL");
	len = sizeof(got);
	CHECK_OK(getsockname(fd, (struct sockaddr *)&got, &len), "getsockname bound");
	CHECK(len == SLL_LEN && got.sll_ifindex == lo_index && got.sll_protocol == htons(ETH_P_ALL) &&
	      got.sll_hatype == ARPHRD_LOOPBACK && got.sll_halen == 6 && !memcmp(got.sll_addr, zero, 6) &&
	      got.sll_pkttype == 0,
	      "bound: lo's index, ETH_P_ALL, ARPHRD_LOOPBACK, 6 zero address bytes",
	      "len %u ifindex %d proto %#x hatype %u halen %u", (unsigned)len, got.sll_ifindex,
	      ntohs(got.sll_protocol), got.sll_hatype, got.sll_halen);
	/* Protocol 0 in bind keeps the socket's. */
	a = sll_of(0, 0);
	CHECK_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)), "bind to all interfaces with protocol 0");
	len = sizeof(got);
	CHECK(getsockname(fd, (struct sockaddr *)&got, &len) == 0 && got.sll_ifindex == 0 &&
	      got.sll_protocol == htons(ETH_P_ALL), "bind with protocol 0 keeps ETH_P_ALL", "no");
	len = sizeof(got);
	CHECK_ERR(getpeername(fd, (struct sockaddr *)&got, &len), EOPNOTSUPP, "getpeername: EOPNOTSUPP");
	close(fd);
}

/* Receive one frame: its length (or -1), with its address. */
static ssize_t recv_frame(int fd, void *buf, size_t size, struct sockaddr_ll *from, socklen_t *flen, int flags)
{
	*flen = sizeof(*from);
	memset(from, 0, sizeof(*from));
	return recvfrom(fd, buf, size, flags, (struct sockaddr *)from, flen);
}

static void test_lo_frames(void)
{
	int rx = packet(SOCK_RAW, ETH_P_ALL, lo_index), dg = packet(SOCK_DGRAM, ETH_P_IP, lo_index);
	int sink = udp_sink(), v = 0;
	unsigned char buf[2048];
	static const unsigned char zero[12];
	struct sockaddr_ll from;
	socklen_t flen;
	ssize_t n;
	const char *msg = "packet-socket-payload";
	size_t want = 14 + 20 + 8 + strlen(msg);

	CHECK(rx >= 0 && dg >= 0 && sink >= 0, "raw, dgram and UDP sockets on lo", "errno %d", errno);
	CHECK_OK(attach_udp_filter(rx, true, 0xffff), "SO_ATTACH_FILTER on the raw socket");
	CHECK_OK(attach_udp_filter(dg, false, 0xffff), "SO_ATTACH_FILTER on the dgram socket");
	drain(rx);
	drain(dg);
	CHECK_ERR(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "nothing queued: MSG_DONTWAIT gives EAGAIN");
	CHECK(!readable(rx, 0), "nothing queued: not readable", "no");
	CHECK_RET(udp_send(msg), (long)strlen(msg), "a UDP datagram to 127.0.0.1");
	CHECK(readable(rx, 5000), "the raw socket is readable", "no");
	CHECK_OK(ioctl(rx, FIONREAD, &v), "SIOCINQ");
	CHECK_RET(v, (long)want, "SIOCINQ is the first frame's length");
	n = recv_frame(rx, buf, sizeof(buf), &from, &flen, MSG_PEEK);
	CHECK_RET(n, (long)want, "MSG_PEEK: the whole frame");
	n = recv_frame(rx, buf, sizeof(buf), &from, &flen, 0);
	CHECK_RET(n, (long)want, "the frame: 14-byte link header, IPv4, UDP, payload");
	CHECK(n >= 14 && !memcmp(buf, zero, 12) && buf[12] == 0x08 && buf[13] == 0 && buf[14] == 0x45,
	      "lo's link header: zero addresses, type 0x0800", "no");
	CHECK(n == (ssize_t)want && !memcmp(buf + 42, msg, strlen(msg)), "the payload is there", "no");
	CHECK(flen == SLL_RECV_LEN && from.sll_family == AF_PACKET && from.sll_ifindex == lo_index &&
	      from.sll_protocol == htons(ETH_P_IP) && from.sll_hatype == ARPHRD_LOOPBACK && from.sll_halen == 6,
	      "the source: lo, ETH_P_IP, ARPHRD_LOOPBACK, 6-byte address",
	      "flen %u ifindex %d proto %#x hatype %u halen %u", (unsigned)flen, from.sll_ifindex,
	      ntohs(from.sll_protocol), from.sll_hatype, from.sll_halen);
	CHECK_RET(from.sll_pkttype, PACKET_OUTGOING, "first as sent: PACKET_OUTGOING");
	n = recv_frame(rx, buf, 10, &from, &flen, MSG_TRUNC);
	CHECK_RET(n, (long)want, "MSG_TRUNC: the real length of the second frame");
	CHECK_RET(from.sll_pkttype, PACKET_HOST, "then as received: PACKET_HOST");
	CHECK_ERR(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "two frames, no more");
	/* SOCK_DGRAM: the IPv4 packet without the link header, once (ETH_P_IP sockets see no outgoing). */
	n = recv_frame(dg, buf, sizeof(buf), &from, &flen, MSG_DONTWAIT);
	CHECK_RET(n, (long)(want - 14), "SOCK_DGRAM: the IPv4 packet");
	CHECK(n > 0 && buf[0] == 0x45 && from.sll_pkttype == PACKET_HOST && from.sll_protocol == htons(ETH_P_IP),
	      "SOCK_DGRAM: starts with the IPv4 header, PACKET_HOST", "no");
	CHECK_ERR(recv(dg, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "SOCK_DGRAM: one frame");
	n = recv(sink, buf, sizeof(buf), MSG_DONTWAIT);
	CHECK_RET(n, (long)strlen(msg), "the UDP socket got it too");
	CHECK_ERR(recv(rx, buf, sizeof(buf), MSG_OOB | MSG_DONTWAIT), EINVAL, "recv with MSG_OOB: EINVAL");
	CHECK_ERR(recv(rx, (void *)8, sizeof(buf), MSG_DONTWAIT), EAGAIN, "a bad buffer and nothing queued: EAGAIN");
	udp_send(msg);
	CHECK(readable(rx, 5000), "readable again", "no");
	CHECK_ERR(recv(rx, (void *)8, sizeof(buf), 0), EFAULT, "recv into a bad buffer: EFAULT");
	/* The UDP socket has it once the receive side ran: only then is all of it queued. */
	CHECK(readable(sink, 5000), "the UDP socket got the second one", "no");
	drain(rx);
	drain(dg);
	drain(sink);
	close(rx);
	close(dg);
	close(sink);
}

static uint16_t ip_csum(const unsigned char *h, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i += 2)
		s += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* An IPv4 UDP datagram 127.0.0.1 -> 127.0.0.1:PORT (no UDP checksum). */
static size_t build_udp(unsigned char *b, const char *msg)
{
	size_t plen = strlen(msg), tot = 20 + 8 + plen;
	uint16_t c;

	memset(b, 0, 28);
	b[0] = 0x45;
	b[2] = (unsigned char)(tot >> 8);
	b[3] = (unsigned char)tot;
	b[8] = 64;
	b[9] = IPPROTO_UDP;
	b[12] = 127; b[15] = 1;
	b[16] = 127; b[19] = 1;
	c = ip_csum(b, 20);
	b[10] = (unsigned char)(c >> 8);
	b[11] = (unsigned char)c;
	b[20] = 0x30; b[21] = 0x39;		/* source port 12345 */
	b[22] = PORT >> 8; b[23] = PORT & 0xff;
	b[24] = (unsigned char)((8 + plen) >> 8);
	b[25] = (unsigned char)(8 + plen);
	memcpy(b + 28, msg, plen);
	return tot;
}

static void test_send(void)
{
	int tx = packet(SOCK_DGRAM, ETH_P_IP, lo_index), raw = packet(SOCK_RAW, ETH_P_ALL, 0);
	int rx = packet(SOCK_RAW, ETH_P_ALL, lo_index), sink = udp_sink(), unbound = socket(AF_PACKET, SOCK_DGRAM, 0);
	struct sockaddr_ll to = sll_of(lo_index, ETH_P_IP), from;
	unsigned char pkt[2048], buf[2048];
	size_t n = build_udp(pkt, "via-packet-dgram");
	static char big[65600];
	socklen_t flen;
	ssize_t r;

	CHECK(tx >= 0 && raw >= 0 && rx >= 0 && sink >= 0 && unbound >= 0, "sockets", "errno %d", errno);
	attach_udp_filter(tx, false, 0xffff);
	attach_udp_filter(rx, true, 0xffff);
	drain(tx);
	drain(rx);
	CHECK_RET(sendto(tx, pkt, n, 0, (struct sockaddr *)&to, sizeof(to)), (long)n,
		  "SOCK_DGRAM sendto lo with ETH_P_IP: an IPv4 datagram");
	/* 127/8 coming in with no route attached is a martian destination on Linux: dropped. */
	CHECK(!readable(sink, 300), "the UDP socket does not get 127.0.0.1 injected on lo", "it did");
	r = recv_frame(tx, buf, sizeof(buf), &from, &flen, MSG_DONTWAIT);
	CHECK(r == (ssize_t)n && from.sll_pkttype == PACKET_HOST, "the sender sees it come in once, PACKET_HOST",
	      "got %zd type %d", r, from.sll_pkttype);
	CHECK_ERR(recv(tx, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "and not as outgoing");
	r = recv_frame(rx, buf, sizeof(buf), &from, &flen, MSG_DONTWAIT);
	CHECK(r == (ssize_t)n + 14 && from.sll_pkttype == PACKET_OUTGOING, "another socket sees it go out",
	      "got %zd type %d", r, from.sll_pkttype);
	r = recv_frame(rx, buf, sizeof(buf), &from, &flen, MSG_DONTWAIT);
	CHECK(r == (ssize_t)n + 14 && from.sll_pkttype == PACKET_HOST, "and come in", "got %zd type %d", r,
	      from.sll_pkttype);
	/* SOCK_RAW: the caller writes the link header. */
	memset(buf, 0, 14);
	buf[12] = 0x08;
	n = build_udp(buf + 14, "via-packet-raw");
	CHECK_RET(sendto(raw, buf, n + 14, 0, (struct sockaddr *)&to, sizeof(to)), (long)(n + 14),
		  "SOCK_RAW sendto lo: a whole frame");
	r = recv_frame(rx, pkt, sizeof(pkt), &from, &flen, MSG_DONTWAIT);
	CHECK(r == (ssize_t)n + 14 && from.sll_pkttype == PACKET_OUTGOING && !memcmp(pkt + 42, "via-packet-raw", 14),
	      "another socket sees the raw frame go out, as written", "got %zd type %d", r, from.sll_pkttype);
	CHECK(!readable(sink, 300), "the UDP socket does not get it either", "it did");
	/* Errors. */
	CHECK_ERR(send(unbound, pkt, 20, 0), ENXIO, "send on an unbound socket without an address: ENXIO");
	CHECK_ERR(sendto(tx, pkt, 20, 0, (struct sockaddr *)&to, 10), EINVAL, "a short sockaddr_ll: EINVAL");
	to.sll_ifindex = 99999;
	CHECK_ERR(sendto(tx, pkt, 20, 0, (struct sockaddr *)&to, sizeof(to)), ENXIO, "interface 99999: ENXIO");
	to.sll_ifindex = lo_index;
	CHECK_ERR(sendto(raw, buf, 10, 0, (struct sockaddr *)&to, sizeof(to)), EINVAL,
		  "SOCK_RAW shorter than the link header: EINVAL");
	CHECK_ERR(sendto(tx, big, 65537, 0, (struct sockaddr *)&to, sizeof(to)), EMSGSIZE,
		  "SOCK_DGRAM past lo's MTU (65536): EMSGSIZE");
	CHECK_ERR(sendto(tx, (void *)8, 20, 0, (struct sockaddr *)&to, sizeof(to)), EFAULT, "a bad buffer: EFAULT");
	CHECK_OK(set_lo(false), "lo down");
	CHECK_ERR(sendto(tx, pkt, 20, 0, (struct sockaddr *)&to, sizeof(to)), ENETDOWN, "lo down: ENETDOWN");
	CHECK_OK(set_lo(true), "lo up");
	drain(tx);
	drain(rx);
	drain(sink);
	close(tx);
	close(raw);
	close(rx);
	close(sink);
	close(unbound);
}

static int setfilter(int fd, const struct sock_filter *f, unsigned short len)
{
	struct sock_fprog p = { len, (struct sock_filter *)f };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, sizeof(p));
}

static void test_filters(void)
{
	int fd = packet(SOCK_RAW, ETH_P_ALL, lo_index), sink = udp_sink(), v = 1;
	static const struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	static const struct sock_filter no_ret[] = { BPF_STMT(BPF_LD | BPF_IMM, 1) };
	static const struct sock_filter bad_op[] = { { 0xffff, 0, 0, 0 }, BPF_STMT(BPF_RET | BPF_K, 0) };
	static const struct sock_filter jump_out[] = { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0),
						       BPF_STMT(BPF_RET | BPF_K, 0) };
	static const struct sock_filter ja_out[] = { BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_RET | BPF_K, 0) };
	static const struct sock_filter div0[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
						   BPF_STMT(BPF_RET | BPF_K, 0) };
	static const struct sock_filter mem16[] = { BPF_STMT(BPF_ST, 16), BPF_STMT(BPF_RET | BPF_K, 0) };
	static const struct sock_filter mem_unset[] = { BPF_STMT(BPF_LD | BPF_MEM, 2), BPF_STMT(BPF_RET | BPF_A, 0) };
	static const struct sock_filter oob[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 100000),
						  BPF_STMT(BPF_RET | BPF_K, 0xffff) };
	static struct sock_filter big[BPF_MAXINSNS + 1];
	struct sock_fprog p = { 1, NULL };
	unsigned char buf[2048];
	char cbuf[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	struct t_tpacket_auxdata aux = { 0, 0, 0, 0, 0, 0, 0 };
	socklen_t len = sizeof(v);
	ssize_t r;
	bool found = false;

	CHECK(fd >= 0 && sink >= 0, "sockets", "errno %d", errno);
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)), ENOENT, "detach without a filter: ENOENT");
	CHECK_ERR(setfilter(fd, no_ret, 1), EINVAL, "a program without a final RET: EINVAL");
	CHECK_ERR(setfilter(fd, bad_op, 2), EINVAL, "an unknown opcode: EINVAL");
	CHECK_ERR(setfilter(fd, jump_out, 2), EINVAL, "a jump past the end: EINVAL");
	CHECK_ERR(setfilter(fd, ja_out, 2), EINVAL, "BPF_JA past the end: EINVAL");
	CHECK_ERR(setfilter(fd, div0, 2), EINVAL, "division by a constant 0: EINVAL");
	CHECK_ERR(setfilter(fd, mem16, 2), EINVAL, "scratch slot 16: EINVAL");
	CHECK_ERR(setfilter(fd, mem_unset, 2), EINVAL, "a slot read before any store: EINVAL");
	CHECK_ERR(setfilter(fd, drop_all, 0), EINVAL, "an empty program: EINVAL");
	for (int i = 0; i <= BPF_MAXINSNS; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
	CHECK_ERR(setfilter(fd, big, BPF_MAXINSNS + 1), EINVAL, "BPF_MAXINSNS + 1 instructions: EINVAL");
	/* Valid, but past what net.core.optmem_max (20480 bytes) lets a socket's filter take. */
	CHECK_ERR(setfilter(fd, big, BPF_MAXINSNS), ENOMEM, "BPF_MAXINSNS instructions: ENOMEM (optmem_max)");
	CHECK_OK(setfilter(fd, big, 500), "500 instructions");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, sizeof(p)), EINVAL, "a NULL program: EINVAL");
	p.filter = (struct sock_filter *)8;
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, sizeof(p)), EFAULT, "a bad program pointer: EFAULT");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, sizeof(p) - 1), EINVAL, "a short sock_fprog: EINVAL");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, (void *)8, sizeof(p)), EFAULT, "a bad sock_fprog: EFAULT");
	/* A drop-all filter: nothing arrives. */
	CHECK_OK(setfilter(fd, drop_all, 1), "attach a drop-all filter");
	drain(fd);
	udp_send("dropped");
	CHECK(!readable(fd, 300), "drop-all: nothing arrives", "no");
	/* An out-of-range load ends the program with 0: drop. */
	CHECK_OK(setfilter(fd, oob, 2), "attach a filter loading past the end");
	drain(fd);
	udp_send("oob");
	CHECK(!readable(fd, 300), "a load past the end drops the frame", "no");
	/* A cut: the filter keeps 20 bytes; PACKET_AUXDATA tells the real length. */
	CHECK_OK(attach_udp_filter(fd, true, 20), "attach a filter keeping 20 bytes");
	CHECK_OK(setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &v, sizeof(v)), "PACKET_AUXDATA on");
	drain(fd);
	udp_send("cut-me-short-please");
	CHECK(readable(fd, 5000), "the cut frame arrives", "no");
	r = recvmsg(fd, &mh, MSG_DONTWAIT);
	CHECK_RET(r, 20, "the frame is cut to 20 bytes");
	CHECK(!(mh.msg_flags & MSG_TRUNC), "no MSG_TRUNC: the buffer held all that was kept", "no");
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		found = true;
	}
	CHECK(found, "a PACKET_AUXDATA control message", "no");
	CHECK(found && (aux.tp_status & TP_STATUS_USER) && aux.tp_len == 14 + 20 + 8 + 19 && aux.tp_snaplen == 20 &&
	      aux.tp_net == 14, "auxdata: TP_STATUS_USER, tp_len the real length, tp_snaplen 20, tp_net 14",
	      "status %#x len %u snap %u net %u", aux.tp_status, aux.tp_len, aux.tp_snaplen, aux.tp_net);
	drain(fd);
	/* SO_LOCK_FILTER. */
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &v, sizeof(v)), "SO_LOCK_FILTER");
	v = 0;
	CHECK(getsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &v, &len) == 0 && v == 1, "SO_LOCK_FILTER reads 1", "no");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)), EPERM, "locked: detach is EPERM");
	CHECK_ERR(setfilter(fd, drop_all, 1), EPERM, "locked: attach is EPERM");
	v = 0;
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &v, sizeof(v)), EPERM, "locked: unlocking is EPERM");
	close(fd);
	/* The three datagrams went all the way: none is left for the next test's sockets. */
	CHECK_RET(sink_wait(sink, 3), 3, "the UDP socket got the three datagrams");
	fd = packet(SOCK_RAW, ETH_P_ALL, lo_index);
	CHECK_OK(setfilter(fd, drop_all, 1), "a new socket: attach");
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)), "and detach");
	close(fd);
	drain(sink);
	close(sink);
}

static void test_stats_poll(void)
{
	int fd = packet(SOCK_RAW, ETH_P_ALL, lo_index), sink = udp_sink(), ep = epoll_create1(0), v = 1, q;
	struct t_tpacket_stats st;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	socklen_t len = sizeof(st);

	CHECK(fd >= 0 && sink >= 0 && ep >= 0, "sockets", "errno %d", errno);
	attach_udp_filter(fd, true, 0xffff);
	drain(fd);
	CHECK_OK(getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len), "PACKET_STATISTICS");
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), "SO_RCVBUF 1 (the minimum)");
	ev.data.fd = fd;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), "epoll_ctl ADD");
	CHECK_RET(epoll_wait(ep, &out, 1, 0), 0, "epoll: nothing yet");
	for (int i = 0; i < 40; i++)
		udp_send("fill-the-queue");
	CHECK_RET(epoll_wait(ep, &out, 1, 5000), 1, "epoll: readable");
	/* Each datagram is tapped going out and coming in; the UDP socket has them all once both are done. */
	sink_wait(sink, 40);
	len = sizeof(st);
	CHECK_OK(getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len), "PACKET_STATISTICS after 80 frames");
	q = drain(fd);
	CHECK(st.tp_drops > 0 && st.tp_packets == 80 && st.tp_packets - st.tp_drops == (unsigned)q,
	      "80 frames counted, the queued ones and the drops", "packets %u drops %u queued %d",
	      st.tp_packets, st.tp_drops, q);
	len = sizeof(st);
	CHECK(getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0 && st.tp_packets == 0 &&
	      st.tp_drops == 0, "read again: counted from zero", "no");
	close(ep);
	close(fd);
	drain(sink);
	close(sink);
}

static void test_options(void)
{
	int fd = packet(SOCK_RAW, ETH_P_ALL, lo_index);
	struct packet_mreq mr;
	char name[IFNAMSIZ];
	socklen_t len = sizeof(name);

	CHECK(fd >= 0, "socket", "errno %d", errno);
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = lo_index;
	mr.mr_type = PACKET_MR_PROMISC;
	CHECK_OK(setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), "PACKET_MR_PROMISC on lo");
	/* SIOCGIFFLAGS shows the flags the user set, not the promiscuity packet sockets hold (Linux's dev_get_flags). */
	CHECK(!(lo_flags() & IFF_PROMISC), "SIOCGIFFLAGS does not show it", "it does");
	CHECK_OK(setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), "the same membership again");
	CHECK_OK(setsockopt(fd, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)), "drop it");
	CHECK_OK(setsockopt(fd, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)), "drop it again");
	CHECK_OK(setsockopt(fd, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)), "drop what is not there: no error");
	CHECK_OK(setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), "PACKET_MR_PROMISC again");
	close(fd);
	fd = packet(SOCK_RAW, ETH_P_ALL, lo_index);
	CHECK_ERR(setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr) - 1), EINVAL, "a short packet_mreq: EINVAL");
	mr.mr_ifindex = 99999;
	CHECK_ERR(setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), ENODEV, "interface 99999: ENODEV");
	mr.mr_ifindex = lo_index;
	mr.mr_type = PACKET_MR_MULTICAST;
	mr.mr_alen = 3;
	CHECK_ERR(setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), EINVAL,
		  "a 3-byte multicast address: EINVAL");
	CHECK_ERR(setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, (void *)8, sizeof(mr)), EFAULT, "a bad packet_mreq: EFAULT");
	CHECK_ERR(setsockopt(fd, SOL_PACKET, 9999, &mr, sizeof(mr)), ENOPROTOOPT, "an unknown SOL_PACKET option: ENOPROTOOPT");
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3), "SO_BINDTODEVICE lo");
	CHECK(getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len) == 0 && len == 3 && !strcmp(name, "lo"),
	      "SO_BINDTODEVICE reads lo", "len %u", (unsigned)len);
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "nosuchdev0", 11), ENODEV, "SO_BINDTODEVICE nosuchdev0: ENODEV");
	close(fd);
}

/*
 * What BusyBox udhcpc needs beside its packet sockets: an AF_INET
 * SOCK_RAW IPPROTO_RAW socket (the sender writes the IPv4 header; the
 * kernel fills its length, a zero source and id, and its checksum), on
 * which it asks for the interface's index and address.
 */
static void test_ipproto_raw(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW), sink = udp_sink();
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = { LOOP } };
	unsigned char pkt[256], buf[256];
	struct ifreq r;
	size_t n;
	ssize_t got;

	CHECK(fd >= 0 && sink >= 0, "socket(AF_INET, SOCK_RAW, IPPROTO_RAW)", "errno %d", errno);
	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	CHECK(ioctl(fd, SIOCGIFINDEX, &r) == 0 && r.ifr_ifindex == lo_index, "SIOCGIFINDEX on it", "errno %d", errno);
	n = build_udp(pkt, "hdrincl");
	pkt[2] = pkt[3] = 0;		/* the kernel fills the length, */
	pkt[10] = pkt[11] = 0;		/* the checksum */
	pkt[12] = pkt[13] = pkt[14] = pkt[15] = 0;	/* and the source */
	CHECK_RET(sendto(fd, pkt, n, 0, (struct sockaddr *)&to, sizeof(to)), (long)n, "send a whole IPv4 datagram");
	got = readable(sink, 5000) ? recv(sink, buf, sizeof(buf), MSG_DONTWAIT) : -1;
	CHECK(got == 7 && !memcmp(buf, "hdrincl", 7), "the UDP socket got it", "got %zd", got);
	CHECK_ERR(sendto(fd, pkt, 19, 0, (struct sockaddr *)&to, sizeof(to)), EINVAL, "shorter than an IPv4 header: EINVAL");
	pkt[0] = 0x4f;
	CHECK_ERR(sendto(fd, pkt, 40, 0, (struct sockaddr *)&to, sizeof(to)), EINVAL, "a header longer than the datagram: EINVAL");
	close(fd);
	close(sink);
}

static void test_proc(void)
{
	int fd = packet(SOCK_RAW, ETH_P_ALL, lo_index);
	char text[8192], want[128];
	struct stat st;

	CHECK(fd >= 0 && fstat(fd, &st) == 0, "socket", "errno %d", errno);
	CHECK(check_read_file("/proc/net/packet", text, sizeof(text)) > 0, "read /proc/net/packet", "errno %d", errno);
	CHECK(!strncmp(text, "sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n", 64),
	      "/proc/net/packet's header", "got '%.64s'", text);
	/* The columns after RefCnt (a kernel-internal count): Type, Proto, Iface, R, Rmem, User, Inode. */
	snprintf(want, sizeof(want), " %-4d %04x   %-5d %1d %-6u %-6u %-6lu\n", SOCK_RAW, ETH_P_ALL, lo_index, 1, 0u, 0u,
		 (unsigned long)st.st_ino);
	CHECK(strstr(text, want) != NULL, "our socket's line: SOCK_RAW, ETH_P_ALL, lo, running, its inode",
	      "no '%s' in:\n%s", want, text);
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	set_lo(true);
	lo_index = lo_ifindex();
	if (!CHECK(lo_index > 0, "lo has an index", "no"))
		return check_done();
	test_create();
	test_bind();
	test_lo_frames();
	test_send();
	test_filters();
	test_stats_poll();
	test_options();
	test_ipproto_raw();
	test_proc();
	return check_done();
}
