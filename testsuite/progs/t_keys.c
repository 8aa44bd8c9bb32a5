// SPDX-License-Identifier: MPL-2.0
// The key retention service through raw add_key/request_key/keyctl calls
// (no libkeyutils): user, logon and keyring keys — add, read, update,
// revoke, invalidate, unlink, search, describe, link, move, restrict,
// timeouts; the thread, process and session keyrings across threads, fork
// and exec; permissions and possession between root and uid 65534; the
// per-user quotas; request_key without a /sbin/request-key helper;
// /proc/keys, /proc/key-users and /proc/sys/kernel/keys; each error path.
#include "check.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define SPEC_THREAD	-1
#define SPEC_PROCESS	-2
#define SPEC_SESSION	-3
#define SPEC_USER	-4
#define SPEC_USER_SES	-5
#define SPEC_GROUP	-6
#define SPEC_AUTH	-7

enum {
	GET_KEYRING_ID, JOIN_SESSION, UPDATE, REVOKE, CHOWN, SETPERM, DESCRIBE, CLEAR, LINK, UNLINK,
	SEARCH, READ, INSTANTIATE, NEGATE, SET_REQKEY, SET_TIMEOUT, ASSUME_AUTH, GET_SECURITY,
	SESSION_TO_PARENT, REJECT, INSTANTIATE_IOV, INVALIDATE, GET_PERSISTENT, DH_COMPUTE,
	PKEY_QUERY, PKEY_ENCRYPT, PKEY_DECRYPT, PKEY_SIGN, PKEY_VERIFY, RESTRICT, MOVE, CAPABILITIES,
	WATCH_KEY,
};

#define BADPTR	((void *)1)
#define NOBODY	65534

static long kc(int op, long a, long b, long c, long d)
{
	return syscall(SYS_keyctl, op, a, b, c, d);
}

static long add(const char *type, const char *desc, const void *data, size_t len, long ring)
{
	return syscall(SYS_add_key, type, desc, data, len, ring);
}

static long req(const char *type, const char *desc, const char *callout, long dest)
{
	return syscall(SYS_request_key, type, desc, callout, dest);
}

static long add_user(const char *desc, const char *data, long ring)
{
	return add("user", desc, data, strlen(data), ring);
}

/* DESCRIBE into buf: the string's length with its NUL, or -1. */
static long describe(long id, char *buf, size_t size)
{
	memset(buf, 0, size);
	return kc(DESCRIBE, id, (long)buf, (long)size, 0);
}

/* A child's checks print their own lines; its exit status says whether any failed. */
static void child_start(void)
{
	check_failed = 0;
}

static void child_done(void)
{
	_exit(check_failed ? 1 : 0);
}

static void wait_child(pid_t pid, const char *desc)
{
	int st = -1;

	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, desc,
	      "status 0x%x", st);
}

/* The /proc/keys line of key id (in a buffer of its own: the file grows long), or NULL. */
static char *proc_keys_line(long id)
{
	static char buf[1 << 18];
	char pfx[16], *p;
	long n = check_read_file("/proc/keys", buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = 0;
	snprintf(pfx, sizeof(pfx), "%08lx ", id);
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, pfx, strlen(pfx))) {
			char *e = strchr(p, '\n');

			if (e)
				*e = 0;
			return p;
		}
	}
	return NULL;
}

static void test_user_keys(long sess)
{
	char buf[256];
	long id, id2;

	id = add_user("t_keys:a", "hello", SPEC_SESSION);
	CHECK(id >= 3 && id <= 0x7fffffff, "add_key user: a positive serial", "id %ld errno %d", id, errno);
	CHECK_RET(kc(READ, id, 0, 0, 0), 5, "READ with no buffer: the length");
	memset(buf, 0, sizeof(buf));
	CHECK_RET(kc(READ, id, (long)buf, sizeof(buf), 0), 5, "READ: the length");
	CHECK(!memcmp(buf, "hello", 5), "READ: the payload", "%.5s", buf);
	memset(buf, 'x', sizeof(buf));
	CHECK_RET(kc(READ, id, (long)buf, 2, 0), 5, "READ into a short buffer: the full length");
	CHECK_RET(describe(id, buf, sizeof(buf)), (long)strlen("user;0;0;3f010000;t_keys:a") + 1, "DESCRIBE");
	CHECK(!strcmp(buf, "user;0;0;3f010000;t_keys:a"), "DESCRIBE: type;uid;gid;perm;desc", "%s", buf);
	CHECK_RET(kc(DESCRIBE, id, (long)buf, 4, 0), 27, "DESCRIBE into a short buffer: the length");
	id2 = add_user("t_keys:a", "world!", SPEC_SESSION);
	CHECK_RET(id2, id, "add_key of the same type and description updates the key");
	CHECK_RET(kc(READ, id, (long)buf, sizeof(buf), 0), 6, "READ after the update");
	CHECK_RET(kc(UPDATE, id, (long)"xyz", 3, 0), 0, "UPDATE");
	CHECK(kc(READ, id, (long)buf, sizeof(buf), 0) == 3 && !memcmp(buf, "xyz", 3), "READ after UPDATE", "%.3s", buf);
	CHECK_ERR(kc(UPDATE, id, (long)buf, 4097, 0), EINVAL, "UPDATE of more than a page: EINVAL");
	CHECK_ERR(kc(UPDATE, id, (long)BADPTR, 3, 0), EFAULT, "UPDATE from a bad pointer: EFAULT");
	CHECK_ERR(kc(UPDATE, sess, (long)"x", 1, 0), EOPNOTSUPP, "UPDATE of a keyring: EOPNOTSUPP");
	CHECK_RET(kc(SEARCH, sess, (long)"user", (long)"t_keys:a", 0), id, "SEARCH finds the key");
	CHECK_ERR(kc(SEARCH, sess, (long)"user", (long)"t_keys:none", 0), ENOKEY, "SEARCH for no such key: ENOKEY");
	CHECK_ERR(kc(SEARCH, sess, (long)"nosuch", (long)"t_keys:a", 0), ENOKEY, "SEARCH of an unknown type: ENOKEY");
	CHECK_ERR(kc(SEARCH, sess, (long)BADPTR, (long)"t_keys:a", 0), EFAULT, "SEARCH with a bad type: EFAULT");
	CHECK_RET(req("user", "t_keys:a", NULL, 0), id, "request_key finds the key");
	CHECK_ERR(req("user", "t_keys:none", NULL, 0), ENOKEY, "request_key of no such key: ENOKEY");
	CHECK_ERR(req("user", BADPTR, NULL, 0), EFAULT, "request_key with a bad description: EFAULT");
	CHECK_ERR(req("nosuch", "t_keys:a", NULL, 0), ENOKEY, "request_key of an unknown type: ENOKEY");
	CHECK_ERR(req(".x", "t_keys:a", NULL, 0), EPERM, "request_key of a dot type: EPERM");
	/* No /sbin/request-key: the helper cannot run, the key is negative for a while. */
	CHECK_ERR(req("user", "t_keys:up", "info", 0), ENOENT, "request_key with callout and no helper: ENOENT");
	CHECK_ERR(req("user", "t_keys:up", "info", 0), ENOKEY, "request_key again: the negative key, ENOKEY");
	CHECK_ERR(kc(SEARCH, sess, (long)"user", (long)"t_keys:up", 0), ENOKEY, "SEARCH finds the negative key: ENOKEY");
}

static void test_add_errors(long sess)
{
	static char big[32768], longdesc[4097];
	long id, u;

	memset(longdesc, 'd', sizeof(longdesc) - 1);
	CHECK_ERR(add("user", "t_keys:big", big, 32768, sess), EINVAL, "add_key past 32767 bytes: EINVAL");
	id = add("user", "t_keys:big", big, 32767, sess);
	CHECK_OK(id, "add_key of 32767 bytes");
	CHECK_RET(kc(UNLINK, id, sess, 0, 0), 0, "UNLINK it");
	CHECK_ERR(add("user", "t_keys:big", big, 1024 * 1024, sess), EINVAL, "add_key of 1 MiB: EINVAL");
	CHECK_ERR(add("user", longdesc, "x", 1, sess), EINVAL, "add_key with a 4096-byte description: EINVAL");
	longdesc[4095] = 0;
	id = add("user", longdesc, "x", 1, sess);
	CHECK_OK(id, "add_key with a 4095-byte description");
	if (id > 0)
		kc(UNLINK, id, sess, 0, 0);
	CHECK_ERR(add(BADPTR, "t_keys:e", "x", 1, sess), EFAULT, "add_key with a bad type: EFAULT");
	CHECK_ERR(add("", "t_keys:e", "x", 1, sess), EINVAL, "add_key with an empty type: EINVAL");
	CHECK_ERR(add(".user", "t_keys:e", "x", 1, sess), EPERM, "add_key of a dot type: EPERM");
	CHECK_ERR(add("nosuch", "t_keys:e", "x", 1, sess), ENODEV, "add_key of an unknown type: ENODEV");
	CHECK_ERR(add("user", BADPTR, "x", 1, sess), EFAULT, "add_key with a bad description: EFAULT");
	CHECK_ERR(add("user", "t_keys:e", BADPTR, 1, sess), EFAULT, "add_key with a bad payload: EFAULT");
	CHECK_ERR(add("user", "t_keys:e", NULL, 0, sess), EINVAL, "add_key user with no payload: EINVAL");
	CHECK_ERR(add("user", NULL, "x", 1, sess), EINVAL, "add_key user with no description: EINVAL");
	CHECK_ERR(add("user", "t_keys:e", "x", 1, 1), ENOKEY, "add_key into no such keyring: ENOKEY");
	CHECK_ERR(add("user", "t_keys:e", "x", 1, 0), EINVAL, "add_key into keyring 0: EINVAL");
	CHECK_ERR(add("user", "t_keys:e", "x", 1, SPEC_GROUP), EINVAL, "add_key into the group keyring: EINVAL");
	u = add_user("t_keys:e", "x", sess);
	CHECK_ERR(add("user", "t_keys:f", "x", 1, u), ENOTDIR, "add_key into a user key: ENOTDIR");
	CHECK_ERR(add("keyring", "t_keys:r", "x", 1, sess), EINVAL, "add_key keyring with a payload: EINVAL");
	CHECK_ERR(add("keyring", ".t_keys", NULL, 0, sess), EPERM, "add_key keyring with a dot name: EPERM");
	CHECK_ERR(add("logon", "nocolon", "x", 1, sess), EINVAL, "add_key logon without a service prefix: EINVAL");
	CHECK_ERR(add("logon", ":x", "x", 1, sess), EINVAL, "add_key logon with an empty service: EINVAL");
	CHECK_ERR(kc(READ, u, (long)BADPTR, 100, 0), EFAULT, "READ into a bad buffer: EFAULT");
	CHECK_ERR(kc(DESCRIBE, u, (long)BADPTR, 100, 0), EFAULT, "DESCRIBE into a bad buffer: EFAULT");
	CHECK_ERR(kc(READ, 1, 0, 0, 0), ENOKEY, "READ of no such key: ENOKEY");
	CHECK_ERR(kc(READ, 0, 0, 0, 0), ENOKEY, "READ of key 0: ENOKEY (READ turns lookup errors into ENOKEY)");
	CHECK_ERR(kc(DESCRIBE, 0, 0, 0, 0), EINVAL, "DESCRIBE of key 0: EINVAL");
	kc(UNLINK, u, sess, 0, 0);
}

static void test_logon_keyring(long sess)
{
	char buf[256];
	int32_t ids[4];
	long l, kr, a, b;

	l = add("logon", "t_keys:pw", "secret", 6, sess);
	CHECK_OK(l, "add_key logon");
	CHECK_ERR(kc(READ, l, (long)buf, sizeof(buf), 0), EOPNOTSUPP, "READ of a logon key: EOPNOTSUPP");
	describe(l, buf, sizeof(buf));
	CHECK(!strcmp(buf, "logon;0;0;3d010000;t_keys:pw"), "DESCRIBE logon: no possessor read bit", "%s", buf);
	kr = add("keyring", "t_keys_ring", NULL, 0, sess);
	CHECK_OK(kr, "add_key keyring");
	describe(kr, buf, sizeof(buf));
	CHECK(!strcmp(buf, "keyring;0;0;3f010000;t_keys_ring"), "DESCRIBE keyring", "%s", buf);
	CHECK_RET(kc(READ, kr, (long)ids, sizeof(ids), 0), 0, "READ of an empty keyring: 0");
	a = add_user("t_keys:in", "1", kr);
	CHECK_OK(a, "add_key into the new keyring");
	CHECK(kc(READ, kr, (long)ids, sizeof(ids), 0) == 4 && ids[0] == a, "READ keyring: the serials", "%d", ids[0]);
	CHECK_RET(kc(SEARCH, sess, (long)"user", (long)"t_keys:in", 0), a, "SEARCH goes down nested keyrings");
	CHECK_RET(req("user", "t_keys:in", NULL, 0), a, "request_key goes down nested keyrings");
	b = add_user("t_keys:b", "2", sess);
	CHECK_RET(kc(LINK, b, kr, 0, 0), 0, "LINK");
	CHECK_RET(kc(READ, kr, (long)ids, sizeof(ids), 0), 8, "READ keyring: two serials");
	CHECK_RET(kc(UNLINK, b, kr, 0, 0), 0, "UNLINK");
	CHECK_ERR(kc(UNLINK, b, kr, 0, 0), ENOENT, "UNLINK of a key not in the keyring: ENOENT");
	CHECK_ERR(kc(UNLINK, b, b, 0, 0), ENOTDIR, "UNLINK from a user key: ENOTDIR");
	CHECK_ERR(kc(LINK, kr, kr, 0, 0), EDEADLK, "LINK a keyring into itself: EDEADLK");
	CHECK_ERR(kc(LINK, sess, kr, 0, 0), EDEADLK, "LINK making a cycle: EDEADLK");
	CHECK_ERR(kc(LINK, b, b, 0, 0), ENOTDIR, "LINK into a user key: ENOTDIR");
	CHECK_RET(kc(CLEAR, kr, 0, 0, 0), 0, "CLEAR");
	CHECK_RET(kc(READ, kr, (long)ids, sizeof(ids), 0), 0, "READ after CLEAR: empty");
	CHECK_ERR(kc(SEARCH, sess, (long)"user", (long)"t_keys:in", 0), ENOKEY, "CLEAR: the nested key is no longer found");
	CHECK_ERR(kc(CLEAR, b, 0, 0, 0), ENOTDIR, "CLEAR of a user key: ENOTDIR");
	/* MOVE */
	a = add_user("t_keys:mv", "m", kr);
	CHECK_ERR(kc(MOVE, a, kr, sess, 2), EINVAL, "MOVE with unknown flags: EINVAL");
	CHECK_RET(kc(MOVE, a, kr, sess, 0), 0, "MOVE between keyrings");
	CHECK_RET(kc(READ, kr, (long)ids, sizeof(ids), 0), 0, "MOVE: gone from the source");
	CHECK_RET(kc(SEARCH, sess, (long)"user", (long)"t_keys:mv", 0), a, "MOVE: in the destination");
	CHECK_ERR(kc(MOVE, a, kr, sess, 0), ENOENT, "MOVE of a key not in the source: ENOENT");
	add_user("t_keys:mv", "other", kr);
	CHECK_ERR(kc(MOVE, a, sess, kr, 1), EEXIST, "MOVE_EXCL onto a key of the same name: EEXIST");
	/* RESTRICT_KEYRING */
	CHECK_ERR(kc(RESTRICT, b, 0, 0, 0), ENOTDIR, "RESTRICT_KEYRING of a user key: ENOTDIR");
	CHECK_ERR(kc(RESTRICT, kr, (long)"user", 0, 0), EINVAL, "RESTRICT_KEYRING with a type and no restriction: EINVAL");
	CHECK_ERR(kc(RESTRICT, kr, 0, (long)"x", 0), EINVAL, "RESTRICT_KEYRING with a restriction and no type: EINVAL");
	CHECK_RET(kc(RESTRICT, kr, 0, 0, 0), 0, "RESTRICT_KEYRING: no more links");
	CHECK_ERR(kc(RESTRICT, kr, 0, 0, 0), EEXIST, "RESTRICT_KEYRING twice: EEXIST");
	CHECK_ERR(add_user("t_keys:r", "x", kr), EPERM, "add_key into a restricted keyring: EPERM");
	CHECK_ERR(kc(LINK, b, kr, 0, 0), EPERM, "LINK into a restricted keyring: EPERM");
	kc(UNLINK, kr, sess, 0, 0);
	kc(UNLINK, b, sess, 0, 0);
	kc(UNLINK, a, sess, 0, 0);
	kc(UNLINK, l, sess, 0, 0);
}

static void test_states(long sess)
{
	char *line, exp[8];
	long a, b, c, r;

	a = add_user("t_keys:rev", "r", sess);
	CHECK_RET(kc(REVOKE, a, 0, 0, 0), 0, "REVOKE");
	CHECK_ERR(kc(READ, a, 0, 0, 0), EKEYREVOKED, "READ of a revoked key: EKEYREVOKED");
	CHECK_ERR(kc(REVOKE, a, 0, 0, 0), EKEYREVOKED, "REVOKE again: EKEYREVOKED");
	CHECK_ERR(kc(SEARCH, sess, (long)"user", (long)"t_keys:rev", 0), EKEYREVOKED, "SEARCH for a revoked key: EKEYREVOKED");
	line = proc_keys_line(a);
	CHECK(line && !strncmp(line + 9, "IR-Q---", 7), "/proc/keys: R for revoked", "%s", line ? line : "none");
	b = add_user("t_keys:rev", "new", sess);
	CHECK(b > 0 && b != a, "add_key over a revoked key makes a new one", "%ld", b);
	kc(UNLINK, a, sess, 0, 0);
	kc(UNLINK, b, sess, 0, 0);
	c = add_user("t_keys:inv", "i", sess);
	CHECK_RET(kc(INVALIDATE, c, 0, 0, 0), 0, "INVALIDATE");
	CHECK_ERR(kc(READ, c, 0, 0, 0), ENOKEY, "READ of an invalidated key: ENOKEY");
	/* Linux unlinks it in its collector, a moment later; until then a search sees it as revoked. */
	r = kc(SEARCH, sess, (long)"user", (long)"t_keys:inv", 0);
	CHECK(r == -1 && (errno == ENOKEY || errno == EKEYREVOKED), "SEARCH after INVALIDATE: ENOKEY (or EKEYREVOKED)",
	      "%ld errno %d", r, errno);
	a = add_user("t_keys:tmo", "t", sess);
	CHECK_RET(kc(SET_TIMEOUT, a, 1, 0, 0), 0, "SET_TIMEOUT 1 s");
	line = proc_keys_line(a);
	CHECK(line && sscanf(line, "%*x %*s %*d %7s", exp) == 1 && (!strcmp(exp, "1s") || !strcmp(exp, "0s")),
	      "/proc/keys: the expiry", "%s", line ? line : "none");
	sleep(2);
	CHECK_ERR(kc(READ, a, 0, 0, 0), EKEYEXPIRED, "READ of an expired key: EKEYEXPIRED");
	CHECK_ERR(kc(SEARCH, sess, (long)"user", (long)"t_keys:tmo", 0), EKEYEXPIRED, "SEARCH for an expired key: EKEYEXPIRED");
	CHECK_ERR(kc(SET_TIMEOUT, a, 0, 0, 0), EKEYEXPIRED, "SET_TIMEOUT of an expired key: EKEYEXPIRED");
	kc(UNLINK, a, sess, 0, 0);
}

static void test_attrs(long sess)
{
	char buf[256];
	unsigned char caps[4] = { 0 };
	long a, r;

	a = add_user("t_keys:attr", "v", sess);
	CHECK_ERR(kc(SETPERM, a, 0x40000000, 0, 0), EINVAL, "SETPERM with unknown bits: EINVAL");
	CHECK_RET(kc(SETPERM, a, 0x3f3f0000, 0, 0), 0, "SETPERM");
	CHECK_RET(kc(CHOWN, a, -1, -1, 0), 0, "CHOWN to -1, -1: nothing");
	CHECK_RET(kc(CHOWN, a, -1, 100, 0), 0, "CHOWN the group (root)");
	describe(a, buf, sizeof(buf));
	CHECK(!strcmp(buf, "user;0;100;3f3f0000;t_keys:attr"), "DESCRIBE after SETPERM and CHOWN", "%s", buf);
	memset(buf, 'x', sizeof(buf));
	CHECK_RET(kc(GET_SECURITY, a, (long)buf, sizeof(buf), 0), 1, "GET_SECURITY: an empty label");
	CHECK(buf[0] == 0, "GET_SECURITY: the empty string", "%d", buf[0]);
	CHECK_ERR(kc(GET_SECURITY, a, (long)BADPTR, 10, 0), EFAULT, "GET_SECURITY into a bad buffer: EFAULT");
	CHECK_ERR(kc(GET_SECURITY, 1, 0, 0, 0), ENOKEY, "GET_SECURITY of no key: ENOKEY");
	kc(UNLINK, a, sess, 0, 0);
	CHECK_ERR(kc(INSTANTIATE, a, (long)"x", 1, 0), EPERM, "INSTANTIATE without authority: EPERM");
	CHECK_ERR(kc(NEGATE, a, 10, 0, 0), EPERM, "NEGATE without authority: EPERM");
	CHECK_ERR(kc(REJECT, a, 10, 0, 0), EINVAL, "REJECT with error 0: EINVAL");
	CHECK_ERR(kc(REJECT, a, 10, ENOKEY, 0), EPERM, "REJECT without authority: EPERM");
	CHECK_ERR(kc(INSTANTIATE_IOV, a, 0, 0, 0), EPERM, "INSTANTIATE_IOV without authority: EPERM");
	CHECK_RET(kc(ASSUME_AUTH, 0, 0, 0, 0), 0, "ASSUME_AUTHORITY 0");
	CHECK_ERR(kc(ASSUME_AUTH, -1, 0, 0, 0), EINVAL, "ASSUME_AUTHORITY of a negative id: EINVAL");
	CHECK_ERR(kc(ASSUME_AUTH, sess, 0, 0, 0), ENOKEY, "ASSUME_AUTHORITY of no authorisation key: ENOKEY");
	CHECK_ERR(kc(GET_KEYRING_ID, SPEC_AUTH, 0, 0, 0), ENOKEY, "no request-key authorisation key: ENOKEY");
	CHECK_ERR(kc(GET_KEYRING_ID, SPEC_GROUP, 0, 0, 0), EINVAL, "the group keyring: EINVAL");
	CHECK_ERR(kc(GET_KEYRING_ID, -9, 0, 0, 0), EINVAL, "special id -9: EINVAL");
	CHECK_ERR(kc(GET_KEYRING_ID, 0, 0, 0, 0), EINVAL, "key 0: EINVAL");
	CHECK_OK(kc(GET_KEYRING_ID, SPEC_USER, 1, 0, 0), "the user keyring");
	CHECK_OK(kc(GET_KEYRING_ID, SPEC_USER_SES, 1, 0, 0), "the user session keyring");
	CHECK_RET(kc(SET_REQKEY, -1, 0, 0, 0), 0, "SET_REQKEY_KEYRING no change: the default");
	CHECK_ERR(kc(SET_REQKEY, 6, 0, 0, 0), EINVAL, "SET_REQKEY_KEYRING group: EINVAL");
	CHECK_ERR(kc(SET_REQKEY, 8, 0, 0, 0), EINVAL, "SET_REQKEY_KEYRING 8: EINVAL");
	CHECK_RET(kc(SET_REQKEY, 3, 0, 0, 0), 0, "SET_REQKEY_KEYRING session: the old value");
	CHECK_RET(kc(SET_REQKEY, 0, 0, 0, 0), 3, "SET_REQKEY_KEYRING back: session was set");
	CHECK_RET(kc(CAPABILITIES, (long)caps, sizeof(caps), 0, 0), 2, "CAPABILITIES: two bytes");
	CHECK((caps[0] & 0xe1) == 0xe1 && (caps[1] & 3) == 3, "CAPABILITIES: invalidate, restrict, move",
	      "%02x %02x", caps[0], caps[1]);
	CHECK_ERR(kc(CAPABILITIES, (long)BADPTR, 2, 0, 0), EFAULT, "CAPABILITIES into a bad buffer: EFAULT");
	CHECK_ERR(kc(99, 0, 0, 0, 0), EOPNOTSUPP, "an unknown command: EOPNOTSUPP");
	CHECK_ERR(kc(WATCH_KEY, SPEC_SESSION, -1, 0, 0), EOPNOTSUPP, "WATCH_KEY (no notifications): EOPNOTSUPP");
	r = kc(GET_PERSISTENT, -1, SPEC_SESSION, 0, 0);
	CHECK_OK(r, "GET_PERSISTENT");
	describe(r, buf, sizeof(buf));
	CHECK(!strcmp(buf, "keyring;0;65534;1f030000;_persistent.0"), "GET_PERSISTENT: _persistent.0", "%s", buf);
	CHECK_ERR(kc(GET_PERSISTENT, -1, 1, 0, 0), ENOKEY, "GET_PERSISTENT into no keyring: ENOKEY");
	kc(UNLINK, r, sess, 0, 0);
}

struct thread_res {
	long thread_before, thread_made, process;
	char desc[64];
};

static void *thread_fn(void *arg)
{
	struct thread_res *r = arg;

	r->thread_before = kc(GET_KEYRING_ID, SPEC_THREAD, 0, 0, 0);
	r->thread_made = kc(GET_KEYRING_ID, SPEC_THREAD, 1, 0, 0);
	describe(SPEC_THREAD, r->desc, sizeof(r->desc));
	r->process = kc(GET_KEYRING_ID, SPEC_PROCESS, 0, 0, 0);
	return NULL;
}

static void test_special(long sess, const char *self)
{
	struct thread_res r = { 0, 0, 0 };
	char arg[32];
	pthread_t th;
	long tk, pk;
	pid_t pid;

	CHECK_ERR(kc(GET_KEYRING_ID, SPEC_THREAD, 0, 0, 0), ENOKEY, "no thread keyring yet: ENOKEY");
	tk = kc(GET_KEYRING_ID, SPEC_THREAD, 1, 0, 0);
	CHECK_OK(tk, "GET_KEYRING_ID thread, create");
	CHECK_RET(kc(GET_KEYRING_ID, SPEC_THREAD, 0, 0, 0), tk, "the same thread keyring again");
	pk = kc(GET_KEYRING_ID, SPEC_PROCESS, 1, 0, 0);
	CHECK(pk > 0 && pk != tk, "GET_KEYRING_ID process, create", "%ld", pk);
	CHECK_RET(kc(GET_KEYRING_ID, SPEC_SESSION, 0, 0, 0), sess, "the session keyring");
	add_user("t_keys:tk", "t", SPEC_THREAD);
	CHECK_OK(req("user", "t_keys:tk", NULL, 0), "request_key searches the thread keyring");
	CHECK(pthread_create(&th, NULL, thread_fn, &r) == 0 && pthread_join(th, NULL) == 0, "a thread", "no");
	/* Linux: a thread made by one that has a thread keyring gets a new one of its own. */
	CHECK(r.thread_before > 0 && r.thread_before != tk, "a new thread: a thread keyring of its own",
	      "%ld (creator's %ld)", r.thread_before, tk);
	CHECK(r.thread_made == r.thread_before, "create: the same", "%ld", r.thread_made);
	CHECK(!strcmp(r.desc, "keyring;0;0;3f010000;_tid"), "its thread keyring: _tid, 3f010000", "%s", r.desc);
	CHECK(r.process == pk, "threads share the process keyring", "%ld vs %ld", r.process, pk);
	pid = fork();
	if (pid == 0) {
		child_start();
		CHECK_ERR(kc(GET_KEYRING_ID, SPEC_THREAD, 0, 0, 0), ENOKEY, "fork: no thread keyring");
		CHECK_ERR(kc(GET_KEYRING_ID, SPEC_PROCESS, 0, 0, 0), ENOKEY, "fork: no process keyring");
		CHECK_RET(kc(GET_KEYRING_ID, SPEC_SESSION, 0, 0, 0), sess, "fork: the parent's session keyring");
		CHECK_ERR(req("user", "t_keys:tk", NULL, 0), ENOKEY, "fork: the parent's thread keys are not searched");
		child_done();
	}
	wait_child(pid, "fork child's keyrings");
	pid = fork();
	if (pid == 0) {
		child_start();
		snprintf(arg, sizeof(arg), "%ld", sess);
		execl(self, self, "exec-child", arg, (char *)NULL);
		_exit(99);
	}
	wait_child(pid, "exec: no thread or process keyring, the same session");
}

/* After exec (argv[1] "exec-child"): the keyrings exec keeps and drops. */
static int exec_child(const char *sess)
{
	check_init("t_keys-exec");
	CHECK_ERR(kc(GET_KEYRING_ID, SPEC_THREAD, 0, 0, 0), ENOKEY, "exec: no thread keyring");
	CHECK_ERR(kc(GET_KEYRING_ID, SPEC_PROCESS, 0, 0, 0), ENOKEY, "exec: no process keyring");
	CHECK_RET(kc(GET_KEYRING_ID, SPEC_SESSION, 0, 0, 0), atol(sess), "exec: the same session keyring");
	return check_failed ? 1 : 0;
}

static void test_permissions(long sess)
{
	char buf[4096];
	long a, o;
	pid_t pid;

	a = add_user("t_keys:perm", "root-data", sess);
	o = add_user("t_keys:other", "other-data", sess);
	CHECK_RET(kc(SETPERM, o, 0x3f010003, 0, 0), 0, "SETPERM other view and read");
	pid = fork();
	if (pid == 0) {
		child_start();
		CHECK(setuid(NOBODY) == 0, "setuid(65534)", "errno %d", errno);
		CHECK_RET(kc(READ, a, (long)buf, sizeof(buf), 0), 9, "possessed through the session: readable");
		CHECK_OK(describe(a, buf, sizeof(buf)), "possessed: DESCRIBE");
		CHECK_ERR(kc(SETPERM, a, 0x3f3f3f3f, 0, 0), EACCES, "SETPERM of root's key: EACCES");
		CHECK_ERR(kc(CHOWN, a, NOBODY, -1, 0), EACCES, "CHOWN of root's key to us: EACCES");
		CHECK_RET(kc(UPDATE, a, (long)"new-data!", 9, 0), 0, "UPDATE: the possessor may write");
		CHECK_OK(kc(JOIN_SESSION, 0, 0, 0, 0), "JOIN_SESSION_KEYRING: a new session");
		CHECK_ERR(kc(READ, a, (long)buf, sizeof(buf), 0), EACCES, "not possessed, no other bits: EACCES");
		CHECK_ERR(describe(a, buf, sizeof(buf)), EACCES, "not possessed: DESCRIBE EACCES");
		CHECK_ERR(kc(SEARCH, sess, (long)"user", (long)"t_keys:perm", 0), EACCES, "SEARCH of root's session: EACCES");
		CHECK_RET(kc(READ, o, (long)buf, sizeof(buf), 0), 10, "other read bit: readable");
		CHECK(!proc_keys_line(a), "/proc/keys hides what we may not view", "no");
		CHECK(proc_keys_line(o) != NULL, "/proc/keys shows what others may view", "no");
		CHECK(open("/proc/sys/kernel/keys/maxkeys", O_WRONLY) < 0 && errno == EACCES,
		      "/proc/sys/kernel/keys/maxkeys: not writable by others", "errno %d", errno);
		child_done();
	}
	wait_child(pid, "uid 65534 child: permissions and possession");
	kc(UNLINK, a, sess, 0, 0);
	kc(UNLINK, o, sess, 0, 0);
}

static void test_quota(void)
{
	static char big[20000];
	uid_t uid = 60000 + (uid_t)(getpid() % 5000);
	char desc[32], buf[8192], want[64];
	pid_t pid = fork();

	if (pid == 0) {
		child_start();
		long s, id;
		int n = 0;

		CHECK(setuid(uid) == 0, "setuid", "errno %d", errno);
		s = kc(JOIN_SESSION, 0, 0, 0, 0);
		CHECK_OK(s, "a session of our own");
		CHECK_ERR(add("user", "t_keys:big", big, sizeof(big), s), EDQUOT, "a 20000-byte key: EDQUOT");
		for (;;) {
			snprintf(desc, sizeof(desc), "q%d", n);
			id = add_user(desc, "x", s);
			if (id < 0 || ++n > 1000)
				break;
		}
		CHECK(id < 0 && errno == EDQUOT, "adding keys until the quota stops it: EDQUOT", "errno %d after %d", errno, n);
		CHECK(n >= 150 && n < 200, "the quota: at most maxkeys (200) keys", "%d keys", n);
		snprintf(want, sizeof(want), "%5u: ", uid);
		check_read_file("/proc/key-users", buf, sizeof(buf) - 1);
		CHECK(strstr(buf, want) && strstr(strstr(buf, want), "/200 "), "/proc/key-users: our line, maxkeys 200", "%s", buf);
		CHECK_OK(kc(CLEAR, s, 0, 0, 0), "CLEAR gives the quota back");
		/* Linux gives it back from its collector, a moment later. */
		for (n = 0; n < 40 && (id = add_user("q-again", "x", s)) < 0 && errno == EDQUOT; n++)
			usleep(50000);
		CHECK_OK(id, "a key after CLEAR");
		child_done();
	}
	wait_child(pid, "quota child");
}

static void test_proc(long sess)
{
	char buf[8192], *line, flags[8], exp[8], type[16];
	unsigned int serial, perm;
	int usage, uid, gid;
	long a = add_user("t_keys:proc", "abc", sess);

	line = proc_keys_line(a);
	CHECK(line != NULL, "/proc/keys lists the key", "no");
	if (line) {
		CHECK(sscanf(line, "%x %7s %d %4s %x %d %d %15s", &serial, flags, &usage, exp, &perm, &uid, &gid, type) == 8,
		      "/proc/keys: the columns", "%s", line);
		CHECK(serial == (unsigned int)a && !strcmp(flags, "I--Q---") && !strcmp(exp, "perm") && perm == 0x3f010000 &&
		      uid == 0 && gid == 0 && !strcmp(type, "user"), "/proc/keys: the values", "%s", line);
		CHECK(strstr(line, " user      t_keys:proc: 3") != NULL, "/proc/keys: type, description: length", "%s", line);
	}
	line = proc_keys_line(sess);
	CHECK(line && strstr(line, " keyring   _ses: ") != NULL, "/proc/keys: the session keyring", "%s", line ? line : "");
	kc(UNLINK, a, sess, 0, 0);
	CHECK(check_read_file("/proc/key-users", buf, sizeof(buf)) > 0 && strstr(buf, "    0: ") != NULL,
	      "/proc/key-users: root's line", "%s", buf);
	CHECK(check_read_file("/proc/sys/kernel/keys/maxkeys", buf, sizeof(buf)) > 0 && !strcmp(buf, "200\n"), "maxkeys 200", "%s", buf);
	CHECK(check_read_file("/proc/sys/kernel/keys/maxbytes", buf, sizeof(buf)) > 0 && !strcmp(buf, "20000\n"), "maxbytes 20000", "%s", buf);
	CHECK(check_read_file("/proc/sys/kernel/keys/root_maxkeys", buf, sizeof(buf)) > 0 && !strcmp(buf, "1000000\n"), "root_maxkeys", "%s", buf);
	CHECK(check_read_file("/proc/sys/kernel/keys/root_maxbytes", buf, sizeof(buf)) > 0 && !strcmp(buf, "25000000\n"), "root_maxbytes", "%s", buf);
	CHECK(check_read_file("/proc/sys/kernel/keys/gc_delay", buf, sizeof(buf)) > 0 && !strcmp(buf, "300\n"), "gc_delay", "%s", buf);
	CHECK(check_read_file("/proc/sys/kernel/keys/persistent_keyring_expiry", buf, sizeof(buf)) > 0 &&
	      !strcmp(buf, "259200\n"), "persistent_keyring_expiry", "%s", buf);
	CHECK_RET(check_write_file("/proc/sys/kernel/keys/maxkeys", "201\n"), 0, "root writes maxkeys");
	CHECK(check_read_file("/proc/sys/kernel/keys/maxkeys", buf, sizeof(buf)) > 0 && !strcmp(buf, "201\n"), "maxkeys 201", "%s", buf);
	CHECK(check_write_file("/proc/sys/kernel/keys/maxkeys", "abc\n") < 0, "maxkeys: not a number, refused", "no");
	CHECK(check_write_file("/proc/sys/kernel/keys/maxkeys", "-5\n") < 0, "maxkeys: negative, refused", "no");
	CHECK_RET(check_write_file("/proc/sys/kernel/keys/maxkeys", "200\n"), 0, "maxkeys back to 200");
}

/* The sysctls are honoured: maxkeys limits a user at once, gc_delay times the collection. */
static void test_sysctl_effect(long sess)
{
	uid_t uid = 65000 + (uid_t)(getpid() % 500);
	int32_t ids[4];
	long kr, a, r = -1;
	pid_t pid;

	CHECK_RET(check_write_file("/proc/sys/kernel/keys/maxkeys", "10\n"), 0, "maxkeys 10");
	pid = fork();
	if (pid == 0) {
		char desc[16];
		long s, id = 0;
		int n = 0;

		child_start();
		CHECK(setuid(uid) == 0, "setuid", "errno %d", errno);
		s = kc(JOIN_SESSION, 0, 0, 0, 0);
		while (n < 50) {
			snprintf(desc, sizeof(desc), "m%d", n);
			if ((id = add_user(desc, "x", s)) < 0)
				break;
			n++;
		}
		CHECK(id < 0 && errno == EDQUOT && n >= 3 && n < 10, "maxkeys 10: EDQUOT before 10 keys",
		      "%d keys, errno %d", n, errno);
		child_done();
	}
	wait_child(pid, "maxkeys child");
	CHECK_RET(check_write_file("/proc/sys/kernel/keys/maxkeys", "200\n"), 0, "maxkeys back to 200");
	/* 3 s: the read right after the revoke must not straddle it even on a slow, loaded host. */
	CHECK_RET(check_write_file("/proc/sys/kernel/keys/gc_delay", "3\n"), 0, "gc_delay 3");
	kr = add("keyring", "t_keys_gc", NULL, 0, sess);
	a = add_user("t_keys:gc", "g", kr);
	CHECK_RET(kc(REVOKE, a, 0, 0, 0), 0, "REVOKE");
	CHECK_RET(kc(READ, kr, (long)ids, sizeof(ids), 0), 4, "the revoked key stays linked for gc_delay");
	for (int i = 0; i < 150 && (r = kc(READ, kr, (long)ids, sizeof(ids), 0)) != 0; i++)
		usleep(100000);
	CHECK_RET(r, 0, "gc_delay later the revoked key is unlinked");
	CHECK_RET(check_write_file("/proc/sys/kernel/keys/gc_delay", "300\n"), 0, "gc_delay back to 300");
	kc(UNLINK, kr, sess, 0, 0);
}

static void test_session_to_parent(void)
{
	long before = kc(GET_KEYRING_ID, SPEC_SESSION, 0, 0, 0), after;
	int fds[2];
	long child_sess = -1;
	pid_t pid;

	CHECK(pipe(fds) == 0, "pipe", "no");
	pid = fork();
	if (pid == 0) {
		child_start();
		long s = kc(JOIN_SESSION, (long)"t_keys_named", 0, 0, 0);

		CHECK_OK(s, "JOIN_SESSION_KEYRING by name");
		CHECK_RET(kc(SESSION_TO_PARENT, 0, 0, 0, 0), 0, "SESSION_TO_PARENT");
		CHECK(write(fds[1], &s, sizeof(s)) == sizeof(s), "tell the parent", "no");
		child_done();
	}
	wait_child(pid, "SESSION_TO_PARENT child");
	CHECK(read(fds[0], &child_sess, sizeof(child_sess)) == sizeof(child_sess), "the child's session", "no");
	after = kc(GET_KEYRING_ID, SPEC_SESSION, 0, 0, 0);
	CHECK(after == child_sess && after != before, "the parent now has the child's session keyring",
	      "%ld (child %ld, before %ld)", after, child_sess, before);
	/* Keep it alive once it is no longer anybody's session. */
	CHECK_RET(kc(LINK, child_sess, SPEC_PROCESS, 0, 0), 0, "LINK the session into the process keyring");
	/* A named session keyring (3f130000) is not searchable by its owner: joining makes another. */
	after = kc(JOIN_SESSION, (long)"t_keys_named", 0, 0, 0);
	CHECK(after > 0 && after != child_sess, "JOIN_SESSION_KEYRING by name: not searchable, a new keyring", "%ld", after);
	CHECK_RET(kc(SETPERM, child_sess, 0x3f3f0000, 0, 0), 0, "SETPERM: owner search");
	CHECK_RET(kc(JOIN_SESSION, (long)"t_keys_named", 0, 0, 0), child_sess, "JOIN_SESSION_KEYRING finds the searchable one");
	CHECK_ERR(kc(JOIN_SESSION, (long)BADPTR, 0, 0, 0), EFAULT, "JOIN_SESSION_KEYRING with a bad name: EFAULT");
	close(fds[0]);
	close(fds[1]);
}

/* A key held only by a process's own session goes with the process. */
static void test_exit_frees(void)
{
	int fds[2], i;
	long id = -1;
	pid_t pid;

	CHECK(pipe(fds) == 0, "pipe", "no");
	pid = fork();
	if (pid == 0) {
		child_start();
		long k;

		kc(JOIN_SESSION, 0, 0, 0, 0);
		k = add_user("t_keys:gone", "g", SPEC_SESSION);
		if (write(fds[1], &k, sizeof(k)) != sizeof(k))
			_exit(1);
		_exit(0);
	}
	wait_child(pid, "a child with a key of its own");
	CHECK(read(fds[0], &id, sizeof(id)) == sizeof(id) && id > 0, "the child's key", "%ld", id);
	/* Linux lets go of an exited task's credentials after an RCU grace period: wait a little. */
	for (i = 0; i < 40 && kc(DESCRIBE, id, 0, 0, 0) >= 0; i++)
		usleep(50000);
	CHECK_ERR(kc(DESCRIBE, id, 0, 0, 0), ENOKEY, "the key is gone with the process: ENOKEY");
	close(fds[0]);
	close(fds[1]);
}

/* Is e an error keyctl may give for arguments that make no sense? */
static int random_errno_ok(int e)
{
	static const int ok[] = { EINVAL, EFAULT, ENOKEY, EKEYREVOKED, EKEYEXPIRED, EACCES, EDQUOT, EOPNOTSUPP,
				  ENOTDIR, ENOENT, EDEADLK, EPERM, EEXIST, ENODEV };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (e == ok[i])
			return 1;
	return 0;
}

/*
 * A storm of random keyctl, add_key and request_key calls, as a fresh uid
 * in a session of its own (so nothing it does reaches the other tests'
 * keys): the kernel stays up and every failure is a Linux error.
 */
static void test_random(void)
{
	static char buf[4096];
	static const char *const types[] = { "user", "keyring", "logon", "nosuch", "" };
	static const char *const descs[] = { "t_keys:r0", "t_keys:r1", "t_keys:r2", "r3", "" };
	pid_t pid = fork();

	if (pid == 0) {
		long ids[16] = { SPEC_THREAD, SPEC_PROCESS, SPEC_SESSION, SPEC_USER, SPEC_USER_SES, 0, 1, -9 };
		int nids = 8, bad = 0;

		child_start();
		srand(12345);
		CHECK(setuid(61000 + (uid_t)(getpid() % 4000)) == 0, "random: setuid", "errno %d", errno);
		kc(JOIN_SESSION, 0, 0, 0, 0);
		for (int i = 0; i < 3000; i++) {
			long id = ids[rand() % nids], ring = ids[rand() % nids], r;
			const char *type = types[rand() % 5], *desc = descs[rand() % 5];
			void *p = rand() % 8 ? (void *)buf : rand() % 2 ? NULL : BADPTR;
			long len = rand() % 8 ? rand() % 64 : rand() % 70000;
			int op = rand() % 36;

			if (op == SESSION_TO_PARENT)
				continue;
			if (op == 33)
				r = add(type, desc, p, (size_t)len, ring);
			else if (op == 34)
				r = req(type, desc, rand() % 4 ? NULL : "info", rand() % 2 ? 0 : ring);
			else if (op == 35)
				r = kc(SEARCH, ring, (long)type, (long)desc, rand() % 2 ? 0 : id);
			else
				r = kc(op, id, rand() % 3 ? ring : (long)p, op == CHOWN ? -1 : len, rand() % 2 ? 0 : ring);
			if (r > 2 && nids < 16 && op != READ && op != DESCRIBE && op != GET_SECURITY && op != CAPABILITIES &&
			    op != SET_REQKEY)
				ids[nids++] = r;
			if (r < 0 && !random_errno_ok(errno) && bad++ < 5)
				check_printf("# random: op %d gave errno %d\n", op, errno);
		}
		CHECK(bad == 0, "random calls: only Linux's errors", "%d unexpected", bad);
		child_done();
	}
	wait_child(pid, "random calls child");
}

int main(int argc, char **argv)
{
	long sess;
	char buf[64];

	if (argc == 3 && !strcmp(argv[1], "exec-child"))
		return exec_child(argv[2]);
	check_init("t_keys");
	sess = kc(JOIN_SESSION, 0, 0, 0, 0);
	CHECK_OK(sess, "JOIN_SESSION_KEYRING: a new anonymous session");
	describe(sess, buf, sizeof(buf));
	CHECK(!strcmp(buf, "keyring;0;0;3f030000;_ses"), "the session keyring's description", "%s", buf);
	test_user_keys(sess);
	test_add_errors(sess);
	test_logon_keyring(sess);
	test_states(sess);
	test_attrs(sess);
	test_special(sess, argv[0]);
	test_permissions(sess);
	test_quota();
	test_proc(sess);
	test_sysctl_effect(sess);
	test_session_to_parent();
	test_exit_frees();
	test_random();
	return check_done();
}
