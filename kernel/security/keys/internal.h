/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/security/keys/.  One mutex, keys_lock, guards every
 * key, keyring, quota record and the keyring pointers of processes and
 * threads: key operations are rare and short, and a single lock makes a
 * key's reference count and its links simple to keep consistent.  A key
 * lives while something refers to it (a keyring's link, a process or
 * thread, a user's keyring slot); the last key_put frees it at once, and
 * with it its links to other keys.
 */
#ifndef KERNEL_SECURITY_KEYS_INTERNAL_H
#define KERNEL_SECURITY_KEYS_INTERNAL_H
#include <aster/list.h>
#include <aster/types.h>
#include <aster/wait.h>
#include "process/process.h"
#include "uapi/keyctl.h"

extern struct mutex keys_lock;

enum key_type_id { KT_KEYRING, KT_USER, KT_LOGON, KT_NR };

/* What an operation needs of a key: one byte of its permission word. */
#define NEED_VIEW	0x01
#define NEED_READ	0x02
#define NEED_WRITE	0x04
#define NEED_SEARCH	0x08
#define NEED_LINK	0x10
#define NEED_SETATTR	0x20

/* key.flags */
#define KF_REVOKED	0x01
#define KF_DEAD		0x02
#define KF_IN_QUOTA	0x04
#define KF_NEGATIVE	0x08
#define KF_INVALIDATED	0x10
#define KF_UID_KEYRING	0x20	/* a user's _uid or _uid_ses keyring: join cannot find it */
#define KF_RESTRICTED	0x40	/* KEYCTL_RESTRICT_KEYRING with no type: no more links */

#define GID_INVALID	((gid_t)-1)

struct key_user;

struct key {
	int32_t serial;
	int usage;			/* references: links, processes, threads, users */
	enum key_type_id type;
	char *desc;
	size_t desclen;
	uid_t uid;
	gid_t gid;			/* GID_INVALID: none */
	uint32_t perm;
	uint32_t flags;
	int reject_error;		/* of a negative key */
	uint64_t expiry;		/* realtime seconds, 0: never */
	uint64_t revoked_at;		/* realtime seconds */
	struct key_user *user;		/* quota record of uid */
	size_t datalen;			/* payload bytes charged to the quota */
	uint8_t *payload;		/* user, logon */
	struct key **links;		/* keyring: the keys it holds */
	size_t nlinks, cap;
	struct list_node node;		/* on all_keys, ascending serial */
};

/* Per uid: quota use and the user keyrings. */
struct key_user {
	uid_t uid;
	uint32_t nkeys, nikeys, qnkeys;
	size_t qnbytes;
	struct key *uid_keyring, *session_keyring;
	struct key *persistent;		/* _persistent.UID (persistent.c), or NULL */
	struct list_node node;
};

/* A key and whether the caller possesses it (Linux's key_ref_t). */
struct kref {
	struct key *k;
	bool possessed;
};

/* key.c */
extern struct list_node all_keys, all_users;
extern const char *const key_type_names[KT_NR];
int key_type_lookup(const char *name);
uint64_t key_now(void);
bool key_expired(const struct key *k, uint64_t now);
/* 0, or why the key cannot be used: ENOKEY (invalidated), EKEYREVOKED, EKEYEXPIRED, its rejection. */
int key_validate(const struct key *k);
void key_get(struct key *k);
void key_put(struct key *k);
struct key *key_by_serial(int32_t id);
/* key_alloc flags */
#define KA_IN_QUOTA	0x1
#define KA_OVERRUN	0x2	/* in the quota, but may pass its limits (special keyrings) */
int key_alloc(enum key_type_id type, const char *desc, uid_t uid, gid_t gid, uint32_t perm,
	      unsigned int kaflags, struct key **out);
/* Charge or release payload bytes: 0 or -EDQUOT. */
int key_reserve(struct key *k, size_t datalen);
/* The quota record of uid, made if need be (NULL: out of memory). */
struct key_user *key_user_get(uid_t uid);
void key_user_maybe_free(struct key_user *u);
uint32_t key_maxkeys(uid_t uid);
size_t key_maxbytes(uid_t uid);
/* The permission bits of k the caller has: 0 or -EACCES. */
int key_permission(const struct kref *r, const struct cred *c, uint32_t need);
void key_revoke(struct key *k);
void key_invalidate(struct key *k);
/* Drop the links to revoked and expired keys that have been so for gc_delay. */
void key_gc(void);

/* sysctls */
extern uint32_t key_quota_maxkeys, key_quota_maxbytes, key_quota_root_maxkeys,
	key_quota_root_maxbytes, key_gc_delay, key_persistent_expiry;

/* keyring.c */
int keyring_alloc(const char *desc, uid_t uid, gid_t gid, uint32_t perm, unsigned int kaflags,
		  struct key **out);
/* Link k into ring (replacing a key of the same type and description): 0 or -errno. */
int keyring_link(struct key *ring, struct key *k);
int keyring_unlink(struct key *ring, struct key *k);
void keyring_clear(struct key *ring);
struct key *keyring_find(struct key *ring, enum key_type_id type, const char *desc);
/* Is there a path from `from` down to `to` through keyrings (or one too deep to tell)? */
bool keyring_reaches(struct key *from, struct key *to, int depth);

struct search {
	const struct cred *cred;
	enum key_type_id type;
	const char *desc;		/* NULL: match the key target */
	struct key *target;
	bool state_check;		/* skip revoked/expired/negative keys, remembering why */
	int err;			/* the first such reason */
};
/* Search ring (possessed or not) and the keyrings under it: the key, or NULL (s->err). */
struct kref keyring_search(struct key *ring, bool possessed, struct search *s);

/* add_key.c: replace k's payload (taken from *payload): 0 or -EDQUOT. */
int key_set_payload(struct key *k, uint8_t **payload, size_t plen);

/* persistent.c */
long keys_get_persistent(uint32_t uid, int32_t destid);
void persistent_gc(uint64_t now);

/* process_keys.c */
struct keys_ctx {
	struct process *p;
	struct thread *t;
	const struct cred *cred;
};
void keys_ctx_current(struct keys_ctx *c);
#define LOOKUP_CREATE	0x1
#define NEED_UNLINK	0x80000000u	/* no validation or permission here (UNLINK; READ checks later) */
int lookup_user_key(const struct keys_ctx *c, int32_t id, unsigned int lflags, uint32_t need,
		    struct kref *out);
/* Search the caller's keyrings (thread, process, session or user session). */
struct kref search_process_keyrings(const struct keys_ctx *c, struct search *s);
bool key_possessed(const struct keys_ctx *c, struct key *k);
int user_keyrings(uid_t uid, struct key **uid_kr, struct key **ses_kr);
int install_thread_keyring(const struct keys_ctx *c);
int install_process_keyring(const struct keys_ctx *c);
int join_session_keyring(const struct keys_ctx *c, const char *name);
int keys_session_to_parent(const struct keys_ctx *c);
/* The keyring request_key links a new key into (set by SET_REQKEY_KEYRING): 0 or -errno. */
int reqkey_dest_keyring(const struct keys_ctx *c, struct key **out);

#endif
