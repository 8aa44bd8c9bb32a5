/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/if_link.h>: the IFLA_* link attributes, the
 * operational states and the statistics of IFLA_STATS and IFLA_STATS64.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_IF_LINK_H
#define ASTER_UAPI_IF_LINK_H

#include <aster/types.h>

#define IFLA_UNSPEC		0
#define IFLA_ADDRESS		1
#define IFLA_BROADCAST		2
#define IFLA_IFNAME		3
#define IFLA_MTU		4
#define IFLA_LINK		5
#define IFLA_QDISC		6
#define IFLA_STATS		7
#define IFLA_MASTER		10
#define IFLA_TXQLEN		13
#define IFLA_MAP		14
#define IFLA_OPERSTATE		16
#define IFLA_LINKMODE		17
#define IFLA_LINKINFO		18
#define IFLA_NET_NS_PID		19
#define IFLA_IFALIAS		20
#define IFLA_STATS64		23
#define IFLA_AF_SPEC		26
#define IFLA_GROUP		27
#define IFLA_NET_NS_FD		28
#define IFLA_EXT_MASK		29
#define IFLA_PROMISCUITY	30
#define IFLA_NUM_TX_QUEUES	31
#define IFLA_NUM_RX_QUEUES	32
#define IFLA_CARRIER		33
#define IFLA_MIN_MTU		50
#define IFLA_MAX_MTU		51
#define IFLA_MAX		61

#define IF_OPER_UNKNOWN		0
#define IF_OPER_DOWN		2
#define IF_OPER_UP		6

#define IF_LINK_MODE_DEFAULT	0

struct linux_rtnl_link_stats {
	uint32_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint32_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint32_t multicast, collisions;
	uint32_t rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors;
	uint32_t rx_fifo_errors, rx_missed_errors;
	uint32_t tx_aborted_errors, tx_carrier_errors, tx_fifo_errors, tx_heartbeat_errors;
	uint32_t tx_window_errors;
	uint32_t rx_compressed, tx_compressed;
	uint32_t rx_nohandler;
};

struct linux_rtnl_link_stats64 {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t multicast, collisions;
	uint64_t rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors;
	uint64_t rx_fifo_errors, rx_missed_errors;
	uint64_t tx_aborted_errors, tx_carrier_errors, tx_fifo_errors, tx_heartbeat_errors;
	uint64_t tx_window_errors;
	uint64_t rx_compressed, tx_compressed;
	uint64_t rx_nohandler;
	uint64_t rx_otherhost_dropped;
};

#endif
