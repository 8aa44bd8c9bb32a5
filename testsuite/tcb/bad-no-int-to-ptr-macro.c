/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* Sneaky: the cast hides behind a function-like macro named like an API. */
#include <aster/types.h>

#define phys_window(pa)	((void *)((pa) + 0xffff800000000000ULL))

void *map_it(uint64_t pa);
void *map_it(uint64_t pa)
{
	return phys_window(pa);
}
