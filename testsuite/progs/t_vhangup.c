// SPDX-License-Identifier: MPL-2.0
/*
 * t_vhangup -- vhangup(2): without a controlling terminal it does nothing
 * and returns 0; without CAP_SYS_TTY_CONFIG it is EPERM; on a pty slave
 * that is the controlling terminal of a new session the leader gets
 * SIGHUP, the files open then read end of file (pending input or not),
 * write, ioctl EIO and poll POLLHUP, the session loses the terminal
 * (/dev/tty is ENXIO), and opening the slave again works while the old
 * file stays hung up.  Every vhangup runs in a child of its own session:
 * the test's own controlling terminal (the console) is never hung up.
 */
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>

static volatile sig_atomic_t hups;

static void on_hup(int sig)
{
	(void)sig;
	hups++;
}

static long vhangup_(void)
{
	return syscall(SYS_vhangup);
}

/* Run fn in a child of a new session; its exit status. */
static int in_session(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		if (setsid() < 0)
			_exit(99);
		_exit(fn(arg));
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 200 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static int no_ctty(void *arg)
{
	(void)arg;
	if (open("/dev/tty", O_RDWR) >= 0 || errno != ENXIO)
		return 1;
	return vhangup_() == 0 ? 0 : 2;
}

static int no_cap(void *arg)
{
	(void)arg;
	if (setuid(65534))
		return 90;
	return vhangup_() == -1 && errno == EPERM ? 0 : 1;
}

static int hang_pty(void *arg)
{
	const char *slave = arg;
	struct termios tio;
	char c;
	int bad = 0;

	signal(SIGHUP, on_hup);
	int fd = open(slave, O_RDWR);
	if (fd < 0)
		return 90;
	int tty = open("/dev/tty", O_RDWR);
	if (tty < 0)
		return 91;	/* the slave did not become the controlling terminal */
	close(tty);
	if (vhangup_() != 0)
		return 92;
	bad |= (hups != 1) << 0;
	bad |= (read(fd, &c, 1) != 0) << 1;	/* "abc\n" is pending: still end of file */
	bad |= !(write(fd, "x", 1) == -1 && errno == EIO) << 2;
	bad |= !(tcgetattr(fd, &tio) == -1 && errno == EIO) << 3;
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	bad |= !(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP)) << 4;
	bad |= !(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO) << 5;
	int again = open(slave, O_RDWR | O_NOCTTY);
	bad |= (again < 0) << 6;
	bad |= (again >= 0 && write(again, "y", 1) != 1) << 7;
	bad |= (again >= 0 && tcgetattr(again, &tio) != 0) << 7;
	bad |= !(write(fd, "x", 1) == -1 && errno == EIO) << 8;	/* the old file stays hung up */
	return bad;
}

int main(int argc, char **argv)
{
	check_init(argc > 0 ? argv[0] : "t_vhangup");

	CHECK_RET(in_session(no_ctty, NULL), 0, "vhangup without a controlling terminal returns 0");
	CHECK_RET(in_session(no_cap, NULL), 0, "vhangup without CAP_SYS_TTY_CONFIG is EPERM");

	int m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK_OK(m, "posix_openpt");
	CHECK_OK(grantpt(m), "grantpt");
	CHECK_OK(unlockpt(m), "unlockpt");
	char *name = ptsname(m);
	CHECK(name != NULL, "ptsname", "NULL");
	if (m < 0 || !name)
		return check_done();
	char slave[64];
	snprintf(slave, sizeof slave, "%s", name);
	CHECK_RET(write(m, "abc\n", 4), 4, "input for the slave");
	int st = in_session(hang_pty, slave);
	CHECK(st == 0, "vhangup of the pty: SIGHUP, EOF, EIO, POLLHUP, no ctty, a new open works",
	      "child status %d (bit mask of failures)", st);
	close(m);
	return check_done();
}
