// SPDX-License-Identifier: MPL-2.0
/*
 * t_sigio -- O_ASYNC: SIGIO (or F_SETSIG's signal with si_code POLL_IN or
 * POLL_OUT, si_fd and si_band) to the owner set by F_SETOWN,
 * F_SETOWN_EX or SIOCSPGRP/FIOSETOWN when a pipe, a unix, UDP or TCP
 * socket, a pty or an inotify instance becomes readable or writable; none
 * without O_ASYNC, without an owner, for eventfd (no fasync on Linux
 * either), or when whoever set the owner may not signal it; FIOASYNC; the
 * errors of each call.
 */
#include "check.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <poll.h>
#include <time.h>

#ifndef FIOSETOWN
#define FIOSETOWN	0x8901
#define SIOCSPGRP	0x8902
#define FIOGETOWN	0x8903
#define SIOCGPGRP	0x8904
#endif

static int rtsig;

/* Wait up to ms for sig (blocked): 1 when it came, with its info. */
static int got(int sig, siginfo_t *si, int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&set, si, &ts) == sig;
}

/* Nothing of sig pending (after a moment for a late one). */
static int none(int sig)
{
	siginfo_t si;

	usleep(20000);
	return !got(sig, &si, 0);
}

static void drain(void)
{
	siginfo_t si;

	while (got(SIGIO, &si, 0) || got(rtsig, &si, 0))
		;
}

static int make_async(int fd, int sig)
{
	if (fcntl(fd, F_SETOWN, getpid()) || fcntl(fd, F_SETSIG, sig))
		return -1;
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
}

static void test_pipe(void)
{
	int p[2], v = 1;
	siginfo_t si;
	char c = 'x';

	if (pipe(p)) {
		check_skip("pipe O_ASYNC", "no pipe");
		return;
	}
	CHECK_RET(fcntl(p[0], F_SETOWN, getpid()), 0, "F_SETOWN self on a pipe");
	CHECK_RET(fcntl(p[0], F_SETFL, O_ASYNC), 0, "F_SETFL O_ASYNC on the read end");
	CHECK((fcntl(p[0], F_GETFL) & O_ASYNC) != 0, "F_GETFL shows O_ASYNC", "%#x", fcntl(p[0], F_GETFL));
	CHECK(none(SIGIO), "no SIGIO for an empty pipe that nothing happened to", "one came");
	CHECK_RET(write(p[1], &c, 1), 1, "write into the pipe");
	CHECK(got(SIGIO, &si, 1000) && si.si_code == SI_KERNEL, "the owner gets SIGIO (si_code SI_KERNEL)",
	      "code %d", si.si_code);
	CHECK_RET(write(p[1], &c, 1), 1, "write again while readable");
	CHECK(got(SIGIO, &si, 1000), "every write signals again (Linux's pipe_write)", "none");

	/* F_SETSIG: a real-time signal with the reason, the fd and the band. */
	CHECK_RET(fcntl(p[0], F_SETSIG, rtsig), 0, "F_SETSIG SIGRTMIN+1");
	CHECK_RET(fcntl(p[0], F_GETSIG), rtsig, "F_GETSIG");
	CHECK_RET(write(p[1], &c, 1), 1, "write with F_SETSIG");
	CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == p[0] &&
	      si.si_band == (POLLIN | POLLRDNORM), "POLL_IN with si_fd and si_band POLLIN|POLLRDNORM",
	      "code %d fd %d band %#lx", si.si_code, si.si_fd, si.si_band);

	/* The write side: POLL_OUT when the reader takes data. */
	CHECK_RET(make_async(p[1], rtsig), 0, "O_ASYNC on the write end");
	drain();
	char buf[8];
	CHECK(read(p[0], buf, sizeof(buf)) > 0, "read the pipe", "failed");
	CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_OUT && si.si_fd == p[1] &&
	      si.si_band == (POLLOUT | POLLWRNORM | POLLWRBAND), "the writer's owner gets POLL_OUT",
	      "code %d fd %d band %#lx", si.si_code, si.si_fd, si.si_band);
	drain();

	/* O_ASYNC off: nothing. */
	CHECK_RET(fcntl(p[0], F_SETFL, 0), 0, "F_SETFL without O_ASYNC");
	CHECK_RET(fcntl(p[1], F_SETFL, 0), 0, "F_SETFL without O_ASYNC on the write end");
	CHECK_RET(write(p[1], &c, 1), 1, "write without O_ASYNC");
	CHECK(none(rtsig) && none(SIGIO), "no signal without O_ASYNC", "one came");

	/* FIOASYNC is F_SETFL's O_ASYNC. */
	CHECK_RET(ioctl(p[0], FIOASYNC, &v), 0, "FIOASYNC 1");
	CHECK((fcntl(p[0], F_GETFL) & O_ASYNC) != 0, "FIOASYNC sets O_ASYNC", "%#x", fcntl(p[0], F_GETFL));
	CHECK_RET(write(p[1], &c, 1), 1, "write after FIOASYNC");
	CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN, "FIOASYNC: POLL_IN", "code %d", si.si_code);
	CHECK_ERR(ioctl(p[0], FIOASYNC, (void *)8), EFAULT, "FIOASYNC bad pointer EFAULT");
	CHECK_ERR(ioctl(p[0], FIOSETOWN, &v), ENOTTY, "FIOSETOWN on a pipe ENOTTY (sockets only)");

	/* No owner: nothing. */
	CHECK_RET(fcntl(p[0], F_SETOWN, 0), 0, "F_SETOWN 0");
	CHECK_RET(write(p[1], &c, 1), 1, "write without an owner");
	CHECK(none(rtsig), "no signal without an owner", "one came");

	/* The last writer going: POLL_IN for the reader (Linux's pipe_release). */
	CHECK_RET(fcntl(p[0], F_SETOWN, getpid()), 0, "F_SETOWN self again");
	drain();
	close(p[1]);
	CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN, "closing the write end: POLL_IN", "code %d",
	      si.si_code);
	close(p[0]);
	drain();

	/* A FIFO is a pipe with a name. */
	unlink("/tmp/t_sigio.fifo");
	if (mkfifo("/tmp/t_sigio.fifo", 0600) == 0) {
		int f = open("/tmp/t_sigio.fifo", O_RDWR | O_NONBLOCK);

		CHECK_RET(make_async(f, rtsig), 0, "O_ASYNC on a FIFO");
		CHECK_RET(write(f, &c, 1), 1, "write into the FIFO");
		CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == f, "FIFO: POLL_IN",
		      "code %d fd %d", si.si_code, si.si_fd);
		close(f);
		unlink("/tmp/t_sigio.fifo");
		drain();
	}
}

static void test_owner_kinds(void)
{
	struct f_owner_ex ex;
	int p[2];
	siginfo_t si;
	char c = 'y';

	if (pipe(p))
		return;
	/* A group of our own: the group signal must not reach whoever runs us. */
	CHECK_RET(setpgid(0, 0), 0, "setpgid: a process group of our own");
	CHECK_RET(fcntl(p[0], F_SETOWN, -getpgrp()), 0, "F_SETOWN -pgrp");
	CHECK_RET(fcntl(p[0], F_GETOWN), -getpgrp(), "F_GETOWN gives -pgrp back");
	CHECK_RET(fcntl(p[0], F_SETFL, O_ASYNC), 0, "O_ASYNC");
	CHECK_RET(write(p[1], &c, 1), 1, "write");
	CHECK(got(SIGIO, &si, 1000), "a process group owner gets SIGIO", "none");
	ex.type = F_OWNER_TID;
	ex.pid = (pid_t)syscall(SYS_gettid);
	CHECK_RET(fcntl(p[0], F_SETOWN_EX, &ex), 0, "F_SETOWN_EX F_OWNER_TID");
	CHECK_RET(write(p[1], &c, 1), 1, "write");
	CHECK(got(SIGIO, &si, 1000), "a thread owner gets SIGIO", "none");
	CHECK_ERR(fcntl(p[0], F_SETOWN, 0x3ffffff0), ESRCH, "F_SETOWN of no process ESRCH");
	ex.type = 7;
	CHECK_ERR(fcntl(p[0], F_SETOWN_EX, &ex), EINVAL, "F_SETOWN_EX bad type EINVAL");
	CHECK_ERR(fcntl(p[0], F_SETSIG, 65), EINVAL, "F_SETSIG 65 EINVAL");
	close(p[0]);
	close(p[1]);
	drain();
}

/* A child sets the parent as owner of its pipe's O_ASYNC and writes; as uid, or as root when uid 0. */
static void child_signals_parent(uid_t uid)
{
	pid_t parent = getppid();
	int p[2];
	char c = 'z';

	if (pipe(p) || (uid && setuid(uid)))
		_exit(1);
	if (fcntl(p[0], F_SETOWN, parent) || fcntl(p[0], F_SETFL, O_ASYNC))
		_exit(2);
	_exit(write(p[1], &c, 1) == 1 ? 0 : 3);
}

static void test_permission(void)
{
	siginfo_t si;
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		check_skip("SIGIO permission", "not root");
		return;
	}
	drain();
	pid = fork();
	if (pid == 0)
		child_signals_parent(0);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && got(SIGIO, &si, 1000),
	      "a root child's pipe signals its parent", "status %#x", st);
	pid = fork();
	if (pid == 0)
		child_signals_parent(65534);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && none(SIGIO),
	      "an owner set by uid 65534 may not signal a root process", "status %#x", st);
}

/* Bring lo up (Linux's initramfs leaves it down). */
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
	if (fd >= 0)
		close(fd);
}

static void test_sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int sv[2], who, u, l, c, s;
	siginfo_t si;
	char b = 'q';

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		who = -getpgrp();
		CHECK_RET(ioctl(sv[0], SIOCSPGRP, &who), 0, "SIOCSPGRP -pgrp on a socket");
		CHECK_RET(fcntl(sv[0], F_GETOWN), -getpgrp(), "F_GETOWN after SIOCSPGRP");
		who = getpid();
		CHECK_RET(ioctl(sv[0], FIOSETOWN, &who), 0, "FIOSETOWN pid");
		who = 0;
		CHECK(ioctl(sv[0], FIOGETOWN, &who) == 0 && who == getpid(), "FIOGETOWN", "%d", who);
		CHECK(ioctl(sv[0], SIOCGPGRP, &who) == 0 && who == getpid(), "SIOCGPGRP", "%d", who);
		CHECK_ERR(ioctl(sv[0], FIOSETOWN, (void *)8), EFAULT, "FIOSETOWN bad pointer EFAULT");
		who = 0x3ffffff0;
		CHECK_ERR(ioctl(sv[0], SIOCSPGRP, &who), ESRCH, "SIOCSPGRP of no process ESRCH");
		CHECK_RET(make_async(sv[0], rtsig), 0, "O_ASYNC on a unix socket");
		CHECK_RET(write(sv[1], &b, 1), 1, "write to the peer");
		CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == sv[0],
		      "unix stream socket: POLL_IN", "code %d fd %d", si.si_code, si.si_fd);
		close(sv[0]);
		close(sv[1]);
		drain();
	}
	u = socket(AF_INET, SOCK_DGRAM, 0);
	if (u >= 0 && bind(u, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(u, (struct sockaddr *)&a, &len) == 0) {
		CHECK_RET(make_async(u, rtsig), 0, "O_ASYNC on a UDP socket");
		CHECK_RET(sendto(u, &b, 1, 0, (struct sockaddr *)&a, sizeof(a)), 1, "send a datagram to it");
		CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == u, "UDP socket: POLL_IN",
		      "code %d fd %d", si.si_code, si.si_fd);
		drain();
	}
	if (u >= 0)
		close(u);
	a.sin_port = 0;
	len = sizeof(a);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4) ||
	    getsockname(l, (struct sockaddr *)&a, &len)) {
		check_skip("TCP O_ASYNC", "no listener");
		return;
	}
	CHECK_RET(make_async(l, rtsig), 0, "O_ASYNC on a TCP listener");
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (!CHECK_RET(connect(c, (struct sockaddr *)&a, sizeof(a)), 0, "connect to it")) {
		close(c);
		close(l);
		return;
	}
	CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == l,
	      "a connection to accept: POLL_IN on the listener", "code %d fd %d", si.si_code, si.si_fd);
	s = accept(l, NULL, NULL);
	drain();
	CHECK_RET(make_async(s, rtsig), 0, "O_ASYNC on the accepted TCP socket");
	CHECK_RET(write(c, &b, 1), 1, "send a byte over TCP");
	CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == s, "TCP data: POLL_IN",
	      "code %d fd %d", si.si_code, si.si_fd);
	close(s);
	close(c);
	close(l);
	drain();
}

static void test_pty_inotify_eventfd(void)
{
	siginfo_t si;
	uint64_t one = 1;
	int m, sl, in, e;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0 && (sl = open(ptsname(m), O_RDWR | O_NOCTTY)) >= 0) {
		CHECK_RET(make_async(m, rtsig), 0, "O_ASYNC on a pty master");
		CHECK_RET(write(sl, "hi\n", 3), 3, "the slave writes");
		CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == m, "pty master: POLL_IN",
		      "code %d fd %d", si.si_code, si.si_fd);
		drain();
		CHECK_RET(make_async(sl, rtsig), 0, "O_ASYNC on the pty slave (a tty)");
		CHECK_RET(write(m, "yo\n", 3), 3, "the master writes a line");
		CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == sl, "pty slave: POLL_IN",
		      "code %d fd %d", si.si_code, si.si_fd);
		close(sl);
		close(m);
		drain();
	} else {
		check_skip("pty O_ASYNC", "no pty");
	}
	in = inotify_init1(0);
	mkdir("/tmp/t_sigio.d", 0755);
	if (in >= 0 && inotify_add_watch(in, "/tmp/t_sigio.d", IN_CREATE) >= 0) {
		CHECK_RET(make_async(in, rtsig), 0, "O_ASYNC on inotify");
		close(open("/tmp/t_sigio.d/f", O_CREAT | O_WRONLY, 0600));
		CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_IN && si.si_fd == in, "inotify event: POLL_IN",
		      "code %d fd %d", si.si_code, si.si_fd);
		drain();
	}
	if (in >= 0)
		close(in);
	unlink("/tmp/t_sigio.d/f");
	rmdir("/tmp/t_sigio.d");
	e = eventfd(0, 0);
	if (e >= 0) {
		CHECK_RET(make_async(e, rtsig), 0, "O_ASYNC on an eventfd is accepted");
		CHECK_RET(write(e, &one, 8), 8, "eventfd write");
		CHECK(none(rtsig) && none(SIGIO), "an eventfd sends nothing (no fasync, as Linux)", "one came");
		close(e);
	}
}

int main(int argc, char **argv)
{
	sigset_t set;

	(void)argc;
	check_init(argv[0]);
	rtsig = SIGRTMIN + 1;
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, rtsig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	lo_up();
	test_pipe();
	test_owner_kinds();
	test_permission();
	test_sockets();
	test_pty_inotify_eventfd();
	return check_done();
}
