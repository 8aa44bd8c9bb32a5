// SPDX-License-Identifier: MPL-2.0
// kernel/fs/ext2/ on corrupted images: an image populated by mke2fs -d is
// copied and one structure is broken in each copy (superblock fields, group
// descriptors, indirect blocks, directory entries, link counts, bitmaps);
// the library then mounts it, walks the whole tree reading every file,
// creates and removes entries.  Each corruption must surface as an error
// (-EUCLEAN, or -EINVAL for what is not ext2 at all) with a log line, never
// a crash (ASan and UBSan watch), a hang, or a write past the image.
#include "tap.h"
#include <errno.h>
#include <stdlib.h>
#include "ext2_util.h"

#define MAX_NAMES	64
#define MAX_DEPTH	8

static char base[1024];
static uint32_t ino_f, ino_sub, ino_a, ino_link, blk_root, blk_sub, blk_ind, ino_bitmap;

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
	if (nm->n >= MAX_NAMES)
		return 1;
	memcpy(nm->name[nm->n], name, len);
	nm->name[nm->n++][len] = 0;
	return 0;
}

static void note(int *first, int err)
{
	if (err < 0 && !*first)
		*first = err;
}

static void read_all(struct ext2_fs *fs, uint32_t ino, int *first)
{
	static uint8_t buf[1 << 16];
	struct ext2_stat st;
	uint64_t off = 0;
	char target[4096];

	note(first, ext2_getattr(fs, ino, &st));
	if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFLNK) {
		ssize_t r = ext2_readlink(fs, ino, target, sizeof(target));

		note(first, r < 0 ? (int)r : 0);
		return;
	}
	while ((st.mode & EXT2_S_IFMT) == EXT2_S_IFREG && off < st.size && off < (64u << 20)) {
		ssize_t r = ext2_file_read(fs, ino, off, buf, sizeof(buf));

		if (r <= 0) {
			note(first, r < 0 ? (int)r : -EIO);
			return;
		}
		off += (uint64_t)r;
	}
}

static void walk(struct ext2_fs *fs, uint32_t dir, int depth, int *first)
{
	static struct names nm[MAX_DEPTH + 1];
	uint64_t pos = 0;

	nm[depth].n = 0;
	note(first, ext2_readdir(fs, dir, &pos, collect, &nm[depth]));
	for (int i = 0; i < nm[depth].n; i++) {
		const char *name = nm[depth].name[i];
		struct ext2_stat st;
		uint32_t ino;
		int err;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		err = ext2_lookup(fs, dir, name, strlen(name), &ino);
		note(first, err);
		if (err || ext2_getattr(fs, ino, &st))
			continue;
		if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFDIR) {
			if (depth < MAX_DEPTH)
				walk(fs, ino, depth + 1, first);
		} else {
			read_all(fs, ino, first);
		}
	}
}

/* Mount, walk, change, unmount: the first error, and no write past the image. */
static int exercise(const char *path, bool *wild)
{
	static const uint8_t data[3000];
	struct img im;
	struct ext2_fs *fs;
	uint32_t ino, sub;
	int first = 0, err;

	*wild = false;
	if (img_open(&im, path))
		return -999;
	err = ext2_mount(&im.io, 0, &fs);
	if (err) {
		img_close(&im);
		return err;
	}
	walk(fs, EXT2_ROOT_INO, 0, &first);
	err = ext2_create(fs, EXT2_ROOT_INO, "new", 3, EXT2_S_IFREG | 0644, 0, 0, 0, 0, &ino);
	note(&first, err);
	if (!err)
		note(&first, (int)ext2_file_write(fs, ino, 0, data, sizeof(data)) < 0 ? -EIO : 0);
	note(&first, ext2_mkdir(fs, EXT2_ROOT_INO, "nd", 2, 0755, 0, 0, &ino));
	if (!ext2_lookup(fs, EXT2_ROOT_INO, "sub", 3, &sub)) {
		note(&first, ext2_create(fs, sub, "c", 1, EXT2_S_IFREG, 0, 0, 0, 0, &ino));
		note(&first, ext2_unlink(fs, sub, "a", 1));
	}
	note(&first, ext2_unlink(fs, EXT2_ROOT_INO, "new", 3));
	note(&first, ext2_rmdir(fs, EXT2_ROOT_INO, "nd", 2));
	note(&first, ext2_unmount(fs));
	*wild = im.bad_writes != 0;
	img_close(&im);
	return first;
}

static unsigned long dbg_num(const char *cmd, const char *key)
{
	static char out[1 << 15];
	const char *p;

	debugfs_cmd(base, cmd, out, sizeof(out));
	p = strstr(out, key);
	return p ? strtoul(p + strlen(key), NULL, 0) : 0;
}

static bool make_base(void)
{
	char src[600], out[4096], copy[1100];
	FILE *f;
	static uint8_t big[300 * 1024];
	bool wild;

	snprintf(src, sizeof(src), "%s/src", ext2_tmpdir);
	run(out, sizeof(out), "mkdir -p %s/sub && echo hello > %s/sub/a && ln -s %0100d %s/link",
	    src, src, 0, src);
	snprintf(out, sizeof(out), "%s/f", src);
	pattern(big, sizeof(big), 3);
	f = fopen(out, "w");
	if (!f)
		return false;
	fwrite(big, 1, sizeof(big), f);
	fclose(f);
	snprintf(out, sizeof(out), "-b 1024 -N 64 -O ^dir_index -d %s", src);
	if (make_image("base", out, "4M", base, sizeof(base)))
		return false;
	ino_f = (uint32_t)dbg_num("stat /f", "Inode: ");
	ino_sub = (uint32_t)dbg_num("stat /sub", "Inode: ");
	ino_a = (uint32_t)dbg_num("stat /sub/a", "Inode: ");
	ino_link = (uint32_t)dbg_num("stat /link", "Inode: ");
	blk_ind = (uint32_t)dbg_num("stat /f", "(IND):");
	blk_root = (uint32_t)dbg_num("blocks /", ")\n");	/* after the banner */
	blk_sub = (uint32_t)dbg_num("blocks /sub", ")\n");
	ino_bitmap = (uint32_t)dbg_num("stats", "inode bitmap at ");
	diag("base: f=%u sub=%u a=%u link=%u ind=%u root blk=%u sub blk=%u ibitmap=%u", ino_f,
	     ino_sub, ino_a, ino_link, blk_ind, blk_root, blk_sub, ino_bitmap);
	if (!(ino_f && ino_sub && ino_a && ino_link && blk_ind && blk_root && blk_sub && ino_bitmap))
		return false;
	/* The uncorrupted image passes the same exercise, on a copy. */
	snprintf(copy, sizeof(copy), "%s/clean", ext2_tmpdir);
	run(out, sizeof(out), "cp --sparse=always '%s' '%s'", base, copy);
	return exercise(copy, &wild) == 0 && !wild && !fsck_clean(copy);
}

/* Where inode ino's record is in the image (1 KiB blocks, 128-byte inodes). */
static uint64_t inode_off(uint32_t ino)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "imap <%u>", ino);
	return dbg_num(cmd, "located at block ") * 1024 + dbg_num(cmd, ", offset ");
}

struct corruption {
	const char *what;
	int expect;
	void (*apply)(const char *path);
};

static void put32(const char *p, uint64_t off, uint32_t v) { patch(p, off, &v, 4); }
static void put16(const char *p, uint64_t off, uint16_t v) { patch(p, off, &v, 2); }
static void put8(const char *p, uint64_t off, uint8_t v) { patch(p, off, &v, 1); }
static uint32_t get32(const char *p, uint64_t off)
{
	uint32_t v = 0;

	peek(p, off, &v, 4);
	return v;
}

static void c_magic(const char *p) { put16(p, 1024 + 56, 0x1234); }
static void c_bsize(const char *p) { put32(p, 1024 + 24, 20); }
static void c_blocks(const char *p) { put32(p, 1024 + 4, 8192); }
static void c_inodes(const char *p) { put32(p, 1024 + 0, get32(p, 1024) + 8); }
static void c_first_data(const char *p) { put32(p, 1024 + 20, 0); }
static void c_reserved_gdt(const char *p) { put16(p, 1024 + 206, 4000); }
static void c_gd_bitmap(const char *p) { put32(p, 2048 + 0, 0xffffff); }
static void c_gd_itable(const char *p) { put32(p, 2048 + 8, 4000); }
static void c_gd_free(const char *p) { put16(p, 2048 + 12, 60000); }
static void c_root_mode(const char *p) { put16(p, inode_off(2), 0100644); }
static void c_ind_loop(const char *p) { put32(p, (uint64_t)blk_ind * 1024, blk_ind); }
static void c_ind_super(const char *p) { put32(p, inode_off(ino_f) + 40 + 12 * 4, 1); }
static void c_ind_range(const char *p) { put32(p, (uint64_t)blk_ind * 1024 + 8, 99999999); }
static void c_rec_zero(const char *p) { put16(p, (uint64_t)blk_root * 1024 + 4, 0); }
static void c_rec_past(const char *p) { put16(p, (uint64_t)blk_root * 1024 + 12 + 4, 2000); }
static void c_name_len(const char *p) { put8(p, (uint64_t)blk_root * 1024 + 6, 200); }
static void c_dirent_ino(const char *p) { put32(p, (uint64_t)blk_sub * 1024 + 24, 100000); }
static void c_dir_loop(const char *p)
{
	put32(p, (uint64_t)blk_sub * 1024 + 24, 2);
	put8(p, (uint64_t)blk_sub * 1024 + 24 + 7, 2);
}
static void c_dir_hole(const char *p) { put32(p, inode_off(ino_sub) + 40, 0); }
static void c_dir_size(const char *p) { put32(p, inode_off(ino_sub) + 4, 1000); }
static void c_links0(const char *p) { put16(p, inode_off(ino_a) + 26, 0); }
static void c_huge_size(const char *p) { put32(p, inode_off(ino_f) + 108, 0x100); }
static void c_link_size(const char *p) { put32(p, inode_off(ino_link) + 4, 70000); }
static void c_ibitmap(const char *p)
{
	uint8_t b;
	uint32_t i = ino_f - 1;

	peek(p, (uint64_t)ino_bitmap * 1024 + i / 8, &b, 1);
	put8(p, (uint64_t)ino_bitmap * 1024 + i / 8, (uint8_t)(b & ~(1u << (i % 8))));
	/* the counts agree with the bitmap, as a careless tool would leave them */
	put16(p, 2048 + 14, (uint16_t)(get32(p, 2048 + 12) >> 16) + 1);
}

static const struct corruption cases[] = {
	{ "bad magic", -EINVAL, c_magic },
	{ "block size 2^30", -EINVAL, c_bsize },
	{ "blocks count past the device", -EINVAL, c_blocks },
	{ "inodes count lies", -EINVAL, c_inodes },
	{ "bad first data block", -EINVAL, c_first_data },
	{ "reserved GDT blocks past the group", -EINVAL, c_reserved_gdt },
	{ "block bitmap out of range", -EUCLEAN, c_gd_bitmap },
	{ "inode table out of range", -EUCLEAN, c_gd_itable },
	{ "group free count past the group size", -EUCLEAN, c_gd_free },
	{ "root inode not a directory", -EUCLEAN, c_root_mode },
	{ "indirect block pointing to itself", -EUCLEAN, c_ind_loop },
	{ "indirect pointer to the superblock", -EUCLEAN, c_ind_super },
	{ "indirect entry past the device", -EUCLEAN, c_ind_range },
	{ "directory entry with rec_len 0", -EUCLEAN, c_rec_zero },
	{ "directory entry past the block end", -EUCLEAN, c_rec_past },
	{ "name_len larger than rec_len", -EUCLEAN, c_name_len },
	{ "directory entry inode out of range", -EUCLEAN, c_dirent_ino },
	{ "directory loop (entry naming the root)", -EUCLEAN, c_dir_loop },
	{ "directory with a hole", -EUCLEAN, c_dir_hole },
	{ "directory size not whole blocks", -EUCLEAN, c_dir_size },
	{ "link count 0 on a live file", -EUCLEAN, c_links0 },
	{ "symlink size past its block", -EUCLEAN, c_link_size },
	{ "file size past the largest file", -EUCLEAN, c_huge_size },
	{ "inode bitmap frees a live inode", -EUCLEAN, c_ibitmap },
};

/* Random bytes of the metadata area changed: any result but a crash or a wild write. */
static void random_damage(void)
{
	static uint8_t meta[40 * 1024], sub[1024];
	char path[1200], out[256];
	uint32_t x = 12345;
	int wild_count = 0, errors = 0;

	snprintf(path, sizeof(path), "%s/random", ext2_tmpdir);
	run(out, sizeof(out), "cp --sparse=always '%s' '%s'", base, path);
	peek(base, 0, meta, sizeof(meta));
	peek(base, (uint64_t)blk_sub * 1024, sub, sizeof(sub));
	for (int round = 0; round < 200; round++) {
		bool wild;

		/* The exercise changes only the first 40 KiB and /sub's block (and
		 * blocks it allocates, free again once the bitmaps are back). */
		patch(path, 0, meta, sizeof(meta));
		patch(path, (uint64_t)blk_sub * 1024, sub, sizeof(sub));
		for (int k = 0; k < 6; k++) {
			uint8_t v;

			x = x * 1103515245u + 12345u;
			v = (uint8_t)(x >> 24);
			x = x * 1103515245u + 12345u;
			/* the superblock, descriptors, bitmaps, inode table, root directory */
			patch(path, 1024 + (x >> 8) % (sizeof(meta) - 1024), &v, 1);
		}
		if (exercise(path, &wild))
			errors++;
		wild_count += wild;
	}
	is_int(wild_count, 0, "random damage: 200 images, no write past the image");
	diag("random damage: %d of 200 runs met an error", errors);
}

int main(void)
{
	char path[1200], out[256];

	if (!ext2_tools_present()) {
		printf("1..0 # SKIP e2fsprogs (mke2fs, e2fsck, debugfs) not installed\n");
		return 0;
	}
	ext2_tmp_setup();
	if (!ok(make_base(), "base image made, walked and changed cleanly")) {
		ext2_tmp_cleanup();
		return done();
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long logged = printk_stub_count;
		bool wild;
		int err;

		snprintf(path, sizeof(path), "%s/case%zu", ext2_tmpdir, i);
		run(out, sizeof(out), "cp --sparse=always '%s' '%s'", base, path);
		cases[i].apply(path);
		err = exercise(path, &wild);
		is_int(err, cases[i].expect, "%s: error", cases[i].what);
		ok(printk_stub_count > logged, "%s: logged", cases[i].what);
		ok(!wild, "%s: no write past the image", cases[i].what);
	}
	random_damage();
	ext2_tmp_cleanup();
	return done();
}
