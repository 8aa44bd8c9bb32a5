// SPDX-License-Identifier: MPL-2.0
// zstd decompression, streaming (decompress.h), written from RFC 8878:
// frames (and skippable frames), raw, RLE and compressed blocks; literals
// raw, RLE or Huffman-coded (one or four streams, with a new or the
// previous tree); sequences with predefined, RLE, FSE-coded or repeated
// tables and the three repeat offsets; the optional content checksum
// (the low 32 bits of xxHash64) verified.  The window is the frame's
// (Window_Size, or the content size when smaller), at most DC_MAX_WINDOW;
// a block regenerates at most 128 KiB, which is the room made before it.
// Dictionaries are refused (-EOPNOTSUPP): no initramfs tool uses them.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "decompress.h"
#include "zstd_internal.h"

#define ZSTD_MAGIC	0xfd2fb528U
#define BLOCK_MAX	(128U << 10)
#define MIN_CHUNK	(512U << 10)
#define MAX_CHUNK	(8U << 20)

enum { LL_MAX = 35, ML_MAX = 52, OF_MAX = 31 };

static const int16_t ll_default[36] = {
	4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
	-1, -1, -1, -1,
};
static const int16_t ml_default[53] = {
	1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
};
static const int16_t of_default[29] = {
	1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
};

/* Literal and match length codes: baseline and extra bits. */
static const uint32_t ll_base[36] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28, 32, 40,
	48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
};
static const uint8_t ll_bits[36] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3,
	4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};
static const uint32_t ml_base[53] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
	27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515,
	1027, 2051, 4099, 8195, 16387, 32771, 65539,
};
static const uint8_t ml_bits[53] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9,
	10, 11, 12, 13, 14, 15, 16,
};

struct zstd {
	struct dc_window w;
	struct huf_table huf;
	struct fse_table ll, of, ml;
	bool have_ll, have_of, have_ml;	/* for the "repeat" mode */
	uint32_t rep[3];
	uint8_t lits[BLOCK_MAX + 32];
	size_t nlits;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le_n(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* ---- Literals section (3.1.1.3.1) ---- */

static int literals_raw_rle(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
	unsigned int type = p[0] & 3, sf = (p[0] >> 2) & 3;
	size_t hlen, regen;

	if (sf == 0 || sf == 2) {
		hlen = 1;
		regen = p[0] >> 3;
	} else {
		hlen = sf == 1 ? 2 : 3;
		if (len < hlen)
			return -EINVAL;
		regen = (size_t)(le_n(p, hlen) >> 4);
	}
	if (regen > BLOCK_MAX)
		return -EINVAL;
	if (type == 0) {
		if (len - hlen < regen)
			return -EINVAL;
		memcpy(z->lits, p + hlen, regen);
		*used = hlen + regen;
	} else {
		if (len - hlen < 1)
			return -EINVAL;
		memset(z->lits, p[hlen], regen);
		*used = hlen + 1;
	}
	z->nlits = regen;
	return 0;
}

/* Four streams after a 6-byte jump table of the first three's sizes. */
static int huf_four(struct zstd *z, const uint8_t *p, size_t len, size_t regen)
{
	size_t seg = (regen + 3) / 4, off = 6, sizes[4];

	if (len < 6 || regen < 3 * seg)
		return -EINVAL;
	sizes[0] = le_n(p, 2);
	sizes[1] = le_n(p + 2, 2);
	sizes[2] = le_n(p + 4, 2);
	if (sizes[0] + sizes[1] + sizes[2] > len - 6)
		return -EINVAL;
	sizes[3] = len - 6 - sizes[0] - sizes[1] - sizes[2];
	for (int i = 0; i < 4; i++) {
		size_t n = i < 3 ? seg : regen - 3 * seg;
		int err = huf_stream(&z->huf, p + off, sizes[i], z->lits + (size_t)i * seg, n);

		if (err)
			return err;
		off += sizes[i];
	}
	return 0;
}

static int literals_huf(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
	static const uint8_t hlens[4] = { 3, 3, 4, 5 }, bits[4] = { 10, 10, 14, 18 };
	unsigned int type = p[0] & 3, sf = (p[0] >> 2) & 3;
	size_t hlen = hlens[sf], regen, csize, tu = 0;
	uint64_t h;
	int err;

	if (len < hlen)
		return -EINVAL;
	h = le_n(p, hlen);
	regen = (size_t)((h >> 4) & ((1U << bits[sf]) - 1));
	csize = (size_t)((h >> (4 + bits[sf])) & ((1U << bits[sf]) - 1));
	if (regen > BLOCK_MAX || csize > len - hlen)
		return -EINVAL;
	if (type == 2) {
		err = huf_read(&z->huf, p + hlen, csize, &tu);
		if (err)
			return err;
	} else if (!z->huf.valid) {
		return -EINVAL;	/* treeless, but no tree yet */
	}
	if (sf == 0)
		err = huf_stream(&z->huf, p + hlen + tu, csize - tu, z->lits, regen);
	else
		err = huf_four(z, p + hlen + tu, csize - tu, regen);
	z->nlits = regen;
	*used = hlen + csize;
	return err;
}

/* ---- Sequences section (3.1.1.3.2) ---- */

/* One table of the section, by its mode; *used bytes of p. */
static int seq_table(struct fse_table *t, bool *have, unsigned int mode, const int16_t *def,
		     unsigned int ndef, unsigned int def_log, unsigned int max_log,
		     unsigned int max_sym, const uint8_t *p, size_t len, size_t *used)
{
	int err = 0;

	*used = 0;
	switch (mode) {
	case 0:
		err = fse_build(t, def, ndef, def_log);
		break;
	case 1:
		if (len < 1 || p[0] > max_sym)
			return -EINVAL;
		fse_rle(t, p[0]);
		*used = 1;
		break;
	case 2:
		err = fse_read(t, p, len, max_log, max_sym, used);
		break;
	default:
		if (!*have)
			return -EINVAL;
		break;
	}
	*have = !err;
	return err;
}

static int seq_tables(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
	unsigned int modes;
	size_t pos = 1, u;
	int err;

	if (len < 1 || (p[0] & 3))
		return -EINVAL;
	modes = p[0];
	err = seq_table(&z->ll, &z->have_ll, modes >> 6, ll_default, 36, 6, 9, LL_MAX,
			p + pos, len - pos, &u);
	pos += u;
	if (!err)
		err = seq_table(&z->of, &z->have_of, (modes >> 4) & 3, of_default, 29, 5, 8, OF_MAX,
				p + pos, len - pos, &u);
	pos += err ? 0 : u;
	if (!err)
		err = seq_table(&z->ml, &z->have_ml, (modes >> 2) & 3, ml_default, 53, 6, 9, ML_MAX,
				p + pos, len - pos, &u);
	pos += err ? 0 : u;
	*used = pos;
	return err;
}

/* The offset a sequence means (3.1.1.5), updating the repeat offsets. */
static int resolve_offset(struct zstd *z, uint64_t ov, uint32_t ll, uint64_t *offset)
{
	uint32_t *rep = z->rep;
	uint64_t o;

	if (ov > 3) {
		o = ov - 3;
	} else {
		unsigned int idx = (unsigned int)ov - (ll ? 1 : 0);	/* 0..3 */

		if (idx == 0) {
			*offset = rep[0];
			return 0;
		}
		o = idx == 3 ? (uint64_t)rep[0] - 1 : rep[idx];
		if (o == 0)
			return -EINVAL;
		if (idx == 1) {	/* swap the first two */
			rep[1] = rep[0];
			rep[0] = (uint32_t)o;
			*offset = o;
			return 0;
		}
	}
	if (o > 0xffffffffULL)
		return -EINVAL;
	rep[2] = rep[1];
	rep[1] = rep[0];
	rep[0] = (uint32_t)o;
	*offset = o;
	return 0;
}

/* Copy n literals of the block, checking what is left. */
static int put_lits(struct zstd *z, size_t *lpos, size_t n, size_t *produced)
{
	if (n > z->nlits - *lpos || n > BLOCK_MAX - *produced)
		return -EINVAL;
	memcpy(z->w.buf + z->w.pos, z->lits + *lpos, n);
	z->w.pos += n;
	*lpos += n;
	*produced += n;
	return 0;
}

static int execute(struct zstd *z, struct zbits *b, uint32_t nseq)
{
	const struct fse_entry *ll = z->ll.e, *of = z->of.e, *ml = z->ml.e;
	uint32_t lls = (uint32_t)zb_read(b, z->ll.log), ofs = (uint32_t)zb_read(b, z->of.log);
	uint32_t mls = (uint32_t)zb_read(b, z->ml.log);
	size_t lpos = 0, produced = 0;

	for (uint32_t i = 0; i < nseq; i++) {
		unsigned int ofc = of[ofs].sym, mlc = ml[mls].sym, llc = ll[lls].sym;
		uint64_t ov, offset;
		uint32_t mlen, llen;
		int err;

		if (ofc > OF_MAX || mlc > ML_MAX || llc > LL_MAX)
			return -EINVAL;
		ov = (1ULL << ofc) + zb_read(b, ofc);
		mlen = ml_base[mlc] + (uint32_t)zb_read(b, ml_bits[mlc]);
		llen = ll_base[llc] + (uint32_t)zb_read(b, ll_bits[llc]);
		if (b->pos < 0)
			return -EINVAL;
		if (i + 1 < nseq) {
			lls = ll[lls].base + (uint32_t)zb_read(b, ll[lls].nbits);
			mls = ml[mls].base + (uint32_t)zb_read(b, ml[mls].nbits);
			ofs = of[ofs].base + (uint32_t)zb_read(b, of[ofs].nbits);
		}
		err = resolve_offset(z, ov, llen, &offset);
		if (!err)
			err = put_lits(z, &lpos, llen, &produced);
		if (err)
			return err;
		if (offset > dcw_reach(&z->w) || mlen > BLOCK_MAX - produced)
			return -EINVAL;
		dcw_copy_match(&z->w, (size_t)offset, mlen);
		produced += mlen;
	}
	if (b->pos != 0)
		return -EINVAL;
	return put_lits(z, &lpos, z->nlits - lpos, &produced);
}

static int sequences(struct zstd *z, const uint8_t *p, size_t len)
{
	size_t pos, u, lpos = 0, produced = 0;
	struct zbits b;
	uint32_t nseq;
	int err;

	if (len < 1)
		return -EINVAL;
	if (p[0] < 128) {
		nseq = p[0];
		pos = 1;
	} else if (p[0] < 255) {
		if (len < 2)
			return -EINVAL;
		nseq = ((uint32_t)(p[0] - 128) << 8) + p[1];
		pos = 2;
	} else {
		if (len < 3)
			return -EINVAL;
		nseq = p[1] + ((uint32_t)p[2] << 8) + 0x7f00;
		pos = 3;
	}
	if (nseq == 0)	/* only literals; nothing may follow */
		return pos == len ? put_lits(z, &lpos, z->nlits, &produced) : -EINVAL;
	err = seq_tables(z, p + pos, len - pos, &u);
	if (err)
		return err;
	pos += u;
	if (pos > len || zb_init(&b, p + pos, len - pos))
		return -EINVAL;
	return execute(z, &b, nseq);
}

static int compressed_block(struct zstd *z, const uint8_t *p, size_t len)
{
	size_t used;
	int err;

	if (len < 1)
		return -EINVAL;
	if ((p[0] & 3) < 2)
		err = literals_raw_rle(z, p, len, &used);
	else
		err = literals_huf(z, p, len, &used);
	if (err)
		return err;
	return sequences(z, p + used, len - used);
}

/* ---- Frames (3.1.1) ---- */

struct zstd_frame {
	uint64_t window, content;
	bool has_content, checksum;
	size_t hdr;
};

static int frame_header(const uint8_t *in, size_t len, struct zstd_frame *f)
{
	static const uint8_t did_len[4] = { 0, 1, 2, 4 };
	uint8_t fhd;
	size_t pos = 5, fcs_len;
	bool single;

	if (len < 6)
		return -EINVAL;
	fhd = in[4];
	single = fhd & 0x20;
	if (fhd & 0x08)
		return -EINVAL;	/* reserved bit */
	*f = (struct zstd_frame){ .checksum = fhd & 4 };
	if (!single) {
		unsigned int exp = in[pos] >> 3, mant = in[pos] & 7;
		uint64_t base = 1ULL << (10 + exp);

		f->window = base + (base / 8) * mant;
		pos++;
	}
	fcs_len = (fhd >> 6) ? 1U << (fhd >> 6) : single ? 1 : 0;
	if (len - pos < did_len[fhd & 3] + fcs_len)
		return -EINVAL;
	if (le_n(in + pos, did_len[fhd & 3]))
		return -EOPNOTSUPP;	/* a dictionary */
	pos += did_len[fhd & 3];
	if (fcs_len) {
		f->has_content = true;
		f->content = le_n(in + pos, fcs_len) + (fcs_len == 2 ? 256 : 0);
		pos += fcs_len;
	}
	if (single)
		f->window = f->content;
	f->hdr = pos;
	return 0;
}

static int one_block(struct zstd *z, const uint8_t *in, size_t len, size_t *pos, bool *last)
{
	uint32_t bh, type, size;
	int err;

	if (len - *pos < 3)
		return -EINVAL;
	bh = (uint32_t)le_n(in + *pos, 3);
	*pos += 3;
	*last = bh & 1;
	type = (bh >> 1) & 3;
	size = bh >> 3;
	if (size > BLOCK_MAX || type == 3)
		return -EINVAL;
	err = dcw_room(&z->w, BLOCK_MAX);
	if (err)
		return err;
	if (type == 1) {	/* RLE: one byte, size times */
		if (len - *pos < 1)
			return -EINVAL;
		memset(z->w.buf + z->w.pos, in[*pos], size);
		z->w.pos += size;
		*pos += 1;
		return 0;
	}
	if (len - *pos < size)
		return -EINVAL;
	if (type == 0) {
		memcpy(z->w.buf + z->w.pos, in + *pos, size);
		z->w.pos += size;
	} else {
		err = compressed_block(z, in + *pos, size);
	}
	*pos += size;
	return err;
}

struct zstd_hashing_sink {
	const struct dc_sink *next;
	struct xxh64_state h;
};

static int zstd_hashing_write(void *ctx, const uint8_t *p, size_t n)
{
	struct zstd_hashing_sink *hs = ctx;

	xxh64_update(&hs->h, p, n);
	return hs->next->write(hs->next->ctx, p, n);
}

static int zstd_frame(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink)
{
	struct zstd_hashing_sink hs = { .next = sink };
	struct dc_sink hashing = { .write = zstd_hashing_write, .ctx = &hs };
	struct zstd_frame f;
	struct zstd *z;
	size_t pos, hist;
	bool last = false;
	int err = frame_header(in, len, &f);

	if (err)
		return err;
	hist = (size_t)MIN(f.window, f.has_content ? f.content : f.window);
	if (hist > DC_MAX_WINDOW)
		return -EOPNOTSUPP;
	z = kzalloc(sizeof(*z));
	if (!z)
		return -ENOMEM;
	z->rep[0] = 1;
	z->rep[1] = 4;
	z->rep[2] = 8;
	xxh64_init(&hs.h, 0);
	err = dcw_init(&z->w, hist, MAX(MIN(hist, (size_t)MAX_CHUNK), (size_t)MIN_CHUNK), &hashing);
	pos = f.hdr;
	while (!err && !last)
		err = one_block(z, in, len, &pos, &last);
	if (!err)
		err = dcw_flush(&z->w);
	*consumed = pos;
	if (!err && f.has_content && z->w.total != f.content)
		err = -EINVAL;
	if (!err && f.checksum) {
		if (len - pos < 4 || le32(in + pos) != (uint32_t)xxh64_digest(&hs.h))
			err = -EINVAL;
		else
			*consumed = pos + 4;
	}
	dcw_free(&z->w);
	kfree(z);
	return err;
}

int dc_unzstd(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink)
{
	*consumed = 0;
	if (len < 8)
		return -EINVAL;
	if ((le32(in) & 0xfffffff0U) == 0x184d2a50U) {	/* skippable frame */
		uint32_t n = le32(in + 4);

		if (n > len - 8)
			return -EINVAL;
		*consumed = 8 + (size_t)n;
		return 0;
	}
	if (le32(in) != ZSTD_MAGIC)
		return -EINVAL;
	return zstd_frame(in, len, consumed, sink);
}
