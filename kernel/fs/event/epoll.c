// SPDX-License-Identifier: MPL-2.0
// epoll: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait,
// epoll_pwait2.
//
// An epoll instance is a list of items, each (file, fd) with the events
// it wants.  It is built on the same two things as poll(2): each file's
// ops->poll, and the global poll generation that every readiness change
// moves (fs/poll.c).  epoll_wait scans the items and sleeps until the
// generation moves.  Level-triggered items are reported whenever they are
// ready; edge-triggered ones when a readiness bit rises or the file's
// ops->poll_seq counter (data written, data read, ...) moved since the
// last report; one-shot items are disabled once reported, until
// EPOLL_CTL_MOD.
//
// Items hold no reference on their file, as on Linux: file_put removes a
// file from every set that watches it before releasing it
// (epoll_file_release), so a close still ends a pipe.  One mutex guards
// every instance and item; nested instances are scanned under it
// directly, and EPOLL_CTL_ADD refuses loops and deep nests (ELOOP).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/timer.h>
#include "fs/syscalls/sys.h"
#include "process/signal.h"
#include "uapi/eventpoll.h"

/* The flags; the rest of the word is readiness bits. */
#define EP_FLAGS	(EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)
/* What EPOLLEXCLUSIVE may come with (epoll_ctl(2)). */
#define EP_EXCLUSIVE_OK	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | \
			 EPOLLEXCLUSIVE)

/* Linux's limits: instances nest at most 4 deep; maxevents fits INT_MAX bytes. */
#define EP_MAX_NESTS	4
#define EP_MAX_EVENTS	(INT32_MAX / 12)
/* Events gathered per scan: a bound on the kernel buffer, not on the caller. */
#define EP_BATCH	256

struct eventpoll {
	struct list_node items;	/* of struct epitem, by ep_node */
};

struct epitem {
	struct list_node ep_node;	/* in ep->items */
	struct list_node file_node;	/* in file->epitems */
	struct eventpoll *ep;
	struct file *file;		/* no reference: see epoll_file_release */
	int fd;
	uint32_t events;		/* wanted bits (with EPOLLERR|EPOLLHUP) and flags */
	uint64_t data;
	bool disabled;			/* EPOLLONESHOT, reported */
	uint32_t last_mask;		/* EPOLLET: readiness at the last scan */
	uint64_t last_seq;		/* EPOLLET: poll_seq at the last report */
};

static struct mutex epoll_lock = MUTEX_INIT;
static const struct file_ops epoll_ops;

static bool is_epoll(const struct file *f)
{
	return f->ops == &epoll_ops;
}

static bool ep_ready_locked(struct eventpoll *ep, int depth);

/* f's readiness; a nested instance is readable when it has something to report. */
static unsigned int file_mask_locked(struct file *f, int depth)
{
	if (!is_epoll(f))
		return file_mask(f);
	if (depth >= EP_MAX_NESTS)
		return 0;
	return ep_ready_locked(f->priv, depth + 1) ? POLLIN | POLLRDNORM : 0;
}

static uint64_t item_seq(const struct epitem *it)
{
	const struct file_ops *ops = it->file->ops;

	return ops && ops->poll_seq ? ops->poll_seq(it->file, it->events & ~EP_FLAGS) : 0;
}

/*
 * What the item would report now (0: nothing), consuming nothing.  *cur
 * is its current readiness in the wanted bits, *seq its poll_seq.
 */
static uint32_t item_check_locked(const struct epitem *it, int depth, uint32_t *cur, uint64_t *seq)
{
	*cur = 0;
	*seq = 0;
	if (it->disabled)
		return 0;
	*cur = file_mask_locked(it->file, depth) & it->events & ~EP_FLAGS;
	if (!(it->events & EPOLLET) || !*cur)
		return *cur;
	*seq = item_seq(it);
	if (*seq != it->last_seq || (*cur & ~it->last_mask))
		return *cur;
	return 0;
}

static bool ep_ready_locked(struct eventpoll *ep, int depth)
{
	struct epitem *it;
	uint32_t cur;
	uint64_t seq;

	list_for_each_entry(it, &ep->items, ep_node)
		if (item_check_locked(it, depth, &cur, &seq))
			return true;
	return false;
}

/* Gather up to max events, updating the items' edge and one-shot state. */
static int ep_collect_locked(struct eventpoll *ep, struct epoll_event_k *out, int max)
{
	struct list_node reported;
	struct epitem *it, *tmp;
	int n = 0;

	list_init(&reported);
	list_for_each_entry_safe(it, tmp, &ep->items, ep_node) {
		uint32_t cur, ev;
		uint64_t seq;

		if (n >= max)
			break;
		ev = item_check_locked(it, 0, &cur, &seq);
		it->last_mask = cur;
		if (!ev)
			continue;
		out[n].events = ev;
		out[n].data = it->data;
		n++;
		it->last_seq = seq;
		if (it->events & EPOLLONESHOT)
			it->disabled = true;
		list_del(&it->ep_node);
		list_add_tail(&reported, &it->ep_node);
	}
	/* Reported items go to the back: a short maxevents does not starve the rest. */
	while (!list_empty(&reported)) {
		struct list_node *first = reported.next;

		list_del(first);
		list_add_tail(&ep->items, first);
	}
	return n;
}

static void item_remove_locked(struct epitem *it)
{
	list_del(&it->ep_node);
	list_del(&it->file_node);
	atomic_dec(&it->file->epoll_watchers);
	kfree(it);
}

void epoll_file_release(struct file *f)
{
	/* Nobody can add an item now (that needs a reference), so 0 stays 0. */
	if (atomic_read(&f->epoll_watchers) == 0)
		return;
	mutex_lock(&epoll_lock);
	while (!list_empty(&f->epitems))
		item_remove_locked(list_entry(f->epitems.next, struct epitem, file_node));
	mutex_unlock(&epoll_lock);
}

static unsigned int epoll_poll(struct file *f)
{
	bool ready;

	mutex_lock(&epoll_lock);
	ready = ep_ready_locked(f->priv, 1);
	mutex_unlock(&epoll_lock);
	return ready ? POLLIN | POLLRDNORM : 0;
}

static void epoll_release(struct file *f)
{
	struct eventpoll *ep = f->priv;

	mutex_lock(&epoll_lock);
	while (!list_empty(&ep->items))
		item_remove_locked(list_entry(ep->items.next, struct epitem, ep_node));
	mutex_unlock(&epoll_lock);
	kfree(ep);
}

static const struct file_ops epoll_ops = {
	.anon_name = "eventpoll",
	.poll = epoll_poll,
	.release = epoll_release,
};

static long ep_create(unsigned int flags)
{
	struct eventpoll *ep;
	struct file *f;

	if (flags & ~(unsigned int)EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	list_init(&ep->items);
	f = file_alloc(&epoll_ops, O_RDWR, ep);
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	return install_file(f, flags & EPOLL_CLOEXEC);
}

long sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL;
	return ep_create(0);
}

long sys_epoll_create1(unsigned int flags)
{
	return ep_create(flags);
}

static struct epitem *ep_find_locked(struct eventpoll *ep, struct file *f, int fd)
{
	struct epitem *it;

	list_for_each_entry(it, &f->epitems, file_node)
		if (it->ep == ep && it->fd == fd)
			return it;
	return NULL;
}

/* Would watching instance from in target make a loop, or nest too deep? */
static bool ep_reaches_locked(struct eventpoll *from, struct eventpoll *target, int depth)
{
	struct epitem *it;

	if (from == target || depth > EP_MAX_NESTS)
		return true;
	list_for_each_entry(it, &from->items, ep_node)
		if (is_epoll(it->file) && ep_reaches_locked(it->file->priv, target, depth + 1))
			return true;
	return false;
}

static int ep_insert_locked(struct eventpoll *ep, struct file *tf, int fd,
			    const struct epoll_event_k *ev)
{
	struct epitem *it;

	if (is_epoll(tf) && ep_reaches_locked(tf->priv, ep, 1))
		return -ELOOP;
	it = kzalloc(sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->ep = ep;
	it->file = tf;
	it->fd = fd;
	it->events = ev->events | EPOLLERR | EPOLLHUP;
	it->data = ev->data;
	list_add_tail(&ep->items, &it->ep_node);
	list_add_tail(&tf->epitems, &it->file_node);
	atomic_inc(&tf->epoll_watchers);
	return 0;
}

static int ep_modify_locked(struct epitem *it, const struct epoll_event_k *ev)
{
	if (it->events & EPOLLEXCLUSIVE)
		return -EINVAL;
	it->events = ev->events | EPOLLERR | EPOLLHUP;
	it->data = ev->data;
	/* Re-armed: what is ready now is reported again, edge-triggered or not. */
	it->disabled = false;
	it->last_mask = 0;
	it->last_seq = 0;
	return 0;
}

/* The argument checks epoll_ctl(2) makes before looking at the set, in Linux's order. */
static int ctl_check(struct file *ef, struct file *tf, int op, uint32_t events)
{
	if (!tf->ops || !tf->ops->poll)
		return -EPERM;
	if (ef == tf || !is_epoll(ef))
		return -EINVAL;
	if (op == EPOLL_CTL_DEL || !(events & EPOLLEXCLUSIVE))
		return 0;
	if (op == EPOLL_CTL_MOD)
		return -EINVAL;
	if (op == EPOLL_CTL_ADD && (is_epoll(tf) || (events & ~EP_EXCLUSIVE_OK)))
		return -EINVAL;
	return 0;
}

static int do_ctl(struct file *ef, struct file *tf, int op, int fd, const struct epoll_event_k *ev)
{
	struct eventpoll *ep = ef->priv;
	struct epitem *it;
	int err = ctl_check(ef, tf, op, ev->events);

	if (err)
		return err;
	mutex_lock(&epoll_lock);
	it = ep_find_locked(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		err = it ? -EEXIST : ep_insert_locked(ep, tf, fd, ev);
		break;
	case EPOLL_CTL_DEL:
		if (it)
			item_remove_locked(it);
		err = it ? 0 : -ENOENT;
		break;
	case EPOLL_CTL_MOD:
		err = it ? ep_modify_locked(it, ev) : -ENOENT;
		break;
	default:
		err = -EINVAL;
		break;
	}
	mutex_unlock(&epoll_lock);
	/* A new or re-armed item may be ready already: let waiters rescan. */
	if (!err && op != EPOLL_CTL_DEL)
		poll_wake();
	return err;
}

long sys_epoll_ctl(int epfd, int op, int fd, uaddr_t event)
{
	struct epoll_event_k ev = { 0, 0 };
	struct file *ef, *tf;
	long err;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, event, sizeof(ev)))
		return -EFAULT;
	ef = fget(epfd);
	if (!ef)
		return -EBADF;
	tf = fget(fd);
	if (!tf) {
		file_put(ef);
		return -EBADF;
	}
	err = do_ctl(ef, tf, op, fd, &ev);
	file_put(tf);
	file_put(ef);
	return err;
}

/* Wait for events until the deadline: how many were stored at uevents, or -errno. */
static long ep_wait(struct file *f, uaddr_t uevents, int maxevents, uint64_t deadline)
{
	int batch = MIN(maxevents, EP_BATCH);
	struct epoll_event_k *out = kcalloc((size_t)batch, sizeof(*out));
	long n;

	if (!out)
		return -ENOMEM;
	for (;;) {
		uint64_t gen = poll_generation();
		int r;

		mutex_lock(&epoll_lock);
		n = ep_collect_locked(f->priv, out, batch);
		mutex_unlock(&epoll_lock);
		if (n)
			break;
		r = poll_sleep(gen, deadline);
		if (r) {
			n = r == -ETIMEDOUT ? 0 : r;
			break;
		}
	}
	if (n > 0 && copy_to_user(uevents, out, (size_t)n * sizeof(*out)))
		n = -EFAULT;
	kfree(out);
	return n;
}

static long do_epoll_wait(int epfd, uaddr_t uevents, int maxevents, uint64_t deadline)
{
	struct file *f;
	long n;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	f = fget(epfd);
	if (!f)
		return -EBADF;
	n = is_epoll(f) ? ep_wait(f, uevents, maxevents, deadline) : -EINVAL;
	file_put(f);
	return n;
}

static uint64_t ms_deadline(int ms)
{
	return ms < 0 ? NO_TIMEOUT : deadline_after((uint64_t)ms * NSEC_PER_MSEC);
}

long sys_epoll_wait(int epfd, uaddr_t events, int maxevents, int timeout)
{
	return do_epoll_wait(epfd, events, maxevents, ms_deadline(timeout));
}

/* epoll_pwait and epoll_pwait2: the wait runs with the given signal mask. */
static long pwait(int epfd, uaddr_t events, int maxevents, uint64_t deadline, uaddr_t sigmask,
		  size_t sigsetsize)
{
	bool set;
	long r = set_user_sigmask(sigmask, sigsetsize, &set);

	if (r)
		return r;
	r = do_epoll_wait(epfd, events, maxevents, deadline);
	restore_user_sigmask(set, r);
	return r;
}

long sys_epoll_pwait(int epfd, uaddr_t events, int maxevents, int timeout, uaddr_t sigmask,
		     size_t sigsetsize)
{
	return pwait(epfd, events, maxevents, ms_deadline(timeout), sigmask, sigsetsize);
}

long sys_epoll_pwait2(int epfd, uaddr_t events, int maxevents, uaddr_t timeout, uaddr_t sigmask,
		      size_t sigsetsize)
{
	uint64_t deadline;
	int err = poll_deadline_from_user(timeout, &deadline);

	if (err)
		return err;
	return pwait(epfd, events, maxevents, deadline, sigmask, sigsetsize);
}
