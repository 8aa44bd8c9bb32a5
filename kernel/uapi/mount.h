/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/mount.h> (mount flags) and the umount2(2) flags (Linux's include/linux/fs.h; exported by glibc's <sys/mount.h>).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_MOUNT_H
#define ASTER_UAPI_MOUNT_H

#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define MS_NOEXEC	8
#define MS_REMOUNT	32
#define MS_NOSYMFOLLOW	256
#define MS_NOATIME	1024
#define MS_NODIRATIME	2048
#define MS_BIND		4096
#define MS_MOVE		8192
#define MS_REC		16384
#define MS_SILENT	32768
#define MS_UNBINDABLE	(1 << 17)
#define MS_PRIVATE	(1 << 18)
#define MS_SLAVE	(1 << 19)
#define MS_SHARED	(1 << 20)
#define MS_RELATIME	(1 << 21)
#define MS_KERNMOUNT	(1 << 22)
#define MS_STRICTATIME	(1 << 24)
#define MS_NOREMOTELOCK	(1 << 27)
#define MS_BORN		(1 << 29)
#define MS_ACTIVE	(1 << 30)
/* Linux's MS_NOUSER, named apart: its header's (1<<31) overflows int (test_uapi's UBSan). */
#define MS_NOUSER_FLAG	0x80000000U
#define MS_MGC_VAL	0xC0ED0000U
#define MS_MGC_MSK	0xffff0000U

#define MNT_FORCE	1
#define MNT_DETACH	2
#define MNT_EXPIRE	4
#define UMOUNT_NOFOLLOW	8

#endif
