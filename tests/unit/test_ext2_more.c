// SPDX-License-Identifier: MPL-2.0
// More host tests of kernel/fs/ext2/ against e2fsprogs: 10,000 files in
// one directory, a disk filled to ENOSPC and freed again, inode
// exhaustion, an unlinked file kept while referenced, readdir resumed at
// every entry, an htree directory (built by e2fsck -D) read and changed,
// the superblock's state across mount and unmount, feature flags, and an
// image populated by mke2fs -d read back byte for byte.
#include "tap.h"
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "ext2_util.h"

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

struct count {
	unsigned long n;
	bool seen, one;		/* one: take one entry per readdir call */
};

static int count_fill(void *ctx, const char *name, size_t len, uint32_t ino, unsigned int ftype,
		      uint64_t next)
{
	struct count *c = ctx;

	(void)name;
	(void)len;
	(void)ino;
	(void)ftype;
	(void)next;
	if (c->one && c->seen)
		return 1;	/* stop: this entry is left for the next call */
	c->seen = true;
	c->n++;
	return 0;
}

static void many_files(void)
{
	char path[512], name[32];
	struct img im;
	struct ext2_fs *fs;
	uint32_t d, ino;
	int bad = 0;
	struct count c = { 0 };
	uint64_t pos = 0;

	if (make_image("many", "-b 4096 -N 12000", "64M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "many: image");
		return;
	}
	ok(!ext2_mkdir(fs, EXT2_ROOT_INO, "m", 1, 0755, 0, 0, &d), "many: mkdir");
	for (int i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "file-%05d", i);
		if (ext2_create(fs, d, name, strlen(name), EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino) ||
		    ext2_file_write(fs, ino, 0, (const uint8_t *)name, 10) != 10)
			bad++;
	}
	is_int(bad, 0, "many: 10,000 files created and written");
	is_int(ext2_readdir(fs, d, &pos, count_fill, &c), 0, "many: readdir");
	is_int(c.n, 10002, "many: readdir sees 10,000 files and . and ..");
	ok(!ext2_lookup(fs, d, "file-07777", 10, &ino), "many: lookup one");
	umount_img(&im, fs, "many");
	is_int(fsck_clean(path), 0, "many: e2fsck -fn clean with 10,000 files");
	fs = mount_img(&im, path, 0);
	if (!ok(fs != NULL, "many: remount"))
		return;
	bad = 0;
	for (int i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "file-%05d", i);
		if (ext2_unlink(fs, d, name, strlen(name)))
			bad++;
	}
	is_int(bad, 0, "many: 10,000 files unlinked");
	is_int(ext2_dir_is_empty(fs, d), 1, "many: directory empty");
	is_int(ext2_rmdir(fs, EXT2_ROOT_INO, "m", 1), 0, "many: rmdir");
	umount_img(&im, fs, "many");
	is_int(fsck_clean(path), 0, "many: e2fsck -fn clean after deleting them");
}

static void fill_disk(void)
{
	char path[512];
	struct img im;
	struct ext2_fs *fs;
	struct ext2_statfs before, full, after;
	static uint8_t chunk[65536];
	static char out[1 << 14];
	const char *p;
	uint32_t ino;
	uint64_t off = 0;
	ssize_t w;

	if (make_image("small", "-b 1024 -m 0", "2M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "enospc: image");
		return;
	}
	ext2_statfs(fs, &before);
	pattern(chunk, sizeof(chunk), 9);
	ok(!ext2_create(fs, EXT2_ROOT_INO, "big", 3, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino),
	   "enospc: create");
	while ((w = ext2_file_write(fs, ino, off, chunk, sizeof(chunk))) > 0)
		off += (uint64_t)w;
	is_int(w, -ENOSPC, "enospc: writing until the disk is full gives ENOSPC");
	ext2_statfs(fs, &full);
	is_int(full.free_blocks, 0, "enospc: no free block left");
	ok(off > 1500 * 1024, "enospc: most of the disk was written (%llu bytes)",
	   (unsigned long long)off);
	umount_img(&im, fs, "enospc");
	is_int(fsck_clean(path), 0, "enospc: e2fsck -fn clean on a full disk");
	fs = mount_img(&im, path, 0);
	if (!ok(fs != NULL, "enospc: remount"))
		return;
	is_int(ext2_unlink(fs, EXT2_ROOT_INO, "big", 3), 0, "enospc: unlink the big file");
	ext2_statfs(fs, &after);
	is_int(after.free_blocks, before.free_blocks, "enospc: every block is free again");
	umount_img(&im, fs, "enospc");
	is_int(fsck_clean(path), 0, "enospc: e2fsck -fn clean after freeing");
	debugfs_cmd(path, "stats", out, sizeof(out));
	p = strstr(out, "Free blocks:");
	ok(p && strtoull(p + 12, NULL, 10) == after.free_blocks, "enospc: statfs free blocks as debugfs");
	p = strstr(out, "Free inodes:");
	ok(p && strtoull(p + 12, NULL, 10) == after.free_inodes, "enospc: statfs free inodes as debugfs");
	p = strstr(out, "Block count:");
	ok(p && strtoull(p + 12, NULL, 10) > after.blocks && after.name_len == 255 &&
	   after.block_size == 1024, "enospc: statfs size figures");
}

static void inode_exhaustion(void)
{
	char path[512], name[16];
	struct img im;
	struct ext2_fs *fs;
	uint32_t ino;
	int err = 0, n = 0;

	if (make_image("fewinodes", "-b 1024 -N 32", "4M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "inodes: image");
		return;
	}
	while (n < 1000) {
		snprintf(name, sizeof(name), "i%d", n);
		err = ext2_create(fs, EXT2_ROOT_INO, name, strlen(name), EXT2_S_IFREG | 0600, 0, 0,
				  0, 0, &ino);
		if (err)
			break;
		n++;
	}
	is_int(err, -ENOSPC, "inodes: ENOSPC when the inodes run out (after %d)", n);
	ok(n > 10 && n < 64, "inodes: as many files as free inodes");
	umount_img(&im, fs, "inodes");
	is_int(fsck_clean(path), 0, "inodes: e2fsck -fn clean");
}

static void orphan(void)
{
	char path[512], out[4096];
	struct img im;
	struct ext2_fs *fs;
	struct ext2_stat st;
	uint32_t ino, ino2;
	uint8_t b[8];

	if (make_image("orphan", "-b 1024", "8M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "orphan: image");
		return;
	}
	ext2_create(fs, EXT2_ROOT_INO, "o", 1, EXT2_S_IFREG | 0600, 0, 0, 0, 0, &ino);
	ext2_file_write(fs, ino, 0, (const uint8_t *)"contents", 8);
	is_int(ext2_iget(fs, ino), 0, "orphan: open (iget)");
	is_int(ext2_unlink(fs, EXT2_ROOT_INO, "o", 1), 0, "orphan: unlink while open");
	ok(!ext2_getattr(fs, ino, &st) && st.nlink == 0 && st.size == 8,
	   "orphan: inode kept with link count 0");
	ok(ext2_file_read(fs, ino, 0, b, 8) == 8 && !memcmp(b, "contents", 8),
	   "orphan: still readable");
	is_int(ext2_iput(fs, ino), 0, "orphan: last reference dropped");
	ok(!ext2_getattr(fs, ino, &st) && st.size == 0 && st.blocks == 0,
	   "orphan: freed at the last iput");
	ext2_create(fs, EXT2_ROOT_INO, "p", 1, EXT2_S_IFREG | 0600, 0, 0, 0, 0, &ino2);
	ext2_file_write(fs, ino2, 0, (const uint8_t *)"contents", 8);
	ext2_iget(fs, ino2);
	ext2_unlink(fs, EXT2_ROOT_INO, "p", 1);
	umount_img(&im, fs, "orphan");
	is_int(fsck_clean(path), 0, "orphan: e2fsck -fn clean (an open orphan freed at unmount)");
	debugfs_cmd(path, "testi <12>", out, sizeof(out));
	ok(strstr(out, "not in use") != NULL, "orphan: inode bitmap bit cleared");
}

static void readdir_resume(void)
{
	char path[512], name[16];
	struct img im;
	struct ext2_fs *fs;
	uint32_t ino;
	struct count c = { .one = true };
	uint64_t pos = 0;
	int rounds = 0;

	if (make_image("resume", "-b 1024", "8M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "resume: image");
		return;
	}
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "entry%d", i);
		ext2_create(fs, EXT2_ROOT_INO, name, strlen(name), EXT2_S_IFREG, 0, 0, 0, 0, &ino);
	}
	ext2_unlink(fs, EXT2_ROOT_INO, "entry50", 7);
	while (rounds++ < 1000) {
		c.seen = false;
		if (ext2_readdir(fs, EXT2_ROOT_INO, &pos, count_fill, &c) || !c.seen)
			break;
	}
	is_int(c.n, 202, "resume: one entry per call, each exactly once (. .. lost+found 199)");
	pos += 100;
	{
		uint64_t past = pos;

		c.seen = false;
		ok(!ext2_readdir(fs, EXT2_ROOT_INO, &pos, count_fill, &c) && !c.seen && pos == past,
		   "resume: past the end: nothing, position kept");
	}
	umount_img(&im, fs, "resume");
}

static void htree(void)
{
	char path[512], name[32], out[8192];
	struct img im;
	struct ext2_fs *fs;
	uint32_t d, ino;
	int bad = 0;

	if (make_image("htree", "-b 1024 -O dir_index", "16M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "htree: image");
		return;
	}
	ext2_mkdir(fs, EXT2_ROOT_INO, "h", 1, 0755, 0, 0, &d);
	for (int i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "a-rather-long-file-name-%04d", i);
		ext2_create(fs, d, name, strlen(name), EXT2_S_IFREG, 0, 0, 0, 0, &ino);
	}
	umount_img(&im, fs, "htree");
	run(out, sizeof(out), "PATH=$PATH:/sbin:/usr/sbin e2fsck -fyD '%s'", path);
	debugfs_cmd(path, "stat /h", out, sizeof(out));
	ok(strstr(out, "Flags: 0x1000") != NULL, "htree: e2fsck -D indexed the directory");
	fs = mount_img(&im, path, 0);
	if (!ok(fs != NULL, "htree: mount"))
		return;
	ok(!ext2_path(fs, "/h", &d), "htree: lookup");
	for (int i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "a-rather-long-file-name-%04d", i);
		if (ext2_lookup(fs, d, name, strlen(name), &ino))
			bad++;
	}
	is_int(bad, 0, "htree: every name found read as linear");
	ok(!ext2_create(fs, d, "new", 3, EXT2_S_IFREG, 0, 0, 0, 0, &ino) &&
	   !ext2_unlink(fs, d, "a-rather-long-file-name-0007", 28), "htree: change it");
	umount_img(&im, fs, "htree");
	debugfs_cmd(path, "stat /h", out, sizeof(out));
	ok(strstr(out, "Flags: 0x0") != NULL, "htree: index flag cleared on change, as Linux");
	is_int(fsck_clean(path), 0, "htree: e2fsck -fn clean");
}

static void super_state(void)
{
	char path[512];
	struct img im;
	struct ext2_fs *fs;
	uint16_t state, count0, count1;
	uint32_t feat, ino;

	if (make_image("state", "-b 1024", "8M", path, sizeof(path))) {
		ok(0, "state: image");
		return;
	}
	peek(path, 1024 + 52, &count0, 2);
	fs = mount_img(&im, path, 0);
	peek(path, 1024 + 58, &state, 2);
	peek(path, 1024 + 52, &count1, 2);
	ok(fs && !(state & 1), "state: mounted read-write: not marked clean");
	is_int(count1, count0 + 1, "state: mount count incremented");
	if (fs)
		umount_img(&im, fs, "state");
	peek(path, 1024 + 58, &state, 2);
	is_int(state, 1, "state: clean after unmount");
	fs = mount_img(&im, path, EXT2_MOUNT_RDONLY);
	ok(fs && ext2_is_rdonly(fs), "state: read-only mount");
	if (fs) {
		is_int(ext2_create(fs, EXT2_ROOT_INO, "x", 1, EXT2_S_IFREG, 0, 0, 0, 0, &ino),
		       -EROFS, "state: read-only: EROFS");
		umount_img(&im, fs, "state ro");
		is_int(im.writes, 0, "state: a read-only mount writes nothing");
	}
	peek(path, 1024 + 100, &feat, 4);
	feat |= 0x0008;		/* huge_file: an ro_compat feature ext2 lacks */
	patch(path, 1024 + 100, &feat, 4);
	fs = mount_img(&im, path, 0);
	ok(fs && ext2_is_rdonly(fs), "state: unknown ro_compat feature: mounted read-only");
	if (fs)
		umount_img(&im, fs, "state ro_compat");
	feat &= ~0x0008u;
	patch(path, 1024 + 100, &feat, 4);
	peek(path, 1024 + 96, &feat, 4);
	feat |= 0x10000;
	patch(path, 1024 + 96, &feat, 4);
	ok(!img_open(&im, path) && ext2_mount(&im.io, 0, &fs) == -EINVAL,
	   "state: unknown incompat feature: EINVAL");
	img_close(&im);
}

/* An image filled by mke2fs -d from a directory: read it all back. */
static void read_populated(void)
{
	char path[1024], src[600], out[4096], target[300];
	struct img im;
	struct ext2_fs *fs;
	static uint8_t a[3 << 20], b[3 << 20];
	struct ext2_stat st;
	uint32_t ino;
	FILE *f;

	snprintf(src, sizeof(src), "%s/src", ext2_tmpdir);
	run(out, sizeof(out), "mkdir -p %s/sub/deeper && ln -s sub/deeper %s/fastlink && "
	    "ln -s %0200d %s/slowlink && mknod %s/tty c 5 0 2>/dev/null; true", src, src, 0, src,
	    src);
	pattern(a, sizeof(a), 77);
	snprintf(path, sizeof(path), "%s/sub/deeper/big", src);
	f = fopen(path, "w");
	if (f) {
		fwrite(a, 1, sizeof(a), f);
		fclose(f);
	}
	snprintf(out, sizeof(out), "-b 4096 -d %s", src);
	if (make_image("populated", out, "16M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, EXT2_MOUNT_RDONLY))) {
		ok(0, "populated: image");
		return;
	}
	ok(!ext2_path(fs, "/sub/deeper/big", &ino) &&
	   ext2_file_read(fs, ino, 0, b, sizeof(b)) == (ssize_t)sizeof(b) && !memcmp(a, b, sizeof(a)),
	   "populated: a 3 MiB file reads back");
	ok(!ext2_path(fs, "/fastlink", &ino) &&
	   ext2_readlink(fs, ino, target, sizeof(target)) == 10 && !memcmp(target, "sub/deeper", 10),
	   "populated: fast symlink");
	ok(!ext2_path(fs, "/slowlink", &ino) &&
	   ext2_readlink(fs, ino, target, sizeof(target)) == 200 && target[199] == '0',
	   "populated: slow symlink");
	if (!ext2_path(fs, "/tty", &ino))
		ok(!ext2_getattr(fs, ino, &st) && st.rdev_major == 5 && st.rdev_minor == 0 &&
		   (st.mode & EXT2_S_IFMT) == EXT2_S_IFCHR, "populated: device node 5:0");
	else
		ok(1, "populated: device node # SKIP mknod needs root");
	umount_img(&im, fs, "populated");
}

/* Names of 255 bytes, refused at 256; a storm of renames across directories. */
static void names_and_renames(void)
{
	char path[512], name[300], a[32];
	struct img im;
	struct ext2_fs *fs;
	uint32_t ino, d[4];
	int bad = 0;

	if (make_image("renames", "-b 2048", "16M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "renames: image");
		return;
	}
	memset(name, 'n', sizeof(name));
	ok(!ext2_create(fs, EXT2_ROOT_INO, name, 255, EXT2_S_IFREG, 0, 0, 0, 0, &ino) &&
	   !ext2_lookup(fs, EXT2_ROOT_INO, name, 255, &ino), "renames: a 255-byte name");
	is_int(ext2_create(fs, EXT2_ROOT_INO, name, 256, EXT2_S_IFREG, 0, 0, 0, 0, &ino),
	       -ENAMETOOLONG, "renames: 256 bytes: ENAMETOOLONG");
	is_int(ext2_lookup(fs, EXT2_ROOT_INO, name, 256, &ino), -ENAMETOOLONG,
	       "renames: lookup of 256 bytes: ENAMETOOLONG");
	for (int i = 0; i < 4; i++) {
		snprintf(a, sizeof(a), "dir%d", i);
		ext2_mkdir(fs, EXT2_ROOT_INO, a, strlen(a), 0755, 0, 0, &d[i]);
	}
	for (int i = 0; i < 100; i++) {
		snprintf(a, sizeof(a), "f%d", i);
		ext2_create(fs, d[0], a, strlen(a), EXT2_S_IFREG, 0, 0, 0, 0, &ino);
		snprintf(a, sizeof(a), "sub%d", i);
		ext2_mkdir(fs, d[1], a, strlen(a), 0755, 0, 0, &ino);
	}
	/* Move every file and directory round the four directories, renaming it. */
	for (int lap = 0; lap < 8; lap++) {
		for (int i = 0; i < 100; i++) {
			snprintf(a, sizeof(a), "f%d", i);
			if (ext2_rename(fs, d[lap % 4], a, strlen(a), d[(lap + 1) % 4], a, strlen(a)))
				bad++;
			snprintf(a, sizeof(a), "sub%d", i);
			if (ext2_rename(fs, d[(lap + 1) % 4], a, strlen(a), d[(lap + 2) % 4], a,
					strlen(a)))
				bad++;
		}
	}
	is_int(bad, 0, "renames: 1,600 renames across directories");
	ext2_mkdir(fs, d[0], "x1", 2, 0755, 0, 0, &ino);
	ext2_mkdir(fs, d[1], "x2", 2, 0755, 0, 0, &ino);
	ext2_mkdir(fs, d[2], "y1", 2, 0755, 0, 0, &ino);
	ext2_mkdir(fs, d[2], "y2", 2, 0755, 0, 0, &ino);
	ext2_create(fs, d[2], "file", 4, EXT2_S_IFREG, 0, 0, 0, 0, &ino);
	is_int(ext2_rename(fs, d[0], "x1", 2, d[1], "x2", 2), 0,
	       "renames: a directory over an empty one elsewhere");
	is_int(ext2_rename(fs, d[2], "y1", 2, d[2], "y2", 2), 0,
	       "renames: a directory over an empty one beside it");
	is_int(ext2_rename(fs, d[2], "file", 4, d[2], "y2", 2), -EISDIR,
	       "renames: a file over a directory: EISDIR");
	is_int(ext2_rename(fs, d[2], "y2", 2, d[2], "file", 4), -ENOTDIR,
	       "renames: a directory over a file: ENOTDIR");
	is_int(ext2_rename(fs, EXT2_ROOT_INO, "dir2", 4, EXT2_ROOT_INO, "dir0", 4), -ENOTEMPTY,
	       "renames: a directory over a non-empty one: ENOTEMPTY");
	is_int(ext2_rename(fs, d[2], "file", 4, d[2], "file", 4), 0,
	       "renames: a name onto itself: nothing");
	umount_img(&im, fs, "renames");
	is_int(fsck_clean(path), 0, "renames: e2fsck -fn clean (link counts of the parents)");
}

/* Files with extended attribute blocks (set by debugfs), shared and not, then unlinked. */
static void xattr_blocks(void)
{
	char path[512], out[4096];
	struct img im;
	struct ext2_fs *fs;
	uint32_t ino;

	if (make_image("xattr", "-b 1024 -I 128 -O ext_attr", "8M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "xattr: image");
		return;
	}
	ext2_create(fs, EXT2_ROOT_INO, "a", 1, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino);
	ext2_create(fs, EXT2_ROOT_INO, "b", 1, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino);
	ext2_symlink(fs, EXT2_ROOT_INO, "l", 1, "a", 1, 0, 0, &ino);
	umount_img(&im, fs, "xattr");
	run(out, sizeof(out), "PATH=$PATH:/sbin:/usr/sbin debugfs -w -R 'ea_set /a user.k value' '%s'"
	    " && PATH=$PATH:/sbin:/usr/sbin debugfs -w -R 'ea_set /b user.k other' '%s'"
	    " && PATH=$PATH:/sbin:/usr/sbin debugfs -w -R 'ea_set /l user.k third' '%s'",
	    path, path, path);
	debugfs_cmd(path, "stat /a", out, sizeof(out));
	ok(strstr(out, "File ACL: 0") == NULL, "xattr: debugfs gave /a an attribute block");
	is_int(fsck_clean(path), 0, "xattr: e2fsck -fn clean before");
	fs = mount_img(&im, path, 0);
	if (!ok(fs != NULL, "xattr: mount"))
		return;
	ok(!ext2_unlink(fs, EXT2_ROOT_INO, "a", 1) && !ext2_unlink(fs, EXT2_ROOT_INO, "b", 1) &&
	   !ext2_unlink(fs, EXT2_ROOT_INO, "l", 1), "xattr: unlink them");
	umount_img(&im, fs, "xattr");
	is_int(fsck_clean(path), 0, "xattr: e2fsck -fn clean: attribute blocks freed");
}

/* A cache of 16 blocks: dirty metadata is written back as it is evicted. */
static void small_cache(void)
{
	char path[512], name[32];
	struct img im;
	struct ext2_fs *fs;
	uint32_t d[8], ino;
	static uint8_t data[20000];
	int bad = 0;

	if (make_image("smallcache", "-b 1024", "32M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "small cache: image");
		return;
	}
	ext2_set_cache_limit(fs, 16);
	pattern(data, sizeof(data), 5);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		if (ext2_mkdir(fs, EXT2_ROOT_INO, name, strlen(name), 0755, 0, 0, &d[i]))
			bad++;
	}
	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "file%d", i);
		if (ext2_create(fs, d[i % 8], name, strlen(name), EXT2_S_IFREG | 0644, 0, 0, 0, 0,
				&ino) ||
		    ext2_file_write(fs, ino, 0, data, (size_t)(i * 37) % sizeof(data)) < 0)
			bad++;
	}
	for (int i = 0; i < 400; i += 2) {
		snprintf(name, sizeof(name), "file%d", i);
		if (ext2_unlink(fs, d[i % 8], name, strlen(name)))
			bad++;
	}
	is_int(bad, 0, "small cache: 400 files in 8 directories, half unlinked");
	umount_img(&im, fs, "small cache");
	is_int(fsck_clean(path), 0, "small cache: e2fsck -fn clean");
}

/*
 * The directory hints (dir.c): a remembered miss is forgotten by every way
 * a name comes into being, the duplicate check still works without one,
 * room left by an unlink in an early block is found from a later hint,
 * and a directory inode reused by mkdir starts with no hints.
 */
static void dir_hints(void)
{
	char path[512], name[32];
	struct img im;
	struct ext2_fs *fs;
	uint32_t h, h2, x, got = 0;
	int bad = 0;

	if (make_image("hints", "-b 1024", "16M", path, sizeof(path)) ||
	    !(fs = mount_img(&im, path, 0))) {
		ok(0, "hints: image");
		return;
	}
	ok(!ext2_mkdir(fs, EXT2_ROOT_INO, "h", 1, 0755, 0, 0, &h), "hints: a directory");
	is_int(ext2_lookup(fs, h, "x", 1, &got), -ENOENT, "hints: x missing");
	ok(!ext2_create(fs, h, "x", 1, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &x) &&
	   !ext2_lookup(fs, h, "x", 1, &got) && got == x, "hints: created after a miss, found");
	is_int(ext2_create(fs, h, "x", 1, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &got), -EEXIST,
	       "hints: a second create is EEXIST");
	is_int(ext2_lookup(fs, h, "y", 1, &got), -ENOENT, "hints: y missing");
	ok(!ext2_link(fs, x, h, "y", 1) && !ext2_lookup(fs, h, "y", 1, &got) && got == x,
	   "hints: linked after a miss, found");
	is_int(ext2_lookup(fs, h, "z", 1, &got), -ENOENT, "hints: z missing");
	ok(!ext2_rename(fs, h, "x", 1, h, "z", 1) && !ext2_lookup(fs, h, "z", 1, &got) &&
	   got == x, "hints: renamed to after a miss, found");
	ext2_note_absent(fs, h, "n", 1);
	ok(!ext2_create(fs, h, "n", 1, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &x) &&
	   !ext2_lookup(fs, h, "n", 1, &got) && got == x, "hints: created after note_absent, found");
	/* Several 1 KiB blocks of entries, then room in the first one again. */
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "file-%03d", i);
		if (ext2_create(fs, h, name, strlen(name), EXT2_S_IFREG | 0644, 0, 0, 0, 0, &x))
			bad++;
	}
	if (ext2_unlink(fs, h, "file-001", 8))
		bad++;
	if (ext2_create(fs, h, "again-001", 9, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &x) ||
	    ext2_lookup(fs, h, "again-001", 9, &got) || got != x)
		bad++;
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "file-%03d", i);
		if ((ext2_lookup(fs, h, name, strlen(name), &got) == 0) != (i != 1))
			bad++;
	}
	is_int(bad, 0, "hints: 200 entries, one replaced in an early block, all found");
	/* A miss remembered in a directory whose inode a new directory then takes. */
	ok(!ext2_mkdir(fs, EXT2_ROOT_INO, "g", 1, 0755, 0, 0, &h2) &&
	   ext2_lookup(fs, h2, "w", 1, &got) == -ENOENT && !ext2_rmdir(fs, EXT2_ROOT_INO, "g", 1) &&
	   !ext2_mkdir(fs, EXT2_ROOT_INO, "g2", 2, 0755, 0, 0, &h2) &&
	   !ext2_create(fs, h2, "w", 1, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &x) &&
	   !ext2_lookup(fs, h2, "w", 1, &got) && got == x, "hints: a reused directory inode");
	umount_img(&im, fs, "hints");
	is_int(fsck_clean(path), 0, "hints: e2fsck -fn clean");
}

int main(void)
{
	if (!ext2_tools_present()) {
		printf("1..0 # SKIP e2fsprogs (mke2fs, e2fsck, debugfs) not installed\n");
		return 0;
	}
	ext2_tmp_setup();
	many_files();
	fill_disk();
	inode_exhaustion();
	orphan();
	readdir_resume();
	htree();
	super_state();
	read_populated();
	names_and_renames();
	xattr_blocks();
	small_cache();
	dir_hints();
	ext2_tmp_cleanup();
	return done();
}
