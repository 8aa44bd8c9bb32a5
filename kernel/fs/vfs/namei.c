// SPDX-License-Identifier: MPL-2.0
// Path walk: components, "." and "..", mount crossings, symlinks (at most
// 40 in one walk, nested at most 8 deep: ELOOP), trailing slashes, and
// openat2's RESOLVE_* restrictions (LOOKUP_RESOLVE flags).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/fdtable.h"
#include "fs/vfs.h"

struct walk {
	struct dentry *root;	/* where "/" and ".." stop (borrowed) */
	int links;
	int depth;
	unsigned int resolve;	/* LOOKUP_RESOLVE bits, for every step and link */
};

static int walk(struct walk *w, struct dentry *cur, const char *path, unsigned int flags,
		struct dentry **out, struct nameparent *np);

static int follow_link(struct walk *w, struct dentry **cur, struct dentry *link, bool last_follow,
		       bool must_dir)
{
	char *target;
	int n, err;

	if (w->resolve & LOOKUP_NO_SYMLINKS)
		return -ELOOP;
	if (link->inode->magic_link) {
		if (w->resolve & LOOKUP_NO_MAGICLINKS)
			return -ELOOP;
		/* Linux: magic links are not safe for scoped lookups. */
		if (w->resolve & LOOKUP_SCOPED)
			return -EXDEV;
	}
	if (++w->links > MAX_SYMLINKS || w->depth >= MAX_NESTED_LINKS)
		return -ELOOP;
	target = kmalloc(PATH_MAX + 1);
	if (!target)
		return -ENOMEM;
	n = vfs_readlink(link, target, PATH_MAX);
	if (n < 0) {
		kfree(target);
		return n;
	}
	target[n] = 0;
	if (n == 0) {
		kfree(target);
		return -ENOENT;
	}
	w->depth++;
	err = walk(w, *cur, target,
		   (last_follow ? LOOKUP_FOLLOW : 0) | (must_dir ? LOOKUP_DIRECTORY : 0), cur, NULL);
	w->depth--;
	kfree(target);
	return err;
}

/* Is d root or below it, counting mountpoints as parents of mounted roots? */
static bool is_beneath(struct dentry *d, struct dentry *root)
{
	bool under = false;

	mutex_lock(&vfs_ns_lock);
	while (d) {
		if (d == root) {
			under = true;
			break;
		}
		if (d->parent)
			d = d->parent;
		else
			d = d->sb->mnt ? d->sb->mnt->mountpoint : NULL;
	}
	mutex_unlock(&vfs_ns_lock);
	return under;
}

/*
 * Move *cur (a reference) to its parent; stays put at the walk's root
 * (RESOLVE_BENEATH: EXDEV there).  RESOLVE_NO_XDEV refuses to leave a
 * mount; a scoped walk that ends up outside its root (a directory moved
 * under it) fails with EXDEV, as on Linux.
 */
static int step_dotdot(struct walk *w, struct dentry **cur)
{
	struct dentry *p;

	if (*cur == w->root)
		return (w->resolve & LOOKUP_BENEATH) ? -EXDEV : 0;
	mutex_lock(&vfs_ns_lock);
	p = dentry_ns_parent(*cur);
	if (p) {
		dentry_get(p);
		p = dentry_follow_mounts(p);
	}
	mutex_unlock(&vfs_ns_lock);
	if (!p)
		return 0;
	if ((w->resolve & LOOKUP_NO_XDEV) && p->sb != (*cur)->sb) {
		dentry_put(p);
		return -EXDEV;
	}
	dentry_put(*cur);
	*cur = p;
	if ((w->resolve & LOOKUP_SCOPED) && !is_beneath(p, w->root))
		return -EXDEV;
	return 0;
}

/* A child of dir (ns lock held); RESOLVE_CACHED: from the dentry cache only. */
static int lookup_child(struct walk *w, struct dentry *dir, const char *name, size_t len,
			struct dentry **out)
{
	struct inode *di = dir->inode;

	if (!(w->resolve & LOOKUP_CACHED))
		return dentry_lookup(dir, name, len, out);
	*out = dentry_find_child(dir, name, len);
	if (*out)
		return 0;
	/* Dynamic directories (procfs) would have to ask the fs. */
	return di->iops && di->iops->lookup ? -EAGAIN : -ENOENT;
}

/* Onto whatever is mounted on child (ns lock held); RESOLVE_NO_XDEV: EXDEV. */
static int cross_mounts(struct walk *w, struct dentry **child)
{
	if ((*child)->mounted && (w->resolve & LOOKUP_NO_XDEV)) {
		dentry_put(*child);
		*child = NULL;
		return -EXDEV;
	}
	*child = dentry_follow_mounts(*child);
	return 0;
}

/*
 * One component: *cur is a directory reference, replaced by the result.
 * On error *cur is still valid (the caller puts it).
 */
static int step(struct walk *w, struct dentry **cur, const char *name, size_t len, bool follow,
		bool must_dir)
{
	struct dentry *child;
	int err;

	if (!S_ISDIR((*cur)->inode->mode))
		return -ENOTDIR;
	err = inode_permission((*cur)->inode, MAY_EXEC);
	if (err)
		return err;
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return step_dotdot(w, cur);
	err = dentry_lookup_fast(*cur, name, len, &child);
	if (err == -EAGAIN) {
		/* Not simply cached, or a mount on it: the full lookup. */
		mutex_lock(&vfs_ns_lock);
		err = lookup_child(w, *cur, name, len, &child);
		if (!err)
			err = cross_mounts(w, &child);
		mutex_unlock(&vfs_ns_lock);
	}
	if (err)
		return err;
	if (S_ISLNK(child->inode->mode) && follow) {
		struct dentry *dir = *cur;

		/* The target resolves relative to the link's directory. */
		dentry_get(dir);
		err = follow_link(w, &dir, child, true, must_dir);
		dentry_put(child);
		if (err)
			return err;
		dentry_put(*cur);
		*cur = dir;
		return 0;
	}
	dentry_put(*cur);
	*cur = child;
	return 0;
}

/* Consumes cur; on success *out is a reference. */
static int walk(struct walk *w, struct dentry *cur, const char *path, unsigned int flags,
		struct dentry **out, struct nameparent *np)
{
	size_t i = 0;
	bool trailing = false;
	int err = 0;

	if (path[0] == '/') {
		/*
		 * RESOLVE_BENEATH refuses absolute paths and links; NO_XDEV
		 * refuses an absolute link that would leave the mount (the
		 * path argument itself may start anywhere, as on Linux).
		 */
		if ((w->resolve & LOOKUP_BENEATH) ||
		    ((w->resolve & LOOKUP_NO_XDEV) && w->depth > 0 && cur->sb != w->root->sb)) {
			dentry_put(cur);
			return -EXDEV;
		}
		dentry_put(cur);
		cur = w->root;
		dentry_get(cur);
	}
	for (;;) {
		size_t s, len;
		bool last;

		while (path[i] == '/')
			i++;
		if (!path[i])
			break;
		s = i;
		while (path[i] && path[i] != '/')
			i++;
		len = i - s;
		if (len > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		trailing = path[i] == '/';
		while (path[i] == '/')
			i++;
		last = !path[i];
		if (last && np) {
			if (!S_ISDIR(cur->inode->mode)) {
				err = -ENOTDIR;
				break;
			}
			memcpy(np->last, path + s, len);
			np->last[len] = 0;
			np->trailing_slash = trailing;
			np->dots = (len == 1 && path[s] == '.') ? 1 :
				   (len == 2 && path[s] == '.' && path[s + 1] == '.') ? 2 : 0;
			*out = cur;
			return 0;
		}
		err = step(w, &cur, path + s, len, !last || (flags & LOOKUP_FOLLOW) || trailing,
			   !last || trailing || (flags & LOOKUP_DIRECTORY));
		if (err)
			break;
	}
	if (!err && np) {
		/* No last component ("/", "."-free "a/.." handled above): the dir itself. */
		np->last[0] = 0;
		np->dots = 3;
		np->trailing_slash = true;
		*out = cur;
		return 0;
	}
	if (!err && (trailing || (flags & LOOKUP_DIRECTORY)) && !S_ISDIR(cur->inode->mode))
		err = -ENOTDIR;
	if (err) {
		dentry_put(cur);
		return err;
	}
	*out = cur;
	return 0;
}

/*
 * Set up a walk from start (a reference, consumed): its root is the
 * caller's root, or start itself for RESOLVE_BENEATH and RESOLVE_IN_ROOT.
 */
static int walk_from(struct dentry *start, const char *path, unsigned int flags,
		     struct dentry **out, struct nameparent *np)
{
	struct fs_context *c = vfs_current_fs();
	struct walk w = { .resolve = flags & LOOKUP_RESOLVE };
	int err;

	if (!c) {
		dentry_put(start);
		return -ENOENT;
	}
	/* The walk consumes start; keep the root alive until it is done. */
	if (flags & LOOKUP_SCOPED) {
		w.root = start;
		dentry_get(start);
	} else {
		w.root = fs_context_get_root(c);
	}
	err = walk(&w, start, path, flags, out, np);
	dentry_put(w.root);
	fs_context_put(c);
	return err;
}

int vfs_lookup_at(struct dentry *start, const char *path, unsigned int flags,
		  struct dentry **out)
{
	dentry_get(start);
	return walk_from(start, path, flags, out, NULL);
}

int vfs_start_dir(int dirfd, struct dentry **out)
{
	struct fd h;

	if (dirfd == AT_FDCWD) {
		struct fs_context *c = vfs_current_fs();

		if (!c)
			return -ENOENT;
		*out = fs_context_get_cwd(c);
		fs_context_put(c);
		return 0;
	}
	h = fdget(dirfd);
	if (!h.file)
		return -EBADF;
	if (!h.file->dentry) {
		fdput(h);
		return -ENOTDIR;
	}
	*out = h.file->dentry;
	dentry_get(*out);
	fdput(h);
	return 0;
}

/*
 * The directory a walk of path starts from: dirfd's, or the cwd for an
 * absolute path (which then jumps to the root), except under
 * RESOLVE_IN_ROOT, where dirfd is the root even for "/...".
 */
static int walk_start(int dirfd, const char *path, unsigned int flags, struct dentry **out)
{
	bool from_dirfd = path[0] != '/' || (flags & LOOKUP_IN_ROOT);
	int err = vfs_start_dir(from_dirfd ? dirfd : AT_FDCWD, out);

	if (err)
		return err;
	if (from_dirfd && !S_ISDIR((*out)->inode->mode)) {
		dentry_put(*out);
		return -ENOTDIR;
	}
	return 0;
}

int vfs_lookup(int dirfd, const char *path, unsigned int flags, struct dentry **out)
{
	struct dentry *start;
	int err;

	if (!path[0]) {
		if (!(flags & LOOKUP_EMPTY))
			return -ENOENT;
		return vfs_start_dir(dirfd, out);
	}
	err = walk_start(dirfd, path, flags, &start);
	if (err)
		return err;
	return walk_from(start, path, flags, out, NULL);
}

int vfs_lookup_parent_flags(int dirfd, const char *path, unsigned int flags,
			    struct nameparent *np)
{
	struct dentry *start;
	int err;

	np->dir = NULL;
	if (!path[0])
		return -ENOENT;
	flags &= LOOKUP_RESOLVE;
	err = walk_start(dirfd, path, flags, &start);
	if (err)
		return err;
	err = walk_from(start, path, flags, &np->dir, np);
	if (err)
		np->dir = NULL;
	return err;
}

int vfs_lookup_parent(int dirfd, const char *path, struct nameparent *np)
{
	return vfs_lookup_parent_flags(dirfd, path, 0, np);
}

void nameparent_release(struct nameparent *np)
{
	if (np->dir)
		dentry_put(np->dir);
	np->dir = NULL;
}

int vfs_readlink(struct dentry *d, char *buf, size_t size)
{
	struct inode *i = d->inode;
	int n;

	if (!S_ISLNK(i->mode))
		return -EINVAL;
	if (!i->iops || !i->iops->readlink)
		return -EINVAL;
	/*
	 * procfs links are made from live objects and resolve paths under
	 * the namespace lock, which is taken before inode locks: not under
	 * the link's own inode lock (nothing of the inode is read).
	 */
	if (i->sb->type && i->sb->type->dynamic)
		return i->iops->readlink(i, buf, size);
	mutex_lock(&i->lock);
	n = i->iops->readlink(i, buf, size);
	mutex_unlock(&i->lock);
	return n;
}
