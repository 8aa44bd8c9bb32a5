// SPDX-License-Identifier: MPL-2.0
// inotify: watches on inodes and a queue of events behind a descriptor,
// as Linux's fs/notify/inotify (inotify(7) is the contract): event names
// padded to 16 bytes, identical consecutive events merged, IN_IGNORED when
// a watch goes, IN_ONESHOT, IN_MASK_ADD/IN_MASK_CREATE, EINVAL for a read
// buffer too small for the next event, poll and FIONREAD.  The limits of
// /proc/sys/fs/inotify: instances and watches per user (the effective uid
// of the instance's creator, as Linux's ucounts), queued events per instance.
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/syscalls/sys.h"
#include "process/process.h"
#include "process/signal.h"
#include "process/ucount.h"
#include "uapi/inotify.h"
#include "uapi/ioctls.h"

#define EVENT_SIZE	((uint32_t)sizeof(struct linux_inotify_event))
/* Linux's defaults: max_queued_events, max_user_instances, and the clamp of max_user_watches. */
#define MAX_EVENTS		16384
#define MAX_INSTANCES		128
#define WATCHES_MIN		8192
#define WATCHES_MAX		1048576
/*
 * Linux's INOTIFY_WATCH_COST, a mark and two inodes on x86-64 Debian 6.1:
 * max_user_watches is what 1% of RAM pays for, within the clamp above.
 */
#define WATCH_COST		1360
#define VALID_BITS	(IN_ALL_EVENTS | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | \
			 IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT | IN_UNMOUNT | \
			 IN_Q_OVERFLOW | IN_IGNORED)

struct ievent {
	struct list_node node;
	struct linux_inotify_event ev;
	char name[NAME_MAX + 1];
};

struct inotify {
	struct list_node events;	/* queued, oldest first */
	uint32_t nevents;
	uint32_t max_events;		/* max_queued_events when it was made */
	struct ucounts *user;		/* its creator's (effective uid) counts */
	uint64_t bytes;			/* what reading them all takes (FIONREAD) */
	uint64_t seq;			/* events queued so far (epoll's edges) */
	struct list_node watches;
	int32_t next_wd;
	struct wait_queue wq;
};

struct watch {
	struct list_node in_dev, in_inode;
	struct inotify *dev;
	struct inode *inode;		/* a reference */
	int32_t wd;
	uint32_t mask;
};

/*
 * One lock for every queue and watch list: events come from the VFS with
 * its locks held (ns lock, inode locks), so this is always taken last.
 */
static struct mutex inotify_lock = MUTEX_INIT;
static uint32_t next_cookie = 1;
/* The sysctls (lock held); max_user_watches 0: not computed from RAM yet. */
static int max_queued_events = MAX_EVENTS, max_user_instances = MAX_INSTANCES, max_user_watches;

static int user_watches_max(void)
{
	uint64_t w = (uint64_t)frames_total() / 100 * PAGE_SIZE / WATCH_COST;

	if (!max_user_watches)
		max_user_watches = (int)MIN(MAX(w, (uint64_t)WATCHES_MIN), (uint64_t)WATCHES_MAX);
	return max_user_watches;
}

int inotify_sysctl_get(const char *name, int *val)
{
	int err = 0;

	mutex_lock(&inotify_lock);
	if (!strcmp(name, "max_queued_events"))
		*val = max_queued_events;
	else if (!strcmp(name, "max_user_instances"))
		*val = max_user_instances;
	else if (!strcmp(name, "max_user_watches"))
		*val = user_watches_max();
	else
		err = -ENOENT;
	mutex_unlock(&inotify_lock);
	return err;
}

/* Linux's proc_dointvec_minmax with a floor of 0. */
int inotify_sysctl_set(const char *name, int val)
{
	int err = 0;

	if (val < 0)
		return -EINVAL;
	mutex_lock(&inotify_lock);
	if (!strcmp(name, "max_queued_events"))
		max_queued_events = val;
	else if (!strcmp(name, "max_user_instances"))
		max_user_instances = val;
	else if (!strcmp(name, "max_user_watches"))
		max_user_watches = val;
	else
		err = -ENOENT;
	mutex_unlock(&inotify_lock);
	return err;
}

static uint32_t padded_len(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n ? (uint32_t)ALIGN_UP(n + 1, EVENT_SIZE) : 0;
}

/* Queue one event (lock held); identical to the last one: merged. */
static void queue_event(struct inotify *d, int32_t wd, uint32_t mask, uint32_t cookie,
			const char *name)
{
	struct ievent *e, *last;

	if (d->nevents && !list_empty(&d->events)) {
		last = container_of(d->events.prev, struct ievent, node);
		if (last->ev.wd == wd && last->ev.mask == mask && last->ev.cookie == cookie &&
		    strcmp(last->name, name ? name : "") == 0)
			return;
		if (last->ev.mask == IN_Q_OVERFLOW)
			return;
	}
	e = kzalloc(sizeof(*e));
	if (!e)
		return;		/* out of memory: the event is lost, as an overflow */
	if (d->nevents >= d->max_events) {
		wd = -1;
		mask = IN_Q_OVERFLOW;
		cookie = 0;
		name = NULL;
	}
	e->ev.wd = wd;
	e->ev.mask = mask;
	e->ev.cookie = cookie;
	e->ev.len = padded_len(name);
	if (name)
		strlcpy(e->name, name, sizeof(e->name));
	list_add_tail(&d->events, &e->node);
	d->nevents++;
	d->bytes += EVENT_SIZE + e->ev.len;
	d->seq++;
	wake_up_all(&d->wq);
}

/* Give back d's instance and its reference to the user's counts. */
static void uncharge_instance(struct inotify *d)
{
	ucount_uncharge(d->user, UCOUNT_INOTIFY_INSTANCES, 1);
	ucounts_put(d->user);
	d->user = NULL;
}

/* Remove w (lock held): IN_IGNORED to its descriptor; the inode reference goes to *put. */
static void watch_remove(struct watch *w, struct inode **put)
{
	queue_event(w->dev, w->wd, IN_IGNORED, 0, NULL);
	list_del(&w->in_dev);
	list_del(&w->in_inode);
	w->inode->nwatches--;
	ucount_uncharge(w->dev->user, UCOUNT_INOTIFY_WATCHES, 1);
	*put = w->inode;
	kfree(w);
}

void fsnotify(struct inode *i, uint32_t mask, const char *name, uint32_t cookie)
{
	struct inode *put[8];
	size_t nput = 0;
	struct watch *w, *t;
	bool dir = S_ISDIR(i->mode);

	if (!i->nwatches)
		return;
	mutex_lock(&inotify_lock);
	if (!i->inotify_watches.next) {
		mutex_unlock(&inotify_lock);
		return;
	}
	list_for_each_entry_safe(w, t, &i->inotify_watches, in_inode) {
		uint32_t m = mask & w->mask & IN_ALL_EVENTS;

		/* A directory's events about itself say IN_ISDIR; those of children carry it. */
		if (!m)
			continue;
		queue_event(w->dev, w->wd, m | (mask & IN_ISDIR) | (!name && dir ? IN_ISDIR : 0),
			    cookie, name);
		if ((w->mask & IN_ONESHOT) && nput < ARRAY_SIZE(put))
			watch_remove(w, &put[nput++]);
	}
	mutex_unlock(&inotify_lock);
	poll_wake();
	for (size_t k = 0; k < nput; k++)
		inode_put(put[k]);
}

void fsnotify_dentry(struct dentry *d, uint32_t mask)
{
	struct dentry *p = d->parent;

	if (p && d->cached && p->inode->nwatches)
		fsnotify(p->inode, mask | (S_ISDIR(d->inode->mode) ? IN_ISDIR : 0), d->name, 0);
	fsnotify(d->inode, mask, NULL, 0);
}

void fsnotify_gone(struct inode *i)
{
	struct inode *put[16];
	size_t nput = 0;
	struct watch *w, *t;

	if (!i->nwatches)
		return;
	fsnotify(i, IN_DELETE_SELF, NULL, 0);
	mutex_lock(&inotify_lock);
	list_for_each_entry_safe(w, t, &i->inotify_watches, in_inode)
		if (nput < ARRAY_SIZE(put))
			watch_remove(w, &put[nput++]);
	mutex_unlock(&inotify_lock);
	poll_wake();
	for (size_t k = 0; k < nput; k++)
		inode_put(put[k]);
}

uint32_t fsnotify_cookie(void)
{
	uint32_t c;

	mutex_lock(&inotify_lock);
	c = next_cookie++;
	if (!next_cookie)
		next_cookie = 1;
	mutex_unlock(&inotify_lock);
	return c;
}

static struct inotify *dev_of(struct file *f)
{
	return f->priv;
}

static bool has_events(void *arg)
{
	struct inotify *d = arg;

	return d->nevents != 0;
}

/* Copy out whole events while they fit (lock held): bytes, or -EINVAL / -EFAULT. */
static ssize_t copy_events(struct inotify *d, struct iobuf *buf)
{
	size_t done = 0;

	while (!list_empty(&d->events)) {
		struct ievent *e = container_of(d->events.next, struct ievent, node);
		size_t need = EVENT_SIZE + e->ev.len;
		int err;

		if (need > buf->len - done)
			return done ? (ssize_t)done : -EINVAL;
		err = iobuf_write(buf, done, &e->ev, EVENT_SIZE);
		if (!err && e->ev.len) {
			char pad[NAME_MAX + 1 + 16];

			memset(pad, 0, sizeof(pad));
			strlcpy(pad, e->name, sizeof(pad));
			err = iobuf_write(buf, done + EVENT_SIZE, pad, e->ev.len);
		}
		if (err)
			return done ? (ssize_t)done : err;
		done += need;
		list_del(&e->node);
		d->nevents--;
		d->bytes -= need;
		kfree(e);
	}
	return (ssize_t)done;
}

static ssize_t inotify_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	struct inotify *d = dev_of(f);
	ssize_t n;
	int err;

	(void)pos;
	for (;;) {
		mutex_lock(&inotify_lock);
		if (d->nevents) {
			n = copy_events(d, buf);
			mutex_unlock(&inotify_lock);
			if (n > 0)
				poll_wake();
			return n;
		}
		mutex_unlock(&inotify_lock);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_interruptible(&d->wq, has_events, d, 0);
		if (err)
			return err;
	}
}

static unsigned int inotify_poll(struct file *f)
{
	return dev_of(f)->nevents ? POLLIN | POLLRDNORM : 0;
}

static uint64_t inotify_poll_seq(struct file *f, unsigned int events)
{
	return (events & POLLIN) ? dev_of(f)->seq : 0;
}

static long inotify_ioctl(struct file *f, unsigned int cmd, uint64_t arg)
{
	uint32_t n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&inotify_lock);
	n = (uint32_t)dev_of(f)->bytes;
	mutex_unlock(&inotify_lock);
	return put_user_u32(arg, n);
}

static void inotify_release(struct file *f)
{
	struct inotify *d = dev_of(f);
	struct watch *w, *t;
	struct ievent *e, *te;

	for (;;) {
		struct inode *put = NULL;

		mutex_lock(&inotify_lock);
		list_for_each_entry_safe(w, t, &d->watches, in_dev) {
			list_del(&w->in_dev);
			list_del(&w->in_inode);
			w->inode->nwatches--;
			ucount_uncharge(d->user, UCOUNT_INOTIFY_WATCHES, 1);
			put = w->inode;
			kfree(w);
			break;
		}
		if (!put)
			uncharge_instance(d);
		mutex_unlock(&inotify_lock);
		if (!put)
			break;
		inode_put(put);
	}
	list_for_each_entry_safe(e, te, &d->events, node)
		kfree(e);
	kfree(d);
}

static const struct file_ops inotify_ops = {
	.fasync = true,
	.read = inotify_read,
	.poll = inotify_poll,
	.poll_seq = inotify_poll_seq,
	.ioctl = inotify_ioctl,
	.release = inotify_release,
	.anon_name = "inotify",
};

/* Count d as one more instance of its creator's: 0, -EMFILE past max_user_instances. */
static int charge_instance(struct inotify *d)
{
	int err = 0;

	d->user = ucounts_get(current_process()->cred.euid);
	if (!d->user)
		return -ENOMEM;
	mutex_lock(&inotify_lock);
	if (!ucount_charge(d->user, UCOUNT_INOTIFY_INSTANCES, 1, (uint64_t)max_user_instances))
		err = -EMFILE;
	d->max_events = (uint32_t)max_queued_events;
	mutex_unlock(&inotify_lock);
	if (err) {
		ucounts_put(d->user);
		d->user = NULL;
	}
	return err;
}

long sys_inotify_init1(unsigned int flags)
{
	struct inotify *d;
	struct file *f;
	int err;

	if (flags & ~(unsigned int)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	d = kzalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	list_init(&d->events);
	list_init(&d->watches);
	wait_queue_init(&d->wq);
	d->next_wd = 1;
	err = charge_instance(d);
	if (err) {
		kfree(d);
		return err;
	}
	f = file_alloc(&inotify_ops, O_RDONLY | (flags & O_NONBLOCK), d);
	if (!f) {
		uncharge_instance(d);
		kfree(d);
		return -ENOMEM;
	}
	return install_file(f, flags & O_CLOEXEC);
}

long sys_inotify_init(void)
{
	return sys_inotify_init1(0);
}

/* The inotify descriptor fd: a reference, or -EBADF / -EINVAL (another file). */
static int get_dev(int fd, struct file **out)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	if (f->ops != &inotify_ops) {
		file_put(f);
		return -EINVAL;
	}
	*out = f;
	return 0;
}

/* Add or update the watch of d on i (lock held): its wd or -EEXIST / -ENOSPC / -ENOMEM. */
static long update_watch(struct inotify *d, struct inode *i, uint32_t mask)
{
	struct watch *w;

	if (!i->inotify_watches.next)
		list_init(&i->inotify_watches);
	list_for_each_entry(w, &d->watches, in_dev) {
		if (w->inode != i)
			continue;
		if (mask & IN_MASK_CREATE)
			return -EEXIST;
		w->mask = (mask & IN_MASK_ADD) ? w->mask | mask : mask;
		w->mask &= ~(uint32_t)(IN_MASK_ADD | IN_MASK_CREATE);
		return w->wd;
	}
	w = kzalloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	if (!ucount_charge(d->user, UCOUNT_INOTIFY_WATCHES, 1, (uint64_t)user_watches_max())) {
		kfree(w);
		return -ENOSPC;		/* max_user_watches */
	}
	w->dev = d;
	w->inode = i;
	inode_get(i);
	w->wd = d->next_wd++;
	w->mask = mask & ~(uint32_t)(IN_MASK_ADD | IN_MASK_CREATE);
	list_add_tail(&d->watches, &w->in_dev);
	list_add_tail(&i->inotify_watches, &w->in_inode);
	i->nwatches++;
	return w->wd;
}

long sys_inotify_add_watch(int fd, uaddr_t pathname, unsigned int mask)
{
	NOINIT_BYTES(small, PATHNAME_INLINE);
	struct pathname pn;
	struct dentry *d;
	struct file *f;
	long r;

	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	if (!(mask & (IN_ALL_EVENTS | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE |
		      IN_MASK_ADD | IN_ONESHOT)))
		return -EINVAL;
	r = get_dev(fd, &f);
	if (r)
		return r;
	r = getname_short(pathname, &small, &pn);
	if (!r) {
		r = vfs_lookup(AT_FDCWD, pn.name,
			       ((mask & IN_DONT_FOLLOW) ? 0 : LOOKUP_FOLLOW) |
			       ((mask & IN_ONLYDIR) ? LOOKUP_DIRECTORY : 0), &d);
		putname(&pn);
	}
	if (!r) {
		r = inode_permission(d->inode, MAY_READ);
		if (!r) {
			mutex_lock(&inotify_lock);
			r = update_watch(dev_of(f), d->inode, mask & VALID_BITS);
			mutex_unlock(&inotify_lock);
		}
		dentry_put(d);
	}
	file_put(f);
	return r;
}

long sys_inotify_rm_watch(int fd, int32_t wd)
{
	struct inode *put = NULL;
	struct watch *w;
	struct file *f;
	long r = get_dev(fd, &f);

	if (r)
		return r;
	r = -EINVAL;
	mutex_lock(&inotify_lock);
	list_for_each_entry(w, &dev_of(f)->watches, in_dev) {
		if (w->wd == wd) {
			watch_remove(w, &put);
			r = 0;
			break;
		}
	}
	mutex_unlock(&inotify_lock);
	if (put) {
		poll_wake();
		inode_put(put);
	}
	file_put(f);
	return r;
}
