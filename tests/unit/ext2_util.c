// SPDX-License-Identifier: MPL-2.0
// Helpers of the ext2 host tests (ext2_util.h).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "tap.h"
#include "ext2_util.h"

char ext2_tmpdir[256];

static int io_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct img *im = ctx;

	if (off > im->size || len > im->size - off)
		return -EIO;
	return pread(im->fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

static int io_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct img *im = ctx;

	im->writes++;
	if (off > im->size || len > im->size - off) {
		im->bad_writes++;
		return -EIO;
	}
	return pwrite(im->fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

static int io_flush(void *ctx)
{
	(void)ctx;
	return 0;
}

static int64_t io_now(void *ctx)
{
	(void)ctx;
	return (int64_t)time(NULL);
}

int img_open(struct img *im, const char *path)
{
	struct stat st;

	memset(im, 0, sizeof(*im));
	snprintf(im->path, sizeof(im->path), "%s", path);
	im->fd = open(path, O_RDWR);
	if (im->fd < 0 || fstat(im->fd, &st))
		return -1;
	im->size = (uint64_t)st.st_size;
	im->io = (struct ext2_io){ .ctx = im, .read = io_read, .write = io_write,
				   .flush = io_flush, .now = io_now, .size = im->size };
	return 0;
}

void img_close(struct img *im)
{
	if (im->fd >= 0)
		close(im->fd);
	im->fd = -1;
}

bool ext2_tools_present(void)
{
	char out[256];

	/* Debian keeps them in /sbin, outside a user's PATH. */
	return run(out, sizeof(out), "PATH=$PATH:/sbin:/usr/sbin; command -v mke2fs && "
		   "command -v e2fsck && command -v debugfs") == 0;
}

void ext2_tmp_setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(ext2_tmpdir, sizeof(ext2_tmpdir), "%s/ext2test.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(ext2_tmpdir)) {
		perror("mkdtemp");
		exit(1);
	}
}

void ext2_tmp_cleanup(void)
{
	char out[64];

	if (!getenv("EXT2_KEEP"))
		run(out, sizeof(out), "rm -rf '%s'", ext2_tmpdir);
}

int run(char *out, size_t outsz, const char *fmt, ...)
{
	char cmd[4096];
	size_t n = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (outsz) {
		n = fread(out, 1, outsz - 1, p);
		out[n] = 0;
	}
	while (fgetc(p) != EOF)
		;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int make_image(const char *name, const char *opts, const char *size, char *path, size_t pathsz)
{
	char out[4096];
	int st;

	snprintf(path, pathsz, "%s/%s", ext2_tmpdir, name);
	unlink(path);
	st = run(out, sizeof(out), "PATH=$PATH:/sbin:/usr/sbin mke2fs -q -F -t ext2 %s '%s' %s",
		 opts, path, size);
	if (st)
		diag("mke2fs %s: %s", opts, out);
	return st;
}

int fsck_clean(const char *path)
{
	static char out[1 << 16];
	int st = run(out, sizeof(out), "PATH=$PATH:/sbin:/usr/sbin e2fsck -fn '%s'", path);

	if (st) {
		diag("e2fsck -fn exit %d:", st);
		for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
			diag("  %s", l);
	}
	return st;
}

long debugfs_cat(const char *img, const char *path, uint8_t *buf, size_t size)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "PATH=$PATH:/sbin:/usr/sbin debugfs -R 'cat %s' '%s' 2>/dev/null",
		 path, img);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(buf, 1, size, p);
	while (fgetc(p) != EOF)
		n++;
	pclose(p);
	return (long)n;
}

int debugfs_cmd(const char *img, const char *cmd, char *out, size_t outsz)
{
	return run(out, outsz, "PATH=$PATH:/sbin:/usr/sbin debugfs -R '%s' '%s'", cmd, img);
}

int ext2_path(struct ext2_fs *fs, const char *path, uint32_t *ino)
{
	uint32_t cur = EXT2_ROOT_INO;

	while (*path) {
		const char *e;
		int err;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		e = strchr(path, '/');
		if (!e)
			e = path + strlen(path);
		err = ext2_lookup(fs, cur, path, (size_t)(e - path), &cur);
		if (err)
			return err;
		path = e;
	}
	*ino = cur;
	return 0;
}

void pattern(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

int patch(const char *path, uint64_t off, const void *bytes, size_t n)
{
	int fd = open(path, O_RDWR);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = pwrite(fd, bytes, n, (off_t)off);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

int peek(const char *path, uint64_t off, void *bytes, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = pread(fd, bytes, n, (off_t)off);
	close(fd);
	return r == (ssize_t)n ? 0 : -1;
}
