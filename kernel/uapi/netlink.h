/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/netlink.h>: the netlink address, message and
 * attribute headers, message flags and types, and the SOL_NETLINK options.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_NETLINK_H
#define ASTER_UAPI_NETLINK_H

#include <aster/types.h>

#define NETLINK_ROUTE		0
#define MAX_LINKS		32

struct linux_sockaddr_nl {
	uint16_t nl_family;
	uint16_t nl_pad;
	uint32_t nl_pid;
	uint32_t nl_groups;
};

struct linux_nlmsghdr {
	uint32_t nlmsg_len;
	uint16_t nlmsg_type;
	uint16_t nlmsg_flags;
	uint32_t nlmsg_seq;
	uint32_t nlmsg_pid;
};

#define NLM_F_REQUEST		0x01
#define NLM_F_MULTI		0x02
#define NLM_F_ACK		0x04
#define NLM_F_ECHO		0x08
#define NLM_F_DUMP_INTR		0x10
#define NLM_F_DUMP_FILTERED	0x20
#define NLM_F_ROOT		0x100
#define NLM_F_MATCH		0x200
#define NLM_F_ATOMIC		0x400
#define NLM_F_DUMP		(NLM_F_ROOT | NLM_F_MATCH)
#define NLM_F_REPLACE		0x100
#define NLM_F_EXCL		0x200
#define NLM_F_CREATE		0x400
#define NLM_F_APPEND		0x800
#define NLM_F_CAPPED		0x100
#define NLM_F_ACK_TLVS		0x200

#define NLMSG_ALIGNTO		4
#define NLMSG_HDRLEN		16
#define NLMSG_NOOP		0x1
#define NLMSG_ERROR		0x2
#define NLMSG_DONE		0x3
#define NLMSG_OVERRUN		0x4
#define NLMSG_MIN_TYPE		0x10

struct linux_nlmsgerr {
	int32_t error;
	struct linux_nlmsghdr msg;
};

#define NETLINK_ADD_MEMBERSHIP		1
#define NETLINK_DROP_MEMBERSHIP		2
#define NETLINK_PKTINFO			3
#define NETLINK_BROADCAST_ERROR		4
#define NETLINK_NO_ENOBUFS		5
#define NETLINK_RX_RING			6
#define NETLINK_TX_RING			7
#define NETLINK_LISTEN_ALL_NSID		8
#define NETLINK_LIST_MEMBERSHIPS	9
#define NETLINK_CAP_ACK			10
#define NETLINK_EXT_ACK			11
#define NETLINK_GET_STRICT_CHK		12

struct linux_nl_pktinfo {
	uint32_t group;
};

struct linux_nlattr {
	uint16_t nla_len;
	uint16_t nla_type;
};

#define NLA_F_NESTED		(1 << 15)
#define NLA_F_NET_BYTEORDER	(1 << 14)
#define NLA_TYPE_MASK		(~(NLA_F_NESTED | NLA_F_NET_BYTEORDER))
#define NLA_ALIGNTO		4
#define NLA_HDRLEN		4

#endif
