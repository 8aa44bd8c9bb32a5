// SPDX-License-Identifier: MPL-2.0
// Keys' own invariants, below the syscalls: quota charges come back when
// keys go, a dropped keyring frees what only it held (however deep), a
// link cycle is refused, and a random mix of links and unlinks leaves no
// key behind.  Uses a uid no process has, and frees everything it made.
#include <aster/errno.h>
#include <aster/ktest.h>
#include "fs/random.h"
#include "security/keys/internal.h"

#define KT_UID		4000000000u
#define KT_NKEYS	8
#define KT_ROUNDS	400

static struct key_user *kt_user(void)
{
	struct key_user *u;

	list_for_each_entry(u, &all_users, node)
		if (u->uid == KT_UID)
			return u;
	return NULL;
}

KTEST(keys_quota_and_free)
{
	struct key *ring, *k;

	mutex_lock(&keys_lock);
	KT_EXPECT(keyring_alloc("kt_ring", KT_UID, 0, KEY_POS_ALL, KA_IN_QUOTA, &ring) == 0);
	KT_EXPECT(key_alloc(KT_USER, "kt_key", KT_UID, 0, KEY_POS_ALL, KA_IN_QUOTA, &k) == 0);
	KT_EXPECT(kt_user() && kt_user()->qnkeys == 2 && kt_user()->qnbytes == 13);
	KT_EXPECT(keyring_link(ring, k) == 0);
	KT_EXPECT(kt_user()->qnbytes == 13 + KEYQUOTA_LINK_BYTES);
	key_put(k);			/* the ring holds it now */
	KT_EXPECT(k->usage == 1);
	KT_EXPECT(keyring_link(ring, ring) == -EDEADLK);
	key_put(ring);			/* frees both */
	KT_EXPECT(kt_user() == NULL);
	mutex_unlock(&keys_lock);
}

/* A chain of nested keyrings deeper than a search goes: freed iteratively from the top. */
KTEST(keys_deep_chain_freed)
{
	struct key *top, *cur, *next;
	int err;

	mutex_lock(&keys_lock);
	err = keyring_alloc("kt_0", KT_UID, 0, KEY_POS_ALL, 0, &top);
	cur = top;
	for (int i = 0; !err && i < 3 * KEYRING_SEARCH_MAX_DEPTH; i++) {
		err = keyring_alloc("kt_n", KT_UID, 0, KEY_POS_ALL, 0, &next);
		if (!err) {
			err = keyring_link(cur, next);
			key_put(next);
			cur = next;
		}
	}
	KT_EXPECT(err == 0 || err == -ENOMEM);
	key_put(top);
	KT_EXPECT(kt_user() == NULL);
	mutex_unlock(&keys_lock);
}

/* Random links and unlinks among a few keyrings: cycles refused, nothing left over. */
KTEST(keys_random_links)
{
	struct key *rings[KT_NKEYS] = { NULL };
	int err = 0;

	mutex_lock(&keys_lock);
	for (int i = 0; i < KT_NKEYS && !err; i++)
		err = keyring_alloc(i & 1 ? "kt_a" : "kt_b", KT_UID, 0, KEY_POS_ALL, KA_IN_QUOTA, &rings[i]);
	for (int r = 0; r < KT_ROUNDS && !err; r++) {
		uint8_t pick[3];
		struct key *a, *b;

		get_random_bytes(pick, sizeof(pick));
		a = rings[pick[0] % KT_NKEYS];
		b = rings[pick[1] % KT_NKEYS];
		if (pick[2] & 1) {
			int e = keyring_link(a, b);

			KT_EXPECT(e == 0 || e == -EDEADLK || e == -ENOMEM);
			KT_EXPECT(e != 0 || !keyring_reaches(b, a, 1));
		} else {
			int e = keyring_unlink(a, b);

			KT_EXPECT(e == 0 || e == -ENOENT);
		}
	}
	for (int i = 0; i < KT_NKEYS; i++)
		if (rings[i])
			keyring_clear(rings[i]);
	for (int i = 0; i < KT_NKEYS; i++)
		key_put(rings[i]);
	KT_EXPECT(kt_user() == NULL);
	mutex_unlock(&keys_lock);
}
