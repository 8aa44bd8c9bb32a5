// SPDX-License-Identifier: MPL-2.0
// Mount propagation (Linux's fs/pnode.c, after the rules of
// Documentation/filesystems/sharedsubtree.rst): peer groups, masters and
// slaves; a mount or umount under a mount is repeated under every mount
// that receives propagation from it.  Everything here runs under the ns
// lock.
#include <aster/errno.h>
#include <aster/heap.h>
#include "fs/vfs.h"
#include "fs/vfs/mount_internal.h"

/* Peer group ids are handed out in order and not reused (Linux's ida reuses them). */
static int next_group_id = 1;
/* The mark of the current walk: a mount whose mark equals it was visited. */
static uint32_t mark_gen;

static struct mount *next_peer(struct mount *m)
{
	return list_entry(m->share.next, struct mount, share);
}

static void set_shared(struct mount *m)
{
	if (!m->group_id)
		m->group_id = next_group_id++;
}

void pnode_init(struct mount *m)
{
	list_init(&m->share);
	list_init(&m->slaves);
	list_init(&m->slave);
	m->master = NULL;
	m->group_id = 0;
}

static void set_master(struct mount *m, struct mount *master)
{
	list_del(&m->slave);
	m->master = master;
	if (master)
		list_add_tail(&master->slaves, &m->slave);
}

void pnode_clone(struct mount *copy, struct mount *old, int flags)
{
	if (flags & CL_PRIVATE)
		return;
	if ((flags & CL_SLAVE) && old->group_id) {
		set_master(copy, old);
	} else if (!(flags & CL_SLAVE)) {
		/* A bind (or a namespace's copy) is a peer of a shared original and a slave of its master. */
		if (old->group_id) {
			copy->group_id = old->group_id;
			list_add_tail(&old->share, &copy->share);
		}
		if (old->master)
			set_master(copy, old->master);
	}
	if (flags & CL_MAKE_SHARED)
		set_shared(copy);
}

/*
 * m leaves its peer group (Linux's do_make_slave): the mounts that were
 * its slaves go to one of its peers, or with none to its own master (or
 * become private).  Returns the master m would have as a slave.
 */
static struct mount *leave_group(struct mount *m)
{
	struct mount *peer = list_empty(&m->share) ? NULL : next_peer(m);
	struct mount *to = peer ? peer : m->master;
	struct mount *s, *tmp;

	list_for_each_entry_safe(s, tmp, &m->slaves, slave)
		set_master(s, to);
	list_del(&m->share);
	m->group_id = 0;
	return to;
}

void pnode_forget(struct mount *m)
{
	(void)leave_group(m);
	set_master(m, NULL);
}

/* One mount's new type (Linux's change_mnt_propagation). */
static void change_one(struct mount *m, uint64_t type)
{
	m->unbindable = type == MS_UNBINDABLE;
	switch (type) {
	case MS_SHARED:
		set_shared(m);
		break;
	case MS_SLAVE:
		set_master(m, leave_group(m));
		break;
	default:	/* MS_PRIVATE, MS_UNBINDABLE */
		pnode_forget(m);
		break;
	}
}

static bool in_tree(struct mount *m, struct mount *top)
{
	for (; m; m = m->parent)
		if (m == top)
			return true;
	return false;
}

int pnode_change_type(struct mount *m, uint64_t type, bool rec)
{
	struct mount *c;

	change_one(m, type);
	if (!rec)
		return 0;
	list_for_each_entry(c, &mount_list, node)
		if (c != m && c->ns == m->ns && in_tree(c, m))
			change_one(c, type);
	return 0;
}

/*
 * A walk over the mounts that receive propagation from a mount: its peers,
 * its slaves, their peers and slaves... each once.  visit(r, src, flags,
 * &next) is told that r receives from src (flags: how a copy of src at r
 * relates to it) and says in next what r's own receivers receive from.
 */
struct prop_walk {
	struct dentry *mp;
	int (*visit)(struct prop_walk *w, struct mount *r, struct mount *src, int flags,
		     struct mount **next);
	/* pnode_graft's copies and where they go. */
	struct mount **copies, **at;
	size_t n, cap;
	/* pnode_umount's victims, chained through their copy field, and the mount unmounted. */
	struct mount *victims, *umounted;
	bool busy;
};

static int walk_group(struct prop_walk *w, struct mount *x, struct mount *src);

static bool visit_once(struct mount *r)
{
	if (r->mark == mark_gen || !r->ns)
		return false;	/* seen, or not in any tree (a copy being made) */
	r->mark = mark_gen;
	return true;
}

static int walk_slaves(struct prop_walk *w, struct mount *x, struct mount *src)
{
	struct mount *v, *next;
	int err;

	list_for_each_entry(v, &x->slaves, slave) {
		if (!visit_once(v))
			continue;
		next = src;
		err = w->visit(w, v, src, CL_SLAVE | (v->group_id ? CL_MAKE_SHARED : 0), &next);
		if (!err)
			err = walk_group(w, v, next);
		if (err)
			return err;
	}
	return 0;
}

/* x was visited (its receivers get src): its peers, then every member's slaves. */
static int walk_group(struct prop_walk *w, struct mount *x, struct mount *src)
{
	struct mount *p = x, *next;
	int err = 0;

	do {
		next = src;
		if (p != x) {
			if (!visit_once(p))
				continue;
			err = w->visit(w, p, src, 0, &next);
		}
		if (!err)
			err = walk_slaves(w, p, next);
		if (err)
			return err;
	} while ((p = next_peer(p)) != x);
	return 0;
}

static int walk(struct prop_walk *w, struct mount *from, struct mount *src)
{
	mark_gen++;
	from->mark = mark_gen;
	return walk_group(w, from, src);
}

/* Does r show the dentry mp (a bind of a subtree may not)? */
static bool shows(struct mount *r, struct dentry *mp)
{
	return r->sb == mp->sb && dentry_under(mp, r->root);
}

static int graft_visit(struct prop_walk *w, struct mount *r, struct mount *src, int flags,
		       struct mount **next)
{
	struct mount *copy;
	int err;

	if (!shows(r, w->mp))
		return 0;
	if (w->n == w->cap)
		return -ENOMEM;
	err = mount_clone_tree(src, src->root, true, flags, &copy);
	if (err)
		return err;
	w->copies[w->n] = copy;
	w->at[w->n++] = r;
	*next = copy;
	return 0;
}

static size_t count_mounts(void)
{
	struct mount *m;
	size_t n = 0;

	list_for_each_entry(m, &mount_list, node)
		n++;
	return n;
}

/*
 * Put copy on (r, mp).  A mount already there goes on top of the copy
 * (Linux's tucking: propagation does not hide what was mounted).
 */
static void attach_tucked(struct mount *copy, struct mount *r, struct dentry *mp)
{
	struct mount *e = mount_lookup(r, mp);

	if (e && !mount_lookup(copy, copy->root)) {
		mount_get(e);
		mount_detach(e, false);
		mount_attach(copy, r, mp);
		mount_attach(e, copy, copy->root);
		mount_put(e);
		return;
	}
	mount_attach(copy, r, mp);
}

int pnode_graft(struct mount *src, struct mount *dest, struct dentry *mp)
{
	struct prop_walk w = { .mp = mp, .visit = graft_visit };
	struct mount *c;
	int err;

	if (dest->group_id) {
		/* Under a shared mount, the new tree is shared (Linux's invent_group_ids). */
		set_shared(src);
		list_for_each_entry(c, &mount_list, node)
			if (in_tree(c, src))
				set_shared(c);
	}
	if (!dest->group_id && list_empty(&dest->slaves)) {
		mount_attach(src, dest, mp);
		return 0;
	}
	w.cap = count_mounts();
	w.copies = kcalloc(w.cap + 1, sizeof(*w.copies));
	w.at = kcalloc(w.cap + 1, sizeof(*w.at));
	err = w.copies && w.at ? walk(&w, dest, src) : -ENOMEM;
	if (err) {
		for (size_t i = 0; i < w.n; i++) {
			mount_umount_tree(w.copies[i], false);
			mount_put(w.copies[i]);
		}
	} else {
		mount_attach(src, dest, mp);
		for (size_t i = 0; i < w.n; i++)
			attach_tucked(w.copies[i], w.at[i], mp);
	}
	kfree(w.copies);
	kfree(w.at);
	return err;
}

static bool has_children(struct mount *m)
{
	struct mount *c;

	list_for_each_entry(c, &mount_list, node)
		if (c->parent == m)
			return true;
	return false;
}

/* The copy of w->umounted that propagation put on r, when it has no submounts. */
static struct mount *copy_on(struct prop_walk *w, struct mount *r)
{
	struct mount *c;

	if (!shows(r, w->mp))
		return NULL;
	c = mount_lookup(r, w->mp);
	if (!c || c == w->umounted || c->sb != w->umounted->sb || has_children(c))
		return NULL;
	return c;
}

static int umount_visit(struct prop_walk *w, struct mount *r, struct mount *src, int flags,
			struct mount **next)
{
	struct mount *c = copy_on(w, r);

	(void)src;
	(void)flags;
	(void)next;
	if (c) {
		/* Chained for after the walk: detaching now would change the lists walked. */
		c->copy = w->victims ? w->victims : c;
		w->victims = c;
	}
	return 0;
}

void pnode_umount(struct mount *m)
{
	struct prop_walk w = { .mp = m->mountpoint, .visit = umount_visit, .umounted = m };
	struct mount *v, *next;

	if (!m->parent || (!m->parent->group_id && list_empty(&m->parent->slaves)))
		return;
	(void)walk(&w, m->parent, m);
	/* The chain ends at a mount whose copy field points at itself. */
	for (v = w.victims; v; v = next) {
		next = v->copy == v ? NULL : v->copy;
		v->copy = NULL;
		pnode_forget(v);
		mount_detach(v, true);
	}
}

static int busy_visit(struct prop_walk *w, struct mount *r, struct mount *src, int flags,
		      struct mount **next)
{
	struct mount *c = copy_on(w, r);

	(void)src;
	(void)flags;
	(void)next;
	/* The tree's reference alone: anything more is a user. */
	if (c && refcount_read(&c->refs) > 1)
		w->busy = true;
	return 0;
}

bool pnode_umount_busy(struct mount *m)
{
	struct prop_walk w = { .mp = m->mountpoint, .visit = busy_visit, .umounted = m };

	if (!m->parent || (!m->parent->group_id && list_empty(&m->parent->slaves)))
		return false;
	(void)walk(&w, m->parent, m);
	return w.busy;
}
