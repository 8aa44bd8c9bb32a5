/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/nsfs.h> and the fixed inode numbers of the initial
 * namespaces (include/linux/proc_ns.h): the ioctls of the /proc/PID/ns files.
 */
#ifndef ASTER_UAPI_NSFS_H
#define ASTER_UAPI_NSFS_H

#define NSIO			0xb7
#define NS_GET_USERNS		0xb701	/* _IO(NSIO, 0x1): the owning user namespace */
#define NS_GET_PARENT		0xb702	/* _IO(NSIO, 0x2): the parent (pid, user) */
#define NS_GET_NSTYPE		0xb703	/* _IO(NSIO, 0x3): its CLONE_NEW* type */
#define NS_GET_OWNER_UID	0xb704	/* _IO(NSIO, 0x4): a user namespace's owner */

#define NSFS_MAGIC		0x6e736673

/* The initial namespaces' inode numbers (proc_ns.h); others come from PROC_DYNAMIC_FIRST on. */
#define PROC_IPC_INIT_INO	0xEFFFFFFFU
#define PROC_UTS_INIT_INO	0xEFFFFFFEU
#define PROC_USER_INIT_INO	0xEFFFFFFDU
#define PROC_PID_INIT_INO	0xEFFFFFFCU
#define PROC_CGROUP_INIT_INO	0xEFFFFFFBU
#define PROC_TIME_INIT_INO	0xEFFFFFFAU
#define PROC_DYNAMIC_FIRST	0xF0000000U

#endif
