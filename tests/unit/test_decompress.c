// SPDX-License-Identifier: MPL-2.0
// Host tests of the streaming decompressors (kernel/lib/decompress.h) and
// the cpio stream (kernel/fs/initramfs/cpio.c).  Data made here is
// compressed by the host's own gzip, zstd, xz and lz4 with the options
// distributions' initramfs tools use (update-initramfs: zstd -q -1 -T0,
// xz --check=crc32, lz4 -l; dracut: the same tools with their defaults)
// and must come back byte for byte, in pieces no larger than the decoder's
// chunk; then every truncation and corruption must be an error (or, for a
// format without a checksum, at least stay inside the buffers: ASan and
// UBSan watch).  A tool that is not installed is a SKIP.
#include "tap.h"
#include <errno.h>
#include <unistd.h>
#include "decompress.h"
#include "cpio.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static void buf_put(struct buf *b, const uint8_t *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 4096;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			exit(99);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static bool have_tool(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Run `cmd < data` and return its output. */
static struct buf filter(const char *cmd, const uint8_t *data, size_t len)
{
	char tmpl[] = "/tmp/test_decompress.XXXXXX", full[512];
	struct buf out = { 0 };
	uint8_t chunk[65536];
	int fd = mkstemp(tmpl);
	FILE *f;

	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len)) {
		perror("test_decompress: temporary file");
		exit(99);
	}
	close(fd);
	snprintf(full, sizeof(full), "%s < %s", cmd, tmpl);
	f = popen(full, "r");
	if (!f) {
		perror("test_decompress: popen");
		exit(99);
	}
	for (size_t n; (n = fread(chunk, 1, sizeof(chunk), f)) > 0;)
		buf_put(&out, chunk, n);
	if (pclose(f) != 0) {
		fprintf(stderr, "test_decompress: '%s' failed\n", cmd);
		exit(99);
	}
	unlink(tmpl);
	return out;
}

/* The sink: gathers the output and the largest piece. */
struct gather {
	struct buf out;
	size_t biggest, calls;
	size_t limit;		/* fail with -EFBIG past this much output */
};

static int gather_write(void *ctx, const uint8_t *p, size_t n)
{
	struct gather *g = ctx;

	g->calls++;
	if (n > g->biggest)
		g->biggest = n;
	if (g->out.len + n > g->limit)
		return -EFBIG;
	buf_put(&g->out, p, n);
	return 0;
}

static int run(const struct buf *in, struct gather *g, size_t *consumed)
{
	struct dc_sink sink = { .write = gather_write, .ctx = g };

	*g = (struct gather){ .limit = (size_t)1 << 30 };
	return dc_decompress(dc_detect(in->p, in->len), in->p, in->len, consumed, &sink);
}

/* Test data: compressible text with long repeats, random bytes, and both. */
static struct buf make_data(int kind, size_t len)
{
	struct buf b = { 0 };
	static const char *words[] = { "initramfs ", "zstd ", "cpio ", "lorem ", "ipsum ", "\n",
				       "busybox ", "0707010000", "\0\0\0\0" };

	if (kind == 3) {	/* a real program: this test's own binary, repeated */
		FILE *f = fopen("/proc/self/exe", "rb");
		uint8_t chunk[4096];
		size_t n;

		while (f && b.len < len && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			buf_put(&b, chunk, n);
			if (feof(f))
				rewind(f);
		}
		if (f)
			fclose(f);
	}
	while (b.len < len) {
		uint8_t r[8];

		if (kind == 0 || (kind == 2 && (rng() & 4))) {
			const char *w = words[rng() % 9];
			size_t n = strlen(w) ? strlen(w) : 4;

			buf_put(&b, (const uint8_t *)w, n);
		} else {
			uint32_t x = rng(), y = rng();

			memcpy(r, &x, 4);
			memcpy(r + 4, &y, 4);
			buf_put(&b, r, 8);
		}
	}
	b.len = len;
	return b;
}

struct tool_case {
	const char *tool, *cmd;
	bool checked;		/* the format has a checksum over the content */
};

static const struct tool_case cases[] = {
	{ "gzip", "gzip -6 -n -c", true },
	{ "gzip", "gzip -1 -n -c", true },
	{ "zstd", "zstd -q -1 -T0 -c", false },
	{ "zstd", "zstd -q -15 --check -c", true },
	{ "zstd", "zstd -q -3 --no-check --long=24 -c", false },
	{ "xz", "xz --check=crc32 -c", true },
	{ "xz", "xz --check=crc64 -1 -c", true },
	{ "xz", "xz --check=none -9 -c", false },
	{ "xz", "xz --check=sha256 -0 -c", false },
	{ "xz", "xz --check=crc32 -T2 --block-size=300000 -c", true },
	{ "lz4", "lz4 -q -l -c", false },
	{ "lz4", "lz4 -q -c", true },
	{ "lz4", "lz4 -q -9 -BD -B4 --no-frame-crc -c", false },
	{ "lz4", "lz4 -q -BX -B5 -c", true },
};

static void skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_count, why);
}

#define CHECKS_PER_CASE	5

static void one_case(const struct tool_case *c)
{
	static const size_t sizes[] = { 0, 1, 100, 70000, 3 << 20 };
	bool all_ok = true, bounded = true, corrupt_ok = true, trunc_ok = true;
	size_t consumed;
	struct gather g;

	if (!have_tool(c->tool)) {
		for (int i = 0; i < CHECKS_PER_CASE; i++)
			skip(c->tool);
		return;
	}
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int kind = 0; kind < 4; kind++) {
			if (s == 4 && kind < 2)
				continue;	/* big only where it matters: keeps the test quick */
			struct buf data = make_data(kind, sizes[s]);
			struct buf z = filter(c->cmd, data.p, data.len);
			int err = run(&z, &g, &consumed);

			if (err || g.out.len != data.len || (data.len && memcmp(g.out.p, data.p, data.len)) ||
			    consumed != z.len) {
				diag("%s: size %zu kind %d: err %d, got %zu bytes, consumed %zu of %zu",
				     c->cmd, sizes[s], kind, err, g.out.len, consumed, z.len);
				all_ok = false;
			}
			if (g.biggest > (16U << 20))
				bounded = false;
			free(g.out.p);
			/* Corruptions and truncations of the biggest mixed case. */
			if (s == 4 && kind == 2) {
				for (int t = 0; t < 40; t++) {
					struct buf bad = { malloc(z.len), z.len, z.len };
					size_t at = 4 + rng() % (z.len - 4);

					memcpy(bad.p, z.p, z.len);
					bad.p[at] ^= (uint8_t)(1 + rng() % 255);
					err = run(&bad, &g, &consumed);
					if (c->checked && err == 0 &&
					    (g.out.len != data.len || memcmp(g.out.p, data.p, data.len))) {
						diag("%s: flip at %zu undetected", c->cmd, at);
						corrupt_ok = false;
					}
					free(g.out.p);
					bad.len = at;
					err = run(&bad, &g, &consumed);
					/* Only lz4 -l has no end mark: a cut between blocks is an end. */
					if (err == 0 && strcmp(c->cmd, "lz4 -q -l -c") != 0) {
						diag("%s: truncation at %zu undetected", c->cmd, at);
						trunc_ok = false;
					}
					free(g.out.p);
					free(bad.p);
				}
			}
			free(z.p);
			free(data.p);
		}
	}
	ok(all_ok, "%s: round trips (empty to 3 MiB, text, random, mixed, a program)", c->cmd);
	ok(bounded, "%s: output comes in bounded pieces", c->cmd);
	ok(corrupt_ok, "%s: corruption is an error or the right output", c->cmd);
	ok(trunc_ok, "%s: truncation is an error", c->cmd);
	{
		/*
		 * Two units back to back: the first ends where the second starts;
		 * but lz4 -l streams concatenated are one stream (its magic between
		 * blocks is skipped, as Linux does).
		 */
		struct buf d = make_data(0, 5000), z = filter(c->cmd, d.p, d.len), two = { 0 };
		bool legacy = dc_detect(z.p, z.len) == DC_LZ4_LEGACY;
		int err;

		buf_put(&two, z.p, z.len);
		buf_put(&two, z.p, z.len);
		err = run(&two, &g, &consumed);
		ok(err == 0 && consumed == (legacy ? two.len : z.len) &&
		   g.out.len == (legacy ? 2 : 1) * d.len,
		   "%s: stops at the end of its unit (err %d, consumed %zu of %zu)", c->cmd, err,
		   consumed, z.len);
		free(g.out.p);
		free(two.p);
		free(z.p);
		free(d.p);
	}
}

/* The sink's error stops decoding and comes back as the result. */
static void sink_error(void)
{
	struct buf d = make_data(2, 1 << 20), z;
	struct dc_sink sink = { .write = gather_write };
	struct gather g = { .limit = 1000 };
	size_t consumed;
	int err;

	if (!have_tool("gzip")) {
		skip("gzip");
		return;
	}
	z = filter("gzip -n -c", d.p, d.len);
	sink.ctx = &g;
	err = dc_decompress(DC_GZIP, z.p, z.len, &consumed, &sink);
	is_int(err, -EFBIG, "a sink's error stops gunzip and is returned");
	free(g.out.p);
	free(z.p);
	free(d.p);
}

/* The cpio stream, fed in pieces of every size, against the host's cpio. */
struct cpio_seen {
	size_t entries, ends, bytes;
	bool saw_big;
};

static int seen_begin(void *ctx, const struct cpio_entry *e)
{
	struct cpio_seen *s = ctx;

	s->entries++;
	if (strcmp(e->name, "dir/big") == 0 && e->size == 300000)
		s->saw_big = true;
	return 0;
}

static int seen_data(void *ctx, const uint8_t *p, size_t n)
{
	struct cpio_seen *s = ctx;

	(void)p;
	s->bytes += n;
	return 0;
}

static int seen_end(void *ctx)
{
	struct cpio_seen *s = ctx;

	s->ends++;
	return 0;
}

static void cpio_stream(void)
{
	static const struct cpio_ops ops = { seen_begin, seen_data, seen_end };
	static char name[4097];
	struct buf a;
	bool all = true;

	if (!have_tool("cpio")) {
		skip("cpio");
		return;
	}
	a = filter("d=$(mktemp -d) && cd $d && mkdir dir && head -c 300000 /dev/zero > dir/big && "
		   "echo hi > dir/small && ln -s small dir/link && "
		   "find . | LC_ALL=C sort | cpio -o -H newc 2>/dev/null; rm -rf $d", NULL, 0);
	for (size_t piece = 1; piece < 5000; piece = piece * 3 + 1) {
		struct cpio_seen s = { 0 };
		struct cpio_parser p;
		size_t pos = 0;
		ssize_t k = 0;

		cpio_parser_init(&p, &ops, &s, name, sizeof(name), 0, true);
		while (pos < a.len && k >= 0) {
			k = cpio_feed(&p, a.p + pos, piece < a.len - pos ? piece : a.len - pos);
			if (k > 0)
				pos += (size_t)k;
			if (k == 0)
				break;
		}
		if (k < 0 || cpio_finish(&p) || !s.saw_big || s.entries != 5 || s.ends != 5 ||
		    s.bytes != 300000 + 3 + 5) {
			diag("piece %zu: k %zd entries %zu ends %zu bytes %zu", piece, k, s.entries,
			     s.ends, s.bytes);
			all = false;
		}
	}
	ok(all, "cpio stream: the host's archive in pieces of 1 to 3280 bytes");
	free(a.p);
}

/* What no initramfs tool writes is refused, not misread: xz's BCJ filter. */
static void refused(void)
{
	struct buf d = make_data(3, 10000), z;
	struct gather g;
	size_t consumed;
	int err;

	if (!have_tool("xz")) {
		skip("xz");
		return;
	}
	z = filter("xz --x86 --lzma2 -c", d.p, d.len);
	err = run(&z, &g, &consumed);
	is_int(err, -EOPNOTSUPP, "xz with the x86 BCJ filter: -EOPNOTSUPP");
	free(g.out.p);
	free(z.p);
	free(d.p);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		one_case(&cases[i]);
	sink_error();
	refused();
	cpio_stream();
	return done();
}
