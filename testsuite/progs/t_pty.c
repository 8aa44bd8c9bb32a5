/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_pty -- pseudo-terminals: posix_openpt/grantpt/unlockpt/ptsname, the
 * /dev/pts nodes, the slave's line discipline seen from the master
 * (canonical lines, echo, ONLCR, ^C), TIOCSWINSZ and SIGWINCH, packet
 * mode, TIOCGPTPEER, the slave lock, hangups both ways, poll, errors, an
 * interactive sh with job control on a pty, and util-linux script(1).
 * The test init mounts devpts on /dev/pts with gid=5,mode=620.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER	0x5441
#endif
#ifndef TIOCGPKT
#define TIOCGPKT	0x80045438
#endif
#ifndef TIOCGPTLCK
#define TIOCGPTLCK	0x80045439
#endif

static int open_master(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m >= 0 && (grantpt(m) || unlockpt(m))) {
		close(m);
		return -1;
	}
	return m;
}

static int open_slave(int m, int flags)
{
	char *name = ptsname(m);

	return name ? open(name, flags) : -1;
}

/* Read from fd until want appears in what was read or ms pass; bytes read. */
static size_t read_until(int fd, char *buf, size_t size, const char *want, int ms)
{
	size_t len = 0;

	buf[0] = 0;
	while (len + 1 < size && !strstr(buf, want)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			break;
		n = read(fd, buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = 0;
	}
	return len;
}

/* After read_until(want): read on to the shell's next prompt unless it came too. */
static void to_prompt(int m, char *buf, size_t size, const char *want)
{
	const char *w = strstr(buf, want);

	if (!w || !strstr(w, "PTY$ "))
		read_until(m, buf, size, "PTY$ ", 5000);
}

/* Whatever the master has now (up to size-1 bytes), as a string. */
static ssize_t drain(int m, char *buf, size_t size)
{
	struct pollfd p = { .fd = m, .events = POLLIN };
	ssize_t n = 0;

	buf[0] = 0;
	if (poll(&p, 1, 500) == 1 && (p.revents & POLLIN))
		n = read(m, buf, size - 1);
	if (n > 0)
		buf[n] = 0;
	return n;
}

static void test_open_and_names(void)
{
	char name[64], *p;
	struct stat st;
	int m, s;
	unsigned int n = 99999;

	m = CHECK_OK(posix_openpt(O_RDWR | O_NOCTTY), "posix_openpt");
	CHECK_RET(ioctl(m, TIOCGPTN, &n), 0, "TIOCGPTN");
	int lk = -1;
	CHECK(ioctl(m, TIOCGPTLCK, &lk) == 0 && lk == 1, "a new pty is locked", "lock %d", lk);
	snprintf(name, sizeof name, "/dev/pts/%u", n);
	CHECK_ERR(open(name, O_RDWR | O_NOCTTY), EIO, "opening a locked slave EIO");
	CHECK_RET(grantpt(m), 0, "grantpt");
	CHECK_RET(unlockpt(m), 0, "unlockpt");
	CHECK(ioctl(m, TIOCGPTLCK, &lk) == 0 && lk == 0, "TIOCGPTLCK after unlockpt", "lock %d", lk);
	p = ptsname(m);
	CHECK(p && strcmp(p, name) == 0, "ptsname is /dev/pts/N of TIOCGPTN", "got %s, want %s",
	      p ? p : "NULL", name);
	CHECK(stat(name, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 136 &&
	      minor(st.st_rdev) == n, "/dev/pts/N is char 136:N", "mode %o rdev %u:%u",
	      st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	CHECK(st.st_uid == getuid() && st.st_gid == 5 && (st.st_mode & 07777) == 0620,
	      "/dev/pts/N: the opener's, group tty (gid=5), mode 620", "uid %u gid %u mode %o",
	      st.st_uid, st.st_gid, st.st_mode & 07777);
	CHECK(stat("/dev/ptmx", &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 &&
	      minor(st.st_rdev) == 2, "/dev/ptmx is char 5:2", "mode %o", st.st_mode);
	CHECK(stat("/dev/pts/ptmx", &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(5, 2)
	      && (st.st_mode & 07777) == 0, "/dev/pts/ptmx is char 5:2 mode 0000",
	      "mode %o", st.st_mode);
	s = CHECK_OK(open(name, O_RDWR | O_NOCTTY), "open the unlocked slave");
	CHECK(isatty(s) && isatty(m), "both sides are ttys", "isatty");
	CHECK_ERR(ioctl(s, TIOCGPTN, &n), ENOTTY, "TIOCGPTN on the slave ENOTTY");
	CHECK_ERR(ioctl(m, TIOCGPTN, BADPTR), EFAULT, "TIOCGPTN bad pointer EFAULT");
	CHECK_ERR(ioctl(m, TIOCSPTLCK, BADPTR), EFAULT, "TIOCSPTLCK bad pointer EFAULT");
	close(s);
	close(m);
	CHECK_ERR(stat(name, &st), ENOENT, "/dev/pts/N is gone once the master is closed");

	int pfd[2];
	pipe(pfd);
	CHECK_ERR(ioctl(pfd[0], TIOCGPTN, &n), ENOTTY, "TIOCGPTN on a pipe ENOTTY");
	errno = 0;
	p = ptsname(pfd[0]);
	CHECK(p == NULL && errno == ENOTTY, "ptsname of a pipe fails ENOTTY", "errno %d", errno);
	close(pfd[0]);
	close(pfd[1]);
	mkdir("/tmp/ptsx", 0755);
	CHECK_ERR(mount("devpts", "/tmp/ptsx", "devpts", 0, "bogus=1"), EINVAL,
		  "devpts with an unknown option EINVAL");
}

static void test_line_discipline(void)
{
	char buf[256];
	int m = open_master(), s = open_slave(m, O_RDWR | O_NOCTTY), v = -1;

	CHECK(m >= 0 && s >= 0, "a pair for the line discipline", "m %d s %d", m, s);
	CHECK_RET(write(m, "hel", 3), 3, "master writes half a line");
	fcntl(s, F_SETFL, O_NONBLOCK);
	CHECK_ERR(read(s, buf, sizeof buf), EAGAIN, "canonical slave: no line yet EAGAIN");
	CHECK_RET(write(m, "lo\n", 3), 3, "master ends the line");
	struct pollfd ps = { .fd = s, .events = POLLIN };
	poll(&ps, 1, 1000);	/* Linux hands input to the slave asynchronously */
	CHECK(ioctl(s, FIONREAD, &v) == 0 && v == 6, "FIONREAD on the slave", "got %d", v);
	ssize_t n = read(s, buf, sizeof buf);
	CHECK(n == 6 && memcmp(buf, "hello\n", 6) == 0, "slave reads the line", "n %zd", n);
	fcntl(s, F_SETFL, 0);
	n = (ssize_t)read_until(m, buf, sizeof buf, "\r\n", 1000);	/* may come in pieces */
	CHECK(n == 7 && strcmp(buf, "hello\r\n") == 0, "the echo on the master (ONLCR)",
	      "n %zd '%s'", n, buf);
	CHECK_RET(write(s, "a\nb", 3), 3, "slave writes");
	struct pollfd pm = { .fd = m, .events = POLLIN };
	poll(&pm, 1, 1000);
	usleep(50000);
	CHECK(ioctl(m, FIONREAD, &v) == 0 && v == 4, "FIONREAD on the master", "got %d", v);
	n = drain(m, buf, sizeof buf);
	CHECK(n == 4 && strcmp(buf, "a\r\nb") == 0, "master reads output after OPOST/ONLCR",
	      "n %zd '%s'", n, buf);
	struct termios t;
	CHECK_RET(tcgetattr(s, &t), 0, "tcgetattr on the slave");
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	CHECK_RET(tcsetattr(s, TCSANOW, &t), 0, "slave to raw mode");
	write(m, "xy", 2);
	n = read(s, buf, sizeof buf);
	CHECK(n == 2 && memcmp(buf, "xy", 2) == 0, "raw slave reads bytes at once", "n %zd", n);
	CHECK_RET(drain(m, buf, sizeof buf), 0, "no echo without ECHO");
	struct pollfd p[2] = { { .fd = m, .events = POLLIN | POLLOUT }, { .fd = s, .events = POLLIN | POLLOUT } };
	CHECK(poll(p, 2, 0) == 2 && p[0].revents == POLLOUT && p[1].revents == POLLOUT,
	      "poll: both writable, nothing to read", "%x %x", p[0].revents, p[1].revents);
	write(m, "z", 1);
	CHECK(poll(p + 1, 1, 1000) == 1 && (p[1].revents & POLLIN), "poll: slave readable", "%x",
	      p[1].revents);
	read(s, buf, 1);

	/* epoll on both sides. */
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = m }, out[2];
	epoll_ctl(ep, EPOLL_CTL_ADD, m, &ev);
	ev.data.fd = s;
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	CHECK_RET(epoll_wait(ep, out, 2, 0), 0, "epoll: nothing to read on either side");
	write(s, "q", 1);
	n = epoll_wait(ep, out, 2, 1000);
	CHECK(n == 1 && out[0].data.fd == m, "epoll: the slave's output wakes the master",
	      "n %zd fd %d", n, n > 0 ? out[0].data.fd : -1);
	read(m, buf, sizeof buf);
	write(m, "w", 1);
	n = epoll_wait(ep, out, 2, 1000);
	CHECK(n == 1 && out[0].data.fd == s, "epoll: the master's input wakes the slave",
	      "n %zd fd %d", n, n > 0 ? out[0].data.fd : -1);
	read(s, buf, sizeof buf);
	close(ep);
	close(s);
	close(m);
}

static volatile sig_atomic_t got_winch;

static void on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

static void child_wait_winch(int s)
{
	sigset_t none;

	(void)s;
	sigemptyset(&none);
	while (!got_winch)
		sigsuspend(&none);
	_exit(42);
}

static void child_pause(int s)
{
	(void)s;
	for (;;)
		pause();
}

static void child_read_forever(int s)
{
	char c;

	while (read(s, &c, 1) > 0)
		;
	_exit(7);
}

/*
 * A child in a new session with the slave name as its controlling tty (by
 * open, or by TIOCSCTTY after an O_NOCTTY open): it reports on ready_w,
 * then runs what().
 */
static pid_t start_session(const char *name, int m, int use_sctty, int ready_w,
			   void (*what)(int s))
{
	pid_t pid = fork();

	if (pid)
		return pid;
	close(m);
	setsid();
	signal(SIGWINCH, on_winch);
	int s = open(name, O_RDWR | (use_sctty ? O_NOCTTY : 0));
	if (s < 0)
		_exit(90);
	if (use_sctty && ioctl(s, TIOCSCTTY, 0) != 0)
		_exit(91);
	if (tcgetpgrp(s) != getpid())
		_exit(92);
	write(ready_w, "R", 1);
	what(s);
	_exit(93);
}

static int wait_status(pid_t pid)
{
	int st = -1;

	waitpid(pid, &st, 0);
	return st;
}

static void test_signals(void)
{
	char buf[256], name[64], c;
	int m = open_master(), rp[2];
	struct winsize ws = { .ws_row = 33, .ws_col = 101 }, got;

	snprintf(name, sizeof name, "%s", ptsname(m));
	pipe(rp);
	/* ^C typed on the master: SIGINT to the foreground group. */
	pid_t pid = start_session(name, m, 0, rp[1], child_read_forever);
	CHECK_RET(read(rp[0], &c, 1), 1, "child made the slave its ctty by open");
	CHECK_RET(write(m, "\003", 1), 1, "master writes ^C");
	int st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "^C: SIGINT to the slave's foreground group",
	      "status %#x", st);
	read_until(m, buf, sizeof buf, "^C", 1000);
	CHECK(strstr(buf, "^C") != NULL, "^C echoed on the master", "'%s'", buf);

	/* TIOCSWINSZ: SIGWINCH to the foreground group. */
	pid = start_session(name, m, 1, rp[1], child_wait_winch);
	CHECK_RET(read(rp[0], &c, 1), 1, "child took the slave as ctty by TIOCSCTTY");
	CHECK_RET(ioctl(m, TIOCSWINSZ, &ws), 0, "TIOCSWINSZ on the master");
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "SIGWINCH reached the child", "status %#x", st);
	int s = open(name, O_RDWR | O_NOCTTY);
	CHECK(ioctl(s, TIOCGWINSZ, &got) == 0 && got.ws_row == 33 && got.ws_col == 101,
	      "the slave sees the new size", "%ux%u", got.ws_row, got.ws_col);
	CHECK_ERR(ioctl(s, TIOCGPGRP, &st), ENOTTY, "TIOCGPGRP on a tty that is not ours ENOTTY");

	/*
	 * Hangup: the master's close sends SIGHUP to the session leader (which
	 * pauses: a read could see the hangup's end of file before the signal).
	 */
	pid = start_session(name, m, 0, rp[1], child_pause);
	CHECK_RET(read(rp[0], &c, 1), 1, "a session leader on the slave");
	close(m);
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGHUP, "master closed: SIGHUP to the session leader",
	      "status %#x", st);
	CHECK_RET(read(s, buf, sizeof buf), 0, "a hung-up slave reads end of file");
	CHECK_ERR(write(s, "x", 1), EIO, "a hung-up slave's write EIO");
	struct pollfd p = { .fd = s, .events = POLLIN };
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP), "a hung-up slave polls POLLHUP", "%x",
	      p.revents);
	close(s);
	close(rp[0]);
	close(rp[1]);
}

static void test_slave_close(void)
{
	char buf[64];
	int m = open_master(), s = open_slave(m, O_RDWR | O_NOCTTY);

	int lone = open_master();
	char echo[16];

	/* As Linux: the slave's line discipline takes input before any open. */
	CHECK_RET(write(lone, "ab\n", 3), 3, "writing a master with no slave open");
	CHECK(drain(lone, echo, sizeof echo) == 4 && strcmp(echo, "ab\r\n") == 0,
	      "its echo comes back at once", "'%s'", echo);
	int ls = open_slave(lone, O_RDWR | O_NOCTTY);
	CHECK_RET(read(ls, echo, sizeof echo), 3, "the slave opened later reads the line");
	close(ls);
	close(lone);
	CHECK_RET(write(s, "bye", 3), 3, "slave writes, then closes");
	close(s);
	struct pollfd p = { .fd = m, .events = POLLIN };
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) && (p.revents & POLLIN),
	      "master polls POLLIN|POLLHUP", "%x", p.revents);
	CHECK_RET(read(m, buf, sizeof buf), 3, "master reads what the slave left");
	CHECK_ERR(read(m, buf, sizeof buf), EIO, "then EIO: the slave is closed");
	s = open_slave(m, O_RDWR | O_NOCTTY);
	CHECK(s >= 0, "the slave opens again", "fd %d", s);
	write(s, "k", 1);
	CHECK_RET(read(m, buf, sizeof buf), 1, "master reads again");
	close(s);
	close(m);
}

static void test_packet_and_peer(void)
{
	unsigned char buf[64];
	int m = open_master(), on = 1, v = -1;

	int peer = CHECK_OK(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY), "TIOCGPTPEER");
	CHECK(isatty(peer), "the peer is a tty", "no");
	CHECK_RET(write(m, "p\n", 2), 2, "master writes to the peer");
	CHECK_RET(read(peer, buf, sizeof buf), 2, "the peer reads it");
	drain(m, (char *)buf, sizeof buf);
	CHECK_RET(ioctl(m, TIOCPKT, &on), 0, "TIOCPKT on");
	CHECK(ioctl(m, TIOCGPKT, &v) == 0 && v == 1, "TIOCGPKT", "got %d", v);
	write(peer, "x", 1);
	ssize_t n = read(m, buf, sizeof buf);
	CHECK(n == 2 && buf[0] == TIOCPKT_DATA && buf[1] == 'x', "packet: TIOCPKT_DATA then data",
	      "n %zd byte0 %d", n, buf[0]);
	CHECK_RET(tcflush(peer, TCIFLUSH), 0, "slave flushes input");
	struct pollfd p = { .fd = m, .events = POLLIN | POLLPRI };
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLPRI), "packet status polls POLLPRI", "%x",
	      p.revents);
	n = read(m, buf, sizeof buf);
	CHECK(n == 1 && buf[0] == TIOCPKT_FLUSHREAD, "packet: TIOCPKT_FLUSHREAD", "n %zd byte %d", n,
	      buf[0]);
	tcflush(peer, TCOFLUSH);
	n = read(m, buf, sizeof buf);
	CHECK(n == 1 && buf[0] == TIOCPKT_FLUSHWRITE, "packet: TIOCPKT_FLUSHWRITE", "n %zd byte %d",
	      n, buf[0]);
	struct termios t;
	tcgetattr(peer, &t);
	t.c_iflag &= ~(tcflag_t)IXON;
	tcsetattr(peer, TCSANOW, &t);
	n = read(m, buf, sizeof buf);
	CHECK(n == 1 && buf[0] == TIOCPKT_NOSTOP, "packet: IXON off gives TIOCPKT_NOSTOP",
	      "n %zd byte %d", n, buf[0]);
	t.c_iflag |= IXON;
	tcsetattr(peer, TCSANOW, &t);
	n = read(m, buf, sizeof buf);
	CHECK(n == 1 && buf[0] == TIOCPKT_DOSTOP, "packet: IXON on gives TIOCPKT_DOSTOP",
	      "n %zd byte %d", n, buf[0]);
	/* Output flow control: tcflow and ^S/^Q typed at the master. */
	CHECK_RET(tcflow(peer, TCOOFF), 0, "tcflow TCOOFF on the slave");
	n = read(m, buf, sizeof buf);
	CHECK(n == 1 && buf[0] == TIOCPKT_STOP, "packet: TIOCPKT_STOP", "n %zd byte %d", n, buf[0]);
	fcntl(peer, F_SETFL, O_NONBLOCK);
	CHECK_ERR(write(peer, "abc", 3), EAGAIN, "a stopped slave's write EAGAIN");
	struct pollfd pw = { .fd = peer, .events = POLLOUT };
	CHECK(poll(&pw, 1, 0) == 0, "a stopped slave does not poll POLLOUT", "%x", pw.revents);
	CHECK_RET(tcflow(peer, TCOON), 0, "tcflow TCOON");
	n = read(m, buf, sizeof buf);
	CHECK(n == 1 && buf[0] == TIOCPKT_START, "packet: TIOCPKT_START", "n %zd byte %d", n, buf[0]);
	write(m, "\023", 1);
	n = read(m, buf, sizeof buf);
	CHECK(n == 1 && buf[0] == TIOCPKT_STOP, "^S typed at the master stops output",
	      "n %zd byte %d", n, buf[0]);
	CHECK_ERR(write(peer, "abc", 3), EAGAIN, "so the slave's write EAGAIN");
	write(m, "\021", 1);
	n = read(m, buf, sizeof buf);
	CHECK(n == 1 && buf[0] == TIOCPKT_START, "^Q restarts it", "n %zd byte %d", n, buf[0]);
	CHECK_ERR(read(peer, buf, sizeof buf), EAGAIN, "^S and ^Q are not input");
	CHECK_RET(write(peer, "ok", 2), 2, "the slave writes again");
	n = read(m, buf, sizeof buf);
	CHECK(n == 3 && buf[0] == TIOCPKT_DATA && memcmp(buf + 1, "ok", 2) == 0,
	      "and the master reads it", "n %zd", n);
	close(peer);
	on = 1;
	ioctl(m, TIOCSPTLCK, &on);
	CHECK_ERR(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY), EIO, "TIOCGPTPEER while locked EIO");
	close(m);
}

/* sh -i on a pty slave: background a job, list it, kill it. */
static void test_shell_job_control(void)
{
	char buf[4096], name[64];
	int m = open_master();

	snprintf(name, sizeof name, "%s", ptsname(m));
	pid_t pid = fork();
	if (pid == 0) {
		close(m);
		setsid();
		int s = open(name, O_RDWR);
		if (s < 0)
			_exit(90);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		setenv("PS1", "PTY$ ", 1);
		execl("/bin/sh", "sh", "-i", (char *)NULL);
		_exit(91);
	}
	read_until(m, buf, sizeof buf, "PTY$ ", 5000);
	CHECK(strstr(buf, "PTY$ ") != NULL, "sh -i prompts on the pty", "'%s'", buf);
	write(m, "sleep 100 &\n", 12);
	read_until(m, buf, sizeof buf, "PTY$ ", 5000);
	write(m, "jobs\n", 5);
	read_until(m, buf, sizeof buf, "PTY$ ", 5000);
	CHECK(strstr(buf, "[1]") && strstr(buf, "Running") && strstr(buf, "sleep 100"),
	      "jobs lists the background job", "'%s'", buf);
	write(m, "kill %1; wait; jobs; echo status=$?\n", 36);
	read_until(m, buf, sizeof buf, "status=0", 5000);
	CHECK(strstr(buf, "Terminated") != NULL, "kill %1 ends the job", "'%s'", buf);
	to_prompt(m, buf, sizeof buf, "status=0");
	/* A foreground job: ^Z stops it, fg resumes it in the foreground, ^C ends it. */
	write(m, "sleep 100\n", 10);
	usleep(300000);
	write(m, "\032", 1);
	read_until(m, buf, sizeof buf, "Stopped", 5000);
	CHECK(strstr(buf, "Stopped") != NULL, "^Z stops the foreground job", "'%s'", buf);
	to_prompt(m, buf, sizeof buf, "Stopped");
	write(m, "fg\n", 3);
	read_until(m, buf, sizeof buf, "sleep 100", 5000);
	usleep(300000);
	write(m, "\003", 1);
	read_until(m, buf, sizeof buf, "PTY$ ", 5000);
	write(m, "echo st=$?\n", 11);
	read_until(m, buf, sizeof buf, "st=1", 5000);
	CHECK(strstr(buf, "st=130") != NULL, "fg, then ^C ends the job with SIGINT", "'%s'", buf);
	write(m, "exit\n", 5);
	int st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sh exits", "status %#x", st);
	close(m);
}

/* util-linux script(1) (Debian's busybox has no script applet). */
static void test_script(void)
{
	char buf[512] = "";

	if (access("/debian/bin/script", X_OK) != 0) {
		check_skip("script -c", "no /debian/bin/script");
		return;
	}
	unlink("/tmp/pty-script.log");
	int st = system("/debian/bin/script -q -c 'echo hi-from-pty' /tmp/pty-script.log "
			"</dev/null >/dev/null 2>&1");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "script -c runs a command on a pty",
	      "status %#x", st);
	int fd = open("/tmp/pty-script.log", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (n > 0)
		buf[n] = 0;
	CHECK(strstr(buf, "hi-from-pty\r\n") != NULL, "the log has the output as the terminal showed it",
	      "'%s'", buf);
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	test_open_and_names();
	test_line_discipline();
	test_signals();
	test_slave_close();
	test_packet_and_peer();
	test_shell_job_control();
	test_script();
	return check_done();
}
