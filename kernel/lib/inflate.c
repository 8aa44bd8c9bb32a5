// SPDX-License-Identifier: MPL-2.0
// DEFLATE decoder.  Huffman codes are canonical, so a code is decoded bit
// by bit against the number of codes of each length: small tables, no
// recursion, and every table built from the input is checked for
// over-subscription before use.
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "inflate.h"

#define MAX_BITS	15
#define MAX_LITLEN	288
#define MAX_DIST	30

struct bits {
	const uint8_t *in;
	size_t len, pos;
	uint32_t acc;
	unsigned int nacc;
	bool overrun;
};

struct out {
	uint8_t *buf;
	size_t len, pos;
};

struct huffman {
	uint16_t count[MAX_BITS + 1];
	uint16_t symbol[MAX_LITLEN];
};

static uint32_t take_bits(struct bits *b, unsigned int n)
{
	while (b->nacc < n) {
		if (b->pos >= b->len) {
			b->overrun = true;
			return 0;
		}
		b->acc |= (uint32_t)b->in[b->pos++] << b->nacc;
		b->nacc += 8;
	}
	uint32_t v = b->acc & ((1U << n) - 1);

	b->acc >>= n;
	b->nacc -= n;
	return v;
}

/* Build a decoder from code lengths; -EINVAL if over-subscribed. */
static int huffman_build(struct huffman *h, const uint8_t *lengths, unsigned int n)
{
	uint16_t offs[MAX_BITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned int i = 0; i < n; i++)
		h->count[lengths[i]]++;
	for (int len = 1; len <= MAX_BITS; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return -EINVAL;
	}
	offs[1] = 0;
	for (int len = 1; len < MAX_BITS; len++)
		offs[len + 1] = offs[len] + h->count[len];
	for (unsigned int i = 0; i < n; i++)
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = (uint16_t)i;
	h->count[0] = 0;
	return 0;
}

static int huffman_decode(struct bits *b, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;

	for (int len = 1; len <= MAX_BITS; len++) {
		code |= (int)take_bits(b, 1);
		if (b->overrun)
			return -EINVAL;
		int count = h->count[len];

		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -EINVAL;
}

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
				       35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
				       3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
					193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
					6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
					7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static int put_byte(struct out *o, uint8_t c)
{
	if (o->pos >= o->len)
		return -ENOSPC;
	o->buf[o->pos++] = c;
	return 0;
}

static int inflate_codes(struct bits *b, struct out *o, const struct huffman *lit,
			 const struct huffman *dist)
{
	for (;;) {
		int sym = huffman_decode(b, lit);

		if (sym < 0)
			return sym;
		if (sym < 256) {
			int err = put_byte(o, (uint8_t)sym);

			if (err)
				return err;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return -EINVAL;
		size_t len = len_base[sym] + take_bits(b, len_extra[sym]);
		int dsym = huffman_decode(b, dist);

		if (dsym < 0 || dsym >= 30)
			return -EINVAL;
		size_t d = dist_base[dsym] + take_bits(b, dist_extra[dsym]);

		if (b->overrun || d > o->pos)
			return -EINVAL;
		if (len > o->len - o->pos)
			return -ENOSPC;
		for (size_t i = 0; i < len; i++, o->pos++)
			o->buf[o->pos] = o->buf[o->pos - d];
	}
}

static int inflate_stored(struct bits *b, struct out *o)
{
	uint32_t len, nlen;

	b->acc = 0;	/* stored blocks start on a byte boundary */
	b->nacc = 0;
	if (b->len - b->pos < 4)
		return -EINVAL;
	len = b->in[b->pos] | (uint32_t)b->in[b->pos + 1] << 8;
	nlen = b->in[b->pos + 2] | (uint32_t)b->in[b->pos + 3] << 8;
	b->pos += 4;
	if (len != (~nlen & 0xffff) || len > b->len - b->pos)
		return -EINVAL;
	if (len > o->len - o->pos)
		return -ENOSPC;
	memcpy(o->buf + o->pos, b->in + b->pos, len);
	o->pos += len;
	b->pos += len;
	return 0;
}

static int inflate_fixed(struct bits *b, struct out *o)
{
	static struct huffman lit, dist;
	static bool built;

	if (!built) {
		uint8_t l[MAX_LITLEN];
		unsigned int i = 0;

		for (; i < 144; i++) l[i] = 8;
		for (; i < 256; i++) l[i] = 9;
		for (; i < 280; i++) l[i] = 7;
		for (; i < MAX_LITLEN; i++) l[i] = 8;
		huffman_build(&lit, l, MAX_LITLEN);
		for (i = 0; i < MAX_DIST; i++) l[i] = 5;
		huffman_build(&dist, l, MAX_DIST);
		built = true;
	}
	return inflate_codes(b, o, &lit, &dist);
}

static int read_code_lengths(struct bits *b, uint8_t *lengths, unsigned int nlen, unsigned int ndist)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	unsigned int ncode = take_bits(b, 4) + 4;
	uint8_t cl[19] = { 0 };
	struct huffman h;

	for (unsigned int i = 0; i < ncode; i++)
		cl[order[i]] = (uint8_t)take_bits(b, 3);
	if (b->overrun || huffman_build(&h, cl, 19))
		return -EINVAL;
	for (unsigned int i = 0; i < nlen + ndist;) {
		int sym = huffman_decode(b, &h);
		unsigned int rep;
		uint8_t val = 0;

		if (sym < 0)
			return -EINVAL;
		if (sym < 16) {
			lengths[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return -EINVAL;
			val = lengths[i - 1];
			rep = 3 + take_bits(b, 2);
		} else if (sym == 17) {
			rep = 3 + take_bits(b, 3);
		} else {
			rep = 11 + take_bits(b, 7);
		}
		if (b->overrun || i + rep > nlen + ndist)
			return -EINVAL;
		while (rep--)
			lengths[i++] = val;
	}
	return lengths[256] ? 0 : -EINVAL;	/* a block must be able to end */
}

static int inflate_dynamic(struct bits *b, struct out *o)
{
	uint8_t lengths[MAX_LITLEN + MAX_DIST];
	struct huffman lit, dist;
	unsigned int nlen = take_bits(b, 5) + 257, ndist = take_bits(b, 5) + 1;
	int err;

	if (b->overrun || nlen > 286 || ndist > 30)
		return -EINVAL;
	err = read_code_lengths(b, lengths, nlen, ndist);
	if (err)
		return err;
	if (huffman_build(&lit, lengths, nlen) || huffman_build(&dist, lengths + nlen, ndist))
		return -EINVAL;
	return inflate_codes(b, o, &lit, &dist);
}

static int inflate_raw(struct bits *b, struct out *o)
{
	uint32_t last;

	do {
		int err;

		last = take_bits(b, 1);
		switch (take_bits(b, 2)) {
		case 0: err = inflate_stored(b, o); break;
		case 1: err = inflate_fixed(b, o); break;
		case 2: err = inflate_dynamic(b, o); break;
		default: err = -EINVAL; break;
		}
		if (!err && b->overrun)
			err = -EINVAL;
		if (err)
			return err;
	} while (!last);
	return 0;
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffff;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
	}
	return ~crc;
}

bool gzip_detect(const uint8_t *buf, size_t len)
{
	return len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

int gzip_announced_size(const uint8_t *buf, size_t len, uint64_t *size)
{
	if (len < 18 || !gzip_detect(buf, len))
		return -EINVAL;
	*size = (uint64_t)buf[len - 4] | (uint64_t)buf[len - 3] << 8 |
		(uint64_t)buf[len - 2] << 16 | (uint64_t)buf[len - 1] << 24;
	return 0;
}

/* Skip the gzip header; returns its length or -EINVAL. */
static int gzip_header(const uint8_t *in, size_t len)
{
	size_t pos = 10;
	uint8_t flags;

	if (len < 18 || !gzip_detect(in, len) || in[2] != 8)
		return -EINVAL;
	flags = in[3];
	if (flags & 0xe0)
		return -EINVAL;
	if (flags & 4) {	/* FEXTRA */
		if (len - pos < 2)
			return -EINVAL;
		pos += 2 + (in[pos] | (size_t)in[pos + 1] << 8);
	}
	for (int f = 8; f <= 16; f <<= 1) {	/* FNAME, FCOMMENT: zero-terminated */
		if (!(flags & f))
			continue;
		while (pos < len && in[pos])
			pos++;
		pos++;
	}
	if (flags & 2)		/* FHCRC */
		pos += 2;
	return pos + 8 <= len ? (int)pos : -EINVAL;
}

int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len, size_t *written,
	   size_t *consumed)
{
	int hdr = gzip_header(in, in_len);
	struct bits b;
	struct out o = { out, out_len, 0 };
	uint32_t crc, isize;
	int err;

	if (hdr < 0)
		return hdr;
	b = (struct bits){ .in = in, .len = in_len, .pos = (size_t)hdr };
	err = inflate_raw(&b, &o);
	if (err)
		return err;
	if (b.len - b.pos < 8)
		return -EINVAL;
	crc = in[b.pos] | (uint32_t)in[b.pos + 1] << 8 | (uint32_t)in[b.pos + 2] << 16 |
	      (uint32_t)in[b.pos + 3] << 24;
	isize = in[b.pos + 4] | (uint32_t)in[b.pos + 5] << 8 | (uint32_t)in[b.pos + 6] << 16 |
		(uint32_t)in[b.pos + 7] << 24;
	if (crc != crc32(out, o.pos) || isize != (uint32_t)o.pos)
		return -EINVAL;
	*written = o.pos;
	*consumed = b.pos + 8;
	return 0;
}

KTEST(gunzip_known_member_and_corruption)
{
	/* `printf 'hello hello hello hello\n' | gzip -9n` */
	static const uint8_t gz[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40, 0x27, 0xb9, 0x00, 0x00, 0x88, 0x59, 0x0b, 0x18, 0x00, 0x00, 0x00,
	};
	static uint8_t bad[sizeof(gz)];
	uint8_t out[64];
	size_t n, used;
	uint64_t announced;

	KT_ASSERT_EQ(gunzip(gz, sizeof(gz), out, sizeof(out), &n, &used), 0);
	KT_ASSERT_EQ(n, 24);
	KT_EXPECT(memcmp(out, "hello hello hello hello\n", 24) == 0);
	KT_EXPECT(used == sizeof(gz));
	KT_ASSERT_EQ(gzip_announced_size(gz, sizeof(gz), &announced), 0);
	KT_EXPECT(announced == 24);
	KT_ASSERT_EQ(gunzip(gz, sizeof(gz), out, 10, &n, &used), -ENOSPC);
	memcpy(bad, gz, sizeof(gz));
	bad[sizeof(gz) - 6] ^= 0xff;	/* CRC */
	KT_ASSERT_EQ(gunzip(bad, sizeof(bad), out, sizeof(out), &n, &used), -EINVAL);
	KT_ASSERT_EQ(gunzip(gz, sizeof(gz) - 9, out, sizeof(out), &n, &used), -EINVAL);
}
