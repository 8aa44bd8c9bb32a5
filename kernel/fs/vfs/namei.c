// SPDX-License-Identifier: MPL-2.0
// Path walk: components, "." and "..", mount crossings, symlinks (at most
// 40 in one walk, nested at most 8 deep: ELOOP), trailing slashes.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/fdtable.h"
#include "fs/vfs.h"

struct walk {
	struct dentry *root;	/* where "/" and ".." stop (borrowed) */
	int links;
	int depth;
};

static int walk(struct walk *w, struct dentry *cur, const char *path, unsigned int flags,
		struct dentry **out, struct nameparent *np);

static int follow_link(struct walk *w, struct dentry **cur, struct dentry *link, bool last_follow,
		       bool must_dir)
{
	char *target;
	int n, err;

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

/* Move *cur (a reference) to its parent; stays put at the walk's root. */
static void step_dotdot(struct walk *w, struct dentry **cur)
{
	struct dentry *p;

	if (*cur == w->root)
		return;
	mutex_lock(&vfs_ns_lock);
	p = dentry_ns_parent(*cur);
	if (p) {
		dentry_get(p);
		p = dentry_follow_mounts(p);
	}
	mutex_unlock(&vfs_ns_lock);
	if (!p)
		return;
	dentry_put(*cur);
	*cur = p;
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
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		step_dotdot(w, cur);
		return 0;
	}
	mutex_lock(&vfs_ns_lock);
	err = dentry_lookup(*cur, name, len, &child);
	if (!err)
		child = dentry_follow_mounts(child);
	mutex_unlock(&vfs_ns_lock);
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

int vfs_lookup_at(struct dentry *start, const char *path, unsigned int flags,
		  struct dentry **out)
{
	struct fs_context *c = vfs_current_fs();
	struct walk w = { 0 };
	int err;

	if (!c)
		return -ENOENT;
	w.root = fs_context_root(c);
	dentry_get(start);
	err = walk(&w, start, path, flags, out, NULL);
	fs_context_put(c);
	return err;
}

int vfs_start_dir(int dirfd, struct dentry **out)
{
	struct file *f;

	if (dirfd == AT_FDCWD) {
		struct fs_context *c = vfs_current_fs();

		if (!c)
			return -ENOENT;
		*out = fs_context_cwd(c);
		dentry_get(*out);
		fs_context_put(c);
		return 0;
	}
	f = fget(dirfd);
	if (!f)
		return -EBADF;
	if (!f->dentry) {
		file_put(f);
		return -ENOTDIR;
	}
	*out = f->dentry;
	dentry_get(*out);
	file_put(f);
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
	if (path[0] == '/')
		dirfd = AT_FDCWD;
	err = vfs_start_dir(dirfd, &start);
	if (err)
		return err;
	if (path[0] != '/' && !S_ISDIR(start->inode->mode)) {
		dentry_put(start);
		return -ENOTDIR;
	}
	err = vfs_lookup_at(start, path, flags, out);
	dentry_put(start);
	return err;
}

int vfs_lookup_parent(int dirfd, const char *path, struct nameparent *np)
{
	struct fs_context *c;
	struct dentry *start;
	struct walk w = { 0 };
	int err;

	np->dir = NULL;
	if (!path[0])
		return -ENOENT;
	if (path[0] == '/')
		dirfd = AT_FDCWD;
	err = vfs_start_dir(dirfd, &start);
	if (err)
		return err;
	if (path[0] != '/' && !S_ISDIR(start->inode->mode)) {
		dentry_put(start);
		return -ENOTDIR;
	}
	c = vfs_current_fs();
	if (!c) {
		dentry_put(start);
		return -ENOENT;
	}
	w.root = fs_context_root(c);
	err = walk(&w, start, path, 0, &np->dir, np);
	fs_context_put(c);
	if (err)
		np->dir = NULL;
	return err;
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
	mutex_lock(&i->lock);
	n = i->iops->readlink(i, buf, size);
	mutex_unlock(&i->lock);
	return n;
}
