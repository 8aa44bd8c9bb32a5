/* SPDX-License-Identifier: MPL-2.0 */
/* Basic types shared by frame/ and kernel/.  Freestanding: no libc. */
#ifndef ASTER_TYPES_H
#define ASTER_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t ssize_t;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

#define __noreturn	__attribute__((noreturn))
#define __printf(f, a)	__attribute__((format(printf, f, a)))
#define __unused	__attribute__((unused))

/*
 * The struct that embeds member m at ptr (pointer arithmetic, no integer
 * casts).  ptr must point to m's type (qualifiers aside): anything else
 * would be reinterpreted as the containing struct, so it does not compile.
 */
#define container_of(ptr, type, m) __extension__ ({				\
	_Static_assert(__builtin_types_compatible_p(__typeof__(*(ptr)),		\
						    __typeof__(((type *)0)->m)),	\
		       "container_of: " #ptr " does not point to " #type "." #m);	\
	(type *)(void *)((char *)(ptr) - offsetof(type, m)); })

/*
 * A char array that the production kernel's -ftrivial-auto-var-init=zero
 * does not zero on entry: for large scratch buffers on a hot path that a
 * call fills before anything reads them (a path copied in from user
 * space).  Only bytes, never pointers, can be declared this way, so a
 * missed fill exposes stale stack bytes, never a forged pointer; do not
 * copy such a buffer out beyond what was filled.  kernel/ may not spell
 * the underlying attribute itself (make check-tcb).
 */
#define NOINIT_BYTES(name, size)	char name[size] __attribute__((uninitialized))

#define KiB(x)		((uint64_t)(x) << 10)
#define MiB(x)		((uint64_t)(x) << 20)
#define GiB(x)		((uint64_t)(x) << 30)

#endif
