/* SPDX-License-Identifier: MPL-2.0 */
/*
 * t_pipe -- pipes and readiness: pipe/pipe2 (O_CLOEXEC, O_NONBLOCK and
 * EAGAIN), EOF and EPIPE, FIFOs made with mknod and mkfifo, and
 * poll/ppoll/select/pselect6 on pipes and regular files, with timeouts.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * O_DIRECT on a pipe is packet mode (Linux 3.4 on): each write is a packet
 * and a read returns at most one.  A kernel without packet mode must
 * refuse the flag (EINVAL, as Linux before 3.4), never accept it and
 * ignore it.
 */
static void test_packet_mode(void)
{
	char buf[16];
	int p[2];

	if (pipe2(p, O_DIRECT) != 0) {
		CHECK(errno == EINVAL, "pipe2(O_DIRECT) without packet mode: EINVAL", "errno %s",
		      check_errname(errno));
		if (pipe(p) == 0) {
			CHECK_ERR(fcntl(p[1], F_SETFL, O_DIRECT), EINVAL, "F_SETFL O_DIRECT on a pipe then: EINVAL");
			close(p[0]);
			close(p[1]);
		}
		return;
	}
	CHECK(write(p[1], "abc", 3) == 3 && write(p[1], "de", 2) == 2, "two packets written", "%s",
	      check_errname(errno));
	CHECK_RET(read(p[0], buf, sizeof(buf)), 3, "packet mode: a read returns the first packet only");
	CHECK_RET(read(p[0], buf, 1), 1, "a short read of the second packet");
	CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 && read(p[0], buf, sizeof(buf)) == -1 && errno == EAGAIN,
	      "the rest of a packet read short is dropped", "errno %s", check_errname(errno));
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	(void)argc;
	check_init(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	test_packet_mode();
	int p[2], st;
	char buf[128];

	/* pipe basics */
	CHECK_RET(pipe(p), 0, "pipe");
	CHECK_RET(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY, "read end is O_RDONLY");
	CHECK_RET(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY, "write end is O_WRONLY");
	CHECK_RET(write(p[1], "hello", 5), 5, "write to pipe");
	CHECK_RET(read(p[0], buf, sizeof buf), 5, "read returns what is there");
	CHECK_ERR(write(p[0], "x", 1), EBADF, "write to read end EBADF");
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE, "lseek on pipe ESPIPE");
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < 100; i++)
			write(p[1], "0123456789", 10);
		_exit(0);
	}
	close(p[1]);
	long total = 0, n;
	while ((n = read(p[0], buf, sizeof buf)) > 0)
		total += n;
	CHECK(total == 1000 && n == 0, "1000 bytes from a child, then EOF", "total %ld, last %ld", total, n);
	waitpid(pid, &st, 0);
	close(p[0]);
	pipe(p);
	close(p[0]);
	CHECK_ERR(write(p[1], "x", 1), EPIPE, "write without readers EPIPE");
	close(p[1]);
	CHECK_ERR(syscall(SYS_pipe, BADPTR), EFAULT, "pipe bad pointer EFAULT");

	/* pipe2 flags */
	CHECK_RET(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0, "pipe2 O_CLOEXEC|O_NONBLOCK");
	CHECK_RET(fcntl(p[0], F_GETFD), FD_CLOEXEC, "pipe2 O_CLOEXEC read end");
	CHECK_RET(fcntl(p[1], F_GETFD), FD_CLOEXEC, "pipe2 O_CLOEXEC write end");
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK, "pipe2 O_NONBLOCK", "flags %#x", fcntl(p[0], F_GETFL));
	CHECK_ERR(read(p[0], buf, 1), EAGAIN, "empty non-blocking pipe EAGAIN");
	long cap = 0;
	static char big[65536];
	for (;;) {
		n = write(p[1], big, sizeof big);
		if (n <= 0)
			break;
		cap += n;
	}
	CHECK(n == -1 && errno == EAGAIN && cap >= 4096, "full non-blocking pipe EAGAIN",
	      "n %ld errno %d after %ld bytes", n, errno, cap);
	struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	CHECK_RET(poll(pf, 2, 0), 1, "poll: full pipe readable, not writable");
	CHECK(pf[0].revents == POLLIN && pf[1].revents == 0, "poll revents on a full pipe",
	      "%#x %#x", pf[0].revents, pf[1].revents);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(pipe2(p, 0x12345600), EINVAL, "pipe2 bad flags EINVAL");

	/* poll/ppoll/select/pselect6 on pipes */
	pipe(p);
	struct pollfd q = { p[0], POLLIN, 0 };
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_RET(poll(&q, 1, 100), 0, "poll times out on an empty pipe");
	CHECK(ms_since(&t0) >= 95, "poll waited about 100 ms", "waited %ld ms", ms_since(&t0));
	write(p[1], "x", 1);
	CHECK_RET(poll(&q, 1, 1000), 1, "poll: pipe with data is readable");
	CHECK(q.revents == POLLIN, "POLLIN", "revents %#x", q.revents);
	struct timespec to = { 0, 50000000 };
	CHECK_RET(ppoll(&q, 1, &to, NULL), 1, "ppoll: readable");
	read(p[0], buf, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_RET(ppoll(&q, 1, &to, NULL), 0, "ppoll timeout");
	CHECK(ms_since(&t0) >= 45, "ppoll waited about 50 ms", "waited %ld ms", ms_since(&t0));
	fd_set rf, wf;
	FD_ZERO(&rf); FD_ZERO(&wf);
	FD_SET(p[0], &rf); FD_SET(p[1], &wf);
	struct timeval tv = { 0, 50000 };
	CHECK_RET(select(p[1] + 1, &rf, &wf, NULL, &tv), 1, "select: empty pipe writable only");
	CHECK(!FD_ISSET(p[0], &rf) && FD_ISSET(p[1], &wf), "select fd sets", "r %d w %d",
	      FD_ISSET(p[0], &rf), FD_ISSET(p[1], &wf));
	FD_ZERO(&rf);
	FD_SET(p[0], &rf);
	tv.tv_sec = 0;
	tv.tv_usec = 60000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_RET(select(p[0] + 1, &rf, NULL, NULL, &tv), 0, "select timeout");
	CHECK(ms_since(&t0) >= 55, "select waited about 60 ms", "waited %ld ms", ms_since(&t0));
	/* select normalises a timeval with a second or more of microseconds... */
	FD_ZERO(&wf);
	FD_SET(p[1], &wf);
	tv.tv_sec = 0;
	tv.tv_usec = 2500000;
	CHECK_RET(select(p[1] + 1, NULL, &wf, NULL, &tv), 1, "select with tv_usec 2500000 is not EINVAL");
	/* ...but a negative one is EINVAL. */
	tv.tv_sec = 0;
	tv.tv_usec = -1;
	CHECK_ERR(select(p[1] + 1, NULL, &wf, NULL, &tv), EINVAL, "select with negative tv_usec EINVAL");
	pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 30000000 };
		nanosleep(&d, NULL);
		write(p[1], "y", 1);
		_exit(0);
	}
	FD_ZERO(&rf);
	FD_SET(p[0], &rf);
	struct timespec pto = { 5, 0 };
	CHECK_RET(pselect(p[0] + 1, &rf, NULL, NULL, &pto, NULL), 1, "pselect6 wakes when a child writes");
	CHECK(FD_ISSET(p[0], &rf), "pselect6 marks the read end", "not set");
	waitpid(pid, &st, 0);
	close(p[1]);
	read(p[0], buf, 1);
	q.fd = p[0];
	q.events = POLLIN;
	CHECK_RET(poll(&q, 1, 0), 1, "poll: closed writer");
	CHECK(q.revents & POLLHUP, "POLLHUP after the writer closes", "revents %#x", q.revents);
	close(p[0]);
	q.fd = p[0];
	CHECK_RET(poll(&q, 1, 0), 1, "poll on a closed fd");
	CHECK(q.revents == POLLNVAL, "POLLNVAL for a closed fd", "revents %#x", q.revents);
	FD_ZERO(&rf);
	FD_SET(p[0], &rf);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	CHECK_ERR(select(p[0] + 1, &rf, NULL, NULL, &tv), EBADF, "select closed fd EBADF");
	CHECK_ERR(syscall(SYS_select, -1, NULL, NULL, NULL, &tv), EINVAL, "select negative nfds EINVAL");
	CHECK_ERR(syscall(SYS_poll, BADPTR, 1, 0), EFAULT, "poll bad pointer EFAULT");
	struct timespec badts = { 0, 2000000000L };
	CHECK_ERR(syscall(SYS_ppoll, &q, 1, &badts, NULL, 8), EINVAL, "ppoll bad timeout EINVAL");

	/* regular files are always ready */
	char path[] = "/tmp/t_pipe.XXXXXX";
	int fd = mkstemp(path);
	q.fd = fd;
	q.events = POLLIN | POLLOUT;
	CHECK_RET(poll(&q, 1, 1000), 1, "poll on a regular file");
	CHECK((q.revents & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT), "regular file POLLIN|POLLOUT",
	      "revents %#x", q.revents);
	FD_ZERO(&rf); FD_ZERO(&wf);
	FD_SET(fd, &rf); FD_SET(fd, &wf);
	tv.tv_sec = 1;
	CHECK_RET(select(fd + 1, &rf, &wf, NULL, &tv), 2, "select on a regular file: both ready");
	close(fd);
	unlink(path);

	/* FIFOs */
	char fifo[] = "/tmp/t_pipe.fifo";
	unlink(fifo);
	CHECK_RET(mkfifo(fifo, 0600), 0, "mkfifo");
	struct stat sb;
	CHECK(stat(fifo, &sb) == 0 && S_ISFIFO(sb.st_mode), "mkfifo makes a FIFO", "mode %o", sb.st_mode);
	CHECK_ERR(mkfifo(fifo, 0600), EEXIST, "mkfifo existing EEXIST");
	CHECK_ERR(open(fifo, O_WRONLY | O_NONBLOCK), ENXIO, "O_NONBLOCK writer without reader ENXIO");
	int rfd = CHECK_OK(open(fifo, O_RDONLY | O_NONBLOCK), "O_NONBLOCK reader opens at once");
	int wfd = CHECK_OK(open(fifo, O_WRONLY), "writer opens with a reader present");
	CHECK_RET(write(wfd, "fifo", 4), 4, "write to FIFO");
	memset(buf, 0, sizeof buf);
	CHECK_RET(read(rfd, buf, sizeof buf), 4, "read from FIFO");
	CHECK(strcmp(buf, "fifo") == 0, "FIFO data", "got '%s'", buf);
	close(wfd);
	close(rfd);
	pid = fork();
	if (pid == 0) {
		int w = open(fifo, O_WRONLY);
		write(w, "blocking", 8);
		_exit(0);
	}
	rfd = CHECK_OK(open(fifo, O_RDONLY), "blocking open meets a writer");
	memset(buf, 0, sizeof buf);
	n = 0;
	for (long r; (r = read(rfd, buf + n, sizeof buf - 1 - n)) > 0;)
		n += r;
	CHECK(n == 8 && strcmp(buf, "blocking") == 0, "FIFO data from a child, then EOF", "got %ld '%s'", n, buf);
	waitpid(pid, &st, 0);
	close(rfd);
	unlink(fifo);
	CHECK_RET(mknod(fifo, S_IFIFO | 0600, 0), 0, "mknod S_IFIFO");
	CHECK(stat(fifo, &sb) == 0 && S_ISFIFO(sb.st_mode), "mknod makes a FIFO", "mode %o", sb.st_mode);
	unlink(fifo);
	return check_done();
}
