// SPDX-License-Identifier: MPL-2.0
// kernel/fs/ext2/ on arbitrary images: the input is a whole image (the
// seeds are tiny ones made by mke2fs -d), mounted read-write on a private
// copy; the tree is walked (bounded depth and width), every file and link
// read, then a file, a directory and a symlink created and removed, and the
// file system unmounted.  Any outcome but a crash, a hang or a transfer
// outside the image is fine: the library must return errors, and the io
// callbacks assert that no request leaves the image.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "ext2.h"

#define MAX_NAMES	32
#define MAX_DEPTH	6
#define MAX_IMAGE	(1u << 20)


struct dev {
	uint8_t *p;
	size_t size;
};

static int dev_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct dev *d = ctx;

	FUZZ_ASSERT(off <= d->size && len <= d->size - off);
	memcpy(buf, d->p + off, len);
	return 0;
}

static int dev_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct dev *d = ctx;

	FUZZ_ASSERT(off <= d->size && len <= d->size - off);
	memcpy(d->p + off, buf, len);
	return 0;
}

struct names {
	int n;
	char name[MAX_NAMES][256];
};

static int collect(void *ctx, const char *name, size_t len, uint32_t ino, unsigned int ftype,
		   uint64_t next)
{
	struct names *nm = ctx;

	(void)ino;
	(void)ftype;
	(void)next;
	FUZZ_ASSERT(len <= EXT2_NAME_LEN);
	if (nm->n >= MAX_NAMES)
		return 1;
	memcpy(nm->name[nm->n], name, len);
	nm->name[nm->n++][len] = 0;
	return 0;
}

static void read_file(struct ext2_fs *fs, uint32_t ino, const struct ext2_stat *st)
{
	static uint8_t buf[8192];
	char target[4096];

	if ((st->mode & EXT2_S_IFMT) == EXT2_S_IFLNK) {
		ssize_t r = ext2_readlink(fs, ino, target, sizeof(target));

		FUZZ_ASSERT(r <= (ssize_t)sizeof(target));
		return;
	}
	/* Three spots: the start, the middle and the end (files may be huge and sparse). */
	ext2_file_read(fs, ino, 0, buf, sizeof(buf));
	ext2_file_read(fs, ino, st->size / 2, buf, sizeof(buf));
	if (st->size > sizeof(buf))
		ext2_file_read(fs, ino, st->size - sizeof(buf), buf, sizeof(buf));
}

static void walk(struct ext2_fs *fs, uint32_t dir, int depth)
{
	static struct names nm[MAX_DEPTH + 1];
	uint64_t pos = 0;

	nm[depth].n = 0;
	ext2_readdir(fs, dir, &pos, collect, &nm[depth]);
	for (int i = 0; i < nm[depth].n; i++) {
		const char *name = nm[depth].name[i];
		struct ext2_stat st;
		uint32_t ino;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (ext2_lookup(fs, dir, name, strlen(name), &ino) || ext2_getattr(fs, ino, &st))
			continue;
		if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFDIR) {
			if (depth < MAX_DEPTH)
				walk(fs, ino, depth + 1);
		} else {
			read_file(fs, ino, &st);
		}
	}
}

static void change(struct ext2_fs *fs)
{
	static const uint8_t data[5000];
	uint32_t ino;
	struct ext2_statfs sf;

	if (!ext2_create(fs, EXT2_ROOT_INO, "fz", 2, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino)) {
		ext2_file_write(fs, ino, 0, data, sizeof(data));
		ext2_file_write(fs, ino, 300000, data, 10);
		ext2_truncate(fs, ino, 100);
	}
	ext2_mkdir(fs, EXT2_ROOT_INO, "fd", 2, 0755, 0, 0, &ino);
	ext2_symlink(fs, EXT2_ROOT_INO, "fl", 2, "target", 6, 0, 0, &ino);
	ext2_rename(fs, EXT2_ROOT_INO, "fz", 2, EXT2_ROOT_INO, "fy", 2);
	ext2_unlink(fs, EXT2_ROOT_INO, "fy", 2);
	ext2_unlink(fs, EXT2_ROOT_INO, "fl", 2);
	ext2_rmdir(fs, EXT2_ROOT_INO, "fd", 2);
	ext2_statfs(fs, &sf);
	FUZZ_ASSERT(sf.free_blocks <= sf.blocks + sf.block_size * 8 * 1024);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dev d = { 0 };
	struct ext2_io io = { 0 };
	struct ext2_fs *fs;

	if (size > MAX_IMAGE)
		return 0;
	d.p = malloc(size ? size : 1);
	if (!d.p)
		return 0;
	memcpy(d.p, data, size);
	d.size = size;
	io = (struct ext2_io){ .ctx = &d, .read = dev_read, .write = dev_write, .size = size };
	if (!ext2_mount(&io, 0, &fs)) {
		ext2_set_cache_limit(fs, 16);
		walk(fs, EXT2_ROOT_INO, 0);
		change(fs);
		ext2_unmount(fs);
	}
	free(d.p);
	return 0;
}
