// SPDX-License-Identifier: MPL-2.0
// Namespace operations: create, mkdir, symlink, link, unlink, rmdir, rename.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "security/landlock/landlock.h"
#include "fs/vfs.h"
#include "process/process.h"
#include "uapi/fs.h"
#include "uapi/inotify.h"
#include "process/capability.h"

/* May the caller add or remove entries of dir? */
static int dir_may_modify(struct dentry *dir)
{
	if (dir->sb->type && dir->sb->type->dynamic)
		return -EACCES;
	if (dir->sb->type && dir->sb->type->fixed_names)
		return -EPERM;
	if (!dir->inode->iops || (!dir->inode->iops->create && !dir->inode->iops->create_named))
		return -EPERM;
	if (dir->inode->nlink == 0)
		return -ENOENT;
	return inode_permission(dir->inode, MAY_WRITE | MAY_EXEC);
}

/* The sticky bit: only the owner of the file or directory (or CAP_FOWNER) may remove it. */
static int sticky_check(struct dentry *dir, struct dentry *victim)
{
	return vfs_sticky_check(dir->inode, victim->inode);
}

/* The file system makes the entry itself (inode_fs_names): mode's owner as Linux's. */
static int create_named(struct inode *di, const char *name, uint32_t mode, uint32_t rdev,
			const char *target, struct inode **out)
{
	uint32_t gid = vfs_current_fsgid();

	if (di->mode & S_ISGID) {
		gid = di->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	}
	if (target)
		return di->iops->symlink ? di->iops->symlink(di, name, target, vfs_current_fsuid(),
							     gid, out) : -EPERM;
	return di->iops->create_named(di, name, mode, rdev, vfs_current_fsuid(), gid, out);
}

/*
 * Linux's mode_strip_sgid: a group-executable set-group-ID file created in
 * a set-group-ID directory of a group the caller is not in keeps the bit
 * only with CAP_FSETID.
 */
static uint32_t strip_sgid(const struct inode *di, uint32_t mode)
{
	if ((mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) || S_ISDIR(mode) || !(di->mode & S_ISGID))
		return mode;
	if (vfs_in_group(di->gid) || capable(CAP_FSETID))
		return mode;
	return mode & ~(uint32_t)S_ISGID;
}

/* Create name in dir: a symlink to target when target is not NULL (ns lock held). */
static int create_child(struct dentry *dir, const char *name, uint32_t mode, uint32_t rdev,
			const char *target, struct dentry **out)
{
	struct inode *di = dir->inode, *i;
	struct dentry *d;
	bool fs_names = inode_fs_names(di);
	int err;

	mode = strip_sgid(di, mode);
	if (fs_names)
		err = create_named(di, name, mode, rdev, target, &i);
	else if (S_ISDIR(mode) && di->iops->mkdir)
		err = di->iops->mkdir(di, name, mode, &i);
	else
		err = di->iops->create(di, mode, rdev, &i);
	if (err)
		return err;
	if (!fs_names && (di->mode & S_ISGID)) {
		i->gid = di->gid;
		if (S_ISDIR(mode))
			i->mode |= S_ISGID;
	}
	if (!fs_names && target) {
		err = ramfs_set_data(i, target, strlen(target));
		if (err) {
			inode_put(i);
			return err;
		}
	}
	/* A directory made here starts empty: all its names will be cached. */
	if (fs_names && S_ISDIR(mode))
		i->names_cached = true;
	err = dentry_new(dir, name, strlen(name), i, &d);
	inode_put(i);
	if (err) {
		di->names_cached = false;	/* the file system has a name the cache lacks */
		return err;
	}
	dentry_attach(d);
	if (!fs_names) {
		if (S_ISDIR(mode))
			di->nlink++;
		inode_touch(di, false, true, true);
	}
	fsnotify(di, IN_CREATE | (S_ISDIR(mode) ? IN_ISDIR : 0), name, 0);
	if (out)
		*out = d;
	else
		dentry_put(d);
	return 0;
}

int vfs_create_child(struct dentry *dir, const char *name, uint32_t mode, uint32_t rdev,
		     struct dentry **out)
{
	return create_child(dir, name, mode, rdev, NULL, out);
}

/* Create the last component of path with mode: the common part of mknod/mkdir/symlink. */
static int create_at(int dirfd, const char *path, uint32_t mode, uint32_t rdev,
		     const char *target, struct dentry **out)
{
	struct nameparent np;
	struct dentry *old;
	int err = vfs_lookup_parent(dirfd, path, &np);

	if (err)
		return err;
	if (np.dots) {
		nameparent_release(&np);
		return -EEXIST;
	}
	mutex_lock(&vfs_ns_lock);
	err = dentry_lookup(np.dir, np.last, strlen(np.last), &old);
	if (!err) {
		dentry_put(old);
		err = -EEXIST;
	} else if (err == -ENOENT) {
		err = mount_want_write(np.mnt);
		if (!err)
			err = landlock_path_mknod(np.mnt, np.dir, mode);
		if (!err)
			err = dir_may_modify(np.dir);
		/* Linux: a directory without a create method refuses regular files with EACCES. */
		if (err == -EPERM && S_ISREG(mode) && !target)
			err = -EACCES;
		if (!err && np.trailing_slash && !S_ISDIR(mode))
			err = -ENOENT;
		if (!err)
			err = create_child(np.dir, np.last, mode, rdev, target, out);
	}
	mutex_unlock(&vfs_ns_lock);
	nameparent_release(&np);
	return err;
}

int vfs_mknod(int dirfd, const char *path, uint32_t mode, uint32_t rdev, struct dentry **out)
{
	uint32_t type = mode & S_IFMT;

	if (type == 0)
		type = S_IFREG;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	if ((type == S_IFCHR || type == S_IFBLK) && !capable(CAP_MKNOD))
		return -EPERM;
	mode = type | (mode & 07777 & ~vfs_current_umask());
	return create_at(dirfd, path, mode, rdev, NULL, out);
}

int vfs_mkdir(int dirfd, const char *path, uint32_t mode)
{
	return create_at(dirfd, path, S_IFDIR | (mode & 07777 & ~vfs_current_umask()), 0, NULL,
			 NULL);
}

int vfs_symlink(const char *target, int dirfd, const char *path)
{
	if (!target[0])
		return -ENOENT;
	return create_at(dirfd, path, S_IFLNK | 0777, 0, target, NULL);
}

int vfs_link(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	struct nameparent np;
	struct dentry *src, *old, *d;
	struct mount *sm;
	unsigned int lf = (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0;
	bool fs_names = false;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = vfs_lookup_mnt(olddirfd, oldpath, lf, &src, &sm);
	if (err)
		return err;
	if (S_ISDIR(src->inode->mode)) {
		dentry_put(src);
		mount_put(sm);
		return -EPERM;
	}
	err = vfs_lookup_parent(newdirfd, newpath, &np);
	if (err) {
		dentry_put(src);
		mount_put(sm);
		return err;
	}
	mutex_lock(&vfs_ns_lock);
	if (np.dots)
		err = -EEXIST;
	else if (dentry_lookup(np.dir, np.last, strlen(np.last), &old) == 0) {
		dentry_put(old);
		err = -EEXIST;
	} else {
		err = mount_want_write(np.mnt);
		/* Across mounts (even two of one file system): EXDEV, as Linux. */
		if (!err)
			err = (np.mnt != sm) ? -EXDEV :
			      landlock_path_refer(np.mnt, src, np.dir, NULL, false, false);
		if (!err)
			err = dir_may_modify(np.dir);
	}
	if (!err && src->inode->nlink == 0 && !src->inode->linkable)
		err = -ENOENT;
	fs_names = !err && inode_fs_names(np.dir->inode);
	if (fs_names)
		err = np.dir->inode->iops->link_named ?
		      np.dir->inode->iops->link_named(np.dir->inode, np.last, src->inode) : -EPERM;
	else if (!err && src->inode->iops && src->inode->iops->link)
		err = src->inode->iops->link(np.dir->inode, src->inode);
	if (!err) {
		err = dentry_new(np.dir, np.last, strlen(np.last), src->inode, &d);
		if (err)
			np.dir->inode->names_cached = false;	/* linked, not cached */
	}
	if (!err) {
		dentry_attach(d);
		dentry_put(d);
		src->inode->linkable = false;
		if (!fs_names) {
			src->inode->nlink++;
			inode_touch(src->inode, false, false, true);
			inode_touch(np.dir->inode, false, true, true);
		}
		fsnotify(src->inode, IN_ATTRIB, NULL, 0);
		fsnotify(np.dir->inode, IN_CREATE, np.last, 0);
	}
	mutex_unlock(&vfs_ns_lock);
	nameparent_release(&np);
	dentry_put(src);
	mount_put(sm);
	return err;
}

/* Look up the victim of unlink/rmdir/rename (ns lock held): a cached child. */
static int find_victim(struct nameparent *np, struct dentry **out)
{
	*out = dentry_find_child(np->dir, np->last, strlen(np->last));
	if (*out)
		return 0;
	/* A disk file system's name the cache has not seen yet. */
	if (inode_fs_names(np->dir->inode))
		return dentry_lookup(np->dir, np->last, strlen(np->last), out);
	if (np->dir->sb->type && np->dir->sb->type->dynamic) {
		int err = dentry_lookup(np->dir, np->last, strlen(np->last), out);

		if (!err) {
			dentry_put(*out);
			return -EACCES;
		}
	}
	return -ENOENT;
}

/* The file system removes the name (inode_fs_names): 0 or -errno. */
static int unlink_named(struct dentry *dir, struct dentry *victim)
{
	const struct inode_ops *ops = dir->inode->iops;
	struct inode *i = victim->inode;

	if (S_ISDIR(i->mode))
		return ops->rmdir_named ? ops->rmdir_named(dir->inode, victim->name, i) : -EPERM;
	return ops->unlink_named ? ops->unlink_named(dir->inode, victim->name, i) : -EPERM;
}

/*
 * Drop victim's name from dir.  fs_done: the file system has already
 * removed it (a rename's replaced target) and keeps its counts.
 */
static int drop_entry(struct dentry *dir, struct dentry *victim, bool fs_done)
{
	struct inode *i = victim->inode;

	if (inode_fs_names(dir->inode)) {
		int err = fs_done ? 0 : unlink_named(dir, victim);

		if (err)
			return err;
	} else {
		if (i->iops && i->iops->unlink)
			i->iops->unlink(dir->inode, i);
		if (S_ISDIR(i->mode)) {
			i->nlink = 0;
			dir->inode->nlink--;
		} else if (i->nlink) {
			i->nlink--;
		}
		inode_touch(i, false, false, true);
		inode_touch(dir->inode, false, true, true);
	}
	/* Linux's order: the link count (files), the file gone, then the directory. */
	if (!S_ISDIR(i->mode))
		fsnotify(i, IN_ATTRIB, NULL, 0);
	if (i->nlink == 0)
		fsnotify_gone(i);
	fsnotify(dir->inode, IN_DELETE | (S_ISDIR(i->mode) ? IN_ISDIR : 0), victim->name, 0);
	dentry_detach(victim);
	return 0;
}

/*
 * May directory v leave dir (ns lock held)?  An empty one may; a kernel
 * object's directory (iops->rmdir) asks its file system, and the files
 * that file system keeps in it leave the cache with it.
 */
static int rmdir_check(struct dentry *dir, struct dentry *v)
{
	const struct inode_ops *ops = v->inode->iops;
	int err;

	if (!ops || !ops->rmdir)
		return list_empty(&v->children) ? 0 : -ENOTEMPTY;
	err = ops->rmdir(dir->inode, v->name, v->inode);
	while (!err && !list_empty(&v->children))
		dentry_detach(container_of(v->children.next, struct dentry, sibling));
	return err;
}

static int remove_at(int dirfd, const char *path, bool dir)
{
	struct nameparent np;
	struct dentry *v;
	int err = vfs_lookup_parent(dirfd, path, &np);

	if (err)
		return err;
	if (np.dots) {
		nameparent_release(&np);
		if (!dir)
			return np.dots == 3 ? -EISDIR : -EISDIR;
		return np.dots == 1 ? -EINVAL : np.dots == 2 ? -ENOTEMPTY : -EBUSY;
	}
	err = mount_want_write(np.mnt);
	if (err) {
		nameparent_release(&np);
		return err;
	}
	mutex_lock(&vfs_ns_lock);
	err = find_victim(&np, &v);
	if (!err) {
		err = landlock_path_remove(np.mnt, np.dir, dir);
		if (!err)
			err = dir_may_modify(np.dir);
		if (!err)
			err = sticky_check(np.dir, v);
		if (!err && dir && !S_ISDIR(v->inode->mode))
			err = -ENOTDIR;
		if (!err && !dir && S_ISDIR(v->inode->mode))
			err = -EISDIR;
		if (!err && !dir && np.trailing_slash)
			err = -ENOTDIR;
		if (!err && v->mounted)
			err = -EBUSY;
		if (!err && dir)
			err = rmdir_check(np.dir, v);
		if (!err)
			err = drop_entry(np.dir, v, false);
		dentry_put(v);
	}
	mutex_unlock(&vfs_ns_lock);
	nameparent_release(&np);
	return err;
}

int vfs_unlink(int dirfd, const char *path)
{
	return remove_at(dirfd, path, false);
}

int vfs_rmdir(int dirfd, const char *path)
{
	return remove_at(dirfd, path, true);
}

static bool is_ancestor(struct dentry *a, struct dentry *d)
{
	for (; d; d = d->parent)
		if (d == a)
			return true;
	return false;
}

/* Move d under newdir as name (ns lock held). */
static int move_entry(struct dentry *d, struct dentry *newdir, const char *name)
{
	char *nn = kmalloc(strlen(name) + 1);
	struct dentry *olddir = d->parent;

	if (!nn)
		return -ENOMEM;
	memcpy(nn, name, strlen(name) + 1);
	dentry_get(d);
	dentry_detach(d);
	dentry_set_name(d, nn);
	dentry_get(newdir);
	d->parent = newdir;
	dentry_attach(d);
	/* A file system keeping its own directories counted the links itself. */
	if (!inode_fs_names(newdir->inode)) {
		if (S_ISDIR(d->inode->mode)) {
			olddir->inode->nlink--;
			newdir->inode->nlink++;
		}
		inode_touch(olddir->inode, false, true, true);
		inode_touch(newdir->inode, false, true, true);
		inode_touch(d->inode, false, false, true);
	}
	dentry_put(olddir);
	dentry_put(d);
	return 0;
}

static int rename_checks(struct nameparent *op, struct nameparent *nps, struct dentry *src,
			 struct dentry *dst, unsigned int flags)
{
	int err;

	err = dir_may_modify(op->dir);
	if (!err)
		err = dir_may_modify(nps->dir);
	if (!err)
		err = sticky_check(op->dir, src);
	if (err)
		return err;
	/* Kernel-object directories (cgroup2) name their objects: renaming is not built. */
	if (op->dir->inode->iops->mkdir || nps->dir->inode->iops->mkdir)
		return -EPERM;
	if (src->mounted || (dst && dst->mounted))
		return -EBUSY;
	if (!S_ISDIR(src->inode->mode) && (op->trailing_slash || nps->trailing_slash))
		return -ENOTDIR;
	if (S_ISDIR(src->inode->mode) && is_ancestor(src, nps->dir))
		return -EINVAL;
	if (!dst)
		return (flags & RENAME_EXCHANGE) ? -ENOENT : 0;
	if (flags & RENAME_NOREPLACE)
		return -EEXIST;
	if (dst->inode == src->inode)
		return 0;
	err = sticky_check(nps->dir, dst);
	if (err)
		return err;
	if (flags & RENAME_EXCHANGE)
		return is_ancestor(dst, op->dir) ? -EINVAL : 0;
	if (S_ISDIR(src->inode->mode) && !S_ISDIR(dst->inode->mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->inode->mode) && S_ISDIR(dst->inode->mode))
		return -EISDIR;
	if (S_ISDIR(dst->inode->mode) && !list_empty(&dst->children))
		return -ENOTEMPTY;
	return 0;
}

/* inotify: IN_MOVED_FROM and IN_MOVED_TO with one cookie, IN_MOVE_SELF on the file. */
static void notify_move(struct nameparent *from, struct nameparent *to, struct inode *i,
			const char *name)
{
	uint32_t isdir = S_ISDIR(i->mode) ? IN_ISDIR : 0;
	uint32_t cookie;

	if (!from->dir->inode->nwatches && !to->dir->inode->nwatches && !i->nwatches)
		return;
	cookie = fsnotify_cookie();
	fsnotify(from->dir->inode, IN_MOVED_FROM | isdir, from->last, cookie);
	fsnotify(to->dir->inode, IN_MOVED_TO | isdir, name, cookie);
	fsnotify(i, IN_MOVE_SELF, NULL, 0);
}

static int do_rename(struct nameparent *op, struct nameparent *nps, unsigned int flags)
{
	struct dentry *src, *dst = NULL;
	char tmp[NAME_MAX + 1];
	int err = find_victim(op, &src);

	if (err)
		return err;
	if (find_victim(nps, &dst))
		dst = NULL;
	err = landlock_path_refer(op->mnt, src, nps->dir, dst, true, flags & RENAME_EXCHANGE);
	if (!err)
		err = rename_checks(op, nps, src, dst, flags);
	if (!err && dst && dst->inode == src->inode)
		goto out;
	/* Linux's ext2 knows no exchange either. */
	if (!err && (flags & RENAME_EXCHANGE) && inode_fs_names(op->dir->inode))
		err = -EINVAL;
	if (!err && dst && (flags & RENAME_EXCHANGE)) {
		strlcpy(tmp, src->name, sizeof(tmp));
		err = move_entry(src, nps->dir, nps->last);
		if (!err)
			err = move_entry(dst, op->dir, tmp);
		if (!err) {
			notify_move(op, nps, src->inode, nps->last);
			notify_move(nps, op, dst->inode, op->last);
		}
		goto out;
	}
	if (!err && inode_fs_names(op->dir->inode))
		err = op->dir->inode->iops->rename_named ?
		      op->dir->inode->iops->rename_named(op->dir->inode, op->last, nps->dir->inode,
							 nps->last, src->inode,
							 dst ? dst->inode : NULL) : -EPERM;
	if (!err && dst)
		err = drop_entry(nps->dir, dst, true);
	if (!err)
		err = move_entry(src, nps->dir, nps->last);
	if (err) {
		/* The file system may have renamed what the cache did not follow. */
		op->dir->inode->names_cached = false;
		nps->dir->inode->names_cached = false;
	}
	if (!err)
		notify_move(op, nps, src->inode, nps->last);
out:
	dentry_put(src);
	if (dst)
		dentry_put(dst);
	return err;
}

int vfs_rename(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	       unsigned int flags)
{
	struct nameparent *op, *nps;
	int err;

	if (flags & ~(unsigned int)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;
	op = kmalloc(sizeof(*op));
	nps = kmalloc(sizeof(*nps));
	if (!op || !nps) {
		kfree(op);
		kfree(nps);
		return -ENOMEM;
	}
	err = vfs_lookup_parent(olddirfd, oldpath, op);
	if (!err) {
		err = vfs_lookup_parent(newdirfd, newpath, nps);
		if (err)
			nameparent_release(op);
	}
	if (err)
		goto out;
	if (op->mnt != nps->mnt)
		err = -EXDEV;
	else if (op->dots || nps->dots)
		err = -EBUSY;
	else
		err = mount_want_write(op->mnt);
	if (!err) {
		mutex_lock(&vfs_ns_lock);
		err = do_rename(op, nps, flags);
		mutex_unlock(&vfs_ns_lock);
	}
	nameparent_release(op);
	nameparent_release(nps);
out:
	kfree(op);
	kfree(nps);
	return err;
}

int vfs_truncate_inode(struct inode *i, uint64_t size)
{
	int err;

	if (S_ISDIR(i->mode))
		return -EISDIR;
	if (!S_ISREG(i->mode))
		return -EINVAL;
	if (!i->iops || !i->iops->setsize)
		return -EPERM;
	if ((int64_t)size < 0)
		return -EINVAL;
	/* RLIMIT_FSIZE binds growing a file, not shrinking it. */
	if (size > i->size && size > process_fsize_limit())
		return process_fsize_exceeded();
	mutex_lock(&i->lock);
	err = i->iops->setsize(i, size);
	if (!err)
		inode_touch(i, false, true, true);
	mutex_unlock(&i->lock);
	if (!err)
		fsnotify(i, IN_MODIFY, NULL, 0);
	return err;
}
