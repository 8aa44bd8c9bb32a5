/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_proc -- processes: fork/vfork/wait4, exit statuses, execve (argv, envp,
 * close-on-exec, ENOENT/EACCES/ENOEXEC), ids, process groups and sessions,
 * uname, umask, rlimits (RLIMIT_NPROC for a non-root user), prctl (names,
 * dumpable, no_new_privs across fork, the parent-death signal, child
 * subreapers), getrandom, sysinfo and load averages, times, sched_yield,
 * arch_prctl, syslog (the kernel log, as dmesg reads it), nice values and
 * scheduling policies, CPU affinity, personality; /proc/PID/cwd and fd of a
 * child while it exits.
 */
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <dirent.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/klog.h>
#include <sys/personality.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <dirent.h>
#include <stdbool.h>
#include <time.h>

#define T_ARCH_SET_FS 0x1002
#define T_ARCH_GET_FS 0x1003
#define T_GRND_NONBLOCK 1

extern char **environ;

/* A raw two-argument syscall that touches neither errno nor TLS. */
static long raw2(long nr, long a, long b)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The exec'd child: check argv and envp, and that fd argv[4] was closed. */
static int exec_child(int argc, char **argv)
{
	int bad = 0;
	if (argc != 5 || strcmp(argv[2], "a b") != 0 || strcmp(argv[3], "") != 0)
		bad |= 1;
	int n = 0;
	for (char **e = environ; *e; e++)
		n++;
	if (n != 2 || strcmp(environ[0], "FOO=bar") != 0 || strcmp(environ[1], "EMPTY=") != 0)
		bad |= 2;
	if (argc == 5 && fcntl(atoi(argv[4]), F_GETFD) != -1)
		bad |= 4;
	if (argc == 5 && fcntl(atoi(argv[4]) + 1, F_GETFD) == -1)
		bad |= 8;
	return bad ? 100 + bad : 42;
}

/* The exec'd child with an empty environment: argv ends, then envp does. */
static int exec_noenv_child(int argc, char **argv)
{
	if (argc != 3 || argv[3] != NULL || strcmp(argv[2], "x") != 0)
		return 101;
	return environ && environ[0] == NULL ? 43 : 102;
}

/* The exec'd child: a new image starts with the default FPU/SSE control state. */
static int exec_fpu_child(void)
{
	uint32_t mxcsr;
	uint16_t cw;

	__asm__ volatile("stmxcsr %0; fnstcw %1" : "=m"(mxcsr), "=m"(cw));
	return (mxcsr == 0x1f80 ? 0 : 1) | (cw == 0x37f ? 0 : 2) | 44;
}

/* Run FN in a child; return its wait status (or -1). */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* RLIMIT_NPROC as uid 1000: 0 or the failing step. */
static int child_nproc(void)
{
	struct rlimit rl = { 1, 1 };

	if (setrlimit(RLIMIT_NPROC, &rl))
		return 1;
	if (setgid(1000) || setuid(1000))
		return 2;
	if (fork() != -1 || errno != EAGAIN)
		return 3;	/* this process is the user's only allowed one */
	rl.rlim_cur = 2;
	rl.rlim_max = 2;
	if (setrlimit(RLIMIT_NPROC, &rl) == 0 || errno != EPERM)
		return 4;	/* raising the hard limit needs privilege */
	rl.rlim_cur = 1;
	rl.rlim_max = 1;
	if (setrlimit(RLIMIT_NPROC, &rl))
		return 5;
	/* vfork and clone count too. */
	if (vfork() != -1 || errno != EAGAIN)
		return 6;
	return 0;
}

static volatile sig_atomic_t pdeath_got;
static void on_pdeath(int sig)
{
	pdeath_got = sig;
}

/*
 * A grandchild with PR_SET_PDEATHSIG gets its signal when its parent exits
 * and is adopted by the subreaper (this child): 0 or the failing step.
 */
static int child_pdeath_subreaper(void)
{
	int pf[2], ready[2], st = -1, sr = 0;
	pid_t mid, me = getpid();
	char c = 0;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		return 1;
	if (prctl(PR_GET_CHILD_SUBREAPER, &sr) != 0 || sr != 1)
		return 2;
	if (pipe(pf) || pipe(ready))
		return 3;
	mid = fork();
	if (mid == 0) {
		pid_t g = fork();

		if (g == 0) {
			int s = 0;

			signal(SIGUSR1, on_pdeath);
			if (prctl(PR_SET_PDEATHSIG, SIGUSR1) || prctl(PR_GET_PDEATHSIG, &s) || s != SIGUSR1)
				_exit(1);
			if (write(ready[1], "r", 1) != 1)	/* let the parent die */
				_exit(1);
			for (int i = 0; i < 1000 && !pdeath_got; i++)
				usleep(10000);
			c = pdeath_got == SIGUSR1 && getppid() == me ? 'y' : 'n';
			if (write(pf[1], &c, 1) != 1)
				_exit(1);
			_exit(7);
		}
		if (read(ready[0], &c, 1) != 1)
			_exit(1);
		_exit(0);	/* the grandchild is orphaned now */
	}
	close(pf[1]);
	if (waitpid(mid, &st, 0) != mid || !WIFEXITED(st))
		return 4;
	if (read(pf[0], &c, 1) != 1)
		return 5;
	if (c != 'y')
		return 6;	/* no signal, or not adopted by us */
	if (waitpid(-1, &st, 0) <= 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 7)
		return 7;	/* the subreaper waits for its adopted grandchild */
	return 0;
}

/* PR_SET_DUMPABLE and PR_SET_NO_NEW_PRIVS: 0 or the failing step. */
static int child_prctl_flags(void)
{
	int st = -1;
	pid_t pid;

	if (prctl(PR_GET_DUMPABLE) != 1)
		return 1;
	if (prctl(PR_SET_DUMPABLE, 0) || prctl(PR_GET_DUMPABLE) != 0)
		return 2;
	if (prctl(PR_SET_DUMPABLE, 2) != -1 || errno != EINVAL)
		return 3;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return 4;
	pid = fork();
	if (pid == 0)
		_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 && prctl(PR_GET_DUMPABLE) == 0 ? 0 : 1);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 5;	/* both are inherited by fork */
	if (prctl(PR_SET_PDEATHSIG, 65) != -1 || errno != EINVAL)
		return 6;
	return 0;
}

/*
 * Spinning for 6 s spans at least one of the 5-second load samples: the
 * 1-minute average is above zero then, in sysinfo and /proc/loadavg.
 */
static void test_load_average(void)
{
	struct timespec t0, t1;
	struct sysinfo si;
	char buf[128];
	double l1 = -1, l5 = -1, l15 = -1;
	int running = -1, threads = -1, last = -1;
	volatile unsigned long x = 0;
	int fd;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			x++;
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while (t1.tv_sec - t0.tv_sec < 6);
	CHECK(sysinfo(&si) == 0 && si.loads[0] > 0, "sysinfo: the 1-minute load is above 0 after a busy spell",
	      "loads %lu %lu %lu", si.loads[0], si.loads[1], si.loads[2]);
	fd = open("/proc/loadavg", O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	CHECK(sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &threads, &last) == 6 &&
	      l1 > 0 && running >= 1 && threads >= running && last > 0,
	      "/proc/loadavg: three averages, running/threads, last pid", "'%s'", buf);
}

/* syslog(2) for an unprivileged user: EPERM (dmesg_restrict). 0 or the failing step. */
static int child_syslog_user(void)
{
	char buf[64];

	if (setgid(1000) || setuid(1000))
		return 1;
	if (klogctl(3, buf, sizeof(buf)) != -1 || errno != EPERM)
		return 2;
	return 0;
}

static void test_syslog(void)
{
	static char buf[256 * 1024];
	int size = klogctl(10, NULL, 0), n, st;

	CHECK(size >= 4096, "syslog SIZE_BUFFER", "got %d errno %d", size, errno);
	n = klogctl(3, buf, sizeof(buf) - 1);
	CHECK(n > 0 && n <= size, "syslog READ_ALL returns the log", "got %d errno %d", n, errno);
	buf[n > 0 ? n : 0] = 0;
	CHECK(n > 0 && buf[0] == '<' && buf[2] == '>' && buf[3] == '[' && strchr(buf, '\n'),
	      "syslog lines start <level>[time]", "'%.40s'", buf);
	CHECK(klogctl(3, buf, 10) <= 10, "syslog READ_ALL honours a short length", "more");
	CHECK(klogctl(9, NULL, 0) >= 0, "syslog SIZE_UNREAD", "errno %d", errno);
	CHECK_ERR(klogctl(11, buf, 10), EINVAL, "syslog bad action EINVAL");
	CHECK_ERR(klogctl(3, NULL, 10), EINVAL, "syslog READ_ALL NULL buffer EINVAL");
	CHECK_ERR(klogctl(3, buf, -1), EINVAL, "syslog READ_ALL negative length EINVAL");
	CHECK_ERR(klogctl(8, NULL, 0), EINVAL, "syslog CONSOLE_LEVEL 0 EINVAL");
	CHECK_ERR(klogctl(8, NULL, 9), EINVAL, "syslog CONSOLE_LEVEL 9 EINVAL");
	/* Whole records only: a length that surely holds the last one. */
	CHECK_ERR(syscall(SYS_syslog, 3, BADPTR, 8192), EFAULT, "syslog READ_ALL bad buffer EFAULT");
	/* READ consumes: what it returns is no longer unread (never blocks here: only when some is). */
	int unread = klogctl(9, NULL, 0);
	if (unread > 0) {
		n = klogctl(2, buf, 64);
		CHECK(n > 0 && n <= 64, "syslog READ takes unread messages", "got %d errno %d", n, errno);
		int left = klogctl(9, NULL, 0);
		/* (new messages may have come meanwhile, but not many) */
		CHECK(left >= 0 && left <= unread - n + 512, "syslog SIZE_UNREAD drops by what READ took",
		      "%d unread, read %d, %d left", unread, n, left);
	}
	/* (CLEAR is not tried: later programs of the run read the log too.) */
	st = in_child(child_syslog_user);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "syslog as an unprivileged user EPERM",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
}

/*
 * /proc/PID of a process that dropped root (trinity as nobody reads its own
 * /proc/self/fd, and crashed when our procfs refused it: every /proc/PID
 * entry belonged to root).  A process may always list its own descriptors;
 * a dumpable one's entries belong to its effective ids (Linux makes a
 * process that changed ids non-dumpable: PR_SET_DUMPABLE puts that back).
 * 0 or the failing step.
 */
static int child_proc_self_user(void)
{
	struct dirent *e;
	struct stat sb;
	int seen = 0;
	DIR *d;

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return 1;
	d = opendir("/proc/self/fd");
	if (!d)
		return 2;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			seen++;
	closedir(d);
	if (seen == 0)
		return 3;
	if (prctl(PR_SET_DUMPABLE, 1) != 0)
		return 4;
	if (stat("/proc/self/", &sb) != 0 || sb.st_uid != 65534 || sb.st_gid != 65534)
		return 5;
	if (stat("/proc/self/fd", &sb) != 0 || sb.st_uid != 65534)
		return 6;
	if (stat("/proc/1", &sb) != 0 || sb.st_uid != 0)
		return 7;
	return 0;
}

static void test_proc_self_user(void)
{
	int st = in_child(child_proc_self_user);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "/proc/self/fd readable after dropping root; /proc/PID owned by the euid",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
}

/* Nice and policies as uid 1000, in its own process group: 0 or the failing step. */
static int child_sched_user(void)
{
	struct sched_param sp = { .sched_priority = 10 };

	if (setpgid(0, 0) || setgid(1000) || setuid(1000))
		return 1;
	errno = 0;
	if (getpriority(PRIO_PROCESS, 0) != 6 || errno)
		return 2;	/* inherited from the parent */
	if (setpriority(PRIO_PROCESS, 0, 0) != -1 || errno != EACCES)
		return 3;	/* only root lowers nice */
	if (setpriority(PRIO_PGRP, 0, 10) || getpriority(PRIO_PGRP, 0) != 10)
		return 4;
	if (setpriority(PRIO_PROCESS, 1, 10) != -1 || errno != EPERM)
		return 5;	/* another user's process */
	if (syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp) != -1 || errno != EPERM)
		return 6;
	sp.sched_priority = 0;
	if (syscall(SYS_sched_setscheduler, 1, SCHED_OTHER, &sp) != -1 || errno != EPERM)
		return 7;	/* another user's process */
	return 0;
}

/* A child sees the affinity its parent set (Linux's dup_task_struct copies it). */
static int child_affinity_inherited(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	return CPU_COUNT(&set) == 1 && CPU_ISSET(0, &set) ? 0 : 2;
}

/* sched_setaffinity stores a mask, getaffinity reports it over the online CPUs. */
static void test_affinity(void)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	uint32_t small = 1;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK_RET(sched_setaffinity(0, sizeof(set), &set), 0, "sched_setaffinity {0}");
	CPU_ZERO(&set);
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 1 && CPU_ISSET(0, &set),
	      "sched_getaffinity after {0}: exactly CPU 0", "count %d", CPU_COUNT(&set));
	CHECK_RET(in_child(child_affinity_inherited), 0, "a child inherits the affinity mask");
	/* Every bit set: the mask reported is the online CPUs. */
	memset(&set, 0xff, sizeof(set));
	CHECK_RET(sched_setaffinity(0, sizeof(set), &set), 0, "sched_setaffinity every CPU");
	CPU_ZERO(&set);
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == online,
	      "sched_getaffinity after every CPU: the online CPUs", "count %d, online %ld",
	      CPU_COUNT(&set), online);
	/* A mask shorter than the kernel's is zero-extended. */
	CHECK_RET(syscall(SYS_sched_setaffinity, 0, sizeof(small), &small), 0,
		  "sched_setaffinity with a 4-byte mask");
	CHECK_ERR(syscall(SYS_sched_setaffinity, 0, sizeof(set), (void *)8), EFAULT,
		  "sched_setaffinity bad pointer EFAULT");
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, sizeof(set), (void *)8), EFAULT,
		  "sched_getaffinity bad pointer EFAULT");
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 4, &set), EINVAL,
		  "sched_getaffinity with a 4-byte buffer EINVAL");
	memset(&set, 0xff, sizeof(set));
	sched_setaffinity(0, sizeof(set), &set);
}

static void test_sched(void)
{
	/* Raw syscalls: musl's wrappers of the policy calls say ENOSYS by design. */
	struct sched_param sp = { .sched_priority = 0 };
	cpu_set_t set;
	struct timespec ts;
	int st;

	errno = 0;
	CHECK(getpriority(PRIO_PROCESS, 0) == 0 && errno == 0, "getpriority: nice 0", "errno %d", errno);
	CHECK_RET(setpriority(PRIO_PROCESS, 0, 5), 0, "setpriority nice 5");
	CHECK_RET(getpriority(PRIO_PROCESS, 0), 5, "getpriority reads nice 5");
	CHECK_RET(syscall(SYS_getpriority, PRIO_PROCESS, 0), 15, "the raw getpriority returns 20 - nice");
	CHECK_RET(nice(1), 6, "nice(1) adds one");
	st = in_child(child_sched_user);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "nice inherited; EACCES lowering it, EPERM for others, PRIO_PGRP; SCHED_FIFO EPERM unprivileged",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
	CHECK_RET(setpriority(PRIO_PROCESS, 0, 0), 0, "root lowers nice back to 0");
	CHECK_ERR(setpriority(99, 0, 0), EINVAL, "setpriority bad which EINVAL");
	CHECK_ERR(getpriority(PRIO_PROCESS, 999999), ESRCH, "getpriority no such process ESRCH");

	CHECK_RET(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER, "sched_getscheduler SCHED_OTHER");
	CHECK_RET(syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp), 0, "sched_setscheduler SCHED_BATCH");
	CHECK_RET(syscall(SYS_sched_getscheduler, 0), SCHED_BATCH, "sched_getscheduler reads SCHED_BATCH");
	CHECK_RET(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp), 0, "back to SCHED_OTHER");
	sp.sched_priority = 5;
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp), EINVAL, "SCHED_OTHER with a priority EINVAL");
	CHECK_ERR(syscall(SYS_sched_setparam, 0, &sp), EINVAL, "sched_setparam priority 5 under SCHED_OTHER EINVAL");
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, 77, &sp), EINVAL, "sched_setscheduler bad policy EINVAL");
	CHECK(syscall(SYS_sched_getparam, 0, &sp) == 0 && sp.sched_priority == 0, "sched_getparam priority 0",
	      "errno %d priority %d", errno, sp.sched_priority);
	CHECK_ERR(syscall(SYS_sched_getscheduler, 999999), ESRCH, "sched_getscheduler no such process ESRCH");
	CHECK_RET(sched_get_priority_max(SCHED_FIFO), 99, "sched_get_priority_max SCHED_FIFO");
	CHECK_RET(sched_get_priority_min(SCHED_RR), 1, "sched_get_priority_min SCHED_RR");
	CHECK_RET(sched_get_priority_max(SCHED_OTHER), 0, "sched_get_priority_max SCHED_OTHER");
	CHECK_ERR(sched_get_priority_max(77), EINVAL, "sched_get_priority_max bad policy EINVAL");
	CHECK_RET(sched_get_priority_max(6), 0, "sched_get_priority_max SCHED_DEADLINE: 0");
	CHECK_RET(sched_get_priority_min(6), 0, "sched_get_priority_min SCHED_DEADLINE: 0");
	CHECK_RET(sched_rr_get_interval(0, &ts), 0, "sched_rr_get_interval");

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK_RET(sched_setaffinity(0, sizeof(set), &set), 0, "sched_setaffinity CPU 0");
	/* No machine here has CPU_SETSIZE CPUs: the mask's last CPU is never online. */
	CPU_ZERO(&set);
	CPU_SET(CPU_SETSIZE - 1, &set);
	CHECK_ERR(sched_setaffinity(0, sizeof(set), &set), EINVAL, "sched_setaffinity without an online CPU EINVAL");
	CHECK_ERR(sched_getaffinity(999999, sizeof(set), &set), ESRCH, "sched_getaffinity no such process ESRCH");
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_ISSET(0, &set), "sched_getaffinity has CPU 0",
	      "errno %d", errno);
	test_affinity();

	/* sched_setattr / sched_getattr (struct sched_attr, 48 bytes in its first version) */
	struct { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t prio;
		 uint64_t runtime, deadline, period; uint32_t umin, umax; } attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = 48;
	attr.policy = SCHED_BATCH;
	attr.nice = 3;
	CHECK_RET(syscall(SYS_sched_setattr, 0, &attr, 0), 0, "sched_setattr SCHED_BATCH nice 3");
	memset(&attr, 0xff, sizeof(attr));
	CHECK_RET(syscall(SYS_sched_getattr, 0, &attr, 48, 0), 0, "sched_getattr");
	CHECK(attr.size == 48 && attr.policy == SCHED_BATCH && attr.nice == 3 && attr.prio == 0,
	      "sched_getattr reads them back", "size %u policy %u nice %d", attr.size, attr.policy, attr.nice);
	CHECK_RET(getpriority(PRIO_PROCESS, 0), 3, "sched_setattr's nice is the nice value");
	attr.size = 48;
	attr.policy = SCHED_OTHER;
	attr.nice = 0;
	CHECK_RET(syscall(SYS_sched_setattr, 0, &attr, 0), 0, "sched_setattr back to SCHED_OTHER nice 0");
	attr.size = 40;
	CHECK_ERR(syscall(SYS_sched_setattr, 0, &attr, 0), E2BIG, "sched_setattr size too small E2BIG");
	CHECK(attr.size >= 48, "E2BIG writes the kernel's size back", "size %u", attr.size);
	attr.size = 48;
	CHECK_ERR(syscall(SYS_sched_setattr, 0, &attr, 1), EINVAL, "sched_setattr flags argument EINVAL");
	CHECK_ERR(syscall(SYS_sched_getattr, 0, &attr, 16, 0), EINVAL, "sched_getattr size below 48 EINVAL");

	CHECK_RET(personality(0xffffffff), PER_LINUX, "personality query: PER_LINUX");
	CHECK_RET(personality(PER_LINUX | ADDR_NO_RANDOMIZE), PER_LINUX, "personality set returns the old one");
	CHECK_RET(personality(0xffffffff), PER_LINUX | ADDR_NO_RANDOMIZE, "personality reads back");
	personality(PER_LINUX);
}

/* Root ignores RLIMIT_NPROC: 0 or the failing step. */
static int child_nproc_root(void)
{
	struct rlimit rl = { 1, 1 };
	int st = -1;
	pid_t pid;

	if (setrlimit(RLIMIT_NPROC, &rl))
		return 1;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	return 0;
}

static int child_session(void)
{
	pid_t me = getpid();
	if (setsid() != me) return 1;
	if (getsid(0) != me || getpgid(0) != me || getpgrp() != me) return 2;
	if (setsid() != -1 || errno != EPERM) return 3;
	if (getsid(getppid()) == me) return 4;
	return 0;
}

static int child_pgid(void)
{
	pid_t me = getpid();
	if (getpgid(0) == me) return 1;
	if (setpgid(0, 0) != 0) return 2;
	if (getpgid(0) != me || getpgid(me) != me) return 3;
	if (setpgid(0, -1) != -1 || errno != EINVAL) return 4;
	return 0;
}

/* A proc link of an exiting process: a name, or ENOENT once it is gone. */
static bool proc_link_ok(const char *path)
{
	char buf[256];
	ssize_t n = readlink(path, buf, sizeof buf - 1);

	if (n < 0)
		return errno == ENOENT;
	buf[n] = 0;
	return n > 0;
}

/*
 * /proc/PID/cwd, /proc/PID/fd and /proc/PID/fd/N of children while they
 * exit: the exit drops the descriptor table and the fs context (whose cwd,
 * a removed directory, has no other reference) at any moment, so the
 * reader must hold references of its own (the kernel's checked build
 * reports a use after free else).
 */
/* PR_SET_TIMERSLACK, /proc/PID/timerslack_ns, and restart_syscall with nothing to restart. */
static void test_timerslack(void)
{
	char buf[64];
	int st;
	pid_t c;

	CHECK_RET(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 50000, "timer slack: 50 us by default");
	CHECK(check_read_file("/proc/self/timerslack_ns", buf, sizeof(buf)) > 0 && !strcmp(buf, "50000\n"),
	      "/proc/self/timerslack_ns: 50000", "'%s'", buf);
	CHECK_RET(prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0), 0, "PR_SET_TIMERSLACK 1000");
	CHECK_RET(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 1000, "PR_GET_TIMERSLACK: 1000");
	c = fork();
	if (c == 0) {
		/* Inherited, and what 0 resets to is the value at fork. */
		if (prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) != 1000 || prctl(PR_SET_TIMERSLACK, 7, 0, 0, 0) != 0 ||
		    prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0) != 0 || prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) != 1000)
			_exit(1);
		_exit(0);
	}
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a child inherits the slack; 0 resets it to its value at fork", "status %#x", st);
	CHECK_RET(check_write_file("/proc/self/timerslack_ns", "2000\n"), 0, "write /proc/self/timerslack_ns");
	CHECK_RET(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 2000, "prctl sees the /proc write");
	CHECK_ERR(check_write_file("/proc/self/timerslack_ns", "x"), EINVAL, "timerslack_ns junk: EINVAL");
	CHECK_ERR(check_write_file("/proc/self/timerslack_ns", "0x10"), EINVAL, "timerslack_ns is decimal only");
	CHECK_ERR(check_write_file("/proc/self/timerslack_ns", "18446744073709551616"), ERANGE,
		  "timerslack_ns past 2^64-1: ERANGE");
	CHECK_RET(prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0), 0, "PR_SET_TIMERSLACK 0");
	CHECK_RET(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 50000, "0 resets it to the default");
	CHECK_ERR(syscall(SYS_restart_syscall), EINTR, "restart_syscall with nothing to restart: EINTR");
}

static void test_proc_of_exiting_child(void)
{
	long bad = 0, rounds = 0;

	for (int i = 0; i < 40; i++) {
		char dir[64], cwd[64], fds[64], fd0[64], c;
		int go[2], st;
		pid_t pid;

		snprintf(dir, sizeof dir, "/tmp/t_proc_exit.%d.%d", (int)getpid(), i);
		if (pipe(go))
			break;
		pid = fork();
		if (pid == 0) {
			if (mkdir(dir, 0755) || chdir(dir) || rmdir(dir))
				_exit(1);
			write(go[1], "x", 1);
			for (int k = 0; k < 200; k++)
				getppid();
			_exit(0);
		}
		close(go[1]);
		read(go[0], &c, 1);
		close(go[0]);
		snprintf(cwd, sizeof cwd, "/proc/%d/cwd", (int)pid);
		snprintf(fds, sizeof fds, "/proc/%d/fd", (int)pid);
		snprintf(fd0, sizeof fd0, "/proc/%d/fd/1", (int)pid);
		while (waitpid(pid, &st, WNOHANG) == 0) {
			DIR *d = opendir(fds);

			if (d) {
				while (readdir(d))
					;
				closedir(d);
			} else if (errno != ENOENT) {
				bad++;
			}
			bad += !proc_link_ok(cwd) + !proc_link_ok(fd0);
			rounds++;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	CHECK(bad == 0, "/proc/PID/cwd and fd of an exiting child: names or ENOENT",
	      "%ld bad in %ld rounds", bad, rounds);
}

static int child_fs(void)
{
	static uint64_t area[4] = { 0x1122334455667788ULL, 2, 3, 4 };
	long old = 0, now = 0, val;
	if (raw2(SYS_arch_prctl, T_ARCH_GET_FS, (long)&old) != 0 || old == 0)
		return 1;
	if (raw2(SYS_arch_prctl, T_ARCH_SET_FS, (long)area) != 0)
		return 2;
	raw2(SYS_arch_prctl, T_ARCH_GET_FS, (long)&now);
	__asm__ volatile("mov %%fs:0, %0" : "=r"(val));
	long bad = raw2(SYS_arch_prctl, T_ARCH_SET_FS, (long)0x8000000000000000UL);
	raw2(SYS_arch_prctl, T_ARCH_SET_FS, old);
	if (now != (long)area) return 3;
	if ((uint64_t)val != area[0]) return 4;
	if (bad != -EPERM) return 5;
	if (raw2(SYS_arch_prctl, 0x9999, 0) != -EINVAL) return 6;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--exec-child") == 0)
		return exec_child(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--exec-noenv") == 0)
		return exec_noenv_child(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--exec-fpu") == 0)
		return exec_fpu_child();
	check_init(argv[0]);
	int st;

	/* ids */
	pid_t me = getpid();
	CHECK(me > 0, "getpid > 0", "got %d", me);
	CHECK_RET(syscall(SYS_gettid), me, "gettid == getpid in the main thread");
	CHECK(getppid() > 0, "getppid > 0", "got %d", getppid());

	/* fork, wait4, exit statuses */
	int pfd[2];
	pipe(pfd);
	pid_t pid = fork();
	if (pid == 0) {
		pid_t r[2] = { getpid(), getppid() };
		write(pfd[1], r, sizeof r);
		_exit(7);
	}
	CHECK(pid > 0, "fork", "got %d errno %d", pid, errno);
	pid_t r[2] = { 0, 0 };
	read(pfd[0], r, sizeof r);
	CHECK(r[0] == pid && r[1] == me, "child sees its pid and parent pid",
	      "child pid %d/%d, ppid %d/%d", r[0], pid, r[1], me);
	struct rusage ru;
	CHECK_RET(wait4(pid, &st, 0, &ru), pid, "wait4 returns the child pid");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "exit status 7", "status %#x", st);
	CHECK_ERR(wait4(-1, &st, 0, NULL), ECHILD, "wait4 without children ECHILD");
	CHECK_ERR(syscall(SYS_wait4, pid, &st, 0x100000, NULL), EINVAL, "wait4 bad options EINVAL");
	int codes[] = { 0, 1, 255, 256 };
	for (int i = 0; i < 4; i++) {
		pid = fork();
		if (pid == 0)
			_exit(codes[i]);
		char d[64];
		snprintf(d, sizeof d, "_exit(%d) gives exit status %d", codes[i], codes[i] & 255);
		CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == (codes[i] & 255),
		      d, "status %#x", st);
	}
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK_RET(waitpid(pid, &st, WNOHANG), 0, "WNOHANG on a running child returns 0");
	kill(pid, SIGKILL);
	CHECK_RET(waitpid(pid, &st, 0), pid, "waitpid after SIGKILL");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "WIFSIGNALED SIGKILL", "status %#x", st);

	/* vfork */
	static volatile int shared;
	shared = 0;
	pid = vfork();
	if (pid == 0) {
		shared = 1234;
		_exit(9);
	}
	CHECK(pid > 0 && shared == 1234, "vfork child shares memory until _exit", "shared %d", shared);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 9,
	      "vfork child exit status", "status %#x", st);

	/* execve */
	int cfd = open("/", O_RDONLY | O_CLOEXEC);
	int kfd = dup(cfd);
	if (kfd != cfd + 1) { dup2(cfd, cfd + 1); kfd = cfd + 1; }
	char fdnum[16];
	snprintf(fdnum, sizeof fdnum, "%d", cfd);
	pid = fork();
	if (pid == 0) {
		char *av[] = { argv[0], "--exec-child", "a b", "", fdnum, NULL };
		char *ev[] = { "FOO=bar", "EMPTY=", NULL };
		execve(argv[0], av, ev);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "execve self: argv, envp, close-on-exec as given",
	      "status %#x (exit %d; 99 = execve failed; 101 argv, 102 envp, 104 cloexec, 108 kept fd)",
	      st, WEXITSTATUS(st));
	close(cfd); close(kfd);
	pid = fork();
	if (pid == 0) {
		char *av[] = { argv[0], "--exec-noenv", "x", NULL };
		char *ev[] = { NULL };
		execve(argv[0], av, ev);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 43,
	      "execve with an empty envp",
	      "status %#x (exit %d; 99 = execve failed; 101 argv, 102 envp)", st, WEXITSTATUS(st));
	/* Rounding toward zero in SSE and x87: execve must not hand it to the new image. */
	pid = fork();
	if (pid == 0) {
		uint32_t mxcsr = 0x1f80 | 0x6000;
		uint16_t cw = 0x37f | 0xc00;
		char *av[] = { argv[0], "--exec-fpu", NULL };

		__asm__ volatile("ldmxcsr %0; fldcw %1" : : "m"(mxcsr), "m"(cw));
		execve(argv[0], av, environ);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 44,
	      "execve resets the FPU/SSE control state",
	      "status %#x (exit %d; 99 = execve failed; 45 MXCSR kept, 46 x87 control word kept)",
	      st, WEXITSTATUS(st));
	char *nav[] = { "x", NULL };
	CHECK_ERR(execve("/nonexistent/prog", nav, environ), ENOENT, "execve missing ENOENT");
	char tmp[64] = "/tmp/t_proc.XXXXXX";
	int tfd = mkstemp(tmp);
	write(tfd, "\x01\x02garbage, not an executable\n", 29);
	close(tfd);
	chmod(tmp, 0644);
	CHECK_ERR(execve(tmp, nav, environ), EACCES, "execve without x bit EACCES");
	chmod(tmp, 0755);
	CHECK_ERR(execve(tmp, nav, environ), ENOEXEC, "execve unknown format ENOEXEC");
	CHECK_ERR(execve("/tmp", nav, environ), EACCES, "execve directory EACCES");
	CHECK_ERR(syscall(SYS_execve, BADPTR, nav, environ), EFAULT, "execve bad path EFAULT");
	unlink(tmp);

	/* sessions and process groups */
	st = in_child(child_session);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setsid/getsid/getpgid in a child",
	      "child step %d failed", WEXITSTATUS(st));
	st = in_child(child_pgid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setpgid(0,0)/getpgid in a child",
	      "child step %d failed", WEXITSTATUS(st));
	CHECK_ERR(getpgid(0x3fffffff), ESRCH, "getpgid missing pid ESRCH");
	CHECK_ERR(getsid(0x3fffffff), ESRCH, "getsid missing pid ESRCH");
	CHECK_ERR(setpgid(0x3fffffff, 0), ESRCH, "setpgid missing pid ESRCH");

	/* uname */
	struct utsname u;
	CHECK_RET(uname(&u), 0, "uname");
	CHECK(strcmp(u.sysname, "Linux") == 0, "uname sysname Linux", "got '%s'", u.sysname);
	CHECK(strcmp(u.machine, "x86_64") == 0, "uname machine x86_64", "got '%s'", u.machine);
	CHECK(u.release[0] >= '0' && u.release[0] <= '9', "uname release starts with a digit",
	      "got '%s'", u.release);

	/* umask */
	mode_t old = umask(022);
	CHECK_RET(umask(077), 022, "umask returns the previous mask");
	strcpy(tmp, "/tmp/t_proc.umask");
	tfd = open(tmp, O_CREAT | O_WRONLY | O_TRUNC, 0666);
	struct stat sb;
	fstat(tfd, &sb);
	CHECK((sb.st_mode & 0777) == 0600, "umask 077 applies to open(O_CREAT, 0666)",
	      "mode %o", sb.st_mode & 0777);
	close(tfd); unlink(tmp);
	umask(old);

	/* rlimits */
	struct rlimit rl, orig;
	CHECK_RET(getrlimit(RLIMIT_NOFILE, &orig), 0, "getrlimit RLIMIT_NOFILE");
	CHECK(orig.rlim_cur > 0 && orig.rlim_cur <= orig.rlim_max, "RLIMIT_NOFILE soft <= hard",
	      "cur %llu max %llu", (unsigned long long)orig.rlim_cur, (unsigned long long)orig.rlim_max);
	rl = orig;
	rl.rlim_cur = 32;
	CHECK_RET(setrlimit(RLIMIT_NOFILE, &rl), 0, "setrlimit RLIMIT_NOFILE 32");
	CHECK_RET(getrlimit(RLIMIT_NOFILE, &rl), 0, "getrlimit after setrlimit");
	CHECK(rl.rlim_cur == 32, "new soft limit reads back", "got %llu", (unsigned long long)rl.rlim_cur);
	CHECK_ERR(fcntl(0, F_DUPFD, 40), EINVAL, "F_DUPFD above RLIMIT_NOFILE EINVAL");
	CHECK_ERR(dup2(0, 40), EBADF, "dup2 above RLIMIT_NOFILE EBADF");
	rl.rlim_cur = rl.rlim_max + 1;
	if (rl.rlim_max != RLIM_INFINITY)
		CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl), EINVAL, "setrlimit soft > hard EINVAL");
	CHECK_RET(setrlimit(RLIMIT_NOFILE, &orig), 0, "restore RLIMIT_NOFILE");
	CHECK_ERR(syscall(SYS_getrlimit, 999, &rl), EINVAL, "getrlimit bad resource EINVAL");
	CHECK_RET(getrlimit(RLIMIT_STACK, &rl), 0, "getrlimit RLIMIT_STACK");

	/* prctl names */
	char name[32];
	CHECK_RET(prctl(PR_SET_NAME, "t-proc-name"), 0, "prctl PR_SET_NAME");
	memset(name, 0, sizeof name);
	CHECK_RET(prctl(PR_GET_NAME, name), 0, "prctl PR_GET_NAME");
	CHECK(strcmp(name, "t-proc-name") == 0, "PR_GET_NAME reads back", "got '%s'", name);
	prctl(PR_SET_NAME, "0123456789abcdefghij");
	prctl(PR_GET_NAME, name);
	CHECK(strcmp(name, "0123456789abcde") == 0, "PR_SET_NAME truncates to 15 bytes", "got '%s'", name);
	CHECK_ERR(prctl(0x7fff0000), EINVAL, "prctl bad option EINVAL");
	st = in_child(child_prctl_flags);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "prctl dumpable and no_new_privs, inherited by fork",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
	st = in_child(child_pdeath_subreaper);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "PR_SET_PDEATHSIG signals an orphan; PR_SET_CHILD_SUBREAPER adopts it",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);

	/* getrandom */
	unsigned char r1[32], r2[32];
	memset(r1, 0, sizeof r1);
	memset(r2, 0, sizeof r2);
	CHECK_RET(syscall(SYS_getrandom, r1, sizeof r1, 0), 32, "getrandom 32 bytes");
	CHECK_RET(syscall(SYS_getrandom, r2, sizeof r2, T_GRND_NONBLOCK), 32, "getrandom GRND_NONBLOCK");
	CHECK(memcmp(r1, r2, sizeof r1) != 0, "two getrandom results differ", "identical");
	CHECK_ERR(syscall(SYS_getrandom, r1, sizeof r1, 0x100), EINVAL, "getrandom bad flags EINVAL");
	CHECK_ERR(syscall(SYS_getrandom, BADPTR, 16, 0), EFAULT, "getrandom bad buffer EFAULT");

	/* sysinfo, times, sched_yield */
	struct sysinfo si;
	CHECK_RET(sysinfo(&si), 0, "sysinfo");
	CHECK(si.totalram > 0 && si.mem_unit > 0 && si.freeram <= si.totalram,
	      "sysinfo memory fields", "total %lu free %lu unit %u", si.totalram, si.freeram, si.mem_unit);
	CHECK(si.procs >= 1 && si.uptime >= 0, "sysinfo procs and uptime", "procs %u uptime %ld",
	      si.procs, si.uptime);
	CHECK_ERR(syscall(SYS_sysinfo, BADPTR), EFAULT, "sysinfo bad pointer EFAULT");
	test_load_average();
	test_syslog();
	test_proc_self_user();
	test_sched();
	test_timerslack();
	struct tms tm;
	clock_t c1 = times(&tm);
	CHECK(c1 != (clock_t)-1, "times", "errno %d", errno);
	CHECK(tm.tms_utime >= 0 && tm.tms_stime >= 0 && tm.tms_cutime >= 0, "times fields >= 0",
	      "%ld %ld %ld", (long)tm.tms_utime, (long)tm.tms_stime, (long)tm.tms_cutime);
	CHECK_RET(sched_yield(), 0, "sched_yield");

	/* arch_prctl */
	st = in_child(child_fs);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "arch_prctl ARCH_SET_FS/ARCH_GET_FS",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);

	st = in_child(child_nproc);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "RLIMIT_NPROC: fork and vfork beyond it give EAGAIN",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
	st = in_child(child_nproc_root);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "RLIMIT_NPROC does not bind root",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
	test_proc_of_exiting_child();

	return check_done();
}
