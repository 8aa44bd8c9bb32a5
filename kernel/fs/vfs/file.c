// SPDX-License-Identifier: MPL-2.0
// struct file: allocation, references, in-kernel I/O, write denial.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include "ns/ns.h"
#include "fs/locks.h"
#include "fs/vfs.h"
#include "uapi/fcntl.h"
#include "uapi/inotify.h"
#include "uapi/mman.h"
#include "uapi/mount.h"

/* Open file descriptions in the system (/proc/sys/fs/file-nr). */
static atomic_t nr_files;

uint32_t vfs_nr_files(void)
{
	return (uint32_t)atomic_read(&nr_files);
}

struct file *file_alloc(const struct file_ops *ops, unsigned int flags, void *priv)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	atomic_inc(&nr_files);
	refcount_set(&f->refs, 1);
	f->ops = ops;
	f->flags = flags;
	f->priv = priv;
	mutex_init(&f->pos_lock);
	list_init(&f->epitems);
	list_init(&f->async_node);
	return f;
}

void file_get(struct file *f)
{
	refcount_inc(&f->refs);
}

static bool file_writes(const struct file *f)
{
	unsigned int acc = f->flags & O_ACCMODE;

	return acc == O_WRONLY || acc == O_RDWR;
}

static bool special(uint32_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

/*
 * Files whose last reference went under a lock their release may need:
 * released by the next file_put_flush(), linked through deferred_next.
 */
static spinlock_t deferred_lock = SPINLOCK_INIT;
static struct file *deferred_files;

static void file_release(struct file *f)
{
	sigio_file_release(f);
	epoll_file_release(f);
	locks_remove_file(f);
	lease_file_release(f);
	if (f->dentry && !(f->flags & O_PATH))
		fsnotify_dentry(f->dentry, file_writes(f) ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->inode) {
		if (file_writes(f) && S_ISREG(f->inode->mode)) {
			mutex_lock(&f->inode->lock);
			f->inode->writers--;
			mutex_unlock(&f->inode->lock);
		} else if (f->counted_reader) {
			mutex_lock(&f->inode->lock);
			f->inode->readers--;
			mutex_unlock(&f->inode->lock);
		}
		/* vfs_open_path counted this writer on the mount. */
		if (file_writes(f) && !(f->flags & O_PATH) && !special(f->inode->mode))
			mount_put_write(f->mnt);
		inode_put(f->inode);
	}
	mount_put(f->mnt);
	if (f->dentry)
		dentry_put(f->dentry);
	kfree(f);
	atomic_dec(&nr_files);
}

void file_put(struct file *f)
{
	if (!f || !refcount_dec_and_test(&f->refs))
		return;
	file_release(f);
}

void file_put_deferred(struct file *f)
{
	irqflags_t fl;

	if (!f || !refcount_dec_and_test(&f->refs))
		return;
	fl = spin_lock_irqsave(&deferred_lock);
	f->deferred_next = deferred_files;
	deferred_files = f;
	spin_unlock_irqrestore(&deferred_lock, fl);
}

void file_put_flush(void)
{
	irqflags_t fl = spin_lock_irqsave(&deferred_lock);
	struct file *f = deferred_files;

	deferred_files = NULL;
	spin_unlock_irqrestore(&deferred_lock, fl);
	while (f) {
		struct file *next = f->deferred_next;

		file_release(f);
		f = next;
	}
}

ssize_t kernel_read(struct file *f, uint64_t off, void *buf, size_t len)
{
	struct iobuf b = iobuf_kernel(buf, len);

	return vfs_read(f, &b, &off);
}

ssize_t kernel_write(struct file *f, uint64_t off, const void *buf, size_t len)
{
	/* iobuf_kernel takes a writable pointer; the write path only reads it. */
	struct iobuf b = { .user = false, .kbuf = (void *)buf, .len = len };

	return vfs_write(f, &b, &off);
}

void file_deny_write(struct file *f)
{
	if (!f->inode)
		return;
	mutex_lock(&f->inode->lock);
	f->inode->writers--;
	mutex_unlock(&f->inode->lock);
}

void file_allow_write(struct file *f)
{
	if (!f->inode)
		return;
	mutex_lock(&f->inode->lock);
	f->inode->writers++;
	mutex_unlock(&f->inode->lock);
}

uint64_t file_size(struct file *f)
{
	return f->inode ? f->inode->size : 0;
}

int file_path(struct file *f, char *buf, size_t size)
{
	struct fs_context *c;
	struct dentry *root;
	struct mount *rm;
	int ret;

	if (!f->dentry && file_is_sockfs(f)) {
		int n = snprintf(buf, size, "socket:[%lu]", (unsigned long)f->inode->ino);

		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
	}
	/* nsfs files are named by their namespace, as Linux's ns_dname: "uts:[4026531838]". */
	if (nsfs_file_ns(f)) {
		int n = ns_link_text(nsfs_file_ns(f), buf, size);

		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
	}
	if (!f->dentry) {
		int n = f->ops && f->ops->anon_name ?
			snprintf(buf, size, "anon_inode:[%s]", f->ops->anon_name) :
			snprintf(buf, size, "pipe:[%lu]", (unsigned long)(uint64_t)(uintptr_t)f);

		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
	}
	c = vfs_current_fs();
	if (!c)
		return dentry_path(f->dentry, vfs_root, buf, size);
	root = fs_context_get_root_mnt(c, &rm);
	fs_context_put(c);
	mutex_lock(&vfs_ns_lock);
	ret = mount_path_locked(f->mnt, f->dentry, rm, root, buf, size);
	mutex_unlock(&vfs_ns_lock);
	dentry_put(root);
	mount_put(rm);
	return ret;
}

bool file_nosuid(struct file *f)
{
	return f->mnt && (f->mnt->flags & MS_NOSUID);
}

int file_mmap_check(struct file *f, int prot, bool shared, bool *maywrite)
{
	uint32_t seals = f->inode ? f->inode->seals : 0;

	if ((prot & PROT_EXEC) && f->mnt && (f->mnt->flags & MS_NOEXEC))
		return -EPERM;
	if (shared && (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))) {
		if (prot & PROT_WRITE)
			return -EPERM;
		*maywrite = false;	/* mprotect may never add PROT_WRITE */
	}
	return 0;
}

int file_mprotect_check(struct file *f, int prot)
{
	if ((prot & PROT_EXEC) && f->mnt && (f->mnt->flags & MS_NOEXEC))
		return -EACCES;
	return 0;
}

void file_map_writable(struct file *f, int delta)
{
	if (f->inode)
		atomic_add(&f->inode->mmap_writers, delta);
}

int file_stat_ids(struct file *f, uint32_t *mode, uint32_t *uid, uint32_t *gid)
{
	if (!f->inode)
		return -EBADF;
	mutex_lock(&f->inode->lock);
	*mode = f->inode->mode;
	*uid = f->inode->uid;
	*gid = f->inode->gid;
	mutex_unlock(&f->inode->lock);
	return 0;
}
