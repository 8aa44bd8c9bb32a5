/* SPDX-License-Identifier: MPL-2.0 */
/*
 * AF_PACKET's private header (doc/net.md, "Packet sockets and BPF").
 *
 * Every packet socket is on packet_socks, and all their state is guarded
 * by packet_lock, a mutex: the taps run in task context only (the netrx
 * task for frames received, the sender for frames sent), and the lock is
 * never held across netdev_xmit (whose tap takes it).
 */
#ifndef KERNEL_NET_PACKET_PACKET_H
#define KERNEL_NET_PACKET_PACKET_H
#include <aster/list.h>
#include <aster/sync.h>
#include <aster/wait.h>
#include "net/dev/netdev.h"
#include "net/packet/bpf.h"
#include "net/socket.h"
#include "uapi/if_packet.h"

/* Memberships one socket may hold (Linux bounds them only by memory). */
#define PACKET_MAX_MCLIST	32

struct packet_mc {
	int ifindex;
	uint16_t type, alen;
	uint8_t addr[8];
	uint32_t count;
};

/* A frame queued on a socket, with what recvmsg reports about it. */
struct packet_frame {
	struct list_node node;
	int ifindex;
	uint16_t proto;			/* ETH_P_*, host order */
	uint16_t hatype;
	uint8_t pkttype, halen;
	uint8_t addr[8];		/* the source link address */
	uint32_t len;			/* bytes of data (after the filter's cut) */
	uint32_t orig_len;		/* the frame's length before it */
	uint16_t net_off;		/* where the network header starts in data */
	uint8_t data[];
};

struct packet_sock {
	struct list_node node;		/* on packet_socks */
	struct socket *sock;
	uint16_t num;			/* ETH_P_* received (host order), 0: none */
	int ifindex;			/* bound device, 0: all */
	bool running;			/* receiving: a protocol and an up (or no) device */
	struct list_node rxq;		/* struct packet_frame */
	uint32_t rmem;
	uint32_t stat_packets, stat_drops;	/* since PACKET_STATISTICS last read */
	struct bpf_prog *filter;
	bool filter_locked;
	bool auxdata, ignore_outgoing;
	int bound_dev_if;		/* SO_BINDTODEVICE */
	uint32_t uid;			/* the creator's euid (/proc/net/packet) */
	struct packet_mc mc[PACKET_MAX_MCLIST];
	unsigned int nmc;
	uint64_t wseq, rseq;
	struct wait_queue wq;
};

extern struct mutex packet_lock;
extern struct list_node packet_socks;

/* Make a frame for sk from a link-layer frame (packet_lock held): queued, filtered or dropped. */
void packet_deliver(struct packet_sock *sk, const struct net_device *dev, const uint8_t *frame,
		    uint32_t len, uint8_t pkttype);
/* Membership side effects on devices (packet_lock held): 0, -ENODEV, -EINVAL. */
int packet_mc_change(struct packet_sock *sk, const struct linux_packet_mreq *mr, bool add);
void packet_mc_release(struct packet_sock *sk);
/* Does a PACKET_MR_PROMISC membership hold dev promiscuous (packet_lock held)? */
bool packet_dev_promisc(const struct net_device *dev);
/* Sockets come and go (the taps skip all work while there are none). */
void packet_count_add(int d);
/* A frame a packet socket sends on lo, shown to the taps at once (sender: skipped for the outgoing copy). */
void packet_tap_loop(struct net_device *dev, const uint8_t *frame, uint32_t len, const void *sender);

#endif
