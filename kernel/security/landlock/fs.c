// SPDX-License-Identifier: MPL-2.0
// Landlock's file-system checks: the path-beneath walk and the VFS hooks
// (Linux's security/landlock/fs.c semantics, ABI version 3).
//
// A request is a set of rights.  For each right, a mask of the layers
// that handle it and have not granted it yet (REFER is handled by every
// layer, as Linux's "initially denied" right); walking from the file up to
// the root, each rule met clears the layers it grants.  The request is
// allowed once every mask is empty.
#include <aster/errno.h>
#include <aster/string.h>
#include "fs/file.h"
#include "uapi/fcntl.h"
#include "uapi/stat.h"
#include "security/landlock/landlock.h"
#include "security/landlock/internal.h"

typedef uint16_t ll_masks[LL_NUM_ACCESS];

static uint16_t bit(unsigned int b)
{
	return (uint16_t)(1U << b);
}

/* Which layers handle each right of request; returns the handled part (Linux's init_layer_masks). */
static uint16_t init_masks(const struct ll_ruleset *dom, uint16_t request, ll_masks lm)
{
	uint16_t handled = 0;

	memset(lm, 0, sizeof(ll_masks));
	for (uint32_t l = 0; l < dom->nlayers; l++) {
		for (unsigned int b = 0; b < LL_NUM_ACCESS; b++) {
			if (request & bit(b) & (dom->handled[l] | LL_REFER)) {
				lm[b] |= bit(l);
				handled |= bit(b);
			}
		}
	}
	return handled;
}

static bool masks_clear(uint16_t request, const ll_masks lm)
{
	for (unsigned int b = 0; b < LL_NUM_ACCESS; b++)
		if ((request & bit(b)) && lm[b])
			return false;
	return true;
}

/* The layers rule grants leave the masks; true once all of request is granted. */
static bool unmask(const struct ll_ruleset *dom, const struct ll_rule *rule, uint16_t request,
		   ll_masks lm)
{
	if (!request)
		return true;
	if (!rule)
		return false;
	for (uint32_t l = 0; l < dom->nlayers; l++)
		for (unsigned int b = 0; b < LL_NUM_ACCESS; b++)
			if (request & rule->access[l] & bit(b))
				lm[b] &= (uint16_t)~bit(l);
	return masks_clear(request, lm);
}

static const struct ll_rule *rule_at(const struct ll_ruleset *dom, const struct fs_walk *w)
{
	return ll_find_rule(dom, fs_walk_inode(w));
}

/* Walk from (m, d) to the root until request (handled rights only) is granted. */
static bool path_allowed(const struct ll_ruleset *dom, struct mount *m, struct dentry *d,
			 bool ns_locked, uint16_t request, ll_masks lm)
{
	struct fs_walk w;
	bool ok;

	if (!request)
		return true;
	fs_walk_begin(&w, m, d, ns_locked);
	do {
		ok = unmask(dom, rule_at(dom, &w), request, lm);
	} while (!ok && fs_walk_up(&w));
	fs_walk_end(&w);
	return ok;
}

static int check_path(struct mount *m, struct dentry *d, bool ns_locked, uint16_t request)
{
	const struct ll_ruleset *dom = ll_current_domain();
	ll_masks lm;

	if (!dom)
		return 0;
	request = init_masks(dom, request, lm);
	return path_allowed(dom, m, d, ns_locked, request, lm) ? 0 : -EACCES;
}

bool landlock_restricted(void)
{
	return ll_current_domain() != NULL;
}

/* Linux's get_file_access: what an open in these flags asks for. */
static uint16_t open_access(unsigned int flags, bool is_dir, bool exec)
{
	unsigned int acc = flags & O_ACCMODE;
	uint16_t a = 0;

	if (acc == O_RDONLY || acc == O_RDWR) {
		/* A directory can only be opened for reading. */
		if (is_dir)
			return LANDLOCK_ACCESS_FS_READ_DIR;
		a = LANDLOCK_ACCESS_FS_READ_FILE;
	}
	if (acc == O_WRONLY || acc == O_RDWR)
		a |= LANDLOCK_ACCESS_FS_WRITE_FILE;
	if (exec)
		a |= LANDLOCK_ACCESS_FS_EXECUTE;
	return a;
}

int landlock_file_open(struct mount *m, struct dentry *d, unsigned int flags, bool exec,
		       uint16_t *denied)
{
	const struct ll_ruleset *dom = ll_current_domain();
	uint16_t request, full, handled;
	ll_masks lm;

	*denied = 0;
	/* O_PATH opens read, write and run nothing (Linux checks them nowhere). */
	if (!dom || (flags & O_PATH))
		return 0;
	request = open_access(flags, S_ISDIR(fs_dentry_mode(d)), exec);
	/* TRUNCATE is not needed to open; the file remembers whether it has it. */
	full = request | (uint16_t)LANDLOCK_ACCESS_FS_TRUNCATE;
	handled = init_masks(dom, full, lm);
	if (path_allowed(dom, m, d, false, handled, lm))
		return 0;
	for (unsigned int b = 0; b < LL_NUM_ACCESS; b++)
		if (lm[b])
			*denied |= bit(b);
	return (request & *denied) ? -EACCES : 0;
}

int landlock_path_truncate(struct mount *m, struct dentry *d)
{
	return check_path(m, d, false, LANDLOCK_ACCESS_FS_TRUNCATE);
}

int landlock_file_truncate(uint16_t denied)
{
	return (denied & LANDLOCK_ACCESS_FS_TRUNCATE) ? -EACCES : 0;
}

/* The right to make a file of this type (Linux's get_mode_access). */
static uint16_t mode_access(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFLNK:
		return LANDLOCK_ACCESS_FS_MAKE_SYM;
	case 0:
	case S_IFREG:
		return LANDLOCK_ACCESS_FS_MAKE_REG;
	case S_IFDIR:
		return LANDLOCK_ACCESS_FS_MAKE_DIR;
	case S_IFCHR:
		return LANDLOCK_ACCESS_FS_MAKE_CHAR;
	case S_IFBLK:
		return LANDLOCK_ACCESS_FS_MAKE_BLOCK;
	case S_IFIFO:
		return LANDLOCK_ACCESS_FS_MAKE_FIFO;
	case S_IFSOCK:
		return LANDLOCK_ACCESS_FS_MAKE_SOCK;
	default:
		return 0;
	}
}

int landlock_path_mknod(struct mount *m, struct dentry *dir, uint32_t mode)
{
	return check_path(m, dir, true, mode_access(mode));
}

int landlock_path_remove(struct mount *m, struct dentry *dir, bool rmdir)
{
	return check_path(m, dir, true, rmdir ? LANDLOCK_ACCESS_FS_REMOVE_DIR :
						LANDLOCK_ACCESS_FS_REMOVE_FILE);
}

/* ---- link and rename: reparenting (Linux's current_check_refer_path) ---- */

static uint16_t maybe_remove(const struct dentry *d)
{
	if (!d)
		return 0;
	return S_ISDIR(fs_dentry_mode(d)) ? LANDLOCK_ACCESS_FS_REMOVE_DIR :
					    LANDLOCK_ACCESS_FS_REMOVE_FILE;
}

/*
 * Every right the domain handles, granted or not, from w's position up to
 * its mount's root (Linux's collect_domain_accesses): true when all are
 * granted by every layer.  w ends at the mount root unless it returns true.
 */
static bool collect(const struct ll_ruleset *dom, struct fs_walk *w, ll_masks lm)
{
	uint16_t all = init_masks(dom, LL_MASK_ACCESS, lm);

	for (;;) {
		if (unmask(dom, rule_at(dom, w), all, lm))
			return true;
		if (fs_walk_at_mount_root(w) || !fs_walk_up(w))
			return false;
	}
}

/* Keep only the rights of request; true when those are all granted (Linux's scope_to_request). */
static bool scope_to_request(uint16_t request, ll_masks lm)
{
	for (unsigned int b = 0; b < LL_NUM_ACCESS; b++)
		if (!(request & bit(b)))
			lm[b] = 0;
	return masks_clear(LL_MASK_ACCESS, lm);
}

/*
 * Does a child leaving parent "from" for parent "to" gain nothing?  The
 * layers still refusing each right at "to" must include those refusing it
 * at "from" and on the child itself (only file rights count for a file).
 */
static bool no_more_access_one(const ll_masks from, const ll_masks child, bool child_dir,
			       const ll_masks to)
{
	for (unsigned int b = 0; b < LL_NUM_ACCESS; b++) {
		if (!child_dir && !(bit(b) & LL_ACCESS_FILE))
			continue;
		if (((from[b] & child[b]) | to[b]) != to[b])
			return false;
	}
	return true;
}

/* The rights of request (but REFER) some layer still refuses: EACCES rather than EXDEV. */
static bool is_eacces(const ll_masks lm, uint16_t request)
{
	return !masks_clear(request & (uint16_t)~LL_REFER, lm);
}

struct refer_side {
	uint16_t request;	/* what this parent must grant */
	ll_masks lm;		/* the layers still refusing each right */
	bool has_child;		/* the file moving away from this parent */
	bool child_dir;
	ll_masks child;		/* its own rule's effect on the domain's rights */
};

static void child_masks(const struct ll_ruleset *dom, struct dentry *d, struct mount *m,
			struct refer_side *s)
{
	struct fs_walk w;
	uint16_t all = init_masks(dom, LL_MASK_ACCESS, s->child);

	fs_walk_begin(&w, m, d, true);
	(void)unmask(dom, rule_at(dom, &w), all, s->child);
	fs_walk_end(&w);
	s->has_child = true;
	s->child_dir = S_ISDIR(fs_dentry_mode(d));
}

static bool no_more_access(const struct refer_side *s1, const struct refer_side *s2)
{
	if (!no_more_access_one(s1->lm, s1->child, s1->child_dir, s2->lm))
		return false;
	return !s2->has_child || no_more_access_one(s2->lm, s2->child, s2->child_dir, s1->lm);
}

/*
 * From the mount root up (Linux's is_access_to_paths_allowed for two
 * parents): first on all the domain's rights, until the destination is at
 * least as restricted as the source (then nothing is gained by the move),
 * then on the requested rights alone.
 */
static bool refer_allowed(const struct ll_ruleset *dom, struct fs_walk *w, struct refer_side *s1,
			  struct refer_side *s2)
{
	uint16_t all = LL_REFER, want1, want2;
	bool dom_check = true, ok1 = false, ok2 = false;

	for (uint32_t l = 0; l < dom->nlayers; l++)
		all |= dom->handled[l];
	want1 = want2 = all;

	for (;;) {
		const struct ll_rule *rule;

		if (dom_check && no_more_access(s1, s2)) {
			ok1 = scope_to_request(s1->request, s1->lm);
			ok2 = scope_to_request(s2->request, s2->lm);
			if (ok1 && ok2)
				return true;
			dom_check = false;
			want1 = s1->request;
			want2 = s2->request;
		}
		rule = rule_at(dom, w);
		ok1 = unmask(dom, rule, want1, s1->lm);
		ok2 = unmask(dom, rule, want2, s2->lm);
		if ((ok1 && ok2) || !fs_walk_up(w))
			return ok1 && ok2;
	}
}

static int refer_same_dir(const struct ll_ruleset *dom, struct mount *m, struct dentry *dir,
			  uint16_t request)
{
	ll_masks lm;

	/* No reparenting: REFER is not needed. */
	request = init_masks(dom, request, lm);
	return path_allowed(dom, m, dir, true, request, lm) ? 0 : -EACCES;
}

static int refer_check(const struct ll_ruleset *dom, struct mount *m, struct dentry *old,
		       struct dentry *new_dir, struct dentry *new, bool exchange, struct refer_side *s1,
		       struct refer_side *s2)
{
	struct fs_walk w;
	bool all1, all2, ok;

	fs_walk_begin(&w, m, old, true);
	if (!fs_walk_up(&w)) {
		fs_walk_end(&w);
		return -EACCES;
	}
	if (fs_walk_at(&w, new_dir)) {
		fs_walk_end(&w);
		return refer_same_dir(dom, m, new_dir, s1->request | s2->request);
	}
	s1->request |= LL_REFER;
	s2->request |= LL_REFER;
	all1 = collect(dom, &w, s1->lm);
	fs_walk_end(&w);
	fs_walk_begin(&w, m, new_dir, true);
	all2 = collect(dom, &w, s2->lm);
	if (all1 && all2) {
		fs_walk_end(&w);
		return 0;
	}
	child_masks(dom, old, m, s1);
	if (exchange)
		child_masks(dom, new, m, s2);
	fs_walk_to_mount_root(&w);
	ok = refer_allowed(dom, &w, s1, s2);
	fs_walk_end(&w);
	if (ok)
		return 0;
	if (is_eacces(s1->lm, s1->request) || is_eacces(s2->lm, s2->request))
		return -EACCES;
	return -EXDEV;
}

int landlock_path_refer(struct mount *m, struct dentry *old, struct dentry *new_dir,
			struct dentry *new, bool rename, bool exchange)
{
	const struct ll_ruleset *dom = ll_current_domain();
	struct refer_side s1, s2;

	if (!dom)
		return 0;
	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	/* s1: the source's parent, s2: the destination's. */
	if (exchange) {
		if (!new)
			return -ENOENT;
		s1.request = mode_access(fs_dentry_mode(new));
	}
	s2.request = mode_access(fs_dentry_mode(old));
	if (rename) {
		s1.request |= maybe_remove(old);
		s2.request |= maybe_remove(new);
	}
	return refer_check(dom, m, old, new_dir, new, exchange, &s1, &s2);
}
