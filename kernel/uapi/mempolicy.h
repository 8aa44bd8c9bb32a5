/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/mempolicy.h> (the modes are an enum there, macros
 * here).  Values are x86-64 Linux's; tests/unit/test_uapi checks them
 * against the host's headers.
 */
#ifndef ASTER_UAPI_MEMPOLICY_H
#define ASTER_UAPI_MEMPOLICY_H

/* set_mempolicy / mbind modes */
#define MPOL_DEFAULT		0
#define MPOL_PREFERRED		1
#define MPOL_BIND		2
#define MPOL_INTERLEAVE		3
#define MPOL_LOCAL		4
#define MPOL_PREFERRED_MANY	5
#define MPOL_MAX		6

/* Mode flags, or-ed into the mode. */
#define MPOL_F_STATIC_NODES	(1 << 15)
#define MPOL_F_RELATIVE_NODES	(1 << 14)
#define MPOL_F_NUMA_BALANCING	(1 << 13)
#define MPOL_MODE_FLAGS		(MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING)

/* get_mempolicy flags */
#define MPOL_F_NODE		(1 << 0)
#define MPOL_F_ADDR		(1 << 1)
#define MPOL_F_MEMS_ALLOWED	(1 << 2)

/* mbind / move_pages flags */
#define MPOL_MF_STRICT		(1 << 0)
#define MPOL_MF_MOVE		(1 << 1)
#define MPOL_MF_MOVE_ALL	(1 << 2)
#define MPOL_MF_LAZY		(1 << 3)
#define MPOL_MF_VALID		(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)

#endif
