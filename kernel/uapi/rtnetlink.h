/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/rtnetlink.h>: the rtnetlink message types,
 * multicast groups, struct rtgenmsg, ifinfomsg and rtmsg, and the route
 * attributes, types, protocols, scopes and tables.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_RTNETLINK_H
#define ASTER_UAPI_RTNETLINK_H

#include <aster/types.h>
#include "uapi/netlink.h"

#define RTM_BASE	16
#define RTM_NEWLINK	16
#define RTM_DELLINK	17
#define RTM_GETLINK	18
#define RTM_SETLINK	19
#define RTM_NEWADDR	20
#define RTM_DELADDR	21
#define RTM_GETADDR	22
#define RTM_NEWROUTE	24
#define RTM_DELROUTE	25
#define RTM_GETROUTE	26
#define RTM_NEWNEIGH	28
#define RTM_DELNEIGH	29
#define RTM_GETNEIGH	30
#define RTM_MAX		123

struct linux_rtgenmsg {
	uint8_t rtgen_family;
};

struct linux_ifinfomsg {
	uint8_t ifi_family;
	uint8_t __ifi_pad;
	uint16_t ifi_type;
	int32_t ifi_index;
	uint32_t ifi_flags;
	uint32_t ifi_change;
};

struct linux_rtmsg {
	uint8_t rtm_family;
	uint8_t rtm_dst_len;
	uint8_t rtm_src_len;
	uint8_t rtm_tos;
	uint8_t rtm_table;
	uint8_t rtm_protocol;
	uint8_t rtm_scope;
	uint8_t rtm_type;
	uint32_t rtm_flags;
};

#define RTN_UNSPEC	0
#define RTN_UNICAST	1
#define RTN_LOCAL	2
#define RTN_BROADCAST	3
#define RTN_UNREACHABLE	7
#define RTN_MAX		11

#define RTPROT_UNSPEC	0
#define RTPROT_KERNEL	2
#define RTPROT_BOOT	3

#define RT_SCOPE_UNIVERSE	0
#define RT_SCOPE_LINK		253
#define RT_SCOPE_HOST		254
#define RT_SCOPE_NOWHERE	255

#define RT_TABLE_UNSPEC	0
#define RT_TABLE_MAIN	254
#define RT_TABLE_LOCAL	255

#define RTM_F_CLONED	0x200

#define RTA_UNSPEC	0
#define RTA_DST		1
#define RTA_SRC		2
#define RTA_IIF		3
#define RTA_OIF		4
#define RTA_GATEWAY	5
#define RTA_PRIORITY	6
#define RTA_PREFSRC	7
#define RTA_METRICS	8
#define RTA_MULTIPATH	9
#define RTA_FLOW	11
#define RTA_TABLE	15
#define RTA_MARK	16
#define RTA_UID		25
#define RTA_MAX		30

/* The legacy multicast masks of sockaddr_nl.nl_groups (bit = group - 1). */
#define RTMGRP_LINK		1
#define RTMGRP_NEIGH		4
#define RTMGRP_IPV4_IFADDR	0x10
#define RTMGRP_IPV4_ROUTE	0x40

#define RTNLGRP_LINK		1
#define RTNLGRP_NEIGH		3
#define RTNLGRP_IPV4_IFADDR	5
#define RTNLGRP_IPV4_MROUTE	6
#define RTNLGRP_IPV4_ROUTE	7
#define RTNLGRP_IPV4_MROUTE_R	30
#define RTNLGRP_IPV6_MROUTE_R	31
#define RTNLGRP_MAX		36

#endif
