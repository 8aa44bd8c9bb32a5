// SPDX-License-Identifier: MPL-2.0
// Mount namespaces (Linux's copy_mnt_ns, mntns_install and free_mnt_ns):
// a tree of mounts of its own, copied whole for clone/unshare with
// CLONE_NEWNS, each process's root and current directory moving into
// the copy; joined by setns; unmounted when its last holder goes.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/task.h>
#include "fs/vfs.h"
#include "fs/vfs/mount_internal.h"
#include "ns/ns.h"
#include "process/process.h"
#include "uapi/nsfs.h"

static void mnt_ns_free(struct ns_common *c);

const struct ns_ops mnt_ns_ops = { .name = "mnt", .type = CLONE_NEWNS, .free = mnt_ns_free };

/*
 * Linux's proc_alloc_inum gives the initial mount namespace the first
 * dynamic inode number.  Its static count never reaches 0: never freed.
 */
struct mnt_namespace init_mnt_ns = {
	.ns = { REFCOUNT_INIT(1), PROC_DYNAMIC_FIRST, &mnt_ns_ops },
};

struct ns_common *mnt_init_ns(void)
{
	return &init_mnt_ns.ns;
}

static struct mnt_namespace *to_mnt_ns(struct ns_common *c)
{
	return container_of(c, struct mnt_namespace, ns);
}

struct mnt_namespace *mnt_ns_current(void)
{
	struct process *p = current_process();
	struct ns_common *c = p ? process_ns_get(p, NS_MNT) : NULL;

	if (!c) {
		/* Boot, before init: the initial namespace. */
		ns_get(&init_mnt_ns.ns);
		return &init_mnt_ns;
	}
	return to_mnt_ns(c);
}

struct mnt_namespace *mnt_ns_of(struct process *p)
{
	struct ns_common *c = process_ns_get(p, NS_MNT);

	return c ? to_mnt_ns(c) : NULL;
}

void mnt_ns_put(struct mnt_namespace *ns)
{
	if (ns)
		ns_put(&ns->ns);
}

/*
 * The last holder went: its tree is unmounted, without propagation
 * (Linux's put_mnt_ns).  A put under the ns lock (a mount's last
 * reference dropping an nsfs dentry) must not take it again.
 */
static void mnt_ns_free(struct ns_common *c)
{
	struct mnt_namespace *ns = to_mnt_ns(c);
	bool held = vfs_ns_lock.owner == task_current();

	if (!held)
		mutex_lock(&vfs_ns_lock);
	if (ns->root)
		mount_umount_tree(ns->root, false);
	ns->root = NULL;
	if (!held)
		mutex_unlock(&vfs_ns_lock);
	kfree(ns);
}

/* The copy of a process's root or cwd mount (a reference), or NULL when it is not in old. */
static struct mount *twin(struct mount *m, struct mnt_namespace *old)
{
	if (!m || m->ns != old || !m->copy)
		return NULL;
	mount_get(m->copy);
	return m->copy;
}

/* fs's root and cwd move to their twins in the new tree (Linux's copy_mnt_ns). */
static void move_fs(struct fs_context *fs, struct mount *root, struct dentry *rd,
		    struct mount *cwd, struct dentry *cd)
{
	if (root) {
		fs_context_set_root(fs, root, rd);
		mount_put(root);
	}
	if (cwd) {
		fs_context_set_cwd(fs, cwd, cd);
		mount_put(cwd);
	}
}

int mnt_ns_copy(struct ns_common *old_c, struct fs_context *fs, struct ns_common **out)
{
	struct mnt_namespace *old = to_mnt_ns(old_c), *ns = kzalloc(sizeof(*ns));
	struct mount *rm, *cm, *root, *nrm = NULL, *ncm = NULL;
	struct dentry *rd, *cd;
	int err;

	if (!ns)
		return -ENOMEM;
	err = ns_common_init(&ns->ns, &mnt_ns_ops);
	if (err) {
		kfree(ns);
		return err;
	}
	rd = fs_context_get_root_mnt(fs, &rm);
	cd = fs_context_get_cwd_mnt(fs, &cm);
	mutex_lock(&vfs_ns_lock);
	/* Every mount, unbindable ones too; shared ones' copies are their peers. */
	err = mount_clone_tree(old->root, old->root->root, true, CL_COPY_UNBINDABLE, &root);
	if (!err) {
		mount_make_ns_root(root, ns);
		ns->root = root;
		nrm = twin(rm, old);
		ncm = twin(cm, old);
	}
	mutex_unlock(&vfs_ns_lock);
	if (!err)
		move_fs(fs, nrm, rd, ncm, cd);
	dentry_put(rd);
	dentry_put(cd);
	mount_put(rm);
	mount_put(cm);
	if (err) {
		kfree(ns);
		return err;
	}
	*out = &ns->ns;
	return 0;
}

struct fs_users {
	struct fs_context *fs;
	int n;
};

static int count_fs_user(struct process *p, void *arg)
{
	struct fs_users *u = arg;

	if (p->fs == u->fs)
		u->n++;
	return 0;
}

bool mnt_ns_fs_shared(struct fs_context *fs)
{
	struct fs_users u = { .fs = fs };

	(void)process_for_each(count_fs_user, &u);
	return u.n > 1;
}

void mnt_ns_install(struct ns_common *c, struct fs_context *fs)
{
	struct mnt_namespace *ns = to_mnt_ns(c);
	struct mount *m;
	struct dentry *d;

	/* The namespace's root, and whatever is mounted on top of it. */
	mutex_lock(&vfs_ns_lock);
	m = ns->root;
	d = m->root;
	mount_get(m);
	dentry_get(d);
	mount_follow(&m, &d);
	mutex_unlock(&vfs_ns_lock);
	fs_context_set_root(fs, m, d);
	fs_context_set_cwd(fs, m, d);
	dentry_put(d);
	mount_put(m);
}
