/* SPDX-License-Identifier: MPL-2.0 */
/* The freestanding string and memory helpers (frame/lib/string.c). */
#ifndef ASTER_STRING_H
#define ASTER_STRING_H

#include <aster/types.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Parse an unsigned/signed decimal or 0x-prefixed number filling the whole
 * string.  Returns 0, or -EINVAL when s is not a number, -ERANGE on overflow.
 */
int parse_u64(const char *s, uint64_t *out);
int parse_i64(const char *s, int64_t *out);

#endif
