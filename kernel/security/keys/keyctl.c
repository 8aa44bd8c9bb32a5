// SPDX-License-Identifier: MPL-2.0
// keyctl(2): each command as Linux 6.1 orders its checks.  Strings and
// payloads are copied in before keys_lock is taken and results copied out
// after it is dropped.  Commands that need a request-key authorisation
// (INSTANTIATE, NEGATE, REJECT) fail as they do for any process that is
// not a request-key helper; DH_COMPUTE and PKEY_* answer as Linux built
// without them, and so does WATCH_KEY.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "process/capability.h"
#include "security/keys/internal.h"
#include "security/keys/user_copy.h"
#include "syscall/syscall.h"

#define CAPS_SIZE	2
#define DESCRIBE_MAX	(KEY_MAX_DESC_SIZE + 64)
#define MAX_ERRNO	4095
#define ERESTARTSYS_FIRST	512	/* the kernel's restart codes, 512..516 */
#define ERESTART_LAST	516

/* The one-line root test (CAP_SYS_ADMIN here). */
static bool keys_admin(const struct keys_ctx *c)
{
	return cred_capable(c->cred, CAP_SYS_ADMIN);
}

/* What DESCRIBE, READ and GET_SECURITY hand back, made under the lock. */
struct out_buf {
	char *buf;
	size_t len;
};

struct search_args {
	const char *type, *desc;
	int32_t dest;
};

/* RESTRICT_KEYRING's arguments, read before the lock; their error comes after the lookup's. */
struct restrict_args {
	int arg_err;
	const char *type;	/* NULL: no more links at all */
};

/* One command's arguments as the locked part sees them: the registers and what was copied in. */
struct kcall {
	unsigned long a2, a3, a4, a5;
	const char *str;
	uint8_t **payload;
	struct out_buf *out;
	const struct search_args *search;
	const struct restrict_args *restrict_args;
};

typedef long (*locked_fn)(const struct keys_ctx *c, const struct kcall *k);

/* Run fn under keys_lock with the caller's context. */
static long locked(locked_fn fn, const struct kcall *k)
{
	struct keys_ctx c;
	long r;

	mutex_lock(&keys_lock);
	key_gc();
	keys_ctx_current(&c);
	r = fn(&c, k);
	mutex_unlock(&keys_lock);
	return r;
}

/* The common case: only register arguments. */
static long locked_regs(locked_fn fn, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct kcall k = { .a2 = a2, .a3 = a3, .a4 = a4, .a5 = a5 };

	return locked(fn, &k);
}

static long get_keyring_id(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2, create = kc->a3;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, create ? LOOKUP_CREATE : 0, NEED_SEARCH, &r);

	return err ? err : r.k->serial;
}

static long join_session(const struct keys_ctx *c, const struct kcall *kc)
{
	return join_session_keyring(c, kc->str);
}

static long do_join(uaddr_t name_ua)
{
	char *name = NULL;
	struct kcall k = { 0 };
	long err;

	if (name_ua && (err = dup_user_string(name_ua, KEY_MAX_DESC_SIZE, &name)))
		return err;
	k.str = name;
	err = locked(join_session, &k);
	kfree(name);
	return err;
}

static long update_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2, plen = kc->a4;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, 0, NEED_WRITE, &r);

	if (err)
		return err;
	if (r.k->type == KT_KEYRING)
		return -EOPNOTSUPP;
	if (plen == 0 || plen > KEY_USER_PAYLOAD_MAX)
		return -EINVAL;
	err = key_set_payload(r.k, kc->payload, plen);
	if (err)
		return err;
	r.k->flags &= ~KF_NEGATIVE;
	r.k->expiry = 0;
	return 0;
}

static long do_update(int32_t id, uaddr_t payload_ua, size_t plen)
{
	uint8_t *payload;
	struct kcall k = { .a2 = (unsigned long)id, .a4 = plen };
	long err;

	if (plen > KEY_UPDATE_PAYLOAD_MAX)
		return -EINVAL;
	err = dup_user_payload(payload_ua, plen, &payload);
	if (err)
		return err;
	k.payload = &payload;
	err = locked(update_locked, &k);
	kfree(payload);
	return err;
}

static long revoke_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, 0, NEED_WRITE, &r);

	if (err == -EACCES)
		err = lookup_user_key(c, (int32_t)id, 0, NEED_SETATTR, &r);
	if (err)
		return err;
	key_revoke(r.k);
	return 0;
}

/* Move k's quota charge to uid: 0 or -EDQUOT / -ENOMEM. */
static int move_quota(struct key *k, uid_t uid)
{
	struct key_user *old = k->user, *u = key_user_get(uid);
	size_t bytes = k->desclen + k->datalen;

	if (!u)
		return -ENOMEM;
	if ((k->flags & KF_IN_QUOTA) &&
	    (u->qnkeys + 1 > key_maxkeys(uid) || u->qnbytes + bytes > key_maxbytes(uid))) {
		key_user_maybe_free(u);
		return -EDQUOT;
	}
	if (k->flags & KF_IN_QUOTA) {
		u->qnkeys++;
		u->qnbytes += bytes;
		old->qnkeys--;
		old->qnbytes -= bytes;
	}
	u->nkeys++;
	u->nikeys++;
	old->nkeys--;
	old->nikeys--;
	k->user = u;
	key_user_maybe_free(old);
	return 0;
}

static long chown_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2, uid = kc->a3, gid = kc->a4;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, LOOKUP_CREATE, NEED_SETATTR, &r);

	if (err)
		return err;
	if (!keys_admin(c)) {
		/* Only the administrator gives a key away, or to a group the caller is not in. */
		if (uid != (uid_t)-1 && uid != r.k->uid)
			return -EACCES;
		if (gid != (gid_t)-1 && gid != r.k->gid && gid != c->cred->fsgid &&
		    !cred_in_group(c->cred, (gid_t)gid))
			return -EACCES;
	}
	if (uid != (uid_t)-1 && uid != r.k->uid) {
		err = move_quota(r.k, (uid_t)uid);
		if (err)
			return err;
		r.k->uid = (uid_t)uid;
	}
	if (gid != (gid_t)-1)
		r.k->gid = (gid_t)gid;
	return 0;
}

static long setperm_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2, perm = kc->a3;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, LOOKUP_CREATE, NEED_SETATTR, &r);

	if (err)
		return err;
	if (r.k->uid != c->cred->fsuid && !keys_admin(c))
		return -EACCES;
	r.k->perm = (uint32_t)perm;
	return 0;
}

static long describe_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2;
	struct out_buf *o = kc->out;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, 0, NEED_VIEW, &r);

	if (err)
		return err;
	o->buf = kmalloc(DESCRIBE_MAX);
	if (!o->buf)
		return -ENOMEM;
	/* An unset group shows as the overflow gid, as Linux's from_kgid_munged. */
	o->len = (size_t)snprintf(o->buf, DESCRIBE_MAX, "%s;%d;%d;%08x;%s", key_type_names[r.k->type],
				  (int)r.k->uid, r.k->gid == GID_INVALID ? 65534 : (int)r.k->gid,
				  r.k->perm, r.k->desc) + 1;
	return 0;
}

/* Copy o out as DESCRIBE does: all of it when it fits, else nothing; the full length. */
static long copy_out_whole(struct out_buf *o, uaddr_t buf, size_t buflen)
{
	long r = (long)o->len;

	if (buf && buflen >= o->len && copy_to_user(buf, o->buf, o->len))
		r = -EFAULT;
	kfree(o->buf);
	return r;
}

static long do_describe(int32_t id, uaddr_t buf, size_t buflen)
{
	struct out_buf o = { NULL, 0 };
	struct kcall k = { .a2 = (unsigned long)id, .out = &o };
	long err = locked(describe_locked, &k);

	return err ? err : copy_out_whole(&o, buf, buflen);
}

static long clear_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, LOOKUP_CREATE, NEED_WRITE, &r);

	if (err)
		return err;
	if (r.k->type != KT_KEYRING)
		return -ENOTDIR;
	keyring_clear(r.k);
	return 0;
}

static long link_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2, ringid = kc->a3;

	struct kref ring, k;
	int err = lookup_user_key(c, (int32_t)ringid, LOOKUP_CREATE, NEED_WRITE, &ring);

	if (!err)
		err = lookup_user_key(c, (int32_t)id, LOOKUP_CREATE, NEED_LINK, &k);
	return err ? err : keyring_link(ring.k, k.k);
}

static long unlink_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2, ringid = kc->a3;
	struct kref ring, k;
	int err = lookup_user_key(c, (int32_t)ringid, 0, NEED_WRITE, &ring);

	if (!err)
		err = lookup_user_key(c, (int32_t)id, 0, NEED_UNLINK, &k);
	return err ? err : keyring_unlink(ring.k, k.k);
}

static long search_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long ringid = kc->a2;
	const struct search_args *a = kc->search;
	struct search s = { .cred = c->cred, .desc = a->desc, .state_check = true };
	struct kref ring, dest = { NULL, false }, r;
	int t, err = lookup_user_key(c, (int32_t)ringid, 0, NEED_SEARCH, &ring);

	if (!err && a->dest)
		err = lookup_user_key(c, a->dest, LOOKUP_CREATE, NEED_WRITE, &dest);
	if (err)
		return err;
	t = key_type_lookup(a->type);
	if (t < 0)
		return t;
	s.type = t;
	r = keyring_search(ring.k, ring.possessed, &s);
	if (!r.k)
		return s.err ? s.err : -ENOKEY;
	if (dest.k) {
		err = key_permission(&r, c->cred, NEED_LINK);
		if (!err)
			err = keyring_link(dest.k, r.k);
		if (err)
			return err;
	}
	return r.k->serial;
}

static long do_search(int32_t ringid, uaddr_t type_ua, uaddr_t desc_ua, int32_t dest)
{
	char type[KEY_TYPE_NAME_SIZE];
	char *desc = NULL;
	struct search_args a = { type, NULL, dest };
	struct kcall k = { .a2 = (unsigned long)ringid };
	long err = get_type_name(type_ua, type);

	if (!err)
		err = dup_user_string(desc_ua, KEY_MAX_DESC_SIZE, &desc);
	if (err)
		return err;
	a.desc = desc;
	k.search = &a;
	err = locked(search_locked, &k);
	kfree(desc);
	return err;
}

/* A keyring reads as the serials of the keys it holds. */
static int read_keyring(const struct key *k, struct out_buf *o)
{
	int32_t *ids;

	o->len = k->nlinks * sizeof(int32_t);
	if (!o->len)
		return 0;
	ids = kmalloc(o->len);
	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; i < k->nlinks; i++)
		ids[i] = k->links[i]->serial;
	o->buf = (char *)ids;
	return 0;
}

/*
 * Linux 6.1's order: any lookup error is ENOKEY, a negative key its error,
 * then permission (the possessor may read without the read bit), the
 * type's read method, and only then whether the key is still valid.
 */
static long read_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2;

	struct out_buf *o = kc->out;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, 0, NEED_UNLINK, &r);

	if (err)
		return -ENOKEY;
	if (r.k->flags & KF_NEGATIVE)
		return -r.k->reject_error;
	err = key_permission(&r, c->cred, NEED_READ);
	if (err && !r.possessed)
		return err;
	if (r.k->type == KT_LOGON)
		return -EOPNOTSUPP;
	err = key_validate(r.k);
	if (err)
		return err;
	if (r.k->type == KT_KEYRING)
		return read_keyring(r.k, o);
	o->len = r.k->datalen;
	o->buf = kmalloc(o->len);
	if (!o->buf)
		return -ENOMEM;
	memcpy(o->buf, r.k->payload, o->len);
	return 0;
}

static long do_read(int32_t id, uaddr_t buf, size_t buflen)
{
	struct out_buf o = { NULL, 0 };
	struct kcall k = { .a2 = (unsigned long)id, .out = &o };
	long err = locked(read_locked, &k);

	if (err)
		return err;
	err = (long)o.len;
	/* Linux 6.1: copied only when all of it fits; the length either way. */
	if (buf && buflen >= o.len && o.len && copy_to_user(buf, o.buf, o.len))
		err = -EFAULT;
	kfree(o.buf);
	return err;
}

static long set_reqkey_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long defl = kc->a2;
	int old = c->t->reqkey_defl, err = 0;

	switch ((int)defl) {
	case KEY_REQKEY_DEFL_NO_CHANGE:
		return old;
	case KEY_REQKEY_DEFL_THREAD_KEYRING:
		err = install_thread_keyring(c);
		break;
	case KEY_REQKEY_DEFL_PROCESS_KEYRING:
		err = install_process_keyring(c);
		break;
	case KEY_REQKEY_DEFL_DEFAULT:
	case KEY_REQKEY_DEFL_SESSION_KEYRING:
	case KEY_REQKEY_DEFL_USER_KEYRING:
	case KEY_REQKEY_DEFL_USER_SESSION_KEYRING:
	case KEY_REQKEY_DEFL_REQUESTOR_KEYRING:
		break;
	default:
		return -EINVAL;
	}
	if (err)
		return err;
	c->t->reqkey_defl = (int)defl;
	return old;
}

static long timeout_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2, timeout = kc->a3;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, LOOKUP_CREATE, NEED_SETATTR, &r);

	if (err)
		return err;
	r.k->expiry = (uint32_t)timeout ? key_now() + (uint32_t)timeout : 0;
	return 0;
}

static long security_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2;
	struct kref r;

	return lookup_user_key(c, (int32_t)id, 0, NEED_VIEW, &r);
}

/* No security module labels keys: an empty string, as Linux without one. */
static long do_get_security(int32_t id, uaddr_t buf, size_t buflen)
{
	long err = locked_regs(security_locked, (unsigned long)id, 0, 0, 0);

	if (err)
		return err;
	if (buf && buflen > 0 && clear_user(buf, 1))
		return -EFAULT;
	return 1;
}

static long to_parent_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	struct kref r;
	int err = lookup_user_key(c, KEY_SPEC_SESSION_KEYRING, 0, NEED_LINK, &r);

	return err ? err : keys_session_to_parent(c);
}

static long invalidate_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, 0, NEED_SEARCH, &r);

	if (err)
		return err;
	key_invalidate(r.k);
	return 0;
}

static long restrict_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2;
	const struct restrict_args *a = kc->restrict_args;
	struct kref r;
	int err = lookup_user_key(c, (int32_t)id, 0, NEED_SETATTR, &r);

	if (err)
		return err;
	if (a->arg_err)
		return a->arg_err;
	if (r.k->type != KT_KEYRING)
		return -ENOTDIR;
	if (a->type) {
		/* No type here has a restriction scheme (asymmetric keys' are not built). */
		err = key_type_lookup(a->type);
		return err < 0 ? err : -ENOENT;
	}
	if (r.k->flags & KF_RESTRICTED)
		return -EEXIST;
	r.k->flags |= KF_RESTRICTED;
	return 0;
}

static long do_restrict(int32_t id, uaddr_t type_ua, uaddr_t restriction_ua)
{
	char type[KEY_TYPE_NAME_SIZE];
	char *restriction = NULL;
	struct restrict_args a = { 0, NULL };
	struct kcall k = { .a2 = (unsigned long)id };
	long err;

	if (type_ua) {
		a.type = type;
		a.arg_err = restriction_ua ? get_type_name(type_ua, type) : -EINVAL;
		if (!a.arg_err)
			a.arg_err = dup_user_string(restriction_ua, KEY_MAX_DESC_SIZE, &restriction);
	} else if (restriction_ua) {
		a.arg_err = -EINVAL;
	}
	k.restrict_args = &a;
	err = locked(restrict_locked, &k);
	kfree(restriction);
	return err;
}

static long move_locked(const struct keys_ctx *c, const struct kcall *kc)
{
	unsigned long id = kc->a2, from_id = kc->a3, to_id = kc->a4, flags = kc->a5;

	struct kref k, from, to;
	struct key *old;
	int err = lookup_user_key(c, (int32_t)id, LOOKUP_CREATE, NEED_LINK, &k);

	if (!err)
		err = lookup_user_key(c, (int32_t)from_id, 0, NEED_WRITE, &from);
	if (!err)
		err = lookup_user_key(c, (int32_t)to_id, LOOKUP_CREATE, NEED_WRITE, &to);
	if (err)
		return err;
	if (from.k == to.k)
		return 0;
	if (from.k->type != KT_KEYRING || to.k->type != KT_KEYRING)
		return -ENOTDIR;
	if (keyring_find(from.k, k.k->type, k.k->desc) != k.k)
		return -ENOENT;
	old = keyring_find(to.k, k.k->type, k.k->desc);
	if (old && (flags & KEYCTL_MOVE_EXCL))
		return -EEXIST;
	key_get(k.k);
	err = keyring_link(to.k, k.k);
	if (!err)
		(void)keyring_unlink(from.k, k.k);
	key_put(k.k);
	return err;
}

static long do_capabilities(uaddr_t buf, size_t buflen)
{
	uint8_t caps[CAPS_SIZE] = {
		KEYCTL_CAPS0_CAPABILITIES | KEYCTL_CAPS0_INVALIDATE | KEYCTL_CAPS0_RESTRICT_KEYRING |
			KEYCTL_CAPS0_MOVE,
		KEYCTL_CAPS1_NS_KEYRING_NAME | KEYCTL_CAPS1_NS_KEY_TAG,
	};

	if (buf && buflen > 0 && copy_to_user(buf, caps, buflen < CAPS_SIZE ? buflen : CAPS_SIZE))
		return -EFAULT;
	return CAPS_SIZE;
}

/* INSTANTIATE, NEGATE, REJECT, INSTANTIATE_IOV: only a request-key helper may. */
static long no_authority(int cmd, unsigned long a4)
{
	if (cmd == KEYCTL_INSTANTIATE && a4 > KEY_ADD_PAYLOAD_MAX)
		return -EINVAL;
	if (cmd == KEYCTL_REJECT &&
	    (a4 == 0 || a4 >= MAX_ERRNO || (a4 >= ERESTARTSYS_FIRST && a4 <= ERESTART_LAST)))
		return -EINVAL;
	return -EPERM;
}

static long assume_authority(int32_t id)
{
	if (id < 0)
		return -EINVAL;
	/* 0 gives up an authority we never hold; any other key is no authorisation key. */
	return id == 0 ? 0 : -ENOKEY;
}

long sys_keyctl(int cmd, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	switch (cmd) {
	case KEYCTL_GET_KEYRING_ID:
		return locked_regs(get_keyring_id, a2, a3, 0, 0);
	case KEYCTL_JOIN_SESSION_KEYRING:
		return do_join(a2);
	case KEYCTL_UPDATE:
		return do_update((int32_t)a2, a3, a4);
	case KEYCTL_REVOKE:
		return locked_regs(revoke_locked, a2, 0, 0, 0);
	case KEYCTL_CHOWN:
		if ((uint32_t)a3 == (uint32_t)-1 && (uint32_t)a4 == (uint32_t)-1)
			return 0;
		return locked_regs(chown_locked, a2, (uint32_t)a3, (uint32_t)a4, 0);
	case KEYCTL_SETPERM:
		if ((uint32_t)a3 & ~(KEY_POS_ALL | KEY_USR_ALL | KEY_GRP_ALL | KEY_OTH_ALL))
			return -EINVAL;
		return locked_regs(setperm_locked, a2, (uint32_t)a3, 0, 0);
	case KEYCTL_DESCRIBE:
		return do_describe((int32_t)a2, a3, a4);
	case KEYCTL_CLEAR:
		return locked_regs(clear_locked, a2, 0, 0, 0);
	case KEYCTL_LINK:
		return locked_regs(link_locked, a2, a3, 0, 0);
	case KEYCTL_UNLINK:
		return locked_regs(unlink_locked, a2, a3, 0, 0);
	case KEYCTL_SEARCH:
		return do_search((int32_t)a2, a3, a4, (int32_t)a5);
	case KEYCTL_READ:
		return do_read((int32_t)a2, a3, a4);
	case KEYCTL_INSTANTIATE:
	case KEYCTL_NEGATE:
	case KEYCTL_REJECT:
	case KEYCTL_INSTANTIATE_IOV:
		return no_authority(cmd, a4);
	case KEYCTL_SET_REQKEY_KEYRING:
		return locked_regs(set_reqkey_locked, a2, 0, 0, 0);
	case KEYCTL_SET_TIMEOUT:
		return locked_regs(timeout_locked, a2, a3, 0, 0);
	case KEYCTL_ASSUME_AUTHORITY:
		return assume_authority((int32_t)a2);
	case KEYCTL_GET_SECURITY:
		return do_get_security((int32_t)a2, a3, a4);
	case KEYCTL_SESSION_TO_PARENT:
		return locked_regs(to_parent_locked, 0, 0, 0, 0);
	case KEYCTL_INVALIDATE:
		return locked_regs(invalidate_locked, a2, 0, 0, 0);
	case KEYCTL_GET_PERSISTENT:
		return keys_get_persistent((uint32_t)a2, (int32_t)a3);
	case KEYCTL_RESTRICT_KEYRING:
		return do_restrict((int32_t)a2, a3, a4);
	case KEYCTL_MOVE:
		if (a5 & ~(unsigned long)KEYCTL_MOVE_EXCL)
			return -EINVAL;
		return locked_regs(move_locked, a2, a3, a4, a5);
	case KEYCTL_CAPABILITIES:
		return do_capabilities(a2, a3);
	default:
		/* DH_COMPUTE, PKEY_*, WATCH_KEY: not built, as Linux without them; unknown: the same. */
		return -EOPNOTSUPP;
	}
}
