// SPDX-License-Identifier: MPL-2.0
// fs_context: a process's root and current directory.
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
};

static int context_new(struct dentry *root, struct dentry *cwd, struct fs_context **out)
{
	struct fs_context *c;

	if (!root || !cwd)
		return -ENOENT;
	c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	refcount_set(&c->refs, 1);
	spin_lock_init(&c->lock);
	dentry_get(root);
	dentry_get(cwd);
	c->root = root;
	c->cwd = cwd;
	*out = c;
	return 0;
}

int fs_context_create_root(struct fs_context **out)
{
	return context_new(vfs_root, vfs_root, out);
}

int fs_context_clone(struct fs_context *src, struct fs_context **out)
{
	struct dentry *root, *cwd;
	irqflags_t fl = spin_lock_irqsave(&src->lock);
	int err;

	root = src->root;
	cwd = src->cwd;
	dentry_get(root);
	dentry_get(cwd);
	spin_unlock_irqrestore(&src->lock, fl);
	err = context_new(root, cwd, out);
	dentry_put(root);
	dentry_put(cwd);
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
	kfree(c);
}

/* Under c->lock: a thread sharing c may chdir or chroot and drop the old one meanwhile. */
static struct dentry *context_dentry_get(struct fs_context *c, bool cwd)
{
	irqflags_t fl = spin_lock_irqsave(&c->lock);
	struct dentry *d = cwd ? c->cwd : c->root;

	dentry_get(d);
	spin_unlock_irqrestore(&c->lock, fl);
	return d;
}

struct dentry *fs_context_get_root(struct fs_context *c)
{
	return context_dentry_get(c, false);
}

struct dentry *fs_context_get_cwd(struct fs_context *c)
{
	return context_dentry_get(c, true);
}

void fs_context_set_cwd(struct fs_context *c, struct dentry *d)
{
	struct dentry *old;
	irqflags_t fl;

	dentry_get(d);
	fl = spin_lock_irqsave(&c->lock);
	old = c->cwd;
	c->cwd = d;
	spin_unlock_irqrestore(&c->lock, fl);
	dentry_put(old);
}

void fs_context_set_root(struct fs_context *c, struct dentry *d)
{
	struct dentry *old;
	irqflags_t fl;

	dentry_get(d);
	fl = spin_lock_irqsave(&c->lock);
	old = c->root;
	c->root = d;
	spin_unlock_irqrestore(&c->lock, fl);
	dentry_put(old);
}

/* Before there is a process, paths start at the namespace root. */
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
