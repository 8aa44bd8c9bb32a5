// SPDX-License-Identifier: MPL-2.0
// TCP over the loopback interface: creation, bind (EADDRINUSE, EINVAL,
// SO_REUSEADDR and a TIME_WAIT port), listen and accept (EAGAIN, EINVAL,
// the backlog), connect (ECONNREFUSED, EINPROGRESS then SO_ERROR,
// EALREADY, EISCONN, EINTR by a signal while the handshake goes on), data
// with MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, FIONREAD and SIOCOUTQ,
// ENOTCONN, EPIPE with and without SIGPIPE, ECONNRESET from a SO_LINGER 0
// close, half-close, poll edges, the TCP options and TCP_INFO,
// /proc/net/tcp, 16 MiB each way with a checksum, and 200 short
// connections.  "t_tcp net HOST ECHOPORT LISTENPORT" is the virtio-net
// part (testsuite/net/net-guest.sh).
#include "check.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#define LOOP htonl(INADDR_LOOPBACK)
/* musl has no <linux/sockios.h>: Linux's values. */
#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

static struct sockaddr_in sin_of(uint32_t addr_be, uint16_t port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = addr_be;
	a.sin_port = htons(port);
	return a;
}

static int tcp(void)
{
	return socket(AF_INET, SOCK_STREAM, 0);
}

static uint16_t port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return 0;
	return ntohs(a.sin_port);
}

/* A listener on 127.0.0.1 and an ephemeral port. */
static int listener(int backlog, int reuse)
{
	int fd = tcp();
	struct sockaddr_in a = sin_of(LOOP, 0);

	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int connect_to(uint16_t port)
{
	int fd = tcp();
	struct sockaddr_in a = sin_of(LOOP, port);

	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* A connected pair through a fresh listener: *c the client, *s the accepted. */
static int pair(int *c, int *s)
{
	int l = listener(4, 0);

	*c = *s = -1;
	if (l < 0)
		return -1;
	*c = connect_to(port_of(l));
	if (*c >= 0)
		*s = accept(l, NULL, NULL);
	close(l);
	return *c >= 0 && *s >= 0 ? 0 : -1;
}

static short revents(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

static void msleep(int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&t, NULL);
}

/* Linux boots with lo down (our kernel with it up): bring it up. */
static void lo_up(void)
{
	struct ifreq r;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &r) == 0 && !(r.ifr_flags & IFF_UP)) {
		r.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &r);
	}
	close(fd);
}

static void test_create(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), v = 0;
	socklen_t len = sizeof(v);

	CHECK_OK(fd, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)");
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len), "SO_PROTOCOL");
	CHECK(v == IPPROTO_TCP, "SO_PROTOCOL is IPPROTO_TCP", "got %d", v);
	len = sizeof(v);
	getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
	CHECK(v == 0, "SO_ACCEPTCONN 0 before listen", "got %d", v);
	close(fd);
	CHECK_ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT,
		  "SOCK_STREAM with IPPROTO_UDP: EPROTONOSUPPORT");
	fd = tcp();
	CHECK(revents(fd, POLLIN | POLLOUT, 0) == (POLLOUT | POLLHUP),
	      "a fresh socket polls POLLOUT|POLLHUP, as Linux", "got %#x", revents(fd, POLLIN | POLLOUT, 0));
	CHECK_ERR(recv(fd, &v, 1, 0), ENOTCONN, "recv unconnected: ENOTCONN");
	CHECK_ERR(shutdown(fd, SHUT_RDWR), ENOTCONN, "shutdown unconnected: ENOTCONN");
	{
		struct sockaddr_in a;
		socklen_t al = sizeof(a);

		CHECK_ERR(getpeername(fd, (struct sockaddr *)&a, &al), ENOTCONN, "getpeername: ENOTCONN");
	}
	CHECK_ERR(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE, "send unconnected: EPIPE (Linux)");
	CHECK_ERR(accept(fd, NULL, NULL), EINVAL, "accept without listen: EINVAL");
	close(fd);
}

static void test_bind(void)
{
	int a = tcp(), b = tcp(), one = 1, l;
	struct sockaddr_in sa = sin_of(LOOP, 0);
	uint16_t port;

	CHECK_OK(bind(a, (struct sockaddr *)&sa, sizeof(sa)), "bind 127.0.0.1:0");
	port = port_of(a);
	CHECK(port >= 32768 && port <= 60999, "an ephemeral port", "got %u", port);
	CHECK_ERR(bind(a, (struct sockaddr *)&sa, sizeof(sa)), EINVAL, "bind twice: EINVAL");
	sa.sin_port = htons(port);
	CHECK_ERR(bind(b, (struct sockaddr *)&sa, sizeof(sa)), EADDRINUSE, "bind a used port: EADDRINUSE");
	close(a);
	close(b);
	/* Both SO_REUSEADDR: both bind; only one may listen. */
	a = tcp();
	b = tcp();
	setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_port = 0;
	bind(a, (struct sockaddr *)&sa, sizeof(sa));
	sa.sin_port = htons(port_of(a));
	CHECK_OK(bind(b, (struct sockaddr *)&sa, sizeof(sa)), "SO_REUSEADDR on both: the same port");
	CHECK_OK(listen(a, 1), "listen on the first");
	CHECK_ERR(listen(b, 1), EADDRINUSE, "listen on the second: EADDRINUSE");
	close(a);
	close(b);
	/* connect to a port nobody listens on. */
	l = tcp();
	sa = sin_of(LOOP, 0);
	bind(l, (struct sockaddr *)&sa, sizeof(sa));
	port = port_of(l);
	close(l);
	a = connect_to(port);
	CHECK(a < 0 && errno == ECONNREFUSED, "connect to a closed port: ECONNREFUSED", "fd %d errno %d", a, errno);
	a = tcp();
	sa = sin_of(LOOP, port);
	fcntl(a, F_SETFL, O_NONBLOCK);
	CHECK_ERR(connect(a, (struct sockaddr *)&sa, sizeof(sa)), EINPROGRESS, "non-blocking connect: EINPROGRESS");
	{
		short r = revents(a, POLLOUT, 2000);
		int err = 0;
		socklen_t len = sizeof(err);

		CHECK((r & (POLLOUT | POLLERR | POLLHUP)) == (POLLOUT | POLLERR | POLLHUP),
		      "refused: POLLOUT|POLLERR|POLLHUP", "got %#x", r);
		getsockopt(a, SOL_SOCKET, SO_ERROR, &err, &len);
		CHECK(err == ECONNREFUSED, "SO_ERROR: ECONNREFUSED", "got %d", err);
	}
	close(a);
	a = tcp();
	sa = sin_of(LOOP, 1);
	CHECK_ERR(connect(a, (struct sockaddr *)&sa, sizeof(sa) - 1), EINVAL, "connect with a short address: EINVAL");
	close(a);
}

static void test_accept(void)
{
	int l = listener(4, 0), c, s, v = 0;
	socklen_t len = sizeof(v);
	struct sockaddr_in pa, ca;
	socklen_t pl = sizeof(pa), cl = sizeof(ca);

	getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
	CHECK(v == 1, "SO_ACCEPTCONN 1 on a listener", "got %d", v);
	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "non-blocking accept, none pending: EAGAIN");
	CHECK(revents(l, POLLIN, 0) == 0, "listener: no POLLIN", "got %#x", revents(l, POLLIN, 0));
	c = connect_to(port_of(l));
	CHECK_OK(c, "connect");
	CHECK(revents(l, POLLIN, 2000) == POLLIN, "listener: POLLIN with a connection", "got %#x",
	      revents(l, POLLIN, 0));
	s = accept4(l, (struct sockaddr *)&pa, &pl, SOCK_CLOEXEC);
	CHECK_OK(s, "accept4");
	getsockname(c, (struct sockaddr *)&ca, &cl);
	CHECK(pl == sizeof(pa) && pa.sin_port == ca.sin_port && pa.sin_addr.s_addr == LOOP,
	      "accept's address is the client's", "port %u vs %u", ntohs(pa.sin_port), ntohs(ca.sin_port));
	CHECK((fcntl(s, F_GETFD) & FD_CLOEXEC) != 0, "SOCK_CLOEXEC", "no FD_CLOEXEC");
	pl = sizeof(pa);
	CHECK_OK(getpeername(c, (struct sockaddr *)&pa, &pl), "getpeername");
	CHECK(ntohs(pa.sin_port) == port_of(l), "the peer is the listener's port", "got %u", ntohs(pa.sin_port));
	len = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
	CHECK(v == 0, "SO_ACCEPTCONN 0 on the accepted socket", "got %d", v);
	CHECK_ERR(listen(c, 1), EINVAL, "listen on a connected socket: EINVAL");
	pa = sin_of(LOOP, port_of(l));
	CHECK_ERR(connect(c, (struct sockaddr *)&pa, sizeof(pa)), EISCONN, "connect again: EISCONN");
	CHECK_ERR(connect(l, (struct sockaddr *)&pa, sizeof(pa)), EISCONN, "connect a listener: EISCONN");
	CHECK_ERR(ioctl(l, SIOCINQ, &v), EINVAL, "SIOCINQ on a listener: EINVAL");
	close(c);
	close(s);
	close(l);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A connection that stays in SYN_SENT: the listener's accept queue (backlog 0) is full. */
static void test_connect_pending(void)
{
	int l = listener(0, 0), c1, c2, c3, s;
	struct sockaddr_in a = sin_of(LOOP, port_of(l));
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 200000 } };

	CHECK_OK(c1 = connect_to(port_of(l)), "the first connection fills backlog 0");
	msleep(50);
	c2 = tcp();
	fcntl(c2, F_SETFL, O_NONBLOCK);
	CHECK_ERR(connect(c2, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS, "a queued-out connect: EINPROGRESS");
	CHECK_ERR(connect(c2, (struct sockaddr *)&a, sizeof(a)), EALREADY, "connect again meanwhile: EALREADY");
	CHECK(revents(c2, POLLOUT, 0) == 0, "no POLLOUT while connecting", "got %#x", revents(c2, POLLOUT, 0));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART */
	c3 = tcp();
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR(connect(c3, (struct sockaddr *)&a, sizeof(a)), EINTR, "a signal interrupts connect: EINTR");
	fcntl(c3, F_SETFL, O_NONBLOCK);
	CHECK_ERR(connect(c3, (struct sockaddr *)&a, sizeof(a)), EALREADY, "the handshake goes on: EALREADY");
	{
		struct timeval tv = { 0, 200000 };
		int c4 = tcp();

		setsockopt(c4, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		CHECK_ERR(connect(c4, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS,
			  "SO_SNDTIMEO runs out in connect: EINPROGRESS");
		close(c4);
	}
	s = accept(l, NULL, NULL);
	CHECK_OK(s, "accept the first");
	close(s);
	/* The SYN is retried after 1 s (then 3 s): c2 gets in. */
	CHECK((revents(c2, POLLOUT, 8000) & POLLOUT) != 0, "the retried SYN gets in: POLLOUT", "no POLLOUT");
	CHECK_OK(connect(c2, (struct sockaddr *)&a, sizeof(a)), "connect after completion: 0 (Linux)");
	CHECK_ERR(connect(c2, (struct sockaddr *)&a, sizeof(a)), EISCONN, "then EISCONN");
	close(c1);
	close(c2);
	close(c3);
	close(l);
	signal(SIGALRM, SIG_DFL);
}

static void test_data(void)
{
	int c, s, n = 0;
	char buf[64];

	if (pair(&c, &s)) {
		CHECK(0, "a connected pair", "errno %d", errno);
		return;
	}
	CHECK(revents(s, POLLIN | POLLOUT, 0) == POLLOUT, "connected, no data: POLLOUT", "got %#x",
	      revents(s, POLLIN | POLLOUT, 0));
	CHECK_ERR(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "MSG_DONTWAIT, no data: EAGAIN");
	CHECK_RET(send(c, "hello", 5, 0), 5, "send 5 bytes");
	CHECK(revents(s, POLLIN, 2000) & POLLIN, "POLLIN with data", "none");
	ioctl(s, FIONREAD, &n);
	CHECK(n == 5, "FIONREAD 5", "got %d", n);
	CHECK_RET(recv(s, buf, sizeof(buf), MSG_PEEK), 5, "MSG_PEEK");
	CHECK_RET(recv(s, buf, 2, 0), 2, "recv 2");
	CHECK(!memcmp(buf, "he", 2), "the first bytes", "got %.2s", buf);
	CHECK_RET(read(s, buf, sizeof(buf)), 3, "read the rest");
	CHECK(!memcmp(buf, "llo", 3), "in order", "got %.3s", buf);
	msleep(50);
	ioctl(c, SIOCOUTQ, &n);
	CHECK(n == 0, "SIOCOUTQ 0 once acknowledged", "got %d", n);
	if (fork() == 0) {
		msleep(100);
		send(c, "abc", 3, 0);
		msleep(100);
		send(c, "defgh", 5, 0);
		_exit(0);
	}
	CHECK_RET(recv(s, buf, 8, MSG_WAITALL), 8, "MSG_WAITALL gathers two sends");
	CHECK(!memcmp(buf, "abcdefgh", 8), "MSG_WAITALL data", "got %.8s", buf);
	wait(NULL);
	/* Half-close: the client ends its side, the server still talks. */
	CHECK_OK(shutdown(c, SHUT_WR), "shutdown(SHUT_WR)");
	CHECK(revents(s, POLLIN | POLLRDHUP, 2000) == (POLLIN | POLLRDHUP), "the peer sees POLLIN|POLLRDHUP",
	      "got %#x", revents(s, POLLIN | POLLRDHUP, 0));
	CHECK_RET(recv(s, buf, sizeof(buf), 0), 0, "EOF after the peer's FIN");
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE, "send after SHUT_WR: EPIPE");
	CHECK_RET(send(s, "back", 4, 0), 4, "the other side still sends");
	CHECK_RET(recv(c, buf, sizeof(buf), 0), 4, "and the half-closed side reads it");
	close(s);
	CHECK(revents(c, POLLIN, 2000) & POLLHUP, "both closed: POLLHUP", "got %#x", revents(c, POLLIN, 0));
	CHECK_RET(recv(c, buf, sizeof(buf), 0), 0, "EOF");
	close(c);
}

static int sigpipes;

static void on_pipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void test_errors(void)
{
	int c, s, n;
	struct linger lg = { 1, 0 };
	char buf[16];

	signal(SIGPIPE, on_pipe);
	if (pair(&c, &s))
		return;
	shutdown(c, SHUT_WR);
	sigpipes = 0;
	CHECK_ERR(write(c, "x", 1), EPIPE, "write after SHUT_WR: EPIPE");
	CHECK(sigpipes == 1, "and SIGPIPE", "got %d", sigpipes);
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE, "MSG_NOSIGNAL: EPIPE");
	CHECK(sigpipes == 1, "without SIGPIPE", "got %d", sigpipes);
	/* SO_LINGER 0: close sends RST. */
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(s);
	n = revents(c, POLLIN, 2000);
	CHECK((n & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP), "RST: POLLERR|POLLHUP", "got %#x", n);
	CHECK_ERR(recv(c, buf, sizeof(buf), 0), ECONNRESET, "recv after RST: ECONNRESET");
	CHECK_RET(recv(c, buf, sizeof(buf), 0), 0, "then EOF");
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE, "send after RST: EPIPE");
	close(c);
	/* Unread data at close also resets. */
	if (pair(&c, &s))
		return;
	send(c, "data", 4, 0);
	msleep(50);
	close(s);
	CHECK_ERR(recv(c, buf, sizeof(buf), 0), ECONNRESET, "close with unread data: ECONNRESET");
	close(c);
	signal(SIGPIPE, SIG_DFL);
}

static void test_options(void)
{
	int c, s, v = 0;
	socklen_t len = sizeof(v);
	struct tcp_info ti;
	int fd = tcp();

	getsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &v, &len);
	CHECK(v == 536, "TCP_MAXSEG unconnected: 536", "got %d", v);
	v = 10;
	CHECK_ERR(setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof(v)), EINVAL, "TCP_MAXSEG 10: EINVAL");
	v = 0;
	CHECK_ERR(setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof(v)), EINVAL, "TCP_KEEPCNT 0: EINVAL");
	v = 1;
	CHECK_ERR(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, 2), EINVAL, "a short option: EINVAL");
	CHECK_ERR(setsockopt(fd, IPPROTO_TCP, 9999, &v, sizeof(v)), ENOPROTOOPT, "an unknown option: ENOPROTOOPT");
	close(fd);
	if (pair(&c, &s))
		return;
	v = 1;
	CHECK_OK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)), "TCP_NODELAY");
	len = sizeof(v);
	v = 0;
	getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &len);
	CHECK(v == 1, "TCP_NODELAY reads back", "got %d", v);
	v = 30;
	CHECK_OK(setsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof(v)), "TCP_KEEPIDLE 30");
	v = 0;
	len = sizeof(v);
	getsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &v, &len);
	CHECK(v == 30, "TCP_KEEPIDLE reads back", "got %d", v);
	v = 1;
	CHECK_OK(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v)), "SO_KEEPALIVE");
	v = 0;
	len = sizeof(v);
	getsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &v, &len);
	CHECK(v > 1000 && v <= 65495, "TCP_MAXSEG on lo", "got %d", v);
	/* TCP_CORK holds a partial segment until uncorked. */
	/* (On the side without TCP_NODELAY: on Linux a TCP_NODELAY set before outweighs the cork.) */
	v = 1;
	setsockopt(s, IPPROTO_TCP, TCP_CORK, &v, sizeof(v));
	send(s, "ab", 2, 0);
	CHECK(revents(c, POLLIN, 100) == 0, "TCP_CORK holds a small write", "got %#x", revents(c, POLLIN, 0));
	v = 0;
	setsockopt(s, IPPROTO_TCP, TCP_CORK, &v, sizeof(v));
	CHECK(revents(c, POLLIN, 2000) == POLLIN, "uncorking sends it", "got %#x", revents(c, POLLIN, 0));
	memset(&ti, 0, sizeof(ti));
	len = sizeof(ti);
	CHECK_OK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len), "TCP_INFO");
	CHECK(ti.tcpi_state == 1 && ti.tcpi_snd_mss > 1000 && ti.tcpi_rto > 0,
	      "TCP_INFO: ESTABLISHED, MSS, RTO", "state %u mss %u rto %u", ti.tcpi_state,
	      ti.tcpi_snd_mss, ti.tcpi_rto);
	CHECK((ti.tcpi_options & TCPI_OPT_WSCALE) != 0, "window scaling agreed", "options %#x", ti.tcpi_options);
	len = 8;
	CHECK_OK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len), "TCP_INFO, short");
	CHECK(len == 8, "the length is cut", "got %u", len);
	close(c);
	close(s);
}

static void test_proc(void)
{
	int l = listener(3, 0), fd = open("/proc/net/tcp", O_RDONLY);
	static char buf[1 << 19];
	char want[40];
	ssize_t n = 0, r;

	/* The whole file: earlier connections in TIME_WAIT may fill many lines. */
	while (fd >= 0 && n < (ssize_t)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	CHECK(n > 0, "read /proc/net/tcp", "errno %d", errno);
	buf[n > 0 ? n : 0] = 0;
	CHECK(!strncmp(buf, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", 96),
	      "the header", "got %.60s", buf);
	snprintf(want, sizeof(want), ": 0100007F:%04X 00000000:0000 0A ", port_of(l));
	CHECK(strstr(buf, want) != NULL, "the listener's line", "no '%s'", want);
	close(fd);
	close(l);
}

/* SO_REUSEADDR rebinds a port whose connection is in TIME_WAIT. */
static void test_timewait(void)
{
	int l = listener(4, 1), c, s, one = 1, b;
	uint16_t port = port_of(l);
	struct sockaddr_in a = sin_of(LOOP, port);

	c = connect_to(port);
	s = accept(l, NULL, NULL);
	close(l);
	close(s);		/* the server closes first: its side ends in TIME_WAIT */
	msleep(50);
	close(c);
	msleep(100);
	b = tcp();
	CHECK_ERR(bind(b, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE, "TIME_WAIT holds the port");
	close(b);
	b = tcp();
	setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CHECK_OK(bind(b, (struct sockaddr *)&a, sizeof(a)), "SO_REUSEADDR rebinds it");
	CHECK_OK(listen(b, 1), "and listens");
	close(b);
}

/* The receiver does not read: the sender fills the window and its buffer, then it all drains. */
static void test_window(void)
{
	static char b[65536];
	int c, s, n = 0, r, e = 0;
	long sent = 0, got = 0;

	if (pair(&c, &s))
		return;
	fcntl(c, F_SETFL, O_NONBLOCK);
	/* Until EAGAIN stays, ACKs given time to come three times (64 MiB at most). */
	for (int waits = 0; sent < (64L << 20);) {
		ssize_t w = send(c, b, sizeof(b), 0);

		if (w > 0) {
			sent += w;
			continue;
		}
		e = errno;
		if (w < 0 && e == EAGAIN && waits++ < 3) {
			revents(c, POLLOUT, 200);
			continue;
		}
		break;
	}
	CHECK(sent > 0 && e == EAGAIN, "a receiver that does not read: the sender gets EAGAIN",
	      "sent %ld, errno %d", sent, e);
	CHECK((revents(c, POLLOUT, 0) & POLLOUT) == 0, "and no POLLOUT", "got %#x", revents(c, POLLOUT, 0));
	ioctl(c, SIOCOUTQ, &n);
	CHECK(n > 0, "SIOCOUTQ counts what waits", "got %d", n);
	check_printf("# %ld bytes fit before EAGAIN (%d unsent or unacknowledged)\n", sent, n);
	while (got < sent && (r = (int)recv(s, b, sizeof(b), 0)) > 0)
		got += r;
	CHECK(got == sent, "the receiver reads it all", "got %ld of %ld", got, sent);
	CHECK(revents(c, POLLOUT, 2000) & POLLOUT, "POLLOUT again", "none");
	close(c);
	close(s);
}

/* A cheap checksum of a stream: position-dependent, so order matters. */
static uint64_t mix(uint64_t h, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static void fill(unsigned char *b, size_t n, uint64_t off)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)((off + i) * 7 + ((off + i) >> 13));
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define BULK (16u << 20)

/* Send BULK bytes on fd, then read BULK bytes back: both checksums. */
static int bulk_side(int fd, int send_first, uint64_t *sent, uint64_t *got)
{
	static unsigned char b[65536];
	size_t done;

	*sent = *got = 14695981039346656037ULL;
	for (int pass = 0; pass < 2; pass++) {
		if ((pass == 0) == send_first) {
			for (done = 0; done < BULK;) {
				size_t n = BULK - done < sizeof(b) ? BULK - done : sizeof(b);
				ssize_t w;

				fill(b, n, done);
				w = write(fd, b, n);
				if (w <= 0)
					return -1;
				*sent = mix(*sent, b, (size_t)w);
				done += (size_t)w;
				if ((size_t)w < n)
					continue;
			}
		} else {
			for (done = 0; done < BULK;) {
				ssize_t r = read(fd, b, sizeof(b));

				if (r <= 0)
					return -1;
				*got = mix(*got, b, (size_t)r);
				done += (size_t)r;
			}
		}
	}
	return 0;
}

static void test_bulk(void)
{
	int l = listener(1, 0), c, s, st = 0, p[2];
	uint64_t cs, cg, ss[2] = { 0, 0 };
	double t0;
	pid_t pid;

	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		uint64_t r[2];

		close(p[0]);
		s = accept(l, NULL, NULL);
		if (s < 0 || bulk_side(s, 0, &r[0], &r[1]))
			_exit(1);
		if (write(p[1], r, sizeof(r)) != sizeof(r))
			_exit(1);
		close(s);
		_exit(0);
	}
	close(p[1]);
	t0 = now_s();
	c = connect_to(port_of(l));
	CHECK_OK(c, "bulk: connect");
	CHECK_OK(bulk_side(c, 1, &cs, &cg), "bulk: 16 MiB each way");
	{
		double t = now_s() - t0;

		check_printf("# 32 MiB over lo in %.2f s: %.1f MiB/s\n", t, 32 / (t > 0 ? t : 1));
	}
	CHECK(read(p[0], ss, sizeof(ss)) == sizeof(ss), "bulk: the server's checksums", "short");
	/* The server sent its block after reading ours: its sent is our got and the reverse. */
	CHECK(ss[1] == cs, "bulk: client to server intact", "%llx vs %llx", (unsigned long long)ss[1],
	      (unsigned long long)cs);
	CHECK(ss[0] == cg, "bulk: server to client intact", "%llx vs %llx", (unsigned long long)ss[0],
	      (unsigned long long)cg);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "bulk: the server finished", "status %#x", st);
	close(c);
	close(p[0]);
	close(l);
}

static void test_many(void)
{
	int l = listener(16, 0), ok = 0;
	uint16_t port = port_of(l);

	for (int i = 0; i < 200; i++) {
		int c = connect_to(port), s = accept(l, NULL, NULL);
		char b = 0;

		if (c >= 0 && s >= 0 && send(c, "q", 1, 0) == 1 && recv(s, &b, 1, 0) == 1 && b == 'q' &&
		    send(s, "r", 1, 0) == 1 && recv(c, &b, 1, 0) == 1 && b == 'r')
			ok++;
		close(c);
		close(s);
	}
	CHECK(ok == 200, "200 short connections", "%d worked", ok);
	close(l);
}

/* The virtio-net part: an echo exchange with the host, then one connection from the host. */
static void test_net(const char *host, int echo_port, int listen_port)
{
	struct sockaddr_in a = sin_of(inet_addr(host), (uint16_t)echo_port);
	static unsigned char b[65536];
	uint64_t sent = 1, got = 1;
	size_t total = 1u << 20, done = 0;
	int fd = tcp(), l, s;
	char line[64];
	ssize_t n;

	CHECK_OK(connect(fd, (struct sockaddr *)&a, sizeof(a)), "net: connect to the host's echo server");
	if (fork() == 0) {
		for (size_t off = 0; off < total; off += sizeof(b)) {
			fill(b, sizeof(b), off);
			if (write(fd, b, sizeof(b)) != sizeof(b))
				_exit(1);
		}
		shutdown(fd, SHUT_WR);
		_exit(0);
	}
	for (size_t off = 0; off < total; off += sizeof(b)) {
		fill(b, sizeof(b), off);
		sent = mix(sent, b, sizeof(b));
	}
	while ((n = read(fd, b, sizeof(b))) > 0) {
		got = mix(got, b, (size_t)n);
		done += (size_t)n;
	}
	wait(NULL);
	CHECK(done == total && sent == got, "net: 1 MiB echoed intact", "%zu bytes", done);
	close(fd);
	l = tcp();
	/* The previous flavour's connection may still hold the port in TIME_WAIT. */
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	a = sin_of(INADDR_ANY, (uint16_t)listen_port);
	CHECK_OK(bind(l, (struct sockaddr *)&a, sizeof(a)), "net: bind the guest's port");
	CHECK_OK(listen(l, 1), "net: listen");
	check_printf("# t_tcp: ready for the host\n");
	s = accept(l, NULL, NULL);
	CHECK_OK(s, "net: accept the host's connection");
	n = read(s, line, sizeof(line) - 1);
	if (n > 0) {
		char out[80];

		line[n] = 0;
		snprintf(out, sizeof(out), "pong: %s", line);
		CHECK(write(s, out, strlen(out)) == (ssize_t)strlen(out), "net: answer the host", "short");
	}
	close(s);
	close(l);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "create", test_create }, { "bind", test_bind }, { "accept", test_accept },
	{ "pending", test_connect_pending }, { "data", test_data }, { "errors", test_errors },
	{ "window", test_window }, { "options", test_options }, { "proc", test_proc }, { "timewait", test_timewait },
	{ "bulk", test_bulk }, { "many", test_many },
};

/* "t_tcp only NAME" runs one group (for debugging). */
int main(int argc, char **argv)
{
	check_init(argv[0]);
	if (argc == 5 && !strcmp(argv[1], "net")) {
		test_net(argv[2], atoi(argv[3]), atoi(argv[4]));
		return check_done();
	}
	lo_up();
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (argc < 3 || strcmp(argv[1], "only") || !strcmp(argv[2], tests[i].name))
			tests[i].fn();
	return check_done();
}
