// SPDX-License-Identifier: MPL-2.0
// Mounts: the file-system types, the mount tree and its references, the
// root file system.  mount(2), umount2(2) and pivot_root(2) are in
// mount_ops.c; the /proc text and statfs in mount_info.c.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/vfs.h"
#include "fs/vfs/mount_internal.h"
#include "uapi/mount.h"

struct list_node mount_list = LIST_INIT(mount_list);
struct dentry *vfs_root;
struct mount *root_mount;
static uint32_t next_dev = 1;
static int next_mount_id = 1;
/* The id counter alone: mount_new runs under the ns lock too (clone_tree). */
static spinlock_t mount_id_lock = SPINLOCK_INIT;
/* Guards mount->writers against a remount to read-only meanwhile. */
static spinlock_t mount_write_lock = SPINLOCK_INIT;

static const struct fs_type *const fs_types[] = {
	&ramfs_type, &tmpfs_type, &devtmpfs_type, &procfs_type, &sysfs_type,
	&devpts_type, &ext2_type, &mqueue_type, &cgroup2_type,
};

int fs_type_find(const char *name, const struct fs_type **out)
{
	for (size_t i = 0; i < ARRAY_SIZE(fs_types); i++) {
		if (strcmp(fs_types[i]->name, name) == 0) {
			*out = fs_types[i];
			return 0;
		}
	}
	return -ENODEV;
}

const struct fs_type *fs_type_nth(size_t i)
{
	return i < ARRAY_SIZE(fs_types) ? fs_types[i] : NULL;
}

uint32_t vfs_new_dev(void)
{
	/* Anonymous devices, major 0 as Linux gives virtual file systems. */
	return MKDEV(0, next_dev++);
}

void mount_get(struct mount *m)
{
	if (m)
		refcount_inc(&m->refs);
}

void mount_put(struct mount *m)
{
	while (m && refcount_dec_and_test(&m->refs)) {
		struct mount *parent = m->parent;

		/* Detached already: the tree's reference was the last but these. */
		if (m->root)
			dentry_put(m->root);
		if (m->mountpoint)
			dentry_put(m->mountpoint);
		sb_mount_drop(m->sb);
		kfree(m->source);
		kfree(m);
		m = parent;
	}
}

int mount_new(struct super_block *sb, struct dentry *root, const char *source, uint64_t flags,
	      struct mount **out)
{
	struct mount *m = kzalloc(sizeof(*m));
	size_t n = strlen(source);
	char *src = kmalloc(n + 1);
	irqflags_t fl;

	if (!m || !src) {
		kfree(m);
		kfree(src);
		return -ENOMEM;
	}
	memcpy(src, source, n + 1);
	refcount_set(&m->refs, 1);	/* the tree's, once attached */
	m->source = src;
	m->sb = sb;
	sb_mount_add(sb);
	m->root = root;
	dentry_get(root);
	m->flags = flags & MNT_FLAG_MASK;
	list_init(&m->node);
	pnode_init(m);
	fl = spin_lock_irqsave(&mount_id_lock);
	m->id = next_mount_id++;
	spin_unlock_irqrestore(&mount_id_lock, fl);
	*out = m;
	return 0;
}

struct mount *mount_of_dentry_locked(struct dentry *d)
{
	return d->sb->mnt;
}

struct mount *mount_of_dentry(struct dentry *d)
{
	struct mount *m;

	mutex_lock(&vfs_ns_lock);
	m = d->sb->mnt;
	mount_get(m);
	mutex_unlock(&vfs_ns_lock);
	return m;
}

struct mount *mount_lookup(struct mount *parent, struct dentry *d)
{
	struct mount *m;

	if (!d->mounted)
		return NULL;
	list_for_each_entry(m, &mount_list, node)
		if (m->parent == parent && m->mountpoint == d)
			return m;
	return NULL;
}

void mount_follow(struct mount **m, struct dentry **d)
{
	struct mount *c;

	while ((c = mount_lookup(*m, *d)) != NULL) {
		mount_get(c);
		dentry_get(c->root);
		mount_put(*m);
		dentry_put(*d);
		*m = c;
		*d = c->root;
	}
}

bool dentry_under(struct dentry *d, struct dentry *root)
{
	for (; d; d = d->parent)
		if (d == root)
			return true;
	return false;
}

/* m and the mounts below it now belong to ns (a tree made apart joins one). */
static void tree_set_ns(struct mount *m, struct mnt_namespace *ns)
{
	struct mount *c, *a;

	m->ns = ns;
	list_for_each_entry(c, &mount_list, node) {
		for (a = c->parent; a; a = a->parent) {
			if (a == m) {
				c->ns = ns;
				break;
			}
		}
	}
}

void mount_make_ns_root(struct mount *m, struct mnt_namespace *ns)
{
	struct mount *c, *a;
	struct list_node *before = &mount_list;

	/* Before the first mount below it: mountinfo lists a namespace's root first, as Linux. */
	list_for_each_entry(c, &mount_list, node) {
		for (a = c->parent; a && a != m; a = a->parent)
			;
		if (a == m) {
			before = &c->node;
			break;
		}
	}
	m->attached = true;
	list_insert_between(&m->node, before->prev, before);
	tree_set_ns(m, ns);
	if (!m->sb->mnt)
		m->sb->mnt = m;
}

/* ns lock held: m (holding its tree reference) goes on (parent, mp). */
void mount_attach(struct mount *m, struct mount *parent, struct dentry *mp)
{
	mount_get(parent);
	dentry_get(mp);
	m->parent = parent;
	m->mountpoint = mp;
	m->attached = true;
	dentry_mount_count(mp, 1);
	list_add_tail(&mount_list, &m->node);
	if (m->ns != parent->ns)
		tree_set_ns(m, parent->ns);
	if (!m->sb->mnt)
		m->sb->mnt = m;
}

/*
 * ns lock held: take m out of the tree, keeping the caller's reference
 * count as it was except the tree's (put drops it: m may be freed).
 */
void mount_detach(struct mount *m, bool put)
{
	struct mount *parent = m->parent, *o;
	struct dentry *mp = m->mountpoint;

	if (!m->attached)
		return;
	list_del(&m->node);
	m->attached = false;
	m->ns = NULL;
	m->parent = NULL;
	m->mountpoint = NULL;
	if (mp)
		dentry_mount_count(mp, -1);
	if (m->sb->mnt == m) {
		m->sb->mnt = NULL;
		list_for_each_entry(o, &mount_list, node) {
			if (o->sb == m->sb) {
				m->sb->mnt = o;
				break;
			}
		}
		/* The last mount of a disk file system went: its data to the disk. */
		if (!m->sb->mnt && m->sb->sync)
			m->sb->sync(m->sb);
	}
	if (mp)
		dentry_put(mp);
	mount_put(parent);
	if (put)
		mount_put(m);
}

int vfs_sync_all(void)
{
	struct mount *m;
	int err = 0;

	/* Under the ns lock, so no super block goes meanwhile; the lock order allows it. */
	mutex_lock(&vfs_ns_lock);
	list_for_each_entry(m, &mount_list, node) {
		if (m->sb->sync && m->sb->mnt == m) {
			int e = m->sb->sync(m->sb);

			if (!err)
				err = e;
		}
	}
	mutex_unlock(&vfs_ns_lock);
	return err;
}

int mount_want_write(struct mount *m)
{
	if (!m)
		return 0;
	return (m->flags & MS_RDONLY) || (m->sb->flags & MS_RDONLY) ? -EROFS : 0;
}

int mount_get_write(struct mount *m)
{
	irqflags_t fl;
	int err;

	if (!m)
		return 0;
	fl = spin_lock_irqsave(&mount_write_lock);
	err = mount_want_write(m);
	if (!err)
		m->writers++;
	spin_unlock_irqrestore(&mount_write_lock, fl);
	return err;
}

void mount_put_write(struct mount *m)
{
	irqflags_t fl;

	if (!m)
		return;
	fl = spin_lock_irqsave(&mount_write_lock);
	m->writers--;
	spin_unlock_irqrestore(&mount_write_lock, fl);
}

/*
 * Make m (or, sb_wide, every mount of its super block) read-only unless a
 * file is open for writing through it: 0 or -EBUSY (ns lock held).
 */
int mount_make_readonly(struct mount *m, bool sb_wide)
{
	irqflags_t fl = spin_lock_irqsave(&mount_write_lock);
	struct mount *o;
	int err = 0;

	if (sb_wide) {
		list_for_each_entry(o, &mount_list, node)
			if (o->sb == m->sb && o->writers > 0)
				err = -EBUSY;
		if (m->writers > 0)
			err = -EBUSY;
		if (!err)
			m->sb->flags |= MS_RDONLY;
	} else if (m->writers > 0) {
		err = -EBUSY;
	} else {
		m->flags |= MS_RDONLY;
	}
	spin_unlock_irqrestore(&mount_write_lock, fl);
	return err;
}

int vfs_mount_at(struct dentry *d, struct super_block *sb, const char *source)
{
	struct mount *m, *parent;
	int err = mount_new(sb, sb->root, source, sb->flags, &m);

	if (err)
		return err;
	parent = mount_of_dentry(d);
	mutex_lock(&vfs_ns_lock);
	if (!parent)
		err = -ENOENT;
	else if (d->mounted && mount_lookup(parent, d))
		err = -EBUSY;
	else
		mount_attach(m, parent, d);
	mutex_unlock(&vfs_ns_lock);
	mount_put(parent);
	if (err)
		mount_put(m);
	return err;
}

int vfs_kern_mount(struct super_block *sb, const char *source, struct mount **out)
{
	return mount_new(sb, sb->root, source, sb->flags, out);
}

int vfs_init_root(void)
{
	struct super_block *sb;
	struct mount *m;
	int err;

	if (vfs_root)
		return 0;
	err = ramfs_type.mount("rootfs", 0, &sb);
	if (err)
		return err;
	err = mount_new(sb, sb->root, "rootfs", 0, &m);
	if (err)
		return err;
	/* The root mount has no parent and no mount point: ".." stops at it. */
	mutex_lock(&vfs_ns_lock);
	m->attached = true;
	list_add_tail(&mount_list, &m->node);
	sb->mnt = m;
	root_mount = m;
	m->ns = &init_mnt_ns;
	init_mnt_ns.root = m;
	mount_get(m);
	vfs_root = sb->root;
	dentry_get(vfs_root);
	mutex_unlock(&vfs_ns_lock);
	return 0;
}
