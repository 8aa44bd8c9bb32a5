/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The mount tree's internals, shared by mount.c, mount_ops.c and
 * mount_info.c.  Private to kernel/fs/vfs/.
 */
#ifndef KERNEL_FS_VFS_MOUNT_INTERNAL_H
#define KERNEL_FS_VFS_MOUNT_INTERNAL_H
#include "fs/vfs.h"
#include "uapi/mount.h"
#include "ns/ns.h"

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
/* Is d at or below root (one super block)? */
bool dentry_under(struct dentry *d, struct dentry *root);

/* ---- mount namespaces (mnt_ns.c) ---- */
struct mnt_namespace {
	struct ns_common ns;
	struct mount *root;	/* the tree's top: no parent (the tree's reference) */
};
extern struct mnt_namespace init_mnt_ns;
/* ns lock held: m (a tree made apart) becomes the top of ns's tree. */
void mount_make_ns_root(struct mount *m, struct mnt_namespace *ns);
/* Is m in the caller's namespace? (Linux's check_mnt; ns lock held) */
bool mount_in_current_ns(struct mount *m);

/* ---- propagation (pnode.c) ---- */
/* How a copy relates to its original (Linux's CL_* flags of clone_mnt). */
#define CL_SLAVE	0x1	/* a slave of the original */
#define CL_MAKE_SHARED	0x2	/* shared (a new peer group unless it joined one) */
#define CL_PRIVATE	0x4	/* no propagation at all */
#define CL_COPY_UNBINDABLE 0x8	/* a recursive copy keeps unbindable submounts */
/* A fresh mount's propagation state: private. */
void pnode_init(struct mount *m);
/* ns lock held: copy's peer group and master from old as flags say. */
void pnode_clone(struct mount *copy, struct mount *old, int flags);
/* ns lock held: m leaves its peer group and its master (umount, or MS_PRIVATE). */
void pnode_forget(struct mount *m);
/* ns lock held: MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE on m (rec: and below): 0 or -ENOMEM. */
int pnode_change_type(struct mount *m, uint64_t type, bool rec);
/*
 * ns lock held: put the tree src on (dest, mp) and a copy of it on every
 * mount that receives propagation from dest (Linux's attach_recursive_mnt):
 * 0, or -ENOMEM with nothing changed.
 */
int pnode_graft(struct mount *src, struct mount *dest, struct dentry *mp);
/* ns lock held: unmount the childless copies of m that propagation put on dest's receivers. */
void pnode_umount(struct mount *m);
/* ns lock held: is a copy of m on a receiver of m's parent in use (Linux's propagate_mount_busy)? */
bool pnode_umount_busy(struct mount *m);
/* A copy of old (root: the dentry it shows; rec: with old's submounts under root) (ns lock). */
int mount_clone_tree(struct mount *old, struct dentry *root, bool rec, int flags,
		     struct mount **out);
/* Detach m and every mount below it, propagating to receivers with prop (ns lock held). */
void mount_umount_tree(struct mount *m, bool prop);

#endif
