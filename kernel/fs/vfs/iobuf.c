// SPDX-License-Identifier: MPL-2.0
// iobuf: one buffer type for user and kernel memory (see fs/file.h).
#include <aster/errno.h>
#include <aster/frame.h>
#include <aster/string.h>
#include "fs/file.h"

static bool in_range(const struct iobuf *b, size_t off, size_t n)
{
	return off <= b->len && n <= b->len - off;
}

int iobuf_write(struct iobuf *b, size_t off, const void *src, size_t n)
{
	if (!in_range(b, off, n))
		return -EINVAL;
	if (b->user)
		return copy_to_user(b->ua + off, src, n);
	memcpy(b->kbuf + off, src, n);
	return 0;
}

int iobuf_read(const struct iobuf *b, size_t off, void *dst, size_t n)
{
	if (!in_range(b, off, n))
		return -EINVAL;
	if (b->user)
		return copy_from_user(dst, b->ua + off, n);
	memcpy(dst, b->kbuf + off, n);
	return 0;
}

int iobuf_write_frame(struct iobuf *b, size_t off, const struct frame *f, size_t foff, size_t n)
{
	if (!in_range(b, off, n))
		return -EINVAL;
	if (b->user)
		return copy_frame_to_user(b->ua + off, f, foff, n);
	return frame_read(f, foff, b->kbuf + off, n);
}

int iobuf_read_frame(const struct iobuf *b, size_t off, struct frame *f, size_t foff, size_t n)
{
	if (!in_range(b, off, n))
		return -EINVAL;
	if (b->user)
		return copy_frame_from_user(f, foff, b->ua + off, n);
	return frame_write(f, foff, b->kbuf + off, n);
}
