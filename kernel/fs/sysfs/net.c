// SPDX-License-Identifier: MPL-2.0
// The network interfaces in sysfs: /sys/class/net/<ifname>/ with Linux's
// attribute files and statistics/, as of the devices registered when sysfs
// is mounted (they all are by then: drivers probe at boot).  Linux's
// entries are symlinks into /sys/devices; here they are the directories,
// named as at mount time.  Each file's inode keeps its device's index (in
// rdev, which a regular file has no other use for) and reads its text
// anew from the device (kernel/net/dev/sysfs_text.c); the files are
// read-only here (Linux lets root write mtu, flags and tx_queue_len).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/sysfs/attr.h"
#include "fs/sysfs/net.h"
#include "net/dev/netdev.h"

#define MAX_NETDEVS	16

/* The child name of dir with mode (found or made), with a reference. */
static int child(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out)
{
	struct dentry *d;
	int err = 0;

	mutex_lock(&vfs_ns_lock);
	d = dentry_find_child(dir, name, strlen(name));
	if (!d)
		err = vfs_create_child(dir, name, mode, 0, &d);
	mutex_unlock(&vfs_ns_lock);
	if (err)
		return err;
	d->inode->uid = d->inode->gid = 0;
	d->inode->mode = mode;
	*out = d;
	return 0;
}

/* One attribute file of the device ifindex in dir. */
static int attr_file(struct dentry *dir, const char *name, int ifindex)
{
	struct dentry *d;
	int err = child(dir, name, S_IFREG | 0444, &d);

	if (err)
		return err;
	d->inode->rdev = (uint32_t)ifindex;
	sysfs_attr_init(d->inode, SYSFS_ATTR_NET);
	dentry_put(d);
	return 0;
}

static int dev_dir(struct dentry *class_net, const char *name, int ifindex)
{
	struct dentry *dir, *stats;
	int err = child(class_net, name, S_IFDIR | 0755, &dir);

	if (err)
		return err;
	for (size_t i = 0; netdev_attr_names[i] && !err; i++)
		err = attr_file(dir, netdev_attr_names[i], ifindex);
	if (!err)
		err = child(dir, "statistics", S_IFDIR | 0755, &stats);
	if (!err) {
		for (size_t i = 0; netdev_stat_names[i] && !err; i++)
			err = attr_file(stats, netdev_stat_names[i], ifindex);
		dentry_put(stats);
	}
	dentry_put(dir);
	return err;
}

int sysfs_net_populate(struct super_block *sb)
{
	int *index = kmalloc(sizeof(int) * MAX_NETDEVS);
	char (*names)[IFNAMSIZ] = kmalloc(IFNAMSIZ * MAX_NETDEVS);
	struct dentry *class, *net;
	size_t n;
	int err = -ENOMEM;

	if (!index || !names)
		goto out;
	n = netdev_list_all(index, names, MAX_NETDEVS);
	err = child(sb->root, "class", S_IFDIR | 0755, &class);
	if (err)
		goto out;
	err = child(class, "net", S_IFDIR | 0755, &net);
	dentry_put(class);
	if (err)
		goto out;
	for (size_t i = 0; i < n && !err; i++)
		err = dev_dir(net, names[i], index[i]);
	dentry_put(net);
out:
	kfree(index);
	kfree(names);
	return err;
}
