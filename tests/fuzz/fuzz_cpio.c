// SPDX-License-Identifier: MPL-2.0
// The streaming newc cpio reader (kernel/fs/initramfs/cpio.c) on arbitrary
// bytes, fed in pieces whose sizes the input's first byte picks: every
// entry it announces has a NUL-terminated name inside the name buffer, the
// data it passes never exceeds the size the header announced, begin and end
// pair up, and it stops (a count or -EINVAL) without reading past a piece.
#include <string.h>
#include "fuzz.h"
#include <aster/errno.h>
#include "cpio.h"

struct seen {
	uint64_t want, got;
	int open;
};

static char name[256];

static int f_begin(void *ctx, const struct cpio_entry *e)
{
	struct seen *s = ctx;

	FUZZ_ASSERT(s->open == 0);
	FUZZ_ASSERT(e->name == name && memchr(name, '\0', sizeof(name)) != NULL);
	if (e->mode & 1)
		return -EINVAL;	/* a failing begin: the entry is skipped, no end() */
	s->open = 1;
	s->want = e->size;
	s->got = 0;
	return 0;
}

static int f_data(void *ctx, const uint8_t *p, size_t n)
{
	struct seen *s = ctx;

	FUZZ_ASSERT(s->open == 1 && n > 0);
	(void)p;
	s->got += n;
	FUZZ_ASSERT(s->got <= s->want);
	return 0;
}

static int f_end(void *ctx)
{
	struct seen *s = ctx;

	FUZZ_ASSERT(s->open == 1);
	s->open = 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cpio_ops ops = { f_begin, f_data, f_end };
	struct seen s = { 0 };
	struct cpio_parser p;
	size_t piece, pos = 1;
	int fin;

	if (size < 1)
		return 0;
	piece = (size_t)data[0] * 7 + 1;
	cpio_parser_init(&p, &ops, &s, name, sizeof(name), 0, data[0] & 1);
	while (pos < size) {
		size_t n = size - pos < piece ? size - pos : piece;
		ssize_t k = cpio_feed(&p, data + pos, n);

		if (k < 0) {
			FUZZ_ASSERT(k == -EINVAL);
			break;
		}
		FUZZ_ASSERT((size_t)k <= n);
		if ((size_t)k < n) {	/* only a trailer stops it */
			FUZZ_ASSERT(p.state == CPIO_STOPPED);
			break;
		}
		pos += n;
	}
	fin = cpio_finish(&p);
	FUZZ_ASSERT(fin == 0 || fin == -EINVAL);
	FUZZ_ASSERT(s.open == 0);
	return 0;
}
