/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The body of the decompressor harnesses (fuzz_unzstd.c, fuzz_unxz.c,
 * fuzz_unlz4.c, fuzz_gunzip.c's streaming half): decode arbitrary bytes as
 * FUZZ_FORMAT (and as whatever dc_detect() says) into a sink that checks
 * every piece and stops past a limit.  Must end with 0 or a documented
 * error, consume no more than it was given, hand over only non-empty
 * pieces no larger than the decoder's window chunk, and stay inside its
 * buffers (ASan).
 */
#ifndef ASTER_FUZZ_DC_HARNESS_H
#define ASTER_FUZZ_DC_HARNESS_H

#include <string.h>
#include "fuzz.h"
#include <aster/errno.h>
#include "decompress.h"

#define FUZZ_DC_LIMIT	(64u << 20)

struct fuzz_dc_count {
	size_t total;
	uint8_t last;
};

static int fuzz_dc_write(void *ctx, const uint8_t *p, size_t n)
{
	struct fuzz_dc_count *c = ctx;

	FUZZ_ASSERT(n > 0 && n <= (size_t)DC_MAX_WINDOW + (8u << 20));
	c->last ^= p[0] ^ p[n - 1];	/* touch both ends: ASan sees a bad piece */
	c->total += n;
	return c->total > FUZZ_DC_LIMIT ? -EFBIG : 0;
}

static void fuzz_dc_one(enum dc_format f, const uint8_t *data, size_t size)
{
	struct fuzz_dc_count c = { 0 };
	struct dc_sink sink = { .write = fuzz_dc_write, .ctx = &c };
	size_t used = 0;
	int err = dc_decompress(f, data, size, &used, &sink);

	FUZZ_ASSERT(err == 0 || err == -EINVAL || err == -EOPNOTSUPP || err == -ENOMEM ||
		    err == -EFBIG);
	FUZZ_ASSERT(used <= size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_dc_one(FUZZ_FORMAT, data, size);
	if (dc_detect(data, size) != FUZZ_FORMAT)
		fuzz_dc_one(dc_detect(data, size), data, size);
	return 0;
}

#endif
