// SPDX-License-Identifier: MPL-2.0
// The descriptor table: a growable array of files with per-fd flags.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "process/process.h"

struct fd_table {
	atomic_t refs;
	struct mutex lock;
	unsigned int size;	/* slots allocated */
	unsigned int limit;
	struct file **files;
	uint8_t *fdflags;
};

int fd_table_create(struct fd_table **out)
{
	struct fd_table *t = kzalloc(sizeof(*t));

	if (!t)
		return -ENOMEM;
	atomic_set(&t->refs, 1);
	mutex_init(&t->lock);
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

/* Make room for descriptor fd (lock held). */
static int grow(struct fd_table *t, unsigned int fd)
{
	unsigned int n = t->size ? t->size : 16;
	struct file **files;
	uint8_t *fl;

	if (fd < t->size)
		return 0;
	if (fd >= fd_limit(t))
		return -EMFILE;
	while (n <= fd)
		n *= 2;
	files = kcalloc(n, sizeof(*files));
	fl = kcalloc(n, 1);
	if (!files || !fl) {
		kfree(files);
		kfree(fl);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < t->size; i++) {
		files[i] = t->files[i];
		fl[i] = t->fdflags[i];
	}
	kfree(t->files);
	kfree(t->fdflags);
	t->files = files;
	t->fdflags = fl;
	t->size = n;
	return 0;
}

int fd_table_clone(struct fd_table *src, struct fd_table **out)
{
	struct fd_table *t;
	int err = fd_table_create(&t);

	if (err)
		return err;
	mutex_lock(&src->lock);
	t->limit = src->limit;
	if (src->size)
		err = grow(t, src->size - 1);
	for (unsigned int i = 0; !err && i < src->size; i++) {
		t->files[i] = src->files[i];
		t->fdflags[i] = src->fdflags[i];
		if (t->files[i])
			file_get(t->files[i]);
	}
	mutex_unlock(&src->lock);
	if (err) {
		fd_table_put(t);
		return err;
	}
	*out = t;
	return 0;
}

void fd_table_get(struct fd_table *t)
{
	atomic_inc(&t->refs);
}

void fd_table_put(struct fd_table *t)
{
	if (!t || atomic_dec(&t->refs) != 0)
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

int fd_install_from(struct fd_table *t, struct file *f, unsigned int fd_flags, int min)
{
	unsigned int fd;
	int err;

	if (min < 0)
		return -EINVAL;
	mutex_lock(&t->lock);
	if ((unsigned int)min >= fd_limit(t)) {
		mutex_unlock(&t->lock);
		return -EINVAL;
	}
	for (fd = (unsigned int)min; fd < t->size && t->files[fd]; fd++)
		;
	err = grow(t, fd);
	if (err) {
		mutex_unlock(&t->lock);
		return err;
	}
	t->files[fd] = f;
	t->fdflags[fd] = (uint8_t)(fd_flags & FD_CLOEXEC);
	mutex_unlock(&t->lock);
	return (int)fd;
}

int fd_install(struct fd_table *t, struct file *f, unsigned int fd_flags)
{
	return fd_install_from(t, f, fd_flags, 0);
}

int fd_install_at(struct fd_table *t, int fd, struct file *f, unsigned int fd_flags)
{
	struct file *old;
	int err;

	if (fd < 0)
		return -EBADF;
	mutex_lock(&t->lock);
	if ((unsigned int)fd >= fd_limit(t)) {
		mutex_unlock(&t->lock);
		return -EBADF;
	}
	err = grow(t, (unsigned int)fd);
	if (err) {
		mutex_unlock(&t->lock);
		return err;
	}
	old = t->files[fd];
	t->files[fd] = f;
	t->fdflags[fd] = (uint8_t)(fd_flags & FD_CLOEXEC);
	mutex_unlock(&t->lock);
	locks_remove_posix(old, t);
	file_put(old);
	return fd;
}

struct file *fd_get(struct fd_table *t, int fd)
{
	struct file *f = NULL;

	if (!t || fd < 0)
		return NULL;
	mutex_lock(&t->lock);
	if ((unsigned int)fd < t->size && t->files[fd]) {
		f = t->files[fd];
		file_get(f);
	}
	mutex_unlock(&t->lock);
	return f;
}

int fd_close(struct fd_table *t, int fd)
{
	struct file *f;

	if (fd < 0)
		return -EBADF;
	mutex_lock(&t->lock);
	if ((unsigned int)fd >= t->size || !t->files[fd]) {
		mutex_unlock(&t->lock);
		return -EBADF;
	}
	f = t->files[fd];
	t->files[fd] = NULL;
	t->fdflags[fd] = 0;
	mutex_unlock(&t->lock);
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

		mutex_lock(&t->lock);
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
		mutex_unlock(&t->lock);
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
	mutex_lock(&t->lock);
	if ((unsigned int)fd < t->size && t->files[fd])
		ret = t->fdflags[fd];
	mutex_unlock(&t->lock);
	return ret;
}

int fd_set_flags(struct fd_table *t, int fd, unsigned int fd_flags)
{
	int ret = -EBADF;

	if (fd < 0)
		return -EBADF;
	mutex_lock(&t->lock);
	if ((unsigned int)fd < t->size && t->files[fd]) {
		t->fdflags[fd] = (uint8_t)(fd_flags & FD_CLOEXEC);
		ret = 0;
	}
	mutex_unlock(&t->lock);
	return ret;
}

unsigned int fd_table_limit(struct fd_table *t)
{
	return fd_limit(t);
}

int fd_table_for_each(struct fd_table *t, int (*fn)(int fd, struct file *f, void *arg), void *arg)
{
	int ret = 0;

	mutex_lock(&t->lock);
	for (unsigned int i = 0; i < t->size && !ret; i++)
		if (t->files[i])
			ret = fn((int)i, t->files[i], arg);
	mutex_unlock(&t->lock);
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
	if (old && atomic_read(&old->refs) > 1) {
		err = fd_table_clone(old, &copy);
		if (!err) {
			p->files = copy;
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
