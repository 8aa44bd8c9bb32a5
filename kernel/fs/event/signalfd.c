// SPDX-License-Identifier: MPL-2.0
// signalfd and signalfd4: read the reader's pending signals of a mask as
// struct signalfd_siginfo records instead of having them delivered.
//
// As on Linux, the signals are those pending for the thread that reads
// (its own and its process's), whoever created the descriptor: after a
// fork the child reads its own.  The mask's signals are normally blocked,
// so they stay pending until read.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/syscalls/sys.h"
#include "process/signal.h"
#include "uapi/signalfd.h"

struct signalfd {
	sigset_t mask;		/* never SIGKILL or SIGSTOP */
};

static bool is_fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

/* Fill the record from the queued siginfo, by the fields its kind has. */
static void to_ssi(const struct k_siginfo *si, struct signalfd_siginfo *out)
{
	memset(out, 0, sizeof(*out));
	out->ssi_signo = (uint32_t)si->signo;
	out->ssi_errno = si->errno_;
	out->ssi_code = si->code;
	if (si->code > 0 && is_fault_signal(si->signo)) {
		out->ssi_addr = si->u.fault.addr;
		return;
	}
	out->ssi_pid = (uint32_t)si->u.kill.pid;
	out->ssi_uid = si->u.kill.uid;
	if (si->code > 0 && si->signo == SIGCHLD) {
		out->ssi_status = si->u.chld.status;
		out->ssi_utime = (uint64_t)si->u.chld.utime;
		out->ssi_stime = (uint64_t)si->u.chld.stime;
		return;
	}
	/* sigqueue and friends (negative codes other than tkill) carry a value after pid and uid. */
	if (si->code < 0 && si->code != SI_TKILL) {
		uint64_t val;

		memcpy(&val, si->u.raw + 8, sizeof(val));
		out->ssi_ptr = val;
		out->ssi_int = (int32_t)(uint32_t)val;
	}
}

struct sfd_wait {
	struct thread *t;
	const struct signalfd *s;
};

static bool sfd_ready(void *arg)
{
	const struct sfd_wait *w = arg;

	return signal_pending_in(w->t, w->s->mask) != 0;
}

/* Take one signal of the mask, blocking when allowed: the signal, or -errno. */
static int sfd_take(struct file *f, struct thread *t, bool block, struct k_siginfo *si)
{
	struct sfd_wait w = { t, f->priv };
	struct wait_queue wq;
	int sig, err;

	wait_queue_init(&wq);
	for (;;) {
		sig = signal_dequeue_set(t, w.s->mask, si);
		if (sig)
			return sig;
		if (!block)
			return -EAGAIN;
		/* Queueing a signal kicks the thread's wait queue: this one. */
		err = wait_interruptible(&wq, sfd_ready, &w, 0);
		if (err)
			return err;
	}
}

static ssize_t signalfd_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct thread *t = current_thread();
	size_t done = 0;

	(void)pos;
	if (buf->len < sizeof(struct signalfd_siginfo))
		return -EINVAL;
	if (!t)
		return -EAGAIN;
	/* Block for the first record only, then take what is there. */
	while (buf->len - done >= sizeof(struct signalfd_siginfo)) {
		struct signalfd_siginfo ssi;
		struct k_siginfo si;
		int sig = sfd_take(f, t, !done && !(f->flags & O_NONBLOCK), &si);

		if (sig < 0)
			return done ? (ssize_t)done : sig;
		to_ssi(&si, &ssi);
		if (iobuf_write(buf, done, &ssi, sizeof(ssi)))
			return done ? (ssize_t)done : -EFAULT;
		done += sizeof(ssi);
	}
	return (ssize_t)done;
}

static unsigned int signalfd_poll(struct file *f)
{
	struct thread *t = current_thread();
	const struct signalfd *s = f->priv;

	if (!t)
		return 0;
	return signal_pending_in(t, s->mask) ? POLLIN | POLLRDNORM : 0;
}

static uint64_t signalfd_poll_seq(struct file *f, unsigned int events)
{
	(void)f;
	return (events & POLLIN) ? signal_queued_seq() : 0;
}

static void signalfd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops signalfd_ops = {
	.anon_name = "signalfd",
	.read = signalfd_read,
	.poll = signalfd_poll,
	.poll_seq = signalfd_poll_seq,
	.release = signalfd_release,
};

static long sfd_create(sigset_t mask, unsigned int flags)
{
	struct signalfd *s = kzalloc(sizeof(*s));
	struct file *f;

	if (!s)
		return -ENOMEM;
	s->mask = mask;
	f = file_alloc(&signalfd_ops, O_RDWR | (flags & SFD_NONBLOCK), s);
	if (!f) {
		kfree(s);
		return -ENOMEM;
	}
	return install_file(f, flags & SFD_CLOEXEC);
}

/* A new mask for an existing signalfd (the flags only apply to new ones). */
static long sfd_update(int fd, sigset_t mask)
{
	struct file *f = fget(fd);
	struct signalfd *s;

	if (!f)
		return -EBADF;
	if (f->ops != &signalfd_ops) {
		file_put(f);
		return -EINVAL;
	}
	s = f->priv;
	s->mask = mask;
	file_put(f);
	/* Pollers may now see signals of the new mask. */
	poll_wake();
	return fd;
}

static long do_signalfd(int fd, uaddr_t umask, uint64_t size, unsigned int flags)
{
	sigset_t mask;

	if (flags & ~(unsigned int)(SFD_NONBLOCK | SFD_CLOEXEC))
		return -EINVAL;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~SIG_UNCATCHABLE;
	if (fd == -1)
		return sfd_create(mask, flags);
	return sfd_update(fd, mask);
}

long sys_signalfd(int fd, uaddr_t mask, size_t sizemask)
{
	return do_signalfd(fd, mask, sizemask, 0);
}

long sys_signalfd4(int fd, uaddr_t mask, size_t sizemask, unsigned int flags)
{
	return do_signalfd(fd, mask, sizemask, flags);
}
