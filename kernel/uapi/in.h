/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/in.h>: IPv4 socket addresses, protocol numbers
 * and the IPPROTO_IP options.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_IN_H
#define ASTER_UAPI_IN_H

#include <aster/types.h>

#define IPPROTO_IP	0
#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define IPPROTO_RAW	255
/* One past the last protocol number Linux knows (IPPROTO_MPTCP, 262). */
#define IPPROTO_MAX	263

#define INADDR_ANY		0x00000000U
#define INADDR_BROADCAST	0xffffffffU
#define INADDR_LOOPBACK		0x7f000001U

#define IP_TOS		1
#define IP_TTL		2
#define IP_HDRINCL	3
#define IP_RECVERR	11
#define IP_RECVTTL	12
#define IP_RECVTOS	13

/* sin_port and sin_addr are in network byte order. */
struct linux_sockaddr_in {
	uint16_t sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t sin_zero[8];
};

#endif
