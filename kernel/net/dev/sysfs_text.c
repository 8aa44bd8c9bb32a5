// SPDX-License-Identifier: MPL-2.0
// What /sys/class/net/<ifname>/ shows of a device, in Linux's formats
// (net/core/net-sysfs.c), computed at each read: address, broadcast,
// addr_len, mtu, flags (the device's own, without the RUNNING that Linux
// computes), ifindex, iflink, type, operstate, carrier (EINVAL while the
// interface is down, as Linux), tx_queue_len, and statistics/.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "net/dev/netdev.h"

const char *const netdev_attr_names[] = {
	"address", "broadcast", "addr_len", "mtu", "flags", "ifindex", "iflink", "type",
	"operstate", "carrier", "tx_queue_len", NULL,
};

const char *const netdev_stat_names[] = {
	"rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "tx_bytes", "tx_packets",
	"tx_errors", "tx_dropped", "multicast", NULL,
};

static int mac_text(char *buf, size_t size, const uint8_t *m)
{
	return snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2], m[3], m[4],
			m[5]);
}

static const char *oper_name(const struct net_device *d)
{
	if (!(d->flags & IFF_UP))
		return "down";
	return d->type == ARPHRD_LOOPBACK ? "unknown" : "up";
}

static int stat_text(const struct net_device *d, const char *name, char *buf, size_t size)
{
	const struct net_stats *s = &d->stats;
	uint64_t v;

	if (!strcmp(name, "rx_bytes"))
		v = s->rx_bytes;
	else if (!strcmp(name, "rx_packets"))
		v = s->rx_packets;
	else if (!strcmp(name, "rx_errors"))
		v = s->rx_errors;
	else if (!strcmp(name, "rx_dropped"))
		v = s->rx_dropped;
	else if (!strcmp(name, "tx_bytes"))
		v = s->tx_bytes;
	else if (!strcmp(name, "tx_packets"))
		v = s->tx_packets;
	else if (!strcmp(name, "tx_errors"))
		v = s->tx_errors;
	else if (!strcmp(name, "tx_dropped"))
		v = s->tx_dropped;
	else if (!strcmp(name, "multicast"))
		v = s->multicast;
	else
		return -ENOENT;
	return snprintf(buf, size, "%llu\n", (unsigned long long)v);
}

/* (netdev_lock held) */
static int attr_text(const struct net_device *d, const char *name, char *buf, size_t size)
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[ETH_ALEN];

	if (!strcmp(name, "address"))
		return mac_text(buf, size, d->mac);
	if (!strcmp(name, "broadcast"))
		return mac_text(buf, size, d->type == ARPHRD_ETHER ? bcast : zero);
	if (!strcmp(name, "addr_len"))
		return snprintf(buf, size, "%d\n", ETH_ALEN);
	if (!strcmp(name, "mtu"))
		return snprintf(buf, size, "%u\n", d->mtu);
	if (!strcmp(name, "flags"))
		return snprintf(buf, size, "0x%x\n", d->flags & ~(uint32_t)IFF_RUNNING);
	if (!strcmp(name, "ifindex") || !strcmp(name, "iflink"))
		return snprintf(buf, size, "%d\n", d->index);
	if (!strcmp(name, "type"))
		return snprintf(buf, size, "%u\n", d->type);
	if (!strcmp(name, "operstate"))
		return snprintf(buf, size, "%s\n", oper_name(d));
	if (!strcmp(name, "carrier"))
		return (d->flags & IFF_UP) ? snprintf(buf, size, "1\n") : -EINVAL;
	if (!strcmp(name, "tx_queue_len"))
		return snprintf(buf, size, "%u\n", d->tx_queue_len);
	return -ENOENT;
}

int netdev_attr_text(int ifindex, const char *name, bool stat, char *buf, size_t size)
{
	struct net_device *d = netdev_by_index(ifindex);
	irqflags_t fl;
	int n;

	if (!d)
		return -ENODEV;
	fl = spin_lock_irqsave(&netdev_lock);
	n = stat ? stat_text(d, name, buf, size) : attr_text(d, name, buf, size);
	spin_unlock_irqrestore(&netdev_lock, fl);
	return n < 0 ? n : (int)MIN((size_t)n, size - 1);
}

size_t netdev_list_all(int *index, char (*names)[IFNAMSIZ], size_t max)
{
	struct net_device *d;
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);
	size_t n = 0;

	list_for_each_entry(d, &netdev_list, node) {
		if (n == max)
			break;
		index[n] = d->index;
		strlcpy(names[n], d->name, IFNAMSIZ);
		n++;
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return n;
}
