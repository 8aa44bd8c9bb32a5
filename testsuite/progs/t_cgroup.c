// SPDX-License-Identifier: MPL-2.0
/*
 * t_cgroup -- cgroup v2: mount -t cgroup2 (statfs's magic; a second mount
 * shows the same tree; /sys/fs/cgroup exists in sysfs), the root's files
 * (no pids.max there), mkdir and rmdir (EBUSY while populated or with
 * children), moving processes by cgroup.procs (/proc/PID/cgroup,
 * cgroup.events), cgroup.threads (EOPNOTSUPP across cgroups), delegation
 * (the common ancestor's cgroup.procs must be writable: EACCES), the
 * subtree_control rules (ENOENT, EBUSY for a controller a child passes on,
 * the no-internal-process rule with a populated child), the pids
 * controller (a pids.max of 5 stops a fork loop at exactly 5 with EAGAIN;
 * pids.current, pids.events), cgroup.max.descendants (EAGAIN),
 * cgroup.stat, clone3's CLONE_INTO_CGROUP (and its EBADF and EINVAL),
 * /proc/cgroups, and EINVAL for malformed writes.
 *
 * The test mounts its own cgroup2 at a private directory; cgroup2 is a
 * single hierarchy, so on Linux it is the same tree as any other mount.
 */
#include "check.h"
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define T_CGROUP2_MAGIC	0x63677270
#define T_CLONE_INTO_CGROUP 0x200000000ULL

struct t_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

static char mnt[64], mnt2[64], top[160], buf[4096];

static int wait_status(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* top/rel/file into p. */
static const char *path(char *p, size_t n, const char *rel, const char *file)
{
	snprintf(p, n, "%s%s%s%s%s", top, rel[0] ? "/" : "", rel, file[0] ? "/" : "", file);
	return p;
}

static long rd(const char *rel, const char *file)
{
	char p[256];

	return check_read_file(path(p, sizeof(p), rel, file), buf, sizeof(buf));
}

static int wr(const char *rel, const char *file, const char *s)
{
	char p[256];

	return check_write_file(path(p, sizeof(p), rel, file), s);
}

static int wr_pid(const char *rel, pid_t pid)
{
	char s[24];

	snprintf(s, sizeof(s), "%d\n", pid);
	return wr(rel, "cgroup.procs", s);
}

/* Into the root cgroup (mixable: processes may live beside populated children). */
static int to_root(pid_t pid)
{
	char p[256], s[24];

	snprintf(p, sizeof(p), "%s/cgroup.procs", mnt);
	snprintf(s, sizeof(s), "%d\n", pid);
	return check_write_file(p, s);
}

static int mk(const char *rel)
{
	char p[256];

	return mkdir(path(p, sizeof(p), rel, ""), 0755);
}

static int rm(const char *rel)
{
	char p[256];

	return rmdir(path(p, sizeof(p), rel, ""));
}

static int exists(const char *rel, const char *file)
{
	char p[256];
	struct stat st;

	return stat(path(p, sizeof(p), rel, file), &st) == 0;
}

/* Is pid a line of rel's cgroup.procs? */
static int lists(const char *rel, pid_t pid)
{
	char want[24];

	snprintf(want, sizeof(want), "%d", pid);
	if (rd(rel, "cgroup.procs") < 0)
		return 0;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (!strcmp(l, want))
			return 1;
	return 0;
}

/* A child that waits until killed. */
static pid_t sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	(void)wait_status(pid);
}

static void test_mount(void)
{
	struct statfs sf;
	struct stat st;
	char p[256];

	CHECK(stat("/sys/fs/cgroup", &st) == 0 && S_ISDIR(st.st_mode), "/sys/fs/cgroup is a directory",
	      "errno %s", check_errname(errno));
	snprintf(mnt, sizeof(mnt), "/tmp/t_cgroup.%d", getpid());
	snprintf(mnt2, sizeof(mnt2), "/tmp/t_cgroup2.%d", getpid());
	mkdir("/tmp", 01777);
	CHECK_OK(mkdir(mnt, 0755), "mkdir the mount point");
	CHECK_OK(mkdir(mnt2, 0755), "mkdir a second mount point");
	CHECK_RET(mount("none", mnt, "cgroup2", 0, NULL), 0, "mount -t cgroup2");
	CHECK_ERR(mount("none", mnt2, "cgroup2", 0, "nosuchoption"), EINVAL, "an unknown option: EINVAL");
	CHECK_RET(mount("none", mnt2, "cgroup2", 0, NULL), 0, "mount -t cgroup2 again");
	CHECK(statfs(mnt, &sf) == 0 && sf.f_type == T_CGROUP2_MAGIC, "statfs: CGROUP2_SUPER_MAGIC",
	      "f_type %#lx", (unsigned long)sf.f_type);
	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", mnt);
	CHECK_RET(check_write_file(p, "+pids"), 0, "enable pids at the root");
	snprintf(top, sizeof(top), "%s/t_cgroup.%d", mnt, getpid());
	CHECK_OK(mkdir(top, 0755), "mkdir a cgroup");
	snprintf(p, sizeof(p), "%s/t_cgroup.%d/cgroup.procs", mnt2, getpid());
	CHECK(stat(p, &st) == 0 && S_ISREG(st.st_mode), "the second mount shows the same tree",
	      "errno %s", check_errname(errno));
	CHECK_ERR(mkdir(top, 0755), EEXIST, "mkdir of an existing cgroup: EEXIST");
	CHECK_ERR(mk("new\nline"), EINVAL, "a name with a newline: EINVAL");
	CHECK_RET(wr("", "cgroup.subtree_control", "+pids"), 0, "enable pids below it");
	snprintf(p, sizeof(p), "%s/somefile", top);
	CHECK(open(p, O_CREAT | O_WRONLY, 0644) < 0, "no regular files can be created", "it was");
}

static void test_root(void)
{
	snprintf(buf, sizeof(buf), "%s/cgroup.controllers", mnt);
	CHECK(check_read_file(buf, buf, sizeof(buf)) > 0 && strstr(buf, "pids"),
	      "the root's cgroup.controllers lists pids", "%s", buf);
	snprintf(buf, sizeof(buf), "%s/pids.max", mnt);
	CHECK(access(buf, F_OK) < 0 && errno == ENOENT, "the root has no pids.max", "it has");
	snprintf(buf, sizeof(buf), "%s/cgroup.events", mnt);
	CHECK(access(buf, F_OK) < 0 && errno == ENOENT, "the root has no cgroup.events", "it has");
	CHECK(check_read_file("/proc/self/cgroup", buf, sizeof(buf)) > 0 && !strncmp(buf, "0::/", 4),
	      "/proc/self/cgroup is 0::/...", "%s", buf);
	CHECK(check_read_file("/proc/cgroups", buf, sizeof(buf)) > 0 &&
	      !strncmp(buf, "#subsys_name\thierarchy\tnum_cgroups\tenabled\n", 43) && strstr(buf, "\npids\t"),
	      "/proc/cgroups lists pids", "%s", buf);
}

static void test_files(void)
{
	DIR *d;
	struct dirent *e;
	int procs = 0;

	CHECK(rd("", "cgroup.type") > 0 && !strcmp(buf, "domain\n"), "cgroup.type: domain", "%s", buf);
	CHECK(rd("", "cgroup.events") > 0 && !strcmp(buf, "populated 0\nfrozen 0\n"),
	      "cgroup.events of an empty cgroup", "%s", buf);
	CHECK(rd("", "cgroup.controllers") > 0 && strstr(buf, "pids"), "its cgroup.controllers", "%s", buf);
	CHECK(rd("", "cgroup.subtree_control") > 0 && !strcmp(buf, "pids\n"), "its cgroup.subtree_control",
	      "%s", buf);
	CHECK(rd("", "pids.max") > 0 && !strcmp(buf, "max\n"), "pids.max starts at max", "%s", buf);
	CHECK(rd("", "pids.current") > 0 && !strcmp(buf, "0\n"), "pids.current: 0", "%s", buf);
	CHECK(rd("", "cgroup.max.depth") > 0 && !strcmp(buf, "max\n"), "cgroup.max.depth: max", "%s", buf);
	CHECK(rd("", "cgroup.stat") > 0 && !strncmp(buf, "nr_descendants 0\nnr_dying_descendants ", 38),
	      "cgroup.stat", "%s", buf);
	d = opendir(top);
	while (d && (e = readdir(d)))
		procs += !strcmp(e->d_name, "cgroup.procs") || !strcmp(e->d_name, "pids.max");
	if (d)
		closedir(d);
	CHECK(procs == 2, "readdir lists cgroup.procs and pids.max", "%d of 2", procs);
	CHECK_ERR(wr("", "pids.max", "-1"), EINVAL, "pids.max -1: EINVAL");
	CHECK_ERR(wr("", "pids.max", "lots"), EINVAL, "pids.max lots: EINVAL");
	CHECK_ERR(wr("", "cgroup.subtree_control", "pids"), EINVAL, "subtree_control without +/-: EINVAL");
	CHECK_ERR(wr("", "cgroup.subtree_control", "+nosuch"), EINVAL, "an unknown controller: EINVAL");
	CHECK_ERR(wr("", "cgroup.procs", "abc"), EINVAL, "cgroup.procs abc: EINVAL");
	CHECK_ERR(wr("", "cgroup.procs", "-3"), EINVAL, "cgroup.procs -3: EINVAL");
	CHECK_ERR(wr("", "cgroup.procs", "4194000"), ESRCH, "cgroup.procs of no process: ESRCH");
	CHECK_ERR(wr("", "cgroup.max.depth", "-2"), ERANGE, "cgroup.max.depth -2: ERANGE");
	CHECK_ERR(wr("", "cgroup.max.descendants", "many"), EINVAL, "cgroup.max.descendants many: EINVAL");
	CHECK_ERR(wr("", "cgroup.type", "domain"), EINVAL, "cgroup.type domain: EINVAL");
	{
		char p[256];
		int fd = open(path(p, sizeof(p), "", "pids.max"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

		/* What a shell's > does. */
		CHECK(fd >= 0 && write(fd, "100\n", 4) == 4, "pids.max 100 by O_CREAT|O_TRUNC",
		      "errno %s", check_errname(errno));
		if (fd >= 0)
			close(fd);
	}
	CHECK(rd("", "pids.max") > 0 && !strcmp(buf, "100\n"), "pids.max reads 100", "%s", buf);
	CHECK_RET(wr("", "pids.max", "max"), 0, "pids.max max");
}

/* Move a sleeper in and out: cgroup.procs, /proc/PID/cgroup, events, rmdir EBUSY. */
static void test_migrate(void)
{
	pid_t c = sleeper();
	char p[64], want[200];

	CHECK_OK(mk("a"), "mkdir a");
	CHECK_RET(wr_pid("a", c), 0, "write a pid to a/cgroup.procs");
	CHECK(lists("a", c), "a/cgroup.procs lists it", "%s", buf);
	snprintf(p, sizeof(p), "/proc/%d/cgroup", c);
	snprintf(want, sizeof(want), "0::/t_cgroup.%d/a\n", getpid());
	CHECK(check_read_file(p, buf, sizeof(buf)) > 0 && !strcmp(buf, want), "/proc/PID/cgroup", "%s", buf);
	CHECK(rd("a", "cgroup.events") > 0 && !strcmp(buf, "populated 1\nfrozen 0\n"),
	      "a is populated", "%s", buf);
	CHECK(rd("", "cgroup.events") > 0 && !strcmp(buf, "populated 1\nfrozen 0\n"),
	      "so is its parent", "%s", buf);
	CHECK(rd("a", "pids.current") > 0 && !strcmp(buf, "1\n"), "a's pids.current: 1", "%s", buf);
	CHECK_ERR(rm("a"), EBUSY, "rmdir of a populated cgroup: EBUSY");
	CHECK_ERR(wr("a", "cgroup.threads", "0"), EOPNOTSUPP,
		  "cgroup.threads: a thread cannot leave its process's cgroup");
	CHECK_RET(to_root(c), 0, "move it back to the root");
	CHECK(!lists("a", c), "it moved", "%s", buf);
	CHECK(rd("a", "pids.current") > 0 && !strcmp(buf, "0\n"), "its charge moved too", "%s", buf);
	CHECK_OK(mk("a/b"), "mkdir a/b");
	{
		char o[256], n[256];

		/* Linux: a cgroup cannot move to another parent (EIO); renaming is not built here (EPERM). */
		CHECK(rename(path(o, sizeof(o), "a/b", ""), path(n, sizeof(n), "b", "")) < 0,
		      "rename a/b to another parent fails", "it moved");
	}
	CHECK_ERR(rm("a"), EBUSY, "rmdir of a cgroup with children: EBUSY");
	CHECK_RET(rm("a/b"), 0, "rmdir a/b");
	CHECK_RET(rm("a"), 0, "rmdir a");
	CHECK(!exists("a", ""), "a is gone", "it is not");
	reap(c);
}

/* A fork loop in a cgroup with pids.max 5 stops at exactly 5 tasks. */
static int fork_loop(void)
{
	pid_t kids[16];
	int n = 0, err = 0, rc;

	if (wr_pid("p", 0))
		return 100;
	while (n < 16) {
		pid_t k = fork();

		if (k == 0) {
			for (;;)
				pause();
		}
		if (k < 0) {
			err = errno;
			break;
		}
		kids[n++] = k;
	}
	rc = n;
	if (err != EAGAIN)
		rc = 101;
	else if (rd("p", "pids.current") < 0 || strcmp(buf, "5\n"))
		rc = 102;
	else if (rd("p", "pids.events") < 0 || strcmp(buf, "max 1\n"))
		rc = 103;
	while (n > 0)
		reap(kids[--n]);
	return rc;
}

static int pipe_fds[2];

static void *thread_wait(void *arg)
{
	char c;

	(void)arg;
	while (read(pipe_fds[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* Threads count: with pids.max 2, one thread fits and the second is EAGAIN. */
static int thread_loop(void)
{
	pthread_t t1, t2;
	int rc = 0, e, lines = 0;

	if (wr_pid("t", 0) || pipe(pipe_fds))
		return 100;
	if (pthread_create(&t1, NULL, thread_wait, NULL))
		return 101;
	if (rd("t", "pids.current") < 0 || strcmp(buf, "2\n"))
		rc = 102;
	e = pthread_create(&t2, NULL, thread_wait, NULL);
	if (!rc && e != EAGAIN)
		rc = 103;
	if (!rc && rd("t", "cgroup.threads") > 0)
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
			lines++;
	if (!rc && lines != 2)
		rc = 104;
	if (write(pipe_fds[1], "xx", 2) != 2)
		rc = 105;
	pthread_join(t1, NULL);
	if (!e)
		pthread_join(t2, NULL);
	return rc;
}

static void test_pids(void)
{
	pid_t tl, l;

	CHECK_OK(mk("t"), "mkdir t");
	CHECK_RET(wr("t", "pids.max", "2"), 0, "t's pids.max 2");
	tl = fork();
	if (tl == 0)
		_exit(thread_loop());
	CHECK_RET(wait_status(tl), 0, "threads are charged: the second is EAGAIN, cgroup.threads lists 2");
	CHECK_RET(rm("t"), 0, "rmdir t");
	CHECK_OK(mk("p"), "mkdir p");
	CHECK_RET(wr("p", "pids.max", "5"), 0, "pids.max 5");
	l = fork();
	if (l == 0)
		_exit(fork_loop());
	CHECK_RET(wait_status(l), 4, "4 forks then EAGAIN: 5 tasks (codes 101-103: errno, current, events)");
	CHECK(rd("p", "pids.current") > 0 && !strcmp(buf, "0\n"), "pids.current is 0 once all are reaped",
	      "%s", buf);
	CHECK_RET(rm("p"), 0, "rmdir p");
}

static long clone3_into(int fd, size_t size)
{
	struct t_clone_args a = { .flags = T_CLONE_INTO_CGROUP, .exit_signal = SIGCHLD,
				  .cgroup = (uint64_t)(int64_t)fd };

	long r = syscall(SYS_clone3, &a, size);

	if (r == 0)
		_exit(99);	/* a child where none was wanted */
	if (r > 0)
		(void)wait_status((pid_t)r);
	return r;
}

static long clone3_child(int fd)
{
	struct t_clone_args a = { .flags = T_CLONE_INTO_CGROUP, .exit_signal = SIGCHLD,
				  .cgroup = (uint64_t)fd };

	return syscall(SYS_clone3, &a, sizeof(a));
}

/* clone3 CLONE_INTO_CGROUP: the child starts in the cgroup, past its pids.max too. */
static void test_clone_into(void)
{
	char p[256], want[200];
	int fd, ffd;
	long pid;

	CHECK_OK(mk("c"), "mkdir c");
	fd = open(path(p, sizeof(p), "c", ""), O_RDONLY | O_DIRECTORY);
	CHECK_OK(fd, "open c");
	snprintf(want, sizeof(want), "0::/t_cgroup.%d/c\n", getpid());
	pid = clone3_child(fd);
	if (pid == 0) {
		long n = check_read_file("/proc/self/cgroup", buf, sizeof(buf));

		_exit(n > 0 && !strcmp(buf, want) ? 0 : 1);
	}
	CHECK(pid > 0, "clone3 CLONE_INTO_CGROUP", "errno %s", check_errname(errno));
	if (pid > 0)
		CHECK_RET(wait_status((pid_t)pid), 0, "the child starts in the cgroup");
	ffd = open(path(p, sizeof(p), "c", "cgroup.procs"), O_RDONLY);
	CHECK_ERR(clone3_into(ffd, sizeof(struct t_clone_args)), EBADF, "a control file's fd: EBADF");
	close(ffd);
	ffd = open("/", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(clone3_into(ffd, sizeof(struct t_clone_args)), EBADF, "another file system's directory: EBADF");
	close(ffd);
	CHECK_ERR(clone3_into(-1, sizeof(struct t_clone_args)), EINVAL, "a negative fd: EINVAL");
	CHECK_ERR(clone3_into(fd, 80), EINVAL, "a struct without the cgroup field: EINVAL");
	CHECK_RET(wr("c", "pids.max", "0"), 0, "c's pids.max 0");
	CHECK_ERR(clone3_into(fd, sizeof(struct t_clone_args)), EAGAIN, "into a full cgroup: EAGAIN");
	CHECK(rd("c", "pids.events") > 0 && !strcmp(buf, "max 1\n"), "counted in pids.events", "%s", buf);
	close(fd);
	CHECK_RET(rm("c"), 0, "rmdir c");
}

/* subtree_control: ENOENT, EBUSY, and the no-internal-process rule. */
static void test_subtree(void)
{
	pid_t x = sleeper(), y = sleeper();

	CHECK_OK(mk("s"), "mkdir s");
	CHECK_OK(mk("s/x"), "mkdir s/x");
	CHECK(!exists("s/x", "pids.max"), "s/x has no pids.max while s does not enable it", "it has");
	CHECK_ERR(wr("s/x", "cgroup.subtree_control", "+pids"), ENOENT,
		  "+pids where the parent does not enable it: ENOENT");
	CHECK_RET(wr_pid("s/x", x), 0, "a process into s/x");
	CHECK_RET(wr_pid("s", y), 0, "another into s");
	CHECK_ERR(wr("s", "cgroup.subtree_control", "+pids"), EBUSY,
		  "+pids with processes and a populated child: EBUSY");
	CHECK_RET(to_root(y), 0, "move it out of s");
	CHECK_RET(wr("s", "cgroup.subtree_control", "+pids"), 0, "+pids in s");
	CHECK(rd("s", "cgroup.subtree_control") > 0 && !strcmp(buf, "pids\n"), "s's subtree_control", "%s", buf);
	CHECK(exists("s/x", "pids.max"), "s/x has pids.max now", "it has not");
	CHECK(rd("s/x", "pids.current") > 0 && !strcmp(buf, "1\n"), "s/x's pids.current", "%s", buf);
	CHECK_ERR(wr_pid("s", y), EBUSY, "no process may join s now: EBUSY");
	CHECK_RET(wr("s/x", "cgroup.subtree_control", "+pids"), 0, "+pids in s/x");
	CHECK_ERR(wr("s", "cgroup.subtree_control", "-pids"), EBUSY, "-pids while s/x passes it on: EBUSY");
	CHECK_RET(wr("s/x", "cgroup.subtree_control", "-pids"), 0, "-pids in s/x");
	CHECK_RET(to_root(x), 0, "move the process out of s/x");
	CHECK_RET(wr("s", "cgroup.subtree_control", "-pids"), 0, "-pids in s");
	CHECK(!exists("s/x", "pids.max"), "s/x's pids files went", "they stay");
	CHECK_RET(wr("s", "cgroup.max.descendants", "1"), 0, "s's cgroup.max.descendants 1");
	CHECK_ERR(mk("s/y"), EAGAIN, "a second descendant: EAGAIN");
	CHECK(rd("s", "cgroup.stat") > 0 && !strncmp(buf, "nr_descendants 1\n", 17), "s's cgroup.stat",
	      "%s", buf);
	CHECK_RET(rm("s/x"), 0, "rmdir s/x");
	CHECK_RET(rm("s"), 0, "rmdir s");
	reap(x);
	reap(y);
}

/* Delegation: nobody may open a cgroup.procs it owns, but not leave a cgroup root owns. */
static void test_delegation(void)
{
	char p[256];
	pid_t c;

	CHECK_OK(mk("d"), "mkdir d");
	CHECK_OK(chown(path(p, sizeof(p), "d", "cgroup.procs"), 65534, 65534), "chown d/cgroup.procs nobody");
	c = fork();
	if (c == 0) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (check_write_file(path(p, sizeof(p), "", "cgroup.procs"), "0") == 0 || errno != EACCES)
			_exit(11);
		fd = open(path(p, sizeof(p), "d", "cgroup.procs"), O_WRONLY);
		if (fd < 0)
			_exit(12);
		/* The common ancestor (top) is root's: EACCES at the write. */
		if (write(fd, "0", 1) >= 0 || errno != EACCES)
			_exit(13);
		_exit(0);
	}
	CHECK_RET(wait_status(c), 0, "EACCES opening root's cgroup.procs, and writing an owned one");
	CHECK_RET(rm("d"), 0, "rmdir d");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_mount();
	test_root();
	test_files();
	test_migrate();
	test_pids();
	test_clone_into();
	test_subtree();
	test_delegation();
	CHECK_RET(rmdir(top), 0, "rmdir the test's cgroup");
	CHECK_RET(umount(mnt2), 0, "umount the second mount");
	CHECK_RET(umount(mnt), 0, "umount");
	rmdir(mnt2);
	rmdir(mnt);
	return check_done();
}
