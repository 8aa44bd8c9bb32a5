/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Private to kernel/lib/: the LZMA2 decoder (lzma2.c) the .xz container
 * (unxz.c) runs for each block.
 */
#ifndef ASTER_KERNEL_XZ_INTERNAL_H
#define ASTER_KERNEL_XZ_INTERNAL_H

#include <aster/types.h>
#include "decompress.h"

struct lzma2;

/* A decoder with a dictionary of dict bytes (-ENOMEM, -EOPNOTSUPP above DC_MAX_WINDOW). */
int lzma2_new(struct lzma2 **out, uint32_t dict, const struct dc_sink *sink);
void lzma2_free(struct lzma2 *s);
/*
 * Decode one LZMA2 stream (chunks up to the end marker) from in[0..len):
 * *used is its length, *produced what it wrote to the sink.  The
 * dictionary starts empty: a block is independent of the previous ones.
 */
int lzma2_decode(struct lzma2 *s, const uint8_t *in, size_t len, size_t *used,
		 uint64_t *produced);

#endif
