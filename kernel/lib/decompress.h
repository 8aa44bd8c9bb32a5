/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Streaming decompression (doc/initramfs.md).  The compressed input is a
 * buffer already in memory (the loaded initramfs); the output goes to a
 * sink callback in pieces as it is produced, and never exists whole: a
 * decoder keeps only its format's window (the history its back-references
 * may reach: 32 KiB for gzip, 64 KiB for lz4, the frame's window for zstd,
 * the dictionary for xz) plus one output chunk.
 *
 *	static int put(void *ctx, const uint8_t *p, size_t n) { ... return 0; }
 *	struct dc_sink sink = { .write = put, .ctx = &state };
 *	size_t used;
 *	int err = dc_decompress(dc_detect(buf, len), buf, len, &used, &sink);
 *
 * Errors: -EINVAL for corrupt or truncated input (bad magic, bad codes,
 * references before the start, checksum or size mismatch, input ending
 * early), -EOPNOTSUPP for a valid feature this decoder refuses (a zstd
 * window above DC_MAX_WINDOW, an xz filter other than LZMA2, a dictionary),
 * -ENOMEM when the window cannot be allocated, or the sink's own negative
 * error, which stops decoding at once.  Whatever reached the sink before an
 * error stays delivered.  Every decoder is bounded: each step consumes input
 * or ends, so no input can make it loop forever.
 */
#ifndef ASTER_KERNEL_DECOMPRESS_H
#define ASTER_KERNEL_DECOMPRESS_H

#include <aster/types.h>

/* The largest window or dictionary accepted: xz -9's 64 MiB (zstd -19 uses 8 MiB). */
#define DC_MAX_WINDOW	(64U << 20)

struct dc_sink {
	/* Take n > 0 bytes of output; 0 or a negative errno (stops decoding). */
	int (*write)(void *ctx, const uint8_t *p, size_t n);
	void *ctx;
};

enum dc_format {
	DC_UNKNOWN,
	DC_GZIP,	/* RFC 1952, one member */
	DC_ZSTD,	/* RFC 8878, one frame (or one skippable frame) */
	DC_XZ,		/* the .xz container, one stream, LZMA2 */
	DC_LZ4_LEGACY,	/* lz4 -l: magic 0x184c2102, 8 MiB blocks */
	DC_LZ4_FRAME,	/* the lz4 frame format, magic 0x184d2204 */
};

/* The format whose magic starts buf, or DC_UNKNOWN. */
enum dc_format dc_detect(const uint8_t *buf, size_t len);
/* "gzip", "zstd", ... for messages. */
const char *dc_name(enum dc_format f);

/*
 * Decompress one unit of format f (a gzip member, a zstd frame, an xz
 * stream, an lz4 legacy stream or frame) from in[0..len) to sink.  On
 * success *consumed is the number of input bytes it took (another unit
 * may follow); on error, how far the decoder got.
 */
int dc_decompress(enum dc_format f, const uint8_t *in, size_t len, size_t *consumed,
		  const struct dc_sink *sink);

/* Bytes past cap - DC_WINDOW_SLACK that wild copies (8 or 16 at a time) may write. */
#define DC_WINDOW_SLACK	64

/*
 * The output window the decoders share: history bytes a match may copy
 * from, then room for new output.  Output is written at buf[pos]; when
 * there is not enough room, dcw_room() hands buf[done..pos) to the sink
 * and moves the last `hist` bytes to the front.
 */
struct dc_window {
	uint8_t *buf;
	size_t cap;		/* hist + chunk + slack */
	size_t hist;		/* bytes of history kept for back-references */
	size_t pos;		/* next byte to write */
	size_t done;		/* buf[0..done) already went to the sink */
	uint64_t total;		/* bytes produced since dcw_init */
	const struct dc_sink *sink;
	uint32_t crc;		/* CRC-32 of the flushed bytes, when track_crc */
	bool track_crc;
};

/* Allocate a window of hist history and chunk bytes of new output (-ENOMEM). */
int dcw_init(struct dc_window *w, size_t hist, size_t chunk, const struct dc_sink *sink);
void dcw_free(struct dc_window *w);
/* The slow path of dcw_room(): flush and slide. */
int dcw_make_room(struct dc_window *w, size_t need);
/* Make cap - pos >= need (need <= chunk), flushing if needed: 0 or the sink's error. */
static inline int dcw_room(struct dc_window *w, size_t need)
{
	if (w->cap - DC_WINDOW_SLACK - w->pos >= need)
		return 0;
	return dcw_make_room(w, need);
}
/* Hand every pending byte to the sink. */
int dcw_flush(struct dc_window *w);
/*
 * Append len bytes copied from dist back (overlapping as LZ77 means it);
 * the caller checked dist <= dcw_reach() and made room for len.
 */
void dcw_copy_match(struct dc_window *w, size_t dist, size_t len);
/* How far back a match may reach now: the bytes of history in buf. */
static inline size_t dcw_reach(const struct dc_window *w)
{
	return w->pos;
}

/* CRC-32 (gzip, xz), CRC-64 (xz, ECMA-182) and xxHash64 (zstd, lz4 uses xxh32). */
uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n);
uint64_t crc64_update(uint64_t crc, const uint8_t *p, size_t n);
uint32_t xxh32(const uint8_t *p, size_t n, uint32_t seed);

struct xxh32_state {
	uint32_t v[4];
	uint64_t total;
	uint8_t buf[16];
	uint32_t buffered;
};
void xxh32_init(struct xxh32_state *s, uint32_t seed);
void xxh32_update(struct xxh32_state *s, const uint8_t *p, size_t n);
uint32_t xxh32_digest(const struct xxh32_state *s);

struct xxh64_state {
	uint64_t v[4];
	uint64_t total;
	uint8_t buf[32];
	uint32_t buffered;
};
void xxh64_init(struct xxh64_state *s, uint64_t seed);
void xxh64_update(struct xxh64_state *s, const uint8_t *p, size_t n);
uint64_t xxh64_digest(const struct xxh64_state *s);

/* The decoders, for dc_decompress (each in its own file). */
int dc_gunzip(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink);
int dc_unlz4_legacy(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink);
int dc_unlz4_frame(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink);
int dc_unzstd(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink);
int dc_unxz(const uint8_t *in, size_t len, size_t *consumed, const struct dc_sink *sink);

#endif
