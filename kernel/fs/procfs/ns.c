// SPDX-License-Identifier: MPL-2.0
// /proc/PID/ns: one magic link per namespace type, in Linux's order, whose
// text is "uts:[4026531838]" and which opens as an nsfs file of that
// namespace (kernel/ns/nsfs.c).  As on Linux, reaching them takes ptrace
// read access to the process.
#include <aster/errno.h>
#include <aster/string.h>
#include "fs/procfs/internal.h"
#include "ns/ns.h"
#include "process/pid.h"

/* The namespace of entry n (its index is its nsproxy slot), with a reference; NULL once p exited. */
static struct ns_common *entry_ns(struct pnode *n)
{
	struct process *p = proc_process(n);
	struct ns_common *ns;

	if (!p)
		return NULL;
	ns = n->idx < NS_SLOTS ? process_ns_get(p, (enum ns_slot)n->idx) : NULL;
	process_put(p);
	/* Linux's pidns_for_children_get: nothing until the namespace's init was born. */
	if (ns && n->idx == NS_PID_CHILDREN && !pid_ns_had_init(to_pid_ns(ns))) {
		ns_put(ns);
		return NULL;
	}
	return ns;
}

static int ns_readlink(struct pnode *n, char *buf, size_t size)
{
	struct ns_common *ns = entry_ns(n);
	char tmp[48];
	int len;

	if (!ns)
		return -ENOENT;
	len = ns_link_text(ns, tmp, sizeof(tmp));
	ns_put(ns);
	if ((size_t)len > size)
		len = (int)size;
	memcpy(buf, tmp, (size_t)len);
	return len;
}

static int ns_get_link(struct pnode *n, struct mount **m, struct dentry **d)
{
	struct ns_common *ns = entry_ns(n);
	int err;

	if (!ns)
		return -ENOENT;
	err = nsfs_get_link(ns, m, d);
	ns_put(ns);
	return err;
}

#define NS_LINK(name)	PROC_MAGIC(name, ns_readlink, ns_get_link, PE_MAGIC | PE_PTRACE)

/* Indexed by enum ns_slot. */
static const struct proc_entry ns_ents[] = {
	[NS_CGROUP] = NS_LINK("cgroup"),
	[NS_IPC] = NS_LINK("ipc"),
	[NS_MNT] = NS_LINK("mnt"),
	[NS_NET] = NS_LINK("net"),
	[NS_PID] = NS_LINK("pid"),
	[NS_PID_CHILDREN] = NS_LINK("pid_for_children"),
	[NS_TIME] = NS_LINK("time"),
	[NS_TIME_CHILDREN] = NS_LINK("time_for_children"),
	[NS_USER] = NS_LINK("user"),
	[NS_UTS] = NS_LINK("uts"),
};

const struct proc_dir proc_ns_dir = { .ents = ns_ents, .n = ARRAY_SIZE(ns_ents), .ino_base = 0x960 };
