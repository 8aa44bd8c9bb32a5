/* SPDX-License-Identifier: MPL-2.0 */
/*
 * printf-style formatting into a bounded buffer.  Supports %d %i %u %x %X %o
 * %c %s %p %% with flags '-', '0', ' ', '+', '#', width, precision, and the
 * length modifiers hh h l ll z t j.  No floating point.
 */
#ifndef ASTER_FORMAT_H
#define ASTER_FORMAT_H

#include <aster/types.h>

/* Like C99 vsnprintf: returns the length the full output would have. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
