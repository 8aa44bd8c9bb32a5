/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* A mask that keeps 40 bits keeps an address: only small ranges (hash
 * buckets, alignment remainders) stop being one. */
#include <aster/types.h>

static char heap[4096];

char *forge(uintptr_t addr);
char *forge(uintptr_t addr)
{
	return &heap[(addr - (uintptr_t)heap) & 0xffffffffffULL];
}
