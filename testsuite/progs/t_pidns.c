// SPDX-License-Identifier: MPL-2.0
// PID namespaces: clone(CLONE_NEWPID) and unshare(CLONE_NEWPID) (the first
// child is pid 1 there, getppid() 0), what the parent sees (the outer pid
// from clone and waitpid, /proc/PID/status NSpid/NSpgid/NSsid lines, the
// ns/pid inode numbers, NS_GET_PARENT), kill across the boundary (ESRCH
// inside for an outside pid), the rules of a namespace's init (signals
// from inside with the default action are dropped, SIGTERM from outside
// too, SIGKILL from outside works, orphans are reparented to it, its death
// kills the namespace, fork there then fails with ENOMEM), a procfs
// mounted inside showing only the namespace, setns to a pid namespace
// (descendants only), clone3's set_tid (a number per level), the
// EINVAL/EPERM/ENOSPC/EEXIST paths.  Runs as root.
#include "check.h"
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef CLONE_NEWPID
#define CLONE_NEWPID	0x20000000
#endif
#ifndef SYS_setns
#define SYS_setns 308
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#define NS_GET_PARENT	0xb702	/* <linux/nsfs.h>, which musl lacks */

/* struct clone_args up to set_tid_size (CLONE_ARGS_SIZE_VER1). */
struct clone_args_v1 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size;
};

/* fork() in a new pid namespace: the raw syscall, as glibc's clone wants a stack. */
static pid_t fork_newpid(void)
{
	return (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
}

/* The inode number of /proc/WHO/ns/NAME ("pid:[N]"), 0 on error. */
static unsigned long ns_ino(const char *who, const char *name)
{
	char path[96], buf[64];
	unsigned long ino = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/ns/%s", who, name);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	if (sscanf(buf, "pid:[%lu]", &ino) != 1)
		return 0;
	return ino;
}

/* The value of a "Name:\t..." line of /proc/PID/status into out. */
static int status_line(pid_t pid, const char *name, char *out, size_t size)
{
	char path[64], buf[4096], key[32];
	const char *at;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	snprintf(key, sizeof(key), "\n%s:\t", name);
	if (check_read_file(path, buf, sizeof(buf)) < 0 || !(at = strstr(buf, key)))
		return -1;
	at += strlen(key);
	snprintf(out, size, "%.*s", (int)strcspn(at, "\n"), at);
	return 0;
}

/* ---- the basics: numbers seen from inside and from outside ---- */

static pid_t outer_self;
static int sv[2];			/* a socketpair the parent made */
static int lockfd = -1;			/* a file the parent write-locked */
static volatile pid_t usr1_from = -1;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	usr1_from = si->si_pid;
}

/* Send our credentials over sv[1] (SCM_CREDENTIALS with our own pid). */
static int send_creds(void)
{
	struct ucred uc = { getpid(), getuid(), getgid() };
	char cbuf[CMSG_SPACE(sizeof(uc))], b = 'c';
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_CREDENTIALS;
	h->cmsg_len = CMSG_LEN(sizeof(uc));
	memcpy(CMSG_DATA(h), &uc, sizeof(uc));
	return sendmsg(sv[1], &m, 0) == 1 ? 0 : -1;
}

/* Signals, credentials and groups seen from inside. */
static int basic_ids(void)
{
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct ucred peer;
	socklen_t len = sizeof(peer);
	pid_t gc;

	if (getsockopt(sv[1], SOL_SOCKET, SO_PEERCRED, &peer, &len) || peer.pid != 0)
		return 20;	/* the socketpair's maker is outside: pid 0 */
	sigaction(SIGUSR1, &sa, NULL);
	gc = fork();
	if (gc == 0)
		_exit(kill(1, SIGUSR1) ? 1 : 0);
	if (check_wait_status(gc) != 0)
		return 22;
	if (usr1_from != gc)
		return 23;	/* si_pid: the sender's number here */
	if (setsid() != 1 || getpgid(0) != 1 || getsid(0) != 1 || getpgrp() != 1)
		return 24;
	if (lockfd >= 0) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

		if (fcntl(lockfd, F_GETLK, &fl) || fl.l_type != F_WRLCK || fl.l_pid != 0)
			return 25;	/* the parent holds it, and is outside: l_pid 0 */
	}
	/* Last: the parent signals only after it got them. */
	return send_creds() ? 21 : 0;
}

static int basic_init(int go)
{
	char c;
	pid_t gc;
	int r;

	if (getpid() != 1)
		return 1;
	if (getppid() != 0)
		return 2;
	if (syscall(SYS_gettid) != 1)
		return 3;
	gc = fork();
	if (gc == 0)
		_exit(getpid() == 2 && getppid() == 1 ? 0 : 1);
	if (gc != 2 || check_wait_status(gc) != 0)
		return 4;
	/* The parent's pid is a number nobody has here. */
	if (kill(outer_self, 0) != -1 || errno != ESRCH)
		return 5;
	if (getpgid(0) != 0 || getsid(0) != 0)
		return 6;	/* its group and session are the parent's: not visible here */
	if (kill(1, 0) != 0)
		return 7;
	/* The host's /proc is of the initial namespace: self is the outer number there. */
	if (ns_ino("self", "pid") == ns_ino("1", "pid"))
		return 8;
	r = basic_ids();
	if (r)
		return r;
	if (read(go, &c, 1) != 1)
		return 9;
	/* The parent's SIGUSR1 comes from outside: si_pid 0. */
	for (int i = 0; i < 200 && usr1_from != 0; i++)
		usleep(5000);
	return usr1_from == 0 ? 0 : 10;
}

/* The parent's side: the child's SCM_CREDENTIALS pid is its outer number. */
static pid_t recv_creds_pid(void)
{
	struct ucred uc = { 0, 0, 0 };
	char cbuf[CMSG_SPACE(sizeof(uc))], b;
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *h;

	if (recvmsg(sv[0], &m, 0) != 1 || !(h = CMSG_FIRSTHDR(&m)) || h->cmsg_type != SCM_CREDENTIALS)
		return -1;
	memcpy(&uc, CMSG_DATA(h), sizeof(uc));
	return uc.pid;
}

static void test_basic(void)
{
	int go[2], fd, pfd;
	char want[64], got[256];
	struct stat st;
	pid_t c;

	outer_self = getpid();
	if (pipe(go) || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return;
	setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
	snprintf(want, sizeof(want), "/tmp/t_pidns.lock.%d", getpid());
	mkdir("/tmp", 01777);
	lockfd = open(want, O_RDWR | O_CREAT | O_TRUNC, 0600);
	unlink(want);
	if (lockfd >= 0 && fcntl(lockfd, F_SETLK, &(struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET }))
		close(lockfd), lockfd = -1;
	c = fork_newpid();
	if (c == 0) {
		close(go[1]);
		_exit(basic_init(go[0]));
	}
	close(go[0]);
	CHECK(c > 0, "clone(CLONE_NEWPID) returns the child's pid in the caller's namespace", "got %d errno %s",
	      c, check_errname(errno));
	if (c <= 0)
		return;
	snprintf(want, sizeof(want), "%d\t1", c);
	CHECK(!status_line(c, "NSpid", got, sizeof(got)) && !strcmp(got, want),
	      "/proc/CHILD/status NSpid: the outer pid, then 1", "got \"%s\", want \"%s\"", got, want);
	CHECK(!status_line(c, "NStgid", got, sizeof(got)) && !strcmp(got, want),
	      "/proc/CHILD/status NStgid likewise", "got \"%s\"", got);
	snprintf(want, sizeof(want), "%d\t0", getpgid(0));
	CHECK(!status_line(c, "NSpgid", got, sizeof(got)) && !strcmp(got, want),
	      "NSpgid: its group (the parent's) at each level, 0 inside", "got \"%s\", want \"%s\"", got, want);
	snprintf(want, sizeof(want), "%d\t0", getsid(0));
	CHECK(!status_line(c, "NSsid", got, sizeof(got)) && !strcmp(got, want),
	      "NSsid: the parent's session, 0 inside", "got \"%s\", want \"%s\"", got, want);
	snprintf(want, sizeof(want), "%d", c);
	CHECK(!status_line(c, "Pid", got, sizeof(got)) && !strcmp(got, want),
	      "Pid: is the outer number in the host's /proc", "got \"%s\"", got);
	snprintf(want, sizeof(want), "%d", c);
	CHECK(ns_ino(want, "pid") && ns_ino(want, "pid") != ns_ino("self", "pid"),
	      "the child's ns/pid has a new inode number", "%lu vs %lu", ns_ino(want, "pid"), ns_ino("self", "pid"));
	CHECK_RET(ns_ino(want, "pid_for_children"), ns_ino(want, "pid"),
		  "the child's pid_for_children is its own namespace");
	CHECK_RET(ns_ino("self", "pid_for_children"), ns_ino("self", "pid"),
		  "the parent's pid_for_children is unchanged");
	snprintf(got, sizeof(got), "/proc/%d/ns/pid", c);
	fd = open(got, O_RDONLY);
	pfd = fd >= 0 ? ioctl(fd, NS_GET_PARENT) : -1;
	CHECK(pfd >= 0 && !fstat(pfd, &st) && st.st_ino == ns_ino("self", "pid"),
	      "NS_GET_PARENT of the child's pid namespace is the caller's", "errno %s", check_errname(errno));
	if (pfd >= 0)
		close(pfd);
	if (fd >= 0)
		close(fd);
	CHECK_RET(kill(c, 0), 0, "kill(child, 0) from the parent namespace");
	CHECK_RET(recv_creds_pid(), c, "SCM_CREDENTIALS from inside: the receiver sees the outer pid");
	fd = (int)syscall(434 /* pidfd_open */, c, 0);
	snprintf(want, sizeof(want), "/proc/self/fdinfo/%d", fd);
	CHECK(fd >= 0 && check_read_file(want, got, sizeof(got)) > 0 &&
	      strstr(got, "NSpid:\t") && (snprintf(want, sizeof(want), "NSpid:\t%d\t1\n", c), strstr(got, want)),
	      "a pidfd's fdinfo NSpid: the outer pid, then 1", "%s", got);
	if (fd >= 0)
		close(fd);
	CHECK_RET(write(go[1], "g", 1), 1, "release the child");
	CHECK_RET(kill(c, SIGUSR1), 0, "SIGUSR1 to the child's init, which has a handler");
	close(go[1]);
	CHECK_RET(check_wait_status(c), 0, "inside: getpid 1, getppid 0, gettid 1, grandchild 2, outer pids ESRCH, pgid/sid 0, "
		  "SO_PEERCRED 0, si_pid of inside senders, 0 for outside ones, setsid 1, F_GETLK l_pid 0");
	if (lockfd >= 0)
		close(lockfd);
	close(sv[0]);
	close(sv[1]);
}

/* ---- init's rules ---- */

/* Signals from inside with the default action do not reach init; orphans come to it. */
static int rules_init(void)
{
	pid_t a, b;
	int st, n = 0;

	a = fork();
	if (a == 0) {
		/* Dropped without an error, as Linux: init has no handler. */
		if (kill(1, SIGKILL) || kill(1, SIGTERM) || kill(1, SIGSTOP))
			_exit(1);
		b = fork();
		if (b == 0) {
			/* Orphaned when a exits: adopted by init (getppid 1). */
			for (int i = 0; i < 400 && getppid() != 1; i++)
				usleep(5000);
			_exit(getppid() == 1 ? 0 : 2);
		}
		_exit(b > 0 ? 0 : 3);
	}
	if (a < 0)
		return 10;
	/* Both a and its orphan end up as init's children. */
	while (waitpid(-1, &st, 0) > 0) {
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			return 20 + (WIFEXITED(st) ? WEXITSTATUS(st) : 9);
		n++;
	}
	if (n != 2)
		return 30 + n;
	/* An init may not make siblings. */
	if (syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0) != -1 || errno != EINVAL)
		return 40;
	return 0;
}

static void test_rules(void)
{
	pid_t c = fork_newpid();

	if (c == 0)
		_exit(rules_init());
	CHECK_RET(c > 0 ? check_wait_status(c) : -1, 0,
		  "init ignores SIGKILL/SIGTERM/SIGSTOP from inside, adopts orphans, CLONE_PARENT EINVAL");
}

/* Init's death: every other process of the namespace dies before the parent sees it. */
static void test_death(void)
{
	int alive[2], ready[2], st = 0;
	struct pollfd p;
	pid_t c;
	char b;

	if (pipe(alive) || pipe(ready))
		return;
	c = fork_newpid();
	if (c == 0) {
		close(alive[0]);
		close(ready[0]);
		if (fork() == 0) {
			/* Holds alive[1] until killed. */
			for (;;)
				pause();
		}
		close(alive[1]);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(alive[1]);
	close(ready[1]);
	CHECK_RET(read(ready[0], &b, 1), 1, "the namespace's init started its child");
	CHECK_RET(kill(c, SIGTERM), 0, "SIGTERM to a namespace's init from outside is accepted");
	usleep(20000);
	CHECK_RET(waitpid(c, &st, WNOHANG), 0, "... and dropped: init has no handler for it");
	CHECK_RET(kill(c, SIGKILL), 0, "SIGKILL to init from the parent namespace");
	CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "init dies of SIGKILL", "status %#x", st);
	p = (struct pollfd){ .fd = alive[0], .events = POLLIN };
	CHECK(poll(&p, 1, 2000) == 1 && read(alive[0], &b, 1) == 0,
	      "init's death killed the rest of the namespace (their pipe end is closed)", "still open");
	close(alive[0]);
	close(ready[0]);
	/* An init that ignores SIGCHLD (its children reap themselves) exits with children ending too. */
	c = fork_newpid();
	if (c == 0) {
		signal(SIGCHLD, SIG_IGN);
		for (int i = 0; i < 3; i++)
			if (fork() == 0)
				_exit(0);
		if (fork() == 0)
			for (;;)
				pause();
		_exit(7);
	}
	CHECK_RET(c > 0 ? check_wait_status(c) : -1, 7, "an init with SIGCHLD ignored exits; its namespace ends with it");
}

/* ---- unshare ---- */

static int unshare_child(void)
{
	pid_t me = getpid(), c;

	if (unshare(CLONE_NEWPID))
		return 1;
	if (getpid() != me)
		return 2;	/* the caller stays where it is */
	/* No link until the namespace's init is born (Linux's pidns_for_children_get). */
	if (ns_ino("self", "pid_for_children") != 0 || errno != ENOENT)
		return 3;
	if (unshare(CLONE_NEWPID) != -1 || errno != EINVAL)
		return 4;	/* pid_for_children is not its own any more */
	if (syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, 0, 0, 0) != -1 || errno != EINVAL)
		return 5;	/* a thread cannot live in another namespace */
	c = fork();
	if (c == 0)
		_exit(getpid() == 1 && getppid() == 0 ? 0 : 1);
	if (c <= 0 || check_wait_status(c) != 0)
		return 6;
	if (ns_ino("self", "pid_for_children") == ns_ino("self", "pid") || !ns_ino("self", "pid_for_children"))
		return 8;	/* now it reads the new namespace */
	/* Its init is gone: nothing more can be born there. */
	if (fork() != -1 || errno != ENOMEM)
		return 7;
	return 0;
}

/* The first child's clone fails after it was numbered: the namespace is dead (Linux's free_pid). */
static int failed_init_child(void)
{
	struct clone_args_v1 a = { .flags = CLONE_PIDFD, .pidfd = 1, .exit_signal = SIGCHLD };

	if (unshare(CLONE_NEWPID))
		return 1;
	if (syscall(SYS_clone3, &a, sizeof(a)) != -1 || errno != EFAULT)
		return 2;
	if (fork() != -1 || errno != ENOMEM)
		return 3;
	return 0;
}

static int unshare_eperm_child(void)
{
	if (setresuid(65534, 65534, 65534))
		return 1;
	if (unshare(CLONE_NEWPID) != -1 || errno != EPERM)
		return 2;
	if (fork_newpid() != -1 || errno != EPERM)
		return 3;
	return 0;
}

static void test_unshare(void)
{
	CHECK_RET(check_in_child(unshare_child), 0,
		  "unshare(CLONE_NEWPID): pid_for_children changes, again EINVAL, first child pid 1, then ENOMEM");
	CHECK_RET(check_in_child(unshare_eperm_child), 0, "unshare/clone CLONE_NEWPID without CAP_SYS_ADMIN: EPERM");
	CHECK_RET(check_in_child(failed_init_child), 0,
		  "the first child's clone fails (CLONE_PIDFD at a bad address): later forks there ENOMEM");
	CHECK_ERR(syscall(SYS_clone, CLONE_NEWPID | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, 0, 0, 0), EINVAL,
		  "clone(CLONE_NEWPID | CLONE_THREAD) is EINVAL");
}

/* Nesting: 32 levels below the initial namespace, and no more (ENOSPC since Linux 4.9). */
static int nest_child(void)
{
	for (int level = 1; level <= 32; level++) {
		pid_t c = fork_newpid();

		if (c < 0)
			return 1;
		if (c > 0)
			_exit(check_wait_status(c));
	}
	if (fork_newpid() != -1 || errno != ENOSPC)
		return 2;
	return getpid() == 1 ? 0 : 3;
}

static void test_nesting(void)
{
	CHECK_RET(check_in_child(nest_child), 0, "32 nested pid namespaces; the 33rd is ENOSPC");
}

/* ---- setns ---- */

static int setns_child(void)
{
	char path[64], who[16];
	pid_t c, gc;
	int fd, own, st;

	own = open("/proc/self/ns/pid", O_RDONLY);
	c = fork_newpid();
	if (c == 0) {
		/* The parent's namespace is an ancestor: not joinable from here. */
		_exit(syscall(SYS_setns, own, CLONE_NEWPID) == -1 && errno == EINVAL ? 0 : 1);
	}
	if (c < 0 || check_wait_status(c) != 0)
		return 1;
	c = fork_newpid();
	if (c == 0) {
		for (;;)
			pause();
	}
	snprintf(who, sizeof(who), "%d", c);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", c);
	fd = open(path, O_RDONLY);
	if (fd < 0 || own < 0)
		return 2;
	if (syscall(SYS_setns, own, CLONE_NEWUTS) != -1 || errno != EINVAL)
		return 3;	/* the wrong type */
	if (syscall(SYS_setns, fd, CLONE_NEWPID))
		return 4;
	if (ns_ino("self", "pid_for_children") != ns_ino(who, "pid"))
		return 5;
	gc = fork();
	if (gc == 0)
		_exit(getpid() > 1 && getppid() == 0 ? 0 : 1);	/* in c's namespace, under its init */
	if (gc <= 0 || check_wait_status(gc) != 0)
		return 6;
	/* Back to its own namespace: the caller's, allowed. */
	if (syscall(SYS_setns, own, 0))
		return 7;
	kill(c, SIGKILL);
	if (waitpid(c, &st, 0) != c)
		return 8;
	close(fd);
	close(own);
	return 0;
}

static void test_setns(void)
{
	CHECK_RET(check_in_child(setns_child), 0,
		  "setns to a child pid namespace: the next child lives there; an ancestor is EINVAL");
}

/* ---- procfs inside ---- */

static char mnt[64];

static int procfs_init(void)
{
	char buf[64], path[96], text[2048];
	struct dirent *e;
	int pids = 0, others = 0;
	DIR *d;
	ssize_t n;

	if (mount("proc", mnt, "proc", 0, NULL))
		return 1;
	snprintf(path, sizeof(path), "%s/self", mnt);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n != 1 || buf[0] != '1')
		return 2;
	snprintf(path, sizeof(path), "%s/thread-self", mnt);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0 || (buf[n] = 0, strcmp(buf, "1/task/1")))
		return 3;
	d = opendir(mnt);
	if (!d)
		return 4;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			strcmp(e->d_name, "1") ? others++ : pids++;
	closedir(d);
	if (pids != 1 || others)
		return 5;	/* only this namespace's one process */
	snprintf(path, sizeof(path), "%s/1/status", mnt);
	if (check_read_file(path, text, sizeof(text)) < 0 || !strstr(text, "\nNSpid:\t1\n"))
		return 6;	/* its own number only: the namespace of the instance is its own */
	snprintf(path, sizeof(path), "%s/%d", mnt, outer_self);
	if (access(path, F_OK) == 0 && outer_self != 1)
		return 7;	/* the parent is not there */
	if (umount(mnt))
		return 8;
	return 0;
}

static void test_procfs(void)
{
	pid_t c;

	snprintf(mnt, sizeof(mnt), "/tmp/t_pidns.%d", getpid());
	mkdir("/tmp", 01777);
	if (CHECK_OK(mkdir(mnt, 0755), "mkdir a mount point") < 0)
		return;
	outer_self = getpid();
	c = fork_newpid();
	if (c == 0)
		_exit(procfs_init());
	CHECK_RET(c > 0 ? check_wait_status(c) : -1, 0,
		  "a procfs mounted in the namespace: self is 1, thread-self 1/task/1, only its processes");
	umount(mnt);
	rmdir(mnt);
}

/* ---- clone3 set_tid ---- */

/* clone3 as fork with these numbers: the child exits 0 when getpid() is want. */
static long clone3_tids(uint64_t flags, const pid_t *tids, uint64_t n, pid_t want)
{
	struct clone_args_v1 a = { .flags = flags, .exit_signal = SIGCHLD,
				   .set_tid = (uint64_t)(uintptr_t)tids, .set_tid_size = n };
	long r = syscall(SYS_clone3, &a, sizeof(a));

	if (r == 0)
		_exit(getpid() == want ? 0 : 1);
	return r;
}

/* A number nobody has here: the child's clone3 target. */
static pid_t free_pid(void)
{
	for (pid_t p = 20000 + getpid() % 4000; p < 32000; p++)
		if (kill(p, 0) == -1 && errno == ESRCH)
			return p;
	return -1;
}

static int set_tid_eperm_child(void)
{
	pid_t n = free_pid();

	if (setresuid(65534, 65534, 65534))
		return 1;
	return clone3_tids(0, &n, 1, n) == -1 && errno == EPERM ? 0 : 2;
}

static void test_set_tid(void)
{
	pid_t n = free_pid(), self = getpid(), two[2], zero = 0;
	long r;

	r = clone3_tids(0, &n, 1, n);
	CHECK(r == n && check_wait_status(n) == 0, "clone3 set_tid {N}: the child is N", "got %ld errno %s", r,
	      check_errname(errno));
	CHECK_ERR(clone3_tids(0, &self, 1, 0), EEXIST, "set_tid of a pid in use: EEXIST");
	CHECK_ERR(clone3_tids(0, &zero, 1, 0), EINVAL, "set_tid {0}: EINVAL");
	two[0] = n;
	two[1] = n + 1;
	CHECK_ERR(clone3_tids(0, two, 2, 0), EINVAL, "two numbers for one level: EINVAL");
	CHECK_ERR(clone3_tids(0, BADPTR, 1, 0), EFAULT, "set_tid at a bad address: EFAULT");
	CHECK_ERR(clone3_tids(0, two, 33, 0), EINVAL, "set_tid_size 33: EINVAL");
	two[0] = 2;
	CHECK_ERR(clone3_tids(CLONE_NEWPID, two, 2, 0), EINVAL,
		  "CLONE_NEWPID with set_tid {2, N}: EINVAL, the new namespace has no init");
	two[0] = 1;
	two[1] = n = free_pid();
	r = clone3_tids(CLONE_NEWPID, two, 2, 1);
	CHECK(r == n && check_wait_status(n) == 0, "CLONE_NEWPID with set_tid {1, N}: pid 1 inside, N outside",
	      "got %ld errno %s", r, check_errname(errno));
	CHECK_RET(check_in_child(set_tid_eperm_child), 0, "set_tid without CAP_SYS_ADMIN/CAP_CHECKPOINT_RESTORE: EPERM");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_basic();
	test_rules();
	test_death();
	test_unshare();
	test_nesting();
	test_setns();
	test_procfs();
	test_set_tid();
	return check_done();
}
