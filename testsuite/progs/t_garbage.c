/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_garbage -- robustness: call syscalls 0..450 with garbage arguments
 * (random integers, kernel and non-canonical addresses, unmapped pointers,
 * pointers into a scratch buffer of random bytes, huge lengths) many
 * thousand times.  The kernel must neither crash nor hang; the calls may
 * fail, and a worker process may die of a signal it brought upon itself.
 *
 *   t_garbage [-n CALLS] [-s SEED] [-m KIB]
 *     -n CALLS  calls per pass (default 4000); one pass as the current user
 *               and, when run as root, one more as uid/gid 65534
 *     -s SEED   random seed (default 1): a run is reproducible
 *     -m KIB    fail when free memory (sysinfo) after the run is more than
 *               KIB KiB below free memory before it (default: only report)
 *
 * Each worker is a forked child that makes WORKER_CALLS calls with fds 0-2
 * on /dev/null, in its own session, inside a scratch directory (a small
 * tmpfs when it can be mounted), with rlimits on address space, file size
 * and open files, and a 10 ms interval timer whose no-op SIGALRM handler
 * (no SA_RESTART) interrupts blocking calls.  The parent kills a worker that
 * is still running after WORKER_TIMEOUT seconds.  Syscalls that would end
 * the worker on purpose, act on other processes, change global state of the
 * machine or sleep by design are never called: see skipped().
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/wait.h>

#define MAX_NR 450
#define WORKER_CALLS 200
#define WORKER_TIMEOUT 30
#define SCRATCH_PAGES 16

static const char *topdir = "/tmp/t_garbage.d";
static char workdir[128];
static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static const long skip_list[] = {
	/* ending the worker on purpose, or creating processes */
	SYS_exit, SYS_exit_group, SYS_fork, SYS_vfork, SYS_clone, SYS_execve,
	SYS_execveat,
#ifdef SYS_clone3
	SYS_clone3,
#endif
	/* acting on other processes */
	SYS_kill, SYS_tkill, SYS_tgkill, SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo,
	SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_migrate_pages,
	SYS_move_pages, SYS_prlimit64, SYS_ioprio_set,
#ifdef SYS_pidfd_send_signal
	SYS_pidfd_send_signal, SYS_pidfd_open, SYS_pidfd_getfd,
#endif
#ifdef SYS_process_madvise
	SYS_process_madvise,
#endif
#ifdef SYS_process_mrelease
	SYS_process_mrelease,
#endif
	/* our own timer and signal set-up */
	SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_alarm,
	SYS_setitimer, SYS_setrlimit,
	/* the machine: power, modules, mounts, time, names, logs, devices,
	 * scheduling classes, memory locking */
	SYS_reboot, SYS_kexec_load, SYS_init_module, SYS_finit_module,
	SYS_delete_module, SYS_swapon, SYS_swapoff, SYS_mount, SYS_umount2,
	SYS_pivot_root, SYS_acct, SYS_settimeofday, SYS_clock_settime,
	SYS_adjtimex, SYS_clock_adjtime, SYS_sethostname, SYS_setdomainname,
	SYS_syslog, SYS_vhangup, SYS_iopl, SYS_ioperm, SYS_quotactl,
	SYS_sched_setparam, SYS_sched_setscheduler, SYS_sched_setattr,
	SYS_setpriority, SYS_perf_event_open, SYS_bpf, SYS_userfaultfd,
	SYS_fanotify_init, SYS_fanotify_mark, SYS_mlockall, SYS_mknod, SYS_mknodat,
	SYS_open_by_handle_at,
#ifdef SYS_kexec_file_load
	SYS_kexec_file_load,
#endif
#ifdef SYS_io_uring_setup
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
#endif
#ifdef SYS_open_tree
	SYS_open_tree, SYS_move_mount, SYS_fsopen, SYS_fsconfig, SYS_fsmount,
	SYS_fspick,
#endif
#ifdef SYS_mount_setattr
	SYS_mount_setattr,
#endif
#ifdef SYS_quotactl_fd
	SYS_quotactl_fd,
#endif
	/* sleeping or waiting by design */
	SYS_pause, SYS_rt_sigsuspend, SYS_nanosleep, SYS_clock_nanosleep,
	SYS_select, SYS_pselect6, SYS_poll, SYS_ppoll, SYS_epoll_wait,
	SYS_epoll_pwait, SYS_wait4, SYS_waitid, SYS_futex, SYS_io_getevents,
#ifdef SYS_io_pgetevents
	SYS_io_pgetevents,
#endif
#ifdef SYS_epoll_pwait2
	SYS_epoll_pwait2,
#endif
	449, /* futex_waitv */
};

static unsigned char skip_map[MAX_NR + 1];

static int skipped(long nr)
{
	return nr < 0 || nr > MAX_NR || skip_map[nr];
}

static char *scratch;
static size_t scratch_len;

static uint64_t garbage(void)
{
	uint64_t r = rnd();
	switch (r % 14) {
	case 0: return 0;
	case 1: return (r >> 8) % 17;                          /* small int, fd */
	case 2: return (uint64_t)-1;
	case 3: return (uint32_t)(r >> 16);                    /* random 32-bit */
	case 4: return rnd();                                  /* random 64-bit */
	case 5: return 0xffffffff81000000ULL + ((r >> 8) & 0xfffff000ULL); /* kernel */
	case 6: return 0x8000000000000000ULL | (r >> 20);      /* non-canonical */
	case 7: { static const uint64_t low[] = { 1, 0x1000, 0x10000, 0x7ffffffff000ULL };
		  return low[(r >> 8) % 4]; }                  /* unmapped */
	case 8: return (uint64_t)(scratch + (r >> 8) % scratch_len); /* valid */
	case 9: return (uint64_t)(scratch + scratch_len - 1 - (r >> 8) % 64); /* near guard */
	case 10: return 1ULL << (40 + (r >> 8) % 23);          /* huge length */
	case 11: return 4096ULL * ((r >> 8) % 256);            /* page multiple */
	case 12: return (uint64_t)(int64_t)-100;               /* AT_FDCWD */
	default: return (r >> 8) % 1024;                       /* modest length */
	}
}

static void fill_scratch(void)
{
	for (size_t i = 0; i < scratch_len; i++) {
		unsigned char c = (unsigned char)rnd();
		if (c == '/')
			c = 'x';
		if ((c & 15) == 0)
			c = 0;
		scratch[i] = (char)c;
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void worker(uint64_t seed, int calls)
{
	rng_state = seed | 1;
	setsid();
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0); dup2(null, 1); dup2(null, 2);
		if (null > 2)
			close(null);
	} else {
		close(0); close(1); close(2);
	}
	if (chdir(workdir) != 0)
		_exit(3);
	struct rlimit rl;
	rl.rlim_cur = rl.rlim_max = 128UL << 20;
	setrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = rl.rlim_max = 4UL << 20;
	setrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = rl.rlim_max = 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	scratch_len = SCRATCH_PAGES * 4096;
	/* scratch followed by an inaccessible guard page */
	char *m = mmap(NULL, scratch_len + 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		_exit(4);
	mprotect(m + scratch_len, 4096, PROT_NONE);
	scratch = m;
	fill_scratch();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < calls; i++) {
		long nr;
		do
			nr = (long)(rnd() % (MAX_NR + 1));
		while (skipped(nr));
		uint64_t a[6];
		for (int j = 0; j < 6; j++)
			a[j] = garbage();
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if ((i & 31) == 31)
			fill_scratch();
	}
	_exit(0);
}

static volatile sig_atomic_t parent_alarm;
static void on_parent_alarm(int sig)
{
	(void)sig;
	parent_alarm = 1;
}

struct stats {
	int workers, clean, signaled, timed_out, bad_exit;
	int by_signal[65];
};

/* Run CALLS garbage calls in workers; return 0 when every worker was reaped. */
static int run_pass(const char *label, int calls, uint64_t seed, struct stats *s)
{
	memset(s, 0, sizeof *s);
	rng_state = seed | 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_parent_alarm;
	sigaction(SIGALRM, &sa, NULL);
	for (int done = 0; done < calls; done += WORKER_CALLS) {
		uint64_t wseed = rnd();
		int n = calls - done < WORKER_CALLS ? calls - done : WORKER_CALLS;
		pid_t pid = fork();
		if (pid < 0) {
			check_printf("# %s: fork failed: errno %d\n", label, errno);
			return -1;
		}
		if (pid == 0)
			worker(wseed, n);
		s->workers++;
		parent_alarm = 0;
		alarm(WORKER_TIMEOUT);
		int st;
		pid_t w;
		while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR && !parent_alarm)
			;
		alarm(0);
		if (w != pid) {
			s->timed_out++;
			check_printf("# %s: worker %d (seed %#llx) still running after %d s; killing it\n",
				     label, pid, (unsigned long long)wseed, WORKER_TIMEOUT);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			if (waitpid(pid, &st, 0) != pid)
				return -1;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			s->clean++;
		} else if (WIFSIGNALED(st)) {
			s->signaled++;
			if (WTERMSIG(st) < 65)
				s->by_signal[WTERMSIG(st)]++;
		} else {
			s->bad_exit++;
		}
	}
	char sigs[256] = "";
	for (int i = 1; i < 65; i++)
		if (s->by_signal[i])
			snprintf(sigs + strlen(sigs), sizeof sigs - strlen(sigs), " %s:%d",
				 strsignal(i), s->by_signal[i]);
	check_printf("# %s: %d calls in %d workers: %d finished, %d died of a signal (%s ), "
		     "%d timed out, %d other exits\n", label, calls, s->workers, s->clean,
		     s->signaled, sigs, s->timed_out, s->bad_exit);
	return 0;
}

static void remove_tree(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && depth < 16) {
		chmod(path, 0700);
		DIR *d = opendir(path);
		if (d) {
			struct dirent *e;
			while ((e = readdir(d)) != NULL) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				char sub[4096];
				snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
				remove_tree(sub, depth + 1);
			}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

static long free_kib(void)
{
	struct sysinfo si;
	if (sysinfo(&si) != 0)
		return -1;
	return (long)((unsigned long long)si.freeram * si.mem_unit / 1024);
}

int main(int argc, char **argv)
{
	int calls = 4000;
	uint64_t seed = 1;
	long mem_slack = -1;
	int opt;
	while ((opt = getopt(argc, argv, "n:s:m:")) != -1) {
		switch (opt) {
		case 'n': calls = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'm': mem_slack = atol(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-n CALLS] [-s SEED] [-m KIB]\n", argv[0]);
			return 2;
		}
	}
	check_init(argv[0]);
	for (size_t i = 0; i < sizeof skip_list / sizeof skip_list[0]; i++)
		if (skip_list[i] >= 0 && skip_list[i] <= MAX_NR)
			skip_map[skip_list[i]] = 1;
	check_printf("# seed %#llx, %d calls per pass, syscalls 0..%d\n",
		     (unsigned long long)seed, calls, MAX_NR);

	long free_before = free_kib();
	mkdir(topdir, 0755);
	int mounted = 0;
	if (geteuid() == 0)
		mounted = mount("t_garbage", topdir, "tmpfs", 0, "size=16m,mode=1777") == 0;
	check_printf("# scratch directory %s%s\n", topdir, mounted ? " (tmpfs, 16 MiB)" : "");
	snprintf(workdir, sizeof workdir, "%s/w", topdir);
	mkdir(workdir, 01777);
	chmod(workdir, 01777);

	struct stats s;
	char label[64];
	snprintf(label, sizeof label, "pass as uid %d", (int)geteuid());
	int r = run_pass(label, calls, seed, &s);
	CHECK(r == 0, "garbage pass as the current user completed", "could not run or reap a worker");
	if (geteuid() == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
				_exit(10);
			if (setuid(0) == 0)
				_exit(11);
			_exit(run_pass("pass as uid 65534", calls, seed + 1, &s) == 0 ? 0 : 12);
		}
		int st = 0;
		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "garbage pass as uid 65534 completed",
		      "status %#x (10: setuid failed, 11: could get root back, 12: pass failed)", st);
	}

	/* the system still works */
	pid_t me = getpid();
	CHECK_RET(syscall(SYS_getpid), me, "getpid still works");
	char path[160], buf[16] = "";
	snprintf(path, sizeof path, "/tmp/t_garbage.check.%d", me);
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "alive", 5) == 5 && pread(fd, buf, 5, 0) == 5 &&
	      memcmp(buf, "alive", 5) == 0, "file create, write and read still work", "errno %d", errno);
	close(fd);
	unlink(path);
	pid_t pid = fork();
	if (pid == 0)
		_exit(33);
	int st = 0;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 33,
	      "fork and wait still work", "status %#x", st);

	/* clean up and compare free memory */
	remove_tree(workdir, 0);
	if (mounted && umount2(topdir, MNT_DETACH) != 0)
		check_printf("# umount %s: errno %d\n", topdir, errno);
	rmdir(topdir);
	sync();
	long free_after = free_kib();
	check_printf("# free memory: %ld KiB before, %ld KiB after (%+ld KiB)\n", free_before,
		     free_after, free_after - free_before);
	if (mem_slack >= 0)
		CHECK(free_after >= free_before - mem_slack, "free memory came back",
		      "%ld KiB before, %ld KiB after, slack %ld KiB", free_before, free_after, mem_slack);
	return check_done();
}
