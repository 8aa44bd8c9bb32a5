/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Helpers of the ext2 host tests (test_ext2*.c): images made by mke2fs in a
 * temporary directory, a file-backed struct ext2_io that refuses transfers
 * past the image's end, and e2fsck/debugfs runs whose output is captured.
 */
#ifndef ASTER_TESTS_EXT2_UTIL_H
#define ASTER_TESTS_EXT2_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ext2.h"

struct img {
	char path[512];
	int fd;
	uint64_t size;
	unsigned long writes, bad_writes;	/* bad: past the image's end */
	struct ext2_io io;
};

extern char ext2_tmpdir[256];
extern unsigned long printk_stub_count;

/* Tools present?  A TAP skip_all otherwise (the caller returns 0). */
bool ext2_tools_present(void);
void ext2_tmp_setup(void);
void ext2_tmp_cleanup(void);

/* Run a shell command; its output (stdout+stderr) into out; the exit status. */
int run(char *out, size_t outsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* mke2fs -q -F -t ext2 OPTS path SIZE; 0 on success. */
int make_image(const char *name, const char *opts, const char *size, char *path, size_t pathsz);
int img_open(struct img *im, const char *path);
void img_close(struct img *im);
/* e2fsck -fn: 0 when clean (output logged as diagnostics otherwise). */
int fsck_clean(const char *path);
/* debugfs -R 'cat PATH' into buf; the byte count or -1. */
long debugfs_cat(const char *img, const char *path, uint8_t *buf, size_t size);
/* debugfs -R CMD output into out. */
int debugfs_cmd(const char *img, const char *cmd, char *out, size_t outsz);

/* Resolve an absolute path with ext2_lookup; 0 or -errno. */
int ext2_path(struct ext2_fs *fs, const char *path, uint32_t *ino);

/* Bytes of a deterministic pattern. */
void pattern(uint8_t *p, size_t n, uint32_t seed);

/* Raw patching of an image file. */
int patch(const char *path, uint64_t off, const void *bytes, size_t n);
int peek(const char *path, uint64_t off, void *bytes, size_t n);

#endif
