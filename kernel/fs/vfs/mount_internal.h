/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The mount tree's internals, shared by mount.c, mount_ops.c and
 * mount_info.c.  Private to kernel/fs/vfs/.
 */
#ifndef KERNEL_FS_VFS_MOUNT_INTERNAL_H
#define KERNEL_FS_VFS_MOUNT_INTERNAL_H
#include "fs/vfs.h"
#include "uapi/mount.h"

/* The per-mount flags a mount keeps (Linux's MNT_READONLY, MNT_NOSUID...). */
/* A mount's atime policy (relatime unless noatime or strictatime is asked for). */
#define MNT_ATIME_MASK	(MS_NOATIME | MS_NODIRATIME | MS_RELATIME)
#define MNT_FLAG_MASK	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOSYMFOLLOW | \
			 MNT_ATIME_MASK)

/* A mount of root (a dentry of sb) with one reference, the tree's, not attached yet. */
int mount_new(struct super_block *sb, struct dentry *root, const char *source, uint64_t flags,
	      struct mount **out);
/* ns lock held: put m on (parent, mp), or take it off (put: drop the tree's reference). */
void mount_attach(struct mount *m, struct mount *parent, struct dentry *mp);
void mount_detach(struct mount *m, bool put);
/* ns lock held: read-only unless files are open for writing (-EBUSY). */
int mount_make_readonly(struct mount *m, bool sb_wide);

#endif
