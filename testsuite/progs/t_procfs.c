/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_procfs -- /proc in Linux's formats: the system files (meminfo, stat,
 * uptime, loadavg, version, filesystems, swaps, cpuinfo, sys/), the
 * process's own (stat, statm, status and its signal masks, maps and
 * smaps of known mappings, cmdline, environ, comm writes and their
 * truncation, exe, cwd, root, fd/ link modes, fdinfo, mounts, mountinfo,
 * limits, oom_score_adj and its range), task/ of a threaded process,
 * self and thread-self, zombie and stopped states; and the error paths:
 * EACCES for another user's environ, maps, fd/ and links as nobody,
 * EINVAL writing another process's comm or a bad oom_score_adj, EACCES
 * lowering it unprivileged, EINVAL seeking from the end.
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static char buf[256 * 1024];

/* The whole of a file into buf: its length, or -1 with errno. */
static long slurp(const char *path)
{
	return check_read_file(path, buf, sizeof(buf));
}

/* Write s to path in one write: 0, or -1 with errno. */
static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), e;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* The value after "key:" on its line of buf (a pointer into buf), or NULL. */
static const char *field(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, k) == 0 && p[k] == ':')
			return p + k + 1;
	return NULL;
}

static bool is_uuid(const char *s)
{
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	}
	return s[36] == '\n' && s[37] == 0;
}

static void test_system_files(void)
{
	unsigned long total = 0, free = 0, avail = 0;
	double up = -1, idle = -1;
	char b1[64];
	bool lines_ok = true;

	CHECK(slurp("/proc/meminfo") > 0 &&
	      sscanf(buf, "MemTotal: %lu kB\nMemFree: %lu kB\nMemAvailable: %lu kB", &total, &free,
		     &avail) == 3 && total > 0 && free <= total && avail <= total,
	      "/proc/meminfo: MemTotal, MemFree, MemAvailable first", "'%.120s'", buf);
	for (char *l = buf; *l; l = strchr(l, '\n') + 1) {
		char name[64];
		unsigned long v;
		int n = 0;

		if (sscanf(l, "%63[A-Za-z0-9_()]: %lu%n", name, &v, &n) != 2 ||
		    (strncmp(l + n, " kB\n", 4) != 0 && l[n] != '\n'))
			lines_ok = false;
		if (!strchr(l, '\n'))
			break;
	}
	CHECK(lines_ok && field(buf, "Buffers") && field(buf, "Cached") && field(buf, "SwapTotal") &&
	      field(buf, "SwapFree"), "/proc/meminfo: every line 'Name: N kB', the fields free reads",
	      "'%.200s'", buf);
	CHECK(strncmp(buf, "MemTotal:       ", 16) == 0 && strstr(buf, "\nMemFree:        "),
	      "/proc/meminfo: names padded to 16 columns", "'%.40s'", buf);

	unsigned long c[10];
	CHECK(slurp("/proc/stat") > 0 &&
	      sscanf(buf, "cpu  %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu\ncpu0 ", &c[0], &c[1], &c[2],
		     &c[3], &c[4], &c[5], &c[6], &c[7], &c[8], &c[9]) == 10 && strstr(buf, "\ncpu0 "),
	      "/proc/stat: cpu and cpu0 lines of ten figures", "'%.120s'", buf);
	CHECK(strstr(buf, "\nintr ") && strstr(buf, "\nctxt ") && strstr(buf, "\nbtime ") &&
	      strstr(buf, "\nprocesses ") && strstr(buf, "\nprocs_running ") &&
	      strstr(buf, "\nprocs_blocked "), "/proc/stat: intr, ctxt, btime, processes, procs_*",
	      "'%.300s'", buf);
	CHECK(slurp("/proc/uptime") > 0 && sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0 &&
	      idle >= 0 && buf[strlen(buf) - 1] == '\n', "/proc/uptime: two figures", "'%s'", buf);
	CHECK(slurp("/proc/version") > 0 && strncmp(buf, "Linux version ", 14) == 0,
	      "/proc/version starts 'Linux version'", "'%.60s'", buf);
	CHECK(slurp("/proc/filesystems") > 0 && strstr(buf, "nodev\tproc\n") &&
	      strstr(buf, "nodev\tsysfs\n") && strstr(buf, "nodev\ttmpfs\n"),
	      "/proc/filesystems: nodev proc, sysfs, tmpfs", "'%.200s'", buf);
	CHECK(slurp("/proc/swaps") > 0 &&
	      strcmp(buf, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n") == 0,
	      "/proc/swaps: the header alone (no swap)", "'%s'", buf);
	CHECK(slurp("/proc/cpuinfo") > 0 && strncmp(buf, "processor\t: 0\n", 14) == 0 &&
	      strstr(buf, "\nvendor_id\t: ") && strstr(buf, "\nmodel name\t: ") &&
	      strstr(buf, "\nflags\t\t: fpu "), "/proc/cpuinfo: processor, vendor_id, model name, flags",
	      "'%.200s'", buf);
	int fd = open("/proc/meminfo", O_RDONLY);
	CHECK_ERR(lseek(fd, 0, SEEK_END), EINVAL, "lseek SEEK_END on a /proc file EINVAL");
	CHECK_RET(lseek(fd, 3, SEEK_SET), 3, "lseek SEEK_SET on a /proc file");
	CHECK(read(fd, b1, 5) == 5 && memcmp(b1, "Total", 5) == 0, "read from the offset", "'%.5s'", b1);
	close(fd);
	CHECK_ERR(open("/proc/999999/stat", O_RDONLY), ENOENT, "/proc/999999/stat ENOENT");
}

/* A figure of /proc/meminfo in kB, or -1. */
static long meminfo_kb(const char *key)
{
	const char *v;

	if (slurp("/proc/meminfo") <= 0 || !(v = field(buf, key)))
		return -1;
	return strtol(v, NULL, 10);
}

/* File data in RAM (tmpfs, ramfs) counts in Cached, as on Linux, and leaves it on unlink. */
static void test_meminfo_cached(void)
{
	static char block[64 * 1024];
	const char *path = "/tmp/t_procfs.cached";
	long before, during, after;
	int fd;

	memset(block, 'c', sizeof(block));
	before = meminfo_kb("Cached");
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	CHECK_OK(fd, "create a file in /tmp");
	for (int i = 0; i < 64; i++)	/* 4 MiB */
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			break;
	close(fd);
	during = meminfo_kb("Cached");
	CHECK(before >= 0 && during - before >= 3 * 1024,
	      "/proc/meminfo: Cached grows by a 4 MiB file in /tmp", "%ld kB -> %ld kB", before, during);
	CHECK_RET(unlink(path), 0, "unlink the file");
	after = meminfo_kb("Cached");
	CHECK(after >= 0 && during - after >= 3 * 1024,
	      "/proc/meminfo: Cached shrinks when it is unlinked", "%ld kB -> %ld kB", during, after);
	CHECK(meminfo_kb("Dirty") >= 0 && meminfo_kb("Shmem") >= 0,
	      "/proc/meminfo: Dirty and Shmem lines", "'%.200s'", buf);
}

static void test_sysctl(void)
{
	struct utsname u;
	char boot[64], orig[80];
	unsigned long a, b, cmax;

	uname(&u);
	CHECK(slurp("/proc/sys/kernel/osrelease") > 0 && strncmp(buf, u.release, strlen(u.release)) == 0 &&
	      buf[strlen(u.release)] == '\n', "sys/kernel/osrelease is uname's release", "'%s'", buf);
	CHECK(slurp("/proc/sys/kernel/ostype") > 0 && strcmp(buf, "Linux\n") == 0,
	      "sys/kernel/ostype Linux", "'%s'", buf);
	CHECK(slurp("/proc/sys/kernel/pid_max") > 0 && atol(buf) > getpid(), "sys/kernel/pid_max",
	      "'%s'", buf);
	slurp("/proc/sys/kernel/random/boot_id");
	snprintf(boot, sizeof(boot), "%s", buf);
	CHECK(is_uuid(boot) && slurp("/proc/sys/kernel/random/boot_id") > 0 && strcmp(buf, boot) == 0,
	      "sys/kernel/random/boot_id: one UUID per boot", "'%s' then '%s'", boot, buf);
	slurp("/proc/sys/kernel/random/uuid");
	snprintf(boot, sizeof(boot), "%s", buf);
	CHECK(is_uuid(boot) && boot[14] == '4' && slurp("/proc/sys/kernel/random/uuid") > 0 &&
	      strcmp(buf, boot) != 0, "sys/kernel/random/uuid: a fresh version-4 UUID each read",
	      "'%s' then '%s'", boot, buf);
	CHECK(slurp("/proc/sys/vm/overcommit_memory") > 0 && buf[0] >= '0' && buf[0] <= '2' &&
	      buf[1] == '\n', "sys/vm/overcommit_memory", "'%s'", buf);
	CHECK(slurp("/proc/sys/fs/file-nr") > 0 && sscanf(buf, "%lu\t%lu\t%lu\n", &a, &b, &cmax) == 3 &&
	      b == 0 && cmax > 0, "sys/fs/file-nr: allocated, 0, max", "'%s'", buf);
	CHECK(slurp("/proc/sys/fs/file-max") > 0 && strtoul(buf, NULL, 10) > 0, "sys/fs/file-max",
	      "'%s'", buf);
	CHECK(slurp("/proc/sys/fs/nr_open") > 0 && atol(buf) >= 1024, "sys/fs/nr_open", "'%s'", buf);

	/* hostname: the same as uname's nodename both ways. */
	snprintf(orig, sizeof(orig), "%s", u.nodename);
	CHECK(slurp("/proc/sys/kernel/hostname") > 0 && strncmp(buf, orig, strlen(orig)) == 0,
	      "sys/kernel/hostname reads the nodename", "'%s' vs '%s'", buf, orig);
	CHECK_RET(put("/proc/sys/kernel/hostname", "t-procfs-host\n"), 0, "write sys/kernel/hostname");
	uname(&u);
	CHECK(strcmp(u.nodename, "t-procfs-host") == 0, "the write sets the nodename (newline dropped)",
	      "'%s'", u.nodename);
	sethostname("via-syscall", 11);
	CHECK(slurp("/proc/sys/kernel/hostname") > 0 && strcmp(buf, "via-syscall\n") == 0,
	      "sethostname shows in sys/kernel/hostname", "'%s'", buf);
	sethostname(orig, strlen(orig));
}

/* The fields of /proc/PID/stat after the comm: fields[0] is the state (field 3). */
static int stat_fields(const char *path, char *comm, char fields[52][24])
{
	char *l, *r, *tok, *save;
	int n = 0;

	if (slurp(path) <= 0 || !(l = strchr(buf, '(')) || !(r = strrchr(buf, ')')))
		return -1;
	snprintf(comm, 32, "%.*s", (int)(r - l - 1), l + 1);
	for (tok = strtok_r(r + 2, " \n", &save); tok && n < 52; tok = strtok_r(NULL, " \n", &save))
		snprintf(fields[n++], 24, "%s", tok);
	return n + 2;
}

static void on_hup(int sig)
{
	(void)sig;
}

static void test_stat_status(void)
{
	char comm[32], f[52][24], path[64];
	sigset_t set, old;
	unsigned long size, res, sh, text, lib, data, dt;
	const char *keys[] = { "Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid", "TracerPid",
			       "Uid", "Gid", "FDSize", "Groups", "VmPeak", "VmSize", "VmRSS",
			       "RssAnon", "Threads", "SigQ", "SigPnd", "ShdPnd", "SigBlk", "SigIgn",
			       "SigCgt", "CapInh", "CapPrm", "CapEff", "CapBnd", "NoNewPrivs",
			       "Seccomp", "Cpus_allowed", "Cpus_allowed_list",
			       "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches" };
	const char *prev = NULL, *missing = NULL;
	unsigned long long blk = 0, ign = 0, cgt = 0;
	unsigned int uid[4];

	int n = stat_fields("/proc/self/stat", comm, f);
	CHECK(n == 52 && atoi(buf) == getpid() && atoi(f[1]) == getppid() && atoi(f[2]) == getpgrp() &&
	      atoi(f[3]) == getsid(0) && atoi(f[17]) == 1 && strchr("RS", f[0][0]),
	      "/proc/self/stat: 52 fields, pid, state, ppid, pgrp, session, threads",
	      "%d fields: '%.200s'", n, buf);
	CHECK(slurp("/proc/self/statm") > 0 &&
	      sscanf(buf, "%lu %lu %lu %lu %lu %lu %lu\n", &size, &res, &sh, &text, &lib, &data, &dt) == 7 &&
	      size > 0 && res > 0 && res <= size, "/proc/self/statm: seven page counts", "'%s'", buf);

	signal(SIGHUP, on_hup);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	slurp("/proc/self/status");
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = field(buf, keys[i]);

		if (!v || (prev && v < prev)) {
			missing = keys[i];
			break;
		}
		prev = v;
	}
	CHECK(!missing, "/proc/self/status: the fields ps and top read, in Linux's order",
	      "'%s' missing or out of order", missing ? missing : "");
	CHECK(field(buf, "Name") && strncmp(field(buf, "Name"), "\tt_procfs", 9) == 0 &&
	      atoi(field(buf, "Pid")) == getpid() && atoi(field(buf, "PPid")) == getppid() &&
	      atoi(field(buf, "Threads")) == 1, "status: Name, Pid, PPid, Threads",
	      "'%.200s'", buf);
	CHECK(field(buf, "Uid") && sscanf(field(buf, "Uid"), "\t%u\t%u\t%u\t%u", &uid[0], &uid[1], &uid[2],
					  &uid[3]) == 4 && uid[0] == getuid() && uid[1] == geteuid(),
	      "status: Uid real, effective, saved, fs", "'%s'", field(buf, "Uid") ? field(buf, "Uid") : "");
	CHECK(field(buf, "SigBlk") && sscanf(field(buf, "SigBlk"), "\t%llx", &blk) == 1 &&
	      sscanf(field(buf, "SigIgn"), "\t%llx", &ign) == 1 &&
	      sscanf(field(buf, "SigCgt"), "\t%llx", &cgt) == 1 && (blk & (1ULL << (SIGUSR1 - 1))) &&
	      (ign & (1ULL << (SIGUSR2 - 1))) && (cgt & (1ULL << (SIGHUP - 1))) &&
	      strlen(field(buf, "SigBlk")) > 17 && field(buf, "SigBlk")[17] == '\n',
	      "status: SigBlk, SigIgn, SigCgt as 16 hex digits", "blk %llx ign %llx cgt %llx", blk, ign, cgt);
	CHECK(strstr(buf, "\nVmRSS:\t") && strstr(buf, " kB\nRssAnon:\t"),
	      "status: 'VmRSS:\\t    N kB'", "'%.100s'", field(buf, "VmRSS") ? field(buf, "VmRSS") : "");

	/* A zombie and a stopped child. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	usleep(200000);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	n = stat_fields(path, comm, f);
	CHECK(n == 52 && f[0][0] == 'Z', "a zombie's stat state Z", "%d fields: '%.80s'", n, buf);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	CHECK(slurp(path) == 0, "a zombie's cmdline is empty", "'%s'", buf);
	waitpid(pid, NULL, 0);
	pid = fork();
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, WUNTRACED);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	n = stat_fields(path, comm, f);
	CHECK(n == 52 && f[0][0] == 'T', "a stopped child's state T", "'%.80s'", buf);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	CHECK(slurp(path) > 0 && strstr(buf, "\nState:\tT (stopped)\n"), "status: 'T (stopped)'",
	      "'%.80s'", buf);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The line of /proc/self/maps for the mapping at addr, into line. */
static bool maps_line(uintptr_t addr, char *line, size_t size)
{
	char key[32];
	char *p;

	snprintf(key, sizeof(key), "%08lx-", (unsigned long)addr);
	if (slurp("/proc/self/maps") <= 0 || !(p = strstr(buf, key)))
		return false;
	if (p != buf && p[-1] != '\n')
		return false;
	snprintf(line, size, "%.*s", (int)(strchr(p, '\n') - p), p);
	return true;
}

static void test_maps(void)
{
	char line[512], want[256], path[] = "/tmp/t_procfs.map";
	unsigned long lo, hi, off, ino;
	unsigned int ma, mi;
	char perms[8];
	struct stat sb;
	bool all_ok = true;
	int fd, n = 0;

	void *a = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	snprintf(want, sizeof(want), "%08lx-%08lx r--p 00000000 00:00 0 ", (unsigned long)a,
		 (unsigned long)a + 3 * 4096);
	CHECK(maps_line((uintptr_t)a, line, sizeof(line)) && strcmp(line, want) == 0,
	      "maps: an anonymous read-only mapping (with Linux's trailing blank)", "'%s' want '%s'",
	      line, want);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftruncate(fd, 8192);
	fstat(fd, &sb);
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	CHECK(maps_line((uintptr_t)m, line, sizeof(line)) &&
	      sscanf(line, "%lx-%lx %4s %lx %x:%x %lu%n", &lo, &hi, perms, &off, &ma, &mi, &ino, &n) == 7 &&
	      strcmp(perms, "rw-s") == 0 && off == 4096 && ino == sb.st_ino && hi - lo == 4096 &&
	      strlen(line) == 73 + strlen(path) && strcmp(line + 73, path) == 0,
	      "maps: a shared file mapping: rw-s, offset, inode, the path from column 74",
	      "'%s'", line);
	CHECK(strstr(buf, "[stack]\n") != NULL, "maps: [stack]", "no [stack] line");
	for (char *l = buf; *l; l = strchr(l, '\n') + 1) {
		if (sscanf(l, "%lx-%lx %4s %lx %x:%x %lu", &lo, &hi, perms, &off, &ma, &mi, &ino) != 7 ||
		    lo >= hi || !strchr("-r", perms[0]) || !strchr("ps", perms[3]))
			all_ok = false;
		if (!strchr(l, '\n'))
			break;
	}
	CHECK(all_ok, "maps: every line 'start-end perms offset maj:min inode [name]'", "'%.300s'", buf);
	close(fd);
	munmap(m, 4096);
	slurp("/proc/self/smaps");
	snprintf(want, sizeof(want), "%08lx-%08lx r--p ", (unsigned long)a, (unsigned long)a + 3 * 4096);
	char *e = strstr(buf, want);
	CHECK(e && strncmp(strchr(e, '\n') + 1, "Size:                 12 kB\n", 28) == 0 &&
	      strstr(e, "\nRss:") && strstr(e, "\nVmFlags: rd "),
	      "smaps: Size, Rss, VmFlags of a mapping", "'%.200s'", e ? e : buf);
	munmap(a, 3 * 4096);
	unlink(path);
}

static void test_cmdline_comm(int argc, char **argv, char **envp)
{
	char want[512], name[32];
	size_t len = 0;

	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;

		memcpy(want + len, argv[i], l);
		len += l;
	}
	CHECK(slurp("/proc/self/cmdline") == (long)len && memcmp(buf, want, len) == 0,
	      "cmdline: argv, NUL-separated", "%ld bytes", (long)strlen(buf));
	CHECK(envp[0] && slurp("/proc/self/environ") > 0 && strcmp(buf, envp[0]) == 0,
	      "environ: the initial environment", "'%s' vs '%s'", buf, envp[0] ? envp[0] : "");
	CHECK_RET(put("/proc/self/comm", "newname"), 0, "write comm");
	CHECK(slurp("/proc/self/comm") > 0 && strcmp(buf, "newname\n") == 0 &&
	      prctl(PR_GET_NAME, name) == 0 && strcmp(name, "newname") == 0,
	      "comm and PR_GET_NAME read the new name", "'%s'", buf);
	CHECK_RET(put("/proc/self/comm", "abcdefghijklmnopqrstuvwxyz"), 0, "write a long comm");
	CHECK(slurp("/proc/self/comm") > 0 && strcmp(buf, "abcdefghijklmno\n") == 0,
	      "comm: cut to 15 bytes", "'%s'", buf);
	CHECK_ERR(put("/proc/1/comm", "intruder"), EINVAL, "writing another process's comm EINVAL");
	prctl(PR_SET_NAME, "t_procfs");
}

/*
 * fd/N is a magic link: open and stat reach the open file itself, even
 * deleted or renamed since (the text would name nothing any more).
 */
static void test_fd_magic_links(void)
{
	char path[] = "/tmp/t_procfs.magic", moved[] = "/tmp/t_procfs.moved", fdp[64];
	struct stat a, b;
	char got[8] = "";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), fd2;

	CHECK(fd >= 0 && write(fd, "magic", 5) == 5, "a file to follow", "errno %d", errno);
	snprintf(fdp, sizeof(fdp), "/proc/self/fd/%d", fd);
	CHECK_OK(rename(path, moved), "rename it");
	fd2 = open(fdp, O_RDONLY);
	CHECK(fd2 >= 0 && read(fd2, got, 5) == 5 && memcmp(got, "magic", 5) == 0,
	      "open of fd/N after a rename: the same file", "fd %d '%s' errno %d", fd2, got, errno);
	if (fd2 >= 0)
		close(fd2);
	CHECK_OK(unlink(moved), "unlink it");
	fd2 = open(fdp, O_RDONLY);
	memset(got, 0, sizeof(got));
	CHECK(fd2 >= 0 && read(fd2, got, 5) == 5 && memcmp(got, "magic", 5) == 0,
	      "open of fd/N of a deleted file: still the file", "fd %d '%s' errno %d", fd2, got, errno);
	CHECK(fd2 >= 0 && fstat(fd, &a) == 0 && fstat(fd2, &b) == 0 && a.st_ino == b.st_ino &&
	      a.st_dev == b.st_dev && b.st_nlink == 0, "the same inode, no links left",
	      "ino %lu/%lu nlink %lu", (unsigned long)a.st_ino, (unsigned long)b.st_ino,
	      (unsigned long)b.st_nlink);
	if (fd2 >= 0)
		close(fd2);
	CHECK(stat(fdp, &b) == 0 && fstat(fd, &a) == 0 && a.st_ino == b.st_ino,
	      "stat of fd/N follows to the deleted file", "errno %d", errno);
	CHECK_ERR(open(fdp, O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY through it: ENOTDIR");
	close(fd);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	snprintf(fdp, sizeof(fdp), "/proc/self/fd/%d/.", fd);
	CHECK(stat(fdp, &b) == 0 && stat("/tmp", &a) == 0 && a.st_ino == b.st_ino,
	      "fd/N of a directory walks on as that directory", "errno %d", errno);
	close(fd);
	/* cwd too: a removed working directory is still reached through it. */
	CHECK_OK(mkdir("/tmp/t_procfs.cwd", 0755), "a directory");
	CHECK_OK(chdir("/tmp/t_procfs.cwd"), "chdir into it");
	CHECK(stat(".", &a) == 0 && rmdir("/tmp/t_procfs.cwd") == 0, "remove it", "errno %d", errno);
	CHECK(stat("/proc/self/cwd", &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
	      b.st_nlink == 0, "cwd reaches the removed directory", "errno %d nlink %lu", errno,
	      (unsigned long)b.st_nlink);
	CHECK(stat("/proc/self/root/tmp", &b) == 0 && stat("/tmp", &a) == 0 && a.st_ino == b.st_ino,
	      "root/ walks on from the root", "errno %d", errno);
	chdir("/tmp");
}

static void test_links(char **argv)
{
	char link[PATH_MAX], want[64], path[] = "/tmp/t_procfs.f";
	struct stat sb;
	ssize_t n;
	int fd;

	n = readlink("/proc/self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(n > 0 && atoi(link) == getpid(), "/proc/self -> pid", "'%s'", link);
	n = readlink("/proc/thread-self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "%d/task/%ld", getpid(), (long)syscall(SYS_gettid));
	CHECK(n > 0 && strcmp(link, want) == 0, "/proc/thread-self -> pid/task/tid", "'%s'", link);
	if (argv[0][0] == '/') {
		n = readlink("/proc/self/exe", link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = 0;
		CHECK(n > 0 && strcmp(link, argv[0]) == 0, "exe -> the program", "'%s'", link);
	}
	chdir("/tmp");
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(n == 4 && strcmp(link, "/tmp") == 0, "cwd -> /tmp", "'%s'", link);
	n = readlink("/proc/self/root", link, sizeof(link) - 1);
	CHECK(n == 1 && link[0] == '/', "root -> /", "%zd", n);

	int modes[3] = { O_RDONLY, O_WRONLY, O_RDWR };
	unsigned int perm[3] = { 0500, 0300, 0700 };
	for (int i = 0; i < 3; i++) {
		char fdp[64], d[80];

		fd = open(path, modes[i] | O_CREAT, 0644);
		snprintf(fdp, sizeof(fdp), "/proc/self/fd/%d", fd);
		n = readlink(fdp, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = 0;
		snprintf(d, sizeof(d), "fd/N of an O_%s file: the path, mode %o",
			 i == 0 ? "RDONLY" : i == 1 ? "WRONLY" : "RDWR", perm[i]);
		CHECK(n > 0 && strcmp(link, path) == 0 && lstat(fdp, &sb) == 0 && S_ISLNK(sb.st_mode) &&
		      (sb.st_mode & 0777) == perm[i], d, "'%s' mode %o", link, sb.st_mode);
		close(fd);
	}

	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	write(fd, "0123456789", 10);
	lseek(fd, 5, SEEK_SET);
	fstat(fd, &sb);
	char fdi[64];
	unsigned long pos = 0, ino = 0;
	unsigned int flags = 0, mnt = 0;
	snprintf(fdi, sizeof(fdi), "/proc/self/fdinfo/%d", fd);
	CHECK(slurp(fdi) > 0 && sscanf(buf, "pos:\t%lu\nflags:\t%o\nmnt_id:\t%u\nino:\t%lu\n", &pos, &flags,
				       &mnt, &ino) == 4 && buf[strlen("pos:\t5\nflags:\t")] == '0' &&
	      pos == 5 && (flags & O_ACCMODE) == O_RDWR && (flags & O_APPEND) && (flags & O_CLOEXEC) &&
	      ino == sb.st_ino, "fdinfo: pos, flags (octal, with O_CLOEXEC), mnt_id, ino", "'%s'", buf);
	close(fd);
	unlink(path);
	char key[32];
	snprintf(key, sizeof(key), "%u ", mnt);
	slurp("/proc/self/mountinfo");
	bool found = strncmp(buf, key, strlen(key)) == 0;
	for (char *l = strchr(buf, '\n'); l && !found; l = strchr(l + 1, '\n'))
		found = strncmp(l + 1, key, strlen(key)) == 0;
	CHECK(found, "fdinfo's mnt_id is a mountinfo id", "mnt_id %u in '%.300s'", mnt, buf);

	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int seen = 0;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, "0") == 0 || strcmp(e->d_name, "1") == 0)
			seen++;
	if (d)
		closedir(d);
	CHECK(seen == 2, "fd/ lists descriptors 0 and 1", "seen %d", seen);
}

static void test_mounts_limits(void)
{
	struct rlimit rl;
	char want[160];

	CHECK(slurp("/proc/self/mounts") > 0 && strstr(buf, " /proc proc "), "mounts: /proc proc",
	      "'%.200s'", buf);
	CHECK(slurp("/proc/mounts") > 0 && strstr(buf, " /proc proc "), "/proc/mounts", "'%.200s'", buf);
	slurp("/proc/self/mountinfo");
	bool ok = false;
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		unsigned int id, parent, ma, mi;
		char root[64], mp[64], type[32];
		char *dash = strstr(l, " - ");

		if (sscanf(l, "%u %u %u:%u %63s %63s", &id, &parent, &ma, &mi, root, mp) != 6 || !dash ||
		    dash > strchr(l, '\n'))
			break;
		if (sscanf(dash, " - %31s", type) == 1 && strcmp(mp, "/proc") == 0 &&
		    strcmp(type, "proc") == 0 && strcmp(root, "/") == 0)
			ok = true;
	}
	CHECK(ok, "mountinfo: 'id parent maj:min root mountpoint options - type source opts'",
	      "'%.300s'", buf);
	getrlimit(RLIMIT_NOFILE, &rl);
	slurp("/proc/self/limits");
	snprintf(want, sizeof(want), "\nMax open files            %-20lu %-20lu files     \n",
		 (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
	CHECK(strncmp(buf, "Limit                     Soft Limit           Hard Limit           Units     \n", 79) == 0 &&
	      strstr(buf, want) && strstr(buf, "\nMax cpu time              unlimited            unlimited            seconds   \n"),
	      "limits: Linux's columns, Max open files from getrlimit", "'%.300s'", buf);
}

static void test_oom_score_adj(void)
{
	int st;

	CHECK(slurp("/proc/self/oom_score_adj") > 0 && strcmp(buf, "0\n") == 0, "oom_score_adj starts at 0",
	      "'%s'", buf);
	CHECK_RET(put("/proc/self/oom_score_adj", "500\n"), 0, "write oom_score_adj 500");
	CHECK(slurp("/proc/self/oom_score_adj") > 0 && strcmp(buf, "500\n") == 0, "reads back 500", "'%s'", buf);
	CHECK_ERR(put("/proc/self/oom_score_adj", "1001"), EINVAL, "oom_score_adj 1001 EINVAL");
	CHECK_ERR(put("/proc/self/oom_score_adj", "-1001"), EINVAL, "oom_score_adj -1001 EINVAL");
	CHECK_ERR(put("/proc/self/oom_score_adj", "12abc"), EINVAL, "oom_score_adj junk EINVAL");
	CHECK_RET(put("/proc/self/oom_score_adj", "  0x10 \n"), 0, "oom_score_adj: blanks around, C's bases");
	CHECK(slurp("/proc/self/oom_score_adj") > 0 && strcmp(buf, "16\n") == 0, "0x10 reads back 16", "'%s'", buf);
	CHECK_ERR(put("/proc/self/oom_score_adj", "99999999999"), ERANGE, "oom_score_adj beyond int: ERANGE");
	CHECK_RET(put("/proc/self/oom_score_adj", "-1000"), 0, "root may write -1000");
	CHECK_RET(put("/proc/self/oom_score_adj", "100"), 0, "and 100 (root's floor is now 100)");
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534) || prctl(PR_SET_DUMPABLE, 1))
			_exit(1);
		if (put("/proc/self/oom_score_adj", "50") != -1 || errno != EACCES)
			_exit(2);	/* below the floor it inherited */
		if (put("/proc/self/oom_score_adj", "200"))
			_exit(3);
		if (slurp("/proc/self/oom_score_adj") <= 0 || strcmp(buf, "200\n"))
			_exit(4);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "unprivileged: inherited floor, EACCES below it, raising works",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
	put("/proc/self/oom_score_adj", "0");
}

/* As nobody: another user's private entries are EACCES, its status readable. */
static int child_nobody(void)
{
	char link[64];
	struct stat sb;

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534) || prctl(PR_SET_DUMPABLE, 1))
		return 1;
	if (open("/proc/1/environ", O_RDONLY) != -1 || errno != EACCES)
		return 2;
	if (opendir("/proc/1/fd") != NULL || errno != EACCES)
		return 3;
	if (readlink("/proc/1/exe", link, sizeof(link)) != -1 || errno != EACCES)
		return 4;
	if (readlink("/proc/1/cwd", link, sizeof(link)) != -1 || errno != EACCES)
		return 5;
	if (open("/proc/1/maps", O_RDONLY) != -1 || errno != EACCES)
		return 6;
	if (slurp("/proc/1/status") <= 0 || slurp("/proc/1/stat") <= 0 || slurp("/proc/1/cmdline") < 0)
		return 7;
	if (stat("/proc/1", &sb) || sb.st_uid != 0 || stat("/proc/self", &sb) || sb.st_uid != 65534)
		return 8;
	if (slurp("/proc/self/environ") < 0 || slurp("/proc/self/maps") <= 0)
		return 9;	/* its own are fine */
	if (opendir("/proc/self/fd") == NULL)
		return 10;
	return 0;
}

static void test_permissions(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(child_nobody());
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "as nobody: root's environ, fd/, exe, cwd, maps EACCES; status readable; owners",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
}

static pthread_barrier_t barrier;
static pid_t tids[2];

static void *thread_fn(void *arg)
{
	tids[(intptr_t)arg] = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	return NULL;
}

static void test_task(void)
{
	pthread_t th[2];
	char path[96], comm[32], f[52][24];
	int seen = 0, n;

	pthread_barrier_init(&barrier, NULL, 3);
	for (intptr_t i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, thread_fn, (void *)i);
	pthread_barrier_wait(&barrier);
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		pid_t t = atoi(e->d_name);

		seen += t == getpid() || t == tids[0] || t == tids[1];
	}
	if (d)
		closedir(d);
	CHECK(seen == 3, "task/ lists the three threads", "seen %d", seen);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tids[1]);
	n = stat_fields(path, comm, f);
	CHECK(n == 52 && atoi(buf) == tids[1] && atoi(f[17]) == 3, "task/TID/stat: the tid, 3 threads",
	      "'%.100s'", buf);
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tids[0]);
	CHECK(slurp(path) > 0 && atoi(field(buf, "Pid") ? field(buf, "Pid") : "0") == tids[0] &&
	      atoi(field(buf, "Tgid") ? field(buf, "Tgid") : "0") == getpid(),
	      "task/TID/status: Pid is the tid, Tgid the process", "'%.200s'", buf);
	CHECK(slurp("/proc/self/status") > 0 && atoi(field(buf, "Threads") ? field(buf, "Threads") : "0") == 3,
	      "status: Threads 3", "'%.100s'", field(buf, "Threads"));
	snprintf(path, sizeof(path), "/proc/%d/task/%d/task", getpid(), tids[0]);
	CHECK_ERR(open(path, O_RDONLY), ENOENT, "task/TID has no task/");
	snprintf(path, sizeof(path), "/proc/%d/task/999999", getpid());
	CHECK_ERR(open(path, O_RDONLY), ENOENT, "task/ of no such thread ENOENT");
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
}

int main(int argc, char **argv, char **envp)
{
	check_init(argv[0]);
	test_system_files();
	test_meminfo_cached();
	test_sysctl();
	test_stat_status();
	test_maps();
	test_cmdline_comm(argc, argv, envp);
	test_links(argv);
	test_fd_magic_links();
	test_mounts_limits();
	test_oom_score_adj();
	test_permissions();
	test_task();
	return check_done();
}
