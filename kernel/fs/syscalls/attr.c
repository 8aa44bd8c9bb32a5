// SPDX-License-Identifier: MPL-2.0
// access, chmod, chown, truncate, utimes, umask, sync and advice.
#include <aster/timer.h>
#include "fs/locks.h"
#include "block/blkdev.h"
#include "security/landlock/landlock.h"
#include "fs/syscalls/sys.h"
#include "process/process.h"
#include "time/timespec.h"
#include "uapi/stat.h"
#include "uapi/fs.h"
#include "uapi/falloc.h"
#include "uapi/inotify.h"
#include "process/capability.h"

/* The dentry a path names, and its mount when m is not NULL (mount_put it). */
static int lookup_path_mnt(int dirfd, uaddr_t up, unsigned int lf, struct dentry **out,
			   struct mount **m)
{
	NOINIT_BYTES(small, PATHNAME_INLINE);
	struct pathname pn;
	int r = getname_short(up, &small, &pn);

	if (r)
		return r;
	r = vfs_lookup_mnt(dirfd, pn.name, lf, out, m);
	putname(&pn);
	return r;
}

/* The same for attribute changes: a read-only mount is -EROFS, as Linux's mnt_want_write. */
static int lookup_path_rw(int dirfd, uaddr_t up, unsigned int lf, struct dentry **out)
{
	struct mount *m;
	int r = lookup_path_mnt(dirfd, up, lf, out, &m);

	if (r)
		return r;
	r = mount_want_write(m);
	mount_put(m);
	if (r)
		dentry_put(*out);
	return r;
}

static unsigned int at_flags_lookup(int flags)
{
	return ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
	       ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
}

static int at_lookup_rw(int dirfd, uaddr_t up, int flags, struct dentry **out)
{
	return lookup_path_rw(dirfd, up, at_flags_lookup(flags), out);
}

/* Attribute changes through a descriptor: its mount must be writable. */
static int file_want_write(struct file *f)
{
	return mount_want_write(f->mnt);
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

/*
 * access()'s capabilities, as Linux's do_faccessat: a real root keeps its
 * permitted set, anyone else none (unless SECBIT_NO_SETUID_FIXUP).
 */
static uint64_t real_caps(const struct process *p)
{
	if (!p)
		return CAP_FULL_SET;
	if (p->cred.securebits & SECBIT_NO_SETUID_FIXUP)
		return p->cred.cap_effective;
	return p->cred.uid == 0 ? p->cred.cap_permitted : 0;
}

static long do_access(int dirfd, uaddr_t up, int mode, int flags)
{
	struct process *p = current_process();
	struct dentry *d;
	struct mount *m;
	long r;

	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = lookup_path_mnt(dirfd, up, at_flags_lookup(flags), &d, &m);
	if (r)
		return r;
	if (mode) {
		if (flags & AT_EACCESS)
			r = inode_permission(d->inode, mode);
		else
			r = inode_permission_ids(d->inode, mode, p ? p->cred.uid : 0, real_in_group,
						 real_caps(p));
	}
	/* W_OK on a read-only mount: EROFS (not for devices, FIFOs, sockets), as Linux. */
	if (!r && (mode & MAY_WRITE) && (S_ISREG(d->inode->mode) || S_ISDIR(d->inode->mode) ||
					 S_ISLNK(d->inode->mode)))
		r = mount_want_write(m);
	mount_put(m);
	dentry_put(d);
	return r;
}

long sys_access(uaddr_t pathname, int mode)
{
	return do_access(AT_FDCWD, pathname, mode, 0);
}

long sys_faccessat(int dirfd, uaddr_t pathname, int mode)
{
	return do_access(dirfd, pathname, mode, 0);
}

long sys_faccessat2(int dirfd, uaddr_t pathname, int mode, unsigned int flags)
{
	return do_access(dirfd, pathname, mode, (int)flags);
}

static long chmod_inode(struct inode *i, uint32_t mode)
{
	if (!vfs_owner_or_capable(i))
		return -EPERM;
	if (i->sb && i->sb->type && i->sb->type->dynamic)
		return -EPERM;
	mode &= 07777;
	if (!vfs_in_group(i->gid) && !capable(CAP_FSETID))
		mode &= ~(uint32_t)S_ISGID;
	mutex_lock(&i->lock);
	i->mode = (i->mode & S_IFMT) | mode;
	inode_touch(i, false, false, true);
	mutex_unlock(&i->lock);
	fsnotify(i, IN_ATTRIB, NULL, 0);
	return 0;
}

long sys_chmod(uaddr_t pathname, unsigned int mode)
{
	struct dentry *d;
	long r = lookup_path_rw(AT_FDCWD, pathname, LOOKUP_FOLLOW, &d);

	if (r)
		return r;
	r = chmod_inode(d->inode, mode);
	dentry_put(d);
	return r;
}

long sys_fchmodat(int dirfd, uaddr_t pathname, unsigned int mode)
{
	struct dentry *d;
	long r = lookup_path_rw(dirfd, pathname, LOOKUP_FOLLOW, &d);

	if (r)
		return r;
	r = chmod_inode(d->inode, mode);
	dentry_put(d);
	return r;
}

long sys_fchmod(int fd, unsigned int mode)
{
	struct file *f = fget(fd);
	long r;

	if (!f)
		return -EBADF;
	r = (f->inode && !(f->flags & O_PATH)) ? file_want_write(f) : -EBADF;
	if (!r)
		r = chmod_inode(f->inode, mode);
	file_put(f);
	return r;
}

static long chown_inode(struct inode *i, uint32_t uid, uint32_t gid)
{
	bool priv = capable(CAP_CHOWN);

	if (i->sb && i->sb->type && i->sb->type->dynamic)
		return -EPERM;
	if (!priv) {
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
	fsnotify(i, IN_ATTRIB, NULL, 0);
	return 0;
}

static long chown_path(int dirfd, uaddr_t up, uint32_t uid, uint32_t gid, int flags)
{
	struct dentry *d;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = at_lookup_rw(dirfd, up, flags, &d);
	if (r)
		return r;
	r = chown_inode(d->inode, uid, gid);
	dentry_put(d);
	return r;
}

long sys_chown(uaddr_t pathname, unsigned int owner, unsigned int group)
{
	return chown_path(AT_FDCWD, pathname, owner, group, 0);
}

long sys_lchown(uaddr_t pathname, unsigned int owner, unsigned int group)
{
	return chown_path(AT_FDCWD, pathname, owner, group,
			  AT_SYMLINK_NOFOLLOW);
}

long sys_fchownat(int dirfd, uaddr_t pathname, unsigned int owner, unsigned int group,
		  unsigned int flags)
{
	return chown_path(dirfd, pathname, owner, group,
			  (int)flags);
}

long sys_fchown(int fd, unsigned int owner, unsigned int group)
{
	struct file *f = fget(fd);
	long r;

	if (!f)
		return -EBADF;
	r = (f->inode && !(f->flags & O_PATH)) ? file_want_write(f) : -EBADF;
	if (!r)
		r = chown_inode(f->inode, owner, group);
	file_put(f);
	return r;
}

long sys_truncate(uaddr_t path, int64_t length)
{
	struct dentry *d;
	struct mount *m;
	long r;

	if (length < 0)
		return -EINVAL;
	r = lookup_path_mnt(AT_FDCWD, path, LOOKUP_FOLLOW, &d, &m);
	if (r)
		return r;
	if (S_ISDIR(d->inode->mode))
		r = -EISDIR;
	else if (!S_ISREG(d->inode->mode))
		r = -EINVAL;
	else
		r = mount_want_write(m);
	if (!r)
		r = inode_permission(d->inode, MAY_WRITE);
	if (!r && d->inode->writers < 0)
		r = -ETXTBSY;
	if (!r)
		r = landlock_path_truncate(m, d);
	mount_put(m);
	if (!r)
		r = lease_break(d->inode, O_WRONLY);	/* Linux's vfs_truncate */
	if (!r)
		r = vfs_truncate_inode(d->inode, length);
	dentry_put(d);
	return r;
}

long sys_ftruncate(int fd, int64_t length)
{
	struct file *f = fget(fd);
	long r;

	if (!f)
		return -EBADF;
	if (length < 0)
		r = -EINVAL;
	else if (f->flags & O_PATH)
		r = -EBADF;
	else if (!f->inode || !S_ISREG(f->inode->mode) || (f->flags & O_ACCMODE) == O_RDONLY)
		r = -EINVAL;
	else
		r = landlock_file_truncate(f->landlock_denied);
	if (!r)
		r = vfs_truncate_inode(f->inode, length);
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
		if (!vfs_owner_or_capable(i) && inode_permission(i, MAY_WRITE))
			return -EACCES;
	} else if (!vfs_owner_or_capable(i)) {
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
	fsnotify(i, IN_ATTRIB, NULL, 0);
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
		r = f->inode ? file_want_write(f) : -EBADF;
		if (!r)
			r = set_times(f->inode, times);
		file_put(f);
		return r;
	}
	r = at_lookup_rw(dirfd, up, flags, &d);
	if (r)
		return r;
	r = set_times(d->inode, times);
	dentry_put(d);
	return r;
}

long sys_utimensat(int dirfd, uaddr_t pathname, uaddr_t times, unsigned int flags)
{
	struct timespec64 t[2];

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (times) {
		if (copy_from_user(t, times, sizeof(t)))
			return -EFAULT;
		for (int k = 0; k < 2; k++)
			if (t[k].nsec != UTIME_NOW && t[k].nsec != UTIME_OMIT &&
			    (t[k].nsec < 0 || t[k].nsec >= (int64_t)NSEC_PER_SEC))
				return -EINVAL;
	}
	return utimes_common(dirfd, pathname, times ? t : NULL, flags);
}

static long timeval_times(int dirfd, uaddr_t up, uaddr_t tv)
{
	struct user_timeval v[2];
	struct timespec64 t[2];

	if (!tv)
		return utimes_common(dirfd, up, NULL, 0);
	if (copy_from_user(v, tv, sizeof(v)))
		return -EFAULT;
	for (int k = 0; k < 2; k++) {
		/* Times before 1970 are allowed: only the microseconds are checked. */
		if (!timeval_valid(0, v[k].tv_usec))
			return -EINVAL;
		t[k].sec = v[k].tv_sec;
		t[k].nsec = v[k].tv_usec * (int64_t)NSEC_PER_USEC;
	}
	return utimes_common(dirfd, up, t, 0);
}

long sys_utimes(uaddr_t filename, uaddr_t times)
{
	return timeval_times(AT_FDCWD, filename, times);
}

long sys_futimesat(int dirfd, uaddr_t pathname, uaddr_t times)
{
	return timeval_times(dirfd, pathname, times);
}

static uint32_t boot_umask = 022;

long sys_umask(unsigned int mask)
{
	struct process *p = current_process();
	uint32_t *m = p ? &p->umask : &boot_umask;
	uint32_t old = *m;

	*m = mask & 0777;
	return old;
}

long sys_sync(void)
{
	vfs_sync_all();
	blk_sync_all();
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
	else if (need_sync && f->ops && f->ops->fsync)
		r = f->ops->fsync(f);
	file_put(f);
	return r;
}

long sys_syncfs(int fd)
{
	struct file *f = fget(fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (f->inode && f->inode->sb && f->inode->sb->sync)
		r = f->inode->sb->sync(f->inode->sb);
	file_put(f);
	return r;
}

long sys_fsync(int fd)
{
	return fd_nop(fd, true);
}

long sys_fdatasync(int fd)
{
	return fd_nop(fd, true);
}

/*
 * readahead(2) as Linux's ksys_readahead: the file must be open for
 * reading (an O_PATH or write-only fd is EBADF) and regular (else EINVAL);
 * then it is fadvise's WILLNEED (fadvise.c), which reads a disk file's
 * range into the page cache and has nothing to do for memory files.
 */
long sys_readahead(int fd, int64_t offset, size_t count)
{
	struct file *f = fget(fd);
	int acc;
	long r;

	if (!f)
		return -EBADF;
	acc = (int)(f->flags & O_ACCMODE);
	if ((f->flags & O_PATH) || (acc != O_RDONLY && acc != O_RDWR))
		r = -EBADF;
	else if (!f->inode || !S_ISREG(f->inode->mode))
		r = -EINVAL;
	else
		r = file_willneed(f, offset, count > INT64_MAX ? INT64_MAX : (int64_t)count);
	file_put(f);
	return r;
}

/* Every flag sync_file_range knows. */
#define SYNC_FILE_RANGE_ALL	(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)

long sys_sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags)
{
	struct file *f;
	long r = 0;

	if (flags & ~(uint64_t)SYNC_FILE_RANGE_ALL || offset < 0 ||
	    nbytes < 0 || (int64_t)((uint64_t)offset + (uint64_t)nbytes) < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	if (!f->inode || S_ISFIFO(f->inode->mode))
		r = -ESPIPE;
	else if (!S_ISREG(f->inode->mode) && !S_ISDIR(f->inode->mode) && !S_ISBLK(f->inode->mode))
		r = -EINVAL;
	file_put(f);
	return r;	/* nothing is ever waiting to be written back */
}

/* Every mode Linux knows (FALLOC_FL_SUPPORTED_MASK). */
#define FALLOC_FL_ALL	(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_NO_HIDE_STALE | \
			 FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | \
			 FALLOC_FL_UNSHARE_RANGE)

/* vfs_fallocate's checks of the mode, in Linux's order. */
static long fallocate_mode_check(int mode)
{
	if (mode & ~FALLOC_FL_ALL)
		return -EOPNOTSUPP;
	if ((mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) ==
	    (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_COLLAPSE_RANGE) && (mode & ~FALLOC_FL_COLLAPSE_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_INSERT_RANGE) && (mode & ~FALLOC_FL_INSERT_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_UNSHARE_RANGE) &&
	    (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE)))
		return -EINVAL;
	return 0;
}

/*
 * fallocate: Linux's vfs_fallocate checks, then the file system's
 * (ramfs and tmpfs: mode 0 and KEEP_SIZE allocate, ENOSPC past size=;
 * PUNCH_HOLE|KEEP_SIZE frees; other modes EOPNOTSUPP).
 */
long sys_fallocate(int fd, int mode, int64_t offset, int64_t len)
{
	struct file *f;
	struct inode *i;
	long r;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	r = fallocate_mode_check(mode);
	if (r)
		return r;
	f = fget(fd);
	if (!f)
		return -EBADF;
	i = f->inode;
	if ((f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH))
		r = -EBADF;
	else if (!i || S_ISFIFO(i->mode))
		r = -ESPIPE;
	else if (S_ISDIR(i->mode))
		r = -EISDIR;
	else if (!S_ISREG(i->mode))
		r = -ENODEV;
	else if (offset + len < offset)
		r = -EFBIG;
	else if (!i->iops || !i->iops->fallocate)
		r = -EOPNOTSUPP;
	else if (!(mode & FALLOC_FL_KEEP_SIZE) && (uint64_t)(offset + len) > i->size &&
		 (uint64_t)(offset + len) > process_fsize_limit())
		r = process_fsize_exceeded();
	if (!r) {
		mutex_lock(&i->lock);
		r = i->iops->fallocate(i, mode, (uint64_t)offset, (uint64_t)len);
		if (!r)
			inode_touch(i, false, mode & FALLOC_FL_PUNCH_HOLE, true);
		mutex_unlock(&i->lock);
	}
	file_put(f);
	return r;
}

/* utime(path, struct utimbuf { actime, modtime }): utimes with whole seconds. */
long sys_utime(uaddr_t filename, uaddr_t times)
{
	struct timespec64 ts[2];
	int64_t tb[2];

	if (!times)
		return utimes_common(AT_FDCWD, filename, NULL, 0);
	if (copy_from_user(tb, times, sizeof(tb)))
		return -EFAULT;
	ts[0] = (struct timespec64){ tb[0], 0 };
	ts[1] = (struct timespec64){ tb[1], 0 };
	return utimes_common(AT_FDCWD, filename, ts, 0);
}
