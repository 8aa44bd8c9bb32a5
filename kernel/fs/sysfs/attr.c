// SPDX-License-Identifier: MPL-2.0
// sysfs attribute files.  The text lives in a ramfs file, but an attribute
// is not a ramfs file for its users: Linux's kernfs refuses writers of an
// attribute whose mode has no write bit (-EACCES at open, even for root),
// lets truncate succeed without changing anything, cannot mmap it, and
// hands what is written to the attribute's store method instead of
// keeping it (-EIO when it has none).  Root's fuzzing (trinity) relies on
// all of that staying true.
#include <aster/errno.h>
#include <aster/string.h>
#include "fs/file.h"
#include "fs/sysfs/attr.h"
#include "net/dev/netdev.h"
#include "uapi/fcntl.h"

/* Linux's UEVENT_HELPER_PATH_LEN. */
#define UEVENT_HELPER_MAX	256

static int attr_open(struct file *f)
{
	if ((f->flags & O_ACCMODE) != O_RDONLY && !(f->inode->mode & 0222))
		return -EACCES;
	return 0;
}

/* Linux's kernfs keeps the size: truncate and O_TRUNC succeed and change nothing. */
static int attr_setsize(struct inode *i, uint64_t size)
{
	(void)i;
	(void)size;
	return 0;
}

static const struct inode_ops attr_iops = {
	.open = attr_open,
	.setsize = attr_setsize,
};

/* The first word of a uevent write is one of the kobject actions (Linux's kobject_action_type). */
static bool uevent_action_ok(const char *s, size_t n)
{
	static const char *const actions[] = {
		"add", "remove", "change", "move", "online", "offline", "bind", "unbind",
	};
	size_t w = 0;

	while (w < n && s[w] != ' ' && s[w] != '\n' && s[w] != '\0')
		w++;
	for (size_t k = 0; k < ARRAY_SIZE(actions); k++)
		if (w == strlen(actions[k]) && memcmp(s, actions[k], w) == 0)
			return true;
	return false;
}

/*
 * A synthetic uevent: Linux sends it to uevent listeners (netlink, which
 * this kernel lacks, so nobody can be listening) and keeps the attribute's
 * text; an unknown action is -EINVAL.
 */
static ssize_t uevent_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	char text[64];
	size_t n = MIN(buf->len, sizeof(text));
	int err;

	(void)f;
	if (buf->len == 0)
		return 0;
	err = iobuf_read(buf, 0, text, n);
	if (err)
		return err;
	if (!uevent_action_ok(text, n))
		return -EINVAL;
	*pos += buf->len;
	return (ssize_t)buf->len;
}

/* Linux's uevent_helper_store: the path as written, without one trailing newline. */
static ssize_t helper_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	char text[UEVENT_HELPER_MAX + 1];	/* room for the newline shown back */
	size_t n = buf->len;
	int err;

	if (n + 1 > UEVENT_HELPER_MAX)
		return -ENOENT;
	err = iobuf_read(buf, 0, text, n);
	if (err)
		return err;
	if (n && text[n - 1] == '\n')
		n--;
	/* Shown back with one newline, as Linux's uevent_helper_show. */
	text[n++] = '\n';
	err = ramfs_set_data(f->inode, text, n);
	if (err)
		return err;
	*pos += buf->len;
	return (ssize_t)buf->len;
}

/* An attribute without a store method (Linux's kobj_attr_store). */
static ssize_t ro_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)f;
	(void)buf;
	(void)pos;
	return -EIO;
}

/*
 * A network device's attribute: its text made now from the device (the
 * file's name, and its directory's when that is statistics/), then read
 * as a ramfs file.
 */
static ssize_t net_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	const struct dentry *d = f->dentry, *dir = d ? d->parent : NULL;
	char text[64];
	int n;

	if (!d || !dir)
		return -EIO;
	n = netdev_attr_text((int)f->inode->rdev, d->name, !strcmp(dir->name, "statistics"), text,
			     sizeof(text));
	if (n < 0)
		return n;
	n = ramfs_set_data(f->inode, text, (size_t)n);
	return n < 0 ? n : ramfs_read_file(f, buf, pos);
}

static const struct file_ops net_fops = {
	.read = net_read,
	.write = ro_write,
	.llseek = vfs_generic_llseek,
};

static const struct file_ops ro_fops = {
	.read = ramfs_read_file,
	.write = ro_write,
	.llseek = vfs_generic_llseek,
};

static const struct file_ops uevent_fops = {
	.read = ramfs_read_file,
	.write = uevent_write,
	.llseek = vfs_generic_llseek,
};

static const struct file_ops helper_fops = {
	.read = ramfs_read_file,
	.write = helper_write,
	.llseek = vfs_generic_llseek,
};

void sysfs_attr_init(struct inode *i, enum sysfs_attr_kind kind)
{
	i->iops = &attr_iops;
	switch (kind) {
	case SYSFS_ATTR_UEVENT:
		i->fops = &uevent_fops;
		break;
	case SYSFS_ATTR_HELPER:
		i->fops = &helper_fops;
		break;
	case SYSFS_ATTR_NET:
		i->fops = &net_fops;
		break;
	default:
		i->fops = &ro_fops;
		break;
	}
}
