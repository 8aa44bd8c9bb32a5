// SPDX-License-Identifier: MPL-2.0
// Unix socket names, as Linux's: pathnames (a socket node made at bind,
// found at connect through sockfs), abstract names (a leading NUL; global,
// and per socket type, for now), autobind ("\0" and 5 hex digits), and
// getsockname/getpeername with Linux's lengths.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "net/unix/unix.h"

int unix_validate_addr(const struct sock_addr *a)
{
	uint16_t family;

	if (a->len <= 2 || a->len > sizeof(struct linux_sockaddr_un))
		return -EINVAL;
	memcpy(&family, a->a, sizeof(family));
	return family == AF_UNIX ? 0 : -EINVAL;
}

static bool is_abstract(const struct sock_addr *a)
{
	return a->a[2] == 0;
}

/* The path of a pathname address, NUL-terminated at the address's end, as Linux's unix_mkname_bsd. */
static size_t path_of(const struct sock_addr *a, char *path, size_t size)
{
	size_t n = MIN((size_t)a->len - 2, size - 1);

	memcpy(path, a->a + 2, n);
	path[n] = 0;
	return strlen(path);
}

/* A bound abstract name of this type (lock held), or NULL. */
static struct unix_sock *find_abstract(const uint8_t *name, uint32_t len, int type)
{
	struct unix_sock *u;

	list_for_each_entry(u, &unix_sockets, all)
		if (!u->dead && u->addr && u->addr->len == len && u->type == type &&
		    !memcmp(u->addr->a, name, len))
			return u;
	return NULL;
}

static bool abstract_in_use(const uint8_t *name, uint32_t len)
{
	struct unix_sock *u;

	list_for_each_entry(u, &unix_sockets, all)
		if (!u->dead && u->addr && u->addr->len == len && !memcmp(u->addr->a, name, len))
			return true;
	return false;
}

struct sock_addr *unix_addr_dup(const uint8_t *a, uint32_t len)
{
	struct sock_addr *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->len = len;
	memcpy(n->a, a, len);
	return n;
}

int unix_autobind(struct unix_sock *u)
{
	static uint32_t ordernum;
	uint8_t name[8] = { AF_UNIX, 0, 0 };
	char hex[8];

	if (u->addr)
		return 0;
	for (uint32_t tries = 0; tries <= 0xfffff; tries++) {
		ordernum = (ordernum + 1) & 0xfffff;
		snprintf(hex, sizeof(hex), "%05x", ordernum);
		memcpy(name + 3, hex, 5);
		if (abstract_in_use(name, sizeof(name)))
			continue;
		u->addr = unix_addr_dup(name, sizeof(name));
		return u->addr ? 0 : -ENOMEM;
	}
	return -ENOSPC;
}

int unix_find_other(const struct sock_addr *a, int type, struct unix_sock **out)
{
	struct unix_sock *u, *found = NULL;
	char path[UNIX_PATH_MAX + 1];
	struct dentry *d = NULL;
	const void *key = NULL;
	int err = 0;

	if (!is_abstract(a)) {
		path_of(a, path, sizeof(path));
		err = sockfs_lookup(path, &d, &key);
		if (err)
			return err;
	}
	mutex_lock(&unix_lock);
	if (d) {
		list_for_each_entry(u, &unix_sockets, all)
			if (!u->dead && u->path && u->key == key) {
				found = u;
				break;
			}
		if (found && found->type != type)
			err = -EPROTOTYPE;
	} else {
		found = find_abstract(a->a, a->len, type);
	}
	if (!found && !err)
		err = -ECONNREFUSED;
	if (!err)
		unix_sock_get(found);
	mutex_unlock(&unix_lock);
	sockfs_put(d);
	if (!err)
		*out = found;
	return err;
}

int unix_bind(struct socket *s, const struct sock_addr *a)
{
	struct unix_sock *u = unix_sk(s);
	char path[UNIX_PATH_MAX + 1];
	struct dentry *d;
	uint16_t family = 0;
	int err;

	if (a->len >= 2)
		memcpy(&family, a->a, sizeof(family));
	if (a->len == 2 && family == AF_UNIX) {
		mutex_lock(&unix_lock);
		err = unix_autobind(u);
		mutex_unlock(&unix_lock);
		return err;
	}
	err = unix_validate_addr(a);
	if (err)
		return err;
	if (is_abstract(a)) {
		mutex_lock(&unix_lock);
		if (u->addr)
			err = -EINVAL;
		else if (find_abstract(a->a, a->len, u->type))
			err = -EADDRINUSE;
		else if (!(u->addr = unix_addr_dup(a->a, a->len)))
			err = -ENOMEM;
		mutex_unlock(&unix_lock);
		return err;
	}
	if (u->addr)
		return -EINVAL;
	size_t n = path_of(a, path, sizeof(path));
	struct sock_addr *name = kzalloc(sizeof(*name));

	if (!name)
		return -ENOMEM;
	name->len = (uint32_t)(n + 3);
	memcpy(name->a, &family, sizeof(family));
	memcpy(name->a + 2, path, n + 1);
	err = sockfs_mknod(path, &d);
	if (err) {
		kfree(name);
		return err;
	}
	mutex_lock(&unix_lock);
	if (u->addr) {
		err = -EINVAL;
	} else {
		u->addr = name;
		u->path = d;
		u->key = sockfs_key(d);
		name = NULL;
		d = NULL;
	}
	mutex_unlock(&unix_lock);
	kfree(name);
	sockfs_put(d);
	return err;
}

int unix_getname(struct socket *s, struct sock_addr *a, bool peer)
{
	struct unix_sock *u = unix_sk(s);
	uint16_t family = AF_UNIX;
	int err = 0;

	mutex_lock(&unix_lock);
	if (peer) {
		u = u->peer;
		if (!u)
			err = -ENOTCONN;
	}
	if (!err && u->addr) {
		*a = *u->addr;
	} else if (!err) {
		a->len = 2;
		memcpy(a->a, &family, sizeof(family));
	}
	mutex_unlock(&unix_lock);
	return err;
}
