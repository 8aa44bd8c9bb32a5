/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-int-to-ptr */
/* No cast at all: an implicit integer-to-pointer conversion. */
#include <aster/types.h>

char *forge(uint64_t addr);
char *forge(uint64_t addr)
{
	char *p = addr;
	return p;
}
