/* SPDX-License-Identifier: MPL-2.0 */
/*
 * bench -- micro-benchmarks of the Linux system call interface, run as a
 * static program in the bench initramfs (testsuite/bench/init) on our kernel
 * and on Linux alike.  See doc/bench.md.
 *
 *   bench [-t MS] [-r REPS] [-d DIR] [NAME...]   run the figures (all, or
 *                                                the NAMEs given)
 *   bench -b DEV [-s MIB]                        the disk suite on DEV, an
 *                                                empty ext2 (disk.c)
 *   bench -l                                     list the figure names
 *   bench -x                                     exit 0 at once (the
 *                                                program fork-execve runs)
 *
 * Output, one line per figure (the host script parses the first kind):
 *   bench: NAME VALUE UNIT         VALUE an integer; UNIT ns/op or MiB/s
 *   bench-detail: NAME n=N best=B median=M worst=W
 *   bench: NAME error TEXT         the figure could not be measured
 *   bench: begin / bench: end status S   (S is 0 when nothing failed)
 *
 * Method: each figure is a function that performs N operations and returns
 * the nanoseconds they took (CLOCK_MONOTONIC; set-up and clean-up outside
 * the timed part).  N is doubled from 1 until one run lasts at least -t
 * milliseconds (default 20), so the figures mean something whatever the
 * speed of the emulator, and the run is then repeated -r times (default 21).
 * The reported VALUE is the best of those runs: the run least disturbed by
 * other load on the host, which is what a comparison of two kernels on a
 * shared machine needs (many short runs give a better chance of a quiet
 * one than a few long ones); the median and worst are in the detail line.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "bench.h"

#define MIB		(1024L * 1024)
#define PAGE		4096L
#define BW_FILE_SIZE	(64 * MIB)
#define BW_CHUNK	(64 * 1024L)
/* Largest region the page fault figure maps at once (64 MiB of 256). */
#define FAULT_MAX_PAGES	16384L
/* 1-byte pipe operations timed per batch (well under any pipe capacity). */
#define PIPE_BATCH	1024L
#define MAX_REPS	32

/* Run N operations; return the nanoseconds they took, or -errno. */
typedef int64_t (*bench_fn)(int64_t n);

enum unit { NS_PER_OP, MIB_PER_S };

struct figure {
	const char *name;
	bench_fn run;
	enum unit unit;
	int64_t max_n;		/* calibration stops here */
	int (*setup)(void);	/* optional; returns 0 or -errno */
	void (*teardown)(void);
};

static int64_t target_ns = 20 * 1000000L;
static int reps = 21;
static const char *workdir = "/tmp/bench.d";
static char self_path[4096] = "/proc/self/exe";
static char path_file[4200], path_tmp[4200], path_big[4200];
static char iobuf[BW_CHUNK];
static const char *disk_dev;	/* -b: run the disk suite on it */
static long disk_mib = 256;	/* -s: its big file's size */

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t neg_errno(void)
{
	return errno ? -(int64_t)errno : -EIO;
}

/* ---- the figures -------------------------------------------------------- */

/* An invalid number: kernel entry, dispatch and exit with no work at all. */
static int64_t b_null(int64_t n)
{
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++)
		if (syscall(-1L) != -1 || errno != ENOSYS)
			return -EPROTO;
	return now_ns() - t0;
}

/*
 * A seccomp filter of 20 rules as a sandbox writes them: the arch checked,
 * then 20 syscall numbers compared one after the other, each answered
 * EPERM, the rest allowed.  None is -1, so null-syscall walks all 20.
 */
static int install_seccomp20(void)
{
	static const uint32_t denied[20] = {
		SYS_mount, SYS_umount2, SYS_swapon, SYS_swapoff, SYS_reboot, SYS_kexec_load,
		SYS_init_module, SYS_delete_module, SYS_finit_module, SYS_pivot_root, SYS_chroot,
		SYS_acct, SYS_settimeofday, SYS_sethostname, SYS_setdomainname, SYS_iopl,
		SYS_ioperm, SYS_ptrace, SYS_personality, SYS_unshare,
	};
	struct sock_filter f[3 + 1 + 20 + 2];
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	size_t i = 0;

	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (size_t r = 0; r < 20; r++)
		f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, denied[r], (uint8_t)(20 - r), 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return -1;
	/* The filter must answer: one of its rules, and the default. */
	if (syscall(SYS_chroot, "/") != -1 || errno != EPERM || syscall(SYS_getpid) <= 0)
		return -1;
	return 0;
}

/* null-syscall under that filter, in a child: a filter cannot be removed. */
static int64_t b_null_seccomp20(int64_t n)
{
	int64_t t = -EIO;
	int fds[2], st;
	pid_t pid;

	if (pipe(fds))
		return neg_errno();
	pid = fork();
	if (pid == 0) {
		int64_t r = install_seccomp20() ? neg_errno() : b_null(n);

		_exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &t, sizeof(t)) != sizeof(t))
		t = -EIO;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	return t;
}

/* The raw syscall: glibc's getpid() wrapper may cache. */
static int64_t b_getpid(int64_t n)
{
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++)
		if (syscall(SYS_getpid) <= 0)
			return neg_errno();
	return now_ns() - t0;
}

/* glibc's clock_gettime: the vDSO where the kernel maps one (AT_SYSINFO_EHDR). */
static int64_t b_clock_gettime(int64_t n)
{
	struct timespec ts;
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++)
		if (clock_gettime(CLOCK_MONOTONIC, &ts))
			return neg_errno();
	return now_ns() - t0;
}

/* The same clock through the real syscall: what the vDSO saves. */
static int64_t b_clock_gettime_syscall(int64_t n)
{
	struct timespec ts;
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++)
		if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
			return neg_errno();
	return now_ns() - t0;
}

static int64_t devnull_rw(int64_t n, int writing)
{
	int fd = open("/dev/null", writing ? O_WRONLY : O_RDONLY);
	char c = 'x';

	if (fd < 0)
		return neg_errno();
	int64_t t0 = now_ns();
	for (int64_t i = 0; i < n; i++) {
		ssize_t r = writing ? write(fd, &c, 1) : read(fd, &c, 1);
		if (r != (writing ? 1 : 0)) {
			close(fd);
			return r < 0 ? neg_errno() : -EPROTO;
		}
	}
	int64_t t = now_ns() - t0;
	close(fd);
	return t;
}

static int64_t b_read_devnull(int64_t n)
{
	return devnull_rw(n, 0);
}

static int64_t b_write_devnull(int64_t n)
{
	return devnull_rw(n, 1);
}

/* Move K bytes through P with one bulk call (the untimed half). */
static int pipe_bulk(int p[2], int64_t k, int writing)
{
	ssize_t r = writing ? write(p[1], iobuf, (size_t)k) : read(p[0], iobuf, (size_t)k);

	if (r < 0)
		return (int)neg_errno();
	return r == k ? 0 : -EPROTO;
}

/* Time K 1-byte calls on P; add the nanoseconds to *total. */
static int pipe_ones(int p[2], int64_t k, int writing, int64_t *total)
{
	char c = 'x';
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < k; i++) {
		ssize_t r = writing ? write(p[1], &c, 1) : read(p[0], &c, 1);
		if (r != 1)
			return r < 0 ? (int)neg_errno() : -EPROTO;
	}
	*total += now_ns() - t0;
	return 0;
}

/*
 * 1-byte reads or writes on a pipe within one process, in batches of
 * PIPE_BATCH so the pipe neither fills nor empties: a timed batch of 1-byte
 * writes is drained by one untimed read, a timed batch of 1-byte reads is
 * fed by one untimed write.
 */
static int64_t pipe_rw(int64_t n, int writing)
{
	int p[2], err = 0;
	int64_t total = 0;

	if (pipe(p) < 0)
		return neg_errno();
	for (int64_t done = 0; done < n && !err; done += PIPE_BATCH) {
		int64_t k = n - done < PIPE_BATCH ? n - done : PIPE_BATCH;
		if (writing) {
			err = pipe_ones(p, k, 1, &total);
			if (!err)
				err = pipe_bulk(p, k, 0);
		} else {
			err = pipe_bulk(p, k, 1);
			if (!err)
				err = pipe_ones(p, k, 0, &total);
		}
	}
	close(p[0]);
	close(p[1]);
	return err ? err : total;
}

static int64_t b_pipe_read(int64_t n)
{
	return pipe_rw(n, 0);
}

static int64_t b_pipe_write(int64_t n)
{
	return pipe_rw(n, 1);
}

/* open(O_RDONLY) and close of an existing file three components deep. */
static int64_t b_open_close(int64_t n)
{
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++) {
		int fd = open(path_file, O_RDONLY);
		if (fd < 0)
			return neg_errno();
		close(fd);
	}
	return now_ns() - t0;
}

static int64_t b_stat(int64_t n)
{
	struct stat st;
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++)
		if (stat(path_file, &st) < 0)
			return neg_errno();
	return now_ns() - t0;
}

/* Wait for PID; 0 when it exited with status 0. */
static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return (int)neg_errno();
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -ECHILD;
}

static int64_t b_fork_exit(int64_t n)
{
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return neg_errno();
		if (pid == 0)
			_exit(0);
		int err = reap(pid);
		if (err)
			return err;
	}
	return now_ns() - t0;
}

/* fork, and the child execs this (static) program with -x, which exits. */
static int64_t b_fork_exec(int64_t n)
{
	char *const argv[] = { "bench", "-x", NULL };
	char *const envp[] = { NULL };
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return neg_errno();
		if (pid == 0) {
			execve(self_path, argv, envp);
			_exit(127);
		}
		int err = reap(pid);
		if (err)
			return err;
	}
	return now_ns() - t0;
}

/*
 * First write to each 4 KiB page of fresh private anonymous memory: the
 * fault, a zeroed page and its mapping.  Huge pages are refused
 * (MADV_NOHUGEPAGE; Debian's Linux has transparent huge pages "always"),
 * or Linux would fault 2 MiB at a time.
 */
static int64_t b_page_fault(int64_t n)
{
	size_t len = (size_t)(n * PAGE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return neg_errno();
	madvise(p, len, MADV_NOHUGEPAGE);	/* best effort: not every kernel has it */
	int64_t t0 = now_ns();
	for (int64_t i = 0; i < n; i++)
		p[i * PAGE] = 1;
	int64_t t = now_ns() - t0;
	munmap(p, len);
	return t;
}

/* Ping-pong: a 1-byte round trip to a child through two pipes. */
static int pp_to[2] = { -1, -1 }, pp_from[2] = { -1, -1 };
static pid_t pp_child = -1;

static void pp_echo(void)
{
	char c;

	close(pp_to[1]);
	close(pp_from[0]);
	while (read(pp_to[0], &c, 1) == 1)
		if (write(pp_from[1], &c, 1) != 1)
			_exit(1);
	_exit(0);
}

static void pp_teardown(void)
{
	if (pp_to[1] >= 0)
		close(pp_to[1]);	/* EOF: the child exits */
	if (pp_child > 0)
		reap(pp_child);
	if (pp_from[0] >= 0)
		close(pp_from[0]);
	pp_to[1] = pp_from[0] = -1;
	pp_child = -1;
}

static int pp_setup(void)
{
	if (pipe(pp_to) < 0)
		return (int)neg_errno();
	if (pipe(pp_from) < 0)
		return (int)neg_errno();
	pp_child = fork();
	if (pp_child < 0)
		return (int)neg_errno();
	if (pp_child == 0)
		pp_echo();
	close(pp_to[0]);
	close(pp_from[1]);
	return 0;
}

static int64_t b_pingpong(int64_t n)
{
	char c = 'p';
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++) {
		if (write(pp_to[1], &c, 1) != 1)
			return neg_errno();
		if (read(pp_from[0], &c, 1) != 1)
			return -EPROTO;
	}
	return now_ns() - t0;
}

/* create + write 4 KiB + close + unlink of a new file on the root ramfs. */
static int64_t b_file_cwu(int64_t n)
{
	int64_t t0 = now_ns();

	for (int64_t i = 0; i < n; i++) {
		int fd = open(path_tmp, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			return neg_errno();
		ssize_t w = write(fd, iobuf, PAGE);
		close(fd);
		if (w != PAGE)
			return w < 0 ? neg_errno() : -EPROTO;
		if (unlink(path_tmp) < 0)
			return neg_errno();
	}
	return now_ns() - t0;
}

/* Write (or read) all of BW_FILE_SIZE through FD in BW_CHUNK pieces. */
static int bw_stream(int fd, int writing)
{
	for (int64_t off = 0; off < BW_FILE_SIZE; off += BW_CHUNK) {
		ssize_t r = writing ? write(fd, iobuf, BW_CHUNK) : read(fd, iobuf, BW_CHUNK);
		if (r != BW_CHUNK)
			return r < 0 ? (int)neg_errno() : -EPROTO;
	}
	return 0;
}

/* One operation: create a 64 MiB file, write it sequentially, close it. */
static int64_t b_bw_write(int64_t n)
{
	int64_t total = 0;

	for (int64_t i = 0; i < n; i++) {
		unlink(path_big);
		int64_t t0 = now_ns();
		int fd = open(path_big, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		if (fd < 0)
			return neg_errno();
		int err = bw_stream(fd, 1);
		close(fd);
		total += now_ns() - t0;
		if (err)
			return err;
	}
	return total;
}

static int bw_read_setup(void)
{
	int fd = open(path_big, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	if (fd < 0)
		return (int)neg_errno();
	int err = bw_stream(fd, 1);
	close(fd);
	return err;
}

static void bw_teardown(void)
{
	unlink(path_big);
}

/* One operation: read the 64 MiB file sequentially from its start. */
static int64_t b_bw_read(int64_t n)
{
	int fd = open(path_big, O_RDONLY);
	int64_t total = 0;

	if (fd < 0)
		return neg_errno();
	for (int64_t i = 0; i < n; i++) {
		lseek(fd, 0, SEEK_SET);
		int64_t t0 = now_ns();
		int err = bw_stream(fd, 0);
		total += now_ns() - t0;
		if (err) {
			close(fd);
			return err;
		}
	}
	close(fd);
	return total;
}

static const struct figure figures[] = {
	{ "null-syscall", b_null, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "null-syscall-seccomp20", b_null_seccomp20, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "getpid", b_getpid, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "clock_gettime", b_clock_gettime, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "clock_gettime-syscall", b_clock_gettime_syscall, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "read-devnull", b_read_devnull, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "write-devnull", b_write_devnull, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "pipe-read", b_pipe_read, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "pipe-write", b_pipe_write, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "open-close", b_open_close, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "stat", b_stat, NS_PER_OP, 1L << 30, NULL, NULL },
	{ "fork-exit-wait", b_fork_exit, NS_PER_OP, 1L << 20, NULL, NULL },
	{ "fork-execve", b_fork_exec, NS_PER_OP, 1L << 20, NULL, NULL },
	{ "page-fault", b_page_fault, NS_PER_OP, FAULT_MAX_PAGES, NULL, NULL },
	{ "pipe-pingpong", b_pingpong, NS_PER_OP, 1L << 30, pp_setup, pp_teardown },
	{ "file-create-write4k-unlink", b_file_cwu, NS_PER_OP, 1L << 20, NULL, NULL },
	{ "ramfs-write-64m", b_bw_write, MIB_PER_S, 16, NULL, bw_teardown },
	{ "ramfs-read-64m", b_bw_read, MIB_PER_S, 16, bw_read_setup, bw_teardown },
};
#define NFIGURES (sizeof figures / sizeof figures[0])

/* ---- measuring and reporting -------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Double N until a run takes target_ns (or max_n is reached); 0 or -errno. */
static int64_t calibrate(const struct figure *f, int64_t *n)
{
	for (*n = 1;; *n *= 2) {
		int64_t t = f->run(*n);
		if (t < 0)
			return t;
		if (t >= target_ns || *n * 2 > f->max_n)
			return 0;
	}
}

/* Per-op nanoseconds, or MiB/s, of a run of N operations taking T ns. */
static int64_t figure_value(const struct figure *f, int64_t n, int64_t t)
{
	if (t <= 0)
		t = 1;
	if (f->unit == MIB_PER_S)
		return (int64_t)((double)n * (BW_FILE_SIZE / MIB) * 1e9 / (double)t + 0.5);
	return (t + n / 2) / n;
}

/* The figure's runs as per-op times, sorted best first. */
static int64_t measure_runs(const struct figure *f, int64_t n, int64_t *per_op)
{
	for (int r = 0; r < reps; r++) {
		int64_t t = f->run(n);
		if (t < 0)
			return t;
		per_op[r] = t;
	}
	qsort(per_op, (size_t)reps, sizeof per_op[0], cmp_i64);
	return 0;
}

static void report_error(const struct figure *f, int64_t err)
{
	printf("bench: %s error %s\n", f->name, strerror((int)-err));
	fflush(stdout);
}

/* Measure and print one figure; 0 or -errno. */
static int64_t run_figure(const struct figure *f)
{
	int64_t n, runs[MAX_REPS];
	int64_t err = f->setup ? f->setup() : 0;

	if (!err)
		err = calibrate(f, &n);
	if (!err)
		err = measure_runs(f, n, runs);
	if (f->teardown)
		f->teardown();
	if (err) {
		report_error(f, err);
		return err;
	}
	const char *unit = f->unit == MIB_PER_S ? "MiB/s" : "ns/op";
	printf("bench-detail: %s n=%lld best=%lld median=%lld worst=%lld %s\n", f->name,
	       (long long)n, (long long)figure_value(f, n, runs[0]),
	       (long long)figure_value(f, n, runs[reps / 2]),
	       (long long)figure_value(f, n, runs[reps - 1]), unit);
	printf("bench: %s %lld %s\n", f->name, (long long)figure_value(f, n, runs[0]), unit);
	fflush(stdout);
	return 0;
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return 1;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

/* Report the NAMEs that are no figure; 1 if there is one. */
static int unknown_names(int argc, char **argv)
{
	int bad = 0;

	for (int i = 0; i < argc; i++) {
		size_t k = 0;
		while (k < NFIGURES && strcmp(argv[i], figures[k].name) != 0)
			k++;
		if (k == NFIGURES) {
			printf("bench: %s error unknown figure (bench -l lists them)\n", argv[i]);
			bad = 1;
		}
	}
	return bad;
}

/* The work directory and the file the path-based figures use. */
static int prepare_files(void)
{
	snprintf(path_file, sizeof path_file, "%s/file", workdir);
	snprintf(path_tmp, sizeof path_tmp, "%s/new", workdir);
	snprintf(path_big, sizeof path_big, "%s/big", workdir);
	if (mkdir(workdir, 0755) < 0 && errno != EEXIST)
		return -errno;
	int fd = open(path_file, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	memset(iobuf, 'b', sizeof iobuf);
	return 0;
}

static void cleanup_files(void)
{
	unlink(path_file);
	unlink(path_tmp);
	unlink(path_big);
	rmdir(workdir);
}

/* What fork-execve runs: this program, by its absolute argv[0] if it has one. */
static void set_self_path(const char *argv0)
{
	if (argv0[0] == '/' && strlen(argv0) < sizeof self_path) {
		strcpy(self_path, argv0);
		return;
	}
	ssize_t len = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
	if (len > 0)
		self_path[len] = '\0';
}

static void usage(void)
{
	fprintf(stderr, "usage: bench [-t MS] [-r REPS] [-d DIR] [NAME...] | bench -b DEV [-s MIB]"
		" | bench -l | bench -x\n");
	exit(2);
}

static int parse_args(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "lt:r:d:b:s:")) != -1) {
		switch (c) {
		case 'l':
			for (size_t i = 0; i < NFIGURES; i++)
				printf("%s\n", figures[i].name);
			exit(0);
		case 't':
			target_ns = atol(optarg) * 1000000L;
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'd':
			workdir = optarg;
			break;
		case 'b':
			disk_dev = optarg;
			break;
		case 's':
			disk_mib = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (target_ns <= 0 || reps < 1 || reps > MAX_REPS || disk_mib < 1)
		usage();
	return optind;
}

int main(int argc, char **argv)
{
	/* Before anything else: the fork-execve child does nothing but exit. */
	if (argc == 2 && strcmp(argv[1], "-x") == 0)
		_exit(0);
	int first = parse_args(argc, argv);
	set_self_path(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	printf("bench: begin\n");
	if (disk_dev) {
		int st = disk_suite(disk_dev, "/tmp/bench-ext2", "/tmp/bench-tmpfs", disk_mib);
		printf("bench: end status %d\n", st);
		return st;
	}
	int err = prepare_files();
	if (err) {
		printf("bench: cannot prepare %s: %s\nbench: end status 1\n", workdir, strerror(-err));
		return 1;
	}
	int failed = unknown_names(argc - first, argv + first);
	for (size_t i = 0; i < NFIGURES; i++)
		if (selected(figures[i].name, argc - first, argv + first) && run_figure(&figures[i]))
			failed = 1;
	cleanup_files();
	printf("bench: end status %d\n", failed);
	return failed;
}
