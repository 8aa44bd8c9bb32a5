/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Rebasing: an integer address becomes a pointer with base's provenance. */
#include <aster/types.h>

static char base;

char *forge(uintptr_t addr);
char *forge(uintptr_t addr)
{
	return &base + (addr - (uintptr_t)&base);
}
