// SPDX-License-Identifier: MPL-2.0
// The dentry cache: names, parents and children.  For ramfs-like file
// systems the cache *is* the directory; dynamic ones (procfs) get fresh,
// uncached dentries on every lookup.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/task.h>
#include "fs/vfs.h"

struct mutex vfs_ns_lock = MUTEX_INIT;
/*
 * Guards the children lists, dentry names and dentry->mounted for readers
 * that do not hold vfs_ns_lock.  Never taken from interrupts: preemption
 * off is enough, and nothing under it sleeps.
 */
static spinlock_t dcache_lock = SPINLOCK_INIT;

static void dcache_lock_take(void)
{
	preempt_disable();
	spin_lock_raw(&dcache_lock);
}

static void dcache_lock_drop(void)
{
	spin_unlock_raw(&dcache_lock);
	preempt_enable();
}

/*
 * Every cached child is also in one hash chain, by parent and name, so
 * a lookup does not walk a big directory's children (dcache_lock held).
 */
#define HASH_BUCKETS	1024
static struct dentry *hash_table[HASH_BUCKETS];

static struct dentry **bucket(const struct dentry *dir, uint32_t name_hash)
{
	uint64_t k = (uint64_t)(uintptr_t)dir;

	k = (k >> 4) ^ (k >> 16) ^ name_hash;
	return &hash_table[k % HASH_BUCKETS];
}

static void hash_add(struct dentry *d)
{
	struct dentry **b = bucket(d->parent, d->name_hash);

	d->hash_next = *b;
	*b = d;
}

static void hash_del(struct dentry *d)
{
	for (struct dentry **pp = bucket(d->parent, d->name_hash); *pp; pp = &(*pp)->hash_next) {
		if (*pp == d) {
			*pp = d->hash_next;
			break;
		}
	}
	d->hash_next = NULL;
}

/* FNV-1a: cheap, and good enough to tell the names of one directory apart. */
uint32_t dentry_name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

void dentry_set_name(struct dentry *d, char *name)
{
	size_t len = strlen(name);

	kfree(d->name);
	d->name = name;
	d->name_len = (uint32_t)len;
	d->name_hash = dentry_name_hash(name, len);
}

static struct dentry *dentry_alloc(const char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof(*d));
	char *n;

	if (!d)
		return NULL;
	n = kmalloc(len + 1);
	if (!n) {
		kfree(d);
		return NULL;
	}
	memcpy(n, name, len);
	n[len] = 0;
	dentry_set_name(d, n);
	refcount_set(&d->refs, 1);
	list_init(&d->children);
	list_init(&d->sibling);
	d->next_seq = 2;
	return d;
}

int dentry_new(struct dentry *parent, const char *name, size_t len, struct inode *inode,
	       struct dentry **out)
{
	struct dentry *d = dentry_alloc(name, len);

	if (!d)
		return -ENOMEM;
	dentry_get(parent);
	d->parent = parent;
	d->sb = parent->sb;
	d->inode = inode;
	if (inode)
		inode_get(inode);
	*out = d;
	return 0;
}

int dentry_new_root(struct super_block *sb, struct inode *inode, struct dentry **out)
{
	struct dentry *d = dentry_alloc("/", 1);

	if (!d)
		return -ENOMEM;
	d->sb = sb;
	d->inode = inode;
	inode_get(inode);
	/* A root stays for as long as its super block: it counts as cached. */
	d->cached = true;
	*out = d;
	return 0;
}

void dentry_get(struct dentry *d)
{
	refcount_inc(&d->refs);
}

static void dentry_free(struct dentry *d)
{
	inode_put(d->inode);
	kfree(d->name);
	kfree(d);
}

/*
 * No lock: a dentry linked in its parent holds the cache's reference, so
 * the count reaches zero only after dentry_detach has unlinked it (and
 * cleared cached before dropping that reference).  Roots stay cached and
 * are never freed here.
 */
void dentry_put(struct dentry *d)
{
	while (d) {
		struct dentry *parent;

		if (!refcount_dec_and_test(&d->refs) || d->cached)
			return;
		parent = d->parent;
		dentry_free(d);
		d = parent;	/* the freed dentry's reference on its parent */
	}
}

/*
 * Iteratively, deepest first (a tree may be deeper than a kernel stack
 * allows recursing): a dentry whose children are all gone is detached,
 * which frees it unless an open file still holds it.  No mount shows sb
 * any more, so no lookup can add children meanwhile.
 */
void dentry_kill_tree(struct super_block *sb)
{
	struct dentry *root = sb->root, *d = root;

	if (!root)
		return;
	for (;;) {
		struct dentry *parent;

		if (!list_empty(&d->children)) {
			d = list_entry(d->children.next, struct dentry, sibling);
			continue;
		}
		if (d == root)
			break;
		parent = d->parent;
		dentry_detach(d);
		d = parent;
	}
	sb->root = NULL;
	root->cached = false;
	dentry_put(root);	/* the super block's reference */
}

void dentry_attach(struct dentry *d)
{
	struct dentry *p = d->parent;

	dentry_get(d);		/* the cache's reference */
	dcache_lock_take();
	d->cached = true;
	d->seq = p->next_seq++;
	list_add_tail(&p->children, &d->sibling);
	hash_add(d);
	dcache_lock_drop();
}

void dentry_detach(struct dentry *d)
{
	dcache_lock_take();
	list_del(&d->sibling);
	hash_del(d);
	d->cached = false;
	dcache_lock_drop();
	dentry_put(d);		/* the cache's reference */
}

/* dcache_lock held. */
static struct dentry *find_child_locked(struct dentry *dir, const char *name, size_t len)
{
	uint32_t h = dentry_name_hash(name, len);

	for (struct dentry *c = *bucket(dir, h); c; c = c->hash_next)
		if (c->parent == dir && c->name_hash == h && c->name_len == len &&
		    memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

struct dentry *dentry_find_child(struct dentry *dir, const char *name, size_t len)
{
	struct dentry *c;

	dcache_lock_take();
	c = find_child_locked(dir, name, len);
	if (c)
		dentry_get(c);
	dcache_lock_drop();
	return c;
}

int dentry_lookup_fast(struct dentry *dir, const char *name, size_t len, struct dentry **out)
{
	struct inode *di = dir->inode;
	struct dentry *c;
	int err = 0;

	dcache_lock_take();
	c = find_child_locked(dir, name, len);
	if (c && !c->mounted)
		dentry_get(c);
	else if (c)
		err = -EAGAIN;		/* crossing the mount needs the ns lock */
	else
		err = di->iops && di->iops->lookup ? -EAGAIN : -ENOENT;
	dcache_lock_drop();
	if (!err)
		*out = c;
	return err;
}

void dentry_mount_count(struct dentry *d, int delta)
{
	dcache_lock_take();
	d->mounted = (uint32_t)((int)d->mounted + delta);
	dcache_lock_drop();
}

/*
 * Ask dir's file system for a child the cache does not hold.  Apart from
 * dentry_lookup so the hit path does not zero the name buffer.
 */
static int dentry_lookup_fs(struct dentry *dir, const char *name, size_t len,
			    struct dentry **out)
{
	struct inode *di = dir->inode;
	struct inode *child;
	char buf[NAME_MAX + 1];
	int err;

	if (!di->iops || !di->iops->lookup || di->names_cached)
		return -ENOENT;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(buf, name, len);
	buf[len] = 0;
	err = di->iops->lookup(di, buf, &child);
	if (err)
		return err;
	err = dentry_new(dir, name, len, child, out);
	inode_put(child);
	/* A disk file system's entries stay valid: cache them (ns lock held). */
	if (!err && !(dir->sb->type && dir->sb->type->dynamic))
		dentry_attach(*out);
	return err;
}

int dentry_lookup(struct dentry *dir, const char *name, size_t len, struct dentry **out)
{
	*out = dentry_find_child(dir, name, len);
	if (*out)
		return 0;
	return dentry_lookup_fs(dir, name, len, out);
}

bool dentry_is_root_of(struct dentry *d, struct dentry *root)
{
	return d == root;
}

struct dentry *mount_ns_parent(struct mount **m, struct dentry *d)
{
	while (d == (*m)->root) {
		if (!(*m)->parent)
			return NULL;
		d = (*m)->mountpoint;
		*m = (*m)->parent;
	}
	return d->parent;
}

struct dentry *dentry_ns_parent(struct dentry *d)
{
	struct mount *m = mount_of_dentry_locked(d);

	return m ? mount_ns_parent(&m, d) : d->parent;
}

/* Prepend name with a '/' at buf[*pos]. */
static int prepend(char *buf, size_t *pos, const char *name)
{
	size_t n = strlen(name);

	if (*pos < n + 1)
		return -ENAMETOOLONG;
	*pos -= n;
	memcpy(buf + *pos, name, n);
	buf[--*pos] = '/';
	return 0;
}

int dentry_path(struct dentry *d, struct dentry *root, char *buf, size_t size)
{
	int n;

	mutex_lock(&vfs_ns_lock);
	n = dentry_path_locked(d, root, buf, size);
	mutex_unlock(&vfs_ns_lock);
	return n;
}

int dentry_path_locked(struct dentry *d, struct dentry *root, char *buf, size_t size)
{
	struct mount *m = mount_of_dentry_locked(d), *rm = mount_of_dentry_locked(root);

	if (!m || !rm)
		return -ENOENT;
	return mount_path_locked(m, d, rm, root, buf, size);
}

int mount_path_locked(struct mount *m, struct dentry *d, struct mount *root_m,
		      struct dentry *root, char *buf, size_t size)
{
	size_t pos = size;
	bool deleted = !d->cached && !(d->sb->type && d->sb->type->dynamic);
	int err = 0;

	if (size < 2)
		return -ERANGE;
	buf[--pos] = 0;
	while (d && !(d == root && m == root_m)) {
		/* The root of a mount stands for its mount point. */
		if (m && d == m->root) {
			if (!m->parent)
				break;
			d = m->mountpoint;
			m = m->parent;
			continue;
		}
		if (!d->parent)
			break;
		err = prepend(buf, &pos, d->name);
		if (err)
			break;
		d = d->parent;
	}
	if (err)
		return err;
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	if (deleted && strlen(buf) + 11 <= size) {
		size_t l = strlen(buf);

		memcpy(buf + l, " (deleted)", 11);
	}
	return (int)strlen(buf);
}
