// SPDX-License-Identifier: MPL-2.0
// Keyrings: keys that hold links to other keys.  A link costs the
// keyring's owner KEYQUOTA_LINK_BYTES of quota, as Linux's; a key of the
// same type and description replaces the one already linked.  Searches go
// down nested keyrings the searcher may search, KEYRING_SEARCH_MAX_DEPTH
// deep at most.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "security/keys/internal.h"

int keyring_alloc(const char *desc, uid_t uid, gid_t gid, uint32_t perm, unsigned int kaflags,
		  struct key **out)
{
	return key_alloc(KT_KEYRING, desc, uid, gid, perm, kaflags, out);
}

struct key *keyring_find(struct key *ring, enum key_type_id type, const char *desc)
{
	for (size_t i = 0; i < ring->nlinks; i++) {
		struct key *k = ring->links[i];

		if (k->type == type && !strcmp(k->desc, desc))
			return k;
	}
	return NULL;
}

/*
 * Past KEYRING_SEARCH_MAX_DEPTH a keyring that holds keyrings counts as
 * reaching: as Linux's keyring_detect_cycle, a link that would nest deeper
 * than a search can check is refused rather than risk a cycle.
 */
bool keyring_reaches(struct key *from, struct key *to, int depth)
{
	if (from == to)
		return true;
	if (from->type != KT_KEYRING)
		return false;
	if (depth > KEYRING_SEARCH_MAX_DEPTH) {
		for (size_t i = 0; i < from->nlinks; i++)
			if (from->links[i]->type == KT_KEYRING)
				return true;
		return false;
	}
	for (size_t i = 0; i < from->nlinks; i++)
		if (keyring_reaches(from->links[i], to, depth + 1))
			return true;
	return false;
}

static int grow(struct key *ring)
{
	size_t ncap = ring->cap ? ring->cap * 2 : 4;
	struct key **n;

	if (ring->nlinks < ring->cap)
		return 0;
	n = krealloc(ring->links, ncap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	ring->links = n;
	ring->cap = ncap;
	return 0;
}

int keyring_link(struct key *ring, struct key *k)
{
	struct key *old;
	int err;

	if (ring->type != KT_KEYRING)
		return -ENOTDIR;
	if (ring->flags & KF_RESTRICTED)
		return -EPERM;
	/* A keyring under k, or k itself: linking would make a cycle (or nest too deep). */
	if (k->type == KT_KEYRING && keyring_reaches(k, ring, 1))
		return -EDEADLK;
	old = keyring_find(ring, k->type, k->desc);
	if (old == k)
		return 0;
	if (old) {
		for (size_t i = 0; i < ring->nlinks; i++)
			if (ring->links[i] == old)
				ring->links[i] = k;
		key_get(k);
		key_put(old);
		return 0;
	}
	err = grow(ring);
	if (!err)
		err = key_reserve(ring, ring->datalen + KEYQUOTA_LINK_BYTES);
	if (err)
		return err;
	key_get(k);
	ring->links[ring->nlinks++] = k;
	return 0;
}

int keyring_unlink(struct key *ring, struct key *k)
{
	if (ring->type != KT_KEYRING)
		return -ENOTDIR;
	for (size_t i = 0; i < ring->nlinks; i++) {
		if (ring->links[i] != k)
			continue;
		memmove(&ring->links[i], &ring->links[i + 1], (ring->nlinks - i - 1) * sizeof(k));
		ring->nlinks--;
		(void)key_reserve(ring, ring->datalen - KEYQUOTA_LINK_BYTES);
		key_put(k);
		return 0;
	}
	return -ENOENT;
}

void keyring_clear(struct key *ring)
{
	while (ring->nlinks)
		(void)keyring_unlink(ring, ring->links[ring->nlinks - 1]);
}

static bool matches(const struct key *k, const struct search *s)
{
	if (s->target)
		return k == s->target;
	return k->type == s->type && !strcmp(k->desc, s->desc);
}

/* A matching key that is not usable: remember why and keep looking. */
static bool usable(const struct key *k, struct search *s)
{
	int err;

	if (!s->state_check)
		return true;
	if (k->flags & KF_INVALIDATED)
		return false;
	err = key_validate(k);
	if (!err)
		return true;
	if (!s->err)
		s->err = err;
	return false;
}

static struct kref search_level(struct key *ring, bool pos, int depth, struct search *s)
{
	struct kref none = { NULL, false };

	for (size_t i = 0; i < ring->nlinks; i++) {
		struct kref r = { ring->links[i], pos };

		if (!matches(r.k, s) || key_permission(&r, s->cred, NEED_SEARCH))
			continue;
		if (usable(r.k, s))
			return r;
	}
	if (depth >= KEYRING_SEARCH_MAX_DEPTH)
		return none;
	for (size_t i = 0; i < ring->nlinks; i++) {
		struct kref r = { ring->links[i], pos };

		if (r.k->type != KT_KEYRING || key_permission(&r, s->cred, NEED_SEARCH))
			continue;
		if (s->state_check && key_validate(r.k))
			continue;
		r = search_level(r.k, pos, depth + 1, s);
		if (r.k)
			return r;
	}
	return none;
}

struct kref keyring_search(struct key *ring, bool possessed, struct search *s)
{
	struct kref top = { ring, possessed }, none = { NULL, false }, r;

	if (ring->type != KT_KEYRING || key_permission(&top, s->cred, NEED_SEARCH))
		return none;
	/* As Linux's search_nested_keyrings: the keyring itself is the first candidate. */
	if (matches(ring, s) && usable(ring, s))
		return top;
	r = search_level(ring, possessed, 1, s);
	return r.k ? r : none;
}
