// SPDX-License-Identifier: MPL-2.0
// mount(2), umount2(2) and pivot_root(2) on the mount tree, with Linux's
// checks in Linux's order (fs/namespace.c is the oracle).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "security/landlock/landlock.h"
#include "fs/vfs.h"
#include "fs/vfs/mount_internal.h"
#include "process/process.h"
#include "process/capability.h"

/*
 * Detach m and every mount below it, children first; with prop, the
 * childless copies propagation made of each go too (ns lock held).
 */
void mount_umount_tree(struct mount *m, bool prop)
{
	struct mount *c;
	bool again = true;

	while (again) {
		again = false;
		list_for_each_entry(c, &mount_list, node) {
			if (c->parent == m) {
				mount_umount_tree(c, prop);
				again = true;
				break;
			}
		}
	}
	if (prop)
		pnode_umount(m);
	pnode_forget(m);
	mount_detach(m, true);
}

/*
 * Linux's copy_tree: a copy of old showing root; with rec, old's submounts
 * under root too (unbindable ones only with CL_COPY_UNBINDABLE).  Each
 * original's copy field names its copy until the next copy (ns lock held).
 */
int mount_clone_tree(struct mount *old, struct dentry *root, bool rec, int flags,
		     struct mount **out)
{
	struct mount *m, *c, *cc;
	int err;

	err = mount_new(old->sb, root, old->source, old->flags, &m);
	if (err)
		return err;
	m->unbindable = old->unbindable && (flags & CL_COPY_UNBINDABLE);
	pnode_clone(m, old, flags);
	old->copy = m;
	list_for_each_entry(c, &mount_list, node) {
		if (!rec || c->parent != old || !dentry_under(c->mountpoint, root))
			continue;
		if (c->unbindable && !(flags & CL_COPY_UNBINDABLE))
			continue;
		err = mount_clone_tree(c, c->root, true, flags, &cc);
		if (err) {
			mount_umount_tree(m, false);
			mount_put(m);	/* never attached: the umount left its reference */
			return err;
		}
		mount_attach(cc, m, c->mountpoint);
	}
	*out = m;
	return 0;
}

/* Linux's check_mnt: mount(2) and umount(2) act on the caller's namespace only. */
bool mount_in_current_ns(struct mount *m)
{
	struct mnt_namespace *ns = mnt_ns_current();
	bool in = m->ns == ns;

	mnt_ns_put(ns);
	return in;
}

/* A file system's root goes on a directory, a file's on a file. */
static int graft_check(struct dentry *mp, struct dentry *root)
{
	if (S_ISDIR(mp->inode->mode) != S_ISDIR(root->inode->mode))
		return -ENOTDIR;
	if (!mp->cached)
		return -ENOENT;		/* unlinked meanwhile */
	return 0;
}

static int do_new_mount(struct mount *pm, struct dentry *pd, const char *type,
			const char *source, uint64_t flags, const char *data)
{
	const struct fs_type *t;
	struct super_block *sb;
	struct mount *m;
	bool shared;
	int err;

	if (!type || !type[0])
		return -EINVAL;
	err = fs_type_find(type, &t);
	if (err)
		return err;
	if (t->mount_data)
		err = t->mount_data(source ? source : "none", flags, data, &sb);
	else
		err = t->mount(source ? source : "none", flags, &sb);
	if (err < 0)
		return err;
	shared = err == 1;
	if (!shared)
		sb->flags |= flags & MS_RDONLY;
	err = mount_new(sb, sb->root, source ? source : "none", flags, &m);
	if (shared)
		sb_mount_drop(sb);	/* the new mount (if any) counts instead */
	if (err)
		return err;
	mutex_lock(&vfs_ns_lock);
	err = pm->attached && mount_in_current_ns(pm) ? graft_check(pd, sb->root) : -EINVAL;
	if (!err)
		err = pnode_graft(m, pm, pd);
	mutex_unlock(&vfs_ns_lock);
	if (err)
		mount_put(m);
	return err;
}

static int do_bind(struct mount *pm, struct dentry *pd, const char *source, bool rec)
{
	struct dentry *od;
	struct mount *om, *m = NULL;
	int err;

	if (!source || !source[0])
		return -EINVAL;
	err = vfs_lookup_mnt(AT_FDCWD, source, LOOKUP_FOLLOW, &od, &om);
	if (err)
		return err;
	mutex_lock(&vfs_ns_lock);
	/* Both ends in the caller's namespace; an unbindable mount is not copied (Linux's do_loopback). */
	if (!pm->attached || !om->attached || !mount_in_current_ns(pm) ||
	    !mount_in_current_ns(om) || om->unbindable)
		err = -EINVAL;
	if (!err)
		err = graft_check(pd, od);
	if (!err)
		err = mount_clone_tree(om, od, rec, 0, &m);
	if (!err) {
		err = pnode_graft(m, pm, pd);
		if (err) {
			mount_umount_tree(m, false);
			mount_put(m);
		}
	}
	mutex_unlock(&vfs_ns_lock);
	dentry_put(od);
	mount_put(om);
	return err;
}

/* Is mount a among (m, d)'s ancestors, m included? (ns lock held) */
static bool mount_is_ancestor(struct mount *a, struct mount *m)
{
	for (; m; m = m->parent)
		if (m == a)
			return true;
	return false;
}

static int do_move(struct mount *pm, struct dentry *pd, const char *source)
{
	struct dentry *od;
	struct mount *om;
	int err;

	if (!source || !source[0])
		return -EINVAL;
	err = vfs_lookup_mnt(AT_FDCWD, source, LOOKUP_FOLLOW, &od, &om);
	if (err)
		return err;
	mutex_lock(&vfs_ns_lock);
	/* Linux's do_move_mount: nothing leaves a shared parent, nothing moves into another namespace. */
	if (!om->attached || !pm->attached || od != om->root || !om->parent ||
	    !mount_in_current_ns(om) || !mount_in_current_ns(pm) || om->parent->group_id)
		err = -EINVAL;
	else if (mount_is_ancestor(om, pm))
		err = -ELOOP;
	else
		err = graft_check(pd, od);
	if (!err) {
		struct mount *op = om->parent;
		struct dentry *omp = om->mountpoint;

		mount_get(op);
		dentry_get(omp);
		mount_detach(om, false);
		err = pnode_graft(om, pm, pd);
		if (err)
			mount_attach(om, op, omp);	/* back where it was */
		mount_put(op);
		dentry_put(omp);
	}
	mutex_unlock(&vfs_ns_lock);
	dentry_put(od);
	mount_put(om);
	return err;
}

/* The file system itself goes read-only or read-write (ns lock held): 0 or -errno. */
static int sb_set_rdonly(struct super_block *sb, bool rdonly)
{
	if (sb->set_rdonly)
		return sb->set_rdonly(sb, rdonly);
	/* A disk file system that cannot say it is writable again is not. */
	return !rdonly && sb->type->requires_dev ? -EROFS : 0;
}

/* MS_REMOUNT: the file system's options and read-only state, and this mount's flags. */
static int do_remount(struct mount *m, struct dentry *d, uint64_t flags, const char *data)
{
	struct super_block *sb = m->sb;
	bool was_ro = sb->flags & MS_RDONLY;
	int err = 0;

	if (d != m->root)
		return -EINVAL;
	mutex_lock(&vfs_ns_lock);
	if (!mount_in_current_ns(m)) {
		mutex_unlock(&vfs_ns_lock);
		return -EINVAL;
	}
	if ((flags & MS_RDONLY) && !was_ro)
		err = mount_make_readonly(m, true);
	if (!err && data && data[0] && sb->remount)
		err = sb->remount(sb, data);
	if (!err && was_ro != !!(flags & MS_RDONLY))
		err = sb_set_rdonly(sb, flags & MS_RDONLY);
	if (err && (flags & MS_RDONLY) && !was_ro)
		sb->flags &= ~(uint64_t)MS_RDONLY;
	if (!err) {
		if (!(flags & MS_RDONLY))
			sb->flags &= ~(uint64_t)MS_RDONLY;
		m->flags = flags & MNT_FLAG_MASK;
	}
	mutex_unlock(&vfs_ns_lock);
	return err;
}

/* MS_REMOUNT | MS_BIND: this mount's flags only. */
static int do_reconfigure(struct mount *m, struct dentry *d, uint64_t flags)
{
	int err = 0;

	if (d != m->root)
		return -EINVAL;
	mutex_lock(&vfs_ns_lock);
	if (!mount_in_current_ns(m)) {
		mutex_unlock(&vfs_ns_lock);
		return -EINVAL;
	}
	if ((flags & MS_RDONLY) && !(m->flags & MS_RDONLY))
		err = mount_make_readonly(m, false);
	if (!err)
		m->flags = flags & MNT_FLAG_MASK;
	mutex_unlock(&vfs_ns_lock);
	return err;
}

/* The flags Linux's path_mount strips before it looks at the rest (per-mount ones). */
#define MS_PER_MOUNT	(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_NOATIME | MS_NODIRATIME | \
			 MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW | MS_ACTIVE | MS_BORN | \
			 MS_KERNMOUNT | MS_NOREMOTELOCK)

/*
 * Linux's do_change_type: exactly one propagation type (with MS_REC and
 * MS_SILENT, nothing else: EINVAL), on the root of a mount.
 */
static int do_change_type(struct mount *m, struct dentry *d, uint64_t flags)
{
	uint64_t type = flags & ~(uint64_t)(MS_REC | MS_SILENT | MS_PER_MOUNT);
	int err;

	if (d != m->root)
		return -EINVAL;
	if (!type || (type & (type - 1)))
		return -EINVAL;
	mutex_lock(&vfs_ns_lock);
	err = m->attached ? pnode_change_type(m, type, flags & MS_REC) : -EINVAL;
	mutex_unlock(&vfs_ns_lock);
	return err;
}

/*
 * The atime bits of a mount(2) call as Linux's path_mount sets them:
 * relatime unless MS_NOATIME, none of relatime and noatime with
 * MS_STRICTATIME; a remount that names no atime flag keeps m's.
 */
static uint64_t mount_atime_flags(uint64_t flags, const struct mount *m)
{
	uint64_t a = flags & (MS_NOATIME | MS_NODIRATIME);

	if (!(flags & MS_NOATIME))
		a |= MS_RELATIME;
	if (flags & MS_STRICTATIME)
		a &= ~(uint64_t)(MS_RELATIME | MS_NOATIME);
	if ((flags & MS_REMOUNT) && !(flags & (MNT_ATIME_MASK | MS_STRICTATIME)))
		a = m->flags & MNT_ATIME_MASK;
	return (flags & ~(uint64_t)(MNT_ATIME_MASK | MS_STRICTATIME)) | a;
}

int vfs_mount(const char *source, int dirfd, const char *target, const char *type,
	      uint64_t flags, const char *data)
{
	struct dentry *d;
	struct mount *m;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(uint64_t)MS_MGC_MSK;
	err = vfs_lookup_mnt(dirfd, target, LOOKUP_FOLLOW, &d, &m);
	if (err)
		return err;
	flags = mount_atime_flags(flags, m);
	if (flags & MS_NOUSER_FLAG)
		err = -EINVAL;
	else if (landlock_restricted() || !capable(CAP_SYS_ADMIN))
		err = -EPERM;
	else if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND))
		err = do_reconfigure(m, d, flags);
	else if (flags & MS_REMOUNT)
		err = do_remount(m, d, flags, data);
	else if (flags & MS_BIND)
		err = do_bind(m, d, source, flags & MS_REC);
	else if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		err = do_change_type(m, d, flags);
	else if (flags & MS_MOVE)
		err = do_move(m, d, source);
	else
		err = do_new_mount(m, d, type, source, flags, data);
	dentry_put(d);
	mount_put(m);
	return err;
}

/* The checks of do_umount for m, held by the caller's lookup (ns lock held). */
static int umount_locked(struct mount *m, int flags)
{
	/* The tree's reference and the caller's: anything more is a user. */
	bool busy = refcount_read(&m->refs) > 2;

	if (flags & MNT_EXPIRE) {
		if (flags & (MNT_FORCE | MNT_DETACH))
			return -EINVAL;
		if (busy)
			return -EBUSY;
		if (!m->expiring) {
			m->expiring = true;
			return -EAGAIN;
		}
	}
	/* MNT_FORCE: these file systems have nothing to abort; as a plain umount. */
	if (!(flags & MNT_DETACH) && (busy || pnode_umount_busy(m)))
		return -EBUSY;
	mount_umount_tree(m, true);
	return 0;
}

int vfs_umount(int dirfd, const char *target, int flags)
{
	struct dentry *d;
	struct mount *m;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (landlock_restricted() || !capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = vfs_lookup_mnt(dirfd, target, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &d, &m);
	if (err)
		return err;
	mutex_lock(&vfs_ns_lock);
	if (d != m->root || !m->attached || !m->parent || !mount_in_current_ns(m))
		err = -EINVAL;
	else
		err = umount_locked(m, flags);
	mutex_unlock(&vfs_ns_lock);
	dentry_put(d);
	mount_put(m);
	return err;
}

/* Is (m, d) reachable from (root_m, root) going down? (ns lock held) */
static bool path_reachable(struct mount *m, struct dentry *d, struct mount *root_m,
			   struct dentry *root)
{
	while (m != root_m && m->parent) {
		d = m->mountpoint;
		m = m->parent;
	}
	return m == root_m && dentry_under(d, root);
}

struct pivot {
	struct mount *old_m, *new_m;
	struct dentry *old_d, *new_d;
};

/* The processes to visit: their pids, gathered under the table lock. */
struct pid_list {
	pid_t *pids;
	size_t n, cap;
};

static int count_one(struct process *p, void *arg)
{
	struct pid_list *l = arg;

	(void)p;
	l->cap++;
	return 0;
}

static int collect_one(struct process *p, void *arg)
{
	struct pid_list *l = arg;

	if (l->n < l->cap)
		l->pids[l->n++] = p->pid;
	return 0;
}

/* A process whose root or cwd is the old root moves to the new one. */
static void pivot_fs(struct process *p, struct pivot *pv)
{
	struct fs_context *c = process_fs_get(p);
	struct mount *m;
	struct dentry *d;

	if (!c)
		return;
	d = fs_context_get_root_mnt(c, &m);
	if (d == pv->old_d && m == pv->old_m)
		fs_context_set_root(c, pv->new_m, pv->new_d);
	dentry_put(d);
	mount_put(m);
	d = fs_context_get_cwd_mnt(c, &m);
	if (d == pv->old_d && m == pv->old_m)
		fs_context_set_cwd(c, pv->new_m, pv->new_d);
	dentry_put(d);
	mount_put(m);
	fs_context_put(c);
}

/* Every process (fs contexts are reached outside the process-table lock). */
static void pivot_all(struct pivot *pv)
{
	struct pid_list l = { 0 };

	(void)process_for_each(count_one, &l);
	l.pids = kcalloc(l.cap ? l.cap : 1, sizeof(*l.pids));
	if (!l.pids) {
		/* Out of memory: at least the caller moves, as it asked. */
		pivot_fs(current_process(), pv);
		return;
	}
	(void)process_for_each(collect_one, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct process *p = process_find_global(l.pids[i]);

		if (p) {
			pivot_fs(p, pv);
			process_put(p);
		}
	}
	kfree(l.pids);
}

static int pivot_checks(struct mount *rm, struct dentry *rd, struct mount *nm,
			struct dentry *nd, struct mount *om, struct dentry *od)
{
	/* Linux's order: shared mounts around, other namespaces, then the rest. */
	if (om->group_id || (nm->parent && nm->parent->group_id) ||
	    (rm->parent && rm->parent->group_id))
		return -EINVAL;
	if (!mount_in_current_ns(rm) || !mount_in_current_ns(nm))
		return -EINVAL;
	/* The rootfs root (no parent mount) cannot be pivoted away. */
	if (!rm->attached || !nm->attached || !rm->parent)
		return -EINVAL;
	if (!nd->cached || !od->cached)
		return -ENOENT;
	if (nm == rm || om == rm)
		return -EBUSY;
	if (rm->root != rd || !rm->parent)
		return -EINVAL;
	if (nm->root != nd || !nm->parent)
		return -EINVAL;
	if (!path_reachable(om, od, nm, nd))
		return -EINVAL;
	if (!path_reachable(nm, nd, rm, rd))
		return -EINVAL;
	return 0;
}

int vfs_pivot_root(const char *new_root, const char *put_old)
{
	struct fs_context *c;
	struct dentry *nd, *od, *rd;
	struct mount *nm, *om, *rm, *rparent;
	struct dentry *rmp;
	struct pivot pv;
	int err;

	if (landlock_restricted() || !capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = vfs_lookup_mnt(AT_FDCWD, new_root, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &nd, &nm);
	if (err)
		return err;
	err = vfs_lookup_mnt(AT_FDCWD, put_old, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &od, &om);
	if (err) {
		dentry_put(nd);
		mount_put(nm);
		return err;
	}
	c = vfs_current_fs();
	rd = fs_context_get_root_mnt(c, &rm);
	fs_context_put(c);
	mutex_lock(&vfs_ns_lock);
	err = pivot_checks(rm, rd, nm, nd, om, od);
	if (!err) {
		/* new_root takes the old root's place; the old root goes on put_old. */
		rparent = rm->parent;
		rmp = rm->mountpoint;
		mount_get(rparent);
		dentry_get(rmp);
		mount_detach(nm, false);
		mount_detach(rm, false);
		mount_attach(rm, om, od);
		mount_attach(nm, rparent, rmp);
		mount_put(rparent);
		dentry_put(rmp);
	}
	mutex_unlock(&vfs_ns_lock);
	if (!err) {
		pv = (struct pivot){ .old_m = rm, .old_d = rd, .new_m = nm, .new_d = nd };
		pivot_all(&pv);
	}
	dentry_put(nd);
	dentry_put(od);
	dentry_put(rd);
	mount_put(nm);
	mount_put(om);
	mount_put(rm);
	return err;
}
