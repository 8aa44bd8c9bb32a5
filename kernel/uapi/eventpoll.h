/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/eventpoll.h>: epoll events, epoll_ctl operations, struct epoll_event.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_EVENTPOLL_H
#define ASTER_UAPI_EVENTPOLL_H

#include <aster/types.h>
#include "uapi/fcntl.h"

#define EPOLL_CLOEXEC	O_CLOEXEC

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

#define EPOLLIN		0x001U
#define EPOLLOUT	0x004U
#define EPOLLERR	0x008U
#define EPOLLHUP	0x010U
#define EPOLLEXCLUSIVE	(1U << 28)
#define EPOLLWAKEUP	(1U << 29)
#define EPOLLONESHOT	(1U << 30)
#define EPOLLET		(1U << 31)

/* struct epoll_event: packed on x86-64, 12 bytes. */
struct epoll_event_k {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

#endif
