// SPDX-License-Identifier: MPL-2.0
// DEFLATE decoder, streaming (decompress.h): output goes through a window
// of 32 KiB of history plus a chunk, handed to a sink as it fills.  Boot
// time is mostly spent here (the initramfs), so the hot paths are
// table-driven: a Huffman code is decoded with one lookup of the next ROOT
// bits (and a second lookup in a subtable for the rare longer codes), the
// input is read into a 64-bit bit buffer up to 8 bytes at a time, matches
// are copied 8 bytes at a time, and the CRC-32 is computed 8 bytes at a
// time (slice-by-8, decompress.c).  The tables live in a heap-allocated
// state, so stack frames stay small and nothing is shared between calls.
//
// Corrupt input must give -EINVAL, never an access out of bounds: tables
// are built only from codes checked not to be over-subscribed, every table
// slot no code reaches decodes as "bad", every output write is checked
// against the window, and reads past the end of the input see zero bits
// that are counted ("phantom" bytes) so that using them is an error.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "decompress.h"
#include "inflate.h"

#define MAX_BITS	15
#define MAX_LITLEN	288	/* 286 and 287 exist only in the fixed code, and are bad */
#define MAX_DIST	32	/* likewise 30 and 31 */
#define MAX_CLEN	19

/*
 * Root table bits.  Longer codes go to subtables of (longest - ROOT) bits,
 * at most one per long code, hence the capacities.
 */
#define LIT_ROOT	10
#define DIST_ROOT	8
#define CLEN_ROOT	7	/* code length codes are at most 7 bits: no subtables */
#define LIT_CAP		((1U << LIT_ROOT) + 286U * (1U << (MAX_BITS - LIT_ROOT)))
#define DIST_CAP	((1U << DIST_ROOT) + 30U * (1U << (MAX_BITS - DIST_ROOT)))

/*
 * A table entry: bits 0-7 how many bits the code takes (for a link: ROOT),
 * bits 8-15 what it is, bits 16-31 its value (a literal, a length or
 * distance base, a subtable's offset).
 */
#define OP_LIT		0x00	/* value: the byte (or code length symbol) */
#define OP_BASE		0x10	/* | extra bits; value: length or distance base */
#define OP_EOB		0x20
#define OP_LINK		0x40	/* | subtable bits; value: subtable offset */
#define OP_BAD		0x80	/* no code leads here, or a symbol DEFLATE forbids */
#define ENTRY(op, val)	((uint32_t)(val) << 16 | (uint32_t)(op) << 8)
#define E_BITS(e)	((e) & 0xff)
#define E_OP(e)		(((e) >> 8) & 0xff)
#define E_VAL(e)	((e) >> 16)
#define BAD_ENTRY	ENTRY(OP_BAD, 0)

/* Enough bits for a length/distance pair: 15 + 5 + 15 + 13. */
#define PAIR_BITS	48
#define MAX_MATCH	258
#define GZ_HIST		32768
#define GZ_CHUNK	(256U << 10)

struct bitreader {
	const uint8_t *in;
	size_t len, pos;	/* in[pos] is the next byte to load */
	uint64_t bb;		/* the low nbits bits are unread input */
	unsigned int nbits;
	unsigned int phantom;	/* zero bytes loaded past the end of the input */
};

enum code_kind { KIND_LITLEN, KIND_DIST, KIND_CLEN };

struct inflater {
	struct bitreader br;
	struct dc_window w;
	bool fixed_loaded;	/* lit/dist hold the fixed codes */
	uint8_t lens[MAX_LITLEN + MAX_DIST];
	uint32_t clen[1U << CLEN_ROOT];
	uint32_t lit[LIT_CAP];
	uint32_t dist[DIST_CAP];
};

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
				       35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
				       3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
					193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
					6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
					7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/*
 * Unaligned little-endian loads and stores.  A byte-wise load is merged
 * into one access by the compiler, but byte-wise stores in the copy loops
 * are not, so stores go through a type that may sit anywhere and alias
 * anything (x86 allows unaligned accesses).
 */
typedef uint64_t __attribute__((aligned(1), may_alias)) unaligned_u64;

static inline uint64_t load64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	       (uint64_t)p[7] << 56;
}

static inline uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store64(uint8_t *p, uint64_t v)
{
	*(unaligned_u64 *)p = v;
}

/* True once bits past the end of the input have been consumed. */
static inline bool br_overrun(const struct bitreader *br)
{
	return br->nbits < br->phantom * 8;
}

/*
 * Make at least 57 bits available.  Away from the end, one 8-byte load
 * adds the whole bytes that fit; the bits above nbits then already hold
 * the start of in[pos], which the next load ORs in again unchanged.  Near
 * the end, bytes come one at a time and zeros stand in past the end.
 * False if phantom bits were already consumed (the stream is truncated).
 */
static inline bool br_refill(struct bitreader *br)
{
	if (br->len - br->pos >= 8) {
		unsigned int n = (63 - br->nbits) >> 3;

		br->bb |= load64(br->in + br->pos) << br->nbits;
		br->pos += n;
		br->nbits += n * 8;
		return true;
	}
	if (br_overrun(br))
		return false;
	while (br->nbits <= 56) {
		if (br->pos < br->len)
			br->bb |= (uint64_t)br->in[br->pos++] << br->nbits;
		else
			br->phantom++;
		br->nbits += 8;
	}
	return true;
}

/* The offset of the first input byte not (even partly) consumed. */
static size_t br_byte_pos(const struct bitreader *br)
{
	unsigned int unread = br->nbits / 8;

	if (br->phantom >= unread)
		return br->pos;
	return br->pos - (unread - br->phantom);
}

static inline void br_drop(struct bitreader *br, unsigned int n)
{
	br->bb >>= n;
	br->nbits -= n;
}

/* Take n <= 16 bits that a refill made available. */
static inline uint32_t br_take(struct bitreader *br, unsigned int n)
{
	uint32_t v = (uint32_t)(br->bb & ((1ULL << n) - 1));

	br_drop(br, n);
	return v;
}

/* Take n <= 16 bits, refilling first (header fields: not the hot path). */
static uint32_t br_bits(struct bitreader *br, unsigned int n)
{
	if (br->nbits < n)
		(void)br_refill(br);	/* an overrun is noticed by br_overrun() */
	return br_take(br, n);
}

/* Decode one symbol's entry from a table with `root` bits; consumes its bits. */
static inline uint32_t br_decode(struct bitreader *br, const uint32_t *tab, unsigned int root)
{
	uint32_t e = tab[br->bb & ((1U << root) - 1)];

	if (E_OP(e) & OP_LINK) {
		br_drop(br, root);
		e = tab[E_VAL(e) + (br->bb & ((1U << (E_OP(e) & 0x0f)) - 1))];
	}
	br_drop(br, E_BITS(e));
	return e;
}

/* What symbol sym of a code of this kind decodes to (without its bit count). */
static uint32_t sym_entry(enum code_kind kind, unsigned int sym)
{
	switch (kind) {
	case KIND_LITLEN:
		if (sym < 256)
			return ENTRY(OP_LIT, sym);
		if (sym == 256)
			return ENTRY(OP_EOB, 0);
		if (sym - 257 < 29)
			return ENTRY(OP_BASE | len_extra[sym - 257], len_base[sym - 257]);
		return BAD_ENTRY;
	case KIND_DIST:
		if (sym < 30)
			return ENTRY(OP_BASE | dist_extra[sym], dist_base[sym]);
		return BAD_ENTRY;
	default:
		return ENTRY(OP_LIT, sym);
	}
}

static unsigned int reverse_bits(unsigned int code, unsigned int n)
{
	unsigned int r = 0;

	for (unsigned int i = 0; i < n; i++, code >>= 1)
		r = r << 1 | (code & 1);
	return r;
}

/* Every (1 << step)-th entry of tab[first..size) is e: a code and its longer suffixes. */
static void fill(uint32_t *tab, unsigned int first, unsigned int size, unsigned int step, uint32_t e)
{
	for (unsigned int i = first; i < size; i += 1U << step)
		tab[i] = e;
}

/* Where a code longer than root bits goes: the subtable its first root bits link to. */
static int place_long(uint32_t *tab, size_t cap, size_t *used, unsigned int root,
		      unsigned int subbits, unsigned int rev, unsigned int len, uint32_t e)
{
	uint32_t *slot = &tab[rev & ((1U << root) - 1)];

	if (*slot == BAD_ENTRY) {
		if (*used + (1U << subbits) > cap)
			return -EINVAL;
		fill(tab + *used, 0, 1U << subbits, 0, BAD_ENTRY);
		*slot = ENTRY(OP_LINK | subbits, *used) | root;
		*used += 1U << subbits;
	} else if (!(E_OP(*slot) & OP_LINK)) {
		return -EINVAL;	/* a prefix of another code: cannot pass the Kraft check */
	}
	fill(tab + E_VAL(*slot), rev >> root, 1U << subbits, len - root, e | (len - root));
	return 0;
}

/*
 * Build a decoding table for the canonical code with these lengths.
 * -EINVAL if the code is over-subscribed, or incomplete other than the
 * cases DEFLATE encoders produce (one code of one bit, e.g. a single
 * distance code; no code at all).  Slots no code reaches are bad.
 */
static int table_build(uint32_t *tab, size_t cap, unsigned int root, const uint8_t *lens,
		       unsigned int n, enum code_kind kind)
{
	uint16_t count[MAX_BITS + 1] = { 0 }, next[MAX_BITS + 1];
	unsigned int maxlen = 0, code = 0;
	size_t used = 1U << root;
	int left = 1;

	for (unsigned int i = 0; i < n; i++) {
		if (lens[i] > MAX_BITS)
			return -EINVAL;
		count[lens[i]]++;
	}
	count[0] = 0;
	for (unsigned int len = 1; len <= MAX_BITS; len++) {
		left = left * 2 - count[len];
		if (left < 0)
			return -EINVAL;
		if (count[len])
			maxlen = len;
		code = (code + count[len - 1]) << 1;
		next[len] = (uint16_t)code;
	}
	/* Incomplete: only a lone 1-bit code, as zlib (Linux) allows; or no code at all. */
	if (left > 0 && maxlen && (kind == KIND_CLEN || maxlen > 1))
		return -EINVAL;
	fill(tab, 0, 1U << root, 0, BAD_ENTRY);
	for (unsigned int sym = 0; sym < n; sym++) {
		unsigned int len = lens[sym], rev;
		uint32_t e = sym_entry(kind, sym);

		if (!len)
			continue;
		rev = reverse_bits(next[len]++, len);
		if (len <= root) {
			fill(tab, rev, 1U << root, len, e | len);
			continue;
		}
		if (place_long(tab, cap, &used, root, maxlen - root, rev, len, e))
			return -EINVAL;
	}
	return 0;
}

/*
 * Copy a match of len bytes from dist back, dist <= pos, len <= room.
 * With 8 bytes of slack after it (the last word may write past the match,
 * into the buffer's unused end), copy 8 bytes at a time from `period`
 * back, a multiple of dist that is at least 8: the match repeats with
 * period dist, so those bytes are the same, and already written.  The
 * bytes before i = period - dist, whose copy source would be inside the
 * first word, go one at a time.
 */
static inline void copy_match(uint8_t *out, size_t pos, size_t dist, size_t len, size_t room)
{
	uint8_t *d = out + pos;
	const uint8_t *src = d - dist;
	size_t i = 0, period = dist;

	if (room - len < 8) {
		for (; i < len; i++)
			d[i] = src[i];
		return;
	}
	while (period < 8)
		period += dist;
	for (; i < period - dist && i < len; i++)	/* only for dist < 8 */
		d[i] = src[i];
	for (; i < len; i += 8)		/* d + i - period >= d - dist >= out */
		store64(d + i, load64(d + i - period));
}

/* Decode a block's symbols until its end-of-block code. */
static int inflate_codes(struct inflater *s)
{
	struct bitreader br = s->br;	/* a local copy: out writes cannot alias it */
	uint8_t *out = s->w.buf;
	size_t opos = s->w.pos, olen = s->w.cap - DC_WINDOW_SLACK;
	int err;

	for (;;) {
		uint32_t e;
		size_t len, dist;

		if (olen - opos < MAX_MATCH) {
			s->w.pos = opos;
			err = dcw_room(&s->w, MAX_MATCH);
			if (err)
				break;
			opos = s->w.pos;
		}
		if (br.nbits < PAIR_BITS && !br_refill(&br)) {
			err = -EINVAL;
			break;
		}
		e = br_decode(&br, s->lit, LIT_ROOT);
		if (E_OP(e) == OP_LIT) {
			out[opos++] = (uint8_t)E_VAL(e);
			continue;
		}
		if (!(E_OP(e) & OP_BASE)) {
			err = E_OP(e) == OP_EOB ? 0 : -EINVAL;
			break;
		}
		len = E_VAL(e) + br_take(&br, E_OP(e) & 0x0f);
		e = br_decode(&br, s->dist, DIST_ROOT);
		if (!(E_OP(e) & OP_BASE)) {
			err = -EINVAL;
			break;
		}
		dist = E_VAL(e) + br_take(&br, E_OP(e) & 0x0f);
		if (dist > opos) {
			err = -EINVAL;
			break;
		}
		copy_match(out, opos, dist, len, s->w.cap - opos);
		opos += len;
	}
	s->br = br;
	s->w.pos = opos;
	/* Output made of bits past the end means truncated input. */
	return br_overrun(&br) ? -EINVAL : err;
}

/* A stored block: realign to a byte, then LEN, NLEN and LEN bytes copied as they are. */
static int inflate_stored(struct inflater *s)
{
	struct bitreader *br = &s->br;
	size_t pos, len;

	if (br_overrun(br))
		return -EINVAL;
	pos = br_byte_pos(br);	/* unread whole bytes go back */
	*br = (struct bitreader){ .in = br->in, .len = br->len };
	if (br->len - pos < 4)
		return -EINVAL;
	len = load32(br->in + pos) & 0xffff;
	if (len != (~load32(br->in + pos) >> 16 & 0xffff) || len > br->len - pos - 4)
		return -EINVAL;
	pos += 4;
	while (len) {
		size_t n = MIN(len, (size_t)GZ_HIST);
		int err = dcw_room(&s->w, n);

		if (err)
			return err;
		memcpy(s->w.buf + s->w.pos, br->in + pos, n);
		s->w.pos += n;
		pos += n;
		len -= n;
	}
	br->pos = pos;
	return 0;
}

static int inflate_fixed(struct inflater *s)
{
	unsigned int i = 0;

	if (!s->fixed_loaded) {
		for (; i < 144; i++)
			s->lens[i] = 8;
		for (; i < 256; i++)
			s->lens[i] = 9;
		for (; i < 280; i++)
			s->lens[i] = 7;
		for (; i < MAX_LITLEN; i++)
			s->lens[i] = 8;
		for (i = 0; i < MAX_DIST; i++)
			s->lens[MAX_LITLEN + i] = 5;
		if (table_build(s->lit, LIT_CAP, LIT_ROOT, s->lens, MAX_LITLEN, KIND_LITLEN) ||
		    table_build(s->dist, DIST_CAP, DIST_ROOT, s->lens + MAX_LITLEN, MAX_DIST, KIND_DIST))
			return -EINVAL;
		s->fixed_loaded = true;
	}
	return inflate_codes(s);
}

/* Read the code lengths of a dynamic block into s->lens (nlen + ndist of them). */
static int read_code_lengths(struct inflater *s, unsigned int nlen, unsigned int ndist)
{
	static const uint8_t order[MAX_CLEN] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	struct bitreader *br = &s->br;
	unsigned int ncode = br_bits(br, 4) + 4, total = nlen + ndist;
	uint8_t cl[MAX_CLEN] = { 0 };

	for (unsigned int i = 0; i < ncode; i++)
		cl[order[i]] = (uint8_t)br_bits(br, 3);
	if (br_overrun(br) || table_build(s->clen, 1U << CLEN_ROOT, CLEN_ROOT, cl, MAX_CLEN, KIND_CLEN))
		return -EINVAL;
	for (unsigned int i = 0; i < total;) {
		uint32_t e, rep;
		uint8_t val = 0;

		if (!br_refill(br))
			return -EINVAL;
		e = br_decode(br, s->clen, CLEN_ROOT);	/* 7 bits, then at most 7 extra */
		if (E_OP(e) != OP_LIT)
			return -EINVAL;
		if (E_VAL(e) < 16) {
			s->lens[i++] = (uint8_t)E_VAL(e);
			continue;
		}
		if (E_VAL(e) == 16) {
			if (i == 0)
				return -EINVAL;
			val = s->lens[i - 1];
			rep = 3 + br_take(br, 2);
		} else if (E_VAL(e) == 17) {
			rep = 3 + br_take(br, 3);
		} else {
			rep = 11 + br_take(br, 7);
		}
		if (rep > total - i)
			return -EINVAL;
		while (rep--)
			s->lens[i++] = val;
	}
	return br_overrun(br) || !s->lens[256] ? -EINVAL : 0;	/* a block must be able to end */
}

static int inflate_dynamic(struct inflater *s)
{
	unsigned int nlen = br_bits(&s->br, 5) + 257, ndist = br_bits(&s->br, 5) + 1;
	int err;

	if (br_overrun(&s->br) || nlen > 286 || ndist > 30)
		return -EINVAL;
	s->fixed_loaded = false;
	err = read_code_lengths(s, nlen, ndist);
	if (err)
		return err;
	if (table_build(s->lit, LIT_CAP, LIT_ROOT, s->lens, nlen, KIND_LITLEN) ||
	    table_build(s->dist, DIST_CAP, DIST_ROOT, s->lens + nlen, ndist, KIND_DIST))
		return -EINVAL;
	return inflate_codes(s);
}

static int inflate_raw(struct inflater *s)
{
	uint32_t last;

	do {
		int err;

		last = br_bits(&s->br, 1);
		switch (br_bits(&s->br, 2)) {
		case 0: err = inflate_stored(s); break;
		case 1: err = inflate_fixed(s); break;
		case 2: err = inflate_dynamic(s); break;
		default: err = -EINVAL; break;
		}
		if (!err && br_overrun(&s->br))
			err = -EINVAL;
		if (err)
			return err;
	} while (!last);
	return 0;
}

bool gzip_detect(const uint8_t *buf, size_t len)
{
	return len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

int gzip_announced_size(const uint8_t *buf, size_t len, uint64_t *size)
{
	if (len < 18 || !gzip_detect(buf, len))
		return -EINVAL;
	*size = load32(buf + len - 4);
	return 0;
}

/* Skip the gzip header: *hdr is its length.  0 or -EINVAL. */
static int gzip_header(const uint8_t *in, size_t len, size_t *hdr)
{
	size_t pos = 10;
	uint8_t flags;

	if (len < 18 || !gzip_detect(in, len) || in[2] != 8)
		return -EINVAL;
	flags = in[3];
	if (flags & 0xe0)
		return -EINVAL;
	if (flags & 4) {	/* FEXTRA */
		pos += 2 + (in[pos] | (size_t)in[pos + 1] << 8);
		if (pos > len)
			return -EINVAL;
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
	if (pos > len || len - pos < 8)
		return -EINVAL;
	*hdr = pos;
	return 0;
}

/* The member after its header: inflate, then check the trailer's CRC-32 and ISIZE. */
static int gunzip_member(struct inflater *s, size_t *consumed)
{
	const uint8_t *in = s->br.in;
	size_t end;
	int err = inflate_raw(s);

	if (!err)
		err = dcw_flush(&s->w);
	end = br_byte_pos(&s->br);
	*consumed = end;
	if (err)
		return err;
	if (s->br.len - end < 8)
		return -EINVAL;
	if (load32(in + end) != s->w.crc || load32(in + end + 4) != (uint32_t)s->w.total)
		return -EINVAL;
	*consumed = end + 8;
	return 0;
}

int dc_gunzip(const uint8_t *in, size_t in_len, size_t *consumed, const struct dc_sink *sink)
{
	struct inflater *s;
	size_t hdr;
	int err = gzip_header(in, in_len, &hdr);

	*consumed = 0;
	if (err)
		return err;
	s = kmalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->br = (struct bitreader){ .in = in, .len = in_len, .pos = hdr };
	s->fixed_loaded = false;
	err = dcw_init(&s->w, GZ_HIST, GZ_CHUNK, sink);
	if (!err) {
		s->w.track_crc = true;
		err = gunzip_member(s, consumed);
	}
	dcw_free(&s->w);
	kfree(s);
	return err;
}

/* gunzip() into one buffer: a sink that fills it, -ENOSPC past its end. */
struct buf_sink {
	uint8_t *out;
	size_t len, pos;
};

static int buf_write(void *ctx, const uint8_t *p, size_t n)
{
	struct buf_sink *b = ctx;

	if (n > b->len - b->pos)
		return -ENOSPC;
	memcpy(b->out + b->pos, p, n);
	b->pos += n;
	return 0;
}

int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len, size_t *written,
	   size_t *consumed)
{
	struct buf_sink b = { .out = out, .len = out_len };
	struct dc_sink sink = { .write = buf_write, .ctx = &b };
	int err = dc_gunzip(in, in_len, consumed, &sink);

	*written = b.pos;
	return err;
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
