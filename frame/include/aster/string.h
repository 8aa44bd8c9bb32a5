/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The freestanding string and memory helpers (frame/lib/string.c).
 *
 * In kernel-side code (kernel/, examples/) built with the run-time checks
 * (configure's default; ASTER_FORTIFY), memcpy, memmove, memset and strlcpy
 * are checked against the sizes the compiler knows of the objects they
 * touch, as Linux's FORTIFY_SOURCE does: the destination (and the source of
 * a copy) is measured with __builtin_dynamic_object_size(p, 1), the
 * innermost object p points into, so a copy into a struct field that runs
 * into the next field is caught, as is one past the end of a kmalloc()ed
 * block or a local array.  A copy that overflows is a panic report naming
 * the function, the sizes and the file and line of the call:
 *
 *	BUG: FORTIFY: memcpy: 24-byte write into an object of 16 bytes at kernel/x.c:42
 *
 * and one whose overflow the compiler can prove is a compile-time error.
 * Where the compiler knows no size (a pointer of unknown origin) nothing is
 * checked.  Copy a whole structure through the structure, not through its
 * first field.
 */
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

/*
 * The report of a failed check (frame/log/fortify.c): fn copied or set n
 * bytes into (write) or out of an object of room bytes, at file:line.
 */
__noreturn void fortify_panic(const char *fn, bool write, size_t n, size_t room,
			      const char *file, int line);

#ifdef ASTER_FORTIFY

void fortify_overflow_error(void)
	__attribute__((error("buffer overflow: the copy is larger than its object")));

#if __has_builtin(__builtin_dynamic_object_size)
#define FORTIFY_SIZE(p)	__builtin_dynamic_object_size(p, 1)
#else
#define FORTIFY_SIZE(p)	__builtin_object_size(p, 1)
#endif

/*
 * n bytes fit into an object of room bytes ((size_t)-1: unknown).  Neither
 * argument of FORTIFY_SIZE is evaluated, so the macros below evaluate each
 * of theirs once.
 */
#define FORTIFY_CHECK(fn, write, n, room)					\
	do {									\
		size_t fortify_room_ = (room);					\
		if (__builtin_constant_p((n) > fortify_room_) && (n) > fortify_room_) \
			fortify_overflow_error();				\
		if (__builtin_expect((n) > fortify_room_, 0))			\
			fortify_panic(fn, write, n, fortify_room_, __FILE__, __LINE__); \
	} while (0)

/* Each calls the function of its own name: a macro does not expand inside itself. */
#define memcpy(dst, src, n)							\
	({									\
		size_t fortify_n_ = (n);					\
		FORTIFY_CHECK("memcpy", true, fortify_n_, FORTIFY_SIZE(dst));	\
		FORTIFY_CHECK("memcpy", false, fortify_n_, FORTIFY_SIZE(src));	\
		memcpy(dst, src, fortify_n_);					\
	})
#define memmove(dst, src, n)							\
	({									\
		size_t fortify_n_ = (n);					\
		FORTIFY_CHECK("memmove", true, fortify_n_, FORTIFY_SIZE(dst));	\
		FORTIFY_CHECK("memmove", false, fortify_n_, FORTIFY_SIZE(src)); \
		memmove(dst, src, fortify_n_);					\
	})
#define memset(dst, c, n)							\
	({									\
		size_t fortify_n_ = (n);					\
		FORTIFY_CHECK("memset", true, fortify_n_, FORTIFY_SIZE(dst));	\
		memset(dst, c, fortify_n_);					\
	})
/* strlcpy writes at most size bytes; it reads src up to its NUL, unchecked. */
#define strlcpy(dst, src, size)							\
	({									\
		size_t fortify_n_ = (size);					\
		FORTIFY_CHECK("strlcpy", true, fortify_n_, FORTIFY_SIZE(dst));	\
		strlcpy(dst, src, fortify_n_);					\
	})

#endif /* ASTER_FORTIFY */

#endif
