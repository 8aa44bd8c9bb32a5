// SPDX-License-Identifier: MPL-2.0
// PACKET_ADD_MEMBERSHIP and PACKET_DROP_MEMBERSHIP, as Linux's packet_mc_add
// and packet_mc_drop: each socket's list of (device, type, address) with a
// count; PACKET_MR_PROMISC and PACKET_MR_ALLMULTI hold IFF_PROMISC and
// IFF_ALLMULTI on the device while any socket asks for them (a promiscuous
// device's frames for other hosts reach the taps as PACKET_OTHERHOST).
// As Linux, SIOCGIFFLAGS does not show them (it shows what the user set),
// so they are counted here, not in the device's flags.
// Our devices take every multicast frame already, so PACKET_MR_MULTICAST
// and PACKET_MR_UNICAST only record the address.  And /proc/net/packet.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/string.h>
#include "net/packet/packet.h"

/* Per interface index: how many memberships hold IFF_PROMISC / IFF_ALLMULTI. */
#define MAX_IFINDEX	64
static unsigned int promisc_refs[MAX_IFINDEX], allmulti_refs[MAX_IFINDEX];

bool packet_dev_promisc(const struct net_device *dev)
{
	return dev->index > 0 && dev->index < MAX_IFINDEX && promisc_refs[dev->index];
}

/* The device side of a membership: Linux's packet_dev_mc. */
static int dev_mc(struct net_device *dev, const struct packet_mc *mc, bool add)
{
	if (dev->index <= 0 || dev->index >= MAX_IFINDEX)
		return -ENOBUFS;
	switch (mc->type) {
	case PACKET_MR_MULTICAST:
	case PACKET_MR_UNICAST:
		return mc->alen == ETH_ALEN ? 0 : -EINVAL;
	case PACKET_MR_PROMISC:
		if (add)
			promisc_refs[dev->index]++;
		else
			promisc_refs[dev->index]--;
		return 0;
	case PACKET_MR_ALLMULTI:
		/* Our devices take every multicast frame: nothing to change. */
		if (add)
			allmulti_refs[dev->index]++;
		else
			allmulti_refs[dev->index]--;
		return 0;
	}
	return 0;	/* Linux accepts other types and does nothing for them */
}

static struct packet_mc *mc_find(struct packet_sock *sk, const struct linux_packet_mreq *mr)
{
	for (unsigned int i = 0; i < sk->nmc; i++) {
		struct packet_mc *m = &sk->mc[i];

		if (m->ifindex == mr->mr_ifindex && m->type == mr->mr_type && m->alen == mr->mr_alen &&
		    !memcmp(m->addr, mr->mr_address, m->alen))
			return m;
	}
	return NULL;
}

static void mc_remove(struct packet_sock *sk, struct packet_mc *m)
{
	size_t i = (size_t)(m - sk->mc);

	memmove(&sk->mc[i], &sk->mc[i + 1], (sk->nmc - i - 1) * sizeof(*m));
	sk->nmc--;
}

int packet_mc_change(struct packet_sock *sk, const struct linux_packet_mreq *mr, bool add)
{
	struct net_device *dev = netdev_by_index(mr->mr_ifindex);
	struct packet_mc *m, nm;
	int err;

	if (!add) {
		m = mc_find(sk, mr);
		if (!m)
			return 0;	/* Linux's packet_mc_drop: nothing to drop is no error */
		if (--m->count)
			return 0;
		if (dev)
			(void)dev_mc(dev, m, false);
		mc_remove(sk, m);
		return 0;
	}
	if (!dev)
		return -ENODEV;
	if (mr->mr_alen > ETH_ALEN)
		return -EINVAL;
	m = mc_find(sk, mr);
	if (m) {
		m->count++;
		return 0;
	}
	if (sk->nmc >= PACKET_MAX_MCLIST)
		return -ENOBUFS;
	memset(&nm, 0, sizeof(nm));
	nm.ifindex = mr->mr_ifindex;
	nm.type = mr->mr_type;
	nm.alen = mr->mr_alen;
	memcpy(nm.addr, mr->mr_address, nm.alen);
	nm.count = 1;
	err = dev_mc(dev, &nm, true);
	if (err)
		return err;
	sk->mc[sk->nmc++] = nm;
	return 0;
}

void packet_mc_release(struct packet_sock *sk)
{
	for (unsigned int i = 0; i < sk->nmc; i++) {
		struct net_device *dev = netdev_by_index(sk->mc[i].ifindex);

		if (dev)
			(void)dev_mc(dev, &sk->mc[i], false);
	}
	sk->nmc = 0;
}

/*
 * Linux's packet_seq_show.  The address column is zeros (kptr_restrict,
 * as /proc/net/unix); RefCnt is what Linux's would be: the socket, its
 * place on the list, and the protocol hook while it receives.
 */
size_t packet_proc_text(char *buf, size_t size)
{
	struct packet_sock *sk;
	size_t n;
	int k;

	k = snprintf(buf, size, "%-17sRefCnt Type Proto  Iface R Rmem   User   Inode\n", "sk");
	n = k > 0 ? MIN((size_t)k, size) : 0;
	mutex_lock(&packet_lock);
	list_for_each_entry(sk, &packet_socks, node) {
		if (n + 128 >= size)
			break;
		k = snprintf(buf + n, size - n, "0000000000000000 %-6d %-4d %04x   %-5d %1d %-6u %-6u %-6lu\n",
			     sk->running ? 3 : 2, sk->sock->type, (unsigned int)sk->num, sk->ifindex,
			     sk->running ? 1 : 0, sk->rmem, sk->uid, (unsigned long)sk->sock->ino);
		if (k < 0)
			break;
		n += (size_t)k;
	}
	mutex_unlock(&packet_lock);
	if (n < size)
		buf[n] = 0;
	return n;
}
