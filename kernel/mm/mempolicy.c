// SPDX-License-Identifier: MPL-2.0
// set_mempolicy, get_mempolicy, mbind and set_mempolicy_home_node on a
// machine with one memory node (doc/syscalls.md).  Every argument is
// validated in Linux's order with Linux's errors (mm/mempolicy.c), the
// thread's and each mapping's policy are kept and reported, and since
// node 0 holds all memory no page ever has to move.
#include <aster/errno.h>
#include <aster/string.h>
#include <aster/uaccess.h>
#include "mm/mempolicy_internal.h"
#include "mm/vmar_internal.h"
#include "process/capability.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "uapi/mempolicy.h"

#define WORD_BITS	64

static bool words_any(const uint64_t *w, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (w[i])
			return true;
	return false;
}

/*
 * Linux checks the bits past MAX_NUMNODES one whole word at a time from
 * the top (bits past maxnode in the top word included): each must be zero.
 */
static int high_words_zero(uaddr_t nmask, uint64_t *maxnode)
{
	while (*maxnode > MAX_NUMNODES) {
		uint64_t t;

		if (copy_from_user(&t, nmask + (*maxnode - 1) / WORD_BITS * 8, sizeof(t)))
			return -EFAULT;
		if (*maxnode - WORD_BITS >= MAX_NUMNODES)
			*maxnode -= WORD_BITS;
		else
			*maxnode = MAX_NUMNODES;
		if (t)
			return -EINVAL;
	}
	return 0;
}

int nodemask_from_user(uaddr_t nmask, uint64_t maxnode, struct nodemask_in *out)
{
	uint64_t w[MAX_NUMNODES / WORD_BITS];
	size_t nwords;
	int err;

	memset(out, 0, sizeof(*out));
	maxnode--;		/* the last bit is ignored; 0 wraps to huge: -EINVAL below */
	if (maxnode == 0 || !nmask)
		return 0;
	if (maxnode > PAGE_SIZE * 8)
		return -EINVAL;
	err = high_words_zero(nmask, &maxnode);
	if (err)
		return err;
	nwords = (size_t)((maxnode + WORD_BITS - 1) / WORD_BITS);
	if (copy_from_user(w, nmask, nwords * sizeof(w[0])))
		return -EFAULT;
	if (maxnode % WORD_BITS)
		w[nwords - 1] &= (1ULL << (maxnode % WORD_BITS)) - 1;
	out->low = w[0];
	out->any = words_any(w, 0, nwords);
	out->others = (w[0] & ~1ULL) || words_any(w, 1, nwords);
	return 0;
}

int mempolicy_sanitize(int arg, int *mode, uint16_t *flags)
{
	*flags = (uint16_t)(arg & MPOL_MODE_FLAGS);
	*mode = arg & ~MPOL_MODE_FLAGS;
	if ((unsigned int)*mode >= MPOL_MAX)
		return -EINVAL;
	if ((*flags & MPOL_F_STATIC_NODES) && (*flags & MPOL_F_RELATIVE_NODES))
		return -EINVAL;
	if ((*flags & MPOL_F_NUMA_BALANCING) && *mode != MPOL_BIND)
		return -EINVAL;
	return 0;
}

int mempolicy_make(int mode, uint16_t flags, const struct nodemask_in *n, struct mempolicy *out)
{
	bool user = flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES);

	memset(out, 0, sizeof(*out));
	if (mode == MPOL_DEFAULT)
		return n->any ? -EINVAL : 0;
	if (mode == MPOL_PREFERRED && !n->any) {
		if (user)
			return -EINVAL;
		mode = MPOL_LOCAL;	/* an empty preferred mask means local allocation */
	} else if (mode == MPOL_LOCAL) {
		if (n->any || user)
			return -EINVAL;
	} else if (!n->any) {
		return -EINVAL;
	}
	out->mode = (uint16_t)mode;
	out->flags = flags;
	if (mode == MPOL_LOCAL)
		return 0;
	/*
	 * The mask meets the nodes with memory, node 0; a relative mask is
	 * folded onto them, so any node in it lands on node 0.
	 */
	if (!((flags & MPOL_F_RELATIVE_NODES) ? n->any : (n->low & 1)))
		return -EINVAL;
	if (user)
		out->user_nodes = n->low;
	return 0;
}

/* The nodes get_mempolicy reports for p (Linux's user_nodemask or get_policy_nodemask). */
static uint64_t policy_nodes(const struct mempolicy *p)
{
	if (p->flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))
		return p->user_nodes;
	if (p->mode == MPOL_DEFAULT || p->mode == MPOL_LOCAL)
		return 0;
	return 1;
}

/* Mode argument and mask to a policy: Linux's order of checks. */
static int policy_from_user(int arg, uaddr_t nmask, uint64_t maxnode, struct mempolicy *out)
{
	struct nodemask_in n;
	uint16_t flags;
	int mode, err = mempolicy_sanitize(arg, &mode, &flags);

	if (err)
		return err;
	err = nodemask_from_user(nmask, maxnode, &n);
	if (err)
		return err;
	return mempolicy_make(mode, flags, &n, out);
}

long sys_set_mempolicy(int mode, uaddr_t nmask, unsigned long maxnode)
{
	struct thread *t = current_thread();
	struct mempolicy pol;
	int err;

	if (!t)
		return -EINVAL;
	err = policy_from_user(mode, nmask, maxnode, &pol);
	if (err)
		return err;
	t->mempolicy = pol;
	return 0;
}

/* Linux's copy_nodes_to_user: bits past our one word are cleared, up to a page. */
static int nodes_to_user(uaddr_t mask, uint64_t maxnode, uint64_t nodes)
{
	uint64_t copy = ((maxnode - 1 + WORD_BITS - 1) & ~(uint64_t)(WORD_BITS - 1)) / 8;

	if (copy > sizeof(nodes)) {
		if (copy > PAGE_SIZE)
			return -EINVAL;
		if (clear_user(mask + sizeof(nodes), copy - sizeof(nodes)))
			return -EFAULT;
		copy = sizeof(nodes);
	}
	return copy_to_user(mask, &nodes, copy) ? -EFAULT : 0;
}

/* Linux's do_get_mempolicy without MPOL_F_MEMS_ALLOWED. */
static int get_policy(uaddr_t addr, unsigned long flags, int *pval, uint64_t *nodes)
{
	struct mempolicy pol = current_thread()->mempolicy;
	struct vmar *v = vmar_current();
	int err;

	if (flags & MPOL_F_ADDR) {
		err = v ? vmar_policy_at(v, addr, &pol) : -EFAULT;
		if (err)
			return err;
	} else if (addr) {
		return -EINVAL;
	}
	if (flags & MPOL_F_NODE) {
		if (flags & MPOL_F_ADDR) {
			uint8_t byte;
			long got = vmar_access(v, addr & ~PAGE_MASK_LOW, &byte, 1, false, false);

			/* The node of the page, faulted in for reading as Linux's lookup_node. */
			if (got < 0)
				return (int)got;
			*pval = 0;
		} else if (pol.mode == MPOL_INTERLEAVE) {
			*pval = 0;	/* the next interleave node: there is only node 0 */
		} else {
			return -EINVAL;
		}
	} else {
		*pval = pol.mode | (pol.flags & MPOL_MODE_FLAGS);
	}
	*nodes = policy_nodes(&pol);
	return 0;
}

long sys_get_mempolicy(uaddr_t policy, uaddr_t nmask, unsigned long maxnode, uaddr_t addr,
		       unsigned long flags)
{
	uint64_t nodes = 0;
	int pval = 0, err;

	if (!current_thread())
		return -EINVAL;
	if (nmask && maxnode < NR_NODE_IDS)
		return -EINVAL;
	if (flags & ~(unsigned long)(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED))
		return -EINVAL;
	if (flags & MPOL_F_MEMS_ALLOWED) {
		if (flags & (MPOL_F_NODE | MPOL_F_ADDR))
			return -EINVAL;
		nodes = 1;	/* the nodes the caller may use: node 0 */
	} else {
		err = get_policy(addr, flags, &pval, &nodes);
		if (err)
			return err;
	}
	if (policy && copy_to_user(policy, &pval, sizeof(pval)))
		return -EFAULT;
	return nmask ? nodes_to_user(nmask, maxnode, nodes) : 0;
}

long sys_mbind(uaddr_t start, unsigned long len, unsigned long mode, uaddr_t nmask,
	       unsigned long maxnode, unsigned int flags)
{
	struct vmar *v = vmar_current();
	struct nodemask_in n;
	struct mempolicy pol;
	uint64_t alen, end;
	uint16_t mflags;
	bool eio;
	int m, err = mempolicy_sanitize((int)mode, &m, &mflags);

	if (!err)
		err = nodemask_from_user(nmask, maxnode, &n);
	if (err)
		return err;
	if (flags & ~(unsigned int)MPOL_MF_VALID)
		return -EINVAL;
	if ((flags & MPOL_MF_MOVE_ALL) && !capable(CAP_SYS_NICE))
		return -EPERM;
	if (start & PAGE_MASK_LOW)
		return -EINVAL;
	if (m == MPOL_DEFAULT)
		flags &= ~(unsigned int)MPOL_MF_STRICT;
	alen = (len + PAGE_SIZE - 1) & ~(uint64_t)PAGE_MASK_LOW;
	end = start + alen;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	err = mempolicy_make(m, mflags, &n, &pol);
	if (err)
		return err;
	if (!v)
		return -EFAULT;
	/*
	 * MPOL_MF_STRICT alone fails on a page off the caller's nodes; every
	 * page is on node 0, so that is any page when the mask lacks node 0
	 * (an empty one too).  With MPOL_MF_MOVE* the page would move there.
	 */
	eio = (flags & MPOL_MF_STRICT) && !(flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) &&
	      !(n.low & 1);
	return vmar_mbind(v, start, end, &pol, m == MPOL_DEFAULT, eio);
}

long sys_set_mempolicy_home_node(uaddr_t start, unsigned long len, unsigned long home_node,
				 unsigned long flags)
{
	struct vmar *v = vmar_current();
	uint64_t end;

	if (start & PAGE_MASK_LOW)
		return -EINVAL;
	if (flags != 0)
		return -EINVAL;
	if (home_node >= MAX_NUMNODES || home_node >= NR_NODE_IDS)
		return -EINVAL;		/* not an online node */
	len = (len + PAGE_SIZE - 1) & ~(uint64_t)PAGE_MASK_LOW;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	return v ? vmar_set_home_node(v, start, end, (unsigned int)home_node) : -ENOENT;
}
