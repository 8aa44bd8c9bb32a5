// SPDX-License-Identifier: MPL-2.0
/*
 * t_lease -- fcntl F_SETLEASE/F_GETLEASE: read and write leases on a
 * regular file and the opens that forbid them (EAGAIN), EINVAL on other
 * files and bad types, EACCES for a non-owner without CAP_LEASE; breaking
 * a lease: the holder gets F_SETSIG's signal with POLL_MSG and si_fd,
 * F_GETLEASE shows the break's target, an O_NONBLOCK opener gets
 * EWOULDBLOCK, a blocked opener goes on once the holder removes or (for
 * a reader) downgrades the lease, or when /proc/sys/fs/lease-break-time
 * (set to 1 s) runs out; truncate(2) breaks too; a close ends the lease;
 * removing a lease clears the owner and F_SETSIG, as Linux's f_delown;
 * /proc/sys/fs/leases-enable 0 refuses leases; /proc/locks lines of a
 * lease (ACTIVE, BREAKING), a POSIX lock, a range and a flock lock.
 */
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

#define PATH		"/tmp/t_lease.f"
#define BREAK_TIME	"/proc/sys/fs/lease-break-time"
#define ENABLE		"/proc/sys/fs/leases-enable"

static int rtsig;

static int got(int sig, siginfo_t *si, int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&set, si, &ts) == sig;
}

static long long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void test_set_get(void)
{
	int fd = open(PATH, O_RDONLY), fd2, p[2], d;

	CHECK_RET(fcntl(fd, F_GETLEASE), F_UNLCK, "F_GETLEASE without a lease: F_UNLCK");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_RDLCK), 0, "F_SETLEASE F_RDLCK on a read-only descriptor");
	CHECK_RET(fcntl(fd, F_GETLEASE), F_RDLCK, "F_GETLEASE: F_RDLCK");
	CHECK_RET(fcntl(fd, F_GETOWN), getpid(), "the lease made the caller the owner");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_WRLCK), 0, "upgrade to F_WRLCK (the only open)");
	CHECK_RET(fcntl(fd, F_GETLEASE), F_WRLCK, "F_GETLEASE: F_WRLCK");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_UNLCK), 0, "F_SETLEASE F_UNLCK");
	CHECK_RET(fcntl(fd, F_GETLEASE), F_UNLCK, "F_GETLEASE after F_UNLCK");
	CHECK_ERR(fcntl(fd, F_SETLEASE, F_UNLCK), EAGAIN, "F_UNLCK without a lease EAGAIN");

	/* Another reader: read leases only. */
	fd2 = open(PATH, O_RDONLY);
	CHECK_ERR(fcntl(fd, F_SETLEASE, F_WRLCK), EAGAIN, "F_WRLCK while another descriptor reads EAGAIN");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_RDLCK), 0, "F_RDLCK beside another reader");
	CHECK_RET(fcntl(fd2, F_SETLEASE, F_RDLCK), 0, "a second read lease");
	CHECK_ERR(fcntl(fd2, F_SETLEASE, F_WRLCK), EAGAIN, "F_WRLCK beside another lease EAGAIN");
	close(fd2);
	CHECK_RET(fcntl(fd, F_SETLEASE, F_UNLCK), 0, "unlock");
	close(fd);

	/* A writer anywhere, the holder included: no read lease. */
	fd = open(PATH, O_RDWR);
	CHECK_ERR(fcntl(fd, F_SETLEASE, F_RDLCK), EAGAIN, "F_RDLCK on a descriptor open for writing EAGAIN");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_WRLCK), 0, "F_WRLCK on the only (read-write) open");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_UNLCK), 0, "unlock");
	close(fd);

	CHECK_ERR(fcntl(fd, F_SETLEASE, F_RDLCK), EBADF, "a closed descriptor EBADF");
	fd = open(PATH, O_RDONLY);
	CHECK_ERR(fcntl(fd, F_SETLEASE, 7), EINVAL, "a bad lease type EINVAL");
	close(fd);
	if (pipe(p) == 0) {
		CHECK_ERR(fcntl(p[0], F_SETLEASE, F_RDLCK), EINVAL, "a pipe EINVAL");
		close(p[0]);
		close(p[1]);
	}
	d = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(fcntl(d, F_SETLEASE, F_RDLCK), EINVAL, "a directory EINVAL");
	close(d);
}

static void test_not_owner(void)
{
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		check_skip("EACCES of a non-owner", "not root");
		return;
	}
	pid = fork();
	if (pid == 0) {
		int fd = open(PATH, O_RDONLY);

		/* setuid drops every capability, CAP_LEASE too. */
		if (fd < 0 || setuid(65534))
			_exit(2);
		_exit(fcntl(fd, F_SETLEASE, F_RDLCK) == -1 && errno == EACCES ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another uid without CAP_LEASE: EACCES", "status %#x", st);
}

static void test_break_nonblock(void)
{
	int fd = open(PATH, O_RDONLY), w;
	siginfo_t si;

	CHECK_RET(fcntl(fd, F_SETSIG, rtsig), 0, "F_SETSIG for the break");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_WRLCK), 0, "a write lease");
	CHECK_ERR(open(PATH, O_RDWR | O_NONBLOCK), EWOULDBLOCK, "an O_NONBLOCK writer: EWOULDBLOCK");
	CHECK(got(rtsig, &si, 1000) && si.si_code == POLL_MSG && si.si_fd == fd &&
	      si.si_band == (POLLIN | POLLRDNORM | POLLMSG), "the holder gets POLL_MSG with si_fd",
	      "code %d fd %d band %#lx", si.si_code, si.si_fd, si.si_band);
	CHECK_RET(fcntl(fd, F_GETLEASE), F_UNLCK, "while broken by a writer F_GETLEASE says F_UNLCK");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_UNLCK), 0, "the holder gives it up");
	w = open(PATH, O_RDWR | O_NONBLOCK);
	CHECK(w >= 0, "then the writer opens", "errno %d", errno);
	close(w);

	/* A reader only breaks a write lease, to a read lease. */
	CHECK_RET(fcntl(fd, F_SETLEASE, F_RDLCK), 0, "a read lease");
	w = open(PATH, O_RDONLY | O_NONBLOCK);
	CHECK(w >= 0 && !got(rtsig, &si, 0), "a reader opens past a read lease, no signal", "errno %d", errno);
	close(w);
	CHECK_RET(fcntl(fd, F_SETLEASE, F_UNLCK), 0, "unlock");
	close(fd);
	/* A closed holder holds nothing. */
	fd = open(PATH, O_RDONLY);
	CHECK_RET(fcntl(fd, F_SETLEASE, F_WRLCK), 0, "a write lease again");
	close(fd);
	w = open(PATH, O_RDWR | O_NONBLOCK);
	CHECK(w >= 0, "its close ended it", "errno %d", errno);
	close(w);
}

/* A child opens PATH with flags and exits 0 if that worked after at least min_ms. */
static pid_t opener(int flags, int min_ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		long long t0 = mono_ms();
		int fd = open(PATH, flags);

		_exit(fd >= 0 && mono_ms() - t0 >= min_ms ? 0 : 1);
	}
	return pid;
}

static void test_break_wait(void)
{
	int fd = open(PATH, O_RDONLY), st;
	siginfo_t si;
	pid_t pid;

	fcntl(fd, F_SETSIG, rtsig);
	CHECK_RET(fcntl(fd, F_SETLEASE, F_WRLCK), 0, "a write lease");
	pid = opener(O_RDWR, 30);
	CHECK(got(rtsig, &si, 2000) && si.si_code == POLL_MSG, "a blocked writer's open signals the holder",
	      "code %d", si.si_code);
	usleep(40000);
	CHECK_RET(fcntl(fd, F_SETLEASE, F_UNLCK), 0, "the holder removes the lease");
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer waited for it, then opened", "status %#x", st);
	CHECK(fcntl(fd, F_GETSIG) == 0 && fcntl(fd, F_GETOWN) == 0, "the removal cleared F_SETSIG and the owner",
	      "sig %d owner %d", fcntl(fd, F_GETSIG), fcntl(fd, F_GETOWN));

	fcntl(fd, F_SETSIG, rtsig);
	CHECK_RET(fcntl(fd, F_SETLEASE, F_WRLCK), 0, "a write lease again");
	pid = opener(O_RDONLY, 30);
	CHECK(got(rtsig, &si, 2000), "a blocked reader's open signals the holder", "none");
	CHECK_RET(fcntl(fd, F_GETLEASE), F_RDLCK, "F_GETLEASE: a reader asks for F_RDLCK");
	usleep(40000);
	CHECK_RET(fcntl(fd, F_SETLEASE, F_RDLCK), 0, "the holder downgrades");
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the reader opened after the downgrade", "status %#x", st);
	CHECK_RET(fcntl(fd, F_GETLEASE), F_RDLCK, "the read lease stays");

	/* truncate(2) is a writer too. */
	pid = fork();
	if (pid == 0)
		_exit(truncate(PATH, 0) == 0 ? 0 : 1);
	CHECK(got(rtsig, &si, 2000) && si.si_code == POLL_MSG, "truncate(2) signals the holder", "code %d",
	      si.si_code);
	CHECK_RET(fcntl(fd, F_GETLEASE), F_UNLCK, "F_GETLEASE: truncate asks for F_UNLCK");
	CHECK_RET(fcntl(fd, F_SETLEASE, F_UNLCK), 0, "unlock");
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "then truncate went on", "status %#x", st);
	close(fd);
}

static void test_break_time(void)
{
	char old[32], en[32];
	int fd, st;
	siginfo_t si;
	pid_t pid;

	if (check_read_file(BREAK_TIME, old, sizeof(old)) <= 0 || check_write_file(BREAK_TIME, "1\n")) {
		check_skip("lease-break-time", "cannot set it");
		return;
	}
	CHECK(check_read_file(BREAK_TIME, en, sizeof(en)) > 0 && atoi(en) == 1, "lease-break-time reads back 1",
	      "%s", en);
	fd = open(PATH, O_RDONLY);
	fcntl(fd, F_SETSIG, rtsig);
	CHECK_RET(fcntl(fd, F_SETLEASE, F_RDLCK), 0, "a read lease");
	/* The holder does nothing: the kernel removes the lease after 1 s. */
	pid = opener(O_WRONLY, 900);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a writer opens once the break time is up", "status %#x", st);
	CHECK_RET(fcntl(fd, F_GETLEASE), F_UNLCK, "the kernel removed the lease");
	CHECK(got(rtsig, &si, 0) && si.si_code == POLL_MSG, "the holder was told", "no signal");
	check_write_file(BREAK_TIME, old);

	if (check_read_file(ENABLE, en, sizeof(en)) > 0 && check_write_file(ENABLE, "0\n") == 0) {
		CHECK_ERR(fcntl(fd, F_SETLEASE, F_RDLCK), EINVAL, "leases-enable 0: F_SETLEASE EINVAL");
		check_write_file(ENABLE, en);
		CHECK_RET(fcntl(fd, F_SETLEASE, F_RDLCK), 0, "leases-enable 1 again: a lease");
		fcntl(fd, F_SETLEASE, F_UNLCK);
	}
	close(fd);
}

/* Does /proc/locks have a line "N: " + the rest, for the file at fd? */
static int locks_has(int fd, const char *kind, const char *range)
{
	static char buf[8192];
	char want[160];
	struct stat st;

	if (fstat(fd, &st) || check_read_file("/proc/locks", buf, sizeof(buf)) < 0)
		return 0;
	snprintf(want, sizeof(want), ": %s %d %02x:%02x:%lu %s\n", kind, (int)getpid(), major(st.st_dev),
		 minor(st.st_dev), (unsigned long)st.st_ino, range);
	return strstr(buf, want) != NULL;
}

static void test_proc_locks(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	int fd = open(PATH, O_RDONLY), g = open(PATH ".g", O_CREAT | O_RDWR, 0600), h;

	CHECK_RET(fcntl(fd, F_SETLEASE, F_RDLCK), 0, "a read lease for /proc/locks");
	CHECK(locks_has(fd, "LEASE  ACTIVE    READ", "0 EOF"), "/proc/locks: LEASE  ACTIVE    READ", "missing");
	CHECK_ERR(open(PATH, O_WRONLY | O_NONBLOCK), EWOULDBLOCK, "break it");
	CHECK(locks_has(fd, "LEASE  BREAKING  UNLCK", "0 EOF"), "/proc/locks: LEASE  BREAKING  UNLCK", "missing");
	fcntl(fd, F_SETLEASE, F_UNLCK);
	CHECK(!locks_has(fd, "LEASE  ACTIVE    READ", "0 EOF") && !locks_has(fd, "LEASE  BREAKING  UNLCK", "0 EOF"),
	      "an unlocked lease leaves /proc/locks", "still there");
	CHECK_RET(fcntl(g, F_SETLK, &fl), 0, "a whole-file POSIX write lock");
	CHECK(locks_has(g, "POSIX  ADVISORY  WRITE", "0 EOF"), "/proc/locks: POSIX  ADVISORY  WRITE ... 0 EOF",
	      "missing");
	fl.l_type = F_UNLCK;
	fcntl(g, F_SETLK, &fl);
	fl.l_type = F_RDLCK;
	fl.l_start = 10;
	fl.l_len = 5;
	CHECK_RET(fcntl(g, F_SETLK, &fl), 0, "a POSIX read lock of bytes 10-14");
	CHECK(locks_has(g, "POSIX  ADVISORY  READ", "10 14"), "/proc/locks: ... READ ... 10 14", "missing");
	fl.l_type = F_UNLCK;
	fcntl(g, F_SETLK, &fl);
	h = open(PATH ".g", O_RDONLY);
	CHECK_RET(flock(h, LOCK_EX), 0, "flock LOCK_EX");
	CHECK(locks_has(h, "FLOCK  ADVISORY  WRITE", "0 EOF"), "/proc/locks: FLOCK  ADVISORY  WRITE", "missing");
	close(h);
	CHECK(!locks_has(g, "FLOCK  ADVISORY  WRITE", "0 EOF"), "closing ends the flock line", "still there");
	close(g);
	close(fd);
	unlink(PATH ".g");
}

int main(int argc, char **argv)
{
	sigset_t set;
	int fd;

	(void)argc;
	check_init(argv[0]);
	rtsig = SIGRTMIN + 2;
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, rtsig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = open(PATH, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "lease", 5) == 5, "create " PATH, "errno %d", errno);
	close(fd);
	test_set_get();
	test_not_owner();
	test_break_nonblock();
	test_break_wait();
	test_break_time();
	test_proc_locks();
	unlink(PATH);
	return check_done();
}
