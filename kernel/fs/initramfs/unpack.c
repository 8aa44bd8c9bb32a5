// SPDX-License-Identifier: MPL-2.0
// Unpack the initramfs (gzip or plain newc cpio, several archives back to
// back, zero padding between them) into the root ramfs.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include <aster/timer.h>
#include "fs/initramfs/unpack.h"
#include "fs/vfs.h"
#include "fs/initramfs/cpio.h"
#include "lib/inflate.h"

/* Refuse absurd gzip sizes: more than this much decompressed data. */
#define MAX_UNPACKED	(512ULL << 20)

static void set_attrs(struct dentry *d, const struct cpio_entry *e)
{
	struct inode *i = d->inode;

	mutex_lock(&i->lock);
	i->mode = (i->mode & S_IFMT) | (e->mode & 07777);
	i->uid = e->uid;
	i->gid = e->gid;
	i->mtime.sec = (int64_t)e->mtime;
	i->mtime.nsec = 0;
	mutex_unlock(&i->lock);
}

/* Remove a non-directory in the way of a new entry (as Linux's unpacker does). */
static void clear_path(const char *path, uint32_t mode)
{
	struct dentry *d;

	if (vfs_lookup(AT_FDCWD, path, 0, &d))
		return;
	if (S_ISDIR(d->inode->mode) && S_ISDIR(mode)) {
		dentry_put(d);
		return;
	}
	if (S_ISDIR(d->inode->mode))
		(void)vfs_rmdir(AT_FDCWD, path);
	else
		(void)vfs_unlink(AT_FDCWD, path);
	dentry_put(d);
}

static int make_entry(const struct cpio_entry *e, const char *path)
{
	uint32_t type = e->mode & S_IFMT;
	struct dentry *d = NULL;
	int err;

	clear_path(path, e->mode);
	switch (type) {
	case S_IFDIR:
		err = vfs_mkdir(AT_FDCWD, path, 0700);
		if (err == -EEXIST)
			err = 0;
		if (!err)
			err = vfs_lookup(AT_FDCWD, path, 0, &d);
		break;
	case S_IFLNK:
		if (e->size == 0 || e->size > PATH_MAX)
			return -EINVAL;
		err = vfs_create_child_path(path, S_IFLNK | 0777, 0, &d);
		if (!err)
			err = ramfs_set_data(d->inode, e->data, (size_t)e->size);
		break;
	case S_IFREG:
		err = vfs_create_child_path(path, S_IFREG | 0600, 0, &d);
		if (!err)
			err = ramfs_set_data(d->inode, e->data, (size_t)e->size);
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = vfs_create_child_path(path, type | 0600,
					    MKDEV(e->rdev_major & 0xfff, e->rdev_minor & 0xfffff), &d);
		break;
	default:
		return -EINVAL;
	}
	if (!err && d)
		set_attrs(d, e);
	if (d)
		dentry_put(d);
	return err;
}

int vfs_create_child_path(const char *path, uint32_t mode, uint32_t rdev, struct dentry **out)
{
	struct nameparent np;
	int err = vfs_lookup_parent(AT_FDCWD, path, &np);

	if (err)
		return err;
	if (np.dots) {
		nameparent_release(&np);
		return -EEXIST;
	}
	mutex_lock(&vfs_ns_lock);
	err = vfs_create_child(np.dir, np.last, mode, rdev, out);
	mutex_unlock(&vfs_ns_lock);
	nameparent_release(&np);
	return err;
}

/* Unpack cpio entries until the end, or a gzip member (*consumed: where it starts). */
static int unpack_cpio_until_gzip(const uint8_t *buf, size_t len, size_t *consumed)
{
	struct cpio_reader r;
	struct cpio_entry e;
	char *path = kmalloc(PATH_MAX + 2);
	int got, err = 0;

	if (!path)
		return -ENOMEM;
	cpio_reader_init(&r, buf, len);
	while ((got = cpio_next(&r, &e)) == 1) {
		const char *name = e.name;
		int n;

		while (name[0] == '/')
			name++;
		if (strcmp(name, ".") == 0 || !name[0])
			continue;
		if (strncmp(name, "./", 2) == 0)
			name += 2;
		n = (int)strlcpy(path + 1, name, PATH_MAX + 1);
		if (n >= PATH_MAX) {
			err = -ENAMETOOLONG;
			continue;
		}
		path[0] = '/';
		n = make_entry(&e, path);
		if (n && !err) {
			pr_warn("initramfs: %s: error %d\n", path, n);
			err = n;
		}
	}
	kfree(path);
	*consumed = r.pos;
	if (got == -EINVAL && gzip_detect(buf + r.pos, len - r.pos))
		return err;
	if (got < 0)
		return got;
	*consumed = len;
	return err;
}

int initramfs_unpack_cpio(const uint8_t *buf, size_t len)
{
	size_t used;

	return unpack_cpio_until_gzip(buf, len, &used);
}

/* One gzip member at buf: unpack it; *used is its compressed length. */
static int unpack_gzip(const uint8_t *buf, size_t len, size_t *used)
{
	uint64_t size = 0;
	size_t cap, written = 0;
	uint8_t *out;
	int err;

	/* ISIZE is the last 4 bytes of the member, but members may follow: grow on -ENOSPC. */
	cap = len * 4 + 4096;
	for (;;) {
		if (cap > MAX_UNPACKED)
			return -ENOMEM;
		out = kmalloc(cap);
		if (!out)
			return -ENOMEM;
		err = gunzip(buf, len, out, cap, &written, used);
		if (err != -ENOSPC)
			break;
		kfree(out);
		cap *= 2;
	}
	(void)size;
	if (!err)
		err = initramfs_unpack_cpio(out, written);
	kfree(out);
	return err;
}

int initramfs_unpack_buffer(const uint8_t *buf, size_t len)
{
	size_t pos = 0;
	int err = 0;

	while (pos < len && !err) {
		size_t used = 0;

		while (pos < len && buf[pos] == 0)
			pos++;
		if (pos >= len)
			break;
		if (gzip_detect(buf + pos, len - pos))
			err = unpack_gzip(buf + pos, len - pos, &used);
		else
			err = unpack_cpio_until_gzip(buf + pos, len - pos, &used);
		if (!used)
			break;
		pos += used;
	}
	return err;
}

int initramfs_unpack(void)
{
	size_t len = 0;
	const uint8_t *buf = boot_initrd(&len);
	uint64_t t0;
	int err;

	if (!buf || !len)
		return 0;
	t0 = clock_monotonic_ns();
	err = vfs_init_root();
	if (!err)
		err = initramfs_unpack_buffer(buf, len);
	if (err)
		pr_err("initramfs: unpacking failed: %d\n", err);
	else	/* boot time is mostly this: say how much (doc/bench.md) */
		pr_info("Unpacked initramfs (%zu bytes) in %llu ms\n", len,
			(unsigned long long)((clock_monotonic_ns() - t0) / NSEC_PER_MSEC));
	boot_initrd_release();
	return err;
}

void rootfs_prepare(void)
{
	int err = vfs_init_root();

	if (err)
		panic("VFS: cannot mount the root file system (%d)", err);
	(void)vfs_mkdir(AT_FDCWD, "/dev", 0755);
	(void)vfs_mknod(AT_FDCWD, "/dev/console", S_IFCHR | 0600, MKDEV(5, 1), NULL);
	(void)vfs_mkdir(AT_FDCWD, "/root", 0700);
	err = initramfs_unpack();
	if (err)
		pr_err("Initramfs unpacking failed: error %d\n", err);
}
