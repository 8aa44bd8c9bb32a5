// SPDX-License-Identifier: MPL-2.0
// The network-device layer: packets, the device list, and the receive
// path (a bounded backlog filled from any context, drained by the "netrx"
// task, which dispatches each frame to ARP or IPv4 with no lock held).
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/task.h>
#include <aster/wait.h>
#include "net/dev/netdev.h"
#include "net/netlink/rtnl.h"

spinlock_t netdev_lock = SPINLOCK_INIT;
struct list_node netdev_list = { &netdev_list, &netdev_list };
static int next_index = 1;

static spinlock_t backlog_lock = SPINLOCK_INIT;
static struct list_node backlog = { &backlog, &backlog };
static unsigned int backlog_len;
static struct wait_queue backlog_wq = WAIT_QUEUE_INIT;

struct pkt *pkt_alloc(uint32_t headroom, uint32_t len)
{
	struct pkt *p;

	if (len > PKT_MAX_FRAME || headroom > PKT_HEADROOM * 2)
		return NULL;
	p = kzalloc(sizeof(*p));
	if (!p)
		return NULL;
	p->buf = kmalloc(headroom + len ? headroom + len : 1);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	list_init(&p->node);
	p->cap = headroom + len;
	p->head = headroom;
	p->len = len;
	return p;
}

void pkt_free(struct pkt *p)
{
	if (!p)
		return;
	kfree(p->buf);
	kfree(p);
}

uint8_t *pkt_push(struct pkt *p, uint32_t n)
{
	if (p->head < n)
		return NULL;
	p->head -= n;
	p->len += n;
	return pkt_data(p);
}

uint8_t *pkt_pull(struct pkt *p, uint32_t n)
{
	if (p->len < n)
		return NULL;
	p->head += n;
	p->len -= n;
	return pkt_data(p);
}

void pkt_trim(struct pkt *p, uint32_t len)
{
	if (len < p->len)
		p->len = len;
}

int netdev_register(struct net_device *dev)
{
	struct net_device *d;
	irqflags_t fl;

	if (!dev->name[0] || !dev->ops || !dev->ops->xmit)
		return -EINVAL;
	fl = spin_lock_irqsave(&netdev_lock);
	list_for_each_entry(d, &netdev_list, node) {
		if (!strcmp(d->name, dev->name)) {
			spin_unlock_irqrestore(&netdev_lock, fl);
			return -EEXIST;
		}
	}
	dev->index = next_index++;
	if (!dev->tx_queue_len)
		dev->tx_queue_len = 1000;
	list_add_tail(&netdev_list, &dev->node);
	spin_unlock_irqrestore(&netdev_lock, fl);
	pr_info("net: %s registered as interface %d\n", dev->name, dev->index);
	return 0;
}

struct net_device *netdev_by_name(const char *name)
{
	struct net_device *d, *found = NULL;
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);

	list_for_each_entry(d, &netdev_list, node) {
		if (!strncmp(d->name, name, IFNAMSIZ)) {
			found = d;
			break;
		}
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return found;
}

struct net_device *netdev_by_index(int index)
{
	struct net_device *d, *found = NULL;
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);

	list_for_each_entry(d, &netdev_list, node) {
		if (d->index == index) {
			found = d;
			break;
		}
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return found;
}

void netdev_count_rx(struct net_device *dev, uint32_t bytes, bool dropped, bool error)
{
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);

	if (error)
		dev->stats.rx_errors++;
	else if (dropped)
		dev->stats.rx_dropped++;
	else {
		dev->stats.rx_packets++;
		dev->stats.rx_bytes += bytes;
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
}

void netdev_rx(struct net_device *dev, struct pkt *p)
{
	irqflags_t fl = spin_lock_irqsave(&backlog_lock);
	bool full = backlog_len >= NETDEV_BACKLOG || !(dev->flags & IFF_UP);

	p->dev = dev;
	if (!full) {
		list_add_tail(&backlog, &p->node);
		backlog_len++;
	}
	spin_unlock_irqrestore(&backlog_lock, fl);
	if (full) {
		netdev_count_rx(dev, 0, true, false);
		pkt_free(p);
		return;
	}
	netdev_count_rx(dev, p->len, false, false);
	wake_up_one(&backlog_wq);
}

int netdev_xmit(struct net_device *dev, struct pkt *p)
{
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);
	bool up = dev->flags & IFF_UP;
	uint32_t len = p->len;
	int err;

	spin_unlock_irqrestore(&netdev_lock, fl);
	if (!up) {
		pkt_free(p);
		return -ENETDOWN;
	}
	packet_tap_tx(dev, p);
	err = dev->ops->xmit(dev, p);
	fl = spin_lock_irqsave(&netdev_lock);
	if (err) {
		dev->stats.tx_dropped++;
	} else {
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += len;
	}
	spin_unlock_irqrestore(&netdev_lock, fl);
	return err == -ENOSPC ? -ENOBUFS : err;
}

void netdev_set_up(struct net_device *dev, bool up)
{
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);
	bool was = dev->flags & IFF_UP;

	if (up)
		dev->flags |= IFF_UP | IFF_RUNNING;
	else
		dev->flags &= ~(uint32_t)(IFF_UP | IFF_RUNNING);
	spin_unlock_irqrestore(&netdev_lock, fl);
	if (was != up && dev->ops->set_up)
		dev->ops->set_up(dev, up);
	route_dev_changed(dev);
	if (was != up)
		rtnl_notify_link(dev, IFF_UP);
}

void netdev_change_flags(struct net_device *dev, uint32_t f)
{
	const uint32_t user = IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_PROMISC | IFF_ALLMULTI |
			      IFF_MULTICAST;
	irqflags_t fl = spin_lock_irqsave(&netdev_lock);
	uint32_t old = dev->flags;

	dev->flags = (dev->flags & ~user) | (f & user);
	spin_unlock_irqrestore(&netdev_lock, fl);
	if (!!(f & IFF_UP) != !!(old & IFF_UP))
		netdev_set_up(dev, f & IFF_UP);
	if ((old ^ f) & user)
		rtnl_notify_link(dev, (old ^ f) & user);
}

bool netdev_mtu_ok(const struct net_device *dev, int64_t mtu)
{
	return mtu >= 0 && mtu <= INT32_MAX && mtu >= dev->min_mtu &&
	       (!dev->max_mtu || mtu <= dev->max_mtu);
}

int netdev_set_mtu(struct net_device *dev, int64_t mtu)
{
	irqflags_t fl;
	bool changed;

	if (!netdev_mtu_ok(dev, mtu))
		return -EINVAL;
	fl = spin_lock_irqsave(&netdev_lock);
	changed = dev->mtu != (uint32_t)mtu;
	dev->mtu = (uint32_t)mtu;
	spin_unlock_irqrestore(&netdev_lock, fl);
	if (changed)
		rtnl_notify_link(dev, 0);
	return 0;
}

/* Linux's dev_valid_name. */
static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '/' || name[i] == ':' || name[i] == ' ' ||
		    (name[i] >= '\t' && name[i] <= '\r'))
			return false;
	}
	return true;
}

int netdev_rename(struct net_device *dev, const char *name)
{
	struct net_device *d;
	irqflags_t fl;
	int err = 0;

	if (!name_ok(name))
		return -EINVAL;
	fl = spin_lock_irqsave(&netdev_lock);
	if (!strcmp(dev->name, name)) {
		spin_unlock_irqrestore(&netdev_lock, fl);
		return 0;
	}
	list_for_each_entry(d, &netdev_list, node) {
		if (!strcmp(d->name, name))
			err = -EEXIST;
	}
	if (!err && (dev->flags & IFF_UP))
		err = -EBUSY;
	if (!err)
		strlcpy(dev->name, name, IFNAMSIZ);
	spin_unlock_irqrestore(&netdev_lock, fl);
	if (!err)
		rtnl_notify_link(dev, 0);
	return err;
}

uint32_t netdev_user_flags(const struct net_device *dev)
{
	return dev->flags | ((dev->flags & IFF_UP) ? IFF_LOWER_UP : 0);
}

/* ---- the receive task ---- */

static unsigned int polls_pending;

void netdev_schedule_poll(struct net_device *dev)
{
	irqflags_t fl = spin_lock_irqsave(&backlog_lock);

	if (!dev->poll_pending) {
		dev->poll_pending = true;
		polls_pending++;
	}
	spin_unlock_irqrestore(&backlog_lock, fl);
	wake_up_one(&backlog_wq);
}

/* The next device whose poll is due (its flag cleared), or NULL. */
static struct net_device *poll_next(void)
{
	struct net_device *d, *found = NULL;
	irqflags_t fl = spin_lock_irqsave(&backlog_lock);

	if (polls_pending) {
		list_for_each_entry(d, &netdev_list, node) {
			if (d->poll_pending) {
				d->poll_pending = false;
				polls_pending--;
				found = d;
				break;
			}
		}
	}
	spin_unlock_irqrestore(&backlog_lock, fl);
	return found;
}

static bool backlog_ready(void *arg)
{
	(void)arg;
	return !list_empty(&backlog) || polls_pending;
}

static struct pkt *backlog_pop(void)
{
	irqflags_t fl = spin_lock_irqsave(&backlog_lock);
	struct pkt *p = NULL;

	if (!list_empty(&backlog)) {
		p = list_entry(backlog.next, struct pkt, node);
		list_del(&p->node);
		backlog_len--;
	}
	spin_unlock_irqrestore(&backlog_lock, fl);
	return p;
}

static bool mac_is_broadcast(const uint8_t *m)
{
	for (int i = 0; i < ETH_ALEN; i++)
		if (m[i] != 0xff)
			return false;
	return true;
}

/* Strip and check an Ethernet header: false when the frame is not for us. */
static bool eth_input(struct pkt *p)
{
	const uint8_t *h = pkt_data(p);

	if (p->len < ETH_HLEN)
		return false;
	p->broadcast = mac_is_broadcast(h);
	if (!p->broadcast && memcmp(h, p->dev->mac, ETH_ALEN) && !(h[0] & 1))
		return false;
	p->proto = get_be16(h + 12);
	pkt_pull(p, ETH_HLEN);
	return true;
}

void netdev_input(struct pkt *p)
{
	packet_tap_rx(p);
	if (p->dev->type == ARPHRD_LOOPBACK) {
		p->proto = ETH_P_IP;
	} else if (!eth_input(p)) {
		pkt_free(p);
		return;
	}
	if (p->proto == ETH_P_IP)
		ip_rcv(p);
	else if (p->proto == ETH_P_ARP)
		arp_rcv(p);
	else
		pkt_free(p);
}

static void netrx_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct pkt *p;
		struct net_device *d;

		wait_event(&backlog_wq, backlog_ready, NULL);
		while ((d = poll_next())) {
			/* A device with more to give goes to the back of the line. */
			if (d->ops->poll && d->ops->poll(d, 64))
				netdev_schedule_poll(d);
			while ((p = backlog_pop()))
				netdev_input(p);
		}
		while ((p = backlog_pop()))
			netdev_input(p);
	}
}

static int netdev_init(void)
{
	return task_create("netrx", netrx_main, NULL) ? 0 : -ENOMEM;
}
KERNEL_INIT(netdev_init);
