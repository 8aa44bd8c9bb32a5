// SPDX-License-Identifier: MPL-2.0
// PID namespaces as namespace objects (Linux's kernel/pid_namespace.c):
// the initial one, making a child for clone/unshare(CLONE_NEWPID) and
// freeing one.  The numbers of tasks in them are kernel/process/pid.c's.
#include <aster/errno.h>
#include <aster/heap.h>
#include "ns/ns.h"
#include "process/pid.h"
#include "uapi/nsfs.h"

static int pid_ns_clone(struct ns_common *old, struct ns_common **out);
static void pid_ns_free(struct ns_common *ns);

const struct ns_ops pid_ns_ops = {
	.name = "pid", .type = CLONE_NEWPID, .hierarchical = true,
	.clone = pid_ns_clone, .free = pid_ns_free,
};

/* Never freed: the nsproxy of init holds it from boot on. */
struct pid_namespace init_pid_ns = {
	.ns = { REFCOUNT_INIT(1), PROC_PID_INIT_INO, NULL },
	.adding = true,
};

/*
 * old is the caller's pid namespace for children; Linux's copy_pid_ns
 * refuses it unless it is the caller's own (after unshare(CLONE_NEWPID)
 * a second one is -EINVAL), and create_pid_namespace refuses nesting
 * deeper than 32 levels with -ENOSPC (Linux 4.9 on; -EINVAL before).
 */
static int pid_ns_clone(struct ns_common *old, struct ns_common **out)
{
	struct pid_namespace *parent = to_pid_ns(old), *ns;
	int err;

	if (parent != current_pid_ns())
		return -EINVAL;
	if (parent->level + 1 > PID_NS_MAX_LEVEL)
		return -ENOSPC;
	ns = kzalloc(sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	err = ns_common_init(&ns->ns, &pid_ns_ops);
	if (err) {
		kfree(ns);
		return err;
	}
	ns->level = parent->level + 1;
	ns->parent = parent;
	ns->adding = true;
	ns_get(&parent->ns);
	*out = &ns->ns;
	return 0;
}

static void pid_ns_free(struct ns_common *c)
{
	struct pid_namespace *ns = to_pid_ns(c);
	struct pid_namespace *parent = ns->parent;

	kfree(ns);
	ns_put(&parent->ns);
}

struct ns_common *pid_ns_initial(void)
{
	init_pid_ns.ns.ops = &pid_ns_ops;
	return &init_pid_ns.ns;
}

int pid_ns_get_parent(struct ns_common *c, struct ns_common **out)
{
	struct pid_namespace *ns = to_pid_ns(c), *active = current_pid_ns();

	/* Linux's pidns_get_parent: only a parent the caller can see, its own or a descendant. */
	if (!ns->parent || !pid_ns_within(ns->parent, active))
		return -EPERM;
	ns_get(&ns->parent->ns);
	*out = &ns->parent->ns;
	return 0;
}
