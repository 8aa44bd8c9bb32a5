// SPDX-License-Identifier: MPL-2.0
// Host tests of kernel/lib/inflate.c (gunzip).  Real gzip output: data made
// here is compressed by the host's gzip at several levels and must come back
// byte for byte, with the three block types each seen; hand-made streams
// (a small DEFLATE bit writer) cover what gzip never writes: distances too
// far back, bad code lengths, forbidden symbols, bad block types.  Every
// corruption must be an error, and no input may make the decoder touch
// memory outside its buffers (ASan and UBSan watch).
#include "tap.h"
#include <errno.h>
#include <unistd.h>
#include "inflate.h"

#define GZ_HDR	10	/* gzip -n from a pipe: no name, no extra fields */

struct buf {
	uint8_t *p;
	size_t len;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* The CRC-32 of gzip, bit by bit: the reference for hand-made members. */
static uint32_t ref_crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffff;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
	}
	return ~crc;
}

/* Compress data with `gzip -LEVEL -n`; NULL data with len 0 is the empty input. */
static struct buf gzip_buf(const uint8_t *data, size_t len, int level)
{
	char tmpl[] = "/tmp/test_inflate.XXXXXX", cmd[96];
	struct buf out = { NULL, 0 };
	size_t cap = len + 1024;
	int fd = mkstemp(tmpl);
	FILE *f;

	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len)) {
		perror("test_inflate: temporary file");
		exit(99);
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "gzip -%d -n -c < %s", level, tmpl);
	f = popen(cmd, "r");
	out.p = malloc(cap);
	if (!f || !out.p) {
		perror("test_inflate: gzip");
		exit(99);
	}
	for (size_t n; (n = fread(out.p + out.len, 1, cap - out.len, f)) > 0;) {
		out.len += n;
		if (out.len == cap)
			out.p = realloc(out.p, cap *= 2);
	}
	if (pclose(f) != 0 || out.len < 18) {
		fprintf(stderr, "test_inflate: gzip failed\n");
		exit(99);
	}
	unlink(tmpl);
	return out;
}

/* gunzip into a buffer of out_len bytes; the result is compared with want when 0. */
static int run_gunzip(const struct buf *gz, size_t out_len, const uint8_t *want, size_t want_len,
		      size_t *consumed)
{
	uint8_t *out = malloc(out_len ? out_len : 1);
	size_t written = 0, used = 0;
	int err = gunzip(gz->p, gz->len, out, out_len, &written, &used);

	if (!err && (written != want_len || (want_len && memcmp(out, want, want_len) != 0)))
		err = 1000;	/* decoded without error, but wrongly */
	free(out);
	if (consumed)
		*consumed = used;
	return err;
}

/* The first block's BTYPE (0 stored, 1 fixed, 2 dynamic). */
static int first_btype(const struct buf *gz)
{
	return (gz->p[GZ_HDR] >> 1) & 3;
}

/* ---- data sets ---- */

static struct buf make_text(size_t len)
{
	static const char *const words[] = { "the ", "kernel ", "frame ", "page ", "table ", "of ",
					     "initramfs ", "inflate ", "Huffman ", "code\n", "a ", "zero " };
	struct buf b = { malloc(len), len };

	for (size_t i = 0; i < len;) {
		const char *w = words[rng() % (sizeof(words) / sizeof(words[0]))];

		for (; *w && i < len; w++)
			b.p[i++] = (uint8_t)*w;
	}
	return b;
}

static struct buf make_random(size_t len)
{
	struct buf b = { malloc(len), len };

	for (size_t i = 0; i < len; i++)
		b.p[i] = (uint8_t)rng();
	return b;
}

/* Runs and short periods (match distances 1..7 with long lengths). */
static struct buf make_runs(size_t len)
{
	struct buf b = { malloc(len), len };

	for (size_t i = 0; i < len;) {
		size_t period = 1 + rng() % 7, run = 1 + rng() % 600;
		uint8_t pat[8];

		for (size_t k = 0; k < period; k++)
			pat[k] = (uint8_t)rng();
		for (size_t k = 0; k < run && i < len; k++)
			b.p[i++] = pat[k % period];
	}
	return b;
}

/* Skewed byte frequencies and no repeats: Huffman codes longer than 10 bits. */
static struct buf make_skewed(size_t len)
{
	struct buf b = { malloc(len), len };

	for (size_t i = 0; i < len; i++) {
		uint32_t r = rng() | 1U << 31;	/* a geometric distribution of value */
		unsigned int v = 0;

		while (!(r & 1)) {
			r >>= 1;
			v++;
		}
		b.p[i] = (uint8_t)(v * 7 + rng() % 2);
	}
	return b;
}

/* ---- round trips through gzip ---- */

static void check_round_trip(const char *name, const struct buf *data, int level, int btype)
{
	struct buf gz = gzip_buf(data->p, data->len, level);
	size_t used = 0;

	if (btype >= 0)
		is_int(first_btype(&gz), btype, "%s gzip -%d: first block has BTYPE %d", name, level,
		       btype);
	is_int(run_gunzip(&gz, data->len + 64, data->p, data->len, &used), 0,
	       "%s gzip -%d: %zu bytes inflate to the original", name, level, data->len);
	is_int(used, gz.len, "%s gzip -%d: the whole member is consumed", name, level);
	is_int(run_gunzip(&gz, data->len, data->p, data->len, NULL), 0,
	       "%s gzip -%d: an output buffer of exactly the size is enough", name, level);
	if (data->len)
		is_int(run_gunzip(&gz, data->len - 1, data->p, data->len, NULL), -ENOSPC,
		       "%s gzip -%d: one byte less is -ENOSPC", name, level);
	free(gz.p);
}

static void test_round_trips(void)
{
	struct buf text = make_text(300000), rnd = make_random(100000), runs = make_runs(400000);
	struct buf skew = make_skewed(200000), empty = { NULL, 0 };
	static const uint8_t hello[] = "hello hello hello hello\n";
	struct buf small = { (uint8_t *)hello, sizeof(hello) - 1 };

	check_round_trip("text", &text, 1, 2);
	check_round_trip("text", &text, 6, 2);
	check_round_trip("text", &text, 9, 2);
	check_round_trip("random", &rnd, 9, 0);
	check_round_trip("runs", &runs, 1, -1);
	check_round_trip("runs", &runs, 9, -1);
	check_round_trip("skewed", &skew, 9, 2);
	check_round_trip("small", &small, 9, 1);
	check_round_trip("empty", &empty, 9, -1);
	free(text.p);
	free(rnd.p);
	free(runs.p);
	free(skew.p);
}

/* Two members back to back: each call decodes one and says where the next starts. */
static void test_multi_member(void)
{
	struct buf a = make_text(5000), b = make_runs(7000);
	struct buf ga = gzip_buf(a.p, a.len, 6), gb = gzip_buf(b.p, b.len, 1);
	struct buf both = { malloc(ga.len + gb.len), ga.len + gb.len }, second;
	size_t used = 0;

	memcpy(both.p, ga.p, ga.len);
	memcpy(both.p + ga.len, gb.p, gb.len);
	is_int(run_gunzip(&both, 20000, a.p, a.len, &used), 0, "multi-member: the first member");
	is_int(used, ga.len, "multi-member: the first member's length is reported");
	second = (struct buf){ both.p + used, both.len - used };
	is_int(run_gunzip(&second, 20000, b.p, b.len, &used), 0, "multi-member: the second member");
	is_int(used, gb.len, "multi-member: the second member's length is reported");
	free(a.p);
	free(b.p);
	free(ga.p);
	free(gb.p);
	free(both.p);
}

/* ---- corrupted real members ---- */

static void test_corrupt_members(void)
{
	struct buf data = make_text(20000), gz = gzip_buf(data.p, data.len, 9);
	struct buf bad = { malloc(gz.len), gz.len };
	uint8_t *out = malloc(data.len + 64);
	size_t n, used;
	bool all_err = true, no_crash = true;
	uint64_t announced = 0;

	ok(gzip_detect(gz.p, gz.len) && !gzip_detect(gz.p, 1), "gzip_detect: the magic");
	is_int(gzip_announced_size(gz.p, gz.len, &announced), 0, "gzip_announced_size");
	is_int(announced, data.len, "gzip_announced_size is ISIZE");
#define CORRUPT(what, stmt, want)						\
	do {									\
		memcpy(bad.p, gz.p, gz.len);					\
		bad.len = gz.len;						\
		stmt;								\
		is_int(run_gunzip(&bad, data.len + 64, data.p, data.len, NULL), want, "%s", what); \
	} while (0)
	CORRUPT("bad magic", bad.p[1] = 0x8c, -EINVAL);
	CORRUPT("method other than deflate", bad.p[2] = 7, -EINVAL);
	CORRUPT("reserved flag bits", bad.p[3] = 0x20, -EINVAL);
	CORRUPT("FEXTRA longer than the member", (bad.p[3] = 4, bad.p[10] = 0xff, bad.p[11] = 0xff), -EINVAL);
	CORRUPT("FNAME without its terminator", (bad.p[3] = 8, memset(bad.p + 10, 'x', gz.len - 10)), -EINVAL);
	CORRUPT("CRC-32 mismatch", bad.p[gz.len - 8] ^= 1, -EINVAL);
	CORRUPT("ISIZE mismatch", bad.p[gz.len - 4] ^= 1, -EINVAL);
	CORRUPT("block type 3", bad.p[GZ_HDR] |= 6, -EINVAL);
	CORRUPT("trailer cut short", bad.len = gz.len - 1, -EINVAL);
#undef CORRUPT

	/* Every truncation is an error, never a read past the end (each its own allocation). */
	for (size_t len = 0; len < gz.len; len++) {
		struct buf cut = { malloc(len ? len : 1), len };

		memcpy(cut.p, gz.p, len);
		if (gunzip(cut.p, cut.len, out, data.len + 64, &n, &used) != -EINVAL)
			all_err = false;
		free(cut.p);
	}
	ok(all_err, "every truncation of a %zu-byte member is -EINVAL", gz.len);

	/* Random byte flips: any outcome but a bad access (ASan) or a wrong success. */
	for (int i = 0; i < 3000; i++) {
		int err;

		memcpy(bad.p, gz.p, gz.len);
		bad.len = gz.len;
		for (int k = 0; k < 1 + i % 4; k++)
			bad.p[GZ_HDR + rng() % (gz.len - GZ_HDR - 8)] ^= (uint8_t)(1 + rng() % 255);
		err = run_gunzip(&bad, data.len + 64, data.p, data.len, NULL);
		if (err != 0 && err != -EINVAL && err != -ENOSPC)
			no_crash = false;
	}
	ok(no_crash, "3000 randomly corrupted members: only 0, -EINVAL or -ENOSPC");
	free(data.p);
	free(gz.p);
	free(bad.p);
	free(out);
}

/* ---- hand-made streams ---- */

struct bitwriter {
	uint8_t buf[4096];
	size_t len;
	unsigned int nbits;
};

static void put_bits(struct bitwriter *w, uint32_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (!w->nbits)
			w->buf[w->len++] = 0;
		w->buf[w->len - 1] |= (uint8_t)(((v >> i) & 1) << w->nbits);
		w->nbits = (w->nbits + 1) & 7;
	}
}

/* Huffman codes go most significant bit first. */
static void put_code(struct bitwriter *w, uint32_t code, unsigned int len)
{
	while (len--)
		put_bits(w, (code >> len) & 1, 1);
}

static void put_fixed_lit(struct bitwriter *w, unsigned int sym)
{
	if (sym < 144)
		put_code(w, 0x30 + sym, 8);
	else if (sym < 256)
		put_code(w, 0x190 + sym - 144, 9);
	else if (sym < 280)
		put_code(w, sym - 256, 7);
	else
		put_code(w, 0xc0 + sym - 280, 8);
}

/* Canonical codes for these lengths (RFC 1951 3.2.2). */
static void canonical(const uint8_t *lens, unsigned int n, uint32_t *codes)
{
	uint32_t count[16] = { 0 }, next[16], code = 0;

	for (unsigned int i = 0; i < n; i++)
		count[lens[i]]++;
	count[0] = 0;
	for (unsigned int b = 1; b < 16; b++) {
		code = (code + count[b - 1]) << 1;
		next[b] = code;
	}
	for (unsigned int i = 0; i < n; i++)
		codes[i] = lens[i] ? next[lens[i]]++ : 0;
}

/* The code length code used here: 0..12, 16, 17, 18 with 4 bits each (complete). */
static const unsigned int cl_order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

static void put_cl(struct bitwriter *w, unsigned int sym)
{
	put_code(w, sym <= 12 ? sym : sym - 3, 4);
}

/* A code length sequence, as CL symbols with their extra bits (sym | extra << 8). */
struct clseq {
	uint32_t s[400];
	unsigned int n;
};

static void lens_to_cl(const uint8_t *lens, unsigned int n, struct clseq *q)
{
	for (unsigned int i = 0; i < n;) {
		unsigned int run = 0;

		while (i + run < n && lens[i + run] == 0 && run < 138)
			run++;
		if (run >= 11) {
			q->s[q->n++] = 18 | (run - 11) << 8;
		} else if (run >= 3) {
			q->s[q->n++] = 17 | (run - 3) << 8;
		} else {
			q->s[q->n++] = lens[i];
			run = 1;
		}
		i += run;
	}
}

/* A final dynamic block header: HLIT, HDIST, HCLEN, the CL code, then the sequence. */
static void put_dynamic_header(struct bitwriter *w, unsigned int nlen, unsigned int ndist,
			       const struct clseq *q, unsigned int cl_len_all)
{
	put_bits(w, 1, 1);
	put_bits(w, 2, 2);
	put_bits(w, nlen - 257, 5);
	put_bits(w, ndist - 1, 5);
	put_bits(w, 18 - 4, 4);
	for (unsigned int i = 0; i < 18; i++) {
		unsigned int sym = cl_order[i];

		put_bits(w, cl_len_all ? cl_len_all : (sym <= 12 || sym >= 16 ? 4 : 0), 3);
	}
	for (unsigned int i = 0; i < q->n; i++) {
		unsigned int sym = q->s[i] & 0xff, extra = q->s[i] >> 8;

		put_cl(w, sym);
		if (sym == 16)
			put_bits(w, extra, 2);
		else if (sym == 17)
			put_bits(w, extra, 3);
		else if (sym == 18)
			put_bits(w, extra, 7);
	}
}

/* Wrap raw DEFLATE data in a gzip member whose trailer describes `want`. */
static struct buf member(const struct bitwriter *w, const char *want)
{
	static const uint8_t hdr[GZ_HDR] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	size_t n = strlen(want);
	uint32_t crc = ref_crc32((const uint8_t *)want, n);
	struct buf b = { malloc(GZ_HDR + w->len + 8), GZ_HDR + w->len + 8 };
	uint8_t *t = b.p + GZ_HDR + w->len;

	memcpy(b.p, hdr, GZ_HDR);
	memcpy(b.p + GZ_HDR, w->buf, w->len);
	for (int i = 0; i < 4; i++) {
		t[i] = (uint8_t)(crc >> (8 * i));
		t[4 + i] = (uint8_t)(n >> (8 * i));
	}
	return b;
}

static int gunzip_hand(const struct bitwriter *w, const char *want)
{
	struct buf b = member(w, want);
	int err = run_gunzip(&b, 256, (const uint8_t *)want, strlen(want), NULL);

	free(b.p);
	return err;
}

/* Fixed block: literal 'a', then a match (length 3) at distance symbol dsym, then sym_end. */
static int fixed_match(unsigned int dsym, unsigned int lit_first, const char *want)
{
	struct bitwriter w = { .len = 0 };

	put_bits(&w, 1, 1);
	put_bits(&w, 1, 2);
	if (lit_first)
		put_fixed_lit(&w, 'a');
	put_fixed_lit(&w, 257);
	put_code(&w, dsym, 5);
	put_fixed_lit(&w, 256);
	return gunzip_hand(&w, want);
}

static void test_fixed_and_stored(void)
{
	struct bitwriter w = { .len = 0 };

	is_int(fixed_match(0, 1, "aaaa"), 0, "fixed block: a match at distance 1 (control)");
	is_int(fixed_match(1, 1, "aaaa"), -EINVAL, "fixed block: distance 2 after 1 byte is too far back");
	is_int(fixed_match(0, 0, "aaa"), -EINVAL, "fixed block: a match before any output");
	is_int(fixed_match(30, 1, "aaaa"), -EINVAL, "fixed block: distance symbol 30 is invalid");
	is_int(fixed_match(31, 1, "aaaa"), -EINVAL, "fixed block: distance symbol 31 is invalid");
	for (unsigned int sym = 286; sym <= 287; sym++) {
		w = (struct bitwriter){ .len = 0 };
		put_bits(&w, 1, 1);
		put_bits(&w, 1, 2);
		put_fixed_lit(&w, sym);
		put_fixed_lit(&w, 256);
		is_int(gunzip_hand(&w, ""), -EINVAL, "fixed block: literal/length symbol %u is invalid", sym);
	}

	/* A fixed block ending mid-byte, then a stored block: it starts on the next byte. */
	w = (struct bitwriter){ .len = 0 };
	put_bits(&w, 0, 1);
	put_bits(&w, 1, 2);
	put_fixed_lit(&w, 'x');
	put_fixed_lit(&w, 256);
	put_bits(&w, 1, 1);
	put_bits(&w, 0, 2);
	w.nbits = 0;
	memcpy(w.buf + w.len, "\x0b\x00\xf4\xff" "yz and more", 15);
	w.len += 15;
	is_int(gunzip_hand(&w, "xyz and more"), 0, "fixed then stored block (realigned to a byte)");
	w.buf[w.len - 12] ^= 1;	/* NLEN */
	is_int(gunzip_hand(&w, "xyz and more"), -EINVAL, "stored block: NLEN is not ~LEN");
	w.buf[w.len - 12] ^= 1;
	w.buf[w.len - 15] = 0xf0;	/* LEN 0xfff0: far more than there is */
	w.buf[w.len - 14] = 0xff;
	w.buf[w.len - 13] = 0x0f;
	w.buf[w.len - 12] = 0x00;
	is_int(gunzip_hand(&w, "xyz and more"), -EINVAL, "stored block: LEN past the end of the input");
}

/*
 * A dynamic block with these lit/len and distance lengths, then the symbols
 * given; extra_cl, if not 0, replaces the last two code length symbols.
 */
static int dynamic_x(const uint8_t *lit, unsigned int nlen, const uint8_t *dist, unsigned int ndist,
		     const unsigned int *syms, unsigned int nsyms, const char *want, uint32_t extra_cl)
{
	struct bitwriter w = { .len = 0 };
	uint8_t lens[320] = { 0 };
	uint32_t lcodes[288], dcodes[32];
	struct clseq q = { .n = 0 };

	memcpy(lens, lit, nlen);
	memcpy(lens + nlen, dist, ndist);
	lens_to_cl(lens, nlen + ndist, &q);
	if (extra_cl) {
		q.n -= 2;
		q.s[q.n++] = extra_cl;
	}
	put_dynamic_header(&w, nlen, ndist, &q, 0);
	canonical(lit, nlen, lcodes);
	canonical(dist, ndist, dcodes);
	for (unsigned int i = 0; i < nsyms; i++) {
		unsigned int s = syms[i];

		if (s & 0x1000)	/* a distance symbol */
			put_code(&w, dcodes[s & 0xfff], dist[s & 0xfff]);
		else
			put_code(&w, lcodes[s], lit[s]);
	}
	return gunzip_hand(&w, want);
}

static int dynamic(const uint8_t *lit, unsigned int nlen, const uint8_t *dist, unsigned int ndist,
		   const unsigned int *syms, unsigned int nsyms, const char *want)
{
	return dynamic_x(lit, nlen, dist, ndist, syms, nsyms, want, 0);
}

static void test_dynamic(void)
{
	uint8_t lit[286] = { 0 }, dist[30] = { 0 };
	static const unsigned int abmatch[] = { 'a', 'b', 257, 0x1000, 256 };
	static const unsigned int ab[] = { 'a', 'b', 256 };
	struct bitwriter w;
	struct clseq q;

	lit['a'] = lit['b'] = lit[256] = lit[257] = 2;
	dist[0] = 1;	/* one distance code: incomplete but allowed */
	is_int(dynamic(lit, 257 + 1, dist, 1, abmatch, 5, "abbbb"), 0, "dynamic block (control)");
	/* The distance lengths end 1, 0, 0: three zeros (17) for the last two overflow. */
	is_int(dynamic_x(lit, 258, dist, 3, abmatch, 5, "abbbb", 0), 0, "dynamic block, 3 distance lengths");
	is_int(dynamic_x(lit, 258, dist, 3, abmatch, 5, "abbbb", 17), -EINVAL,
	       "code lengths: a repeat past HLIT + HDIST at the end");
	dist[0] = 0;
	is_int(dynamic(lit, 258, dist, 1, ab, 3, "ab"), 0, "dynamic block without distance codes");
	is_int(dynamic(lit, 258, dist, 1, (const unsigned int[]){ 'a', 257, 0x1000, 256 }, 4, "aaaa"),
	       -EINVAL, "dynamic block: a match with no distance code");
	dist[0] = dist[1] = dist[2] = 1;
	is_int(dynamic(lit, 258, dist, 3, ab, 3, "ab"), -EINVAL, "over-subscribed distance code");
	dist[1] = dist[2] = 0;
	lit[257] = 0;
	lit['c'] = 1;
	is_int(dynamic(lit, 258, dist, 1, ab, 3, "ab"), -EINVAL, "over-subscribed literal/length code");
	lit['c'] = 0;
	is_int(dynamic(lit, 258, dist, 1, ab, 3, "ab"), -EINVAL, "incomplete literal/length code");
	lit[256] = 0;
	lit['c'] = lit['d'] = 2;
	is_int(dynamic(lit, 258, dist, 1, ab, 2, "ab"), -EINVAL, "no end-of-block code");

	/* Bad code length sequences, in the otherwise valid block's header. */
	w = (struct bitwriter){ .len = 0 };
	q = (struct clseq){ .s = { 16 }, .n = 1 };
	put_dynamic_header(&w, 257, 1, &q, 0);
	is_int(gunzip_hand(&w, ""), -EINVAL, "code lengths: repeat (16) with no previous length");
	w = (struct bitwriter){ .len = 0 };
	q = (struct clseq){ .s = { 18 | 127 << 8, 18 | 127 << 8 }, .n = 2 };
	put_dynamic_header(&w, 257, 1, &q, 0);
	is_int(gunzip_hand(&w, ""), -EINVAL, "code lengths: zeros past HLIT + HDIST");
	w = (struct bitwriter){ .len = 0 };
	q = (struct clseq){ .n = 0 };
	put_dynamic_header(&w, 257, 1, &q, 1);
	is_int(gunzip_hand(&w, ""), -EINVAL, "over-subscribed code length code");
	w = (struct bitwriter){ .len = 0 };
	put_dynamic_header(&w, 287, 1, &q, 0);
	is_int(gunzip_hand(&w, ""), -EINVAL, "HLIT of 287 codes");
	w = (struct bitwriter){ .len = 0 };
	put_dynamic_header(&w, 257, 31, &q, 0);
	is_int(gunzip_hand(&w, ""), -EINVAL, "HDIST of 31 codes");
}

int main(void)
{
	if (system("gzip --version >/dev/null 2>&1") != 0) {
		printf("1..0 # SKIP gzip is not installed\n");
		return 0;
	}
	test_round_trips();
	test_multi_member();
	test_corrupt_members();
	test_fixed_and_stored();
	test_dynamic();
	return done();
}
