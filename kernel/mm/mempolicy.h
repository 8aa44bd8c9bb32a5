/* SPDX-License-Identifier: MPL-2.0 */
/*
 * NUMA memory policies (set_mempolicy, mbind and friends) on a machine
 * with one memory node, node 0: every page is on it, so a policy changes
 * no placement, but it is validated, kept and reported exactly as Linux
 * does (doc/syscalls.md).  A thread has one (struct thread, inherited by
 * fork and clone, kept across execve as Linux's), and every mapping may
 * have its own (struct vma, from mbind).
 */
#ifndef KERNEL_MM_MEMPOLICY_H
#define KERNEL_MM_MEMPOLICY_H
#include <aster/types.h>

/*
 * A policy by value; all zero is MPOL_DEFAULT (none).  The nodes it
 * reports are those of its mode on our one node, except with
 * MPOL_F_STATIC_NODES or MPOL_F_RELATIVE_NODES, where Linux reports the
 * caller's mask: user_nodes keeps its first 64 bits, all that
 * get_mempolicy can copy out with one node.
 */
struct mempolicy {
	uint16_t mode;		/* MPOL_* */
	uint16_t flags;		/* MPOL_MODE_FLAGS bits */
	uint16_t home;		/* set_mempolicy_home_node's node + 1; 0: none */
	uint64_t user_nodes;
};

bool mempolicy_equal(const struct mempolicy *a, const struct mempolicy *b);

#endif
