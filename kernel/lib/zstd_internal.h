/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/lib/: the entropy coders of the zstd decoder (RFC 8878
 * section 4): backward bitstreams, FSE tables and Huffman tables, shared by
 * unzstd.c and zstd_entropy.c.
 */
#ifndef ASTER_KERNEL_ZSTD_INTERNAL_H
#define ASTER_KERNEL_ZSTD_INTERNAL_H

#include <aster/types.h>

/*
 * A backward bitstream (RFC 8878 4.1): read from the end towards the start,
 * the last byte's highest set bit marking where it begins.  pos counts the
 * bits left; reads past the start see zeros and make pos negative, which
 * the callers check (a stream must be consumed exactly).
 */
struct zbits {
	const uint8_t *p;
	size_t len;
	int64_t pos;
};

int zb_init(struct zbits *b, const uint8_t *p, size_t len);

/* The next n <= 32 bits, without consuming them. */
static inline uint64_t zb_peek(const struct zbits *b, unsigned int n)
{
	int64_t lo = b->pos - (int64_t)n;
	size_t at, i;
	uint64_t v = 0;
	unsigned int shift;

	if (b->pos <= 0 || n == 0)
		return 0;
	if (lo < 0) {	/* below the start: zeros */
		at = 0;
		shift = 0;
	} else {
		at = (size_t)lo >> 3;
		shift = (unsigned int)lo & 7;
	}
	if (b->len - at >= 8) {	/* one load (the compiler merges the bytes) */
		const uint8_t *q = b->p + at;

		v = (uint64_t)q[0] | (uint64_t)q[1] << 8 | (uint64_t)q[2] << 16 |
		    (uint64_t)q[3] << 24 | (uint64_t)q[4] << 32 | (uint64_t)q[5] << 40 |
		    (uint64_t)q[6] << 48 | (uint64_t)q[7] << 56;
	} else {
		for (i = 0; at + i < b->len; i++)
			v |= (uint64_t)b->p[at + i] << (8 * i);
	}
	v >>= shift;
	if (lo < 0)	/* the bits [0, pos) move up to the top of the n */
		v = (v & ((1ULL << b->pos) - 1)) << (uint64_t)(-lo);
	return v & ((1ULL << n) - 1);
}

static inline uint64_t zb_read(struct zbits *b, unsigned int n)
{
	uint64_t v = zb_peek(b, n);

	b->pos -= n;
	return v;
}

/* FSE decoding tables: accuracy log up to 9 (literal and match lengths). */
#define FSE_MAX_LOG	9

struct fse_entry {
	uint8_t sym;
	uint8_t nbits;
	uint16_t base;
};

struct fse_table {
	unsigned int log;
	struct fse_entry e[1U << FSE_MAX_LOG];
};

/* Build from normalized counts (-1: "less than one"), summing to 1 << log. */
int fse_build(struct fse_table *t, const int16_t *norm, unsigned int nsym, unsigned int log);
/* Read a table description (4.1.1) from p; *used: its length in bytes. */
int fse_read(struct fse_table *t, const uint8_t *p, size_t len, unsigned int max_log,
	     unsigned int max_sym, size_t *used);
/* The table of one symbol and no bits (RLE mode). */
void fse_rle(struct fse_table *t, uint8_t sym);

/* Huffman tables for literals: codes up to 11 bits. */
#define HUF_MAX_BITS	11

struct huf_entry {
	uint8_t sym;
	uint8_t nbits;
};

struct huf_table {
	unsigned int maxbits;
	bool valid;
	struct huf_entry e[1U << HUF_MAX_BITS];
	struct fse_table weights;	/* scratch for FSE-compressed weights */
};

/* Read a tree description (4.2.1) from p; *used: its length. */
int huf_read(struct huf_table *h, const uint8_t *p, size_t len, size_t *used);
/* Decode n literals from one stream (4.2.2) of len bytes. */
int huf_stream(const struct huf_table *h, const uint8_t *p, size_t len, uint8_t *out, size_t n);

#endif
