// SPDX-License-Identifier: MPL-2.0
// Keys: serial numbers, references, quotas per user, permissions, states
// (revoked, invalidated, expired) and the garbage collection of the links
// to dead keys.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "fs/random.h"
#include "security/keys/internal.h"

struct mutex keys_lock = MUTEX_INIT;
struct list_node all_keys = LIST_INIT(all_keys);
struct list_node all_users = LIST_INIT(all_users);

/* Linux's defaults (security/keys/key.c, gc.c, persistent.c). */
uint32_t key_quota_maxkeys = 200, key_quota_maxbytes = 20000;
uint32_t key_quota_root_maxkeys = 1000000, key_quota_root_maxbytes = 25000000;
uint32_t key_gc_delay = 5 * 60;
uint32_t key_persistent_expiry = 3 * 24 * 3600;

const char *const key_type_names[KT_NR] = { "keyring", "user", "logon" };

int key_type_lookup(const char *name)
{
	for (int i = 0; i < KT_NR; i++)
		if (!strcmp(name, key_type_names[i]))
			return i;
	return -ENOKEY;
}

/* Expiry times are wall-clock seconds, as Linux's. */
uint64_t key_now(void)
{
	return clock_realtime_ns() / 1000000000ULL;
}

bool key_expired(const struct key *k, uint64_t now)
{
	return k->expiry && now >= k->expiry;
}

int key_validate(const struct key *k)
{
	if (k->flags & KF_INVALIDATED)
		return -ENOKEY;
	if (k->flags & (KF_REVOKED | KF_DEAD))
		return -EKEYREVOKED;
	if (key_expired(k, key_now()))
		return -EKEYEXPIRED;
	if (k->flags & KF_NEGATIVE)
		return -k->reject_error;
	return 0;
}

uint32_t key_maxkeys(uid_t uid)
{
	return uid == 0 ? key_quota_root_maxkeys : key_quota_maxkeys;
}

size_t key_maxbytes(uid_t uid)
{
	return uid == 0 ? key_quota_root_maxbytes : key_quota_maxbytes;
}

struct key_user *key_user_get(uid_t uid)
{
	struct key_user *u;

	list_for_each_entry(u, &all_users, node)
		if (u->uid == uid)
			return u;
	u = kzalloc(sizeof(*u));
	if (!u)
		return NULL;
	u->uid = uid;
	list_add_tail(&all_users, &u->node);
	return u;
}

void key_user_maybe_free(struct key_user *u)
{
	if (u->nkeys || u->uid_keyring || u->session_keyring || u->persistent)
		return;
	list_del(&u->node);
	kfree(u);
}

/* A random positive serial of at least 3, unused, as Linux's key_alloc_serial. */
static int32_t new_serial(void)
{
	for (;;) {
		uint32_t r;
		struct key *k;
		bool used = false;

		get_random_bytes(&r, sizeof(r));
		r >>= 1;
		if (r < 3)
			continue;
		list_for_each_entry(k, &all_keys, node)
			if (k->serial == (int32_t)r)
				used = true;
		if (!used)
			return (int32_t)r;
	}
}

/* Keep all_keys in serial order: /proc/keys lists them so. */
static void insert_sorted(struct key *k)
{
	struct key *pos;

	list_for_each_entry(pos, &all_keys, node) {
		if (pos->serial > k->serial) {
			list_insert_between(&k->node, pos->node.prev, &pos->node);
			return;
		}
	}
	list_add_tail(&all_keys, &k->node);
}

static char *dup_desc(const char *desc, size_t len)
{
	char *d = kmalloc(len + 1);

	if (d) {
		memcpy(d, desc, len);
		d[len] = 0;
	}
	return d;
}

/* Would one more key of quotalen bytes pass u's limits? */
static bool quota_allows(const struct key_user *u, size_t bytes)
{
	return u->qnkeys + 1 <= key_maxkeys(u->uid) && u->qnbytes + bytes <= key_maxbytes(u->uid);
}

int key_alloc(enum key_type_id type, const char *desc, uid_t uid, gid_t gid, uint32_t perm,
	      unsigned int kaflags, struct key **out)
{
	size_t len = strlen(desc);
	struct key_user *u = key_user_get(uid);
	struct key *k;

	if (!u)
		return -ENOMEM;
	if ((kaflags & KA_IN_QUOTA) && !(kaflags & KA_OVERRUN) && !quota_allows(u, len)) {
		key_user_maybe_free(u);
		return -EDQUOT;
	}
	k = kzalloc(sizeof(*k));
	if (k)
		k->desc = dup_desc(desc, len);
	if (!k || !k->desc) {
		kfree(k);
		key_user_maybe_free(u);
		return -ENOMEM;
	}
	k->usage = 1;
	k->type = type;
	k->desclen = len;
	k->uid = uid;
	k->gid = gid;
	k->perm = perm;
	k->user = u;
	u->nkeys++;
	u->nikeys++;
	if (kaflags & KA_IN_QUOTA) {
		k->flags |= KF_IN_QUOTA;
		u->qnkeys++;
		u->qnbytes += len;
	}
	k->serial = new_serial();
	insert_sorted(k);
	*out = k;
	return 0;
}

int key_reserve(struct key *k, size_t datalen)
{
	struct key_user *u = k->user;

	if (k->flags & KF_IN_QUOTA) {
		if (datalen > k->datalen && u->qnbytes + (datalen - k->datalen) > key_maxbytes(u->uid))
			return -EDQUOT;
		u->qnbytes = u->qnbytes + datalen - k->datalen;
	}
	k->datalen = datalen;
	return 0;
}

void key_get(struct key *k)
{
	k->usage++;
}

/* Free k; the keys its links held are pushed on *todo for the caller's loop. */
static void key_destroy(struct key *k, struct key ***todo, size_t *ntodo, size_t *captodo)
{
	struct key_user *u = k->user;

	list_del(&k->node);
	if (k->flags & KF_IN_QUOTA) {
		u->qnkeys--;
		u->qnbytes -= k->desclen + k->datalen;
	}
	u->nkeys--;
	u->nikeys--;
	key_user_maybe_free(u);
	for (size_t i = 0; i < k->nlinks; i++) {
		struct key *c = k->links[i];

		if (--c->usage > 0)
			continue;
		if (*ntodo == *captodo) {
			size_t ncap = *captodo ? *captodo * 2 : 16;
			struct key **n = krealloc(*todo, ncap * sizeof(*n));

			/* No memory for the worklist: keep the child (a leak beats a crash). */
			if (!n) {
				c->usage = 1;
				continue;
			}
			*todo = n;
			*captodo = ncap;
		}
		(*todo)[(*ntodo)++] = c;
	}
	kfree(k->links);
	kfree(k->payload);
	kfree(k->desc);
	kfree(k);
}

/* Iterative, so that a deep tree of keyrings cannot overflow the kernel stack. */
void key_put(struct key *k)
{
	struct key **todo = NULL;
	size_t ntodo = 0, captodo = 0;

	if (!k || --k->usage > 0)
		return;
	key_destroy(k, &todo, &ntodo, &captodo);
	while (ntodo)
		key_destroy(todo[--ntodo], &todo, &ntodo, &captodo);
	kfree(todo);
}

struct key *key_by_serial(int32_t id)
{
	struct key *k;

	list_for_each_entry(k, &all_keys, node)
		if (k->serial == id)
			return k;
	return NULL;
}

/*
 * Linux's key_task_permission: owner, else group (when the group byte is
 * not empty), else other; possession adds its byte.
 */
int key_permission(const struct kref *r, const struct cred *c, uint32_t need)
{
	const struct key *k = r->k;
	uint32_t kperm;

	if (k->uid == c->fsuid)
		kperm = k->perm >> 16;
	else if (k->gid != GID_INVALID && (k->perm & KEY_GRP_ALL) &&
		 (k->gid == c->fsgid || cred_in_group(c, k->gid)))
		kperm = k->perm >> 8;
	else
		kperm = k->perm;
	if (r->possessed)
		kperm |= k->perm >> 24;
	kperm &= 0x3f;
	return (need & ~kperm) ? -EACCES : 0;
}

/* Revoked keys stay linked for gc_delay (their holders see EKEYREVOKED), then go. */
void key_revoke(struct key *k)
{
	if (k->flags & KF_REVOKED)
		return;
	k->flags |= KF_REVOKED;
	k->revoked_at = key_now();
}

/* Unlink k from every keyring at once, as Linux's collector does straight away. */
void key_invalidate(struct key *k)
{
	struct key *ring, *next;

	if (k->flags & KF_INVALIDATED)
		return;
	k->flags |= KF_INVALIDATED;
	key_get(k);
	list_for_each_entry_safe(ring, next, &all_keys, node) {
		if (ring->type != KT_KEYRING || ring == k)
			continue;
		/* keyring_unlink may free ring's other keys, not ring itself: it is still held. */
		key_get(ring);
		(void)keyring_unlink(ring, k);
		next = list_entry(ring->node.next, struct key, node);
		key_put(ring);
	}
	key_put(k);
}

/* Is a revoked or expired key past its grace time (gc_delay after it went bad)? */
static bool gc_due(const struct key *k, uint64_t now)
{
	if (k->flags & KF_REVOKED)
		return now >= k->revoked_at + key_gc_delay;
	return k->expiry && now >= k->expiry + key_gc_delay;
}

void key_gc(void)
{
	static uint64_t last;
	uint64_t now = key_now();
	struct key *ring;

	if (now == last)
		return;
	last = now;
	persistent_gc(now);
	list_for_each_entry(ring, &all_keys, node) {
		if (ring->type != KT_KEYRING)
			continue;
		key_get(ring);
		for (size_t i = 0; i < ring->nlinks;) {
			struct key *c = ring->links[i];

			if (c == ring || !gc_due(c, now) || keyring_unlink(ring, c))
				i++;
		}
		/* ring is kept alive by whatever linked it before; its node stays valid. */
		ring->usage--;
	}
}
