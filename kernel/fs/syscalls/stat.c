// SPDX-License-Identifier: MPL-2.0
// stat, statx, statfs: the x86-64 Linux layouts.
#include <aster/frame.h>
#include "fs/syscalls/sys.h"
#include "uapi/stat.h"
#include "uapi/statfs.h"
#include "uapi/fcntl.h"

static int64_t blocks_of(struct inode *i)
{
	if (i->fs_blocks)
		return (int64_t)i->blocks;
	if (!S_ISREG(i->mode) && !S_ISLNK(i->mode) && !S_ISDIR(i->mode))
		return 0;
	return (int64_t)(ALIGN_UP(i->size, PAGE_SIZE) / 512);
}

/*
 * Static so it inlines into its callers: its memset then makes their own
 * zeroing of the struct (the run-time checks' auto-init) dead, and gcc
 * drops it.
 */
static int vfs_stat_fill(struct inode *i, void *kstat)
{
	struct linux_stat *st = kstat;

	memset(st, 0, sizeof(*st));
	mutex_lock(&i->lock);
	st->st_dev = dev_encode(i->sb ? i->sb->dev : 0);
	st->st_ino = i->ino;
	st->st_nlink = i->nlink;
	st->st_mode = i->mode;
	st->st_uid = i->uid;
	st->st_gid = i->gid;
	st->st_rdev = dev_encode(i->rdev);
	st->st_size = (int64_t)i->size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = blocks_of(i);
	st->st_atime = (uint64_t)i->atime.sec;
	st->st_atime_nsec = (uint64_t)i->atime.nsec;
	st->st_mtime = (uint64_t)i->mtime.sec;
	st->st_mtime_nsec = (uint64_t)i->mtime.nsec;
	st->st_ctime = (uint64_t)i->ctime.sec;
	st->st_ctime_nsec = (uint64_t)i->ctime.nsec;
	mutex_unlock(&i->lock);
	return 0;
}

static long stat_to_user(struct inode *i, uaddr_t ua)
{
	struct linux_stat st;

	vfs_stat_fill(i, &st);
	return copy_to_user(ua, &st, sizeof(st)) ? -EFAULT : 0;
}

/* Resolve (dirfd, path, at-flags) to a dentry; "" with AT_EMPTY_PATH is dirfd. */
static int lookup_at(int dirfd, uaddr_t upath, int flags, struct dentry **out)
{
	NOINIT_BYTES(small, PATHNAME_INLINE);
	struct pathname pn;
	int err;

	err = getname_short(upath, &small, &pn);
	if (err)
		return err;
	err = vfs_lookup(dirfd, pn.name,
			 ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			 ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), out);
	putname(&pn);
	return err;
}

/* fstat on any file, including anonymous ones (pipes). */
static long fstat_file(struct file *f, uaddr_t ua)
{
	struct linux_stat st;

	if (f->inode)
		return stat_to_user(f->inode, ua);
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFIFO | 0600;
	st.st_nlink = 1;
	st.st_blksize = PAGE_SIZE;
	st.st_ino = (uint64_t)(uintptr_t)f->priv >> 4;
	st.st_uid = vfs_current_fsuid();
	st.st_gid = vfs_current_fsgid();
	return copy_to_user(ua, &st, sizeof(st)) ? -EFAULT : 0;
}

static long stat_at(int dirfd, uaddr_t upath, uaddr_t ua, int flags)
{
	struct dentry *d;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH) {
		char c;

		if (copy_from_user(&c, upath, 1))
			return -EFAULT;
		if (!c && dirfd != AT_FDCWD) {
			struct fd h = fdget(dirfd);

			if (!h.file)
				return -EBADF;
			err = fstat_file(h.file, ua);
			fdput(h);
			return err;
		}
	}
	err = lookup_at(dirfd, upath, flags, &d);
	if (err)
		return err;
	err = stat_to_user(d->inode, ua);
	dentry_put(d);
	return err;
}

long sys_stat(uaddr_t pathname, uaddr_t statbuf)
{
	return stat_at(AT_FDCWD, pathname, statbuf, 0);
}

long sys_lstat(uaddr_t pathname, uaddr_t statbuf)
{
	return stat_at(AT_FDCWD, pathname, statbuf, AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(int dirfd, uaddr_t pathname, uaddr_t statbuf, unsigned int flags)
{
	return stat_at(dirfd, pathname, statbuf, (int)flags);
}

long sys_fstat(int fd, uaddr_t statbuf)
{
	struct fd h = fdget(fd);
	long err;

	if (!h.file)
		return -EBADF;
	err = fstat_file(h.file, statbuf);
	fdput(h);
	return err;
}

static struct statx_ts ts(uint64_t sec, uint64_t nsec)
{
	return (struct statx_ts){ .sec = (int64_t)sec, .nsec = (uint32_t)nsec };
}

/* What statx reports beyond struct stat: the mount and the file system's extras. */
struct statx_extra {
	struct inode *inode;	/* a reference, or NULL (anonymous files) */
	uint64_t mnt_id;
	bool mount_root;
};

static void statx_from_stat(struct linux_statx *sx, const struct linux_stat *st)
{
	sx->blksize = (uint32_t)st->st_blksize;
	sx->nlink = (uint32_t)st->st_nlink;
	sx->uid = st->st_uid;
	sx->gid = st->st_gid;
	sx->mode = (uint16_t)st->st_mode;
	sx->ino = st->st_ino;
	sx->size = (uint64_t)st->st_size;
	sx->blocks = (uint64_t)st->st_blocks;
	sx->atime = ts(st->st_atime, st->st_atime_nsec);
	sx->mtime = ts(st->st_mtime, st->st_mtime_nsec);
	sx->ctime = ts(st->st_ctime, st->st_ctime_nsec);
	sx->rdev_major = (uint32_t)((st->st_rdev >> 8) & 0xfff);
	sx->rdev_minor = (uint32_t)((st->st_rdev & 0xff) | ((st->st_rdev >> 12) & ~0xffULL));
	sx->dev_major = (uint32_t)((st->st_dev >> 8) & 0xfff);
	sx->dev_minor = (uint32_t)((st->st_dev & 0xff) | ((st->st_dev >> 12) & ~0xffULL));
}

/* The file statx names: fd itself for "" with AT_EMPTY_PATH, else the path. */
static long statx_target(int dirfd, uaddr_t pathname, unsigned int flags,
			 struct linux_stat *st, struct statx_extra *x)
{
	struct dentry *d;
	struct mount *m;
	NOINIT_BYTES(small, PATHNAME_INLINE);
	struct pathname pn;
	struct file *f;
	long err;
	char c;

	if (copy_from_user(&c, pathname, 1))
		return -EFAULT;
	if (!c && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		f = fget(dirfd);
		if (!f)
			return -EBADF;
		if (f->inode) {
			vfs_stat_fill(f->inode, st);
			x->inode = f->inode;
			inode_get(x->inode);
			x->mnt_id = f->mnt ? (uint64_t)f->mnt->id : 0;
			x->mount_root = f->mnt && f->dentry == f->mnt->root;
		} else {
			memset(st, 0, sizeof(*st));
			st->st_mode = S_IFIFO | 0600;
			st->st_nlink = 1;
		}
		file_put(f);
		return 0;
	}
	err = getname_short(pathname, &small, &pn);
	if (err)
		return err;
	err = vfs_lookup_mnt(dirfd, pn.name,
			     ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			     ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), &d, &m);
	putname(&pn);
	if (err)
		return err;
	vfs_stat_fill(d->inode, st);
	x->inode = d->inode;
	inode_get(x->inode);
	x->mnt_id = m ? (uint64_t)m->id : 0;
	x->mount_root = m && d == m->root;
	dentry_put(d);
	mount_put(m);
	return 0;
}

/*
 * statx: Linux 6.1's answers for these file systems: the basic stats and
 * the mount id always; the birth time on tmpfs when asked for; the
 * attributes the VFS knows (mount root; automount and DAX never set).
 * The AT_STATX_* sync modes change nothing for files kept in memory.
 */
long sys_statx(int dirfd, uaddr_t pathname, unsigned int flags, unsigned int mask, uaddr_t statxbuf)
{
	struct statx_extra x = { 0 };
	struct linux_stat st;
	struct linux_statx sx;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	err = statx_target(dirfd, pathname, flags, &st, &x);
	if (err)
		return err;
	memset(&sx, 0, sizeof(sx));
	statx_from_stat(&sx, &st);
	sx.mask = STATX_BASIC_STATS | STATX_MNT_ID;
	sx.mnt_id = x.mnt_id;
	sx.attributes_mask = STATX_ATTR_AUTOMOUNT | STATX_ATTR_MOUNT_ROOT | STATX_ATTR_DAX;
	if (x.mount_root)
		sx.attributes |= STATX_ATTR_MOUNT_ROOT;
	if (x.inode && (mask & STATX_BTIME) && x.inode->sb && x.inode->sb->type == &tmpfs_type) {
		mutex_lock(&x.inode->lock);
		sx.btime = ts((uint64_t)x.inode->btime.sec, (uint64_t)x.inode->btime.nsec);
		mutex_unlock(&x.inode->lock);
		sx.mask |= STATX_BTIME;
	}
	if (x.inode)
		inode_put(x.inode);
	return copy_to_user(statxbuf, &sx, sizeof(sx)) ? -EFAULT : 0;
}

static long statfs_to_user(struct mount *m, struct super_block *sb, uaddr_t ua)
{
	struct linux_statfs s;
	long err;

	if (sb) {
		err = vfs_statfs(m, sb, &s);
		if (err)
			return err;
	} else {
		/* Anonymous files: Linux's pipefs and anon_inodefs look like this. */
		memset(&s, 0, sizeof(s));
		s.f_type = 0x50495045;	/* PIPEFS_MAGIC */
		s.f_bsize = s.f_frsize = PAGE_SIZE;
		s.f_namelen = NAME_MAX;
		s.f_flags = ST_VALID;
	}
	return copy_to_user(ua, &s, sizeof(s)) ? -EFAULT : 0;
}

long sys_statfs(uaddr_t path, uaddr_t buf)
{
	struct dentry *d;
	struct mount *m;
	NOINIT_BYTES(small, PATHNAME_INLINE);
	struct pathname pn;
	long err = getname_short(path, &small, &pn);

	if (err)
		return err;
	err = vfs_lookup_mnt(AT_FDCWD, pn.name, LOOKUP_FOLLOW, &d, &m);
	putname(&pn);
	if (err)
		return err;
	err = statfs_to_user(m, d->sb, buf);
	dentry_put(d);
	mount_put(m);
	return err;
}

long sys_fstatfs(int fd, uaddr_t buf)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = statfs_to_user(f->mnt, f->dentry ? f->dentry->sb : NULL, buf);
	file_put(f);
	return err;
}
