// SPDX-License-Identifier: MPL-2.0
// zstd's entropy coders (zstd_internal.h), from RFC 8878 section 4: FSE
// table descriptions and their decoding tables, Huffman tree descriptions
// (direct or FSE-compressed weights) and Huffman streams.  Every count read
// from the input is checked before it sizes anything: a table is built only
// from counts that sum exactly to its size.
#include <aster/errno.h>
#include <aster/string.h>
#include "zstd_internal.h"

static unsigned int highbit(uint32_t v)
{
	return 31 - (unsigned int)__builtin_clz(v);
}

int zb_init(struct zbits *b, const uint8_t *p, size_t len)
{
	if (len == 0 || p[len - 1] == 0)
		return -EINVAL;
	*b = (struct zbits){ .p = p, .len = len,
			     .pos = (int64_t)(len - 1) * 8 + highbit(p[len - 1]) };
	return 0;
}

int fse_build(struct fse_table *t, const int16_t *norm, unsigned int nsym, unsigned int log)
{
	uint32_t size = 1U << log, high = size - 1, pos = 0, step, mask = size - 1;
	uint16_t next[256];

	if (log > FSE_MAX_LOG || nsym > 256)
		return -EINVAL;
	t->log = log;
	for (unsigned int s = 0; s < nsym; s++) {
		if (norm[s] == -1) {
			if (high >= size)	/* more "less than one" symbols than slots */
				return -EINVAL;
			t->e[high--].sym = (uint8_t)s;
			next[s] = 1;
		} else {
			next[s] = (uint16_t)norm[s];
		}
	}
	step = (size >> 1) + (size >> 3) + 3;
	for (unsigned int s = 0; s < nsym; s++) {
		for (int i = 0; i < norm[s]; i++) {
			t->e[pos].sym = (uint8_t)s;
			do
				pos = (pos + step) & mask;
			while (pos > high);
		}
	}
	if (pos != 0)
		return -EINVAL;
	for (uint32_t i = 0; i < size; i++) {
		uint8_t s = t->e[i].sym;
		uint32_t n = next[s]++;
		unsigned int nb;

		if (n == 0 || highbit(n) > log)
			return -EINVAL;
		nb = log - highbit(n);
		t->e[i].nbits = (uint8_t)nb;
		t->e[i].base = (uint16_t)((n << nb) - size);
	}
	return 0;
}

void fse_rle(struct fse_table *t, uint8_t sym)
{
	t->log = 0;
	t->e[0] = (struct fse_entry){ .sym = sym };
}

/* n <= 16 bits at bit offset off of a forward (little-endian) bitstream; zeros past its end. */
static uint32_t fwd_bits(const uint8_t *p, size_t len, size_t off, unsigned int n)
{
	uint32_t v = 0;
	size_t at = off >> 3;

	for (size_t i = 0; i < 4 && at + i < len; i++)
		v |= (uint32_t)p[at + i] << (8 * i);
	return (v >> (off & 7)) & ((1U << n) - 1);
}

int fse_read(struct fse_table *t, const uint8_t *p, size_t len, unsigned int max_log,
	     unsigned int max_sym, size_t *used)
{
	int16_t norm[256];
	unsigned int log, nbits, sym = 0;
	int32_t remaining, threshold;
	size_t bit = 4;

	if (len == 0)
		return -EINVAL;
	log = (p[0] & 15) + 5;
	if (log > max_log)
		return -EINVAL;
	remaining = (1 << log) + 1;
	threshold = 1 << log;
	nbits = log + 1;
	while (remaining > 1) {
		int32_t max = 2 * threshold - 1 - remaining, val, count;
		uint32_t v = fwd_bits(p, len, bit, nbits);

		if (sym > max_sym)
			return -EINVAL;
		if ((int32_t)(v & (uint32_t)(threshold - 1)) < max) {
			val = (int32_t)(v & (uint32_t)(threshold - 1));
			bit += nbits - 1;
		} else {
			val = (int32_t)(v & (uint32_t)(2 * threshold - 1));
			if (val >= threshold)
				val -= max;
			bit += nbits;
		}
		count = val - 1;
		remaining -= count < 0 ? -count : count;
		norm[sym++] = (int16_t)count;
		while (count == 0) {	/* 2-bit repeat flags: more zero counts */
			uint32_t rep = fwd_bits(p, len, bit, 2);

			bit += 2;
			if (sym + rep > max_sym + 1)
				return -EINVAL;
			for (uint32_t k = 0; k < rep; k++)
				norm[sym++] = 0;
			if (rep != 3)
				break;
		}
		if (remaining < 1 || bit > len * 8)
			return -EINVAL;
		while (remaining < threshold) {
			nbits--;
			threshold >>= 1;
		}
	}
	if (remaining != 1)
		return -EINVAL;
	*used = (bit + 7) / 8;
	return fse_build(t, norm, sym, log);
}

/* FSE-compressed weights: two interleaved states over one backward stream. */
static int huf_fse_weights(struct huf_table *h, const uint8_t *p, size_t len, uint8_t *w,
			   size_t *n)
{
	const struct fse_entry *e = h->weights.e;
	struct zbits b;
	size_t tu, k = 0;
	uint32_t s1, s2;
	int err = fse_read(&h->weights, p, len, 6, 15, &tu);

	if (err)
		return err;
	if (zb_init(&b, p + tu, len - tu))
		return -EINVAL;
	s1 = (uint32_t)zb_read(&b, h->weights.log);
	s2 = (uint32_t)zb_read(&b, h->weights.log);
	if (b.pos < 0)
		return -EINVAL;
	/* At most 255 weights are explicit: the last one is implied. */
	for (;;) {
		if (k >= 255)
			return -EINVAL;
		w[k++] = e[s1].sym;
		s1 = e[s1].base + (uint32_t)zb_read(&b, e[s1].nbits);
		if (k >= 255)
			return -EINVAL;
		if (b.pos < 0) {
			w[k++] = e[s2].sym;
			break;
		}
		w[k++] = e[s2].sym;
		s2 = e[s2].base + (uint32_t)zb_read(&b, e[s2].nbits);
		if (b.pos < 0) {
			if (k >= 255)
				return -EINVAL;
			w[k++] = e[s1].sym;
			break;
		}
	}
	*n = k;
	return 0;
}

int huf_read(struct huf_table *h, const uint8_t *p, size_t len, size_t *used)
{
	uint8_t w[256];
	size_t n = 0, pos = 0;
	uint32_t sum = 0, left;
	unsigned int maxbits;
	int err;

	h->valid = false;
	if (len == 0)
		return -EINVAL;
	if (p[0] >= 128) {	/* direct: 4 bits per weight */
		n = p[0] - 127u;
		if (1 + (n + 1) / 2 > len)
			return -EINVAL;
		for (size_t i = 0; i < n; i++)
			w[i] = i % 2 ? p[1 + i / 2] & 15 : p[1 + i / 2] >> 4;
		*used = 1 + (n + 1) / 2;
	} else {
		if (p[0] == 0 || 1 + (size_t)p[0] > len)
			return -EINVAL;
		err = huf_fse_weights(h, p + 1, p[0], w, &n);
		if (err)
			return err;
		*used = 1 + (size_t)p[0];
	}
	for (size_t i = 0; i < n; i++) {
		if (w[i] > HUF_MAX_BITS)
			return -EINVAL;
		if (w[i])
			sum += 1U << (w[i] - 1);
	}
	if (sum == 0)
		return -EINVAL;
	maxbits = highbit(sum) + 1;	/* the last weight fills up to the next power of 2 */
	left = (1U << maxbits) - sum;
	if (maxbits > HUF_MAX_BITS || (left & (left - 1)))
		return -EINVAL;
	w[n++] = (uint8_t)(highbit(left) + 1);
	/* Codes by increasing weight, ties in symbol order: each fills 2^(w-1) slots. */
	for (unsigned int wt = 1; wt <= maxbits; wt++) {
		for (size_t s = 0; s < n; s++) {
			if (w[s] != wt)
				continue;
			for (uint32_t k = 0; k < 1U << (wt - 1); k++)
				h->e[pos + k] = (struct huf_entry){ (uint8_t)s,
								   (uint8_t)(maxbits + 1 - wt) };
			pos += 1U << (wt - 1);
		}
	}
	h->maxbits = maxbits;
	h->valid = true;
	return 0;
}

int huf_stream(const struct huf_table *h, const uint8_t *p, size_t len, uint8_t *out, size_t n)
{
	struct zbits b;

	if (zb_init(&b, p, len))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		struct huf_entry e = h->e[zb_peek(&b, h->maxbits)];

		out[i] = e.sym;
		b.pos -= e.nbits;
	}
	return b.pos == 0 ? 0 : -EINVAL;
}
