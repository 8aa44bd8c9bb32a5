// SPDX-License-Identifier: MPL-2.0
// The streaming decompressors' shared parts (decompress.h): format
// detection, the output window, and the checksums the formats carry.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "decompress.h"

#define DCW_SLACK	DC_WINDOW_SLACK

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

enum dc_format dc_detect(const uint8_t *buf, size_t len)
{
	static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

	if (len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
		return DC_GZIP;
	if (len >= 6 && memcmp(buf, xz_magic, 6) == 0)
		return DC_XZ;
	if (len < 4)
		return DC_UNKNOWN;
	if (le32(buf) == 0xfd2fb528 || (le32(buf) & 0xfffffff0) == 0x184d2a50)
		return DC_ZSTD;
	if (le32(buf) == 0x184c2102)
		return DC_LZ4_LEGACY;
	if (le32(buf) == 0x184d2204)
		return DC_LZ4_FRAME;
	return DC_UNKNOWN;
}

const char *dc_name(enum dc_format f)
{
	switch (f) {
	case DC_GZIP: return "gzip";
	case DC_ZSTD: return "zstd";
	case DC_XZ: return "xz";
	case DC_LZ4_LEGACY: return "lz4 (legacy)";
	case DC_LZ4_FRAME: return "lz4";
	default: return "unknown";
	}
}

int dc_decompress(enum dc_format f, const uint8_t *in, size_t len, size_t *consumed,
		  const struct dc_sink *sink)
{
	*consumed = 0;
	switch (f) {
	case DC_GZIP: return dc_gunzip(in, len, consumed, sink);
	case DC_ZSTD: return dc_unzstd(in, len, consumed, sink);
	case DC_XZ: return dc_unxz(in, len, consumed, sink);
	case DC_LZ4_LEGACY: return dc_unlz4_legacy(in, len, consumed, sink);
	case DC_LZ4_FRAME: return dc_unlz4_frame(in, len, consumed, sink);
	default: return -EINVAL;
	}
}

int dcw_init(struct dc_window *w, size_t hist, size_t chunk, const struct dc_sink *sink)
{
	*w = (struct dc_window){ .hist = hist, .sink = sink, .crc = 0 };
	if (hist > DC_MAX_WINDOW || chunk > DC_MAX_WINDOW)
		return -EOPNOTSUPP;
	w->cap = hist + chunk + DCW_SLACK;
	w->buf = kmalloc(w->cap);
	return w->buf ? 0 : -ENOMEM;
}

void dcw_free(struct dc_window *w)
{
	kfree(w->buf);
	w->buf = NULL;
}

int dcw_flush(struct dc_window *w)
{
	size_t n = w->pos - w->done;
	int err;

	if (!n)
		return 0;
	if (w->track_crc)
		w->crc = crc32_update(w->crc, w->buf + w->done, n);
	w->total += n;
	err = w->sink->write(w->sink->ctx, w->buf + w->done, n);
	w->done = w->pos;
	return err;
}

int dcw_make_room(struct dc_window *w, size_t need)
{
	size_t keep;
	int err;

	err = dcw_flush(w);
	if (err)
		return err;
	keep = MIN(w->pos, w->hist);
	memmove(w->buf, w->buf + w->pos - keep, keep);
	w->pos = w->done = keep;
	return w->cap - DCW_SLACK - w->pos >= need ? 0 : -EINVAL;
}

/*
 * 8-byte copies for matches (as inflate.c does): byte loads the compiler
 * merges into one, and stores through a type that may sit anywhere and
 * alias anything (x86 allows unaligned accesses); memcpy would be a call.
 */
typedef uint64_t __attribute__((aligned(1), may_alias)) dc_unaligned_u64;

static inline void store64(uint8_t *p, uint64_t v)
{
	*(dc_unaligned_u64 *)p = v;
}

static inline uint64_t load64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	       (uint64_t)p[7] << 56;
}

void dcw_copy_match(struct dc_window *w, size_t dist, size_t len)
{
	uint8_t *d = w->buf + w->pos;
	const uint8_t *src = d - dist;
	size_t i = 0;

	w->pos += len;
	if (dist >= 8) {	/* 8 at a time; the last word may spill into the slack */
		for (; i < len; i += 8)
			store64(d + i, load64(src + i));
		return;
	}
	for (; i < len; i++)
		d[i] = src[i];
}

/* ---- CRC-32 (reflected 0xedb88320), slice-by-8: t[k][b] is b followed by k zero bytes. */

static uint32_t crc32_tab[8][256];
static bool crc32_ready;	/* filled on first use; the initramfs is unpacked by one task */

static void crc32_init(void)
{
	for (unsigned int n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320 & (0 - (c & 1)));
		crc32_tab[0][n] = c;
	}
	for (unsigned int n = 0; n < 256; n++)
		for (int k = 1; k < 8; k++)
			crc32_tab[k][n] = (crc32_tab[k - 1][n] >> 8) ^
					  crc32_tab[0][crc32_tab[k - 1][n] & 0xff];
	crc32_ready = true;
}

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	const uint32_t (*t)[256] = crc32_tab;

	if (!crc32_ready)
		crc32_init();
	crc = ~crc;
	for (; n >= 8; p += 8, n -= 8) {
		uint32_t a = crc ^ le32(p), b = le32(p + 4);

		crc = t[7][a & 0xff] ^ t[6][(a >> 8) & 0xff] ^ t[5][(a >> 16) & 0xff] ^ t[4][a >> 24] ^
		      t[3][b & 0xff] ^ t[2][(b >> 8) & 0xff] ^ t[1][(b >> 16) & 0xff] ^ t[0][b >> 24];
	}
	for (; n; p++, n--)
		crc = (crc >> 8) ^ t[0][(crc ^ *p) & 0xff];
	return ~crc;
}

/* ---- CRC-64 (ECMA-182, reflected 0xc96c5795d7870f42), as xz uses it. */

static uint64_t crc64_tab[256];
static bool crc64_ready;

uint64_t crc64_update(uint64_t crc, const uint8_t *p, size_t n)
{
	if (!crc64_ready) {
		for (unsigned int i = 0; i < 256; i++) {
			uint64_t c = i;

			for (int k = 0; k < 8; k++)
				c = (c >> 1) ^ (0xc96c5795d7870f42ULL & (0 - (c & 1)));
			crc64_tab[i] = c;
		}
		crc64_ready = true;
	}
	crc = ~crc;
	for (; n; p++, n--)
		crc = (crc >> 8) ^ crc64_tab[(crc ^ *p) & 0xff];
	return ~crc;
}

/* ---- xxHash32 and xxHash64, from the published algorithm description. */

#define P32_1	0x9e3779b1U
#define P32_2	0x85ebca77U
#define P32_3	0xc2b2ae3dU
#define P32_4	0x27d4eb2fU
#define P32_5	0x165667b1U
#define P64_1	0x9e3779b185ebca87ULL
#define P64_2	0xc2b2ae3d27d4eb4fULL
#define P64_3	0x165667b19e3779f9ULL
#define P64_4	0x85ebca77c2b2ae63ULL
#define P64_5	0x27d4eb2f165667c5ULL

static inline uint32_t rotl32(uint32_t x, int r)
{
	return x << r | x >> (32 - r);
}

static inline uint64_t rotl64(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint32_t xxh32_round(uint32_t acc, uint32_t in)
{
	return rotl32(acc + in * P32_2, 13) * P32_1;
}

void xxh32_init(struct xxh32_state *s, uint32_t seed)
{
	*s = (struct xxh32_state){ .v = { seed + P32_1 + P32_2, seed + P32_2, seed, seed - P32_1 } };
}

static void xxh32_stripe(struct xxh32_state *s, const uint8_t *p)
{
	for (int i = 0; i < 4; i++)
		s->v[i] = xxh32_round(s->v[i], le32(p + 4 * i));
}

void xxh32_update(struct xxh32_state *s, const uint8_t *p, size_t n)
{
	s->total += n;
	if (s->buffered) {
		size_t k = MIN(n, 16 - (size_t)s->buffered);

		memcpy(s->buf + s->buffered, p, k);
		s->buffered += (uint32_t)k;
		p += k;
		n -= k;
		if (s->buffered < 16)
			return;
		xxh32_stripe(s, s->buf);
		s->buffered = 0;
	}
	for (; n >= 16; p += 16, n -= 16)
		xxh32_stripe(s, p);
	memcpy(s->buf, p, n);
	s->buffered = (uint32_t)n;
}

uint32_t xxh32_digest(const struct xxh32_state *s)
{
	const uint8_t *p = s->buf;
	size_t n = s->buffered;
	uint32_t h;

	if (s->total >= 16)
		h = rotl32(s->v[0], 1) + rotl32(s->v[1], 7) + rotl32(s->v[2], 12) + rotl32(s->v[3], 18);
	else
		h = s->v[2] + P32_5;	/* v[2] is the seed */
	h += (uint32_t)s->total;
	for (; n >= 4; p += 4, n -= 4)
		h = rotl32(h + le32(p) * P32_3, 17) * P32_4;
	for (; n; p++, n--)
		h = rotl32(h + *p * P32_5, 11) * P32_1;
	h ^= h >> 15;
	h *= P32_2;
	h ^= h >> 13;
	h *= P32_3;
	return h ^ (h >> 16);
}

uint32_t xxh32(const uint8_t *p, size_t n, uint32_t seed)
{
	struct xxh32_state s;

	xxh32_init(&s, seed);
	xxh32_update(&s, p, n);
	return xxh32_digest(&s);
}

static uint64_t xxh64_round(uint64_t acc, uint64_t in)
{
	return rotl64(acc + in * P64_2, 31) * P64_1;
}

void xxh64_init(struct xxh64_state *s, uint64_t seed)
{
	*s = (struct xxh64_state){ .v = { seed + P64_1 + P64_2, seed + P64_2, seed, seed - P64_1 } };
}

static void xxh64_stripe(struct xxh64_state *s, const uint8_t *p)
{
	for (int i = 0; i < 4; i++)
		s->v[i] = xxh64_round(s->v[i], le64(p + 8 * i));
}

void xxh64_update(struct xxh64_state *s, const uint8_t *p, size_t n)
{
	s->total += n;
	if (s->buffered) {
		size_t k = MIN(n, 32 - (size_t)s->buffered);

		memcpy(s->buf + s->buffered, p, k);
		s->buffered += (uint32_t)k;
		p += k;
		n -= k;
		if (s->buffered < 32)
			return;
		xxh64_stripe(s, s->buf);
		s->buffered = 0;
	}
	for (; n >= 32; p += 32, n -= 32)
		xxh64_stripe(s, p);
	memcpy(s->buf, p, n);
	s->buffered = (uint32_t)n;
}

uint64_t xxh64_digest(const struct xxh64_state *s)
{
	const uint8_t *p = s->buf;
	size_t n = s->buffered;
	uint64_t h;

	if (s->total >= 32) {
		h = rotl64(s->v[0], 1) + rotl64(s->v[1], 7) + rotl64(s->v[2], 12) + rotl64(s->v[3], 18);
		for (int i = 0; i < 4; i++)
			h = (h ^ xxh64_round(0, s->v[i])) * P64_1 + P64_4;
	} else {
		h = s->v[2] + P64_5;	/* v[2] is the seed */
	}
	h += s->total;
	for (; n >= 8; p += 8, n -= 8)
		h = rotl64(h ^ xxh64_round(0, le64(p)), 27) * P64_1 + P64_4;
	if (n >= 4) {
		h = rotl64(h ^ (uint64_t)le32(p) * P64_1, 23) * P64_2 + P64_3;
		p += 4;
		n -= 4;
	}
	for (; n; p++, n--)
		h = rotl64(h ^ *p * P64_5, 11) * P64_1;
	h ^= h >> 33;
	h *= P64_2;
	h ^= h >> 29;
	h *= P64_3;
	return h ^ (h >> 32);
}

KTEST(decompress_checksums_known_values)
{
	struct xxh64_state s;

	/* Published check values: CRC-32 and CRC-64/XZ of "123456789", xxHash of "". */
	KT_EXPECT(crc32_update(0, (const uint8_t *)"123456789", 9) == 0xcbf43926);
	KT_EXPECT(crc64_update(0, (const uint8_t *)"123456789", 9) == 0x995dc9bbdf1939faULL);
	KT_EXPECT(xxh32((const uint8_t *)"", 0, 0) == 0x02cc5d05);
	xxh64_init(&s, 0);
	KT_EXPECT(xxh64_digest(&s) == 0xef46db3751d8e999ULL);
	KT_EXPECT(dc_detect((const uint8_t *)"\x28\xb5\x2f\xfd", 4) == DC_ZSTD);
	KT_EXPECT(dc_detect((const uint8_t *)"0707", 4) == DC_UNKNOWN);
}
