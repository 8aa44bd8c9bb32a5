/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/magic.h>: the filesystem magic numbers statfs reports in f_type.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_MAGIC_H
#define ASTER_UAPI_MAGIC_H

#define PROC_SUPER_MAGIC	0x9fa0
#define RAMFS_MAGIC		0x858458f6
#define TMPFS_MAGIC		0x01021994
#define SYSFS_MAGIC		0x62656572
#define CGROUP2_SUPER_MAGIC	0x63677270
#define DEVPTS_SUPER_MAGIC	0x1cd1
#define EXT2_SUPER_MAGIC	0xEF53
#define MQUEUE_MAGIC		0x19800202

#endif
