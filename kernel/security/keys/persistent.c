// SPDX-License-Identifier: MPL-2.0
// KEYCTL_GET_PERSISTENT: a keyring per user, "_persistent.UID", that
// outlives the user's sessions.  Each get links it into the caller's
// keyring and pushes its expiry persistent_keyring_expiry seconds ahead;
// once it expires it is dropped and the next get makes a new one.
#include <aster/errno.h>
#include <aster/format.h>
#include "security/keys/internal.h"
#include "security/keys/keys.h"

/* Linux's: all but SETATTR for the possessor; view and read for the owner; not in the quota. */
#define PERSISTENT_PERM	((KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW | KEY_USR_READ)

static int persistent_of(struct key_user *u, struct key **out)
{
	char name[32];
	int err;

	if (u->persistent && key_validate(u->persistent)) {
		key_put(u->persistent);
		u->persistent = NULL;
	}
	if (!u->persistent) {
		snprintf(name, sizeof(name), "_persistent.%u", u->uid);
		err = keyring_alloc(name, u->uid, GID_INVALID, PERSISTENT_PERM, 0, &u->persistent);
		if (err)
			return err;
	}
	*out = u->persistent;
	return 0;
}

static long get_persistent_locked(const struct keys_ctx *c, uid_t uid, int32_t destid)
{
	struct key_user *u;
	struct kref dest, p = { NULL, true };
	int err;

	/* Another user's needs CAP_SETUID (root here). */
	if (uid != c->cred->uid && uid != c->cred->euid && c->cred->euid != 0)
		return -EPERM;
	err = lookup_user_key(c, destid, LOOKUP_CREATE, NEED_WRITE, &dest);
	if (err)
		return err;
	if (dest.k->type != KT_KEYRING)
		return -ENOTDIR;
	u = key_user_get(uid);
	if (!u)
		return -ENOMEM;
	err = persistent_of(u, &p.k);
	if (!err)
		err = key_permission(&p, c->cred, NEED_LINK);
	if (!err)
		err = keyring_link(dest.k, p.k);
	if (err)
		return err;
	p.k->expiry = key_now() + key_persistent_expiry;
	return p.k->serial;
}

long keys_get_persistent(uint32_t uid, int32_t destid)
{
	struct keys_ctx c;
	long r;

	mutex_lock(&keys_lock);
	key_gc();
	keys_ctx_current(&c);
	r = get_persistent_locked(&c, uid == (uint32_t)-1 ? c.cred->uid : uid, destid);
	mutex_unlock(&keys_lock);
	return r;
}

/* The collector's part: an expired persistent keyring leaves its user's slot. */
void persistent_gc(uint64_t now)
{
	struct key_user *u, *next;

	list_for_each_entry_safe(u, next, &all_users, node) {
		if (!u->persistent || !key_expired(u->persistent, now))
			continue;
		key_put(u->persistent);
		u->persistent = NULL;
		key_user_maybe_free(u);
	}
}
