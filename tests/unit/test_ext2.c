// SPDX-License-Identifier: MPL-2.0
// Host tests of kernel/fs/ext2/ against e2fsprogs: images made by mke2fs in
// several shapes (revision 0 and 1, 1/2/4 KiB blocks, 128/256-byte inodes,
// with and without dir_index), written by the library (files of every
// mapping depth, a sparse file with data past 4 GiB, symlinks, devices,
// FIFOs, sockets, hard links), changed (truncate, unlink, rmdir, rename)
// and then checked by e2fsck -fn (no error) and debugfs (contents and
// metadata).  test_ext2_more.c has the bulk, limit and read-only cases,
// test_ext2_corrupt.c the corrupted images.
#include "tap.h"
#include <errno.h>
#include <sys/stat.h>
#include "ext2_util.h"

struct shape {
	const char *name, *opts;
	bool rev0;		/* no large files: writes past 2 GiB are EFBIG */
};

static const struct shape shapes[] = {
	{ "r1-1k-128-dx", "-r 1 -b 1024 -I 128 -O dir_index -m 0", false },
	{ "r1-2k-256", "-r 1 -b 2048 -I 256 -O ^dir_index", false },
	{ "r1-4k-256", "-r 1 -b 4096 -I 256", false },
	{ "r0-1k", "-r 0 -b 1024", true },
	{ "r0-4k", "-r 0 -b 4096", true },
};

/* Sizes reaching direct, single, double (and for 1 KiB blocks triple) indirect blocks. */
static const size_t file_sizes[] = { 0, 1, 1000, 12 * 1024, 70000, 300000, 4300000 };
#define NFILES	(sizeof(file_sizes) / sizeof(file_sizes[0]))
#define BIG_OFF	(5ULL << 30)	/* past 4 GiB: needs i_size_high */

static uint8_t bufa[4400000], bufb[4400000];

static struct ext2_fs *mount_img(struct img *im, const char *path, unsigned int flags)
{
	struct ext2_fs *fs = NULL;
	int err;

	if (img_open(im, path))
		return NULL;
	err = ext2_mount(&im->io, flags, &fs);
	if (err) {
		diag("mount %s: %d", path, err);
		img_close(im);
		return NULL;
	}
	return fs;
}

static void umount_img(struct img *im, struct ext2_fs *fs, const char *what)
{
	is_int(ext2_unmount(fs), 0, "%s: unmount", what);
	is_int(im->bad_writes, 0, "%s: no write past the image", what);
	img_close(im);
}

static int write_all(struct ext2_fs *fs, uint32_t ino, uint64_t off, const uint8_t *p, size_t n)
{
	ssize_t w = ext2_file_write(fs, ino, off, p, n);

	return w == (ssize_t)n ? 0 : (int)(w < 0 ? w : -EIO);
}

static void write_files(struct ext2_fs *fs, const char *sh)
{
	uint32_t d, ino;
	char name[32];

	is_int(ext2_mkdir(fs, EXT2_ROOT_INO, "d", 1, 0755, 1000, 100, &d), 0, "%s: mkdir /d", sh);
	for (size_t i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "f%zu", i);
		pattern(bufa, file_sizes[i], (uint32_t)i);
		ok(!ext2_create(fs, d, name, strlen(name), EXT2_S_IFREG | 0644, 0, 0, 1000, 100,
				&ino) && !write_all(fs, ino, 0, bufa, file_sizes[i]),
		   "%s: write /d/%s (%zu bytes)", sh, name, file_sizes[i]);
		memset(bufb, 0xaa, file_sizes[i] + 1);
		is_int(ext2_file_read(fs, ino, 0, bufb, file_sizes[i] + 1), file_sizes[i],
		       "%s: read back /d/%s", sh, name);
		ok(!memcmp(bufa, bufb, file_sizes[i]), "%s: same bytes in /d/%s", sh, name);
	}
}

static void sparse_file(struct ext2_fs *fs, const char *sh, bool rev0)
{
	uint32_t ino;
	struct ext2_stat st;
	uint8_t z[4096];

	if (rev0) {
		ok(!ext2_create(fs, EXT2_ROOT_INO, "sparse", 6, EXT2_S_IFREG | 0600, 0, 0, 0, 0,
				&ino) && !write_all(fs, ino, 0, (const uint8_t *)"start", 5),
		   "%s: sparse file", sh);
		is_int(ext2_file_write(fs, ino, BIG_OFF, (const uint8_t *)"x", 1), -EFBIG,
		       "%s: revision 0: no file past 2 GiB", sh);
		return;
	}
	ok(!ext2_create(fs, EXT2_ROOT_INO, "sparse", 6, EXT2_S_IFREG | 0600, 0, 0, 0, 0, &ino) &&
	   !write_all(fs, ino, 0, (const uint8_t *)"start", 5) &&
	   !write_all(fs, ino, BIG_OFF, (const uint8_t *)"far away", 8), "%s: sparse file", sh);
	ok(!ext2_getattr(fs, ino, &st) && st.size == BIG_OFF + 8, "%s: size past 4 GiB", sh);
	ok(st.blocks < 200, "%s: holes take no blocks (%llu sectors)", sh,
	   (unsigned long long)st.blocks);
	memset(z, 1, sizeof(z));
	ok(ext2_file_read(fs, ino, 1ULL << 30, z, sizeof(z)) == sizeof(z) && !z[0] && !z[4095],
	   "%s: a hole reads as zeros", sh);
	ok(ext2_file_read(fs, ino, BIG_OFF, z, 100) == 8 && !memcmp(z, "far away", 8),
	   "%s: data at 5 GiB", sh);
}

static void special_files(struct ext2_fs *fs, const char *sh)
{
	uint32_t ino, f0;
	static const char slow[] = "a/very/long/target/that/does/not/fit/in/the/sixty/bytes/"
				   "of/i_block/so/it/takes/a/block";
	char buf[256];
	struct ext2_stat st;

	ok(!ext2_symlink(fs, EXT2_ROOT_INO, "fast", 4, "d/f2", 4, 0, 0, &ino) &&
	   ext2_readlink(fs, ino, buf, sizeof(buf)) == 4 && !memcmp(buf, "d/f2", 4),
	   "%s: fast symlink", sh);
	ok(!ext2_getattr(fs, ino, &st) && st.blocks == 0, "%s: fast symlink has no block", sh);
	ok(!ext2_symlink(fs, EXT2_ROOT_INO, "slow", 4, slow, strlen(slow), 0, 0, &ino) &&
	   ext2_readlink(fs, ino, buf, sizeof(buf)) == (ssize_t)strlen(slow) &&
	   !memcmp(buf, slow, strlen(slow)), "%s: slow symlink", sh);
	ok(!ext2_create(fs, EXT2_ROOT_INO, "null", 4, EXT2_S_IFCHR | 0666, 1, 3, 0, 0, &ino) &&
	   !ext2_getattr(fs, ino, &st) && st.rdev_major == 1 && st.rdev_minor == 3,
	   "%s: char device 1:3 (old encoding)", sh);
	ok(!ext2_create(fs, EXT2_ROOT_INO, "bigdev", 6, EXT2_S_IFBLK | 0600, 259, 70000, 0, 0,
			&ino) && !ext2_getattr(fs, ino, &st) && st.rdev_major == 259 &&
	   st.rdev_minor == 70000, "%s: block device 259:70000 (new encoding)", sh);
	ok(!ext2_create(fs, EXT2_ROOT_INO, "fifo", 4, EXT2_S_IFIFO | 0600, 0, 0, 0, 0, &ino),
	   "%s: fifo", sh);
	ok(!ext2_create(fs, EXT2_ROOT_INO, "sock", 4, EXT2_S_IFSOCK | 0600, 0, 0, 0, 0, &ino),
	   "%s: socket", sh);
	ok(!ext2_path(fs, "/d/f2", &f0) && !ext2_link(fs, f0, EXT2_ROOT_INO, "hard", 4) &&
	   !ext2_getattr(fs, f0, &st) && st.nlink == 2, "%s: hard link", sh);
	is_int(ext2_create(fs, EXT2_ROOT_INO, "hard", 4, EXT2_S_IFREG, 0, 0, 0, 0, &ino), -EEXIST,
	       "%s: create over a name: EEXIST", sh);
	ok(!ext2_create(fs, EXT2_ROOT_INO, "uid", 3, EXT2_S_IFREG | 0600, 0, 0, 70000, 80000,
			&ino) && !ext2_getattr(fs, ino, &st) && st.uid == 70000 && st.gid == 80000,
	   "%s: 32-bit uid and gid", sh);
}

static void check_with_debugfs(const char *path, const char *sh, bool rev0)
{
	static char out[1 << 16];
	long n;

	pattern(bufa, file_sizes[5], 5);
	n = debugfs_cat(path, "/d/f5", bufb, sizeof(bufb));
	ok(n == (long)file_sizes[5] && !memcmp(bufa, bufb, file_sizes[5]),
	   "%s: debugfs cat /d/f5 matches", sh);
	pattern(bufa, file_sizes[6], 6);
	n = debugfs_cat(path, "/d/f6", bufb, sizeof(bufb));
	ok(n == (long)file_sizes[6] && !memcmp(bufa, bufb, file_sizes[6]),
	   "%s: debugfs cat /d/f6 matches", sh);
	debugfs_cmd(path, "stat /bigdev", out, sizeof(out));
	ok(strstr(out, "Device major/minor number: 259:70000") != NULL,
	   "%s: debugfs sees the device number", sh);
	debugfs_cmd(path, "stat /sparse", out, sizeof(out));
	ok(strstr(out, rev0 ? "Size: 5" : "Size: 5368709128") != NULL,
	   "%s: debugfs sees the sparse file's size", sh);
	debugfs_cmd(path, "ls -l /d", out, sizeof(out));
	ok(strstr(out, "1000    100") != NULL && strstr(out, "f6") != NULL,
	   "%s: debugfs ls -l /d shows owner and names", sh);
	debugfs_cmd(path, "stat /slow", out, sizeof(out));
	ok(strstr(out, "Type: symlink") != NULL, "%s: debugfs sees a symlink", sh);
}

static void change_files(struct ext2_fs *fs, const char *sh)
{
	uint32_t d, ino, e;
	struct ext2_stat st;
	uint8_t b[64];

	ok(!ext2_path(fs, "/d", &d), "%s: lookup /d after remount", sh);
	ok(!ext2_path(fs, "/d/f6", &ino) && !ext2_truncate(fs, ino, 5000) &&
	   !ext2_getattr(fs, ino, &st) && st.size == 5000, "%s: truncate 4.3 MB to 5000", sh);
	ok(!ext2_truncate(fs, ino, 9000) && ext2_file_read(fs, ino, 4990, b, 20) == 20 &&
	   b[10] == 0 && b[19] == 0, "%s: extended tail reads zeros", sh);
	ok(!ext2_path(fs, "/sparse", &ino) && !ext2_truncate(fs, ino, 3), "%s: truncate sparse", sh);
	is_int(ext2_unlink(fs, d, "f4", 2), 0, "%s: unlink /d/f4", sh);
	is_int(ext2_lookup(fs, d, "f4", 2, &ino), -ENOENT, "%s: /d/f4 is gone", sh);
	is_int(ext2_unlink(fs, EXT2_ROOT_INO, "d", 1), -EISDIR, "%s: unlink a dir: EISDIR", sh);
	is_int(ext2_rmdir(fs, EXT2_ROOT_INO, "d", 1), -ENOTEMPTY, "%s: rmdir non-empty", sh);
	ok(!ext2_mkdir(fs, EXT2_ROOT_INO, "e", 1, 0700, 0, 0, &e) &&
	   !ext2_mkdir(fs, e, "sub", 3, 0700, 0, 0, &ino), "%s: mkdir /e/sub", sh);
	is_int(ext2_rename(fs, d, "f3", 2, d, "g3", 2), 0, "%s: rename in a directory", sh);
	is_int(ext2_rename(fs, d, "g3", 2, e, "h3", 2), 0, "%s: rename across directories", sh);
	is_int(ext2_rename(fs, d, "f1", 2, e, "h3", 2), 0, "%s: rename over a file", sh);
	is_int(ext2_rename(fs, e, "sub", 3, d, "sub2", 4), 0, "%s: move a directory", sh);
	is_int(ext2_rename(fs, EXT2_ROOT_INO, "d", 1, d, "x", 1), -EINVAL,
	       "%s: move a directory below itself: EINVAL", sh);
	ok(!ext2_path(fs, "/d/sub2", &ino) && !ext2_getattr(fs, e, &st) && st.nlink == 2,
	   "%s: link counts follow the move", sh);
	is_int(ext2_rmdir(fs, d, "sub2", 4), 0, "%s: rmdir", sh);
	is_int(ext2_unlink(fs, EXT2_ROOT_INO, "hard", 4), 0, "%s: unlink a hard link", sh);
	ok(!ext2_path(fs, "/d/f2", &ino) && !ext2_getattr(fs, ino, &st) && st.nlink == 1,
	   "%s: link count back to 1", sh);
	is_int(ext2_unlink(fs, EXT2_ROOT_INO, "slow", 4), 0, "%s: unlink a slow symlink", sh);
}

static void one_shape(const struct shape *s)
{
	char path[512];
	struct img im;
	struct ext2_fs *fs;

	if (make_image(s->name, s->opts, "32M", path, sizeof(path))) {
		ok(0, "%s: mke2fs", s->name);
		return;
	}
	fs = mount_img(&im, path, 0);
	if (!ok(fs != NULL, "%s: mount", s->name))
		return;
	write_files(fs, s->name);
	sparse_file(fs, s->name, s->rev0);
	special_files(fs, s->name);
	umount_img(&im, fs, s->name);
	is_int(fsck_clean(path), 0, "%s: e2fsck -fn clean after writing", s->name);
	check_with_debugfs(path, s->name, s->rev0);
	fs = mount_img(&im, path, 0);
	if (!ok(fs != NULL, "%s: remount", s->name))
		return;
	change_files(fs, s->name);
	umount_img(&im, fs, s->name);
	is_int(fsck_clean(path), 0, "%s: e2fsck -fn clean after changes", s->name);
}

int main(void)
{
	if (!ext2_tools_present()) {
		printf("1..0 # SKIP e2fsprogs (mke2fs, e2fsck, debugfs) not installed\n");
		return 0;
	}
	ext2_tmp_setup();
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		one_shape(&shapes[i]);
	ext2_tmp_cleanup();
	return done();
}
