/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_posix_mq -- POSIX message queues: mq_open (O_CREAT, O_EXCL, the
 * default and given attributes, close-on-exec descriptors; EEXIST,
 * ENOENT, EACCES for a name with a slash, ENAMETOOLONG, EINVAL for bad
 * attributes), mq_send/mq_receive (priority order, FIFO within one,
 * EMSGSIZE both ways, EINVAL past MQ_PRIO_MAX, EBADF for the wrong
 * access mode or a non-queue descriptor, O_NONBLOCK's EAGAIN, absolute
 * timeouts: ETIMEDOUT and EINVAL; a receiver sleeping until a send),
 * mq_getattr/mq_setattr, mq_unlink (the open queue lives on), mq_notify
 * (SIGEV_SIGNAL with si_code SI_MESGQ, pid and value, once; EBUSY for a
 * second process; SIGEV_NONE; unregistering), read(2) and poll(2) of a
 * queue descriptor, /proc/sys/fs/mqueue; as nobody, EACCES and EPERM.
 */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define QNAME "/t_posix_mq"

static char buf[16384];

/* The whole of a file into buf: its length, or -1 with errno. */
static long slurp(const char *path)
{
	return check_read_file(path, buf, sizeof(buf));
}


static struct timespec in_ms(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

static int wait_status(pid_t pid)
{
	int st = -1;

	waitpid(pid, &st, 0);
	return st;
}

static void test_basic(void)
{
	struct mq_attr a;
	unsigned int prio = 0;
	mqd_t q, r;
	char m[8192];
	long n;

	mq_unlink(QNAME);
	q = CHECK_OK(mq_open(QNAME, O_CREAT | O_RDWR, 0600, NULL), "mq_open O_CREAT");
	CHECK_RET(fcntl(q, F_GETFD), FD_CLOEXEC, "a queue descriptor is close-on-exec");
	CHECK_RET(mq_getattr(q, &a), 0, "mq_getattr");
	CHECK(a.mq_maxmsg == 10 && a.mq_msgsize == 8192 && a.mq_curmsgs == 0 && a.mq_flags == 0,
	      "the default attributes", "maxmsg %ld msgsize %ld curmsgs %ld flags %ld", a.mq_maxmsg,
	      a.mq_msgsize, a.mq_curmsgs, a.mq_flags);
	CHECK_RET(mq_send(q, "one", 3, 1), 0, "mq_send priority 1");
	CHECK_RET(mq_send(q, "five", 4, 5), 0, "mq_send priority 5");
	CHECK_RET(mq_send(q, "uno", 3, 1), 0, "mq_send priority 1 again");
	mq_getattr(q, &a);
	CHECK(a.mq_curmsgs == 3, "mq_curmsgs counts them", "%ld", a.mq_curmsgs);
	{
		char want[128];

		snprintf(want, sizeof(want), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", 10UL, 0, 0, 0);
		n = read(q, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		CHECK(n > 0 && strcmp(buf, want) == 0, "read(2) of a queue: its status line", "got '%s'", buf);
		CHECK_RET(read(q, buf, sizeof(buf)), 0, "and then the end of it");
	}
	{
		struct pollfd p = { .fd = q, .events = POLLIN | POLLOUT };

		CHECK(poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT),
		      "poll: readable and writable", "revents 0x%x", p.revents);
	}
	n = mq_receive(q, m, sizeof(m), &prio);
	CHECK(n == 4 && memcmp(m, "five", 4) == 0 && prio == 5, "the highest priority first",
	      "got %ld prio %u", n, prio);
	n = mq_receive(q, m, sizeof(m), &prio);
	CHECK(n == 3 && memcmp(m, "one", 3) == 0 && prio == 1, "then FIFO within a priority (1)",
	      "got %ld '%.3s'", n, m);
	n = mq_receive(q, m, sizeof(m), NULL);
	CHECK(n == 3 && memcmp(m, "uno", 3) == 0, "then FIFO within a priority (2)", "got %ld '%.3s'", n, m);
	CHECK_ERR(mq_receive(q, m, 100, NULL), EMSGSIZE, "a buffer smaller than mq_msgsize");
	CHECK_ERR(mq_send(q, m, 8193, 0), EMSGSIZE, "a message larger than mq_msgsize");
	CHECK_ERR(mq_send(q, m, 1, 32768), EINVAL, "a priority past MQ_PRIO_MAX");
	CHECK_ERR(mq_send(-1, m, 1, 0), EBADF, "mq_send to fd -1");
	CHECK_ERR(mq_send(1, m, 1, 0), EBADF, "mq_send to a descriptor that is no queue");
	a.mq_flags = O_NONBLOCK;
	CHECK_RET(mq_setattr(q, &a, NULL), 0, "mq_setattr O_NONBLOCK");
	mq_getattr(q, &a);
	CHECK(a.mq_flags == O_NONBLOCK && (fcntl(q, F_GETFL) & O_NONBLOCK), "the descriptor is nonblocking",
	      "flags %ld", a.mq_flags);
	CHECK_ERR(mq_receive(q, m, sizeof(m), NULL), EAGAIN, "O_NONBLOCK: an empty queue is EAGAIN");
	a.mq_flags = 1;
	CHECK_ERR(mq_setattr(q, &a, NULL), EINVAL, "mq_setattr of a flag other than O_NONBLOCK");
	a.mq_flags = 0;
	mq_setattr(q, &a, NULL);
	{
		struct timespec t = in_ms(100), t0, t1;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		CHECK_ERR(mq_timedreceive(q, m, sizeof(m), NULL, &t), ETIMEDOUT, "mq_timedreceive times out");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		CHECK(ms >= 80, "at the deadline", "after %ld ms", ms);
		t.tv_nsec = 1000000000;
		CHECK_ERR(mq_timedreceive(q, m, sizeof(m), NULL, &t), EINVAL, "a bad timeout");
		t = in_ms(0);
		t.tv_sec -= 1;
		CHECK_ERR(mq_timedreceive(q, m, sizeof(m), NULL, &t), ETIMEDOUT, "a deadline in the past");
	}
	r = CHECK_OK(mq_open(QNAME, O_RDONLY), "mq_open of the existing queue, read-only");
	CHECK_ERR(mq_send(r, "x", 1, 0), EBADF, "mq_send on a read-only descriptor");
	mq_close(r);
	r = mq_open(QNAME, O_WRONLY);
	CHECK_ERR(mq_receive(r, m, sizeof(m), NULL), EBADF, "mq_receive on a write-only descriptor");
	mq_close(r);
	CHECK_ERR(mq_open(QNAME, O_CREAT | O_EXCL | O_RDWR, 0600, NULL), EEXIST, "O_CREAT|O_EXCL of an existing queue");
	CHECK_RET(mq_unlink(QNAME), 0, "mq_unlink");
	CHECK_ERR(mq_open(QNAME, O_RDWR), ENOENT, "the name is gone");
	CHECK_ERR(mq_unlink(QNAME), ENOENT, "mq_unlink of a missing name");
	CHECK(mq_send(q, "still", 5, 0) == 0 && mq_receive(q, m, sizeof(m), NULL) == 5,
	      "an unlinked queue still works through its descriptor", "errno %d", errno);
	mq_close(q);
}

static void test_errors_and_limits(void)
{
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 16 };
	char longname[300], m[16];
	mqd_t q;
	pid_t pid;
	int st;

	CHECK_ERR(mq_open("/a/b", O_CREAT | O_RDWR, 0600, NULL), EACCES, "a name with a second slash");
	memset(longname, 'x', sizeof(longname));
	longname[0] = '/';
	longname[sizeof(longname) - 1] = 0;
	CHECK_ERR(mq_open(longname, O_CREAT | O_RDWR, 0600, NULL), ENAMETOOLONG, "a name past NAME_MAX");
	a.mq_maxmsg = 0;
	CHECK_ERR(mq_open("/t_mq_bad", O_CREAT | O_RDWR, 0600, &a), EINVAL, "mq_maxmsg 0");
	a.mq_maxmsg = 70000;
	CHECK_ERR(mq_open("/t_mq_bad", O_CREAT | O_RDWR, 0600, &a), EINVAL, "mq_maxmsg past the hard limit (root)");
	a.mq_maxmsg = 2;
	a.mq_msgsize = -1;
	CHECK_ERR(mq_open("/t_mq_bad", O_CREAT | O_RDWR, 0600, &a), EINVAL, "a negative mq_msgsize");
	a.mq_msgsize = 16;
	CHECK_ERR(mq_open("/t_mq_bad", O_RDWR), ENOENT, "no queue was made");
	mq_unlink("/t_mq_small");
	q = CHECK_OK(mq_open("/t_mq_small", O_CREAT | O_RDWR, 0600, &a), "mq_open with attributes");
	mq_getattr(q, &a);
	CHECK(a.mq_maxmsg == 2 && a.mq_msgsize == 16, "they are the queue's", "maxmsg %ld msgsize %ld",
	      a.mq_maxmsg, a.mq_msgsize);
	mq_send(q, "1", 1, 0);
	mq_send(q, "2", 1, 0);
	{
		struct timespec t = in_ms(50);

		CHECK_ERR(mq_timedsend(q, "3", 1, 0, &t), ETIMEDOUT, "a full queue: mq_timedsend times out");
	}
	{
		struct pollfd p = { .fd = q, .events = POLLOUT };

		CHECK_RET(poll(&p, 1, 0), 0, "poll: a full queue is not writable");
	}
	pid = fork();
	if (pid == 0)
		_exit(mq_send(q, "3", 1, 7) == 0 ? 0 : 1);
	usleep(100000);
	CHECK_RET(mq_receive(q, m, sizeof(m), NULL), 1, "a receive makes room");
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the sleeping sender got in", "0x%x", st);
	mq_receive(q, m, sizeof(m), NULL);
	mq_receive(q, m, sizeof(m), NULL);
	pid = fork();
	if (pid == 0) {
		char r[16];
		unsigned int prio;

		_exit(mq_receive(q, r, sizeof(r), &prio) == 2 && memcmp(r, "hi", 2) == 0 && prio == 3 ? 0 : 1);
	}
	usleep(100000);
	mq_send(q, "hi", 2, 3);
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a sleeping receiver gets the message", "0x%x", st);
	mq_close(q);
	mq_unlink("/t_mq_small");
}

static void test_notify(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct timespec t = { 2, 0 };
	siginfo_t si;
	sigset_t set;
	mqd_t q;
	pid_t pid;
	char m[8192];
	int st;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	mq_unlink("/t_mq_notify");
	q = mq_open("/t_mq_notify", O_CREAT | O_RDWR, 0600, NULL);
	ev.sigev_value.sival_int = 42;
	CHECK_RET(mq_notify(q, &ev), 0, "mq_notify SIGEV_SIGNAL");
	pid = fork();
	if (pid == 0)
		_exit(mq_notify(q, &ev) == -1 && errno == EBUSY && mq_send(q, "n", 1, 0) == 0 ? 0 : 1);
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another process: EBUSY; it sends", "0x%x", st);
	memset(&si, 0, sizeof(si));
	CHECK_RET(sigtimedwait(&set, &si, &t), SIGUSR1, "the first message into the empty queue signals");
	CHECK(si.si_code == SI_MESGQ && si.si_pid == pid && si.si_value.sival_int == 42 && si.si_uid == getuid(),
	      "si_code SI_MESGQ, the sender's pid and uid, the value", "code %d pid %d value %d",
	      si.si_code, si.si_pid, si.si_value.sival_int);
	mq_send(q, "n", 1, 0);
	t.tv_sec = 0;
	t.tv_nsec = 100000000;
	CHECK_ERR(sigtimedwait(&set, &si, &t), EAGAIN, "the registration went with the signal");
	mq_receive(q, m, sizeof(m), NULL);
	mq_receive(q, m, sizeof(m), NULL);
	CHECK_RET(mq_notify(q, &ev), 0, "a new registration");
	{
		char want[128];
		mqd_t r = mq_open("/t_mq_notify", O_RDONLY);
		long n;

		snprintf(want, sizeof(want), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", 0UL, 0,
			 SIGUSR1, getpid());
		n = read(r, buf, sizeof(buf) - 1);
		mq_close(r);
		buf[n > 0 ? n : 0] = 0;
		CHECK(strcmp(buf, want) == 0, "read(2) shows the registration", "got '%s'", buf);
	}
	CHECK_RET(mq_notify(q, NULL), 0, "mq_notify NULL unregisters");
	mq_send(q, "n", 1, 0);
	CHECK_ERR(sigtimedwait(&set, &si, &t), EAGAIN, "no signal after unregistering");
	mq_receive(q, m, sizeof(m), NULL);
	ev.sigev_notify = SIGEV_NONE;
	CHECK_RET(mq_notify(q, &ev), 0, "mq_notify SIGEV_NONE");
	mq_send(q, "n", 1, 0);
	mq_receive(q, m, sizeof(m), NULL);
	ev.sigev_notify = SIGEV_SIGNAL;
	CHECK_RET(mq_notify(q, &ev), 0, "a SIGEV_NONE registration also goes with a message");
	mq_notify(q, NULL);
	ev.sigev_notify = 99;
	CHECK_ERR(syscall(SYS_mq_notify, q, &ev), EINVAL, "an unknown sigev_notify");
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 65;
	CHECK_ERR(syscall(SYS_mq_notify, q, &ev), EINVAL, "a signal past 64");
	CHECK_ERR(syscall(SYS_mq_notify, -1, NULL), EBADF, "mq_notify of fd -1");
	mq_close(q);
	mq_unlink("/t_mq_notify");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void test_sysctl(void)
{
	static const char *const files[][2] = {
		{ "/proc/sys/fs/mqueue/msg_max", "10\n" },
		{ "/proc/sys/fs/mqueue/msgsize_max", "8192\n" },
		{ "/proc/sys/fs/mqueue/queues_max", "256\n" },
		{ "/proc/sys/fs/mqueue/msg_default", "10\n" },
		{ "/proc/sys/fs/mqueue/msgsize_default", "8192\n" },
	};
	struct mq_attr a;
	mqd_t q;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		CHECK(slurp(files[i][0]) > 0 && strcmp(buf, files[i][1]) == 0, files[i][0], "got '%s'", buf);
	CHECK_ERR(check_write_file("/proc/sys/fs/mqueue/msg_max", "0"), EINVAL, "msg_max 0");
	CHECK_ERR(check_write_file("/proc/sys/fs/mqueue/msgsize_max", "127"), EINVAL, "msgsize_max below 128");
	CHECK_RET(check_write_file("/proc/sys/fs/mqueue/msg_default", "3"), 0, "root sets msg_default");
	mq_unlink("/t_mq_dflt");
	q = mq_open("/t_mq_dflt", O_CREAT | O_RDWR, 0600, NULL);
	mq_getattr(q, &a);
	CHECK(a.mq_maxmsg == 3, "a new queue takes msg_default", "maxmsg %ld", a.mq_maxmsg);
	check_write_file("/proc/sys/fs/mqueue/msg_default", "10");
	mq_close(q);
	mq_unlink("/t_mq_dflt");
}

static void test_nobody(void)
{
	mqd_t q = mq_open("/t_mq_root", O_CREAT | O_RDWR, 0600, NULL), ro;
	pid_t pid;

	ro = mq_open("/t_mq_ro", O_CREAT | O_RDWR, 0644, NULL);
	pid = fork();
	if (pid == 0) {
		int failed_before = check_failed;
		struct mq_attr a = { .mq_maxmsg = 11, .mq_msgsize = 16 };
		mqd_t m;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		CHECK_ERR(mq_open("/t_mq_root", O_RDONLY), EACCES, "nobody: opening root's 0600 queue");
		CHECK_ERR(syscall(SYS_mq_unlink, "t_mq_root"), EPERM, "nobody: mq_unlink of root's queue (the kernel's EPERM)");
		CHECK_ERR(mq_unlink("/t_mq_root"), EACCES, "nobody: mq_unlink of root's queue (libc's EACCES)");
		m = mq_open("/t_mq_ro", O_RDONLY);
		CHECK(m >= 0, "nobody: O_RDONLY of a 0644 queue", "errno %d", errno);
		mq_close(m);
		CHECK_ERR(mq_open("/t_mq_ro", O_WRONLY), EACCES, "nobody: O_WRONLY of a 0644 queue");
		CHECK_ERR(mq_open("/t_mq_nb", O_CREAT | O_RDWR, 0600, &a), EINVAL,
			  "nobody: mq_maxmsg past msg_max");
		m = mq_open("/t_mq_nb", O_CREAT | O_RDWR, 0600, NULL);
		CHECK(m >= 0, "nobody: creating a queue of its own", "errno %d", errno);
		CHECK_RET(mq_unlink("/t_mq_nb"), 0, "nobody: unlinking its own queue");
		CHECK_ERR(check_write_file("/proc/sys/fs/mqueue/msg_max", "5"), EACCES, "nobody: writing msg_max");
		_exit(check_failed > failed_before ? 1 : 0);
	}
	CHECK(wait_status(pid) == 0, "the checks as nobody passed", "see above");
	mq_close(q);
	mq_close(ro);
	mq_unlink("/t_mq_root");
	mq_unlink("/t_mq_ro");
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	test_basic();
	test_errors_and_limits();
	test_notify();
	test_sysctl();
	test_nobody();
	return check_done();
}
