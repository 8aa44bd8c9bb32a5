/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Reading "newc" cpio archives (the initramfs format; magic 070701, or
 * 070702 with checksums), as Linux's initramfs unpacker accepts them:
 * entries until "TRAILER!!!", several archives may follow one another,
 * zero padding between them is skipped.
 */
#ifndef ASTER_KERNEL_CPIO_H
#define ASTER_KERNEL_CPIO_H

#include <aster/types.h>

struct cpio_entry {
	const char *name;	/* NUL-terminated, inside the archive */
	uint32_t mode;		/* file type and permission bits, as st_mode */
	uint32_t uid, gid, nlink;
	uint64_t mtime;
	uint32_t rdev_major, rdev_minor;
	const uint8_t *data;	/* file contents or symlink target (not terminated) */
	uint64_t size;
};

struct cpio_reader {
	const uint8_t *buf;
	size_t len;
	size_t pos;
};

void cpio_reader_init(struct cpio_reader *r, const uint8_t *buf, size_t len);

/*
 * Read the next entry.  Returns 1 with *e filled, 0 at the end of the
 * input, or -EINVAL for a malformed archive.  Trailers are skipped, so
 * concatenated archives read as one.
 */
int cpio_next(struct cpio_reader *r, struct cpio_entry *e);

#endif
