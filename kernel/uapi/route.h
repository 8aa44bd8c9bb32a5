/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/route.h>: struct rtentry of SIOCADDRT/SIOCDELRT.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_ROUTE_H
#define ASTER_UAPI_ROUTE_H

#include <aster/types.h>
#include "uapi/socket.h"

#define RTF_UP		0x0001
#define RTF_GATEWAY	0x0002
#define RTF_HOST	0x0004
#define RTF_REJECT	0x0200

/* The pointers (rt_pad4, rt_dev) are user addresses, kept as integers. */
struct linux_rtentry {
	uint64_t rt_pad1;
	struct linux_sockaddr rt_dst;
	struct linux_sockaddr rt_gateway;
	struct linux_sockaddr rt_genmask;
	uint16_t rt_flags;
	int16_t rt_pad2;
	uint64_t rt_pad3;
	uint64_t rt_pad4;
	int16_t rt_metric;
	uint64_t rt_dev;
	uint64_t rt_mtu;
	uint64_t rt_window;
	uint16_t rt_irtt;
};

#endif
