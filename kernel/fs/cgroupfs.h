/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The cgroup2 file system (kernel/fs/cgroup/) as cgroup/ uses it: the
 * delegation checks that are permissions of its files, and the cgroup
 * behind a directory descriptor (CLONE_INTO_CGROUP).
 */
#ifndef KERNEL_FS_CGROUPFS_H
#define KERNEL_FS_CGROUPFS_H
#include "cgroup/cgroup.h"

/* Linux's cgroup_may_write: may the caller write cg's cgroup.procs (0 or -EACCES)? */
int cgroupfs_may_write(struct cgroup *cg);
/* The cgroup of the cgroup2 directory open at fd: a reference, or -EBADF. */
int cgroupfs_cgroup_of_fd(int fd, struct cgroup **out);
/* A controller left cg's subtree_control: its files leave the children's directories. */
void cgroupfs_ctrl_disabled(struct cgroup *cg, uint32_t ctrls);

#endif
