// SPDX-License-Identifier: MPL-2.0
/*
 * t_aio -- Linux native AIO through the raw syscalls (no libaio):
 * io_setup (the ring's header, aio-nr, EINVAL/EFAULT/EAGAIN), every opcode
 * on a regular file and a pipe (PREAD, PWRITE, PREADV, PWRITEV, FSYNC,
 * FDSYNC, POLL; NOOP is EINVAL as on Linux), IOCB_FLAG_RESFD with an
 * eventfd, a POLL that completes when a child writes, the ring's head and
 * tail as user space sees them (and consuming an event from user space),
 * io_getevents' min_nr and timeout, io_pgetevents' signal mask, EINTR,
 * io_cancel, io_destroy with a pending poll and with a read blocked in
 * another thread's io_submit, IOCB_FLAG_IOPRIO's checks, the slot limit and
 * aio-max-nr (EAGAIN), each io_submit error, a ring unmapped by the user,
 * and contexts across fork (the child keeps the ring's mapping, as on
 * Linux, but not the context) and exec.
 */
#include "check.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SYS_io_pgetevents
#define SYS_io_pgetevents 333
#endif
enum { T_PREAD = 0, T_PWRITE = 1, T_FSYNC = 2, T_FDSYNC = 3, T_POLL = 5, T_NOOP = 6,
       T_PREADV = 7, T_PWRITEV = 8 };
#define T_RESFD		1
#define T_IOPRIO	2
#define T_RING_MAGIC	0xa10a10a1u

typedef unsigned long ctx_t;

struct t_iocb {
	uint64_t data;
	uint32_t key;
	int32_t rw_flags;
	uint16_t opcode;
	int16_t reqprio;
	uint32_t fildes;
	uint64_t buf, nbytes;
	int64_t offset;
	uint64_t reserved2;
	uint32_t flags, resfd;
};

struct t_event {
	uint64_t data, obj;
	int64_t res, res2;
};

struct t_ring {
	uint32_t id, nr, head, tail, magic, compat, incompat, header_length;
	struct t_event ev[];
};

struct t_sigset {
	const sigset_t *mask;
	size_t size;
};

static long io_setup(unsigned int nr, ctx_t *ctx) { return syscall(SYS_io_setup, nr, ctx); }
static long io_destroy(ctx_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long io_submit(ctx_t ctx, long nr, struct t_iocb **cbs) { return syscall(SYS_io_submit, ctx, nr, cbs); }
static long io_cancel(ctx_t ctx, struct t_iocb *cb, struct t_event *ev) { return syscall(SYS_io_cancel, ctx, cb, ev); }
static long io_getevents(ctx_t ctx, long min, long nr, struct t_event *ev, struct timespec *ts)
{
	return syscall(SYS_io_getevents, ctx, min, nr, ev, ts);
}
static long io_pgetevents(ctx_t ctx, long min, long nr, struct t_event *ev, struct timespec *ts,
			  struct t_sigset *ss)
{
	return syscall(SYS_io_pgetevents, ctx, min, nr, ev, ts, ss);
}

static struct timespec zero_ts;

static void prep(struct t_iocb *cb, int op, int fd, void *buf, uint64_t n, int64_t off, uint64_t data)
{
	memset(cb, 0, sizeof(*cb));
	cb->opcode = (uint16_t)op;
	cb->fildes = (uint32_t)fd;
	cb->buf = (uintptr_t)buf;
	cb->nbytes = n;
	cb->offset = off;
	cb->data = data;
	cb->key = 0xdeadbeef;	/* io_submit writes 0 (KIOCB_KEY) here */
}

static long submit1(ctx_t ctx, struct t_iocb *cb)
{
	return io_submit(ctx, 1, &cb);
}

/* Submit one and take its event: the event's res, or -1000 - errno when io_submit failed. */
static int64_t run1(ctx_t ctx, struct t_iocb *cb, struct t_event *ev)
{
	long r = submit1(ctx, cb);

	if (r != 1)
		return -1000 - errno;
	if (io_getevents(ctx, 1, 1, ev, NULL) != 1)
		return -2000 - errno;
	return ev->res;
}

static long aio_nr(void)
{
	char buf[64];

	if (check_read_file("/proc/sys/fs/aio-nr", buf, sizeof(buf)) < 0)
		return -1;
	return atol(buf);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int tmpfile_fd(void)
{
	char path[] = "/tmp/t_aio.XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

static void test_setup(void)
{
	ctx_t ctx = 0, bad = 1;
	unsigned char vec[1];
	struct t_ring *ring;
	long before = aio_nr();

	CHECK_ERR(io_setup(8, &bad), EINVAL, "io_setup: *ctxp not 0: EINVAL");
	CHECK_ERR(io_setup(0, &ctx), EINVAL, "io_setup: nr_events 0: EINVAL");
	CHECK_ERR(io_setup(8, BADPTR), EFAULT, "io_setup: unmapped ctxp: EFAULT");
	CHECK_ERR(io_setup(0xffffffffu, &ctx), EINVAL, "io_setup: a ring past 256 MiB: EINVAL");
	CHECK_ERR(io_setup(4194305, &ctx), EINVAL, "io_setup: 4194305 events: EINVAL");
	CHECK_ERR(io_setup(100000, &ctx), EAGAIN, "io_setup: more than aio-max-nr: EAGAIN");
	CHECK_RET(aio_nr(), before, "failed io_setups leave aio-nr alone");
	if (CHECK_OK(io_setup(8, &ctx), "io_setup(8)") < 0)
		return;
	ring = (struct t_ring *)ctx;
	CHECK(ctx != 0, "the context is an address", "0");
	CHECK_RET(ring->magic, T_RING_MAGIC, "ring magic 0xa10a10a1");
	CHECK_RET(ring->compat, 1, "ring compat_features 1");
	CHECK_RET(ring->incompat, 0, "ring incompat_features 0");
	CHECK_RET(ring->header_length, 32, "ring header_length 32");
	CHECK_RET(ring->id, 0, "the process's first context has id 0");
	CHECK(ring->head == 0 && ring->tail == 0, "an empty ring: head == tail == 0", "%u %u", ring->head, ring->tail);
	CHECK(ring->nr >= 8 && (32 + ring->nr * 32) % 4096 == 0, "ring nr: at least 8, fills whole pages",
	      "nr %u", ring->nr);
	CHECK_RET(aio_nr(), before + 8, "aio-nr counts nr_events");
	CHECK_RET(io_destroy(ctx), 0, "io_destroy");
	CHECK_RET(aio_nr(), before, "aio-nr back after io_destroy");
	CHECK_ERR(mincore(ring, 4096, vec), ENOMEM, "io_destroy unmapped the ring");
	CHECK_ERR(io_destroy(ctx), EINVAL, "io_destroy twice: EINVAL");
	CHECK_ERR(io_destroy(0), EINVAL, "io_destroy(0): EINVAL");
}

static void test_file(ctx_t ctx)
{
	int fd = tmpfile_fd();
	struct t_iocb cb;
	struct t_event ev;
	char buf[32] = "", a[4], b[8];
	struct iovec wv[2] = { { "abc", 3 }, { "defghij", 7 } };
	struct iovec rv[2] = { { a, 4 }, { b, 8 } };

	prep(&cb, T_PWRITE, fd, "hello world", 11, 0, 42);
	CHECK_RET(run1(ctx, &cb, &ev), 11, "PWRITE of 11 bytes: res 11");
	CHECK(ev.data == 42 && ev.obj == (uintptr_t)&cb && ev.res2 == 0, "the event's data, obj and res2",
	      "data %lu obj %#lx res2 %ld", (unsigned long)ev.data, (unsigned long)ev.obj, (long)ev.res2);
	CHECK_RET(cb.key, 0, "io_submit wrote KIOCB_KEY (0) in aio_key");
	CHECK_RET(lseek(fd, 0, SEEK_CUR), 0, "AIO does not move the file position");
	prep(&cb, T_PREAD, fd, buf, 5, 6, 43);
	CHECK_RET(run1(ctx, &cb, &ev), 5, "PREAD of 5 at offset 6: res 5");
	CHECK(!memcmp(buf, "world", 5), "PREAD's data", "%.5s", buf);
	prep(&cb, T_PREAD, fd, buf, 32, 100, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 0, "PREAD past the end: res 0");
	prep(&cb, T_PWRITEV, fd, wv, 2, 100, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 10, "PWRITEV of two buffers: res 10");
	prep(&cb, T_PREADV, fd, rv, 2, 100, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 10, "PREADV into 4 + 8 bytes: res 10");
	CHECK(!memcmp(a, "abcd", 4) && !memcmp(b, "efghij", 6), "PREADV's data", "%.4s %.6s", a, b);
	prep(&cb, T_FSYNC, fd, NULL, 0, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 0, "FSYNC on a file: res 0");
	prep(&cb, T_FDSYNC, fd, NULL, 0, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 0, "FDSYNC on a file: res 0");
	prep(&cb, T_POLL, fd, (void *)(uintptr_t)POLLIN, 0, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev) & POLLIN, POLLIN, "POLL on a file completes at once with POLLIN");
	prep(&cb, T_PREAD, fd, (void *)4096, 5, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev), -EFAULT, "PREAD into unmapped memory: the event says -EFAULT");
	close(fd);
}

static void test_pipe(ctx_t ctx)
{
	int p[2];
	struct t_iocb cb;
	struct t_event ev;
	char buf[16] = "";
	struct iovec rv = { buf, 16 };
	struct iovec wv = { "vec", 3 };

	if (pipe(p))
		return;
	prep(&cb, T_PWRITE, p[1], "piped", 5, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 5, "PWRITE into a pipe: res 5");
	prep(&cb, T_PREAD, p[0], buf, 16, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 5, "PREAD from a pipe: res 5");
	CHECK(!memcmp(buf, "piped", 5), "the pipe's data", "%.5s", buf);
	prep(&cb, T_PWRITEV, p[1], &wv, 1, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 3, "PWRITEV into a pipe: res 3");
	prep(&cb, T_PREADV, p[0], &rv, 1, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 3, "PREADV from a pipe: res 3");
	prep(&cb, T_FSYNC, p[1], NULL, 0, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "FSYNC on a pipe: EINVAL");
	prep(&cb, T_FDSYNC, p[0], NULL, 0, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "FDSYNC on a pipe: EINVAL");
	prep(&cb, T_POLL, p[1], (void *)(uintptr_t)POLLOUT, 0, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev) & POLLOUT, POLLOUT, "POLL for POLLOUT on an empty pipe: at once");
	close(p[0]);
	close(p[1]);
}

static void test_resfd(ctx_t ctx)
{
	int efd = eventfd(0, EFD_NONBLOCK), fd = tmpfile_fd(), p[2];
	struct t_iocb cb[2], *cbs[2] = { &cb[0], &cb[1] };
	struct t_event ev[2];
	uint64_t v = 0;

	if (pipe(p))
		return;
	prep(&cb[0], T_PWRITE, fd, "x", 1, 0, 0);
	prep(&cb[1], T_PWRITE, fd, "y", 1, 1, 0);
	cb[0].flags = cb[1].flags = T_RESFD;
	cb[0].resfd = cb[1].resfd = (uint32_t)efd;
	CHECK_RET(io_submit(ctx, 2, cbs), 2, "two writes with IOCB_FLAG_RESFD");
	CHECK_RET(read(efd, &v, 8), 8, "the eventfd is readable");
	CHECK_RET(v, 2, "the eventfd counted both completions");
	CHECK_RET(io_getevents(ctx, 2, 2, ev, NULL), 2, "and both events are in the ring");
	cb[0].resfd = (uint32_t)p[0];
	CHECK_ERR(submit1(ctx, &cb[0]), EINVAL, "RESFD that is not an eventfd: EINVAL");
	cb[0].resfd = 999;
	CHECK_ERR(submit1(ctx, &cb[0]), EBADF, "RESFD that is no descriptor: EBADF");
	close(efd);
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* POLL on an empty pipe completes when a child writes; its RESFD fires then. */
static void test_poll_later(ctx_t ctx)
{
	int p[2], efd = eventfd(0, 0), status = 0;
	struct t_iocb cb, *cbs[1] = { &cb };
	struct t_event ev;
	struct pollfd pf;
	pid_t pid;

	if (pipe(p))
		return;
	prep(&cb, T_POLL, p[0], (void *)(uintptr_t)POLLIN, 0, 0, 77);
	cb.flags = T_RESFD;
	cb.resfd = (uint32_t)efd;
	CHECK_RET(io_submit(ctx, 1, cbs), 1, "POLL on an empty pipe is accepted");
	CHECK_RET(io_getevents(ctx, 0, 1, &ev, &zero_ts), 0, "and has no event yet");
	pid = fork();
	if (pid == 0) {
		/* The child has no context: it keeps the ring's mapping, as on Linux, not the context. */
		struct t_ring *ring = (struct t_ring *)ctx;
		ctx_t mine = 0;
		int bad = io_getevents(ctx, 0, 1, &ev, &zero_ts) != -1 || errno != EINVAL;

		bad |= io_destroy(ctx) != -1 || errno != EINVAL;
		bad |= ring->magic != T_RING_MAGIC;
		bad |= io_setup(1, &mine) != 0 || mine == ctx || ((struct t_ring *)mine)->id != 0;
		usleep(100000);
		bad |= write(p[1], "!", 1) != 1;
		_exit(bad);
	}
	CHECK_RET(io_getevents(ctx, 1, 1, &ev, NULL), 1, "the event comes once the child writes");
	CHECK(ev.data == 77 && (ev.res & POLLIN), "its data and POLLIN", "data %lu res %ld",
	      (unsigned long)ev.data, (long)ev.res);
	pf.fd = efd;
	pf.events = POLLIN;
	CHECK_RET(poll(&pf, 1, 1000), 1, "the poll's RESFD eventfd was signalled");
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child: EINVAL for the parent's context, its own gets id 0",
	      "status %#x", status);
	close(p[0]);
	close(p[1]);
	close(efd);
}

/* A socket: POLL waits for data a thread-less peer sends later (from a child). */
static void test_poll_socket(ctx_t ctx)
{
	int sv[2], status;
	struct t_iocb cb;
	struct t_event ev;
	char buf[8];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return;
	prep(&cb, T_POLL, sv[0], (void *)(uintptr_t)POLLIN, 0, 0, 5);
	CHECK_RET(submit1(ctx, &cb), 1, "POLL on a socket");
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		_exit(write(sv[1], "sock", 4) != 4);
	}
	CHECK_RET(io_getevents(ctx, 1, 1, &ev, NULL), 1, "completes when the peer writes");
	CHECK_RET(ev.res & POLLIN, POLLIN, "with POLLIN");
	prep(&cb, T_PREAD, sv[0], buf, 8, 0, 0);
	CHECK_RET(run1(ctx, &cb, &ev), 4, "PREAD from the socket: res 4");
	waitpid(pid, &status, 0);
	close(sv[0]);
	close(sv[1]);
}

static void test_ring_and_getevents(ctx_t ctx)
{
	struct t_ring *ring = (struct t_ring *)ctx;
	int fd = open("/dev/null", O_WRONLY);
	struct t_iocb cb[3], *cbs[3] = { &cb[0], &cb[1], &cb[2] };
	struct t_event ev[3];
	uint32_t head = ring->head, nr = ring->nr;
	struct timespec t0, ts = { 0, 100000000 };

	for (int i = 0; i < 3; i++)
		prep(&cb[i], T_PWRITE, fd, "abc", 3, 0, (uint64_t)i);
	CHECK_RET(io_submit(ctx, 3, cbs), 3, "three writes");
	CHECK_RET((ring->tail - head + nr) % nr, 3, "the ring's tail moved by 3");
	CHECK_RET(io_getevents(ctx, 1, 1, ev, NULL), 1, "io_getevents takes 1");
	CHECK_RET(ring->head, (head + 1) % nr, "the ring's head moved by 1");
	/* Consume one from user space, as libaio does. */
	CHECK_RET(ring->ev[ring->head].data, 1, "user space reads the next event at the head");
	ring->head = (ring->head + 1) % nr;
	CHECK_RET(io_getevents(ctx, 0, 3, ev, &zero_ts), 1, "io_getevents then sees only the third");
	CHECK_RET(ev[0].data, 2, "which is the third");
	CHECK_RET(io_getevents(ctx, 0, 3, ev, &zero_ts), 0, "an empty ring: 0 at once with a zero timeout");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_RET(io_getevents(ctx, 1, 3, ev, &ts), 0, "min_nr 1 on an empty ring: 0 after the timeout");
	CHECK(ms_since(&t0) >= 80, "the timeout was waited", "%ld ms", ms_since(&t0));
	CHECK_ERR(io_getevents(ctx, 2, 1, ev, NULL), EINVAL, "min_nr > nr: EINVAL");
	CHECK_ERR(io_getevents(ctx, -1, 1, ev, NULL), EINVAL, "min_nr < 0: EINVAL");
	CHECK_ERR(io_getevents(1, 0, 1, ev, NULL), EINVAL, "a bad context: EINVAL");
	CHECK_ERR(io_getevents(ctx, 0, 1, ev, BADPTR), EFAULT, "an unmapped timeout: EFAULT");
	CHECK_RET(submit1(ctx, &cb[0]), 1, "one more write");
	CHECK_ERR(io_getevents(ctx, 1, 1, BADPTR, NULL), EFAULT, "events unmapped: EFAULT");
	CHECK_RET(io_getevents(ctx, 1, 1, ev, NULL), 1, "the event was not lost");
	close(fd);
}

static void on_sig(int sig)
{
	(void)sig;
}

static void test_signals(ctx_t ctx)
{
	struct sigaction sa;
	sigset_t block, empty, now;
	struct t_sigset ss = { &empty, 8 };
	struct t_event ev;
	int p[2];
	struct t_iocb cb;

	if (pipe(p))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	prep(&cb, T_POLL, p[0], (void *)(uintptr_t)POLLIN, 0, 0, 0);
	CHECK_RET(submit1(ctx, &cb), 1, "a poll that stays pending");
	ualarm(50000, 0);
	CHECK_ERR(io_getevents(ctx, 1, 1, &ev, NULL), EINTR, "io_getevents interrupted by a signal: EINTR");
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);
	CHECK_ERR(io_pgetevents(ctx, 1, 1, &ev, NULL, &ss), EINTR,
		  "io_pgetevents' mask unblocks a pending signal: EINTR");
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK(sigismember(&now, SIGUSR1), "the old mask is back afterwards", "SIGUSR1 not blocked");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	CHECK_RET(io_pgetevents(ctx, 0, 1, &ev, &zero_ts, NULL), 0, "io_pgetevents without a sigset");
	ss.size = 7;
	CHECK_ERR(io_pgetevents(ctx, 0, 1, &ev, &zero_ts, &ss), EINVAL, "io_pgetevents: sigsetsize 7: EINVAL");
	CHECK_ERR(io_pgetevents(ctx, 0, 1, &ev, &zero_ts, BADPTR), EFAULT, "io_pgetevents: unmapped sigset: EFAULT");
	CHECK_ERR(io_cancel(ctx, &cb, &ev), EINPROGRESS, "io_cancel of the poll: EINPROGRESS");
	CHECK_RET(io_getevents(ctx, 1, 1, &ev, NULL), 1, "the cancelled poll's event is in the ring");
	CHECK(ev.obj == (uintptr_t)&cb && ev.res == 0, "with res 0", "obj %#lx res %ld",
	      (unsigned long)ev.obj, (long)ev.res);
	CHECK_ERR(io_cancel(ctx, &cb, &ev), EINVAL, "io_cancel once it completed: EINVAL");
	cb.key = 1;
	CHECK_ERR(io_cancel(ctx, &cb, &ev), EINVAL, "io_cancel of an iocb whose aio_key is not 0: EINVAL");
	CHECK_ERR(io_cancel(ctx, BADPTR, &ev), EFAULT, "io_cancel of an unmapped iocb: EFAULT");
	cb.key = 0;
	CHECK_ERR(io_cancel(1, &cb, &ev), EINVAL, "io_cancel in a bad context: EINVAL");
	close(p[0]);
	close(p[1]);
}

static void test_submit_errors(ctx_t ctx)
{
	int fd = tmpfile_fd(), ro = open("/dev/null", O_RDONLY), wo = open("/dev/null", O_WRONLY);
	struct t_iocb cb, good, *cbs[2] = { &good, &cb };
	struct t_event ev;
	char buf[8];
	struct iovec *many = calloc(1025, sizeof(*many));

	CHECK_RET(pwrite(fd, "12345678", 8, 0), 8, "a file of 8 bytes");
	prep(&cb, T_PREAD, fd, buf, 8, 0, 0);
	CHECK_ERR(io_submit(ctx, -1, cbs), EINVAL, "io_submit: nr < 0: EINVAL");
	CHECK_ERR(io_submit(1, 1, cbs), EINVAL, "io_submit: a bad context: EINVAL");
	CHECK_RET(io_submit(ctx, 0, cbs), 0, "io_submit of nothing: 0");
	CHECK_ERR(io_submit(ctx, 1, BADPTR), EFAULT, "io_submit: unmapped iocbpp: EFAULT");
	cbs[0] = BADPTR;
	CHECK_ERR(io_submit(ctx, 1, cbs), EFAULT, "io_submit: unmapped iocb: EFAULT");
	cbs[0] = &good;
	cb.reserved2 = 1;
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "aio_reserved2 set: EINVAL");
	cb.reserved2 = 0;
	cb.nbytes = 1ULL << 63;
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "a negative aio_nbytes: EINVAL");
	cb.nbytes = 8;
	cb.opcode = 4;
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "opcode 4 (PREADX): EINVAL");
	cb.opcode = T_NOOP;
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "IOCB_CMD_NOOP: EINVAL (never implemented)");
	cb.opcode = 99;
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "opcode 99: EINVAL");
	cb.opcode = T_PREAD;
	cb.fildes = 999;
	CHECK_ERR(submit1(ctx, &cb), EBADF, "a bad descriptor: EBADF");
	cb.fildes = (uint32_t)wo;
	CHECK_ERR(submit1(ctx, &cb), EBADF, "PREAD on a write-only descriptor: EBADF");
	prep(&cb, T_PWRITE, ro, buf, 8, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EBADF, "PWRITE on a read-only descriptor: EBADF");
	prep(&cb, T_PREAD, fd, buf, 8, -1, 0);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "a negative offset: EINVAL");
	prep(&cb, T_PREAD, fd, (void *)0xffff800000000000ULL, 8, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EFAULT, "a kernel-half buffer: EFAULT");
	prep(&cb, T_PREAD, fd, buf, 8, 0, 0);
	cb.rw_flags = 0x40000000;
	CHECK_ERR(submit1(ctx, &cb), EOPNOTSUPP, "an unknown RWF_ flag: EOPNOTSUPP");
	cb.rw_flags = 0;
	cb.flags = T_IOPRIO;
	cb.reqprio = (int16_t)(7 << 13);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "IOCB_FLAG_IOPRIO of class 7: EINVAL");
	cb.reqprio = 1;
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "IOCB_FLAG_IOPRIO class NONE with data: EINVAL");
	cb.reqprio = (2 << 13) | 4;
	CHECK_RET(run1(ctx, &cb, &ev), 8, "IOCB_FLAG_IOPRIO best-effort level 4: the read is done");
	prep(&cb, T_PREADV, fd, many, 1025, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "PREADV of 1025 iovecs: EINVAL");
	prep(&cb, T_PREADV, fd, BADPTR, 1, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EFAULT, "PREADV of an unmapped iovec array: EFAULT");
	prep(&cb, T_FSYNC, fd, NULL, 1, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "FSYNC with aio_nbytes: EINVAL");
	prep(&cb, T_POLL, fd, (void *)0x10000, 0, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "POLL with events past 16 bits: EINVAL");
	prep(&cb, T_POLL, fd, (void *)(uintptr_t)POLLIN, 1, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "POLL with aio_nbytes: EINVAL");
	prep(&cb, T_POLL, fd, (void *)(uintptr_t)POLLPRI, 0, 0, 0);
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "POLLPRI on a file that cannot poll: EINVAL");
	/* A batch stops at its first bad iocb and counts what went in. */
	prep(&good, T_PWRITE, wo, "z", 1, 0, 0);
	prep(&cb, 99, fd, buf, 8, 0, 0);
	CHECK_RET(io_submit(ctx, 2, cbs), 1, "a good iocb then a bad one: 1");
	CHECK_RET(io_getevents(ctx, 1, 1, &ev, NULL), 1, "the good one's event");
	free(many);
	close(fd);
	close(ro);
	close(wo);
}

static int write_limit(const char *v)
{
	return check_write_file("/proc/sys/fs/aio-max-nr", v);
}

static void test_limits(void)
{
	ctx_t ctx = 0, c2 = 0;
	struct t_ring *ring;
	struct t_iocb cb, *cbs[1] = { &cb };
	struct t_event *ev;
	int fd = open("/dev/null", O_WRONLY);
	long n = 0, before = aio_nr();
	char old[32], val[32];

	if (CHECK_OK(io_setup(1, &ctx), "io_setup(1)") < 0)
		return;
	ring = (struct t_ring *)ctx;
	ev = calloc(ring->nr, sizeof(*ev));
	prep(&cb, T_PWRITE, fd, "x", 1, 0, 0);
	while (n < ring->nr && io_submit(ctx, 1, cbs) == 1)
		n++;
	CHECK(n >= 1 && n < ring->nr && errno == EAGAIN, "unreaped events fill the ring: then EAGAIN",
	      "%ld submitted of nr %u, errno %d", n, ring->nr, errno);
	CHECK_RET(io_getevents(ctx, n, n, ev, NULL), n, "all of them can be reaped");
	CHECK_RET(io_submit(ctx, 1, cbs), 1, "and there is room again");
	CHECK_RET(io_getevents(ctx, 1, 1, ev, NULL), 1, "(reaped)");
	free(ev);
	io_destroy(ctx);
	close(fd);
	if (check_read_file("/proc/sys/fs/aio-max-nr", old, sizeof(old)) < 0) {
		check_skip("aio-max-nr", "unreadable");
		return;
	}
	snprintf(val, sizeof(val), "%ld\n", before + 10);
	if (write_limit(val)) {
		check_skip("aio-max-nr", "not writable (not root)");
		return;
	}
	ctx = 0;
	CHECK_ERR(io_setup(11, &ctx), EAGAIN, "io_setup past aio-max-nr: EAGAIN");
	CHECK_RET(io_setup(6, &ctx), 0, "io_setup(6) within it");
	CHECK_ERR(io_setup(5, &c2), EAGAIN, "io_setup(5) more: past the limit: EAGAIN");
	CHECK_RET(io_setup(4, &c2), 0, "io_setup(4) fills it exactly");
	CHECK_RET(aio_nr(), before + 10, "aio-nr is at the limit");
	io_destroy(ctx);
	io_destroy(c2);
	CHECK_RET(write_limit(old), 0, "aio-max-nr restored");
}

/* io_destroy with a poll pending cancels it and returns. */
static void test_destroy_pending(void)
{
	ctx_t ctx = 0;
	int p[2];
	struct t_iocb cb;

	if (pipe(p) || io_setup(4, &ctx))
		return;
	prep(&cb, T_POLL, p[0], (void *)(uintptr_t)POLLIN, 0, 0, 0);
	CHECK_RET(submit1(ctx, &cb), 1, "a pending poll");
	CHECK_RET(io_destroy(ctx), 0, "io_destroy with it pending: 0");
	CHECK_ERR(submit1(ctx, &cb), EINVAL, "the context is gone: io_submit EINVAL");
	close(p[0]);
	close(p[1]);
}

struct blocked_read {
	ctx_t ctx;
	int fd;
	long submitted;
	char buf[8];
};

static void *blocked_reader(void *arg)
{
	struct blocked_read *b = arg;
	struct t_iocb cb;

	prep(&cb, T_PREAD, b->fd, b->buf, sizeof(b->buf), 0, 0);
	b->submitted = submit1(b->ctx, &cb);
	return NULL;
}

/*
 * A read from an empty pipe blocks io_submit (as on Linux); io_destroy
 * from another thread waits for it, which ends when a child writes.
 */
static void test_destroy_waits(void)
{
	struct blocked_read b = { 0, -1, 0, "" };
	struct timespec t0;
	int p[2], status;
	pthread_t th;
	pid_t pid;

	if (pipe(p) || io_setup(4, &b.ctx))
		return;
	b.fd = p[0];
	pthread_create(&th, NULL, blocked_reader, &b);
	usleep(50000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		usleep(150000);
		_exit(write(p[1], "late", 4) != 4);
	}
	CHECK_RET(io_destroy(b.ctx), 0, "io_destroy while another thread's read blocks in io_submit");
	CHECK(ms_since(&t0) >= 100, "io_destroy waited for the read", "%ld ms", ms_since(&t0));
	pthread_join(th, NULL);
	CHECK_RET(b.submitted, 1, "the blocked io_submit returned 1 once data came");
	CHECK(!memcmp(b.buf, "late", 4), "and the read got the data", "%.4s", b.buf);
	waitpid(pid, &status, 0);
	close(p[0]);
	close(p[1]);
}

/* The user unmaps the ring: the context's calls fail, the kernel survives, exit cleans up. */
static void test_unmapped_ring(void)
{
	long before = aio_nr();
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		ctx_t ctx = 0;
		struct t_iocb cb;
		struct t_event ev;
		int p[2], bad = 0;

		if (pipe(p) || io_setup(4, &ctx))
			_exit(2);
		prep(&cb, T_POLL, p[0], (void *)(uintptr_t)POLLIN, 0, 0, 0);
		bad |= submit1(ctx, &cb) != 1;
		bad |= munmap((void *)ctx, 4096) != 0;
		bad |= submit1(ctx, &cb) != -1 || errno != EINVAL;
		bad |= io_getevents(ctx, 0, 1, &ev, &zero_ts) != -1 || errno != EINVAL;
		bad |= io_destroy(ctx) != -1 || errno != EINVAL;
		bad |= write(p[1], "x", 1) != 1;	/* the poll completes into the unmapped ring */
		usleep(20000);
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "an unmapped ring: io_submit, io_getevents, io_destroy EINVAL", "status %#x", status);
	CHECK_RET(aio_nr(), before, "the exit released the context (aio-nr)");
}

/* exec drops the contexts with the old address space. */
static void test_exec(const char *self)
{
	ctx_t ctx = 0;
	int status = 0;
	char arg[32];
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		if (io_setup(4, &ctx))
			_exit(2);
		snprintf(arg, sizeof(arg), "%lu", ctx);
		execl(self, self, "exec-child", arg, (char *)NULL);
		_exit(3);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "after exec the old context is gone",
	      "status %#x", status);
}

static int exec_child(const char *arg)
{
	ctx_t ctx = strtoul(arg, NULL, 10);

	if (io_destroy(ctx) != -1 || errno != EINVAL)
		return 1;
	return aio_nr() == 0 || aio_nr() > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	ctx_t ctx = 0;

	if (argc == 3 && !strcmp(argv[1], "exec-child"))
		return exec_child(argv[2]);
	check_init(argv[0]);
	test_setup();
	if (CHECK_OK(io_setup(64, &ctx), "io_setup(64)") < 0)
		return check_done();
	test_file(ctx);
	test_pipe(ctx);
	test_resfd(ctx);
	test_poll_later(ctx);
	test_poll_socket(ctx);
	test_ring_and_getevents(ctx);
	test_signals(ctx);
	test_submit_errors(ctx);
	CHECK_RET(io_destroy(ctx), 0, "io_destroy");
	test_limits();
	test_destroy_pending();
	test_destroy_waits();
	test_unmapped_ring();
	test_exec("/proc/self/exe");
	return check_done();
}
