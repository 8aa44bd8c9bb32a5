/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Reading "newc" cpio archives (the initramfs format; magic 070701, or
 * 070702 with checksums) as a stream, the way Linux's initramfs unpacker
 * does: bytes arrive in pieces of any size (from a decompressor's window),
 * each entry is announced with its header and name, its data is passed on
 * as it arrives, never gathered.  Entries run until "TRAILER!!!"; several
 * archives may follow one another, with zero padding between them.
 *
 *	struct cpio_parser p;
 *	cpio_parser_init(&p, &ops, ctx, name_buf, sizeof(name_buf), 0, false);
 *	while (more input)
 *		n = cpio_feed(&p, chunk, len);	  (< 0: malformed archive)
 *	err = cpio_finish(&p);			  (-EINVAL: ends inside an entry)
 */
#ifndef ASTER_KERNEL_CPIO_H
#define ASTER_KERNEL_CPIO_H

#include <aster/types.h>

#define CPIO_HEADER_LEN	110

struct cpio_entry {
	const char *name;	/* NUL-terminated, in the parser's name buffer */
	uint32_t mode;		/* file type and permission bits, as st_mode */
	uint32_t ino, dev_major, dev_minor;	/* hard links share these */
	uint32_t uid, gid, nlink;
	uint64_t mtime;
	uint32_t rdev_major, rdev_minor;
	uint64_t size;		/* bytes of data (file contents or symlink target) */
};

struct cpio_ops {
	/* An entry's header and name; its data follows through data().  0 or -errno. */
	int (*begin)(void *ctx, const struct cpio_entry *e);
	/* The next n bytes of the current entry's data. */
	int (*data)(void *ctx, const uint8_t *p, size_t n);
	/* The current entry is complete (called after its last data()). */
	int (*end)(void *ctx);
};

enum cpio_state { CPIO_HEADER, CPIO_NAME, CPIO_NAME_PAD, CPIO_DATA, CPIO_DATA_PAD, CPIO_STOPPED };

struct cpio_parser {
	const struct cpio_ops *ops;
	void *ctx;
	enum cpio_state state;
	uint64_t off;		/* stream offset, for the 4-byte alignment */
	uint8_t hdr[CPIO_HEADER_LEN];
	size_t have;		/* bytes of hdr or name gathered */
	char *name;		/* the caller's buffer for names */
	size_t name_cap;
	size_t name_len;	/* namesize from the header, NUL included */
	uint64_t left;		/* data or padding bytes left in this state */
	struct cpio_entry e;
	bool in_entry;		/* begin() succeeded: end() is owed */
	bool skip;		/* the entry is skipped (name too long, begin() failed) */
	bool trailer;		/* the entry is a trailer */
	bool stop_at_trailer;
	int err;		/* the first error begin/data/end returned */
};

/*
 * name_cap bytes of name buffer (PATH_MAX + 1 is what Linux takes); longer
 * names are skipped with -ENAMETOOLONG.  off: the stream offset of the
 * first byte (alignment is relative to it).  stop_at_trailer: stop after a
 * trailer and its padding (an uncompressed archive that something else may
 * follow); otherwise keep reading archives.
 */
void cpio_parser_init(struct cpio_parser *p, const struct cpio_ops *ops, void *ctx, char *name,
		      size_t name_cap, uint64_t off, bool stop_at_trailer);

/*
 * Parse n bytes: returns how many were used (fewer than n only once it
 * stopped at a trailer), or -EINVAL for a malformed archive (bad magic,
 * bad hex field, a name without its NUL, misaligned padding).  Errors of
 * the callbacks do not stop the parser: the first is kept in p->err and
 * the entry is skipped.
 */
ssize_t cpio_feed(struct cpio_parser *p, const uint8_t *buf, size_t n);

/* At the end of the input: 0, or -EINVAL when it ended inside an entry (truncated). */
int cpio_finish(struct cpio_parser *p);

#endif
