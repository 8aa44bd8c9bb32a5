// SPDX-License-Identifier: MPL-2.0
// migrate_pages and move_pages with one memory node: every page already
// is on node 0, the only node there is, so a request is validated and
// answered as Linux's mm/mempolicy.c and mm/migrate.c do, and no page
// moves.  move_pages still reports each page's status.
#include <aster/errno.h>
#include <aster/uaccess.h>
#include "mm/mempolicy_internal.h"
#include "process/capability.h"
#include "process/pidfd.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "uapi/mempolicy.h"

/* Linux's do_pages_stat chunk. */
#define STAT_CHUNK	16

/*
 * The address space of pid (0: the caller) as Linux's find_mm_struct:
 * -ESRCH, -EPERM (PTRACE_MODE_READ_REALCREDS), -EINVAL when it has none.
 */
static int target_vmar(pid_t pid, struct vmar **out)
{
	struct process *p = pid ? process_find(pid) : current_process();
	int err = 0;

	if (!p)
		return -ESRCH;
	if (pid)
		err = process_access_realcreds(p);
	if (!err) {
		*out = process_vmar_get(p);
		if (!*out)
			err = -EINVAL;
	}
	if (pid)
		process_put(p);
	return err;
}

long sys_migrate_pages(pid_t pid, unsigned long maxnode, uaddr_t old_nodes, uaddr_t new_nodes)
{
	struct nodemask_in from, to;
	struct vmar *v;
	int err = nodemask_from_user(old_nodes, maxnode, &from);

	if (!err)
		err = nodemask_from_user(new_nodes, maxnode, &to);
	if (err)
		return err;
	err = target_vmar(pid, &v);
	if (err)
		return err;
	/* Nodes outside the target's allowed set (node 0) need CAP_SYS_NICE... */
	if (to.others && !capable(CAP_SYS_NICE))
		err = -EPERM;
	/* ...and are dropped: nothing must be left. */
	else if (!(to.low & 1))
		err = -EINVAL;
	vmar_put(v);
	/* Pages on node 0 going to node 0 stay: none failed to move. */
	return err;
}

/* Linux's do_pages_stat: statuses in chunks; -EFAULT unless all were done. */
static long pages_stat(struct vmar *v, unsigned long n, uaddr_t pages, uaddr_t status)
{
	uint64_t addrs[STAT_CHUNK];
	int st[STAT_CHUNK];

	while (n) {
		unsigned long chunk = MIN(n, STAT_CHUNK);

		if (copy_from_user(addrs, pages, chunk * sizeof(addrs[0])))
			break;
		for (unsigned long i = 0; i < chunk; i++)
			st[i] = vmar_page_status(v, addrs[i]);
		if (copy_to_user(status, st, chunk * sizeof(st[0])))
			break;
		pages += chunk * sizeof(addrs[0]);
		status += chunk * sizeof(st[0]);
		n -= chunk;
	}
	return n ? -EFAULT : 0;
}

/* Linux's do_pages_move: page by page, a bad node ends the call (-ENODEV). */
static long pages_move(struct vmar *v, unsigned long n, uaddr_t pages, uaddr_t nodes,
		       uaddr_t status)
{
	for (unsigned long i = 0; i < n; i++) {
		uint64_t addr;
		int node, st;

		if (copy_from_user(&addr, pages + i * sizeof(addr), sizeof(addr)) ||
		    copy_from_user(&node, nodes + i * sizeof(node), sizeof(node)))
			return -EFAULT;
		if (node < 0 || node >= MAX_NUMNODES || node >= NR_NODE_IDS)
			return -ENODEV;		/* no such node, or one without memory */
		/* Present pages are already on the target node: its number, else the error. */
		st = vmar_page_status(v, addr);
		if (copy_to_user(status + i * sizeof(st), &st, sizeof(st)))
			return -EFAULT;
	}
	return 0;
}

long sys_move_pages(pid_t pid, unsigned long count, uaddr_t pages, uaddr_t nodes, uaddr_t status,
		    int flags)
{
	struct vmar *v;
	long err;

	if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
		return -EINVAL;
	if ((flags & MPOL_MF_MOVE_ALL) && !capable(CAP_SYS_NICE))
		return -EPERM;
	err = target_vmar(pid, &v);
	if (err)
		return err;
	err = nodes ? pages_move(v, count, pages, nodes, status) : pages_stat(v, count, pages, status);
	vmar_put(v);
	return err;
}
