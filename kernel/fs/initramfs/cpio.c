// SPDX-License-Identifier: MPL-2.0
// Streaming newc cpio reader (see cpio.h).  A state machine over bytes:
// header (110 bytes, gathered), name (gathered into the caller's buffer),
// padding to 4, data (passed through), padding to 4.  Every length comes
// from the archive and only counts bytes to pass or skip: nothing is
// allocated from it.
#include <aster/errno.h>
#include <aster/ktest.h>
#include <aster/string.h>
#include "cpio.h"

#define FIELD_LEN	8

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT };

void cpio_parser_init(struct cpio_parser *p, const struct cpio_ops *ops, void *ctx, char *name,
		      size_t name_cap, uint64_t off, bool stop_at_trailer)
{
	*p = (struct cpio_parser){ .ops = ops, .ctx = ctx, .state = CPIO_HEADER, .off = off,
				   .name = name, .name_cap = name_cap,
				   .stop_at_trailer = stop_at_trailer };
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

static uint64_t pad4(uint64_t off)
{
	return (4 - (off & 3)) & 3;
}

static void keep_err(struct cpio_parser *p, int err)
{
	if (err && !p->err)
		p->err = err;
}

/* The header is complete: check and decode it. */
static int header_done(struct cpio_parser *p)
{
	const uint8_t *h = p->hdr;
	uint32_t f[F_COUNT] = { 0 };

	for (int i = 0; i < F_COUNT; i++)
		if (hex_field(h + 6 + i * FIELD_LEN, &f[i]))
			return -EINVAL;
	if (f[F_NAMESIZE] == 0)
		return -EINVAL;
	p->e = (struct cpio_entry){
		.name = p->name, .ino = f[F_INO], .dev_major = f[F_DEVMAJOR],
		.dev_minor = f[F_DEVMINOR], .mode = f[F_MODE], .uid = f[F_UID], .gid = f[F_GID],
		.nlink = f[F_NLINK], .mtime = f[F_MTIME], .rdev_major = f[F_RDEVMAJOR],
		.rdev_minor = f[F_RDEVMINOR], .size = f[F_FILESIZE],
	};
	p->name_len = f[F_NAMESIZE];
	p->skip = p->name_len > p->name_cap;
	if (p->skip)
		keep_err(p, -ENAMETOOLONG);
	p->have = 0;
	p->left = p->name_len;
	p->state = CPIO_NAME;
	return 0;
}

/* The name is complete (and its padding passed): announce the entry. */
static int name_done(struct cpio_parser *p)
{
	int err;

	p->left = p->e.size;
	p->state = CPIO_DATA;
	if (p->skip)
		return 0;
	if (p->name[p->name_len - 1] != '\0')
		return -EINVAL;
	if (strcmp(p->name, "TRAILER!!!") == 0) {
		p->trailer = true;
		p->skip = true;
		return 0;
	}
	err = p->ops->begin(p->ctx, &p->e);
	keep_err(p, err);
	p->in_entry = !err;
	return 0;
}

static void entry_end(struct cpio_parser *p)
{
	if (p->in_entry)
		keep_err(p, p->ops->end(p->ctx));
	p->in_entry = false;
}

/* Bytes of a header; zero bytes before one are padding between archives. */
static ssize_t feed_header(struct cpio_parser *p, const uint8_t *buf, size_t n)
{
	size_t i = 0, k;

	if (p->have == 0) {
		while (i < n && buf[i] == 0)
			i++;
		if (i == n)
			return (ssize_t)i;
		if ((p->off + i) & 3)
			return -EINVAL;	/* a header must start 4-aligned */
	}
	k = MIN(n - i, (size_t)CPIO_HEADER_LEN - p->have);
	memcpy(p->hdr + p->have, buf + i, k);
	p->have += k;
	/* Junk is an error as soon as it shows, not after 110 bytes of it. */
	if (p->have >= 6 && (memcmp(p->hdr, "07070", 5) != 0 || (p->hdr[5] != '1' && p->hdr[5] != '2')))
		return -EINVAL;
	if (p->have == CPIO_HEADER_LEN && header_done(p))
		return -EINVAL;
	return (ssize_t)(i + k);
}

static ssize_t feed_name(struct cpio_parser *p, const uint8_t *buf, size_t n)
{
	size_t k = (size_t)MIN((uint64_t)n, p->left);

	if (!p->skip)
		memcpy(p->name + p->have, buf, k);
	p->have += k;
	p->left -= k;
	return (ssize_t)k;
}

static ssize_t feed_data(struct cpio_parser *p, const uint8_t *buf, size_t n)
{
	size_t k = (size_t)MIN((uint64_t)n, p->left);

	if (k && p->in_entry) {
		int err = p->ops->data(p->ctx, buf, k);

		if (err) {	/* skip the rest of the entry; the unpacker reports it */
			keep_err(p, err);
			entry_end(p);
		}
	}
	p->left -= k;
	return (ssize_t)k;
}

/* Padding bytes (their value is not checked, as Linux does not). */
static ssize_t feed_pad(struct cpio_parser *p, size_t n)
{
	size_t k = (size_t)MIN((uint64_t)n, p->left);

	p->left -= k;
	return (ssize_t)k;
}

/* Move past every state that is complete (a zero-length one needs no byte). */
static int advance(struct cpio_parser *p)
{
	while (p->left == 0) {
		switch (p->state) {
		case CPIO_NAME:
			p->state = CPIO_NAME_PAD;
			p->left = pad4(p->off);
			break;
		case CPIO_NAME_PAD:
			if (name_done(p))
				return -EINVAL;
			break;
		case CPIO_DATA:
			entry_end(p);
			p->state = CPIO_DATA_PAD;
			p->left = pad4(p->off);
			break;
		case CPIO_DATA_PAD:
			p->have = 0;
			p->state = p->trailer && p->stop_at_trailer ? CPIO_STOPPED : CPIO_HEADER;
			p->trailer = false;
			return 0;
		default:
			return 0;
		}
	}
	return 0;
}

ssize_t cpio_feed(struct cpio_parser *p, const uint8_t *buf, size_t n)
{
	size_t used = 0;

	while (used < n && p->state != CPIO_STOPPED) {
		ssize_t k;

		switch (p->state) {
		case CPIO_HEADER: k = feed_header(p, buf + used, n - used); break;
		case CPIO_NAME: k = feed_name(p, buf + used, n - used); break;
		case CPIO_DATA: k = feed_data(p, buf + used, n - used); break;
		default: k = feed_pad(p, n - used); break;
		}
		if (k < 0)
			return k;
		used += (size_t)k;
		p->off += (uint64_t)k;
		if (advance(p))
			return -EINVAL;
	}
	return (ssize_t)used;
}

int cpio_finish(struct cpio_parser *p)
{
	bool clean = (p->state == CPIO_HEADER && p->have == 0) || p->state == CPIO_STOPPED;

	entry_end(p);
	return clean ? 0 : -EINVAL;
}

/* A parser that records what it sees, for the ktest. */
struct cpio_log {
	char names[64];
	uint8_t data[16];
	size_t ndata, entries, ends;
};

static int log_begin(void *ctx, const struct cpio_entry *e)
{
	struct cpio_log *l = ctx;

	strlcpy(l->names, e->name, sizeof(l->names));
	l->entries++;
	return 0;
}

static int log_data(void *ctx, const uint8_t *p, size_t n)
{
	struct cpio_log *l = ctx;

	if (n > sizeof(l->data) - l->ndata)
		return -EFBIG;
	memcpy(l->data + l->ndata, p, n);
	l->ndata += n;
	return 0;
}

static int log_end(void *ctx)
{
	struct cpio_log *l = ctx;

	l->ends++;
	return 0;
}

KTEST(cpio_streams_entries_and_rejects_garbage)
{
	/* "hello" (file, 5 bytes) then the trailer, then a second byte-fed pass. */
	static const char archive[] =
		"07070100000001000081a4000000000000000000000001000000000000000500"
		"0000000000000000000000000000000000000600000000"
		"hello\0"
		"world\0\0\0"
		"0707010000000000000000000000000000000000000001000000000000000000"
		"0000000000000000000000000000000000000b00000000"
		"TRAILER!!!\0\0\0\0";
	static const struct cpio_ops ops = { log_begin, log_data, log_end };
	static char name[32];
	struct cpio_log log = { 0 };
	struct cpio_parser p;

	cpio_parser_init(&p, &ops, &log, name, sizeof(name), 0, true);
	for (size_t i = 0; i < sizeof(archive) - 1; i++)
		KT_ASSERT_EQ(cpio_feed(&p, (const uint8_t *)archive + i, 1), 1);
	KT_ASSERT_EQ(cpio_finish(&p), 0);
	KT_EXPECT(strcmp(log.names, "hello") == 0 && log.entries == 1 && log.ends == 1);
	KT_EXPECT(log.ndata == 5 && memcmp(log.data, "world", 5) == 0);
	/* Truncated inside the name. */
	cpio_parser_init(&p, &ops, &log, name, sizeof(name), 0, false);
	KT_ASSERT_EQ(cpio_feed(&p, (const uint8_t *)archive, 113), 113);
	KT_ASSERT_EQ(cpio_finish(&p), -EINVAL);
	cpio_parser_init(&p, &ops, &log, name, sizeof(name), 0, false);
	KT_ASSERT_EQ(cpio_feed(&p, (const uint8_t *)"garbage-garbage", 15), -EINVAL);
}
