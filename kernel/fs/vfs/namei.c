// SPDX-License-Identifier: MPL-2.0
// Path walk: components, "." and "..", mount crossings, symlinks (at most
// 40 in one walk, nested at most 8 deep: ELOOP), trailing slashes, and
// openat2's RESOLVE_* restrictions (LOOKUP_RESOLVE flags).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "uapi/mount.h"

struct walk {
	struct dentry *root;	/* where "/" and ".." stop (borrowed) */
	struct mount *root_mnt;	/* its mount (borrowed) */
	struct mount *mnt;	/* the mount of the current dentry (a reference) */
	int links;
	int depth;
	unsigned int resolve;	/* LOOKUP_RESOLVE bits, for every step and link */
};

static int walk(struct walk *w, struct dentry *cur, const char *path, unsigned int flags,
		struct dentry **out, struct nameparent *np);

/*
 * A magic link's own target (Linux's nd_jump_link): the walk goes on from
 * that mount and dentry.  1: the link has none, walk its text instead.
 */
static int jump_link(struct walk *w, struct dentry **cur, struct dentry *link, bool must_dir)
{
	struct mount *m;
	struct dentry *d;
	int err = link->inode->iops->get_link(link->inode, &m, &d);

	if (err)
		return err;
	if (must_dir && !S_ISDIR(d->inode->mode)) {
		dentry_put(d);
		mount_put(m);
		return -ENOTDIR;
	}
	dentry_put(*cur);
	*cur = d;
	mount_put(w->mnt);
	w->mnt = m;
	return 0;
}

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
	if (link->inode->magic_link && link->inode->iops && link->inode->iops->get_link) {
		err = jump_link(w, cur, link, must_dir);
		if (err != 1)
			return err;
	}
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

/* Is (m, d) root or below it, counting mountpoints as parents of mounted roots? */
static bool is_beneath(struct mount *m, struct dentry *d, struct dentry *root)
{
	bool under = false;

	mutex_lock(&vfs_ns_lock);
	while (d) {
		if (d == root) {
			under = true;
			break;
		}
		d = mount_ns_parent(&m, d);
	}
	mutex_unlock(&vfs_ns_lock);
	return under;
}

/* Make m the walk's current mount (taking a reference). */
static void walk_set_mnt(struct walk *w, struct mount *m)
{
	mount_get(m);
	mount_put(w->mnt);
	w->mnt = m;
}

/*
 * Move *cur (a reference) to its parent; stays put at the walk's root
 * (RESOLVE_BENEATH: EXDEV there).  RESOLVE_NO_XDEV refuses to leave a
 * mount; a scoped walk that ends up outside its root (a directory moved
 * under it) fails with EXDEV, as on Linux.
 */
static int step_dotdot(struct walk *w, struct dentry **cur)
{
	struct mount *m = w->mnt;
	struct dentry *p;

	if (*cur == w->root && w->mnt == w->root_mnt)
		return (w->resolve & LOOKUP_BENEATH) ? -EXDEV : 0;
	mutex_lock(&vfs_ns_lock);
	p = mount_ns_parent(&m, *cur);
	if (p) {
		dentry_get(p);
		mount_get(m);
		mount_follow(&m, &p);
	}
	mutex_unlock(&vfs_ns_lock);
	if (!p)
		return 0;
	if ((w->resolve & LOOKUP_NO_XDEV) && m != w->mnt) {
		dentry_put(p);
		mount_put(m);
		return -EXDEV;
	}
	dentry_put(*cur);
	*cur = p;
	mount_put(w->mnt);
	w->mnt = m;
	if ((w->resolve & LOOKUP_SCOPED) && !is_beneath(w->mnt, p, w->root))
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
	if ((*child)->mounted && mount_lookup(w->mnt, *child) && (w->resolve & LOOKUP_NO_XDEV)) {
		dentry_put(*child);
		*child = NULL;
		return -EXDEV;
	}
	mount_follow(&w->mnt, child);
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
	struct mount *dir_mnt;
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
	dir_mnt = w->mnt;
	mount_get(dir_mnt);
	err = dentry_lookup_fast(*cur, name, len, &child);
	if (err == -EAGAIN) {
		/* Not simply cached, or a mount on it: the full lookup. */
		mutex_lock(&vfs_ns_lock);
		err = lookup_child(w, *cur, name, len, &child);
		if (!err)
			err = cross_mounts(w, &child);
		mutex_unlock(&vfs_ns_lock);
	}
	if (err) {
		mount_put(dir_mnt);
		return err;
	}
	if (S_ISLNK(child->inode->mode) && follow) {
		struct dentry *dir = *cur;

		/* A nosymfollow mount's links are read, never followed (readlink works). */
		if (dir_mnt && (dir_mnt->flags & MS_NOSYMFOLLOW)) {
			dentry_put(child);
			mount_put(dir_mnt);
			return -ELOOP;
		}
		/* The target resolves relative to the link's directory (and its mount). */
		mount_put(w->mnt);
		w->mnt = dir_mnt;
		dentry_get(dir);
		err = follow_link(w, &dir, child, true, must_dir);
		dentry_put(child);
		if (err)
			return err;
		dentry_put(*cur);
		*cur = dir;
		return 0;
	}
	mount_put(dir_mnt);
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
		    ((w->resolve & LOOKUP_NO_XDEV) && w->depth > 0 && w->mnt != w->root_mnt)) {
			dentry_put(cur);
			return -EXDEV;
		}
		dentry_put(cur);
		cur = w->root;
		dentry_get(cur);
		walk_set_mnt(w, w->root_mnt);
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
static int walk_from(struct dentry *start, struct mount *start_mnt, const char *path,
		     unsigned int flags, struct dentry **out, struct mount **out_mnt,
		     struct nameparent *np)
{
	struct fs_context *c = vfs_current_fs();
	struct walk w = { .resolve = flags & LOOKUP_RESOLVE, .mnt = start_mnt };
	int err;

	if (!c || !start_mnt) {
		if (c)
			fs_context_put(c);
		dentry_put(start);
		mount_put(start_mnt);
		return -ENOENT;
	}
	/* The walk consumes start; keep the root alive until it is done. */
	if (flags & LOOKUP_SCOPED) {
		w.root = start;
		dentry_get(start);
		w.root_mnt = start_mnt;
		mount_get(start_mnt);
	} else {
		w.root = fs_context_get_root_mnt(c, &w.root_mnt);
	}
	err = walk(&w, start, path, flags, out, np);
	dentry_put(w.root);
	mount_put(w.root_mnt);
	fs_context_put(c);
	if (!err && out_mnt)
		*out_mnt = w.mnt;
	else
		mount_put(w.mnt);
	return err;
}

int vfs_lookup_at(struct dentry *start, const char *path, unsigned int flags,
		  struct dentry **out)
{
	struct mount *m = mount_of_dentry(start);

	dentry_get(start);
	return walk_from(start, m, path, flags, out, NULL, NULL);
}

int vfs_start_dir(int dirfd, struct dentry **out, struct mount **m)
{
	struct fd h;

	if (dirfd == AT_FDCWD) {
		struct fs_context *c = vfs_current_fs();
		struct mount *cm;

		if (!c)
			return -ENOENT;
		*out = fs_context_get_cwd_mnt(c, &cm);
		fs_context_put(c);
		if (m)
			*m = cm;
		else
			mount_put(cm);
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
	if (m && h.file->mnt) {
		*m = h.file->mnt;
		mount_get(*m);
	} else if (m) {
		*m = mount_of_dentry(*out);
	}
	fdput(h);
	return 0;
}

/*
 * The directory a walk of path starts from: dirfd's, or the cwd for an
 * absolute path (which then jumps to the root), except under
 * RESOLVE_IN_ROOT, where dirfd is the root even for "/...".
 */
static int walk_start(int dirfd, const char *path, unsigned int flags, struct dentry **out,
		      struct mount **m)
{
	bool from_dirfd = path[0] != '/' || (flags & LOOKUP_IN_ROOT);
	int err = vfs_start_dir(from_dirfd ? dirfd : AT_FDCWD, out, m);

	if (err)
		return err;
	if (from_dirfd && !S_ISDIR((*out)->inode->mode)) {
		dentry_put(*out);
		mount_put(*m);
		return -ENOTDIR;
	}
	return 0;
}

int vfs_lookup_mnt(int dirfd, const char *path, unsigned int flags, struct dentry **out,
		   struct mount **m)
{
	struct dentry *start;
	struct mount *sm;
	int err;

	if (!path[0]) {
		if (!(flags & LOOKUP_EMPTY))
			return -ENOENT;
		return vfs_start_dir(dirfd, out, m);
	}
	err = walk_start(dirfd, path, flags, &start, &sm);
	if (err)
		return err;
	return walk_from(start, sm, path, flags, out, m, NULL);
}

int vfs_lookup(int dirfd, const char *path, unsigned int flags, struct dentry **out)
{
	return vfs_lookup_mnt(dirfd, path, flags, out, NULL);
}

int vfs_lookup_parent_flags(int dirfd, const char *path, unsigned int flags,
			    struct nameparent *np)
{
	struct dentry *start;
	struct mount *sm;
	int err;

	np->dir = NULL;
	np->mnt = NULL;
	if (!path[0])
		return -ENOENT;
	flags &= LOOKUP_RESOLVE;
	err = walk_start(dirfd, path, flags, &start, &sm);
	if (err)
		return err;
	err = walk_from(start, sm, path, flags, &np->dir, &np->mnt, np);
	if (err) {
		np->dir = NULL;
		np->mnt = NULL;
	}
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
	mount_put(np->mnt);
	np->dir = NULL;
	np->mnt = NULL;
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
