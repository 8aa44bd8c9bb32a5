/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/seccomp.h>: seccomp(2)'s operations, filter flags,
 * the actions a filter returns, and struct seccomp_data, what a classic
 * BPF filter reads.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_SECCOMP_H
#define ASTER_UAPI_SECCOMP_H

#include <aster/types.h>

/* A thread's mode (PR_GET_SECCOMP, /proc/PID/status "Seccomp:"). */
#define SECCOMP_MODE_DISABLED	0
#define SECCOMP_MODE_STRICT	1
#define SECCOMP_MODE_FILTER	2

/* seccomp(2) operations */
#define SECCOMP_SET_MODE_STRICT		0
#define SECCOMP_SET_MODE_FILTER		1
#define SECCOMP_GET_ACTION_AVAIL	2
#define SECCOMP_GET_NOTIF_SIZES		3

/* SECCOMP_SET_MODE_FILTER flags */
#define SECCOMP_FILTER_FLAG_TSYNC		(1UL << 0)
#define SECCOMP_FILTER_FLAG_LOG			(1UL << 1)
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW		(1UL << 2)
#define SECCOMP_FILTER_FLAG_NEW_LISTENER	(1UL << 3)
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH		(1UL << 4)
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1UL << 5)

/* Filter return values: an action in the high 16 bits, data in the low. */
#define SECCOMP_RET_KILL_PROCESS	0x80000000U
#define SECCOMP_RET_KILL_THREAD		0x00000000U
#define SECCOMP_RET_KILL		SECCOMP_RET_KILL_THREAD
#define SECCOMP_RET_TRAP		0x00030000U
#define SECCOMP_RET_ERRNO		0x00050000U
#define SECCOMP_RET_USER_NOTIF		0x7fc00000U
#define SECCOMP_RET_TRACE		0x7ff00000U
#define SECCOMP_RET_LOG			0x7ffc0000U
#define SECCOMP_RET_ALLOW		0x7fff0000U

#define SECCOMP_RET_ACTION_FULL		0xffff0000U
#define SECCOMP_RET_ACTION		0x7fff0000U
#define SECCOMP_RET_DATA		0x0000ffffU

/* What a filter's BPF_LD|BPF_W|BPF_ABS loads read: 64 bytes, host byte order. */
struct seccomp_data {
	int32_t nr;
	uint32_t arch;			/* AUDIT_ARCH_X86_64 */
	uint64_t instruction_pointer;
	uint64_t args[6];
};

#endif
