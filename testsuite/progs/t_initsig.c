// SPDX-License-Identifier: MPL-2.0
/*
 * t_initsig -- init (pid 1) survives signals from inside its namespace
 * (kill(2), pidfd_send_signal(2)): it gets only the signals it has a
 * handler for, so kill(1, SIGKILL) and kill(1, SIGSTOP) succeed and do
 * nothing, and kill(-1, ...) never reaches it.  The test init of the
 * initramfs is a shell without handlers for SIGKILL, SIGSTOP or SIGTERM
 * (a non-interactive sh keeps SIGTERM's default).  Everything is sent
 * from a child, as a test's own process group once sent SIGKILL to init
 * and panicked the kernel.
 */
#include "check.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* The state letter of /proc/PID/stat, '?' when unreadable. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (check_read_file(path, buf, sizeof buf) <= 0)
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* SIGTERM's disposition in init: 1 when /proc/1/status shows it caught or ignored. */
static int init_handles_term(void)
{
	char buf[4096], *p;
	unsigned long long cgt = 0, ign = 0;

	if (check_read_file("/proc/1/status", buf, sizeof buf) <= 0)
		return 1;
	p = strstr(buf, "SigIgn:\t");
	if (p)
		ign = strtoull(p + 8, NULL, 16);
	p = strstr(buf, "SigCgt:\t");
	if (p)
		cgt = strtoull(p + 8, NULL, 16);
	return ((cgt | ign) >> (SIGTERM - 1)) & 1;
}

static int init_alive(void)
{
	char s = proc_state(1);

	return kill(1, 0) == 0 && s != 'Z' && s != 'X' && s != 'T' && s != '?';
}

/*
 * In a child: the signals init ignores, then kill(-1) which must skip
 * init.  kill(-1, SIGSTOP) stops every other process (the test's parent
 * and the shells that run it); the child wakes them with kill(-1, SIGCONT)
 * after looking at init.  Reports through its exit status: the number of
 * the first check that failed.
 */
static int child_checks(void)
{
	int pidfd;
	char st;

	if (kill(1, SIGKILL) != 0)
		return 1;
	usleep(100000);
	if (!init_alive())
		return 2;
	if (kill(1, SIGSTOP) != 0)
		return 3;
	usleep(100000);
	st = proc_state(1);
	kill(1, SIGCONT);
	if (st == 'T' || !init_alive())
		return 4;
	if (!init_handles_term()) {
		if (kill(1, SIGTERM) != 0)
			return 5;
		usleep(100000);
		if (!init_alive())
			return 6;
	}
	pidfd = (int)syscall(SYS_pidfd_open, 1, 0);
	if (pidfd < 0)
		return 7;
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) != 0)
		return 8;
	usleep(100000);
	if (!init_alive())
		return 9;
	close(pidfd);
	if (kill(-1, SIGSTOP) != 0)
		return 10;
	usleep(200000);
	st = proc_state(1);
	if (kill(-1, SIGCONT) != 0)
		return 11;
	if (st == 'T' || !init_alive())
		return 12;
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pid;
	int st = 0;

	(void)argc;
	check_init(argv[0]);
	if (getuid() != 0) {
		check_skip("init ignores signals from root", "not root");
		return check_done();
	}
	pid = fork();
	if (pid == 0)
		_exit(child_checks());
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "kill(1, SIGKILL/SIGSTOP/SIGTERM), pidfd_send_signal(SIGKILL) and kill(-1, SIGSTOP) leave init running",
	      "child status %#x (failed step %d)", st, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	CHECK(init_alive(), "init is alive and not stopped", "state %c", proc_state(1));
	return check_done();
}
