/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Inside kernel/mm/: the node masks the NUMA syscalls read and the vmar
 * side of mbind, get_mempolicy(MPOL_F_ADDR), set_mempolicy_home_node and
 * move_pages (mbind.c).  Private to kernel/mm/.
 */
#ifndef KERNEL_MM_MEMPOLICY_INTERNAL_H
#define KERNEL_MM_MEMPOLICY_INTERNAL_H
#include <aster/types.h>
#include "mm/mempolicy.h"
#include "mm/vmar.h"

/*
 * Linux's MAX_NUMNODES as Debian builds it (CONFIG_NODES_SHIFT=10): masks
 * may name nodes up to it; bits past it must be zero.  NR_NODE_IDS: the
 * nodes that exist (nr_node_ids), just node 0 here.
 */
#define MAX_NUMNODES	1024
#define NR_NODE_IDS	1

/* A node mask read from user space (Linux's get_nodes). */
struct nodemask_in {
	uint64_t low;		/* nodes 0..63 */
	bool any;		/* some node below MAX_NUMNODES */
	bool others;		/* some node but node 0 */
};
/* maxnode bits at nmask (the last one ignored, as Linux): 0, -EINVAL, -EFAULT. */
int nodemask_from_user(uaddr_t nmask, uint64_t maxnode, struct nodemask_in *out);
/*
 * A mode argument (MPOL_* | MPOL_F_*) split and checked (Linux's
 * sanitize_mpol_flags): 0 or -EINVAL.
 */
int mempolicy_sanitize(int arg, int *mode, uint16_t *flags);
/* Linux's mpol_new and mpol_set_nodemask on our one node: 0 or -EINVAL. */
int mempolicy_make(int mode, uint16_t flags, const struct nodemask_in *n, struct mempolicy *out);

/* The policy of the mapping at addr (none: all zero): 0 or -EFAULT (no mapping). */
int vmar_policy_at(struct vmar *v, uaddr_t addr, struct mempolicy *out);
/*
 * mbind's work on [start, end) (page-aligned, non-empty): Linux's
 * queue_pages_range checks (-EFAULT for holes unless discontig_ok, or no
 * mapping at all; -EIO when eio_if_pages and a page is present), then the
 * policy on every mapping there (-EINVAL if that would split a special
 * mapping).
 */
int vmar_mbind(struct vmar *v, uaddr_t start, uaddr_t end, const struct mempolicy *pol,
	       bool discontig_ok, bool eio_if_pages);
/* set_mempolicy_home_node on [start, end): 0, -ENOENT, -EOPNOTSUPP, -EINVAL, -ENOMEM. */
int vmar_set_home_node(struct vmar *v, uaddr_t start, uaddr_t end, unsigned int node);
/*
 * move_pages' status of the page at addr: its node (0) when present,
 * -ENOENT when it is not but could be faulted from a file or shared
 * object, -EFAULT for no mapping or untouched private anonymous memory
 * (Linux's follow_page with FOLL_DUMP).
 */
int vmar_page_status(struct vmar *v, uaddr_t addr);
/*
 * process_mrelease: free the private pages of every mapping that is not
 * locked (Linux's __oom_reap_task_mm).
 */
void vmar_reap(struct vmar *v);

#endif
