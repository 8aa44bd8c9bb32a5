// SPDX-License-Identifier: MPL-2.0
// The loopback device "lo": every packet sent is received again, through
// the receive task (never processed in the sender's call chain).  As on
// Linux it is 127.0.0.1/8, up at boot, MTU 65536.
#include <aster/boot.h>
#include "net/dev/netdev.h"
#include "uapi/rtnetlink.h"

static int lo_xmit(struct net_device *dev, struct pkt *p)
{
	netdev_rx(dev, p);
	return 0;
}

static const struct net_device_ops lo_ops = { .xmit = lo_xmit };

static struct net_device loopback_dev = {
	.name = "lo",
	.type = ARPHRD_LOOPBACK,
	.mtu = 65536,
	.min_mtu = 0,
	.max_mtu = 0,		/* none, as Linux's lo */
	.flags = IFF_LOOPBACK,
	.addr = 0x7f000001,
	.netmask = 0xff000000,
	.addr_scope = RT_SCOPE_HOST,
	.ops = &lo_ops,
};

static int loopback_init(void)
{
	int err = netdev_register(&loopback_dev);

	if (!err)
		netdev_set_up(&loopback_dev, true);
	return err;
}
KERNEL_INIT(loopback_init);
