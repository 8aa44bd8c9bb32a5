// SPDX-License-Identifier: MPL-2.0
// /proc/keys (the keys the reader may view, in Linux's format),
// /proc/key-users and /proc/sys/kernel/keys/.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "security/keys/internal.h"
#include "security/keys/keys.h"

#define LINE_MAX_EXTRA	128	/* a /proc/keys line besides its description */
#define MINUTE		60
#define HOUR		(60 * MINUTE)
#define DAY		(24 * HOUR)
#define WEEK		(7 * DAY)
#define INT_MAX_U	2147483647U

struct growbuf {
	char *buf;
	size_t len, cap;
	int err;
};

static void gb_reserve(struct growbuf *g, size_t n)
{
	char *nb;
	size_t ncap;

	if (g->err || g->len + n <= g->cap)
		return;
	ncap = (g->cap ? g->cap : 1024);
	while (ncap < g->len + n)
		ncap *= 2;
	nb = krealloc(g->buf, ncap);
	if (!nb) {
		g->err = -ENOMEM;
		return;
	}
	g->buf = nb;
	g->cap = ncap;
}

static void gb_put(struct growbuf *g, const char *s, size_t n)
{
	gb_reserve(g, n);
	if (g->err)
		return;
	memcpy(g->buf + g->len, s, n);
	g->len += n;
}

/* Linux's proc_keys_show expiry column. */
static void fmt_expiry(const struct key *k, uint64_t now, char out[16])
{
	uint64_t t;

	if (!k->expiry) {
		strlcpy(out, "perm", 16);
		return;
	}
	if (now >= k->expiry) {
		strlcpy(out, "expd", 16);
		return;
	}
	t = k->expiry - now;
	if (t < MINUTE)
		snprintf(out, 16, "%lus", (unsigned long)t);
	else if (t < HOUR)
		snprintf(out, 16, "%lum", (unsigned long)(t / MINUTE));
	else if (t < DAY)
		snprintf(out, 16, "%luh", (unsigned long)(t / HOUR));
	else if (t < WEEK)
		snprintf(out, 16, "%lud", (unsigned long)(t / DAY));
	else
		snprintf(out, 16, "%luw", (unsigned long)(t / WEEK));
}

static void show_key(struct growbuf *g, const struct key *k, uint64_t now)
{
	char line[LINE_MAX_EXTRA], exp[16];
	bool positive = !(k->flags & KF_NEGATIVE);
	int n;

	fmt_expiry(k, now, exp);
	n = snprintf(line, sizeof(line), "%08x %c%c%c%c%c%c%c %5d %4s %08x %5d %5d %-9.9s ",
		     (uint32_t)k->serial, 'I', k->flags & KF_REVOKED ? 'R' : '-',
		     k->flags & KF_DEAD ? 'D' : '-', k->flags & KF_IN_QUOTA ? 'Q' : '-', '-',
		     positive ? '-' : 'N', k->flags & KF_INVALIDATED ? 'i' : '-', k->usage, exp, k->perm,
		     (int)k->uid, k->gid == GID_INVALID ? 65534 : (int)k->gid, key_type_names[k->type]);
	gb_put(g, line, (size_t)n);
	gb_put(g, k->desc, k->desclen);
	if (!positive)
		n = snprintf(line, sizeof(line), "\n");
	else if (k->type != KT_KEYRING)
		n = snprintf(line, sizeof(line), ": %lu\n", (unsigned long)k->datalen);
	else if (k->nlinks)
		n = snprintf(line, sizeof(line), ": %lu\n", (unsigned long)k->nlinks);
	else
		n = snprintf(line, sizeof(line), ": empty\n");
	gb_put(g, line, (size_t)n);
}

int keys_proc_keys(char **buf, size_t *len)
{
	struct growbuf g = { NULL, 0, 0, 0 };
	struct keys_ctx c;
	struct key *k;
	uint64_t now;

	mutex_lock(&keys_lock);
	key_gc();
	keys_ctx_current(&c);
	now = key_now();
	list_for_each_entry(k, &all_keys, node) {
		struct kref r = { k, false };

		if (k->perm & KEY_POS_VIEW)
			r.possessed = key_possessed(&c, k);
		if (!key_permission(&r, c.cred, NEED_VIEW))
			show_key(&g, k, now);
	}
	mutex_unlock(&keys_lock);
	if (g.err) {
		kfree(g.buf);
		return g.err;
	}
	*buf = g.buf;
	*len = g.len;
	return 0;
}

int keys_proc_key_users(char **buf, size_t *len)
{
	struct growbuf g = { NULL, 0, 0, 0 };
	struct key_user *u;
	char line[LINE_MAX_EXTRA];

	mutex_lock(&keys_lock);
	list_for_each_entry(u, &all_users, node) {
		int n = snprintf(line, sizeof(line), "%5u: %5u %u/%u %u/%u %lu/%lu\n", u->uid, u->nkeys,
				 u->nkeys, u->nikeys, u->qnkeys, key_maxkeys(u->uid),
				 (unsigned long)u->qnbytes, (unsigned long)key_maxbytes(u->uid));

		gb_put(&g, line, (size_t)n);
	}
	mutex_unlock(&keys_lock);
	if (g.err) {
		kfree(g.buf);
		return g.err;
	}
	*buf = g.buf;
	*len = g.len;
	return 0;
}

static uint32_t *sysctl_var(const char *name)
{
	static const struct {
		const char *name;
		uint32_t *var;
	} vars[] = {
		{ "gc_delay", &key_gc_delay },
		{ "maxbytes", &key_quota_maxbytes },
		{ "maxkeys", &key_quota_maxkeys },
		{ "persistent_keyring_expiry", &key_persistent_expiry },
		{ "root_maxbytes", &key_quota_root_maxbytes },
		{ "root_maxkeys", &key_quota_root_maxkeys },
	};

	for (size_t i = 0; i < ARRAY_SIZE(vars); i++)
		if (!strcmp(name, vars[i].name))
			return vars[i].var;
	return NULL;
}

int keys_sysctl_show(const char *name, char *buf, size_t size)
{
	uint32_t *v = sysctl_var(name);
	int n;

	if (!v)
		return -ENOENT;
	mutex_lock(&keys_lock);
	n = snprintf(buf, size, "%u\n", *v);
	mutex_unlock(&keys_lock);
	return n;
}

/* Linux's proc_dointvec_minmax with 0..INT_MAX: one decimal, blanks around it. */
int keys_sysctl_write(const char *name, const char *buf, size_t len)
{
	uint32_t *v = sysctl_var(name);
	uint64_t val = 0;
	size_t i = 0, digits = 0;

	if (!v)
		return -ENOENT;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
		i++;
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++, digits++) {
		val = val * 10 + (uint64_t)(buf[i] - '0');
		if (val > INT_MAX_U)
			return -EINVAL;
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == 0))
		i++;
	if (!digits || i != len)
		return -EINVAL;
	mutex_lock(&keys_lock);
	*v = (uint32_t)val;
	mutex_unlock(&keys_lock);
	return 0;
}
