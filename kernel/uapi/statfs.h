/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <asm-generic/statfs.h>: struct statfs of x86-64.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_STATFS_H
#define ASTER_UAPI_STATFS_H

#include <aster/types.h>

/* f_flags (Linux's include/linux/statfs.h; glibc's <sys/statvfs.h> has the ST_ bits). */
#define ST_RDONLY	0x0001
#define ST_NOSUID	0x0002
#define ST_NODEV	0x0004
#define ST_NOEXEC	0x0008
#define ST_VALID	0x0020	/* f_flags support is implemented */
#define ST_NOATIME	0x0400
#define ST_NODIRATIME	0x0800
#define ST_RELATIME	0x1000
#define ST_NOSYMFOLLOW	0x2000

struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs is 120 bytes");

/* sysfs(2)'s options (its man page; no header defines them). */
#define SYSFS_INDEX	1	/* name -> index */
#define SYSFS_NAME	2	/* index -> name */
#define SYSFS_COUNT	3

/*
 * ustat(2)'s answer (Linux's include/linux/types.h; glibc no longer ships
 * <sys/ustat.h>): free blocks (an int, truncated as Linux does) and free
 * inodes; the names are always empty.
 */
struct linux_ustat {
	int32_t f_tfree;
	uint64_t f_tinode;
	char f_fname[6];
	char f_fpack[6];
};
_Static_assert(sizeof(struct linux_ustat) == 32, "struct ustat is 32 bytes");

#endif
