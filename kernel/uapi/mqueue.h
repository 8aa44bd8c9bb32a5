/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/mqueue.h>: POSIX message queues' limits and
 * struct mq_attr (x86-64's longs).
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_MQUEUE_H
#define ASTER_UAPI_MQUEUE_H

#include <aster/types.h>

#define MQ_PRIO_MAX		32768
#define MQ_BYTES_MAX		819200

#define NOTIFY_NONE		0
#define NOTIFY_WOKENUP		1
#define NOTIFY_REMOVED		2
#define NOTIFY_COOKIE_LEN	32

struct mq_attr {
	int64_t mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs;
	int64_t reserved[4];
};
_Static_assert(sizeof(struct mq_attr) == 64, "struct mq_attr layout");

#endif
