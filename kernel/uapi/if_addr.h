/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/if_addr.h>: struct ifaddrmsg, the IFA_*
 * address attributes and flags, struct ifa_cacheinfo.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_IF_ADDR_H
#define ASTER_UAPI_IF_ADDR_H

#include <aster/types.h>

struct linux_ifaddrmsg {
	uint8_t ifa_family;
	uint8_t ifa_prefixlen;
	uint8_t ifa_flags;
	uint8_t ifa_scope;
	uint32_t ifa_index;
};

#define IFA_UNSPEC	0
#define IFA_ADDRESS	1
#define IFA_LOCAL	2
#define IFA_LABEL	3
#define IFA_BROADCAST	4
#define IFA_ANYCAST	5
#define IFA_CACHEINFO	6
#define IFA_MULTICAST	7
#define IFA_FLAGS	8
#define IFA_MAX		11

#define IFA_F_PERMANENT	0x80

struct linux_ifa_cacheinfo {
	uint32_t ifa_prefered;
	uint32_t ifa_valid;
	uint32_t cstamp;
	uint32_t tstamp;
};

#endif
