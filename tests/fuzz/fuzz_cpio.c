// SPDX-License-Identifier: MPL-2.0
// The newc cpio reader (kernel/fs/initramfs/cpio.c) on arbitrary bytes:
// every entry it returns must have its name (NUL-terminated) and its data
// inside the archive, and it must stop (0 or -EINVAL) in a bounded number
// of steps.
#include <string.h>
#include "fuzz.h"
#include <aster/errno.h>
#include "cpio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size;
	struct cpio_reader r;
	struct cpio_entry e;
	size_t steps = 0;
	int got;

	cpio_reader_init(&r, data, size);
	while ((got = cpio_next(&r, &e)) == 1) {
		const uint8_t *name = (const uint8_t *)e.name;

		FUZZ_ASSERT(name >= data && name < end);
		FUZZ_ASSERT(memchr(name, '\0', (size_t)(end - name)) != NULL);
		FUZZ_ASSERT(e.data >= data && e.data <= end && e.size <= (uint64_t)(end - e.data));
		/* Every entry takes at least a 110-byte header. */
		FUZZ_ASSERT(++steps <= size / 110);
	}
	FUZZ_ASSERT(got == 0 || got == -EINVAL);
	FUZZ_ASSERT(r.pos <= size);
	return 0;
}
