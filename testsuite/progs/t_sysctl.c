// SPDX-License-Identifier: MPL-2.0
/*
 * t_sysctl -- /proc/sys tunables and the code that honours them:
 * kernel/domainname (shared with setdomainname and uname), ngroups_max
 * (setgroups' limit), tainted, threads-max (its default from RAM as Linux's
 * set_max_threads; fork fails with EAGAIN at it), vm/max_map_count (mmap and
 * mprotect splits fail with ENOMEM past it), vm/mmap_min_addr (MAP_FIXED
 * below it is EPERM without CAP_SYS_RAWIO), fs/inotify/ (per-user watches
 * ENOSPC and instances EMFILE, queued events IN_Q_OVERFLOW), kernel/printk
 * (the console level syslog(2) sets, its minimum), fs/pipe-max-size
 * (F_SETPIPE_SZ past it EPERM without CAP_SYS_RESOURCE), pipe-user-pages-soft
 * and -hard (two-page pipes, EPERM, ENFILE).  Each: Debian 6.1's default or
 * its relation to memory, EINVAL for bad values, EACCES for non-root
 * writers; every value is restored.
 */
#include "check.h"
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/inotify.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#define NOBODY		65534
#define DOMAIN		"/proc/sys/kernel/domainname"
#define THREADS		"/proc/sys/kernel/threads-max"
#define MAPCOUNT	"/proc/sys/vm/max_map_count"
#define MINADDR		"/proc/sys/vm/mmap_min_addr"
#define PIPEMAX		"/proc/sys/fs/pipe-max-size"
#define PSOFT		"/proc/sys/fs/pipe-user-pages-soft"
#define PHARD		"/proc/sys/fs/pipe-user-pages-hard"
#define PRINTK		"/proc/sys/kernel/printk"
#define IQUEUED		"/proc/sys/fs/inotify/max_queued_events"
#define IINST		"/proc/sys/fs/inotify/max_user_instances"
#define IWATCH		"/proc/sys/fs/inotify/max_user_watches"

static void child_done(void)
{
	_exit(check_failed ? 1 : 0);
}

static void wait_child(pid_t pid, const char *desc)
{
	int st = -1;

	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, desc,
	      "status 0x%x", st);
}

static long read_long(const char *path)
{
	char buf[64];

	if (check_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

/* MemTotal of /proc/meminfo, in kB. */
static long mem_total_kb(void)
{
	char buf[4096], *p;

	if (check_read_file("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "MemTotal:");
	return p ? strtol(p + 9, NULL, 10) : -1;
}

static void test_domainname(void)
{
	char saved[80], buf[80];
	struct utsname u;

	CHECK(check_read_file(DOMAIN, saved, sizeof(saved)) > 0 && strchr(saved, '\n'),
	      "domainname reads a line", "'%s'", saved);
	*strchr(saved, '\n') = 0;
	CHECK(uname(&u) == 0 && strcmp(u.domainname, saved) == 0, "domainname is uname's",
	      "'%s' vs '%s'", u.domainname, saved);
	CHECK_RET(check_write_file(DOMAIN, "t-sysctl.example\n"), 0, "write domainname");
	CHECK(uname(&u) == 0 && strcmp(u.domainname, "t-sysctl.example") == 0, "uname sees the write",
	      "'%s'", u.domainname);
	CHECK_RET(setdomainname("viasyscall", 10), 0, "setdomainname");
	CHECK(check_read_file(DOMAIN, buf, sizeof(buf)) > 0 && strcmp(buf, "viasyscall\n") == 0,
	      "the file sees setdomainname", "'%s'", buf);
	CHECK_RET(check_write_file(DOMAIN, saved), 0, "restore domainname");
	CHECK(uname(&u) == 0 && strcmp(u.domainname, saved) == 0, "domainname restored", "'%s'",
	      u.domainname);
}

static void test_readonly(void)
{
	char buf[64];
	gid_t *g = calloc(65537, sizeof(gid_t));

	CHECK(check_read_file("/proc/sys/kernel/ngroups_max", buf, sizeof(buf)) > 0 &&
	      strcmp(buf, "65536\n") == 0, "ngroups_max is 65536", "'%s'", buf);
	CHECK_ERR(open("/proc/sys/kernel/ngroups_max", O_WRONLY), EACCES, "ngroups_max is read-only");
	/* The limit it names: setgroups of 65537 groups is EINVAL (before any copy). */
	CHECK_ERR(setgroups(65537, g), EINVAL, "setgroups past ngroups_max: EINVAL");
	free(g);
	CHECK(check_read_file("/proc/sys/kernel/tainted", buf, sizeof(buf)) > 0 && strcmp(buf, "0\n") == 0,
	      "tainted is 0", "'%s'", buf);
}

/* Fork children that wait until one fork fails: its errno (0: none failed). */
static int fork_until_failure(int max)
{
	pid_t kids[64];
	int n = 0, err = 0;

	while (n < max && n < 64) {
		pid_t p = fork();

		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0) {
			err = errno;
			break;
		}
		kids[n++] = p;
	}
	for (int i = 0; i < n; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	return err;
}

static void test_threads_max(void)
{
	char saved[32];
	long v = read_long(THREADS), mem = mem_total_kb();

	/*
	 * set_max_threads: RAM / (8 * THREAD_SIZE), THREAD_SIZE 16 KiB on x86-64.
	 * Linux counts RAM early in boot, before the initramfs and init memory
	 * are freed: a little below MemTotal / 128.
	 */
	CHECK(v >= 20 && v <= mem / 128 && v >= mem / 128 * 3 / 4, "threads-max from RAM",
	      "%ld for MemTotal %ld kB", v, mem);
	check_read_file(THREADS, saved, sizeof(saved));
	CHECK_ERR(check_write_file(THREADS, "0"), EINVAL, "threads-max 0: EINVAL");
	CHECK_ERR(check_write_file(THREADS, "-20"), EINVAL, "threads-max -20: EINVAL");
	CHECK_ERR(check_write_file(THREADS, "1073741824"), EINVAL, "threads-max past FUTEX_TID_MASK: EINVAL");
	CHECK_ERR(check_write_file(THREADS, "many"), EINVAL, "threads-max not a number: EINVAL");
	CHECK_RET(check_write_file(THREADS, "0x14"), 0, "threads-max 0x14 (C bases, as Linux)");
	CHECK_RET(read_long(THREADS), 20, "threads-max reads 20");
	/* Linux counts its kernel threads too: with 20 the first or a later fork fails. */
	CHECK_RET(fork_until_failure(64), EAGAIN, "fork at threads-max: EAGAIN, root too");
	CHECK_RET(check_write_file(THREADS, saved), 0, "restore threads-max");
	CHECK_RET(fork_until_failure(3), 0, "forks work again");
}

/* In a child: lower max_map_count to what we hold plus a few, make mappings until ENOMEM. */
static void map_count_child(void)
{
	char buf[32];
	int left = 200, mmap_err = 0, prot_err = 0;
	char *big = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (big == MAP_FAILED)
		_exit(2);
	snprintf(buf, sizeof(buf), "%d", 8);
	/* Few enough that the process already holds more: every split and new map fails. */
	if (check_write_file(MAPCOUNT, buf) != 0)
		_exit(3);
	if (mprotect(big + 4096, 4096, PROT_READ) != 0)
		prot_err = errno;
	while (left-- > 0) {
		void *p = mmap(NULL, 4096, (left & 1) ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			mmap_err = errno;
			break;
		}
	}
	check_write_file(MAPCOUNT, "65530");
	_exit(prot_err == ENOMEM && mmap_err == ENOMEM ? 0 : 4);
}

static void test_max_map_count(void)
{
	char *big;
	pid_t pid;

	CHECK_RET(read_long(MAPCOUNT), 65530, "max_map_count is 65530");
	CHECK_ERR(check_write_file(MAPCOUNT, "-1"), EINVAL, "max_map_count -1: EINVAL");
	CHECK_ERR(check_write_file(MAPCOUNT, "12x"), EINVAL, "max_map_count 12x: EINVAL");
	CHECK_ERR(check_write_file(MAPCOUNT, "4294967296"), EINVAL, "max_map_count past INT_MAX: EINVAL");
	pid = fork();
	if (pid == 0)
		map_count_child();
	wait_child(pid, "max_map_count 8: mprotect split and mmap ENOMEM");
	CHECK_RET(read_long(MAPCOUNT), 65530, "max_map_count restored");
	big = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED && mprotect(big + 4096, 4096, PROT_READ) == 0 &&
	      munmap(big, 3 * 4096) == 0, "splits work again", "errno %d", errno);
}

static void test_mmap_min_addr(void)
{
	void *p;
	pid_t pid;

	CHECK_RET(read_long(MINADDR), 65536, "mmap_min_addr is 65536");
	CHECK_ERR(check_write_file(MINADDR, "-1"), EINVAL, "mmap_min_addr -1: EINVAL");
	CHECK_ERR(check_write_file(MINADDR, "0x2000g"), EINVAL, "mmap_min_addr 0x2000g: EINVAL");
	CHECK_RET(check_write_file(MINADDR, "0x20000"), 0, "mmap_min_addr 0x20000");
	CHECK_RET(read_long(MINADDR), 131072, "mmap_min_addr reads 131072");
	/* Root has CAP_SYS_RAWIO: it may map below. */
	p = mmap((void *)0x10000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(p == (void *)0x10000, "root maps below mmap_min_addr", "%p errno %d", p, errno);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	pid = fork();
	if (pid == 0) {
		CHECK(setuid(NOBODY) == 0, "setuid(65534)", "errno %d", errno);
		p = mmap((void *)0x10000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		CHECK(p == MAP_FAILED && errno == EPERM, "nobody: MAP_FIXED below mmap_min_addr EPERM",
		      "%p errno %d", p, errno);
		p = mmap((void *)0x20000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		CHECK(p == (void *)0x20000, "nobody: MAP_FIXED at mmap_min_addr works", "%p errno %d", p,
		      errno);
		p = mmap((void *)0x11000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED && (uintptr_t)p >= 0x20000, "nobody: a hint below is not taken",
		      "%p errno %d", p, errno);
		CHECK_ERR(open(MINADDR, O_WRONLY), EACCES, "nobody may not write mmap_min_addr");
		CHECK_ERR(open(THREADS, O_WRONLY), EACCES, "nobody may not write threads-max");
		CHECK_ERR(open(MAPCOUNT, O_WRONLY), EACCES, "nobody may not write max_map_count");
		CHECK_ERR(open(DOMAIN, O_WRONLY), EACCES, "nobody may not write domainname");
		child_done();
	}
	wait_child(pid, "uid 65534 child: mmap_min_addr and permissions");
	CHECK_RET(check_write_file(MINADDR, "65536"), 0, "restore mmap_min_addr");
	pid = fork();
	if (pid == 0) {
		CHECK(setuid(NOBODY) == 0, "setuid(65534)", "errno %d", errno);
		p = mmap((void *)0x10000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		CHECK(p == (void *)0x10000, "nobody: MAP_FIXED at 65536 works", "%p errno %d", p, errno);
		p = mmap((void *)0x8000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		CHECK(p == MAP_FAILED && errno == EPERM, "nobody: MAP_FIXED at 0x8000 EPERM", "%p errno %d",
		      p, errno);
		child_done();
	}
	wait_child(pid, "uid 65534 child: the default mmap_min_addr");
}

/* As nobody (no inotify of its own): the per-user limits at 2 watches and 1 instance. */
static void inotify_user_child(void)
{
	int fd, fd2;

	CHECK(setuid(NOBODY) == 0, "setuid(65534)", "errno %d", errno);
	fd = inotify_init1(IN_CLOEXEC);
	CHECK(fd >= 0, "nobody: inotify_init1", "errno %d", errno);
	CHECK_OK(inotify_add_watch(fd, "/", IN_CREATE), "first watch");
	CHECK_OK(inotify_add_watch(fd, "/proc", IN_CREATE), "second watch");
	CHECK_ERR(inotify_add_watch(fd, "/dev", IN_CREATE), ENOSPC, "third watch past max_user_watches 2: ENOSPC");
	CHECK_OK(inotify_add_watch(fd, "/", IN_DELETE), "updating a watch is not a new one");
	fd2 = inotify_init1(IN_CLOEXEC);
	CHECK(fd2 < 0 && errno == EMFILE, "second instance past max_user_instances 1: EMFILE", "fd %d errno %d",
	      fd2, errno);
	close(fd);
	fd2 = inotify_init1(IN_CLOEXEC);
	CHECK(fd2 >= 0, "closing gives the instance back", "errno %d", errno);
	CHECK_OK(inotify_add_watch(fd2, "/", IN_CREATE), "and its watches");
	close(fd2);
	CHECK_ERR(open(IWATCH, O_WRONLY), EACCES, "nobody may not write max_user_watches");
	child_done();
}

static void test_inotify(void)
{
	char saved_w[32], path[64], buf[4096];
	long w = read_long(IWATCH), mem = mem_total_kb(), n;
	int fd, creates = 0, overflows = 0;
	pid_t pid;

	CHECK_RET(read_long(IQUEUED), 16384, "max_queued_events is 16384");
	CHECK_RET(read_long(IINST), 128, "max_user_instances is 128");
	/* 1% of RAM over a watch's cost (over 1 KiB), within [8192, 1048576]. */
	CHECK(w >= 8192 && w <= 1048576 && (mem > 1000000 || w == 8192), "max_user_watches from RAM",
	      "%ld for MemTotal %ld kB", w, mem);
	check_read_file(IWATCH, saved_w, sizeof(saved_w));
	CHECK_ERR(check_write_file(IWATCH, "-1"), EINVAL, "max_user_watches -1: EINVAL");
	CHECK_ERR(check_write_file(IINST, "x"), EINVAL, "max_user_instances x: EINVAL");
	CHECK_ERR(check_write_file(IQUEUED, "-5"), EINVAL, "max_queued_events -5: EINVAL");
	CHECK_RET(check_write_file(IWATCH, "2"), 0, "max_user_watches 2");
	CHECK_RET(check_write_file(IINST, "1"), 0, "max_user_instances 1");
	pid = fork();
	if (pid == 0)
		inotify_user_child();
	wait_child(pid, "uid 65534 child: inotify per-user limits");
	CHECK_RET(check_write_file(IWATCH, saved_w), 0, "restore max_user_watches");
	CHECK_RET(check_write_file(IINST, "128"), 0, "restore max_user_instances");

	/* max_queued_events 4: the fifth event is IN_Q_OVERFLOW, then nothing. */
	mkdir("/tmp/t_sysctl.d", 0700);
	CHECK_RET(check_write_file(IQUEUED, "4"), 0, "max_queued_events 4");
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	CHECK_RET(check_write_file(IQUEUED, "16384"), 0, "restore max_queued_events (the instance keeps 4)");
	CHECK_OK(inotify_add_watch(fd, "/tmp/t_sysctl.d", IN_CREATE), "watch a directory");
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "/tmp/t_sysctl.d/f%d", i);
		close(open(path, O_CREAT | O_WRONLY, 0600));
	}
	n = read(fd, buf, sizeof(buf));
	for (char *p = buf; n > 0 && p < buf + n;) {
		struct inotify_event *e = (struct inotify_event *)p;

		creates += (e->mask & IN_CREATE) != 0;
		overflows += e->mask == IN_Q_OVERFLOW && e->wd == -1;
		p += sizeof(*e) + e->len;
	}
	CHECK(creates == 4 && overflows == 1, "4 events, then IN_Q_OVERFLOW", "%d creates, %d overflows", creates,
	      overflows);
	close(fd);
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "/tmp/t_sysctl.d/f%d", i);
		unlink(path);
	}
	rmdir("/tmp/t_sysctl.d");
}

/* As nobody: F_SETPIPE_SZ up to pipe-max-size (16384 now), not past it. */
static void pipe_user_child(void)
{
	int fds[2];

	CHECK(setuid(NOBODY) == 0, "setuid(65534)", "errno %d", errno);
	CHECK_OK(pipe(fds), "nobody: pipe");
	CHECK_RET(fcntl(fds[0], F_GETPIPE_SZ), 16384, "nobody: a new pipe is no larger than pipe-max-size");
	CHECK_ERR(fcntl(fds[0], F_SETPIPE_SZ, 32768), EPERM, "nobody: F_SETPIPE_SZ past pipe-max-size: EPERM");
	CHECK_RET(fcntl(fds[0], F_SETPIPE_SZ, 16384), 16384, "nobody: F_SETPIPE_SZ at pipe-max-size");
	CHECK_RET(fcntl(fds[1], F_SETPIPE_SZ, 100), 4096, "nobody: shrinking to one page");
	CHECK_ERR(open(PIPEMAX, O_WRONLY), EACCES, "nobody may not write pipe-max-size");
	child_done();
}

static void test_pipe(void)
{
	char buf[16384];
	int fds[2], fl;
	pid_t pid;

	CHECK_RET(read_long(PIPEMAX), 1048576, "pipe-max-size is 1048576");
	CHECK_ERR(check_write_file(PIPEMAX, "-1"), EINVAL, "pipe-max-size -1: EINVAL");
	CHECK_ERR(check_write_file(PIPEMAX, "2147483649"), EINVAL, "pipe-max-size past 2 GiB: EINVAL");
	CHECK_RET(check_write_file(PIPEMAX, "5000"), 0, "pipe-max-size 5000");
	CHECK_RET(read_long(PIPEMAX), 8192, "rounded up to 8192 (a power-of-two page count)");
	CHECK_RET(check_write_file(PIPEMAX, "16384"), 0, "pipe-max-size 16384");
	pid = fork();
	if (pid == 0)
		pipe_user_child();
	wait_child(pid, "uid 65534 child: F_SETPIPE_SZ and pipe-max-size");

	CHECK_OK(pipe(fds), "pipe");
	CHECK_RET(fcntl(fds[0], F_GETPIPE_SZ), 65536, "F_GETPIPE_SZ: 65536");
	CHECK_RET(fcntl(fds[1], F_SETPIPE_SZ, 131072), 131072, "root (CAP_SYS_RESOURCE) grows past pipe-max-size");
	CHECK_RET(check_write_file(PIPEMAX, "1048576"), 0, "restore pipe-max-size");
	CHECK_RET(fcntl(fds[0], F_SETPIPE_SZ, 0x80000001L), -1, "F_SETPIPE_SZ past 2 GiB fails");
	CHECK(errno == EINVAL, "... with EINVAL", "errno %d", errno);
	CHECK_RET(write(fds[1], "hello", 5), 5, "write 5 bytes");
	CHECK_RET(fcntl(fds[1], F_SETPIPE_SZ, 5000), 8192, "F_SETPIPE_SZ 5000: 8192");
	CHECK_RET(fcntl(fds[0], F_GETPIPE_SZ), 8192, "F_GETPIPE_SZ: 8192");
	memset(buf, 'x', sizeof(buf));
	fl = fcntl(fds[1], F_GETFL);
	fcntl(fds[1], F_SETFL, fl | O_NONBLOCK);
	CHECK_RET(write(fds[1], buf, 4096), 4096, "a page more");
	CHECK_ERR(fcntl(fds[1], F_SETPIPE_SZ, 4096), EBUSY, "shrinking below the data: EBUSY");
	CHECK(read(fds[0], buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "the data survived the resize",
	      "'%.5s'", buf);
	CHECK(read(fds[0], buf, sizeof(buf)) == 4096, "and the rest", "errno %d", errno);
	CHECK_RET(fcntl(fds[1], F_SETPIPE_SZ, 4096), 4096, "empty: shrinking to a page");
	memset(buf, 'x', sizeof(buf));
	CHECK_RET(write(fds[1], buf, sizeof(buf)), 4096, "the ring holds one page now");
	close(fds[0]);
	close(fds[1]);
	fds[0] = open("/proc/self/stat", O_RDONLY);
	CHECK_ERR(fcntl(fds[0], F_GETPIPE_SZ), EBADF, "F_GETPIPE_SZ of a non-pipe: EBADF");
	close(fds[0]);
}

/* As nobody, holding no pipes: soft limit 20 pages, or hard 20 (hard true). */
static void pipe_pages_child(bool hard)
{
	int a[2], b[2];

	CHECK(setuid(NOBODY) == 0, "setuid(65534)", "errno %d", errno);
	CHECK_OK(pipe(a), "nobody: a first pipe (16 pages)");
	CHECK_RET(fcntl(a[0], F_GETPIPE_SZ), 65536, "within the limit: 65536");
	if (hard) {
		CHECK_ERR(pipe(b), ENFILE, "past pipe-user-pages-hard: ENFILE");
		child_done();
	}
	CHECK_OK(pipe(b), "a second pipe");
	CHECK_RET(fcntl(b[0], F_GETPIPE_SZ), 8192, "past pipe-user-pages-soft: two pages");
	CHECK_ERR(fcntl(b[0], F_SETPIPE_SZ, 32768), EPERM, "growing past the soft limit: EPERM");
	CHECK_RET(fcntl(b[0], F_SETPIPE_SZ, 16384), 16384, "growing up to it");
	CHECK_ERR(open(PSOFT, O_WRONLY), EACCES, "nobody may not write pipe-user-pages-soft");
	child_done();
}

static void test_pipe_user_pages(void)
{
	pid_t pid;

	CHECK_RET(read_long(PSOFT), 16384, "pipe-user-pages-soft is 16384");
	CHECK_RET(read_long(PHARD), 0, "pipe-user-pages-hard is 0");
	CHECK_ERR(check_write_file(PSOFT, "-1"), EINVAL, "pipe-user-pages-soft -1: EINVAL");
	CHECK_ERR(check_write_file(PHARD, "1k"), EINVAL, "pipe-user-pages-hard 1k: EINVAL");
	CHECK_RET(check_write_file(PSOFT, "20"), 0, "pipe-user-pages-soft 20");
	pid = fork();
	if (pid == 0)
		pipe_pages_child(false);
	wait_child(pid, "uid 65534 child: pipe-user-pages-soft");
	CHECK_RET(check_write_file(PSOFT, "0"), 0, "pipe-user-pages-soft 0 (none)");
	CHECK_RET(check_write_file(PHARD, "20"), 0, "pipe-user-pages-hard 20");
	pid = fork();
	if (pid == 0)
		pipe_pages_child(true);
	wait_child(pid, "uid 65534 child: pipe-user-pages-hard");
	CHECK_RET(check_write_file(PHARD, "0"), 0, "restore pipe-user-pages-hard");
	CHECK_RET(check_write_file(PSOFT, "16384"), 0, "restore pipe-user-pages-soft");
}

static void expect_printk(const char *want, const char *desc)
{
	char buf[64];

	CHECK(check_read_file(PRINTK, buf, sizeof(buf)) > 0 && strcmp(buf, want) == 0, desc, "'%s'", buf);
}

/* kernel/printk: the console level syslog(2) sets, and the minimum that floors it. */
static void test_printk(void)
{
	char saved[64];

	/* Both kernels boot with "quiet": console_loglevel 4. */
	expect_printk("4\t4\t1\t7\n", "printk is 4 4 1 7");
	check_read_file(PRINTK, saved, sizeof(saved));
	CHECK_ERR(check_write_file(PRINTK, "5 x"), EINVAL, "printk 5 x: EINVAL");
	CHECK_RET(check_write_file(PRINTK, "5 4 2 7"), 0, "printk 5 4 2 7");
	expect_printk("5\t4\t2\t7\n", "printk reads 5 4 2 7");
	CHECK_RET(klogctl(6, NULL, 0), 0, "SYSLOG_ACTION_CONSOLE_OFF");
	expect_printk("2\t4\t2\t7\n", "console off: the minimum level");
	CHECK_RET(klogctl(7, NULL, 0), 0, "SYSLOG_ACTION_CONSOLE_ON");
	expect_printk("5\t4\t2\t7\n", "console on: the level before");
	CHECK_RET(klogctl(8, NULL, 1), 0, "SYSLOG_ACTION_CONSOLE_LEVEL 1");
	expect_printk("2\t4\t2\t7\n", "CONSOLE_LEVEL below the minimum: the minimum");
	CHECK_RET(check_write_file(PRINTK, "6"), 0, "printk 6: only the first changes");
	expect_printk("6\t4\t2\t7\n", "printk reads 6 4 2 7");
	CHECK_RET(check_write_file(PRINTK, saved), 0, "restore printk");
	expect_printk("4\t4\t1\t7\n", "printk restored");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	if (geteuid() != 0) {
		check_printf("# t_sysctl: needs root\n");
		return check_done();
	}
	test_domainname();
	test_readonly();
	test_threads_max();
	test_max_map_count();
	test_mmap_min_addr();
	test_inotify();
	test_printk();
	test_pipe();
	test_pipe_user_pages();
	return check_done();
}
