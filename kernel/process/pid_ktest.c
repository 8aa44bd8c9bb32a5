// SPDX-License-Identifier: MPL-2.0
// ktests of pid numbering in nested pid namespaces: a number per level,
// translations both ways, clone3 set_tid's rules, the NSpid text (t_pidns
// tests the syscalls).
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "process/pid.h"

/* Number k (the table lock taken here): pid_number_locked's answer. */
static int number(struct pid *k, const struct pid_request *req)
{
	irqflags_t f = spin_lock_irqsave(&process_table_lock);
	int err = pid_number_locked(k, req);

	spin_unlock_irqrestore(&process_table_lock, f);
	return err;
}

KTEST(pid_ns_numbers_per_level)
{
	struct ns_common *c = NULL, *c2 = NULL;
	struct pid_namespace *ns;
	struct pid *k, *k2;
	pid_t global, tids[3] = { 1, 5, 7 };
	struct pid_request req = { tids, 1, true };
	char buf[64], want[64];

	KT_ASSERT(pid_ns_ops.clone(&init_pid_ns.ns, &c) == 0);
	ns = to_pid_ns(c);
	KT_EXPECT(ns->level == 1 && ns->parent == &init_pid_ns && c->inum != init_pid_ns.ns.inum);
	/* A kernel task lives in the initial namespace: ns is not its own, so no child of it. */
	KT_EXPECT(pid_ns_ops.clone(c, &c2) == -EINVAL);
	k = pid_new(ns);
	KT_ASSERT(k != NULL);
	KT_EXPECT(number(k, NULL) == 0);
	global = k->up[0].nr;
	KT_EXPECT(k->up[1].nr == 1 && global > 0);
	KT_EXPECT(pid_nr_ns(global, ns) == 1 && pid_nr_ns(global, &init_pid_ns) == global);
	KT_EXPECT(pid_from_ns(ns, 1) == global && pid_from_ns(ns, 2) == PID_NOWHERE);
	KT_EXPECT(pid_from_ns(&init_pid_ns, global) == global);
	snprintf(want, sizeof(want), "\t%d\t1", global);
	KT_EXPECT(pid_ns_numbers(global, global, &init_pid_ns, buf, sizeof(buf)) == strlen(want));
	KT_EXPECT(strcmp(buf, want) == 0);
	KT_EXPECT(pid_ns_numbers(global, global, ns, buf, sizeof(buf)) == 2 && strcmp(buf, "\t1") == 0);
	/* set_tid: 1 is taken; no init was born here, so nothing but 1; at most two levels. */
	k2 = pid_new(ns);
	KT_ASSERT(k2 != NULL);
	KT_EXPECT(number(k2, &req) == -EEXIST);
	tids[0] = 5;
	KT_EXPECT(number(k2, &req) == -EINVAL);
	req.n = 3;
	KT_EXPECT(number(k2, &req) == -EINVAL);
	tids[0] = 1;
	req.n = 1;
	req.may_choose = false;
	KT_EXPECT(number(k2, &req) == -EPERM);
	pid_put(k2);
	pid_put(k);
	KT_EXPECT(pid_from_ns(ns, 1) == PID_NOWHERE);
	ns_put(c);
}
