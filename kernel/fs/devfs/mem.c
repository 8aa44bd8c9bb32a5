// SPDX-License-Identifier: MPL-2.0
// The memory devices of major 1: null, zero, full, random, urandom.
#include <aster/boot.h>
#include <aster/errno.h>
#include <aster/frame.h>
#include "fs/random.h"
#include "fs/vfs.h"
#include "uapi/major.h"

static const uint8_t zeros[256];

static ssize_t fill_zeros(struct iobuf *buf)
{
	size_t done = 0;

	while (done < buf->len) {
		size_t n = MIN(buf->len - done, sizeof(zeros));
		int err = iobuf_write(buf, done, zeros, n);

		if (err)
			return done ? (ssize_t)done : err;
		done += n;
	}
	return (ssize_t)done;
}

static ssize_t null_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)f;
	(void)buf;
	(void)pos;
	return 0;
}

static ssize_t null_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)f;
	(void)pos;
	return (ssize_t)buf->len;
}

static ssize_t zero_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)f;
	(void)pos;
	return fill_zeros(buf);
}

static ssize_t full_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	(void)f;
	(void)buf;
	(void)pos;
	return -ENOSPC;
}

static int64_t mem_llseek(struct file *f, int64_t off, int whence)
{
	(void)whence;
	(void)off;
	f->pos = 0;
	return 0;
}

static int zero_get_page(struct file *f, uint64_t pgoff, struct frame **out)
{
	(void)f;
	(void)pgoff;
	*out = frame_alloc(FRAME_ZERO);
	return *out ? 0 : -ENOMEM;
}

static ssize_t random_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	uint8_t chunk[256];
	size_t done = 0;

	(void)f;
	(void)pos;
	while (done < buf->len) {
		size_t n = MIN(buf->len - done, sizeof(chunk));
		int err;

		get_random_bytes(chunk, n);
		err = iobuf_write(buf, done, chunk, n);
		if (err)
			return done ? (ssize_t)done : err;
		done += n;
	}
	return (ssize_t)done;
}

static ssize_t random_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	uint8_t chunk[256];
	size_t done = 0;

	(void)f;
	(void)pos;
	while (done < buf->len) {
		size_t n = MIN(buf->len - done, sizeof(chunk));
		int err = iobuf_read(buf, done, chunk, n);

		if (err)
			return done ? (ssize_t)done : err;
		random_mix(chunk, n);
		done += n;
	}
	return (ssize_t)done;
}

static const struct file_ops null_ops = {
	.read = null_read, .write = null_write, .llseek = mem_llseek,
};
static const struct file_ops zero_ops = {
	.read = zero_read, .write = null_write, .llseek = mem_llseek, .get_page = zero_get_page,
};
static const struct file_ops full_ops = {
	.read = zero_read, .write = full_write, .llseek = mem_llseek,
};
static const struct file_ops random_ops = {
	.read = random_read, .write = random_write, .llseek = mem_llseek,
};

static int mem_open(struct file *f, uint32_t minor)
{
	switch (minor) {
	case 3:
		f->ops = &null_ops;
		return 0;
	case 5:
		f->ops = &zero_ops;
		return 0;
	case 7:
		f->ops = &full_ops;
		return 0;
	case 8:
	case 9:
		f->ops = &random_ops;
		return 0;
	default:
		return -ENXIO;
	}
}

static int mem_devices_init(void)
{
	static const struct { const char *name; uint32_t minor; } devs[] = {
		{ "null", 3 }, { "zero", 5 }, { "full", 7 }, { "random", 8 }, { "urandom", 9 },
	};
	int err = chrdev_register(MEM_MAJOR, 3, 7, NULL, mem_open);

	for (size_t i = 0; !err && i < ARRAY_SIZE(devs); i++)
		err = devfs_add_node(devs[i].name, S_IFCHR | 0666, MKDEV(MEM_MAJOR, devs[i].minor));
	return err;
}
KERNEL_INIT(mem_devices_init);
