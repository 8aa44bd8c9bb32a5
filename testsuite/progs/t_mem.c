/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_mem -- address spaces: brk, anonymous private/shared mmap, MAP_FIXED,
 * MAP_FIXED_NOREPLACE, munmap and mprotect faults (SIGSEGV caught with
 * siglongjmp), mremap, file-backed private and shared mappings, copy-on-write
 * after fork, the error paths, RLIMIT_AS and RLIMIT_DATA, madvise's fork
 * and populate advice, and memory locking (mlock family, MAP_LOCKED,
 * RLIMIT_MEMLOCK).
 */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define T_MAP_FIXED_NOREPLACE 0x100000

static sigjmp_buf env;
static volatile sig_atomic_t seg_count;
static void *volatile seg_addr;
static volatile int seg_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGSEGV) {
		seg_count++;
		seg_addr = si->si_addr;
		seg_code = si->si_code;
	}
	siglongjmp(env, 1);
}

/* Write one byte at P; return 1 when that raised SIGSEGV. */
static int write_faults(volatile char *p)
{
	int before = seg_count;
	if (sigsetjmp(env, 1) == 0)
		*p = 42;
	return seg_count != before;
}

static int read_faults(volatile char *p)
{
	int before = seg_count;
	if (sigsetjmp(env, 1) == 0)
		(void)*p;
	return seg_count != before;
}

#define MIB (1UL << 20)

static void *map_anon(size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

/* RLIMIT_AS and RLIMIT_DATA (they are per process: run in a child).  0 or the failing step. */
static int child_mm_limits(void)
{
	struct rlimit rl = { 64 * MIB, 64 * MIB };
	void *p, *b;

	if (setrlimit(RLIMIT_AS, &rl))
		return 1;
	if (map_anon(128 * MIB, PROT_READ, MAP_PRIVATE) != MAP_FAILED || errno != ENOMEM)
		return 2;
	p = map_anon(MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (p == MAP_FAILED)
		return 3;
	if (mremap(p, MIB, 100 * MIB, MREMAP_MAYMOVE) != MAP_FAILED || errno != ENOMEM)
		return 4;
	b = sbrk(0);
	if (brk((char *)b + 100 * MIB) == 0)
		return 5;
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	if (setrlimit(RLIMIT_AS, &rl))
		return 6;
	if ((p = map_anon(128 * MIB, PROT_READ, MAP_PRIVATE)) == MAP_FAILED)
		return 7;
	munmap(p, 128 * MIB);

	rl.rlim_cur = rl.rlim_max = 16 * MIB;
	if (setrlimit(RLIMIT_DATA, &rl))
		return 8;
	if (map_anon(32 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE) != MAP_FAILED || errno != ENOMEM)
		return 9;
	p = map_anon(32 * MIB, PROT_READ, MAP_PRIVATE);
	if (p == MAP_FAILED)
		return 10;	/* read-only private memory is not data */
	if (mprotect(p, 32 * MIB, PROT_READ | PROT_WRITE) == 0 || errno != ENOMEM)
		return 11;
	if (map_anon(32 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED) == MAP_FAILED)
		return 12;	/* nor is shared memory */
	if (brk((char *)sbrk(0) + 32 * MIB) == 0)
		return 13;
	if (map_anon(MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE) == MAP_FAILED)
		return 14;
	return 0;
}

#ifndef MADV_DONTFORK
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/*
 * mremap growing 64 mappings in place and shrinking them back, as an
 * unprivileged user: the growth reallocates the kernel's mapping table,
 * and a pointer into it taken before that was once used afterwards (a
 * use after free that the checked build caught).
 */
static void test_mremap_grow_many(long pg)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(10);
		for (int k = 0; k < 64; k++) {
			char *want = (char *)0x200000000000 + k * 0x100000;
			char *a = mmap(want, pg, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | T_MAP_FIXED_NOREPLACE, -1, 0);
			char *b;

			if (a != want)
				_exit(11);
			a[0] = (char)k;
			b = mremap(a, pg, 2 * pg, 0);
			if (b != a)
				_exit(12);
			b[pg] = (char)k;
			if (mremap(b, 2 * pg, pg, 0) != b || b[0] != (char)k)
				_exit(13);
		}
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "mremap grows and shrinks 64 mappings in place, unprivileged",
	      "status %#x (10: setuid, 11: mmap, 12: grow, 13: shrink)", st);
}

static void test_mremap_dontunmap_and_dup(long pg)
{
	char *p = map_anon(2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *s = map_anon(2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	char *q, *d;

	if (p == MAP_FAILED || s == MAP_FAILED)
		return;
	p[0] = 'p';
	p[pg] = 'q';
	/* The raw syscall: glibc passes an undefined new_addr, which Linux checks. */
	q = (char *)syscall(SYS_mremap, p, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	CHECK(q != MAP_FAILED && q != p, "mremap MREMAP_DONTUNMAP moves", "got %p errno %d", q, errno);
	if (q != MAP_FAILED) {
		CHECK(q[0] == 'p' && q[pg] == 'q', "MREMAP_DONTUNMAP: the new range has the data", "%d %d",
		      q[0], q[pg]);
		CHECK(!read_faults(p) && p[0] == 0 && p[pg] == 0,
		      "MREMAP_DONTUNMAP: the old range stays mapped, empty", "%d %d", p[0], p[pg]);
		munmap(q, 2 * pg);
	}
	CHECK_ERR(syscall(SYS_mremap, p, 2 * pg, 2 * pg, MREMAP_DONTUNMAP, 0), EINVAL,
		  "MREMAP_DONTUNMAP without MREMAP_MAYMOVE EINVAL");
	CHECK_ERR(syscall(SYS_mremap, p, 2 * pg, 4 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), EINVAL,
		  "MREMAP_DONTUNMAP with a new size EINVAL");
	CHECK_ERR(syscall(SYS_mremap, p, 0, pg, MREMAP_MAYMOVE, 0), EINVAL,
		  "mremap old_len 0 of private memory EINVAL");
	CHECK_ERR(syscall(SYS_mremap, p, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 12345), EINVAL,
		  "MREMAP_DONTUNMAP with an unaligned address hint EINVAL");

	s[pg] = 's';
	d = mremap(s + pg, 0, pg, MREMAP_MAYMOVE);
	CHECK(d != MAP_FAILED && d != s + pg, "mremap old_len 0 maps shared memory again", "got %p errno %d",
	      d, errno);
	if (d != MAP_FAILED) {
		CHECK(d[0] == 's', "the second mapping shows the same page", "got %d", d[0]);
		d[1] = 't';
		CHECK(s[pg + 1] == 't', "writes through it reach the first", "got %d", s[pg + 1]);
		munmap(d, pg);
	}
	munmap(p, 2 * pg);
	munmap(s, 2 * pg);
}

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

/* Memory locks as uid 1000 under RLIMIT_MEMLOCK: 0 or the failing step. */
static int child_mlock_user(void)
{
	struct rlimit rl = { 64 * 4096, 64 * 4096 };
	long pg = 4096;
	char *a = map_anon(128 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	if (a == MAP_FAILED || setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(1000) || setuid(1000))
		return 1;
	if (mlock(a, 32 * pg))
		return 2;
	if (mlock(a + 32 * pg, 64 * pg) != -1 || errno != ENOMEM)
		return 3;	/* 96 pages > 64 */
	if (munlock(a, 32 * pg) || mlock(a, 64 * pg))
		return 4;	/* unlocked pages no longer count */
	if (mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) != MAP_FAILED ||
	    errno != EAGAIN)
		return 5;
	rl.rlim_cur = 0;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) || munlock(a, 64 * pg))
		return 6;
	if (mlock(a, pg) != -1 || errno != EPERM)
		return 7;	/* a zero limit: no locking at all */
	return 0;
}

static void test_mlock(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *a = map_anon(8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	unsigned char vec[8];
	int st = -1;

	if (a == MAP_FAILED)
		return;
	madvise(a, 8 * pg, 15 /* MADV_NOHUGEPAGE */);
	CHECK_RET(mlock(a + 10, 2 * pg), 0, "mlock an unaligned range");
	CHECK(mincore(a, 8 * pg, vec) == 0 && (vec[0] & 1) && (vec[1] & 1) && (vec[2] & 1) && !(vec[3] & 1),
	      "mlock faults in the pages it covers", "vec %d %d %d %d", vec[0], vec[1], vec[2], vec[3]);
	CHECK_RET(munlock(a, 8 * pg), 0, "munlock");
	CHECK_RET(syscall(SYS_mlock2, a + 4 * pg, pg, MLOCK_ONFAULT), 0, "mlock2 MLOCK_ONFAULT");
	CHECK(mincore(a, 8 * pg, vec) == 0 && !(vec[4] & 1), "MLOCK_ONFAULT leaves the page absent", "vec %d",
	      vec[4]);
	CHECK_ERR(syscall(SYS_mlock2, a, pg, 2), EINVAL, "mlock2 bad flags EINVAL");
	CHECK_RET(munmap(a + 6 * pg, pg), 0, "munmap a page");
	CHECK_ERR(mlock(a + 5 * pg, 2 * pg), ENOMEM, "mlock over a hole ENOMEM");
	CHECK_ERR(munlock(a + 5 * pg, 2 * pg), ENOMEM, "munlock over a hole ENOMEM");
	CHECK_ERR(mlockall(0), EINVAL, "mlockall no flags EINVAL");
	CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL, "mlockall MCL_ONFAULT alone EINVAL");
	CHECK_ERR(mlockall(8), EINVAL, "mlockall bad flags EINVAL");
	CHECK_RET(mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT), 0, "mlockall");
	CHECK_RET(munlockall(), 0, "munlockall");
	char *l = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	CHECK(l != MAP_FAILED && mincore(l, 2 * pg, vec) == 0 && (vec[0] & 1) && (vec[1] & 1),
	      "MAP_LOCKED maps the pages in", "%p vec %d %d", l, vec[0], vec[1]);
	pid_t pid = fork();
	if (pid == 0)
		_exit(child_mlock_user());
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "RLIMIT_MEMLOCK binds mlock (ENOMEM), MAP_LOCKED (EAGAIN); a zero limit EPERM",
	      "child step %d failed (status %#x)", WEXITSTATUS(st), st);
	munmap(a, 8 * pg);
	if (l != MAP_FAILED)
		munmap(l, 2 * pg);
}

/* In a child: 0 if p reads as want, 1 if it reads otherwise, 2 on SIGSEGV. */
static int child_reads(volatile char *p, char want)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		_exit(*p == want ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
		return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
}

static void test_madvise_fork_and_populate(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *a = map_anon(4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *s = map_anon(pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	unsigned char vec[4];

	if (a == MAP_FAILED || s == MAP_FAILED)
		return;
	memset(a, 'x', 4 * pg);
	CHECK_RET(madvise(a + pg, pg, MADV_DONTFORK), 0, "madvise MADV_DONTFORK");
	CHECK_RET(child_reads(a + pg, 'x'), 2, "MADV_DONTFORK: the child has no such mapping (SIGSEGV)");
	CHECK_RET(child_reads(a, 'x'), 0, "MADV_DONTFORK: the pages around it are inherited");
	CHECK_RET(madvise(a + pg, pg, MADV_DOFORK), 0, "madvise MADV_DOFORK");
	CHECK_RET(child_reads(a + pg, 'x'), 0, "MADV_DOFORK: inherited again");
	CHECK_RET(madvise(a + 2 * pg, pg, MADV_WIPEONFORK), 0, "madvise MADV_WIPEONFORK");
	CHECK_RET(child_reads(a + 2 * pg, 0), 0, "MADV_WIPEONFORK: the child reads zeros");
	CHECK(a[2 * pg] == 'x', "MADV_WIPEONFORK: the parent keeps its data", "got %d", a[2 * pg]);
	CHECK_RET(madvise(a + 2 * pg, pg, MADV_KEEPONFORK), 0, "madvise MADV_KEEPONFORK");
	CHECK_RET(child_reads(a + 2 * pg, 'x'), 0, "MADV_KEEPONFORK: the child gets the data again");
	CHECK_ERR(madvise(s, pg, MADV_WIPEONFORK), EINVAL, "MADV_WIPEONFORK on shared memory EINVAL");
	CHECK_ERR(madvise(a, pg, MADV_REMOVE), EINVAL, "MADV_REMOVE on private memory EINVAL");

	char *b = map_anon(2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (b == MAP_FAILED)
		return;
	CHECK_RET(madvise(b, 2 * pg, MADV_POPULATE_WRITE), 0, "madvise MADV_POPULATE_WRITE");
	CHECK(mincore(b, 2 * pg, vec) == 0 && (vec[0] & 1) && (vec[1] & 1),
	      "MADV_POPULATE_WRITE: the pages are resident", "vec %d %d", vec[0], vec[1]);
	CHECK_RET(mprotect(b, pg, PROT_READ), 0, "mprotect a populated page read-only");
	CHECK_ERR(madvise(b, pg, MADV_POPULATE_WRITE), EINVAL, "MADV_POPULATE_WRITE on read-only memory EINVAL");
	CHECK_RET(madvise(b, pg, MADV_POPULATE_READ), 0, "MADV_POPULATE_READ on read-only memory");
	CHECK_RET(mprotect(b, pg, PROT_NONE), 0, "mprotect PROT_NONE");
	CHECK_ERR(madvise(b, pg, MADV_POPULATE_READ), EINVAL, "MADV_POPULATE_READ on PROT_NONE EINVAL");
	CHECK_RET(munmap(b + pg, pg), 0, "munmap the second page");
	CHECK_ERR(madvise(b + pg, pg, MADV_POPULATE_READ), ENOMEM, "MADV_POPULATE_READ on a hole ENOMEM");
	CHECK_ERR(madvise(b + pg, pg, MADV_DONTFORK), ENOMEM, "MADV_DONTFORK on a hole ENOMEM");
	munmap(a, 4 * pg);
	munmap(s, pg);
	munmap(b, pg);
}

/*
 * The mapping holds the last reference to its file: munmap releases the
 * file (inode, mount and lock-table locks) after the address space's
 * lock, not under it (the checked kernel's lockdep reported the inversion).
 */
static void test_munmap_last_file_reference(long pg)
{
	char path[] = "/tmp/t_mem_lastref.XXXXXX";
	int fd = mkstemp(path);
	char *m;

	CHECK(fd >= 0 && ftruncate(fd, pg) == 0, "a scratch file", "errno %d", errno);
	if (fd < 0)
		return;
	m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "a shared writable file mapping", "errno %d", errno);
	close(fd);
	unlink(path);
	if (m == MAP_FAILED)
		return;
	m[0] = 'x';
	CHECK(munmap(m, pg) == 0, "munmap drops the file's last reference", "errno %d", errno);
	/* Once more through exit: the address space's own teardown. */
	pid_t c = fork();
	if (c == 0) {
		int f2 = open("/proc/self/exe", O_RDONLY);
		_exit(f2 >= 0 && mmap(NULL, pg, PROT_READ, MAP_PRIVATE, f2, 0) != MAP_FAILED &&
		      close(f2) == 0 ? 0 : 1);
	}
	int st = -1;
	CHECK(c > 0 && waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "exit releases a mapped file's last reference", "status %#x", st);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	long pg = sysconf(_SC_PAGESIZE);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);

	/* brk */
	char *b0 = (char *)syscall(SYS_brk, 0);
	CHECK(b0 != NULL && (long)b0 != -1, "brk(0) returns the break", "got %p", b0);
	char *b1 = (char *)syscall(SYS_brk, b0 + 65536);
	CHECK(b1 == b0 + 65536, "brk grows by 64 KiB", "got %p, want %p", b1, b0 + 65536);
	memset(b0, 7, 65536);
	CHECK(b0[65535] == 7, "grown heap is usable", "byte %d", b0[65535]);
	CHECK((char *)syscall(SYS_brk, b0) == b0, "brk shrinks back", "break not restored");
	CHECK(write_faults(b0 + 65536 - 1), "write above the shrunk break faults", "no SIGSEGV");
	CHECK((char *)syscall(SYS_brk, (char *)1) == b0, "brk below the start fails, keeps the break", "changed");

	/* anonymous private mappings */
	char *a = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a != MAP_FAILED, "mmap anonymous private", "errno %d", errno);
	CHECK(((uintptr_t)a & (pg - 1)) == 0, "mmap returns a page-aligned address", "%p", a);
	int zero = 1;
	for (long i = 0; i < 4 * pg; i++)
		if (a[i]) zero = 0;
	CHECK(zero, "anonymous memory is zero-filled", "non-zero byte");
	memset(a, 'a', 4 * pg);
	CHECK(a[4 * pg - 1] == 'a', "anonymous memory is writable", "got %d", a[4 * pg - 1]);

	/* MAP_FIXED inside it, MAP_FIXED_NOREPLACE over it */
	char *f = mmap(a + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(f == a + pg, "MAP_FIXED maps at the address", "got %p want %p", f, a + pg);
	CHECK(f[0] == 0 && a[0] == 'a' && a[2 * pg] == 'a', "MAP_FIXED replaced exactly one page",
	      "%d %d %d", f[0], a[0], a[2 * pg]);
	errno = 0;
	char *nr = mmap(a + 2 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | T_MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(nr == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapping EEXIST",
	      "got %p errno %d", nr, errno);

	/* mprotect */
	CHECK_RET(mprotect(a, pg, PROT_READ), 0, "mprotect PROT_READ");
	CHECK(a[0] == 'a', "read after mprotect PROT_READ", "got %d", a[0]);
	CHECK(write_faults(a) && seg_addr == a && seg_code == SEGV_ACCERR,
	      "write to PROT_READ page raises SIGSEGV SEGV_ACCERR at the address",
	      "count %d addr %p code %d", seg_count, seg_addr, seg_code);
	CHECK_RET(mprotect(a, pg, PROT_NONE), 0, "mprotect PROT_NONE");
	CHECK(read_faults(a) && seg_addr == a && seg_code == SEGV_ACCERR,
	      "read of PROT_NONE page raises SIGSEGV SEGV_ACCERR", "count %d addr %p code %d", seg_count,
	      seg_addr, seg_code);
	{
		/* The kernel may not reach the page either: its copies give EFAULT. */
		int zfd = open("/dev/zero", O_RDONLY), pf[2];

		CHECK(pipe(pf) == 0, "pipe for the PROT_NONE copies", "errno %d", errno);
		CHECK_ERR(write(pf[1], a, 16), EFAULT, "write(2) to a pipe from a PROT_NONE buffer EFAULT");
		CHECK_ERR(read(zfd, a, 16), EFAULT, "read(2) into a PROT_NONE buffer EFAULT");
		CHECK_RET(write(pf[1], "xy", 2), 2, "write to the pipe");
		CHECK_ERR(read(pf[0], a, 2), EFAULT, "read(2) from a pipe into a PROT_NONE buffer EFAULT");
		close(pf[0]);
		close(pf[1]);
		close(zfd);
	}
	CHECK_RET(mprotect(a, pg, PROT_READ | PROT_WRITE), 0, "mprotect back to read-write");
	CHECK(a[0] == 'a', "a PROT_NONE page keeps its contents", "got %d", a[0]);
	CHECK(!write_faults(a), "write after restoring PROT_WRITE", "faulted");
	CHECK_ERR(syscall(SYS_mprotect, a + 1, pg, PROT_READ), EINVAL, "mprotect unaligned EINVAL");
	CHECK_ERR(syscall(SYS_mprotect, a, pg, 0x1000), EINVAL, "mprotect bad prot EINVAL");

	/* munmap */
	CHECK_RET(munmap(a + 3 * pg, pg), 0, "munmap the last page");
	CHECK(write_faults(a + 3 * pg) && seg_addr == a + 3 * pg && seg_code == SEGV_MAPERR,
	      "access after munmap raises SIGSEGV SEGV_MAPERR", "count %d addr %p code %d",
	      seg_count, seg_addr, seg_code);
	CHECK(!write_faults(a + 3 * pg - 1), "the page before is still mapped", "faulted");
	CHECK_ERR(syscall(SYS_munmap, a + 1, pg), EINVAL, "munmap unaligned EINVAL");
	CHECK_ERR(syscall(SYS_munmap, a, 0), EINVAL, "munmap length 0 EINVAL");
	CHECK_RET(munmap(a + 3 * pg, pg), 0, "munmap of an unmapped range succeeds");

	/* mremap */
	char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m[0] = 'm';
	m[2 * pg - 1] = 'M';
	char *g = mremap(m, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
	CHECK(g != MAP_FAILED, "mremap grow with MREMAP_MAYMOVE", "errno %d", errno);
	if (g != MAP_FAILED) {
		CHECK(g[0] == 'm' && g[2 * pg - 1] == 'M' && g[2 * pg] == 0, "mremap keeps the contents",
		      "%d %d %d", g[0], g[2 * pg - 1], g[2 * pg]);
		g[64 * pg - 1] = 1;
		CHECK(g[64 * pg - 1] == 1, "grown part is usable", "no");
		char *s = mremap(g, 64 * pg, pg, 0);
		CHECK(s == g, "mremap shrink in place", "got %p", s);
		CHECK(write_faults(g + 2 * pg), "shrunk part is unmapped", "no fault");
		munmap(g, pg);
	}
	munmap(a, 3 * pg);
	CHECK(mremap(b0, 0, pg, 0) == MAP_FAILED, "mremap of nothing fails", "succeeded");
	test_mremap_dontunmap_and_dup(pg);
	test_mremap_grow_many(pg);
	test_munmap_last_file_reference(pg);

	/* error paths */
	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
	      "mmap length 0 EINVAL", "errno %d", errno);
	errno = 0;
	CHECK(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 9999, 0) == MAP_FAILED && errno == EBADF,
	      "mmap bad fd EBADF", "errno %d", errno);
	errno = 0;
	CHECK(mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
	      "mmap without MAP_PRIVATE/MAP_SHARED EINVAL", "errno %d", errno);
	errno = 0;
	CHECK(mmap(NULL, 1UL << 46, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED
	      && errno == ENOMEM, "mmap 64 TiB ENOMEM", "errno %d", errno);
	errno = 0;
	CHECK((void *)syscall(SYS_mmap, (void *)0x1000, pg, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 1) == MAP_FAILED
	      && errno == EINVAL, "mmap unaligned offset EINVAL", "errno %d", errno);

	/* file-backed mappings */
	char path[] = "/tmp/t_mem.XXXXXX";
	int fd = mkstemp(path);
	char buf[16];
	char page[8192];
	memset(page, 'f', sizeof page);
	write(fd, page, 2 * pg);
	char *fp = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(fp != MAP_FAILED && fp[0] == 'f' && fp[2 * pg - 1] == 'f',
	      "private file mapping shows the file", "errno %d", errno);
	fp[0] = 'P';
	pread(fd, buf, 1, 0);
	CHECK(buf[0] == 'f', "private mapping writes do not reach the file", "file has '%c'", buf[0]);
	char *fs = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(fs != MAP_FAILED, "shared file mapping", "errno %d", errno);
	fs[pg + 1] = 'S';
	pread(fd, buf, 1, pg + 1);
	CHECK(buf[0] == 'S', "shared mapping writes are visible through read(2)", "file has '%c'", buf[0]);
	pwrite(fd, "W", 1, 5);
	CHECK(fs[5] == 'W', "write(2) is visible in the shared mapping", "mapping has '%c'", fs[5]);
	CHECK(fp[0] == 'P', "private copy kept after write(2)", "got '%c'", fp[0]);
	CHECK_RET(msync(fs, 2 * pg, MS_SYNC), 0, "msync");
	int rfd = open(path, O_RDONLY);
	errno = 0;
	CHECK(mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0) == MAP_FAILED && errno == EACCES,
	      "shared writable mapping of a read-only fd EACCES", "errno %d", errno);
	char *ro = mmap(NULL, pg, PROT_READ, MAP_SHARED, rfd, 0);
	CHECK(ro != MAP_FAILED && ro[1] == 'f', "read-only shared mapping", "errno %d", errno);
	CHECK(write_faults(ro), "write to a read-only file mapping faults", "no fault");
	munmap(ro, pg);
	munmap(fp, 2 * pg);
	munmap(fs, 2 * pg);
	close(rfd);
	close(fd);
	unlink(path);

	/* shared anonymous memory and copy-on-write across fork */
	volatile int *sh = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *pv = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static volatile int data_var = 5;
	sh[0] = 1;
	pv[0] = 1;
	char *heap = malloc(100);
	strcpy(heap, "parent");
	pid_t pid = fork();
	if (pid == 0) {
		sh[0] = 2;
		pv[0] = 2;
		data_var = 6;
		strcpy(heap, "child");
		_exit(pv[0] == 2 && data_var == 6 ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child writes its copies", "status %#x", st);
	CHECK(sh[0] == 2, "MAP_SHARED|MAP_ANONYMOUS is shared with the child", "got %d", sh[0]);
	CHECK(pv[0] == 1, "MAP_PRIVATE anonymous: child writes do not reach the parent", "got %d", pv[0]);
	CHECK(data_var == 5, "data segment is copy-on-write", "got %d", data_var);
	CHECK(strcmp(heap, "parent") == 0, "heap is copy-on-write", "got '%s'", heap);
	free(heap);

	/* a child dies on SIGSEGV with the default action */
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		*(volatile int *)pv = 0;
		munmap((void *)pv, pg);
		*(volatile int *)pv = 0;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "unhandled fault kills with SIGSEGV",
	      "status %#x", st);
	/* Resource limits on the address space. */
	pid_t lp = fork();
	int lst = -1;
	if (lp == 0)
		_exit(child_mm_limits());
	waitpid(lp, &lst, 0);
	CHECK(WIFEXITED(lst) && WEXITSTATUS(lst) == 0,
	      "RLIMIT_AS and RLIMIT_DATA: mmap, mremap, brk and mprotect past them give ENOMEM",
	      "child step %d failed (status %#x)", WEXITSTATUS(lst), lst);
	test_madvise_fork_and_populate();
	test_mlock();
	return check_done();
}
