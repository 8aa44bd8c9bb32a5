// SPDX-License-Identifier: MPL-2.0
// Walking a path up the namespace for landlock's path-beneath rules
// (kernel/security/landlock/fs.c): the positions a ".." walk visits, the
// inode at each as an identity.
#include "fs/vfs.h"

void fs_walk_begin(struct fs_walk *w, struct mount *m, struct dentry *d, bool ns_locked)
{
	w->unlock = !ns_locked;
	if (w->unlock)
		mutex_lock(&vfs_ns_lock);
	w->m = m ? m : mount_of_dentry_locked(d);
	w->d = d;
}

void fs_walk_end(struct fs_walk *w)
{
	if (w->unlock)
		mutex_unlock(&vfs_ns_lock);
	w->unlock = false;
}

const struct inode *fs_walk_inode(const struct fs_walk *w)
{
	return w->d->inode;
}

bool fs_walk_at_mount_root(const struct fs_walk *w)
{
	return w->m ? w->d == w->m->root : !w->d->parent;
}

bool fs_walk_is_dir(const struct fs_walk *w)
{
	return S_ISDIR(w->d->inode->mode);
}

bool fs_walk_at(const struct fs_walk *w, const struct dentry *d)
{
	return w->d == d;
}

void fs_walk_to_mount_root(struct fs_walk *w)
{
	if (w->m) {
		w->d = w->m->root;
		return;
	}
	while (w->d->parent)
		w->d = w->d->parent;
}

bool fs_walk_up(struct fs_walk *w)
{
	struct dentry *p = w->m ? mount_ns_parent(&w->m, w->d) : w->d->parent;

	if (!p)
		return false;
	w->d = p;
	return true;
}

struct inode *file_inode_get(struct file *f)
{
	/* Anonymous files and those of internal mounts (memfd, mqueue's own) name no path. */
	if (!f->inode || !f->dentry || !f->mnt || !f->mnt->attached)
		return NULL;
	inode_get(f->inode);
	return f->inode;
}

void fs_inode_get(struct inode *i)
{
	inode_get(i);
}

void fs_inode_put(struct inode *i)
{
	inode_put(i);
}

uint32_t fs_dentry_mode(const struct dentry *d)
{
	return d->inode->mode;
}
