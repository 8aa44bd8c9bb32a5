// SPDX-License-Identifier: MPL-2.0
// LZMA2 and LZMA decoding (xz_internal.h), written from the .xz format
// description and the LZMA specification: LZMA2 chunks (uncompressed, or
// LZMA with a state, property or dictionary reset), the range decoder, the
// literal coder (plain and "matched"), the length coders, distance slots
// with their reverse bit trees and direct bits, and the four repeat
// distances.  The dictionary is circular, of the stream's size: bytes go
// to the sink as it wraps and at the end.  Every distance is checked
// against what the dictionary holds, every chunk against its announced
// sizes, and reads past a chunk's input are an error.
#include <aster/errno.h>
#include <aster/heap.h>
#include <aster/string.h>
#include "xz_internal.h"

#define PROB_INIT	1024
#define NSTATES		12
#define POS_STATES_MAX	16
#define LIT_PROBS_MAX	(0x300 << 4)	/* lc + lp <= 4 in LZMA2 */
#define END_POS_MODEL	14
#define FULL_DISTANCES	128
#define ALIGN_BITS	4
#define FLUSH_STEP	(256U << 10)

struct len_coder {
	uint16_t choice, choice2;
	uint16_t low[POS_STATES_MAX][8], mid[POS_STATES_MAX][8], high[256];
};

struct rc {
	const uint8_t *in;
	size_t len, pos;
	uint32_t range, code;
	bool overrun;
};

struct lzma2 {
	const struct dc_sink *sink;
	uint8_t *dict;
	size_t size;		/* dictionary bytes */
	size_t pos;		/* next write */
	size_t done;		/* dict[done..pos) not yet flushed */
	size_t full;		/* bytes of history (<= size) */
	uint64_t produced;
	/* LZMA state */
	unsigned int lc, lp, pb, state;
	uint32_t rep[4];
	struct rc rc;
	uint16_t is_match[NSTATES][POS_STATES_MAX], is_rep[NSTATES], is_rep0[NSTATES];
	uint16_t is_rep1[NSTATES], is_rep2[NSTATES], is_rep0_long[NSTATES][POS_STATES_MAX];
	uint16_t dist_slot[4][64], dist_special[FULL_DISTANCES - END_POS_MODEL];
	uint16_t dist_align[1 << ALIGN_BITS];
	struct len_coder match_len, rep_len;
	uint16_t literal[LIT_PROBS_MAX];
};

int lzma2_new(struct lzma2 **out, uint32_t dict, const struct dc_sink *sink)
{
	struct lzma2 *s;

	if (dict > DC_MAX_WINDOW)
		return -EOPNOTSUPP;
	dict = MAX(dict, 4096U);
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->dict = kmalloc(dict);
	if (!s->dict) {
		kfree(s);
		return -ENOMEM;
	}
	s->size = dict;
	s->sink = sink;
	*out = s;
	return 0;
}

void lzma2_free(struct lzma2 *s)
{
	if (!s)
		return;
	kfree(s->dict);
	kfree(s);
}

/* ---- The dictionary ---- */

static int dict_flush(struct lzma2 *s)
{
	size_t n = s->pos - s->done;
	int err = 0;

	if (n)
		err = s->sink->write(s->sink->ctx, s->dict + s->done, n);
	s->produced += n;
	s->done = s->pos;
	if (s->pos == s->size)
		s->pos = s->done = 0;
	return err;
}

static int dict_put(struct lzma2 *s, uint8_t b)
{
	s->dict[s->pos++] = b;
	if (s->full < s->size)
		s->full++;
	/* Output goes out at least every FLUSH_STEP bytes, not only as the dictionary wraps. */
	return s->pos == s->size || s->pos - s->done >= FLUSH_STEP ? dict_flush(s) : 0;
}

/* The byte dist + 1 back (dist < full). */
static uint8_t dict_get(const struct lzma2 *s, uint32_t dist)
{
	size_t back = (size_t)dist + 1;

	return s->dict[s->pos >= back ? s->pos - back : s->pos + s->size - back];
}

/* ---- The range decoder ---- */

static int rc_init(struct rc *rc, const uint8_t *in, size_t len)
{
	if (len < 5 || in[0] != 0)
		return -EINVAL;
	*rc = (struct rc){ .in = in, .len = len, .pos = 5, .range = 0xffffffff,
			   .code = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 |
				   (uint32_t)in[3] << 8 | in[4] };
	return 0;
}

static inline void rc_normalize(struct rc *rc)
{
	if (rc->range >= (1U << 24))
		return;
	rc->range <<= 8;
	if (rc->pos < rc->len)
		rc->code = rc->code << 8 | rc->in[rc->pos++];
	else {
		rc->code <<= 8;
		rc->overrun = true;
	}
}

static inline unsigned int rc_bit(struct rc *rc, uint16_t *p)
{
	uint32_t bound;

	rc_normalize(rc);
	bound = (rc->range >> 11) * *p;
	if (rc->code < bound) {
		rc->range = bound;
		*p += (2048 - *p) >> 5;
		return 0;
	}
	rc->range -= bound;
	rc->code -= bound;
	*p -= *p >> 5;
	return 1;
}

/* A bit tree of n bits, most significant first. */
static unsigned int rc_tree(struct rc *rc, uint16_t *probs, unsigned int n)
{
	unsigned int sym = 1;

	for (unsigned int i = 0; i < n; i++)
		sym = sym << 1 | rc_bit(rc, &probs[sym]);
	return sym - (1U << n);
}

/* A bit tree of n bits, least significant first (node sym at probs[sym - 1]). */
static unsigned int rc_reverse(struct rc *rc, uint16_t *probs, unsigned int n)
{
	unsigned int sym = 1, v = 0;

	for (unsigned int i = 0; i < n; i++) {
		unsigned int bit = rc_bit(rc, &probs[sym - 1]);

		sym = sym << 1 | bit;
		v |= bit << i;
	}
	return v;
}

static uint32_t rc_direct(struct rc *rc, unsigned int n)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint32_t t;

		rc_normalize(rc);
		rc->range >>= 1;
		rc->code -= rc->range;
		t = 0 - (rc->code >> 31);
		rc->code += rc->range & t;
		v = (v << 1) + (t + 1);
	}
	return v;
}

/* ---- LZMA ---- */

static void probs_fill(uint16_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = PROB_INIT;
}

static void len_reset(struct len_coder *l)
{
	l->choice = l->choice2 = PROB_INIT;
	probs_fill(&l->low[0][0], sizeof(l->low) / 2);
	probs_fill(&l->mid[0][0], sizeof(l->mid) / 2);
	probs_fill(l->high, 256);
}

static void state_reset(struct lzma2 *s)
{
	s->state = 0;
	s->rep[0] = s->rep[1] = s->rep[2] = s->rep[3] = 0;
	probs_fill(&s->is_match[0][0], sizeof(s->is_match) / 2);
	probs_fill(s->is_rep, NSTATES);
	probs_fill(s->is_rep0, NSTATES);
	probs_fill(s->is_rep1, NSTATES);
	probs_fill(s->is_rep2, NSTATES);
	probs_fill(&s->is_rep0_long[0][0], sizeof(s->is_rep0_long) / 2);
	probs_fill(&s->dist_slot[0][0], sizeof(s->dist_slot) / 2);
	probs_fill(s->dist_special, FULL_DISTANCES - END_POS_MODEL);
	probs_fill(s->dist_align, 1 << ALIGN_BITS);
	len_reset(&s->match_len);
	len_reset(&s->rep_len);
	probs_fill(s->literal, (size_t)0x300 << (s->lc + s->lp));
}

/* 0-based length (0..271) */
static unsigned int decode_len(struct rc *rc, struct len_coder *l, unsigned int ps)
{
	if (!rc_bit(rc, &l->choice))
		return rc_tree(rc, l->low[ps], 3);
	if (!rc_bit(rc, &l->choice2))
		return 8 + rc_tree(rc, l->mid[ps], 3);
	return 16 + rc_tree(rc, l->high, 8);
}

static uint32_t decode_dist(struct lzma2 *s, unsigned int len)
{
	unsigned int slot = rc_tree(&s->rc, s->dist_slot[MIN(len, 3U)], 6), nbits;
	uint32_t dist;

	if (slot < 4)
		return slot;
	nbits = (slot >> 1) - 1;
	dist = (2 | (slot & 1)) << nbits;
	if (slot < END_POS_MODEL)	/* each slot's reverse tree at dist - slot: no overlap */
		return dist + rc_reverse(&s->rc, s->dist_special + (dist - slot), nbits);
	dist += rc_direct(&s->rc, nbits - ALIGN_BITS) << ALIGN_BITS;
	return dist + rc_reverse(&s->rc, s->dist_align, ALIGN_BITS);
}

static int decode_literal(struct lzma2 *s)
{
	uint8_t prev = s->full ? dict_get(s, 0) : 0;
	size_t ctx = ((s->produced + s->pos - s->done) & ((1U << s->lp) - 1)) << s->lc |
		     prev >> (8 - s->lc);
	uint16_t *probs = s->literal + 0x300 * ctx;
	unsigned int sym = 1;

	if (s->state >= 7) {	/* after a match: guided by the byte at rep0 */
		unsigned int match = s->full > s->rep[0] ? dict_get(s, s->rep[0]) : 0, offs = 0x100;

		while (sym < 0x100) {
			unsigned int bit, mbit;

			match <<= 1;
			mbit = match & offs;
			bit = rc_bit(&s->rc, &probs[offs + mbit + sym]);
			sym = sym << 1 | bit;
			offs &= bit ? mbit : ~mbit;
		}
	} else {
		while (sym < 0x100)
			sym = sym << 1 | rc_bit(&s->rc, &probs[sym]);
	}
	s->state = s->state < 4 ? 0 : s->state < 10 ? s->state - 3 : s->state - 6;
	return dict_put(s, (uint8_t)sym);
}

static int copy_match(struct lzma2 *s, uint32_t dist, unsigned int len, size_t *left)
{
	if (dist >= s->full || len > *left)
		return -EINVAL;
	*left -= len;
	while (len--) {
		int err = dict_put(s, dict_get(s, dist));

		if (err)
			return err;
	}
	return 0;
}

/* A match or a repeat; the is_match bit was 1. */
static int decode_match(struct lzma2 *s, unsigned int ps, size_t *left)
{
	struct rc *rc = &s->rc;
	unsigned int st = s->state, len;
	uint32_t dist;

	if (!rc_bit(rc, &s->is_rep[st])) {
		len = decode_len(rc, &s->match_len, ps);
		s->state = st < 7 ? 7 : 10;
		dist = decode_dist(s, len);
		s->rep[3] = s->rep[2];
		s->rep[2] = s->rep[1];
		s->rep[1] = s->rep[0];
		s->rep[0] = dist;
		return copy_match(s, dist, len + 2, left);
	}
	if (!rc_bit(rc, &s->is_rep0[st])) {
		if (!rc_bit(rc, &s->is_rep0_long[st][ps])) {	/* one byte at rep0 */
			s->state = st < 7 ? 9 : 11;
			return copy_match(s, s->rep[0], 1, left);
		}
	} else {
		if (!rc_bit(rc, &s->is_rep1[st])) {
			dist = s->rep[1];
		} else if (!rc_bit(rc, &s->is_rep2[st])) {
			dist = s->rep[2];
			s->rep[2] = s->rep[1];
		} else {
			dist = s->rep[3];
			s->rep[3] = s->rep[2];
			s->rep[2] = s->rep[1];
		}
		s->rep[1] = s->rep[0];
		s->rep[0] = dist;
	}
	len = decode_len(rc, &s->rep_len, ps);
	s->state = st < 7 ? 8 : 11;
	return copy_match(s, s->rep[0], len + 2, left);
}

/* One LZMA chunk: exactly usize bytes out of exactly csize bytes in. */
static int lzma_chunk(struct lzma2 *s, const uint8_t *in, size_t csize, size_t usize)
{
	size_t left = usize;
	int err = rc_init(&s->rc, in, csize);

	while (!err && left) {
		unsigned int ps = (unsigned int)((s->produced + s->pos - s->done) &
						 ((1U << s->pb) - 1));

		if (!rc_bit(&s->rc, &s->is_match[s->state][ps])) {
			err = decode_literal(s);
			left--;
		} else {
			err = decode_match(s, ps, &left);
		}
		if (s->rc.overrun)
			err = -EINVAL;
	}
	if (err)
		return err;
	rc_normalize(&s->rc);
	return s->rc.pos == csize && s->rc.code == 0 && !s->rc.overrun ? 0 : -EINVAL;
}

static int set_props(struct lzma2 *s, uint8_t b)
{
	if (b >= 9 * 5 * 5)
		return -EINVAL;
	s->lc = b % 9;
	s->lp = (b / 9) % 5;
	s->pb = b / 45;
	return s->lc + s->lp > 4 ? -EINVAL : 0;
}

static int uncompressed_chunk(struct lzma2 *s, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int err = dict_put(s, in[i]);

		if (err)
			return err;
	}
	return 0;
}

/* One chunk at in[*pos]; *end when it was the end marker. */
static int lzma2_chunk(struct lzma2 *s, const uint8_t *in, size_t len, size_t *pos, bool *end,
		       bool *need_dict, bool *need_props)
{
	uint8_t c = in[(*pos)++];
	size_t usize, csize;
	int err;

	if (c == 0) {
		*end = true;
		return 0;
	}
	if (c == 1 || c == 2) {
		if (len - *pos < 2 || (c == 2 && *need_dict))
			return -EINVAL;
		if (c == 1)
			s->full = 0;
		*need_dict = false;
		usize = ((size_t)in[*pos] << 8 | in[*pos + 1]) + 1;
		*pos += 2;
		if (len - *pos < usize)
			return -EINVAL;
		err = uncompressed_chunk(s, in + *pos, usize);
		*pos += usize;
		return err;
	}
	if (c < 0x80 || len - *pos < 4)
		return -EINVAL;
	usize = ((size_t)(c & 0x1f) << 16 | (size_t)in[*pos] << 8 | in[*pos + 1]) + 1;
	csize = ((size_t)in[*pos + 2] << 8 | in[*pos + 3]) + 1;
	*pos += 4;
	if (c >= 0xe0) {
		s->full = 0;
		*need_dict = false;
	} else if (*need_dict) {
		return -EINVAL;
	}
	if (c >= 0xc0) {
		if (len - *pos < 1 || set_props(s, in[*pos]))
			return -EINVAL;
		(*pos)++;
		*need_props = false;
	} else if (*need_props) {
		return -EINVAL;
	}
	if (c >= 0xa0)
		state_reset(s);
	if (len - *pos < csize)
		return -EINVAL;
	err = lzma_chunk(s, in + *pos, csize, usize);
	*pos += csize;
	return err;
}

int lzma2_decode(struct lzma2 *s, const uint8_t *in, size_t len, size_t *used,
		 uint64_t *produced)
{
	bool end = false, need_dict = true, need_props = true;
	size_t pos = 0;
	int err = 0;

	s->pos = s->done = s->full = 0;
	s->produced = 0;
	while (!err && !end) {
		if (pos >= len) {
			err = -EINVAL;
			break;
		}
		err = lzma2_chunk(s, in, len, &pos, &end, &need_dict, &need_props);
	}
	if (!err)
		err = dict_flush(s);
	*used = pos;
	*produced = s->produced;
	return err;
}
