// SPDX-License-Identifier: MPL-2.0
// newc cpio reader (see cpio.h).  Every length comes from the archive and
// is checked against the buffer before use.
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "cpio.h"

#define HEADER_LEN	110
#define FIELD_LEN	8

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT };

void cpio_reader_init(struct cpio_reader *r, const uint8_t *buf, size_t len)
{
	r->buf = buf;
	r->len = len;
	r->pos = 0;
}

static int hex_field(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < FIELD_LEN; i++) {
		uint8_t c = p[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (uint32_t)(c - 'A' + 10);
		else
			return -EINVAL;
	}
	*out = v;
	return 0;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* Parse one header at r->pos; on success r->pos moves past the entry. */
static int read_entry(struct cpio_reader *r, struct cpio_entry *e)
{
	const uint8_t *h = r->buf + r->pos;
	uint32_t f[F_COUNT] = { 0 };	/* every field is parsed below, or we return */
	size_t name_off, data_off, end;

	if (r->len - r->pos < HEADER_LEN)
		return -EINVAL;
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return -EINVAL;
	for (int i = 0; i < F_COUNT; i++)
		if (hex_field(h + 6 + i * FIELD_LEN, &f[i]))
			return -EINVAL;
	name_off = r->pos + HEADER_LEN;
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > r->len - name_off)
		return -EINVAL;
	if (r->buf[name_off + f[F_NAMESIZE] - 1] != '\0')
		return -EINVAL;
	data_off = align4(name_off + f[F_NAMESIZE]);
	if (data_off > r->len || f[F_FILESIZE] > r->len - data_off)
		return -EINVAL;
	end = align4(data_off + f[F_FILESIZE]);
	*e = (struct cpio_entry){
		.name = (const char *)r->buf + name_off,
		.mode = f[F_MODE], .uid = f[F_UID], .gid = f[F_GID], .nlink = f[F_NLINK],
		.mtime = f[F_MTIME], .rdev_major = f[F_RDEVMAJOR], .rdev_minor = f[F_RDEVMINOR],
		.data = r->buf + data_off, .size = f[F_FILESIZE],
	};
	r->pos = end < r->len ? end : r->len;
	return 1;
}

int cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
	for (;;) {
		int got;

		/* Padding between concatenated archives is zero bytes. */
		while (r->pos < r->len && r->buf[r->pos] == '\0')
			r->pos++;
		if (r->pos >= r->len)
			return 0;
		got = read_entry(r, e);
		if (got <= 0)
			return got;
		if (strcmp(e->name, "TRAILER!!!") != 0)
			return 1;
	}
}

KTEST(cpio_reads_entries_and_rejects_garbage)
{
	/* "hello" (file, 5 bytes) then the trailer. */
	static const char archive[] =
		"07070100000001000081a4000000000000000000000001000000000000000500"
		"0000000000000000000000000000000000000600000000"
		"hello\0"
		"world\0\0\0"
		"0707010000000000000000000000000000000000000001000000000000000000"
		"0000000000000000000000000000000000000b00000000"
		"TRAILER!!!\0\0\0\0";
	struct cpio_reader r;
	struct cpio_entry e;

	cpio_reader_init(&r, (const uint8_t *)archive, sizeof(archive) - 1);
	KT_ASSERT_EQ(cpio_next(&r, &e), 1);
	KT_EXPECT(strcmp(e.name, "hello") == 0);
	KT_EXPECT(e.size == 5 && memcmp(e.data, "world", 5) == 0);
	KT_EXPECT(e.mode == 0100644);
	KT_ASSERT_EQ(cpio_next(&r, &e), 0);
	/* Truncated: the header promises more name bytes than there are. */
	cpio_reader_init(&r, (const uint8_t *)archive, 115);
	KT_ASSERT_EQ(cpio_next(&r, &e), -EINVAL);
	cpio_reader_init(&r, (const uint8_t *)"garbage-garbage", 15);
	KT_ASSERT_EQ(cpio_next(&r, &e), -EINVAL);
}
