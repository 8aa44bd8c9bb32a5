/* SPDX-License-Identifier: MPL-2.0 */
/* Private to kernel/fs/sysfs/: the network interfaces' part of sysfs. */
#ifndef KERNEL_FS_SYSFS_NET_H
#define KERNEL_FS_SYSFS_NET_H
#include "fs/vfs.h"

/* /sys/class/net/<ifname>/{address,mtu,...,statistics/...} of the devices there are: 0 or -errno. */
int sysfs_net_populate(struct super_block *sb);

#endif
