// SPDX-License-Identifier: MPL-2.0
// The keyrings of processes, threads and users, the special key ids
// (KEY_SPEC_*), possession, and what fork, clone, exec and exit do to
// them.  A process without a session keyring of its own uses its user's
// session keyring, as Linux; the first look at KEY_SPEC_SESSION_KEYRING
// makes that its session keyring.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "security/keys/internal.h"
#include "security/keys/keys.h"

/* Linux's user_keyring_perm: all but SETATTR for the possessor, all for the owner. */
#define USER_KEYRING_PERM	((KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_ALL)
#define SPECIAL_PERM		(KEY_POS_ALL | KEY_USR_VIEW)
#define ANON_SESSION_PERM	(KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ)
#define NAMED_SESSION_PERM	(KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_LINK)

void keys_ctx_current(struct keys_ctx *c)
{
	c->t = current_thread();
	c->p = current_process();
	c->cred = &c->p->cred;
}

/* The user's _uid.N and _uid_ses.N keyrings (by real uid), made on first use. */
int user_keyrings(uid_t uid, struct key **uid_kr, struct key **ses_kr)
{
	struct key_user *u = key_user_get(uid);
	char name[32];
	int err;

	if (!u)
		return -ENOMEM;
	if (!u->uid_keyring) {
		snprintf(name, sizeof(name), "_uid.%u", uid);
		/* On failure key_alloc has let go of u. */
		err = keyring_alloc(name, uid, GID_INVALID, USER_KEYRING_PERM, KA_IN_QUOTA, &u->uid_keyring);
		if (err)
			return err;
		u->uid_keyring->flags |= KF_UID_KEYRING;
	}
	if (!u->session_keyring) {
		snprintf(name, sizeof(name), "_uid_ses.%u", uid);
		err = keyring_alloc(name, uid, GID_INVALID, USER_KEYRING_PERM, KA_IN_QUOTA,
				    &u->session_keyring);
		if (err)
			return err;
		u->session_keyring->flags |= KF_UID_KEYRING;
		err = keyring_link(u->session_keyring, u->uid_keyring);
		if (err)
			return err;
	}
	*uid_kr = u->uid_keyring;
	*ses_kr = u->session_keyring;
	return 0;
}

int install_thread_keyring(const struct keys_ctx *c)
{
	if (c->t->thread_keyring)
		return 0;
	return keyring_alloc("_tid", c->cred->fsuid, c->cred->fsgid, SPECIAL_PERM,
			     KA_IN_QUOTA | KA_OVERRUN, &c->t->thread_keyring);
}

int install_process_keyring(const struct keys_ctx *c)
{
	if (c->p->process_keyring)
		return 0;
	return keyring_alloc("_pid", c->cred->fsuid, c->cred->fsgid, SPECIAL_PERM,
			     KA_IN_QUOTA | KA_OVERRUN, &c->p->process_keyring);
}

static void set_session(struct process *p, struct key *k)
{
	struct key *old = p->session_keyring;

	if (k)
		key_get(k);
	p->session_keyring = k;
	key_put(old);
}

/* A keyring called name that the caller may search (not a user's own keyrings). */
static struct key *find_keyring_by_name(const struct keys_ctx *c, const char *name)
{
	struct key *k;

	list_for_each_entry(k, &all_keys, node) {
		struct kref r = { k, false };

		if (k->type != KT_KEYRING || (k->flags & (KF_REVOKED | KF_UID_KEYRING | KF_INVALIDATED)))
			continue;
		if (!strcmp(k->desc, name) && !key_permission(&r, c->cred, NEED_SEARCH))
			return k;
	}
	return NULL;
}

/* KEYCTL_JOIN_SESSION_KEYRING: a new anonymous session, or the named one (made if need be). */
int join_session_keyring(const struct keys_ctx *c, const char *name)
{
	struct key *k;
	int err;

	if (!name) {
		err = keyring_alloc("_ses", c->cred->fsuid, c->cred->fsgid, ANON_SESSION_PERM,
				    KA_IN_QUOTA | KA_OVERRUN, &k);
		if (err)
			return err;
		set_session(c->p, k);
		key_put(k);
		return k->serial;
	}
	k = find_keyring_by_name(c, name);
	if (k) {
		set_session(c->p, k);
		return k->serial;
	}
	err = keyring_alloc(name, c->cred->fsuid, c->cred->fsgid, NAMED_SESSION_PERM, KA_IN_QUOTA, &k);
	if (err)
		return err;
	set_session(c->p, k);
	key_put(k);
	return k->serial;
}

/* The caller's session keyring, or its user's session keyring when it has none. */
static int session_of(const struct keys_ctx *c, struct key **out)
{
	struct key *uk, *us;
	int err;

	if (c->p->session_keyring) {
		*out = c->p->session_keyring;
		return 0;
	}
	err = user_keyrings(c->cred->uid, &uk, &us);
	if (!err)
		*out = us;
	return err;
}

struct kref search_process_keyrings(const struct keys_ctx *c, struct search *s)
{
	struct key *rings[3] = { c->t->thread_keyring, c->p->process_keyring, NULL };
	struct kref none = { NULL, false };

	if (session_of(c, &rings[2]))
		rings[2] = NULL;
	for (int i = 0; i < 3; i++) {
		struct kref r;

		if (!rings[i])
			continue;
		r = keyring_search(rings[i], true, s);
		if (r.k)
			return r;
	}
	return none;
}

bool key_possessed(const struct keys_ctx *c, struct key *k)
{
	struct search s = { .cred = c->cred, .target = k };

	return search_process_keyrings(c, &s).k != NULL;
}

/* KEY_SPEC_SESSION_KEYRING when the caller has none: install the user's, or a new one (create). */
static int special_session(const struct keys_ctx *c, unsigned int lflags, struct key **out)
{
	struct key *uk, *us;
	int err;

	if (!c->p->session_keyring) {
		if (lflags & LOOKUP_CREATE) {
			err = join_session_keyring(c, NULL);
		} else {
			err = user_keyrings(c->cred->uid, &uk, &us);
			if (!err)
				set_session(c->p, us);
		}
		if (err < 0)
			return err;
	}
	*out = c->p->session_keyring;
	return 0;
}

/* A KEY_SPEC_* id: the keyring, possessed by definition. */
static int special_key(const struct keys_ctx *c, int32_t id, unsigned int lflags, struct key **out)
{
	struct key *uk, *us;
	int err;

	switch (id) {
	case KEY_SPEC_THREAD_KEYRING:
		if (!c->t->thread_keyring && !(lflags & LOOKUP_CREATE))
			return -ENOKEY;
		err = install_thread_keyring(c);
		*out = c->t->thread_keyring;
		return err;
	case KEY_SPEC_PROCESS_KEYRING:
		if (!c->p->process_keyring && !(lflags & LOOKUP_CREATE))
			return -ENOKEY;
		err = install_process_keyring(c);
		*out = c->p->process_keyring;
		return err;
	case KEY_SPEC_SESSION_KEYRING:
		return special_session(c, lflags, out);
	case KEY_SPEC_USER_KEYRING:
	case KEY_SPEC_USER_SESSION_KEYRING:
		err = user_keyrings(c->cred->uid, &uk, &us);
		*out = id == KEY_SPEC_USER_KEYRING ? uk : us;
		return err;
	case KEY_SPEC_REQKEY_AUTH_KEY:
	case KEY_SPEC_REQUESTOR_KEYRING:
		/* Only a request-key helper holds an authorisation key: none here. */
		return -ENOKEY;
	default:
		/* KEY_SPEC_GROUP_KEYRING: Linux has never had group keyrings. */
		return -EINVAL;
	}
}

int lookup_user_key(const struct keys_ctx *c, int32_t id, unsigned int lflags, uint32_t need,
		    struct kref *out)
{
	struct kref r = { NULL, true };
	int err;

	if (id < 0) {
		err = special_key(c, id, lflags, &r.k);
		if (err)
			return err;
	} else {
		if (id == 0)
			return -EINVAL;
		r.k = key_by_serial(id);
		if (!r.k)
			return -ENOKEY;
		r.possessed = key_possessed(c, r.k);
	}
	if (need != NEED_UNLINK) {
		err = key_validate(r.k);
		if (!err)
			err = key_permission(&r, c->cred, need);
		if (err)
			return err;
	}
	*out = r;
	return 0;
}

int reqkey_dest_keyring(const struct keys_ctx *c, struct key **out)
{
	struct key *uk, *us;
	int err;

	switch (c->t->reqkey_defl) {
	case KEY_REQKEY_DEFL_DEFAULT:
	case KEY_REQKEY_DEFL_REQUESTOR_KEYRING:
		if (c->t->thread_keyring) {
			*out = c->t->thread_keyring;
			return 0;
		}
		__attribute__((fallthrough));
	case KEY_REQKEY_DEFL_THREAD_KEYRING:
		if (c->t->thread_keyring) {
			*out = c->t->thread_keyring;
			return 0;
		}
		__attribute__((fallthrough));
	case KEY_REQKEY_DEFL_PROCESS_KEYRING:
		if (c->p->process_keyring) {
			*out = c->p->process_keyring;
			return 0;
		}
		__attribute__((fallthrough));
	case KEY_REQKEY_DEFL_SESSION_KEYRING:
		if (c->p->session_keyring) {
			*out = c->p->session_keyring;
			return 0;
		}
		__attribute__((fallthrough));
	case KEY_REQKEY_DEFL_USER_SESSION_KEYRING:
		err = user_keyrings(c->cred->uid, &uk, &us);
		*out = us;
		return err;
	case KEY_REQKEY_DEFL_USER_KEYRING:
		err = user_keyrings(c->cred->uid, &uk, &us);
		*out = uk;
		return err;
	default:
		return -EINVAL;
	}
}

/*
 * Linux's keyctl_session_to_parent, applied at once rather than at the
 * parent's next return to user space (it cannot run in between anyway:
 * it is single-threaded and the change only touches its credentials).
 */
int keys_session_to_parent(const struct keys_ctx *c)
{
	const struct cred *me = c->cred;
	struct process *parent;
	struct key *mine = c->p->session_keyring;
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	bool alone;
	int err = -EPERM;

	/*
	 * Single-threaded and alive, read under the table lock.  Should it
	 * exit right after, its keys_process_exit waits for keys_lock, which
	 * we hold, and so drops the keyring we give it.
	 */
	parent = c->p->parent;
	alone = parent && parent->state == PROCESS_ALIVE && parent->nr_threads == 1;
	if (parent)
		process_get(parent);
	spin_unlock_irqrestore(&process_table_lock, f);
	if (!parent)
		return -EPERM;
	if (parent->pid <= 1 || !alone)
		goto out;
	err = 0;
	if (parent->session_keyring == mine)
		goto out;
	err = -EPERM;
	if (parent->cred.uid != me->euid || parent->cred.euid != me->euid || parent->cred.suid != me->euid ||
	    parent->cred.gid != me->egid || parent->cred.egid != me->egid || parent->cred.sgid != me->egid)
		goto out;
	if ((parent->session_keyring && parent->session_keyring->uid != me->euid) || mine->uid != me->euid)
		goto out;
	set_session(parent, mine);
	err = 0;
out:
	process_put(parent);
	return err;
}

void keys_fork(struct process *c, const struct process *p)
{
	mutex_lock(&keys_lock);
	c->process_keyring = NULL;
	c->session_keyring = p->session_keyring;
	if (c->session_keyring)
		key_get(c->session_keyring);
	mutex_unlock(&keys_lock);
}

void keys_thread_clone(struct thread *t, const struct thread *self, bool same_process)
{
	const struct cred *c = &self->proc->cred;

	t->thread_keyring = NULL;
	t->reqkey_defl = self->reqkey_defl;
	if (!same_process || !self->thread_keyring)
		return;
	/* Linux: a thread made by one that has a thread keyring gets a new one (best effort). */
	mutex_lock(&keys_lock);
	if (keyring_alloc("_tid", c->fsuid, c->fsgid, SPECIAL_PERM, KA_IN_QUOTA | KA_OVERRUN,
			  &t->thread_keyring))
		t->thread_keyring = NULL;
	mutex_unlock(&keys_lock);
}

void keys_exec(struct thread *t)
{
	mutex_lock(&keys_lock);
	key_put(t->thread_keyring);
	t->thread_keyring = NULL;
	key_put(t->proc->process_keyring);
	t->proc->process_keyring = NULL;
	mutex_unlock(&keys_lock);
}

void keys_thread_exit(struct thread *t)
{
	if (!t->thread_keyring)
		return;
	mutex_lock(&keys_lock);
	key_put(t->thread_keyring);
	t->thread_keyring = NULL;
	mutex_unlock(&keys_lock);
}

void keys_process_exit(struct process *p)
{
	/* Always under the lock: a child's SESSION_TO_PARENT may be setting ours. */
	mutex_lock(&keys_lock);
	key_put(p->process_keyring);
	p->process_keyring = NULL;
	key_put(p->session_keyring);
	p->session_keyring = NULL;
	mutex_unlock(&keys_lock);
}
