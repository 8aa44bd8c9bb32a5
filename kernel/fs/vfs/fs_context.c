// SPDX-License-Identifier: MPL-2.0
// fs_context: a process's root and current directory, each a (mount, dentry).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/refcount.h>
#include "fs/vfs.h"
#include "process/process.h"

struct fs_context {
	refcount_t refs;
	spinlock_t lock;
	struct dentry *root;
	struct dentry *cwd;
	struct mount *root_mnt;
	struct mount *cwd_mnt;
};

static int context_new(struct mount *rm, struct dentry *root, struct mount *cm,
		       struct dentry *cwd, struct fs_context **out)
{
	struct fs_context *c;

	if (!root || !cwd || !rm || !cm)
		return -ENOENT;
	c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	refcount_set(&c->refs, 1);
	spin_lock_init(&c->lock);
	dentry_get(root);
	dentry_get(cwd);
	mount_get(rm);
	mount_get(cm);
	c->root = root;
	c->cwd = cwd;
	c->root_mnt = rm;
	c->cwd_mnt = cm;
	*out = c;
	return 0;
}

int fs_context_create_root(struct fs_context **out)
{
	return context_new(root_mount, vfs_root, root_mount, vfs_root, out);
}

int fs_context_clone(struct fs_context *src, struct fs_context **out)
{
	struct mount *rm, *cm;
	struct dentry *root = fs_context_get_root_mnt(src, &rm);
	struct dentry *cwd = fs_context_get_cwd_mnt(src, &cm);
	int err = context_new(rm, root, cm, cwd, out);

	dentry_put(root);
	dentry_put(cwd);
	mount_put(rm);
	mount_put(cm);
	return err;
}

void fs_context_get(struct fs_context *c)
{
	refcount_inc(&c->refs);
}

void fs_context_put(struct fs_context *c)
{
	if (!c || !refcount_dec_and_test(&c->refs))
		return;
	dentry_put(c->root);
	dentry_put(c->cwd);
	mount_put(c->root_mnt);
	mount_put(c->cwd_mnt);
	kfree(c);
}

/* Under c->lock: a thread sharing c may chdir or chroot and drop the old one meanwhile. */
static struct dentry *context_get(struct fs_context *c, bool cwd, struct mount **m)
{
	irqflags_t fl = spin_lock_irqsave(&c->lock);
	struct dentry *d = cwd ? c->cwd : c->root;
	struct mount *mn = cwd ? c->cwd_mnt : c->root_mnt;

	dentry_get(d);
	if (m) {
		mount_get(mn);
		*m = mn;
	}
	spin_unlock_irqrestore(&c->lock, fl);
	return d;
}

struct dentry *fs_context_get_root(struct fs_context *c)
{
	return context_get(c, false, NULL);
}

struct dentry *fs_context_get_cwd(struct fs_context *c)
{
	return context_get(c, true, NULL);
}

struct dentry *fs_context_get_root_mnt(struct fs_context *c, struct mount **m)
{
	return context_get(c, false, m);
}

struct dentry *fs_context_get_cwd_mnt(struct fs_context *c, struct mount **m)
{
	return context_get(c, true, m);
}

static void context_set(struct fs_context *c, bool cwd, struct mount *m, struct dentry *d)
{
	struct dentry *old;
	struct mount *oldm;
	irqflags_t fl;

	if (m)
		mount_get(m);
	else
		m = mount_of_dentry(d);
	if (!m)
		return;		/* on no mount at all: nowhere to go */
	dentry_get(d);
	fl = spin_lock_irqsave(&c->lock);
	old = cwd ? c->cwd : c->root;
	oldm = cwd ? c->cwd_mnt : c->root_mnt;
	if (cwd) {
		c->cwd = d;
		c->cwd_mnt = m;
	} else {
		c->root = d;
		c->root_mnt = m;
	}
	spin_unlock_irqrestore(&c->lock, fl);
	dentry_put(old);
	mount_put(oldm);
}

void fs_context_set_cwd(struct fs_context *c, struct mount *m, struct dentry *d)
{
	context_set(c, true, m, d);
}

void fs_context_set_root(struct fs_context *c, struct mount *m, struct dentry *d)
{
	context_set(c, false, m, d);
}

/*
 * Before there is a process, paths start at the kernel's context: the
 * namespace root until init_chroot moves it (a disk root, kernel/init/).
 */
static struct fs_context *boot_ctx;

struct fs_context *vfs_current_fs(void)
{
	struct process *p = current_process();

	if (p && p->fs) {
		fs_context_get(p->fs);
		return p->fs;
	}
	mutex_lock(&vfs_ns_lock);
	if (!boot_ctx && vfs_root)
		(void)fs_context_create_root(&boot_ctx);
	if (boot_ctx)
		fs_context_get(boot_ctx);
	mutex_unlock(&vfs_ns_lock);
	return boot_ctx;
}

int fs_context_create_boot(struct fs_context **out)
{
	struct fs_context *c = vfs_current_fs();
	int err;

	if (!c)
		return -ENOENT;
	err = fs_context_clone(c, out);
	fs_context_put(c);
	return err;
}
