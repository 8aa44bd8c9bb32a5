// SPDX-License-Identifier: MPL-2.0
// The descriptor table: a growable array of files with per-fd flags.
//
// Locking: a spinlock held with preemption off (never from interrupts, so
// they stay on), for short sections only: nothing under it sleeps or
// allocates, and files are put after it is dropped.  fdget() takes no lock
// at all when the caller is the table's only user (see there).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/refcount.h>
#include <aster/string.h>
#include <aster/task.h>
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "process/process.h"

struct fd_table {
	refcount_t refs;	/* processes sharing it (threads of one share one) */
	spinlock_t lock;
	unsigned int size;	/* slots allocated */
	unsigned int limit;
	struct file **files;
	uint8_t *fdflags;
};

/* Spare or retired slot arrays, allocated and freed outside the lock. */
struct fd_arrays {
	unsigned int size;
	struct file **files;
	uint8_t *fdflags;
};

static void table_lock(struct fd_table *t)
{
	preempt_disable();
	spin_lock_raw(&t->lock);
}

static void table_unlock(struct fd_table *t)
{
	spin_unlock_raw(&t->lock);
	preempt_enable();
}

int fd_table_create(struct fd_table **out)
{
	struct fd_table *t = kzalloc(sizeof(*t));

	if (!t)
		return -ENOMEM;
	refcount_set(&t->refs, 1);
	spin_lock_init(&t->lock);
	t->limit = FD_LIMIT_DEFAULT;
	*out = t;
	return 0;
}

/* Linux's nr_open: no descriptor table grows beyond this. */
#define FD_LIMIT_MAX	1048576

/* Descriptors must stay below the caller's RLIMIT_NOFILE (7), as on Linux. */
static unsigned int fd_limit(const struct fd_table *t)
{
	struct process *p = current_process();
	uint64_t l = p ? p->rlimits[7].cur : t->limit;

	return l > FD_LIMIT_MAX ? FD_LIMIT_MAX : (unsigned int)l;
}

static void arrays_free(struct fd_arrays *a)
{
	kfree(a->files);
	kfree(a->fdflags);
	*a = (struct fd_arrays){ 0 };
}

/* Empty arrays big enough for descriptor fd (a power of two, at least 16). */
static int arrays_alloc(unsigned int fd, struct fd_arrays *a)
{
	unsigned int n = 16;

	while (n <= fd)
		n *= 2;
	a->files = kcalloc(n, sizeof(*a->files));
	a->fdflags = kcalloc(n, 1);
	a->size = n;
	if (!a->files || !a->fdflags) {
		arrays_free(a);
		return -ENOMEM;
	}
	return 0;
}

/* Lock held: move the table into the bigger arrays a; a gets the old ones. */
static void arrays_swap(struct fd_table *t, struct fd_arrays *a)
{
	struct fd_arrays old = { t->size, t->files, t->fdflags };

	for (unsigned int i = 0; i < t->size; i++) {
		a->files[i] = t->files[i];
		a->fdflags[i] = t->fdflags[i];
	}
	t->size = a->size;
	t->files = a->files;
	t->fdflags = a->fdflags;
	*a = old;
}

/*
 * Lock held: make room for descriptor fd.  0 when there is room (spare
 * may now hold the old arrays, to free after unlocking); -EMFILE beyond
 * the limit; -ENOMEM; or 1 when the lock was dropped to allocate into
 * spare: the table may have changed, so the caller looks again.
 */
static int make_room(struct fd_table *t, unsigned int fd, struct fd_arrays *spare)
{
	int err;

	if (fd < t->size)
		return 0;
	if (fd >= fd_limit(t))
		return -EMFILE;
	if (spare->size > fd) {
		arrays_swap(t, spare);
		return 0;
	}
	table_unlock(t);
	arrays_free(spare);
	err = arrays_alloc(fd, spare);
	table_lock(t);
	return err ? err : 1;
}

int fd_table_clone(struct fd_table *src, struct fd_table **out)
{
	struct fd_table *t;
	struct fd_arrays a = { 0 };
	int err = fd_table_create(&t);

	if (err)
		return err;
	table_lock(src);
	/* The new table is private: size it without the source's limit. */
	while (src->size > a.size) {
		unsigned int need = src->size;

		table_unlock(src);
		arrays_free(&a);
		err = arrays_alloc(need - 1, &a);
		if (err) {
			fd_table_put(t);
			return err;
		}
		table_lock(src);
	}
	t->limit = src->limit;
	if (a.size)
		arrays_swap(t, &a);
	for (unsigned int i = 0; i < src->size; i++) {
		t->files[i] = src->files[i];
		t->fdflags[i] = src->fdflags[i];
		if (t->files[i])
			file_get(t->files[i]);
	}
	table_unlock(src);
	*out = t;
	return 0;
}

void fd_table_get(struct fd_table *t)
{
	refcount_inc(&t->refs);
}

void fd_table_put(struct fd_table *t)
{
	if (!t || !refcount_dec_and_test(&t->refs))
		return;
	for (unsigned int i = 0; i < t->size; i++) {
		locks_remove_posix(t->files[i], t);
		file_put(t->files[i]);
	}
	kfree(t->files);
	kfree(t->fdflags);
	kfree(t);
}

enum range_mode { CLOSE_ALL, CLOSE_MARKED, MARK_CLOEXEC };
static void range_apply(struct fd_table *t, unsigned int first, unsigned int last,
			enum range_mode mode);

void fd_table_close_on_exec(struct fd_table *t)
{
	range_apply(t, 0, ~0u, CLOSE_MARKED);
}

/* Lock held: the lowest free descriptor >= min (may be t->size). */
static unsigned int lowest_free(const struct fd_table *t, unsigned int min)
{
	unsigned int fd;

	for (fd = min; fd < t->size && t->files[fd]; fd++)
		;
	return fd;
}

int fd_install_from(struct fd_table *t, struct file *f, unsigned int fd_flags, int min)
{
	struct fd_arrays spare = { 0 };
	unsigned int fd = 0;
	int err;

	if (min < 0)
		return -EINVAL;
	table_lock(t);
	do {
		if ((unsigned int)min >= fd_limit(t)) {
			err = -EINVAL;
			break;
		}
		fd = lowest_free(t, (unsigned int)min);
		err = make_room(t, fd, &spare);
	} while (err == 1);
	if (!err) {
		t->files[fd] = f;
		t->fdflags[fd] = (uint8_t)(fd_flags & FD_CLOEXEC);
	}
	table_unlock(t);
	arrays_free(&spare);
	return err ? err : (int)fd;
}

int fd_install(struct fd_table *t, struct file *f, unsigned int fd_flags)
{
	return fd_install_from(t, f, fd_flags, 0);
}

int fd_install_at(struct fd_table *t, int fd, struct file *f, unsigned int fd_flags)
{
	struct fd_arrays spare = { 0 };
	struct file *old = NULL;
	int err;

	if (fd < 0)
		return -EBADF;
	table_lock(t);
	do {
		if ((unsigned int)fd >= fd_limit(t)) {
			err = -EBADF;
			break;
		}
		err = make_room(t, (unsigned int)fd, &spare);
	} while (err == 1);
	if (!err) {
		old = t->files[fd];
		t->files[fd] = f;
		t->fdflags[fd] = (uint8_t)(fd_flags & FD_CLOEXEC);
	}
	table_unlock(t);
	arrays_free(&spare);
	if (err)
		return err;
	locks_remove_posix(old, t);
	file_put(old);
	return fd;
}

struct file *fd_get(struct fd_table *t, int fd)
{
	struct file *f = NULL;

	if (!t || fd < 0)
		return NULL;
	table_lock(t);
	if ((unsigned int)fd < t->size && t->files[fd]) {
		f = t->files[fd];
		file_get(f);
	}
	table_unlock(t);
	return f;
}

int fd_close(struct fd_table *t, int fd)
{
	struct file *f;

	if (fd < 0)
		return -EBADF;
	table_lock(t);
	if ((unsigned int)fd >= t->size || !t->files[fd]) {
		table_unlock(t);
		return -EBADF;
	}
	f = t->files[fd];
	t->files[fd] = NULL;
	t->fdflags[fd] = 0;
	table_unlock(t);
	locks_remove_posix(f, t);
	file_put(f);
	return 0;
}

void fd_close_range(struct fd_table *t, unsigned int first, unsigned int last, bool cloexec)
{
	range_apply(t, first, last, cloexec ? MARK_CLOEXEC : CLOSE_ALL);
}

static void range_apply(struct fd_table *t, unsigned int first, unsigned int last,
			enum range_mode mode)
{
	for (;;) {
		struct file *f = NULL;

		table_lock(t);
		for (unsigned int i = first; i < t->size && i <= last; i++) {
			if (!t->files[i])
				continue;
			if (mode == MARK_CLOEXEC) {
				t->fdflags[i] |= FD_CLOEXEC;
				continue;
			}
			if (mode == CLOSE_MARKED && !(t->fdflags[i] & FD_CLOEXEC))
				continue;
			f = t->files[i];
			t->files[i] = NULL;
			t->fdflags[i] = 0;
			first = i + 1;
			break;
		}
		table_unlock(t);
		if (!f)
			return;
		locks_remove_posix(f, t);
		file_put(f);
	}
}

int fd_get_flags(struct fd_table *t, int fd)
{
	int ret = -EBADF;

	if (fd < 0)
		return -EBADF;
	table_lock(t);
	if ((unsigned int)fd < t->size && t->files[fd])
		ret = t->fdflags[fd];
	table_unlock(t);
	return ret;
}

int fd_set_flags(struct fd_table *t, int fd, unsigned int fd_flags)
{
	int ret = -EBADF;

	if (fd < 0)
		return -EBADF;
	table_lock(t);
	if ((unsigned int)fd < t->size && t->files[fd]) {
		t->fdflags[fd] = (uint8_t)(fd_flags & FD_CLOEXEC);
		ret = 0;
	}
	table_unlock(t);
	return ret;
}

unsigned int fd_table_limit(struct fd_table *t)
{
	return fd_limit(t);
}

int fd_table_for_each(struct fd_table *t, int (*fn)(int fd, struct file *f, void *arg), void *arg)
{
	int ret = 0;

	table_lock(t);
	for (unsigned int i = 0; i < t->size && !ret; i++)
		if (t->files[i])
			ret = fn((int)i, t->files[i], arg);
	table_unlock(t);
	return ret;
}

/* Serializes unsharing, so two threads cannot both replace (and put) one table. */
static struct mutex unshare_lock = MUTEX_INIT;

int current_files_unshare(void)
{
	struct process *p = current_process();
	struct fd_table *old, *copy;
	int err = 0;

	if (!p)
		return 0;
	mutex_lock(&unshare_lock);
	old = p->files;
	/* Another process holds it too (clone with CLONE_FILES): copy it. */
	if (old && refcount_read(&old->refs) > 1) {
		err = fd_table_clone(old, &copy);
		if (!err) {
			/* Under the lock: process_files_get may be taking a reference to old. */
			irqflags_t f = spin_lock_irqsave(&process_table_lock);

			p->files = copy;
			spin_unlock_irqrestore(&process_table_lock, f);
			fd_table_put(old);
		}
	}
	mutex_unlock(&unshare_lock);
	return err;
}

struct fd_table *current_files(void)
{
	struct process *p = current_process();

	return p ? p->files : NULL;
}

struct file *fget(int fd)
{
	return fd_get(current_files(), fd);
}

/*
 * Can the caller use its table without the lock and without taking file
 * references?  Only the threads of the processes sharing a table change
 * it, so when the caller is its process's only thread and no other
 * process shares the table, nothing can close or replace a descriptor
 * until the caller itself does: the file stays alive for the whole
 * syscall on the table's own reference (Linux's fdget does the same).
 * The counts can only grow through the caller (clone), so a stale read
 * can only be a too-high count, which takes the locked path.  procfs
 * readers of another process's table take the lock and references.
 */
static bool table_is_private(const struct process *p, struct fd_table *t)
{
	return p->nr_threads == 1 && refcount_read(&t->refs) == 1;
}

struct fd fdget(int fd)
{
	struct process *p = current_process();
	struct fd_table *t = p ? p->files : NULL;

	if (!t || fd < 0)
		return (struct fd){ NULL, false };
	if (!table_is_private(p, t))
		return (struct fd){ fd_get(t, fd), true };
	if ((unsigned int)fd >= t->size)
		return (struct fd){ NULL, false };
	return (struct fd){ t->files[fd], false };
}

void fdput(struct fd f)
{
	if (f.ref)
		file_put(f.file);
}
