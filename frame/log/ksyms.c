// SPDX-License-Identifier: MPL-2.0
// The kernel's own symbol table, generated at link time (ksyms.sh) so that
// backtraces name functions without a debugger.
#include "../internal.h"

/* Sorted by address; names are offsets into ksyms_names. */
extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	*offset = 0;
	if (hi == 0 || addr < ksyms_addrs[0])
		return NULL;
	/* Find the last symbol at or below addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addrs[lo];
	return ksyms_names + ksyms_name_offsets[lo];
}
