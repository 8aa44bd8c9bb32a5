// SPDX-License-Identifier: MPL-2.0
// Namespaces: unshare, clone and clone3 with CLONE_NEWUTS and CLONE_NEWIPC
// (success, EPERM without CAP_SYS_ADMIN, EINVAL for bad combinations),
// setns on /proc/PID/ns files and pidfds (EBADF, EINVAL, EPERM), the
// /proc/PID/ns links and the nsfs files they open (st_ino, NS_GET_* ioctls),
// what a UTS namespace isolates (uname, sethostname, /proc/sys/kernel/
// hostname) and an IPC namespace (SysV ids, keys, /proc/sysvipc, limits),
// and that a namespace lives while an open file or an attached segment
// holds it.  Runs as root; every change happens in a child.
#include "check.h"
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <signal.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_mq_open
#define SYS_mq_open 240
#define SYS_mq_unlink 241
#endif
#ifndef SYS_setns
#define SYS_setns 308
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP	0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif
/* <linux/nsfs.h>, which musl lacks: Linux's values. */
#define NS_GET_USERNS		0xb701
#define NS_GET_PARENT		0xb702
#define NS_GET_NSTYPE		0xb703
#define NS_GET_OWNER_UID	0xb704

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static const char *const ns_names[] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
	"user", "uts",
};

/* The inode number in /proc/PID/ns/NAME's text "NAME:[N]" (pid 0: self), 0 on error. */
static unsigned long ns_ino(int pid, const char *name)
{
	char path[64], buf[64], want[32];
	unsigned long ino = 0;
	ssize_t n;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, name);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* pid_for_children reads "pid:[N]", time_for_children "time:[N]". */
	snprintf(want, sizeof(want), "%.*s:[%%lu]", (int)strcspn(name, "_"), name);
	if (sscanf(buf, want, &ino) != 1)
		return 0;
	return ino;
}

static int wait_status(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run fn in a child: its exit status (0: every step as expected, else the failed step's number). */
static int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	return pid < 0 ? -1 : wait_status(pid);
}

static void hostname_now(char *buf, size_t size)
{
	struct utsname u;

	uname(&u);
	snprintf(buf, size, "%s", u.nodename);
}

/* ---- /proc/PID/ns and nsfs ---- */

static void test_links(void)
{
	char path[64], buf[64];
	int all = 1;

	for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++) {
		unsigned long self = ns_ino(0, ns_names[i]);

		if (!self || self != ns_ino(1, ns_names[i]))
			all = 0;
	}
	CHECK(all, "every /proc/self/ns link reads NAME:[N], the same as init's", "a link differs or is malformed");
	CHECK_RET(ns_ino(0, "uts"), 4026531838UL, "the initial UTS namespace is Linux's 4026531838");
	CHECK_RET(ns_ino(0, "ipc"), 4026531839UL, "the initial IPC namespace is Linux's 4026531839");
	CHECK_RET(ns_ino(0, "user"), 4026531837UL, "the initial user namespace is 4026531837");
	CHECK_RET(ns_ino(0, "pid"), 4026531836UL, "the initial PID namespace is 4026531836");
	CHECK_RET(ns_ino(0, "cgroup"), 4026531835UL, "the initial cgroup namespace is 4026531835");
	CHECK_RET(ns_ino(0, "pid_for_children"), ns_ino(0, "pid"), "pid_for_children is the pid namespace");
	snprintf(path, sizeof(path), "/proc/self/ns/uts");
	CHECK_RET(readlink(path, buf, sizeof(buf)), 16, "readlink of ns/uts is \"uts:[4026531838]\" (16 bytes)");
	CHECK_ERR(readlink("/proc/self/ns/nosuch", buf, sizeof(buf)), ENOENT, "/proc/self/ns/nosuch is ENOENT");
}

static void test_nsfs(void)
{
	static const struct { const char *name; int type; } types[] = {
		{ "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC }, { "mnt", CLONE_NEWNS },
		{ "net", CLONE_NEWNET }, { "pid", CLONE_NEWPID }, { "cgroup", CLONE_NEWCGROUP },
		{ "user", CLONE_NEWUSER },
	};
	struct stat st, st2;
	char path[64], buf[64];
	uint32_t uid = 77;
	int fd, ufd, good = 1;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", types[i].name);
		fd = open(path, O_RDONLY);
		if (fd < 0 || ioctl(fd, NS_GET_NSTYPE) != types[i].type ||
		    fstat(fd, &st) || (unsigned long)st.st_ino != ns_ino(0, types[i].name))
			good = 0;
		if (fd >= 0)
			close(fd);
	}
	CHECK(good, "each ns file's NS_GET_NSTYPE is its CLONE_NEW* type and st_ino its number", "mismatch");
	fd = CHECK_OK(open("/proc/self/ns/uts", O_RDONLY), "open /proc/self/ns/uts");
	if (fd < 0)
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(buf, 0, sizeof(buf));
	CHECK(readlink(path, buf, sizeof(buf) - 1) > 0 && !strcmp(buf, "uts:[4026531838]"),
	      "/proc/self/fd/N of an nsfs file reads uts:[4026531838]", "got %s", buf);
	CHECK_OK(stat("/proc/self/ns/uts", &st), "stat follows the link");
	CHECK_OK(fstat(fd, &st2), "fstat of the nsfs file");
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev && S_ISREG(st2.st_mode),
	      "stat and fstat agree: a regular file of nsfs", "ino %lu/%lu", (unsigned long)st.st_ino,
	      (unsigned long)st2.st_ino);
	CHECK_ERR(ioctl(fd, NS_GET_PARENT), EINVAL, "NS_GET_PARENT of a UTS namespace is EINVAL (not hierarchical)");
	CHECK_ERR(ioctl(fd, NS_GET_OWNER_UID, &uid), EINVAL, "NS_GET_OWNER_UID of a UTS namespace is EINVAL");
	CHECK_ERR(ioctl(fd, 0xb7ff), ENOTTY, "an unknown nsfs ioctl is ENOTTY");
	ufd = CHECK_OK(ioctl(fd, NS_GET_USERNS), "NS_GET_USERNS gives the owning user namespace");
	if (ufd >= 0) {
		CHECK(!fstat(ufd, &st) && (unsigned long)st.st_ino == ns_ino(0, "user"),
		      "... the initial user namespace", "ino %lu", (unsigned long)st.st_ino);
		CHECK_RET(ioctl(ufd, NS_GET_NSTYPE), CLONE_NEWUSER, "... of type CLONE_NEWUSER");
		CHECK_ERR(ioctl(ufd, NS_GET_PARENT), EPERM, "the initial user namespace has no parent: EPERM");
		CHECK_ERR(ioctl(ufd, NS_GET_USERNS), EPERM, "nor an owner: EPERM");
		CHECK_RET(ioctl(ufd, NS_GET_OWNER_UID, &uid), 0, "NS_GET_OWNER_UID of the user namespace");
		CHECK_RET(uid, 0, "... is root");
		CHECK_RET(fcntl(ufd, F_GETFD), FD_CLOEXEC, "... the new descriptor is close-on-exec");
		close(ufd);
	}
	close(fd);
	fd = open("/proc/self/ns/pid", O_RDONLY);
	CHECK_ERR(ioctl(fd, NS_GET_PARENT), EPERM, "the initial PID namespace's parent is EPERM");
	close(fd);
	CHECK_ERR(ioctl(0, NS_GET_NSTYPE), ENOTTY, "NS_GET_NSTYPE on a file that is not nsfs is ENOTTY");
}

/* ---- UTS ---- */

static char host0[65];

static int uts_child(void *arg)
{
	unsigned long before = ns_ino(0, "uts");
	char buf[128];

	(void)arg;
	if (unshare(CLONE_NEWUTS))
		return 1;
	if (ns_ino(0, "uts") == before || !ns_ino(0, "uts"))
		return 2;
	hostname_now(buf, sizeof(buf));
	if (strcmp(buf, host0))
		return 3;	/* a new namespace starts with the parent's names */
	if (sethostname("c1", 2) || setdomainname("dom1", 4))
		return 4;
	hostname_now(buf, sizeof(buf));
	if (strcmp(buf, "c1"))
		return 5;
	if (check_write_file("/proc/sys/kernel/hostname", "c2\n"))
		return 6;
	if (check_read_file("/proc/sys/kernel/hostname", buf, sizeof(buf)) < 0 || strcmp(buf, "c2\n"))
		return 7;
	hostname_now(buf, sizeof(buf));
	return strcmp(buf, "c2") ? 8 : 0;
}

static int clone_uts_child(void *arg)
{
	long r = syscall(SYS_clone, (unsigned long)(CLONE_NEWUTS | SIGCHLD), NULL, NULL, NULL, 0UL);

	(void)arg;
	if (r < 0)
		return 1;
	if (r == 0) {
		char buf[128];

		sethostname("viaclone", 8);
		hostname_now(buf, sizeof(buf));
		_exit(strcmp(buf, "viaclone") ? 1 : 0);
	}
	if (wait_status((pid_t)r))
		return 2;
	return 0;
}

static int clone3_ipc_child(void *arg)
{
	struct clone_args_v0 ca = { .flags = CLONE_NEWIPC | CLONE_NEWUTS, .exit_signal = SIGCHLD };
	unsigned long ipc = ns_ino(0, "ipc");
	long r = syscall(SYS_clone3, &ca, sizeof(ca));

	(void)arg;
	if (r < 0)
		return 1;
	if (r == 0)
		_exit(ns_ino(0, "ipc") != ipc && ns_ino(0, "ipc") ? 0 : 1);
	return wait_status((pid_t)r) ? 2 : 0;
}

/* Without CAP_SYS_ADMIN (setuid to nobody drops it): every way in is EPERM. */
static int eperm_child(void *arg)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY);
	struct clone_args_v0 ca = { .flags = CLONE_NEWIPC, .exit_signal = SIGCHLD };

	(void)arg;
	if (fd < 0 || setuid(65534))
		return 1;
	if (unshare(CLONE_NEWUTS) != -1 || errno != EPERM)
		return 2;
	if (unshare(CLONE_NEWIPC) != -1 || errno != EPERM)
		return 3;
	if (syscall(SYS_clone, (unsigned long)(CLONE_NEWUTS | SIGCHLD), NULL, NULL, NULL, 0UL) != -1 ||
	    errno != EPERM)
		return 4;
	if (syscall(SYS_clone3, &ca, sizeof(ca)) != -1 || errno != EPERM)
		return 5;
	if (syscall(SYS_setns, fd, CLONE_NEWUTS) != -1 || errno != EPERM)
		return 6;
	if (sethostname("x", 1) != -1 || errno != EPERM)
		return 7;
	/* Flags that need no privilege still work. */
	if (unshare(CLONE_FILES | CLONE_FS | CLONE_SYSVSEM))
		return 8;
	return 0;
}

static void test_uts(void)
{
	char buf[128];

	hostname_now(host0, sizeof(host0));
	CHECK_RET(in_child(uts_child, NULL), 0, "unshare(CLONE_NEWUTS): own hostname, domainname and /proc/sys/kernel/hostname");
	hostname_now(buf, sizeof(buf));
	CHECK(!strcmp(buf, host0), "... the parent's host name is unchanged", "now %s, was %s", buf, host0);
	CHECK_RET(in_child(clone_uts_child, NULL), 0, "clone(CLONE_NEWUTS): the child names its own host");
	hostname_now(buf, sizeof(buf));
	CHECK(!strcmp(buf, host0), "... the parent's host name is unchanged", "now %s", buf);
	CHECK_RET(in_child(clone3_ipc_child, NULL), 0, "clone3(CLONE_NEWIPC | CLONE_NEWUTS): a new IPC namespace");
	CHECK_RET(in_child(eperm_child, NULL), 0, "without CAP_SYS_ADMIN: unshare, clone, clone3, setns, sethostname are EPERM");
}

/* ---- flags ---- */

static int flags_child(void *arg)
{
	long r;

	(void)arg;
	if (unshare(0x1) != -1 || errno != EINVAL)
		return 1;	/* CSIGNAL bits are no unshare flag */
	if (unshare(0x80000000UL) != -1 || errno != EINVAL)
		return 2;
	r = syscall(SYS_clone, (unsigned long)(CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD), NULL, NULL, NULL, 0UL);
	if (r == 0)
		_exit(0);
	if (r != -1 || errno != EINVAL)
		return 3;
	r = syscall(SYS_clone, (unsigned long)(CLONE_NEWNS | CLONE_FS | SIGCHLD), NULL, NULL, NULL, 0UL);
	if (r == 0)
		_exit(0);
	if (r != -1 || errno != EINVAL)
		return 4;
	if (unshare(0))
		return 5;
	if (unshare(CLONE_FILES) || unshare(CLONE_FS) || unshare(CLONE_SYSVSEM))
		return 6;
	/* Single-threaded: "unsharing" threads, handlers and memory is allowed. */
	if (unshare(CLONE_THREAD) || unshare(CLONE_SIGHAND) || unshare(CLONE_VM))
		return 7;
	return 0;
}

/* Types this kernel has not built fail as Linux's do when not configured (EINVAL); Linux has them. */
static int other_types_child(void *arg)
{
	static const int types[] = { CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME };

	(void)arg;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(unshare(types[i]) == 0 || errno == EINVAL ? 0 : 1);
		if (wait_status(pid))
			return (int)i + 1;
	}
	return 0;
}

static void test_flags(void)
{
	CHECK_RET(in_child(flags_child, NULL), 0, "unshare/clone flags: unknown EINVAL, NEWIPC|SYSVSEM and NEWNS|FS EINVAL, FILES/FS/SYSVSEM/THREAD/VM ok");
	CHECK_RET(in_child(other_types_child, NULL), 0, "unshare of mnt, pid, net, cgroup, time: success or EINVAL (not built)");
}

/* ---- setns ---- */

static int setns_child(void *arg)
{
	int fd = *(int *)arg, ipcfd, tmp;
	char buf[128];

	if (unshare(CLONE_NEWUTS) || sethostname("c3", 2))
		return 1;
	if (syscall(SYS_setns, fd, CLONE_NEWIPC) != -1 || errno != EINVAL)
		return 2;	/* the wrong type */
	if (syscall(SYS_setns, -1, 0) != -1 || errno != EBADF)
		return 3;
	if (syscall(SYS_setns, 1000, 0) != -1 || errno != EBADF)
		return 4;
	tmp = open("/proc/self/stat", O_RDONLY);
	if (syscall(SYS_setns, tmp, 0) != -1 || errno != EINVAL)
		return 5;	/* neither nsfs nor a pidfd */
	close(tmp);
	if (syscall(SYS_setns, fd, CLONE_NEWUTS))
		return 6;
	hostname_now(buf, sizeof(buf));
	if (strcmp(buf, host0))
		return 7;
	ipcfd = open("/proc/self/ns/ipc", O_RDONLY);
	if (syscall(SYS_setns, ipcfd, 0))
		return 8;	/* nstype 0: any type */
	return 0;
}

/* A namespace held only by an open file survives its last process. */
static int lifetime_child(void *arg)
{
	int p2c[2], c2p[2], fd;
	char path[64], c, buf[128];
	pid_t pid;

	(void)arg;
	if (pipe(p2c) || pipe(c2p))
		return 1;
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUTS) || sethostname("keep", 4))
			_exit(1);
		if (write(c2p[1], "r", 1) != 1 || read(p2c[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (read(c2p[0], &c, 1) != 1)
		return 2;
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 3;
	if (write(p2c[1], "g", 1) != 1 || wait_status(pid))
		return 4;
	if (syscall(SYS_setns, fd, CLONE_NEWUTS))
		return 5;
	hostname_now(buf, sizeof(buf));
	return strcmp(buf, "keep") ? 6 : 0;
}

/* setns through a pidfd (Linux 5.8): the namespaces of that process. */
static int pidfd_child(void *arg)
{
	int p2c[2], c2p[2], pfd;
	char c, buf[128];
	pid_t pid;

	(void)arg;
	if (pipe(p2c) || pipe(c2p))
		return 1;
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUTS) || sethostname("pa", 2))
			_exit(1);
		if (write(c2p[1], "r", 1) != 1 || read(p2c[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (read(c2p[0], &c, 1) != 1)
		return 2;
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return 3;
	if (syscall(SYS_setns, pfd, 0) != -1 || errno != EINVAL)
		return 4;	/* a pidfd needs flags */
	if (syscall(SYS_setns, pfd, 0x1) != -1 || errno != EINVAL)
		return 5;	/* not a namespace flag */
	if (syscall(SYS_setns, pfd, CLONE_NEWUTS))
		return 6;
	hostname_now(buf, sizeof(buf));
	if (strcmp(buf, "pa"))
		return 7;
	if (ns_ino(0, "uts") != ns_ino(pid, "uts"))
		return 8;
	if (write(p2c[1], "g", 1) != 1 || wait_status(pid))
		return 9;
	return 0;
}

static void test_setns(void)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY);
	char buf[128];

	CHECK_RET(in_child(setns_child, &fd), 0, "setns: back to the parent's UTS namespace; EINVAL and EBADF paths");
	hostname_now(buf, sizeof(buf));
	CHECK(!strcmp(buf, host0), "... the parent's host name is unchanged", "now %s", buf);
	close(fd);
	CHECK_RET(in_child(lifetime_child, NULL), 0, "an open ns file keeps a namespace after its last process");
	CHECK_RET(in_child(pidfd_child, NULL), 0, "setns(pidfd, CLONE_NEWUTS) joins that process's namespace");
}

/* ---- IPC ---- */

#define KEY	0x4e53ab01

struct ipc_ids { int shm, msg, sem; };

static int count_lines(const char *path)
{
	char buf[4096];
	int n = 0;

	if (check_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (char *p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

static int ipc_child(void *arg)
{
	struct ipc_ids *ids = arg;
	struct shmid_ds sd;
	char buf[64];
	int id;

	if (unshare(CLONE_NEWIPC))
		return 1;
	if (shmctl(ids->shm, IPC_STAT, &sd) != -1 || errno != EINVAL)
		return 2;	/* the parent's segment is not here */
	if (msgget(KEY, 0) != -1 || errno != ENOENT)
		return 3;	/* nor its key */
	if (semctl(ids->sem, 0, GETVAL) != -1 || errno != EINVAL)
		return 4;
	if (count_lines("/proc/sysvipc/shm") != 1 || count_lines("/proc/sysvipc/msg") != 1)
		return 5;	/* the header only */
	id = msgget(KEY, IPC_CREAT | 0600);
	if (id < 0 || count_lines("/proc/sysvipc/msg") != 2)
		return 6;
	if (check_write_file("/proc/sys/kernel/msgmni", "7"))
		return 7;
	if (check_read_file("/proc/sys/kernel/msgmni", buf, sizeof(buf)) < 0 || strcmp(buf, "7\n"))
		return 8;
	/* POSIX message queues: the parent's name is not here, ours will not be there. */
	if (syscall(SYS_mq_open, "t_ns_q", O_RDWR, 0600, NULL) != -1 || errno != ENOENT)
		return 10;
	if (syscall(SYS_mq_open, "t_ns_child_q", O_RDWR | O_CREAT | O_EXCL, 0600, NULL) < 0)
		return 11;
	/* Objects left behind go with the namespace. */
	if (shmget(IPC_PRIVATE, 4096, 0600) < 0 || semget(IPC_PRIVATE, 2, 0600) < 0)
		return 9;
	return 0;
}

/* A segment still attached keeps its namespace after the process left it. */
static int ipc_attached_child(void *arg)
{
	int back = *(int *)arg, id;
	char *p;

	if (unshare(CLONE_NEWIPC))
		return 1;
	id = shmget(IPC_PRIVATE, 4096, 0600);
	p = shmat(id, NULL, 0);
	if (id < 0 || p == (void *)-1)
		return 2;
	strcpy(p, "kept");
	if (shmctl(id, IPC_RMID, NULL))
		return 3;
	if (syscall(SYS_setns, back, CLONE_NEWIPC))
		return 4;
	if (strcmp(p, "kept"))
		return 6;
	return shmdt(p) ? 7 : 0;
}

/* Leaving an IPC namespace (or unsharing SEM_UNDO) applies the undo adjustments, as exit does. */
static int undo_child(void *arg)
{
	int sem = *(int *)arg, c2p[2], p2c[2];
	struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO };
	char c;
	pid_t pid;

	if (semop(sem, &up, 1) || semctl(sem, 0, GETVAL) != 1)
		return 1;
	if (unshare(CLONE_SYSVSEM) || semctl(sem, 0, GETVAL) != 0)
		return 2;	/* unshare(CLONE_SYSVSEM) is Linux's exit_sem */
	if (pipe(c2p) || pipe(p2c))
		return 3;
	pid = fork();
	if (pid == 0) {
		if (semop(sem, &up, 1) || unshare(CLONE_NEWIPC))
			_exit(1);
		if (write(c2p[1], "u", 1) != 1 || read(p2c[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (read(c2p[0], &c, 1) != 1)
		return 4;
	/* The grandchild lives on in its new namespace: its adjustment was applied on leaving. */
	if (semctl(sem, 0, GETVAL) != 0)
		return 5;
	if (write(p2c[1], "g", 1) != 1 || wait_status(pid))
		return 6;
	return 0;
}

static void test_ipc(void)
{
	struct ipc_ids ids;
	char before[64], after[64];
	int lines, fd, mq;

	ids.shm = shmget(IPC_PRIVATE, 4096, 0600);
	ids.msg = msgget(KEY, IPC_CREAT | IPC_EXCL | 0600);
	ids.sem = semget(IPC_PRIVATE, 1, 0600);
	if (ids.shm < 0 || ids.msg < 0 || ids.sem < 0) {
		check_skip("IPC namespaces", "cannot create SysV objects");
		return;
	}
	mq = (int)syscall(SYS_mq_open, "t_ns_q", O_RDWR | O_CREAT, 0600, NULL);
	lines = count_lines("/proc/sysvipc/msg");
	check_read_file("/proc/sys/kernel/msgmni", before, sizeof(before));
	CHECK_RET(in_child(ipc_child, &ids), 0, "unshare(CLONE_NEWIPC): no parent ids, keys or mqueues, own /proc/sysvipc and msgmni");
	CHECK_RET(count_lines("/proc/sysvipc/msg"), lines, "... the parent's /proc/sysvipc/msg is unchanged");
	check_read_file("/proc/sys/kernel/msgmni", after, sizeof(after));
	CHECK(!strcmp(before, after), "... and its msgmni", "%s became %s", before, after);
	CHECK_RET(msgget(KEY, 0), ids.msg, "... its key still names its own queue");
	CHECK_ERR(syscall(SYS_mq_open, "t_ns_child_q", O_RDWR, 0600, NULL), ENOENT,
		  "... the child's POSIX message queue is not in the parent's namespace");
	if (mq >= 0) {
		close(mq);
		syscall(SYS_mq_unlink, "t_ns_q");
	}
	CHECK_RET(in_child(undo_child, &ids.sem), 0, "unshare(CLONE_SYSVSEM) and unshare(CLONE_NEWIPC) apply SEM_UNDO");
	fd = open("/proc/self/ns/ipc", O_RDONLY);
	CHECK_RET(in_child(ipc_attached_child, &fd), 0, "an attached segment outlives leaving its IPC namespace");
	close(fd);
	shmctl(ids.shm, IPC_RMID, NULL);
	msgctl(ids.msg, IPC_RMID, NULL);
	semctl(ids.sem, 0, IPC_RMID);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_links();
	test_nsfs();
	test_uts();
	test_flags();
	test_setns();
	test_ipc();
	return check_done();
}
