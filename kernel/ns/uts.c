// SPDX-License-Identifier: MPL-2.0
// UTS namespaces (Linux's kernel/utsname.c): the host and NIS domain names
// that uname, sethostname, setdomainname and /proc/sys/kernel/{hostname,
// domainname} show and change.  A new namespace starts as a copy of its
// parent's names.  The system, release, version and machine fields are the
// kernel's and the same in every namespace.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/sync.h>
#include <aster/string.h>
#include "ns/ns.h"
#include "uapi/nsfs.h"
#include "uapi/utsname.h"
#include "process/process.h"

#define UTS_LEN	(__NEW_UTS_LEN + 1)

struct uts_namespace {
	struct ns_common ns;
	char nodename[UTS_LEN];
	char domainname[UTS_LEN];
};

/* Guards the names of every UTS namespace (short copies only). */
static spinlock_t uts_lock = SPINLOCK_INIT;

static struct uts_namespace init_uts = {
	.ns = { REFCOUNT_INIT(1), PROC_UTS_INIT_INO, &uts_ns_ops },
	.nodename = "(none)",
	.domainname = "(none)",
};

static struct uts_namespace *to_uts(struct ns_common *ns)
{
	return container_of(ns, struct uts_namespace, ns);
}

struct ns_common *uts_init_ns(void)
{
	return &init_uts.ns;
}

static int uts_clone(struct ns_common *old, struct ns_common **out)
{
	struct uts_namespace *u = kzalloc(sizeof(*u));
	irqflags_t f;
	int err;

	if (!u)
		return -ENOMEM;
	err = ns_common_init(&u->ns, &uts_ns_ops);
	if (err) {
		kfree(u);
		return err;
	}
	f = spin_lock_irqsave(&uts_lock);
	memcpy(u->nodename, to_uts(old)->nodename, UTS_LEN);
	memcpy(u->domainname, to_uts(old)->domainname, UTS_LEN);
	spin_unlock_irqrestore(&uts_lock, f);
	*out = &u->ns;
	return 0;
}

static void uts_free(struct ns_common *ns)
{
	struct uts_namespace *u = to_uts(ns);

	if (u != &init_uts)
		kfree(u);
}

const struct ns_ops uts_ns_ops = {
	.name = "uts", .type = CLONE_NEWUTS, .clone = uts_clone, .free = uts_free,
};

/* The caller's UTS namespace with a reference (the initial one before init exists). */
static struct uts_namespace *current_uts(void)
{
	struct process *p = current_process();
	struct ns_common *ns = p ? process_ns_get(p, NS_UTS) : NULL;

	if (!ns) {
		ns = &init_uts.ns;
		ns_get(ns);
	}
	return to_uts(ns);
}

size_t uts_current_get(bool domain, char *buf, size_t size)
{
	struct uts_namespace *u = current_uts();
	irqflags_t f = spin_lock_irqsave(&uts_lock);
	size_t n = strlcpy(buf, domain ? u->domainname : u->nodename, size);

	spin_unlock_irqrestore(&uts_lock, f);
	ns_put(&u->ns);
	return n;
}

int uts_current_set(bool domain, const char *name, size_t len)
{
	struct uts_namespace *u;
	irqflags_t f;
	char *dst;

	if (len > UTS_LEN - 1)
		return -EINVAL;
	u = current_uts();
	dst = domain ? u->domainname : u->nodename;
	f = spin_lock_irqsave(&uts_lock);
	memcpy(dst, name, len);
	dst[len] = '\0';
	spin_unlock_irqrestore(&uts_lock, f);
	ns_put(&u->ns);
	return 0;
}
