/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/fcntl.h> and <asm-generic/fcntl.h>: open flags, fcntl commands, record and flock locks, *at() flags.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_FCNTL_H
#define ASTER_UAPI_FCNTL_H

#include <aster/types.h>

/* open(2) flags */
#define O_ACCMODE	03
#define O_RDONLY	00
#define O_WRONLY	01
#define O_RDWR		02
#define O_CREAT		0100
#define O_EXCL		0200
#define O_NOCTTY	0400
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define O_DSYNC		010000
#define FASYNC		020000
#define O_DIRECT	040000
#define O_LARGEFILE	0100000
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000
#define O_NOATIME	01000000
#define O_CLOEXEC	02000000
#define __O_SYNC	04000000
#define O_SYNC		(__O_SYNC | O_DSYNC)
#define O_PATH		010000000
#define __O_TMPFILE	020000000
#define O_TMPFILE	(__O_TMPFILE | O_DIRECTORY)
/* Linux's uapi spells the O_ASYNC bit FASYNC; glibc calls it O_ASYNC. */
#define O_ASYNC		FASYNC

/* fcntl(2) commands */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_SETOWN	8
#define F_GETOWN	9
#define F_SETSIG	10
#define F_GETSIG	11
#define F_SETLEASE	1024
#define F_GETLEASE	1025
#define F_SETOWN_EX	15
#define F_GETOWN_EX	16

/* F_SETOWN_EX's owner kinds and struct (Linux's struct f_owner_ex). */
#define F_OWNER_TID	0
#define F_OWNER_PID	1
#define F_OWNER_PGRP	2
struct linux_f_owner_ex {
	int32_t type;
	int32_t pid;
};
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#define F_LINUX_SPECIFIC_BASE	1024
#define F_DUPFD_CLOEXEC	(F_LINUX_SPECIFIC_BASE + 6)
#define F_SETPIPE_SZ	(F_LINUX_SPECIFIC_BASE + 7)
#define F_GETPIPE_SZ	(F_LINUX_SPECIFIC_BASE + 8)
#define F_ADD_SEALS	(F_LINUX_SPECIFIC_BASE + 9)
#define F_GET_SEALS	(F_LINUX_SPECIFIC_BASE + 10)
#define F_SEAL_SEAL	0x0001
#define F_SEAL_SHRINK	0x0002
#define F_SEAL_GROW	0x0004
#define F_SEAL_WRITE	0x0008
#define F_SEAL_FUTURE_WRITE	0x0010

/* splice(2), tee(2), vmsplice(2) flags (glibc's <fcntl.h>; Linux's include/linux/splice.h). */
#define SPLICE_F_MOVE		1
#define SPLICE_F_NONBLOCK	2
#define SPLICE_F_MORE		4
#define SPLICE_F_GIFT		8

#define FD_CLOEXEC	1

/* struct flock's l_type */
#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

/* flock(2) operations */
#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8
#define LOCK_MAND	32

/* The *at() calls */
#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200
#define AT_REMOVEDIR		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000
#define AT_STATX_SYNC_TYPE	0x6000

/* struct flock of the x86-64 ABI (32 bytes): F_GETLK, F_SETLK, F_OFD_*. */
struct kflock {
	int16_t l_type;
	int16_t l_whence;
	int32_t pad1;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
	int32_t pad2;
};

#endif
