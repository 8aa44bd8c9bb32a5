/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_fault -- bad user pointers give EFAULT (never a crash): each call gets a
 * low unmapped address, a kernel address and a non-canonical address.
 * Unknown syscall numbers give ENOSYS.
 */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

static const struct { uintptr_t p; const char *name; } bad[] = {
	{ 1, "(void *)1" },
	{ 0xffffffff81000000UL, "kernel address" },
	{ 0x8000000000000000UL, "non-canonical address" },
	{ 0x00007ffffffff000UL, "top of user space" },
};

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	char d[160];
	char path[] = "/tmp/t_fault.XXXXXX";
	int fd = mkstemp(path);
	write(fd, "0123456789", 10);
	int p[2];
	pipe(p);
	char lnk[] = "/tmp/t_fault.link";
	unlink(lnk);
	symlink(path, lnk);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		void *b = (void *)bad[i].p;
		const char *n = bad[i].name;
#define T(call, what) \
	snprintf(d, sizeof d, "%s, %s: EFAULT", what, n); \
	lseek(fd, 0, SEEK_SET); \
	CHECK_ERR(call, EFAULT, d)
		T(syscall(SYS_read, fd, b, 4), "read");
		T(syscall(SYS_write, fd, b, 4), "write");
		T(syscall(SYS_pread64, fd, b, 4, 0), "pread64");
		T(syscall(SYS_readv, fd, b, 1), "readv iovec");
		T(syscall(SYS_stat, "/", b), "stat buffer");
		T(syscall(SYS_stat, b, d), "stat path");
		T(syscall(SYS_fstat, fd, b), "fstat");
		T(syscall(SYS_open, b, O_RDONLY), "open path");
		T(syscall(SYS_getcwd, b, 4096), "getcwd");
		T(syscall(SYS_uname, b), "uname");
		T(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, b), "clock_gettime");
		T(syscall(SYS_gettimeofday, b, NULL), "gettimeofday");
		T(syscall(SYS_nanosleep, b, NULL), "nanosleep");
		T(syscall(SYS_pipe, b), "pipe");
		T(syscall(SYS_rt_sigaction, SIGUSR1, b, NULL, 8), "rt_sigaction");
		T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, b, NULL, 8), "rt_sigprocmask");
		T(syscall(SYS_getrlimit, RLIMIT_NOFILE, b), "getrlimit");
		T(syscall(SYS_sysinfo, b), "sysinfo");
		T(syscall(SYS_chdir, b), "chdir");
		T(syscall(SYS_mkdir, b, 0755), "mkdir");
		T(syscall(SYS_unlink, b), "unlink");
		T(syscall(SYS_readlink, lnk, b, 64), "readlink");
		T(syscall(SYS_execve, b, NULL, NULL), "execve path");
#undef T
	}
	/* write to the pipe from a bad pointer must not put anything in it */
	CHECK_ERR(syscall(SYS_write, p[1], BADPTR, 4), EFAULT, "pipe write from bad pointer EFAULT");
	CHECK_RET(fcntl(p[0], F_SETFL, O_NONBLOCK), 0, "pipe non-blocking");
	char c;
	CHECK_ERR(read(p[0], &c, 1), EAGAIN, "nothing reached the pipe");
	CHECK_RET(write(p[1], "z", 1), 1, "pipe still works");
	CHECK_ERR(syscall(SYS_read, p[0], BADPTR, 1), EFAULT, "pipe read into bad pointer EFAULT");

	/* a buffer whose second page is unmapped: the kernel copies what it can
	 * or fails with EFAULT, but never faults itself */
	long pg = sysconf(_SC_PAGESIZE);
	char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(two + pg, pg);
	lseek(fd, 0, SEEK_SET);
	errno = 0;
	long r = syscall(SYS_read, fd, two + pg - 4, 10);
	CHECK(r == 4 || (r == -1 && errno == EFAULT), "read across into an unmapped page: 4 or EFAULT",
	      "got %ld errno %d", r, errno);
	CHECK(r != 4 || memcmp(two + pg - 4, "0123", 4) == 0, "partial read copied the head", "wrong data");

	/* unknown syscall numbers */
	CHECK_ERR(syscall(1000), ENOSYS, "syscall 1000 ENOSYS");
	CHECK_ERR(syscall(-1L), ENOSYS, "syscall -1 ENOSYS");
	CHECK_ERR(syscall(511), ENOSYS, "syscall 511 ENOSYS");
	CHECK_ERR(syscall(100000), ENOSYS, "syscall 100000 ENOSYS");

	close(fd);
	unlink(path);
	unlink(lnk);
	return check_done();
}
