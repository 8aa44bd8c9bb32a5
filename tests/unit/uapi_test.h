/* SPDX-License-Identifier: MPL-2.0 */
/*
 * What the translation units of test_uapi share.  Ours (uapi_ours.c) sees
 * only kernel/uapi/; each host one sees only system headers: the names clash,
 * so values cross between them as (name, value) tables.
 */
#ifndef ASTER_TESTS_UAPI_TEST_H
#define ASTER_TESTS_UAPI_TEST_H

#include <stddef.h>

struct uapi_val {
	const char *name;
	unsigned long long v;
};

#define UAPI_MAX_VALS	4096

/*
 * Append (key, value) to out[] unless it is full.  A full table still
 * counts on, so the caller sees more than UAPI_MAX_VALS entries and fails
 * with "raise UAPI_MAX_VALS" instead of writing past the array.
 */
#define UAPI_PUT(key, value)							\
	do {									\
		if (n < UAPI_MAX_VALS)						\
			out[n] = (struct uapi_val){ (key), (unsigned long long)(value) }; \
		n++;								\
	} while (0)

/* Each fills out[] and returns how many entries it wrote. */
size_t uapi_ours_consts(struct uapi_val *out);
size_t uapi_ours_layouts(struct uapi_val *out);
size_t uapi_ours_structs(struct uapi_val *out);	/* struct tags, v unused */
size_t uapi_linux_consts(struct uapi_val *out);
size_t uapi_linux_layouts(struct uapi_val *out);
size_t uapi_libc_consts(struct uapi_val *out);
size_t uapi_enum_consts(struct uapi_val *out);

#endif
