/* SPDX-License-Identifier: MPL-2.0 */
/*
 * gzip (RFC 1952) and raw DEFLATE (RFC 1951) decompression into a buffer.
 * The streaming form, to a sink, is dc_gunzip() in decompress.h.
 */
#ifndef ASTER_KERNEL_INFLATE_H
#define ASTER_KERNEL_INFLATE_H

#include <aster/types.h>

/* True if buf starts with the gzip magic. */
bool gzip_detect(const uint8_t *buf, size_t len);

/*
 * The uncompressed size a gzip member announces in its trailer (ISIZE,
 * modulo 2^32).  Returns 0 or -EINVAL.
 */
int gzip_announced_size(const uint8_t *buf, size_t len, uint64_t *size);

/*
 * Decompress one gzip member.  Returns 0 with *written set, -ENOSPC when
 * out is too small, -EINVAL for corrupt input (bad header, bad codes,
 * distance too far back, truncated, CRC or length mismatch), -ENOMEM when
 * the decoder's tables and window (about 350 KiB) cannot be allocated;
 * *consumed is
 * the number of input bytes the member used (a second member may follow).
 * Bytes of out past *written (or all of it, on error) are unspecified.
 */
int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len, size_t *written,
	   size_t *consumed);

#endif
