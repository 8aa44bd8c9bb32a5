// SPDX-License-Identifier: MPL-2.0
// Host tests of ext2_set_rdonly (kernel/fs/ext2/super.c), the library side
// of mount -o remount,ro|rw: a root booted read-only is made writable by
// init (doc/boot-disk.md).  Checked against the superblock's state and
// mount count, e2fsck -fn and debugfs.
#include "tap.h"
#include <errno.h>
#include "ext2_util.h"

#define SB_STATE_OFF	(1024 + 58)
#define SB_COUNT_OFF	(1024 + 52)
#define SB_RO_COMPAT	(1024 + 100)

static uint16_t sb16(const char *path, uint64_t off)
{
	uint16_t v = 0;

	peek(path, off, &v, 2);
	return v;
}

static struct ext2_fs *mount_img(struct img *im, const char *path, unsigned int flags)
{
	struct ext2_fs *fs = NULL;

	if (img_open(im, path))
		return NULL;
	if (ext2_mount(&im->io, flags, &fs)) {
		img_close(im);
		return NULL;
	}
	return fs;
}

/* Read-only to read-write and back, writing in between. */
static void ro_rw_ro(void)
{
	char path[1024];
	uint8_t buf[16];
	struct img im;
	struct ext2_fs *fs;
	uint32_t ino;
	uint16_t count0;

	if (make_image("remount", "-r 1 -b 1024", "8M", path, sizeof(path))) {
		ok(0, "remount: image");
		return;
	}
	count0 = sb16(path, SB_COUNT_OFF);
	fs = mount_img(&im, path, EXT2_MOUNT_RDONLY);
	if (!ok(fs != NULL, "remount: read-only mount"))
		return;
	is_int(ext2_create(fs, EXT2_ROOT_INO, "a", 1, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino),
	       -EROFS, "remount: read-only: EROFS");
	is_int(ext2_set_rdonly(fs, true), 0, "remount: ro to ro: nothing to do");
	is_int(im.writes, 0, "remount: nothing written while read-only");
	is_int(ext2_set_rdonly(fs, false), 0, "remount: read-write");
	ok(!ext2_is_rdonly(fs), "remount: no longer read-only");
	ok(!(sb16(path, SB_STATE_OFF) & 1), "remount: read-write: marked not clean");
	is_int(sb16(path, SB_COUNT_OFF), count0 + 1, "remount: mount count incremented");
	ok(!ext2_create(fs, EXT2_ROOT_INO, "a", 1, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino) &&
	   ext2_file_write(fs, ino, 0, (const uint8_t *)"written", 7) == 7,
	   "remount: write after remount rw");
	is_int(ext2_set_rdonly(fs, true), 0, "remount: read-only again");
	ok(ext2_is_rdonly(fs), "remount: read-only");
	is_int(sb16(path, SB_STATE_OFF) & 1, 1, "remount: read-only: marked clean");
	is_int(fsck_clean(path), 0, "remount: e2fsck -fn clean while mounted read-only");
	is_int(ext2_unmount(fs), 0, "remount: unmount");
	img_close(&im);
	memset(buf, 0, sizeof(buf));
	ok(debugfs_cat(path, "/a", buf, sizeof(buf)) == 7 && !memcmp(buf, "written", 7),
	   "remount: debugfs reads the file");
}

/* An unlinked file still referenced keeps the file system read-write. */
static void busy_unlinked(void)
{
	char path[1024];
	struct img im;
	struct ext2_fs *fs;
	uint32_t ino;

	if (make_image("remount-busy", "-r 1 -b 1024", "8M", path, sizeof(path))) {
		ok(0, "remount busy: image");
		return;
	}
	fs = mount_img(&im, path, 0);
	if (!ok(fs != NULL, "remount busy: mount"))
		return;
	ok(!ext2_create(fs, EXT2_ROOT_INO, "open", 4, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino) &&
	   !ext2_iget(fs, ino) && !ext2_unlink(fs, EXT2_ROOT_INO, "open", 4),
	   "remount busy: an open file unlinked");
	is_int(ext2_set_rdonly(fs, true), -EBUSY, "remount busy: read-only refused: EBUSY");
	ok(!ext2_is_rdonly(fs), "remount busy: still read-write");
	is_int(ext2_iput(fs, ino), 0, "remount busy: last reference gone: inode freed");
	is_int(ext2_set_rdonly(fs, true), 0, "remount busy: now read-only");
	is_int(ext2_unmount(fs), 0, "remount busy: unmount");
	img_close(&im);
	is_int(fsck_clean(path), 0, "remount busy: e2fsck -fn clean");
}

/* A read-only feature the driver lacks: never read-write (Linux's EROFS). */
static void ro_compat(void)
{
	char path[1024];
	struct img im;
	struct ext2_fs *fs;
	uint32_t feat = 0;

	if (make_image("remount-rocompat", "-r 1 -b 1024", "8M", path, sizeof(path))) {
		ok(0, "remount ro_compat: image");
		return;
	}
	peek(path, SB_RO_COMPAT, &feat, 4);
	feat |= 0x0008;		/* huge_file */
	patch(path, SB_RO_COMPAT, &feat, 4);
	fs = mount_img(&im, path, EXT2_MOUNT_RDONLY);
	if (!ok(fs != NULL, "remount ro_compat: mount"))
		return;
	is_int(ext2_set_rdonly(fs, false), -EROFS, "remount ro_compat: read-write refused: EROFS");
	ok(ext2_is_rdonly(fs), "remount ro_compat: still read-only");
	is_int(ext2_unmount(fs), 0, "remount ro_compat: unmount");
	is_int(im.writes, 0, "remount ro_compat: nothing written");
	img_close(&im);
}

int main(void)
{
	if (!ext2_tools_present()) {
		printf("1..0 # SKIP e2fsprogs (mke2fs, e2fsck, debugfs) not installed\n");
		return 0;
	}
	ext2_tmp_setup();
	ro_rw_ro();
	busy_unlinked();
	ro_compat();
	ext2_tmp_cleanup();
	return done();
}
