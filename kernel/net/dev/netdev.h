/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Network devices and packets (doc/net.md).
 *
 * A driver fills a struct net_device (name, type, MTU, MAC, flags, ops)
 * and registers it with netdev_register(); the device gets the next
 * index.  Frames the driver receives go to netdev_rx(), which may be
 * called in any context (hard IRQ included): it only queues the packet on
 * a bounded backlog and wakes the "netrx" kernel task, which runs the
 * protocols with no device lock held.  Frames go out through
 * netdev_xmit(), which calls the driver's xmit with the packet (the driver
 * owns it from then on, and frees it with pkt_free once sent).
 *
 * A packet (struct pkt) is one contiguous buffer with headroom: protocols
 * pkt_push() their headers in front of the payload on the way out and
 * pkt_pull() them on the way in.  An Ethernet device's frames start with
 * the 14-byte Ethernet header; a loopback device carries bare IPv4
 * packets.
 *
 * Errors: 0 or a negative errno.  Locks: netdev_lock (a spinlock) guards
 * the device list and each device's configuration and statistics; it is
 * never held across a driver call or protocol processing.
 */
#ifndef KERNEL_NET_DEV_NETDEV_H
#define KERNEL_NET_DEV_NETDEV_H
#include <aster/list.h>
#include <aster/sync.h>
#include <aster/types.h>
#include "uapi/if.h"
#include "uapi/if_arp.h"
#include "uapi/if_packet.h"

#define ETH_ALEN	6
#define ETH_HLEN	14
#define ETH_DATA_LEN	1500
/* Room in front of an outgoing payload for the link, IP and transport headers. */
#define PKT_HEADROOM	96
/* The most bytes a received frame may have (any MTU we accept, plus headers). */
#define PKT_MAX_FRAME	(65535 + ETH_HLEN)
/* Packets waiting for the receive task; more are dropped (Linux's netdev_max_backlog). */
#define NETDEV_BACKLOG	1000

struct pkt {
	struct list_node node;
	struct net_device *dev;		/* received on / to be sent by */
	uint8_t *buf;
	uint32_t cap;			/* bytes of buf */
	uint32_t head, len;		/* the data is buf[head, head + len) */
	uint16_t proto;			/* received: ETH_P_* of the payload */
	bool broadcast;			/* received: link-layer broadcast */
	/* Packet sockets (kernel/net/packet): already shown to them; the socket that sent it. */
	bool tapped;
	const void *origin;
	/* Queued on a socket: where it came from (host byte order). */
	uint32_t src_addr;
	uint16_t src_port;
};

/* A packet with headroom bytes before len bytes of (uninitialised) data; NULL without memory. */
struct pkt *pkt_alloc(uint32_t headroom, uint32_t len);
void pkt_free(struct pkt *p);
static inline uint8_t *pkt_data(struct pkt *p)
{
	return p->buf + p->head;
}
/* Add n bytes in front (NULL when the headroom is short) / drop n from the front (NULL when shorter). */
uint8_t *pkt_push(struct pkt *p, uint32_t n);
uint8_t *pkt_pull(struct pkt *p, uint32_t n);
/* Cut the data to len bytes (no-op when shorter). */
void pkt_trim(struct pkt *p, uint32_t len);

struct net_stats {
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped;
	uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
	uint64_t multicast;
};

struct net_device;

struct net_device_ops {
	/* Send one frame: the driver owns p from now on.  0, or -errno (p freed). */
	int (*xmit)(struct net_device *dev, struct pkt *p);
	/* The interface goes up or down (optional). */
	void (*set_up)(struct net_device *dev, bool up);
	/*
	 * Task context, after netdev_schedule_poll: take what the device
	 * received (netdev_rx each frame), at most budget frames; return
	 * true when more may be left.  Optional.
	 */
	bool (*poll)(struct net_device *dev, unsigned int budget);
};

struct net_device {
	struct list_node node;
	char name[IFNAMSIZ];
	int index;
	uint16_t type;			/* ARPHRD_ETHER, ARPHRD_LOOPBACK */
	uint32_t mtu, min_mtu, max_mtu;	/* max_mtu 0: no bound (lo, as Linux) */
	uint32_t flags;			/* IFF_* */
	uint8_t mac[ETH_ALEN];
	/* IPv4 configuration, host byte order (0: none). */
	uint32_t addr, netmask, broadcast;
	uint8_t addr_scope;		/* RT_SCOPE_* of the address */
	uint32_t addr_cstamp, addr_tstamp;	/* when it was made / changed (hundredths of s) */
	uint32_t tx_queue_len;
	struct net_stats stats;
	const struct net_device_ops *ops;
	void *priv;
	bool poll_pending;		/* under the backlog's lock */
};

extern spinlock_t netdev_lock;
extern struct list_node netdev_list;	/* every registered device, by index */

/* Give dev the next index and list it.  -EEXIST (name taken), -EINVAL. */
int netdev_register(struct net_device *dev);
/* Find a device by name or index (devices are never unregistered: the pointer stays good). */
struct net_device *netdev_by_name(const char *name);
struct net_device *netdev_by_index(int index);

/* From any context (the driver's interrupt): have the receive task call dev's poll. */
void netdev_schedule_poll(struct net_device *dev);
/* A received frame, from any context; the stack owns p from now on. */
void netdev_rx(struct net_device *dev, struct pkt *p);
/* What the receive task does with each frame (p->dev set): link header, then ARP or IPv4. */
void netdev_input(struct pkt *p);
/* Hand a frame to dev's driver (its link header in place); p is consumed.  0, -ENETDOWN... */
int netdev_xmit(struct net_device *dev, struct pkt *p);
/* Count an event on dev's statistics (under netdev_lock). */
void netdev_count_rx(struct net_device *dev, uint32_t bytes, bool dropped, bool error);
/* Change IFF_UP (and with it IFF_RUNNING), telling the driver and the routes. */
void netdev_set_up(struct net_device *dev, bool up);
/*
 * What SIOCSIFFLAGS and RTM_NEWLINK change (Linux's dev_change_flags):
 * the configurable IFF_* bits of flags, and IFF_UP.
 */
void netdev_change_flags(struct net_device *dev, uint32_t flags);
/* A new MTU: 0, -EINVAL outside the device's bounds (Linux's dev_validate_mtu: max_mtu 0 is none). */
bool netdev_mtu_ok(const struct net_device *dev, int64_t mtu);
int netdev_set_mtu(struct net_device *dev, int64_t mtu);
/* A new name (Linux's dev_change_name): 0, -EINVAL (bad name), -EEXIST, -EBUSY (the device is up). */
int netdev_rename(struct net_device *dev, const char *name);
/* The flags as user space sees them (Linux's dev_get_flags: IFF_LOWER_UP while up). */
uint32_t netdev_user_flags(const struct net_device *dev);

/* /sys/class/net (sysfs_text.c): the attribute files a device has, and the statistics/ ones. */
extern const char *const netdev_attr_names[];
extern const char *const netdev_stat_names[];
/* The text of one (stat: of statistics/) in Linux's format: its length, -ENODEV, -ENOENT, -EINVAL. */
int netdev_attr_text(int ifindex, const char *name, bool stat, char *buf, size_t size);
/* The devices' indexes and names, at most max: how many. */
size_t netdev_list_all(int *index, char (*names)[IFNAMSIZ], size_t max);

/* The protocols' entry points, called by the receive task (kernel/net/ipv4). */
void ip_rcv(struct pkt *p);
void arp_rcv(struct pkt *p);
/* The packet sockets' taps (kernel/net/packet): a frame received (link header in place), one sent. */
void packet_tap_rx(struct pkt *p);
void packet_tap_tx(struct net_device *dev, struct pkt *p);
/* An interface's address or state changed: redo its connected route (kernel/net/ipv4/route.c). */
void route_dev_changed(struct net_device *dev);

/* Big-endian wire fields. */
static inline uint16_t get_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}
static inline uint32_t get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static inline void put_be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}
static inline void put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}
static inline uint16_t bswap16(uint16_t v)
{
	return (uint16_t)(v >> 8 | v << 8);
}
static inline uint32_t bswap32(uint32_t v)
{
	return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

#endif
