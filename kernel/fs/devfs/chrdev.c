// SPDX-License-Identifier: MPL-2.0
// The character-device registry and devtmpfs: a ramfs whose nodes mirror
// the registered devices (every devtmpfs mount sees nodes added later too).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/vfs.h"
#include "uapi/mount.h"

#define MAX_CHRDEVS	64
#define MAX_NODES	128
#define MAX_DEVFS_SB	8

struct chrdev {
	uint32_t major, first, count;
	int (*open)(struct file *f, uint32_t minor);
};

struct devnode {
	char name[32];
	uint32_t mode, rdev;
};

static struct chrdev chrdevs[MAX_CHRDEVS];
static size_t nr_chrdevs;
static struct devnode nodes[MAX_NODES];
static size_t nr_nodes;
static struct super_block *devfs_sbs[MAX_DEVFS_SB];
static size_t nr_devfs_sbs;
static struct mutex chrdev_lock = MUTEX_INIT;

/* Make /name in one devtmpfs (ns lock held). */
static void node_create(struct super_block *sb, const struct devnode *n)
{
	struct dentry *d = dentry_find_child(sb->root, n->name, strlen(n->name));

	if (d) {
		dentry_put(d);
		return;
	}
	if (vfs_create_child(sb->root, n->name, n->mode, n->rdev, &d) == 0) {
		d->inode->uid = d->inode->gid = 0;
		dentry_put(d);
	}
}

/*
 * The sysfs class of a character device, as Linux files them: mem for
 * major 1, tty for 4 and 5, none for the pty slaves (136-143, which
 * Linux leaves out of sysfs), misc otherwise.
 */
static const char *sysfs_class(uint32_t major)
{
	if (major == 1)
		return "mem";
	if (major == 4 || major == 5)
		return "tty";
	if (major >= 136 && major <= 143)
		return NULL;
	return "misc";
}

int devfs_add_node(const char *name, uint32_t mode, uint32_t rdev)
{
	struct devnode *n;

	if (strlen(name) >= sizeof(n->name) || strchr(name, '/'))
		return -EINVAL;
	mutex_lock(&chrdev_lock);
	if (nr_nodes == MAX_NODES) {
		mutex_unlock(&chrdev_lock);
		return -ENOSPC;
	}
	n = &nodes[nr_nodes++];
	strlcpy(n->name, name, sizeof(n->name));
	n->mode = mode;
	n->rdev = rdev;
	mutex_unlock(&chrdev_lock);
	mutex_lock(&vfs_ns_lock);
	for (size_t i = 0; i < nr_devfs_sbs; i++)
		node_create(devfs_sbs[i], n);
	mutex_unlock(&vfs_ns_lock);
	if (S_ISCHR(mode) && sysfs_class(MAJOR(rdev)))
		return sysfs_add_device(sysfs_class(MAJOR(rdev)), name, rdev, 0);
	return 0;
}

int chrdev_register(uint32_t major, uint32_t first, uint32_t count, const char *name,
		    int (*open)(struct file *f, uint32_t minor))
{
	if (!open || !count || major >= 4096 || first + count > 0x100000 || first + count < first)
		return -EINVAL;
	mutex_lock(&chrdev_lock);
	for (size_t i = 0; i < nr_chrdevs; i++) {
		struct chrdev *c = &chrdevs[i];

		if (c->major == major && first < c->first + c->count && c->first < first + count) {
			mutex_unlock(&chrdev_lock);
			return -EBUSY;
		}
	}
	if (nr_chrdevs == MAX_CHRDEVS) {
		mutex_unlock(&chrdev_lock);
		return -ENOSPC;
	}
	chrdevs[nr_chrdevs++] = (struct chrdev){ major, first, count, open };
	mutex_unlock(&chrdev_lock);
	if (count == 1 && name)
		return devfs_add_node(name, S_IFCHR | 0666, MKDEV(major, first));
	return 0;
}

int chrdev_open(struct file *f, uint32_t rdev)
{
	int (*open)(struct file *f, uint32_t minor) = NULL;

	mutex_lock(&chrdev_lock);
	for (size_t i = 0; i < nr_chrdevs; i++) {
		struct chrdev *c = &chrdevs[i];

		if (c->major == MAJOR(rdev) && MINOR(rdev) >= c->first &&
		    MINOR(rdev) < c->first + c->count)
			open = c->open;
	}
	mutex_unlock(&chrdev_lock);
	if (!open)
		return -ENXIO;
	if (f->mnt && (f->mnt->flags & MS_NODEV))
		return -EACCES;
	return open(f, MINOR(rdev));
}

void devtmpfs_populate(struct super_block *sb)
{
	mutex_lock(&chrdev_lock);
	if (nr_devfs_sbs < MAX_DEVFS_SB)
		devfs_sbs[nr_devfs_sbs++] = sb;
	mutex_lock(&vfs_ns_lock);
	for (size_t i = 0; i < nr_nodes; i++)
		node_create(sb, &nodes[i]);
	mutex_unlock(&vfs_ns_lock);
	mutex_unlock(&chrdev_lock);
}

static int devtmpfs_mount(const char *source, uint64_t flags, struct super_block **out)
{
	int err = ramfs_new_sb(&devtmpfs_type, out);

	(void)source;
	(void)flags;
	if (err)
		return err;
	(*out)->root->inode->mode = S_IFDIR | 0755;
	devtmpfs_populate(*out);
	return 0;
}

const struct fs_type devtmpfs_type = {
	.name = "devtmpfs", .magic = 0x01021994, .mount = devtmpfs_mount,
};
