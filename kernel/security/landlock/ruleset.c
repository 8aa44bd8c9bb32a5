// SPDX-License-Identifier: MPL-2.0
// Landlock rulesets and domains: rules sorted by inode, layers merged at
// landlock_restrict_self (Linux's security/landlock/ruleset.c in spirit).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/file.h"
#include "security/landlock/internal.h"

int ll_ruleset_new(uint16_t handled, struct ll_ruleset **out)
{
	struct ll_ruleset *r = kzalloc(sizeof(*r));

	if (!r)
		return -ENOMEM;
	refcount_set(&r->refs, 1);
	mutex_init(&r->lock);
	r->nlayers = 1;
	r->handled[0] = handled;
	*out = r;
	return 0;
}

void ll_ruleset_get(struct ll_ruleset *r)
{
	refcount_inc(&r->refs);
}

void ll_ruleset_put(struct ll_ruleset *r)
{
	while (r && refcount_dec_and_test(&r->refs)) {
		struct ll_ruleset *parent = r->parent;

		for (uint32_t i = 0; i < r->nrules; i++)
			fs_inode_put(r->rules[i].obj);
		kfree(r->rules);
		kfree(r);
		/* The parent's reference goes too (a loop, not recursion: 16 deep at most anyway). */
		r = parent;
	}
}

/* The index of obj's rule, or where it would go (*found false). */
static uint32_t rule_index(const struct ll_ruleset *r, const struct inode *obj, bool *found)
{
	uint32_t lo = 0, hi = r->nrules;
	uintptr_t key = (uintptr_t)obj;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uintptr_t k = (uintptr_t)r->rules[mid].obj;

		if (k == key) {
			*found = true;
			return mid;
		}
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const struct ll_rule *ll_find_rule(const struct ll_ruleset *dom, const struct inode *obj)
{
	bool found;
	uint32_t i = rule_index(dom, obj, &found);

	return found ? &dom->rules[i] : NULL;
}

static int grow(struct ll_ruleset *r)
{
	uint32_t cap = r->cap ? r->cap * 2 : 8;
	struct ll_rule *n;

	if (r->nrules < r->cap)
		return 0;
	if (cap > UINT32_MAX / sizeof(*n))
		return -ENOMEM;
	n = krealloc(r->rules, (size_t)cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	r->rules = n;
	r->cap = cap;
	return 0;
}

/* Insert a zeroed rule on obj at index i (the reference passes): 0, -ENOMEM. */
static int insert_at(struct ll_ruleset *r, uint32_t i, struct inode *obj)
{
	int err = grow(r);

	if (err)
		return err;
	memmove(&r->rules[i + 1], &r->rules[i], (size_t)(r->nrules - i) * sizeof(r->rules[0]));
	memset(&r->rules[i], 0, sizeof(r->rules[i]));
	r->rules[i].obj = obj;
	r->nrules++;
	return 0;
}

/*
 * Grant access at layer on obj.  owned: the caller hands over a reference
 * of its own on obj (dropped when a rule holds one already, or on failure);
 * else the ruleset takes one when it makes a new rule.
 */
static int add_layer_access(struct ll_ruleset *r, struct inode *obj, uint32_t layer,
			    uint16_t access, bool owned)
{
	bool found;
	uint32_t i = rule_index(r, obj, &found);

	if (!found) {
		int err = insert_at(r, i, obj);

		if (err) {
			if (owned)
				fs_inode_put(obj);
			return err;
		}
		if (!owned)
			fs_inode_get(obj);
	} else if (owned) {
		fs_inode_put(obj);
	}
	/* Rules of one layer on one inode add up, as Linux's. */
	r->rules[i].access[layer] |= access;
	return 0;
}

int ll_ruleset_add(struct ll_ruleset *r, struct inode *obj, uint16_t access)
{
	int err;

	mutex_lock(&r->lock);
	err = add_layer_access(r, obj, 0, access, true);
	mutex_unlock(&r->lock);
	return err;
}

/* A copy of old's layers and rules (the new domain's own inode references). */
static int domain_copy(const struct ll_ruleset *old, struct ll_ruleset *dom)
{
	if (!old)
		return 0;
	dom->nlayers = old->nlayers;
	memcpy(dom->handled, old->handled, sizeof(dom->handled));
	if (!old->nrules)
		return 0;
	dom->rules = kmalloc((size_t)old->nrules * sizeof(dom->rules[0]));
	if (!dom->rules)
		return -ENOMEM;
	dom->cap = old->nrules;
	for (uint32_t i = 0; i < old->nrules; i++) {
		dom->rules[i] = old->rules[i];
		fs_inode_get(dom->rules[i].obj);
		dom->nrules++;
	}
	return 0;
}

int ll_domain_merge(struct ll_ruleset *old, struct ll_ruleset *r, struct ll_ruleset **out)
{
	struct ll_ruleset *dom;
	uint32_t layer;
	int err;

	if (old && old->nlayers >= LL_MAX_LAYERS)
		return -E2BIG;
	err = ll_ruleset_new(0, &dom);
	if (err)
		return err;
	dom->nlayers = 0;
	err = domain_copy(old, dom);
	layer = dom->nlayers;
	mutex_lock(&r->lock);
	dom->handled[layer] = r->handled[0];
	dom->nlayers = layer + 1;
	for (uint32_t i = 0; !err && i < r->nrules; i++)
		err = add_layer_access(dom, r->rules[i].obj, layer, r->rules[i].access[0], false);
	mutex_unlock(&r->lock);
	if (err) {
		ll_ruleset_put(dom);
		return err;
	}
	if (old) {
		ll_ruleset_get(old);
		dom->parent = old;
	}
	*out = dom;
	return 0;
}
