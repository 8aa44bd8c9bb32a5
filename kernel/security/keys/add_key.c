// SPDX-License-Identifier: MPL-2.0
// add_key(2) and request_key(2).  There is no /sbin/request-key upcall:
// request_key with callout information does what Linux 6.1 does when the
// helper is not installed — the key is made negative for 60 seconds in the
// destination keyring and the call fails with ENOENT (the helper's exec
// error); later requests find the negative key: ENOKEY.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "security/keys/internal.h"
#include "security/keys/user_copy.h"
#include "syscall/syscall.h"

#define NEGATIVE_TIMEOUT	60	/* Linux's key_negative_timeout, s */

/* Linux's default permissions for a new key of type t. */
static uint32_t default_perm(enum key_type_id t)
{
	uint32_t perm = KEY_POS_VIEW | KEY_POS_SEARCH | KEY_POS_LINK | KEY_POS_SETATTR | KEY_USR_VIEW;

	if (t != KT_LOGON)		/* logon has no read method */
		perm |= KEY_POS_READ;
	return perm | KEY_POS_WRITE;	/* keyrings, and types with an update method */
}

/* The type's preparse and description checks: 0 or -EINVAL. */
static int check_payload(enum key_type_id t, const char *desc, size_t plen)
{
	if (t == KT_KEYRING ? plen != 0 : plen == 0 || plen > KEY_USER_PAYLOAD_MAX)
		return -EINVAL;
	if (!desc)
		return -EINVAL;
	/* logon descriptions are "service:name", the service not empty. */
	if (t == KT_LOGON && (!strchr(desc, ':') || desc[0] == ':'))
		return -EINVAL;
	return 0;
}

/* Replace k's payload (user and logon): 0 or -EDQUOT. */
int key_set_payload(struct key *k, uint8_t **payload, size_t plen)
{
	int err = key_reserve(k, plen);

	if (err)
		return err;
	kfree(k->payload);
	k->payload = *payload;
	*payload = NULL;
	return 0;
}

static int update_key(const struct keys_ctx *c, struct kref r, uint8_t **payload, size_t plen)
{
	int err = key_permission(&r, c->cred, NEED_WRITE);

	if (!err)
		err = key_set_payload(r.k, payload, plen);
	if (err)
		return err;
	/* An update makes a key positive again, with no expiry, as Linux's user_update. */
	r.k->flags &= ~KF_NEGATIVE;
	r.k->expiry = 0;
	return r.k->serial;
}

static int create_or_update(const struct keys_ctx *c, struct kref ring, const char *type,
			    const char *desc, uint8_t **payload, size_t plen)
{
	int t = key_type_lookup(type), err;
	struct key *k;

	if (t < 0)
		return -ENODEV;
	if (ring.k->type != KT_KEYRING)
		return -ENOTDIR;
	err = check_payload(t, desc, plen);
	if (err)
		return err;
	if (ring.k->flags & KF_RESTRICTED)
		return -EPERM;
	k = t == KT_KEYRING ? NULL : keyring_find(ring.k, t, desc);
	if (k && !(k->flags & (KF_REVOKED | KF_INVALIDATED | KF_DEAD)))
		return update_key(c, (struct kref){ k, ring.possessed }, payload, plen);
	err = key_alloc(t, desc, c->cred->fsuid, c->cred->fsgid, default_perm(t), KA_IN_QUOTA, &k);
	if (err)
		return err;
	if (t != KT_KEYRING)
		err = key_set_payload(k, payload, plen);
	if (!err)
		err = keyring_link(ring.k, k);
	if (!err)
		err = k->serial;
	key_put(k);
	return err;
}

long sys_add_key(uaddr_t type_ua, uaddr_t desc_ua, uaddr_t payload_ua, size_t plen, int ringid)
{
	char type[KEY_TYPE_NAME_SIZE];
	char *desc = NULL;
	uint8_t *payload = NULL;
	struct keys_ctx c;
	struct kref ring;
	long err;

	if (plen > KEY_ADD_PAYLOAD_MAX)
		return -EINVAL;
	err = get_type_name(type_ua, type);
	if (err)
		return err;
	if (desc_ua) {
		err = dup_user_string(desc_ua, KEY_MAX_DESC_SIZE, &desc);
		if (err)
			return err;
		if (!desc[0]) {
			kfree(desc);
			desc = NULL;
		} else if (desc[0] == '.' && !strncmp(type, "keyring", 7)) {
			kfree(desc);
			return -EPERM;
		}
	}
	err = dup_user_payload(payload_ua, plen, &payload);
	if (err)
		goto out;
	mutex_lock(&keys_lock);
	key_gc();
	keys_ctx_current(&c);
	err = lookup_user_key(&c, ringid, LOOKUP_CREATE, NEED_WRITE, &ring);
	if (!err)
		err = create_or_update(&c, ring, type, desc, &payload, plen);
	mutex_unlock(&keys_lock);
out:
	kfree(payload);
	kfree(desc);
	return err;
}

/* No helper to construct the key: it becomes negative where it would have gone. */
static int no_upcall(const struct keys_ctx *c, enum key_type_id t, const char *desc, struct key *dest)
{
	struct key *k;
	int err;

	if (!dest) {
		err = reqkey_dest_keyring(c, &dest);
		if (err)
			return err;
	}
	err = key_alloc(t, desc, c->cred->fsuid, c->cred->fsgid, default_perm(t), KA_IN_QUOTA, &k);
	if (err)
		return err;
	k->flags |= KF_NEGATIVE;
	k->reject_error = ENOKEY;
	k->expiry = key_now() + NEGATIVE_TIMEOUT;
	(void)keyring_link(dest, k);
	key_put(k);
	return -ENOENT;
}

static long request_locked(const struct keys_ctx *c, const char *type, const char *desc, bool callout,
			   int destid)
{
	struct kref dest = { NULL, false }, r;
	struct search s = { .cred = c->cred, .desc = desc, .state_check = true };
	int t, err;

	if (destid) {
		err = lookup_user_key(c, destid, LOOKUP_CREATE, NEED_WRITE, &dest);
		if (err)
			return err;
	}
	t = key_type_lookup(type);
	if (t < 0)
		return t;
	s.type = t;
	r = search_process_keyrings(c, &s);
	if (r.k) {
		if (dest.k && (err = keyring_link(dest.k, r.k)))
			return err;
		return r.k->serial;
	}
	if (s.err)
		return s.err;
	if (!callout)
		return -ENOKEY;
	return no_upcall(c, t, desc, dest.k);
}

long sys_request_key(uaddr_t type_ua, uaddr_t desc_ua, uaddr_t callout_ua, int destringid)
{
	char type[KEY_TYPE_NAME_SIZE];
	char *desc = NULL, *callout = NULL;
	struct keys_ctx c;
	long err = get_type_name(type_ua, type);

	if (!err)
		err = dup_user_string(desc_ua, KEY_MAX_DESC_SIZE, &desc);
	if (!err && callout_ua)
		err = dup_user_string(callout_ua, KEY_MAX_DESC_SIZE, &callout);
	if (!err) {
		mutex_lock(&keys_lock);
		key_gc();
		keys_ctx_current(&c);
		err = request_locked(&c, type, desc, callout != NULL, destringid);
		mutex_unlock(&keys_lock);
	}
	kfree(callout);
	kfree(desc);
	return err;
}
