/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/futex.h>: futex operations, the futex word's bits, the robust list bound.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_FUTEX_H
#define ASTER_UAPI_FUTEX_H

#include <aster/types.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_BITSET_MATCH_ANY	0xffffffffU

#define FUTEX_OP_OPARG_SHIFT	8

#define FUTEX_WAITERS		0x80000000U
#define FUTEX_OWNER_DIED	0x40000000U
#define FUTEX_TID_MASK		0x3fffffffU

#define ROBUST_LIST_LIMIT	2048

/* futex_waitv: the size flag of a waiter (the only size), and the most waiters. */
#define FUTEX_32		2
#define FUTEX_WAITV_MAX		128

struct futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;		/* FUTEX_32, optionally FUTEX_PRIVATE_FLAG */
	uint32_t __reserved;
};

#endif
