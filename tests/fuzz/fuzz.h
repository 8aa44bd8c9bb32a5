/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Shared by the libFuzzer harnesses of the kernel's parsers (make
 * check-fuzz; doc/fuzzing.md).  Each harness defines
 * LLVMFuzzerTestOneInput, feeds the input to one parser built from the
 * kernel's own sources (with the aster_ names of tests/unit/host_rename.h)
 * under ASan and UBSan, and checks what the parser promises about its
 * output with FUZZ_ASSERT: a broken promise is a crash, as a sanitizer
 * report is.
 */
#ifndef ASTER_TESTS_FUZZ_H
#define ASTER_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__,	\
				__LINE__, #cond);				\
			abort();						\
		}								\
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
