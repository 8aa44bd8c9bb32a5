// SPDX-License-Identifier: MPL-2.0
// timerfd_create, timerfd_settime, timerfd_gettime: a timer whose
// expirations are counted and read from a descriptor.
//
// Each arming is a one-shot frame timer (aster/timer.h) to the next
// expiry; its callback, in softirq context, only counts the expiries due
// by now, rearms for the next one of an interval timer, and wakes
// readers.  A pending frame timer holds a reference on the timerfd, so a
// callback never runs on freed memory (as itimer.c does for processes).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/refcount.h>
#include <aster/timer.h>
#include "fs/syscalls/sys.h"
#include "process/signal.h"
#include "time/timespec.h"
#include "uapi/time.h"
#include "uapi/timerfd.h"

struct timerfd {
	refcount_t refs;	/* the file's, and the pending frame timer's */
	spinlock_t lock;	/* the callback takes it in softirq context */
	bool realtime;		/* CLOCK_REALTIME(_ALARM); else the monotonic clock */
	uint64_t deadline;	/* next expiry on the timer's clock, ns; 0: disarmed */
	uint64_t interval;	/* ns, 0 for a one-shot timer */
	uint64_t ticks;		/* expiries not read yet */
	uint64_t total;		/* expiries ever, for epoll's edges */
	timer_id_t timer;	/* the pending frame timer, 0 if none */
	struct wait_queue wq;
};

static uint64_t tfd_now(const struct timerfd *t)
{
	return t->realtime ? clock_realtime_ns() : clock_monotonic_ns();
}

static void tfd_put(struct timerfd *t)
{
	if (refcount_dec_and_test(&t->refs))
		kfree(t);
}

static void tfd_fire(void *arg);

/* Count the expiries due at now, and arm a frame timer for the next. Lock held. */
static void tfd_advance_locked(struct timerfd *t, uint64_t now)
{
	timer_id_t id;

	if (!t->deadline)
		return;
	if (now >= t->deadline) {
		uint64_t n = t->interval ? (now - t->deadline) / t->interval + 1 : 1;

		t->ticks += n;
		t->total += n;
		t->deadline = t->interval ? t->deadline + n * t->interval : 0;
		if (!t->deadline)
			return;
	}
	/* Realtime deadlines are re-checked at expiry: the clock may have been set. */
	id = timer_add(t->deadline - now, false, tfd_fire, t);
	if (id < 0)
		return;
	refcount_inc(&t->refs);
	t->timer = id;
}

static void tfd_fire(void *arg)
{
	struct timerfd *t = arg;
	irqflags_t f = spin_lock_irqsave(&t->lock);
	uint64_t before = t->ticks;

	t->timer = 0;
	tfd_advance_locked(t, tfd_now(t));
	spin_unlock_irqrestore(&t->lock, f);
	if (t->ticks != before) {
		wake_up_all(&t->wq);
		poll_wake();
	}
	tfd_put(t);	/* this timer's reference */
}

/* Stop the pending frame timer, if any. Lock held (interrupts off). */
static void tfd_cancel_locked(struct timerfd *t)
{
	/* With interrupts off the callback cannot be half-way: it ran (and put) or it never will. */
	if (t->timer && timer_cancel(t->timer) == 0)
		refcount_dec(&t->refs);	/* never the last: the caller holds the file's */
	t->timer = 0;
}

static bool has_ticks(void *arg)
{
	const struct timerfd *t = arg;

	return t->ticks != 0;
}

static ssize_t timerfd_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct timerfd *t = f->priv;
	uint64_t v;
	irqflags_t fl;
	int err;

	(void)pos;
	if (buf->len < sizeof(v))
		return -EINVAL;
	for (;;) {
		fl = spin_lock_irqsave(&t->lock);
		v = t->ticks;
		t->ticks = 0;
		spin_unlock_irqrestore(&t->lock, fl);
		if (v)
			break;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_interruptible(&t->wq, has_ticks, t, 0);
		if (err)
			return err;
	}
	poll_wake();
	if (iobuf_write(buf, 0, &v, sizeof(v)))
		return -EFAULT;
	return sizeof(v);
}

static unsigned int timerfd_poll(struct file *f)
{
	struct timerfd *t = f->priv;

	return t->ticks ? POLLIN | POLLRDNORM : 0;
}

static uint64_t timerfd_poll_seq(struct file *f, unsigned int events)
{
	struct timerfd *t = f->priv;

	return (events & POLLIN) ? t->total : 0;
}

static void timerfd_release(struct file *f)
{
	struct timerfd *t = f->priv;
	irqflags_t fl = spin_lock_irqsave(&t->lock);

	t->deadline = 0;
	tfd_cancel_locked(t);
	spin_unlock_irqrestore(&t->lock, fl);
	tfd_put(t);
}

static const struct file_ops timerfd_ops = {
	.anon_name = "timerfd",
	.read = timerfd_read,
	.poll = timerfd_poll,
	.poll_seq = timerfd_poll_seq,
	.release = timerfd_release,
};

long sys_timerfd_create(int clockid, unsigned int flags)
{
	struct timerfd *t;
	struct file *f;

	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC && clockid != CLOCK_BOOTTIME &&
	    clockid != CLOCK_REALTIME_ALARM && clockid != CLOCK_BOOTTIME_ALARM)
		return -EINVAL;
	if (flags & ~(unsigned int)(TFD_NONBLOCK | TFD_CLOEXEC))
		return -EINVAL;
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	refcount_set(&t->refs, 1);
	spin_lock_init(&t->lock);
	wait_queue_init(&t->wq);
	/* Nothing suspends here, so BOOTTIME is MONOTONIC and the alarm clocks are their bases. */
	t->realtime = clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
	f = file_alloc(&timerfd_ops, O_RDWR | (flags & TFD_NONBLOCK), t);
	if (!f) {
		kfree(t);
		return -ENOMEM;
	}
	return install_file(f, flags & TFD_CLOEXEC);
}

/* The timerfd behind fd, with the file's reference in *fp: -EBADF, -EINVAL. */
static int get_timerfd(int fd, struct file **fp)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	if (f->ops != &timerfd_ops) {
		file_put(f);
		return -EINVAL;
	}
	*fp = f;
	return 0;
}

/* What is left of the current arming (lock held): value and interval. */
static void tfd_left_locked(struct timerfd *t, uint64_t *value, uint64_t *interval)
{
	uint64_t now = tfd_now(t);

	*interval = t->interval;
	*value = 0;
	if (t->deadline)
		*value = t->deadline > now ? t->deadline - now : 1;
}

long sys_timerfd_settime(int fd, unsigned int flags, uaddr_t new_value, uaddr_t old_value)
{
	uint64_t old_left, old_interval, now;
	uint64_t interval, value;
	struct timerfd *t;
	struct file *f;
	irqflags_t fl;
	int err;

	/* EFAULT before EINVAL, as Linux copies the value first. */
	err = itimerspec_from_user(new_value, &interval, &value);
	if (err)
		return err;
	/*
	 * TFD_TIMER_CANCEL_ON_SET needs a hook in clock setting that does not
	 * exist yet: refuse it rather than accept a flag that does nothing.
	 */
	if (flags & ~(unsigned int)TFD_TIMER_ABSTIME)
		return -EINVAL;
	err = get_timerfd(fd, &f);
	if (err)
		return err;
	t = f->priv;
	fl = spin_lock_irqsave(&t->lock);
	tfd_left_locked(t, &old_left, &old_interval);
	tfd_cancel_locked(t);
	now = tfd_now(t);
	t->ticks = 0;
	t->interval = interval;
	t->deadline = value;
	if (t->deadline && !(flags & TFD_TIMER_ABSTIME))
		t->deadline += now;
	/* A past absolute time expires now, as on Linux; deadline 0 is "disarmed". */
	if (t->deadline)
		tfd_advance_locked(t, MAX(now, 1ULL));
	spin_unlock_irqrestore(&t->lock, fl);
	if (t->ticks) {
		wake_up_all(&t->wq);
		poll_wake();
	}
	file_put(f);
	if (old_value)
		return itimerspec_to_user(old_value, old_interval, old_left);
	return 0;
}

long sys_timerfd_gettime(int fd, uaddr_t curr_value)
{
	uint64_t value, interval;
	struct timerfd *t;
	struct file *f;
	irqflags_t fl;
	int err = get_timerfd(fd, &f);

	if (err)
		return err;
	t = f->priv;
	fl = spin_lock_irqsave(&t->lock);
	tfd_left_locked(t, &value, &interval);
	spin_unlock_irqrestore(&t->lock, fl);
	file_put(f);
	return itimerspec_to_user(curr_value, interval, value);
}
