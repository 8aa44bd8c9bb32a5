/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Host builds of the kernel's pure sources: the kernel defines functions
 * with libc's names (memcpy, snprintf...), which on the host would clash
 * with (or be silently replaced by) the C library's.  This header, passed
 * with -include when compiling those sources and included by the tests
 * after the system headers, gives the kernel's versions an aster_ prefix.
 */
#ifndef ASTER_TESTS_HOST_RENAME_H
#define ASTER_TESTS_HOST_RENAME_H

#define memset		aster_memset
#define memcpy		aster_memcpy
#define memmove		aster_memmove
#define memcmp		aster_memcmp
#define strlen		aster_strlen
#define strnlen		aster_strnlen
#define strcmp		aster_strcmp
#define strncmp		aster_strncmp
#define strchr		aster_strchr
#define strlcpy		aster_strlcpy
#define vsnprintf	aster_vsnprintf
#define snprintf	aster_snprintf

#endif
