/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Little-endian integers at any byte address: the fields of firmware tables
 * (ACPI), boot-loader information (multiboot2, the Linux zero page), on-disk
 * and on-wire formats, which are packed and need not be aligned.
 *
 *	uint32_t len = get_unaligned_le32(table + 4);
 *	put_unaligned_le16(buf + 2, port);
 *
 * p must point at 2, 4 or 8 readable (writable, for put_) bytes; there is
 * no error case and no check: the caller bounds the offset first, as for
 * any array access.  Bytes are assembled one by one, so the result does
 * not depend on alignment or on the host's byte order (the same code runs
 * in the kernel and in the host unit tests); the compiler turns each into
 * a single load or store on x86-64.
 */
#ifndef ASTER_UNALIGNED_H
#define ASTER_UNALIGNED_H

#include <aster/types.h>

static inline uint16_t get_unaligned_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_unaligned_le32(const uint8_t *p)
{
	return (uint32_t)get_unaligned_le16(p) | (uint32_t)get_unaligned_le16(p + 2) << 16;
}

static inline uint64_t get_unaligned_le64(const uint8_t *p)
{
	return (uint64_t)get_unaligned_le32(p) | (uint64_t)get_unaligned_le32(p + 4) << 32;
}

static inline void put_unaligned_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_unaligned_le32(uint8_t *p, uint32_t v)
{
	put_unaligned_le16(p, (uint16_t)v);
	put_unaligned_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void put_unaligned_le64(uint8_t *p, uint64_t v)
{
	put_unaligned_le32(p, (uint32_t)v);
	put_unaligned_le32(p + 4, (uint32_t)(v >> 32));
}

#endif
