// SPDX-License-Identifier: MPL-2.0
//
// /init of the fuzzing initramfs (make check-fuzz; doc/fuzzing.md): runs
// Debian's trinity syscall fuzzer as root, then as nobody, and checks that
// the kernel gives back every page afterwards.  A static x86-64 Linux
// program, built with the host compiler like testsuite/bench/bench.c.  It is
// PID 1 on purpose: every process trinity leaves behind is reparented to it,
// so it can kill and reap them all before measuring memory.
//
// Console protocol, each line at the start of a line (testsuite/aster.fuzz/
// trinity.exp parses it):
//
//   aster-fuzz: ready
//   aster-fuzz: memory before nobody: free N KiB (Slab N, Cached N, Shmem N)
//   aster-fuzz: begin PHASE seconds S seed N
//   ...trinity's own output...
//   aster-fuzz: alive PHASE T s              every HEARTBEAT seconds
//   aster-fuzz: trinity of phase PHASE ended after T s with status|signal N
//               (seed N); again              it is started again
//   aster-fuzz: removing nobody's PATH (N bytes)  what the phase left behind
//   aster-fuzz: removed N System V KIND object(s) the phase made
//   aster-fuzz: end PHASE runs N
//   aster-fuzz: memory after: free N KiB, missing N KiB (limit N KiB)
//   aster-fuzz: FAIL WHY                     one line per failure
//   aster-fuzz: done status N                0 when nothing failed
//
// Kernel parameters (from /proc/cmdline): fuzz.time=S (seconds in all,
// split evenly between the phases; default 60), fuzz.seed=N (default 1),
// fuzz.children=N (trinity's -C; default 2), fuzz.phases=root,nobody (either
// or both, in that order).
//
// What the memory check compares: the free page frames (sysinfo's freeram,
// which on our kernel is the frame allocator's free count after the checked
// heap's quarantine is flushed) right before and right after each phase,
// once every process but this one has been killed and reaped and the
// phase's working directory (and, for nobody, whatever it made anywhere
// in the root ramfs and devtmpfs, and the System V IPC objects and POSIX
// message queues it made) is removed.  No disk is mounted, so no
// page cache stays (the root is ramfs): what trinity's processes used
// must be back, within FUZZ_SLACK_KIB for the heap's partly used slabs;
// a miss is measured again 2 s later for the frees the kernel defers, and
// each figure comes with /proc/meminfo's Slab, Cached and Shmem so a
// report tells a heap leak from files left behind.  That holds for the
// nobody phase, which can write only to its own directory and the
// world-writable ones.
// Trinity as root may create files anywhere in the ramfs root, in
// devtmpfs and sysfs, and mount file systems: what those keep is not a
// leak, so the root phase's figure is printed but not held to the limit.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ipc.h>
#include <sys/statfs.h>
#include <sys/msg.h>
#include <sys/reboot.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRINITY		"/usr/bin/trinity"
#define NOBODY		65534
#define FUZZ_SLACK_KIB	1024	/* "free memory back within 1 MiB" */
#define HEARTBEAT	30	/* seconds between "alive" lines */
#define GRACE		20	/* seconds trinity gets to stop after SIGINT */
#define REAP_LIMIT	60	/* seconds for every process to die after SIGKILL */
#define MIN_RUN		15	/* seconds: no new trinity run with less time left */

static int failures;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* One write per line, so trinity's output cannot split it. */
	(void)!write(STDOUT_FILENO, line, (size_t)n);
}

#define FAIL(...) do { say("aster-fuzz: FAIL " __VA_ARGS__); failures++; } while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long free_kib(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return -1;
	return (long)((unsigned long long)si.freeram * si.mem_unit / 1024);
}

/* The "NAME:" figure of /proc/meminfo in KiB, or -1. */
static long meminfo_kib(const char *name)
{
	char line[128];
	size_t n = strlen(name);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* Free memory, with where the rest is (to tell a heap leak from cached files). */
static long free_kib_said(const char *when)
{
	long f = free_kib();

	say("aster-fuzz: memory %s: free %ld KiB (Slab %ld, Cached %ld, Shmem %ld)", when, f,
	    meminfo_kib("Slab"), meminfo_kib("Cached"), meminfo_kib("Shmem"));
	return f;
}

/* The value of "NAME=" on the kernel command line, or def. */
static long param(const char *cmdline, const char *name, long def)
{
	const char *p = cmdline;
	size_t n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == cmdline || p[-1] == ' ') && p[n] == '=')
			return strtol(p + n + 1, NULL, 10);
		p += n;
	}
	return def;
}

static void read_cmdline(char *buf, size_t len)
{
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* In the child: become the fuzzer.  Exit statuses >= 120 are ours. */
static void run_trinity(long seed, long children, const char *dir, int as_nobody)
{
	char seed_arg[32], children_arg[32];

	snprintf(seed_arg, sizeof(seed_arg), "-s%ld", seed);
	snprintf(children_arg, sizeof(children_arg), "-C%ld", children);
	/* Its own session: trinity's kill(0, ...) and friends stay among its processes. */
	if (setsid() < 0 || chdir(dir) != 0)
		_exit(120);
	if (as_nobody && (setgroups(0, NULL) != 0 || setresgid(NOBODY, NOBODY, NOBODY) != 0 ||
			  setresuid(NOBODY, NOBODY, NOBODY) != 0))
		_exit(121);
	/*
	 * -q: only the periodic progress lines; -l off: no log files; -a64:
	 * the kernel has no 32-bit system calls; no socket fds (socket(2) is
	 * ENOSYS today); reboot would end the run.  As root: --dangerous
	 * (trinity refuses root without it), and no umount2 (trinity's name
	 * for it is umount): trinity's main process reads /proc/PID/fd and
	 * dies when a child has unmounted /proc, as it would on Linux.
	 */
	if (as_nobody)
		execl(TRINITY, "trinity", "-q", "-l", "off", "-a64", "--disable-fds=sockets", "-x",
		      "reboot", children_arg, seed_arg, (char *)NULL);
	else
		execl(TRINITY, "trinity", "-q", "-l", "off", "-a64", "--disable-fds=sockets", "-x",
		      "reboot", "-x", "umount", "--dangerous", children_arg, seed_arg, (char *)NULL);
	_exit(127);
}

/* Kill every process but this one and reap them all: 0, or -1 if some would not die. */
static int kill_and_reap(const char *phase)
{
	double limit = now() + REAP_LIMIT;

	kill(-1, SIGKILL);
	for (;;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid > 0)
			continue;
		if (pid < 0 && errno == ECHILD)
			return 0;
		if (now() > limit) {
			FAIL("hang: processes of phase %s still alive %d s after SIGKILL", phase, REAP_LIMIT);
			return -1;
		}
		kill(-1, SIGKILL);
		usleep(100000);
	}
}

/*
 * Wait for trinity until the deadline, with a heartbeat.  Returns its wait
 * status, or -1 when it had to be stopped (SIGINT at the deadline: its main
 * process then stops its children; kill_and_reap does the rest).
 */
static int wait_trinity(pid_t pid, const char *phase, double deadline, double *next_beat,
			double phase_start)
{
	int st = -1, signalled = 0;

	for (;;) {
		pid_t got = waitpid(pid, &st, WNOHANG);
		double t = now();

		if (got == pid)
			return signalled ? -1 : st;
		if (got < 0 && errno != EINTR)
			return -1;
		if (t >= *next_beat) {
			say("aster-fuzz: alive %s %.0f s", phase, t - phase_start);
			*next_beat += HEARTBEAT;
		}
		if (!signalled && t >= deadline) {
			kill(pid, SIGINT);
			signalled = 1;
		}
		if (signalled && t >= deadline + GRACE)
			return -1;
		usleep(200000);
	}
}

/*
 * Trinity as root may unmount /proc, /sys or /dev, or remove what is in
 * them, and trinity's main process needs /proc: mount fresh ones where they
 * are gone.
 */
static void ensure_mounts(void)
{
	if (access("/proc/self/stat", R_OK) != 0)
		mount("proc", "/proc", "proc", 0, NULL);
	if (access("/sys/kernel", F_OK) != 0)
		mount("sysfs", "/sys", "sysfs", 0, NULL);
	/*
	 * /dev always fresh: root may have removed or replaced nodes, or
	 * remounted it nodev, and trinity opens /dev/zero as it starts.
	 */
	(void)umount2("/dev", MNT_DETACH);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	/* The root as it was: root may have remounted it read-only or noexec. */
	(void)mount("rootfs", "/", NULL, MS_REMOUNT, NULL);
}

/*
 * Trinity as root also changes modes and owners of what it finds (in
 * /dev, /proc, /sys, its own directories): put back what the next run,
 * maybe as nobody, needs to start.
 */
static void restore_modes(void)
{
	static const struct { const char *path; mode_t mode; } want[] = {
		{ "/", 0755 }, { "/tmp", 01777 }, { "/dev", 0755 }, { "/usr", 0755 },
		{ "/usr/bin", 0755 }, { TRINITY, 0755 }, { "/lib", 0755 }, { "/lib64", 0755 },
		{ "/lib/x86_64-linux-gnu", 0755 }, { "/lib/x86_64-linux-gnu/libc.so.6", 0755 },
		{ "/lib64/ld-linux-x86-64.so.2", 0755 }, { "/dev/null", 0666 },
		{ "/dev/zero", 0666 }, { "/dev/full", 0666 }, { "/dev/random", 0666 },
		{ "/dev/urandom", 0666 }, { "/dev/tty", 0666 },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		(void)chown(want[i].path, 0, 0);
		(void)chmod(want[i].path, want[i].mode);
	}
}

/* What nobody left outside its working directory (in /tmp, /dev/shm...) goes too. */
static int remove_nobodys(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (ftw->level == 0 || st->st_uid != NOBODY)
		return 0;
	say("aster-fuzz: removing nobody's %s (%lld bytes)", path, (long long)st->st_size);
	if (type == FTW_DP)
		(void)rmdir(path);
	else
		(void)unlink(path);
	return 0;
}

/*
 * System V IPC objects outlive the processes that made them, on Linux too:
 * those the nobody phase made (ids not in the list taken before it) are
 * removed like its files, each one named on the console, so that what is
 * measured afterwards is what the kernel failed to give back.  POSIX
 * message queues outlive them too: they are nobody's files in the mqueue
 * file system (remove_nobodys_queues).
 */
#define IPC_KINDS	3
#define IPC_MAX_IDS	1024
static const char *const ipc_kind[IPC_KINDS] = { "shm", "msg", "sem" };

struct ipc_ids {
	int n[IPC_KINDS];
	int id[IPC_KINDS][IPC_MAX_IDS];
};

static void ipc_list(struct ipc_ids *ids)
{
	for (int k = 0; k < IPC_KINDS; k++) {
		char path[64], line[512];
		FILE *f;

		ids->n[k] = 0;
		snprintf(path, sizeof(path), "/proc/sysvipc/%s", ipc_kind[k]);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* "key id perms ...", after a header line. */
		while (fgets(line, sizeof(line), f) && ids->n[k] < IPC_MAX_IDS) {
			long key, id;

			if (sscanf(line, "%ld %ld", &key, &id) == 2)
				ids->id[k][ids->n[k]++] = (int)id;
		}
		fclose(f);
	}
}

static int ipc_listed(const struct ipc_ids *ids, int k, int id)
{
	for (int i = 0; i < ids->n[k]; i++)
		if (ids->id[k][i] == id)
			return 1;
	return 0;
}

static int ipc_remove(int k, int id)
{
	if (k == 0)
		return shmctl(id, IPC_RMID, NULL);
	if (k == 1)
		return msgctl(id, IPC_RMID, NULL);
	return semctl(id, 0, IPC_RMID);
}

static void remove_new_ipc(const struct ipc_ids *before)
{
	struct ipc_ids *now = malloc(sizeof(*now));

	if (!now)
		return;
	ipc_list(now);
	for (int k = 0; k < IPC_KINDS; k++) {
		int removed = 0;

		for (int i = 0; i < now->n[k]; i++)
			if (!ipc_listed(before, k, now->id[k][i]) && ipc_remove(k, now->id[k][i]) == 0)
				removed++;
		if (removed)
			say("aster-fuzz: removed %d System V %s object(s) the phase made", removed,
			    ipc_kind[k]);
	}
	free(now);
}

/*
 * POSIX message queues are the files of the mqueue file system, owned by
 * whoever made them: nobody's go like its other files.  /dev is mounted
 * afresh for each run, so mqueue is mounted again on it here (the queues
 * are the same: one file system for every mount).
 */
#define MQUEUE_DIR	"/dev/mqueue"
#define MQUEUE_MAGIC	0x19800202

static void remove_nobodys_queues(void)
{
	struct statfs sf;

	(void)mkdir(MQUEUE_DIR, 0755);
	if (statfs(MQUEUE_DIR, &sf) != 0 || (unsigned long)sf.f_type != MQUEUE_MAGIC)
		(void)mount("mqueue", MQUEUE_DIR, "mqueue", 0, NULL);
	(void)nftw(MQUEUE_DIR, remove_nobodys, 4, FTW_PHYS | FTW_MOUNT);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		(void)rmdir(path);
	else
		(void)unlink(path);
	return 0;
}

/*
 * One phase: trinity until `seconds` are over, started again (with the
 * next seed) whenever it ends early; as root it can pull the ground from
 * under itself (unmount /proc, kill its own main process...).  Ending early
 * is not a kernel failure; what counts is below: a report on the console
 * (the host's side), processes that do not die, memory that does not come
 * back.
 */
static void phase(const char *name, long seconds, long seed, long children)
{
	int as_nobody = strcmp(name, "nobody") == 0;
	double start = now(), deadline = start + (double)seconds, next_beat = start + HEARTBEAT;
	char dir[64];
	int runs = 0;
	static struct ipc_ids ipc_before;

	snprintf(dir, sizeof(dir), "/tmp/fuzz-%s", name);
	say("aster-fuzz: begin %s seconds %ld seed %ld", name, seconds, seed);
	ipc_list(&ipc_before);
	/* Each run needs time to get going (trinity waits 10 s before fuzzing as root). */
	while (deadline - now() > MIN_RUN) {
		double t0 = now();
		pid_t pid;
		int st;

		ensure_mounts();
		restore_modes();
		mkdir(dir, 0755);
		if (as_nobody && chown(dir, NOBODY, NOBODY) != 0)
			FAIL("cannot chown %s (errno %d)", dir, errno);
		pid = fork();
		if (pid == 0)
			run_trinity(seed + runs, children, dir, as_nobody);
		if (pid < 0) {
			FAIL("cannot fork for phase %s (errno %d)", name, errno);
			return;
		}
		runs++;
		st = wait_trinity(pid, name, deadline, &next_beat, start);
		if (kill_and_reap(name) != 0)
			return;
		(void)nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		if (as_nobody) {
			/* The root ramfs and devtmpfs, not /proc or /sys (FTW_MOUNT). */
			(void)nftw("/", remove_nobodys, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
			(void)nftw("/dev", remove_nobodys, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
			remove_new_ipc(&ipc_before);
			remove_nobodys_queues();
		}
		if (st == -1)
			break;
		say("aster-fuzz: trinity of phase %s ended after %.0f s with %s %d (seed %ld); again",
		    name, now() - t0, WIFEXITED(st) ? "status" : "signal",
		    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), seed + runs - 1);
		/* Exiting at once is trinity refusing its arguments or its environment. */
		if (WIFEXITED(st) && (WEXITSTATUS(st) >= 120 || now() - t0 < MIN_RUN / 3)) {
			FAIL("trinity could not be started in phase %s (status %d)", name,
			     WEXITSTATUS(st));
			return;
		}
	}
	ensure_mounts();
	say("aster-fuzz: end %s runs %d", name, runs);
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* PID 1 must never exit (that panics): wait for the power to go. */
	for (;;)
		pause();
}

static int has_phase(const char *cmdline, const char *name)
{
	const char *p = strstr(cmdline, "fuzz.phases=");
	size_t n = strlen(name);

	if (!p)
		return 1;
	for (p += strlen("fuzz.phases="); *p && *p != ' '; p += strcspn(p, ", ")) {
		p += *p == ',';
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == ' ' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

int main(void)
{
	char cmdline[4096];
	long total, seed, children, before, after, missing;
	int root, nobody, nphases;

	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/dev", 0755);
	mkdir("/tmp", 01777);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	read_cmdline(cmdline, sizeof(cmdline));
	total = param(cmdline, "fuzz.time", 60);
	seed = param(cmdline, "fuzz.seed", 1);
	children = param(cmdline, "fuzz.children", 2);
	root = has_phase(cmdline, "root");
	nobody = has_phase(cmdline, "nobody");
	nphases = root + nobody;
	say("aster-fuzz: ready");
	if (nphases == 0 || total < nphases * 2 * MIN_RUN || children < 1) {
		FAIL("bad parameters: '%s' (fuzz.time at least %d per phase)", cmdline, 2 * MIN_RUN);
		say("aster-fuzz: done status 1");
		power_off();
	}
	if (root) {
		before = free_kib();
		say("aster-fuzz: memory before root: free %ld KiB", before);
		phase("root", total / nphases, seed, children);
		after = free_kib();
		say("aster-fuzz: memory after root: free %ld KiB, %ld KiB kept (files and mounts root made)",
		    after, before - after);
	}
	if (nobody) {
		before = free_kib_said("before nobody");
		phase("nobody", total / nphases, seed + 1000, children);
		after = free_kib_said("after nobody");
		missing = before - after;
		if (missing > FUZZ_SLACK_KIB) {
			/* Frees the kernel defers (a dead task's stack, the flusher) get a moment. */
			sleep(2);
			after = free_kib_said("after nobody, 2 s later");
			missing = before - after;
		}
		say("aster-fuzz: memory after: free %ld KiB, missing %ld KiB (limit %d KiB)", after,
		    missing, FUZZ_SLACK_KIB);
		if (missing > FUZZ_SLACK_KIB)
			FAIL("memory not back after the fuzzer exited: %ld KiB missing", missing);
	}
	say("aster-fuzz: done status %d", failures ? 1 : 0);
	power_off();
	return 0;
}
