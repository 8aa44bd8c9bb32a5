/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <asm-generic/poll.h>: poll events and struct pollfd.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_POLL_H
#define ASTER_UAPI_POLL_H

#include <aster/types.h>

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLWRNORM	0x0100
#define POLLRDBAND	0x0080
#define POLLWRBAND	0x0200
#define POLLMSG		0x0400
#define POLLRDHUP	0x2000

struct pollfd_k {
	int32_t fd;
	int16_t events, revents;
};

#endif
