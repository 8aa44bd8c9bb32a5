// SPDX-License-Identifier: MPL-2.0
// access, chmod, chown, truncate, utimes, umask, sync and advice.
#include <aster/timer.h>
#include "fs/syscalls/sys.h"
#include "process/process.h"
#include "uapi/stat.h"
#include "uapi/fs.h"
#include "uapi/falloc.h"

static int lookup_path(int dirfd, uaddr_t up, unsigned int lf, struct dentry **out)
{
	struct pathname pn;
	int r = getname_short(up, &pn);

	if (r)
		return r;
	r = vfs_lookup(dirfd, pn.name, lf, out);
	putname(&pn);
	return r;
}

static int at_lookup(int dirfd, uaddr_t up, int flags, struct dentry **out)
{
	return lookup_path(dirfd, up, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			   ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), out);
}

static bool real_in_group(uint32_t gid)
{
	struct process *p = current_process();

	if (!p || p->cred.gid == gid)
		return true;
	for (uint32_t i = 0; i < p->cred.ngroups && i < CRED_GROUPS; i++)
		if (p->cred.groups[i] == gid)
			return true;
	return false;
}

static long do_access(int dirfd, uaddr_t up, int mode, int flags)
{
	struct process *p = current_process();
	struct dentry *d;
	long r;

	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = at_lookup(dirfd, up, flags, &d);
	if (r)
		return r;
	if (mode) {
		if (flags & AT_EACCESS)
			r = inode_permission(d->inode, mode);
		else
			r = inode_permission_ids(d->inode, mode, p ? p->cred.uid : 0, real_in_group);
		/* Root's access(X_OK) on a file needs some x bit (as inode_permission). */
	}
	dentry_put(d);
	return r;
}

long sys_access(const struct syscall_args *a)
{
	return do_access(AT_FDCWD, a->a[0], arg_int(a->a[1]), 0);
}

long sys_faccessat(const struct syscall_args *a)
{
	return do_access(arg_int(a->a[0]), a->a[1], arg_int(a->a[2]), 0);
}

long sys_faccessat2(const struct syscall_args *a)
{
	return do_access(arg_int(a->a[0]), a->a[1], arg_int(a->a[2]), arg_int(a->a[3]));
}

static long chmod_inode(struct inode *i, uint32_t mode)
{
	if (!vfs_is_owner_or_root(i))
		return -EPERM;
	if (i->sb && i->sb->type && i->sb->type->dynamic)
		return -EPERM;
	mode &= 07777;
	if (vfs_current_fsuid() != 0 && !vfs_in_group(i->gid))
		mode &= ~(uint32_t)S_ISGID;
	mutex_lock(&i->lock);
	i->mode = (i->mode & S_IFMT) | mode;
	inode_touch(i, false, false, true);
	mutex_unlock(&i->lock);
	return 0;
}

long sys_chmod(const struct syscall_args *a)
{
	struct dentry *d;
	long r = lookup_path(AT_FDCWD, a->a[0], LOOKUP_FOLLOW, &d);

	if (r)
		return r;
	r = chmod_inode(d->inode, (uint32_t)a->a[1]);
	dentry_put(d);
	return r;
}

long sys_fchmodat(const struct syscall_args *a)
{
	struct dentry *d;
	long r = lookup_path(arg_int(a->a[0]), a->a[1], LOOKUP_FOLLOW, &d);

	if (r)
		return r;
	r = chmod_inode(d->inode, (uint32_t)a->a[2]);
	dentry_put(d);
	return r;
}

long sys_fchmod(const struct syscall_args *a)
{
	struct file *f = fget(arg_int(a->a[0]));
	long r;

	if (!f)
		return -EBADF;
	r = (f->inode && !(f->flags & O_PATH)) ? chmod_inode(f->inode, (uint32_t)a->a[1]) : -EBADF;
	file_put(f);
	return r;
}

static long chown_inode(struct inode *i, uint32_t uid, uint32_t gid)
{
	bool root = vfs_current_fsuid() == 0;

	if (i->sb && i->sb->type && i->sb->type->dynamic)
		return -EPERM;
	if (!root) {
		if (uid != (uint32_t)-1 && uid != i->uid)
			return -EPERM;
		if (vfs_current_fsuid() != i->uid)
			return -EPERM;
		if (gid != (uint32_t)-1 && gid != i->gid && !vfs_in_group(gid))
			return -EPERM;
	}
	mutex_lock(&i->lock);
	if (uid != (uint32_t)-1)
		i->uid = uid;
	if (gid != (uint32_t)-1)
		i->gid = gid;
	if (!S_ISDIR(i->mode) && (uid != (uint32_t)-1 || gid != (uint32_t)-1)) {
		i->mode &= ~(uint32_t)S_ISUID;
		if (i->mode & 010)
			i->mode &= ~(uint32_t)S_ISGID;
	}
	inode_touch(i, false, false, true);
	mutex_unlock(&i->lock);
	return 0;
}

static long chown_path(int dirfd, uaddr_t up, uint32_t uid, uint32_t gid, int flags)
{
	struct dentry *d;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = at_lookup(dirfd, up, flags, &d);
	if (r)
		return r;
	r = chown_inode(d->inode, uid, gid);
	dentry_put(d);
	return r;
}

long sys_chown(const struct syscall_args *a)
{
	return chown_path(AT_FDCWD, a->a[0], (uint32_t)a->a[1], (uint32_t)a->a[2], 0);
}

long sys_lchown(const struct syscall_args *a)
{
	return chown_path(AT_FDCWD, a->a[0], (uint32_t)a->a[1], (uint32_t)a->a[2],
			  AT_SYMLINK_NOFOLLOW);
}

long sys_fchownat(const struct syscall_args *a)
{
	return chown_path(arg_int(a->a[0]), a->a[1], (uint32_t)a->a[2], (uint32_t)a->a[3],
			  arg_int(a->a[4]));
}

long sys_fchown(const struct syscall_args *a)
{
	struct file *f = fget(arg_int(a->a[0]));
	long r;

	if (!f)
		return -EBADF;
	r = (f->inode && !(f->flags & O_PATH)) ?
	    chown_inode(f->inode, (uint32_t)a->a[1], (uint32_t)a->a[2]) : -EBADF;
	file_put(f);
	return r;
}

long sys_truncate(const struct syscall_args *a)
{
	struct dentry *d;
	long r;

	if ((int64_t)a->a[1] < 0)
		return -EINVAL;
	r = lookup_path(AT_FDCWD, a->a[0], LOOKUP_FOLLOW, &d);
	if (r)
		return r;
	if (S_ISDIR(d->inode->mode))
		r = -EISDIR;
	else if (!S_ISREG(d->inode->mode))
		r = -EINVAL;
	else
		r = inode_permission(d->inode, MAY_WRITE);
	if (!r && d->inode->writers < 0)
		r = -ETXTBSY;
	if (!r)
		r = vfs_truncate_inode(d->inode, a->a[1]);
	dentry_put(d);
	return r;
}

long sys_ftruncate(const struct syscall_args *a)
{
	struct file *f = fget(arg_int(a->a[0]));
	long r;

	if (!f)
		return -EBADF;
	if ((int64_t)a->a[1] < 0)
		r = -EINVAL;
	else if (f->flags & O_PATH)
		r = -EBADF;
	else if (!f->inode || !S_ISREG(f->inode->mode) || (f->flags & O_ACCMODE) == O_RDONLY)
		r = -EINVAL;
	else
		r = vfs_truncate_inode(f->inode, a->a[1]);
	file_put(f);
	return r;
}

/* times[0] atime, times[1] mtime; NULL: both now. */
static long set_times(struct inode *i, const struct timespec64 *times)
{
	bool now_only = !times || (times[0].nsec == UTIME_NOW && times[1].nsec == UTIME_NOW);
	bool omit_all = times && times[0].nsec == UTIME_OMIT && times[1].nsec == UTIME_OMIT;
	struct timespec64 now = vfs_now();

	if (omit_all)
		return 0;
	if (now_only) {
		if (!vfs_is_owner_or_root(i) && inode_permission(i, MAY_WRITE))
			return -EACCES;
	} else if (!vfs_is_owner_or_root(i)) {
		return -EPERM;
	}
	mutex_lock(&i->lock);
	for (int k = 0; k < 2; k++) {
		struct timespec64 t = times ? times[k] : now;

		if (t.nsec == UTIME_OMIT)
			continue;
		if (t.nsec == UTIME_NOW)
			t = now;
		if (k == 0)
			i->atime = t;
		else
			i->mtime = t;
	}
	i->ctime = now;
	mutex_unlock(&i->lock);
	return 0;
}

static long utimes_common(int dirfd, uaddr_t up, const struct timespec64 *times, int flags)
{
	struct dentry *d;
	long r;

	if (!up) {
		/* utimensat(fd, NULL, ...) works on fd itself. */
		struct file *f;

		if (dirfd == AT_FDCWD)
			return -EFAULT;
		f = fget(dirfd);
		if (!f)
			return -EBADF;
		r = f->inode ? set_times(f->inode, times) : -EBADF;
		file_put(f);
		return r;
	}
	r = at_lookup(dirfd, up, flags, &d);
	if (r)
		return r;
	r = set_times(d->inode, times);
	dentry_put(d);
	return r;
}

long sys_utimensat(const struct syscall_args *a)
{
	struct timespec64 t[2];
	int flags = arg_int(a->a[3]);

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (a->a[2]) {
		if (copy_from_user(t, a->a[2], sizeof(t)))
			return -EFAULT;
		for (int k = 0; k < 2; k++)
			if ((t[k].nsec < 0 || t[k].nsec >= (int64_t)NSEC_PER_SEC) && t[k].nsec != UTIME_NOW &&
			    t[k].nsec != UTIME_OMIT)
				return -EINVAL;
	}
	return utimes_common(arg_int(a->a[0]), a->a[1], a->a[2] ? t : NULL, flags);
}

static long timeval_times(int dirfd, uaddr_t up, uaddr_t tv)
{
	int64_t v[4];
	struct timespec64 t[2];

	if (!tv)
		return utimes_common(dirfd, up, NULL, 0);
	if (copy_from_user(v, tv, sizeof(v)))
		return -EFAULT;
	for (int k = 0; k < 2; k++) {
		if (v[2 * k + 1] < 0 || v[2 * k + 1] >= 1000000)
			return -EINVAL;
		t[k].sec = v[2 * k];
		t[k].nsec = v[2 * k + 1] * 1000;
	}
	return utimes_common(dirfd, up, t, 0);
}

long sys_utimes(const struct syscall_args *a)
{
	return timeval_times(AT_FDCWD, a->a[0], a->a[1]);
}

long sys_futimesat(const struct syscall_args *a)
{
	return timeval_times(arg_int(a->a[0]), a->a[1], a->a[2]);
}

static uint32_t boot_umask = 022;

long sys_umask(const struct syscall_args *a)
{
	struct process *p = current_process();
	uint32_t *m = p ? &p->umask : &boot_umask;
	uint32_t old = *m;

	*m = (uint32_t)a->a[0] & 0777;
	return old;
}

long sys_sync(const struct syscall_args *a)
{
	(void)a;
	return 0;
}

static long fd_nop(int fd, bool need_sync)
{
	struct file *f = fget(fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (need_sync && (!f->inode || S_ISFIFO(f->inode->mode)))
		r = -EINVAL;
	file_put(f);
	return r;
}

long sys_syncfs(const struct syscall_args *a)
{
	return fd_nop(arg_int(a->a[0]), false);
}

long sys_fsync(const struct syscall_args *a)
{
	return fd_nop(arg_int(a->a[0]), true);
}

long sys_fdatasync(const struct syscall_args *a)
{
	return fd_nop(arg_int(a->a[0]), true);
}

long sys_fadvise64(const struct syscall_args *a)
{
	struct file *f = fget(arg_int(a->a[0]));
	long r = 0;

	if (!f)
		return -EBADF;
	if (!f->inode || S_ISFIFO(f->inode->mode))
		r = -ESPIPE;
	else if ((int64_t)a->a[2] < 0 || a->a[3] > 5)
		r = -EINVAL;
	file_put(f);
	return r;
}

long sys_readahead(const struct syscall_args *a)
{
	struct file *f = fget(arg_int(a->a[0]));
	long r = 0;

	if (!f)
		return -EBADF;
	/* Files are in memory already: a regular file has nothing to read ahead. */
	if (!f->inode || !S_ISREG(f->inode->mode) || (int64_t)a->a[1] < 0)
		r = -EINVAL;
	file_put(f);
	return r;
}

long sys_sync_file_range(const struct syscall_args *a)
{
	struct file *f;
	long r = 0;

	if (a->a[3] & ~(uint64_t)(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
				  SYNC_FILE_RANGE_WAIT_AFTER) || (int64_t)a->a[1] < 0 ||
	    (int64_t)a->a[2] < 0 || (int64_t)(a->a[1] + a->a[2]) < 0)
		return -EINVAL;
	f = fget(arg_int(a->a[0]));
	if (!f)
		return -EBADF;
	if (!f->inode || S_ISFIFO(f->inode->mode))
		r = -ESPIPE;
	else if (!S_ISREG(f->inode->mode) && !S_ISDIR(f->inode->mode) && !S_ISBLK(f->inode->mode))
		r = -EINVAL;
	file_put(f);
	return r;	/* nothing is ever waiting to be written back */
}

/*
 * fallocate: mode 0 makes the file at least offset+len long (zeros), and
 * FALLOC_FL_KEEP_SIZE has nothing to reserve (memory is taken on write);
 * punching, collapsing, zeroing and inserting ranges are not supported.
 */
long sys_fallocate(const struct syscall_args *a)
{
	int mode = (int)a->a[1];
	int64_t off = (int64_t)a->a[2], len = (int64_t)a->a[3];
	struct file *f;
	long r = 0;

	f = fget(arg_int(a->a[0]));
	if (!f)
		return -EBADF;
	if (off < 0 || len <= 0)
		r = -EINVAL;
	else if (mode & ~FALLOC_FL_KEEP_SIZE)
		r = -EOPNOTSUPP;
	else if ((f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH))
		r = -EBADF;
	else if (!f->inode || S_ISFIFO(f->inode->mode))
		r = -ESPIPE;
	else if (S_ISDIR(f->inode->mode))
		r = -EISDIR;
	else if (!S_ISREG(f->inode->mode))
		r = -ENODEV;
	else if (off + len < off)
		r = -EFBIG;
	else if (!(mode & FALLOC_FL_KEEP_SIZE) && (uint64_t)(off + len) > f->inode->size)
		r = vfs_truncate_inode(f->inode, (uint64_t)(off + len));
	file_put(f);
	return r;
}

/* utime(path, struct utimbuf { actime, modtime }): utimes with whole seconds. */
long sys_utime(const struct syscall_args *a)
{
	struct timespec64 times[2];
	int64_t tb[2];

	if (!a->a[1])
		return utimes_common(AT_FDCWD, a->a[0], NULL, 0);
	if (copy_from_user(tb, a->a[1], sizeof(tb)))
		return -EFAULT;
	times[0] = (struct timespec64){ tb[0], 0 };
	times[1] = (struct timespec64){ tb[1], 0 };
	return utimes_common(AT_FDCWD, a->a[0], times, 0);
}
