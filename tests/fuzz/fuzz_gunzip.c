// SPDX-License-Identifier: MPL-2.0
// gunzip (kernel/lib/inflate.c) on arbitrary bytes, into an output buffer
// of the size the member announces (capped) and into a small one: it must
// return one of its documented errors or say how much it wrote and read,
// within the buffers.
#include <string.h>
#include "fuzz.h"
#include <aster/errno.h>
#include "inflate.h"

#define OUT_MAX	(1u << 20)

static void one(const uint8_t *data, size_t size, size_t out_len)
{
	/* Exactly out_len bytes: ASan reports any write past them. */
	uint8_t *out = malloc(out_len ? out_len : 1);
	size_t written = 0, consumed = 0;
	int err;

	FUZZ_ASSERT(out);
	err = gunzip(data, size, out, out_len, &written, &consumed);
	FUZZ_ASSERT(err == 0 || err == -ENOSPC || err == -EINVAL || err == -ENOMEM);
	if (err == 0) {
		FUZZ_ASSERT(written <= out_len);
		FUZZ_ASSERT(consumed <= size);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t announced = 0;

	(void)gzip_detect(data, size);
	if (gzip_announced_size(data, size, &announced) == 0 && announced <= OUT_MAX)
		one(data, size, (size_t)announced);
	one(data, size, 64);
	return 0;
}
