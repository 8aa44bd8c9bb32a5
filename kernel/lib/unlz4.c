// SPDX-License-Identifier: MPL-2.0
// LZ4 decompression, streaming (decompress.h): the legacy format Linux's
// initramfs uses (`lz4 -l`: magic, then blocks of a 4-byte size and an
// independent block of at most 8 MiB of output) and the frame format
// (descriptor with its checksum, blocks linked or independent, optional
// block and content xxHash32 checksums).  Written from the LZ4 block and
// frame format descriptions.
//
// A block is a run of sequences: a token (literal count in the high
// nibble, match length - 4 in the low one, 15 meaning "more bytes follow,
// each added, until one is not 255"), the literals, a 2-byte offset (never
// 0) and the match; the last sequence has only literals.  Every count is
// checked against the input left and the block's output limit, and every
// offset against the history the window holds.
#include <aster/errno.h>
#include <aster/string.h>
#include "decompress.h"

#define LZ4_HIST	65536
#define LZ4_CHUNK	(256U << 10)
#define LEGACY_MAGIC	0x184c2102U
#define FRAME_MAGIC	0x184d2204U
#define LEGACY_BLOCK	(8U << 20)
/* The largest legacy block: 8 MiB that did not compress, plus the format's overhead. */
#define LEGACY_BOUND	(LEGACY_BLOCK + LEGACY_BLOCK / 255 + 16)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A count's extra bytes at in[*i..len): -EINVAL if the input ends in them or it passes limit. */
static int more_count(const uint8_t *in, size_t len, size_t *i, size_t *count, size_t limit)
{
	uint8_t b;

	do {
		if (*i >= len)
			return -EINVAL;
		b = in[(*i)++];
		*count += b;
		if (*count > limit)
			return -EINVAL;
	} while (b == 255);
	return 0;
}

static int put_literals(struct dc_window *w, const uint8_t *p, size_t n)
{
	while (n) {
		size_t k = MIN(n, (size_t)LZ4_CHUNK);
		int err = dcw_room(w, k);

		if (err)
			return err;
		memcpy(w->buf + w->pos, p, k);
		w->pos += k;
		p += k;
		n -= k;
	}
	return 0;
}

static int put_match(struct dc_window *w, size_t off, size_t n)
{
	while (n) {
		size_t k = MIN(n, (size_t)LZ4_CHUNK);
		int err = dcw_room(w, k);

		if (err)
			return err;
		if (off > dcw_reach(w))
			return -EINVAL;
		dcw_copy_match(w, off, k);
		n -= k;
	}
	return 0;
}

/*
 * One block of in[0..len) into w, at most max_out bytes.  An independent
 * block may not reach before its own start; a linked one may reach into
 * the frame's earlier blocks (what the window holds).
 */
static int lz4_block(struct dc_window *w, const uint8_t *in, size_t len, size_t max_out,
		     bool independent)
{
	size_t i = 0, produced = 0;

	for (;;) {
		size_t lit, ml, off;
		uint8_t tok;
		int err;

		if (i >= len)
			return -EINVAL;
		tok = in[i++];
		lit = tok >> 4;
		if (lit == 15 && more_count(in, len, &i, &lit, len))
			return -EINVAL;
		if (lit > len - i || lit > max_out - produced)
			return -EINVAL;
		err = put_literals(w, in + i, lit);
		if (err)
			return err;
		i += lit;
		produced += lit;
		if (i == len)
			return 0;	/* the last sequence: literals only */
		if (len - i < 2)
			return -EINVAL;
		off = (size_t)in[i] | (size_t)in[i + 1] << 8;
		i += 2;
		ml = tok & 15;
		if (ml == 15 && more_count(in, len, &i, &ml, max_out))
			return -EINVAL;
		ml += 4;
		if (off == 0 || (independent && off > produced) || ml > max_out - produced)
			return -EINVAL;
		err = put_match(w, off, ml);
		if (err)
			return err;
		produced += ml;
	}
}

int dc_unlz4_legacy(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink)
{
	struct dc_window w;
	size_t pos = 4;
	int err;

	*consumed = 0;
	if (len < 4 || le32(in) != LEGACY_MAGIC)
		return -EINVAL;
	err = dcw_init(&w, LZ4_HIST, LZ4_CHUNK, sink);
	while (!err) {
		uint32_t n;

		*consumed = pos;
		if (len - pos < 4)
			break;	/* the end of the input ends the stream */
		n = le32(in + pos);
		if (n == LEGACY_MAGIC) {	/* lz4 -l output concatenated */
			pos += 4;
			continue;
		}
		if (n == 0 || n > LEGACY_BOUND)
			break;	/* not a block: padding or the next archive */
		if (n > len - pos - 4) {
			err = -EINVAL;
			break;
		}
		err = lz4_block(&w, in + pos + 4, n, LEGACY_BLOCK, true);
		if (!err)
			err = dcw_flush(&w);
		/* Blocks are independent: no history survives them. */
		w.pos = w.done = 0;
		pos += 4 + n;
	}
	if (!err)
		err = dcw_flush(&w);
	dcw_free(&w);
	return err;
}

/* The frame's sink: hashes the content for its checksum, then passes it on. */
struct lz4_hashing_sink {
	const struct dc_sink *next;
	struct xxh32_state h;
};

static int hashing_write(void *ctx, const uint8_t *p, size_t n)
{
	struct lz4_hashing_sink *hs = ctx;

	xxh32_update(&hs->h, p, n);
	return hs->next->write(hs->next->ctx, p, n);
}

struct lz4_frame {
	bool independent, block_sum, content_sum;
	size_t block_max;
	size_t hdr;		/* the descriptor's length, magic included */
};

/* The frame descriptor: flags, block size, content size, dictionary ID, checksum. */
static int lz4_descriptor(const uint8_t *in, size_t len, struct lz4_frame *f)
{
	static const size_t block_max[8] = { 0, 0, 0, 0, 64U << 10, 256U << 10, 1U << 20, 4U << 20 };
	uint8_t flg, bd;
	size_t n = 6;

	if (len < 7)
		return -EINVAL;
	flg = in[4];
	bd = in[5];
	if ((flg >> 6) != 1 || (flg & 2) || (bd & 0x8f) || !block_max[(bd >> 4) & 7])
		return -EINVAL;
	if (flg & 1)
		return -EOPNOTSUPP;	/* a dictionary: not for an initramfs */
	if (flg & 8)
		n += 8;
	if (len < n + 1 || ((xxh32(in + 4, n - 4, 0) >> 8) & 0xff) != in[n])
		return -EINVAL;
	*f = (struct lz4_frame){ .independent = flg & 0x20, .block_sum = flg & 0x10,
				 .content_sum = flg & 4, .block_max = block_max[(bd >> 4) & 7],
				 .hdr = n + 1 };
	return 0;
}

static int lz4_frame_blocks(struct dc_window *w, const struct lz4_frame *f, const uint8_t *in,
			    size_t len, size_t *pos)
{
	for (;;) {
		uint32_t word, n;
		int err;

		if (len - *pos < 4)
			return -EINVAL;
		word = le32(in + *pos);
		*pos += 4;
		if (word == 0)
			return 0;	/* EndMark */
		n = word & 0x7fffffff;
		if (n > f->block_max || n > len - *pos ||
		    (f->block_sum && len - *pos - n < 4))
			return -EINVAL;
		if (f->block_sum && xxh32(in + *pos, n, 0) != le32(in + *pos + n))
			return -EINVAL;
		if (word & 0x80000000)
			err = put_literals(w, in + *pos, n);
		else
			err = lz4_block(w, in + *pos, n, f->block_max, f->independent);
		if (err)
			return err;
		if (f->independent) {
			err = dcw_flush(w);
			w->pos = w->done = 0;
			if (err)
				return err;
		}
		*pos += n + (f->block_sum ? 4 : 0);
	}
}

int dc_unlz4_frame(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink)
{
	struct lz4_hashing_sink hs = { .next = sink };
	struct dc_sink hashing = { .write = hashing_write, .ctx = &hs };
	struct lz4_frame f;
	struct dc_window w;
	size_t pos;
	int err;

	*consumed = 0;
	if (len < 4 || le32(in) != FRAME_MAGIC)
		return -EINVAL;
	err = lz4_descriptor(in, len, &f);
	if (err)
		return err;
	xxh32_init(&hs.h, 0);
	err = dcw_init(&w, LZ4_HIST, LZ4_CHUNK, &hashing);
	pos = f.hdr;
	if (!err)
		err = lz4_frame_blocks(&w, &f, in, len, &pos);
	if (!err)
		err = dcw_flush(&w);
	*consumed = pos;
	if (!err && f.content_sum) {
		if (len - pos < 4 || le32(in + pos) != xxh32_digest(&hs.h))
			err = -EINVAL;
		else
			*consumed = pos + 4;
	}
	dcw_free(&w);
	return err;
}
