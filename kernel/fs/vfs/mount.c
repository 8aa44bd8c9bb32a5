// SPDX-License-Identifier: MPL-2.0
// Mounts: the file-system types, mount/umount, the root file system.
#include <aster/errno.h>
#include <aster/format.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "fs/vfs.h"
#include "uapi/mount.h"

struct list_node mount_list = LIST_INIT(mount_list);
struct dentry *vfs_root;
static uint32_t next_dev = 1;

static const struct fs_type *const fs_types[] = {
	&ramfs_type, &tmpfs_type, &devtmpfs_type, &procfs_type, &sysfs_type,
};

int fs_type_find(const char *name, const struct fs_type **out)
{
	for (size_t i = 0; i < ARRAY_SIZE(fs_types); i++) {
		if (strcmp(fs_types[i]->name, name) == 0) {
			*out = fs_types[i];
			return 0;
		}
	}
	return -ENODEV;
}

const struct fs_type *fs_type_nth(size_t i)
{
	return i < ARRAY_SIZE(fs_types) ? fs_types[i] : NULL;
}

uint32_t vfs_new_dev(void)
{
	/* Anonymous devices, major 0 as Linux gives virtual file systems. */
	return MKDEV(0, next_dev++);
}

static int mount_record(struct dentry *d, struct super_block *sb, const char *source,
			struct mount **out)
{
	struct mount *m = kzalloc(sizeof(*m));
	size_t n = strlen(source);
	char *src = kmalloc(n + 1);

	if (!m || !src) {
		kfree(m);
		kfree(src);
		return -ENOMEM;
	}
	memcpy(src, source, n + 1);
	m->source = src;
	m->sb = sb;
	m->mountpoint = d;
	if (d)
		dentry_get(d);
	list_init(&m->node);
	*out = m;
	return 0;
}

int vfs_mount_at(struct dentry *d, struct super_block *sb, const char *source)
{
	struct mount *m;
	int err = mount_record(d, sb, source, &m);

	if (err)
		return err;
	mutex_lock(&vfs_ns_lock);
	if (d->mounted) {
		mutex_unlock(&vfs_ns_lock);
		dentry_put(d);
		kfree(m);
		return -EBUSY;
	}
	sb->mnt = m;
	dentry_set_mounted(d, m);
	list_add_tail(&mount_list, &m->node);
	mutex_unlock(&vfs_ns_lock);
	return 0;
}

int vfs_init_root(void)
{
	struct super_block *sb;
	struct mount *m;
	int err;

	if (vfs_root)
		return 0;
	err = ramfs_type.mount("rootfs", 0, &sb);
	if (err)
		return err;
	err = mount_record(NULL, sb, "rootfs", &m);
	if (err)
		return err;
	/* The root mount has no mount point: sb->mnt stays NULL so ".." stops. */
	mutex_lock(&vfs_ns_lock);
	list_add_tail(&mount_list, &m->node);
	vfs_root = sb->root;
	dentry_get(vfs_root);
	mutex_unlock(&vfs_ns_lock);
	return 0;
}

int vfs_mount(const char *source, int dirfd, const char *target, const char *type,
	      uint64_t flags)
{
	const struct fs_type *t;
	struct super_block *sb;
	struct dentry *d;
	int err;

	if (vfs_current_fsuid() != 0)
		return -EPERM;
	err = vfs_lookup(dirfd, target, LOOKUP_FOLLOW, &d);
	if (err)
		return err;
	if (flags & MS_REMOUNT) {
		/* Flags only: accept on a mount root. */
		err = d == d->sb->root ? 0 : -EINVAL;
		if (!err)
			d->sb->mnt_flags = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
		dentry_put(d);
		return err;
	}
	if (flags & (MS_BIND | MS_MOVE)) {
		dentry_put(d);
		return -EINVAL;
	}
	if (!S_ISDIR(d->inode->mode)) {
		dentry_put(d);
		return -ENOTDIR;
	}
	err = fs_type_find(type, &t);
	if (!err)
		err = t->mount(source, flags, &sb);
	if (!err) {
		sb->mnt_flags = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
		err = vfs_mount_at(d, sb, source ? source : "none");
	}
	dentry_put(d);
	return err;
}

int vfs_umount(int dirfd, const char *target, int flags)
{
	struct dentry *d;
	struct mount *m;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (vfs_current_fsuid() != 0)
		return -EPERM;
	err = vfs_lookup(dirfd, target, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &d);
	if (err)
		return err;
	mutex_lock(&vfs_ns_lock);
	m = d->sb->mnt;
	if (d != d->sb->root || !m)
		err = -EINVAL;
	else if (d->mounted)
		err = -EBUSY;
	if (!err) {
		dentry_set_mounted(m->mountpoint, NULL);
		list_del(&m->node);
		d->sb->mnt = NULL;
	}
	mutex_unlock(&vfs_ns_lock);
	dentry_put(d);
	if (err)
		return err;
	/* The super block stays while files on it are open; it is just unreachable. */
	dentry_put(m->mountpoint);
	kfree(m->source);
	kfree(m);
	return 0;
}

size_t vfs_mounts_text(char *buf, size_t size)
{
	struct mount *m;
	size_t len = 0;
	char *path = kmalloc(PATH_MAX);

	if (!path || !size)
		return 0;
	buf[0] = 0;
	mutex_lock(&vfs_ns_lock);
	for (struct list_node *n_ = (&mount_list)->next; n_ != (&mount_list); n_ = n_->next) {
		m = container_of(n_, struct mount, node);
		const char *where = "/";
		int n;

		if (m->mountpoint) {
			n = dentry_path_locked(m->sb->root, vfs_root, path, PATH_MAX);
			if (n < 0)
				continue;
			where = path;
		}
		n = snprintf(buf + len, size - len, "%s %s %s %s 0 0\n", m->source, where,
			     m->sb->type->name, (m->sb->mnt_flags & MS_RDONLY) ? "ro" : "rw");
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	mutex_unlock(&vfs_ns_lock);
	kfree(path);
	return len;
}
