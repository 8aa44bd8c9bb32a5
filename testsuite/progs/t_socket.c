// SPDX-License-Identifier: MPL-2.0
// The generic socket layer, on Unix sockets (the family every kernel has):
// socket()'s checks, descriptors (EBADF, ENOTSOCK), the socket inode,
// SOL_SOCKET options, file I/O and readiness on sockets, non-blocking
// mode, timeouts, signals and SIGPIPE, bad user memory.
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

/* <linux/sockios.h>'s, which musl lacks. */
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

/* A bad pointer the compiler cannot see through (no aliasing warnings). */
static void *volatile bad_ptr = BADPTR;
#undef BADPTR
#define BADPTR bad_ptr

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void test_create(void)
{
	int fd, p[2];

	CHECK_ERR(socket(50, SOCK_STREAM, 0), EAFNOSUPPORT, "socket: unknown family");
	CHECK_ERR(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT, "socket: negative family");
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM | 0x10, 0), EINVAL, "socket: bad type flags");
	CHECK_ERR(socket(AF_UNIX, 0, 0), ESOCKTNOSUPPORT, "socket: type 0");
	CHECK_ERR(socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT, "socket: AF_UNIX SOCK_RDM");
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT, "socket: bad protocol");
	CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, BADPTR), EFAULT, "socketpair: bad sv");
	/* Not every kernel has IPv4; when it is missing, the error is EAFNOSUPPORT. */
	errno = 0;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(fd >= 0 || errno == EAFNOSUPPORT, "socket: AF_INET works or is EAFNOSUPPORT",
	      "errno %d", errno);
	if (fd >= 0)
		close(fd);

	fd = CHECK_OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
		      "socket: SOCK_NONBLOCK|SOCK_CLOEXEC");
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "SOCK_NONBLOCK sets O_NONBLOCK", "flags %x",
	      fcntl(fd, F_GETFL));
	CHECK_RET(fcntl(fd, F_GETFD), FD_CLOEXEC, "SOCK_CLOEXEC sets FD_CLOEXEC");
	CHECK_RET(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR, "a socket is O_RDWR");

	struct stat st;
	char link[64], want[64];
	CHECK_OK(fstat(fd, &st), "fstat on a socket");
	CHECK(S_ISSOCK(st.st_mode), "fstat: S_IFSOCK", "mode %o", st.st_mode);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n > 0)
		link[n] = 0;
	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)st.st_ino);
	CHECK(n > 0 && !strcmp(link, want), "/proc/self/fd shows socket:[ino]", "got %s want %s",
	      n > 0 ? link : "?", want);
	CHECK_ERR(lseek(fd, 0, SEEK_SET), ESPIPE, "lseek on a socket");
	close(fd);

	CHECK_OK(pipe(p), "pipe");
	CHECK_ERR(bind(p[0], (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "x" }, 4), ENOTSOCK,
		  "bind on a pipe: ENOTSOCK");
	CHECK_ERR(listen(p[0], 1), ENOTSOCK, "listen on a pipe");
	CHECK_ERR(accept(p[0], NULL, NULL), ENOTSOCK, "accept on a pipe");
	CHECK_ERR(connect(p[0], (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "x" }, 4), ENOTSOCK,
		  "connect on a pipe");
	CHECK_ERR(send(p[1], "x", 1, 0), ENOTSOCK, "send on a pipe");
	CHECK_ERR(recv(p[0], link, 1, MSG_DONTWAIT), ENOTSOCK, "recv on a pipe");
	CHECK_ERR(shutdown(p[0], SHUT_RD), ENOTSOCK, "shutdown on a pipe");
	int v = 1;
	socklen_t vl = sizeof(v);
	CHECK_ERR(setsockopt(p[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)), ENOTSOCK,
		  "setsockopt on a pipe");
	CHECK_ERR(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &vl), ENOTSOCK, "getsockopt on a pipe");
	struct sockaddr_un sa;
	socklen_t sl = sizeof(sa);
	CHECK_ERR(getsockname(p[0], (struct sockaddr *)&sa, &sl), ENOTSOCK, "getsockname on a pipe");
	close(p[0]);
	close(p[1]);
	CHECK_ERR(listen(-1, 1), EBADF, "listen: EBADF");
	CHECK_ERR(accept(999, NULL, NULL), EBADF, "accept: EBADF");
	CHECK_ERR(sendto(-1, "x", 1, 0, NULL, 0), EBADF, "sendto: EBADF");
	CHECK_ERR(recvfrom(12345, link, 1, 0, NULL, NULL), EBADF, "recvfrom: EBADF");
	CHECK_ERR(getpeername(-1, (struct sockaddr *)&sa, &sl), EBADF, "getpeername: EBADF");
	CHECK_ERR(shutdown(-1, SHUT_RD), EBADF, "shutdown: EBADF");
}

static int getint(int fd, int name)
{
	int v = -12345;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, name, &v, &l) < 0)
		return -1000 - errno;
	return v;
}

static void test_options(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), v;
	struct timeval tv;
	struct linger lg;
	socklen_t l;

	CHECK_RET(getint(fd, SO_TYPE), SOCK_STREAM, "SO_TYPE");
	CHECK_RET(getint(fd, SO_DOMAIN), AF_UNIX, "SO_DOMAIN");
	CHECK_RET(getint(fd, SO_PROTOCOL), 0, "SO_PROTOCOL");
	CHECK_RET(getint(fd, SO_ERROR), 0, "SO_ERROR");
	CHECK_RET(getint(fd, SO_ACCEPTCONN), 0, "SO_ACCEPTCONN before listen");
	v = 1;
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_TYPE, &v, sizeof(v)), ENOPROTOOPT,
		  "SO_TYPE is read-only");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL, "optlen < int: EINVAL");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, -1), EINVAL, "optlen < 0: EINVAL");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, BADPTR, sizeof(v)), EFAULT,
		  "setsockopt: bad optval");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, 12345, &v, sizeof(v)), ENOPROTOOPT,
		  "setsockopt: unknown option");
	l = sizeof(v);
	CHECK_ERR(getsockopt(fd, SOL_SOCKET, 12345, &v, &l), ENOPROTOOPT, "getsockopt: unknown option");
	l = (socklen_t)-1;
	CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l), EINVAL, "getsockopt: negative optlen");
	l = sizeof(v);
	CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, BADPTR, &l), EFAULT, "getsockopt: bad optval");
	CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, BADPTR), EFAULT, "getsockopt: bad optlen");
	l = 2;
	v = 0;
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l), "getsockopt: short optlen");
	CHECK_RET(l, 2, "getsockopt: short optlen is kept");

	for (int name = SO_REUSEADDR; name; name = name == SO_REUSEADDR ? SO_KEEPALIVE :
	     name == SO_KEEPALIVE ? SO_BROADCAST : name == SO_BROADCAST ? SO_PASSCRED : 0) {
		v = 1;
		CHECK_OK(setsockopt(fd, SOL_SOCKET, name, &v, sizeof(v)), "set a boolean option");
		CHECK_RET(getint(fd, name), 1, "the boolean option reads back 1");
		v = 0;
		setsockopt(fd, SOL_SOCKET, name, &v, sizeof(v));
		CHECK_RET(getint(fd, name), 0, "and 0 after clearing");
	}
	v = 10000;
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), "SO_SNDBUF");
	CHECK_RET(getint(fd, SO_SNDBUF), 20000, "SO_SNDBUF reads back doubled");
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), "SO_RCVBUF");
	CHECK_RET(getint(fd, SO_RCVBUF), 20000, "SO_RCVBUF reads back doubled");
	v = 1;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	CHECK(getint(fd, SO_SNDBUF) > 2, "SO_SNDBUF has a minimum", "got %d", getint(fd, SO_SNDBUF));
	v = 0x7fffffff;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	CHECK(getint(fd, SO_SNDBUF) > 0 && getint(fd, SO_SNDBUF) < 0x7fffffff,
	      "SO_SNDBUF has a maximum", "got %d", getint(fd, SO_SNDBUF));

	lg.l_onoff = 1;
	lg.l_linger = 5;
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), "SO_LINGER");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, 4), EINVAL, "SO_LINGER: short optlen");
	memset(&lg, 0, sizeof(lg));
	l = sizeof(lg);
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &l), "get SO_LINGER");
	CHECK(lg.l_onoff == 1 && lg.l_linger == 5 && l == sizeof(lg), "SO_LINGER reads back",
	      "%d %d %u", lg.l_onoff, lg.l_linger, l);

	tv.tv_sec = 0;
	tv.tv_usec = 1000000;
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM,
		  "SO_RCVTIMEO: tv_usec out of range");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, 8), EINVAL,
		  "SO_RCVTIMEO: short optlen");
	tv.tv_sec = 2;
	tv.tv_usec = 500000;
	CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), "SO_SNDTIMEO");
	memset(&tv, 0, sizeof(tv));
	l = sizeof(tv);
	CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, &l), "get SO_SNDTIMEO");
	CHECK(tv.tv_sec == 2 && tv.tv_usec >= 490000 && tv.tv_usec <= 510000,
	      "SO_SNDTIMEO reads back", "%ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
	close(fd);

	int sv[2];
	struct ucred uc;
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	l = sizeof(uc);
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &l), "SO_PEERCRED");
	CHECK(uc.pid == getpid() && uc.uid == geteuid() && uc.gid == getegid() && l == sizeof(uc),
	      "SO_PEERCRED of a socketpair is the creator", "pid %d uid %d gid %d", uc.pid, uc.uid,
	      uc.gid);
	close(sv[0]);
	close(sv[1]);
}

static void test_io(void)
{
	int sv[2], ep, fd;
	char buf[64];
	struct iovec iov[2] = { { "hel", 3 }, { "lo", 2 } };
	struct pollfd pf;
	int n = 0;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	CHECK_RET(write(sv[0], "abc", 3), 3, "write on a socket");
	CHECK_RET(ioctl(sv[1], FIONREAD, &n), 0, "FIONREAD");
	CHECK_RET(n, 3, "FIONREAD counts unread bytes");
	n = 0;
	CHECK_OK(ioctl(sv[0], SIOCOUTQ, &n), "SIOCOUTQ");
	CHECK(n > 0, "SIOCOUTQ: unread data is outstanding", "got %d", n);
	CHECK_RET(read(sv[1], buf, sizeof(buf)), 3, "read on a socket");
	n = -1;
	ioctl(sv[0], SIOCOUTQ, &n);
	CHECK_RET(n, 0, "SIOCOUTQ: nothing outstanding once read");
	CHECK_RET(writev(sv[0], iov, 2), 5, "writev");
	iov[0].iov_base = buf;
	iov[0].iov_len = 2;
	iov[1].iov_base = buf + 10;
	iov[1].iov_len = 10;
	CHECK_RET(readv(sv[1], iov, 2), 5, "readv");
	CHECK(!memcmp(buf, "he", 2) && !memcmp(buf + 10, "llo", 3), "readv scatters", "%.2s %.3s",
	      buf, buf + 10);

	/* sendfile from a file into a socket. */
	fd = open("/tmp/t_socket.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK_RET(write(fd, "sendfile!", 9), 9, "write the file");
	off_t off = 0;
	CHECK_RET(sendfile(sv[0], fd, &off, 9), 9, "sendfile into a socket");
	CHECK_RET(recv(sv[1], buf, sizeof(buf), 0), 9, "recv what sendfile sent");
	CHECK(!memcmp(buf, "sendfile!", 9), "sendfile's data", "%.9s", buf);
	close(fd);
	unlink("/tmp/t_socket.data");

	/* splice between a socket and a pipe, both ways. */
	int pp[2];
	CHECK_OK(pipe(pp), "pipe for splice");
	send(sv[0], "splice", 6, 0);
	CHECK_RET(splice(sv[1], NULL, pp[1], NULL, 6, 0), 6, "splice from a socket into a pipe");
	CHECK_RET(splice(pp[0], NULL, sv[0], NULL, 6, 0), 6, "splice from a pipe into a socket");
	memset(buf, 0, sizeof(buf));
	CHECK_RET(recv(sv[1], buf, sizeof(buf), 0), 6, "what splice moved");
	CHECK(!memcmp(buf, "splice", 6), "splice's data", "%.6s", buf);
	close(pp[0]);
	close(pp[1]);

	/* Readiness: poll, select, epoll edge-triggered. */
	pf.fd = sv[1];
	pf.events = POLLIN | POLLOUT;
	CHECK_RET(poll(&pf, 1, 0), 1, "poll: writable");
	CHECK_RET(pf.revents, POLLOUT, "poll: POLLOUT only when empty");
	send(sv[0], "x", 1, 0);
	poll(&pf, 1, 0);
	CHECK_RET(pf.revents, POLLIN | POLLOUT, "poll: POLLIN after a write");
	fd_set rs;
	struct timeval tv = { 0, 0 };
	FD_ZERO(&rs);
	FD_SET(sv[1], &rs);
	CHECK_RET(select(sv[1] + 1, &rs, NULL, NULL, &tv), 1, "select: readable");
	recv(sv[1], buf, 1, 0);
	ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.fd = sv[1] }, out[2];
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
	CHECK_RET(epoll_wait(ep, out, 2, 0), 0, "epoll: nothing yet");
	send(sv[0], "y", 1, 0);
	CHECK_RET(epoll_wait(ep, out, 2, 0), 1, "epoll ET: an edge after a write");
	CHECK_RET(epoll_wait(ep, out, 2, 0), 0, "epoll ET: no second report");
	send(sv[0], "z", 1, 0);
	CHECK_RET(epoll_wait(ep, out, 2, 0), 1, "epoll ET: another write is another edge");
	close(ep);
	recv(sv[1], buf, sizeof(buf), 0);

	/* Non-blocking. */
	CHECK_ERR(recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN, "MSG_DONTWAIT on an empty socket");
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	CHECK_ERR(read(sv[1], buf, 1), EAGAIN, "O_NONBLOCK read on an empty socket");
	fcntl(sv[1], F_SETFL, 0);

	/* Bad user memory. */
	CHECK_ERR(send(sv[0], BADPTR, 4, 0), EFAULT, "send from a bad buffer");
	send(sv[0], "abcd", 4, 0);
	CHECK_ERR(recv(sv[1], BADPTR, 4, 0), EFAULT, "recv into a bad buffer");
	struct sockaddr_un sa;
	socklen_t sl = sizeof(sa);
	CHECK_ERR(getsockname(sv[0], BADPTR, &sl), EFAULT, "getsockname: bad addr");
	CHECK_ERR(getsockname(sv[0], (struct sockaddr *)&sa, BADPTR), EFAULT,
		  "getsockname: bad addrlen");
	CHECK_ERR(syscall(SYS_sendmsg, sv[0], BADPTR, 0), EFAULT, "sendmsg: bad msghdr");
	struct msghdr mh = { 0 };
	mh.msg_iov = BADPTR;
	mh.msg_iovlen = 1;
	CHECK_ERR(sendmsg(sv[0], &mh, 0), EFAULT, "sendmsg: bad iovec");
	mh.msg_iov = iov;
	mh.msg_iovlen = 1025;
	CHECK_ERR(recvmsg(sv[1], &mh, 0), EMSGSIZE, "recvmsg: more than UIO_MAXIOV");
	close(sv[0]);
	close(sv[1]);
}

static volatile sig_atomic_t got_sig;

static void on_sig(int sig)
{
	(void)sig;
	got_sig++;
}

static void set_handler(int sig, int flags)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_sig;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void arm(long ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void test_blocking(void)
{
	int sv[2];
	char buf[8];
	struct timeval tv = { 0, 200000 };
	long t0;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK_OK(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), "SO_RCVTIMEO");
	t0 = now_ms();
	CHECK_ERR(recv(sv[1], buf, 1, 0), EAGAIN, "recv times out with EAGAIN");
	CHECK(now_ms() - t0 >= 150, "the timeout waited", "%ld ms", now_ms() - t0);

	/* A signal with SA_RESTART and a timeout: EINTR, as Linux. */
	set_handler(SIGALRM, SA_RESTART);
	tv.tv_sec = 5;
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	got_sig = 0;
	arm(100);
	CHECK_ERR(recv(sv[1], buf, 1, 0), EINTR, "SA_RESTART with SO_RCVTIMEO: EINTR");
	CHECK_RET(got_sig, 1, "the handler ran");
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	/* Without SA_RESTART: EINTR. */
	set_handler(SIGALRM, 0);
	arm(100);
	CHECK_ERR(recv(sv[1], buf, 1, 0), EINTR, "a signal interrupts recv: EINTR");

	/* With SA_RESTART and no timeout: the recv restarts and gets the data. */
	set_handler(SIGALRM, SA_RESTART);
	got_sig = 0;
	pid_t pid = fork();
	if (pid == 0) {
		usleep(400000);
		send(sv[0], "r", 1, 0);
		_exit(0);
	}
	arm(100);
	CHECK_RET(recv(sv[1], buf, 1, 0), 1, "SA_RESTART: recv restarted and got the data");
	CHECK_RET(got_sig, 1, "the handler ran before");
	waitpid(pid, NULL, 0);

	/* SIGPIPE and EPIPE. */
	set_handler(SIGPIPE, 0);
	got_sig = 0;
	close(sv[1]);
	CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE, "send to a closed peer: EPIPE");
	CHECK_RET(got_sig, 0, "MSG_NOSIGNAL: no SIGPIPE");
	CHECK_ERR(write(sv[0], "x", 1), EPIPE, "write to a closed peer: EPIPE");
	CHECK_RET(got_sig, 1, "write: SIGPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(sv[0]);
}

static void test_mmsg(void)
{
	int sv[2];
	char b[3][8];
	struct iovec iov[3];
	struct mmsghdr mm[3];

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 3; i++) {
		iov[i].iov_base = (char *)"abcdefg" + i;
		iov[i].iov_len = (size_t)(i + 1);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	CHECK_RET(sendmmsg(sv[0], mm, 3, 0), 3, "sendmmsg: three datagrams");
	CHECK(mm[0].msg_len == 1 && mm[1].msg_len == 2 && mm[2].msg_len == 3, "sendmmsg: msg_len",
	      "%u %u %u", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 3; i++) {
		iov[i].iov_base = b[i];
		iov[i].iov_len = sizeof(b[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	CHECK_RET(recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL), 3, "recvmmsg: three datagrams");
	CHECK(mm[0].msg_len == 1 && mm[1].msg_len == 2 && mm[2].msg_len == 3, "recvmmsg: msg_len",
	      "%u %u %u", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
	CHECK(!memcmp(b[2], "cde", 3), "recvmmsg: the data", "%.3s", b[2]);
	CHECK_ERR(recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL), EAGAIN, "recvmmsg: nothing queued");
	send(sv[0], "q", 1, 0);
	CHECK_RET(recvmmsg(sv[1], mm, 3, MSG_WAITFORONE, NULL), 1, "recvmmsg: MSG_WAITFORONE");
	close(sv[0]);
	close(sv[1]);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_create();
	test_options();
	test_io();
	test_blocking();
	test_mmsg();
	return check_done();
}
