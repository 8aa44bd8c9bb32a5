// SPDX-License-Identifier: MPL-2.0
// The ext2 VFS glue: mounting a block device, the library's I/O over the
// block layer, the inode table, statfs, sync and unmount (doc/ext2.md).
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/log.h>
#include <aster/string.h>
#include "fs/ext2/vfs_glue.h"
#include "uapi/magic.h"
#include "uapi/mount.h"

/*
 * Move [off, off + len) through the bounce frame in windows of at most a
 * page aligned to the device's logical blocks; a write of part of a block
 * reads the block first.  Mount lock held (the bounce frame is the mount's).
 */
static int ext2v_rw(struct ext2_mount *m, bool wr, uint64_t off, uint8_t *rbuf,
		    const uint8_t *wbuf, size_t len)
{
	unsigned int lbs = bdev_logical_block_size(m->bdev);

	while (len) {
		uint64_t start = off - off % lbs;
		size_t skip = (size_t)(off - start);
		size_t win = skip + len;
		size_t n;
		int err;

		win = win >= PAGE_SIZE ? PAGE_SIZE : (win + lbs - 1) / lbs * lbs;
		n = MIN(len, win - skip);
		if (!wr || skip || n % lbs) {
			err = blk_submit(m->bdev, BLK_READ, start >> SECTOR_SHIFT, m->bounce, 0, win, 0);
			if (err)
				return err;
		}
		if (wr) {
			err = frame_write(m->bounce, skip, wbuf, n);
			if (!err)
				err = blk_submit(m->bdev, BLK_WRITE, start >> SECTOR_SHIFT, m->bounce, 0,
						 win, 0);
			wbuf += n;
		} else {
			err = frame_read(m->bounce, skip, rbuf, n);
			rbuf += n;
		}
		if (err)
			return err;
		off += n;
		len -= n;
	}
	return 0;
}

static int io_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return ext2v_rw(ctx, false, off, buf, NULL, len);
}

static int io_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return ext2v_rw(ctx, true, off, NULL, buf, len);
}

static int io_flush(void *ctx)
{
	struct ext2_mount *m = ctx;

	return blk_flush(m->bdev);
}

static int64_t io_now(void *ctx)
{
	(void)ctx;
	return vfs_now().sec;
}

/* ---- the inode table ---- */

static struct ext2_vnode **bucket(struct ext2_mount *m, uint32_t ino)
{
	return &m->hash[ino % EXT2V_BUCKETS];
}

static void fill_inode(struct inode *i, const struct ext2_stat *st)
{
	i->mode = st->mode;
	i->uid = st->uid;
	i->gid = st->gid;
	i->nlink = st->nlink;
	i->size = st->size;
	i->atime = (struct timespec64){ .sec = st->atime };
	i->mtime = (struct timespec64){ .sec = st->mtime };
	i->ctime = (struct timespec64){ .sec = st->ctime };
	i->btime = i->ctime;
	i->rdev = MKDEV(st->rdev_major, st->rdev_minor);
	i->blocks = st->blocks;
	i->fs_blocks = true;
}

void ext2v_refresh(struct ext2_mount *m, struct inode *i)
{
	struct ext2_stat st;

	if (ext2_getattr(m->fs, (uint32_t)i->ino, &st))
		return;
	i->nlink = st.nlink;
	i->blocks = st.blocks;
	/* A regular file's size is the VFS's (write and truncate keep it, ahead of the disk). */
	if (!S_ISREG(i->mode))
		i->size = st.size;
	i->mtime = (struct timespec64){ .sec = st.mtime };
	i->ctime = (struct timespec64){ .sec = st.ctime };
}

int ext2v_write_inode(struct ext2_mount *m, struct inode *i)
{
	struct ext2_setattr a = {
		.valid = EXT2_SET_MODE | EXT2_SET_UID | EXT2_SET_GID | EXT2_SET_ATIME |
			 EXT2_SET_MTIME | EXT2_SET_CTIME,
		.mode = (uint16_t)(i->mode & 07777), .uid = i->uid, .gid = i->gid,
		.atime = i->atime.sec, .mtime = i->mtime.sec, .ctime = i->ctime.sec,
	};

	if (i->nlink == 0 || ext2_is_rdonly(m->fs))
		return 0;
	return ext2_setattr(m->fs, (uint32_t)i->ino, &a);
}

int ext2v_iget(struct ext2_mount *m, uint32_t ino, struct inode **out)
{
	struct ext2_vnode *v;
	struct ext2_stat st;
	struct inode *i;
	int err;

	/* A vnode whose inode is being evicted (no references) is skipped. */
	for (v = *bucket(m, ino); v; v = v->next) {
		if (v->ino == ino && refcount_inc_not_zero(&v->vfs->refs)) {
			*out = v->vfs;
			return 0;
		}
	}
	err = ext2_getattr(m->fs, ino, &st);
	if (err)
		return err;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	err = inode_new(m->sb, st.mode, &i);
	if (err) {
		kfree(v);
		return err;
	}
	err = ext2_iget(m->fs, ino);
	if (err) {
		kfree(v);
		i->sb = NULL;	/* no evict for an inode never hashed */
		inode_put(i);
		return err;
	}
	fill_inode(i, &st);
	page_cache_init(&v->pc, &ext2v_pc_ops);
	i->ino = ino;
	i->priv = v;
	ext2v_set_ops(i);
	v->vfs = i;
	v->ino = ino;
	v->next = *bucket(m, ino);
	*bucket(m, ino) = v;
	*out = i;
	return 0;
}

/* The last reference of a VFS inode went: its attributes, then the library's reference. */
static void ext2v_evict(struct inode *i)
{
	struct ext2_mount *m = ext2v_mount(i->sb);
	struct ext2_vnode *v = i->priv, **pp;

	if (!v)
		return;
	/* The data first (not under our lock: write_pages takes it); an unlinked file's is lost. */
	if (S_ISREG(i->mode) && i->nlink)
		page_cache_writeback(&v->pc, 0, UINT64_MAX);
	page_cache_destroy(&v->pc);
	mutex_lock(&m->lock);
	for (pp = bucket(m, v->ino); *pp; pp = &(*pp)->next) {
		if (*pp == v) {
			*pp = v->next;
			break;
		}
	}
	ext2v_write_inode(m, i);
	ext2_iput(m->fs, v->ino);
	mutex_unlock(&m->lock);
	kfree(v);
}

/* ---- statfs, sync ---- */

static int ext2v_statfs(struct super_block *sb, struct linux_statfs *st)
{
	struct ext2_mount *m = ext2v_mount(sb);
	struct ext2_statfs s;

	mutex_lock(&m->lock);
	ext2_statfs(m->fs, &s);
	mutex_unlock(&m->lock);
	st->f_bsize = (int64_t)s.block_size;
	st->f_frsize = (int64_t)s.block_size;
	st->f_blocks = s.blocks;
	st->f_bfree = s.free_blocks;
	st->f_bavail = s.avail_blocks;
	st->f_files = s.inodes;
	st->f_ffree = s.free_inodes;
	st->f_namelen = s.name_len;
	memcpy(&st->f_fsid[0], &s.uuid[0], 4);
	memcpy(&st->f_fsid[1], &s.uuid[4], 4);
	return 0;
}

/* Every live inode's attributes, then the library's metadata and the device. */
static int ext2v_sync(struct super_block *sb)
{
	struct ext2_mount *m = ext2v_mount(sb);
	int err;

	/* File data first, without our lock (write_pages takes it). */
	err = page_cache_sync_all();
	mutex_lock(&m->lock);
	if (ext2_is_rdonly(m->fs)) {
		mutex_unlock(&m->lock);
		return 0;
	}
	for (size_t b = 0; b < EXT2V_BUCKETS; b++)
		for (struct ext2_vnode *v = m->hash[b]; v; v = v->next)
			if (refcount_read(&v->vfs->refs) > 0)
				ext2v_write_inode(m, v->vfs);
	if (!err)
		err = ext2_sync(m->fs);
	else
		ext2_sync(m->fs);
	mutex_unlock(&m->lock);
	return err;
}

/*
 * fsync's part after the file's pages: its inode, then the metadata
 * (bitmaps, indirect blocks, directories: the library does not tell whose
 * they are) and a device flush.  Other files' data stays in the cache, as
 * Linux's ext2 fsync leaves it.
 */
int ext2v_sync_inode(struct inode *i)
{
	struct ext2_mount *m = ext2v_mount(i->sb);
	int err = 0;

	mutex_lock(&m->lock);
	if (!ext2_is_rdonly(m->fs)) {
		err = ext2v_write_inode(m, i);
		if (!err)
			err = ext2_sync(m->fs);
	}
	mutex_unlock(&m->lock);
	return err;
}

/* ---- mount ---- */

/* The block device a path names: a reference, or -ENOTBLK/-ENXIO/lookup's error. */
static int source_bdev(const char *source, struct block_device **out)
{
	struct dentry *d;
	uint32_t rdev;
	bool blk;
	int err = vfs_lookup(AT_FDCWD, source, LOOKUP_FOLLOW, &d);

	if (err)
		return err;
	blk = S_ISBLK(d->inode->mode);
	rdev = d->inode->rdev;
	err = blk ? inode_permission(d->inode, MAY_READ) : -ENOTBLK;
	dentry_put(d);
	if (err)
		return err;
	*out = bdev_get(rdev);
	return *out ? 0 : -ENXIO;
}

/*
 * The mounted devices, so a second mount of one shares its super block
 * (as Linux's sget): two ext2 instances on one device would each believe
 * they own its bitmaps.
 */
static struct mutex live_lock = MUTEX_INIT;
static struct ext2_mount *live_mounts;

static void live_remove(struct ext2_mount *m)
{
	mutex_lock(&live_lock);
	for (struct ext2_mount **pp = &live_mounts; *pp; pp = &(*pp)->next_live) {
		if (*pp == m) {
			*pp = m->next_live;
			break;
		}
	}
	mutex_unlock(&live_lock);
}

/*
 * The super block already mounted from bdev (live_lock held): 1 and *out,
 * with a mount count for the caller (see fs_type.mount_data), 0 when
 * there is none, -EBUSY when it is going away or the read-only flag
 * differs (Linux refuses that too: remount instead).
 */
static int live_find(struct block_device *bdev, uint64_t flags, struct super_block **out)
{
	for (struct ext2_mount *m = live_mounts; m; m = m->next_live) {
		if (m->bdev != bdev)
			continue;
		if ((flags ^ m->sb->flags) & MS_RDONLY)
			return -EBUSY;
		/* Its last mount may be going now: then wait for no one, refuse. */
		if (!sb_mount_get_live(m->sb))
			return -EBUSY;
		*out = m->sb;
		return 1;
	}
	return 0;
}

static void ext2v_free_mount(struct ext2_mount *m)
{
	if (m->bounce)
		frame_put(m->bounce);
	if (m->bdev)
		bdev_put(m->bdev);
	kfree(m);
}

/*
 * The last mount went and the last inode with it: write everything back,
 * mark the file system clean (ext2_unmount), give up the device.
 */
static void ext2v_destroy(struct super_block *sb)
{
	struct ext2_mount *m = ext2v_mount(sb);
	int err;

	live_remove(m);
	mutex_lock(&m->lock);
	err = ext2_unmount(m->fs);
	mutex_unlock(&m->lock);
	if (err)
		pr_err("EXT2-fs (%s): error %d writing back at unmount\n", bdev_name(m->bdev), err);
	bdev_release(m->bdev, &ext2_type);
	ext2v_free_mount(m);
	kfree(sb);
}

static int ext2v_new_sb(struct ext2_mount *m, struct super_block **out)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct inode *root;
	int err;

	if (!sb)
		return -ENOMEM;
	sb->type = &ext2_type;
	sb->dev = bdev_dev(m->bdev);
	sb->priv = m;
	sb->evict = ext2v_evict;
	sb->statfs = ext2v_statfs;
	sb->sync = ext2v_sync;
	sb->set_rdonly = ext2v_set_rdonly;
	sb->show_options = ext2v_show_options;
	sb->remount = ext2v_remount_options;
	/* The cached dentries pin inodes: dropped at the last umount, then destroy. */
	sb->kill = dentry_kill_tree;
	sb->destroy = ext2v_destroy;
	m->sb = sb;
	mutex_lock(&m->lock);
	err = ext2v_iget(m, EXT2_ROOT_INO, &root);
	mutex_unlock(&m->lock);
	if (!err && !S_ISDIR(root->mode)) {
		pr_err("EXT2-fs (%s): root is not a directory\n", bdev_name(m->bdev));
		inode_put(root);
		err = -EUCLEAN;
	}
	if (!err) {
		err = dentry_new_root(sb, root, &sb->root);
		inode_put(root);
	}
	if (err) {
		kfree(sb);
		return err;
	}
	*out = sb;
	return 0;
}

/* The superblock's s_errors (continue when unknown), for errors= in /proc/mounts. */
static uint16_t read_def_errors(struct ext2_mount *m)
{
	uint8_t b[2] = { 0, 0 };
	uint16_t e;

	mutex_lock(&m->lock);
	(void)ext2v_rw(m, false, EXT2V_SB_ERRORS, b, NULL, sizeof(b));
	mutex_unlock(&m->lock);
	e = (uint16_t)(b[0] | b[1] << 8);
	return e >= EXT2V_ERRORS_CONTINUE && e <= EXT2V_ERRORS_PANIC ? e : EXT2V_ERRORS_CONTINUE;
}

/* A first mount of m->bdev (live_lock held): claim it, read it, add it to the list. */
static int ext2v_mount_new(struct ext2_mount *m, uint64_t flags, struct super_block **out)
{
	struct ext2_io io;
	int err = bdev_claim(m->bdev, &ext2_type);

	if (err)
		return err;
	io = (struct ext2_io){ .ctx = m, .read = io_read, .write = io_write, .flush = io_flush,
			       .now = io_now,
			       .size = bdev_nr_sectors(m->bdev) << SECTOR_SHIFT };
	mutex_lock(&m->lock);
	err = ext2_mount(&io, (flags & MS_RDONLY) ? EXT2_MOUNT_RDONLY : 0, &m->fs);
	mutex_unlock(&m->lock);
	if (!err) {
		err = ext2v_new_sb(m, out);
		if (err) {
			mutex_lock(&m->lock);
			ext2_unmount(m->fs);
			mutex_unlock(&m->lock);
		}
	}
	if (err) {
		bdev_release(m->bdev, &ext2_type);
		return err;
	}
	if (flags & MS_RDONLY)
		(*out)->flags |= MS_RDONLY;
	m->def_errors = read_def_errors(m);
	m->next_live = live_mounts;
	live_mounts = m;
	return 0;
}

static int ext2v_mount_fs(const char *source, uint64_t flags, uint16_t errors,
			  struct super_block **out)
{
	struct ext2_mount *m = kzalloc(sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	mutex_init(&m->lock);
	m->errors = errors;
	err = source_bdev(source, &m->bdev);
	if (!err) {
		m->bounce = frame_alloc(0);
		if (!m->bounce)
			err = -ENOMEM;
	}
	if (err) {
		ext2v_free_mount(m);
		return err;
	}
	if (bdev_read_only(m->bdev))
		flags |= MS_RDONLY;
	mutex_lock(&live_lock);
	err = live_find(m->bdev, flags, out);
	if (err == 0)
		err = ext2v_mount_new(m, flags, out);
	mutex_unlock(&live_lock);
	if (err != 0)
		ext2v_free_mount(m);
	return err;
}

static int ext2v_mount_data(const char *source, uint64_t flags, const char *data,
			    struct super_block **out)
{
	uint16_t errors;
	/* A second mount of a mounted device ignores them, as Linux's sget. */
	int err = ext2v_parse_options(data, &errors);

	return err ? err : ext2v_mount_fs(source, flags, errors, out);
}

const struct fs_type ext2_type = {
	.name = "ext2", .magic = EXT2_SUPER_MAGIC, .mount_data = ext2v_mount_data,
	.requires_dev = true,
};
