// SPDX-License-Identifier: MPL-2.0
// Unix domain sockets: pathname, abstract and autobound names, connect,
// listen and accept with the backlog, stream, datagram and seqpacket
// semantics, shutdown, SCM_RIGHTS (MSG_CTRUNC, MSG_CMSG_CLOEXEC, and a
// cycle of sockets in flight that the garbage collector must free),
// SCM_CREDENTIALS, /proc/net/unix, and the bound on what one socket queues.
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

static void *volatile bad_ptr = BADPTR;
#undef BADPTR
#define BADPTR bad_ptr

#define DIR_ "/tmp/t_unix"

static socklen_t mkaddr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static socklen_t mkabstract(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

#define SA(a) ((struct sockaddr *)(a))

static int listener(int type, const char *path, int backlog)
{
	struct sockaddr_un a;
	socklen_t l = mkaddr(&a, path);
	int fd = socket(AF_UNIX, type, 0);

	unlink(path);
	if (bind(fd, SA(&a), l) < 0 || listen(fd, backlog) < 0)
		return -1;
	return fd;
}

static void test_names(void)
{
	struct sockaddr_un a, b;
	socklen_t l, bl;
	int s1 = socket(AF_UNIX, SOCK_STREAM, 0), s2 = socket(AF_UNIX, SOCK_STREAM, 0), fd;
	struct stat st;

	l = sizeof(b);
	CHECK_OK(getsockname(s1, SA(&b), &l), "getsockname of an unbound socket");
	CHECK(l == sizeof(sa_family_t) && b.sun_family == AF_UNIX, "unbound: the family alone",
	      "len %u", l);
	l = sizeof(b);
	CHECK_ERR(getpeername(s1, SA(&b), &l), ENOTCONN, "getpeername unconnected: ENOTCONN");

	l = mkaddr(&a, DIR_ "/s1");
	CHECK_ERR(bind(s1, SA(&a), 1), EINVAL, "bind: addrlen 1");
	a.sun_family = AF_INET;
	CHECK_ERR(bind(s1, SA(&a), l), EINVAL, "bind: wrong family");
	a.sun_family = AF_UNIX;
	CHECK_ERR(bind(s1, SA(&a), sizeof(a) + 1), EINVAL, "bind: addrlen too long");
	CHECK_ERR(bind(s1, BADPTR, l), EFAULT, "bind: bad address");
	CHECK_OK(bind(s1, SA(&a), l), "bind a pathname");
	CHECK_OK(stat(DIR_ "/s1", &st), "the socket node exists");
	CHECK(S_ISSOCK(st.st_mode), "it is a socket", "mode %o", st.st_mode);
	CHECK_ERR(bind(s2, SA(&a), l), EADDRINUSE, "bind an existing path: EADDRINUSE");
	CHECK_ERR(bind(s1, SA(&b), mkaddr(&b, DIR_ "/s1b")), EINVAL, "bind a bound socket: EINVAL");
	CHECK_ERR(access(DIR_ "/s1b", F_OK), ENOENT, "and no node was left behind");
	memset(&b, 0, sizeof(b));
	bl = sizeof(b);
	CHECK_OK(getsockname(s1, SA(&b), &bl), "getsockname of a bound socket");
	CHECK(bl == l && !strcmp(b.sun_path, DIR_ "/s1"), "getsockname: the path and its length",
	      "len %u path %s", bl, b.sun_path);
	/* A path not NUL-terminated within addrlen counts as if it were. */
	mkaddr(&b, DIR_ "/s3");
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_OK(bind(fd, SA(&b), (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(b.sun_path))),
		 "bind without the NUL");
	bl = sizeof(b);
	getsockname(fd, SA(&b), &bl);
	CHECK_RET(bl, offsetof(struct sockaddr_un, sun_path) + strlen(DIR_ "/s3") + 1,
		  "getsockname adds the NUL to the length");
	close(fd);

	/* Abstract names. */
	l = mkabstract(&a, "t_unix-abstract");
	CHECK_OK(bind(s2, SA(&a), l), "bind an abstract name");
	bl = sizeof(b);
	getsockname(s2, SA(&b), &bl);
	CHECK(bl == l && b.sun_path[0] == 0 && !memcmp(b.sun_path + 1, "t_unix-abstract", 15),
	      "getsockname: the abstract name, exact length", "len %u", bl);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(fd, SA(&a), l), EADDRINUSE, "abstract name in use: EADDRINUSE");
	close(fd);

	/* Autobind: addrlen == sizeof(sa_family_t). */
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	a.sun_family = AF_UNIX;
	CHECK_OK(bind(fd, SA(&a), sizeof(sa_family_t)), "autobind");
	bl = sizeof(b);
	getsockname(fd, SA(&b), &bl);
	int hex = 1;
	for (int i = 1; i <= 5; i++)
		hex &= !!strchr("0123456789abcdef", b.sun_path[i]) && b.sun_path[i];
	CHECK(bl == offsetof(struct sockaddr_un, sun_path) + 6 && b.sun_path[0] == 0 && hex,
	      "autobind: a 5-hex-digit abstract name", "len %u", bl);
	CHECK_OK(bind(fd, SA(&a), sizeof(sa_family_t)), "autobind again is a no-op");
	close(fd);
	close(s1);
	close(s2);
	unlink(DIR_ "/s1");
	unlink(DIR_ "/s3");
}

static void test_connect(void)
{
	struct sockaddr_un a, b;
	socklen_t l, bl;
	int ls, c, s, fd, n;

	ls = listener(SOCK_STREAM, DIR_ "/l", 1);
	CHECK_OK(ls, "listen on a pathname");
	l = mkaddr(&a, DIR_ "/l");
	int v = -1;
	socklen_t vl = sizeof(v);
	getsockopt(ls, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	CHECK_RET(v, 1, "SO_ACCEPTCONN after listen");
	/* musl may retry a failed accept4 as accept: ask the kernel directly. */
	CHECK_ERR(syscall(SYS_accept4, ls, NULL, NULL, 0x1234), EINVAL, "accept4: bad flags");
	fcntl(ls, F_SETFL, O_NONBLOCK);
	CHECK_ERR(accept(ls, NULL, NULL), EAGAIN, "non-blocking accept, nobody waiting: EAGAIN");
	fcntl(ls, F_SETFL, 0);

	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(send(c, "x", 1, 0), ENOTCONN, "send unconnected: ENOTCONN");
	CHECK_ERR(recv(c, &n, 1, MSG_DONTWAIT), EINVAL, "recv on an unconnected stream: EINVAL");
	CHECK_ERR(listen(c, 1), EINVAL, "listen unbound: EINVAL");
	CHECK_ERR(connect(c, SA(&b), mkaddr(&b, DIR_ "/none")), ENOENT, "connect: no such path");
	fd = open(DIR_ "/file", O_CREAT | O_WRONLY, 0600);
	close(fd);
	CHECK_ERR(connect(c, SA(&b), mkaddr(&b, DIR_ "/file")), ECONNREFUSED,
		  "connect to a regular file: ECONNREFUSED");
	CHECK_ERR(connect(c, SA(&b), mkabstract(&b, "t_unix-nobody")), ECONNREFUSED,
		  "connect to an unused abstract name: ECONNREFUSED");
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(fd, SA(&b), mkaddr(&b, DIR_ "/notlistening"));
	CHECK_ERR(connect(c, SA(&b), mkaddr(&b, DIR_ "/notlistening")), ECONNREFUSED,
		  "connect to a socket that does not listen: ECONNREFUSED");
	close(fd);
	CHECK_ERR(connect(c, SA(&b), mkaddr(&b, DIR_ "/notlistening")), ECONNREFUSED,
		  "connect to a closed socket's path: ECONNREFUSED");
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(connect(fd, SA(&a), l), EPROTOTYPE, "connect of another type: EPROTOTYPE");
	close(fd);
	CHECK_ERR(connect(c, SA(&a), 1), EINVAL, "connect: short addrlen");

	CHECK_OK(connect(c, SA(&a), l), "connect");
	CHECK_ERR(connect(c, SA(&a), l), EISCONN, "connect again: EISCONN");
	CHECK_ERR(sendto(c, "x", 1, 0, SA(&a), l), EISCONN, "sendto on a connected stream: EISCONN");
	bl = sizeof(b);
	CHECK_OK(getpeername(c, SA(&b), &bl), "getpeername of the client");
	CHECK(bl == l && !strcmp(b.sun_path, DIR_ "/l"), "the peer is the listener's path", "%s",
	      b.sun_path);
	CHECK_RET(send(c, "hello", 5, 0), 5, "send before accept");
	bl = sizeof(b);
	s = CHECK_OK(accept4(ls, SA(&b), &bl, SOCK_NONBLOCK | SOCK_CLOEXEC), "accept4");
	CHECK_RET(bl, sizeof(sa_family_t), "accept: an unbound client's address is the family");
	CHECK(fcntl(s, F_GETFL) & O_NONBLOCK, "accept4: SOCK_NONBLOCK", "flags %x", fcntl(s, F_GETFL));
	CHECK_RET(fcntl(s, F_GETFD), FD_CLOEXEC, "accept4: SOCK_CLOEXEC");
	bl = sizeof(b);
	getsockname(s, SA(&b), &bl);
	CHECK(bl == l && !strcmp(b.sun_path, DIR_ "/l"), "accepted socket's name is the listener's",
	      "%s", b.sun_path);
	char buf[16];
	CHECK_RET(recv(s, buf, sizeof(buf), 0), 5, "data sent before accept arrives");
	struct ucred uc;
	socklen_t ul = sizeof(uc);
	getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
	CHECK_RET(uc.pid, getpid(), "SO_PEERCRED of the client: the listener's pid");
	ul = sizeof(uc);
	getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
	CHECK_RET(uc.pid, getpid(), "SO_PEERCRED of the server side: the client's pid");

	/* The backlog: listen(1) takes a bounded number of pending connections. */
	int cs[8], ok = 0, full = 0;
	for (int i = 0; i < 8; i++) {
		cs[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		errno = 0;
		if (connect(cs[i], SA(&a), l) == 0)
			ok++;
		else if (errno == EAGAIN)
			full++;
	}
	CHECK(ok >= 1 && ok <= 3 && full == 8 - ok, "backlog: then EAGAIN for non-blocking connects",
	      "%d connected, %d EAGAIN", ok, full);
	int blk = socket(AF_UNIX, SOCK_STREAM, 0);
	struct timeval tv = { 0, 200000 };
	setsockopt(blk, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	CHECK_ERR(connect(blk, SA(&a), l), EAGAIN, "blocking connect, backlog full, SO_SNDTIMEO: EAGAIN");
	fd = accept(ls, NULL, NULL);
	CHECK_OK(connect(blk, SA(&a), l), "connect once accept made room");
	close(fd);
	for (int i = 0; i < 8; i++)
		close(cs[i]);
	close(blk);

	/* The listener goes: pending clients see EOF / ECONNRESET, new ones ECONNREFUSED. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	close(ls);
	CHECK_ERR(connect(fd, SA(&a), l), ECONNREFUSED, "connect after the listener closed");
	close(fd);
	close(c);
	close(s);
	unlink(DIR_ "/l");
	unlink(DIR_ "/file");
	unlink(DIR_ "/notlistening");
}

static void test_stream(void)
{
	int sv[2];
	char buf[64];
	struct pollfd pf;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	send(sv[0], "abc", 3, 0);
	send(sv[0], "def", 3, 0);
	CHECK_RET(recv(sv[1], buf, 2, MSG_PEEK), 2, "MSG_PEEK");
	CHECK_RET(recv(sv[1], buf, sizeof(buf), 0), 6, "a stream glues writes together");
	CHECK(!memcmp(buf, "abcdef", 6), "in order", "%.6s", buf);

	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 4; i++) {
			usleep(50000);
			send(sv[0], "wxyz", 4, 0);
		}
		_exit(0);
	}
	CHECK_RET(recv(sv[1], buf, 16, MSG_WAITALL), 16, "MSG_WAITALL waits for all");
	waitpid(pid, NULL, 0);

	CHECK_ERR(shutdown(sv[0], 7), EINVAL, "shutdown: bad how");
	CHECK_OK(shutdown(sv[0], SHUT_WR), "shutdown(SHUT_WR)");
	CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE, "send after SHUT_WR: EPIPE");
	CHECK_RET(recv(sv[1], buf, sizeof(buf), 0), 0, "the peer reads EOF");
	pf.fd = sv[1];
	pf.events = POLLIN | POLLRDHUP;
	poll(&pf, 1, 0);
	CHECK(pf.revents & POLLRDHUP, "poll: POLLRDHUP after the peer's SHUT_WR", "%x", pf.revents);
	CHECK_RET(send(sv[1], "back", 4, 0), 4, "the other way still works");
	CHECK_RET(recv(sv[0], buf, sizeof(buf), 0), 4, "and is read");
	CHECK_OK(shutdown(sv[0], SHUT_RD), "shutdown(SHUT_RD)");
	CHECK_RET(recv(sv[0], buf, sizeof(buf), 0), 0, "read after SHUT_RD: EOF");
	close(sv[0]);
	pf.events = POLLIN;
	poll(&pf, 1, 0);
	CHECK(pf.revents & POLLHUP, "poll: POLLHUP once the peer closed", "%x", pf.revents);
	close(sv[1]);

	/* A non-blocking writer fills the peer and then gets EAGAIN: memory is bounded. */
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	static char big[65536];
	long total = 0;
	ssize_t w;
	while ((w = send(sv[0], big, sizeof(big), 0)) > 0 && total < (64L << 20))
		total += w;
	CHECK(w < 0 && errno == EAGAIN && total > 0 && total < (16L << 20),
	      "a stream flood stops with EAGAIN", "%ld bytes, errno %d", total, errno);
	pf.fd = sv[0];
	pf.events = POLLOUT;
	CHECK_RET(poll(&pf, 1, 0), 0, "poll: not writable when full");
	long got = 0;
	ssize_t r;
	while ((r = recv(sv[1], big, sizeof(big), 0)) > 0)
		got += r;
	CHECK_RET(got, total, "everything written is read");
	CHECK_RET(poll(&pf, 1, 0), 1, "poll: writable again once read");
	close(sv[0]);
	close(sv[1]);
}

static void test_dgram(void)
{
	struct sockaddr_un a, b, from;
	socklen_t l, fl;
	char buf[64];
	int r = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_DGRAM, 0), t;

	l = mkaddr(&a, DIR_ "/r");
	unlink(DIR_ "/r");
	bind(r, SA(&a), l);
	CHECK_ERR(send(s, "x", 1, 0), ENOTCONN, "dgram send without a destination: ENOTCONN");
	CHECK_ERR(listen(r, 1), EOPNOTSUPP, "listen on a datagram socket: EOPNOTSUPP");
	CHECK_ERR(accept(r, NULL, NULL), EOPNOTSUPP, "accept on a datagram socket: EOPNOTSUPP");
	CHECK_RET(sendto(s, "abc", 3, 0, SA(&a), l), 3, "sendto a bound path");
	CHECK_RET(sendto(s, "defgh", 5, 0, SA(&a), l), 5, "sendto again");
	fl = sizeof(from);
	CHECK_RET(recvfrom(r, buf, sizeof(buf), 0, SA(&from), &fl), 3, "datagrams keep boundaries");
	CHECK_RET(fl, 0, "recvfrom: an unbound sender has no address");
	CHECK_RET(recv(r, buf, 2, 0), 2, "a short buffer truncates");
	CHECK_ERR(recv(r, buf, 2, MSG_DONTWAIT), EAGAIN, "and the rest is gone");
	bind(s, SA(&b), mkaddr(&b, DIR_ "/s"));
	sendto(s, "12345", 5, 0, SA(&a), l);
	CHECK_RET(recv(r, buf, 2, MSG_TRUNC | MSG_PEEK), 5, "MSG_TRUNC: the real length");
	struct iovec iov = { buf, 2 };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			     .msg_iovlen = 1 };
	CHECK_RET(recvmsg(r, &mh, 0), 2, "recvmsg with a short buffer");
	CHECK(mh.msg_flags & MSG_TRUNC, "msg_flags: MSG_TRUNC", "%x", mh.msg_flags);
	CHECK(mh.msg_namelen == offsetof(struct sockaddr_un, sun_path) + strlen(DIR_ "/s") + 1 &&
	      !strcmp(from.sun_path, DIR_ "/s"), "recvmsg: the bound sender's name", "%u %s",
	      mh.msg_namelen, from.sun_path);

	/* The receiver's queue is bounded for senders that are not its peer. */
	t = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	int sent = 0;
	while (sendto(t, "q", 1, 0, SA(&a), l) == 1 && sent < 10000)
		sent++;
	CHECK(errno == EAGAIN && sent > 0 && sent < 10000, "a full receiver: EAGAIN", "%d sent, errno %d",
	      sent, errno);
	while (recv(r, buf, 1, MSG_DONTWAIT) == 1)
		;
	close(t);

	/* connect, EPERM for a third party, AF_UNSPEC disconnect, ECONNREFUSED. */
	CHECK_OK(connect(r, SA(&b), mkaddr(&b, DIR_ "/s")), "connect a datagram socket");
	t = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(sendto(t, "x", 1, 0, SA(&a), l), EPERM,
		  "sendto a socket connected elsewhere: EPERM");
	close(t);
	CHECK_RET(send(r, "hi", 2, 0), 2, "send on a connected datagram socket");
	CHECK_RET(recv(s, buf, sizeof(buf), 0), 2, "received");
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	CHECK_OK(connect(r, &unspec, sizeof(unspec)), "AF_UNSPEC disconnects");
	CHECK_ERR(send(r, "x", 1, 0), ENOTCONN, "send after disconnect: ENOTCONN");
	connect(r, SA(&b), mkaddr(&b, DIR_ "/s"));
	close(s);
	CHECK_ERR(send(r, "x", 1, 0), ECONNREFUSED, "send to a closed peer: ECONNREFUSED");
	CHECK_ERR(send(r, "x", 1, 0), ENOTCONN, "then the socket is disconnected");
	close(r);

	/* EMSGSIZE past the send buffer. */
	int sv[2];
	static char big[300000];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	CHECK_ERR(send(sv[0], big, sizeof(big), 0), EMSGSIZE, "a datagram larger than SO_SNDBUF");
	CHECK_RET(send(sv[0], big, 0, 0), 0, "an empty datagram");
	CHECK_RET(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 0, "is received as one");
	close(sv[0]);
	close(sv[1]);
	unlink(DIR_ "/r");
	unlink(DIR_ "/s");
}

static void test_seqpacket(void)
{
	int sv[2], ls, c, s;
	char buf[64];
	struct sockaddr_un a;
	socklen_t l = mkaddr(&a, DIR_ "/sp");

	CHECK_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), "seqpacket socketpair");
	send(sv[0], "one", 3, 0);
	send(sv[0], "three", 5, 0);
	CHECK_RET(recv(sv[1], buf, sizeof(buf), 0), 3, "seqpacket keeps boundaries");
	struct iovec iov = { buf, 2 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK_RET(recvmsg(sv[1], &mh, 0), 2, "seqpacket: short buffer");
	CHECK(mh.msg_flags & MSG_TRUNC, "seqpacket: MSG_TRUNC", "%x", mh.msg_flags);
	close(sv[0]);
	CHECK_RET(recv(sv[1], buf, sizeof(buf), 0), 0, "seqpacket: EOF once the peer closed");
	CHECK_ERR(send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE, "seqpacket: send to a closed peer: EPIPE");
	close(sv[1]);

	ls = listener(SOCK_SEQPACKET, DIR_ "/sp", 4);
	CHECK_OK(ls, "seqpacket listener");
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(send(c, "x", 1, 0), ENOTCONN, "seqpacket send unconnected: ENOTCONN");
	CHECK_OK(connect(c, SA(&a), l), "seqpacket connect");
	s = CHECK_OK(accept(ls, NULL, NULL), "seqpacket accept");
	send(c, "rec1", 4, 0);
	send(c, "rec22", 5, 0);
	CHECK_RET(recv(s, buf, sizeof(buf), 0), 4, "first record");
	CHECK_RET(recv(s, buf, sizeof(buf), 0), 5, "second record");
	close(c);
	close(s);
	close(ls);
	unlink(DIR_ "/sp");
}

static int send_fds(int sock, const int *fds, int n, const void *data, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)];
	struct iovec iov = { (void *)data, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	memset(cbuf, 0, sizeof(cbuf));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)n);
	return (int)sendmsg(sock, &mh, 0);
}

/* Receive with room for room descriptors: how many came, into fds; *flags the msg_flags. */
static int recv_fds(int sock, int *fds, int room, int rflags, int *flags)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)], data[16];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = room ? CMSG_LEN(sizeof(int) * (size_t)room) : 0 };
	struct cmsghdr *cm;
	int n = 0;

	if (recvmsg(sock, &mh, rflags) < 0)
		return -1;
	*flags = mh.msg_flags;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(cm), sizeof(int) * (size_t)n);
		}
	return n;
}

/* Does the pipe read end p see EOF within ms (every write end closed)? */
static int pipe_eof(int p, int ms)
{
	struct pollfd pf = { p, POLLIN, 0 };
	char c;

	if (poll(&pf, 1, ms) != 1)
		return 0;
	return read(p, &c, 1) == 0;
}

static void test_rights(void)
{
	int sv[2], p[2], got[8], flags = 0, n;
	char c;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	CHECK_RET(send_fds(sv[0], &p[1], 1, "f", 1), 1, "SCM_RIGHTS: send a descriptor");
	n = recv_fds(sv[1], got, 4, MSG_CMSG_CLOEXEC, &flags);
	CHECK_RET(n, 1, "SCM_RIGHTS: one descriptor received");
	CHECK_RET(fcntl(got[0], F_GETFD), FD_CLOEXEC, "MSG_CMSG_CLOEXEC");
	CHECK_RET(write(got[0], "z", 1), 1, "the received descriptor is the pipe");
	CHECK_RET(read(p[0], &c, 1), 1, "and the pipe has the byte");
	close(got[0]);

	/* MSG_CTRUNC: two sent, room for one; the other is closed. */
	int two[2] = { p[1], p[1] };
	send_fds(sv[0], two, 2, "g", 1);
	close(p[1]);
	n = recv_fds(sv[1], got, 1, 0, &flags);
	CHECK_RET(n, 1, "short control buffer: one descriptor");
	CHECK(flags & MSG_CTRUNC, "MSG_CTRUNC", "flags %x", flags);
	CHECK(!pipe_eof(p[0], 0), "one write end is still open", "eof");
	close(got[0]);
	CHECK(pipe_eof(p[0], 1000), "the descriptor that did not fit was closed", "no eof");
	close(p[0]);

	/* Errors. */
	int badfd = 1000;
	CHECK_ERR(send_fds(sv[0], &badfd, 1, "b", 1), EBADF, "SCM_RIGHTS with a bad fd: EBADF");
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { "c", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	memset(cbuf, 0, sizeof(cbuf));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = sizeof(cbuf) + 8;
	CHECK_ERR(sendmsg(sv[0], &mh, 0), EINVAL, "cmsg_len past the buffer: EINVAL");
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	cm->cmsg_type = 77;
	CHECK_ERR(sendmsg(sv[0], &mh, 0), EINVAL, "unknown SOL_SOCKET cmsg type: EINVAL");
	n = 0;
	ioctl(sv[1], FIONREAD, &n);
	CHECK_RET(n, 0, "failed sends sent nothing");
	close(sv[0]);
	close(sv[1]);

	/*
	 * A cycle: each end of a socketpair in flight on the other, with a
	 * pipe's write end along; once the descriptors are closed only the
	 * garbage collector can free them, and the pipe then sees EOF.
	 */
	int a[2], d[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, a);
	pipe(p);
	int pa[2] = { a[0], p[1] };
	CHECK_RET(send_fds(a[0], pa, 2, "1", 1), 1, "cycle: a's end and the pipe sent to b");
	CHECK_RET(send_fds(a[1], &a[1], 1, "2", 1), 1, "cycle: b's end sent to a");
	close(a[0]);
	close(a[1]);
	close(p[1]);
	CHECK(!pipe_eof(p[0], 0), "cycle: the pipe's write end is in flight", "eof early");
	/* Releasing any Unix socket runs the collector, as Linux. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, d);
	close(d[0]);
	close(d[1]);
	CHECK(pipe_eof(p[0], 3000), "cycle collected: the pipe's write end was closed", "no eof");
	close(p[0]);
}

static void test_creds(void)
{
	int sv[2], on = 1;
	char cbuf[CMSG_SPACE(sizeof(struct ucred))], data[8];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	struct ucred uc = { 0, 0, 0 };

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	send(sv[0], "c", 1, 0);
	CHECK_RET(recvmsg(sv[1], &mh, 0), 1, "recvmsg with SO_PASSCRED");
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_type == SCM_CREDENTIALS)
		memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
	CHECK(cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS &&
	      uc.pid == getpid() && uc.uid == getuid() && uc.gid == getgid(),
	      "SCM_CREDENTIALS: the sender's pid, uid, gid", "pid %d uid %d gid %d", uc.pid, uc.uid,
	      uc.gid);

	/* Explicit credentials: one's own pass; others' only for root. */
	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_controllen = sizeof(cbuf);
	iov.iov_len = 1;
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(uc));
	uc.pid = getpid();
	uc.uid = getuid();
	uc.gid = getgid();
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	CHECK_RET(sendmsg(sv[0], &mh, 0), 1, "send one's own credentials");
	recv(sv[1], data, sizeof(data), 0);
	if (getuid() == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			if (setgid(65534) || setuid(65534))
				_exit(2);
			uc.pid = 1;
			uc.uid = 65534;
			uc.gid = 65534;
			memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
			errno = 0;
			_exit(sendmsg(sv[0], &mh, 0) < 0 && errno == EPERM ? 0 : 1);
		}
		int st = -1;
		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "another pid as an unprivileged sender: EPERM", "status %x", st);
	} else {
		check_skip("another pid as an unprivileged sender: EPERM", "not root");
	}
	close(sv[0]);
	close(sv[1]);
}

static void test_proc(void)
{
	struct sockaddr_un a;
	socklen_t l = mkaddr(&a, DIR_ "/proc");
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), ab = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct stat st;
	char line[512], want[64];
	int found = 0, header = 0, abstract = 0;
	FILE *f;

	unlink(DIR_ "/proc");
	bind(fd, SA(&a), l);
	listen(fd, 1);
	bind(ab, SA(&a), mkabstract(&a, "t_unix-proc"));
	fstat(fd, &st);
	snprintf(want, sizeof(want), " %lu " DIR_ "/proc", (unsigned long)st.st_ino);
	f = fopen("/proc/net/unix", "r");
	CHECK(f != NULL, "/proc/net/unix opens", "errno %d", errno);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Num       RefCount Protocol Flags    Type St Inode Path", 55))
			header = 1;
		if (strstr(line, want) && strstr(line, " 00010000 0001 01 "))
			found = 1;
		if (strstr(line, " @t_unix-proc\n"))
			abstract = 1;
	}
	fclose(f);
	CHECK(header, "/proc/net/unix: Linux's header", "none");
	CHECK(found, "/proc/net/unix: the listener with its inode and path", "want %s", want);
	CHECK(abstract, "/proc/net/unix: an abstract name as @name", "none");
	close(fd);
	close(ab);
	unlink(DIR_ "/proc");
}

static void test_epoll(void)
{
	int sv[2], ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET }, out[2];
	char buf[8];

	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
	send(sv[0], "a", 1, 0);
	CHECK_RET(epoll_wait(ep, out, 2, 0), 1, "epoll ET: a message is an edge");
	CHECK_RET(epoll_wait(ep, out, 2, 0), 0, "epoll ET: reported once");
	recv(sv[1], buf, sizeof(buf), 0);
	shutdown(sv[0], SHUT_WR);
	CHECK_RET(epoll_wait(ep, out, 2, 0), 1, "epoll ET: the peer's shutdown is an edge");
	CHECK(out[0].events & EPOLLRDHUP, "EPOLLRDHUP", "%x", out[0].events);
	close(sv[0]);
	close(sv[1]);
	close(ep);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	mkdir(DIR_, 0755);
	test_names();
	test_connect();
	test_stream();
	test_dgram();
	test_seqpacket();
	test_rights();
	test_creds();
	test_proc();
	test_epoll();
	rmdir(DIR_);
	return check_done();
}
