/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Landlock's rulesets and domains.  Private to kernel/security/landlock/.
 *
 * One structure serves both: a ruleset made by landlock_create_ruleset
 * has one layer and grows with landlock_add_rule (under its lock); a
 * domain, made by landlock_restrict_self from the caller's old domain and
 * a ruleset, is never changed again and is shared by reference among the
 * threads that inherited it.
 *
 * A rule names an inode (holding a reference, so that its identity cannot
 * pass to another inode) and, per layer, the rights it grants beneath it.
 * Rules are kept sorted by the inode's address for a binary search.
 */
#ifndef KERNEL_SECURITY_LANDLOCK_INTERNAL_H
#define KERNEL_SECURITY_LANDLOCK_INTERNAL_H
#include <aster/refcount.h>
#include <aster/sync.h>
#include <aster/types.h>
#include "uapi/landlock.h"

/* Linux's LANDLOCK_MAX_NUM_LAYERS and LANDLOCK_ABI_VERSION. */
#define LL_MAX_LAYERS		16
#define LL_ABI_VERSION		3
#define LL_NUM_ACCESS		15
#define LL_MASK_ACCESS		((uint16_t)((1U << LL_NUM_ACCESS) - 1))
/* The rights that make sense on a file (not a directory): Linux's ACCESS_FILE. */
#define LL_ACCESS_FILE		((uint16_t)(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
					    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE))
#define LL_REFER		((uint16_t)LANDLOCK_ACCESS_FS_REFER)

struct inode;

struct ll_rule {
	struct inode *obj;		/* a reference */
	uint16_t access[LL_MAX_LAYERS];	/* per layer: what this rule grants */
};

struct ll_ruleset {
	refcount_t refs;
	struct mutex lock;		/* rulesets: add_rule against restrict_self */
	uint32_t nlayers;
	uint16_t handled[LL_MAX_LAYERS];	/* per layer: handled_access_fs */
	uint32_t nrules, cap;
	struct ll_rule *rules;
	/* Domains: the domain this one was made from (a reference), for ptrace's scoping. */
	struct ll_ruleset *parent;
};

/* A ruleset handling handled (one layer): 0, -ENOMEM. */
int ll_ruleset_new(uint16_t handled, struct ll_ruleset **out);
void ll_ruleset_get(struct ll_ruleset *r);
void ll_ruleset_put(struct ll_ruleset *r);
/* Grant access beneath obj (its reference passes to the ruleset): 0, -ENOMEM. */
int ll_ruleset_add(struct ll_ruleset *r, struct inode *obj, uint16_t access);
/* A new domain: old's layers (old may be NULL), then r's as the newest: 0, -E2BIG, -ENOMEM. */
int ll_domain_merge(struct ll_ruleset *old, struct ll_ruleset *r, struct ll_ruleset **out);
/* The rule of a domain on obj, or NULL. */
const struct ll_rule *ll_find_rule(const struct ll_ruleset *dom, const struct inode *obj);

/* The calling thread's domain (borrowed: it lives as long as the thread), or NULL. */
struct ll_ruleset *ll_current_domain(void);

#endif
