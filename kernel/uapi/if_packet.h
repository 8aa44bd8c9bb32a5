/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/if_packet.h> and <linux/if_ether.h>: AF_PACKET
 * addresses (struct sockaddr_ll), packet types, SOL_PACKET options and
 * the EtherTypes packet sockets filter on.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_IF_PACKET_H
#define ASTER_UAPI_IF_PACKET_H

#include <aster/types.h>

#define SOL_PACKET	263

/* <linux/if_ether.h>: protocols (host order here; the socket calls take them big-endian). */
#define ETH_P_LOOP	0x0060
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86DD
#define ETH_P_ALL	0x0003
#define ETH_P_802_3_MIN	0x0600

/* sll_pkttype */
#define PACKET_HOST		0
#define PACKET_BROADCAST	1
#define PACKET_MULTICAST	2
#define PACKET_OTHERHOST	3
#define PACKET_OUTGOING		4

/* SOL_PACKET options */
#define PACKET_ADD_MEMBERSHIP	1
#define PACKET_DROP_MEMBERSHIP	2
#define PACKET_RECV_OUTPUT	3
#define PACKET_STATISTICS	6
#define PACKET_AUXDATA		8
#define PACKET_ORIGDEV		9
#define PACKET_VERSION		10
#define PACKET_RESERVE		12
#define PACKET_LOSS		14
#define PACKET_TIMESTAMP	17
#define PACKET_FANOUT		18
#define PACKET_IGNORE_OUTGOING	23

/* struct packet_mreq's mr_type */
#define PACKET_MR_MULTICAST	0
#define PACKET_MR_PROMISC	1
#define PACKET_MR_ALLMULTI	2
#define PACKET_MR_UNICAST	3

/* PACKET_AUXDATA's tp_status bits */
#define TP_STATUS_USER		(1 << 0)
#define TP_STATUS_COPY		(1 << 1)
#define TP_STATUS_LOSING	(1 << 2)
#define TP_STATUS_CSUMNOTREADY	(1 << 3)
#define TP_STATUS_CSUM_VALID	(1 << 7)

struct linux_sockaddr_ll {
	uint16_t sll_family;
	uint16_t sll_protocol;		/* big-endian ETH_P_* */
	int32_t sll_ifindex;
	uint16_t sll_hatype;		/* ARPHRD_* */
	uint8_t sll_pkttype;
	uint8_t sll_halen;
	uint8_t sll_addr[8];
};

struct linux_packet_mreq {
	int32_t mr_ifindex;
	uint16_t mr_type;
	uint16_t mr_alen;
	uint8_t mr_address[8];
};

struct linux_tpacket_stats {
	uint32_t tp_packets;
	uint32_t tp_drops;
};

struct linux_tpacket_auxdata {
	uint32_t tp_status;
	uint32_t tp_len;
	uint32_t tp_snaplen;
	uint16_t tp_mac;
	uint16_t tp_net;
	uint16_t tp_vlan_tci;
	uint16_t tp_vlan_tpid;
};

#endif
