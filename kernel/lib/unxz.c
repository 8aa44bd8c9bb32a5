// SPDX-License-Identifier: MPL-2.0
// The .xz container, streaming (decompress.h), written from the .xz file
// format description: stream header, blocks (header with its CRC32, one
// LZMA2 filter, padding, check), the index (checked against the blocks)
// and the stream footer.  CRC32 and CRC64 checks are verified; SHA-256 and
// the reserved check types are skipped by their sizes.  Filters other than
// LZMA2 alone (BCJ, delta: not used by update-initramfs or dracut for an
// initramfs) are refused with -EOPNOTSUPP.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "decompress.h"
#include "xz_internal.h"

#define LZMA2_ID	0x21
#define CHECK_NONE	0
#define CHECK_CRC32	1
#define CHECK_CRC64	4

static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* A variable-length integer (up to 9 bytes, 63 bits). */
static int vli(const uint8_t *in, size_t len, size_t *pos, uint64_t *v)
{
	*v = 0;
	for (unsigned int i = 0; i < 9; i++) {
		uint8_t b;

		if (*pos >= len)
			return -EINVAL;
		b = in[(*pos)++];
		*v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return b == 0 && i ? -EINVAL : 0;	/* no redundant zero byte */
	}
	return -EINVAL;
}

static size_t check_size(unsigned int type)
{
	static const uint8_t sizes[16] = { 0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64 };

	return sizes[type & 15];
}

/* The block's sink: computes the check over the output, then passes it on. */
struct xz_check_sink {
	const struct dc_sink *next;
	unsigned int type;
	uint32_t crc32;
	uint64_t crc64;
};

static int check_write(void *ctx, const uint8_t *p, size_t n)
{
	struct xz_check_sink *c = ctx;

	if (c->type == CHECK_CRC32)
		c->crc32 = crc32_update(c->crc32, p, n);
	else if (c->type == CHECK_CRC64)
		c->crc64 = crc64_update(c->crc64, p, n);
	return c->next->write(c->next->ctx, p, n);
}

/* What the index must repeat: the blocks' count and sizes. */
struct xz_sums {
	uint64_t blocks, unpadded, uncompressed;
};

struct xz_block {
	uint64_t csize, usize;	/* UINT64_MAX: not in the header */
	uint32_t dict;
	size_t hdr;
};

/* The block header at in[0]: sizes, one LZMA2 filter and its dictionary size. */
static int block_header(const uint8_t *in, size_t len, struct xz_block *b)
{
	size_t size = ((size_t)in[0] + 1) * 4, pos = 2;
	uint64_t id, psize;
	uint8_t flags;

	if (size > len || le32(in + size - 4) != crc32_update(0, in, size - 4))
		return -EINVAL;
	flags = in[1];
	if (flags & 0x3c)
		return -EINVAL;
	if (flags & 3)
		return -EOPNOTSUPP;	/* more than one filter: BCJ or delta before LZMA2 */
	*b = (struct xz_block){ .csize = UINT64_MAX, .usize = UINT64_MAX, .hdr = size };
	if ((flags & 0x40) && vli(in, size - 4, &pos, &b->csize))
		return -EINVAL;
	if ((flags & 0x80) && vli(in, size - 4, &pos, &b->usize))
		return -EINVAL;
	if (vli(in, size - 4, &pos, &id) || vli(in, size - 4, &pos, &psize))
		return -EINVAL;
	if (id != LZMA2_ID)
		return -EOPNOTSUPP;
	if (psize != 1 || pos >= size - 4 || (in[pos] & 0xc0) || in[pos] > 40)
		return -EINVAL;
	b->dict = in[pos] == 40 ? 0xffffffffU : (2U | (in[pos] & 1)) << (in[pos] / 2 + 11);
	for (pos++; pos < size - 4; pos++)
		if (in[pos])
			return -EINVAL;	/* header padding is zeros */
	return 0;
}

static int one_block(const uint8_t *in, size_t len, size_t *pos, unsigned int check,
		     const struct dc_sink *sink, struct xz_sums *sums)
{
	struct xz_check_sink cs = { .next = sink, .type = check };
	struct dc_sink checking = { .write = check_write, .ctx = &cs };
	struct lzma2 *s;
	struct xz_block b;
	size_t used, start = *pos, csize;
	uint64_t produced;
	int err = block_header(in + *pos, len - *pos, &b);

	if (err)
		return err;
	*pos += b.hdr;
	err = lzma2_new(&s, b.dict, &checking);
	if (err)
		return err;
	err = lzma2_decode(s, in + *pos, len - *pos, &used, &produced);
	lzma2_free(s);
	if (err)
		return err;
	*pos += used;
	csize = used;
	if ((b.csize != UINT64_MAX && b.csize != csize) ||
	    (b.usize != UINT64_MAX && b.usize != produced))
		return -EINVAL;
	for (; (*pos - start) & 3; (*pos)++)	/* block padding */
		if (*pos >= len || in[*pos])
			return -EINVAL;
	if (len - *pos < check_size(check))
		return -EINVAL;
	if ((check == CHECK_CRC32 && le32(in + *pos) != cs.crc32) ||
	    (check == CHECK_CRC64 && le64(in + *pos) != cs.crc64))
		return -EINVAL;
	sums->blocks++;
	sums->unpadded += b.hdr + csize + check_size(check);
	sums->uncompressed += produced;
	*pos += check_size(check);
	return 0;
}

/* The index at in[*pos] (its indicator byte 0 included): must match the blocks. */
static int xz_index(const uint8_t *in, size_t len, size_t *pos, const struct xz_sums *sums)
{
	struct xz_sums seen = { 0 };
	size_t start = (*pos)++;
	uint64_t n;

	if (vli(in, len, pos, &n) || n != sums->blocks)
		return -EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t unpadded, uncompressed;

		if (vli(in, len, pos, &unpadded) || vli(in, len, pos, &uncompressed))
			return -EINVAL;
		seen.unpadded += unpadded;
		seen.uncompressed += uncompressed;
	}
	for (; (*pos - start) & 3; (*pos)++)
		if (*pos >= len || in[*pos])
			return -EINVAL;
	if (len - *pos < 4 || le32(in + *pos) != crc32_update(0, in + start, *pos - start))
		return -EINVAL;
	*pos += 4;
	if (seen.unpadded != sums->unpadded || seen.uncompressed != sums->uncompressed)
		return -EINVAL;
	return 0;
}

int dc_unxz(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink)
{
	struct xz_sums sums = { 0 };
	size_t pos = 12, index_start;
	unsigned int check;
	int err = 0;

	*consumed = 0;
	if (len < 12 || memcmp(in, xz_magic, 6) != 0 || in[6] != 0 || (in[7] & 0xf0) ||
	    le32(in + 8) != crc32_update(0, in + 6, 2))
		return -EINVAL;
	check = in[7];
	while (!err) {
		if (pos >= len) {
			err = -EINVAL;
			break;
		}
		if (in[pos] == 0)
			break;	/* the index */
		err = one_block(in, len, &pos, check, sink, &sums);
		*consumed = pos;
	}
	if (err)
		return err;
	index_start = pos;
	err = xz_index(in, len, &pos, &sums);
	*consumed = pos;
	if (err)
		return err;
	/* The footer: CRC32 of backward size and flags, backward size, flags, "YZ". */
	if (len - pos < 12 || le32(in + pos) != crc32_update(0, in + pos + 4, 6) ||
	    ((uint64_t)le32(in + pos + 4) + 1) * 4 != pos - index_start ||
	    in[pos + 8] != in[6] || in[pos + 9] != in[7] || in[pos + 10] != 'Y' ||
	    in[pos + 11] != 'Z')
		return -EINVAL;
	*consumed = pos + 12;
	return 0;
}
