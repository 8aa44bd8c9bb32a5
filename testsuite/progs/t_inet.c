// SPDX-License-Identifier: MPL-2.0
// IPv4 on the loopback interface: AF_INET socket creation (UDP, ping and
// raw ICMP sockets; no TCP yet on Aster), UDP bind/connect/disconnect,
// ephemeral ports, sendto/recvfrom/sendmsg/recvmsg with MSG_PEEK,
// MSG_DONTWAIT and MSG_TRUNC, poll, FIONREAD, names, SO_BROADCAST,
// EADDRINUSE, ECONNREFUSED from an ICMP port unreachable, IP_TTL, ping
// and raw ICMP echo to 127.0.0.1, the interface ioctls on lo, and
// /proc/net/{dev,route,udp}.  Runs as root (the init of the test
// initramfs); the unprivileged cases run in a child with setuid(65534).
#include "check.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define LOOP htonl(INADDR_LOOPBACK)

static void *volatile bad_ptr = BADPTR;
#undef BADPTR
#define BADPTR bad_ptr

static struct sockaddr_in sin_of(uint32_t addr_be, uint16_t port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = addr_be;
	a.sin_port = htons(port);
	return a;
}

static int udp(void)
{
	return socket(AF_INET, SOCK_DGRAM, 0);
}

static uint16_t port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return 0;
	return ntohs(a.sin_port);
}

/* A UDP socket bound to 127.0.0.1 and an ephemeral port. */
static int bound_udp(void)
{
	int fd = udp();
	struct sockaddr_in a = sin_of(LOOP, 0);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return fd;
}

static int wait_in(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/* Run fn as uid 65534 in a child: its exit status. */
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

static void lo_up(void)
{
	struct ifreq r;
	int fd = udp();

	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &r) == 0 && !(r.ifr_flags & IFF_UP)) {
		r.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &r);
	}
	close(fd);
}

static int nobody_raw(void)
{
	return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) < 0 && errno == EPERM ? 0 : 1;
}

static void test_create(void)
{
	int fd = udp(), v = 0;
	socklen_t len = sizeof(v);

	CHECK_OK(fd, "socket(AF_INET, SOCK_DGRAM, 0)");
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len), "SO_PROTOCOL");
	CHECK_RET(v, IPPROTO_UDP, "SOCK_DGRAM's protocol 0 is UDP");
	close(fd);
	CHECK_ERR(socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT, "SOCK_SEQPACKET: no such protocol (ESOCKTNOSUPPORT)");
	CHECK_ERR(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT, "SOCK_DGRAM with IPPROTO_TCP");
	CHECK_ERR(socket(AF_INET, SOCK_RAW, 0), EPROTONOSUPPORT, "SOCK_RAW with protocol 0");
	CHECK_ERR(socket(AF_INET, SOCK_DGRAM, 256), EPROTONOSUPPORT, "protocol 256");
	CHECK_ERR(socket(AF_INET, SOCK_DGRAM, -1), EINVAL, "protocol -1");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	/* Linux has TCP; Aster has none yet, and says so the way Linux does for a type with no protocol. */
	CHECK(fd >= 0 || errno == ESOCKTNOSUPPORT, "SOCK_STREAM: a socket, or ESOCKTNOSUPPORT without TCP",
	      "errno %d", errno);
	if (fd >= 0)
		close(fd);
	CHECK_RET(as_nobody(nobody_raw), 0, "raw socket as nobody: EPERM");
}

static int nobody_low_port(void)
{
	int fd = udp();
	struct sockaddr_in a = sin_of(LOOP, 1000);

	return bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno == EACCES ? 0 : 1;
}

static void test_bind(void)
{
	int a = udp(), b = udp();
	struct sockaddr_in sa = sin_of(LOOP, 0), got;
	socklen_t len = sizeof(got);
	uint16_t port;

	CHECK_ERR(bind(a, (struct sockaddr *)&sa, sizeof(sa) - 1), EINVAL, "bind: short address");
	sa.sin_family = AF_INET6;
	CHECK_ERR(bind(a, (struct sockaddr *)&sa, sizeof(sa)), EAFNOSUPPORT, "bind: AF_INET6 address");
	sa = sin_of(inet_addr("10.255.255.1"), 0);
	CHECK_ERR(bind(a, (struct sockaddr *)&sa, sizeof(sa)), EADDRNOTAVAIL, "bind: not our address");
	CHECK_OK(getsockname(a, (struct sockaddr *)&got, &len), "getsockname unbound");
	CHECK(got.sin_family == AF_INET && got.sin_port == 0 && got.sin_addr.s_addr == 0 && len == sizeof(got),
	      "unbound name is 0.0.0.0:0", "port %u len %u", ntohs(got.sin_port), len);
	sa = sin_of(LOOP, 0);
	CHECK_OK(bind(a, (struct sockaddr *)&sa, sizeof(sa)), "bind 127.0.0.1:0");
	port = port_of(a);
	CHECK(port >= 32768 && port <= 60999, "port 0 gives an ephemeral port", "port %u", port);
	CHECK_ERR(bind(a, (struct sockaddr *)&sa, sizeof(sa)), EINVAL, "bind twice");
	sa = sin_of(LOOP, port);
	CHECK_ERR(bind(b, (struct sockaddr *)&sa, sizeof(sa)), EADDRINUSE, "bind: port in use");
	sa = sin_of(htonl(INADDR_ANY), port);
	CHECK_ERR(bind(b, (struct sockaddr *)&sa, sizeof(sa)), EADDRINUSE, "bind INADDR_ANY: port in use");
	close(a);
	CHECK_OK(bind(b, (struct sockaddr *)&sa, sizeof(sa)), "bind INADDR_ANY once the port is free");
	len = sizeof(got);
	getsockname(b, (struct sockaddr *)&got, &len);
	CHECK(got.sin_addr.s_addr == 0 && ntohs(got.sin_port) == port, "INADDR_ANY name", "port %u", ntohs(got.sin_port));
	close(b);
	CHECK_RET(as_nobody(nobody_low_port), 0, "bind to port 1000 as nobody: EACCES");
}

static void test_data(void)
{
	int a = bound_udp(), b = udp(), n = 0;
	struct sockaddr_in to = sin_of(LOOP, port_of(a)), from;
	socklen_t len = sizeof(from);
	char buf[64];
	struct iovec iov = { buf, 3 };
	struct msghdr mh = { 0 };

	CHECK_ERR(recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "MSG_DONTWAIT on an empty queue");
	CHECK(wait_in(a, 0) == 0, "no POLLIN when empty", "revents");
	CHECK(wait_in(b, 0) == 0, "unbound socket: no POLLIN", "revents");
	CHECK_RET(sendto(b, "hello", 5, 0, (struct sockaddr *)&to, sizeof(to)), 5, "sendto 127.0.0.1");
	CHECK(port_of(b) >= 32768, "sendto autobinds an ephemeral port", "port %u", port_of(b));
	CHECK(wait_in(a, 2000) & POLLIN, "POLLIN after a datagram", "none");
	CHECK_OK(ioctl(a, FIONREAD, &n), "FIONREAD");
	CHECK_RET(n, 5, "FIONREAD is the first datagram's size");
	CHECK_RET(recv(a, buf, sizeof(buf), MSG_PEEK), 5, "MSG_PEEK");
	memset(&from, 0, sizeof(from));
	CHECK_RET(recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), 5, "recvfrom");
	CHECK(!memcmp(buf, "hello", 5), "the bytes", "differ");
	CHECK(from.sin_family == AF_INET && from.sin_addr.s_addr == LOOP && ntohs(from.sin_port) == port_of(b) &&
	      len == sizeof(from), "the source address", "port %u", ntohs(from.sin_port));
	sendto(b, "0123456789", 10, 0, (struct sockaddr *)&to, sizeof(to));
	wait_in(a, 2000);
	CHECK_RET(recv(a, buf, 4, MSG_TRUNC | MSG_PEEK), 10, "MSG_TRUNC gives the real length");
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	CHECK_RET(recvmsg(a, &mh, 0), 3, "recvmsg into 3 bytes");
	CHECK(mh.msg_flags & MSG_TRUNC, "msg_flags has MSG_TRUNC", "flags %#x", mh.msg_flags);
	CHECK_ERR(recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "the rest of a datagram is gone");
	CHECK_ERR(send(b, "x", 1, 0), EDESTADDRREQ, "send unconnected: EDESTADDRREQ");
	to.sin_port = 0;
	CHECK_ERR(sendto(b, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), EINVAL, "sendto port 0");
	to.sin_port = htons(port_of(a));
	CHECK_ERR(sendto(b, "x", 1, 0, (struct sockaddr *)&to, 8), EINVAL, "sendto: short address");
	CHECK_ERR(sendto(b, "x", 1, MSG_OOB, (struct sockaddr *)&to, sizeof(to)), EOPNOTSUPP, "MSG_OOB");
	{
		static char big[65508];

		CHECK_ERR(sendto(b, big, sizeof(big), 0, (struct sockaddr *)&to, sizeof(to)), EMSGSIZE, "65508 bytes: EMSGSIZE");
		CHECK_RET(sendto(b, big, 65507, 0, (struct sockaddr *)&to, sizeof(to)), 65507, "65507 bytes on lo");
		CHECK(wait_in(a, 2000) & POLLIN, "the big datagram arrives", "no");
		CHECK_RET(recv(a, big, sizeof(big), 0), 65507, "and is whole");
	}
	close(a);
	close(b);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* sendmsg/recvmsg with names and iovecs, timeouts, a signal, bad buffers, epoll edges. */
static void test_msg(void)
{
	int a = bound_udp(), b = udp(), ep;
	struct sockaddr_in to = sin_of(LOOP, port_of(a)), from;
	char p1[] = "ab", p2[] = "cde", buf[16];
	struct iovec iov[2] = { { p1, 2 }, { p2, 3 } }, riov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = iov, .msg_iovlen = 2 };
	struct timeval tv = { 0, 200000 };
	struct sigaction sa;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;

	CHECK_RET(sendmsg(b, &mh, 0), 5, "sendmsg with a name and two iovecs");
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_iov = &riov;
	mh.msg_iovlen = 1;
	wait_in(a, 2000);
	CHECK_RET(recvmsg(a, &mh, 0), 5, "recvmsg");
	CHECK(!memcmp(buf, "abcde", 5) && mh.msg_namelen == sizeof(from) && from.sin_addr.s_addr == LOOP &&
	      ntohs(from.sin_port) == port_of(b), "recvmsg: the bytes and the name", "namelen %u", mh.msg_namelen);
	CHECK_ERR(sendto(b, BADPTR, 4, 0, (struct sockaddr *)&to, sizeof(to)), EFAULT, "sendto from a bad buffer");
	sendto(b, "wxyz", 4, 0, (struct sockaddr *)&to, sizeof(to));
	wait_in(a, 2000);
	CHECK_ERR(recv(a, BADPTR, 4, 0), EFAULT, "recv into a bad buffer");
	while (recv(a, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	CHECK_OK(setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), "SO_RCVTIMEO 200 ms");
	CHECK_ERR(recv(a, buf, sizeof(buf), 0), EAGAIN, "recv times out: EAGAIN");
	tv.tv_usec = 0;
	setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	CHECK_ERR(recv(a, buf, sizeof(buf), 0), EINTR, "a signal interrupts a blocking recv (no SA_RESTART)");
	alarm(0);
	ep = epoll_create1(0);
	ev.data.fd = a;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev), "epoll: add (edge-triggered)");
	CHECK_RET(epoll_wait(ep, &out, 1, 0), 0, "epoll: nothing yet");
	sendto(b, "1", 1, 0, (struct sockaddr *)&to, sizeof(to));
	CHECK_RET(epoll_wait(ep, &out, 1, 2000), 1, "epoll: a datagram is an edge");
	CHECK_RET(epoll_wait(ep, &out, 1, 0), 0, "epoll: no second edge without news");
	sendto(b, "2", 1, 0, (struct sockaddr *)&to, sizeof(to));
	CHECK_RET(epoll_wait(ep, &out, 1, 2000), 1, "epoll: another datagram, another edge");
	close(ep);
	close(a);
	close(b);
}

static int set_lo_mtu(int mtu)
{
	int fd = udp(), r;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ifr.ifr_mtu = mtu;
	r = ioctl(fd, SIOCSIFMTU, &ifr);
	close(fd);
	return r;
}

/* With lo's MTU at 1500, a 4000-byte datagram goes in fragments and is reassembled. */
static void test_fragments(void)
{
	int a = bound_udp(), b = udp();
	struct sockaddr_in to = sin_of(LOOP, port_of(a));
	static unsigned char out[4000], in[5000];
	int n;

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 13 + i / 251);
	CHECK_OK(set_lo_mtu(1500), "SIOCSIFMTU lo 1500");
	CHECK_ERR(set_lo_mtu(-1), EINVAL, "SIOCSIFMTU -1");
	CHECK_RET(sendto(b, out, sizeof(out), 0, (struct sockaddr *)&to, sizeof(to)), 4000, "sendto 4000 bytes over MTU 1500");
	CHECK(wait_in(a, 2000) & POLLIN, "the datagram arrives", "no");
	n = (int)recv(a, in, sizeof(in), MSG_DONTWAIT);
	CHECK(n == 4000 && !memcmp(in, out, sizeof(out)), "reassembled whole", "n %d", n);
	CHECK_OK(set_lo_mtu(65536), "lo's MTU back to 65536");
	close(a);
	close(b);
}

static void test_connect(void)
{
	int a = bound_udp(), b = udp(), c = bound_udp(), v = 0;
	struct sockaddr_in to = sin_of(LOOP, port_of(a)), got, un;
	socklen_t len = sizeof(got);
	char buf[16];

	CHECK_ERR(getpeername(b, (struct sockaddr *)&got, &len), ENOTCONN, "getpeername unconnected");
	v = udp();
	CHECK_ERR(shutdown(v, SHUT_WR), ENOTCONN, "shutdown unconnected: ENOTCONN");
	/* As Linux's inet_shutdown, the socket is shut down all the same. */
	CHECK_ERR(sendto(v, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), EPIPE, "and sends fail with EPIPE");
	close(v);
	CHECK_OK(connect(b, (struct sockaddr *)&to, sizeof(to)), "connect");
	len = sizeof(got);
	CHECK_OK(getpeername(b, (struct sockaddr *)&got, &len), "getpeername");
	CHECK(got.sin_addr.s_addr == LOOP && got.sin_port == to.sin_port, "the peer", "port %u", ntohs(got.sin_port));
	len = sizeof(got);
	getsockname(b, (struct sockaddr *)&got, &len);
	CHECK(got.sin_addr.s_addr == LOOP && ntohs(got.sin_port) >= 32768, "connect picks the source address and a port",
	      "addr %#x", got.sin_addr.s_addr);
	CHECK_RET(send(b, "hi", 2, 0), 2, "send connected");
	CHECK(wait_in(a, 2000) & POLLIN, "arrives", "no");
	recv(a, buf, sizeof(buf), MSG_DONTWAIT);
	/* A connected socket takes datagrams from its peer only. */
	to = sin_of(LOOP, port_of(b));
	sendto(c, "no", 2, 0, (struct sockaddr *)&to, sizeof(to));
	CHECK(wait_in(b, 300) == 0, "a stranger's datagram is not delivered", "it was");
	memset(&un, 0, sizeof(un));
	un.sin_family = AF_UNSPEC;
	CHECK_OK(connect(b, (struct sockaddr *)&un, sizeof(un)), "connect AF_UNSPEC");
	len = sizeof(got);
	CHECK_ERR(getpeername(b, (struct sockaddr *)&got, &len), ENOTCONN, "disconnected");
	CHECK_ERR(send(b, "x", 1, 0), EDESTADDRREQ, "send after disconnect");
	close(c);

	/* ECONNREFUSED: a connected socket hears the port unreachable. */
	c = bound_udp();
	to = sin_of(LOOP, port_of(c));
	close(c);
	CHECK_OK(sendto(a, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), "sendto a closed port unconnected");
	CHECK(!(wait_in(a, 300) & POLLERR), "unconnected: no error", "POLLERR");
	CHECK_ERR(recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "unconnected: nothing");
	CHECK_OK(connect(b, (struct sockaddr *)&to, sizeof(to)), "connect to a closed port");
	CHECK_RET(send(b, "x", 1, 0), 1, "the send succeeds");
	CHECK(wait_in(b, 2000) & POLLERR, "POLLERR after the ICMP port unreachable", "none");
	CHECK_ERR(recv(b, buf, sizeof(buf), 0), ECONNREFUSED, "recv: ECONNREFUSED");
	len = sizeof(v);
	getsockopt(b, SOL_SOCKET, SO_ERROR, &v, &len);
	CHECK_RET(v, 0, "the error is reported once");
	send(b, "x", 1, 0);
	wait_in(b, 2000);
	len = sizeof(v);
	CHECK_OK(getsockopt(b, SOL_SOCKET, SO_ERROR, &v, &len), "SO_ERROR");
	CHECK_RET(v, ECONNREFUSED, "SO_ERROR is ECONNREFUSED");
	close(a);
	close(b);
}

static void test_options(void)
{
	int fd = udp(), v = 0;
	socklen_t len = sizeof(v);
	struct sockaddr_in bc = sin_of(htonl(INADDR_BROADCAST), 9);

	/* No interface but lo: no route to the broadcast address (the route comes before the SO_BROADCAST check). */
	CHECK_ERR(sendto(fd, "x", 1, 0, (struct sockaddr *)&bc, sizeof(bc)), ENETUNREACH, "sendto 255.255.255.255 with no route");
	CHECK_ERR(connect(fd, (struct sockaddr *)&bc, sizeof(bc)), ENETUNREACH, "connect to 255.255.255.255 with no route");
	v = 1;
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, sizeof(v)), "SO_BROADCAST");
	v = 0;
	getsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, &len);
	CHECK_RET(v, 1, "SO_BROADCAST reads back");
	len = sizeof(v);
	CHECK_OK(getsockopt(fd, IPPROTO_IP, IP_TTL, &v, &len), "IP_TTL");
	CHECK_RET(v, 64, "IP_TTL is 64");
	v = 0;
	CHECK_ERR(setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v)), EINVAL, "IP_TTL 0");
	v = 200;
	CHECK_OK(setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v)), "IP_TTL 200");
	len = sizeof(v);
	getsockopt(fd, IPPROTO_IP, IP_TTL, &v, &len);
	CHECK_RET(v, 200, "IP_TTL reads back");
	close(fd);
}

static uint16_t csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)(b[n - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

static int read_range(char *buf, size_t n)
{
	int fd = open("/proc/sys/net/ipv4/ping_group_range", O_RDONLY);
	ssize_t r = fd < 0 ? -1 : read(fd, buf, n - 1);

	close(fd);
	buf[r > 0 ? r : 0] = 0;
	return r > 0 ? 0 : -1;
}

static int write_range(const char *s)
{
	int fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY);
	ssize_t r = fd < 0 ? -1 : write(fd, s, strlen(s));

	close(fd);
	return r == (ssize_t)strlen(s) ? 0 : -1;
}

static void test_ping(void)
{
	char old[64], buf[128];
	uint8_t req[16] = { 8, 0, 0, 0, 0, 0, 0, 7, 'p', 'i', 'n', 'g', '!', '!', '!', '!' };
	struct sockaddr_in to = sin_of(LOOP, 0), from;
	socklen_t len = sizeof(from);
	int fd;

	CHECK_OK(read_range(old, sizeof(old)), "read ping_group_range");
	CHECK_OK(write_range("1 0"), "ping_group_range 1 0");
	CHECK_ERR(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), EACCES, "ping socket outside the range");
	CHECK_OK(write_range("0 2147483647"), "ping_group_range 0 2147483647");
	fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	CHECK_OK(fd, "ping socket");
	CHECK_ERR(sendto(fd, req, 4, 0, (struct sockaddr *)&to, sizeof(to)), EINVAL, "ping: shorter than a header");
	req[0] = 13;
	CHECK_ERR(sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)), EINVAL, "ping: not an echo request");
	req[0] = 8;
	CHECK_RET(sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)), 16, "echo request to 127.0.0.1");
	CHECK(wait_in(fd, 2000) & POLLIN, "a reply", "none");
	CHECK_RET(recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), 16, "the reply's length");
	CHECK(buf[0] == 0 && buf[7] == 7 && !memcmp(buf + 8, "ping!!!!", 8), "an echo reply with our sequence and data",
	      "type %d seq %d", buf[0], buf[7]);
	CHECK(from.sin_addr.s_addr == LOOP, "from 127.0.0.1", "%#x", from.sin_addr.s_addr);
	close(fd);
	write_range(old);

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	CHECK_OK(fd, "raw ICMP socket as root");
	req[4] = 0x12;
	req[5] = 0x34;
	req[2] = req[3] = 0;
	memcpy(req + 2, &(uint16_t){ csum(req, sizeof(req)) }, 2);
	CHECK_RET(sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)), 16, "raw: echo request");
	{
		int seen_reply = 0;

		/* Raw sockets see every ICMP packet: our request, then the reply. */
		for (int i = 0; i < 4 && !seen_reply && (wait_in(fd, 2000) & POLLIN); i++) {
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			int ihl = (buf[0] & 15) * 4;

			if (n == ihl + 16 && buf[ihl] == 0 && (uint8_t)buf[ihl + 4] == 0x12 && buf[ihl + 5] == 0x34)
				seen_reply = 1;
		}
		CHECK(seen_reply, "raw: the echo reply with its IP header", "not seen");
	}
	close(fd);
}

static int nobody_sets(void)
{
	int fd = udp();
	struct ifreq r;
	struct rtentry rt;

	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	r.ifr_mtu = 1500;
	if (ioctl(fd, SIOCSIFMTU, &r) == 0 || errno != EPERM)
		return 1;
	memset(&rt, 0, sizeof(rt));
	rt.rt_dst.sa_family = AF_INET;
	if (ioctl(fd, SIOCADDRT, &rt) == 0 || errno != EPERM)
		return 2;
	strcpy(r.ifr_name, "lo");
	return ioctl(fd, SIOCGIFFLAGS, &r) == 0 ? 0 : 3;
}

static void test_ioctl(void)
{
	int fd = udp(), idx;
	struct ifreq r, rs[16];
	struct ifconf ifc = { .ifc_len = sizeof(rs), .ifc_req = rs };
	int found = 0;

	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	CHECK_OK(ioctl(fd, SIOCGIFFLAGS, &r), "SIOCGIFFLAGS lo");
	CHECK((r.ifr_flags & (IFF_UP | IFF_LOOPBACK | IFF_RUNNING)) == (IFF_UP | IFF_LOOPBACK | IFF_RUNNING),
	      "lo is UP, LOOPBACK, RUNNING", "flags %#x", r.ifr_flags);
	CHECK_OK(ioctl(fd, SIOCGIFADDR, &r), "SIOCGIFADDR lo");
	CHECK(((struct sockaddr_in *)&r.ifr_addr)->sin_addr.s_addr == LOOP, "lo is 127.0.0.1", "no");
	CHECK_OK(ioctl(fd, SIOCGIFNETMASK, &r), "SIOCGIFNETMASK lo");
	CHECK(((struct sockaddr_in *)&r.ifr_netmask)->sin_addr.s_addr == htonl(0xff000000), "lo's mask is /8", "no");
	CHECK_OK(ioctl(fd, SIOCGIFMTU, &r), "SIOCGIFMTU lo");
	CHECK_RET(r.ifr_mtu, 65536, "lo's MTU");
	CHECK_OK(ioctl(fd, SIOCGIFHWADDR, &r), "SIOCGIFHWADDR lo");
	CHECK_RET(r.ifr_hwaddr.sa_family, 772, "lo is ARPHRD_LOOPBACK");
	CHECK_OK(ioctl(fd, SIOCGIFINDEX, &r), "SIOCGIFINDEX lo");
	idx = r.ifr_ifindex;
	CHECK(idx > 0, "an index", "%d", idx);
	memset(&r, 0, sizeof(r));
	r.ifr_ifindex = idx;
	CHECK_OK(ioctl(fd, SIOCGIFNAME, &r), "SIOCGIFNAME");
	CHECK(!strcmp(r.ifr_name, "lo"), "the index names lo", "%s", r.ifr_name);
	strcpy(r.ifr_name, "nosuch0");
	CHECK_ERR(ioctl(fd, SIOCGIFFLAGS, &r), ENODEV, "no such interface");
	CHECK_OK(ioctl(fd, SIOCGIFCONF, &ifc), "SIOCGIFCONF");
	for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++)
		if (!strcmp(rs[i].ifr_name, "lo") &&
		    ((struct sockaddr_in *)&rs[i].ifr_addr)->sin_addr.s_addr == LOOP)
			found = 1;
	CHECK(found && ifc.ifc_len % sizeof(struct ifreq) == 0, "SIOCGIFCONF lists lo 127.0.0.1", "len %d", ifc.ifc_len);
	ifc.ifc_req = NULL;
	ifc.ifc_len = 0;
	CHECK_OK(ioctl(fd, SIOCGIFCONF, &ifc), "SIOCGIFCONF with no buffer");
	CHECK(ifc.ifc_len >= (int)sizeof(struct ifreq), "gives the length needed", "%d", ifc.ifc_len);
	CHECK_RET(as_nobody(nobody_sets), 0, "as nobody: SIOCSIFMTU and SIOCADDRT are EPERM, SIOCGIFFLAGS works");
	close(fd);
}

static int file_has(const char *path, const char *what)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n = 0, r;

	if (fd < 0)
		return 0;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return strstr(buf, what) != NULL;
}

static void test_proc(void)
{
	int a = bound_udp();
	char want[32];

	snprintf(want, sizeof(want), ": 0100007F:%04X 00000000:0000 07 ", port_of(a));
	CHECK(file_has("/proc/net/udp", want), "/proc/net/udp has the bound socket", "no %s", want);
	CHECK(file_has("/proc/net/udp", "   sl  local_address rem_address   st tx_queue rx_queue"), "/proc/net/udp's header", "no");
	CHECK(file_has("/proc/net/dev", "    lo: "), "/proc/net/dev has lo", "no");
	CHECK(file_has("/proc/net/dev", " face |bytes    packets errs drop fifo frame compressed multicast|"), "/proc/net/dev's header", "no");
	CHECK(file_has("/proc/net/route", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT"),
	      "/proc/net/route's header", "no");
	CHECK(file_has("/proc/net/arp", "IP address       HW type     Flags       HW address            Mask     Device\n"),
	      "/proc/net/arp's header", "no");
	close(a);
}

/*
 * "t_inet net ECHOPORT GUESTPORT" (testsuite/net/net-guest.sh, with eth0
 * 10.0.2.15/24 and a default route via 10.0.2.2 on QEMU's user network):
 * a UDP exchange with the host's echo server, the broadcast checks, the
 * routes and neighbours in /proc/net, and a datagram from the host on
 * GUESTPORT, answered with "pong: " and its text.
 */
static void test_net(int echo_port, int guest_port)
{
	int fd = udp(), v = 1, got = 0;
	struct sockaddr_in host = sin_of(inet_addr("10.0.2.2"), (uint16_t)echo_port), from;
	struct sockaddr_in bc = sin_of(inet_addr("10.0.2.255"), 9), me = sin_of(0, (uint16_t)guest_port);
	socklen_t len = sizeof(from);
	char buf[256];
	ssize_t n = 0;

	/* QEMU's network may drop the first datagram while it resolves: try a few times. */
	for (int i = 0; i < 5 && !got; i++) {
		CHECK_RET(sendto(fd, "aster-udp-echo", 14, 0, (struct sockaddr *)&host, sizeof(host)), 14, "sendto 10.0.2.2");
		if (wait_in(fd, 2000) & POLLIN) {
			n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
			got = 1;
		}
	}
	CHECK(got && n == 14 && !memcmp(buf, "aster-udp-echo", 14), "the host's echo server answers", "n %zd", n);
	CHECK(from.sin_addr.s_addr == host.sin_addr.s_addr && from.sin_port == host.sin_port, "from 10.0.2.2:ECHOPORT",
	      "%#x:%u", from.sin_addr.s_addr, ntohs(from.sin_port));
	len = sizeof(from);
	getsockname(fd, (struct sockaddr *)&from, &len);
	CHECK(from.sin_addr.s_addr == 0 && ntohs(from.sin_port) >= 32768, "autobound on INADDR_ANY", "%#x", from.sin_addr.s_addr);
	{
		/* Past the MTU: the datagram leaves in IP fragments; the host answers with its length and byte sum. */
		static unsigned char big[4000];
		unsigned long sum = 0;
		char want[64];

		for (size_t i = 0; i < sizeof(big); i++) {
			big[i] = (unsigned char)(i * 7 + i / 256);
			sum += big[i];
		}
		snprintf(want, sizeof(want), "len=%zu sum=%lu", sizeof(big), sum);
		got = 0;
		for (int i = 0; i < 5 && !got; i++) {
			CHECK_RET(sendto(fd, big, sizeof(big), 0, (struct sockaddr *)&host, sizeof(host)), 4000,
				  "sendto 10.0.2.2: 4000 bytes");
			if (wait_in(fd, 2000) & POLLIN) {
				n = recv(fd, buf, sizeof(buf) - 1, 0);
				got = n > 0;
			}
		}
		buf[got ? n : 0] = 0;
		CHECK(got && !strcmp(buf, want), "the host got the 4000 bytes whole (fragmented)", "'%s', want '%s'", buf, want);
	}
	CHECK_ERR(sendto(fd, "x", 1, 0, (struct sockaddr *)&bc, sizeof(bc)), EACCES, "subnet broadcast without SO_BROADCAST");
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, sizeof(v));
	CHECK_RET(sendto(fd, "x", 1, 0, (struct sockaddr *)&bc, sizeof(bc)), 1, "subnet broadcast with SO_BROADCAST");
	close(fd);
	CHECK(file_has("/proc/net/route", "eth0\t00000000\t0202000A\t0003\t0\t0\t0\t00000000\t0\t0\t0"),
	      "/proc/net/route: the default route", "no");
	CHECK(file_has("/proc/net/route", "eth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"),
	      "/proc/net/route: the connected route", "no");
	/* Linux lists the table in key order: the default route first. */
	CHECK(file_has("/proc/net/route", "IRTT" "                                                       \n"
		       "eth0\t00000000\t0202000A\t0003\t0\t0\t0\t00000000\t0\t0\t0"
		       "                                                                               \n"
		       "eth0\t0002000A\t00000000\t0001"), "/proc/net/route: 127-column lines, in Linux's order", "no");
	CHECK(file_has("/proc/net/arp", "10.0.2.2         0x1         0x2         "), "/proc/net/arp: the gateway", "no");

	fd = udp();
	CHECK_OK(bind(fd, (struct sockaddr *)&me, sizeof(me)), "bind GUESTPORT");
	check_printf("# t_inet: ready for the host\n");
	got = 0;
	for (int i = 0; i < 60 && !got; i++) {
		len = sizeof(from);
		if (wait_in(fd, 1000) & POLLIN) {
			n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &len);
			got = n > 0;
		}
	}
	CHECK(got, "a datagram from the host through hostfwd", "none in 60 s");
	if (got) {
		char reply[300];
		int rl;

		buf[n] = 0;
		check_printf("# t_inet: got '%s' from %s\n", buf, inet_ntoa(from.sin_addr));
		rl = snprintf(reply, sizeof(reply), "pong: %s", buf);
		CHECK_RET(sendto(fd, reply, (size_t)rl, 0, (struct sockaddr *)&from, len), rl, "the answer");
		/* The host may resend before our answer reaches it: answer those too, for a while. */
		while (wait_in(fd, 3000) & POLLIN) {
			len = sizeof(from);
			n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &len);
			if (n <= 0)
				break;
			buf[n] = 0;
			rl = snprintf(reply, sizeof(reply), "pong: %s", buf);
			sendto(fd, reply, (size_t)rl, 0, (struct sockaddr *)&from, len);
		}
	}
	close(fd);
}

int main(int argc, char **argv)
{
	check_init(argv[0]);
	if (argc == 4 && !strcmp(argv[1], "net")) {
		test_net(atoi(argv[2]), atoi(argv[3]));
		return check_done();
	}
	lo_up();
	test_create();
	test_bind();
	test_data();
	test_fragments();
	test_msg();
	test_connect();
	test_options();
	test_ping();
	test_ioctl();
	test_proc();
	return check_done();
}
