/* SPDX-License-Identifier: MPL-2.0 */
/* Private to kernel/fs/sysfs/: attribute files, as Linux's kernfs has them. */
#ifndef KERNEL_FS_SYSFS_ATTR_H
#define KERNEL_FS_SYSFS_ATTR_H
#include "fs/vfs.h"

/* What writing an attribute does. */
enum sysfs_attr_kind {
	SYSFS_ATTR_RO,		/* writes are -EIO */
	SYSFS_ATTR_UEVENT,	/* takes an action ("add", "change"...), keeps its text */
	SYSFS_ATTR_HELPER,	/* /sys/kernel/uevent_helper: a path kept as written */
	SYSFS_ATTR_NET,		/* /sys/class/net: read-only, the text made at each read (rdev: the ifindex) */
};

/*
 * Make the regular file i (fresh from the ramfs, text already set) an
 * attribute of kind: its size cannot be changed (truncate succeeds and
 * does nothing, as on Linux), it cannot be mapped, opening it for writing
 * needs a write bit in its mode even for root, and writes do what kind
 * says instead of changing the text.
 */
void sysfs_attr_init(struct inode *i, enum sysfs_attr_kind kind);

#endif
